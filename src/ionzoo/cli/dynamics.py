"""Dynamics commands: ``bifurcation`` (the equilibrium branch and its special points)."""

from __future__ import annotations

import click

from .common import build_cell, echo_json, offscreen, save_figure
from .group import cli
from .options import json_option, model_options, plot_option


@cli.command("bifurcation")
@click.argument("model")
@click.option("--parameter", default="current", show_default=True,
              help="What is continued (only 'current' so far).")
@click.option("--range", "bounds", type=(float, float), default=(0.0, 200.0), show_default=True,
              help="Start and stop of the parameter (µA/cm²).")
@model_options
@plot_option()
@json_option
def bifurcation_cmd(model, parameter, bounds, temperature, sets, drugs, plot_path, as_json):
    """Equilibria of MODEL against the injected current: stability, folds (saddle-node) and
    Hopf points with their frequency and first Lyapunov coefficient."""
    from ..dynamics import bifurcation

    cell = build_cell(model, temperature, sets, drugs)
    diagram = bifurcation(cell, parameter, *bounds)
    points = diagram.special_points.to_dict("records")
    if as_json:
        echo_json({"model": model, "parameter": parameter, "range": list(bounds),
                   "special_points": points})
    else:
        click.echo(f"{model}: equilibria for {parameter} in [{bounds[0]:g}, {bounds[1]:g}]")
        if not points:
            click.echo("  no fold or Hopf point in this range")
        for p in points:
            extra = "" if p["kind"] != "hopf" else (
                f"  {p['frequency_hz']:.6g} Hz  l1 = {p['first_lyapunov']:.4g} "
                f"({p['criticality']})")
            click.echo(f"  {p['kind']:<12} I = {p['value']:.10g} µA/cm²  V = {p['v']:.6f} mV"
                       f"{extra}")
    if plot_path:
        from .. import plot

        offscreen()
        save_figure(plot.bifurcation(diagram), plot_path)
        if not as_json:
            click.echo(f"figure: {plot_path}")
