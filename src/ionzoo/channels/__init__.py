"""Channels as data: rate forms, gates, channels, and the channel zoo.

>>> from ionzoo.channels import hh1952
>>> print(hh1952.na())          # doctest: +ELLIPSIS
Channel 'Na': ...
"""

from . import hh1952
from .channel import Q10, RESERVED_PARAMETERS, Channel, Gate, Provenance
from .rates import ExpLinearRate, ExpRate, ExprRate, Rate, SigmoidRate, as_rate

#: The channel zoo by name ("family.channel") → constructor with the published defaults.
REGISTRY = {
    "hh1952.Na": hh1952.na,
    "hh1952.K": hh1952.k,
    "hh1952.leak": hh1952.leak,
}

__all__ = [
    "REGISTRY",
    "Channel", "Gate", "Q10", "FixedFactor", "Provenance", "RESERVED_PARAMETERS",
    "Rate", "ExpRate", "SigmoidRate", "ExpLinearRate", "ExprRate", "as_rate",
    "hh1952",
]
