"""The Zarr store of a sweep.

Layout of ``DB.zarr`` (a Zarr v3 group on the local file system):

* one array per swept parameter (named by its path, e.g. ``Na.gbar``) and per result
  (``class_code``, ``spike_count``, the features, ``v_mean`` …, ``diverged``), all of shape
  ``(models,)`` with dimension ``model`` and Zarr chunks equal to the sweep's chunks, so each
  sweep chunk writes its own files and no two chunks share one;
* the group's attribute ``ionzoo``: the canonical spec, its digest (with the model's own
  description), the ionzoo version, the chunking, the array names, the classes, the grid axes;
* ``_done/<chunk>.json``: written (to a temporary file, then renamed) only after the chunk's
  arrays are on disk — a chunk counts as finished exactly when its record exists, so a run
  killed at any moment leaves at worst a chunk that is recomputed;
* ``sweep.log``: one line per event (start, resume, chunk finished, end).

Nothing here evaluates text from the store: the attributes are read as JSON data.
"""

from __future__ import annotations

import json
import math
import shutil
import time
from pathlib import Path
from typing import Any

import numpy as np
import xarray as xr

from .._version import __version__
from ..analysis.activity import CLASSES
from ..errors import ValidationError
from ..io.atomic import write_text_atomic
from .chunk import output_arrays
from .design import design_rows, grid_shape, n_models
from .spec import SweepSpec

__all__ = ["SweepStore", "open_sweep"]

_LAYOUT = 1


def _model_text(spec: SweepSpec) -> str:
    """The model's description that the digest covers: the registry name's data, or the
    model file's bytes."""
    path = spec.model_path()
    if path is None:
        from ..io.modelfile import neuron_to_dict

        return json.dumps(neuron_to_dict(spec.neuron()), sort_keys=True, default=str)
    return path.read_text(encoding="utf-8")


class SweepStore:
    """A sweep's store at ``path`` (see the module docstring)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)

    # ------------------------------------------------------------------ creation
    def create_or_check(self, spec: SweepSpec, chunk_size: int) -> dict[str, Any]:
        """Create the store for ``spec``, or check that the existing one belongs to it (same
        digest and chunk size); returns the ``ionzoo`` attributes."""
        import zarr

        digest = spec.digest(_model_text(spec))
        if (self.path / "zarr.json").exists():
            meta = self.meta()
            if meta.get("digest") != digest:
                raise ValidationError("out", f"{str(self.path)!r} holds a different sweep (its "
                                      "spec or model differs); choose another --out or delete "
                                      "it")
            if meta["chunk_size"] != chunk_size:
                raise ValidationError("chunk_size", f"{str(self.path)!r} was written in chunks "
                                      f"of {meta['chunk_size']}; resume with that chunk size")
            return meta
        if self.path.exists():
            raise ValidationError("out", f"{str(self.path)!r} exists and is not a sweep store")
        parent = self.path.parent if str(self.path.parent) else Path(".")
        if not parent.is_dir():
            raise ValidationError("out", f"{str(self.path)!r}: the folder {str(parent)!r} "
                                  "does not exist")
        n = n_models(spec)
        names = spec.design_parameters()
        outputs = output_arrays(spec)
        meta = {"layout": _LAYOUT, "digest": digest, "spec": spec.canonical(),
                "ionzoo_version": __version__, "n_models": n, "chunk_size": chunk_size,
                "n_chunks": math.ceil(n / chunk_size), "parameters": list(names),
                "outputs": list(outputs), "classes": list(CLASSES),
                "grid_shape": list(grid_shape(spec) or []),
                "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
        tmp = self.path.with_name(f".{self.path.name}.creating")
        shutil.rmtree(tmp, ignore_errors=True)
        group = zarr.open_group(str(tmp), mode="w")
        for p in names:
            group.create_array(p, shape=(n,), chunks=(chunk_size,), dtype="float64",
                               fill_value=math.nan, dimension_names=["model"])
        for name, (dtype, fill) in outputs.items():
            group.create_array(name, shape=(n,), chunks=(chunk_size,), dtype=dtype,
                               fill_value=fill, dimension_names=["model"])
        group.attrs["ionzoo"] = meta
        (tmp / "_done").mkdir()
        tmp.rename(self.path)                     # the store appears complete or not at all
        self.log(f"created for {n} models in {meta['n_chunks']} chunks of {chunk_size}")
        return meta

    # ------------------------------------------------------------------ state
    def meta(self) -> dict[str, Any]:
        """The ``ionzoo`` attributes (raises a clear error for a folder that is no store)."""
        try:
            doc = json.loads((self.path / "zarr.json").read_text(encoding="utf-8"))
            meta = doc["attributes"]["ionzoo"]
        except (OSError, ValueError, KeyError, TypeError):
            raise ValidationError("store", f"{str(self.path)!r} is not an ionzoo sweep store"
                                  ) from None
        if not isinstance(meta, dict) or meta.get("layout") != _LAYOUT:
            raise ValidationError("store", f"{str(self.path)!r}: unknown store layout")
        return meta

    def done(self) -> set[int]:
        """Indices of the finished chunks."""
        folder = self.path / "_done"
        out = set()
        for p in folder.glob("*.json"):
            if p.stem.isdigit():
                out.add(int(p.stem))
        return out

    def log(self, message: str) -> None:
        """Append one time-stamped line to ``sweep.log``."""
        stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        with open(self.path / "sweep.log", "a", encoding="utf-8") as fh:
            fh.write(f"{stamp} {message}\n")

    def write_chunk(self, spec: SweepSpec, index: int, result: dict[str, Any]) -> None:
        """Write chunk ``index``'s parameter values and results, then its record."""
        import zarr

        meta = self.meta()
        size = meta["chunk_size"]
        start, stop = index * size, min((index + 1) * size, meta["n_models"])
        group: Any = zarr.open_group(str(self.path), mode="r+")
        rows = design_rows(spec, start, stop)
        for j, p in enumerate(meta["parameters"]):
            group[p][start:stop] = rows[:, j]
        for name in meta["outputs"]:
            group[name][start:stop] = np.asarray(result[name])
        record = {"chunk": index, "models": [start, stop],
                  "seconds": round(float(result.get("seconds", math.nan)), 3)}
        write_text_atomic(self.path / "_done" / f"{index}.json", json.dumps(record))

    # ------------------------------------------------------------------ reading
    def dataset(self, grid: bool | None = None) -> xr.Dataset:
        """The store as an :class:`xarray.Dataset` (see :func:`open_sweep`)."""
        import zarr

        meta = self.meta()
        group: Any = zarr.open_group(str(self.path), mode="r")
        n, size = meta["n_models"], meta["chunk_size"]
        complete = np.zeros(n, dtype=bool)
        for i in self.done():
            complete[i * size:(i + 1) * size] = True
        data: dict[str, Any] = {name: ("model", group[name][:]) for name in meta["outputs"]}
        if "class_code" in data:
            codes = data["class_code"][1]
            names = np.array([*CLASSES, "unknown"], dtype=object)
            data["class"] = ("model", names[np.where(codes >= 0, codes, len(CLASSES))])
        data["complete"] = ("model", complete)
        coords = {p: ("model", group[p][:]) for p in meta["parameters"]}
        ds = xr.Dataset(data, coords={"model": np.arange(n), **coords})
        ds.attrs.update(spec=json.dumps(meta["spec"]), digest=meta["digest"],
                        ionzoo_version=meta["ionzoo_version"], chunk_size=size,
                        classes=list(CLASSES))
        spec_doc = meta["spec"]
        if grid is None:
            grid = spec_doc["design"]["kind"] == "grid"
        if grid:
            if spec_doc["design"]["kind"] != "grid":
                raise ValidationError("grid", "only a grid design can be laid out as a grid")
            axes = spec_doc["design"]["axes"]      # (JSON keeps no key order: use ours)
            ds = _as_grid(ds, {p: axes[p] for p in meta["parameters"]})
        return ds


def _as_grid(ds: xr.Dataset, axes: dict[str, list[float]]) -> xr.Dataset:
    """Reshape the ``model`` dimension into one dimension per grid axis (C order)."""
    shape = tuple(len(v) for v in axes.values())
    dims = tuple(axes)
    data = {k: (dims, v.values.reshape(shape)) for k, v in ds.data_vars.items()}
    coords: dict[str, Any] = {d: (d, np.asarray(v, dtype=float)) for d, v in axes.items()}
    coords["model"] = (dims, ds["model"].values.reshape(shape))
    return xr.Dataset(data, coords=coords, attrs=ds.attrs)


def open_sweep(path: str | Path, grid: bool | None = None) -> xr.Dataset:
    """Read a sweep store: a Dataset with dimension ``model`` (the parameters as coordinates)
    or, for a grid design (default there; ``grid=False`` for the flat form), one dimension per
    axis. Variables: the results, ``class`` (text; ``"unknown"`` where not computed) and
    ``complete`` (the model's chunk has finished). ``attrs["spec"]`` is the canonical spec
    (JSON)."""
    return SweepStore(path).dataset(grid)
