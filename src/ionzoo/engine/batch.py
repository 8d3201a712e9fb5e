"""Broadcast parameter values to one batch and lay them out as the kernel's parameter table."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import xarray as xr

from ..errors import ValidationError
from ..ions import nernst
from ..neuron import Neuron
from ..stimulus import Stimulus
from .codegen import Layout

__all__ = ["Batch", "build_batch"]


@dataclass
class Batch:
    """The batch: dimension names and sizes, coordinates, and the parameter table.

    ``P`` has shape (n_params, N) with N = prod(sizes); column i is neuron i in C order of
    ``dims``.
    """

    dims: tuple[str, ...]
    sizes: tuple[int, ...]
    coords: dict[str, Any]
    P: np.ndarray

    @property
    def n(self) -> int:
        return int(np.prod(self.sizes, dtype=np.int64)) if self.sizes else 1


def _component_values(components: tuple[Stimulus, ...]) -> dict[str, Any]:
    """Stimulus fields by kernel row name. Fields of several components may share a batch
    dimension (they then vary together); their coordinates must agree exactly, which
    ``build_batch`` checks."""
    values: dict[str, Any] = {}
    for k, comp in enumerate(components):
        for f in comp.numeric:
            values[f"stim{k}.{f}"] = getattr(comp, f)
    return values


def build_batch(neuron: Neuron, components: tuple[Stimulus, ...], lay: Layout,
                dtype: np.dtype) -> Batch:
    values: dict[str, Any] = {}
    for name in lay.params:
        if name in lay.derived or name.startswith("stim"):
            continue
        values[name] = neuron.value(name)
    values.update(_component_values(components))

    # Batch dimensions in the order the user introduced them: neuron parameters in the order
    # given to with_params(), then stimulus fields.
    order = [k for k in neuron.overrides if k in values] + [k for k in values
                                                           if k.startswith("stim")]
    arrays = {k: values[k] for k in order
              if isinstance(values[k], xr.DataArray) and values[k].ndim > 0}
    if arrays:
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
        arrays = dict(zip(arrays, aligned))
    else:
        dims, sizes, coords = (), (), {}
        template = None
    n = int(np.prod(sizes, dtype=np.int64)) if sizes else 1

    P = np.empty((len(lay.params), n), dtype=dtype)
    for row, name in enumerate(lay.params):
        if name in lay.derived:
            continue
        val = values[name]
        if name in arrays:
            full = arrays[name].broadcast_like(template).transpose(*dims).values
            P[row] = full.reshape(-1)
        else:
            P[row] = float(val.values) if isinstance(val, xr.DataArray) else float(val)
    # Derived rows: each channel's rate factor φ (Q10 rule or fixed factor) and, with calcium,
    # RT/(2F) in mV for the Nernst potential — computed once per neuron, not per step.
    temp = P[lay.param_row("temperature")].astype(float)
    for name, owner in lay.derived.items():
        if name == "ca._rtf2":
            P[lay.param_row(name)] = nernst(1.0, np.e, 2, temp)  # = RT/(2F)·ln(e)
            continue
        ch = neuron.channel(owner)
        vals = {k: P[lay.param_row(f"{owner}.{k}")].astype(float)
                for k in ("q10", "rate_factor") if f"{owner}.{k}" in lay.params}
        P[lay.param_row(name)] = ch.phi(temp, vals)
    return Batch(dims=dims, sizes=sizes, coords=coords, P=np.ascontiguousarray(P))
