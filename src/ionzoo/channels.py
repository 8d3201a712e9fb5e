"""Channels as data — the model classes (rates, gates, channels, temperature rules) and the
channel zoo, in one namespace.

>>> import ionzoo as iz
>>> na = iz.channels.hh1952.na()               # a zoo channel with its published defaults
>>> sorted(iz.channels.REGISTRY)[:2]
['connor_stevens.A', 'connor_stevens.K']
"""

from .model.channel import (
    Q10,
    RESERVED_PARAMETERS,
    Channel,
    FixedFactor,
    Gate,
    Provenance,
)
from .model.rates import ExpLinearRate, ExpRate, ExprRate, Rate, SigmoidRate, as_rate
from .zoo.channels import (
    REGISTRY,
    classic,
    destexhe,
    hay2011,
    hh1952,
    mainen1996,
    poirazi2003,
    prinz2003,
    traub,
)

__all__ = [
    "REGISTRY",
    "Channel", "Gate", "Q10", "FixedFactor", "Provenance", "RESERVED_PARAMETERS",
    "Rate", "ExpRate", "SigmoidRate", "ExpLinearRate", "ExprRate", "as_rate",
    "hh1952", "traub", "hay2011", "mainen1996", "destexhe", "classic", "poirazi2003",
    "prinz2003",
]
