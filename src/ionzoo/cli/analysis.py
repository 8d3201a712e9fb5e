"""Analysis commands: ``fi``, ``rheobase``, ``temperature``, ``dose-response`` (each one batch)."""

from __future__ import annotations

import click

from ..errors import ValidationError
from .common import build_cell, echo_json, json_safe, parse_currents, write_figure
from .group import cli
from .options import (
    drug_option,
    json_option,
    model_options,
    plot_option,
    set_option,
    temperature_option,
)


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
@model_options
@plot_option()
@json_option
def fi_cmd(model, currents, protocols, from_current, t_stop, temperature, sets, drugs,
           plot_path, as_json):
    """The f–I curve of MODEL (one batch per protocol)."""
    from ..analysis import fi_curve

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
        echo_json({"model": model, "currents_uA_cm2": cur.tolist(),
                               "rate_hz": {p: ds.rate.values.reshape(-1).tolist()
                                           for p, ds in zip(protocols, curves)}})
    else:
        head = "".join(f"{p:>12s}" for p in protocols)
        click.echo(f"{model}: f–I, rate (Hz) over the last {curves[0].attrs['window']:g} ms")
        click.echo(f"{'µA/cm²':>10s}{head}")
        rates = [ds.rate.values.reshape(-1) for ds in curves]
        for k, i in enumerate(cur):
            click.echo(f"{i:10g}" + "".join(f"{r[k]:12.2f}" for r in rates))
    if plot_path:
        write_figure(lambda plot: plot.fi(curves), plot_path, announce=False)


@cli.command("rheobase")
@click.argument("model")
@click.option("--kind", type=click.Choice(["sustained", "single"]), default="sustained",
              show_default=True)
@click.option("--lo", type=float, default=0.0, show_default=True, help="µA/cm².")
@click.option("--hi", type=float, default=None,
              help="µA/cm²; without it the search widens from 50 up to 800 µA/cm².")
@click.option("--tol", type=float, default=1e-3, show_default=True, help="µA/cm².")
@model_options
@json_option
def rheobase_cmd(model, kind, lo, hi, tol, temperature, sets, drugs, as_json):
    """The rheobase of MODEL by batched bisection."""
    from ..analysis import rheobase

    rb = rheobase(build_cell(model, temperature, sets, drugs), kind, lo, hi, tol=tol)
    if as_json:
        echo_json({"model": model, "kind": kind, "rheobase_uA_cm2": rb.value,
                               "bracket": list(rb.bracket), "batches": rb.batches})
    else:
        click.echo(f"{model}: {kind} rheobase {rb.value:.6g} µA/cm² (bracket "
                   f"{rb.bracket[0]:.6g}–{rb.bracket[1]:.6g}, {rb.batches} batches)")


@cli.command("temperature")
@click.argument("model")
@click.option("--temperatures", default="6.3,10,15,20,25", show_default=True,
              help="°C: a list 'a,b,c' or a range 'start:stop:step'.")
@click.option("--current", type=float, default=10.0, show_default=True, help="µA/cm² step.")
@click.option("--delay", type=float, default=20.0, show_default=True, help="Step onset, ms.")
@click.option("--duration", type=float, default=200.0, show_default=True, help="ms.")
@click.option("--dt", type=float, default=0.01, show_default=True, help="ms.")
@set_option
@drug_option
@plot_option()
@json_option
def temperature_cmd(model, temperatures, current, delay, duration, dt, sets, drugs, plot_path,
                    as_json):
    """Spike width, spike threshold and rate of MODEL against temperature (one batch; each
    channel applies its own temperature rule)."""
    from ..analysis import temperature_sweep

    temps = parse_currents(temperatures, field="--temperatures")
    cell = build_cell(model, None, sets, drugs)
    ds = temperature_sweep(cell, temps, current, start=delay, stop=delay + duration,
                           t_stop=delay + duration + 30.0, dt=dt)
    names = ("spike_half_width", "threshold", "AP_height", "rate", "spike_count")
    if as_json:
        echo_json({"model": model, "current_uA_cm2": current,
                               "temperature_degC": temps.tolist(),
                               **{n: json_safe(ds[n].values.astype(float).tolist())
                                  for n in names}})
    else:
        click.echo(f"{model}: {current:g} µA/cm² for {duration:g} ms")
        click.echo(f"{'°C':>7s} {'half-width ms':>14s} {'threshold mV':>12s} {'peak mV':>8s} "
                   f"{'rate Hz':>8s} {'spikes':>6s}")
        for k, temp in enumerate(temps):
            hw, vb, ah, rt, n = (ds[x].values[k] for x in names)
            click.echo(f"{temp:7g} {hw:14.4f} {vb:12.2f} {ah:8.2f} {rt:8.2f} {int(n):6d}")
        click.echo("(threshold: median AP onset of the spikes after the first; rate: 1/mean "
                   "ISI in the step)")
    if plot_path:
        write_figure(lambda plot: plot.temperature(ds), plot_path, announce=False)


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
@temperature_option
@set_option
@plot_option()
@json_option
def dose_response_cmd(model, drug, concentrations, subtype, channels, current, delay, duration,
                      temperature, sets, plot_path, as_json):
    """Firing of MODEL against the concentration of a blocker (one batch)."""
    from ..analysis import dose_response

    conc = [c.strip() for c in concentrations.split(",") if c.strip()]
    if not conc:
        raise ValidationError("--concentrations", "no concentrations given")
    cell = build_cell(model, temperature, sets, ())
    ds = dose_response(cell, drug, conc, current, start=delay, stop=delay + duration,
                       subtype=subtype, channels=list(channels) or None)
    unit = ds.attrs["unit"]
    if as_json:
        echo_json({"model": model, "drug": ds.attrs["drug"], "unit": unit,
                               "ic50": ds.attrs["ic50"], "subtype": ds.attrs["subtype"],
                               "concentration": ds.concentration.values.tolist(),
                               "fraction_blocked": ds.fraction_blocked.values.tolist(),
                               "rate_hz": ds.rate.values.tolist(),
                               "spike_count": ds.spike_count.values.tolist()})
    else:
        click.echo(f"{model}: {ds.attrs['drug']} (IC50 {ds.attrs['ic50']:g} {unit}, "
                   f"{ds.attrs['subtype']}), {current:g} µA/cm² for {duration:g} ms")
        for c, b, r, n in zip(ds.concentration.values, ds.fraction_blocked.values,
                              ds.rate.values, ds.spike_count.values):
            click.echo(f"{c:10g} {unit}  blocked {b:6.3f}  {r:8.2f} Hz  {int(n):5d} spikes")
    if plot_path:
        write_figure(lambda plot: plot.dose_response(ds), plot_path, announce=False)
