"""Adaptive reference integration with SciPy's ``solve_ivp`` (one neuron at a time).

The right-hand side is the generated ``rhs`` kernel (exact libm functions, compiled). Each neuron
is integrated piecewise between the discontinuities of its stimulus so that the solver never
steps across a jump; spikes are located with ``solve_ivp`` events (upward zero of
v − threshold).
"""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType

import numpy as np
from scipy.integrate import solve_ivp

from ..errors import IonzooError
from ..ir import ModelIR
from ..model.stimulus import Stimulus
from . import Adaptive

__all__ = ["run_adaptive"]


def _breakpoints(components: tuple[Stimulus, ...], ir: ModelIR, p: np.ndarray,
                 t_stop: float) -> list[float]:
    rows = {pid: r for r, pid in enumerate(ir.rows)}
    cuts: set[float] = set()
    for k, comp in enumerate(components):
        vals = {f: float(p[rows[f"stim{k}.{f}"]]) for f in comp.numeric}
        for b in comp.breakpoints(vals, t_stop):
            if 0.0 < b < t_stop:
                cuts.add(float(b))
    return sorted(cuts)


class _NonFinite(Exception):
    """The right-hand side became non-finite at time ``t`` (ms) in state row ``row``."""

    def __init__(self, t: float, row: int) -> None:
        super().__init__(t, row)
        self.t, self.row = float(t), row


def run_adaptive(kernels: ModuleType, solver: Adaptive, ir: ModelIR,
                 components: tuple[Stimulus, ...], P: np.ndarray, S: np.ndarray,
                 t_stop: float, record_every: int, threshold: float, REC: np.ndarray,
                 spk_count: np.ndarray, spk_times: np.ndarray, bad: np.ndarray,
                 waves: list[np.ndarray], progress: Callable[[float], None] | None) -> None:
    """Integrate every neuron (column of ``S``) from 0 to ``t_stop`` ms in place. A neuron whose
    right-hand side becomes non-finite is stopped there: ``bad[i]`` = (time in ms, state row),
    its state NaN from then on."""
    n = S.shape[1]
    nrec = len(ir.record)
    sample_t = np.arange(REC.shape[1] if nrec else 0) * record_every * solver.dt
    out = np.empty(max(nrec, 1))
    for i in range(n):
        if bad[i, 0] >= 0:  # not finite from the start
            S[:, i] = np.nan
            continue
        p = np.ascontiguousarray(P[:, i])
        y = np.ascontiguousarray(S[:, i], dtype=float)

        def f(t, y, p=p):
            dy = np.empty_like(y)
            kernels.rhs(t, y, p, dy, *waves)
            if not np.all(np.isfinite(dy)):
                raise _NonFinite(t, int(np.flatnonzero(~np.isfinite(dy))[0]))
            return dy

        def event(t, y):
            return y[0] - threshold

        event.direction = 1.0  # type: ignore[attr-defined]
        edges = [0.0, *_breakpoints(components, ir, p, t_stop), t_stop]
        times: list[float] = []
        for a, b in zip(edges[:-1], edges[1:]):
            if b <= a:
                continue
            try:
                sol = solve_ivp(f, (a, b), y, method=solver.method, rtol=solver.rtol,
                                atol=solver.atol, events=event, dense_output=nrec > 0)
            except _NonFinite as stop:
                bad[i] = (stop.t, stop.row)
                y = np.full_like(y, np.nan)
                break
            if sol.status < 0:
                raise IonzooError(f"adaptive integration failed for neuron {i} at "
                                  f"t = {sol.t[-1]:.6g} ms: {sol.message}")
            times.extend(float(t) for t in sol.t_events[0] if t > a)
            mask = (sample_t >= a) & ((sample_t < b) | (b == t_stop))
            if nrec and mask.any():
                idx = np.nonzero(mask)[0]
                ys = sol.sol(sample_t[idx])
                for col, r in enumerate(idx):
                    kernels.observe_one(float(sample_t[r]), p,
                                        np.ascontiguousarray(ys[:, col]), out, *waves)
                    REC[:, r, i] = out[:nrec]
            y = np.ascontiguousarray(sol.y[:, -1])
        S[:, i] = y
        spk_count[i] = len(times)
        m = min(len(times), spk_times.shape[1])
        spk_times[i, :m] = times[:m]
        if progress is not None:
            progress((i + 1) / n)
