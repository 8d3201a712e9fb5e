"""The Prinz, Billimoria & Marder (2003) database as a sweep spec."""

from __future__ import annotations

from typing import Any

from ..zoo.models.prinz2003 import GRID
from .spec import SweepSpec, load_spec

__all__ = ["prinz_grid_spec"]


def prinz_grid_spec(t_stop: float = 12_000.0, transient: float = 4_000.0, dt: float = 0.05,
                    dtype: str = "float64", method: str = "backward_euler",
                    levels: dict[str, list[float]] | None = None, **analysis: Any) -> SweepSpec:
    """The 6⁸ = 1,679,616-model grid of Prinz et al. (2003) on :func:`ionzoo.models.prinz_stg`
    (axes in database order, so model i is the database's model number i + 1), spontaneous
    activity (no stimulus), classified over [``transient``, ``t_stop``) ms. ``levels``
    replaces some axes (e.g. two levels each for a laptop-sized grid); ``analysis`` sets the
    rules of :class:`~ionzoo.analysis.ActivityRules`. The defaults (12 s, 4 s discarded,
    backward Euler dt = 0.05 ms in float64) are this project's choice, measured in
    docs/benchmarks.md (float32 is 1.35× faster but changes the class of 2.5 % of the
    models against dt/2 in float64, float64 1.1 %); the 2003 paper's own protocol is not
    verified."""
    axes = {k: list(v) for k, v in GRID.items()}
    axes.update({k: list(v) for k, v in (levels or {}).items()})
    return load_spec({"model": "prinz_stg", "t_stop": t_stop, "dt": dt, "dtype": dtype,
                      "method": method, "design": {"kind": "grid", "axes": axes},
                      "analysis": {"start": transient, **analysis}})
