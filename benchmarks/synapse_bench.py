"""Benchmark: 1000 HH neurons, each driven by its own Poisson train through a double-exponential
synapse (ionzoo.synapses.exp2 / NEURON Exp2Syn), 1000 ms at dt = 0.025 ms, backward Euler.

Usage:
  python benchmarks/synapse_bench.py trains FILE.npz      (ionzoo env: write the trains)
  python benchmarks/synapse_bench.py ionzoo FILE.npz [--repeats N]
  python benchmarks/synapse_bench.py neuron FILE.npz [--repeats N]   (peers env)
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


def write_trains(path: str) -> None:
    from ionzoo.synaptic_input import _generate

    trains = [_generate("poisson", RATE, seed, 0.0, T_STOP) for seed in range(N)]
    np.savez(path, *trains)


def run_ionzoo(repeats: int) -> dict:
    import ionzoo as iz
    from ionzoo import synapses as syn

    cell = iz.models.hh1952(leak="neuron")
    stim = syn.exp2(TAU_RISE, TAU_DECAY, E_SYN, WEIGHT,
                    syn.poisson(RATE, seed=np.arange(N, dtype=float)))
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


def run_neuron(path: str, repeats: int) -> dict:
    from neuron import h

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
        counters.append(apc)
    h.usetable_hh = 0
    h.celsius = 6.3
    h.secondorder = 0
    h.dt, h.steps_per_ms = DT, 1.0 / DT

    def put():
        for k in range(N):
            nc_k = keep[4 * k + 2]
            for t in keep[4 * k + 3]:
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
    a = ap.parse_args()
    if a.what == "trains":
        write_trains(a.path)
        print(json.dumps({"written": a.path}))
    elif a.what == "ionzoo":
        print(json.dumps(run_ionzoo(a.repeats)))
    else:
        print(json.dumps(run_neuron(a.path, a.repeats)))


if __name__ == "__main__":
    main()
