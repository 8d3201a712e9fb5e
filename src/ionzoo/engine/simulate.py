"""``simulate()``: run a neuron (or a batch of neurons) under a stimulus.

Methods
-------
``"crank_nicolson"`` (default)
    NEURON's fixed-step scheme with ``secondorder = 2``: gates staggered half a step from v and
    advanced exactly (exponential update, rates at the new v), v advanced by the linearised
    implicit midpoint rule. Second order in dt.
``"backward_euler"``
    NEURON's default (``secondorder = 0``): the same staggered exponential gate update with a
    linearised backward-Euler v update. First order in dt.
``"adaptive"``
    A reference solution: SciPy ``solve_ivp`` (LSODA by default) on the same equations, one
    neuron at a time, integrating piecewise between stimulus discontinuities, spikes located
    by root finding. Slow; for validation and convergence studies.

In the fixed-step methods the stimulus is evaluated at t + dt/2 and a spike is an upward
crossing of ``threshold`` between two steps, its time interpolated linearly.
"""

from __future__ import annotations

import math
import time as _time
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import xarray as xr

from .. import __version__
from ..errors import ValidationError
from ..neuron import Neuron
from ..progress import make_reporter
from ..stimulus import Stimulus, Waveform, as_stimulus
from .batch import Batch, build_batch
from .cache import load_module
from .codegen import generate, recordable
from .result import Result

__all__ = ["simulate", "METHODS"]

METHODS = ("crank_nicolson", "backward_euler", "adaptive")
_DTYPES = {"float64": np.float64, "float32": np.float32}
#: Default cap on stored spike times: at most this many float entries in total.
_SPIKE_BUDGET = 2**25
#: Neuron-steps per kernel call (between progress reports / checkpoints): ~0.1 s of work.
_CHUNK = 2e7
#: Batches smaller than this run the scalar kernel (state in registers, one neuron per thread).
_SCALAR_BELOW = 8


def _positive(field: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise ValidationError(field, f"expected a number, got {type(value).__name__}")
    value = float(value)
    if not math.isfinite(value) or value <= 0:
        raise ValidationError(field, f"must be a finite number > 0, got {value!r}")
    return value


def simulate(
    neuron: Neuron,
    stimulus: Stimulus | float | None = None,
    *,
    t_stop: float,
    dt: float = 0.025,
    method: str = "crank_nicolson",
    record: Sequence[str] | str | None = ("v",),
    record_every: int = 1,
    threshold: float = 0.0,
    max_spikes: int | None = None,
    dtype: str = "float64",
    rtol: float = 1e-10,
    atol: float = 1e-10,
    solver: str = "LSODA",
    progress: bool | Callable[[float], None] | None = None,
    stabilize: bool = True,
) -> Result:
    """Simulate ``neuron`` under ``stimulus`` from t = 0 to ``t_stop``.

    Parameters
    ----------
    neuron:
        A :class:`~ionzoo.Neuron`; array-valued parameters make a batch.
    stimulus:
        A :mod:`~ionzoo.stimulus` object (µA/cm²), a number (a constant current from t = 0), or
        ``None`` (no current). Array-valued stimulus fields add batch dimensions.
    t_stop:
        Duration, ms (a multiple of ``dt``).
    dt:
        Time step, ms (fixed-step methods; the adaptive method records every ``dt``).
    method:
        ``"crank_nicolson"`` (default, 2nd order), ``"backward_euler"`` (1st order) or
        ``"adaptive"`` (SciPy reference); see the module docstring.
    record:
        Quantities to record: ``"v"``, gates (``"Na.m"``), conductances (``"Na.g"``, mS/cm²),
        currents (``"Na.i"``, ``"i_ion"``, µA/cm²); ``"all"`` for all of them; ``None`` records
        nothing (spikes only, memory proportional to the batch size).
    record_every:
        Keep one sample every this many steps.
    threshold:
        Spike threshold, mV (upward crossing).
    max_spikes:
        Spike times stored per neuron (``spike_count`` is always exact). Default: enough for
        500 Hz, capped so that the whole batch stores at most 2**25 times.
    dtype:
        ``"float64"`` (default) or ``"float32"`` (opt-in, fixed-step methods only): states,
        parameters and arithmetic in single precision — about twice the batch throughput, spike
        times within ~1e-3 ms of float64 over a second of HH firing (see docs/methods.md).
        Spike times are always stored in float64.
    rtol, atol, solver:
        Tolerances and SciPy method of the adaptive reference.
    stabilize:
        For channels with instantaneous gates: where their negative slope conductance would
        make the linearised voltage update diverge (steep upstrokes at large dt), use the chord
        conductance instead (default ``True``). ``False`` reproduces NEURON's scheme exactly,
        divergence included (used by the NEURON cross-checks).
    progress:
        ``None`` (default): a progress bar on an interactive terminal (stderr) when the run is
        expected to take more than ~2 s; ``False``: never; ``True``: always (on stderr); or a
        callable receiving the completed fraction (0–1) after each chunk of work.
    """
    if not isinstance(neuron, Neuron):
        raise ValidationError("neuron", f"expected an ionzoo.Neuron, got {type(neuron).__name__}")
    components = as_stimulus(stimulus)
    t_stop = _positive("t_stop", t_stop)
    dt = _positive("dt", dt)
    if dt > t_stop:
        raise ValidationError("dt", f"must not exceed t_stop ({dt!r} > {t_stop!r} ms)")
    n_steps = int(round(t_stop / dt))
    if abs(n_steps * dt - t_stop) > 1e-9 * max(1.0, t_stop):
        raise ValidationError("t_stop", f"must be a multiple of dt ({t_stop!r} / {dt!r} is "
                              "not an integer)")
    if method not in METHODS:
        raise ValidationError("method", f"unknown method {method!r} (choose from {METHODS})")
    if dtype not in _DTYPES:
        raise ValidationError("dtype", f"unsupported dtype {dtype!r} (choose from "
                              f"{tuple(_DTYPES)})")
    if dtype != "float64" and method == "adaptive":
        raise ValidationError("dtype", "the adaptive reference runs in float64 only")
    if isinstance(record, str):
        record = tuple(recordable(neuron)) if record == "all" else (record,)
    record = tuple(record or ())
    if (isinstance(record_every, bool) or not isinstance(record_every, (int, np.integer))
            or record_every < 1):
        raise ValidationError("record_every", f"must be an integer >= 1, got {record_every!r}")
    if isinstance(threshold, bool) or not math.isfinite(float(threshold)):
        raise ValidationError("threshold", f"must be a finite voltage in mV, got {threshold!r}")
    threshold = float(threshold)

    source, lay, key = generate(neuron, components, record, dtype, bool(stabilize))
    kernels = load_module(source, key)
    batch = build_batch(neuron, components, lay, np.dtype(_DTYPES[dtype]))
    n = batch.n
    if max_spikes is None:
        max_spikes = min(int(math.ceil(t_stop * 0.5)) + 2, max(1, _SPIKE_BUDGET // n))
    elif isinstance(max_spikes, bool) or not isinstance(max_spikes, (int, np.integer)) \
            or max_spikes < 0:
        raise ValidationError("max_spikes", f"must be an integer >= 0, got {max_spikes!r}")
    waves = [np.ascontiguousarray(components[k].values, dtype=_DTYPES[dtype]) for k in lay.waves]

    S = np.empty((len(lay.states), n), dtype=_DTYPES[dtype])
    kernels.init(batch.P, S)
    n_samples = n_steps // record_every + 1
    REC = np.full((len(lay.record), n_samples if lay.record else 1, n if lay.record else 1),
                  np.nan, dtype=_DTYPES[dtype])
    spk_count = np.zeros(n, dtype=np.int64)
    spk_times = np.full((n, max_spikes), np.nan, dtype=np.float64)

    report = make_reporter(progress, f"{neuron.name} {method}")
    t0 = _time.perf_counter()
    if method == "adaptive":
        from .adaptive import run_adaptive

        run_adaptive(kernels, batch.P, S, components, lay, waves, t_stop, dt, record_every,
                     n_samples, threshold, rtol, atol, solver, REC, spk_count, spk_times,
                     report)
    else:
        if lay.record:
            kernels.observe(batch.P, S, REC, 0)
        cj, kfac = (2.0 / dt, 2.0) if method == "crank_nicolson" else (1.0 / dt, 1.0)
        T = _DTYPES[dtype]
        dtk, cj, kfac, thr = T(dt), T(cj), T(kfac), T(threshold)
        chunk = max(1, int(_CHUNK // max(n, 1)))
        kernel = kernels.run_scalar if n < _SCALAR_BELOW else kernels.run
        done = 0
        while done < n_steps:
            todo = min(chunk, n_steps - done)
            kernel(todo, done, dt, dtk, cj, kfac, thr, batch.P, S, spk_count, spk_times,
                   record_every, REC, *waves)
            done += todo
            if report is not None:
                report(done / n_steps)
    wall = _time.perf_counter() - t0
    if report is not None:
        report.close()

    attrs = dict(
        method=method, dt=dt, t_stop=t_stop, threshold=threshold, record_every=record_every,
        max_spikes=max_spikes, dtype=dtype, model=neuron.name, ionzoo_version=__version__,
        wall_time_s=wall, spikes_truncated=int(np.any(spk_count > max_spikes)),
        **({"rtol": rtol, "atol": atol, "solver": solver} if method == "adaptive" else {}),
    )
    return Result(build=lambda: _make_result(neuron, components, lay, batch, REC, spk_count,
                                             spk_times, attrs, n_steps, dt))


def _make_result(neuron: Neuron, components: tuple[Stimulus, ...], lay, batch: Batch,
                 REC: np.ndarray, spk_count: np.ndarray, spk_times: np.ndarray,
                 attrs: dict, n_steps: int, dt: float) -> xr.Dataset:
    dims, sizes = batch.dims, batch.sizes
    units = recordable(neuron)
    coords: dict[str, Any] = {d: (d, np.asarray(batch.coords[d])) for d in dims
                              if d in batch.coords}
    data: dict[str, Any] = {
        "spike_count": (dims, spk_count.reshape(sizes), {"units": "1",
                        "long_name": "number of upward threshold crossings"}),
        "spike_times": ((*dims, "spike"), spk_times.reshape((*sizes, spk_times.shape[1])),
                        {"units": "ms", "long_name": "spike times (NaN-padded)"}),
    }
    if lay.record:
        n_samples = REC.shape[1]
        coords["time"] = ("time", np.arange(n_samples) * attrs["record_every"] * dt,
                          {"units": "ms"})
        for q, name in enumerate(lay.record):
            arr = REC[q].reshape((n_samples, *sizes))
            arr = np.moveaxis(arr, 0, -1)
            data[name] = ((*dims, "time"), arr, {"units": units[name]})
    ds = xr.Dataset(data, coords=coords, attrs=attrs)
    for d in dims:
        if d in ds.coords:
            ds[d].attrs["units"] = neuron.unit(d) if d in neuron.parameter_paths() else ""
    ds.attrs["stimulus"] = repr([c.to_dict() for c in components if
                                 not isinstance(c, Waveform)])[:4000]
    return ds
