"""Input/output of model files (YAML/JSON; :mod:`ionzoo.io.modelfile`). NeuroML and NMODL live
in :mod:`ionzoo.interop`; ``ionzoo.io.neuroml`` and ``ionzoo.io.nmodl`` name them too."""

from __future__ import annotations

import importlib
from typing import Any

from .modelfile import (
    channel_from_dict,
    channel_to_dict,
    load,
    neuron_from_dict,
    neuron_to_dict,
    save,
)

__all__ = ["channel_to_dict", "channel_from_dict", "neuron_to_dict", "neuron_from_dict",
           "save", "load", "neuroml", "nmodl"]


def __getattr__(name: str) -> Any:
    if name in ("neuroml", "nmodl"):
        return importlib.import_module(f"ionzoo.interop.{name}")
    raise AttributeError(f"module 'ionzoo.io' has no attribute {name!r}")
