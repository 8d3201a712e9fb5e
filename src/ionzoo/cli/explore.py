"""``ionzoo explore``: the interactive explorer in the browser (:mod:`ionzoo.explore`)."""

from __future__ import annotations

import click

from .group import cli


@cli.command("explore")
@click.argument("model", default="hh1952")
@click.option("--port", type=click.IntRange(1024, 65535), default=5006, show_default=True,
              help="Local port of the app (http://localhost:PORT/explore).")
@click.option("--no-browser", is_flag=True, help="Serve without opening a browser window.")
def explore_cmd(model, port, no_browser):
    """Open MODEL (a zoo model or a .yaml/.json model file) in the explorer: sliders for the
    stimulus, temperature, TTX, TEA and every ḡ; V, gates, conductances and currents, the phase
    plane, the I–V and f–I curves and a voltage-clamp family. Runs until Ctrl-C; works offline."""
    from ..explore import serve
    from ..explore.compute import load_model

    load_model(model)  # a bad name or file: one clear line, before anything starts
    click.echo(f"ionzoo explorer: http://localhost:{port}/explore (Ctrl-C stops it)")
    serve(model, port=port, show=not no_browser)
