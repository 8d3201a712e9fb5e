"""The firing rate, defined once and used by every part of ionzoo that reports one.

**Rate** (Hz) of a spike train over a window [start, stop) ms: the inverse of the mean
interspike interval of the spikes in the window,

    rate = 1000 · (n − 1) / (t_n − t_1)        for n ≥ 2 spikes t_1 < … < t_n in the window,
    rate = 0                                   for n < 2 (no interval: no repetitive firing).

It does not depend on where the train starts or ends relative to the window's edges, so a
regular train of ISI T has rate 1000/T exactly, and an f–I curve has no staircase (counting
spikes in a window changes by one whole spike at a time: 84, 86, 84, 86 Hz).

**Count rate** (``kind="count"``): 1000 · n / (stop − start), the spikes per second in the
window — what an experimenter counting spikes in a stimulus window reports; one spike in a
50-ms window is "20 Hz" by this definition and 0 Hz by the one above.

Every output that reports a rate names its definition (``RATE_NAME`` / ``COUNT_RATE_NAME``).
"""

from __future__ import annotations

import numpy as np

__all__ = ["rate", "rates", "RATE_NAME", "COUNT_RATE_NAME", "KINDS"]

#: The definitions, in words, for labels and attributes.
RATE_NAME = "rate = 1/mean ISI in the window (0 for < 2 spikes)"
COUNT_RATE_NAME = "count rate = spikes in the window per second"
#: ``kind=`` values.
KINDS = ("isi", "count")


def rate(times, start: float, stop: float, kind: str = "isi") -> float:
    """The rate (Hz) of one train of spike ``times`` (ms) in [``start``, ``stop``) ms (module
    docstring); NaN padding is ignored."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, got {kind!r}")
    t = np.asarray(times, dtype=float).ravel()
    t = np.sort(t[np.isfinite(t) & (t >= start) & (t < stop)])
    if kind == "count":
        return float(t.size * 1000.0 / (stop - start)) if stop > start else float("nan")
    return float(1000.0 * (t.size - 1) / (t[-1] - t[0])) if t.size >= 2 else 0.0


def rates(spikes: np.ndarray, start: float, stop: float, kind: str = "isi") -> np.ndarray:
    """Rates (Hz) of NaN-padded spike-time arrays ``spikes`` (…, spike) ms, one per train."""
    arr = np.asarray(spikes, dtype=float)
    if arr.ndim == 0:
        arr = arr.reshape(1)
    lead = arr.shape[:-1]
    flat = arr.reshape(int(np.prod(lead, dtype=int)), arr.shape[-1])
    return np.array([rate(row, start, stop, kind) for row in flat]).reshape(lead)
