"""Benchmark: a stratified sample of the Prinz et al. (2003) grid swept with ionzoo.sweep.

Usage (ionzoo's environment):
  python benchmarks/prinz_bench.py sample OUT.zarr --step 104 [--dt 0.05] [--dtype float32]
        [--workers 2] [--limit N]
  python benchmarks/prinz_bench.py agree A.zarr B.zarr

``sample`` sweeps database models 1, 1 + step, 1 + 2·step, … (every step-th model number: a
systematic sample, stratified along the grid's order) with the spec of
``ionzoo.sweep.prinz_grid_spec`` (12 s, classified from 4 s) and prints one JSON line: models,
wall time of the whole ``run_sweep`` (cluster start included) and of the computing alone
(from the chunk records), class counts. ``agree`` prints the fraction of models whose class is
the same in two stores of the same sample.
"""

from __future__ import annotations

import argparse
import json
import shutil
import time

import numpy as np

N_GRID = 6 ** 8


def sample(out: str, step: int, dt: float, dtype: str, workers: int, limit: int | None,
           chunk: int, method: str = "backward_euler") -> dict:
    from ionzoo import sweep
    from ionzoo.zoo.models.prinz2003 import CONDUCTANCES, grid_conductances

    numbers = np.arange(1, N_GRID + 1, step)[:limit]
    g = grid_conductances(numbers)
    base = sweep.prinz_grid_spec(dt=dt, dtype=dtype, method=method)
    doc = base.canonical()
    doc["design"] = {"kind": "list",
                     "values": {k: g[:, j].tolist() for j, k in enumerate(CONDUCTANCES)}}
    spec = sweep.load_spec(doc)
    shutil.rmtree(out, ignore_errors=True)
    t0 = time.perf_counter()
    sweep.run_sweep(spec, out, workers=workers, chunk_size=chunk, progress=False)
    wall = time.perf_counter() - t0
    status = sweep.sweep_status(out)
    ds = sweep.open_sweep(out)
    counts = {c: int(np.sum(ds["class"].values == c)) for c in ds.attrs["classes"]}
    steps = int(round(spec.t_stop / spec.dt))
    return {"n": int(numbers.size), "wall": wall, "compute_s": status["compute_seconds"],
            "workers": workers, "dt": dt, "dtype": dtype, "method": method, "steps": steps,
            "model_steps_per_s": numbers.size * steps / wall, "classes": counts,
            "diverged": int(ds["diverged"].values.sum()),
            "unknown": int(np.sum(ds["class_code"].values < 0))}


def agree(a: str, b: str) -> dict:
    from ionzoo import sweep

    x, y = sweep.open_sweep(a), sweep.open_sweep(b)
    same = x["class_code"].values == y["class_code"].values
    flips: dict[str, int] = {}
    for i in np.nonzero(~same)[0]:
        key = f"{x['class'].values[i]} -> {y['class'].values[i]}"
        flips[key] = flips.get(key, 0) + 1
    return {"n": int(same.size), "agree": float(same.mean()), "flips": flips}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("sample")
    s.add_argument("out")
    s.add_argument("--step", type=int, default=104)
    s.add_argument("--dt", type=float, default=0.05)
    s.add_argument("--dtype", default="float64")
    s.add_argument("--workers", type=int, default=2)
    s.add_argument("--limit", type=int, default=None)
    s.add_argument("--chunk", type=int, default=512)
    s.add_argument("--method", default="backward_euler")
    g = sub.add_parser("agree")
    g.add_argument("a")
    g.add_argument("b")
    args = ap.parse_args()
    if args.cmd == "sample":
        out = sample(args.out, args.step, args.dt, args.dtype, args.workers, args.limit,
                     args.chunk, args.method)
    else:
        out = agree(args.a, args.b)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
