"""Phase planes: the vector field of two states with every other state reduced explicitly, its
nullclines, and the equilibria on them.

For a two-dimensional model (Morris–Lecar, I_Na,p + I_K) the plane is the whole state space and
the nullclines are exact. For larger models each other state is *reduced*: ``"inf"`` puts it at
its steady state of the current V (Rinzel's reduction of HH takes ``Na.m`` there), a number
fixes it. Equilibria of the full model lie on both nullclines of any reduction of the
``"inf"`` kind (at an equilibrium every gate is at its steady state).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import xarray as xr

from ..errors import ValidationError
from ..model.neuron import Neuron
from .branch import EquilibriumBranch
from .equilibria import check_v_range, equilibria

__all__ = ["phase_plane"]

#: Most grid points per axis.
_MAX_GRID = 2001


def _reduced(branch: EquilibriumBranch, x: str, y: str, v: np.ndarray,
             reduce: Mapping[str, float | str]) -> dict[str, np.ndarray]:
    """Every state other than x and y on the grid: its steady state at V or a fixed value."""
    rest = branch.state(v)  # the steady state of every state at each V
    out: dict[str, np.ndarray] = {}
    for k in branch.states:
        if k in (x, y):
            continue
        how = reduce.get(k, "inf")
        if how == "inf":
            out[k] = rest[k]
        elif isinstance(how, (int, float)) and not isinstance(how, bool) and np.isfinite(how):
            out[k] = np.full(np.shape(v), float(how))
        else:
            raise ValidationError(f"reduce[{k!r}]", f"expected 'inf' or a number, got {how!r}")
    for k, c in branch.ev.concentrations().items():
        out.setdefault(k, c)
    return out


def phase_plane(neuron: Neuron, x: str = "v", y: str | None = None, current: float = 0.0, *,
                reduce: Mapping[str, float | str] | None = None,
                x_range: tuple[float, float] = (-90.0, 50.0),
                y_range: tuple[float, float] = (0.0, 1.0), n: int = 201) -> xr.Dataset:
    """The vector field (d``x``/dt, d``y``/dt) on an ``n`` × ``n`` grid of ``x`` (only ``"v"``
    so far, mV) against the state ``y`` (default: the first gate that is not at its steady
    state in the reduction, e.g. ``K.n`` for HH, ``K.w`` for Morris–Lecar), under the constant
    ``current`` (µA/cm²), every other state reduced as ``reduce`` says (see the module
    docstring).

    Returns a Dataset over (``y``, ``x``) with ``dxdt`` and ``dydt`` (their nullclines are the
    zero contours), and the equilibria of the full model (``eq_x``, ``eq_y``, ``eq_stable``,
    ``eq_type`` over ``equilibrium``).
    """
    branch = EquilibriumBranch(neuron)
    if x != "v":
        raise ValidationError("x", "only 'v' can be the horizontal axis so far")
    gates = [k for k in branch.states[1:] if k not in branch.pools]
    y = y if y is not None else (gates[-1] if gates else None)
    if y not in branch.states[1:]:
        raise ValidationError("y", f"unknown state {y!r} (states: {list(branch.states[1:])})")
    reduce = dict(reduce or {})
    unknown = set(reduce) - set(branch.states)
    if unknown:
        raise ValidationError("reduce", f"unknown state(s) {sorted(unknown)}")
    if not (isinstance(n, int) and 3 <= n <= _MAX_GRID):
        raise ValidationError("n", f"must be an integer from 3 to {_MAX_GRID}")
    lo, hi = check_v_range(x_range)
    y_lo, y_hi = (float(b) for b in y_range)
    if not (np.isfinite(y_lo) and np.isfinite(y_hi) and y_lo < y_hi):
        raise ValidationError("y_range", f"needs finite low < high, got {y_range!r}")
    xs = np.linspace(lo, hi, n)
    ys = np.linspace(y_lo, y_hi, n)
    V, Y = np.meshgrid(xs, ys)  # rows: y, columns: x
    states = {"v": V, y: Y, **_reduced(branch, x, y, V, reduce)}
    field = branch.vector_field(states, current)
    i_x, i_y = branch.states.index(x), branch.states.index(y)
    eq = equilibria(neuron, current=float(current))
    ok = np.isfinite(eq.v.values)
    ds = xr.Dataset(
        {"dxdt": (("y", "x"), field[..., i_x], {"units": "mV/ms"}),
         "dydt": (("y", "x"), field[..., i_y], {"units": "1/ms"}),
         "eq_x": ("equilibrium", eq.v.values[ok], {"units": "mV"}),
         "eq_y": ("equilibrium", eq[y].values[ok]),
         "eq_stable": ("equilibrium", eq.stable.values[ok]),
         "eq_type": ("equilibrium", eq.type.values[ok])},
        coords={"x": ("x", xs, {"units": "mV"}), "y": ("y", ys)},
        attrs={"model": neuron.name, "x_name": x, "y_name": y, "current": float(current),
               "reduction": ", ".join(f"{k}: {reduce.get(k, 'inf')}" for k in branch.states
                                      if k not in (x, y)) or "none (two-dimensional)"})
    return ds
