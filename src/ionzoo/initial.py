"""Starting a batch at rest: ``Neuron.with_initial(v="rest")``.

Each neuron of the batch starts at an equilibrium under the stimulus' value at t = 0 (µA/cm²):
v is a root of the steady-state I–V curve I*(V) = I_stim(0) (every gate at x∞(V), a calcium
pool at the concentration that balances its drive; :class:`ionzoo.dynamics.branch.
EquilibriumBranch`), found on a 0.05-mV grid over :data:`V_RANGE` and refined by bisection to
1e-12 mV. Where there are several, the neuron starts at the **stable** equilibrium nearest its
``v_init`` (so ``v_init`` chooses between the states of a bistable cell); where none is stable,
at the nearest one. States given explicitly (:meth:`~ionzoo.Neuron.with_initial`) keep their
values; the others start at their steady state at the equilibrium's v.

The work is done once per distinct neuron of the batch (its parameter values and I_stim(0)),
vectorised over chunks of :data:`CHUNK` of them.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from .errors import ValidationError
from .ir import ModelIR
from .limits import MAX_REST_NEURONS
from .model.neuron import Neuron

__all__ = ["rest_state", "rest_point", "V_RANGE", "CHUNK"]

#: Voltages (mV) searched for the equilibrium.
V_RANGE = (-130.0, 80.0)
_GRID = np.linspace(V_RANGE[0], V_RANGE[1], 4201)  # 0.05 mV
#: Distinct neurons solved together.
CHUNK = 64
_BISECTIONS = 60  # halves a 0.05-mV bracket to below 1e-19 mV


def rest_point(neuron: Neuron, current: float = 0.0) -> tuple[float, float | None]:
    """The equilibrium of one neuron (its scalar parameter values) under a constant ``current``
    (µA/cm²), chosen as ``with_initial(v="rest")`` chooses it: (v in mV, the calcium pool's
    concentration in mM or None without a pool)."""
    from .lower import lower

    scalar = replace(neuron, overrides={})
    ir = lower(scalar, ())
    P = np.array([[scalar.default(p.path)] for p in ir.params], dtype=float)
    v, conc = rest_state(scalar, ir, P, {}, extra_current=current)
    return float(v[0]), (None if conc is None else float(conc[0]))


def rest_state(neuron: Neuron, ir: ModelIR, P: np.ndarray, tables: dict[str, np.ndarray],
               extra_current: float = 0.0) -> tuple[np.ndarray, np.ndarray | None]:
    """For the parameter table ``P`` (rows as ``ir.rows``, one column per neuron): the
    equilibrium voltage (mV) of every neuron and, with a calcium pool, its concentration
    (mM); ``tables`` holds the waveform samples the stimulus reads; ``extra_current``
    (µA/cm²) is added to the stimulus' value at t = 0."""
    rows = {p.id: k for k, p in enumerate(ir.params)}
    env = {p.id: P[k].astype(float) for k, p in enumerate(ir.params)}
    env.update(tables)
    env["t"] = np.zeros(P.shape[1])
    for state in ir.states:  # inputs the stimulus reads (a noise current): their start values
        if state.name in ir.stimulus.names:
            env[state.name] = state.init.evaluate(env)
    i0 = np.broadcast_to(np.asarray(ir.stimulus.evaluate(env), dtype=float) + extra_current,
                         (P.shape[1],))
    own = [p.id for p in ir.params if not p.path.startswith("stim")]
    key = np.vstack([P[[rows[k] for k in own]].astype(float), i0[None, :]])
    unique, inverse = np.unique(key, axis=1, return_inverse=True)
    if unique.shape[1] > MAX_REST_NEURONS:
        raise ValidationError("initial.v", f"'rest' for {unique.shape[1]} distinct neurons, "
                              f"more than the limit of {MAX_REST_NEURONS}")
    scalar = replace(neuron, overrides={})
    v_out = np.empty(unique.shape[1])
    c_out = np.empty(unique.shape[1])
    for a in range(0, unique.shape[1], CHUNK):
        cols = unique[:, a:a + CHUNK]
        params = {k: cols[j][:, None] for j, k in enumerate(own)}
        v_out[a:a + CHUNK], c_out[a:a + CHUNK] = _solve_chunk(scalar, params, cols[-1],
                                                              a, inverse)
    inverse = np.ravel(inverse)
    has_pool = bool(ir.pools)
    return v_out[inverse], (c_out[inverse] if has_pool else None)


def _solve_chunk(neuron: Neuron, params: dict[str, np.ndarray], current: np.ndarray,
                 offset: int, inverse: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Equilibrium v (mV) and pool concentration (mM; NaN without a pool) of a chunk."""
    from .dynamics.branch import EquilibriumBranch

    branch = EquilibriumBranch(neuron, params=params)
    n = current.size
    grid = np.broadcast_to(_GRID, (n, _GRID.size))
    f = branch.current(grid) - current[:, None]
    change = (np.sign(f[:, :-1]) * np.sign(f[:, 1:]) <= 0) & np.isfinite(f[:, :-1]) \
        & np.isfinite(f[:, 1:])
    width = max(int(change.sum(axis=1).max(initial=0)), 1)
    lo = np.full((n, width), np.nan)
    for r in range(n):
        k = np.flatnonzero(change[r])
        lo[r, : k.size] = _GRID[k]
    empty = np.isnan(lo[:, 0])
    if empty.any():
        r = int(np.argmax(empty))
        first = int(np.flatnonzero(np.ravel(inverse) == offset + r)[0])
        raise ValidationError("initial.v", f"'rest': neuron {first} of the batch has no "
                              f"equilibrium between {V_RANGE[0]:g} and {V_RANGE[1]:g} mV under "
                              f"{current[r]:g} µA/cm²")
    v = _bisect(branch, np.where(np.isnan(lo), _GRID[0], lo), current)
    v = np.where(np.isnan(lo), np.nan, v)
    pick = _choose(branch, v, params["v_init"][:, 0])
    vr = v[np.arange(n), pick]
    if not branch.pools:
        return vr, np.full(n, np.nan)
    conc = np.asarray(branch.state(vr[:, None])[branch.pools[0]], dtype=float)
    return vr, np.broadcast_to(conc, (n, 1))[:, 0]


def _bisect(branch, lo: np.ndarray, current: np.ndarray) -> np.ndarray:
    """Roots of I*(V) − I in [lo, lo + grid step] (vectorised bisection)."""
    a, b = lo.copy(), lo + (_GRID[1] - _GRID[0])
    fa = branch.current(a) - current[:, None]
    for _ in range(_BISECTIONS):
        m = 0.5 * (a + b)
        fm = branch.current(m) - current[:, None]
        left = np.sign(fm) * np.sign(fa) <= 0
        b, a = np.where(left, m, b), np.where(left, a, m)
        fa = np.where(left, fa, fm)
    return 0.5 * (a + b)


def _choose(branch, v: np.ndarray, v_init: np.ndarray) -> np.ndarray:
    """Per row, the index of the stable root nearest ``v_init`` (else the nearest root)."""
    ok = np.isfinite(v)
    jac = branch.jacobian(branch.state(np.where(ok, v, -65.0)))
    with np.errstate(all="ignore"):
        stable = np.all(np.linalg.eigvals(jac).real < 0, axis=-1) & ok
    distance = np.where(ok, np.abs(v - v_init[:, None]), np.inf)
    best_stable = np.argmin(np.where(stable, distance, np.inf), axis=1)
    return np.where(stable.any(axis=1), best_stable, np.argmin(distance, axis=1))
