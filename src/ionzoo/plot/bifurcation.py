"""Figures of :mod:`ionzoo.dynamics`: the bifurcation diagram of the equilibrium branch and
the phase plane with nullclines."""

from __future__ import annotations

import numpy as np

__all__ = ["bifurcation", "nullclines", "two_parameter"]

_MARK = {"saddle_node": ("s", "tab:purple", "saddle-node"),
         "hopf": ("o", "tab:red", "Hopf"),
         "fold_of_cycles": ("D", "tab:green", "fold of cycles"),
         "homoclinic": ("*", "tab:brown", "homoclinic / SNIC"),
         "period_doubling": ("v", "tab:orange", "period doubling"),
         "torus": ("^", "tab:cyan", "torus (Neimark–Sacker)")}


def _cycles(diagram, ax) -> None:
    """Largest and smallest V of every periodic orbit: stable solid, unstable dashed."""
    labelled = set()
    for branch in getattr(diagram, "cycles", ()):
        c = branch.cycles
        stable = c.stable.values
        for flag, style in ((True, "-"), (False, "--")):
            label = ("stable cycles (max/min V)" if flag else "unstable cycles (max/min V)")
            for key in ("v_max", "v_min"):
                y = np.where(stable == flag, c[key].values, np.nan)
                ax.plot(branch.values, y, style, color="tab:green", lw=1.2,
                        label=None if label in labelled else label)
                labelled.add(label)


def bifurcation(diagram, ax=None):
    """V of the equilibria against the current (stable solid, unstable dashed), the largest
    and smallest V of the periodic orbits (green, same convention), and the special points
    marked and labelled with their value (µA/cm²). Returns the Figure."""
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(7, 4.5))
    ds = diagram.equilibria
    x, xlabel = _axis(ds)
    v, stable = ds.v.values, ds.stable.values
    curve = ds["curve"].values if "curve" in ds else np.zeros(v.size, dtype=int)
    for flag, style, label in ((True, "-", "stable equilibria"),
                               (False, "--", "unstable equilibria")):
        for c in np.unique(curve):  # separate curves are not joined
            on = curve == c
            y = np.where(stable[on] == flag, v[on], np.nan)
            ax.plot(x[on], y, style, color="k", lw=1.5, label=label if c == curve[0] else None)
    _cycles(diagram, ax)
    for kind, (marker, colour, name) in _MARK.items():
        pts = diagram.points(kind)
        if len(pts):
            ax.plot(pts.value, pts.v, marker, color=colour, ms=7, label=name, zorder=3)
            for row in pts.itertuples():
                ax.annotate(f"{row.value:.4g}", (row.value, row.v), textcoords="offset points",
                            xytext=(6, -12), fontsize=8, color=colour)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("V (mV)")
    ax.set_title(f"{ds.attrs.get('model', '')}: equilibria, cycles and their bifurcations")
    ax.legend(loc="best", fontsize=8, frameon=False)
    return ax.figure


def _axis(ds) -> tuple[np.ndarray, str]:
    """The continued parameter's values and axis label."""
    if "value" not in ds:
        return ds.current.values, "injected current I (µA/cm²)"
    unit = ds["value"].attrs.get("units", "")
    label = f"{ds.attrs.get('parameter', 'parameter')}" + (f" ({unit})" if unit else "")
    return ds["value"].values, f"{label} at I = {ds.attrs.get('current', 0.0):g} µA/cm²"


def two_parameter(*curves, ax=None):
    """Curves of :func:`ionzoo.dynamics.continue_point` in the (current, parameter) plane:
    Hopf curves red, fold curves purple, the points where a curve turns back (two points of
    the diagram meet and vanish) marked. Returns the Figure."""
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(6.5, 4.5))
    parameter = ""
    for c in curves:
        kind = c.attrs["kind"]
        marker, colour, name = _MARK[kind]
        ax.plot(c.current.values, c.value.values, color=colour, lw=1.6, label=f"{name} curve")
        for turn in c.attrs["turning"]:
            k = int(np.argmin(np.abs(c.value.values - turn)))
            ax.plot(c.current.values[k], turn, marker, color=colour, ms=7)
            ax.annotate(f"{turn:.4g}", (c.current.values[k], turn), textcoords="offset points",
                        xytext=(6, 4), fontsize=8, color=colour)
        parameter = c.attrs["parameter"]
        unit = c["value"].attrs.get("units", "")
    ax.set_xlabel("injected current I (µA/cm²)")
    ax.set_ylabel(parameter + (f" ({unit})" if curves and unit else ""))
    if curves:
        ax.set_title(f"{curves[0].attrs.get('model', '')}: special points in two parameters")
    ax.legend(loc="best", fontsize=8, frameon=False)
    return ax.figure


def _label(name: str) -> str:
    """``K.n`` → ``n (K)``; ``v`` → ``V (mV)``."""
    if name == "v":
        return "V (mV)"
    channel, _, gate = name.partition(".")
    return f"{gate} ({channel})" if gate else name


def nullclines(plane, ax=None, arrows: int = 21):
    """A phase plane from :func:`ionzoo.dynamics.phase_plane`: both nullclines (zero
    contours of the vector field), the field as arrows, and the equilibria (filled stable,
    open unstable). Returns the Figure."""
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(6.5, 5))
    x, y = plane.x.values, plane.y.values
    xn, yn = plane.attrs["x_name"], plane.attrs["y_name"]
    ax.contour(x, y, plane.dxdt.values, levels=[0.0], colors="tab:blue", linewidths=1.8)
    ax.contour(x, y, plane.dydt.values, levels=[0.0], colors="tab:orange", linewidths=1.8)
    ax.plot([], [], color="tab:blue", label=f"{_label(xn)} nullcline")
    ax.plot([], [], color="tab:orange", label=f"{_label(yn)} nullcline")
    sx = max(1, len(x) // arrows)
    sy = max(1, len(y) // arrows)
    u, w = plane.dxdt.values[::sy, ::sx], plane.dydt.values[::sy, ::sx]
    # arrows show the direction in the plot's own scale (both axes normalised by their range)
    du, dw = u / np.ptp(x), w / np.ptp(y)
    norm = np.hypot(du, dw)
    norm[norm == 0] = 1.0
    ax.quiver(x[::sx], y[::sy], du / norm, dw / norm, color="0.6", angles="uv", pivot="mid",
              scale=40, width=0.003)
    for stable, face in ((True, "k"), (False, "white")):
        sel = plane.eq_stable.values == stable
        if sel.any():
            ax.plot(plane.eq_x.values[sel], plane.eq_y.values[sel], "o", mfc=face, mec="k",
                    ms=8, zorder=4, label="stable equilibrium" if stable else
                    "unstable equilibrium")
    ax.set_xlim(x[0], x[-1])
    ax.set_ylim(y[0], y[-1])
    ax.set_xlabel(_label(xn))
    ax.set_ylabel(_label(yn))
    ax.set_title(f"{plane.attrs.get('model', '')} at {plane.attrs['current']:g} µA/cm²")
    ax.legend(loc="upper left", fontsize=8, frameon=False)
    return ax.figure
