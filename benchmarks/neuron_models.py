"""NEURON side of the per-model benchmark (run in the peers' environment).

Usage: python benchmarks/neuron_models.py DIR [--repeats 3]

DIR holds NMODL files and ``batch.json`` written by ``models_bench.py export``: the
mechanisms to insert with their parameters, ion settings, temperature, the currents of the
batch (one section each, 1e5 µm² so that 1 nA ≡ 1 µA/cm²) and the scheme. The mechanisms are
compiled here with this environment's ``nrnivmodl`` (once per directory). Prints one JSON
line: wall times of ``ParallelContext.psolve`` alone, one thread, and the spike counts.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import time
from pathlib import Path

AREA = 1e5


def build(directory: Path) -> None:
    if not (directory / "x86_64").exists() and any(directory.glob("*.mod")):
        exe = Path(sys.executable).with_name("nrnivmodl")
        subprocess.run([str(exe) if exe.exists() else "nrnivmodl", "."], cwd=directory,
                       check=True, capture_output=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("directory")
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()
    directory = Path(args.directory).resolve()
    spec = json.loads((directory / "batch.json").read_text())
    build(directory)
    os.chdir(directory)  # NEURON loads ./x86_64 by itself
    from neuron import h

    h.load_file("stdrun.hoc")
    diam = math.sqrt(AREA / math.pi)
    keep = []
    counters = []
    for amp in spec["currents"]:
        sec = h.Section()
        sec.L = sec.diam = diam
        sec.nseg = 1
        sec.cm = spec["cm"]
        for mech, params in spec["mechanisms"].items():
            sec.insert(mech)
            for name, value in params.items():
                setattr(getattr(sec(0.5), mech), name, value)
        ic = h.IClamp(sec(0.5))
        ic.delay, ic.dur, ic.amp = 0.0, 1e9, float(amp) * AREA / 1e5
        apc = h.APCount(sec(0.5))
        apc.thresh = 0.0
        keep += [sec, ic]
        counters.append(apc)
    for name, value in spec["ions"].items():
        setattr(h, name, value)
    h.celsius = spec["celsius"]
    h.secondorder = spec["secondorder"]
    h.dt = spec["dt"]
    h.steps_per_ms = 1.0 / spec["dt"]
    pc = h.ParallelContext()
    pc.set_maxstep(10)
    walls = []
    for _ in range(args.repeats):
        h.finitialize(spec["v_init"])
        t0 = time.perf_counter()
        pc.psolve(spec["steps"] * spec["dt"])
        walls.append(time.perf_counter() - t0)
    print(json.dumps({"walls": walls, "n": len(spec["currents"]), "steps": spec["steps"],
                      "counts": [int(c.n) for c in counters]}))


if __name__ == "__main__":
    main()
