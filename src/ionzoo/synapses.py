"""Synaptic conductances and spike trains (see :mod:`ionzoo.model.synapses`)."""

from .model.synapses import (
    Exp2Synapse,
    ExpSynapse,
    SpikeSource,
    Synapse,
    exp,
    exp2,
    exp2_factor,
    poisson,
    regular,
    times,
)

__all__ = ["Synapse", "ExpSynapse", "Exp2Synapse", "SpikeSource", "exp", "exp2", "exp2_factor",
           "poisson", "regular", "times"]
