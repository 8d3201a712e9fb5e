"""Activity of long runs from spike times alone: periodicity, bursts and a five-way class —
silent, tonic spiking, regular bursting, irregular bursting, irregular — for sweeps that never
store a trace (``simulate(..., record=None)`` detects spikes online).

The rules (ionzoo's own; the 2003 database's exact rules are not published in a form we could
verify — see docs/howto/sweeps.md). Only the spikes in the analysis window ``[start, stop)`` count;
their inter-spike intervals (ISIs, ms) are x₀ … x_{n−1}.

1. **Silent**: no spike in the window. (A cell with fewer than ``min_cycles`` ISIs but at
   least one spike cannot be judged periodic and is *irregular*.)
2. **Periodicity**: the smallest k ≤ ``max_period_spikes`` with at least ``min_cycles``·k ISIs
   such that every ISI repeats k intervals later, |x_{i+k} − x_i| ≤ ``tolerance`` · x̄ for all
   i, x̄ the mean ISI (= P/k; measured against the period P itself, the test would grow lenient
   with k and call any jittery tonic train periodic at some long k). k is the number of spikes
   per period; the period P is the mean of the sums of k consecutive ISIs.
3. **Bursts**: sort the ISIs and find the largest ratio between neighbours; if it is at least
   ``burst_ratio`` the intervals above the geometric mean of that pair are inter-burst
   intervals (IBIs) and the runs of spikes between them are bursts. A cell has *burst
   structure* when it has at least two complete bursts (an IBI before and after) and they carry
   at least two spikes on average.
4. **Burst periodicity**: with burst structure and at least ``min_cycles`` intervals between
   burst onsets, the bursts are periodic when those intervals all lie within ``tolerance`` ·
   their mean of the mean (the spike count per burst may vary, as in Prinz's detector, which
   compares inter-burst intervals).
5. **Class**: burst structure and either kind of periodicity → *regular bursting*; periodic
   without burst structure → *tonic* (k = 1, or a repeating pattern without a clear pause);
   burst structure, not periodic → *irregular bursting*; otherwise *irregular*.

Features (NaN where undefined): ``n_spikes``; ``rate`` (Hz over the window); ``period`` (ms)
and ``spikes_per_period``; over complete bursts ``n_bursts``, ``spikes_per_burst`` (mean),
``burst_duration`` (first to last spike, mean, ms), ``burst_period`` (mean interval between
consecutive burst onsets, ms), ``interburst_interval`` (mean IBI, ms), ``duty_cycle``
(burst_duration / burst_period), ``burst_period_spread`` ((max − min)/mean of the
intervals between burst onsets).

The rules are compiled with Numba (hand-written functions of this module, not generated
code) and cached by Numba on disk next to this file or in the user's cache folder, so a new
process, e.g. a Dask worker, does not spend seconds compiling them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numba
import numpy as np
import xarray as xr

from ..errors import ValidationError
from ..result import Result

__all__ = ["ActivityRules", "CLASSES", "activity", "activity_of_trains", "FEATURE_NAMES"]

#: The activity classes, in the order of their integer codes.
CLASSES = ("silent", "tonic", "regular_bursting", "irregular_bursting", "irregular")
#: The features :func:`activity` returns besides the class.
FEATURE_NAMES = ("n_spikes", "rate", "period", "spikes_per_period", "n_bursts",
                 "spikes_per_burst", "burst_duration", "burst_period", "interburst_interval",
                 "duty_cycle", "burst_period_spread")


@dataclass(frozen=True)
class ActivityRules:
    """Thresholds of the activity rules (see the module docstring).

    ``tolerance`` (1): allowed ISI repeat error as a fraction of the mean ISI, and spread of
    the burst periods as a fraction of their mean; ``burst_ratio``
    (1): the smallest ratio between the shortest IBI and the longest intra-burst ISI;
    ``min_cycles``: periods needed to call a cell periodic; ``max_period_spikes``: the longest
    repeating pattern looked for.
    """

    tolerance: float = 0.05
    burst_ratio: float = 2.0
    min_cycles: int = 3
    max_period_spikes: int = 100

    def __post_init__(self) -> None:
        if not (isinstance(self.tolerance, (int, float)) and 0 < self.tolerance < 1):
            raise ValidationError("rules.tolerance", f"must lie in (0, 1), got {self.tolerance!r}")
        if not (isinstance(self.burst_ratio, (int, float)) and self.burst_ratio > 1):
            raise ValidationError("rules.burst_ratio", f"must be > 1, got {self.burst_ratio!r}")
        for name, low in (("min_cycles", 2), ("max_period_spikes", 1)):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < low:
                raise ValidationError(f"rules.{name}", f"must be an integer >= {low}, got "
                                      f"{value!r}")

    def to_dict(self) -> dict:
        return asdict(self)


@numba.njit(cache=True, nogil=True)
def _period(isi, tol, min_cycles, kmax):  # pragma: no cover - compiled
    n = isi.size
    for k in range(1, min(kmax, n // min_cycles) + 1):
        sums = np.empty(n - k + 1)
        acc = 0.0
        for i in range(k):
            acc += isi[i]
        sums[0] = acc
        for i in range(k, n):
            acc += isi[i] - isi[i - k]
            sums[i - k + 1] = acc
        p = sums.mean()
        ok = True
        for i in range(n - k):
            if abs(isi[i + k] - isi[i]) > tol * p / k:
                ok = False
                break
        if ok:
            return k, p
    return 0, np.nan


@numba.njit(cache=True, nogil=True)
def _bursts(t, isi, ratio, out):  # pragma: no cover - compiled
    """Fill out[4:11] (n_bursts, spikes/burst, duration, burst period, IBI, duty, spread);
    True when there is burst structure."""
    s = np.sort(isi)
    best, j = 0.0, -1
    for i in range(s.size - 1):
        r = s[i + 1] / s[i] if s[i] > 0 else np.inf
        if r > best:
            best, j = r, i
    if j < 0 or best < ratio:
        return False
    theta = np.sqrt(s[j] * s[j + 1]) if np.isfinite(best) else s[j + 1] * 0.5
    ibi_idx = np.nonzero(isi > theta)[0]          # IBI i lies between spikes i and i+1
    nb = ibi_idx.size - 1                          # complete bursts between consecutive IBIs
    if nb < 2:
        return False
    spikes = 0.0
    dur = 0.0
    for b in range(nb):
        first, last = ibi_idx[b] + 1, ibi_idx[b + 1]
        spikes += last - first + 1
        dur += t[last] - t[first]
    onsets = t[ibi_idx + 1]
    out[4] = nb
    out[5] = spikes / nb
    out[6] = dur / nb
    out[7] = (onsets[-1] - onsets[0]) / (onsets.size - 1)
    out[8] = isi[ibi_idx].mean()
    out[9] = out[6] / out[7]
    gaps = np.diff(onsets)
    out[10] = (gaps.max() - gaps.min()) / gaps.mean()
    return out[5] >= 2.0


@numba.njit(cache=True, nogil=True)
def _classify(times, counts, start, stop, tol, ratio, min_cycles, kmax):  # pragma: no cover
    n = counts.size
    feats = np.full((n, 11), np.nan)
    cls = np.empty(n, np.int8)
    for j in range(n):
        row = times[j, :counts[j]]
        t = row[(row >= start) & (row < stop)]
        feats[j, 0] = t.size
        feats[j, 1] = t.size / ((stop - start) / 1000.0)
        if t.size == 0:
            cls[j] = 0
            continue
        isi = np.diff(t)
        if isi.size < min_cycles:
            cls[j] = 4
            continue
        k, p = _period(isi, tol, min_cycles, kmax)
        if k > 0:
            feats[j, 2] = p
            feats[j, 3] = k
        bursty = _bursts(t, isi, ratio, feats[j])
        if bursty:
            periodic_bursts = feats[j, 4] >= min_cycles and feats[j, 10] <= tol
            cls[j] = 2 if (k > 0 or periodic_bursts) else 3
        else:
            cls[j] = 1 if k > 0 else 4
    return cls, feats


def activity_of_trains(times: np.ndarray, counts: np.ndarray, start: float, stop: float,
                       rules: ActivityRules | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Classes (int8 codes into :data:`CLASSES`) and features (``(n, 11)`` in the order of
    :data:`FEATURE_NAMES`) of ``n`` spike trains: ``times`` (ms) NaN-padded ``(n, m)``,
    ``counts`` the number of valid entries per row; window ``[start, stop)`` ms."""
    rules = rules or ActivityRules()
    times = np.ascontiguousarray(times, dtype=np.float64)
    counts = np.minimum(np.asarray(counts, dtype=np.int64).reshape(-1), times.shape[1])
    if times.ndim != 2 or times.shape[0] != counts.size:
        raise ValidationError("times", "expected (neurons, spikes) times and one count per row")
    if not stop > start:
        raise ValidationError("window", f"stop ({stop!r}) must exceed start ({start!r})")
    return _classify(times, counts, float(start), float(stop), float(rules.tolerance),
                     float(rules.burst_ratio), int(rules.min_cycles),
                     int(rules.max_period_spikes))


def activity(result: Result, start: float = 0.0, stop: float | None = None,
             rules: ActivityRules | None = None) -> xr.Dataset:
    """Activity class and features of every neuron of ``result`` from its spike times in the
    window ``[start, stop)`` ms (default: to the end of the run). Returns a Dataset with the
    batch dimensions: ``class`` (text, one of :data:`CLASSES`), ``class_code`` and the
    features of :data:`FEATURE_NAMES`.

    If the run stored fewer spike times than it counted (``max_spikes``), the window's tail is
    missing and this raises; raise ``max_spikes``."""
    if result.dataset.attrs.get("spikes_truncated"):
        raise ValidationError("result", "some neurons fired more spikes than were stored "
                              "(max_spikes); rerun with a larger max_spikes")
    stop = float(result.dataset.attrs["t_stop"]) if stop is None else float(stop)
    st = result.spikes
    dims = result.batch_dims
    shape = tuple(result.dataset.sizes[d] for d in dims)
    cls, feats = activity_of_trains(st.values.reshape(-1, st.sizes["spike"]),
                                    result.spike_count.values, start, stop, rules)
    coords = {k: c for k, c in result.dataset["spike_count"].coords.items()}
    data = {"class": (dims, np.array(CLASSES, dtype=object)[cls].reshape(shape)),
            "class_code": (dims, cls.reshape(shape))}
    for i, name in enumerate(FEATURE_NAMES):
        data[name] = (dims, feats[:, i].reshape(shape))
    out = xr.Dataset(data, coords=coords)
    out.attrs.update(window_start=start, window_stop=stop, classes=list(CLASSES),
                     **(rules or ActivityRules()).to_dict())
    return out
