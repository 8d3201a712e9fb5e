"""Parsing of command-line values, building the cell, running the step protocol and writing
figures: what the commands share."""

from __future__ import annotations

import json
import math
from typing import Any

import click
import numpy as np

from .. import models, stimulus
from ..errors import IonzooError, ValidationError, did_you_mean
from ..limits import MAX_CURRENTS
from ..model.neuron import Neuron
from ..model.params import number

__all__ = ["parse_currents", "parse_sets", "load_model", "build_cell", "spike_summary",
           "run_step", "json_safe", "echo_json", "offscreen", "save_figure", "diverged_message",
           "NonFiniteRun"]


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
        span = (stop - start) / step + 1e-9
        if not math.isfinite(span) or span + 1 > MAX_CURRENTS:
            raise ValidationError(field, f"range {text!r} has more than {MAX_CURRENTS} points")
        values = start + step * np.arange(math.floor(span) + 1)
    else:
        try:
            values = np.array([float(p) for p in text.split(",") if p.strip() != ""])
        except ValueError:
            raise bad from None
    if values.size == 0 or not np.all(np.isfinite(values)):
        raise ValidationError(field, f"{text!r} gives no finite values")
    return values


#: Units ``--current`` accepts after its numbers: densities as they are, absolute currents
#: converted with the cell's area.
CURRENT_UNITS = {"uA/cm2": 1.0, "µA/cm2": 1.0, "µA/cm²": 1.0, "uA/cm²": 1.0, "nA": 1.0,
                 "pA": 1e-3}


def parse_current_with_unit(text: str, cell, field: str = "--current") -> np.ndarray:
    """Like :func:`parse_currents`, with an optional unit at the end: µA/cm² (``uA/cm2``, the
    default) or an absolute current (``nA``, ``pA``) converted to µA/cm² with the cell's
    area (``10nA``, ``0:1:0.25 nA``)."""
    stripped = text.strip()
    for unit in sorted(CURRENT_UNITS, key=len, reverse=True):
        if stripped.endswith(unit):
            values = parse_currents(stripped[: -len(unit)], field)
            if unit.endswith("A") and not unit.endswith("/cm2"):
                if cell.area is None:
                    raise ValidationError(field, f"{text!r}: an absolute current needs the "
                                          "cell's area, and this model has none; give µA/cm² "
                                          "(a plain number) or set area=… in a model file")
                return np.asarray(cell.density(values * CURRENT_UNITS[unit]), dtype=float)
            return values
    return parse_currents(stripped, field)


def save_summary(rows: list[dict[str, Any]], path: str) -> None:
    """The spike summary rows as CSV (one row per neuron; spike times joined by spaces) or
    JSON, by the suffix; written atomically."""
    import json

    from ..io.atomic import write_text_atomic

    if path.lower().endswith(".json"):
        write_text_atomic(path, json.dumps(json_safe(rows), indent=1) + "\n")
        return
    keys = [k for k in rows[0]] if rows else []
    lines = [",".join(keys)]
    for r in rows:
        cells = []
        for k in keys:
            v = r[k]
            cells.append(" ".join(repr(x) for x in v) if isinstance(v, list)
                         else "" if v is None else repr(v) if isinstance(v, float) else str(v))
        lines.append(",".join(f'"{c}"' if "," in c else c for c in cells))
    write_text_atomic(path, "\n".join(lines) + "\n")


def parse_sets(items: tuple[str, ...]) -> dict[str, Any]:
    """``("Na.gbar=60", "temperature=16.3", "initial.v=rest")`` → dict (values must be
    numbers; ``initial.v`` may be ``rest``)."""
    out: dict[str, Any] = {}
    for item in items:
        path, sep, val = item.partition("=")
        if not sep or not path.strip():
            raise ValidationError("--set", f"{item!r} is not PATH=VALUE (e.g. Na.gbar=60)")
        if path.strip() == "initial.v" and val.strip() == "rest":
            out["initial.v"] = "rest"
            continue
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
    raise ValidationError("MODEL", f"unknown model {name!r}"
                          f"{did_you_mean(name, models.REGISTRY)} (available: "
                          f"{', '.join(sorted(models.REGISTRY))}; see `ionzoo models`)")


def build_cell(model: str, temperature: float | None, sets: tuple[str, ...],
               drugs: tuple[str, ...] = ()) -> Neuron:
    cell = load_model(model)
    params = parse_sets(sets)
    if temperature is not None:
        params["temperature"] = temperature
    initial = {k[len("initial."):]: params.pop(k) for k in list(params)
               if k.startswith("initial.")}
    cell = cell.with_params(params) if params else cell
    if initial:  # --set initial.M.m=0, --set initial.v=rest (or a number)
        v = initial.pop("v", None)
        cell = cell.with_initial(initial, v=v)
    from .. import pharmacology

    for item in drugs:
        name, sep, conc = item.partition("=")
        if not sep:
            raise ValidationError("--drug", f"{item!r} is not NAME=CONCENTRATION (e.g. TTX=10nM)")
        cell = pharmacology.apply(cell, name.strip(), conc.strip())
    return cell


def spike_summary(res, currents: np.ndarray, start: float, stop: float) -> list[dict[str, Any]]:
    """Per-neuron summary: spike count, times, first spike, the rate in the stimulus window
    (:mod:`ionzoo.rates`: 1/mean ISI, and the count rate), peak V and the deepest V after the
    first spike (AHP), in ms, Hz and mV."""
    from ..rates import rate

    trains = res.spike_trains()
    v = res.v.values.reshape(len(trains), -1) if "v" in res.dataset else None
    t = res.t if v is not None else None
    out = []
    for i, (amp, tr) in enumerate(zip(currents, trains)):
        row: dict[str, Any] = {
            "current_uA_cm2": float(amp), "spike_count": int(len(tr)),
            "spike_times_ms": [float(x) for x in tr],
            "first_spike_ms": float(tr[0]) if len(tr) else None,
            "rate_hz": rate(tr, start, stop) if stop > start else None,
            "count_rate_hz": rate(tr, start, stop, "count") if stop > start else None,
        }
        if v is not None:
            row["peak_mv"] = float(np.nanmax(v[i])) if np.isfinite(v[i]).any() else None
            row["ahp_mv"] = float(np.min(v[i][t > tr[0]])) if len(tr) else None
        if "diverged_at" in res.dataset:
            at = float(res.dataset.diverged_at.values.reshape(-1)[i])
            row["diverged_at_ms"] = at if math.isfinite(at) else None
            row["diverged_state"] = str(res.dataset.diverged_state.values.reshape(-1)[i]) or None
        out.append(row)
    return out


def _positive(field: str, value: float) -> float:
    out = number(field, value)
    if not out > 0:
        raise ValidationError(field, f"must be > 0, got {out!r}")
    return out


def _pairs(text: str, field: str) -> tuple[str, dict[str, str]]:
    """``"exp2:tau_rise=0.5,e=0"`` → ("exp2", {"tau_rise": "0.5", "e": "0"})."""
    kind, _, rest = text.partition(":")
    values: dict[str, str] = {}
    for item in filter(None, (x.strip() for x in rest.split(","))):
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise ValidationError(field, f"{item!r} is not KEY=VALUE (in {text!r})")
        values[key.strip()] = value.strip()
    return kind.strip(), values


def _numbers(values: dict[str, str], field: str, allowed: set[str]) -> dict[str, float]:
    unknown = set(values) - allowed
    if unknown:
        raise ValidationError(field, f"unknown key(s) {sorted(unknown)} (allowed: "
                              f"{', '.join(sorted(allowed))})")
    out = {}
    for key, value in values.items():
        try:
            out[key] = float(value)
        except ValueError:
            raise ValidationError(f"{field} {key}", f"{value!r} is not a number") from None
    return out


_SYNAPSE_KEYS = {"exp": {"tau", "e", "weight"}, "alpha": {"tau", "e", "weight"},
                 "exp2": {"tau_rise", "tau_decay", "e", "weight"}}


def parse_synapse(text: str):
    """``--synapse exp2:tau_rise=0.5,tau_decay=5,e=0,weight=0.3,rate=20[,seed=1]`` (Poisson;
    ``regular=1`` for a regular train; ``start``, ``stop`` in ms) → a synapse."""
    from .. import synapses

    kind, raw = _pairs(text, "--synapse")
    if kind not in _SYNAPSE_KEYS:
        raise ValidationError("--synapse", f"unknown kind {kind!r} (exp, exp2, alpha)")
    own = _SYNAPSE_KEYS[kind]
    name = raw.pop("name", "syn")
    v = _numbers(raw, "--synapse", own | {"rate", "seed", "start", "stop", "regular"})
    missing = (own | {"rate"}) - set(v)
    if missing:
        raise ValidationError("--synapse", f"missing {', '.join(sorted(missing))} (in {text!r})")
    window = {k: v[k] for k in ("start", "stop") if k in v}
    spikes = (synapses.regular(v["rate"], **window) if v.get("regular") else
              synapses.poisson(v["rate"], seed=v.get("seed", 0.0), **window))
    if kind == "exp2":
        return synapses.exp2(v["tau_rise"], v["tau_decay"], v["e"], v["weight"], spikes,
                             name=name)
    make = synapses.exp if kind == "exp" else synapses.alpha
    return make(v["tau"], v["e"], v["weight"], spikes, name=name)


def parse_noise(text: str):
    """``--noise ou:mean=0,sigma=1,tau=5[,seed=1]`` (µA/cm², ms) or
    ``--noise destexhe2001:area=34636[,seed=1,scale=1]`` (µm²) → a noise input."""
    from .. import noise

    kind, raw = _pairs(text, "--noise")
    if kind == "ou":
        v = _numbers(raw, "--noise", {"mean", "sigma", "tau", "seed"})
        missing = {"sigma", "tau"} - set(v)
        if missing:
            raise ValidationError("--noise", f"missing {', '.join(sorted(missing))}")
        return noise.ou_current(v.get("mean", 0.0), v["sigma"], v["tau"], v.get("seed", 0.0))
    if kind == "destexhe2001":
        v = _numbers(raw, "--noise", {"area", "seed", "scale"})
        if "area" not in v:
            raise ValidationError("--noise", "destexhe2001 needs area=µm²")
        return noise.destexhe2001(v["area"], seed=v.get("seed", 0.0),
                                  scale=v.get("scale", 1.0))
    raise ValidationError("--noise", f"unknown kind {kind!r} (ou, destexhe2001)")


def run_step(model, current, delay, duration, t_stop, dt, method, temperature, sets, drugs,
             record, progress=None, threshold=0.0, record_every=None, inputs=()):
    """Build the cell and the step, simulate; returns (cell, currents, result, stimulus end)."""
    t_stop = _positive("--t-stop", t_stop)
    dt = _positive("--dt", dt)
    delay = number("--delay", delay)
    if delay < 0:
        raise ValidationError("--delay", f"must be >= 0 ms, got {delay!r}")
    if duration is not None:
        duration = _positive("--duration", duration)
    cell = build_cell(model, temperature, sets, drugs)
    currents = parse_current_with_unit(current, cell)
    stop = t_stop if duration is None else min(delay + duration, t_stop)
    amp = currents if currents.size > 1 else float(currents[0])
    stim = stimulus.step(amp, start=delay,
                         stop=math.inf if duration is None else delay + duration)
    if record_every is None:  # keep recorded traces below ~2e7 samples
        n_steps = max(1, int(round(t_stop / dt))) if dt > 0 else 1
        record_every = max(1, int(currents.size * n_steps // 20_000_000))
    for extra in inputs:  # synapses and noise (--synapse, --noise)
        stim = stim + extra
    from ..simulation import simulate

    res = simulate(cell, stim, t_stop=t_stop, dt=dt, method=method, record=record,
                   record_every=record_every, threshold=threshold, progress=progress)
    return cell, currents, res, stop


def json_safe(x):
    """NaN and ±inf → None, in nested lists and mappings (JSON has no NaN; the reason is
    reported next to it)."""
    if isinstance(x, dict):
        return {k: json_safe(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [json_safe(v) for v in x]
    return None if isinstance(x, float) and not math.isfinite(x) else x


class NonFiniteRun(IonzooError):
    """A command's simulation produced non-finite values (exit status 3)."""

    exit_code = 3


def echo_json(doc) -> None:
    """Print ``doc`` as valid JSON (NaN and ±inf as null)."""
    import click

    click.echo(json.dumps(json_safe(doc), allow_nan=False))


def diverged_message(res) -> str | None:
    """One line naming the neurons whose state became non-finite (None if none did)."""
    ds = res.dataset
    if not ds.attrs.get("diverged"):
        return None
    at = ds.diverged_at.values.reshape(-1)
    names = ds.diverged_state.values.reshape(-1)
    i = int(np.flatnonzero(np.isfinite(at))[0])
    return (f"{ds.attrs['diverged']} neuron(s) became non-finite and were stopped (first: "
            f"neuron {i} at t = {at[i]:g} ms in {names[i]}); their values are NaN from then on")


def offscreen() -> None:
    """Draw off-screen: the CLI writes files, it never opens windows."""
    import matplotlib

    matplotlib.use("Agg")


def save_figure(fig, path: str) -> None:
    """Write a figure atomically (its path was checked when the options were read)."""
    from ..io.atomic import save_figure as save

    save(fig, path)


def write_figure(draw, path: str, announce: bool = True) -> None:
    """Draw off-screen with ``draw(ionzoo.plot)`` (which returns the figure) and write it to
    ``path``; ``announce`` prints ``figure: PATH``."""
    offscreen()
    from .. import plot

    save_figure(draw(plot), path)
    if announce:
        click.echo(f"figure: {path}")
