"""The main job (``make demo``): HH 1952 under a 10 µA/cm² step — summary and figure.

Run as ``python -m ionzoo.demo [--out DIR]``.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

from . import models, simulate, stimulus
from .io.atomic import save_figure


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", default="out", help="directory for the figure (default: out)")
    parser.add_argument("--current", type=float, default=10.0, help="step amplitude, µA/cm²")
    args = parser.parse_args(argv)

    from .rates import RATE_NAME, rate

    cell = models.hh1952()
    stim = stimulus.step(args.current, start=5.0, stop=55.0)
    t0 = time.perf_counter()
    res = simulate(cell, stim, t_stop=60.0, dt=0.01, record=["v", "Na.m", "Na.h", "K.n"])
    wall = time.perf_counter() - t0

    spikes = res.spike_trains()[0]
    v = res.v.values
    print(f"Hodgkin-Huxley (1952), {args.current:g} uA/cm2 step 5-55 ms, 6.3 degC, "
          f"Crank-Nicolson dt = 0.01 ms")
    print(f"  spikes:        {len(spikes)}")
    if len(spikes):
        print(f"  first spike:   {spikes[0]:.3f} ms (0 mV upward crossing)")
    if len(spikes) > 1:
        isi = np.diff(spikes)
        print(f"  mean ISI:      {isi.mean():.3f} ms")
    print(f"  rate:          {rate(spikes, 5.0, 55.0):.1f} Hz ({RATE_NAME}, the step 5-55 ms)")
    print(f"  peak v:        {v.max():.2f} mV")
    print(f"  minimum v:     {v[res.t > 5.0].min():.2f} mV (after stimulus onset)")
    print(f"  wall time:     {wall:.3f} s (includes kernel compile/load on first use)")

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (ax_v, ax_g) = plt.subplots(2, 1, figsize=(7, 5), sharex=True,
                                     gridspec_kw={"height_ratios": [2, 1]})
    ax_v.plot(res.t, v, color="k", lw=1)
    ax_v.plot(spikes, np.zeros_like(spikes), "|", color="tab:red", ms=12, label="spike (0 mV)")
    ax_v.axvspan(5, 55, color="0.92", zorder=0, label=f"{args.current:g} µA/cm² step")
    ax_v.set_ylabel("membrane potential (mV)")
    ax_v.legend(loc="upper right", fontsize=8)
    ax_v.set_title("Hodgkin–Huxley action potentials (ionzoo)")
    for name, color in (("Na.m", "tab:orange"), ("Na.h", "tab:green"), ("K.n", "tab:blue")):
        ax_g.plot(res.t, res[name].values, color=color, lw=1, label=name)
    ax_g.set_ylabel("gate (1)")
    ax_g.set_xlabel("time (ms)")
    ax_g.legend(loc="upper right", fontsize=8, ncol=3)
    fig.tight_layout()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    path = out / "hh_demo.png"
    save_figure(fig, path)
    print(f"  figure:        {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
