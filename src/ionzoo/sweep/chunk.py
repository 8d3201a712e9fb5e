"""One chunk of a sweep: one batched :func:`ionzoo.simulate` of its models plus the reductions
the spec asks for — the work a Dask task does. Pure: the same spec and model range give the
same bits on any worker, whatever the chunk size (each neuron of a batch is computed alone;
see ``tests/test_sweep.py``)."""

from __future__ import annotations

import math
import time
import warnings
from typing import Any

import numpy as np
import xarray as xr

from ..analysis.activity import FEATURE_NAMES, ActivityRules, activity_of_trains
from ..errors import NonFiniteWarning
from ..model.neuron import Neuron
from .design import design_rows
from .spec import SweepSpec

__all__ = ["run_chunk", "output_arrays", "V_STATS", "V_SAMPLES"]

#: Voltage statistics over the analysis window (mV), from v sampled every few steps (at most
#: :data:`V_SAMPLES` per run): ``v_mean`` is a silent cell's resting potential; ``v_min`` and
#: ``v_max`` its range (of a spiking cell they miss the peaks between samples).
V_STATS = ("v_mean", "v_min", "v_max")
#: At most this many voltage samples per model over a run (for ``v_stats``).
V_SAMPLES = 4000


def output_arrays(spec: SweepSpec) -> dict[str, tuple[str, Any]]:
    """The per-model result arrays of a spec: name → (dtype, fill value)."""
    out: dict[str, tuple[str, Any]] = {"diverged": ("int8", -1)}
    if "class" in spec.compute:
        out["class_code"] = ("int8", -1)
    if "spike_count" in spec.compute:
        out["spike_count"] = ("int64", -1)
    if "features" in spec.compute:
        out.update({name: ("float64", math.nan) for name in FEATURE_NAMES})
    if "v_stats" in spec.compute:
        out.update({name: ("float64", math.nan) for name in V_STATS})
    return out


def _stimulus(spec: SweepSpec):
    from ..stimulus import step

    s = spec.stimulus
    if s.kind == "none":
        return None
    if s.kind == "constant":
        return step(s.amplitude)
    return step(s.amplitude, s.start, s.stop)


def run_chunk(spec: SweepSpec, start: int, stop: int, threads: int | None = None,
              neuron: Neuron | None = None) -> dict[str, Any]:
    """Simulate models ``start … stop − 1`` of ``spec``; returns the arrays of
    :func:`output_arrays` (one value per model) and ``seconds`` (the wall time).
    ``neuron``: the spec's neuron, built by the caller (so that a remote worker needs no
    model file); default ``spec.neuron()``."""
    from ..simulation import simulate

    if threads is not None:
        import numba

        config: Any = numba.config
        numba.set_num_threads(max(1, min(threads, int(config.NUMBA_NUM_THREADS))))
    t0 = time.perf_counter()
    names = spec.design_parameters()
    rows = design_rows(spec, start, stop)
    base = spec.neuron() if neuron is None else neuron
    cell = base.with_params({p: xr.DataArray(rows[:, j], dims="model")
                             for j, p in enumerate(names)})
    n_steps = int(round(spec.t_stop / spec.dt))
    want_v = "v_stats" in spec.compute
    every = max(1, n_steps // V_SAMPLES)
    a = spec.analysis
    max_spikes = int(math.ceil(spec.t_stop * a.max_rate / 1000.0)) + 2
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NonFiniteWarning)       # kept as the "diverged" flag
        res = simulate(cell, _stimulus(spec), t_stop=spec.t_stop, dt=spec.dt,
                       method=spec.method, dtype=spec.dtype,
                       record=("v",) if want_v else None, record_every=every,
                       threshold=a.threshold, max_spikes=max_spikes, progress=False)
    ds = res.dataset
    counts = ds["spike_count"].values.reshape(-1)
    out: dict[str, Any] = {"diverged": np.isfinite(ds["diverged_at"].values.reshape(-1)).astype(
        np.int8) if "diverged_at" in ds else np.zeros(counts.size, np.int8)}
    if "spike_count" in spec.compute:
        out["spike_count"] = counts.astype(np.int64)
    if "class" in spec.compute or "features" in spec.compute:
        rules = ActivityRules(tolerance=a.tolerance, burst_ratio=a.burst_ratio,
                              min_cycles=a.min_cycles, max_period_spikes=a.max_period_spikes)
        times = ds["spike_times"].values.reshape(counts.size, -1)
        cls, feats = activity_of_trains(times, counts, a.start, spec.t_stop, rules)
        # a neuron that fired more than max_spikes: its window is incomplete — class unknown
        lost = counts > times.shape[1]
        cls[lost] = -1
        feats[lost] = np.nan
        if "class" in spec.compute:
            out["class_code"] = cls.astype(np.int8)
        if "features" in spec.compute:
            out.update({name: feats[:, i] for i, name in enumerate(FEATURE_NAMES)})
    if want_v:
        v = ds["v"].values.reshape(counts.size, -1).astype(np.float64)
        t = np.arange(v.shape[1]) * every * spec.dt
        win = v[:, t >= a.start]
        out.update(v_mean=win.mean(axis=1), v_min=win.min(axis=1), v_max=win.max(axis=1))
    out["seconds"] = time.perf_counter() - t0
    return out
