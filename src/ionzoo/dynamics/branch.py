"""The equilibrium manifold of a one-compartment neuron, parametrised by its voltage.

At an equilibrium every gate sits at its steady state and every concentration pool balances its
drive, so for each membrane potential V there is exactly one candidate state x*(V), and it is
an equilibrium under the constant current I*(V) = I_ion(x*(V)) (µA/cm²). The branch of
equilibria over the injected current is therefore the curve V ↦ (I*(V), x*(V)): it passes
folds without any special treatment (a fold is where dI*/dV = 0), and every equilibrium at a
current I is a root of I*(V) − I.

Everything is evaluated from the lowered model (:class:`ionzoo.reference.Evaluator`): the
right-hand side and its exact (symbolic) Jacobian.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

import numpy as np

from ..errors import ValidationError
from ..expr import Expr, diff
from ..expr.evaluate import compile_numpy
from ..model.neuron import Neuron
from ..reference import Evaluator

__all__ = ["EquilibriumBranch", "critical_pair"]

#: Bisection steps of a pool's balance (in log concentration between 1e-12 and 1e3 mM: each
#: step halves a 35-unit interval; 80 steps reach the double-precision resolution).
_POOL_BISECTIONS = 80


def critical_pair(eigenvalues: np.ndarray, imag: float = 1e-7) -> int:
    """Index of the eigenvalue (1/ms) of a Hopf point's critical pair: the one with positive
    imaginary part (above ``imag``) nearest to the imaginary axis."""
    lam = np.asarray(eigenvalues)
    return int(np.argmax(np.where(lam.imag > imag, -np.abs(lam.real), -np.inf)))


class EquilibriumBranch:
    """x*(V), I*(V) and the exact Jacobian along the equilibrium manifold of ``neuron``.

    ``params`` overrides parameter values by id (as :class:`~ionzoo.reference.Evaluator`).
    """

    def __init__(self, neuron: Neuron, params: Mapping[str, Any] | None = None) -> None:
        self.neuron = neuron
        self.ev = Evaluator(neuron, params=params)
        ir = self.ev.ir
        lagged = {p.ion_state for p in ir.pools if p.ion_state}
        rhs = ir.rhs()
        # a lagged ion concentration equals its pool's in continuous time: one state, not two
        self.states: tuple[str, ...] = tuple(s for s in ir.state_names if s not in lagged)
        self.rhs: dict[str, Expr] = {k: rhs[k] for k in self.states}
        self.pools = tuple(p.state for p in ir.pools)
        if len(self.pools) > 1:
            raise ValidationError("neuron", "equilibria of neurons with more than one "
                                  "concentration pool are not supported yet")
        self._jac: list[list[Expr]] | None = None
        self._compiled: tuple[list, list[list]] | None = None
        cap = np.asarray(self.ev.env["capacitance"], dtype=float)  # µF/cm²; may be batched
        self.capacitance = float(cap) if cap.ndim == 0 else cap

    def at(self, params: Mapping[str, Any]) -> EquilibriumBranch:
        """The same branch with some parameter values replaced by id (scalars, or arrays that
        broadcast against the voltages evaluated later); expressions and the Jacobian's
        derivatives are shared, nothing is lowered again."""
        self._functions()  # derive and compile once, share with every copy
        other = copy.copy(self)
        other.ev = self.ev.with_params(params)
        cap = np.asarray(other.ev.env["capacitance"], dtype=float)
        other.capacitance = float(cap) if cap.ndim == 0 else cap
        return other

    def with_value(self, parameter: str, value) -> EquilibriumBranch:
        """:meth:`at` for one parameter (id, e.g. ``"K.gbar"``) at ``value`` (its unit; a
        scalar or an array of values): the form every continuation in a parameter uses."""
        return self.at({parameter: np.asarray(value, dtype=float)})

    # ------------------------------------------------------------------ states
    def state(self, v) -> dict[str, np.ndarray]:
        """x*(V): every state at its equilibrium for the voltages ``v`` (mV)."""
        v = np.asarray(v, dtype=float)
        if not self.pools:
            return self.ev.states_at_rest(v)
        return self._with_pool(v)

    def _gates(self, v: np.ndarray, conc: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        out: dict[str, Any] = {"v": v, **conc}
        for g in self.ev.ir.kinetic_gates():
            out[g.name] = self.ev.evaluate(g.inf, v=v, **conc)
        return out

    def _with_pool(self, v: np.ndarray) -> dict[str, np.ndarray]:
        """Gates at x∞(V, c) and the pool concentration c balancing its drive (bisection in
        log c, vectorised over V; the balance decreases monotonically in c for every pool of
        the zoo: more calcium, more extrusion and a smaller inward drive)."""
        name = self.pools[0]
        balance = self.rhs[name]
        lo = np.full(v.shape, np.log(1e-12))
        hi = np.full(v.shape, np.log(1e3))
        for _ in range(_POOL_BISECTIONS):
            mid = 0.5 * (lo + hi)
            c = np.exp(mid)
            with np.errstate(all="ignore"):
                f = self.ev.evaluate(balance, **self._gates(v, {name: c}))
            up = f > 0
            lo, hi = np.where(up, mid, lo), np.where(up, hi, mid)
        return self._gates(v, {name: np.exp(0.5 * (lo + hi))})

    def current(self, v) -> np.ndarray:
        """I*(V) (µA/cm²): the constant current under which x*(V) is an equilibrium."""
        with np.errstate(all="ignore"):
            return np.asarray(self.ev.evaluate(self.ev.ir.ion_current(), **self.state(v)),
                              dtype=float) * np.ones(np.shape(v))

    def slope(self, v, h: float = 1e-5) -> np.ndarray:
        """dI*/dV (µA/cm²/mV), central difference (error ~h² · I''' ≈ 1e-10)."""
        v = np.asarray(v, dtype=float)
        return (self.current(v + h) - self.current(v - h)) / (2 * h)

    # ------------------------------------------------------------------ Jacobian
    def jacobian_expressions(self) -> list[list[Expr]]:
        """∂f_i/∂x_j as expression trees, in :attr:`states` order (the current is constant,
        so it drops out)."""
        if self._jac is None:
            self._jac = [[diff(self.rhs[a], b) for b in self.states] for a in self.states]
        return self._jac

    def _functions(self) -> tuple[list, list[list]]:
        """The right-hand side and the Jacobian compiled to NumPy closures (once)."""
        if self._compiled is None:
            rhs = [compile_numpy(self.rhs[k]) for k in self.states]
            jac = [[compile_numpy(e) for e in row] for row in self.jacobian_expressions()]
            self._compiled = (rhs, jac)
        return self._compiled

    def jacobian(self, states: Mapping[str, Any]) -> np.ndarray:
        """The exact Jacobian at ``states``: shape (..., n, n) for broadcast state arrays."""
        values = {**self.ev.env, **states, "t": np.asarray(0.0)}
        with np.errstate(all="ignore"):
            rows = [[fn(values) for fn in row] for row in self._functions()[1]]
        shape = np.broadcast_shapes(*(x.shape for row in rows for x in row))
        out = np.empty((*shape, len(rows), len(rows)))
        for i, row in enumerate(rows):
            for j, x in enumerate(row):
                out[..., i, j] = x
        return out

    def vector_field(self, states: Mapping[str, Any], current) -> np.ndarray:
        """The right-hand side at ``states`` under the constant ``current`` (µA/cm²), stacked
        in :attr:`states` order along the last axis."""
        values = {**self.ev.env, **states, "t": np.asarray(0.0)}
        with np.errstate(all="ignore"):
            parts = [fn(values) for fn in self._functions()[0]]
        parts[0] = parts[0] + np.asarray(current, dtype=float) / self.capacitance
        shape = np.broadcast_shapes(*(p.shape for p in parts))
        return np.stack([np.broadcast_to(p, shape) for p in parts], axis=-1)

    def as_vector(self, states: Mapping[str, Any]) -> np.ndarray:
        """``states`` stacked in :attr:`states` order along the last axis."""
        parts = [np.asarray(states[k], dtype=float) for k in self.states]
        shape = np.broadcast_shapes(*(p.shape for p in parts))
        return np.stack([np.broadcast_to(p, shape) for p in parts], axis=-1)

    def as_states(self, x: np.ndarray) -> dict[str, np.ndarray]:
        """The inverse of :meth:`as_vector` (plus any fixed concentrations)."""
        out = {k: x[..., i] for i, k in enumerate(self.states)}
        for k, c in self.ev.concentrations().items():
            out.setdefault(k, c)
        return out
