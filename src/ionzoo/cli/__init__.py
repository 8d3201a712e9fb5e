"""The ``ionzoo`` command line.

    ionzoo run hh1952 --current 10 --t-stop 50 --dt 0.01 [--json] [--plot FILE] [--save FILE.nc]
    ionzoo models
    ionzoo channels [show NAME [--plot FILE]]
    ionzoo fi|rheobase|features|temperature|dose-response MODEL [...]
    ionzoo bifurcation MODEL [--range 0 200] [--json] [--plot FILE]
    ionzoo clamp MODEL --steps -60:40:10 --hold -80 [--drug TTX=1uM] [--json] [--plot FILE]
    ionzoo export NAME --out DIR [--format nmodl|neuroml];  ionzoo import FILE.nml
    ionzoo plot gating|mechanism|phase|traces MODEL [...] --out FILE
    ionzoo sweep run SPEC.yaml --out DB.zarr [--workers N | --scheduler ADDR] [--chunk-size K]
    ionzoo sweep status|show|figure DB.zarr [--where "class == 'bursting'"] [--json]
    ionzoo explore [MODEL] [--port 5006] [--no-browser]     (the explorer in the browser)

Errors in user input print one line (``ionzoo: error: ...``) and exit with status 2; no traceback.
Shell completion (click): ``eval "$(_IONZOO_COMPLETE=bash_source ionzoo)"`` (bash; ``zsh_source``,
``fish_source`` for the others).

Modules: :mod:`~ionzoo.cli.group` (the command group), :mod:`~ionzoo.cli.options` (shared
options), :mod:`~ionzoo.cli.common` (parsing, the step protocol, figures), and one module per
family of commands (``simulation``, ``analysis``, ``catalog``, ``interchange``, ``clamp``,
``dynamics``, ``sweep``).
"""

from __future__ import annotations

import sys
import warnings

import click

from ..errors import IonzooError, NonFiniteWarning
from . import (  # noqa: F401  (register the commands)
    analysis,
    catalog,
    clamp,
    dynamics,
    explore,
    interchange,
    simulation,
    sweep,
)
from .common import parse_currents
from .group import cli

__all__ = ["main", "cli", "parse_currents"]


def main(argv: list[str] | None = None) -> int:
    """Entry point: run the CLI; user errors become one line on stderr and exit status 2."""
    try:
        with warnings.catch_warnings():  # the commands report non-finite runs themselves
            warnings.simplefilter("ignore", NonFiniteWarning)
            rc = cli.main(args=argv, prog_name="ionzoo", standalone_mode=False)
    except click.exceptions.Abort:  # Ctrl-C (click turns KeyboardInterrupt into Abort)
        click.echo("ionzoo: interrupted; files already saved are intact, none is half-written",
                   err=True)
        return 130
    except click.exceptions.ClickException as exc:
        click.echo(f"ionzoo: error: {exc.format_message()}", err=True)
        return exc.exit_code
    except (IonzooError, OSError) as exc:
        click.echo(f"ionzoo: error: {exc}", err=True)
        return getattr(exc, "exit_code", 2)
    return rc if isinstance(rc, int) else 0


if __name__ == "__main__":
    sys.exit(main())
