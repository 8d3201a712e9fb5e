"""Channels as data: rate forms, gates, channels, and the channel zoo.

>>> from ionzoo.channels import hh1952
>>> print(hh1952.na())          # doctest: +ELLIPSIS
Channel 'Na': ...
"""

from . import hh1952
from .channel import Q10, RESERVED_PARAMETERS, Channel, Gate, Provenance
from .rates import ExpLinearRate, ExpRate, ExprRate, Rate, SigmoidRate, as_rate

__all__ = [
    "Channel", "Gate", "Q10", "Provenance", "RESERVED_PARAMETERS",
    "Rate", "ExpRate", "SigmoidRate", "ExpLinearRate", "ExprRate", "as_rate",
    "hh1952",
]
