"""The models of a design as a table of parameter values, computed piece by piece so that a
worker builds only its own chunk (a 1.68 M-model grid is never materialised).

Grid: model i (0-based) has, for axes of sizes n₀ … n_{d−1}, the index digits of i in the
mixed radix (n₀, …, n_{d−1}), the first axis most significant (C order). Random: row i of a
PCG64 stream seeded with ``seed`` (the whole table is drawn at once in blocks of rows, so a
chunk's values do not depend on the chunk size). Sobol: SciPy's scrambled Sobol sequence with
``seed``, points i of the base-2 sequence.
"""

from __future__ import annotations

import warnings

import numpy as np

from .spec import MAX_MODELS, GridDesign, ListDesign, SampleDesign, SweepSpec

__all__ = ["n_models", "design_rows", "grid_shape"]

_BLOCK = 4096


def grid_shape(spec: SweepSpec) -> tuple[int, ...] | None:
    """The shape of a grid design (one size per axis), ``None`` for other designs."""
    d = spec.design
    return tuple(len(v) for v in d.axes.values()) if isinstance(d, GridDesign) else None


def n_models(spec: SweepSpec) -> int:
    """How many models the design holds (checked against :data:`MAX_MODELS`)."""
    d = spec.design
    if isinstance(d, GridDesign):
        n = int(np.prod([len(v) for v in d.axes.values()], dtype=object))
    elif isinstance(d, ListDesign):
        n = len(next(iter(d.values.values())))
    else:
        n = d.n
    if n > MAX_MODELS:
        from ..errors import ValidationError

        raise ValidationError("spec.design", f"{n} models is more than the limit of "
                              f"{MAX_MODELS:.0e}")
    return n


def design_rows(spec: SweepSpec, start: int, stop: int) -> np.ndarray:
    """Parameter values of models ``start … stop − 1``: shape ``(stop − start, parameters)``
    in the order of :meth:`SweepSpec.design_parameters`."""
    d = spec.design
    index = np.arange(start, stop, dtype=np.int64)
    if isinstance(d, GridDesign):
        axes = [np.asarray(v, dtype=float) for v in d.axes.values()]
        sizes = [len(a) for a in axes]
        digits = np.unravel_index(index, sizes)
        return np.stack([a[k] for a, k in zip(axes, digits)], axis=1)
    if isinstance(d, ListDesign):
        return np.stack([np.asarray(v, dtype=float)[start:stop] for v in d.values.values()],
                        axis=1)
    return _sample(d, start, stop)


def _sample(d: SampleDesign, start: int, stop: int) -> np.ndarray:
    low = np.array([r[0] for r in d.ranges.values()])
    high = np.array([r[1] for r in d.ranges.values()])
    dim = low.size
    if d.kind == "sobol":
        from scipy.stats import qmc

        sampler = qmc.Sobol(d=dim, scramble=True, seed=d.seed)
        if start:
            sampler.fast_forward(start)
        with warnings.catch_warnings():   # a chunk is rarely a power of 2: the sequence's
            warnings.simplefilter("ignore", UserWarning)   # prefix is what the design means
            unit = sampler.random(stop - start)
    else:
        # blocks of _BLOCK rows, each from its own stream (seed, block): any row range is
        # reproducible without drawing the rows before it
        rows = []
        for b in range(start // _BLOCK, (stop - 1) // _BLOCK + 1):
            block = np.random.Generator(np.random.PCG64([d.seed, b])).random((_BLOCK, dim))
            lo, hi = max(start - b * _BLOCK, 0), min(stop - b * _BLOCK, _BLOCK)
            rows.append(block[lo:hi])
        unit = np.concatenate(rows)
    return low + unit * (high - low)
