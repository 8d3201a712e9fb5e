"""Dose–response: a neuron's firing against a blocker's concentration, in one batch."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import xarray as xr

from ..errors import ValidationError
from ..model.neuron import Neuron
from ..model.stimulus import step
from ..pharmacology import DRUGS, Drug, apply, fraction_blocked, parse_concentration
from ..simulation import simulate
from .features import DEFAULT_SETTINGS, FeatureSettings, features

__all__ = ["dose_response"]


def dose_response(neuron: Neuron, drug: Drug | str, concentrations: Sequence, current: float,
                  start: float = 20.0, stop: float = 520.0, t_stop: float | None = None,
                  dt: float = 0.025, subtype: str | None = None,
                  channels: Sequence[str] | None = None,
                  settings: FeatureSettings = DEFAULT_SETTINGS) -> xr.Dataset:
    """Apply ``drug`` at every concentration (in the drug's unit, or text such as ``"10nM"``)
    and step ``current`` (µA/cm²) from ``start`` to ``stop`` ms, all in one batch.

    Returns, against ``concentration`` (drug's unit): ``fraction_blocked`` (1), ``rate`` (Hz,
    :mod:`ionzoo.rates`: 1/mean ISI of the spikes in the step), ``spike_count`` (1) and
    ``AP_height`` (mV, first spike, eFEL's definition; NaN without a spike).
    """
    if isinstance(drug, str):
        if drug.upper() not in DRUGS:
            raise ValidationError("drug", f"unknown drug {drug!r} (known: {', '.join(DRUGS)})")
        drug = DRUGS[drug.upper()]
    conc = np.array([parse_concentration(c, drug.unit) for c in np.ravel(concentrations)])
    if conc.size == 0:
        raise ValidationError("concentrations", "need at least one concentration")
    if not stop > start:
        raise ValidationError("stop", f"must be after start ({stop!r} <= {start!r} ms)")
    t_stop = float(stop + 20.0 if t_stop is None else t_stop)
    cell = apply(neuron, drug, conc, subtype=subtype, channels=channels)
    dim = f"{drug.name} ({drug.unit})"
    res = simulate(cell, step(float(current), start, stop), t_stop=t_stop, dt=dt, record="v")
    in_step = ((res.spikes >= start) & (res.spikes < stop)).sum("spike")
    feats = features(res, start, stop, names=("AP_height",), settings=settings)
    out = xr.Dataset({
        "fraction_blocked": xr.DataArray(fraction_blocked(drug, conc, subtype), dims=dim,
                                         attrs={"units": "1"}),
        "rate": res.firing_rate(start, stop),
        "spike_count": in_step.assign_attrs(units="1"),
        "AP_height": feats.AP_height.isel(spike=0, drop=True).assign_attrs(units="mV"),
    })
    out = out.rename({dim: "concentration"})
    out["concentration"].attrs["units"] = drug.unit
    out.attrs.update(drug=drug.name, ic50=drug.ic50_of(subtype), hill=drug.hill, unit=drug.unit,
                     subtype=subtype or drug.default, current=float(current), start=start,
                     stop=stop)
    return out
