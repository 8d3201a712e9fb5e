"""Exchange with other simulators: ``export`` (NMODL with a NEURON script, or NeuroML2) and
``import`` (NeuroML2)."""

from __future__ import annotations

import click

from .. import channels
from ..errors import ValidationError
from ..io.atomic import write_text_atomic
from ..model.neuron import Neuron
from .common import build_cell, parse_currents
from .group import cli
from .options import model_out_option, sim_options


@cli.command("export")
@click.argument("name")
@click.option("--format", "fmt", type=click.Choice(["nmodl", "neuroml"]), default="nmodl",
              show_default=True, help="Output format.")
@click.option("--out", type=click.Path(file_okay=False), required=True,
              help="Directory to write into.")
@sim_options
def export_cmd(name, fmt, out, current, delay, duration, t_stop, dt, method, temperature, sets,
               drugs):
    """Export a model or a channel: NMODL (.mod files and a NEURON run script) or NeuroML2."""
    from pathlib import Path

    from ..interop import neuroml, nmodl

    if Path(out).exists() and not Path(out).is_dir():
        raise ValidationError("--out", f"{out!r} exists and is not a folder")
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
        write_text_atomic(path, nmodl.channel_to_nmodl(ch))
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


@cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--temperature", type=float, default=None,
              help="Temperature (°C) of a cell whose file gives none (or to override it).")
@model_out_option
def import_cmd(path, temperature, out):
    """Import a NeuroML2 file (a one-segment cell, or ion channels) or a NEURON .mod file (its
    channels) and print it; ``--out`` saves a model file."""
    from ..interop import neuroml
    from ..io import save

    if str(path).lower().endswith(".mod"):
        _import_mod(path, temperature, out)
        return
    obj = neuroml.read(path, temperature=temperature)
    items = [obj] if isinstance(obj, Neuron) else list(obj.values())
    for item in items:
        click.echo(str(item))
    if out:
        if not isinstance(obj, Neuron):
            raise ValidationError("--out", "only a file with a cell can be saved as a model")
        save(obj, out)
        click.echo(f"saved: {out}")


def _import_mod(path, temperature, out) -> None:
    """``ionzoo import FILE.mod``: print the channels; with ``--out``, save a one-compartment
    neuron carrying them (needs ``--temperature``: a .mod file has none)."""
    from ..interop.modfile import read_all
    from ..io import save
    from ..ions import Calcium

    imp = read_all(path)
    for ch in imp.channels:
        click.echo(str(ch))
        param, factor = imp.conductance[ch.name]
        click.echo(f"  gbar = {factor!r} × {param} (the file's unit)")
    for old, new in imp.renamed.items():
        click.echo(f"  parameter {old} is called {new} (a name ionzoo reserves)")
    for state, value in imp.initial.items():
        click.echo(f"  the file starts {state} at {value!r}, not at its steady state")
    if out:
        if temperature is None:
            raise ValidationError("--temperature", "a .mod file gives no temperature: state "
                                  "the cell's (°C) to save it as a model")
        calcium = Calcium() if any(c.needs_calcium() or c.ion == "ca"
                                   for c in imp.channels) else None
        cell = Neuron(channels=imp.channels, temperature=temperature, calcium=calcium,
                      name=imp.channels[0].name)
        if imp.initial:
            cell = cell.with_initial(dict(imp.initial))
        save(cell, out)
        click.echo(f"saved: {out}")
