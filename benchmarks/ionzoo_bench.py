"""ionzoo side of the benchmark: prints one JSON line per measurement.

Usage: python benchmarks/ionzoo_bench.py single|batch [--method M] [--repeats N]
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np

import ionzoo as iz

T_STOP, DT = 1000.0, 0.025


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("problem", choices=["single", "batch", "startup"])
    ap.add_argument("--method", default="backward_euler")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--n", type=int, default=1000)
    args = ap.parse_args()
    cell = iz.models.hh1952()
    if args.problem == "startup":
        # time from a fresh process to a finished tiny simulation (kernel compile or cache load)
        t0 = time.perf_counter()
        iz.simulate(cell, iz.stimulus.step(10.0), t_stop=1.0, dt=DT, record=None,
                    method=args.method)
        print(json.dumps({"startup_s": time.perf_counter() - t0}))
        return
    amps = np.array([10.0]) if args.problem == "single" else np.linspace(0, 50, args.n)
    stim = iz.stimulus.step(amps if amps.size > 1 else float(amps[0]))
    iz.simulate(cell, stim, t_stop=1.0, dt=DT, record=None, method=args.method)  # warm
    walls = []
    for _ in range(args.repeats):
        t0 = time.perf_counter()
        res = iz.simulate(cell, stim, t_stop=T_STOP, dt=DT, record=None, method=args.method)
        walls.append(time.perf_counter() - t0)
    print(json.dumps({"walls": walls, "counts": np.atleast_1d(res.spike_count.values).tolist(),
                      "n": int(amps.size), "steps": int(round(T_STOP / DT))}))


if __name__ == "__main__":
    main()
