"""ionzoo: conductance-based (Hodgkin–Huxley style) neuron models, fast.

Units throughout (NEURON's density units): mV, ms, mS/cm², µA/cm², µF/cm², °C, mM.

>>> import ionzoo as iz
>>> cell = iz.models.hh1952()
>>> res = iz.simulate(cell, iz.stimulus.step(10.0), t_stop=50, dt=0.025)
>>> int(res.spike_count)
3

The heavier parts (``simulate`` and ``Result`` with Numba and xarray, ``plot``, ``analysis``,
``dynamics``, ``io``, ``interop``, ``testing``, ``pharmacology``, ``reference``) load on first
use, so ``import ionzoo`` — and the command line's start-up — stays light.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from . import channels, expr, ions, models, noise, stimulus, synapses  # noqa: E402
from ._version import __version__
from .errors import ExpressionError, IonzooError, ValidationError  # noqa: E402
from .model.neuron import Neuron  # noqa: E402
from .solvers import Adaptive, BackwardEuler, CrankNicolson  # noqa: E402

if TYPE_CHECKING:  # pragma: no cover
    from . import (  # noqa: F401
        analysis,
        clamp,
        dynamics,
        interop,
        io,
        pharmacology,
        plot,
        reference,
        testing,
    )
    from .result import Result, load_result
    from .simulation import simulate

_LAZY = ("plot", "analysis", "clamp", "dynamics", "io", "interop", "testing", "pharmacology",
         "reference", "lower", "ir", "solvers", "backends", "sweep")


#: Attributes from modules that import xarray and Numba, loaded on first use.
_LAZY_ATTRS = {"simulate": "simulation", "Result": "result", "load_result": "result"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return importlib.import_module(f".{name}", __name__)
    if name in _LAZY_ATTRS:
        value = getattr(importlib.import_module(f".{_LAZY_ATTRS[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'ionzoo' has no attribute {name!r}")


__all__ = [
    "simulate", "Result", "load_result", "Neuron",
    "BackwardEuler", "CrankNicolson", "Adaptive",
    "models", "channels", "stimulus", "synapses", "noise", "expr", "ions",
    "plot", "io", "interop", "testing", "analysis", "clamp", "dynamics", "pharmacology",
    "reference",
    "IonzooError", "ValidationError", "ExpressionError", "__version__",
]
