"""Summaries of a sweep's results: class fractions with their 95 % intervals, and the
distribution of each parameter within each class."""

from __future__ import annotations

import numpy as np
import xarray as xr

from ..analysis.activity import CLASSES

__all__ = ["class_fractions", "wilson_interval"]

_Z95 = 1.959963984540054


def wilson_interval(k, n, z: float = _Z95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval of a binomial proportion k/n (95 % by default): (low, high)."""
    k, n = np.asarray(k, dtype=float), np.asarray(n, dtype=float)
    p = np.where(n > 0, k / np.maximum(n, 1), np.nan)
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return centre - half, centre + half


def class_fractions(ds: xr.Dataset) -> xr.Dataset:
    """Counts, fractions and 95 % Wilson intervals of every class among the models whose
    chunk has finished (``complete``) and whose class is known; dimension ``class``."""
    codes = np.asarray(ds["class_code"].values).reshape(-1)
    done = np.asarray(ds["complete"].values).reshape(-1) & (codes >= 0)
    n = int(done.sum())
    counts = np.array([int(np.sum(codes[done] == i)) for i in range(len(CLASSES))])
    low, high = wilson_interval(counts, n)
    return xr.Dataset({"count": ("class", counts),
                       "fraction": ("class", counts / max(n, 1)),
                       "low": ("class", low), "high": ("class", high)},
                      coords={"class": list(CLASSES)}, attrs={"n_models": n})
