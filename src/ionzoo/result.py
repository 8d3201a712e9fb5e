"""Simulation results: spike times per neuron and recorded traces as an ``xarray.Dataset``."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np
import xarray as xr

__all__ = ["Result", "load_result"]


class Result:
    """The outcome of :func:`ionzoo.simulate`.

    Everything lives in one :class:`xarray.Dataset` (``result.dataset``):

    * ``spike_count`` (batch dims): number of upward threshold crossings (exact, never truncated);
    * ``spike_times`` (batch dims, ``spike``): crossing times in ms, linearly interpolated between
      steps, NaN-padded; at most ``max_spikes`` per neuron are stored;
    * one variable per recorded quantity (batch dims, ``time``): ``v`` (mV), gates (1),
      ``<ch>.g`` (mS/cm²), ``<ch>.i`` and ``i_ion`` (µA/cm²);
    * attributes: method, dt, t_stop, threshold, model, ionzoo version.

    Batch dimensions are named after the parameter paths (or the names of the DataArrays) that
    created them, with their values as coordinates.
    """

    def __init__(self, dataset: xr.Dataset | None = None, *, build=None,
                 injected=None) -> None:
        if (dataset is None) == (build is None):
            raise TypeError("Result needs a dataset or a builder")
        self._dataset = dataset
        self._build = build
        self._injected = injected

    def injected_current(self) -> xr.DataArray | None:
        """The injected current (µA/cm²) of every neuron at the recorded times: the steps,
        pulses, ramps and waveforms of the stimulus (synaptic and noise inputs are not in it:
        record their ``<name>.i``). ``None`` for a result read back from a file or without
        recorded times. The figures draw it as the stimulus bar under time plots."""
        if self._injected is None or "time" not in self.dataset.coords:
            return None
        return self._injected(self.dataset)

    @property
    def dataset(self) -> xr.Dataset:
        """Everything, labelled (built on first access: assembling an xarray Dataset costs
        ~0.3 ms, which matters for many small runs)."""
        if self._dataset is None:
            self._dataset = self._build()
            self._build = None
        return self._dataset

    # ------------------------------------------------------------------ access
    @property
    def v(self) -> xr.DataArray:
        """Membrane potential, mV (requires ``"v"`` in ``record``)."""
        return self["v"]

    @property
    def t(self) -> np.ndarray:
        """Sample times, ms."""
        return self.dataset["time"].values

    @property
    def spikes(self) -> xr.DataArray:
        """Spike times (ms), NaN-padded along the ``spike`` dimension."""
        return self.dataset["spike_times"]

    @property
    def spike_count(self) -> xr.DataArray:
        """Number of spikes per neuron."""
        return self.dataset["spike_count"]

    @property
    def batch_dims(self) -> tuple[str, ...]:
        return tuple(str(d) for d in self.dataset["spike_count"].dims)

    def __getitem__(self, name: str) -> xr.DataArray:
        if name not in self.dataset:
            recorded = [k for k in self.dataset.data_vars if k not in ("spike_count",
                                                                        "spike_times")]
            raise KeyError(f"{name!r} was not recorded (recorded: {recorded}); "
                           f"pass record=[..., {name!r}] to simulate()")
        return self.dataset[name]

    def spike_trains(self) -> list[np.ndarray]:
        """Spike times (ms) of every neuron as a list of arrays, in C order of the batch dims."""
        times = self.spikes.values.reshape(-1, self.spikes.sizes["spike"])
        counts = np.minimum(self.spike_count.values.reshape(-1), times.shape[1])
        return [times[i, :c].copy() for i, c in enumerate(counts)]

    def firing_rate(self, start: float = 0.0, stop: float | None = None,
                    kind: str = "isi") -> xr.DataArray:
        """The firing rate (Hz) in the window [start, stop) ms (default: the whole run), as
        :mod:`ionzoo.rates` defines it: 1/mean ISI of the spikes in the window (0 for fewer
        than two), or with ``kind="count"`` the spikes in the window per second."""
        from .rates import COUNT_RATE_NAME, RATE_NAME, rates

        stop = float(self.dataset.attrs["t_stop"]) if stop is None else stop
        st = self.spikes
        values = rates(st.transpose(..., "spike").values, start, stop, kind)
        out = xr.DataArray(values, dims=[d for d in st.dims if d != "spike"],
                           coords={k: c for k, c in st.coords.items() if "spike" not in c.dims})
        name = RATE_NAME if kind == "isi" else COUNT_RATE_NAME
        out.attrs = {"units": "Hz", "long_name": f"{name} [{start:g}, {stop:g}) ms",
                     "definition": kind}
        return out

    # ------------------------------------------------------------------ io
    def to_netcdf(self, path: str | os.PathLike) -> None:
        """Save to NetCDF4 (lossless: float64 values, attributes and coordinates), written to a
        temporary file and renamed into place (an interrupted save leaves any earlier file at
        ``path`` intact)."""
        from .io.atomic import atomic_path

        data = self.dataset  # assembled before the file is opened
        with atomic_path(path) as tmp:
            data.to_netcdf(tmp, engine="h5netcdf")

    def to_csv(self, path: str | os.PathLike, variable: str = "v") -> None:
        """Save one recorded ``variable`` as CSV: a ``time_ms`` column, then one column per
        neuron named by its batch coordinates (``v[amplitude=5]``), full float64 precision
        (``repr``); written to a temporary file and renamed into place."""
        from .io.atomic import write_text_atomic

        da = self[variable]
        dims = [d for d in da.dims if d != "time"]
        flat = da.values.reshape(-1, da.sizes["time"])
        labels = []
        for idx in np.ndindex(*[da.sizes[d] for d in dims]):
            parts = []
            for d, k in zip(dims, idx):
                coord = da[d].values[k] if d in da.coords else k
                parts.append(f"{d}={coord:g}" if isinstance(coord, (int, float, np.number))
                             else f"{d}={coord}")
            labels.append(f"{variable}[{','.join(parts)}]" if parts else variable)
        unit = da.attrs.get("units", "")
        header = ["time_ms"] + [f'"{lab} ({unit})"' if unit else f'"{lab}"' for lab in labels]
        rows = [",".join(header)]
        for j, t in enumerate(self.t):
            rows.append(",".join([repr(float(t))] + [repr(float(x)) for x in flat[:, j]]))
        write_text_atomic(Path(path), "\n".join(rows) + "\n")

    def summary(self) -> dict[str, Any]:
        """A small machine-readable summary (counts and first spike per neuron)."""
        first = self.spikes.isel(spike=0).values if self.spikes.sizes["spike"] else None
        return {"n_neurons": int(self.spike_count.size),
                "spike_count": self.spike_count.values.tolist(),
                "first_spike_ms": None if first is None else np.asarray(first).tolist()}

    def __repr__(self) -> str:
        a = self.dataset.attrs
        dims = ", ".join(f"{d}: {self.dataset.sizes[d]}" for d in self.batch_dims) or "single"
        rec = [k for k in self.dataset.data_vars if k not in ("spike_count", "spike_times")]
        return (f"<ionzoo.Result {a.get('model', '')} [{dims}] method={a.get('method')} "
                f"dt={a.get('dt')} ms t_stop={a.get('t_stop')} ms recorded={rec} "
                f"spikes={int(self.spike_count.sum())}>")


def load_result(path: str | os.PathLike) -> Result:
    """Load a :class:`Result` saved with :meth:`Result.to_netcdf`."""
    with xr.open_dataset(path, engine="h5netcdf") as ds:
        return Result(ds.load())
