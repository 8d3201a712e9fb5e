"""Branches of periodic orbits over the injected current (or any parameter of the model at a
fixed current, :mod:`.continued`), born at Hopf points or found by simulation: pseudo-arclength
continuation of the collocation problem of :mod:`.collocation`, with Floquet multipliers,
folds of limit cycles and the approach to a homoclinic orbit (period → ∞).

Continuation (Keller's pseudo-arclength): from a point u with unit tangent t the predictor
is u + Δs·t; Newton's method then solves the collocation equations, the phase condition
against the last orbit and ⟨u − u_prev, t⟩ = Δs (at most 8 iterations, converged when the
largest update is below 1e-10 in scaled units). A failed correction halves Δs; below 1e-6 the
branch ends with the reason recorded. The first step starts at the Hopf point itself, with the
tangent Re(q e^{2πiτ}) from the critical eigenvector q and the period 2π/ω.

A *fold of limit cycles* is where the current's component of the tangent changes sign; it is
refined by Brent's method on the arclength from the last point before it (the current's
component of the new tangent is zero there to 1e-10). A *homoclinic orbit* (or a saddle-node
on the invariant circle, SNIC) is reported when the period exceeds ``max_period`` and the
current has converged (:func:`_period_limit`; a slow orbit far from its limit goes on, up to
20 s or 4 × ``max_period``): the branch then hugs a saddle (or saddle-node) of the
equilibria, and its current converges as the period grows (exponentially for a saddle, as
1/T² for a SNIC, whose value is then the saddle-node's own).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
import scipy.sparse as sp
import xarray as xr
from scipy.optimize import brentq
from scipy.sparse.linalg import splu

from ..errors import ValidationError
from .branch import EquilibriumBranch, critical_pair
from .collocation import Discretisation, state_scales
from .continued import Continued, InjectedCurrent

__all__ = ["CycleBranch", "Crossing", "continue_cycles", "continue_from_simulation"]

_NEWTON = 8
_NEWTON_TOL = 1e-10
_DS_START, _DS_MIN, _DS_MAX = 0.05, 1e-6, 1.0
_INTERVALS = 90
#: When the trivial Floquet multiplier is further than this from 1 (the discretisation's
#: error in the linearisation), the mesh gets 50 % more intervals, up to _MAX_INTERVALS.
_TRIVIAL_TOL, _MAX_INTERVALS = 1e-4, 150
#: A cycle whose V amplitude falls below this (mV) after having grown has shrunk into a Hopf
#: point: the branch ends there.
_SMALL = 1e-2
#: Largest turn of the tangent in one step (radians).
_MAX_TURN = 0.2
#: A multiplier whose imaginary part is below this fraction of its modulus is real.
_REAL_MU = 1e-9


@dataclass
class _Point:
    disc: Discretisation
    u: np.ndarray
    tangent: np.ndarray
    reference: np.ndarray  # scaled nodes the phase condition of this point was solved against


class Crossing(NamedTuple):
    """A period doubling or torus point on a cycle branch: ``kind``, ``value`` (λ: the current
    in µA/cm² or the parameter), ``period`` (ms), ``v_max`` (mV), ``multiplier`` (the one on
    the unit circle; for a torus, the member of the pair with positive imaginary part) and
    ``state`` (the orbit at τ = 0, in the neuron's state order and units)."""

    kind: str
    value: float
    period: float
    v_max: float
    multiplier: complex
    state: np.ndarray


@dataclass
class CycleBranch:
    """One branch of periodic orbits: ``cycles`` is a Dataset over ``point`` with ``current``
    (µA/cm²) — or ``value``, in the parameter's unit, for a branch continued in another
    parameter (:attr:`values` is either) —, ``period`` (ms), ``frequency_hz``,
    ``v_max``/``v_min`` (mV), ``stable`` and
    ``multipliers`` (Floquet multipliers over ``mode``, sorted by decreasing modulus, the
    trivial one included; ``trivial_error`` = its distance from 1; ``stable`` ignores it);
    ``folds`` lists (current or value, period, v_max) of its folds of limit
    cycles; ``end`` says why the branch stopped (``"hopf"``, ``"range"``, ``"period"`` — a
    homoclinic approach —, ``"steps"`` or ``"no convergence"``); ``start_state`` holds one
    point of each orbit (τ = 0) in the neuron's state order and units; ``slow_v`` (mV), for a
    homoclinic approach (or a branch that stopped converging), the median V of the last orbit
    (where it lingers); ``crossings`` lists the :class:`Crossing` points where a
    nontrivial Floquet multiplier leaves or enters the unit circle other than through +1 (a
    fold): ``"period_doubling"`` (through −1) and ``"torus"`` (a complex pair; Neimark–Sacker),
    refined by Brent's method on the arclength to |μ| = 1 within ~1e-10."""

    cycles: xr.Dataset
    folds: list[tuple[float, float, float]] = field(default_factory=list)
    end: str = ""
    start_state: np.ndarray | None = None
    slow_v: float | None = None
    crossings: list[Crossing] = field(default_factory=list)

    @property
    def values(self) -> np.ndarray:
        """The continued quantity at every point (the current in µA/cm², or the parameter)."""
        name = "current" if "current" in self.cycles else "value"
        return np.asarray(self.cycles[name].values, dtype=float)


def _factor(A: sp.spmatrix):
    """The sparse LU factorisation of ``A`` (None when it is singular)."""
    try:
        return splu(A.tocsc())
    except RuntimeError:
        return None


def _newton(disc: Discretisation, guess: np.ndarray, ref: np.ndarray, prev: np.ndarray,
            tangent: np.ndarray, ds: float) -> np.ndarray | None:
    """The corrected point (or None): collocation, phase against ``ref``, arclength ``ds``
    from ``prev`` along ``tangent``.

    A chord method: the Jacobian's LU factorisation is kept while each correction is at
    most half the previous one, and refreshed otherwise (at most ``_NEWTON`` factorisations,
    twice as many iterations); it converges to the same point as Newton's method, to
    ``_NEWTON_TOL``, at a fraction of the factorisations."""
    u = guess.copy()
    phase, arc = disc.phase_row(ref), disc.inner_row(tangent)
    lu, factorisations, last = None, 0, np.inf
    for _ in range(2 * _NEWTON):
        G = np.concatenate([disc.residual(u), [phase @ u, arc @ (u - prev) - ds]])
        if not np.all(np.isfinite(G)):
            return None
        if lu is None:
            lu = _factor(sp.vstack([disc.jacobian(u), sp.csr_matrix(phase),
                                    sp.csr_matrix(arc)]))
            factorisations += 1
            if lu is None:
                return None
        with np.errstate(all="ignore"):
            du = lu.solve(-G)
        if not np.all(np.isfinite(du)):
            return None
        u = u + du
        size = float(np.max(np.abs(du)))
        if size < _NEWTON_TOL:
            return u
        if size > 0.5 * last:
            if factorisations >= _NEWTON:
                return None
            lu = None
        last = size
    return None


def _tangent(disc: Discretisation, u: np.ndarray, ref: np.ndarray,
             previous: np.ndarray) -> np.ndarray:
    """The unit tangent of the branch at ``u``, oriented along ``previous``."""
    A = sp.vstack([disc.jacobian(u), sp.csr_matrix(disc.phase_row(ref)),
                   sp.csr_matrix(disc.inner_row(previous))])
    b = np.zeros(disc.size)
    b[-1] = 1.0
    lu = _factor(A)
    if lu is None:
        return np.full(disc.size, np.nan)
    with np.errstate(all="ignore"):
        t = lu.solve(b)
    return t / np.sqrt(disc.inner_row(t) @ t)


def _hopf_start(branch: EquilibriumBranch, v: float, continued: Continued,
                value: float) -> _Point:
    """The degenerate orbit at the Hopf point at ``v`` (mV) and λ = ``value``, and its
    tangent."""
    at = continued.at(branch, value)
    x0 = at.as_vector(at.state(np.asarray(v, dtype=float)))
    lam, vecs = np.linalg.eig(at.jacobian(at.as_states(x0)))
    k = critical_pair(lam)
    omega = float(lam[k].imag)
    scale = state_scales(at, x0)
    disc = Discretisation(branch, scale, 2 * np.pi / omega,
                          np.linspace(0.0, 1.0, _INTERVALS + 1), continued)
    q = vecs[:, k] / scale
    q = q / np.linalg.norm(q)
    phi = np.real(q[None, :] * np.exp(2j * np.pi * disc.node_tau)[:, None])
    Y = np.tile(x0 / scale, (disc.nodes, 1))
    u = np.concatenate([Y.ravel(), [1.0, float(value) / continued.scale]])
    t = np.concatenate([phi.ravel(), [0.0, 0.0]])
    return _Point(disc, u, t / np.sqrt(disc.inner_row(t) @ t), phi)


def _summary(p: _Point) -> dict:
    Y, T, value = p.disc.split(p.u)
    v = p.disc.fine(Y)[:, 0] * p.disc.scale[0]
    mu, trivial = p.disc.multipliers(p.u)
    others = np.delete(mu, trivial)
    return {"value": value, "period": T, "v_max": float(v.max()), "v_min": float(v.min()),
            "multipliers": mu, "trivial": trivial, "stable": bool(np.all(np.abs(others) < 1.0)),
            "trivial_error": float(abs(mu[trivial] - 1.0)),
            "state": Y[0] * p.disc.scale}


def _step(p: _Point, ds: float) -> _Point | None:
    """One continuation step of arclength ``ds`` from ``p`` (None when Newton fails)."""
    new = _newton(p.disc, p.u + ds * p.tangent, p.reference, p.u, p.tangent, ds)
    if new is None:
        return None
    ref = new[:-2].reshape(p.disc.nodes, p.disc.n)
    period = float(new[-2]) * p.disc.period_scale
    if not period > 0:
        return None
    # the period's unit follows the period: a step changes it by a fraction, long or short
    disc, ref_moved = p.disc.remeshed(ref, period_scale=period)
    u = np.concatenate([ref_moved.ravel(), [1.0, new[-1]]])
    t = _tangent(disc, u, ref_moved, _moved(p, disc))
    if not np.all(np.isfinite(t)):
        return None
    return _Point(disc, u, t, ref_moved)


def _refined(p: _Point) -> _Point | None:
    """``p`` on a mesh with 50 % more intervals (at most ``_MAX_INTERVALS``), corrected at
    its own λ; None if the correction fails."""
    Y = p.u[:-2].reshape(p.disc.nodes, p.disc.n)
    n = min(_MAX_INTERVALS, int(p.disc.intervals * 1.5))
    disc, Ym = p.disc.remeshed(Y, intervals=n)
    return _at_value(disc, np.concatenate([Ym.ravel(), p.u[-2:]]), _moved(p, disc))


def _at_value(disc: Discretisation, guess: np.ndarray,
              orientation: np.ndarray | None = None) -> _Point | None:
    """The orbit near ``guess`` corrected at ``guess``'s own λ (the arclength row with
    the tangent e_λ and Δs = 0 pins it), with its tangent oriented along ``orientation``
    (default: increasing λ); None if the correction fails."""
    along_value = np.zeros(disc.size)
    along_value[-1] = 1.0
    ref0 = guess[:-2].reshape(disc.nodes, disc.n)
    u = _newton(disc, guess, ref0, guess, along_value, 0.0)
    if u is None:
        return None
    ref = u[:-2].reshape(disc.nodes, disc.n)
    t = _tangent(disc, u, ref, along_value if orientation is None else orientation)
    return _Point(disc, u, t, ref) if np.all(np.isfinite(t)) else None


def _refine_fold(p: _Point, ds: float) -> _Point | None:
    """The fold of cycles between ``p`` and the point ``ds`` further on: the zero of λ's
    tangent component, by Brent's method on the step length."""
    cache: dict[float, _Point | None] = {}

    def g(s: float) -> float:
        if s == 0.0:
            return float(p.tangent[-1])
        if s not in cache:
            cache[s] = _step(p, s)
        q = cache[s]
        return np.nan if q is None else float(q.tangent[-1])

    a, b = 0.0, ds
    if not (np.sign(g(a)) * np.sign(g(b)) < 0):
        return None
    try:
        s = brentq(g, a, b, xtol=1e-12, rtol=1e-12, maxiter=60)
    except ValueError:  # a correction failed inside the step: no refined fold
        return None
    return cache.get(s) or _step(p, s)


def _accepted(p: _Point, q: _Point) -> bool:
    """Whether a step turned the tangent by less than ``_MAX_TURN`` (in the scaled inner
    product): larger turns resolve a fold or a sharp bend too coarsely."""
    return float(q.disc.inner_row(q.tangent) @ _moved(p, q.disc)) >= np.cos(_MAX_TURN)


def _moved(p: _Point, disc: Discretisation) -> np.ndarray:
    """The tangent of ``p`` on the mesh of ``disc``."""
    t_old = p.tangent[:-2].reshape(p.disc.nodes, p.disc.n)
    t_period = p.tangent[-2] * p.disc.period_scale / disc.period_scale
    return np.concatenate([p.disc.evaluate(t_old, disc.node_tau).ravel(),
                           [t_period, p.tangent[-1]]])


def _reached_hopf(rows: list[dict], hopf_values: np.ndarray) -> bool:
    """Whether the last step shrank the orbit into one of the Hopf points (values of λ): the
    amplitude fell below ``_SMALL``, or fell below 5 mV with a Hopf point within the last
    step's span (the next step would pass through zero amplitude onto the same branch,
    phase-shifted)."""
    a, b = rows[-2], rows[-1]
    amp_a, amp_b = a["v_max"] - a["v_min"], b["v_max"] - b["v_min"]
    if amp_b < _SMALL:
        return True
    if not (amp_b < amp_a and amp_b < 5.0) or hopf_values.size == 0:
        return False
    span = abs(b["value"] - a["value"]) + 1e-9
    return bool(np.min(np.abs(hopf_values - b["value"])) < span)


def _homoclinic(rows: list[dict]) -> bool:
    """Whether the branch is approaching a homoclinic orbit: the period is more than five
    times the branch's shortest and grew over the last three steps (by 3 % in all) while λ
    moved by less than 1e-8 of its value each time — λ has converged (for a saddle,
    exponentially in the period) and further steps only resolve noise."""
    if len(rows) < 4:
        return False
    last = rows[-4:]
    periods = [r["period"] for r in last]
    shortest = min(r["period"] for r in rows)
    flat = all(abs(b["value"] - a["value"]) <= 1e-8 * max(1.0, abs(b["value"]))
               for a, b in zip(last[:-1], last[1:]))
    growing = bool(np.all(np.diff(periods) > 0)) and periods[-1] > 1.03 * periods[0]
    return periods[-1] > 5 * shortest and growing and flat


#: Past ``max_period`` a branch whose λ still moves like a slow orbit's goes on, up to
#: this period (ms) or ``max_period`` times _PERIOD_REACH, whichever is longer.
_LONGEST_PERIOD, _PERIOD_REACH = 20000.0, 4.0
#: λ has reached its homoclinic or SNIC limit when the limit extrapolated from the last two
#: orbits (λ linear in 1/T², a SNIC's law; a saddle's λ converges faster) is this close to
#: the last λ, relative to |λ|, and the extrapolation from the two orbits before agrees with
#: it to _LIMIT_AGREE of that distance.
_LIMIT_RTOL, _LIMIT_AGREE = 1e-4, 0.1


def _limit_gap(a: dict, b: dict) -> float:
    """λ_b − λ*, where λ* is the limit of λ = λ* + c/T² through orbits ``a`` and ``b``."""
    ta, tb = a["period"], b["period"]
    return (b["value"] - a["value"]) * ta ** 2 / (ta ** 2 - tb ** 2)


def _period_limit(rows: list[dict], max_period: float) -> bool:
    """Whether the branch ends for its period: beyond ``max_period`` (ms) once λ has
    converged (:func:`_limit_gap` of the last two orbits within ``_LIMIT_RTOL``·|λ|, and the
    limit from the two orbits before within ``_LIMIT_AGREE`` of that gap: near a fold of
    cycles the gap also shrinks, but the extrapolated limit moves with it), and in any case
    beyond max(_LONGEST_PERIOD, _PERIOD_REACH·max_period). The Hay soma's branch, followed
    down from 15 µA/cm², has 1-s orbits at 6.069 µA/cm², 0.069 from their extrapolated limit:
    it goes on to its fold of cycles (6.0276, 2.07 s), where firing starts, instead of being
    taken for a SNIC at the saddle-node (6.0437, where the stable orbit's period is 1.28 s)."""
    if not rows[-1]["period"] > max_period:
        return False
    if rows[-1]["period"] > max(_LONGEST_PERIOD, _PERIOD_REACH * max_period):
        return True
    if len(rows) < 3 or not rows[-3]["period"] < rows[-2]["period"] < rows[-1]["period"]:
        return False
    gap, before = _limit_gap(rows[-2], rows[-1]), _limit_gap(rows[-3], rows[-2])
    moved = abs((rows[-1]["value"] - gap) - (rows[-2]["value"] - before))
    return abs(gap) <= _LIMIT_RTOL * abs(rows[-1]["value"]) and moved <= _LIMIT_AGREE * abs(gap)


def continue_cycles(branch: EquilibriumBranch, v_hopf: float, start: float, stop: float, *,
                    continued: Continued | None = None, value: float | None = None,
                    hopf_values=(), max_steps: int = 400,
                    max_period: float | None = None) -> CycleBranch:
    """The branch of periodic orbits born at the Hopf point at ``v_hopf`` (mV), followed
    while λ stays within [``start``, ``stop``] until it shrinks into one of the other Hopf
    points ``hopf_values`` — see the module docstring. λ is the injected current (µA/cm²;
    the default, where ``value`` is the Hopf point's current I*(``v_hopf``)) or the
    ``continued`` parameter (:class:`~.continued.ModelParameter`), whose Hopf point is at
    λ = ``value``. ``max_period`` (ms; default 50 Hopf periods, within 1 to 20 s) ends a
    homoclinic approach; ``max_steps`` bounds the accepted steps."""
    continued = continued or InjectedCurrent()
    if value is None:
        if not isinstance(continued, InjectedCurrent):
            raise ValidationError("value", "a Hopf point in a model parameter needs its "
                                  "parameter value")
        value = float(branch.current(v_hopf))
    p = _hopf_start(branch, v_hopf, continued, float(value))
    if max_period is None:
        max_period = float(np.clip(50.0 * p.disc.period_scale, 1000.0, 20000.0))
    return _follow(branch, p, start, stop, np.asarray(hopf_values, dtype=float), max_steps,
                   max_period)


def continue_from_simulation(branch: EquilibriumBranch, value: float, start: float,
                             stop: float, *, continued: Continued | None = None,
                             hopf_values=(), max_steps: int = 400,
                             max_period: float | None = None) -> list[CycleBranch]:
    """The periodic orbit a simulation settles on at λ = ``value`` (the constant current in
    µA/cm² by default, or the ``continued`` parameter at its fixed current), followed towards
    lower and towards higher λ (two branches, lower first); ``[]`` when the simulation does
    not settle on a periodic orbit. This finds the spiking orbits of neurons that start firing
    at a saddle-node on the invariant circle, which are born at no Hopf point. Arguments as
    :func:`continue_cycles` (``max_period`` defaults to 1 s)."""
    p = _simulated_start(branch, float(value), continued or InjectedCurrent())
    if p is None:
        return []
    out = []
    for sign in (-1.0, 1.0):
        t = p.tangent * (sign * np.sign(p.tangent[-1]) or 1.0)
        q = _Point(p.disc, p.u, t, p.reference)
        out.append(_follow(branch, q, start, stop, np.asarray(hopf_values, dtype=float),
                           max_steps, 1000.0 if max_period is None else float(max_period)))
    return out


def _follow(branch: EquilibriumBranch, p: _Point, start: float, stop: float,
            others: np.ndarray, max_steps: int, max_period: float) -> CycleBranch:
    """Continuation from ``p`` (see :func:`continue_cycles`)."""
    rows: list[dict] = []
    folds: list[tuple[float, float, float]] = []
    crossings: list[Crossing] = []
    end, ds, tries = "steps", _DS_START, 0
    while len(rows) < max_steps and tries < 4 * max_steps:
        tries += 1
        q = _step(p, ds)
        if q is None or (rows and not _accepted(p, q)):
            ds /= 2.0
            if ds < _DS_MIN:
                end = "no convergence"
                break
            continue
        if rows and np.sign(q.tangent[-1]) * np.sign(p.tangent[-1]) < 0:
            fold = _refine_fold(p, ds)
            if fold is not None:
                s = _summary(fold)
                folds.append((s["value"], s["period"], s["v_max"]))
        summary = _summary(q)
        if summary["trivial_error"] > _TRIVIAL_TOL and q.disc.intervals < _MAX_INTERVALS:
            finer = _refined(q)
            if finer is not None:
                q, summary = finer, _summary(finer)
        if rows:
            crossings.extend(_stability_changes(p, rows[-1], summary, ds))
        rows.append(summary)
        p, ds = q, min(ds * 1.5, _DS_MAX)
        row = rows[-1]
        if not start <= row["value"] <= stop:
            end = "range"
        elif _period_limit(rows, max_period) or _homoclinic(rows):
            end = "period"
        elif len(rows) > 2 and _reached_hopf(rows, others):
            end = "hopf"
        else:
            continue
        break
    if end == "period":  # bifurcations in the approach to the homoclinic limit are not listed
        limit = rows[-1]["value"]
        folds = [f for f in folds if abs(f[0] - limit) > 1e-4 * max(1.0, abs(limit))]
        crossings = [c for c in crossings
                     if abs(c.value - limit) > 1e-4 * max(1.0, abs(limit))]
    return CycleBranch(_dataset(rows, branch, p.disc.continued), folds, end,
                       np.array([r["state"] for r in rows]) if rows else None,
                       _slow_voltage(p) if end in ("period", "no convergence") and rows
                       else None, crossings)


def _bounded_product(factors: np.ndarray) -> float:
    """Re Π z/max(1, |z|): the sign and zeros of Π z without overflow (multipliers of orbits
    near a saddle reach 1e10 and more)."""
    with np.errstate(all="ignore"):  # an infinite multiplier gives NaN: no sign, no crossing
        return float(np.real(np.prod(factors / np.maximum(1.0, np.abs(factors)))))


def _test_value(mu: np.ndarray, trivial: int, kind: str) -> float:
    """The test function of ``kind`` from the multipliers ``mu`` (the trivial one at index
    ``trivial``): Π(μ + 1) over all of them for a period doubling — zero exactly when a real
    multiplier is at −1 (a complex pair contributes |μ + 1|² > 0), so it changes sign even
    where the crossing multiplier is born in the same step from a pair meeting on the real
    axis —, and Π_{i<j}(μ_i μ_j − 1) over the nontrivial ones for a torus point, zero when a
    complex pair is on the unit circle (or at a neutral saddle, μ_i μ_j = 1 with both real,
    which the refinement rejects). Bounded as :func:`_bounded_product`."""
    if kind == "period_doubling":
        return _bounded_product(mu + 1.0)
    others = np.delete(mu, trivial)
    a, b = np.triu_indices(others.size, 1)
    with np.errstate(all="ignore"):
        size = np.abs(others[a]) * np.abs(others[b])
        # a product beyond 1e150 keeps only its direction (its −1 cannot matter; no overflow)
        unit = others[a] / np.abs(others[a]) * (others[b] / np.abs(others[b]))
        pairs = np.where(size < 1e150, others[a] * others[b], 1e150 * unit)
    return _bounded_product(pairs - 1.0)


def _on_circle(mu: np.ndarray, trivial: int, kind: str) -> complex | None:
    """The multiplier at −1 (period doubling) or the complex one with positive imaginary part
    on the unit circle (torus), within 1e-6; None if there is none (e.g. a neutral saddle)."""
    others = np.delete(mu, trivial)
    real = np.abs(others.imag) <= _REAL_MU * np.abs(others)
    if kind == "period_doubling":
        near = others[real & (np.abs(others + 1.0) < 1e-6)]
    else:
        near = others[~real & (others.imag > 0) & (np.abs(np.abs(others) - 1.0) < 1e-6)]
    return complex(near[0]) if near.size else None


def _stability_changes(p: _Point, before: dict, after: dict, ds: float) -> list[Crossing]:
    """Period doublings (a multiplier through −1) and torus bifurcations (a complex pair
    through the unit circle) between ``p`` (summary ``before``) and the point ``ds``
    further on (summary ``after``): where a test function of :func:`_test_value` changes
    sign, refined; none where either orbit's linearisation is inaccurate (trivial multiplier
    further than ``_TRIVIAL_TOL`` from 1)."""
    if max(before["trivial_error"], after["trivial_error"]) > _TRIVIAL_TOL:
        return []
    out = []
    for kind in ("period_doubling", "torus"):
        ends = [_test_value(r["multipliers"], r["trivial"], kind) for r in (before, after)]
        if ends[0] * ends[1] < 0:
            found = _refine_crossing(p, ds, kind)
            if found is not None:
                out.append(found)
    return out


def _refine_crossing(p: _Point, ds: float, kind: str) -> Crossing | None:
    """The :class:`Crossing` of ``kind`` between ``p`` and the point ``ds`` further on:
    Brent's method on the step length for the zero of the test function
    (:func:`_test_value`); None if the zero is not such a point (a neutral saddle) or a
    correction fails."""
    cache: dict[float, _Point | None] = {0.0: p}

    def at(s: float) -> tuple[_Point | None, np.ndarray, int]:
        if s not in cache:
            cache[s] = _step(p, s)
        q = cache[s]
        if q is None:
            return None, np.empty(0), 0
        mu, trivial = q.disc.multipliers(q.u)
        return q, mu, trivial

    def g(s: float) -> float:
        q, mu, trivial = at(s)
        return np.nan if q is None else _test_value(mu, trivial, kind)

    try:
        s = brentq(g, 0.0, ds, xtol=1e-12, rtol=1e-12, maxiter=60)
    except ValueError:  # no sign change left, or a correction failed inside the step
        return None
    q, mu, trivial = at(s)
    m = None if q is None else _on_circle(mu, trivial, kind)
    if q is None or m is None:
        return None
    row = _summary(q)
    return Crossing(kind, row["value"], row["period"], row["v_max"], m, row["state"])


def _crossings(t: np.ndarray, v: np.ndarray, level: float) -> np.ndarray:
    """Times (ms) of the upward crossings of ``level`` by ``v``, linearly interpolated."""
    k = np.flatnonzero((v[:-1] < level) & (v[1:] >= level))
    return t[k] + (level - v[k]) / (v[k + 1] - v[k]) * (t[k + 1] - t[k])


def _simulated_start(branch: EquilibriumBranch, value: float,
                     continued: Continued) -> _Point | None:
    """An orbit from a simulation (Crank–Nicolson, dt 0.01 ms) at λ = ``value``, corrected
    by Newton's method at that value; None unless its last three periods agree to 1e-3 (a
    periodic orbit, not a transient or rest). The run lasts 2 s, or 8 s when the 2-s train is
    still adapting (Traub–Miles' M-current, τ ≈ 100 ms, needs seconds to settle)."""
    for t_stop in _SIMULATED_T_STOP:
        found = _simulated_train(branch, value, continued, t_stop)
        if found is None:
            return None  # at rest, or not finite: a longer run does not help
        t, traces, times, periods = found
        if periods.size >= 3 and np.ptp(periods) <= 1e-3 * periods.mean():
            break
    else:
        return None
    a, period = times[-2], float(periods[-1])
    late = t >= t[-1] / 2

    def sample(tau: np.ndarray) -> np.ndarray:
        return np.stack([np.interp(a + tau * period, t, traces[:, i])
                         for i in range(traces.shape[1])], axis=-1)

    scale = state_scales(branch, traces[late].mean(axis=0))
    coarse = Discretisation(branch, scale, period, np.linspace(0.0, 1.0, _INTERVALS + 1),
                            continued)
    disc, _ = coarse.remeshed(sample(coarse.node_tau) / scale)
    Y = sample(disc.node_tau) / scale
    return _at_value(disc, np.concatenate([Y.ravel(), [1.0, value / continued.scale]]))


#: Durations (ms) of the simulations that look for a periodic orbit, tried in turn.
_SIMULATED_T_STOP = (2000.0, 8000.0)


def _simulated_train(branch: EquilibriumBranch, value: float, continued: Continued,
                     t_stop: float) -> tuple[np.ndarray, ...] | None:
    """(t, traces (time × state), mid-level crossing times, last three periods) of a
    ``t_stop``-ms run at λ = ``value``, measured over its second half; None when the run is
    not finite or V varies by less than 1 mV there (rest)."""
    from ..simulation import simulate

    neuron, current = continued.simulated(branch, value)
    res = simulate(neuron, float(current), t_stop=t_stop, dt=0.01, record=list(branch.states))
    t = np.asarray(res.t, dtype=float)
    traces = np.stack([np.asarray(res.dataset[k].values, dtype=float).ravel()
                       for k in branch.states], axis=-1)
    if not np.all(np.isfinite(traces)):
        return None
    late = t >= t_stop / 2
    v = traces[late, 0]
    if np.ptp(v) < 1.0:
        return None
    times = _crossings(t[late], v, 0.5 * (v.max() + v.min()))
    return t, traces, times, np.diff(times)[-3:]


def _slow_voltage(p: _Point) -> float:
    """The median V (mV) over one period of the orbit: where a long orbit near a homoclinic
    limit spends its time, next to the saddle (or saddle-node)."""
    Y, _, _ = p.disc.split(p.u)
    tau = np.linspace(0.0, 1.0, 4001)[:-1]
    return float(np.median(p.disc.evaluate(Y, tau)[:, 0] * p.disc.scale[0]))


def _dataset(rows: list[dict], branch: EquilibriumBranch, continued: Continued) -> xr.Dataset:
    """The rows as a Dataset; λ is ``current`` (µA/cm²) or ``value`` (the parameter's unit,
    with the fixed current in the attributes)."""
    n = len(branch.states)
    mu = np.array([r["multipliers"] for r in rows]).reshape(len(rows), n)
    period = np.array([r["period"] for r in rows], dtype=float)
    return xr.Dataset(
        {**_values(rows, branch, continued),
         "period": ("point", period, {"units": "ms"}),
         "frequency_hz": ("point", 1000.0 / period, {"units": "Hz"}),
         "v_max": ("point", [r["v_max"] for r in rows], {"units": "mV"}),
         "v_min": ("point", [r["v_min"] for r in rows], {"units": "mV"}),
         "stable": ("point", np.array([r["stable"] for r in rows], dtype=bool)),
         "multipliers": (("point", "mode"), mu),
         "trivial_error": ("point", [r["trivial_error"] for r in rows],
                           {"long_name": "|trivial multiplier − 1|: the discretisation's "
                                         "error in the linearisation"})},
        attrs={"model": branch.neuron.name, "parameter": continued.name,
               **({} if isinstance(continued, InjectedCurrent)
                  else {"current": continued.current})})


def _values(rows: list[dict], branch: EquilibriumBranch, continued: Continued) -> dict:
    values = [r["value"] for r in rows]
    if isinstance(continued, InjectedCurrent):
        return {"current": ("point", values, {"units": "uA/cm2"})}
    return {"value": ("point", values, {"units": branch.neuron.unit(continued.name)})}
