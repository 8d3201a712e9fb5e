"""ionzoo side of the benchmark: prints one JSON line per measurement.

Usage: python benchmarks/ionzoo_bench.py single|batch [--method M] [--repeats N]
"""

from __future__ import annotations

import time

_T_START = time.perf_counter()

import argparse  # noqa: E402
import json  # noqa: E402

import numpy as np  # noqa: E402

import ionzoo as iz  # noqa: E402

T_STOP, DT = 1000.0, 0.025


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("problem", choices=["single", "batch", "startup"])
    ap.add_argument("--method", default="backward_euler")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--dtype", default="float64")
    args = ap.parse_args()
    t_import = time.perf_counter()
    cell = iz.models.hh1952()
    if args.problem == "startup":
        # From a fresh process to finished tiny simulations that need both kernels (scalar for
        # one neuron, vectorised for a batch): kernel generation + compile, or cache load.
        t0 = time.perf_counter()
        iz.simulate(cell, iz.stimulus.step(10.0), t_stop=1.0, dt=DT, record=None,
                    method=args.method)
        iz.simulate(cell, iz.stimulus.step(np.linspace(0, 50, 64)), t_stop=1.0, dt=DT,
                    record=None, method=args.method)
        print(json.dumps({"startup_s": time.perf_counter() - t0,
                          "import_s": t0 - _T_START, "model_s": t0 - t_import}))
        return
    amps = np.array([10.0]) if args.problem == "single" else np.linspace(0, 50, args.n)
    stim = iz.stimulus.step(amps if amps.size > 1 else float(amps[0]))
    kw = {"dt": DT, "record": None, "method": args.method, "dtype": args.dtype}
    iz.simulate(cell, stim, t_stop=1.0, **kw)  # warm (kernel loaded/compiled)
    walls, loops = [], []
    for _ in range(args.repeats):
        t0 = time.perf_counter()
        res = iz.simulate(cell, stim, t_stop=T_STOP, **kw)
        walls.append(time.perf_counter() - t0)
        loops.append(res.dataset.attrs["wall_time_s"])  # the simulation loop alone
    print(json.dumps({"walls": walls, "loops": loops,
                      "counts": np.atleast_1d(res.spike_count.values).tolist(),
                      "n": int(amps.size), "steps": int(round(T_STOP / DT))}))


if __name__ == "__main__":
    main()
