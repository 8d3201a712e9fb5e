"""Sweeps at scale: a spec of models (grid, list, random or Sobol samples over any parameter
paths), split into chunks that run as Dask tasks (a local cluster or a remote scheduler),
with results in a Zarr store that survives a killed client or worker and resumes where it
stopped.

>>> import ionzoo as iz
>>> spec = iz.sweep.load_spec({"model": "prinz_stg", "t_stop": 1000, "design": {
...     "kind": "grid", "axes": {"CaS.gbar": [0, 4, 8], "KCa.gbar": [0, 15]}}})
>>> iz.sweep.n_models(spec)
6
"""

from .chunk import run_chunk
from .design import design_rows, n_models
from .prinz import prinz_grid_spec
from .query import where_mask
from .run import run_sweep, sweep_status
from .spec import SweepSpec, load_spec
from .store import SweepStore, open_sweep
from .summary import class_fractions, wilson_interval

__all__ = ["SweepSpec", "load_spec", "run_sweep", "sweep_status", "open_sweep", "SweepStore",
           "run_chunk", "design_rows", "n_models", "prinz_grid_spec", "where_mask",
           "class_fractions", "wilson_interval"]
