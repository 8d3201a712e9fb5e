"""Input/output: model files (YAML/JSON)."""

from .modelfile import (
    channel_from_dict,
    channel_to_dict,
    load,
    neuron_from_dict,
    neuron_to_dict,
    save,
)

__all__ = ["channel_to_dict", "channel_from_dict", "neuron_to_dict", "neuron_from_dict",
           "save", "load"]
