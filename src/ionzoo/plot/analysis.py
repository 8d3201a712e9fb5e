"""Figures of analysis results: f–I curves with hysteresis, features marked on a trace,
dose–response and temperature curves. Each takes the labelled output of the matching
``ionzoo.analysis`` function and returns the Figure."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import xarray as xr

from ..analysis.features import DEFAULT_SETTINGS, FeatureSettings, trace_marks
from ..errors import ValidationError

__all__ = ["fi", "features_on_trace", "dose_response", "temperature"]

_PROTOCOL_STYLE = {"step": ("o-", "tab:blue", "step from rest"),
                   "rest": ("^-", "tab:green", "up: from the equilibrium"),
                   "train": ("v-", "tab:red", "down: from a spike train")}


def _plt():
    import matplotlib.pyplot as plt

    return plt


def _axes(ax, size):
    if ax is None:
        _, ax = _plt().subplots(figsize=size)
    return ax


def fi(curves: xr.Dataset | Sequence[xr.Dataset], rate: str = "rate", ax=None):
    """f–I curves (outputs of :func:`ionzoo.analysis.fi_curve`), one line per protocol. With an
    up-going (``"rest"``) and a down-going (``"train"``) curve, the currents where the two
    disagree (rest and firing coexist) are shaded as the bistable range."""
    if isinstance(curves, xr.Dataset):
        curves = [curves]
    if not curves:
        raise ValidationError("curves", "need at least one f–I curve")
    ax = _axes(ax, (5.5, 3.8))
    by_protocol = {}
    for ds in curves:
        if rate not in ds or "current" not in ds.coords:
            raise ValidationError("curves", f"expected fi_curve output with {rate!r}")
        proto = ds.attrs.get("protocol", "step")
        marker, color, label = _PROTOCOL_STYLE.get(proto, ("o-", None, proto))
        r = ds[rate]
        ax.plot(ds["current"].values, r.values.reshape(-1), marker, ms=3, color=color,
                label=label)
        by_protocol[proto] = (ds["current"].values, r.values.reshape(-1))
    if "rest" in by_protocol and "train" in by_protocol:
        (ic_up, r_up), (ic_dn, r_dn) = by_protocol["rest"], by_protocol["train"]
        if np.array_equal(ic_up, ic_dn):
            both = (r_dn > 0) & ~(r_up > 0)
            if both.any():
                lo, hi = ic_up[both].min(), ic_up[both].max()
                ax.axvspan(lo, hi, color="0.85", zorder=0,
                           label=f"bistable: {lo:g}–{hi:g} µA/cm²")
    ax.set_xlabel("current (µA/cm²)")
    ax.set_ylabel(f"{rate.replace('_', ' ')} (Hz)")
    ax.legend(frameon=False)
    ax.figure.tight_layout()
    return ax.figure


def features_on_trace(t, v, stim_start: float, stim_end: float,
                      settings: FeatureSettings = DEFAULT_SETTINGS, ax=None):
    """A voltage trace (t in ms, v in mV) with eFEL's measurements marked where they are taken:
    AP onset (dV/dt threshold), peak, half-width bar, AHP minimum, voltage base and the
    stimulus window."""
    out, _, marks = trace_marks(t, v, stim_start, stim_end, settings)
    if not marks:
        raise ValidationError("v", "the trace contains NaN")
    ax = _axes(ax, (7.5, 4.0))
    ti, vi = marks["t"], marks["v"]
    ax.plot(ti, vi, color="k", lw=1, label="V")
    ax.axvspan(stim_start, stim_end, color="0.93", zorder=0, label="stimulus")
    if np.isfinite(marks["voltage_base"]):
        ax.axhline(marks["voltage_base"], color="tab:gray", ls=":", lw=1,
                   label=f"voltage_base {marks['voltage_base']:.1f} mV")
    ax.axhline(settings.threshold, color="tab:gray", ls="--", lw=0.8,
               label=f"threshold {settings.threshold:g} mV")
    p, b, a = marks["peak"], marks["begin"], marks["ahp"]
    ax.plot(ti[p], vi[p], "v", color="tab:red", ms=5, label="peak (AP_height)")
    if len(b):
        ax.plot(ti[b], vi[b], "o", color="tab:green", ms=4, label="AP onset (AP_begin)")
    if len(a):
        ax.plot(ti[a], vi[a], "^", color="tab:blue", ms=5, label="AHP minimum")
    for k, (r0, r1, lev) in enumerate(zip(marks["half_rise"], marks["half_fall"],
                                          marks["half_level"])):
        ax.plot([r0, r1], [lev, lev], color="tab:purple", lw=2,
                label="spike_half_width" if k == 0 else None)
    ax.set_xlabel("time (ms)")
    ax.set_ylabel("V (mV)")
    ax.set_title(f"{out['spike_count']} spikes; eFEL threshold {settings.threshold:g} mV")
    ax.legend(frameon=False, fontsize=7, loc="upper right")
    ax.figure.tight_layout()
    return ax.figure


def dose_response(ds: xr.Dataset, ax=None):
    """Output of :func:`ionzoo.analysis.dose_response`: firing rate against concentration
    (log axis) and, on the right axis, the fraction of ḡ blocked (the Hill curve) with the
    IC50 marked."""
    for name in ("rate", "fraction_blocked"):
        if name not in ds:
            raise ValidationError("ds", f"expected dose_response output with {name!r}")
    ax = _axes(ax, (5.5, 3.8))
    c = ds["concentration"].values
    unit = ds.attrs.get("unit", "")
    positive = c > 0
    floor = c[positive].min() / 3 if positive.any() else 1.0
    x = np.where(positive, c, floor)  # control (0) drawn at the left edge
    ax.plot(x, ds["rate"].values, "o-", color="k", label="firing rate")
    ax.set_xscale("log")
    ax.set_xlabel(f"{ds.attrs.get('drug', 'drug')} ({unit}; control at left)")
    ax.set_ylabel("rate (Hz)")
    right = ax.twinx()
    grid = np.logspace(np.log10(floor), np.log10(max(x.max(), floor * 10)), 200)
    ic50 = float(ds.attrs.get("ic50", np.nan))
    n = float(ds.attrs.get("hill", 1.0))
    hill = grid ** n / (grid ** n + ic50 ** n) if np.isfinite(ic50) else None
    if hill is not None:
        right.plot(grid, hill, color="tab:orange", lw=1, label="fraction of ḡ blocked")
        right.axvline(ic50, color="tab:orange", ls=":", lw=1)
    right.plot(x, ds["fraction_blocked"].values, "s", color="tab:orange", ms=3)
    right.set_ylim(-0.02, 1.02)
    right.set_ylabel("fraction blocked")
    ax.set_title(f"{ds.attrs.get('drug', '')} (IC50 {ic50:g} {unit}, "
                 f"{ds.attrs.get('subtype', '')}) at {ds.attrs.get('current', np.nan):g} µA/cm²",
                 fontsize=9)
    lines = ax.get_lines() + right.get_lines()[:1]
    ax.legend(lines, [ln.get_label() for ln in lines], frameon=False, fontsize=8)
    ax.figure.tight_layout()
    return ax.figure


def temperature(ds: xr.Dataset, fig=None):
    """Output of :func:`ionzoo.analysis.temperature_sweep`: first-spike half-width, firing rate
    and spike threshold against temperature."""
    for name in ("spike_half_width", "rate", "threshold"):
        if name not in ds:
            raise ValidationError("ds", f"expected temperature_sweep output with {name!r}")
    plt = _plt()
    if fig is None:
        fig = plt.figure(figsize=(9.0, 3.2))
    axes = fig.subplots(1, 3)
    temp = ds["temperature"].values
    for ax, name, label in zip(axes, ("spike_half_width", "rate", "threshold"),
                               ("first-spike half-width (ms)", "rate (Hz, 1/mean ISI)",
                                "spike threshold (mV)")):
        ax.plot(temp, ds[name].values, "o-", color="k", ms=4, label=name)
        ax.set_xlabel("temperature (°C)")
        ax.set_ylabel(label)
    fig.tight_layout()
    return fig
