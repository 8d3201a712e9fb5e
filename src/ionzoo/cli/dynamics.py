"""Dynamics commands: ``bifurcation`` (the equilibrium branch and its special points) and
``nullclines`` (a phase plane)."""

from __future__ import annotations

import click

from ..errors import ValidationError
from .common import build_cell, echo_json, write_figure
from .group import cli
from .options import json_option, model_options, plot_option


@cli.command("bifurcation")
@click.argument("model")
@click.option("--parameter", default="current", show_default=True,
              help="What is continued: 'current', or a parameter id (K.gbar, temperature, "
                   "leak.e, …) at the fixed --current.")
@click.option("--range", "bounds", type=(float, float), default=(0.0, 200.0), show_default=True,
              help="Start and stop of the parameter (in its unit; µA/cm² for the current).")
@click.option("--current", "fixed_current", type=float, default=0.0, show_default=True,
              help="The constant current (µA/cm²) when another parameter is continued.")
@click.option("--cycles/--no-cycles", default=None,
              help="Also follow the periodic orbits (folds of cycles, homoclinic ends); on "
                   "by default.")
@model_options
@plot_option()
@json_option
def bifurcation_cmd(model, parameter, bounds, fixed_current, cycles, temperature, sets, drugs,
                    plot_path, as_json):
    """Equilibria of MODEL against the injected current (or another parameter): stability,
    folds (saddle-node) and Hopf points with their frequency and first Lyapunov coefficient;
    the periodic orbits born at the Hopf points, their folds and homoclinic ends."""
    from ..dynamics import bifurcation

    cell = build_cell(model, temperature, sets, drugs)
    extra = {} if parameter == "current" else {"current": fixed_current}
    diagram = bifurcation(cell, parameter, *bounds, cycles=cycles, current=fixed_current)
    points = diagram.special_points.to_dict("records")
    unit = "µA/cm²" if parameter == "current" else cell.unit(parameter)
    if as_json:
        echo_json({"model": model, "parameter": parameter, "unit": unit, "range": list(bounds),
                   **extra, "special_points": points})
    else:
        at = "" if parameter == "current" else f" at I = {fixed_current:g} µA/cm²"
        click.echo(f"{model}: equilibria for {parameter} in [{bounds[0]:g}, {bounds[1]:g}]{at}")
        if not points:
            click.echo("  no special point in this range")
        name = "I" if parameter == "current" else parameter
        for p in points:
            click.echo(f"  {p['kind']:<14} {name} = {p['value']:.10g} {unit}  "
                       f"V = {p['v']:.6f} mV{_extra(p)}")
    if plot_path:
        write_figure(lambda plot: plot.bifurcation(diagram), plot_path, announce=not as_json)


def _extra(p: dict) -> str:
    """The kind-specific columns of a special point, as text."""
    if p["kind"] == "hopf":
        return (f"  {p['frequency_hz']:.6g} Hz  l1 = {p['first_lyapunov']:.4g} "
                f"({p['criticality']})")
    if p["kind"] == "fold_of_cycles":
        return f"  period {p['period']:.6g} ms (max V)"
    if p["kind"] in ("period_doubling", "torus"):
        return f"  period {p['period']:.6g} ms (max V), {p['detail']}"
    if p["kind"] == "homoclinic":
        return f"  ({p['detail']})"
    return ""


def _reductions(items: tuple[str, ...]) -> dict[str, float | str]:
    out: dict[str, float | str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise ValidationError("--reduce", f"expected STATE=inf or STATE=NUMBER, got {item!r}")
        try:
            out[name] = "inf" if value == "inf" else float(value)
        except ValueError:
            raise ValidationError("--reduce", f"{item!r}: not 'inf' or a number") from None
    return out


@cli.command("nullclines")
@click.argument("model")
@click.option("--current", type=float, default=0.0, show_default=True, help="µA/cm².")
@click.option("--y", "y", default=None, help="The state on the vertical axis (default: the "
              "model's last gate, e.g. K.n).")
@click.option("--reduce", "reduce", multiple=True, metavar="STATE=inf|NUMBER",
              help="How another state is reduced (default inf: its steady state at V).")
@click.option("--x-range", type=(float, float), default=(-90.0, 50.0), show_default=True,
              help="mV.")
@click.option("--y-range", type=(float, float), default=(0.0, 1.0), show_default=True)
@model_options
@plot_option()
@json_option
def nullclines_cmd(model, current, y, reduce, x_range, y_range, temperature, sets, drugs,
                   plot_path, as_json):
    """The phase plane of MODEL in (V, Y): nullclines, vector field and equilibria."""
    from ..dynamics import phase_plane

    cell = build_cell(model, temperature, sets, drugs)
    pp = phase_plane(cell, y=y, current=current, reduce=_reductions(reduce), x_range=x_range,
                     y_range=y_range)
    eqs = [{"v": float(a), pp.attrs["y_name"]: float(b), "type": str(t)}
           for a, b, t in zip(pp.eq_x.values, pp.eq_y.values, pp.eq_type.values)]
    if as_json:
        echo_json({"model": model, "current": current, "y": pp.attrs["y_name"],
                   "reduction": pp.attrs["reduction"], "equilibria": eqs})
    else:
        click.echo(f"{model} at {current:g} µA/cm² in (v, {pp.attrs['y_name']}); reduction: "
                   f"{pp.attrs['reduction']}")
        for e in eqs:
            click.echo(f"  equilibrium V = {e['v']:.6f} mV  {e['type']}")
    if plot_path:
        write_figure(lambda plot: plot.nullclines(pp), plot_path, announce=not as_json)
