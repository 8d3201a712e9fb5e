"""Commands that simulate a model under a current step: ``run``, ``features`` and the ``plot``
group (``gating``, ``mechanism``, ``phase``, ``traces``)."""

from __future__ import annotations

import click
import numpy as np

from ..errors import ValidationError
from ..rates import COUNT_RATE_NAME, RATE_NAME
from .common import (
    NonFiniteRun,
    build_cell,
    diverged_message,
    echo_json,
    json_safe,
    offscreen,
    parse_noise,
    parse_synapse,
    run_step,
    save_figure,
    save_summary,
    spike_summary,
    write_figure,
)
from .group import cli
from .options import (
    figure_out_option,
    json_option,
    plot_option,
    save_option,
    set_option,
    sim_options,
    summary_option,
    temperature_option,
)


@cli.command()
@click.argument("model")
@sim_options
@click.option("--threshold", type=float, default=0.0, show_default=True,
              help="Spike threshold, mV.")
@click.option("--synapse", "synapse_specs", multiple=True, metavar="KIND:KEY=VALUE,...",
              help="Add a synapse driven by a Poisson train, e.g. exp2:tau_rise=0.5,"
                   "tau_decay=5,e=0,weight=0.3,rate=20,seed=1 (exp: tau; alpha: tau; "
                   "regular=1 for a regular train; repeatable, give each name=...).")
@click.option("--noise", "noise_specs", multiple=True, metavar="KIND:KEY=VALUE,...",
              help="Add noise: ou:mean=0,sigma=1,tau=5,seed=1 (µA/cm², ms) or "
                   "destexhe2001:area=34636,seed=1 (µm²).")
@plot_option("Write a figure of the voltage traces (.png, .pdf, .svg).")
@save_option
@summary_option
@json_option
def run(model, current, delay, duration, t_stop, dt, method, temperature, sets, drugs,
        threshold, synapse_specs, noise_specs, plot_path, save_path, summary_path, as_json):
    """Simulate MODEL under a current step (plus any synapses and noise) and summarise the
    spikes."""
    inputs = [parse_synapse(x) for x in synapse_specs] + [parse_noise(x) for x in noise_specs]
    cell, currents, res, stop = run_step(model, current, delay, duration, t_stop, dt, method,
                                         temperature, sets, drugs, ["v"], threshold=threshold,
                                         progress=False if as_json else None,
                                         inputs=tuple(inputs))
    rows = spike_summary(res, currents, delay, stop)
    if as_json:
        echo_json({
            "model": model, "method": method, "dt_ms": dt, "t_stop_ms": t_stop,
            "temperature_degC": float(np.asarray(cell.value("temperature"))),
            "stimulus": {"kind": "step", "delay_ms": delay, "stop_ms": stop},
            "threshold_mv": threshold, "rate_definition": RATE_NAME,
            "count_rate_definition": COUNT_RATE_NAME, "neurons": rows})
    else:
        click.echo(f"{model}: {method}, dt = {dt:g} ms, t_stop = {t_stop:g} ms, "
                   f"T = {float(np.asarray(cell.value('temperature'))):g} °C, "
                   f"step {delay:g}–{stop:g} ms")
        click.echo(f"{'I (µA/cm²)':>11} {'spikes':>7} {'first (ms)':>11} {'rate (Hz)':>10} "
                   f"{'peak (mV)':>10} {'AHP (mV)':>9}")
        for r in rows:
            first = "–" if r["first_spike_ms"] is None else f"{r['first_spike_ms']:.3f}"
            ahp = "–" if r.get("ahp_mv") is None else f"{r['ahp_mv']:.2f}"
            peak = "–" if r.get("peak_mv") is None else f"{r['peak_mv']:.2f}"
            click.echo(f"{r['current_uA_cm2']:>11g} {r['spike_count']:>7d} {first:>11} "
                       f"{r['rate_hz']:>10.1f} {peak:>10} {ahp:>9}")
        click.echo(f"({RATE_NAME}; the window is the step, {delay:g}–{stop:g} ms)")
    if plot_path:
        write_figure(lambda plot: plot.traces(res), plot_path, announce=not as_json)
    if save_path:
        if save_path.lower().endswith(".csv"):
            res.to_csv(save_path)
        else:
            res.to_netcdf(save_path)
        if not as_json:
            click.echo(f"saved: {save_path}")
    if summary_path:
        save_summary(rows, summary_path)
        if not as_json:
            click.echo(f"saved: {summary_path}")
    problem = diverged_message(res)
    if problem:
        raise NonFiniteRun(problem)


@cli.command("features")
@click.argument("model")
@sim_options
@json_option
@plot_option("Save the (first) trace with the features marked.")
def features_cmd(model, current, delay, duration, t_stop, dt, method, temperature, sets, drugs,
                 as_json, plot_path):
    """eFEL-named features of MODEL under a current step (stimulus window = the step)."""
    from ..analysis import trace_features

    if duration is None:
        raise ValidationError("--duration", "features need the step's duration (ms)")
    _, currents, res, stop = run_step(model, current, delay, duration, t_stop, dt, method,
                                  temperature, sets, drugs, ["v"], record_every=1)
    flat = res.v.values.reshape(-1, res.v.sizes["time"])
    rows = []
    for amp, v in zip(currents, flat):
        vals, why = trace_features(res.t, v, delay, delay + duration)
        rows.append({"current_uA_cm2": float(amp),
                     **{k: json_safe(np.asarray(x, dtype=float).tolist())
                        for k, x in vals.items()},
                     "reasons": why})
    if as_json:
        echo_json({"model": model, "stim_start_ms": delay,
                               "stim_end_ms": delay + duration, "neurons": rows})
    else:
        for row in rows:
            click.echo(f"I = {row['current_uA_cm2']:g} µA/cm²")
            for k, x in row.items():
                if k not in ("current_uA_cm2", "reasons"):
                    click.echo(f"  {k:24s} {x}")
    if plot_path:
        write_figure(lambda plot: plot.features_on_trace(res.t, flat[0], delay, delay + duration),
                     plot_path, announce=False)


@cli.group("plot")
def plot_cmd():
    """Figures of the HH lesson from the shell."""


@plot_cmd.command("gating")
@click.argument("model")
@temperature_option
@set_option
@figure_out_option
def plot_gating(model, temperature, sets, out):
    """x∞, τ, steady-state conductances and I–V curves of MODEL."""
    from .. import plot

    offscreen()
    save_figure(plot.gating(build_cell(model, temperature, sets)), out)
    click.echo(f"figure: {out}")


@plot_cmd.command("mechanism")
@click.argument("model")
@sim_options
@figure_out_option
def plot_mechanism(model, current, delay, duration, t_stop, dt, method, temperature, sets,
                   drugs, out):
    """The ionic mechanism of the spike: V, gates, conductances, currents."""
    from .. import plot

    offscreen()
    _, currents, res, _ = run_step(model, current, delay, duration, t_stop, dt, method, temperature,
                               sets, drugs, "all")
    if currents.size != 1:
        raise ValidationError("--current", "mechanism needs a single current")
    save_figure(plot.mechanism(res), out)
    click.echo(f"figure: {out}")


@plot_cmd.command("phase")
@click.argument("model")
@sim_options
@click.option("--x", "x", default="v", show_default=True, help="x axis: a recorded variable.")
@click.option("--y", "y", default="K.n", show_default=True,
              help="y axis: a variable or expression, e.g. 'Na.m**3 * Na.h'.")
@figure_out_option
def plot_phase(model, current, delay, duration, t_stop, dt, method, temperature, sets, drugs,
               x, y, out):
    """A trajectory in the (x, y) plane with direction arrows."""
    from .. import plot

    offscreen()
    _, currents, res, _ = run_step(model, current, delay, duration, t_stop, dt, method, temperature,
                               sets, drugs, "all")
    save_figure(plot.phase_plane(res, x=x, y=y, index=list(range(min(currents.size, 6)))), out)
    click.echo(f"figure: {out}")


@plot_cmd.command("traces")
@click.argument("model")
@sim_options
@figure_out_option
def plot_traces(model, current, delay, duration, t_stop, dt, method, temperature, sets, drugs,
                out):
    """Voltage traces, one panel per current."""
    from .. import plot

    offscreen()
    _, _, res, _ = run_step(model, current, delay, duration, t_stop, dt, method, temperature, sets,
                        drugs, ["v"])
    save_figure(plot.traces(res), out)
    click.echo(f"figure: {out}")
