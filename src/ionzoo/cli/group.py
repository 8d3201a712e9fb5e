"""The ``ionzoo`` command group; the command modules register on it."""

from __future__ import annotations

import click

from .._version import __version__

__all__ = ["cli"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]},
             invoke_without_command=True)
@click.version_option(__version__, prog_name="ionzoo")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """ionzoo: conductance-based neuron models (units: mV, ms, µA/cm², mS/cm², °C).

    Tab completion: eval "$(_IONZOO_COMPLETE=bash_source ionzoo)" in ~/.bashrc (zsh_source,
    fish_source for the other shells)."""
    if ctx.invoked_subcommand is None:  # bare `ionzoo`: the help, not an error
        click.echo(ctx.get_help())
