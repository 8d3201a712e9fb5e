"""Parsing of command-line values, building the cell, running the step protocol and writing
figures: what the commands share."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .. import models, stimulus
from ..errors import ValidationError
from ..model.neuron import Neuron
from ..simulate import simulate

__all__ = ["parse_currents", "parse_sets", "load_model", "build_cell", "spike_summary",
           "run_step", "json_safe", "offscreen", "save_figure"]


def parse_currents(text: str, field: str = "--current") -> np.ndarray:
    """``"10"`` → [10]; ``"0,5,10"`` → [0, 5, 10]; ``"0:20:5"`` → [0, 5, 10, 15, 20] (the stop is
    included when it lies on the grid). µA/cm² (or the unit of ``field``)."""
    text = text.strip()
    bad = ValidationError(field, f"{text!r} is not a number, a list 'a,b,c' or a range "
                          "'start:stop:step'")
    if ":" in text:
        try:
            start, stop, step = (float(p) for p in text.split(":"))
        except ValueError:
            raise bad from None
        if not step > 0 or not stop >= start:
            raise ValidationError(field, f"range {text!r} has no points "
                                  "(need start <= stop and step > 0)")
        n = int(math.floor((stop - start) / step + 1e-9)) + 1
        values = start + step * np.arange(n)
    else:
        try:
            values = np.array([float(p) for p in text.split(",") if p.strip() != ""])
        except ValueError:
            raise bad from None
    if values.size == 0 or not np.all(np.isfinite(values)):
        raise ValidationError(field, f"{text!r} gives no finite values")
    return values


def parse_sets(items: tuple[str, ...]) -> dict[str, float]:
    """``("Na.gbar=60", "temperature=16.3")`` → dict (values must be numbers)."""
    out: dict[str, float] = {}
    for item in items:
        path, sep, val = item.partition("=")
        if not sep or not path.strip():
            raise ValidationError("--set", f"{item!r} is not PATH=VALUE (e.g. Na.gbar=60)")
        try:
            out[path.strip()] = float(val)
        except ValueError:
            raise ValidationError(f"--set {path.strip()}", f"{val!r} is not a number") from None
    return out


def load_model(name: str) -> Neuron:
    """A model by registry name, or a model file (.yaml, .yml, .json)."""
    if name in models.REGISTRY:
        return models.REGISTRY[name]()
    if name.endswith((".yaml", ".yml", ".json")):
        from ..io import load

        cell = load(name)
        if not isinstance(cell, Neuron):
            raise ValidationError("MODEL", f"{name!r} holds a channel, not a neuron")
        return cell
    raise ValidationError("MODEL", f"unknown model {name!r} (available: "
                          f"{', '.join(sorted(models.REGISTRY))}; see `ionzoo models`)")


def build_cell(model: str, temperature: float | None, sets: tuple[str, ...],
               drugs: tuple[str, ...] = ()) -> Neuron:
    cell = load_model(model)
    params = parse_sets(sets)
    if temperature is not None:
        params["temperature"] = temperature
    cell = cell.with_params(params) if params else cell
    from .. import pharmacology

    for item in drugs:
        name, sep, conc = item.partition("=")
        if not sep:
            raise ValidationError("--drug", f"{item!r} is not NAME=CONCENTRATION (e.g. TTX=10nM)")
        cell = pharmacology.apply(cell, name.strip(), conc.strip())
    return cell


def spike_summary(res, currents: np.ndarray, start: float, stop: float) -> list[dict[str, Any]]:
    """Per-neuron summary: spike count, times, first spike, rate in the stimulus window, peak V
    and the deepest V after the first spike (AHP), in ms, Hz and mV."""
    trains = res.spike_trains()
    v = res.v.values.reshape(len(trains), -1) if "v" in res.dataset else None
    t = res.t if v is not None else None
    out = []
    for i, (amp, tr) in enumerate(zip(currents, trains)):
        in_window = tr[(tr >= start) & (tr < stop)]
        row: dict[str, Any] = {
            "current_uA_cm2": float(amp), "spike_count": int(len(tr)),
            "spike_times_ms": [float(x) for x in tr],
            "first_spike_ms": float(tr[0]) if len(tr) else None,
            "rate_hz": float(len(in_window) / ((stop - start) / 1000.0)) if stop > start else None,
        }
        if v is not None:
            row["peak_mv"] = float(np.max(v[i]))
            row["ahp_mv"] = float(np.min(v[i][t > tr[0]])) if len(tr) else None
        out.append(row)
    return out


def run_step(model, current, delay, duration, t_stop, dt, method, temperature, sets, drugs,
         record, progress=None, threshold=0.0, record_every=None):
    """Build the cell and the step, simulate; returns (cell, currents, result, stimulus end)."""
    cell = build_cell(model, temperature, sets, drugs)
    currents = parse_currents(current)
    stop = t_stop if duration is None else min(delay + duration, t_stop)
    amp = currents if currents.size > 1 else float(currents[0])
    stim = stimulus.step(amp, start=delay,
                         stop=math.inf if duration is None else delay + duration)
    if record_every is None:  # keep recorded traces below ~2e7 samples
        n_steps = max(1, int(round(t_stop / dt))) if dt > 0 else 1
        record_every = max(1, int(currents.size * n_steps // 20_000_000))
    res = simulate(cell, stim, t_stop=t_stop, dt=dt, method=method, record=record,
                   record_every=record_every, threshold=threshold, progress=progress)
    return cell, currents, res, stop


def json_safe(x):
    """NaN → None (JSON has no NaN; the reason is reported next to it)."""
    if isinstance(x, list):
        return [json_safe(v) for v in x]
    return None if isinstance(x, float) and math.isnan(x) else x


def offscreen() -> None:
    """Draw off-screen: the CLI writes files, it never opens windows."""
    import matplotlib

    matplotlib.use("Agg")


def save_figure(fig, path: str) -> None:
    suffix = path.rsplit(".", 1)[-1].lower() if "." in path else ""
    if suffix not in ("png", "pdf", "svg"):
        raise ValidationError("--plot/--out", f"{path!r}: use a .png, .pdf or .svg file name")
    fig.savefig(path, dpi=120)
