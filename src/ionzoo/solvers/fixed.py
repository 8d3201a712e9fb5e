"""Driving the fixed-step kernels: chunks of steps between progress reports."""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType

import numpy as np

from . import FixedStep

__all__ = ["run_fixed", "CHUNK", "SCALAR_BELOW"]

#: Neuron-steps per kernel call (between progress reports): ~0.1 s of work.
CHUNK = 2e7
#: Batches smaller than this run the scalar kernel (state in registers, one neuron at a time).
SCALAR_BELOW = 8


def run_fixed(kernels: ModuleType, solver: FixedStep, P: np.ndarray, S: np.ndarray,
              n_steps: int, threshold: float, record_every: int, REC: np.ndarray,
              spk_count: np.ndarray, spk_times: np.ndarray, waves: list[np.ndarray],
              report: Callable[[float], None] | None) -> None:
    """Advance the states ``S`` (rows × neurons) ``n_steps`` steps in place, counting spikes and
    recording every ``record_every`` steps into ``REC`` (sample 0 is the initial state)."""
    T = S.dtype.type
    dt = solver.dt
    if REC.shape[0]:
        kernels.observe(0.0, P, S, REC, 0, *waves)
    dtk, cj, kfac, thr = T(dt), T(solver.cj), T(solver.kfac), T(threshold)
    n = S.shape[1]
    chunk = max(1, int(CHUNK // max(n, 1)))
    kernel = kernels.run_scalar if n < SCALAR_BELOW else kernels.run
    done = 0
    while done < n_steps:
        todo = min(chunk, n_steps - done)
        kernel(todo, done, dt, dtk, cj, kfac, thr, P, S, spk_count, spk_times, record_every,
               REC, *waves)
        done += todo
        if report is not None:
            report(done / n_steps)
