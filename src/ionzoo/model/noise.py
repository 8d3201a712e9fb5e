"""Noisy inputs: Ornstein–Uhlenbeck processes, stepped exactly and reproducibly.

Each process x has a mean μ, a stationary standard deviation σ and a correlation time τ:
dx = (μ − x)/τ dt + σ·√(2/τ) dW. The engine advances it over each step with the exact update
(Gillespie 1996), x ← μ + (x − μ)·e^(−dt/τ) + σ·√(1 − e^(−2dt/τ))·ξ, after the membrane
potential (as NEURON's ``Gfluct.mod`` does in its state update), so the statistics do not depend
on dt. ξ is a standard normal number computed from counters — (``seed``, the process's stream,
the step index) — so a neuron's noise is bit-identical wherever it sits in a batch, however the
run is chunked and with any number of threads; neurons with the same seed get the same noise.
Every process starts at its mean.

==========================  ==========================================================
:func:`ou_current`          an injected current (µA/cm²) added to the stimulus
:func:`point_conductance`   the point-conductance model of Destexhe et al. (2001):
                            excitatory and inhibitory OU conductances (mS/cm²) with
                            their reversals, each clipped at 0 in the current (as
                            ``Gfluct.mod``); :func:`destexhe2001` gives its published
                            values for a cell of a given area
==========================  ==========================================================
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from .._lazy import is_dataarray
from ..errors import ValidationError
from ..expr import Expr, Name, Num
from .channel import check_name
from .stimulus import Stimulus, _field

__all__ = ["Noise", "OUCurrent", "PointConductance", "ou_current", "point_conductance",
           "destexhe2001", "DESTEXHE_2001"]

#: Destexhe, Rudolph, Fellous & Sejnowski (2001) Neuroscience 107:13–24, Table/ModelDB 8115
#: ``Gfluct.mod``: conductances in µS for their 34 636-µm² cell, times in ms, reversals in mV.
DESTEXHE_2001 = {"ge0": 0.012, "sigma_e": 0.0030, "tau_e": 2.728, "e_e": 0.0,
                 "gi0": 0.057, "sigma_i": 0.0066, "tau_i": 10.49, "e_i": -75.0,
                 "area_um2": 34636.0}


def _seed(kind: str, seed: Any) -> Any:
    out = _field(kind, "seed", seed, nonneg=True)
    vals = np.asarray(getattr(out, "values", out))
    if np.any(vals != np.round(vals)) or np.any(vals > 2**53):
        raise ValidationError(f"stimulus.{kind}.seed", "must be an integer >= 0")
    return out


class Noise(Stimulus):
    """Base of the noise inputs: ``processes`` lists (state suffix, mean, σ, τ field names)."""

    name: str
    processes: ClassVar[tuple[tuple[str, str, str, str], ...]] = ()

    def breakpoints(self, p, t_stop):
        return []

    def structure_key(self) -> tuple:
        return (self.kind, self.name)

    def evaluate(self, t, p):
        """The current at ``t`` cannot be known before the run (it is random): refused."""
        raise ValidationError(f"stimulus.{self.name}", "a noise input has no value before the "
                              "run")


@dataclass(frozen=True)
class OUCurrent(Noise):
    """An Ornstein–Uhlenbeck current: mean ``mean`` and stationary standard deviation
    ``sigma`` (µA/cm², depolarising when positive, as every stimulus), correlation time ``tau``
    (ms), ``seed`` (an integer >= 0); recorded as ``<name>.i``."""

    mean: Any
    sigma: Any
    tau: Any
    seed: Any = 0
    name: str = "noise"
    numeric: ClassVar = ("mean", "sigma", "tau", "seed")
    kind: ClassVar = "ou_current"
    processes: ClassVar = (("x", "mean", "sigma", "tau"),)

    def __post_init__(self) -> None:
        check_name("stimulus.ou_current.name", self.name)
        object.__setattr__(self, "mean", _field("ou_current", "mean", self.mean))
        object.__setattr__(self, "sigma", _field("ou_current", "sigma", self.sigma,
                                                 nonneg=True))
        object.__setattr__(self, "tau", _field("ou_current", "tau", self.tau, positive=True))
        object.__setattr__(self, "seed", _seed("ou_current", self.seed))

    def expression(self, p, t=None, table="wave") -> Expr:
        return Name(f"{self.name}.x")


@dataclass(frozen=True)
class PointConductance(Noise):
    """Excitatory and inhibitory OU conductances (mS/cm²): means ``ge0``/``gi0``, stationary
    standard deviations ``sigma_e``/``sigma_i``, correlation times ``tau_e``/``tau_i`` (ms),
    reversals ``e_e``/``e_i`` (mV); I = max(ge, 0)·(v − e_e) + max(gi, 0)·(v − e_i). Recorded as
    ``<name>.ge``, ``<name>.gi`` and ``<name>.i``."""

    ge0: Any
    sigma_e: Any
    tau_e: Any
    e_e: Any
    gi0: Any
    sigma_i: Any
    tau_i: Any
    e_i: Any
    seed: Any = 0
    name: str = "pc"
    numeric: ClassVar = ("ge0", "sigma_e", "tau_e", "e_e", "gi0", "sigma_i", "tau_i", "e_i",
                         "seed")
    kind: ClassVar = "point_conductance"
    processes: ClassVar = (("ge", "ge0", "sigma_e", "tau_e"), ("gi", "gi0", "sigma_i", "tau_i"))

    def __post_init__(self) -> None:
        check_name("stimulus.point_conductance.name", self.name)
        kind = "point_conductance"
        for f in ("ge0", "gi0", "sigma_e", "sigma_i"):
            object.__setattr__(self, f, _field(kind, f, getattr(self, f), nonneg=True))
        for f in ("tau_e", "tau_i"):
            object.__setattr__(self, f, _field(kind, f, getattr(self, f), positive=True))
        for f in ("e_e", "e_i"):
            object.__setattr__(self, f, _field(kind, f, getattr(self, f)))
        object.__setattr__(self, "seed", _seed(kind, self.seed))

    def expression(self, p, t=None, table="wave") -> Expr:
        return Num(0.0)  # its currents are conductances (lowered as channels)


def ou_current(mean: Any, sigma: Any, tau: Any, seed: Any = 0, name: str = "noise",
               ) -> OUCurrent:
    """An Ornstein–Uhlenbeck current (µA/cm²; ``tau`` ms)."""
    return OUCurrent(mean, sigma, tau, seed, name)


def point_conductance(ge0: Any, sigma_e: Any, tau_e: Any, e_e: Any, gi0: Any, sigma_i: Any,
                      tau_i: Any, e_i: Any, seed: Any = 0, name: str = "pc",
                      ) -> PointConductance:
    """The point-conductance model (conductances in mS/cm², times in ms, reversals in mV)."""
    return PointConductance(ge0, sigma_e, tau_e, e_e, gi0, sigma_i, tau_i, e_i, seed, name)


def destexhe2001(area_um2: float, seed: Any = 0, scale: Any = 1.0,
                 name: str = "pc") -> PointConductance:
    """Destexhe et al. (2001)'s point-conductance values (:data:`DESTEXHE_2001`, in µS for
    their cell) as densities for a cell of ``area_um2`` µm² (g/area, so a cell of their area
    gets their conductances); ``scale`` multiplies the means and standard deviations."""
    if not (isinstance(area_um2, (int, float)) and area_um2 > 0):
        raise ValidationError("area_um2", "must be a number > 0 (µm²)")
    k = 1e5 / float(area_um2)  # µS -> mS/cm²
    d = DESTEXHE_2001
    s = scale.values if is_dataarray(scale) else scale
    if np.any(np.asarray(s) < 0):
        raise ValidationError("scale", "must be >= 0")
    return PointConductance(d["ge0"] * k * scale, d["sigma_e"] * k * scale, d["tau_e"],
                            d["e_e"], d["gi0"] * k * scale, d["sigma_i"] * k * scale,
                            d["tau_i"], d["e_i"], seed, name)
