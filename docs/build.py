"""Run the tutorials' code and regenerate their figures (`make docs`).

Each ``docs/tutorials/NN_*.md`` is run as one script made of its ```python blocks, in order, in
a fresh interpreter, with the working directory set to the output directory (figures go to its
``figures/`` subfolder). Usage: python docs/build.py [--out DIR] [TUTORIAL.md ...]
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
BLOCK = re.compile(r"```python\n(.*?)```", re.S)


def script_of(markdown: Path) -> str:
    """The tutorial's Python blocks joined into one script."""
    blocks = BLOCK.findall(markdown.read_text())
    if not blocks:
        raise SystemExit(f"{markdown}: no python blocks")
    return "\n".join(blocks)


def run(markdown: Path, out: Path) -> None:
    (out / "figures").mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as fh:
        fh.write(script_of(markdown))
    proc = subprocess.run([sys.executable, fh.name], cwd=out, capture_output=True, text=True)
    Path(fh.name).unlink()
    sys.stdout.write(proc.stdout)
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr)
        raise SystemExit(f"{markdown.name} failed (exit {proc.returncode})")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", default=str(HERE / "tutorials"), help="output directory")
    ap.add_argument("tutorials", nargs="*", help="markdown files (default: all)")
    args = ap.parse_args()
    files = [Path(t) for t in args.tutorials] or sorted((HERE / "tutorials").glob("[0-9]*.md"))
    for md in files:
        print(f"== {md.name}")
        run(md, Path(args.out))


if __name__ == "__main__":
    main()
