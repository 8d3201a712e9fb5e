"""The bifurcation diagram of the equilibrium branch (:func:`ionzoo.dynamics.bifurcation`)."""

from __future__ import annotations

import numpy as np

__all__ = ["bifurcation"]

_MARK = {"saddle_node": ("s", "tab:purple", "saddle-node"),
         "hopf": ("o", "tab:red", "Hopf")}


def bifurcation(diagram, ax=None):
    """V of the equilibria against the current: stable solid, unstable dashed, special points
    marked and labelled with their value (µA/cm²). Returns the Figure."""
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(7, 4.5))
    ds = diagram.equilibria
    i, v, stable = ds.current.values, ds.v.values, ds.stable.values
    for flag, style, label in ((True, "-", "stable equilibria"),
                               (False, "--", "unstable equilibria")):
        y = np.where(stable == flag, v, np.nan)
        ax.plot(i, y, style, color="k", lw=1.5, label=label)
    for kind, (marker, colour, name) in _MARK.items():
        pts = diagram.points(kind)
        if len(pts):
            ax.plot(pts.value, pts.v, marker, color=colour, ms=7, label=name, zorder=3)
            for row in pts.itertuples():
                ax.annotate(f"{row.value:.4g}", (row.value, row.v), textcoords="offset points",
                            xytext=(6, -12), fontsize=8, color=colour)
    ax.set_xlabel("injected current I (µA/cm²)")
    ax.set_ylabel("V at equilibrium (mV)")
    ax.set_title(f"{ds.attrs.get('model', '')}: equilibria and their bifurcations")
    ax.legend(loc="best", fontsize=8, frameon=False)
    return ax.figure
