"""Electrophysiological features with eFEL's names and definitions (as eFEL implements them;
shared/reference/channels.md §6), for every trace of a result.

Settings default to eFEL's: ``threshold`` −20 mV (spike detection), ``interp_step`` 0.1 ms (the
trace is first linearly interpolated onto this grid), ``ignore_first_isi`` True.

Features (units): ``spike_count`` (1), ``peak_time`` (ms), ``peak_voltage`` and ``AP_height``
(mV), ``time_to_first_spike`` (ms, first peak − stim_start), ``mean_frequency`` (Hz, N peaks in
[stim_start, stim_end) / (last such peak − stim_start)), ``ISI_values`` (ms, first ISI dropped),
``ISI_CV`` (1), ``voltage_base`` (mV, mean over (0.9·stim_start, stim_start]),
``min_AHP_values`` (mV), ``AHP_depth`` and ``AHP_depth_abs`` (mV), ``spike_half_width`` (ms),
``AP_begin_voltage`` (mV, V where dV/dt first stays ≥ 10 mV/ms for 3 samples after the previous
AHP), ``AP_amplitude`` (mV, peak − onset, spikes in [stim_start, stim_end)),
``AP_duration_half_width`` (ms, on the 0.1-ms grid, not interpolated),
``adaptation_index`` (1, mean of (ISIᵢ − ISIᵢ₋₁)/(ISIᵢ + ISIᵢ₋₁) after skipping the first
spikes).

Per-spike features come back NaN-padded along ``spike``; a feature that cannot be computed is
NaN and ``reasons[name]`` says why (never ``None``).

Spike detection here counts threshold crossings that come back below threshold, as eFEL does;
the engine's online detector (``Result.spikes``) counts upward 0-mV crossings.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import xarray as xr

from ..errors import ValidationError
from ..result import Result

__all__ = ["FeatureSettings", "trace_features", "trace_marks", "features", "FEATURES"]

FEATURES = ("spike_count", "peak_time", "peak_voltage", "AP_height", "time_to_first_spike",
            "mean_frequency", "ISI_values", "ISI_CV", "voltage_base", "min_AHP_values",
            "AHP_depth", "AHP_depth_abs", "spike_half_width", "AP_begin_voltage",
            "AP_amplitude", "AP_duration_half_width", "adaptation_index")
_PER_SPIKE = {"peak_time", "peak_voltage", "AP_height", "ISI_values", "min_AHP_values",
              "AHP_depth", "AHP_depth_abs", "spike_half_width", "AP_begin_voltage",
              "AP_amplitude", "AP_duration_half_width"}
_UNITS = {"spike_count": "1", "peak_time": "ms", "peak_voltage": "mV", "AP_height": "mV",
          "time_to_first_spike": "ms", "mean_frequency": "Hz", "ISI_values": "ms",
          "ISI_CV": "1", "voltage_base": "mV", "min_AHP_values": "mV", "AHP_depth": "mV",
          "AHP_depth_abs": "mV", "spike_half_width": "ms", "AP_begin_voltage": "mV",
          "AP_amplitude": "mV", "AP_duration_half_width": "ms", "adaptation_index": "1"}


@dataclass(frozen=True)
class FeatureSettings:
    """eFEL's settings (defaults as in eFEL 5.7): threshold (mV), interp_step (ms)."""

    threshold: float = -20.0
    interp_step: float = 0.1
    ignore_first_isi: bool = True
    derivative_threshold: float = 10.0
    down_derivative_threshold: float = -12.0
    derivative_window: int = 3
    spike_skipf: float = 0.1
    max_spike_skip: int = 2
    extra: dict = field(default_factory=dict)


#: eFEL's default settings.
DEFAULT_SETTINGS = FeatureSettings()


def _interpolate(t, v, step):
    grid = np.arange(t[0], t[-1] + step * 1e-6, step)
    return grid, np.interp(grid, t, v)


def _peaks(v, thr):
    above = v > thr
    ups = np.nonzero(~above[:-1] & (v[:-1] < thr) & above[1:])[0] + 1
    downs = np.nonzero(above[:-1] & (v[1:] < thr))[0] + 1
    if len(downs) and len(ups) and downs[0] < ups[0]:
        downs = downs[1:]  # the trace started above threshold
    n = min(len(ups), len(downs))
    ups, downs = ups[:n], downs[:n]
    return np.array([u + int(np.argmax(v[u:d])) for u, d in zip(ups, downs)], dtype=int)


def _cross(t, v, i0, i1, level, rising):
    """Interpolated time where v crosses ``level`` in [i0, i1] (first rising / last falling)."""
    seg = v[i0:i1 + 1]
    if rising:
        idx = np.nonzero((seg[:-1] < level) & (seg[1:] >= level))[0]
        if not len(idx):
            return np.nan
        k = i0 + idx[-1]
    else:
        idx = np.nonzero((seg[:-1] >= level) & (seg[1:] < level))[0]
        if not len(idx):
            return np.nan
        k = i0 + idx[0]
    return t[k] + (level - v[k]) * (t[k + 1] - t[k]) / (v[k + 1] - v[k])


def trace_features(t, v, stim_start: float, stim_end: float,
                   settings: FeatureSettings = DEFAULT_SETTINGS) -> tuple[dict, dict]:
    """Features of one trace (t in ms, v in mV): (values, reasons for missing ones)."""
    out, why, _ = trace_marks(t, v, stim_start, stim_end, settings)
    return out, why


def trace_marks(t, v, stim_start: float, stim_end: float,
                settings: FeatureSettings = DEFAULT_SETTINGS) -> tuple[dict, dict, dict]:
    """Like :func:`trace_features`, plus where each feature was measured (for plots):
    ``marks`` holds the interpolated grid ``t``/``v`` and, per spike, the grid indices of the
    ``peak``, the AP ``begin`` and the ``ahp`` minimum, and the half-width crossing times
    ``half_rise``/``half_fall`` (ms) at ``half_level`` (mV)."""
    t = np.asarray(t, dtype=float)
    v = np.asarray(v, dtype=float)
    if t.ndim != 1 or t.shape != v.shape or t.size < 3:
        raise ValidationError("trace", "t and v must be 1-D arrays of the same length (>= 3)")
    if not np.all(np.isfinite(v)):
        return ({k: np.nan for k in FEATURES}, {k: "trace contains NaN" for k in FEATURES}, {})
    ti, vi = _interpolate(t, v, settings.interp_step)
    out: dict = {}
    why: dict = {}
    peaks = _peaks(vi, settings.threshold)
    pt = ti[peaks]
    _timing(out, why, pt, vi[peaks], stim_start, stim_end, settings)
    base = (ti > 0.9 * stim_start) & (ti <= stim_start)  # eFEL: (0.9·start, start]
    out["voltage_base"] = float(np.mean(vi[base])) if base.any() else np.nan
    if not base.any():
        why["voltage_base"] = "no samples before stim_start"
    ahp_idx = _ahp_minima(vi, peaks)
    out["min_AHP_values"] = vi[ahp_idx]
    out["AHP_depth_abs"] = vi[ahp_idx]
    out["AHP_depth"] = vi[ahp_idx] - out["voltage_base"]
    start_idx = int(np.searchsorted(ti, stim_start))
    widths, rises, falls, levels = _half_widths(ti, vi, peaks, ahp_idx, start_idx)
    out["spike_half_width"] = widths
    if len(peaks) and peaks[0] < start_idx and len(widths):
        # eFEL searches its rising edge from the onset *forward to* a peak that lies before
        # it (an empty range it reads past); ionzoo gives NaN for that spike
        why["spike_half_width"] = ("the first spike peaks before stim_start: its rising edge "
                                   "is not after the stimulus onset (NaN)")
    dvdt = np.gradient(vi, settings.interp_step)
    begins = _ap_begins(dvdt, peaks, ahp_idx, start_idx, settings)
    out["AP_begin_voltage"] = vi[begins]
    if len(begins) == len(peaks):
        inside_amp = (pt >= stim_start) & (pt < stim_end)  # eFEL: peaks in [start, end)
        out["AP_amplitude"] = (vi[peaks] - vi[begins])[inside_amp]
    else:  # as eFEL: undefined unless every spike has an onset
        out["AP_amplitude"] = np.array([])
        why["AP_amplitude"] = "AP onset (dV/dt threshold) not found for every spike"
    out["AP_duration_half_width"] = _durations(ti, vi, dvdt, peaks, begins, settings)
    _adaptation(out, why, pt, stim_start, stim_end, settings)
    for name in _PER_SPIKE:
        if len(np.atleast_1d(out[name])) == 0:
            why[name] = "no spike" if not len(peaks) else "not defined for these spikes"
    marks = {"t": ti, "v": vi, "peak": peaks, "begin": begins, "ahp": ahp_idx,
             "half_rise": rises, "half_fall": falls, "half_level": levels,
             "voltage_base": out["voltage_base"]}
    return out, why, marks


def _timing(out: dict, why: dict, pt: np.ndarray, pv: np.ndarray, stim_start: float,
            stim_end: float, settings: FeatureSettings) -> None:
    """Spike count, peaks, first-spike latency, mean frequency and ISIs (peak times ``pt``)."""
    out["spike_count"] = len(pt)
    out["peak_time"], out["peak_voltage"], out["AP_height"] = pt, pv, pv
    if len(pt):
        out["time_to_first_spike"] = pt[0] - stim_start
    else:
        out["time_to_first_spike"] = np.nan
        why["time_to_first_spike"] = "no spike"
    inside = pt[(pt >= stim_start) & (pt < stim_end)]  # eFEL excludes a peak at stim_end
    if len(inside) and inside[-1] > stim_start:
        out["mean_frequency"] = 1000.0 * len(inside) / (inside[-1] - stim_start)
    else:
        out["mean_frequency"] = np.nan
        why["mean_frequency"] = "no spike inside the stimulus"
    isi = np.diff(pt)
    if settings.ignore_first_isi:
        isi = isi[1:]
    out["ISI_values"] = isi
    if len(isi) >= 2:
        out["ISI_CV"] = float(np.std(isi, ddof=1) / np.mean(isi))
    else:
        out["ISI_CV"] = np.nan
        why["ISI_CV"] = "fewer than 2 ISIs (after dropping the first)"


def _ahp_minima(vi: np.ndarray, peaks: np.ndarray) -> np.ndarray:
    """AHP minima: the minimum between consecutive peaks; after the last peak, the first local
    minimum (none if V only falls until the end of the trace) — as eFEL computes them."""
    ahp_list = [p + int(np.argmin(vi[p:q + 1])) for p, q in zip(peaks[:-1], peaks[1:])]
    if len(peaks):
        tail = np.diff(vi[peaks[-1]:])
        local = np.nonzero((tail[:-1] < 0) & (tail[1:] >= 0))[0]
        if len(local):
            ahp_list.append(peaks[-1] + int(local[0]) + 1)
    return np.array(ahp_list, dtype=int)


def _half_widths(ti, vi, peaks, ahp_idx, start_idx: int) -> tuple[np.ndarray, ...]:
    """Half widths (ms), between the previous AHP minimum (the stimulus onset for the first
    spike) and the following one, at the midpoint between the peak and the following AHP
    minimum; also the rise and fall crossing times and the levels."""
    widths, rises, falls, levels = [], [], [], []
    for i, p in enumerate(peaks):
        if i >= len(ahp_idx):
            break
        k_next = ahp_idx[i]
        k_prev = ahp_idx[i - 1] if i > 0 else start_idx
        level = 0.5 * (vi[p] + vi[k_next])
        rise = _cross(ti, vi, k_prev, p, level, rising=True)
        fall = _cross(ti, vi, p, k_next, level, rising=False)
        widths.append(fall - rise)
        rises.append(rise)
        falls.append(fall)
        levels.append(level)
    return np.array(widths), np.array(rises), np.array(falls), np.array(levels)


def _ap_begins(dvdt, peaks, ahp_idx, start_idx: int, settings: FeatureSettings) -> np.ndarray:
    """AP onsets: from the previous AHP minimum (the stimulus onset for the first spike), the
    first sample from which dV/dt (central differences) stays ≥ derivative_threshold for
    derivative_window samples; stops at the first spike without one."""
    w = settings.derivative_window
    # steep[j]: dV/dt >= threshold at samples j … j+w−1 (a window cut by the trace's end counts
    # what is left), from a running count of the samples below threshold
    below = np.concatenate([dvdt < settings.derivative_threshold, np.zeros(w - 1, dtype=bool)])
    n_below = np.concatenate([[0], np.cumsum(below)])
    steep = (n_below[w:w + len(dvdt)] - n_below[:len(dvdt)]) == 0
    begin_list: list[int] = []
    for i, p in enumerate(peaks):
        j = ahp_idx[i - 1] if 0 < i <= len(ahp_idx) else start_idx
        hits = np.flatnonzero(steep[j:p]) if j < p else np.empty(0, dtype=int)
        if not len(hits):
            break
        begin_list.append(j + int(hits[0]))
    return np.array(begin_list, dtype=int)


def _durations(ti, vi, dvdt, peaks, begins, settings: FeatureSettings) -> np.ndarray:
    """Duration at half amplitude (onset to peak): samples closest to the half level on the
    rise (onset → peak) and on the fall (peak → AP end: from the steepest fall of V before the
    next peak, the first sample with dV/dt back above down_derivative_threshold); not
    interpolated. As in eFEL, after the last spike the steepest fall may be the stimulus
    switching off, which then ends the window."""
    durations = []
    for i, (p, b) in enumerate(zip(peaks, begins)):  # the spikes with an onset, as eFEL
        bound = peaks[i + 1] if i + 1 < len(peaks) else len(vi) - 1
        k = p + int(np.argmin(dvdt[p:bound + 1]))  # steepest fall before the next peak
        while k < bound and dvdt[k] < settings.down_derivative_threshold:
            k += 1
        half = 0.5 * (vi[p] + vi[b])
        rise = b + int(np.argmin(np.abs(vi[b:p + 1] - half)))
        fall = p + int(np.argmin(np.abs(vi[p:max(k, p + 1)] - half)))  # eFEL: [peak, end)
        durations.append(ti[fall] - ti[rise])
    return np.array(durations)


def _adaptation(out: dict, why: dict, pt, stim_start: float, stim_end: float,
                settings: FeatureSettings) -> None:
    """Adaptation index over the spikes inside the stimulus, after skipping the first few."""
    stim_peaks = pt[(pt >= stim_start) & (pt <= stim_end)]
    skip = min(settings.max_spike_skip, int(len(stim_peaks) * settings.spike_skipf + 0.5))
    rest = stim_peaks[skip:]
    if len(rest) >= 4:
        isi_a = np.diff(rest)
        out["adaptation_index"] = float(np.mean((isi_a[1:] - isi_a[:-1])
                                                / (isi_a[1:] + isi_a[:-1])))
    else:
        out["adaptation_index"] = np.nan
        why["adaptation_index"] = "fewer than 4 spikes after skipping the first"


def features(result: Result, stim_start: float, stim_end: float, names=FEATURES,
             settings: FeatureSettings = DEFAULT_SETTINGS) -> xr.Dataset:
    """eFEL-named features of every trace of ``result`` (needs ``"v"`` recorded)."""
    unknown = set(names) - set(FEATURES)
    if unknown:
        raise ValidationError("names", f"unknown feature(s) {sorted(unknown)} (known: "
                              f"{', '.join(FEATURES)})")
    v = result.v
    batch_dims = [d for d in v.dims if d != "time"]
    flat = v.values.reshape(-1, v.sizes["time"])
    per = [trace_features(result.t, row, stim_start, stim_end, settings) for row in flat]
    shape = tuple(v.sizes[d] for d in batch_dims)
    coords = {d: v[d] for d in batch_dims if d in v.coords}
    data, reasons = {}, {}
    width = max([1] + [len(np.atleast_1d(p[0][n])) for p in per for n in names
                       if n in _PER_SPIKE])
    for name in names:
        if name in _PER_SPIKE:
            arr = np.full((len(per), width), np.nan)
            for i, (vals, _) in enumerate(per):
                x = np.atleast_1d(vals[name])
                arr[i, : len(x)] = x
            da = xr.DataArray(arr.reshape(*shape, width), dims=(*batch_dims, "spike"),
                              coords=coords)
        else:
            arr = np.array([float(vals[name]) for vals, _ in per])
            da = xr.DataArray(arr.reshape(shape), dims=batch_dims, coords=coords)
        da.attrs["units"] = _UNITS[name]
        data[name] = da
        reasons[name] = [w.get(name, "") for _, w in per]
    ds = xr.Dataset(data)
    ds.attrs.update(threshold=settings.threshold, interp_step=settings.interp_step,
                    stim_start=stim_start, stim_end=stim_end)
    ds.attrs["reasons"] = repr({k: v for k, v in reasons.items() if any(v)})
    return ds
