"""Benchmark: 1000 HH neurons, each driven by its own Poisson train through a double-exponential
synapse (ionzoo.synapses.exp2 / NEURON Exp2Syn), 1000 ms at dt = 0.025 ms, backward Euler.

With ``--noise`` each neuron also gets an Ornstein–Uhlenbeck current (mean 0, σ 1 µA/cm²,
τ 5 ms; ionzoo.noise.ou_current, seeds per neuron; in NEURON the benchmark's own
``benchmarks/mod/iz_ou.mod`` with ``normrand``, the same exact update).

Usage:
  python benchmarks/synapse_bench.py trains FILE.npz      (ionzoo env: write the trains)
  python benchmarks/synapse_bench.py ionzoo FILE.npz [--repeats N] [--noise]
  python benchmarks/synapse_bench.py neuron FILE.npz [--repeats N] [--noise]   (peers env)
Prints one JSON line: wall times of the simulation loop alone, spike counts.

Both simulators receive the same event times (ionzoo's seeded trains, handed to NEURON through
NetCon.event): NEURON's network is 1000 independent one-compartment cells.
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np

N, T_STOP, DT = 1000, 1000.0, 0.025
RATE, TAU_RISE, TAU_DECAY, E_SYN, WEIGHT = 80.0, 0.5, 5.0, 0.0, 0.3  # Hz, ms, ms, mV, mS/cm²
AREA_UM2 = 1e5
SIGMA, TAU_NOISE = 1.0, 5.0  # µA/cm² (= nA on 1e5 µm²), ms


def write_trains(path: str) -> None:
    from ionzoo.synaptic_input import _generate

    trains = [_generate("poisson", RATE, seed, 0.0, T_STOP) for seed in range(N)]
    np.savez(path, *trains)


def run_ionzoo(repeats: int, noise: bool) -> dict:
    import ionzoo as iz
    from ionzoo import synapses as syn

    cell = iz.models.hh1952(leak="neuron")
    seeds = np.arange(N, dtype=float)
    stim = syn.exp2(TAU_RISE, TAU_DECAY, E_SYN, WEIGHT, syn.poisson(RATE, seed=seeds))
    if noise:
        import xarray as xr

        stim = stim + iz.noise.ou_current(0.0, SIGMA, TAU_NOISE,
                                          seed=xr.DataArray(seeds, dims="seed"))
    iz.simulate(cell, stim, t_stop=10.0, dt=DT, method="backward_euler", record=None)  # warm
    walls, ends = [], []
    for _ in range(repeats):
        t0 = time.perf_counter()
        res = iz.simulate(cell, stim, t_stop=T_STOP, dt=DT, method="backward_euler",
                          record=None, stabilize=False, progress=False)
        ends.append(time.perf_counter() - t0)
        walls.append(float(res.dataset.attrs["wall_time_s"]))
    return {"walls": walls, "end_to_end": ends,
            "counts": res.dataset.spike_count.values.astype(int).tolist()}


def _load_ou() -> None:
    """Compile and load benchmarks/mod/iz_ou.mod (in a temporary folder)."""
    import shutil
    import subprocess
    import sys
    import tempfile
    from pathlib import Path

    from neuron import load_mechanisms

    tmp = tempfile.mkdtemp(prefix="iz_ou_")
    shutil.copy(Path(__file__).with_name("mod") / "iz_ou.mod", tmp)
    nrnivmodl = Path(sys.executable).with_name("nrnivmodl")
    subprocess.run([str(nrnivmodl)], cwd=tmp, check=True, capture_output=True)
    load_mechanisms(tmp)


def run_neuron(path: str, repeats: int, noise: bool) -> dict:
    from neuron import h

    if noise:
        _load_ou()
    trains = np.load(path)
    h.load_file("stdrun.hoc")
    keep, counters = [], []
    diam = float(np.sqrt(AREA_UM2 / np.pi))
    for k in range(N):
        sec = h.Section()
        sec.L = sec.diam = diam
        sec.nseg = 1
        sec.insert("hh")
        s = h.Exp2Syn(sec(0.5))
        s.tau1, s.tau2, s.e = TAU_RISE, TAU_DECAY, E_SYN
        nc = h.NetCon(None, s)
        nc.weight[0] = WEIGHT * AREA_UM2 * 1e-5
        apc = h.APCount(sec(0.5))
        apc.thresh = 0.0
        keep += [sec, s, nc, trains[f"arr_{k}"]]
        if noise:
            ou = h.IzOU(sec(0.5))
            ou.mean, ou.sigma, ou.tau = 0.0, SIGMA * AREA_UM2 / 1e5, TAU_NOISE
            keep.append(ou)
        counters.append(apc)
    h.usetable_hh = 0
    h.celsius = 6.3
    h.secondorder = 0
    h.dt, h.steps_per_ms = DT, 1.0 / DT

    def put():
        for k in range(N):
            stride = 5 if noise else 4
            nc_k = keep[stride * k + 2]
            for t in keep[stride * k + 3]:
                nc_k.event(float(t))

    handler = h.FInitializeHandler(put)
    pc = h.ParallelContext()
    pc.set_maxstep(10)
    walls = []
    for _ in range(repeats):
        h.finitialize(-65.0)
        t0 = time.perf_counter()
        pc.psolve(T_STOP)
        walls.append(time.perf_counter() - t0)
    del handler
    return {"walls": walls, "counts": [int(c.n) for c in counters]}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("what", choices=["trains", "ionzoo", "neuron"])
    ap.add_argument("path")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--noise", action="store_true")
    a = ap.parse_args()
    if a.what == "trains":
        write_trains(a.path)
        print(json.dumps({"written": a.path}))
    elif a.what == "ionzoo":
        print(json.dumps(run_ionzoo(a.repeats, a.noise)))
    else:
        print(json.dumps(run_neuron(a.path, a.repeats, a.noise)))


if __name__ == "__main__":
    main()
