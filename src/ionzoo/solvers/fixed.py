"""Driving the fixed-step kernels: chunks of steps between progress reports, ranges of neuron
blocks on threads (the compiled kernels release the GIL)."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from types import ModuleType
from typing import Any

import numba
import numpy as np

from ..backends.numba.emit_run import BLOCK
from . import FixedStep

__all__ = ["run_fixed", "CHUNK", "SCALAR_BELOW"]

#: Neuron-steps per kernel call (between progress reports): ~0.1 s of work.
CHUNK = 2e7
#: Batches smaller than this run the scalar kernel (state in registers, one neuron at a time).
SCALAR_BELOW = 8


def run_fixed(kernels: ModuleType, solver: FixedStep, P: np.ndarray, S: np.ndarray,
              n_steps: int, threshold: float, record_every: int, REC: np.ndarray,
              spk_count: np.ndarray, spk_times: np.ndarray, bad: np.ndarray,
              waves: list[np.ndarray], report: Callable[[float], None] | None,
              events: list[np.ndarray] | None = None) -> None:
    """Advance the states ``S`` (rows × neurons) ``n_steps`` steps in place, counting spikes,
    recording every ``record_every`` steps into ``REC`` (sample 0 is the initial state) and
    marking in ``bad`` (neurons × 2, −1 where fine) the time (ms, end of the step) and the
    state row at which a neuron's state first became non-finite. ``events``: each synapse's
    event times (neurons × events, +inf padded) and next-event indices, in turn."""
    tail = [*waves, *(events or [])]
    T = S.dtype.type
    dt = solver.dt
    if REC.shape[0]:
        kernels.observe(0.0, P, S, REC, 0, *waves)
    args: tuple[Any, ...] = (dt, T(dt), T(solver.cj), T(solver.kfac), T(threshold), P, S,
                             spk_count, spk_times, record_every, REC)
    n = S.shape[1]
    chunk = max(1, int(CHUNK // max(n, 1)))
    spans = _spans(n)
    run: Any = kernels.run
    pool = ThreadPoolExecutor(len(spans)) if len(spans) > 1 else None
    try:
        done = 0
        while done < n_steps:
            todo = min(chunk, n_steps - done)
            if n < SCALAR_BELOW:
                kernels.run_scalar(todo, done, *args, bad, *tail)
            elif pool is None:
                run(todo, done, *args, *spans[0], bad, *tail)
            else:
                calls: list[tuple[Any, ...]] = [(todo, done, *args, *span, bad, *tail)
                                                for span in spans]
                jobs = [pool.submit(run, *call) for call in calls]
                for job in jobs:
                    job.result()
            done += todo
            if report is not None:
                report(done / n_steps)
    finally:
        if pool is not None:
            pool.shutdown()


def _spans(n: int) -> list[tuple[int, int]]:
    """Contiguous ranges of neuron blocks, one per thread (``numba.get_num_threads()``)."""
    blocks = (n + BLOCK - 1) // BLOCK
    threads = max(1, min(numba.get_num_threads(), blocks))
    edges = np.linspace(0, blocks, threads + 1).round().astype(int)
    return [(int(a), int(b)) for a, b in zip(edges[:-1], edges[1:]) if b > a]
