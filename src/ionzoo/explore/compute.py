"""What the explorer shows, computed without a browser: settings in, plain arrays out.

The browser app (:mod:`ionzoo.explore.app`) only moves these arrays into its plots, so every
number on the page is what :func:`ionzoo.simulate` and the analysis functions return for the
same settings (the browser test compares them).

Units: currents and stimulus amplitudes µA/cm² (a cell with an area also shows nA), times ms,
voltages mV, conductances mS/cm², temperature °C, TTX nM, TEA mM.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, field_validator

from ..errors import ValidationError
from ..model.neuron import Neuron
from ..plot.style import ION_COLORS, ion_color  # one colour per ion, as in the figures

__all__ = ["Settings", "Traces", "load_model", "neuron_for", "stimulus_for", "traces",
           "iv_curve", "phase", "fi", "clamp_family", "ION_COLORS", "ion_color",
           "default_settings"]

#: The stimulus kinds of the explorer.
KINDS = ("step", "pulses")


class Settings(BaseModel):
    """One state of the explorer's controls (validated; errors name the field)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: Literal["step", "pulses"] = "step"
    amplitude: float = Field(default=10.0, ge=-500.0, le=500.0, description="µA/cm²")
    start: float = Field(default=10.0, ge=0.0, le=10_000.0, description="ms")
    duration: float = Field(default=80.0, gt=0.0, le=10_000.0, description="ms")
    width: float = Field(default=1.0, gt=0.0, le=1000.0, description="ms, one pulse")
    period: float = Field(default=10.0, gt=0.0, le=10_000.0, description="ms between pulse onsets")
    t_stop: float = Field(default=100.0, gt=0.0, le=10_000.0, description="ms")
    temperature: float | None = Field(default=None, ge=-10.0, le=50.0, description="°C")
    ttx: float = Field(default=0.0, ge=0.0, le=1e6, description="nM")
    tea: float = Field(default=0.0, ge=0.0, le=1e3, description="mM")
    gbar: dict[str, float] = Field(default_factory=dict, description="channel → mS/cm²")

    @field_validator("gbar")
    @classmethod
    def _densities(cls, value: dict[str, float]) -> dict[str, float]:
        for name, g in value.items():
            if not (np.isfinite(g) and 0.0 <= g <= 1e5):
                raise ValueError(f"gbar[{name!r}] must be within 0…1e5, got {g!r}")
        return value


def _valid(settings: Settings | dict[str, Any]) -> Settings:
    if isinstance(settings, Settings):
        return settings
    try:
        return Settings(**settings)
    except Exception as exc:  # pydantic's ValidationError: one clear line per field
        errors: list = getattr(exc, "errors", lambda: [])()
        where = ".".join(str(p) for p in errors[0]["loc"]) if errors else "settings"
        reason = errors[0]["msg"] if errors else str(exc)
        raise ValidationError(f"explorer.{where}", reason) from None


def load_model(name_or_path: str) -> Neuron:
    """A zoo model by name, or a model file (YAML/JSON, read as data)."""
    from ..io import load
    from ..models import REGISTRY

    if name_or_path in REGISTRY:
        return REGISTRY[name_or_path]()
    path = Path(name_or_path)
    if path.suffix.lower() in (".yaml", ".yml", ".json"):
        model = load(path)
        if not isinstance(model, Neuron):
            raise ValidationError("model", f"{path.name} holds a channel, not a neuron")
        return model
    raise ValidationError("model", f"unknown model {name_or_path!r}: a zoo model "
                          f"({', '.join(sorted(REGISTRY))}) or a .yaml/.json model file")


def default_settings(neuron: Neuron, name: str = "") -> Settings:
    """Controls that make ``neuron`` fire: the zoo's demo current where it has one."""
    from ..models import DEMO_CURRENT

    amp = DEMO_CURRENT.get(name, 10.0 if neuron.area is None else 5.0)
    return Settings(amplitude=amp if amp else 5.0)


def neuron_for(base: Neuron, settings: Settings | dict[str, Any]) -> Neuron:
    """``base`` with the settings' ḡ, temperature and drugs (TTX, TEA) applied."""
    from ..pharmacology import apply

    s = _valid(settings)
    names = {c.name for c in base.channels}
    unknown = sorted(set(s.gbar) - names)
    if unknown:
        raise ValidationError("explorer.gbar", f"no channel {unknown[0]!r} in {base.name} "
                              f"(channels: {', '.join(sorted(names))})")
    params: dict[str, float] = {f"{k}.gbar": v for k, v in s.gbar.items()}
    if s.temperature is not None:
        params["temperature"] = s.temperature
    cell = base.with_params(params) if params else base
    for drug, conc in (("TTX", s.ttx), ("TEA", s.tea)):
        if conc > 0.0 and any(c.ion == ("na" if drug == "TTX" else "k") and c.gates
                              for c in cell.channels):
            cell = apply(cell, drug, conc)
    return cell


def stimulus_for(settings: Settings | dict[str, Any]):
    """The settings' current: a step (amplitude, start, duration) or a pulse train (pulses of
    ``width`` every ``period`` from ``start`` for ``duration``), µA/cm²."""
    from ..stimulus import pulse_train, step

    s = _valid(settings)
    if s.kind == "step":
        return step(s.amplitude, s.start, s.start + s.duration)
    count = max(1, int(s.duration // s.period))
    return pulse_train(s.amplitude, s.start, min(s.width, s.period), s.period, count)


@dataclass
class Traces:
    """One run's traces: ``t`` (ms), ``v`` (mV), ``stimulus`` (µA/cm²), and per name the gates
    (1), conductances ``<ch>.g`` (mS/cm²) and currents ``<ch>.i`` (µA/cm², outward +);
    ``ions``: channel → ion; ``spikes``: spike times (ms)."""

    t: np.ndarray
    v: np.ndarray
    stimulus: np.ndarray
    gates: dict[str, np.ndarray] = field(default_factory=dict)
    conductances: dict[str, np.ndarray] = field(default_factory=dict)
    currents: dict[str, np.ndarray] = field(default_factory=dict)
    ions: dict[str, str | None] = field(default_factory=dict)
    spikes: np.ndarray = field(default_factory=lambda: np.zeros(0))


def traces(base: Neuron, settings: Settings | dict[str, Any], dt: float = 0.025) -> Traces:
    """Simulate ``base`` under the settings (Crank–Nicolson, ``dt`` ms), everything recorded."""
    from ..simulation import simulate

    s = _valid(settings)
    cell = neuron_for(base, s)
    stim = stimulus_for(s)
    steps = max(1, int(round(s.t_stop / dt)))
    res = simulate(cell, stim, t_stop=steps * dt, dt=dt, record="all")
    ds = res.dataset
    t = res.t
    out = Traces(t=t, v=ds["v"].values.reshape(-1, t.size)[0],
                 stimulus=_sampled(stim, t),
                 ions={c.name: c.ion for c in cell.channels},
                 spikes=np.asarray(res.spike_trains()[0], dtype=float))
    for name in ds.data_vars:
        key = str(name)
        if key == "v" or "time" not in ds[key].dims:
            continue
        row = ds[key].values.reshape(-1, t.size)[0]
        if key.endswith(".g"):
            out.conductances[key[:-2]] = row
        elif key.endswith(".i"):
            out.currents[key[:-2]] = row
        elif ds[key].attrs.get("units") == "1":
            out.gates[key] = row
    return out


def _sampled(stim, t: np.ndarray) -> np.ndarray:
    """The stimulus (µA/cm²) at times ``t`` (ms)."""
    values = {f: float(getattr(stim, f)) for f in stim.numeric}
    return np.broadcast_to(np.asarray(stim.evaluate(t, values), dtype=float), t.shape).copy()


def iv_curve(cell: Neuron, v: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The steady-state I–V curve: (v in mV, total ionic current in µA/cm²)."""
    from ..reference import steady_state_current

    v = np.linspace(-100.0, 40.0, 281) if v is None else np.asarray(v, dtype=float)
    return v, steady_state_current(cell, v)


def phase(cell: Neuron, current: float, n: int = 61) -> dict[str, Any]:
    """The (V, slowest gate) phase plane at a constant ``current`` (µA/cm²): the nullclines as
    polylines (NaN-separated), the equilibria (filled: stable) and the axis names."""
    import contourpy

    from ..dynamics import phase_plane

    plane = phase_plane(cell, current=current, n=n)
    x, y = plane.x.values, plane.y.values
    out: dict[str, Any] = {"x_name": plane.attrs["x_name"], "y_name": plane.attrs["y_name"]}
    for key in ("dxdt", "dydt"):
        lines = contourpy.contour_generator(x, y, plane[key].values).lines(0.0)
        xs: list[float] = []
        ys: list[float] = []
        for seg in lines:
            xy = np.asarray(seg, dtype=float)
            xs += [*xy[:, 0], np.nan]
            ys += [*xy[:, 1], np.nan]
        out[key] = (np.array(xs), np.array(ys))
    out["eq"] = (plane.eq_x.values, plane.eq_y.values, plane.eq_stable.values.astype(bool))
    return out


def fi(cell: Neuron, currents: np.ndarray, t_stop: float = 500.0) -> tuple[np.ndarray,
                                                                           np.ndarray]:
    """The f–I curve: (currents µA/cm², firing rate Hz as :func:`ionzoo.analysis.fi_curve`
    defines it)."""
    from ..analysis.fi import fi_curve

    curve = fi_curve(cell, currents, t_stop=t_stop)
    return np.asarray(currents, dtype=float), np.asarray(curve.rate.values, dtype=float)


def clamp_family(cell: Neuron, levels: np.ndarray | None = None, hold: float = -80.0,
                 t_stop: float = 30.0) -> dict[str, Any]:
    """A voltage-clamp step family from ``hold`` (mV) to each of ``levels`` (mV): the clamp
    current (the total ionic current, µA/cm², outward +) over time, per level; for neurons with
    a calcium pool ``{"error": …}`` (the clamp does not support pools yet)."""
    from ..clamp import voltage_clamp
    from ..stimulus import step

    if cell.calcium is not None and cell.calcium.pool is not None:
        return {"error": "the voltage clamp does not support calcium pools yet"}
    levels = np.arange(-60.0, 41.0, 10.0) if levels is None else np.asarray(levels, float)
    import xarray as xr

    command = step(xr.DataArray(levels - hold, dims="level"), 2.0, t_stop - 5.0)
    ds = voltage_clamp(cell, command, hold=hold, t_stop=t_stop, dt=0.025).dataset
    return {"t": ds["time"].values, "levels": levels,  # the clamp current: Σ ionic, outward +
            "currents": np.asarray(ds["i_clamp"].transpose("level", "time").values)}
