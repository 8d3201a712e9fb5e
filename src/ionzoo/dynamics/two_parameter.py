"""Hopf points followed in a second parameter: where the Hopf currents move as temperature
rises or a conductance is blocked, and where two of them meet and vanish.

For each value of the second parameter the equilibrium branch over the current is recomputed
(exactly, see :mod:`.branch`) and its Hopf points located as in :func:`.bifurcation`; between
sampled values the curve is smooth because each point is a root of a smooth test function.
Where the number of Hopf points drops by two, the meeting value is refined by bisection on the
largest real part of the leading complex pair along the branch (positive while an unstable
stretch of the branch remains), to 1e-6 of the parameter's unit — on the 0.05-mV grid of the
branch, so a stretch narrower than that is not seen (the meeting value is then slightly low).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import xarray as xr

from ..errors import ValidationError
from ..model.neuron import Neuron
from .bifurcation import _GRID_STEP, _leading_pair, _special
from .branch import EquilibriumBranch
from .equilibria import DEFAULT_V_RANGE, check_v_range
from .parameter import ZeroCurve, check_parameter

__all__ = ["hopf_curve", "continue_point"]

_MAX_VALUES = 1000
_BISECTIONS = 60


def _branch(base: EquilibriumBranch, parameter: str, value: float, grid: np.ndarray):
    """``base`` with ``parameter`` = ``value`` (nothing lowered again) and its eigenvalues
    (1/ms) on the voltage grid."""
    branch = base.at({parameter: float(value)})
    eig = np.linalg.eigvals(branch.jacobian(branch.state(grid)))
    return branch, eig


def _unstable_margin(base: EquilibriumBranch, parameter: str, value: float,
                     grid: np.ndarray) -> float:
    """The largest real part (1/ms) of a leading complex pair along the branch."""
    _, eig = _branch(base, parameter, value, grid)
    lead = _leading_pair(eig)
    return float(np.max(lead[np.isfinite(lead)])) if np.isfinite(lead).any() else -np.inf


def hopf_curve(neuron: Neuron, parameter: str, values: Sequence[float] | np.ndarray, *,
               v_range: tuple[float, float] = DEFAULT_V_RANGE) -> xr.Dataset:
    """The Hopf points of ``neuron``'s equilibrium branch over the current at each of
    ``values`` of ``parameter`` (a parameter id: ``"temperature"`` °C, ``"K.gbar"``
    mS/cm², ``"leak.e"`` mV …).

    Returns a Dataset over ``value`` and ``point`` (Hopf points in order of current):
    ``current`` (µA/cm²), ``v`` (mV), ``frequency_hz`` and ``first_lyapunov``, NaN where a
    value has fewer points; ``attrs["meeting"]`` lists the parameter values (refined) where two
    Hopf points meet and vanish between successive ``values``.
    """
    values = np.asarray(values, dtype=float)
    if values.ndim != 1 or not 2 <= values.size <= _MAX_VALUES or \
            not np.all(np.isfinite(values)) or np.any(np.diff(values) <= 0):
        raise ValidationError("values", f"need 2 to {_MAX_VALUES} finite, increasing values")
    base = EquilibriumBranch(neuron)
    check_parameter(base, parameter)
    lo, hi = check_v_range(v_range)
    grid = np.linspace(lo, hi, int(round((hi - lo) / _GRID_STEP)) + 1)
    tables = []
    for value in values:
        branch, eig = _branch(base, parameter, float(value), grid)
        sp = _special(branch, grid, eig)
        tables.append(sp[sp.kind == "hopf"].sort_values("value"))
    width = max([len(t) for t in tables] + [1])
    cols = {"current": "value", "v": "v", "frequency_hz": "frequency_hz",
            "first_lyapunov": "first_lyapunov"}
    data = {k: np.full((values.size, width), np.nan) for k in cols}
    for a, t in enumerate(tables):
        for k, col in cols.items():
            data[k][a, : len(t)] = t[col].to_numpy(dtype=float)
    meeting = []
    counts = [len(t) for t in tables]
    for a in range(values.size - 1):
        if counts[a] - counts[a + 1] == 2:
            meeting.append(float(_meeting(base, parameter, values[a], values[a + 1], grid)))
    units = {"current": "uA/cm2", "v": "mV", "frequency_hz": "Hz", "first_lyapunov": ""}
    return xr.Dataset({k: (("value", "point"), x, {"units": units[k]})
                       for k, x in data.items()},
                      coords={"value": ("value", values)},
                      attrs={"model": neuron.name, "parameter": parameter,
                             "meeting": meeting})


def _meeting(base: EquilibriumBranch, parameter: str, a: float, b: float,
             grid: np.ndarray) -> float:
    """The parameter value in (a, b) where the unstable stretch between two Hopf points
    closes (bisection on the largest leading real part)."""
    for _ in range(_BISECTIONS):
        if b - a <= 1e-6:
            break
        mid = 0.5 * (a + b)
        if _unstable_margin(base, parameter, mid, grid) > 0:
            a = mid
        else:
            b = mid
    return 0.5 * (a + b)


#: Voltage step (mV) of the derivatives of a fold's or Hopf point's test function along its
#: curve, and Newton's tolerance there (scaled): the test functions are themselves
#: differences (a fold's) or eigenvalues, so their rounding is ~1e-9, not 1e-15.
_POINT_H_V, _POINT_TOL = 1e-3, 1e-9
_FOLD_H = 1e-5  # mV: the fold test's own central difference of I*(V)


def continue_point(neuron: Neuron, point, parameter: str, start: float, stop: float, *,
                   v_range: tuple[float, float] = DEFAULT_V_RANGE) -> xr.Dataset:
    """Follow a fold (``saddle_node``) or Hopf point of ``neuron``'s diagram in the current
    as ``parameter`` (a parameter id: ``"temperature"`` °C, ``"K.gbar"`` mS/cm² …) moves
    over [``start``, ``stop``], which must contain the neuron's own value of it.

    ``point`` is a row of :attr:`~.bifurcation.Bifurcation.special_points` (or a mapping
    with ``kind``, ``value`` and ``v``). A fold satisfies dI*/dV = 0 and a Hopf point has the
    leading complex pair on the imaginary axis; either is one equation in (V, p), so the
    point's curve is continued by pseudo-arclength in that plane (:class:`.parameter.ZeroCurve`)
    and its current is I*(V; p). Where the curve turns back in p two points of the
    diagram meet and vanish (e.g. HH's Hopf points as the temperature rises).

    Returns a Dataset over ``point`` ordered along the curve: ``value`` (the parameter),
    ``current`` (µA/cm²), ``v`` (mV) and, for a Hopf point, ``frequency_hz``; ``attrs``:
    ``kind``, ``parameter``, ``turning`` (the parameter values where the curve turns back,
    refined) and ``ends`` (for both ends: ``"range"`` or ``"undefined"`` — the test function
    stops existing there, as a Hopf curve does where its complex pair turns real).
    """
    kind, v0, i0 = _point_fields(point)
    branch = EquilibriumBranch(neuron)
    check_parameter(branch, parameter)
    start, stop = float(start), float(stop)
    p0 = float(neuron.default(parameter))
    if not (np.isfinite(start) and np.isfinite(stop) and start <= p0 <= stop and start < stop):
        raise ValidationError("start/stop", f"need start < stop around the neuron's "
                              f"{parameter} = {p0}, got {start}, {stop}")
    lo, hi = check_v_range(v_range)

    def at(p):
        return branch.with_value(parameter, p)

    def fold_test(v, p):
        b = at(p)
        return (b.current(v + _FOLD_H) - b.current(v - _FOLD_H)) / (2 * _FOLD_H)

    def hopf_test(v, p):
        b = at(p)
        return _leading_pair(np.linalg.eigvals(b.jacobian(b.state(v))))

    zero = ZeroCurve(fold_test if kind == "saddle_node" else hopf_test, parameter,
                     max((stop - start) / 10.0, 1e-12), (start, stop), (lo, hi),
                     h_v=_POINT_H_V, tol=_POINT_TOL)
    x0 = zero.correct(zero.scaled(v0, p0), np.array([0.0, 1.0]))
    if x0 is None or abs(zero.unscaled(x0)[0] - v0) > 1.0:
        raise ValidationError("point", f"no {kind} near V = {v0} mV at {parameter} = {p0}")
    v0 = zero.unscaled(x0)[0]
    down, end_down = zero.trace_to_end(v0, p0, -1.0)
    up, end_up = zero.trace_to_end(v0, p0, 1.0)
    xs = np.concatenate([down[::-1], up[1:]])
    v, p = xs[:, 0] * 10.0, xs[:, 1] * zero.p_scale
    turning = [zero.unscaled(x)[1] for x in zero.turning_points(xs)]
    data = {"value": ("point", p, {"units": neuron.unit(parameter)}),
            "current": ("point", at(p).current(v), {"units": "uA/cm2"}),
            "v": ("point", v, {"units": "mV"})}
    if kind == "hopf":
        b = at(p)
        eig = np.linalg.eigvals(b.jacobian(b.state(v)))
        omega = np.abs(eig.imag).max(axis=-1, where=np.abs(eig.real) < 1e-6, initial=0.0)
        data["frequency_hz"] = ("point", omega / (2 * np.pi) * 1000.0, {"units": "Hz"})
    return xr.Dataset(data, attrs={"model": neuron.name, "kind": kind, "parameter": parameter,
                                   "current_at_start": i0, "turning": turning,
                                   "ends": [end_down, end_up]})


def _point_fields(point) -> tuple[str, float, float]:
    """(kind, v mV, current µA/cm²) of a special point given as a table row or mapping."""
    try:
        kind, v, value = point["kind"], float(point["v"]), float(point["value"])
    except (KeyError, TypeError, ValueError, IndexError):
        raise ValidationError("point", "expected a special point (a row of special_points "
                              "with kind, value and v)") from None
    if kind not in ("saddle_node", "hopf"):
        raise ValidationError("point", f"only saddle_node and hopf points can be continued, "
                              f"got {kind!r}")
    if not (np.isfinite(v) and np.isfinite(value)):
        raise ValidationError("point", "the point's value and v must be finite")
    return kind, v, value
