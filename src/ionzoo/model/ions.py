"""Ions: the Nernst potential, the GHK current and intracellular calcium.

A neuron whose channels carry calcium with a Nernst reversal or a GHK current, read the calcium
concentration (e.g. SK channels) or want a pool has a :class:`Calcium` description:

* ``Calcium(cai=..., cao=...)`` — fixed concentrations (mM);
* ``Calcium(..., pool="destexhe" | "hay")`` — ``cai`` is a state driven by the calcium current
  of the channels with ``ion="ca"``:

      dcai/dt = γ · drive + (cai_rest − cai)/τ,     drive = −10 · i_Ca / (2 F · depth)

  with i_Ca in µA/cm², depth in µm, F in C/mol, giving mM/ms (NEURON's ``-(1e4) ica/(2 F
  depth)`` with ica in mA/cm²). ``"destexhe"`` (Destexhe et al. 1994, ``cadecay.mod``) keeps only
  inward drive (drive ≥ 0) and has γ = 1; ``"hay"`` (Hay et al. 2011, ``CaDynamics_E2.mod``)
  scales the drive by the free fraction γ and lets it take either sign.

Nernst potential (mV): E = (RT/zF) · ln(c_out/c_in), T in kelvin.

GHK current (µA/cm², permeability P in cm/s, concentrations in mM, u = zFv/RT):

    I = P · z F · (c_in/exprel(−u) − c_out/exprel(u))  =  P z F u (c_in − c_out e^(−u))/(1 − e^(−u))

— the form of Destexhe's GHK calcium channels (``ghk()`` in ``IT2.mod``), whose ``efun(z)``
is 1/exprel(z).

The fixed-step solvers advance a pool exactly over each step by default (``method="cnexp"``);
``"derivimplicit"`` and ``"euler"`` reproduce files that use those NEURON methods (Destexhe's
``cadecay.mod`` is derivimplicit, Poirazi's ``cad.mod`` euler). A pool is always advanced before
the gates, so a gate reading ``cai`` sees this step's calcium — NEURON orders the mechanisms
that write a concentration before those that read it.

``lagged=True`` reproduces files whose DERIVATIVE block copies the pool's own state into the
ion (``cai = ca``, Poirazi's ``cad.mod``): the copy happens before the state is advanced, so the
ion's concentration — what channels read — is the pool's value from the start of the step. The
pool's own state then starts at ``cai_rest`` (``INITIAL { ca = cainf }``) and the ion at ``cai``.

Parameter paths: ``ca.cai`` (mM; initial value with a pool), ``ca.cao`` (mM), and with a pool
``ca.depth`` (µm), ``ca.tau`` (ms), ``ca.cai_rest`` (mM), ``ca.gamma`` (1).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..errors import ValidationError
from ..expr import exprel
from .params import CALCIUM_PARAMETERS, check

__all__ = ["Calcium", "nernst", "ghk_current", "FARADAY", "GAS_CONSTANT", "CALCIUM_PARAMETERS",
           "POOLS", "POOL_METHODS", "VALENCE"]

#: Faraday constant, C/mol (CODATA 2018, as in NEURON ≥ 8).
FARADAY = 96485.33212
#: Molar gas constant, J/(K·mol) (CODATA 2018, as in NEURON ≥ 8).
GAS_CONSTANT = 8.314462618
#: Valence of the ions that reversal and GHK computations know.
VALENCE = {"ca": 2}

#: Pool kinds.
POOLS = ("destexhe", "hay")
#: Integration methods of a pool (as NEURON's ``SOLVE … METHOD``).
POOL_METHODS = ("cnexp", "derivimplicit", "euler")


def nernst(c_in, c_out, valence: int, temperature) -> np.ndarray:
    """Nernst potential in mV for concentrations in mM (any unit, same for both), °C."""
    t_kelvin = np.asarray(temperature, dtype=float) + 273.15
    return 1000.0 * GAS_CONSTANT * t_kelvin / (valence * FARADAY) * np.log(
        np.asarray(c_out, dtype=float) / np.asarray(c_in, dtype=float))


def ghk_current(v, permeability, c_in, c_out, valence: int, temperature) -> np.ndarray:
    """GHK current density in µA/cm² (inward negative): ``v`` mV, permeability cm/s,
    concentrations mM, temperature °C (see the module docstring)."""
    rtzf = 1000.0 * GAS_CONSTANT * (np.asarray(temperature, dtype=float) + 273.15) / (
        valence * FARADAY)
    u = np.asarray(v, dtype=float) / rtzf
    return np.asarray(permeability) * valence * FARADAY * (
        np.asarray(c_in) / exprel(-u) - np.asarray(c_out) / exprel(u))


@dataclass(frozen=True)
class Calcium:
    """Intracellular/extracellular calcium of a neuron (see the module docstring).

    Parameters
    ----------
    cai, cao:
        Internal (initial, with a pool) and external concentration, mM (> 0).
    pool:
        ``None`` (fixed ``cai``), ``"destexhe"`` or ``"hay"``.
    depth:
        Thickness of the submembrane shell, µm (> 0).
    tau:
        Decay (extrusion) time constant, ms (> 0).
    cai_rest:
        Concentration the pool relaxes to, mM (Destexhe's ``cainf``, Hay's ``minCai``).
    gamma:
        Fraction of the calcium influx that stays free (Hay's γ; 1 for Destexhe).
    method:
        How the fixed-step solvers advance the pool (:data:`POOL_METHODS`).
    lagged:
        The ion's concentration lags the pool's state by one step (see the module docstring).
    """

    cai: float = 2.4e-4
    cao: float = 2.0
    pool: str | None = None
    depth: float = 0.1
    tau: float = 5.0
    cai_rest: float = 2.4e-4
    gamma: float = 1.0
    method: str = "cnexp"
    lagged: bool = False

    def __post_init__(self) -> None:
        if self.pool is not None and self.pool not in POOLS:
            raise ValidationError("ca.pool", f"unknown pool {self.pool!r} (choose from {POOLS} "
                                  "or None)")
        if self.method not in POOL_METHODS:
            raise ValidationError("ca.method", f"expected one of {POOL_METHODS}, got "
                                  f"{self.method!r}")
        if not isinstance(self.lagged, bool):
            raise ValidationError("ca.lagged", "must be True or False")
        if (self.method != "cnexp" or self.lagged) and self.pool is None:
            raise ValidationError("ca.method", "fixed calcium has no pool to integrate")
        for name, spec in CALCIUM_PARAMETERS.items():
            object.__setattr__(self, name, check(f"ca.{name}", getattr(self, name), spec))

    def parameters(self) -> dict[str, float]:
        """Parameter values by name (the pool's only when there is a pool)."""
        names = CALCIUM_PARAMETERS if self.pool else ("cai", "cao")
        return {n: getattr(self, n) for n in names}

    @classmethod
    def destexhe(cls, depth: float = 0.1, tau: float = 5.0, cainf: float = 2.4e-4,
                 cai: float | None = None, cao: float = 2.0) -> Calcium:
        """Destexhe et al. (1994) ``cadecay``: inward-only drive, decay to ``cainf`` (mM) with
        ``tau`` (ms) in a shell of ``depth`` (µm)."""
        return cls(cai=cainf if cai is None else cai, cao=cao, pool="destexhe", depth=depth,
                   tau=tau, cai_rest=cainf, gamma=1.0)

    @classmethod
    def poirazi(cls, depth: float = 0.1, taur: float = 200.0, cainf: float = 1e-4,
                cai: float | None = None, cao: float = 2.0) -> Calcium:
        """Poirazi's modification (2001) of Destexhe's pump-and-decay pool (``cad.mod`` of the
        Poirazi 2003 CA1 cell): inward-only drive divided by 18 (γ = 1/18), decay 7·``taur``
        (ms) to ``cainf`` (mM), forward Euler, and the ion's ``cai`` copied from the pool state
        before each step (``lagged``)."""
        return cls(cai=cainf if cai is None else cai, cao=cao, pool="destexhe", depth=depth,
                   tau=7.0 * taur, cai_rest=cainf, gamma=1.0 / 18.0, method="euler",
                   lagged=True)

    @classmethod
    def prinz(cls, f: float = 14.96, area: float = 0.628e-3, tau: float = 200.0,
              ca_rest: float = 5e-5, cai: float | None = None, cao: float = 3.0) -> Calcium:
        """Prinz et al. (2003) STG pool, τ d[Ca]/dt = −f·I_Ca − [Ca] + [Ca]₀ with I_Ca the
        calcium current in nA (inward negative) of a cell of ``area`` (cm²), ``f`` in µM/nA,
        ``tau`` in ms, ``ca_rest`` = [Ca]₀ and ``cao`` in mM.

        Written as a ``"hay"`` pool (either sign of the drive) whose free fraction carries the
        conversion: with i_Ca in µA/cm², f·I_Ca = f·area·i_Ca µM·(1000 nA/µA)·(1e-3 mM/µM), so
        γ · 10/(2F·depth) = f·area/τ at the shell depth 0.1 µm (which then cancels).
        """
        depth = 0.1
        gamma = f * area / tau * (2.0 * FARADAY * depth / 10.0)
        return cls(cai=ca_rest if cai is None else cai, cao=cao, pool="hay", depth=depth,
                   tau=tau, cai_rest=ca_rest, gamma=gamma)

    @classmethod
    def hay(cls, gamma: float = 0.05, decay: float = 80.0, depth: float = 0.1,
            min_cai: float = 1e-4, cai: float | None = None, cao: float = 2.0) -> Calcium:
        """Hay et al. (2011) ``CaDynamics_E2``: free fraction ``gamma``, ``decay`` (ms) to
        ``min_cai`` (mM), shell ``depth`` (µm)."""
        return cls(cai=min_cai if cai is None else cai, cao=cao, pool="hay", depth=depth,
                   tau=decay, cai_rest=min_cai, gamma=gamma)
