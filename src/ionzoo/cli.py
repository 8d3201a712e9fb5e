"""The ``ionzoo`` command line.

    ionzoo run hh1952 --current 10 --t-stop 50 --dt 0.01 [--json] [--plot FILE] [--save FILE.nc]
    ionzoo models
    ionzoo channels [show NAME [--plot FILE]]
    ionzoo plot gating|mechanism|phase|traces MODEL [...] --out FILE

Errors in user input print one line (``ionzoo: error: ...``) and exit with status 2; no traceback.
Shell completion (click): ``eval "$(_IONZOO_COMPLETE=bash_source ionzoo)"`` (bash; ``zsh_source``,
``fish_source`` for the others).
"""

from __future__ import annotations

import json
import math
import sys
from typing import Any

import click
import numpy as np

from . import __version__, channels, models, stimulus
from .errors import IonzooError, ValidationError
from .model.neuron import Neuron
from .model.params import pretty_unit
from .simulate import simulate
from .solvers import METHODS

__all__ = ["main", "cli"]


# ---------------------------------------------------------------------------------- parsing
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
        from .io import load

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
    from . import pharmacology

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


# ---------------------------------------------------------------------------------- commands
@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ionzoo")
def cli() -> None:
    """ionzoo: conductance-based neuron models (units: mV, ms, µA/cm², mS/cm², °C)."""


def _sim_options(f):
    opts = [
        click.option("--current", default="10", show_default=True,
                     help="Step current, µA/cm²: a number, a list '0,5,10' or a range "
                          "'start:stop:step' (inclusive) for a batch."),
        click.option("--delay", type=float, default=0.0, show_default=True,
                     help="Step onset, ms."),
        click.option("--duration", type=float, default=None,
                     help="Step duration, ms (default: to the end of the run)."),
        click.option("--t-stop", type=float, default=100.0, show_default=True,
                     help="Duration of the run, ms."),
        click.option("--dt", type=float, default=0.025, show_default=True, help="Time step, ms."),
        click.option("--method", type=click.Choice(METHODS), default="crank_nicolson",
                     show_default=True),
        click.option("--temperature", type=float, default=None,
                     help="Temperature, °C (default: the model's)."),
        click.option("--set", "sets", multiple=True, metavar="PATH=VALUE",
                     help="Set a parameter, e.g. --set Na.gbar=60 (repeatable)."),
        click.option("--drug", "drugs", multiple=True, metavar="NAME=CONC",
                     help="Apply a blocker, e.g. --drug TTX=10nM or --drug TEA=5mM."),
    ]
    for opt in reversed(opts):
        f = opt(f)
    return f


def _run(model, current, delay, duration, t_stop, dt, method, temperature, sets, drugs,
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


@cli.command()
@click.argument("model")
@_sim_options
@click.option("--threshold", type=float, default=0.0, show_default=True,
              help="Spike threshold, mV.")
@click.option("--plot", "plot_path", type=click.Path(dir_okay=False), default=None,
              help="Write a figure of the voltage traces (.png, .pdf, .svg).")
@click.option("--save", "save_path", type=click.Path(dir_okay=False), default=None,
              help="Save the full result as NetCDF (.nc).")
@click.option("--json", "as_json", is_flag=True, help="Print a machine-readable summary.")
def run(model, current, delay, duration, t_stop, dt, method, temperature, sets, drugs,
        threshold, plot_path, save_path, as_json):
    """Simulate MODEL under a current step and summarise the spikes."""
    cell, currents, res, stop = _run(model, current, delay, duration, t_stop, dt, method,
                                     temperature, sets, drugs, ["v"], threshold=threshold,
                                     progress=False if as_json else None)
    rows = spike_summary(res, currents, delay, stop)
    if as_json:
        click.echo(json.dumps({
            "model": model, "method": method, "dt_ms": dt, "t_stop_ms": t_stop,
            "temperature_degC": float(np.asarray(cell.value("temperature"))),
            "stimulus": {"kind": "step", "delay_ms": delay, "stop_ms": stop},
            "threshold_mv": threshold, "neurons": rows}))
    else:
        click.echo(f"{model}: {method}, dt = {dt:g} ms, t_stop = {t_stop:g} ms, "
                   f"T = {float(np.asarray(cell.value('temperature'))):g} °C, "
                   f"step {delay:g}–{stop:g} ms")
        click.echo(f"{'I (µA/cm²)':>11} {'spikes':>7} {'first (ms)':>11} {'rate (Hz)':>10} "
                   f"{'peak (mV)':>10} {'AHP (mV)':>9}")
        for r in rows:
            first = "–" if r["first_spike_ms"] is None else f"{r['first_spike_ms']:.3f}"
            ahp = "–" if r.get("ahp_mv") is None else f"{r['ahp_mv']:.2f}"
            click.echo(f"{r['current_uA_cm2']:>11g} {r['spike_count']:>7d} {first:>11} "
                       f"{r['rate_hz']:>10.1f} {r['peak_mv']:>10.2f} {ahp:>9}")
    if plot_path:
        from . import plot

        _agg()
        _save(plot.traces(res), plot_path)
        if not as_json:
            click.echo(f"figure: {plot_path}")
    if save_path:
        res.to_netcdf(save_path)
        if not as_json:
            click.echo(f"saved: {save_path}")


@cli.command("models")
def models_cmd():
    """List the available models with their sources."""
    click.echo(f"{'name':<24} description")
    for name, fn in sorted(models.REGISTRY.items()):
        doc = (fn.__doc__ or "").strip().splitlines()
        click.echo(f"{name:<24} {doc[0] if doc else ''}")


@cli.group("channels", invoke_without_command=True)
@click.pass_context
def channels_cmd(ctx):
    """List the channels in the zoo (or `show NAME` for one)."""
    if ctx.invoked_subcommand is None:
        click.echo(f"{'name':<20} {'ion':<4} {'gates':<12} {'temperature rule':<30} source")
        for name, fn in sorted(channels.REGISTRY.items()):
            ch = fn()
            gates = " ".join(f"{g.name}^{g.power}" + ("∞" if g.instantaneous else "")
                             for g in ch.gates) or "–"
            src = ch.provenance.citation.split(";")[0] if ch.provenance else ""
            click.echo(f"{name:<20} {ch.ion or '–':<4} {gates:<12} {ch.rule_text():<30} {src}")


@channels_cmd.command("show")
@click.argument("name")
@click.option("--plot", "plot_path", type=click.Path(dir_okay=False), default=None,
              help="Write the x∞/τ figure of this channel.")
def channels_show(name, plot_path):
    """Equations, parameters (with units), temperature rule and provenance of a channel."""
    if name not in channels.REGISTRY:
        raise ValidationError("NAME", f"unknown channel {name!r} (available: "
                              f"{', '.join(sorted(channels.REGISTRY))})")
    ch = channels.REGISTRY[name]()
    click.echo(str(ch))
    click.echo("  parameters:")
    for k, v in ch.parameters().items():
        click.echo(f"    {ch.name}.{k} = {v:g} {pretty_unit(ch.parameter_spec(k).unit)}".rstrip())
    if ch.provenance:
        click.echo(f"  reference file: {ch.provenance.model_file}")
        if ch.provenance.notes:
            click.echo(f"  notes: {ch.provenance.notes}")
    if plot_path:
        if not ch.gates:
            raise ValidationError("--plot", f"channel {name!r} has no gates to plot")
        from . import plot

        _agg()
        _save(plot.gating(Neuron.for_channel(ch)), plot_path)
        click.echo(f"figure: {plot_path}")


@cli.command("export")
@click.argument("name")
@click.option("--format", "fmt", type=click.Choice(["nmodl", "neuroml"]), default="nmodl",
              show_default=True, help="Output format.")
@click.option("--out", type=click.Path(file_okay=False), required=True,
              help="Directory to write into.")
@_sim_options
def export_cmd(name, fmt, out, current, delay, duration, t_stop, dt, method, temperature, sets,
               drugs):
    """Export a model or a channel: NMODL (.mod files and a NEURON run script) or NeuroML2."""
    from pathlib import Path

    from .interop import neuroml, nmodl

    if fmt == "neuroml":
        obj = channels.REGISTRY[name]() if name in channels.REGISTRY else build_cell(
            name, temperature, sets, drugs)
        Path(out).mkdir(parents=True, exist_ok=True)
        path = neuroml.write(obj, Path(out) / f"{name.replace('.', '_')}.nml")
        click.echo(f"wrote {path} (valid NeuroML2)")
        return
    if name in channels.REGISTRY:
        ch = channels.REGISTRY[name]()
        Path(out).mkdir(parents=True, exist_ok=True)
        path = Path(out) / f"{nmodl.mechanism_name(ch)}.mod"
        path.write_text(nmodl.channel_to_nmodl(ch))
        click.echo(f"wrote {path}")
        return
    cell = build_cell(name, temperature, sets, drugs)
    if cell.overrides:
        raise ValidationError("--set", "export needs scalar parameter values")
    currents = parse_currents(current)
    if currents.size != 1:
        raise ValidationError("--current", "export needs a single current")
    files = nmodl.export_neuron(cell, out, current=float(currents[0]), delay=delay,
                               duration=duration, t_stop=t_stop, dt=dt, method=method)
    for f in files:
        click.echo(f"wrote {Path(out) / f}")
    click.echo(f"then: cd {out} && nrnivmodl && python run_{cell.name}.py")


@cli.command("fi")
@click.argument("model")
@click.option("--currents", default="0:30:1", show_default=True,
              help="Currents, µA/cm²: a list 'a,b,c' or a range 'start:stop:step'.")
@click.option("--protocol", "protocols", type=click.Choice(["step", "rest", "train"]),
              multiple=True, help="step from rest (default) / up from the equilibrium / down "
                                  "from a spike train; repeat for several (--protocol rest "
                                  "--protocol train shows hysteresis).")
@click.option("--from-current", type=float, default=None,
              help="µA/cm²: the spike train the 'train' protocol starts from (default: the "
                   "largest current + 1).")
@click.option("--t-stop", type=float, default=1000.0, show_default=True, help="ms.")
@click.option("--temperature", type=float, default=None, help="°C.")
@click.option("--set", "sets", multiple=True, metavar="PATH=VALUE")
@click.option("--drug", "drugs", multiple=True, metavar="NAME=CONC")
@click.option("--plot", "plot_path", type=click.Path(dir_okay=False), default=None)
@click.option("--json", "as_json", is_flag=True)
def fi_cmd(model, currents, protocols, from_current, t_stop, temperature, sets, drugs,
           plot_path, as_json):
    """The f–I curve of MODEL (one batch per protocol)."""
    from .analysis import fi_curve

    cell = build_cell(model, temperature, sets, drugs)
    cur = parse_currents(currents)
    protocols = protocols or ("step",)
    curves = []
    for protocol in protocols:
        extra = {}
        if protocol == "train":
            extra["from_current"] = (float(cur.max()) + 1.0 if from_current is None
                                     else from_current)
        curves.append(fi_curve(cell, cur, protocol=protocol, t_stop=t_stop, **extra))
    if as_json:
        click.echo(json.dumps({"model": model, "currents_uA_cm2": cur.tolist(),
                               "rate_hz": {p: ds.rate.values.reshape(-1).tolist()
                                           for p, ds in zip(protocols, curves)}}))
    else:
        head = "".join(f"{p:>12s}" for p in protocols)
        click.echo(f"{model}: f–I, rate (Hz) over the last {curves[0].attrs['window']:g} ms")
        click.echo(f"{'µA/cm²':>10s}{head}")
        rates = [ds.rate.values.reshape(-1) for ds in curves]
        for k, i in enumerate(cur):
            click.echo(f"{i:10g}" + "".join(f"{r[k]:12.2f}" for r in rates))
    if plot_path:
        _agg()
        from . import plot

        _save(plot.fi(curves), plot_path)


@cli.command("rheobase")
@click.argument("model")
@click.option("--kind", type=click.Choice(["sustained", "single"]), default="sustained",
              show_default=True)
@click.option("--lo", type=float, default=0.0, show_default=True, help="µA/cm².")
@click.option("--hi", type=float, default=50.0, show_default=True, help="µA/cm².")
@click.option("--tol", type=float, default=1e-3, show_default=True, help="µA/cm².")
@click.option("--temperature", type=float, default=None, help="°C.")
@click.option("--set", "sets", multiple=True, metavar="PATH=VALUE")
@click.option("--drug", "drugs", multiple=True, metavar="NAME=CONC")
@click.option("--json", "as_json", is_flag=True)
def rheobase_cmd(model, kind, lo, hi, tol, temperature, sets, drugs, as_json):
    """The rheobase of MODEL by batched bisection."""
    from .analysis import rheobase

    rb = rheobase(build_cell(model, temperature, sets, drugs), kind, lo, hi, tol=tol)
    if as_json:
        click.echo(json.dumps({"model": model, "kind": kind, "rheobase_uA_cm2": rb.value,
                               "bracket": list(rb.bracket), "batches": rb.batches}))
    else:
        click.echo(f"{model}: {kind} rheobase {rb.value:.6g} µA/cm² (bracket "
                   f"{rb.bracket[0]:.6g}–{rb.bracket[1]:.6g}, {rb.batches} batches)")


@cli.command("features")
@click.argument("model")
@_sim_options
@click.option("--json", "as_json", is_flag=True)
@click.option("--plot", "plot_path", type=click.Path(dir_okay=False), default=None,
              help="Save the (first) trace with the features marked.")
def features_cmd(model, current, delay, duration, t_stop, dt, method, temperature, sets, drugs,
                 as_json, plot_path):
    """eFEL-named features of MODEL under a current step (stimulus window = the step)."""
    from .analysis import trace_features

    if duration is None:
        raise ValidationError("--duration", "features need the step's duration (ms)")
    _, currents, res, stop = _run(model, current, delay, duration, t_stop, dt, method,
                                  temperature, sets, drugs, ["v"], record_every=1)
    flat = res.v.values.reshape(-1, res.v.sizes["time"])
    rows = []
    for amp, v in zip(currents, flat):
        vals, why = trace_features(res.t, v, delay, delay + duration)
        rows.append({"current_uA_cm2": float(amp),
                     **{k: _json_safe(np.asarray(x, dtype=float).tolist())
                        for k, x in vals.items()},
                     "reasons": why})
    if as_json:
        click.echo(json.dumps({"model": model, "stim_start_ms": delay,
                               "stim_end_ms": delay + duration, "neurons": rows},
                              allow_nan=False))
    else:
        for row in rows:
            click.echo(f"I = {row['current_uA_cm2']:g} µA/cm²")
            for k, x in row.items():
                if k not in ("current_uA_cm2", "reasons"):
                    click.echo(f"  {k:24s} {x}")
    if plot_path:
        _agg()
        from . import plot

        _save(plot.features_on_trace(res.t, flat[0], delay, delay + duration), plot_path)


@cli.command("temperature")
@click.argument("model")
@click.option("--temperatures", default="6.3,10,15,20,25", show_default=True,
              help="°C: a list 'a,b,c' or a range 'start:stop:step'.")
@click.option("--current", type=float, default=10.0, show_default=True, help="µA/cm² step.")
@click.option("--delay", type=float, default=20.0, show_default=True, help="Step onset, ms.")
@click.option("--duration", type=float, default=200.0, show_default=True, help="ms.")
@click.option("--dt", type=float, default=0.01, show_default=True, help="ms.")
@click.option("--set", "sets", multiple=True, metavar="PATH=VALUE")
@click.option("--drug", "drugs", multiple=True, metavar="NAME=CONC")
@click.option("--plot", "plot_path", type=click.Path(dir_okay=False), default=None)
@click.option("--json", "as_json", is_flag=True)
def temperature_cmd(model, temperatures, current, delay, duration, dt, sets, drugs, plot_path,
                    as_json):
    """Spike width, onset voltage and rate of MODEL against temperature (one batch; each
    channel applies its own temperature rule)."""
    from .analysis import temperature_sweep

    temps = parse_currents(temperatures, field="--temperatures")
    cell = build_cell(model, None, sets, drugs)
    ds = temperature_sweep(cell, temps, current, start=delay, stop=delay + duration,
                           t_stop=delay + duration + 30.0, dt=dt)
    names = ("spike_half_width", "AP_begin_voltage", "AP_height", "rate", "spike_count")
    if as_json:
        click.echo(json.dumps({"model": model, "current_uA_cm2": current,
                               "temperature_degC": temps.tolist(),
                               **{n: _json_safe(ds[n].values.astype(float).tolist())
                                  for n in names}}, allow_nan=False))
    else:
        click.echo(f"{model}: {current:g} µA/cm² for {duration:g} ms")
        click.echo(f"{'°C':>7s} {'half-width ms':>14s} {'onset mV':>9s} {'peak mV':>8s} "
                   f"{'rate Hz':>8s} {'spikes':>6s}")
        for k, temp in enumerate(temps):
            hw, vb, ah, rt, n = (ds[x].values[k] for x in names)
            click.echo(f"{temp:7g} {hw:14.4f} {vb:9.2f} {ah:8.2f} {rt:8.2f} {int(n):6d}")
    if plot_path:
        _agg()
        from . import plot

        _save(plot.temperature(ds), plot_path)


@cli.command("dose-response")
@click.argument("model")
@click.option("--drug", "drug", required=True, help="Drug name (ionzoo.pharmacology.DRUGS).")
@click.option("--concentrations", required=True,
              help="In the drug's unit (or each with a unit): '0,1,3,10,30,100' or "
                   "'0,1nM,1uM'.")
@click.option("--subtype", default=None, help="Which IC50 to use (default: the drug's).")
@click.option("--channel", "channels", multiple=True,
              help="Block only these channels (repeatable).")
@click.option("--current", type=float, default=10.0, show_default=True, help="µA/cm² step.")
@click.option("--delay", type=float, default=20.0, show_default=True, help="Step onset, ms.")
@click.option("--duration", type=float, default=500.0, show_default=True, help="ms.")
@click.option("--temperature", type=float, default=None, help="°C.")
@click.option("--set", "sets", multiple=True, metavar="PATH=VALUE")
@click.option("--plot", "plot_path", type=click.Path(dir_okay=False), default=None)
@click.option("--json", "as_json", is_flag=True)
def dose_response_cmd(model, drug, concentrations, subtype, channels, current, delay, duration,
                      temperature, sets, plot_path, as_json):
    """Firing of MODEL against the concentration of a blocker (one batch)."""
    from .analysis import dose_response

    conc = [c.strip() for c in concentrations.split(",") if c.strip()]
    if not conc:
        raise ValidationError("--concentrations", "no concentrations given")
    cell = build_cell(model, temperature, sets, ())
    ds = dose_response(cell, drug, conc, current, start=delay, stop=delay + duration,
                       subtype=subtype, channels=list(channels) or None)
    unit = ds.attrs["unit"]
    if as_json:
        click.echo(json.dumps({"model": model, "drug": ds.attrs["drug"], "unit": unit,
                               "ic50": ds.attrs["ic50"], "subtype": ds.attrs["subtype"],
                               "concentration": ds.concentration.values.tolist(),
                               "fraction_blocked": ds.fraction_blocked.values.tolist(),
                               "rate_hz": ds.rate.values.tolist(),
                               "spike_count": ds.spike_count.values.tolist()}))
    else:
        click.echo(f"{model}: {ds.attrs['drug']} (IC50 {ds.attrs['ic50']:g} {unit}, "
                   f"{ds.attrs['subtype']}), {current:g} µA/cm² for {duration:g} ms")
        for c, b, r, n in zip(ds.concentration.values, ds.fraction_blocked.values,
                              ds.rate.values, ds.spike_count.values):
            click.echo(f"{c:10g} {unit}  blocked {b:6.3f}  {r:8.2f} Hz  {int(n):5d} spikes")
    if plot_path:
        _agg()
        from . import plot

        _save(plot.dose_response(ds), plot_path)


@cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--out", type=click.Path(dir_okay=False), default=None,
              help="Also save as an ionzoo model file (.yaml or .json).")
def import_cmd(path, out):
    """Import a NeuroML2 file (a one-segment cell, or ion channels) and print it."""
    from .interop import neuroml
    from .io import save

    obj = neuroml.read(path)
    items = [obj] if isinstance(obj, Neuron) else list(obj.values())
    for item in items:
        click.echo(str(item))
    if out:
        if not isinstance(obj, Neuron):
            raise ValidationError("--out", "only a file with a cell can be saved as a model")
        save(obj, out)
        click.echo(f"saved: {out}")


@cli.group("plot")
def plot_cmd():
    """Figures of the HH lesson from the shell."""


@plot_cmd.command("gating")
@click.argument("model")
@click.option("--temperature", type=float, default=None, help="°C (default: the model's).")
@click.option("--set", "sets", multiple=True, metavar="PATH=VALUE")
@click.option("--out", type=click.Path(dir_okay=False), required=True, help="Figure file.")
def plot_gating(model, temperature, sets, out):
    """x∞, τ, steady-state conductances and I–V curves of MODEL."""
    from . import plot

    _agg()
    _save(plot.gating(build_cell(model, temperature, sets)), out)
    click.echo(f"figure: {out}")


@plot_cmd.command("mechanism")
@click.argument("model")
@_sim_options
@click.option("--out", type=click.Path(dir_okay=False), required=True, help="Figure file.")
def plot_mechanism(model, current, delay, duration, t_stop, dt, method, temperature, sets,
                   drugs, out):
    """The ionic mechanism of the spike: V, gates, conductances, currents."""
    from . import plot

    _agg()
    _, currents, res, _ = _run(model, current, delay, duration, t_stop, dt, method, temperature,
                               sets, drugs, "all")
    if currents.size != 1:
        raise ValidationError("--current", "mechanism needs a single current")
    _save(plot.mechanism(res), out)
    click.echo(f"figure: {out}")


@plot_cmd.command("phase")
@click.argument("model")
@_sim_options
@click.option("--x", "x", default="v", show_default=True, help="x axis: a recorded variable.")
@click.option("--y", "y", default="K.n", show_default=True,
              help="y axis: a variable or expression, e.g. 'Na.m**3 * Na.h'.")
@click.option("--out", type=click.Path(dir_okay=False), required=True, help="Figure file.")
def plot_phase(model, current, delay, duration, t_stop, dt, method, temperature, sets, drugs,
               x, y, out):
    """A trajectory in the (x, y) plane with direction arrows."""
    from . import plot

    _agg()
    _, currents, res, _ = _run(model, current, delay, duration, t_stop, dt, method, temperature,
                               sets, drugs, "all")
    _save(plot.phase_plane(res, x=x, y=y, index=list(range(min(currents.size, 6)))), out)
    click.echo(f"figure: {out}")


@plot_cmd.command("traces")
@click.argument("model")
@_sim_options
@click.option("--out", type=click.Path(dir_okay=False), required=True, help="Figure file.")
def plot_traces(model, current, delay, duration, t_stop, dt, method, temperature, sets, drugs,
                out):
    """Voltage traces, one panel per current."""
    from . import plot

    _agg()
    _, _, res, _ = _run(model, current, delay, duration, t_stop, dt, method, temperature, sets,
                        drugs, ["v"])
    _save(plot.traces(res), out)
    click.echo(f"figure: {out}")


def _json_safe(x):
    """NaN → None (JSON has no NaN; the reason is reported next to it)."""
    if isinstance(x, list):
        return [_json_safe(v) for v in x]
    return None if isinstance(x, float) and math.isnan(x) else x


def _agg() -> None:
    """Draw off-screen: the CLI writes files, it never opens windows."""
    import matplotlib

    matplotlib.use("Agg")


def _save(fig, path: str) -> None:
    suffix = path.rsplit(".", 1)[-1].lower() if "." in path else ""
    if suffix not in ("png", "pdf", "svg"):
        raise ValidationError("--plot/--out", f"{path!r}: use a .png, .pdf or .svg file name")
    fig.savefig(path, dpi=120)


def main(argv: list[str] | None = None) -> int:
    """Entry point: run the CLI; user errors become one line on stderr and exit status 2."""
    try:
        rc = cli.main(args=argv, prog_name="ionzoo", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("ionzoo: aborted", err=True)
        return 1
    except click.exceptions.ClickException as exc:
        click.echo(f"ionzoo: error: {exc.format_message()}", err=True)
        return exc.exit_code
    except (IonzooError, OSError) as exc:
        click.echo(f"ionzoo: error: {exc}", err=True)
        return 2
    return rc if isinstance(rc, int) else 0


if __name__ == "__main__":
    sys.exit(main())
