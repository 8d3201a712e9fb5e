"""Spike and oscillation detection on recorded voltage traces, for a whole batch at once.

Two detectors, because "a spike" means different things in different protocols:

``method="threshold"`` (default)
    An event is an **upward crossing** of ``threshold`` (mV, default 0), its time linearly
    interpolated between samples — what NEURON's ``APCount``/``NetCon`` and ionzoo's online
    detector (``Result.spikes``) count. Its peak is the maximum of V until the next downward
    crossing (or the end of the trace). A trace that *starts* above threshold has no crossing
    for the spike in progress: it is not counted and ``starts_above`` says so. A spike that
    never comes back below threshold (depolarisation block above threshold, or the run ended
    mid-spike) *is* counted — it crossed upwards — and ``ends_above`` flags it, its peak taken
    up to the end of the trace. Note that eFEL (``ionzoo.analysis.features``) does the opposite:
    it drops such a spike.
``method="peaks"``
    An event is a **local maximum of V with a prominence ≥ ``prominence``** (mV, default 5) —
    height above the higher of the two minima that separate it from a higher peak
    (SciPy's ``find_peaks`` definition) — whatever its absolute voltage. This counts the small
    high-current oscillations of HH that never reach 0 mV (at 140 µA/cm² the limit cycle runs
    between −51 and −35 mV), subthreshold resonances and bursts' inner spikes alike. Times are
    refined by a parabola through the three samples around each maximum.

Both skip everything from the first NaN on (``nan_from`` gives its time) and return an
``xarray.Dataset`` with the batch dimensions of the input plus ``spike``:

* ``count`` (1): events per trace;
* ``time`` (ms): crossing time (threshold) or peak time (peaks), NaN-padded;
* ``peak_time`` (ms) and ``peak_voltage`` (mV);
* ``starts_above``, ``ends_above`` (bool; threshold method), ``nan_from`` (ms, NaN if none).
"""

from __future__ import annotations

import numpy as np
import xarray as xr
from scipy.signal import find_peaks

from ..errors import ValidationError
from ..result import Result

__all__ = ["detect_spikes", "METHODS"]

METHODS = ("threshold", "peaks")


def _voltage(data) -> tuple[np.ndarray, np.ndarray, list[str], dict, tuple[int, ...]]:
    """(t, V as 2-D rows, batch dims, coords, batch shape) from a Result or a DataArray."""
    if isinstance(data, Result):
        da = data.v
    elif isinstance(data, xr.DataArray):
        da = data
    else:
        raise ValidationError("data", "expected an ionzoo Result (with 'v' recorded) or an "
                              f"xarray.DataArray with a 'time' dimension, got {type(data)!r}")
    if "time" not in da.dims:
        raise ValidationError("data", "the voltage has no 'time' dimension")
    da = da.transpose(..., "time")
    batch_dims = [d for d in da.dims if d != "time"]
    shape = tuple(da.sizes[d] for d in batch_dims)
    t = np.asarray(da["time"].values, dtype=float)
    v = np.asarray(da.values, dtype=float).reshape(-1, da.sizes["time"])
    if t.size < 3:
        raise ValidationError("data", "need at least 3 samples")
    if np.any(np.diff(t) <= 0):
        raise ValidationError("time", "sample times must increase strictly")
    coords = {d: da[d] for d in batch_dims if d in da.coords}
    return t, v, [str(d) for d in batch_dims], coords, shape


def _pad(rows: list[np.ndarray]) -> np.ndarray:
    width = max([1] + [len(r) for r in rows])
    out = np.full((len(rows), width), np.nan)
    for i, r in enumerate(rows):
        out[i, :len(r)] = r
    return out


def _threshold_events(t, v, valid_len, threshold):
    """Per row: crossing times, peak times, peak voltages; flags. Crossings are found for all
    rows at once."""
    n_rows, n_t = v.shape
    valid = np.arange(n_t)[None, :] < valid_len[:, None]
    above = (v > threshold) & valid
    below = (v <= threshold) & valid
    up = below[:, :-1] & above[:, 1:]            # crossing between samples k and k+1
    down = above[:, :-1] & below[:, 1:]
    rows_up, k_up = np.nonzero(up)
    frac = (threshold - v[rows_up, k_up]) / (v[rows_up, k_up + 1] - v[rows_up, k_up])
    t_cross = t[k_up] + frac * (t[k_up + 1] - t[k_up])
    times, ptimes, pvolts = [], [], []
    starts = np.zeros(n_rows, dtype=bool)
    ends = np.zeros(n_rows, dtype=bool)
    for r in range(n_rows):
        sel = rows_up == r
        ks = k_up[sel]
        times.append(t_cross[sel])
        m = int(valid_len[r])
        starts[r] = m > 0 and v[r, 0] > threshold
        ends[r] = m > 0 and v[r, m - 1] > threshold and len(ks) > 0
        downs = np.nonzero(down[r])[0]
        pt, pv = [], []
        for k in ks:
            j = np.searchsorted(downs, k + 1)
            stop = downs[j] + 1 if j < len(downs) else m
            seg = v[r, k + 1:stop]
            i = k + 1 + int(np.argmax(seg))
            pt.append(t[i])
            pv.append(v[r, i])
        ptimes.append(np.array(pt))
        pvolts.append(np.array(pv))
    return times, ptimes, pvolts, starts, ends


def _peak_events(t, v, valid_len, prominence):
    times, volts = [], []
    for r in range(v.shape[0]):
        m = int(valid_len[r])
        if m < 3:
            times.append(np.array([]))
            volts.append(np.array([]))
            continue
        y = v[r, :m]
        idx, _ = find_peaks(y, prominence=prominence)
        idx = idx[(idx > 0) & (idx < m - 1)]
        # parabola through (i-1, i, i+1) on a uniform or non-uniform grid
        t0, t1, t2 = t[idx - 1], t[idx], t[idx + 1]
        y0, y1, y2 = y[idx - 1], y[idx], y[idx + 1]
        d01, d12 = (y1 - y0) / (t1 - t0), (y2 - y1) / (t2 - t1)
        a = (d12 - d01) / (t2 - t0)
        with np.errstate(divide="ignore", invalid="ignore"):
            tp = np.where(a < 0, 0.5 * (t0 + t1) - d01 / (2 * a), t1)
        tp = np.clip(tp, t0, t2)
        vp = np.where(a < 0, y1 + d01 * (tp - t1) + a * (tp - t0) * (tp - t1), y1)
        times.append(tp)
        volts.append(vp)
    return times, volts


def detect_spikes(data, method: str = "threshold", threshold: float = 0.0,
                  prominence: float = 5.0, start: float | None = None,
                  stop: float | None = None) -> xr.Dataset:
    """Events in every voltage trace of ``data`` (a :class:`~ionzoo.Result` with ``"v"``
    recorded, or a DataArray with a ``time`` dimension in ms and values in mV).

    ``method``: ``"threshold"`` (upward crossings of ``threshold`` mV) or ``"peaks"`` (maxima
    with prominence ≥ ``prominence`` mV); see the module docstring for what each counts.
    ``start``/``stop`` (ms) keep events whose time lies in [start, stop).
    """
    if method not in METHODS:
        raise ValidationError("method", f"unknown detector {method!r} (known: "
                              f"{', '.join(METHODS)})")
    if not np.isfinite(threshold):
        raise ValidationError("threshold", f"must be a finite voltage (mV), got {threshold!r}")
    if not (np.isfinite(prominence) and prominence > 0):
        raise ValidationError("prominence", f"must be > 0 mV, got {prominence!r}")
    t, v, batch_dims, coords, shape = _voltage(data)
    finite = np.isfinite(v)
    valid_len = np.where(finite.all(axis=1), v.shape[1], np.argmin(finite, axis=1))
    nan_from = np.where(valid_len < v.shape[1], t[np.minimum(valid_len, len(t) - 1)], np.nan)
    if method == "threshold":
        times, ptimes, pvolts, starts, ends = _threshold_events(t, v, valid_len, threshold)
    else:
        times, pvolts = _peak_events(t, v, valid_len, prominence)
        ptimes = times
        starts = ends = None
    lo = -np.inf if start is None else float(start)
    hi = np.inf if stop is None else float(stop)
    keep = [(x >= lo) & (x < hi) for x in times]
    times = [x[k] for x, k in zip(times, keep)]
    ptimes = [x[k] for x, k in zip(ptimes, keep)]
    pvolts = [x[k] for x, k in zip(pvolts, keep)]

    def per_spike(rows, units):
        arr = _pad(rows)
        return xr.DataArray(arr.reshape(*shape, arr.shape[1]), dims=(*batch_dims, "spike"),
                            coords=coords, attrs={"units": units})

    def per_trace(values, units):
        return xr.DataArray(np.asarray(values).reshape(shape), dims=batch_dims, coords=coords,
                            attrs={"units": units})

    ds = xr.Dataset({
        "count": per_trace([len(x) for x in times], "1"),
        "time": per_spike(times, "ms"),
        "peak_time": per_spike(ptimes, "ms"),
        "peak_voltage": per_spike(pvolts, "mV"),
        "nan_from": per_trace(nan_from, "ms"),
    })
    if starts is not None:
        ds["starts_above"] = per_trace(starts, "1")
        ds["ends_above"] = per_trace(ends, "1")
    ds.attrs.update(method=method, threshold=float(threshold) if method == "threshold" else np.nan,
                    prominence=float(prominence) if method == "peaks" else np.nan)
    return ds
