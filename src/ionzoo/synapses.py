"""Synaptic conductances and spike trains (see :mod:`ionzoo.model.synapses`)."""

from .model.synapses import (
    AlphaSynapse,
    Exp2Synapse,
    ExpSynapse,
    SpikeSource,
    Synapse,
    alpha,
    exp,
    exp2,
    exp2_factor,
    poisson,
    regular,
    times,
)

__all__ = ["Synapse", "AlphaSynapse", "ExpSynapse", "Exp2Synapse", "SpikeSource", "alpha", "exp",
           "exp2", "exp2_factor", "poisson", "regular", "times"]
