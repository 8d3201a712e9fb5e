"""The branch of equilibria over the injected current and its special points: folds
(saddle-node bifurcations) and Hopf bifurcations with their frequency and first Lyapunov
coefficient.

The branch is the curve V ↦ (I*(V), x*(V)) of :class:`~.branch.EquilibriumBranch`, sampled on a
0.05-mV grid; along it the eigenvalues of the exact Jacobian give stability. A fold is a zero
of dI*/dV, a Hopf point a zero of the real part of the leading complex pair; each is refined
by Brent's method (1e-12 mV) from the grid interval where its test function changes sign.

First Lyapunov coefficient
--------------------------
ℓ₁ follows Kuznetsov (*Elements of Applied Bifurcation Theory*, 3rd ed., eq. 10.53 with 3.20):
with A q = iωq, Aᵀp = −iωp, ⟨q, q⟩ = 1 and ⟨p, q⟩ = 1 (⟨a, b⟩ = āᵀb),

    ℓ₁ = Re[⟨p, C(q,q,q̄)⟩ − 2⟨p, B(q, A⁻¹B(q,q̄))⟩ + ⟨p, B(q̄, (2iω − A)⁻¹B(q,q))⟩] / (2ω),

in the model's own units (V in mV, t in ms; ω in rad/ms). MatCont prints ω·ℓ₁ in the same
units; only the sign is independent of the scaling: ℓ₁ > 0 is a subcritical Hopf (an
unstable cycle is born), ℓ₁ < 0 a supercritical one. The multilinear forms B and C are central
differences of the exact Jacobian (steps 1e-4 and 1e-3 along unit vectors: truncation and
rounding both below 1e-7 relative for the zoo's models).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import xarray as xr
from scipy.optimize import brentq

from ..errors import ValidationError
from ..model.neuron import Neuron
from .branch import EquilibriumBranch, critical_pair
from .continued import Continued, InjectedCurrent, ModelParameter
from .cycles import CycleBranch, continue_cycles, continue_from_simulation
from .equilibria import DEFAULT_V_RANGE, check_v_range, classify, roots
from .parameter import ParameterCurves, check_parameter

__all__ = ["bifurcation", "Bifurcation", "first_lyapunov"]

_GRID_STEP = 0.05  # mV
_IMAG = 1e-7  # 1/ms: eigenvalues with a smaller imaginary part are real
_B_STEP, _C_STEP = 1e-4, 1e-3
#: A refined Hopf point must have its pair's real part this close to 0 (1/ms); a larger value
#: means the test function jumped (real eigenvalues turning complex away from the axis).
_HOPF_RESIDUAL = 1e-8
#: A homoclinic orbit's saddle lies within this distance (mV) of the orbit's median V.
_SADDLE_DISTANCE = 2.0
#: At most this many simulations look for a stable orbit no branch has found.
_MAX_SIMULATION_TESTS = 6


_COLUMNS = ["kind", "value", "v", "frequency_hz", "period", "first_lyapunov", "criticality",
            "detail"]


@dataclass(frozen=True)
class Bifurcation:
    """A one-parameter bifurcation diagram.

    ``equilibria``: the branch as a Dataset over ``point`` (``current`` µA/cm², ``v`` mV,
    ``stable``, ``leading_real`` — the largest real part of an eigenvalue, 1/ms);
    ``cycles``: the branches of periodic orbits born at the Hopf points
    (:class:`~.cycles.CycleBranch`: current, period, V range, Floquet multipliers, stability);
    ``special_points``: a table with columns ``kind`` (``saddle_node``, ``hopf``,
    ``fold_of_cycles``, ``homoclinic``, ``period_doubling``, ``torus``), ``value`` (the
    current, µA/cm², or the continued parameter), ``v`` (mV: the equilibrium's; an orbit's
    largest V at a fold of cycles, period doubling or torus point; a homoclinic orbit's
    saddle), ``frequency_hz`` (Hopf: ω/2π; an orbit's 1/period; a homoclinic orbit: 0),
    ``period`` (ms), ``first_lyapunov`` (Hopf; see the module docstring for its
    normalisation), ``criticality`` (Hopf only: the criticality of a period doubling or torus
    point needs their normal forms, which are not computed) and ``detail`` (a homoclinic
    orbit: ``"saddle"`` or ``"saddle-node on invariant circle"``; a period doubling: the
    multiplier; a torus point: the pair's modulus and angle).
    """

    parameter: str
    equilibria: xr.Dataset
    special_points: pd.DataFrame
    cycles: tuple[CycleBranch, ...] = ()

    def points(self, kind: str) -> pd.DataFrame:
        """The special points of one kind, in order of their value."""
        sp = self.special_points
        return sp[sp.kind == kind].sort_values("value").reset_index(drop=True)


def _leading_pair(eig: np.ndarray) -> np.ndarray:
    """Real part of the leading complex pair per row (−inf where all eigenvalues are real)."""
    re = np.where(np.abs(eig.imag) > _IMAG, eig.real, -np.inf)
    return re.max(axis=-1)


def _eig(branch: EquilibriumBranch, v) -> np.ndarray:
    return np.linalg.eigvals(branch.jacobian(branch.state(np.asarray(v, dtype=float))))


def _hopf_test(branch: EquilibriumBranch, v: float) -> float:
    return float(_leading_pair(_eig(branch, v)[None])[0])


def _scales(branch: EquilibriumBranch, x0: np.ndarray) -> np.ndarray:
    """The size of a safe step per state: 1 (mV, or a gate's fraction) except for pools,
    whose concentration (mM) may be 1e-4 and must stay positive: a step is a fraction of it."""
    return np.array([abs(x0[i]) if k in branch.pools else 1.0
                     for i, k in enumerate(branch.states)])


def _forms(branch: EquilibriumBranch, x0: np.ndarray):
    """B(x, y) and C(x, y, z) at state vector ``x0`` from central differences of the exact
    Jacobian (complex arguments by multilinearity). Each difference step is ``_B_STEP`` or
    ``_C_STEP`` times the largest multiple of its direction that stays within every state's
    scale (:func:`_scales`), so a pool is never stepped across zero."""
    scale = _scales(branch, x0)

    def step(d: np.ndarray, r: float) -> float:
        nz = np.abs(d) > 0
        return r * min(1.0, float(np.min(scale[nz] / np.abs(d[nz])))) if nz.any() else r

    def jac(x: np.ndarray) -> np.ndarray:
        return branch.jacobian(branch.as_states(x))

    def d_jac(d: np.ndarray) -> np.ndarray:  # directional derivative of J along real d
        h = step(d, _B_STEP)
        return (jac(x0 + h * d) - jac(x0 - h * d)) / (2 * h)

    def dd_jac(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        ha, hb = step(a, _C_STEP), step(b, _C_STEP)
        return (jac(x0 + ha * a + hb * b) - jac(x0 + ha * a - hb * b)
                - jac(x0 - ha * a + hb * b) + jac(x0 - ha * a - hb * b)) / (4 * ha * hb)

    def B(x: np.ndarray, y: np.ndarray) -> np.ndarray:
        return d_jac(x.real) @ y + 1j * (d_jac(x.imag) @ y)

    def C(x: np.ndarray, y: np.ndarray, z: np.ndarray) -> np.ndarray:
        parts = [(x.real, y.real, 1), (x.real, y.imag, 1j), (x.imag, y.real, 1j),
                 (x.imag, y.imag, -1)]
        return sum(w * (dd_jac(a, b) @ z) for a, b, w in parts)

    return B, C


def first_lyapunov(branch: EquilibriumBranch, v: float) -> tuple[float, float]:
    """(ℓ₁, ω) at the Hopf point of ``branch`` at voltage ``v`` (mV); ω in rad/ms."""
    x0 = branch.as_vector(branch.state(np.asarray(v, dtype=float)))
    A = branch.jacobian(branch.as_states(x0))
    lam, vecs = np.linalg.eig(A)
    k = critical_pair(lam, _IMAG)
    omega = float(lam[k].imag)
    q = vecs[:, k] / np.linalg.norm(vecs[:, k])
    lam_t, vecs_t = np.linalg.eig(A.T)
    p = vecs_t[:, int(np.argmin(np.abs(lam_t - (-1j * omega))))]
    p = p / np.conj(np.vdot(p, q))  # ⟨p, q⟩ = p̄ᵀq = 1
    B, C = _forms(branch, x0)
    n = len(q)
    term1 = np.vdot(p, C(q, q, np.conj(q)))
    term2 = np.vdot(p, B(q, np.linalg.solve(A, B(q, np.conj(q)))))
    term3 = np.vdot(p, B(np.conj(q), np.linalg.solve(2j * omega * np.eye(n) - A, B(q, q))))
    return float((term1 - 2 * term2 + term3).real / (2 * omega)), omega


def _refine(fun, grid: np.ndarray, values: np.ndarray, ok: np.ndarray) -> list[float]:
    """Roots of ``fun`` in every grid interval where ``values`` change sign (both ends ok)."""
    change = np.flatnonzero((np.sign(values[:-1]) * np.sign(values[1:]) < 0)
                            & ok[:-1] & ok[1:])
    return [brentq(fun, grid[k], grid[k + 1], xtol=1e-12, rtol=4 * np.finfo(float).eps,
                   maxiter=200) for k in change]


def _special(branch: EquilibriumBranch, grid: np.ndarray, eig: np.ndarray) -> pd.DataFrame:
    rows = []
    slope = branch.slope(grid)
    for v in _refine(lambda x: float(branch.slope(x)), grid, slope, np.isfinite(slope)):
        rows.append({"kind": "saddle_node", "value": float(branch.current(v)), "v": v,
                     "frequency_hz": np.nan, "period": np.nan, "first_lyapunov": np.nan,
                     "criticality": "", "detail": ""})
    lead = _leading_pair(eig)
    for v in _refine(lambda x: _hopf_test(branch, x), grid, lead, np.isfinite(lead)):
        if abs(_hopf_test(branch, v)) > _HOPF_RESIDUAL:
            continue  # the sign change was a jump: two real eigenvalues meeting off the axis
        l1, omega = first_lyapunov(branch, v)
        rows.append({"kind": "hopf", "value": float(branch.current(v)), "v": v,
                     "frequency_hz": omega / (2 * np.pi) * 1000.0,
                     "period": 2 * np.pi / omega, "first_lyapunov": l1,
                     "criticality": "subcritical" if l1 > 0 else "supercritical",
                     "detail": ""})
    return _table(rows)


def _table(rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=_COLUMNS).sort_values(["value", "kind"]).reset_index(
        drop=True)


def _equilibria_at(branch: EquilibriumBranch, continued: Continued, value: float,
                   v_range: tuple[float, float]) -> tuple[EquilibriumBranch, list[float]]:
    """The branch at λ = ``value`` and the voltages (mV) of its equilibria."""
    at = continued.at(branch, value)
    fixed = value if isinstance(continued, InjectedCurrent) else continued.current
    return at, list(roots(at, fixed, v_range))


def _cycle_points(branch: EquilibriumBranch, cycles: CycleBranch, folds: pd.DataFrame,
                  v_range: tuple[float, float], continued: Continued) -> list[dict]:
    """The folds of limit cycles and the homoclinic end of one cycle branch."""
    rows = [{"kind": "fold_of_cycles", "value": i, "v": v_max, "frequency_hz": 1000.0 / t,
             "period": t, "first_lyapunov": np.nan, "criticality": "", "detail": ""}
            for i, t, v_max in cycles.folds]
    rows += [{"kind": kind, "value": i, "v": v_max, "frequency_hz": 1000.0 / t, "period": t,
              "first_lyapunov": np.nan, "criticality": "", "detail": _crossing_detail(kind, mu)}
             for kind, i, t, v_max, mu, _ in cycles.crossings]
    if cycles.slow_v is None:
        return rows
    period = cycles.cycles.period.values
    stalled = cycles.end == "no convergence"
    if stalled and not period[-1] > 10 * period.min():
        return rows  # it stopped converging, but not on the way to a homoclinic orbit
    limit = float(cycles.values[-1])
    at, vs = _equilibria_at(branch, continued, limit, v_range)
    saddles = np.array([v for v in vs if classify(_eig(at, v)) == "saddle"])
    near = saddles[np.abs(saddles - cycles.slow_v) < _SADDLE_DISTANCE] if saddles.size \
        else saddles
    row = {"kind": "homoclinic", "value": limit, "v": cycles.slow_v, "frequency_hz": 0.0,
           "period": np.inf, "first_lyapunov": np.nan, "criticality": "", "detail": "saddle"}
    if near.size:
        if stalled:
            return rows  # a saddle's homoclinic value needs the converged limit
        row["v"] = float(near[np.argmin(np.abs(near - cycles.slow_v))])
    elif len(folds):
        # no equilibrium where the orbit lingers: the saddle-node has just vanished there
        k = int(np.argmin(np.abs(folds.v.to_numpy() - cycles.slow_v)))
        row.update(value=float(folds.value.iloc[k]), v=float(folds.v.iloc[k]),
                   detail="saddle-node on invariant circle")
    rows.append(row)
    return rows


def _crossing_detail(kind: str, mu: complex) -> str:
    """The multiplier at a period doubling, or the angle of the pair at a torus point."""
    if kind == "period_doubling":
        return f"multiplier {mu.real:.6f}"
    return (f"multipliers {abs(mu):.6f}·exp(±{np.angle(mu):.6f}i) "
            f"(rotation {np.angle(mu) / (2 * np.pi):.6f} per period)")


def _with_cycles(branch: EquilibriumBranch, sp: pd.DataFrame, start: float, stop: float,
                 v_range: tuple[float, float], max_period: float | None,
                 continued: Continued) -> tuple[list[CycleBranch], pd.DataFrame]:
    """Continue the periodic orbits in λ (``continued``) from every Hopf point in
    [start, stop] that no earlier branch ended at, and from simulated orbits next to folds
    (SNIC) or — when none of those is stable — at the points of :func:`_simulation_tests`;
    add their special points to ``sp``."""
    hopf = sp[sp.kind == "hopf"].reset_index(drop=True)
    folds = sp[sp.kind == "saddle_node"]
    done: list[float] = []
    branches, rows = [], sp.to_dict("records")
    for k, h in hopf.iterrows():
        if not start <= h.value <= stop or any(abs(h.value - d) < 1e-6 for d in done):
            continue
        others = np.delete(hopf.value.to_numpy(dtype=float), k)
        cb = continue_cycles(branch, float(h.v), start, stop, continued=continued,
                             value=float(h.value), hopf_values=others, max_period=max_period)
        branches.append(cb)
        if cb.end == "hopf":
            last = float(cb.values[-1])
            done.append(float(others[np.argmin(np.abs(others - last))]))
        rows.extend(_cycle_points(branch, cb, folds, v_range, continued))
    hopf_values = hopf.value.to_numpy(dtype=float)
    for fold in folds.itertuples():
        for cb in _snic_branches(branch, fold.value, rows, branches, start, stop, hopf_values,
                                 max_period, continued):
            branches.append(cb)
            rows.extend(_cycle_points(branch, cb, folds, v_range, continued))
    if not any(cb.cycles.stable.values.any() for cb in branches):
        # no stable orbit from any Hopf point or fold: a spiking orbit coexisting with a
        # stable rest state (Prinz's STG cell, Traub–Miles with M) is looked for by simulation
        for test in _simulation_tests(_table(rows), start, stop, continued):
            found = continue_from_simulation(branch, test, start, stop, continued=continued,
                                             hopf_values=hopf_values, max_period=max_period)
            for cb in found:
                branches.append(cb)
                rows.extend(_cycle_points(branch, cb, folds, v_range, continued))
            if found:
                break
    table = _table(rows)
    return branches, table[~_repeated(table)].reset_index(drop=True)


def _simulation_tests(table: pd.DataFrame, start: float, stop: float,
                      continued: Continued) -> list[float]:
    """Where to simulate for a stable orbit that no branch has found, in turn: just past
    each homoclinic end and Hopf point (10 % of the value, at least 0.1 % of the range;
    above them for the current, on both sides for another parameter — where an unstable
    branch ends, a stable one often begins), then at 10 % and 50 % of the range."""
    offsets = [1.0] if isinstance(continued, InjectedCurrent) else [1.0, -1.0]
    near = table[table.kind.isin(["homoclinic", "hopf"])].value.to_numpy(dtype=float)
    tests = [x + sign * max(0.1 * abs(x), 1e-3 * (stop - start))
             for x in np.sort(near) for sign in offsets]
    tests += [start + 0.1 * (stop - start), start + 0.5 * (stop - start)]
    return [x for x in tests if start <= x <= stop][:_MAX_SIMULATION_TESTS]


def _snic_branches(branch: EquilibriumBranch, fold: float, rows: list[dict],
                   branches: list[CycleBranch], start: float, stop: float,
                   hopf_values: np.ndarray, max_period: float | None,
                   continued: Continued) -> list[CycleBranch]:
    """The spiking orbits next to the saddle-node at λ = ``fold``, found by simulation and
    followed both ways — unless a homoclinic end already sits at this fold or a stable orbit
    of an earlier branch covers the simulated value. For the current (µA/cm²) the simulation
    runs at fold + max(0.5, 10 %) (a SNIC's orbits lie above it); for another parameter,
    whose orbits may lie on either side, at fold ± 5 % of the range, the side above first."""
    if any(r["kind"] == "homoclinic" and abs(r["value"] - fold) < 1e-9 for r in rows):
        return []
    if isinstance(continued, InjectedCurrent):
        tests = [fold + max(0.5, 0.1 * abs(fold))]
    else:
        tests = [fold + 0.05 * (stop - start), fold - 0.05 * (stop - start)]
    for test in tests:
        if not start <= test <= stop or any(_covers(cb, test) for cb in branches):
            continue
        found = continue_from_simulation(branch, test, start, stop, continued=continued,
                                         hopf_values=hopf_values, max_period=max_period)
        if found:
            return found
    return []


def _covers(cb: CycleBranch, value: float) -> bool:
    """Whether the stable orbits of ``cb`` span λ = ``value``."""
    on = cb.values[cb.cycles.stable.values]
    return bool(on.size and on.min() <= value <= on.max())


def _repeated(table: pd.DataFrame) -> pd.Series:
    """Rows that repeat an earlier row's kind and value (to 1e-7 µA/cm², a homoclinic value to
    1e-5 relative): two branches met."""
    seen: list[tuple[str, float]] = []
    flags = []
    for kind, value in zip(table.kind, table.value):
        # a homoclinic value is known to ~1e-6 of the current (the last orbit's)
        tol = 1e-5 * max(1.0, abs(value)) if kind == "homoclinic" else 1e-7
        flags.append(any(k == kind and abs(v - value) < tol for k, v in seen))
        seen.append((kind, value))
    return pd.Series(flags, index=table.index, dtype=bool)


def bifurcation(neuron: Neuron, parameter: str = "current", start: float = 0.0,
                stop: float = 200.0, *, current: float = 0.0,
                v_range: tuple[float, float] = DEFAULT_V_RANGE, cycles: bool | None = None,
                max_period: float | None = None) -> Bifurcation:
    """The bifurcation diagram of ``neuron`` in ``parameter`` from ``start`` to ``stop``.

    ``parameter="current"`` (the default) continues in the constant injected current
    (µA/cm²): the equilibrium branch with its folds and Hopf points (see the module
    docstring) and — unless ``cycles=False`` — the branches of periodic orbits born at the Hopf
    points with their folds and homoclinic ends (:mod:`.cycles`; ``max_period`` in ms bounds
    a homoclinic approach, default 50 periods of the Hopf point).

    Any other parameter id (``"K.gbar"`` mS/cm², ``"temperature"`` °C, ``"leak.e"`` mV, …)
    is continued at the fixed ``current`` (µA/cm²): the equilibria with their folds and Hopf
    points (:mod:`.parameter`) and, unless ``cycles=False``, the periodic orbits in that
    parameter (:mod:`.continued`); the tables' ``value`` is then the parameter's.
    """
    start, stop = float(start), float(stop)
    if not (np.isfinite(start) and np.isfinite(stop) and start < stop):
        raise ValidationError("start/stop", f"need finite start < stop, got {start}, {stop}")
    lo, hi = check_v_range(v_range)
    cycles = True if cycles is None else bool(cycles)
    if max_period is not None and not (isinstance(max_period, (int, float))
                                       and 0 < max_period <= 1e6):
        raise ValidationError("max_period", f"must be a period in (0, 1e6] ms, got "
                              f"{max_period!r}")
    if parameter != "current":
        return _in_parameter(neuron, parameter, start, stop, current, (lo, hi), cycles,
                             max_period)
    if current != 0.0:
        raise ValidationError("current", "the fixed current is for continuation in another "
                              "parameter; the current is the parameter here")
    branch = EquilibriumBranch(neuron)
    grid = np.linspace(lo, hi, int(round((hi - lo) / _GRID_STEP)) + 1)
    i_star = branch.current(grid)
    eig = np.linalg.eigvals(branch.jacobian(branch.state(grid)))
    inside = (i_star >= start) & (i_star <= stop)
    if not inside.any():
        raise ValidationError("start/stop", f"no equilibrium with a current in [{start}, "
                              f"{stop}] µA/cm² for V in {v_range} mV")
    sp = _special(branch, grid, eig)
    sp = sp[(sp.value >= start) & (sp.value <= stop)].reset_index(drop=True)
    orbits: list[CycleBranch] = []
    if cycles:
        orbits, sp = _with_cycles(branch, sp, start, stop, (lo, hi), max_period,
                                  InjectedCurrent())
    ds = xr.Dataset({"current": ("point", i_star[inside], {"units": "uA/cm2"}),
                     "v": ("point", grid[inside], {"units": "mV"}),
                     "stable": ("point", np.all(eig.real < 0, axis=-1)[inside]),
                     "leading_real": ("point", eig.real.max(axis=-1)[inside],
                                      {"units": "1/ms"})},
                    attrs={"model": neuron.name, "parameter": parameter})
    return Bifurcation(parameter, ds, sp, tuple(orbits))


def _in_parameter(neuron: Neuron, parameter: str, start: float, stop: float, current,
                  v_range: tuple[float, float], cycles: bool,
                  max_period: float | None) -> Bifurcation:
    """The diagram in a parameter other than the current."""
    if isinstance(current, bool) or not isinstance(current, (int, float)) \
            or not np.isfinite(current):
        raise ValidationError("current", f"must be a finite current in µA/cm², got {current!r}")
    branch = EquilibriumBranch(neuron)
    check_parameter(branch, parameter)
    curves = ParameterCurves(branch, parameter, start, stop, float(current), v_range)
    if not curves.curves:
        raise ValidationError("start/stop", f"no equilibrium at {parameter} = {start} or "
                              f"{stop} with V in {v_range} mV under {current} µA/cm²")
    sp = _table(curves.special_rows(first_lyapunov, _leading_pair, _hopf_test, _HOPF_RESIDUAL))
    orbits: list[CycleBranch] = []
    if cycles:
        continued = ModelParameter(parameter, curves.zero.p_scale, float(current))
        orbits, sp = _with_cycles(branch, sp, start, stop, v_range, max_period, continued)
    return Bifurcation(parameter, curves.dataset(neuron.name, neuron.unit(parameter)), sp,
                       tuple(orbits))
