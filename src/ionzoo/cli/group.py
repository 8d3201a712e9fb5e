"""The ``ionzoo`` command group; the command modules register on it."""

from __future__ import annotations

import click

from .._version import __version__

__all__ = ["cli"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ionzoo")
def cli() -> None:
    """ionzoo: conductance-based neuron models (units: mV, ms, µA/cm², mS/cm², °C)."""
