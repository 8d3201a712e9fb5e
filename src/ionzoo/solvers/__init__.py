"""Solvers: objects that integrate a lowered model, each declaring its order.

=========================  =====  ==========================================================
solver                     order  scheme
=========================  =====  ==========================================================
:class:`BackwardEuler`     1      NEURON's default (``secondorder = 0``): gates staggered half
                                  a step from v and advanced exactly (exponential update,
                                  rates at the new v), v by the linearised backward-Euler rule
:class:`CrankNicolson`     2      NEURON's ``secondorder = 2``: the same staggered gates, v by
                                  the linearised implicit midpoint rule
:class:`Adaptive`          –      SciPy ``solve_ivp`` (LSODA by default) on the same equations,
                                  one neuron at a time, piecewise between stimulus
                                  discontinuities, spikes located by root finding: the
                                  reference for validation and convergence studies
=========================  =====  ==========================================================

In the fixed-step solvers the stimulus is evaluated at t + dt/2 and a spike is an upward
crossing of the threshold between two steps, its time interpolated linearly.

>>> import ionzoo as iz
>>> iz.CrankNicolson(dt=0.01).order
2
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from ..errors import ValidationError
from ..model.params import number

__all__ = ["Solver", "FixedStep", "BackwardEuler", "CrankNicolson", "Adaptive", "METHODS",
           "solver_from"]

#: Names of the solvers for the ``method=`` shorthand of :func:`ionzoo.simulate`.
METHODS = ("crank_nicolson", "backward_euler", "adaptive")
_SCIPY = ("LSODA", "Radau", "BDF", "RK45", "RK23", "DOP853")


def _dt(value: Any) -> float:
    dt = number("dt", value)
    if dt <= 0:
        raise ValidationError("dt", f"must be a finite number > 0 (ms), got {dt!r}")
    return dt


@dataclass(frozen=True)
class Solver:
    """Base class. ``order``: the convergence order in dt (``None`` for adaptive)."""

    order: ClassVar[int | None] = None
    name: ClassVar[str] = ""
    dt: float = 0.025

    def __post_init__(self) -> None:
        object.__setattr__(self, "dt", _dt(self.dt))


@dataclass(frozen=True)
class FixedStep(Solver):
    """A fixed-step staggered scheme with step ``dt`` (ms).

    ``stabilize``: where the negative slope conductance of a non-linear current (steep
    instantaneous Na) would make the linearised voltage update diverge at large dt, use the
    chord conductance instead (default ``True``). ``False`` reproduces NEURON's scheme
    exactly, divergence included (used by the NEURON cross-checks).
    """

    stabilize: bool = True
    kfac: ClassVar[float] = 1.0

    def __post_init__(self) -> None:
        super().__post_init__()
        if not isinstance(self.stabilize, bool):
            raise ValidationError("stabilize", "must be True or False")

    @property
    def cj(self) -> float:
        """The capacitive coefficient of the linearised update, kfac/dt (1/ms)."""
        return self.kfac / self.dt


@dataclass(frozen=True)
class BackwardEuler(FixedStep):
    """NEURON's default fixed step: first order."""

    order: ClassVar[int | None] = 1
    name: ClassVar[str] = "backward_euler"
    kfac: ClassVar[float] = 1.0


@dataclass(frozen=True)
class CrankNicolson(FixedStep):
    """NEURON's ``secondorder = 2``: second order."""

    order: ClassVar[int | None] = 2
    name: ClassVar[str] = "crank_nicolson"
    kfac: ClassVar[float] = 2.0


@dataclass(frozen=True)
class Adaptive(Solver):
    """SciPy ``solve_ivp`` with ``method`` (``"LSODA"``, ``"Radau"``, ``"BDF"``…), tolerances
    ``rtol``/``atol``; ``dt`` (ms) is the sampling interval of recorded traces."""

    order: ClassVar[int | None] = None
    name: ClassVar[str] = "adaptive"
    method: str = "LSODA"
    rtol: float = 1e-10
    atol: float = 1e-10

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.method not in _SCIPY:
            raise ValidationError("solver.method", f"unknown SciPy method {self.method!r} "
                                  f"(choose from {_SCIPY})")
        for name in ("rtol", "atol"):
            val = number(f"solver.{name}", getattr(self, name))
            if not 0 < val < 1:
                raise ValidationError(f"solver.{name}", f"must be in (0, 1), got {val!r}")
            object.__setattr__(self, name, val)


def solver_from(solver: Solver | None, method: str | None, dt: float | None,
                rtol: float | None = None, atol: float | None = None,
                stabilize: bool | None = None) -> Solver:
    """The solver of a :func:`~ionzoo.simulate` call: ``solver`` itself, or one built from the
    ``method=``/``dt=`` shorthands (default Crank–Nicolson, dt = 0.025 ms)."""
    if solver is not None:
        if not isinstance(solver, Solver):
            raise ValidationError("solver", f"expected an ionzoo solver (BackwardEuler, "
                                  f"CrankNicolson, Adaptive), got {type(solver).__name__}")
        if method is not None or dt is not None:
            raise ValidationError("solver", "give either solver= or method=/dt=, not both")
        return solver
    method = "crank_nicolson" if method is None else method
    if method not in METHODS:
        raise ValidationError("method", f"unknown method {method!r} (choose from {METHODS})")
    step = 0.025 if dt is None else dt
    if method == "adaptive":
        return Adaptive(dt=step, rtol=1e-10 if rtol is None else rtol,
                        atol=1e-10 if atol is None else atol)
    cls = CrankNicolson if method == "crank_nicolson" else BackwardEuler
    return cls(dt=step, stabilize=True if stabilize is None else stabilize)

