"""Figures of neuron dynamics: gating curves, traces, the ionic mechanism, phase planes,
rasters."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..errors import ValidationError
from ..expr import parse
from ..model.neuron import Neuron
from ..model.params import pretty_unit
from ..reference import gate_curves
from ..result import Result
from .style import (
    STIMULUS_COLOR,
    channel_colors,
    conductance_label,
    current_label,
    gate_colors,
    gate_label,
    ion_color,
    typeset,
)

__all__ = ["gating", "traces", "mechanism", "phase_plane", "raster"]

_GATE_COLORS = ["tab:orange", "tab:green", "tab:blue", "tab:red", "tab:purple", "tab:brown",
                "tab:pink", "tab:olive", "tab:cyan", "tab:gray"]


def _plt():
    import matplotlib.pyplot as plt

    return plt


def _legend(ax, loc: str = "best") -> None:
    """A legend that stays readable with many lines: two columns beyond six, smaller type
    beyond twelve."""
    n = len(ax.get_legend_handles_labels()[1])
    if n:
        ax.legend(fontsize=7 if n <= 12 else 6, ncol=1 if n <= 6 else 2, loc=loc,
                  framealpha=0.8)


def _stimulus_bar(ax, result: Result, rows) -> bool:
    """Draw the injected current of the neurons ``rows`` (flat batch indices) into ``ax``; False
    when the result does not know it (read back from a file)."""
    inj = result.injected_current()
    if inj is None:
        return False
    flat = inj.values.reshape(-1, inj.sizes["time"])
    for i in rows:
        ax.plot(result.t, flat[i], color=STIMULUS_COLOR, lw=1.0)
    ax.set_ylabel("I (µA/cm²)", fontsize=7)
    ax.tick_params(labelsize=7)
    ax.locator_params(axis="y", nbins=2)
    ax.ticklabel_format(axis="y", useOffset=False, style="plain")
    return True


def gating(neuron: Neuron, v: np.ndarray | None = None, temperature: float | None = None,
           fig=None):
    """The four-panel gating figure: (a) x∞(V) of every gate, (b) τ(V) in ms (log axis) at the
    neuron's temperature, (c) steady-state conductance ḡ·Π x∞^p of every channel (mS/cm²), (d)
    steady-state ionic currents g_∞(V)·(V − E) (µA/cm²) and their sum.

    ``v``: voltages in mV (default −100…+50 mV); ``temperature`` in °C (default: the neuron's).
    """
    plt = _plt()
    cell = neuron if temperature is None else neuron.with_params(temperature=float(temperature))
    curves = gate_curves(cell, v)
    v = curves["v"].values
    temp = cell.temperature
    if fig is None:
        fig = plt.figure(figsize=(9.0, 6.5))
    (ax_inf, ax_tau), (ax_g, ax_i) = fig.subplots(2, 2, sharex=True)
    chan_color = channel_colors(neuron.channels)
    colors = gate_colors([f"{c.name}.{g.name}" for c in neuron.channels
                          for g in c.leaf_gates()], chan_color)
    for ch in neuron.channels:
        for gate in ch.leaf_gates():
            label = f"{ch.name}.{gate.name}"
            ax_inf.plot(v, curves[f"{label}_inf"].values, color=colors[label],
                        label=gate_label(label, "∞"))
            if not gate.instantaneous:
                ax_tau.plot(v, curves[f"{label}_tau"].values, color=colors[label],
                            label="τ " + gate_label(label))
        if ch.gates:
            ax_g.plot(v, curves[f"{ch.name}.g"].values, color=chan_color[ch.name],
                      label=conductance_label(ch.name))
        ax_i.plot(v, curves[f"{ch.name}.i"].values, color=chan_color[ch.name],
                  label=current_label(ch.name))
    total = curves["i_ion"].values
    ax_i.plot(v, total, color="k", lw=2, label="I total")
    ax_i.axhline(0.0, color="0.6", lw=0.8)
    # Outward K+ current at +50 mV dwarfs everything; scale to the inward currents so the zero
    # crossings (rest, threshold) stay visible.
    inward = max((-ln.get_ydata().min() for ln in ax_i.get_lines()[:-2]), default=0.0)
    if inward > 0:
        ax_i.set_ylim(-2.0 * inward, 4.0 * inward)
    ax_inf.set_ylabel("steady state x∞ (1)")
    ax_inf.set_ylim(-0.02, 1.02)
    ax_tau.set_yscale("log")
    ax_tau.set_ylabel(f"time constant τ (ms) at {temp:g} °C")
    ax_g.set_ylabel("steady-state conductance (mS/cm²)")
    ax_i.set_ylabel("steady-state current (µA/cm²)")
    for ax in (ax_inf, ax_tau, ax_g, ax_i):
        _legend(ax)
    for ax in (ax_g, ax_i):
        ax.set_xlabel("membrane potential V (mV)")
    fig.suptitle(f"Gating of {neuron.name}")
    fig.tight_layout()
    return fig


def traces(result: Result, var: str = "v", max_panels: int = 8, fig=None,
           overlay: bool = False):
    """``var`` against time, one panel per neuron of the batch, titled with its batch values
    and their units (``I = 5 µA/cm²`` for a step's amplitude); detected spikes are marked when
    ``var`` is ``"v"``. Panels share one y-range and never use an offset, so a resting cell looks
    flat. With more neurons than ``max_panels``, that many are drawn, evenly spaced from the
    first to the last, and the figure says so; ``overlay=True`` draws every neuron in one axes
    instead (coloured in batch order, with a legend up to 12 of them)."""
    plt = _plt()
    da = result[var]
    batch_dims = [d for d in da.dims if d != "time"]
    flat = da.values.reshape(-1, da.sizes["time"])
    labels = _labels(result, da, batch_dims)
    total = flat.shape[0]
    unit = f" ({pretty_unit(da.attrs.get('units', ''))})" if da.attrs.get("units") else ""
    if overlay:
        return _overlay(plt, result, flat, labels, var, unit, fig)
    shown = (np.arange(total) if total <= max_panels else
             np.unique(np.round(np.linspace(0, total - 1, max(max_panels, 1))).astype(int)))
    n = len(shown)
    bar = result.injected_current() is not None
    if fig is None:
        fig = plt.figure(figsize=(7.0, 1.3 + 1.4 * n + (0.6 if bar else 0.0)))
    grid = fig.add_gridspec(n + bar, 1, height_ratios=[1.0] * n + ([0.35] if bar else []))
    first = fig.add_subplot(grid[0])
    axes = [first] + [fig.add_subplot(grid[k], sharex=first, sharey=first) for k in range(1, n)]
    trains = result.spike_trains()
    thr = float(result.dataset.attrs.get("threshold", 0.0))
    for ax, i in zip(axes, shown):
        ax.plot(result.t, flat[i], lw=1.0, color="k", label=var)
        if var == "v" and len(trains[i]):
            ax.plot(trains[i], np.full(len(trains[i]), thr), "|", color="tab:red", ms=10,
                    label="spikes")
        ax.set_ylabel(f"{var}{unit}")
        ax.ticklabel_format(axis="y", useOffset=False, style="plain")
        if labels[i]:
            ax.set_title(labels[i], fontsize=9, loc="left")
    for ax in axes[:-1]:
        ax.tick_params(labelbottom=False)
    if bar:  # the stimulus bar: the injected current of the panels shown
        axes[-1].tick_params(labelbottom=False)
        axes.append(fig.add_subplot(grid[n], sharex=first))
        _stimulus_bar(axes[-1], result, shown)
    axes[-1].set_xlabel("time (ms)")
    if n < total:
        fig.suptitle(f"{n} of {total} neurons shown (evenly spaced; plot.traces(..., "
                     f"overlay=True) draws all)", fontsize=8)
    fig.tight_layout()
    return fig


def _overlay(plt, result: Result, flat: np.ndarray, labels: list[str], var: str, unit: str,
             fig):
    bar = result.injected_current() is not None
    if fig is None:
        fig = plt.figure(figsize=(7.0, 3.5 + (0.6 if bar else 0.0)))
    grid = fig.add_gridspec(1 + bar, 1, height_ratios=[1.0] + ([0.3] if bar else []))
    ax = fig.add_subplot(grid[0])
    colours = plt.cm.viridis(np.linspace(0, 1, max(flat.shape[0], 1)))
    for i, row in enumerate(flat):
        ax.plot(result.t, row, lw=0.8, color=colours[i], label=labels[i] or None)
    ax.set(xlabel="time (ms)", ylabel=f"{var}{unit}")
    ax.ticklabel_format(axis="y", useOffset=False, style="plain")
    if 1 < flat.shape[0] <= 12 and any(labels):
        ax.legend(fontsize=7, ncol=2)
    if bar:
        ax.set_xlabel("")
        ax.tick_params(labelbottom=False)
        below = fig.add_subplot(grid[1], sharex=ax)
        _stimulus_bar(below, result, range(flat.shape[0]))
        below.set_xlabel("time (ms)")
    fig.tight_layout()
    return fig


def mechanism(result: Result, index: int = 0, window: tuple | None = None, fig=None):
    """The ionic mechanism of the spike, stacked and time-aligned: (1) V with the peak annotated,
    (2) the gates, (3) the conductances, (4) the ionic currents (outward positive, so inward
    currents point down). Needs ``record="all"`` (v, every gate, ``<ch>.g`` and ``<ch>.i``).

    ``index``: which neuron of a batch (flat C-order index); ``window``: (t0, t1) in ms.
    """
    plt = _plt()
    ds = result.dataset
    traced = [str(k) for k in ds.data_vars if "time" in ds[k].dims]
    gates = [k for k in traced if k != "v" and ds[k].attrs.get("units") == "1"]
    conds = [k for k in traced if k.endswith(".g")]
    currs = [k for k in traced if k.endswith(".i")]
    if "v" not in traced or not gates or not conds or not currs:
        raise ValidationError("record", "mechanism() needs v, the gates, the conductances "
                              "(<ch>.g) and the currents (<ch>.i) recorded; simulate with "
                              "record='all'")
    t = result.t
    sel = slice(None) if window is None else (t >= window[0]) & (t <= window[1])

    def row(name):
        da = result[name]
        return da.values.reshape(-1, da.sizes["time"])[index][sel]

    bar = result.injected_current() is not None
    if fig is None:
        fig = plt.figure(figsize=(7.5, 8.0 + (0.7 if bar else 0.0)))
    grid = fig.add_gridspec(4 + bar, 1, height_ratios=[1.0] * 4 + ([0.3] if bar else []))
    ax_v = fig.add_subplot(grid[0])
    ax_x, ax_g, ax_i = (fig.add_subplot(grid[k], sharex=ax_v) for k in (1, 2, 3))
    tt = t[sel]
    v = row("v")
    ax_v.plot(tt, v, color="k", label="V")
    ip = int(np.argmax(v))
    ax_v.annotate(f"peak {v[ip]:.1f} mV at {tt[ip]:.2f} ms", (tt[ip], v[ip]),
                  xytext=(10, -10), textcoords="offset points", fontsize=8)
    ax_v.plot([tt[ip]], [v[ip]], "o", color="tab:red", ms=4, label="peak")
    ax_v.set_ylabel("V (mV)")
    chan_color = channel_colors(_ions(result))
    colors = gate_colors(gates, chan_color)
    for name in gates:
        ax_x.plot(tt, row(name), color=colors[name], label=gate_label(name))
    ax_x.set_ylabel("gates (1)")
    ax_x.set_ylim(-0.02, 1.02)
    for name in conds:
        ch = name[:-2]
        ax_g.plot(tt, row(name), color=chan_color.get(ch, ion_color(None)),
                  label=conductance_label(ch))
    ax_g.set_ylabel("conductance (mS/cm²)")
    for name in currs:
        ch = name[:-2]
        ax_i.plot(tt, row(name), color=chan_color.get(ch, ion_color(None)),
                  label=current_label(ch))
    ax_i.axhline(0.0, color="0.6", lw=0.8)
    ax_i.set_ylabel("current (µA/cm²)\noutward +, inward −")
    for ax in (ax_v, ax_x, ax_g, ax_i):
        _legend(ax, "upper right")
    for ax in (ax_v, ax_x, ax_g):
        ax.tick_params(labelbottom=False)
    last = ax_i
    if bar:
        ax_i.tick_params(labelbottom=False)
        last = fig.add_subplot(grid[4], sharex=ax_v)
        inj = result.injected_current()
        assert inj is not None
        last.plot(tt, inj.values.reshape(-1, inj.sizes["time"])[index][sel],
                  color=STIMULUS_COLOR, lw=1.0)
        last.set_ylabel("I (µA/cm²)", fontsize=7)
        last.tick_params(labelsize=7)
        last.locator_params(axis="y", nbins=2)
    last.set_xlabel("time (ms)")
    fig.suptitle(f"Ionic mechanism of the spike ({ds.attrs.get('model', '')})")
    fig.tight_layout()
    return fig


def _ions(result: Result) -> dict[str, str | None]:
    """Channel → ion for the recorded currents ``<ch>.i`` of a result, in their order (their
    ``ion`` attribute)."""
    ds = result.dataset
    out: dict[str, str | None] = {}
    for k in ds.data_vars:
        key = str(k)
        if key.endswith(".i") and "time" in ds[key].dims:
            ion = ds[key].attrs.get("ion")
            out[key[:-2]] = None if ion in (None, "", "none") else str(ion)
    return out


def _series(result: Result, spec: str, index: int) -> np.ndarray:
    """A recorded variable, or an expression of recorded variables (``"Na.m**3 * Na.h"``)."""
    recorded = [str(k) for k in result.dataset.data_vars if "time" in result.dataset[k].dims]
    if spec in recorded:
        da = result[spec]
        return da.values.reshape(-1, da.sizes["time"])[index]
    text, env = spec, {}
    for name in sorted(recorded, key=len, reverse=True):
        safe = "r_" + name.replace(".", "_")
        if name in text:
            text = text.replace(name, safe)
            da = result[name]
            env[safe] = da.values.reshape(-1, da.sizes["time"])[index]
    expr = parse(text, allowed_names=tuple(env), field=f"phase plane axis {spec!r}")
    return expr.evaluate(env)


def phase_plane(result: Result, x: str = "v", y: str = "K.n", index: int | Sequence[int] = 0,
                arrows: int = 12, ax=None):
    """Trajectory in the (``x``, ``y``) plane with direction arrows and the start marked.

    ``x``/``y`` are recorded variables or expressions of them (e.g. ``"Na.m**3 * Na.h"``);
    ``index`` selects one or several neurons of a batch (flat C-order index).
    """
    plt = _plt()
    if ax is None:
        _, ax = plt.subplots(figsize=(5.5, 4.5))
    idx = [index] if isinstance(index, (int, np.integer)) else list(index)
    ref = result.dataset[x] if x in result.dataset else result.dataset["v"]
    names = _labels(result, ref, [d for d in ref.dims if d != "time"])
    for k, i in enumerate(idx):
        xs, ys = _series(result, x, i), _series(result, y, i)
        color = _GATE_COLORS[k % len(_GATE_COLORS)]
        label = names[i] if i < len(names) and names[i] else f"neuron {i}"
        ax.plot(xs, ys, color=color, lw=1.0, label=label)
        ax.plot(xs[0], ys[0], "o", color=color, ms=6, label=f"_start {i}")
        steps = np.linspace(0, len(xs) - 2, arrows + 2).astype(int)[1:-1]
        for s in steps:
            ax.annotate("", xy=(xs[s + 1], ys[s + 1]), xytext=(xs[s], ys[s]),
                        arrowprops={"arrowstyle": "->", "color": color, "lw": 1.2})
    ax.set_xlabel(_axis_label(result, x))
    ax.set_ylabel(_axis_label(result, y))
    ax.legend(fontsize=7)
    ax.figure.tight_layout()
    return ax.figure


def _axis_label(result: Result, spec: str) -> str:
    """Typeset (``V (mV)``, ``n (K)``, ``m³h (Na)``), with the unit of a recorded variable."""
    text = typeset(spec)
    if spec in result.dataset:
        unit = pretty_unit(result[spec].attrs.get("units", ""))
        return f"{text} ({unit})" if text == "V" or "(" not in text else \
            (text if unit in ("", "1") else f"{text} [{unit}]")
    return text


def raster(result: Result, dim: str | None = None, ax=None):
    """Spike raster: one row per neuron of the batch; with ``dim`` (a 1-D batch) the rows sit at
    that coordinate's values."""
    plt = _plt()
    if ax is None:
        _, ax = plt.subplots(figsize=(7.0, 4.0))
    trains = result.spike_trains()
    if dim is not None and result.batch_dims == (dim,):
        ys = np.asarray(result.dataset[dim].values, dtype=float)
        ylabel = f"{dim} ({result.dataset[dim].attrs.get('units', '')})"
    else:
        ys = np.arange(len(trains), dtype=float)
        ylabel = "neuron (flat batch index)"
    xs = np.concatenate(trains) if trains else np.empty(0)
    yy = np.concatenate([np.full(len(tr), y) for tr, y in zip(trains, ys)]) if trains else xs
    ax.plot(xs, yy, "|", color="k", ms=3, label="spikes")
    ax.set_xlabel("time (ms)")
    ax.set_ylabel(ylabel)
    ax.set_xlim(0, float(result.dataset.attrs["t_stop"]))
    ax.figure.tight_layout()
    return ax.figure


#: How a batch dimension is named in a title: the step's amplitude is the current I.
_SYMBOLS = {"amplitude": "I"}


def _labels(result: Result, da, batch_dims) -> list[str]:
    """``"I = 5 µA/cm², temperature = 16.3 °C"`` for each neuron of the batch."""
    if not batch_dims:
        return [""]
    ds = result.dataset
    grids = np.meshgrid(*[da[d].values if d in da.coords else np.arange(da.sizes[d])
                          for d in batch_dims], indexing="ij")
    flat = [g.reshape(-1) for g in grids]
    units = []
    for d in batch_dims:
        u = ds[d].attrs.get("units", "") if d in ds.coords else ""
        if not u and d == "amplitude":
            u = "uA/cm2"
        units.append(f" {pretty_unit(u)}" if pretty_unit(u) else "")
    return [", ".join(f"{_SYMBOLS.get(d, d)} = {_value(flat[k][i])}{units[k]}"
                      for k, d in enumerate(batch_dims)) for i in range(flat[0].size)]


def _value(x) -> str:
    return f"{x:g}" if isinstance(x, (int, float, np.integer, np.floating)) else str(x)

