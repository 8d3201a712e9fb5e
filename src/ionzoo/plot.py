"""Matplotlib figures of simulation results.

Every function returns the :class:`matplotlib.figure.Figure` and labels its axes with units.
"""

from __future__ import annotations

import numpy as np

from .engine.result import Result

__all__ = ["traces"]


def traces(result: Result, var: str = "v", max_panels: int = 8, fig=None):
    """One panel per neuron of a batch (up to ``max_panels``): ``var`` against time, with the
    detected spikes marked. Batch coordinates label the panels."""
    import matplotlib.pyplot as plt

    da = result[var]
    batch_dims = [d for d in da.dims if d != "time"]
    flat = da.values.reshape(-1, da.sizes["time"])
    n = min(flat.shape[0], max_panels)
    labels = _labels(da, batch_dims)
    if fig is None:
        fig = plt.figure(figsize=(7.0, 1.6 + 1.5 * n))
    axes = fig.subplots(n, 1, sharex=True, squeeze=False)[:, 0]
    trains = result.spike_trains()
    t = result.t
    thr = float(result.dataset.attrs.get("threshold", 0.0))
    for i, ax in enumerate(axes):
        ax.plot(t, flat[i], lw=1.0, color="k")
        if var == "v" and len(trains[i]):
            ax.plot(trains[i], np.full(len(trains[i]), thr), "|", color="tab:red", ms=10,
                    label="spikes")
        ax.set_ylabel(f"{var} ({da.attrs.get('units', '')})")
        if labels[i]:
            ax.set_title(labels[i], fontsize=9, loc="left")
    axes[-1].set_xlabel("time (ms)")
    fig.tight_layout()
    return fig


def _labels(da, batch_dims) -> list[str]:
    if not batch_dims:
        return [""]
    grids = np.meshgrid(*[da[d].values if d in da.coords else np.arange(da.sizes[d])
                          for d in batch_dims], indexing="ij")
    flat = [g.reshape(-1) for g in grids]
    return [", ".join(f"{d} = {flat[k][i]:g}" for k, d in enumerate(batch_dims))
            for i in range(flat[0].size)]
