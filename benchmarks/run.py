"""`make bench`: ionzoo and its peers on the same HH problems, in one run, side by side.

Problems (shared/reference/peers.md):
  single  one HH neuron, 10 µA/cm² from t = 0, 1000 ms at dt = 0.025 ms
  batch   f–I batch: 1000 HH neurons, I = 0…50 µA/cm², 1000 ms at dt = 0.025 ms, spike counts only

Every measurement runs in a fresh subprocess (ionzoo in this environment, the peers in theirs);
the entries are interleaved in rounds so that load on the shared VM hits them alike, and the
median over all repeats is reported. Times are of the simulation alone (compile, build and
model set-up excluded) except the "end-to-end" ionzoo rows, which time the whole
``ionzoo.simulate`` call. Spike counts of every ionzoo batch are compared with NEURON's.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
STEPS = 40000


def run_json(cmd: list[str], env: dict | None = None, timeout: int = 1800) -> dict:
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=timeout)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{proc.stderr[-3000:]}")
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
    return json.loads(lines[-1])


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (f"{cpu}, {os.cpu_count()} logical cores, {platform.system()} "
            f"{platform.release()}, Python {platform.python_version()}")


def versions(peers_python: str) -> dict:
    import numba
    import numpy

    import ionzoo

    out = {"ionzoo": ionzoo.__version__, "numba": numba.__version__, "numpy": numpy.__version__}
    code = ("import json, importlib.metadata as m; print(json.dumps({k: m.version(k) for k in "
            "('neuron', 'brian2', 'jaxley', 'jax', 'numpy')}))")
    proc = subprocess.run([peers_python, "-c", code], capture_output=True, text=True)
    if proc.returncode == 0:
        peers = json.loads(proc.stdout.strip().splitlines()[-1])
        out.update({f"{k} (peers env)" if k == "numpy" else k: v for k, v in peers.items()})
    return out


def cli_startup(py: str, repeats: int = 7) -> dict[str, float]:
    """Median wall time (s) of ``ionzoo --help`` and ``ionzoo models`` in fresh processes
    (issue #14: ≤ 0.5 s)."""
    out = {}
    for args in (["--help"], ["models"]):
        walls = []
        for _ in range(repeats):
            t0 = time.perf_counter()
            subprocess.run([py, "-m", "ionzoo", *args], capture_output=True, check=True)
            walls.append(time.perf_counter() - t0)
        out["ionzoo " + " ".join(args)] = statistics.median(walls)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--peers-python", required=True, help="python of the peers' environment")
    ap.add_argument("--repeats", type=int, default=3, help="timed repeats per subprocess")
    ap.add_argument("--rounds", type=int, default=1, help="interleaved rounds")
    ap.add_argument("--model-steps", type=int, default=40000,
                    help="steps per run of the per-model and states tables (long enough that "
                         "the fastest model's run lasts > 0.1 s)")
    ap.add_argument("--write", help="markdown file to write (docs/benchmarks.md)")
    ap.add_argument("--models", default="all",
                    help="comma-separated canonical models for the per-model table ('none')")
    ap.add_argument("--synapses-only", action="store_true",
                    help="run only the Poisson-synapse batch (its section of the report)")
    ap.add_argument("--cli-only", action="store_true",
                    help="measure only the command line's start-up")
    ap.add_argument("--prinz-only", action="store_true",
                    help="run only the Prinz STG sections (NEURON batch and grid sample)")
    ap.add_argument("--prinz-step", type=int, default=104,
                    help="grid sample: every this-many-th database model (104: 16,151 models)")
    ap.add_argument("--max-extra", type=int, default=12,
                    help="largest number of zero-conductance channels in the states table")
    args = ap.parse_args()
    py, peer_py = sys.executable, args.peers_python
    if args.synapses_only:
        print("\n".join(synapse_table(py, peer_py, args)))
        return
    if args.cli_only:
        for k, v in cli_startup(py).items():
            print(f"- `{k}` in a new process: {v:.2f} s")
        return
    if args.prinz_only:
        print("\n".join(prinz_table(py, peer_py, args)))
        return
    iz_script, peer_script = str(HERE / "ionzoo_bench.py"), str(HERE / "peers.py")
    one_thread = {**os.environ, "NUMBA_NUM_THREADS": "1"}

    entries = {
        # name: (problem, command, env, cores)
        "ionzoo backward_euler f64": ("batch", [py, iz_script, "batch"], None, "2"),
        "ionzoo crank_nicolson f64": ("batch", [py, iz_script, "batch", "--method",
                                                "crank_nicolson"], None, "2"),
        "ionzoo backward_euler f64, 1 thread": ("batch", [py, iz_script, "batch"], one_thread,
                                                 "1"),
        "ionzoo backward_euler f32": ("batch", [py, iz_script, "batch", "--dtype", "float32"],
                                      None, "2"),
        "NEURON (exact rates)": ("batch", [peer_py, peer_script, "neuron", "batch"], None, "1"),
        "NEURON (default 1-mV rate table)": ("batch", [peer_py, peer_script, "neuron_table",
                                                       "batch"], None, "1"),
        "Brian2 cpp_standalone": ("batch", [peer_py, peer_script, "brian2", "batch"], None, "1"),
        "Jaxley CPU jit(vmap)": ("batch", [peer_py, peer_script, "jaxley", "batch"], None, "2"),
        "ionzoo (1 neuron) backward_euler": ("single", [py, iz_script, "single"], None, "1"),
        "ionzoo (1 neuron) crank_nicolson": ("single", [py, iz_script, "single", "--method",
                                                        "crank_nicolson"], None, "1"),
        "NEURON (1 neuron, exact rates)": ("single", [peer_py, peer_script, "neuron", "single"],
                                           None, "1"),
        "NEURON (1 neuron, 1-mV table)": ("single", [peer_py, peer_script, "neuron_table",
                                                     "single"], None, "1"),
        "Brian2 (1 neuron) cpp_standalone": ("single", [peer_py, peer_script, "brian2",
                                                        "single"], None, "1"),
        "Jaxley (1 neuron)": ("single", [peer_py, peer_script, "jaxley", "single"], None, "2"),
    }
    for _, cmd, _, _ in entries.values():
        cmd += ["--repeats", str(args.repeats)]
    walls: dict[str, list[float]] = {k: [] for k in entries}
    loop_entries: dict[str, tuple] = {}
    counts: dict[str, list[int]] = {}
    extra: dict[str, dict] = {}
    # warm the ionzoo kernel cache so the first round does not time compilation
    run_json([py, iz_script, "startup"])
    run_json([py, iz_script, "startup", "--method", "crank_nicolson"])
    for rnd in range(args.rounds):
        for name, (_problem, cmd, env, _) in entries.items():
            print(f"[round {rnd + 1}/{args.rounds}] {name} ...", flush=True)
            out = run_json(cmd, env=env)
            walls[name] += out["walls"]
            if "loops" in out and entries[name][0] == "single":
                loop_name = name + " — loop only"
                walls.setdefault(loop_name, []).extend(out["loops"])
                loop_entries[loop_name] = entries[name]
            counts[name] = out["counts"]
            extra[name] = {k: v for k, v in out.items() if k not in ("walls", "counts")}

    # start-up: a fresh process with an empty kernel cache (cold) and again (warm)
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "IONZOO_CACHE_DIR": tmp}
        cold_run = run_json([py, iz_script, "startup"], env=env)
        warm_runs = [run_json([py, iz_script, "startup"], env=env) for _ in range(3)]
        cold = cold_run["startup_s"]
        warm = statistics.median(r["startup_s"] for r in warm_runs)
        import_s = statistics.median(r["import_s"] for r in warm_runs)

    # place each "loop only" row right after its end-to-end row
    ordered = {}
    for k, v in entries.items():
        ordered[k] = v
        if k + " — loop only" in loop_entries:
            ordered[k + " — loop only"] = v
    entries = ordered
    med = {k: statistics.median(v) for k, v in walls.items()}
    n_of = {k: (1000 if entries[k][0] == "batch" else 1) for k in entries}
    rate = {k: n_of[k] * STEPS / med[k] / 1e6 for k in entries}
    ref_counts = counts["NEURON (exact rates)"]
    agree = {k: (sum(a == b for a, b in zip(counts[k], ref_counts)), len(ref_counts))
             for k in entries if entries[k][0] == "batch"}

    lines = []
    lines.append("# Benchmarks\n")
    lines.append(f"Generated by `make bench` on {_dt.date.today().isoformat()}. Machine: "
                 f"{machine()}. Shared VM: absolute times move by up to 2× between runs, so "
                 "compare within one run; every number is the median of "
                 f"{args.repeats * args.rounds} timed repeats, each entry in its own process, "
                 "entries interleaved.\n")
    lines.append("Versions: " + ", ".join(f"{k} {v}" for k, v in versions(peer_py).items())
                 + ".\n")
    lines.append("Problem: classic HH (NEURON `hh` kinetics, 6.3 °C, EL = −54.387 mV), "
                 "constant current from t = 0, 1000 ms at dt = 0.025 ms (40 000 steps), spike = "
                 "upward 0-mV crossing. Times are the simulation alone (no compile/build).\n")
    for problem, title in (("batch", "f–I batch: 1000 neurons, I = 0…50 µA/cm², spike counts "
                                     "only"),
                           ("single", "One neuron, 10 µA/cm²")):
        lines.append(f"\n## {title}\n")
        base = ("ionzoo backward_euler f64" if problem == "batch"
                else "ionzoo (1 neuron) backward_euler")
        head = "| simulator | cores | wall (s) | M neuron-steps/s | ionzoo BE is × faster |"
        if problem == "batch":
            head += " spike counts = NEURON exact backward Euler |"
        lines.append(head)
        lines.append("|---" * (6 if problem == "batch" else 5) + "|")
        for k in entries:
            if entries[k][0] != problem:
                continue
            row = (f"| {k} | {entries[k][3]} | {med[k]:.4f} | {rate[k]:.1f} | "
                   f"{med[k] / med[base]:.1f} |")
            if problem == "batch":
                a, n = agree[k]
                row += f" {a}/{n} |"
            lines.append(row)
    lines.append("\n## Start-up (ionzoo)\n")
    lines.append("Time to the first results in a new process: one single-neuron and one "
                 "64-neuron simulation of 1 ms (so both the scalar and the vectorised kernel "
                 "are needed), after `import ionzoo`.\n")
    lines.append(f"- cold (empty kernel cache: generate + compile both kernels): "
                 f"**{cold:.1f} s**")
    lines.append(f"- warm (kernels loaded from the disk cache): **{warm:.3f} s**")
    lines.append(f"- `import ionzoo` itself (NumPy; Numba and xarray load with the first "
                 f"simulation): {import_s:.2f} s")
    for k, v in cli_startup(py).items():
        lines.append(f"- `{k}` in a new process (issue #14: ≤ 0.5 s): {v:.2f} s")
    jc = extra.get("Jaxley CPU jit(vmap)", {}).get("compile_s")
    if jc:
        lines.append(f"- for comparison, Jaxley's jit compile of the batch in its process: "
                     f"{jc:.2f} s")
    b = "ionzoo backward_euler f64"
    single_loop = "ionzoo (1 neuron) backward_euler — loop only"
    lines.append("\n## Goals (issue #6) in this run\n")
    goals = [
        ("float64 batch ≥ 4× Jaxley CPU", med["Jaxley CPU jit(vmap)"] / med[b], 4.0),
        ("float64 batch ≥ 9× Brian2 cpp_standalone", med["Brian2 cpp_standalone"] / med[b],
         9.0),
        ("float32 batch ≥ 8× Jaxley CPU",
         med["Jaxley CPU jit(vmap)"] / med["ionzoo backward_euler f32"], 8.0),
        ("single neuron ≥ 10× NEURON's simulation loop (exact rates), loop vs loop",
         med["NEURON (1 neuron, exact rates)"] / med[single_loop], 10.0),
        ("single neuron ≥ 10× NEURON's simulation loop (1-mV table), loop vs loop",
         med["NEURON (1 neuron, 1-mV table)"] / med[single_loop], 10.0),
        ("single neuron ≥ 10× NEURON's loop (exact rates), ionzoo end-to-end",
         med["NEURON (1 neuron, exact rates)"] / med["ionzoo (1 neuron) backward_euler"], 10.0),
        ("single neuron ≥ 10× NEURON's loop (1-mV table), ionzoo end-to-end",
         med["NEURON (1 neuron, 1-mV table)"] / med["ionzoo (1 neuron) backward_euler"], 10.0),
    ]
    for text, ratio, goal in goals:
        lines.append(f"- {text}: **{ratio:.1f}×** — {'met' if ratio >= goal else 'NOT met'}")
    for k in (b, "ionzoo backward_euler f32"):
        a, n = agree[k]
        lines.append(f"- spike counts of `{k}` equal NEURON's same scheme (exact rates) on "
                     f"{a}/{n} neurons")
    lines.append("\nNotes: ionzoo's single-neuron rows are end-to-end `ionzoo.simulate` calls "
                 "(argument checks, batch layout, kernel call; the labelled xarray Dataset is "
                 "assembled on first access, ~0.3 ms, and not included), and '— loop only' "
                 "rows the time-stepping loop alone (the `wall_time_s` attribute); the peers' "
                 "are their simulation loops alone (NEURON `ParallelContext.psolve`, Brian2 "
                 "`device.run`, Jaxley the jitted call). NEURON's default rate table is an "
                 "approximation (up to 0.35 ms spike-time shift over 20 spikes, "
                 "shared/reference/peers.md); the exact-rate rows compute what ionzoo "
                 "computes. Brian2 uses `exponential_euler` (its standard HH method); Jaxley "
                 "`bwd_euler` in float64 and records v (it has no online spike detection).\n")
    lines += model_tables(py, peer_py, args, med)
    lines += synapse_table(py, peer_py, args)
    lines += prinz_table(py, peer_py, args)
    text = "\n".join(lines)
    print(text)
    if args.write:
        Path(args.write).write_text(text)


def model_tables(py: str, peer_py: str, args, med: dict) -> list[str]:
    """Per-model (ionzoo vs NEURON with the exported mechanisms) and states tables, with their
    goals; every entry in its own process, models interleaved ionzoo/NEURON."""
    import ionzoo

    bench = str(HERE / "models_bench.py")
    nrn = str(HERE / "neuron_models.py")
    names = (sorted(ionzoo.models.REGISTRY) if args.models == "all" else
             [] if args.models == "none" else args.models.split(","))
    rep = ["--repeats", str(args.repeats)]
    steps = ["--steps", str(args.model_steps)]
    iz_rate, nrn_rate, agree = {}, {}, {}
    with tempfile.TemporaryDirectory(prefix="iz_models_") as tmp:
        for name in names:
            print(f"[models] {name} ...", flush=True)
            d = Path(tmp) / name
            run_json([py, bench, "export", name, str(d), "--n", "200", *steps])
            walls_i, walls_n = [], []
            for _ in range(args.rounds):
                a = run_json([py, bench, "ionzoo", name, *rep, *steps])
                b = run_json([peer_py, nrn, str(d), *rep])
                walls_i += a["walls"]
                walls_n += b["walls"]
            iz_rate[name] = a["n"] * a["steps"] / statistics.median(walls_i) / 1e6
            nrn_rate[name] = b["n"] * b["steps"] / statistics.median(walls_n) / 1e6
            ours = a["counts"][:: max(1, a["n"] // b["n"])][: b["n"]]
            agree[name] = (a["states"], sum(x == y for x, y in zip(ours, b["counts"])))
        states = {}
        for k in range(args.max_extra + 1):
            print(f"[states] HH + {k} ...", flush=True)
            walls = []
            for _ in range(args.rounds):
                out = run_json([py, bench, "states", str(k), *rep, *steps])
                walls += out["walls"]
            states[k] = (out["states"], out["n"] * out["steps"] / statistics.median(walls) / 1e6)
    lines = []
    if names:
        lines.append("\n## Every canonical model: ionzoo's batch against NEURON's\n")
        lines.append("ionzoo: 1000 neurons (currents 0…2× the model's demonstration current), "
                     "2 threads; NEURON: 200 sections with ionzoo's exported mechanisms "
                     "(`ionzoo export`), one thread. Both backward Euler, dt = 0.025 ms, "
                     f"{args.model_steps} steps, spike counts only; ionzoo with "
                     "`stabilize=False` (NEURON's "
                     "linearised update exactly; the default differs only where NEURON's "
                     "diverges: WB and RTM at this dt). 'counts equal': NEURON's 200 currents "
                     "are every fifth of ionzoo's 1000.\n")
        lines.append("| model | states | ionzoo M neuron-steps/s | NEURON M neuron-steps/s | "
                     "ionzoo × NEURON | counts equal |")
        lines.append("|---|---|---|---|---|---|")
        for name in names:
            st, eq = agree[name]
            lines.append(f"| {name} | {st} | {iz_rate[name]:.1f} | {nrn_rate[name]:.2f} | "
                         f"{iz_rate[name] / nrn_rate[name]:.0f} | {eq}/200 |")
    lines.append("\n## Throughput against the number of states (ionzoo)\n")
    lines.append("HH plus k zero-conductance gated channels (alternately an M channel, one gate, "
                 "and an A channel, two gates): 1000 neurons, 2 threads, backward Euler, "
                 f"{args.model_steps} steps.\n")
    lines.append("| extra channels | states | M neuron-steps/s | % of HH |")
    lines.append("|---|---|---|---|")
    hh = states[0][1]
    for k, (st, r) in states.items():
        lines.append(f"| {k} | {st} | {r:.1f} | {100 * r / hh:.0f} |")
    lines.append("\n## Goals (issue #10) in this run\n")
    goals = []
    if names:
        worst = min(names, key=lambda n: iz_rate[n] / nrn_rate[n])
        goals.append((f"every canonical model ≥ 30× NEURON's same-scheme batch (lowest: "
                      f"{worst})", iz_rate[worst] / nrn_rate[worst], 30.0))
        for m in ("pospischil_lts", "pospischil_ib"):
            if m in iz_rate and "pospischil_rs" in iz_rate:
                goals.append((f"{m} ≥ 50 % of pospischil_rs's throughput (%)",
                              100 * iz_rate[m] / iz_rate["pospischil_rs"], 50.0))
    by_states = {st: r for st, r in states.values()}
    if 7 in by_states:
        goals.append(("7-state model (HH + M + A) ≥ 40 % of HH (%)", 100 * by_states[7] / hh,
                      40.0))
    big = [st for st in by_states if st >= 16]
    if big:
        st = min(big)
        goals.append((f"{st}-state model ≥ 15 % of HH (%)", 100 * by_states[st] / hh, 15.0))
    if "Jaxley CPU jit(vmap)" in med:
        goals.append(("HH batch ≥ 6× Jaxley CPU", med["Jaxley CPU jit(vmap)"]
                      / med["ionzoo backward_euler f64"], 6.0))
    for text, value, goal in goals:
        lines.append(f"- {text}: **{value:.1f}** — {'met' if value >= goal else 'NOT met'}")
    return lines



def synapse_table(py: str, peer_py: str, args) -> list[str]:
    """The Poisson-synapse batch (benchmarks/synapse_bench.py), without and with OU noise:
    ionzoo and NEURON on the same event trains, interleaved rounds, medians."""
    script = str(HERE / "synapse_bench.py")
    cases = {"": [], " --noise": []}
    walls = {f"{sim}{case}": [] for sim in ("ionzoo", "ionzoo end-to-end", "neuron")
             for case in cases}
    counts: dict[str, list[int]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        trains = str(Path(tmp) / "trains.npz")
        run_json([py, script, "trains", trains])
        for rnd in range(args.rounds):
            for case in cases:
                print(f"[round {rnd + 1}/{args.rounds}] synapse batch{case} ...", flush=True)
                extra = case.split()
                iz = run_json([py, script, "ionzoo", trains, "--repeats", str(args.repeats),
                               *extra])
                nrn = run_json([peer_py, script, "neuron", trains, "--repeats",
                                str(args.repeats), *extra])
                walls[f"ionzoo{case}"] += iz["walls"]
                walls[f"ionzoo end-to-end{case}"] += iz["end_to_end"]
                walls[f"neuron{case}"] += nrn["walls"]
                counts[f"ionzoo{case}"], counts[f"neuron{case}"] = iz["counts"], nrn["counts"]
    med = {k: statistics.median(v) for k, v in walls.items()}
    lines = [
        "\n## Synaptic drive: 1000 neurons, each with its own Poisson train (issue #13)\n",
        "HH (NEURON `hh`, EL = −54.3 mV) with one double-exponential synapse per neuron "
        "(τ_rise 0.5 ms, τ_decay 5 ms, E 0 mV, peak 0.3 mS/cm²) driven by an 80-Hz Poisson "
        "train (seed = neuron index), 1000 ms at dt = 0.025 ms, backward Euler; \"+ noise\": "
        "also an Ornstein–Uhlenbeck current per neuron (σ 1 µA/cm², τ 5 ms; in NEURON the "
        "benchmark's `mod/iz_ou.mod`, exact update with `normrand`). NEURON: 1000 sections "
        "with `Exp2Syn`, the same event times through `NetCon.event`, one thread. Medians of "
        f"{args.repeats * args.rounds} repeats.\n",
        "| problem | ionzoo loop (s, 2 cores) | ionzoo end to end (s) | NEURON (s, 1 core) | "
        "ionzoo is × faster | mean spike count ionzoo / NEURON | equal counts |",
        "|---|---|---|---|---|---|---|"]
    goals = []
    for case, label in (("", "synapses"), (" --noise", "synapses + noise")):
        ratio = med[f"neuron{case}"] / med[f"ionzoo{case}"]
        a, b = counts[f"ionzoo{case}"], counts[f"neuron{case}"]
        same = f"{sum(x == y for x, y in zip(a, b))}/{len(b)}" if not case else \
            "— (independent noise)"
        lines.append(f"| {label} | {med[f'ionzoo{case}']:.3f} | "
                     f"{med[f'ionzoo end-to-end{case}']:.3f} | {med[f'neuron{case}']:.3f} | "
                     f"{ratio:.1f} | {statistics.mean(a):.2f} / {statistics.mean(b):.2f} | "
                     f"{same} |")
        goals.append(f"- {label}: goal ≥ 20× NEURON: **{ratio:.1f}×** — "
                     f"{'met' if ratio >= 20 else 'NOT met'}")
    return lines + [""] + goals


def prinz_table(py: str, peer_py: str, args) -> list[str]:
    """The Prinz STG sections (issue #16): the STG batch against NEURON's, and a systematic
    sample of the 6^8 grid swept with ionzoo.sweep — throughput, projected full-grid time,
    1 → 2 worker scaling, class agreement with dt/2 in float64, class fractions."""
    from ionzoo.sweep import wilson_interval

    bench, nrn, grid = (str(HERE / n) for n in ("models_bench.py", "neuron_models.py",
                                                "prinz_bench.py"))
    rep, steps = ["--repeats", str(args.repeats)], ["--steps", str(args.model_steps)]
    with tempfile.TemporaryDirectory(prefix="iz_prinz_") as tmp:
        print("[prinz] STG batch, ionzoo and NEURON ...", flush=True)
        d = Path(tmp) / "stg"
        run_json([py, bench, "export", "prinz_stg", str(d), "--n", "200", *steps])
        walls_i, walls_n = [], []
        for _ in range(args.rounds):
            a = run_json([py, bench, "ionzoo", "prinz_stg", *rep, *steps])
            b = run_json([peer_py, nrn, str(d), *rep])
            walls_i += a["walls"]
            walls_n += b["walls"]
        iz_rate = a["n"] * a["steps"] / statistics.median(walls_i) / 1e6
        nrn_rate = b["n"] * b["steps"] / statistics.median(walls_n) / 1e6
        step = ["--step", str(args.prinz_step)]
        runs = {}
        for key, extra in (("choice, 2 workers", ["--workers", "2"]),
                           ("choice, 1 worker", ["--workers", "1"]),
                           ("reference", ["--workers", "2", "--dt", "0.025"]),
                           ("float32", ["--workers", "2", "--dtype", "float32"])):
            print(f"[prinz] grid sample, {key} ...", flush=True)
            out = str(Path(tmp) / (key.replace(" ", "_").replace(",", "") + ".zarr"))
            runs[key] = (out, run_json([py, grid, "sample", out, *step, *extra],
                                       timeout=7200))
        agree = run_json([py, grid, "agree", runs["choice, 2 workers"][0],
                          runs["reference"][0]])
        agree32 = run_json([py, grid, "agree", runs["float32"][0], runs["reference"][0]])
    two, one, ref, f32 = (runs[k][1] for k in ("choice, 2 workers", "choice, 1 worker",
                                               "reference", "float32"))
    full_h = 6 ** 8 / (two["n"] / two["wall"]) / 3600
    scaling = one["wall"] / two["wall"]
    lines = [
        "\n## The Prinz 2003 STG model and its database (issue #16)\n",
        f"STG batch (`prinz_stg`, {a['states']} states; ionzoo 1000 neurons on 2 threads, NEURON "
        "200 sections with the exported mechanisms, one thread; backward Euler, dt 0.025 ms, "
        f"{args.model_steps} steps): ionzoo **{iz_rate:.1f}** M neuron-steps/s, NEURON "
        f"{nrn_rate:.2f} — **{iz_rate / nrn_rate:.0f}×**.\n",
        f"Grid sample: every {args.prinz_step}-th database model number (1, "
        f"{1 + args.prinz_step}, …; a systematic sample along the grid's order), {two['n']} "
        f"models ({100 * two['n'] / 6 ** 8:.2f} % of 1,679,616), spontaneous activity, "
        f"{two['steps'] * two['dt'] / 1000:g} s each, classified over the last 8 s, swept with "
        "`ionzoo.sweep` (local Dask cluster, chunks of 512, the wall time of the whole "
        "`run_sweep`: cluster start, simulation, classification, Zarr writes).\n",
        "| run | dt (ms) | precision | workers | wall (s) | models/s | M model-steps/s |",
        "|---|---|---|---|---|---|---|"]
    for key, r in (("choice", two), ("choice", one), ("reference (dt/2)", ref),
                   ("float32 alternative", f32)):
        lines.append(f"| {key} | {r['dt']} | {r['dtype']} | {r['workers']} | {r['wall']:.1f} | "
                     f"{r['n'] / r['wall']:.0f} | {r['model_steps_per_s'] / 1e6:.1f} |")
    lines += ["", f"Class agreement of the choice (dt {two['dt']}, {two['dtype']}) with the "
              f"reference (dt {ref['dt']}, {ref['dtype']}): **{100 * agree['agree']:.2f} %** "
              f"of {agree['n']} models; disagreements: {agree['flips'] or 'none'}. The same "
              f"dt in float32 agrees with the reference on {100 * agree32['agree']:.2f} %.",
              "",
              "| class | models | fraction (95 % Wilson interval) |", "|---|---|---|"]
    n = sum(two["classes"].values())
    for c, k in two["classes"].items():
        lo, hi = wilson_interval(k, n)
        lines.append(f"| {c} | {k} | {100 * k / n:.2f} % ({100 * float(lo):.2f}–"
                     f"{100 * float(hi):.2f} %) |")
    lines += ["", f"Diverged: {two['diverged']}; class unknown (more spikes than stored): "
              f"{two['unknown']}.", "", "Goals (issue #16) in this run:", "",
              f"- full grid projected on this 2-core machine ≤ 3 h: **{full_h:.2f} h** — "
              f"{'met' if full_h <= 3 else 'NOT met'}",
              f"- 1 → 2 local workers ≥ 1.8×: **{scaling:.2f}×** — "
              f"{'met' if scaling >= 1.8 else 'NOT met'}",
              f"- class agreement with dt/2 in float64 ≥ 99 %: **{100 * agree['agree']:.2f} %** "
              f"— {'met' if agree['agree'] >= 0.99 else 'NOT met'}"]
    return lines


if __name__ == "__main__":
    main()
