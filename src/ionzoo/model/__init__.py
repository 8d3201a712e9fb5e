"""The model as data: rates, gates, channels, temperature rules, ions and calcium pools,
neurons, stimuli, and the one table of parameter specifications. Nothing here simulates."""

from .channel import Channel, Gate, Provenance
from .ions import Calcium
from .neuron import Neuron
from .params import ParamSpec
from .rates import ExpLinearRate, ExpRate, ExprRate, Rate, SigmoidRate
from .temperature import Q10, FixedFactor

__all__ = ["Channel", "Gate", "Provenance", "Calcium", "Neuron", "ParamSpec", "Rate",
           "ExpRate", "SigmoidRate", "ExpLinearRate", "ExprRate", "Q10", "FixedFactor"]
