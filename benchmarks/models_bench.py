"""Per-model and per-state-count throughput, ionzoo side (run in ionzoo's environment).

Usage:
  python benchmarks/models_bench.py ionzoo MODEL [--n 1000] [--steps 8000] [--repeats 3]
  python benchmarks/models_bench.py states K [--n 1000] ...   (HH + K zero-conductance channels)
  python benchmarks/models_bench.py export MODEL DIR [--n 200] [--steps 8000]
      writes the model's NMODL mechanisms and a JSON description of the same batch for
      benchmarks/neuron_models.py (run in the peers' environment, which compiles and runs it)

Every command prints one JSON line. The batch: ``n`` copies of the model under constant
currents spread over 0…2× the model's demonstration current, ``steps`` steps of 0.025 ms,
backward Euler (NEURON's default scheme), spike counts only.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import time
from pathlib import Path

import numpy as np

import ionzoo as iz
from ionzoo.channels import classic, destexhe
from ionzoo.interop import nmodl

DT = 0.025


def model(name: str) -> iz.Neuron:
    return iz.models.REGISTRY[name]()


def currents(name: str, cell: iz.Neuron, n: int) -> np.ndarray:
    if name.startswith("pospischil_"):
        amp = iz.models.pospischil.DEMO_STIMULUS[name.split("_")[1].upper()][0]
        top = 2.0 * float(cell.density(amp))
    else:
        top = 2.0 * iz.models.DEMO_CURRENT[name]
    return np.linspace(0.0, top, n)


def with_extra_states(k: int) -> iz.Neuron:
    """HH plus ``k`` zero-conductance gated channels (alternately an M channel, 1 gate, and an
    A channel, 2 gates): the throughput against the number of states."""
    cell = iz.models.hh1952()
    extra = []
    for i in range(k):
        make = destexhe.im if i % 2 == 0 else classic.cs_a
        extra.append(dataclasses.replace(make(gbar=0.0), name=f"X{i}"))
    return iz.Neuron(channels=(*cell.channels, *extra), name=f"hh_plus_{k}")


def time_batch(cell: iz.Neuron, amps: np.ndarray, steps: int, repeats: int,
               method: str) -> dict:
    stim = iz.stimulus.step(amps)
    # stabilize=False: NEURON's linearised update exactly (the default differs only where
    # NEURON's update diverges: WB and RTM at this dt), so that the spike counts compare
    kw = {"dt": DT, "record": None, "method": method, "stabilize": False}
    iz.simulate(cell, stim, t_stop=DT * 10, **kw)  # compile / load the kernel
    walls = []
    for _ in range(repeats):
        res = iz.simulate(cell, stim, t_stop=DT * steps, **kw)
        walls.append(res.dataset.attrs["wall_time_s"])
    n_states = len(iz.lower.lower(cell).states)
    return {"walls": walls, "n": int(amps.size), "steps": steps, "states": n_states,
            "counts": np.asarray(res.spike_count.values).reshape(-1).tolist()}


def export(name: str, directory: Path, n: int, steps: int, method: str, full: int) -> dict:
    """The model's mechanisms and a description of the NEURON batch (``neuron_models.py``):
    every (full // n)-th current of ionzoo's batch of ``full``, so the spike counts compare."""
    cell = model(name)
    directory.mkdir(parents=True, exist_ok=True)
    for old in directory.glob("*.mod"):
        old.unlink()
    mechanisms = {}
    for ch in cell.channels:
        if not ch.gates and ch.ion != "ca":
            mechanisms["pas"] = {"g": ch.gbar / 1000.0, "e": float(ch.e)}
            continue
        suffix = nmodl.mechanism_name(ch)
        (directory / f"{suffix}.mod").write_text(nmodl.channel_to_nmodl(ch))
        mapped = nmodl.nmodl_names(ch)
        params = {mapped[k]: v for k, v in ch.parameters().items() if k != "gbar"}
        mechanisms[suffix] = {"gbar": nmodl.nmodl_gbar(ch), **params}
    ions = {}
    if cell.calcium is not None:
        ions = {"cai0_ca_ion": cell.calcium.cai, "cao0_ca_ion": cell.calcium.cao}
        if cell.calcium.pool:
            suffix = nmodl.pool_name(cell.calcium)
            (directory / f"{suffix}.mod").write_text(nmodl.pool_to_nmodl(cell.calcium))
            mechanisms[suffix] = {"cai0": cell.calcium.cai}
    spec = {"mechanisms": mechanisms, "ions": ions, "cm": cell.capacitance,
            "celsius": cell.temperature, "v_init": cell.v_init, "dt": DT, "steps": steps,
            "currents": currents(name, cell, full)[:: max(1, full // n)][:n].tolist(),
            "secondorder": 2 if method == "crank_nicolson" else 0}
    (directory / "batch.json").write_text(json.dumps(spec))
    return {"exported": name, "files": sorted(p.name for p in directory.iterdir())}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("what", choices=["ionzoo", "states", "export"])
    ap.add_argument("name")
    ap.add_argument("directory", nargs="?")
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--steps", type=int, default=8000)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--method", default="backward_euler")
    ap.add_argument("--full", type=int, default=1000,
                    help="export: the size of ionzoo's batch the NEURON currents are taken from")
    args = ap.parse_args()
    t0 = time.perf_counter()
    if args.what == "export":
        out = export(args.name, Path(args.directory), args.n, args.steps, args.method,
                     args.full)
    elif args.what == "states":
        cell = with_extra_states(int(args.name))
        out = time_batch(cell, np.linspace(0, 50.0, args.n), args.steps, args.repeats,
                         args.method)
    else:
        cell = model(args.name)
        out = time_batch(cell, currents(args.name, cell, args.n), args.steps, args.repeats,
                         args.method)
    out["elapsed_s"] = time.perf_counter() - t0
    print(json.dumps(out))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
