"""Broadcast parameter values to one batch and lay them out as the kernels' parameter table."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import numpy as np
import xarray as xr

from .errors import ValidationError
from .ir import ModelIR
from .model.neuron import Neuron
from .model.stimulus import Stimulus

__all__ = ["Batch", "build_batch"]


@dataclass
class Batch:
    """The batch: dimension names and sizes, coordinates, and the parameter table.

    ``P`` has shape (rows, N) with N = prod(sizes), rows as :attr:`ModelIR.rows` (parameters,
    then derived values); column i is neuron i in C order of ``dims``.
    """

    dims: tuple[str, ...]
    sizes: tuple[int, ...]
    coords: dict[str, Any]
    P: np.ndarray

    @property
    def n(self) -> int:
        return int(np.prod(self.sizes, dtype=np.int64)) if self.sizes else 1


_STIMULUS_PATH = re.compile(r"stim(\d+)\.(\w+)")


def _value(neuron: Neuron, components: tuple[Stimulus, ...], path: str) -> Any:
    m = _STIMULUS_PATH.fullmatch(path)
    if m:
        return getattr(components[int(m.group(1))], m.group(2))
    return neuron.value(path)


def _layout(arrays: dict[str, xr.DataArray]):
    """Aligned arrays, their broadcast template, dims, sizes and coordinates."""
    try:
        aligned = xr.align(*arrays.values(), join="exact")
    except ValueError as exc:
        raise ValidationError("batch", f"parameter arrays on the same dimension have "
                              f"different coordinates ({exc}); give them distinct "
                              "dimension names (xarray.DataArray) or equal values") from None
    template = xr.broadcast(*aligned)[0]
    dims = tuple(str(d) for d in template.dims)
    sizes = tuple(int(template.sizes[d]) for d in dims)
    coords = {str(k): c.values for k, c in template.coords.items()}
    return dict(zip(arrays, aligned)), template, dims, sizes, coords


def build_batch(neuron: Neuron, components: tuple[Stimulus, ...], ir: ModelIR,
                dtype: np.dtype) -> Batch:
    """The parameter table of ``neuron`` under ``components`` for ``ir``."""
    values = {p.id: _value(neuron, components, p.path) for p in ir.params}
    paths = {p.id: p.path for p in ir.params}
    # batch dimensions in the order the user introduced them: neuron parameters in the order
    # given to with_params(), then stimulus fields
    order = [pid for path in neuron.overrides for pid in values if paths[pid] == path]
    order += [pid for pid in values if _STIMULUS_PATH.fullmatch(paths[pid])]
    arrays = {k: values[k] for k in order
              if isinstance(values[k], xr.DataArray) and values[k].ndim > 0}
    if arrays:
        arrays, template, dims, sizes, coords = _layout(arrays)
    else:
        template, dims, sizes, coords = None, (), (), {}
    n = int(np.prod(sizes, dtype=np.int64)) if sizes else 1
    P = np.empty((len(ir.rows), n), dtype=dtype)
    env: dict[str, np.ndarray] = {}
    needed = set().union(*(d.expr.names for d in ir.derived)) if ir.derived else set()
    for row, p in enumerate(ir.params):
        val = values[p.id]
        if p.id in arrays:
            P[row] = arrays[p.id].broadcast_like(template).transpose(*dims).values.reshape(-1)
        else:
            P[row] = float(val.values) if isinstance(val, xr.DataArray) else float(val)
        if p.id in needed:
            env[p.id] = P[row].astype(float, copy=False)
    # derived values (temperature factors, RT/zF): computed once per neuron, in float64
    for k, d in enumerate(ir.derived):
        row = len(ir.params) + k
        P[row] = np.broadcast_to(d.expr.evaluate(env), (n,))
        env[d.id] = P[row].astype(float, copy=False)
    return Batch(dims=dims, sizes=sizes, coords=coords, P=np.ascontiguousarray(P))
