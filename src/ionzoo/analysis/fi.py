"""f–I curves, rheobase and excitability class — every current of a curve in one batch.

Protocols (``protocol=``):

``"step"``
    from the neuron's initial state (rest at I = 0 for the canonical models), a step to I at
    t = 0 — the classic f–I experiment.
``"rest"``
    up-going: start *at the equilibrium for I* (v_init solved from the steady-state I–V curve,
    every gate at its steady state; then v nudged by ``perturbation`` mV so that an unstable
    equilibrium is left within the run), constant I. Firing starts only where the equilibrium
    is unstable or its basin is smaller than the nudge (HH: near the subcritical Hopf at
    9.78 µA/cm²).
``"train"``
    down-going: a spike train at ``from_current`` whose current ramps slowly down to I over
    ``settle`` ms, then I. Firing persists wherever a stable spike train exists (HH: down to
    the fold of limit cycles, 6.26 µA/cm²). Together with ``"rest"`` this reveals bistability
    and hysteresis.

Rates (Hz): ``rate`` — the firing rate of :mod:`ionzoo.rates` (1/mean ISI of the spikes in the
last ``window`` ms of the run; 0 for fewer than two), ``count_rate`` — the spikes in that window
per second; ``first_isi_rate``
— 1000/(t₂ − t₁) from the first two spikes after the protocol's start; ``last_isi_rate`` —
1000/ISI of the last two spikes, when both fall in the window (the frequency of the attained
spike train, free of slow transients near onset); NaN where undefined.
Currents are densities (µA/cm²).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import xarray as xr
from scipy.optimize import brentq

from ..errors import ValidationError
from ..limits import MAX_BISECTIONS
from ..model.neuron import Neuron
from ..model.params import number
from ..model.stimulus import Stimulus, ramp, step
from ..reference import steady_state_current as _reference_iv
from ..simulation import simulate

__all__ = ["fi_curve", "rheobase", "excitability_class", "onset_bifurcation",
           "equilibrium_voltage", "steady_state_current", "Rheobase", "Excitability"]


def steady_state_current(neuron: Neuron, v) -> np.ndarray:
    """Total steady-state ionic current (µA/cm²) at voltages v (mV): every gate at x∞(v);
    calcium at its fixed/initial value (:func:`ionzoo.reference.steady_state_current`)."""
    return _reference_iv(neuron, v)


def equilibrium_voltage(neuron: Neuron, current: float, lo: float = -120.0,
                        hi: float = 60.0) -> float:
    """The voltage (mV) where the steady-state ionic current equals ``current`` (µA/cm²); with
    several roots, the one closest to ``neuron.v_init``."""
    grid = np.linspace(lo, hi, 3601)
    f = steady_state_current(neuron, grid) - current
    roots = []
    for i in np.nonzero(np.sign(f[:-1]) * np.sign(f[1:]) <= 0)[0]:
        roots.append(brentq(lambda x: float(steady_state_current(neuron, x)) - current,
                            grid[i], grid[i + 1], xtol=1e-12))
    if not roots:
        raise ValidationError("current", f"no equilibrium between {lo} and {hi} mV for "
                              f"{current!r} µA/cm²")
    return min(roots, key=lambda r: abs(r - neuron.v_init))


def _currents(currents) -> np.ndarray:
    arr = np.atleast_1d(np.asarray(currents, dtype=float))
    if arr.ndim != 1 or arr.size == 0:
        raise ValidationError("currents", "need a non-empty 1-D sequence of currents (µA/cm²)")
    if not np.all(np.isfinite(arr)):
        raise ValidationError("currents", "must be finite")
    return arr


def fi_curve(neuron: Neuron, currents: Sequence[float] | np.ndarray, *, t_stop: float = 1000.0,
             window: float | None = None, protocol: str = "step",
             from_current: float | None = None, settle: float = 500.0, dt: float = 0.025,
             method: str = "crank_nicolson", threshold: float = 0.0,
             perturbation: float = 0.1) -> xr.Dataset:
    """The f–I curve of ``neuron`` over ``currents`` (µA/cm²), one batch.

    Returns a Dataset with ``rate``, ``count_rate`` and ``first_isi_rate`` (Hz, see the module
    docstring) and ``spike_count`` along the
    dimension ``current`` (plus any batch dimensions of the neuron). ``window`` (ms, default
    half the run after the protocol's start) is the steady-state counting window.
    """
    cur = _currents(currents)
    if protocol not in ("step", "rest", "train"):
        raise ValidationError("protocol", f"expected 'step', 'rest' or 'train', got {protocol!r}")
    coord = {"current": cur}
    amp = xr.DataArray(cur, dims="current", coords=coord)
    cell, start = neuron, 0.0
    stim: Stimulus
    if protocol == "step":
        stim = step(amp)
    elif protocol == "rest":
        v0 = np.array([equilibrium_voltage(neuron, i) for i in cur]) + perturbation
        cell = neuron.with_params(v_init=xr.DataArray(v0, dims="current", coords=coord))
        stim = step(amp)
    else:
        top = float(cur.max()) if from_current is None else float(from_current)
        stim = step(amp) + ramp(0.0, start=0.0, stop=settle, amplitude_start=xr.DataArray(
            top - cur, dims="current", coords=coord))
        start = settle
        if settle >= t_stop:
            raise ValidationError("settle", "must be shorter than t_stop")
    window = (t_stop - start) / 2.0 if window is None else float(window)
    if not 0 < window <= t_stop - start:
        raise ValidationError("window", f"must be in (0, {t_stop - start}] ms")
    res = simulate(cell, stim, t_stop=t_stop, dt=dt, method=method, record=None,
                   threshold=threshold)
    times = res.spikes
    rate = res.firing_rate(start=t_stop - window, stop=t_stop)
    count_rate = res.firing_rate(start=t_stop - window, stop=t_stop, kind="count")
    after = times.where(times >= start)
    t1 = after.min("spike")
    t2 = after.where(after > t1).min("spike")
    first = 1000.0 / (t2 - t1)
    in_window = times.where(times >= t_stop - window)
    last = in_window.max("spike")
    previous = in_window.where(in_window < last).max("spike")
    last_rate = 1000.0 / (last - previous)
    ds = xr.Dataset({"rate": rate,
                     "count_rate": count_rate,
                     "first_isi_rate": first.assign_attrs(units="Hz",
                                                          long_name="1000 / first ISI"),
                     "last_isi_rate": last_rate.assign_attrs(units="Hz",
                                                             long_name="1000 / last ISI"),
                     "spike_count": res.spike_count})
    ds["current"].attrs["units"] = "uA/cm2"
    ds.attrs.update(protocol=protocol, t_stop=t_stop, window=window, settle=settle,
                    dt=dt, method=method)
    return ds


@dataclass(frozen=True)
class Rheobase:
    """Rheobase result: ``value`` (µA/cm², the midpoint of the bracket), ``bracket``
    (last current that did not fire, first that did) and the number of batches simulated."""

    value: float
    bracket: tuple[float, float]
    batches: int
    kind: str


#: Where ``rheobase`` searches when no upper current is given (µA/cm²): window by window,
#: each twice as wide as the last, until a window fires.
_SEARCH_EDGES = (50.0, 100.0, 200.0, 400.0, 800.0)


def rheobase(neuron: Neuron, kind: str = "sustained", lo: float = 0.0, hi: float | None = None,
             tol: float = 1e-3, per_batch: int = 16, t_stop: float = 1000.0,
             dt: float = 0.025, method: str = "crank_nicolson",
             threshold: float = 0.0) -> Rheobase:
    """Smallest step current (µA/cm², from rest) that makes ``neuron`` fire.

    ``kind="single"``: at least one spike within ``t_stop``; ``"sustained"``: spikes in the
    last half of the run. The bracket is found, not assumed: one batch of ``4·per_batch``
    currents spread over [``lo``, ``hi``] finds the lowest that fires (a neuron in
    depolarisation block at ``hi`` — Wang–Buzsáki at 50 µA/cm² — is fine), then bisection on
    batches: each round simulates ``per_batch`` currents spread over the bracket and keeps the
    sub-interval where firing starts, until it is narrower than ``tol``. Within the first
    bracket firing is assumed to start once (a firing window narrower than (hi − lo)/63 can be
    missed).

    A spike is an upward crossing of ``threshold`` (mV; as :func:`fi_curve`). Without
    ``hi`` the search runs window by window — [lo, 50], [50, 100], [100, 200], … up
    to 800 µA/cm² — and stops at the first window that fires (Morris–Lecar's Hopf cell
    starts at 88 µA/cm²); with ``hi`` only [lo, hi] is searched.
    """
    if kind not in ("single", "sustained"):
        raise ValidationError("kind", f"expected 'single' or 'sustained', got {kind!r}")
    lo, tol = number("lo", lo), number("tol", tol)
    if hi is None:
        edges = [lo, *(e for e in _SEARCH_EDGES if e > lo)]
        if len(edges) < 2:
            raise ValidationError("lo", f"must be below {_SEARCH_EDGES[-1]} µA/cm² without hi")
    else:
        edges = [lo, number("hi", hi)]
    hi = edges[-1]
    if not (per_batch >= 2 and hi > lo):
        raise ValidationError("hi", "need per_batch >= 2 and hi > lo")
    resolution = 1e-12 * max(1.0, abs(lo), abs(hi))
    if not tol >= resolution:
        raise ValidationError("tol", f"must be >= {resolution:.3g} µA/cm² (the resolution of "
                              f"the bracket), got {tol!r}")
    rounds = math.ceil(math.log((hi - lo) / tol) / math.log(per_batch + 1)) if hi - lo > tol \
        else 0
    if rounds > MAX_BISECTIONS:
        raise ValidationError("tol", f"needs {rounds} rounds of bisection, more than "
                              f"{MAX_BISECTIONS}")

    def fires(currents):
        ds = fi_curve(neuron, currents, t_stop=t_stop, dt=dt, method=method,
                      threshold=threshold)
        # "sustained": at least one spike in the window (its count rate > 0; the ISI rate
        # needs two, which a train near a SNIC's onset may not fit into the window)
        return (ds.spike_count.values > 0) if kind == "single" else (ds.count_rate.values > 0)

    batches, tried = 0, 0
    for a, b in zip(edges[:-1], edges[1:]):
        search = np.linspace(a, b, 4 * per_batch)
        f = fires(search)
        batches, tried = batches + 1, tried + search.size
        if a == lo and f[0]:
            raise ValidationError("lo", f"the neuron already fires at {lo!r} µA/cm²")
        if f.any():
            break
    else:
        raise ValidationError("hi", f"the neuron does not fire anywhere in [{lo!r}, {hi!r}] "
                              f"µA/cm² ({tried} currents tried)")
    first = int(np.argmax(f))
    lo, hi = float(search[first - 1]), float(search[first])
    for _ in range(rounds + 1):  # bounded: each round shrinks the bracket per_batch + 1 times
        if not hi - lo > tol:
            break
        grid = np.linspace(lo, hi, per_batch + 2)[1:-1]
        f = fires(grid)
        batches += 1
        k = int(np.argmax(f)) if f.any() else len(grid)
        lo = float(grid[k - 1]) if k > 0 else lo
        hi = float(grid[k]) if k < len(grid) else hi
    return Rheobase(value=0.5 * (lo + hi), bracket=(lo, hi), batches=batches, kind=kind)


#: Currents probed above the rheobase bracket for an attained train (tol·2^k, k < 10).
_ONSET_PROBES = 10


@dataclass(frozen=True)
class Excitability:
    """Hodgkin's excitability class with its evidence: ``onset_current`` (µA/cm²),
    ``onset_rate`` (Hz, the frequency of the attained spike train just above onset: 1000/last
    ISI) and ``reference_rate`` (Hz, at ``reference_current``). Type I: onset_rate < ``ratio`` ×
    reference_rate (arbitrarily low rates near onset); type II: the rate jumps to a finite
    value."""

    kind: str
    onset_current: float
    onset_rate: float
    reference_current: float
    reference_rate: float
    #: With ``diagram=True``: the bifurcation at the low end of the stable spiking orbits
    #: (``"saddle-node on invariant circle"``, ``"saddle homoclinic orbit"``, ``"fold of limit
    #: cycles"`` or ``"supercritical Hopf"``) and its current (µA/cm²).
    onset_bifurcation: str = ""
    onset_bifurcation_current: float = float("nan")


_ONSET_NAMES = {"fold_of_cycles": "fold of limit cycles", "hopf": "supercritical Hopf"}


def onset_bifurcation(neuron: Neuron, lo: float = 0.0, hi: float = 50.0) -> tuple[str, float]:
    """The bifurcation where the stable spiking orbits of ``neuron`` begin, from its
    bifurcation diagram over [``lo``, ``hi``] µA/cm² (:func:`ionzoo.dynamics.bifurcation`):
    the special point nearest to the lowest current of a stable orbit, as (name, current);
    ``("", nan)`` when the diagram has no stable orbit there."""
    from ..dynamics import bifurcation

    d = bifurcation(neuron, start=lo, stop=hi)
    lows = [float(cb.cycles.current.values[cb.cycles.stable.values].min())
            for cb in d.cycles if cb.cycles.stable.values.any()]
    sp = d.special_points
    sp = sp[sp.kind.isin(["fold_of_cycles", "homoclinic", "hopf"])]
    if not lows or sp.empty:
        return "", float("nan")
    row = sp.iloc[int(np.argmin(np.abs(sp.value.to_numpy() - min(lows))))]
    if row.kind == "homoclinic":
        name = ("saddle-node on invariant circle" if row.detail.startswith("saddle-node")
                else "saddle homoclinic orbit")
    else:
        name = _ONSET_NAMES[row.kind]
    return name, float(row.value)


def excitability_class(neuron: Neuron, lo: float = 0.0, hi: float = 50.0, t_stop: float = 2000.0,
                       tol: float = 1e-3, ratio: float = 0.2, *,
                       diagram: bool = False) -> Excitability:
    """Type I or II from the rate just above the sustained-firing rheobase, compared with the
    rate at twice that current (or ``hi``); with ``diagram=True`` also the bifurcation that
    starts the firing (:func:`onset_bifurcation`: type I neurons start at a saddle-node on the
    invariant circle, type II at a Hopf point or a fold of limit cycles)."""
    rb = rheobase(neuron, "sustained", lo, hi, tol=tol, t_stop=t_stop)
    onset_i = rb.bracket[1]
    ref_i = min(2.0 * onset_i, hi) if onset_i > 0 else hi
    # Just above the onset a step from rest can start a long transient that dies before the
    # end (HH between its fold of cycles and the basin boundary: 52 spikes, then rest). The
    # onset rate is that of the first current above the bracket, in steps of tol·2^k, whose
    # train lasts through the window (window rate ≥ half the last-ISI rate).
    probes = onset_i + tol * 2.0 ** np.arange(_ONSET_PROBES)
    ds = fi_curve(neuron, [*probes, ref_i], t_stop=t_stop)
    last, window = ds.last_isi_rate.values, ds.count_rate.values
    # where fewer than two spikes fall in the window (a period longer than the window: a very
    # low rate), the window count
    rates = np.where(np.isfinite(last), last, window)
    attained = np.isfinite(last[:-1]) & (window[:-1] >= 0.5 * last[:-1])
    k = int(np.argmax(attained)) if attained.any() else 0
    onset_rate, ref_rate = float(rates[k]), float(rates[-1])
    kind = "I" if onset_rate < ratio * ref_rate else "II"
    evidence = onset_bifurcation(neuron, lo, hi) if diagram else ("", float("nan"))
    return Excitability(kind, float(probes[k]), onset_rate, ref_i, ref_rate, *evidence)
