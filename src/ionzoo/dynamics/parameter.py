"""Equilibria continued in any parameter at a fixed injected current.

At a fixed current I₀ (µA/cm²) the equilibria of a neuron as a parameter p varies (``"K.gbar"``
mS/cm², ``"temperature"`` °C, ``"leak.e"`` mV, …) are the zero set of

    F(V, p) = I*(V; p) − I₀,

where I*(V; p) is the steady-state current of :class:`~.branch.EquilibriumBranch` with p
replaced: every equilibrium state is x*(V; p), so the branch is a curve in the (V, p) plane.
It is followed by pseudo-arclength continuation (Keller 1977) in the scaled plane
(V / 10 mV, p / p_s with p_s a tenth of the requested range), which passes folds in p without
special treatment. Each curve starts at an equilibrium at one end of the range (all roots of
F(·, p) there, as :func:`.equilibria.roots` finds them) and runs until it leaves the range of
p or V; a curve that does not reach either end of the range (an isola) is not found.

Along a curve a fold (saddle-node) is a zero of ∂F/∂V — a zero eigenvalue, as in the current
diagram — and a Hopf point a zero of the real part of the leading complex pair; each is refined
by Brent's method on the arclength between two computed points (every trial point corrected
onto the curve), and a Hopf point gets its frequency and first Lyapunov coefficient
(:func:`.bifurcation.first_lyapunov`) at the refined parameter value.

Bounds: at most 4000 accepted steps per curve; a step is halved when Newton's method (at most
10 iterations) fails or the tangent turns by more than 0.2 rad, and a step below 1e-8 of the
scaled plane is an error naming the point.
"""

from __future__ import annotations

import numpy as np
import xarray as xr
from scipy.optimize import brentq

from ..errors import IonzooError, ValidationError
from .branch import EquilibriumBranch

__all__ = ["ParameterCurves", "ZeroCurve", "check_parameter"]

_MAX_STEPS = 4000
_DS_FIRST, _DS_MAX, _DS_MIN = 0.01, 0.08, 1e-8
_ANGLE = 0.2  # rad
_NEWTON = 10
_V_SCALE = 10.0  # mV
_H_V = 1e-5  # mV: central-difference step of ∂F/∂V
_SPACING = 0.005  # scaled: the densest a curve is sampled for its special points
_MAX_POINTS = 200_000


def check_parameter(branch: EquilibriumBranch, parameter: str) -> str:
    """``parameter`` if it is the id of one of the model's parameters (not a stimulus')."""
    ids = sorted(p.id for p in branch.ev.ir.params  # the initial state is not dynamics
                 if not p.id.startswith(("stim", "initial.")) and p.id != "v_init")
    if not isinstance(parameter, str) or parameter not in ids:
        raise ValidationError("parameter", f"unknown parameter {parameter!r}; the model's "
                              f"parameters are 'current' and {ids}")
    return parameter


class ZeroCurve:
    """Pseudo-arclength continuation of the zero set of a scalar function F(V, p) in the
    scaled plane (V / 10 mV, p / ``p_scale``), inside ``p_range`` and ``v_range`` (mV).

    ``fun(v, p)`` takes equal-shaped arrays and returns F at each pair; its gradient is a
    central difference with the voltage step ``h_v`` (mV) and a relative parameter step of
    1e-6; Newton's method stops when a step is below ``tol`` (scaled). ``name`` names the
    parameter in errors.
    """

    def __init__(self, fun, name: str, p_scale: float, p_range: tuple[float, float],
                 v_range: tuple[float, float], *, h_v: float = _H_V, tol: float = 1e-12):
        self.fun, self.name, self.p_scale = fun, name, float(p_scale)
        self.p_range, self.v_range, self.h_v, self.tol = p_range, v_range, h_v, tol

    def scaled(self, v: float, p: float) -> np.ndarray:
        return np.array([v / _V_SCALE, p / self.p_scale])

    def unscaled(self, x: np.ndarray) -> tuple[float, float]:
        """(V mV, p) of a scaled point."""
        return float(x[0] * _V_SCALE), float(x[1] * self.p_scale)

    def gradient(self, x: np.ndarray) -> tuple[float, np.ndarray]:
        """F and its gradient in the scaled plane at x (central differences)."""
        f, grad = self.gradients(x[None, :])
        return float(f[0]), grad[0]

    def gradients(self, xs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """F (K,) and its scaled gradient (K, 2) at scaled points (K, 2): one batched
        evaluation of five points per point."""
        v, p = xs[:, 0] * _V_SCALE, xs[:, 1] * self.p_scale
        hp = 1e-6 * np.maximum(np.abs(p), abs(self.p_scale))
        hv = self.h_v
        with np.errstate(all="ignore"):  # undefined F (NaN, ±inf) ends a curve, see trace
            f = np.asarray(self.fun(np.concatenate([v, v + hv, v - hv, v, v]),
                                    np.concatenate([p, p, p, p + hp, p - hp])), dtype=float)
            f = f.reshape(5, -1)
            grad = np.stack([(f[1] - f[2]) / (2 * hv) * _V_SCALE,
                             (f[3] - f[4]) / (2 * hp) * self.p_scale], axis=1)
        return f[0], grad

    @staticmethod
    def tangent(grad: np.ndarray, previous: np.ndarray) -> np.ndarray:
        """The unit tangent (−∂F/∂p, ∂F/∂V) oriented along ``previous``."""
        t = np.array([-grad[1], grad[0]]) / np.hypot(*grad)
        return t if t @ previous >= 0 else -t

    def correct(self, guess: np.ndarray, normal: np.ndarray) -> np.ndarray | None:
        """Newton's method for F = 0 on the line through ``guess`` orthogonal to ``normal``
        (scaled); None when it does not converge."""
        x = guess.copy()
        for _ in range(_NEWTON):
            f, grad = self.gradient(x)
            A = np.array([grad, normal])
            if not (np.all(np.isfinite(A)) and np.isfinite(f)) or abs(np.linalg.det(A)) < 1e-14:
                return None
            dx = np.linalg.solve(A, [-f, -(normal @ (x - guess))])
            x = x + dx
            if np.hypot(*dx) < self.tol:
                return x
        return None

    def densified(self, xs: np.ndarray, spacing: float = _SPACING) -> np.ndarray:
        """The curve through the scaled points ``xs`` with points added so that neighbours are
        at most ``spacing`` apart (scaled; 0.005 is 0.05 mV in V, the current diagram's
        grid), each added point corrected onto the curve (Newton's method on all of them at
        once, orthogonally to its segment)."""
        seg = np.diff(xs, axis=0)
        length = np.hypot(seg[:, 0], seg[:, 1])
        count = np.maximum(np.ceil(length / spacing).astype(int), 1)
        if np.sum(count) > _MAX_POINTS:
            raise IonzooError(f"the curve in {self.name!r} needs more than {_MAX_POINTS} points")
        k = np.repeat(np.arange(seg.shape[0]), count)
        frac = np.concatenate([np.arange(c) / c for c in count])
        guess = xs[k] + frac[:, None] * seg[k]
        normal = seg[k] / np.where(length[k] > 0, length[k], 1.0)[:, None]
        x = guess.copy()
        for _ in range(_NEWTON):
            f, grad = self.gradients(x)
            A = np.stack([grad, normal], axis=1)  # (K, 2, 2)
            rhs = np.stack([-f, -np.einsum("ki,ki->k", normal, x - guess)], axis=1)
            with np.errstate(all="ignore"):
                dx = np.linalg.solve(A, rhs[..., None])[..., 0]
            bad = ~np.all(np.isfinite(dx), axis=1)
            dx[bad] = 0.0
            x = x + dx
            if np.max(np.hypot(dx[:, 0], dx[:, 1])) < self.tol:
                break
        original = frac == 0.0  # the traced points themselves stay as they were
        x[original] = guess[original]
        return np.concatenate([x, xs[-1:]])

    def inside(self, x: np.ndarray) -> bool:
        v, p = self.unscaled(x)
        return (self.p_range[0] <= p <= self.p_range[1]
                and self.v_range[0] <= v <= self.v_range[1])

    def trace(self, v0: float, p0: float, direction: float) -> np.ndarray:
        """The curve from the zero (v0, p0) with p moving in ``direction`` (±1) at first, until
        it leaves the ranges: scaled points (K, 2). Raises where the curve cannot be
        continued (see :meth:`trace_to_end` for curves that may end inside the ranges)."""
        xs, end = self.trace_to_end(v0, p0, direction)
        if end != "range":
            v, p = self.unscaled(xs[-1])
            raise IonzooError(f"continuation in {self.name!r} did not converge near "
                              f"{self.name} = {p:.6g}, V = {v:.6g} mV (the curve is singular "
                              f"there)")
        return xs

    def trace_to_end(self, v0: float, p0: float, direction: float) -> tuple[np.ndarray, str]:
        """As :meth:`trace`, and the reason it ended: ``"range"`` (it left the ranges) or
        ``"undefined"`` (F is not defined or not continuable beyond the last point, e.g. a
        Hopf curve whose complex pair turns real)."""
        x = self.scaled(v0, p0)
        _, grad = self.gradient(x)
        t = self.tangent(grad, np.array([0.0, direction]))
        points, ds = [x], _DS_FIRST
        for _ in range(_MAX_STEPS):
            new = self.correct(x + ds * t, t)
            if new is not None:
                t_new = self.tangent(self.gradient(new)[1], t)
            if new is None or np.arccos(np.clip(t @ t_new, -1, 1)) > _ANGLE:
                ds /= 2
                if ds < _DS_MIN:
                    return np.array(points), "undefined"
                continue
            if not self.inside(new):
                points.append(self._boundary(x, new))
                return np.array(points), "range"
            points.append(new)
            x, t, ds = new, t_new, min(ds * 1.5, _DS_MAX)
        raise IonzooError(f"continuation in {self.name!r} took more than {_MAX_STEPS} "
                          f"steps without leaving the range")

    def _boundary(self, inside: np.ndarray, outside: np.ndarray) -> np.ndarray:
        """The curve's crossing of the range's edge between two points (the exact point on
        the p edge, or the outside point on a V edge, where the run ends anyway)."""
        lo, hi = self.p_range
        p_out = self.unscaled(outside)[1]
        if not lo <= p_out <= hi:
            edge = (lo if p_out < lo else hi) / self.p_scale
            frac = (edge - inside[1]) / (outside[1] - inside[1])
            guess = inside + frac * (outside - inside)
            x = self.correct(np.array([guess[0], edge]), np.array([0.0, 1.0]))
            if x is not None:
                return x
        return outside

    def on_chord(self, a: np.ndarray, b: np.ndarray, sigma: float) -> np.ndarray:
        """The curve's point at distance ``sigma`` along the chord a → b (corrected
        orthogonally to the chord)."""
        chord = (b - a) / np.hypot(*(b - a))
        x = self.correct(a + sigma * chord, chord)
        if x is None:
            raise IonzooError(f"a special point between {self.name} = "
                              f"{self.unscaled(a)[1]:.6g} and {self.unscaled(b)[1]:.6g} could "
                              f"not be refined")
        return x

    def refine(self, a: np.ndarray, b: np.ndarray, test) -> np.ndarray:
        """The point between a and b where ``test`` (of a scaled point) changes sign."""
        length = float(np.hypot(*(b - a)))
        sigma = brentq(lambda s: test(self.on_chord(a, b, s)), 0.0, length, xtol=1e-13,
                       maxiter=200)
        return self.on_chord(a, b, sigma)

    def turning_points(self, xs: np.ndarray) -> list[np.ndarray]:
        """Where the curve (scaled points) turns back in p: zeros of ∂F/∂V."""
        slope = self.gradients(xs)[1][:, 0]
        return [self.refine(xs[k], xs[k + 1], lambda y: self.gradient(y)[1][0])
                for k in _changes(slope)]


class ParameterCurves:
    """The equilibrium curves of ``branch`` in ``parameter`` over [start, stop] at the fixed
    ``current`` (µA/cm²), computed on construction (see the module docstring)."""

    def __init__(self, branch: EquilibriumBranch, parameter: str, start: float, stop: float,
                 current: float, v_range: tuple[float, float]) -> None:
        self.base, self.parameter, self.current = branch, parameter, float(current)
        self.start, self.stop, self.v_range = float(start), float(stop), v_range
        self.zero = ZeroCurve(self._residual, parameter, (self.stop - self.start) / 10.0,
                              (self.start, self.stop), v_range)
        self.curves: list[tuple[np.ndarray, np.ndarray]] = []  # (v mV, p) per curve
        self._trace_all()

    def _at(self, p) -> EquilibriumBranch:
        return self.base.with_value(self.parameter, p)

    def _residual(self, v: np.ndarray, p: np.ndarray) -> np.ndarray:
        """F(V, p) (µA/cm²)."""
        return self._at(p).current(v) - self.current

    def _roots(self, p: float) -> list[float]:
        from .equilibria import roots

        return list(roots(self._at(p), self.current, self.v_range))

    def _trace_all(self) -> None:
        ends = {self.start: self._roots(self.start), self.stop: self._roots(self.stop)}
        for p0, direction in ((self.start, 1.0), (self.stop, -1.0)):
            while ends[p0]:
                xs = self.zero.densified(self.zero.trace(ends[p0].pop(0), p0, direction))
                v, p = xs[:, 0] * _V_SCALE, xs[:, 1] * self.zero.p_scale
                self.curves.append((v, p))
                for bound in (self.start, self.stop):  # the curve's other end is taken
                    if abs(p[-1] - bound) < 1e-9 * abs(self.zero.p_scale) and ends[bound]:
                        near = int(np.argmin(np.abs(np.asarray(ends[bound]) - v[-1])))
                        if abs(ends[bound][near] - v[-1]) < 1e-6:
                            ends[bound].pop(near)

    def special_rows(self, first_lyapunov, leading_pair, hopf_test,
                     residual: float) -> list[dict]:
        """The folds and Hopf points of every curve as rows of the special-points table."""
        rows: list[dict] = []
        z = self.zero
        for v, p in self.curves:
            xs = np.stack([v / _V_SCALE, p / z.p_scale], axis=1)
            for x in z.turning_points(xs):
                rows.append(_row("saddle_node", *z.unscaled(x)[::-1]))
            lead = leading_pair(self.eigenvalues(v, p))
            for k in _changes(lead):
                x = z.refine(xs[k], xs[k + 1], lambda y: hopf_test(
                    self._at(z.unscaled(y)[1]), z.unscaled(y)[0]))
                vv, value = z.unscaled(x)
                if abs(hopf_test(self._at(value), vv)) > residual:
                    continue  # a jump: two real eigenvalues meeting away from the axis
                l1, omega = first_lyapunov(self._at(value), vv)
                rows.append({**_row("hopf", value, vv),
                             "frequency_hz": omega / (2 * np.pi) * 1000.0,
                             "period": 2 * np.pi / omega, "first_lyapunov": l1,
                             "criticality": "subcritical" if l1 > 0 else "supercritical"})
        return rows

    def eigenvalues(self, v: np.ndarray, p: np.ndarray) -> np.ndarray:
        """Eigenvalues (1/ms) of the exact Jacobian at the points (v, p) of a curve."""
        b = self._at(p)
        return np.linalg.eigvals(b.jacobian(b.state(v)))

    def dataset(self, model: str, unit: str = "") -> xr.Dataset:
        """The curves as one Dataset over ``point``: ``value`` (the parameter), ``v`` (mV),
        ``stable``, ``leading_real`` (1/ms) and ``curve`` (which curve a point is on)."""
        parts = []
        for c, (v, p) in enumerate(self.curves):
            eig = self.eigenvalues(v, p)
            parts.append((p, v, np.all(eig.real < 0, axis=-1), eig.real.max(axis=-1),
                          np.full(v.size, c)))
        value, v, stable, lead, curve = (np.concatenate(x) for x in zip(*parts))
        return xr.Dataset({"value": ("point", value, {"units": unit}),
                           "v": ("point", v, {"units": "mV"}),
                           "stable": ("point", stable),
                           "leading_real": ("point", lead, {"units": "1/ms"}),
                           "curve": ("point", curve)},
                          attrs={"model": model, "parameter": self.parameter,
                                 "current": self.current})


def _changes(values: np.ndarray) -> np.ndarray:
    ok = np.isfinite(values)
    return np.flatnonzero((np.sign(values[:-1]) * np.sign(values[1:]) < 0) & ok[:-1] & ok[1:])


def _row(kind: str, value: float, v: float) -> dict:
    return {"kind": kind, "value": float(value), "v": float(v), "frequency_hz": np.nan,
            "period": np.nan, "first_lyapunov": np.nan, "criticality": "", "detail": ""}

