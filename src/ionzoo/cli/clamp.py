"""``ionzoo clamp``: a voltage-clamp step family (:mod:`ionzoo.clamp`)."""

from __future__ import annotations

import click
import numpy as np

from .common import build_cell, echo_json, parse_currents, write_figure
from .group import cli
from .options import json_option, model_options, plot_option


@cli.command("clamp")
@click.argument("model")
@click.option("--steps", default="-60:40:10", show_default=True,
              help="Step levels, mV: a number, a list 'a,b,c' or a range 'start:stop:step'.")
@click.option("--hold", type=float, default=-80.0, show_default=True,
              help="Holding potential, mV.")
@click.option("--duration", type=float, default=20.0, show_default=True,
              help="Step duration, ms (after 1 ms at the holding potential).")
@click.option("--dt", type=float, default=0.01, show_default=True, help="Time step, ms.")
@model_options
@plot_option("Write a figure of the clamp currents (.png, .pdf, .svg).")
@json_option
def clamp_cmd(model, steps, hold, duration, dt, temperature, sets, drugs, plot_path, as_json):
    """Clamp MODEL from --hold to each of --steps: the peak inward and outward clamp current,
    the current at the end of the step, and each channel's peak conductance."""
    from .. import stimulus
    from ..clamp import voltage_clamp

    cell = build_cell(model, temperature, sets, drugs)
    levels = parse_currents(steps, "--steps")
    import xarray as xr

    delta = xr.DataArray(levels - hold, dims="level", coords={"level": levels})
    res = voltage_clamp(cell, stimulus.step(delta, 1.0, 1.0 + duration), hold=hold,
                        t_stop=1.0 + duration, dt=dt)
    during = res.dataset.sel(time=slice(1.0 + dt / 2, None))
    i = during["i_clamp"]
    rows = []
    for k, level in enumerate(levels):
        row = {"level_mv": float(level), "peak_inward_uA_cm2": float(min(i[k].min(), 0.0)),
               "peak_outward_uA_cm2": float(max(i[k].max(), 0.0)),
               "end_uA_cm2": float(i[k, -1]),
               "peak_conductance_mS_cm2": {ch.name: float(during[f"{ch.name}.g"][k].max())
                                           for ch in cell.channels}}
        rows.append(row)
    if as_json:
        echo_json({"model": model, "hold_mv": hold, "duration_ms": duration, "dt_ms": dt,
                   "steps": rows})
    else:
        click.echo(f"{model}: voltage clamp from {hold:g} mV, {duration:g}-ms steps, "
                   f"dt = {dt:g} ms (µA/cm², outward +)")
        click.echo(f"{'V (mV)':>8} {'peak in':>10} {'peak out':>10} {'end':>10}  "
                   "peak g (mS/cm²)")
        for r in rows:
            gs = ", ".join(f"{k} {v:.4g}" for k, v in r["peak_conductance_mS_cm2"].items())
            click.echo(f"{r['level_mv']:>8g} {r['peak_inward_uA_cm2']:>10.4g} "
                       f"{r['peak_outward_uA_cm2']:>10.4g} {r['end_uA_cm2']:>10.4g}  {gs}")
    if plot_path:
        write_figure(lambda plot: _draw(res, levels), plot_path, announce=not as_json)


def _draw(res, levels: np.ndarray):
    import matplotlib.pyplot as plt

    fig, (top, bottom) = plt.subplots(2, 1, figsize=(6, 5), sharex=True,
                                      gridspec_kw={"height_ratios": (1, 3)})
    t = res.t
    for k, level in enumerate(levels):
        top.plot(t, res["v"].values[k], lw=0.8)
        bottom.plot(t, res["i_clamp"].values[k], lw=0.8, label=f"{level:g} mV")
    top.set_ylabel("command (mV)")
    bottom.set_ylabel("clamp current (µA/cm²)")
    bottom.set_xlabel("time (ms)")
    if len(levels) <= 12:
        bottom.legend(fontsize=7, ncol=2)
    fig.tight_layout()
    return fig
