"""``ionzoo sweep run|status|show|figure``: sweeps on Dask into a Zarr store
(:mod:`ionzoo.sweep`)."""

from __future__ import annotations

import click
import numpy as np

from .common import echo_json, json_safe, write_figure
from .group import cli
from .options import json_option


@cli.group("sweep")
def sweep_group():
    """Sweeps of many models into a Zarr store: run (or resume), status, show, figure."""


@sweep_group.command("run")
@click.argument("spec", type=click.Path(dir_okay=False))
@click.option("--out", "out", required=True, type=click.Path(), help="The store (DB.zarr).")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Local worker processes (default: one per core).")
@click.option("--scheduler", default=None,
              help="Address of a running Dask scheduler (tcp://host:8786) instead of a local "
                   "cluster.")
@click.option("--chunk-size", type=click.IntRange(min=1), default=None,
              help="Models per task (default 256; fixed once the store exists).")
@click.option("--threads", type=click.IntRange(min=1), default=1, show_default=True,
              help="Kernel threads per worker.")
@click.option("--resume", is_flag=True,
              help="Say that the store should exist already (a run always resumes).")
@click.option("--no-progress", is_flag=True, help="No progress bar.")
def run_cmd(spec, out, workers, scheduler, chunk_size, threads, resume, no_progress):
    """Run the sweep SPEC (YAML/JSON) into --out, or resume it: chunks already recorded as
    finished are never computed again."""
    from pathlib import Path

    from ..errors import ValidationError
    from ..sweep import run_sweep, sweep_status

    if resume and not (Path(out) / "zarr.json").exists():
        raise ValidationError("--resume", f"{out!r} is not a sweep store to resume")
    store = run_sweep(spec, out, workers=workers, scheduler=scheduler, chunk_size=chunk_size,
                      threads=threads, progress=not no_progress)
    st = sweep_status(store.path)
    click.echo(f"{st['store']}: {st['chunks_done']}/{st['n_chunks']} chunks, "
               f"{st['n_models']} models" + (" — complete" if st["complete"] else ""))


@sweep_group.command("status")
@click.argument("store", type=click.Path())
@json_option
def status_cmd(store, as_json):
    """How far the sweep in STORE has come."""
    from ..sweep import sweep_status

    st = sweep_status(store)
    if as_json:
        echo_json(st)
        return
    for k, v in st.items():
        click.echo(f"{k:16s} {v}")


@sweep_group.command("show")
@click.argument("store", type=click.Path())
@click.option("--where", "condition", default=None,
              help="Keep the models that satisfy a condition, e.g. \"class == 'bursting' and "
                   "Na.gbar >= 100\" (names: the results and the parameters).")
@click.option("--limit", type=click.IntRange(min=0), default=20, show_default=True,
              help="Models to list (0: only the summary).")
@json_option
def show_cmd(store, condition, limit, as_json):
    """The class fractions (95 % intervals) of the models in STORE, and the first --limit
    models (or those matching --where)."""
    from ..sweep import class_fractions, open_sweep, where_mask

    ds = open_sweep(store, grid=False)
    keep = ds["complete"].values.copy()
    if condition:
        keep &= where_mask(condition, ds)
    sel = ds.isel(model=np.nonzero(keep)[0])
    frac = class_fractions(sel) if "class_code" in sel else None
    params = [str(c) for c in sel.coords if c != "model"]
    rows = []
    for i in range(min(limit, sel.sizes["model"])):
        row = {"model": int(sel["model"].values[i])}
        row.update({p: float(sel[p].values[i]) for p in params})
        row.update({k: json_safe(_plain(sel[k].values[i])) for k in sel.data_vars
                    if k not in ("complete",)})
        rows.append(row)
    doc = {"store": store, "where": condition, "n_models": int(sel.sizes["model"]),
           "classes": None if frac is None else {
               str(c): {"count": int(frac["count"].sel({"class": c})),
                        "fraction": float(frac["fraction"].sel({"class": c})),
                        "ci95": [float(frac["low"].sel({"class": c})),
                                 float(frac["high"].sel({"class": c}))]}
               for c in frac["class"].values},
           "models": rows}
    if as_json:
        echo_json(doc)
        return
    click.echo(f"{doc['n_models']} models" + (f" where {condition}" if condition else ""))
    for c, v in (doc["classes"] or {}).items():
        click.echo(f"  {c:20s} {v['count']:8d}  {100 * v['fraction']:6.2f} %  "
                   f"[{100 * v['ci95'][0]:.2f}, {100 * v['ci95'][1]:.2f}]")
    for row in rows:
        shown = ", ".join(f"{p}={row[p]:g}" for p in params)
        click.echo(f"  #{row['model']}: {shown} → {row.get('class', '?')}")


@sweep_group.command("figure")
@click.argument("store", type=click.Path())
@click.option("--out", "out", required=True, help="Figure file (.png, .pdf, .svg).")
def figure_cmd(store, out):
    """The database figure of STORE: class fractions and each parameter's share per class."""
    from ..io.atomic import FIGURE_SUFFIXES, check_writable
    from ..sweep import open_sweep

    check_writable(out, "--out", FIGURE_SUFFIXES)
    ds = open_sweep(store, grid=False)
    write_figure(lambda plot: plot.sweep_classes(ds), out)


def _plain(x):
    """A NumPy scalar (or a Python object from an object array) as a plain Python value."""
    return x.item() if hasattr(x, "item") else x
