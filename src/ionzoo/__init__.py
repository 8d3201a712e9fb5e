"""ionzoo: conductance-based (Hodgkin–Huxley style) neuron models, fast.

Units throughout (NEURON's density units): mV, ms, mS/cm², µA/cm², µF/cm², °C.

>>> import ionzoo as iz
>>> cell = iz.models.hh1952()
>>> res = iz.simulate(cell, iz.stimulus.step(10.0), t_stop=50, dt=0.025)
>>> int(res.spike_count)
3
"""

__version__ = "0.1.0"

from . import (  # noqa: E402
    analysis,
    channels,
    expr,
    io,
    ions,
    models,
    pharmacology,
    plot,
    stimulus,
    testing,
)
from .engine import Result, load_result, simulate  # noqa: E402
from .errors import ExpressionError, IonzooError, ValidationError  # noqa: E402
from .neuron import Neuron  # noqa: E402

__all__ = [
    "simulate", "Result", "load_result", "Neuron",
    "models", "channels", "stimulus", "expr", "plot", "ions", "io", "testing", "analysis",
    "pharmacology",
    "IonzooError", "ValidationError", "ExpressionError", "__version__",
]
