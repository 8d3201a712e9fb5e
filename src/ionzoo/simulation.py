"""``simulate()``: validate → lower → solve → :class:`~ionzoo.Result`.

The solver is an object (:mod:`ionzoo.solvers`): :class:`~ionzoo.CrankNicolson` (default, 2nd
order, NEURON's ``secondorder = 2``), :class:`~ionzoo.BackwardEuler` (1st order, NEURON's
default) or :class:`~ionzoo.Adaptive` (SciPy reference). ``method=`` and ``dt=`` are shorthands
that build one.
"""

from __future__ import annotations

import math
import time as _time
import warnings
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import xarray as xr

from ._version import __version__
from .backends.numba import kernels as numba_kernels
from .batch import Batch, build_batch
from .errors import NonFiniteWarning, ValidationError
from .ir import ModelIR
from .limits import MAX_STEPS
from .lower import is_extra, lower, recordable
from .model.neuron import Neuron
from .model.params import number
from .model.stimulus import Stimulus, Waveform, as_stimulus
from .progress import make_reporter
from .result import Result
from .solvers import Adaptive, FixedStep, Solver, solver_from

__all__ = ["simulate"]

_DTYPES = {"float64": np.float64, "float32": np.float32}
#: Default cap on stored spike times: at most this many float entries in total.
_SPIKE_BUDGET = 2**25


def _positive(field: str, value: Any) -> float:
    out = number(field, value)
    if out <= 0:
        raise ValidationError(field, f"must be a finite number > 0, got {out!r}")
    return out


def _steps(t_stop: float, dt: float) -> int:
    if dt > t_stop:
        raise ValidationError("dt", f"must not exceed t_stop ({dt!r} > {t_stop!r} ms)")
    if t_stop / dt > MAX_STEPS:
        raise ValidationError("dt", f"t_stop / dt = {t_stop / dt:.3g} steps, more than the "
                              f"limit of {MAX_STEPS:.0e}")
    n_steps = int(round(t_stop / dt))
    if abs(n_steps * dt - t_stop) > 1e-9 * max(1.0, t_stop):
        raise ValidationError("t_stop", f"must be a multiple of dt ({t_stop!r} / {dt!r} is "
                              "not an integer)")
    return n_steps


def _record(neuron: Neuron, record: Sequence[str] | str | None) -> tuple[str, ...]:
    if isinstance(record, str):
        if record == "all":
            return tuple(k for k in recordable(neuron) if not is_extra(k))
        return (record,)
    return tuple(record or ())


def _integer(field: str, value: Any, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        raise ValidationError(field, f"must be an integer >= {minimum}, got {value!r}")
    return int(value)


def simulate(
    neuron: Neuron,
    stimulus: Stimulus | float | None = None,
    *,
    t_stop: float,
    solver: Solver | None = None,
    dt: float | None = None,
    method: str | None = None,
    record: Sequence[str] | str | None = ("v",),
    record_every: int = 1,
    threshold: float = 0.0,
    max_spikes: int | None = None,
    dtype: str = "float64",
    progress: bool | Callable[[float], None] | None = None,
    rtol: float | None = None,
    atol: float | None = None,
    stabilize: bool | None = None,
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
        Duration, ms (a multiple of the solver's ``dt``).
    solver:
        :class:`~ionzoo.CrankNicolson` (default), :class:`~ionzoo.BackwardEuler` or
        :class:`~ionzoo.Adaptive`; see :mod:`ionzoo.solvers`.
    dt, method, rtol, atol, stabilize:
        Shorthands instead of ``solver``: ``method`` ``"crank_nicolson"``,
        ``"backward_euler"`` or ``"adaptive"``; ``dt`` in ms (default 0.025; the adaptive
        solver records every ``dt``); tolerances of the adaptive solver; ``stabilize`` of the
        fixed-step ones.
    record:
        Quantities to record: ``"v"``, gates (``"Na.m"``), their ``"Na.m_inf"`` and
        ``"Na.m_tau"``, conductances (``"Na.g"``, mS/cm²), currents (``"Na.i"``, ``"i_ion"``,
        ``"i_stim"``, µA/cm²), ``"ca.cai"``; ``"all"`` for v, gates, conductances, currents and
        concentrations; ``None`` records nothing (spikes only, memory proportional to the batch).
    record_every:
        Keep one sample every this many steps.
    threshold:
        Spike threshold, mV (upward crossing).
    max_spikes:
        Spike times stored per neuron (``spike_count`` is always exact). Default: enough for
        500 Hz, capped so that the whole batch stores at most 2**25 times.
    dtype:
        ``"float64"`` (default) or ``"float32"`` (opt-in, fixed-step solvers only): about twice
        the batch throughput, spike times within ~1e-3 ms of float64 over a second of HH firing
        (see docs/methods.md). Spike times are always stored in float64.
    progress:
        ``None`` (default): a progress bar on an interactive terminal (stderr) when the run is
        expected to take more than ~2 s; ``False``: never; ``True``: always (on stderr); or a
        callable receiving the completed fraction (0–1) after each chunk of work.
    """
    if not isinstance(neuron, Neuron):
        raise ValidationError("neuron", f"expected an ionzoo.Neuron, got {type(neuron).__name__}")
    components = _with_area(as_stimulus(stimulus), neuron)
    solver = solver_from(solver, method, dt, rtol, atol, stabilize)
    t_stop = _positive("t_stop", t_stop)
    n_steps = _steps(t_stop, solver.dt)
    if dtype not in _DTYPES:
        raise ValidationError("dtype", f"unsupported dtype {dtype!r} (choose from "
                              f"{tuple(_DTYPES)})")
    if dtype != "float64" and isinstance(solver, Adaptive):
        raise ValidationError("dtype", "the adaptive reference runs in float64 only")
    record_every = _integer("record_every", record_every, 1)
    if record_every > max(n_steps, 1):
        raise ValidationError("record_every", f"must be <= the number of steps ({n_steps})")
    threshold = number("threshold", threshold)
    ir = lower(neuron, components, _record(neuron, record))
    if (ir.events or ir.noises) and isinstance(solver, Adaptive):
        raise ValidationError("solver", "synaptic events and noise need a fixed-step solver "
                              "(backward_euler or crank_nicolson)")
    batch = build_batch(neuron, components, ir, np.dtype(_DTYPES[dtype]))
    if max_spikes is None:
        max_spikes = min(int(math.ceil(t_stop * 0.5)) + 2, max(1, _SPIKE_BUDGET // batch.n))
    max_spikes = _integer("max_spikes", max_spikes, 0)
    if max_spikes * batch.n > 50 * _SPIKE_BUDGET:
        raise ValidationError("max_spikes", f"{max_spikes} spike times for each of {batch.n} "
                              f"neurons is more than {50 * _SPIKE_BUDGET:.0e} in all")
    start = _start_at_rest(neuron, ir, components, batch) if neuron.start == "rest" else {}
    arrays, wall = _solve(ir, solver, components, batch, neuron.name, n_steps, t_stop,
                          record_every, threshold, max_spikes, _DTYPES[dtype], progress, start)
    bad = arrays[3]
    diverged = int(np.count_nonzero(bad[:, 0] >= 0))
    if diverged:
        i = int(np.argmax(bad[:, 0] >= 0))
        warnings.warn(f"{diverged} of {batch.n} neurons became non-finite and were stopped "
                      f"(first: neuron {i} at t = {bad[i, 0]:.6g} ms, state "
                      f"{ir.states[int(bad[i, 1])].name}); see Result.dataset.diverged_at",
                      NonFiniteWarning, stacklevel=2)
    attrs = dict(method=solver.name, dt=solver.dt, t_stop=t_stop, threshold=threshold,
                 record_every=record_every, max_spikes=max_spikes, dtype=dtype,
                 model=neuron.name, ionzoo_version=__version__, wall_time_s=wall,
                 spikes_truncated=int(np.any(arrays[1] > max_spikes)), diverged=diverged,
                 **({"rtol": solver.rtol, "atol": solver.atol, "solver": solver.method}
                    if isinstance(solver, Adaptive) else {}))
    rec, counts, times, _ = arrays
    return Result(build=lambda: _make_result(neuron, components, ir, batch, rec, counts, times,
                                             bad, attrs, solver.dt),
                  injected=lambda ds: _injected(ir, batch, components, ds))


def _with_area(components: tuple[Stimulus, ...], neuron: Neuron) -> tuple[Stimulus, ...]:
    """Series-resistance clamps take the neuron's area (µm²) unless they were given one."""
    from dataclasses import replace

    from .model.seclamp import SeriesClamp

    out = []
    for c in components:
        if isinstance(c, SeriesClamp) and c.area is None:
            if neuron.area is None:
                raise ValidationError("stimulus.seclamp.area", "a series-resistance clamp "
                                      "needs the cell's area: give the neuron area= (µm²) or "
                                      "the clamp area=")
            c = replace(c, area=neuron.area)
        out.append(c)
    return tuple(out)


def _start_at_rest(neuron: Neuron, ir: ModelIR, components: tuple[Stimulus, ...],
                   batch: Batch) -> dict[int, np.ndarray]:
    """Set every neuron's ``v_init`` (and a pool's initial concentration) in ``batch.P`` to its
    equilibrium under the stimulus at t = 0 (:mod:`ionzoo.initial`); returns the state rows to
    overwrite after the initial-state kernel (a lagged pool's own state), by row."""
    from .initial import rest_state

    tables = {t: _wave(components[int(t[4:])]) for t in ir.tables}
    v, conc = rest_state(neuron, ir, batch.P, tables)
    rows = {p.id: k for k, p in enumerate(ir.params)}
    batch.P[rows["v_init"]] = v
    given = {k for k, _ in neuron.initial}
    out: dict[int, np.ndarray] = {}
    if conc is not None:
        batch.P[rows["ca.cai0"]] = conc
        for k, st in enumerate(ir.states):
            if st.name.startswith("ca.") and st.name not in given:
                out[k] = conc
    return out


def _solve(ir: ModelIR, solver: Solver, components: tuple[Stimulus, ...], batch: Batch,
           label: str, n_steps: int, t_stop: float, record_every: int, threshold: float,
           max_spikes: int, dtype, progress, start: dict[int, np.ndarray]):
    """Allocate the run's arrays, integrate, return (REC, spike counts, spike times), wall.
    ``start`` overwrites rows of the initial state (values by neuron)."""
    stabilize = solver.stabilize if isinstance(solver, FixedStep) else True
    kernels = numba_kernels(ir, np.dtype(dtype).name, stabilize)
    n = batch.n
    waves = [np.ascontiguousarray(_wave(components[int(t[4:])]), dtype=dtype) for t in ir.tables]
    S = np.empty((len(ir.states), n), dtype=dtype)
    kernels.init(batch.P, S)
    for row, values in start.items():
        S[row] = values
    n_samples = n_steps // record_every + 1
    REC = np.full((len(ir.record), n_samples if ir.record else 1, n if ir.record else 1),
                  np.nan, dtype=dtype)
    spk_count = np.zeros(n, dtype=np.int64)
    spk_times = np.full((n, max_spikes), np.nan, dtype=np.float64)
    bad = np.full((n, 2), -1.0)  # time (ms) and state row where a neuron became non-finite
    start_bad = ~np.isfinite(S)
    for i in np.flatnonzero(start_bad.any(axis=0)):  # its initial state already
        bad[i] = (0.0, float(np.argmax(start_bad[:, i])))
    report = make_reporter(progress, f"{label} {solver.name}")
    t0 = _time.perf_counter()
    if isinstance(solver, Adaptive):
        from .solvers.adaptive import run_adaptive

        run_adaptive(kernels, solver, ir, components, batch.P, S, t_stop, record_every,
                     threshold, REC, spk_count, spk_times, bad, waves, report)
    else:
        from .solvers.fixed import run_fixed

        assert isinstance(solver, FixedStep)
        from .synaptic_input import event_arrays

        events = event_arrays(ir, components, batch, t_stop) if ir.events else []
        run_fixed(kernels, solver, batch.P, S, n_steps, threshold, record_every, REC,
                  spk_count, spk_times, bad, waves, report, events)
    wall = _time.perf_counter() - t0
    if report is not None:
        report.close()
    return (REC, spk_count, spk_times, bad), wall


def _wave(component: Stimulus) -> np.ndarray:
    assert isinstance(component, Waveform)
    return component.values


def _injected(ir: ModelIR, batch: Batch, components: tuple[Stimulus, ...],
              ds: xr.Dataset) -> xr.DataArray:
    """The stimulus expression of the IR (the injected current, µA/cm²) at the dataset's
    times for every neuron of the batch, as a (batch…, time) DataArray."""
    t = ds["time"].values
    env: dict[str, Any] = {rid: batch.P[k][None, :] for k, rid in enumerate(ir.rows)}
    env["t"] = t[:, None]
    for table in ir.tables:
        comp = components[int(table[4:])]
        assert isinstance(comp, Waveform)
        env[table] = comp.values
    values = np.broadcast_to(np.asarray(ir.stimulus.evaluate(env), dtype=float),
                             (t.size, batch.n))
    arr = np.moveaxis(values.reshape((t.size, *batch.sizes)), 0, -1)
    dims = (*batch.dims, "time")
    return xr.DataArray(arr, dims=dims, coords={d: ds[d] for d in dims if d in ds.coords},
                        attrs={"units": "uA/cm2", "long_name": "injected current"})


def _make_result(neuron: Neuron, components: tuple[Stimulus, ...], ir: ModelIR, batch: Batch,
                 REC: np.ndarray, spk_count: np.ndarray, spk_times: np.ndarray,
                 bad: np.ndarray, attrs: dict, dt: float) -> xr.Dataset:
    dims, sizes = batch.dims, batch.sizes
    coords: dict[str, Any] = {d: (d, np.asarray(batch.coords[d])) for d in dims
                              if d in batch.coords}
    data: dict[str, Any] = {
        "spike_count": (dims, spk_count.reshape(sizes), {"units": "1",
                        "long_name": "number of upward threshold crossings"}),
        "spike_times": ((*dims, "spike"), spk_times.reshape((*sizes, spk_times.shape[1])),
                        {"units": "ms", "long_name": "spike times (NaN-padded)"}),
    }
    if attrs.get("diverged"):
        names = np.array([""] + [s.name for s in ir.states], dtype=object)
        rows = np.where(bad[:, 0] >= 0, bad[:, 1].astype(int) + 1, 0)
        data["diverged_at"] = (dims, np.where(bad[:, 0] >= 0, bad[:, 0], np.nan).reshape(sizes),
                               {"units": "ms", "long_name": "time a state became non-finite "
                                "(NaN: never); the neuron's values are NaN from then on"})
        data["diverged_state"] = (dims, names[rows].astype(str).reshape(sizes),
                                  {"long_name": "the first state that became non-finite"})
    if ir.record:
        n_samples = REC.shape[1]
        coords["time"] = ("time", np.arange(n_samples) * attrs["record_every"] * dt,
                          {"units": "ms"})
        ions = {c.name: c.ion or "none" for c in neuron.channels}
        for q, obs in enumerate(ir.recorded):
            arr = np.moveaxis(REC[q].reshape((n_samples, *sizes)), 0, -1)
            meta = {"units": obs.unit}
            owner, _, what = obs.name.rpartition(".")
            if owner in ions and what in ("g", "i"):
                meta["ion"] = ions[owner]  # the figures colour a channel by its ion
            data[obs.name] = ((*dims, "time"), arr, meta)
    ds = xr.Dataset(data, coords=coords, attrs=attrs)
    paths = set(neuron.parameter_paths())
    for d in dims:
        if d in ds.coords:
            ds[d].attrs["units"] = neuron.unit(d) if d in paths else ""
    ds.attrs["stimulus"] = repr([c.to_dict() for c in components if
                                 not isinstance(c, Waveform)])[:4000]
    return ds
