"""The explorer's response time (issue #14: ≤ 100 ms for a 100-ms run of any canonical model).

For each canonical model: an explorer session is built (no browser), warmed (kernels compiled),
then the amplitude is changed 15 times; each change re-simulates 100 ms (Crank–Nicolson, dt
0.025 ms, everything recorded) and refreshes the plotted sources. Reported: the median and the
maximum of ``Explorer.update()`` on the Spike tab, and the median on the phase-plane tab. The
browser's own drawing and the websocket are not included (they are the same for every model).

    python benchmarks/explorer_latency.py [--write docs/benchmarks.md]
"""

from __future__ import annotations

import argparse
import re
import statistics
import warnings
from pathlib import Path

HEADER = "## The explorer's response time (issue #14)"


def measure(model: str, repeats: int = 15) -> tuple[float, float, float]:
    from ionzoo.explore.app import Explorer

    app = Explorer(model)
    base = app.sliders["amplitude"].value
    times = []
    for k in range(repeats + 2):
        app.sliders["amplitude"].value = base + 0.5 * (k % 3)
        app.update()
        times.append(app.update_ms)
    spike = times[2:]
    app.tabs.active = 1
    phase = []
    for k in range(5):
        app.sliders["amplitude"].value = base + 0.5 * (k % 2)
        app.update()
        phase.append(app.update_ms)
    return statistics.median(spike), max(spike), statistics.median(phase[1:])


def table() -> list[str]:
    from ionzoo.models import REGISTRY

    lines = [HEADER, "",
             "`Explorer.update()` after a slider change (a 100-ms run re-simulated and the "
             "plotted sources refreshed; median of 15 changes, 2 cores, kernels warm; "
             "`benchmarks/explorer_latency.py`):", "",
             "| model | Spike tab median (ms) | max (ms) | phase-plane tab median (ms) |",
             "|---|---|---|---|"]
    for name in sorted(REGISTRY):
        med, worst, phase = measure(name)
        lines.append(f"| {name} | {med:.0f} | {worst:.0f} | {phase:.0f} |")
    return lines


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--write", help="markdown file whose section to replace (or append)")
    args = ap.parse_args()
    warnings.simplefilter("ignore")
    lines = table()
    text = "\n".join(lines) + "\n"
    print(text)
    if args.write:
        from ionzoo.io.atomic import write_text_atomic

        path = Path(args.write)
        old = path.read_text() if path.exists() else ""
        pattern = re.compile(re.escape(HEADER) + r".*?(?=\n## |\Z)", re.S)
        new = pattern.sub(text.rstrip("\n"), old) if HEADER in old else \
            old.rstrip("\n") + "\n\n" + text
        write_text_atomic(path, new)


if __name__ == "__main__":
    main()
