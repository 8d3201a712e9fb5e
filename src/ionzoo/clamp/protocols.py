"""Voltage-clamp protocols, each one batch of ideal clamps (:func:`~.ideal.voltage_clamp`).

==========================  ==========================================================
:func:`activation`          step family from ``hold``: peak (or steady) conductance of a
                            channel at each level, normalised, with a fitted Boltzmann
:func:`inactivation`        prepulse family, then a test pulse: the test pulse's peak
                            conductance against the prepulse level (steady-state
                            inactivation), with a fitted Boltzmann
:func:`recovery`            two pulses separated by intervals at ``hold``: the second
                            peak over the first against the interval, with a fitted
                            single exponential (the recovery time constant)
:func:`deactivation`        a pulse that opens the channel, then steps to each tail
                            level: the instantaneous tail current (its I–V crosses zero
                            at the reversal potential) and the deactivation time constant
==========================  ==========================================================

Boltzmann: G/Gmax = 1 / (1 + exp((V½ − V)/k)), k > 0 for activation and < 0 for
inactivation (mV). Fits are least squares (:func:`scipy.optimize.curve_fit`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import xarray as xr
from scipy.optimize import curve_fit

from ..errors import ValidationError
from ..model.neuron import Neuron
from ..model.stimulus import step
from .ideal import voltage_clamp

__all__ = ["activation", "inactivation", "recovery", "deactivation", "boltzmann",
           "fit_boltzmann"]


def boltzmann(v, v_half: float, slope: float) -> np.ndarray:
    """1 / (1 + exp((v_half − v)/slope)) (v, v_half, slope in mV)."""
    return 1.0 / (1.0 + np.exp((v_half - np.asarray(v, dtype=float)) / slope))


def fit_boltzmann(v, g) -> tuple[float, float]:
    """(V½, k) in mV of the Boltzmann that fits ``g`` (normalised to at most 1) at ``v``."""
    v, g = np.asarray(v, dtype=float), np.asarray(g, dtype=float)
    ok = np.isfinite(g)
    if ok.sum() < 3:
        raise ValidationError("levels", "need at least three levels with a finite response")
    rising = g[ok][-1] >= g[ok][0]
    v_half = float(v[ok][np.argmin(np.abs(g[ok] - 0.5))])
    (vh, k), _ = curve_fit(boltzmann, v[ok], g[ok], p0=(v_half, 5.0 if rising else -5.0),
                           maxfev=10_000)
    return float(vh), float(k)


def _levels(levels) -> np.ndarray:
    arr = np.atleast_1d(np.asarray(levels, dtype=float))
    if arr.ndim != 1 or arr.size < 2 or not np.all(np.isfinite(arr)):
        raise ValidationError("levels", "need a 1-D sequence of at least two finite "
                              "voltages (mV)")
    if np.any(np.abs(arr) > 200):
        raise ValidationError("levels", "voltages must be within ±200 mV")
    return arr


def _channel(neuron: Neuron, channel: str) -> str:
    neuron.channel(channel)  # raises with the list of channels
    return channel


def activation(neuron: Neuron, channel: str, levels: Sequence[float] | np.ndarray, *,
               hold: float = -80.0, duration: float = 50.0, measure: str = "peak",
               dt: float = 0.01) -> xr.Dataset:
    """Steps from ``hold`` to each of ``levels`` (mV) for ``duration`` (ms) after 1 ms at
    hold; ``measure`` ``"peak"`` (largest conductance during the step) or ``"steady"`` (at its
    end). Returns a Dataset over ``level``: ``g`` (mS/cm²), ``g_norm``, ``current`` (the
    channel's current at the conductance's peak, µA/cm²), and attributes ``v_half``,
    ``slope`` (mV) of the fitted Boltzmann."""
    if measure not in ("peak", "steady"):
        raise ValidationError("measure", f"expected 'peak' or 'steady', got {measure!r}")
    levels = _levels(levels)
    _channel(neuron, channel)
    start = 1.0
    delta = xr.DataArray(levels - hold, dims="level", coords={"level": levels})
    res = voltage_clamp(neuron, step(delta, start, start + duration), hold=hold,
                        t_stop=start + duration, dt=dt)
    g = res[f"{channel}.g"].sel(time=slice(start, None))
    i = res[f"{channel}.i"].sel(time=slice(start, None))
    if measure == "peak":
        at = g.argmax("time")
        value, current = g.isel(time=at), i.isel(time=at)
    else:
        value, current = g.isel(time=-1), i.isel(time=-1)
    return _with_fit(levels, value, current, "level")


def inactivation(neuron: Neuron, channel: str, levels: Sequence[float] | np.ndarray, *,
                 test: float = 0.0, hold: float = -80.0, prepulse: float = 200.0,
                 duration: float = 20.0, dt: float = 0.01) -> xr.Dataset:
    """Prepulses from ``hold`` to each of ``levels`` (mV) for ``prepulse`` ms, then a test
    pulse to ``test`` mV for ``duration`` ms: the test pulse's peak conductance (mS/cm²) over
    ``level``, normalised (``g_norm``), with the fitted Boltzmann's ``v_half`` and ``slope``
    (negative) as attributes."""
    levels = _levels(levels)
    _channel(neuron, channel)
    start = 1.0
    delta = xr.DataArray(levels - hold, dims="level", coords={"level": levels})
    command = (step(delta, start, start + prepulse)
               + step(float(test - hold), start + prepulse, start + prepulse + duration))
    res = voltage_clamp(neuron, command, hold=hold, t_stop=start + prepulse + duration,
                        dt=dt)
    g = res[f"{channel}.g"].sel(time=slice(start + prepulse, None))
    at = g.argmax("time")
    return _with_fit(levels, g.isel(time=at), res[f"{channel}.i"].sel(
        time=slice(start + prepulse, None)).isel(time=at), "level")


def recovery(neuron: Neuron, channel: str, intervals: Sequence[float] | np.ndarray, *,
             level: float = 0.0, hold: float = -80.0, pulse: float = 20.0,
             dt: float = 0.01) -> xr.Dataset:
    """Two pulses to ``level`` (mV) of ``pulse`` ms, separated by ``intervals`` (ms) at
    ``hold``: ``fraction`` = second peak conductance / first, over ``interval``, with the
    fitted single exponential 1 − (1 − f0)·exp(−t/τ) (attribute ``tau``, ms)."""
    gaps = np.atleast_1d(np.asarray(intervals, dtype=float))
    if gaps.ndim != 1 or gaps.size < 3 or np.any(~np.isfinite(gaps)) or np.any(gaps < 0):
        raise ValidationError("intervals", "need at least three finite intervals >= 0 ms")
    _channel(neuron, channel)
    start, amp = 1.0, float(level - hold)
    gap = xr.DataArray(gaps, dims="interval", coords={"interval": gaps})
    second = start + pulse + gap
    t_stop = float(start + 2 * pulse + gaps.max())
    dt_steps = round(t_stop / dt)
    t_stop = dt_steps * dt if abs(dt_steps * dt - t_stop) < 1e-9 else np.ceil(t_stop / dt) * dt
    command = step(amp, start, start + pulse) + step(amp, second, second + pulse)
    res = voltage_clamp(neuron, command, hold=hold, t_stop=float(t_stop), dt=dt)
    g = res[f"{channel}.g"]
    t = res["time"]
    first = g.where((t >= start) & (t <= start + pulse)).max("time")
    peak2 = g.where((t >= second) & (t <= second + pulse)).max("time")
    frac = (peak2 / first).rename("fraction")
    (f0, tau), _ = curve_fit(lambda x, f0, tau: 1 - (1 - f0) * np.exp(-x / tau), gaps,
                             frac.values, p0=(float(frac.values[0]), float(np.median(gaps))),
                             maxfev=10_000)
    ds = xr.Dataset({"fraction": frac.assign_attrs(units="1")})
    ds.attrs.update(tau=float(tau), f0=float(f0), channel=channel, level=level, hold=hold)
    return ds


def deactivation(neuron: Neuron, channel: str, levels: Sequence[float] | np.ndarray, *,
                 activate: float = 20.0, pulse: float = 20.0, hold: float = -80.0,
                 duration: float = 30.0, power: int | None = None,
                 dt: float = 0.005) -> xr.Dataset:
    """Tail currents: a ``pulse`` (ms) from ``hold`` to ``activate`` (mV) opens the channel, then
    a step to each of ``levels`` (mV) for ``duration`` ms. Returns a Dataset over ``level``:

    * ``tail_current`` (µA/cm²): the channel's current at the start of the tail (its first
      sample, extrapolated back to the step along the fitted decay), when the conductance is
      still what the pulse left — the instantaneous I–V, linear in V; the attribute
      ``reversal`` (mV) is where its least-squares line crosses zero;
    * ``tau`` (ms): the deactivation time constant at each level, the single exponential
      fitted to the conductance's ``power``-th root (default: the power of the channel's first
      gate, as Hodgkin and Huxley fitted n⁴), over the whole tail.
    """
    levels = _levels(levels)
    name = _channel(neuron, channel)
    ch = neuron.channel(name)
    p = int(power if power is not None else (ch.gates[0].power if ch.gates else 1))
    if not 1 <= p <= 8:
        raise ValidationError("power", f"must be 1…8, got {power!r}")
    start = 1.0
    t0 = start + pulse
    tail = xr.DataArray(levels - hold, dims="level", coords={"level": levels})
    command = step(float(activate - hold), start, t0) + step(tail, t0, t0 + duration)
    res = voltage_clamp(neuron, command, hold=hold, t_stop=t0 + duration, dt=dt)
    after = res["time"] > t0 + dt / 2
    current = res[f"{name}.i"].where(after, drop=True)
    g = res[f"{name}.g"].where(after, drop=True)
    t = current["time"].values - t0
    first = current.isel(time=0, drop=True)
    taus, back = [], []
    for row in np.atleast_2d(g.transpose("level", "time").values):
        root = np.maximum(row, 0.0) ** (1.0 / p)
        (a, b, tau), _ = curve_fit(lambda x, a, b, tau: a * np.exp(-x / tau) + b, t, root,
                                   p0=(root[0] - root[-1], root[-1], duration / 5.0),
                                   maxfev=20_000)
        taus.append(tau)
        back.append(((a + b) / root[0]) ** p if root[0] > 0 else 1.0)
    # the first sample's current extrapolated back to the step along the fitted tail, as tail
    # currents are read in experiments: what the pulse's conductance passes at each level
    i0 = first * xr.DataArray(np.array(back), dims="level", coords={"level": levels})
    slope, intercept = np.polyfit(levels, i0.values, 1)
    ds = xr.Dataset({"tail_current": i0.assign_attrs(units="uA/cm2"),
                     "tau": xr.DataArray(np.array(taus), dims="level",
                                         coords={"level": levels}, attrs={"units": "ms"})})
    ds.attrs.update(reversal=float(-intercept / slope), channel=name, activate=activate,
                    pulse=pulse, hold=hold, power=p)
    return ds


def _with_fit(levels: np.ndarray, g: xr.DataArray, i: xr.DataArray, dim: str) -> xr.Dataset:
    g = g.drop_vars("time", errors="ignore")
    gmax = float(g.max())
    norm = g / gmax if gmax > 0 else g * np.nan
    vh, k = fit_boltzmann(levels, norm.values)
    ds = xr.Dataset({"g": g.assign_attrs(units="mS/cm2"),
                     "g_norm": norm.assign_attrs(units="1"),
                     "current": i.drop_vars("time", errors="ignore").assign_attrs(
                         units="uA/cm2")})
    ds.attrs.update(v_half=vh, slope=k)
    return ds
