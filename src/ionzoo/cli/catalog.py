"""What is in the zoo: ``models``, ``channels`` and ``channels show NAME``."""

from __future__ import annotations

import click

from .. import channels, models
from ..errors import ValidationError
from ..model.neuron import Neuron
from ..model.params import pretty_unit
from .common import write_figure
from .group import cli
from .options import plot_option


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
        click.echo(f"{'name':<20} {'ion':<4} {'gates':<12} {'default ḡ':<10} "
                   f"{'temperature rule':<30} source")
        for name, fn in sorted(channels.REGISTRY.items()):
            ch = fn()
            gates = " ".join(f"{g.name}^{g.power}" + ("∞" if g.instantaneous else "")
                             + ("(Σ)" if g.parts else "") for g in ch.gates) or "–"
            src = ch.provenance.citation.split(";")[0] if ch.provenance else ""
            gbar = f"{ch.gbar:g}" if ch.gbar else "0 (set it)"
            click.echo(f"{name:<20} {ch.ion or '–':<4} {gates:<12} {gbar:<10} "
                       f"{ch.rule_text():<30} {src}")


@channels_cmd.command("show")
@click.argument("name")
@plot_option("Write the x∞/τ figure of this channel.")
def channels_show(name, plot_path):
    """Equations, parameters (with units), temperature rule and provenance of a channel."""
    if name not in channels.REGISTRY:
        raise ValidationError("NAME", f"unknown channel {name!r} (available: "
                              f"{', '.join(sorted(channels.REGISTRY))})")
    ch = channels.REGISTRY[name]()
    click.echo(str(ch))
    if ch.gbar == 0.0:
        click.echo("  note: the default ḡ is 0 — this channel carries no current until you set "
                   "it (channel.with_defaults(gbar=…), or --set NAME.gbar=… on the command line)")
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
        write_figure(lambda plot: plot.gating(Neuron.for_channel(ch)), plot_path)
