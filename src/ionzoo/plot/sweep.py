"""The database figure of a sweep: class fractions, and each swept parameter's distribution
within each class (the kind of figure of Prinz et al. 2003)."""

from __future__ import annotations

import json

import numpy as np
import xarray as xr

__all__ = ["sweep_classes"]

_COLOURS = {"silent": "0.55", "tonic": "tab:blue", "regular_bursting": "tab:red",
            "irregular_bursting": "tab:orange", "irregular": "tab:purple"}


def sweep_classes(ds: xr.Dataset, fig=None, bins: int = 10):
    """Class fractions (bars with 95 % Wilson intervals) and, for each swept parameter, the
    fraction of each class's models at each value (grid levels; ``bins`` bins for sampled
    designs). ``ds`` is :func:`ionzoo.sweep.open_sweep`'s Dataset."""
    import matplotlib.pyplot as plt

    from ..sweep.summary import class_fractions

    flat = ds.stack(_m=ds["model"].dims) if ds["model"].ndim > 1 else ds
    spec = json.loads(ds.attrs["spec"])
    params = [p for p in _parameters(spec) if p in flat.coords]
    frac = class_fractions(flat)
    ncols = 3
    nrows = 1 + (len(params) + ncols - 1) // ncols
    fig = fig or plt.figure(figsize=(4.2 * ncols, 3.0 * nrows), layout="constrained")
    ax = fig.add_subplot(nrows, 1, 1)
    names = list(frac["class"].values)
    x = np.arange(len(names))
    f = frac["fraction"].values
    err = np.vstack([f - frac["low"].values, frac["high"].values - f])
    ax.bar(x, 100 * f, yerr=100 * err, color=[_COLOURS[c] for c in names], capsize=3)
    ax.set_xticks(x, [c.replace("_", " ") for c in names])
    ax.set_ylabel("models (%)")
    ax.set_title(f"activity of {frac.attrs['n_models']} models (bars: 95 % intervals)")
    codes = flat["class_code"].values
    done = flat["complete"].values & (codes >= 0)
    for k, p in enumerate(params):
        axp = fig.add_subplot(nrows, ncols, ncols + k + 1)
        values = np.asarray(flat[p].values)[done]
        levels = np.unique(values)
        edges = None if levels.size <= 12 else np.linspace(values.min(), values.max(), bins + 1)
        for i, c in enumerate(names):
            sel = values[codes[done] == i]
            if sel.size == 0:
                continue
            if edges is None:
                share = np.array([np.mean(sel == lv) for lv in levels])
                axp.plot(levels, 100 * share, "o-", color=_COLOURS[c], label=c.replace("_", " "))
            else:
                h, _ = np.histogram(sel, edges)
                axp.plot(0.5 * (edges[1:] + edges[:-1]), 100 * h / sel.size, "o-",
                         color=_COLOURS[c], label=c.replace("_", " "))
        axp.set_xlabel(p)
        axp.set_ylabel("of the class (%)")
        if k == 0:
            axp.legend(fontsize="small")
    return fig


def _parameters(spec: dict) -> list[str]:
    d = spec["design"]
    table = d.get("axes") or d.get("values") or d.get("ranges") or {}
    return list(table)
