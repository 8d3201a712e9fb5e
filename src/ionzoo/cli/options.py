"""The options several commands share, as decorators (one definition, one help text)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from ..io.atomic import FIGURE_SUFFIXES, check_writable
from ..solvers import METHODS

__all__ = ["temperature_option", "set_option", "drug_option", "model_options", "sim_options",
           "plot_option", "json_option", "figure_out_option", "save_option", "model_out_option",
           "summary_option"]

F = TypeVar("F", bound=Callable[..., Any])


def _stack(f: F, options: list[Callable[[F], F]]) -> F:
    for option in reversed(options):
        f = option(f)
    return f


temperature_option = click.option("--temperature", type=float, default=None,
                                  help="Temperature, °C (default: the model's).")
set_option = click.option("--set", "sets", multiple=True, metavar="PATH=VALUE",
                          help="Set a parameter, e.g. --set Na.gbar=60 (repeatable); "
                               "initial states as --set initial.M.m=0, --set initial.v=rest.")
drug_option = click.option("--drug", "drugs", multiple=True, metavar="NAME=CONC",
                           help="Apply a blocker, e.g. --drug TTX=10nM or --drug TEA=5mM.")
json_option = click.option("--json", "as_json", is_flag=True,
                           help="Print a machine-readable summary.")


def model_options(f: F) -> F:
    """``--temperature``, ``--set``, ``--drug``: what turns a model name into a cell."""
    return _stack(f, [temperature_option, set_option, drug_option])


def sim_options(f: F) -> F:
    """The current-step protocol and the solver, then :func:`model_options`."""
    return _stack(f, [
        click.option("--current", default="10", show_default=True,
                     help="Step current, µA/cm²: a number, a list '0,5,10' or a range "
                          "'start:stop:step' (inclusive) for a batch; end it with nA or pA "
                          "for an absolute current, converted with the cell's area "
                          "('0.15nA')."),
        click.option("--delay", type=float, default=0.0, show_default=True,
                     help="Step onset, ms."),
        click.option("--duration", type=float, default=None,
                     help="Step duration, ms (default: to the end of the run)."),
        click.option("--t-stop", type=float, default=100.0, show_default=True,
                     help="Duration of the run, ms."),
        click.option("--dt", type=float, default=0.025, show_default=True, help="Time step, ms."),
        click.option("--method", type=click.Choice(METHODS), default="crank_nicolson",
                     show_default=True),
        model_options,
    ])


def _checked(suffixes: tuple[str, ...]):
    """A click callback checking an output path before any work (folder exists and is
    writable, the suffix is one of ``suffixes``)."""

    def callback(ctx, param, value):
        if value is not None:
            check_writable(value, f"--{param.name.replace('_path', '').replace('_', '-')}",
                           suffixes)
        return value

    return callback


def plot_option(help: str = "Write a figure (.png, .pdf, .svg).") -> Callable[[F], F]:
    """``--plot FILE``, checked before the run."""
    return click.option("--plot", "plot_path", type=click.Path(dir_okay=False), default=None,
                        callback=_checked(FIGURE_SUFFIXES), help=help)


def figure_out_option(f: F) -> F:
    """``--out FILE`` of the figure commands, checked before the run."""
    return click.option("--out", type=click.Path(dir_okay=False), required=True,
                        callback=_checked(FIGURE_SUFFIXES),
                        help="Figure file (.png, .pdf, .svg).")(f)


save_option = click.option("--save", "save_path", type=click.Path(dir_okay=False), default=None,
                           callback=_checked((".nc", ".csv")),
                           help="Save the result: NetCDF (.nc, everything, lossless) or CSV "
                                "(.csv, the voltage traces: time then one column per "
                                "neuron).")
summary_option = click.option("--save-summary", "summary_path", type=click.Path(dir_okay=False),
                              default=None, callback=_checked((".csv", ".json")),
                              help="Save the spike summary table as CSV or JSON.")
model_out_option = click.option("--out", type=click.Path(dir_okay=False), default=None,
                                callback=_checked((".yaml", ".yml", ".json")),
                                help="Also save as an ionzoo model file (.yaml or .json).")
