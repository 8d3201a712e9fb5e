"""Equilibria of a neuron under a constant current, their eigenvalues and their stability."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import xarray as xr
from scipy.optimize import brentq

from ..errors import ValidationError
from ..model.neuron import Neuron
from .branch import EquilibriumBranch

__all__ = ["equilibria", "classify", "roots", "check_v_range", "DEFAULT_V_RANGE"]

#: Voltages (mV) searched for equilibria unless given: wider than any zoo model's reversals.
DEFAULT_V_RANGE = (-130.0, 80.0)
#: Grid spacing (mV) of the search; roots closer than this to each other (a fold within 0.01 mV)
#: can be missed — the bifurcation diagram refines folds themselves.
_GRID_STEP = 0.01
#: An eigenvalue with |Re λ| below this (1/ms) is treated as zero when classifying.
_ZERO = 1e-9
#: Most currents in one call of :func:`equilibria`.
_MAX_CURRENTS = 10_000
#: Most equilibria reported per current.
_MAX_EQUILIBRIA = 32


def classify(eigenvalues: np.ndarray) -> str:
    """The type of an equilibrium from its eigenvalues (1/ms).

    ``stable node`` / ``stable focus`` (all real parts negative; focus when the leading
    eigenvalue is a complex pair); ``unstable focus`` (the unstable eigenvalues are one or more
    complex pairs — in more than two dimensions the others may be stable, as for HH between
    its Hopf points: the picture in the (V, n) plane); ``unstable node`` (all eigenvalues real
    and positive); ``saddle`` (a real unstable eigenvalue and stable ones); ``non-hyperbolic``
    (a real part within 1e-9/ms of zero).
    """
    lam = np.asarray(eigenvalues)
    re = lam.real
    if np.any(np.abs(re) < _ZERO):
        return "non-hyperbolic"
    unstable = lam[re > 0]
    if unstable.size == 0:
        lead = lam[np.argmax(re)]
        return "stable focus" if abs(lead.imag) > _ZERO else "stable node"
    if np.all(np.abs(unstable.imag) > _ZERO):
        return "unstable focus"
    if unstable.size == lam.size and np.all(np.abs(lam.imag) <= _ZERO):
        return "unstable node"
    return "saddle"


def check_v_range(v_range) -> tuple[float, float]:
    """``v_range`` as (low, high) mV, finite, ordered and within ±500 mV (the grids it spans are
    sized from it)."""
    try:
        lo, hi = (float(x) for x in v_range)
    except (TypeError, ValueError):
        raise ValidationError("v_range", f"expected (low, high) in mV, got {v_range!r}") from None
    if not (np.isfinite(lo) and np.isfinite(hi) and -500.0 <= lo < hi <= 500.0):
        raise ValidationError("v_range", f"needs -500 <= low < high <= 500 mV, got {v_range!r}")
    return lo, hi


def roots(branch: EquilibriumBranch, current: float,
          v_range: tuple[float, float] = DEFAULT_V_RANGE) -> np.ndarray:
    """Every V (mV) in ``v_range`` with I*(V) = ``current``: sign changes on a 0.01-mV grid,
    each refined by Brent's method to 1e-12 mV."""
    lo, hi = check_v_range(v_range)
    grid = np.linspace(lo, hi, int(round((hi - lo) / _GRID_STEP)) + 1)
    f = branch.current(grid) - current
    found = [grid[k] for k in np.flatnonzero(f == 0.0)]
    change = np.flatnonzero((np.sign(f[:-1]) * np.sign(f[1:]) < 0)
                            & np.isfinite(f[:-1]) & np.isfinite(f[1:]))
    for k in change:
        found.append(brentq(lambda x: float(branch.current(x)) - current, grid[k], grid[k + 1],
                            xtol=1e-12, rtol=4 * np.finfo(float).eps, maxiter=200))
    if len(found) > _MAX_EQUILIBRIA:
        raise ValidationError("current", f"more than {_MAX_EQUILIBRIA} equilibria at "
                              f"{current} µA/cm²")
    return np.sort(np.asarray(found, dtype=float))


def equilibria(neuron: Neuron, current: float | Sequence[float] | np.ndarray = 0.0, *,
               v_range: tuple[float, float] = DEFAULT_V_RANGE) -> xr.Dataset:
    """All equilibria of ``neuron`` under constant ``current`` (µA/cm²; a sequence makes a
    ``current`` dimension), with their eigenvalues (1/ms, from the exact Jacobian) and type.

    Returns a Dataset over (``current``, ``equilibrium``): ``v`` (mV), every state,
    ``eigenvalues`` (complex, dimension ``mode``, sorted by decreasing real part), ``type``
    (see :func:`classify`) and ``stable``; equilibria are ordered by voltage and padded with
    NaN (type ``""``) where a current has fewer.
    """
    currents = np.atleast_1d(np.asarray(current, dtype=float))
    if currents.ndim != 1 or not np.all(np.isfinite(currents)):
        raise ValidationError("current", "must be finite numbers (µA/cm²)")
    if currents.size > _MAX_CURRENTS:
        raise ValidationError("current", f"at most {_MAX_CURRENTS} currents at once "
                              f"(each is a root search over the voltage range), got "
                              f"{currents.size}")
    branch = EquilibriumBranch(neuron)
    found = [roots(branch, float(i), v_range) for i in currents]
    width = max([len(r) for r in found] + [1])
    n = len(branch.states)
    v = np.full((currents.size, width), np.nan)
    lam = np.full((currents.size, width, n), np.nan + 0j)
    for a, r in enumerate(found):
        v[a, : len(r)] = r
    ok = np.isfinite(v)
    states = branch.state(np.where(ok, v, -65.0))
    eig = np.linalg.eigvals(branch.jacobian(states)[ok])
    order = np.argsort(-eig.real, axis=-1, kind="stable")
    lam[ok] = np.take_along_axis(eig, order, axis=-1)
    types = np.full(v.shape, "", dtype=object)
    for idx in zip(*np.nonzero(ok)):
        types[idx] = classify(lam[idx])
    data = {"v": (("current", "equilibrium"), v, {"units": "mV"}),
            "eigenvalues": (("current", "equilibrium", "mode"), lam, {"units": "1/ms"}),
            "type": (("current", "equilibrium"), types.astype(str)),
            "stable": (("current", "equilibrium"),
                       ok & np.all(np.nan_to_num(lam.real, nan=1.0) < 0, axis=-1))}
    for k in branch.states[1:]:
        data[k] = (("current", "equilibrium"), np.where(ok, states[k], np.nan))
    ds = xr.Dataset(data, coords={"current": ("current", currents, {"units": "uA/cm2"})})
    ds.attrs.update(model=neuron.name, states=" ".join(branch.states))
    return ds if np.ndim(current) else ds.isel(current=0)
