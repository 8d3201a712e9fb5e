"""The benchmark problems in the peer simulators (run inside the peers' virtual environment).

Usage: python benchmarks/peers.py neuron|neuron_table|brian2|jaxley single|batch [--repeats N]
Prints one JSON line: wall times of the simulation alone (compile/build excluded), spike counts.

Problem (shared/reference/peers.md): classic HH at 6.3 °C, C = 1 µF/cm², gNa 120, gK 36,
gL 0.3 mS/cm², ENa 50, EK −77, EL −54.387 mV, from v = −65 mV with gates at steady state,
constant current from t = 0 (single: 10 µA/cm²; batch: 1000 currents 0…50 µA/cm²), 1000 ms at
dt = 0.025 ms; a spike is an upward crossing of 0 mV.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time

import numpy as np

T_STOP, DT, EL = 1000.0, 0.025, -54.387
AREA_UM2 = 1e5  # 1 nA into 1e5 µm² = 1 µA/cm²


def amplitudes(problem: str, n: int) -> np.ndarray:
    return np.array([10.0]) if problem == "single" else np.linspace(0.0, 50.0, n)


def run_neuron(amps: np.ndarray, repeats: int, use_table: bool) -> dict:
    from neuron import h

    h.load_file("stdrun.hoc")
    secs, counters, clamps = [], [], []
    diam = float(np.sqrt(AREA_UM2 / np.pi))
    for amp in amps:
        sec = h.Section()
        sec.L = sec.diam = diam
        sec.nseg = 1
        sec.insert("hh")
        for seg in sec:
            seg.hh.el = EL
        ic = h.IClamp(sec(0.5))
        ic.delay, ic.dur, ic.amp = 0.0, 1e9, float(amp)
        apc = h.APCount(sec(0.5))
        apc.thresh = 0.0
        secs.append(sec)
        clamps.append(ic)
        counters.append(apc)
    h.usetable_hh = 1 if use_table else 0
    h.celsius = 6.3
    h.secondorder = 0
    h.dt = DT
    h.steps_per_ms = 1.0 / DT
    pc = h.ParallelContext()
    pc.set_maxstep(10)
    walls = []
    for _ in range(repeats):
        h.finitialize(-65.0)
        t0 = time.perf_counter()
        pc.psolve(T_STOP)
        walls.append(time.perf_counter() - t0)
    return {"walls": walls, "counts": [int(c.n) for c in counters]}


def run_brian2(amps: np.ndarray, repeats: int) -> dict:
    import brian2 as b2

    os.chdir(tempfile.mkdtemp(prefix="b2bench_"))  # Brian2 may write ./output: keep it out
    walls, counts = [], None
    for _ in range(repeats):
        b2.device.reinit()
        b2.set_device("cpp_standalone", directory=tempfile.mkdtemp(prefix="b2bench_"),
                      build_on_run=False)
        b2.defaultclock.dt = DT * b2.ms
        eqs = """
        dv/dt = (I - gNa*m**3*h*(v - ENa) - gK*n**4*(v - EK) - gL*(v - EL)) / Cm : volt
        dm/dt = am*(1 - m) - bm*m : 1
        dh/dt = ah*(1 - h) - bh*h : 1
        dn/dt = an*(1 - n) - bn*n : 1
        am = 1/ms / exprel(-(v/mV + 40)/10) : Hz
        bm = 4/ms * exp(-(v/mV + 65)/18) : Hz
        ah = 0.07/ms * exp(-(v/mV + 65)/20) : Hz
        bh = 1/ms / (exp(-(v/mV + 35)/10) + 1) : Hz
        an = 0.1/ms / exprel(-(v/mV + 55)/10) : Hz
        bn = 0.125/ms * exp(-(v/mV + 65)/80) : Hz
        I : amp/meter**2
        """
        ns = {"gNa": 120 * b2.msiemens / b2.cm**2, "gK": 36 * b2.msiemens / b2.cm**2,
              "gL": 0.3 * b2.msiemens / b2.cm**2, "ENa": 50 * b2.mV, "EK": -77 * b2.mV,
              "EL": EL * b2.mV, "Cm": 1 * b2.uF / b2.cm**2}
        grp = b2.NeuronGroup(len(amps), eqs, method="exponential_euler", namespace=ns,
                             threshold="v > 0*mV", refractory="v > 0*mV")
        grp.v = -65 * b2.mV
        v0 = -65.0
        am0 = 1 / float(np.expm1((v0 + 40) / 10) / ((v0 + 40) / 10))
        bm0 = 4 * np.exp(-(v0 + 65) / 18)
        ah0 = 0.07 * np.exp(-(v0 + 65) / 20)
        bh0 = 1 / (np.exp(-(v0 + 35) / 10) + 1)
        an0 = 0.1 / float(np.expm1((v0 + 55) / 10) / ((v0 + 55) / 10))
        bn0 = 0.125 * np.exp(-(v0 + 65) / 80)
        grp.m, grp.h, grp.n = am0 / (am0 + bm0), ah0 / (ah0 + bh0), an0 / (an0 + bn0)
        grp.I = amps * b2.uA / b2.cm**2
        mon = b2.SpikeMonitor(grp, record=False)
        b2.run(T_STOP * b2.ms)
        b2.device.build(run=False)
        t0 = time.perf_counter()
        b2.device.run()
        wall = time.perf_counter() - t0
        sim = getattr(b2.device, "_last_run_time", None)
        walls.append(float(sim) if sim else wall)
        counts = np.asarray(mon.count[:]).tolist()
    return {"walls": walls, "counts": counts, "note": "exponential_euler, 1 thread"}


def run_jaxley(amps: np.ndarray, repeats: int) -> dict:
    import jax

    jax.config.update("jax_enable_x64", True)
    jax.config.update("jax_platform_name", "cpu")
    import jax.numpy as jnp
    import jaxley as jx
    from jaxley.channels import HH

    comp = jx.Compartment()
    branch = jx.Branch(comp, ncomp=1)
    cell = jx.Cell(branch, parents=[-1])
    cell.set("length", 100.0)
    cell.set("radius", AREA_UM2 / (2 * np.pi * 100.0))
    cell.insert(HH())
    cell.set("HH_eLeak", EL)
    cell.set("v", -65.0)
    cell.init_states()
    cell.record("v", verbose=False)
    n_t = int(round(T_STOP / DT))

    def simulate(amp):
        current = jnp.full((n_t + 2,), amp)
        stim = cell.branch(0).comp(0).data_stimulate(current)
        v = jx.integrate(cell, data_stimuli=stim, t_max=T_STOP, delta_t=DT)[0]
        return jnp.sum((v[:-1] < 0.0) & (v[1:] >= 0.0))

    fn = jax.jit(jax.vmap(simulate))
    a = jnp.asarray(amps)
    t0 = time.perf_counter()
    fn(a).block_until_ready()
    compile_s = time.perf_counter() - t0
    walls = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        counts = fn(a).block_until_ready()
        walls.append(time.perf_counter() - t0)
    return {"walls": walls, "counts": np.asarray(counts).tolist(), "compile_s": compile_s,
            "note": "jit(vmap), bwd_euler, float64"}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("peer", choices=["neuron", "neuron_table", "brian2", "jaxley"])
    ap.add_argument("problem", choices=["single", "batch"])
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--n", type=int, default=1000)
    args = ap.parse_args()
    amps = amplitudes(args.problem, args.n)
    if args.peer == "neuron":
        out = run_neuron(amps, args.repeats, use_table=False)
    elif args.peer == "neuron_table":
        out = run_neuron(amps, args.repeats, use_table=True)
    elif args.peer == "brian2":
        out = run_brian2(amps, args.repeats)
    else:
        out = run_jaxley(amps, args.repeats)
    out.update({"n": int(amps.size), "steps": int(round(T_STOP / DT))})
    print(json.dumps(out))


if __name__ == "__main__":
    main()
