"""Features against temperature: one batch over temperatures, each channel applying its own rule."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import xarray as xr

from ..errors import ValidationError
from ..model.neuron import Neuron
from ..model.stimulus import step
from ..simulation import simulate
from .features import DEFAULT_SETTINGS, FeatureSettings, features

__all__ = ["temperature_sweep"]


def temperature_sweep(neuron: Neuron, temperatures: Sequence[float], current: float,
                      start: float = 20.0, stop: float = 220.0, t_stop: float = 250.0,
                      dt: float = 0.01,
                      settings: FeatureSettings = DEFAULT_SETTINGS) -> xr.Dataset:
    """Simulate ``neuron`` at each temperature (°C) under a ``current`` step (µA/cm², from
    ``start`` to ``stop`` ms) and return per temperature: ``rate`` (Hz, :mod:`ionzoo.rates`: 1/mean
    ISI in the step, of the spikes the features detect — eFEL's −20 mV threshold, so the small
    spikes of a hot HH axon count),
    ``spike_half_width`` (ms, of the first spike), ``AP_begin_voltage`` (mV, first spike:
    eFEL's dV/dt onset), ``threshold`` (mV: the median onset of the spikes after the first —
    the first starts at the step's onset, where the injected current itself makes dV/dt jump,
    so its onset is the resting voltage at every temperature; NaN with fewer than two spikes),
    ``AP_height`` (mV, first spike) and ``spike_count``."""
    temps = np.atleast_1d(np.asarray(temperatures, dtype=float))
    if temps.ndim != 1 or temps.size == 0:
        raise ValidationError("temperatures", "need a non-empty 1-D sequence (°C)")
    cell = neuron.with_params(temperature=temps)
    res = simulate(cell, step(float(current), start, stop), t_stop=t_stop, dt=dt, record="v")
    ds = features(res, start, stop, names=("spike_count", "peak_time", "spike_half_width",
                                           "AP_begin_voltage", "AP_height"), settings=settings)
    out = xr.Dataset({
        "rate": _rate(ds.peak_time, start, stop),
        "spike_half_width": ds.spike_half_width.isel(spike=0, drop=True).assign_attrs(units="ms"),
        "AP_begin_voltage": ds.AP_begin_voltage.isel(spike=0, drop=True).assign_attrs(
            units="mV"),
        "threshold": _threshold(ds.AP_begin_voltage),
        "AP_height": ds.AP_height.isel(spike=0, drop=True).assign_attrs(units="mV"),
        "spike_count": ds.spike_count,
    })
    out["temperature"].attrs["units"] = "degC"
    return out


def _rate(peak_time: xr.DataArray, start: float, stop: float) -> xr.DataArray:
    """The :mod:`ionzoo.rates` rate (Hz) of each trace's spike peaks in [start, stop)."""
    from ..rates import RATE_NAME, rates

    values = rates(peak_time.transpose(..., "spike").values, start, stop)
    dims = [d for d in peak_time.dims if d != "spike"]
    return xr.DataArray(values, dims=dims, coords={d: peak_time[d] for d in dims
                                                   if d in peak_time.coords},
                        attrs={"units": "Hz", "long_name": f"{RATE_NAME} [{start:g}, "
                               f"{stop:g}) ms (spike peaks)"})


def _threshold(onsets: xr.DataArray) -> xr.DataArray:
    """The median AP onset voltage (mV) of the spikes after the first, per trace."""
    later = onsets.isel(spike=slice(1, None))
    with np.errstate(all="ignore"):
        med = later.median("spike", skipna=True) if later.sizes["spike"] else \
            onsets.isel(spike=0, drop=True) * np.nan
    return med.assign_attrs(units="mV", long_name="spike threshold: median AP onset (eFEL "
                            "AP_begin_voltage) of the spikes after the first")
