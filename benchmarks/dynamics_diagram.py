"""Wall time of the HH bifurcation diagram (equilibria over 0–200 µA/cm², the periodic-orbit
branch between the Hopf points, every special point), warm: median of five runs after one
warm-up. The issue's goal: ≤ 10 s on the 2-core VM. Run: ``python benchmarks/dynamics_diagram.py``.
"""

from __future__ import annotations

import statistics
import time

import ionzoo as iz
from ionzoo.dynamics import bifurcation


def main() -> None:
    results = {}
    for key in ("hh1952", "morris_lecar_snlc", "wang_buzsaki", "connor_stevens"):
        cell = iz.models.REGISTRY[key]()
        bifurcation(cell, start=0.0, stop=200.0)  # warm-up
        times = []
        for _ in range(5):
            t0 = time.perf_counter()
            d = bifurcation(cell, start=0.0, stop=200.0)
            times.append(time.perf_counter() - t0)
        results[key] = (statistics.median(times), len(d.special_points),
                        sum(c.cycles.sizes["point"] for c in d.cycles))
    for key, (t, n_points, n_orbits) in results.items():
        print(f"{key:<20} {t:6.2f} s  ({n_points} special points, {n_orbits} orbits)")


if __name__ == "__main__":
    main()
