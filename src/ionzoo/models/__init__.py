"""Canonical neuron models, each a function returning a :class:`~ionzoo.Neuron`."""

from .hh1952 import hh1952

#: Registry of model constructors by name (used by the command line).
REGISTRY = {"hh1952": hh1952}

__all__ = ["hh1952", "REGISTRY"]
