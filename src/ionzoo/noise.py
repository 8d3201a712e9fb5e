"""Noisy inputs (see :mod:`ionzoo.model.noise`)."""

from .model.noise import (
    DESTEXHE_2001,
    Noise,
    OUCurrent,
    PointConductance,
    destexhe2001,
    ou_current,
    point_conductance,
)

__all__ = ["Noise", "OUCurrent", "PointConductance", "ou_current", "point_conductance",
           "destexhe2001", "DESTEXHE_2001"]
