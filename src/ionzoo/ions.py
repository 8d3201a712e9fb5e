"""Ions: the Nernst potential, the GHK current and intracellular calcium (see
:mod:`ionzoo.model.ions`)."""

from .model.ions import (
    CALCIUM_PARAMETERS,
    FARADAY,
    GAS_CONSTANT,
    POOLS,
    VALENCE,
    Calcium,
    ghk_current,
    nernst,
)

__all__ = ["Calcium", "nernst", "ghk_current", "FARADAY", "GAS_CONSTANT", "CALCIUM_PARAMETERS",
           "POOLS", "VALENCE"]
