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

__all__ = ["hopf_curve"]

_MAX_VALUES = 1000
_BISECTIONS = 60


def _branch(neuron: Neuron, parameter: str, value: float, grid: np.ndarray):
    branch = EquilibriumBranch(neuron, params={parameter: value})
    eig = np.linalg.eigvals(branch.jacobian(branch.state(grid)))
    return branch, eig


def _unstable_margin(neuron: Neuron, parameter: str, value: float, grid: np.ndarray) -> float:
    """The largest real part (1/ms) of a leading complex pair along the branch."""
    _, eig = _branch(neuron, parameter, value, grid)
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
    ids = {p.id for p in EquilibriumBranch(neuron).ev.ir.params}
    if parameter not in ids or parameter.startswith("stim"):
        raise ValidationError("parameter", f"unknown parameter {parameter!r} (e.g. "
                              f"{sorted(i for i in ids if not i.startswith('stim'))[:6]})")
    lo, hi = check_v_range(v_range)
    grid = np.linspace(lo, hi, int(round((hi - lo) / _GRID_STEP)) + 1)
    tables = []
    for value in values:
        branch, eig = _branch(neuron, parameter, float(value), grid)
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
            meeting.append(float(_meeting(neuron, parameter, values[a], values[a + 1], grid)))
    units = {"current": "uA/cm2", "v": "mV", "frequency_hz": "Hz", "first_lyapunov": ""}
    return xr.Dataset({k: (("value", "point"), x, {"units": units[k]})
                       for k, x in data.items()},
                      coords={"value": ("value", values)},
                      attrs={"model": neuron.name, "parameter": parameter,
                             "meeting": meeting})


def _meeting(neuron: Neuron, parameter: str, a: float, b: float, grid: np.ndarray) -> float:
    """The parameter value in (a, b) where the unstable stretch between two Hopf points
    closes (bisection on the largest leading real part)."""
    for _ in range(_BISECTIONS):
        if b - a <= 1e-6:
            break
        mid = 0.5 * (a + b)
        if _unstable_margin(neuron, parameter, mid, grid) > 0:
            a = mid
        else:
            b = mid
    return 0.5 * (a + b)
