"""Interchange with the simulators people already use: NMODL and NeuroML export and import
(:mod:`~ionzoo.interop.nmodl`, :mod:`~ionzoo.interop.neuroml`) and running models in NEURON
(:mod:`~ionzoo.interop.neuron_runner`, needs the optional ``neuron`` extra). Submodules load on
first use."""

from __future__ import annotations

import importlib
from typing import Any

__all__ = ["nmodl", "neuroml", "neuron_runner"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'ionzoo.interop' has no attribute {name!r}")
