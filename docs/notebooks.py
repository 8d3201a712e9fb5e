"""Generate the tutorials' notebooks (`make docs`): ``docs/tutorials/NN_*.md`` →
``docs/notebooks/NN_*.ipynb``.

The Markdown page is the one source of truth; its notebook is made from it and never edited by
hand (a test checks that the committed notebooks equal what this script makes, and executes
them). Prose becomes Markdown cells and each ```python block a code cell, with three changes
for a notebook: figures are shown inline (``%matplotlib inline`` instead of the Agg backend,
``plt.show()`` instead of ``fig.savefig("figures/…")``, no links to the saved images), and a
first cell installs ionzoo where it is missing (Colab). Usage:
python docs/notebooks.py [--out DIR] [--check] [TUTORIAL.md ...]
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import nbformat

HERE = Path(__file__).resolve().parent
BLOCK = re.compile(r"```python\n(.*?)```", re.S)
SAVEFIG = re.compile(r"^(\s*)fig\w*\.savefig\(\"figures/[^\"]+\"[^)]*\)\s*$")
IMAGE = re.compile(r"^!\[[^\]]*\]\(figures/[^)]+\)\s*$", re.M)

INSTALL = '''# Colab (or any machine without ionzoo): install it first.
import importlib.util
import subprocess
import sys

if importlib.util.find_spec("ionzoo") is None:
    subprocess.check_call([sys.executable, "-m", "pip", "install", "-q", "ionzoo"])'''


def _code(block: str) -> str:
    lines = []
    for line in block.rstrip("\n").splitlines():
        if line.strip() == 'matplotlib.use("Agg")':
            continue
        m = SAVEFIG.match(line)
        lines.append(f"{m.group(1)}plt.show()" if m else line)
    return "\n".join(lines)


def notebook_of(markdown: Path) -> nbformat.NotebookNode:
    """The notebook of one tutorial page."""
    text = markdown.read_text()
    cells = []
    position = 0
    first_code = True
    for match in BLOCK.finditer(text):
        prose = IMAGE.sub("", text[position:match.start()]).strip()
        if prose:
            cells.append(nbformat.v4.new_markdown_cell(prose))
        if first_code:
            cells.append(nbformat.v4.new_code_cell(INSTALL))
            cells.append(nbformat.v4.new_code_cell("%matplotlib inline\n"
                                                   "import matplotlib.pyplot as plt"))
            first_code = False
        cells.append(nbformat.v4.new_code_cell(_code(match.group(1))))
        position = match.end()
    tail = IMAGE.sub("", text[position:]).strip()
    if tail:
        cells.append(nbformat.v4.new_markdown_cell(tail))
    for k, cell in enumerate(cells):  # stable ids: the file changes only when the page does
        cell["id"] = f"{markdown.stem[:2]}-{k:03d}"
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    nb.metadata["ionzoo"] = {"generated_from": f"docs/tutorials/{markdown.name}"}
    return nb


def text_of(markdown: Path) -> str:
    return nbformat.writes(notebook_of(markdown)) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", default=str(HERE / "notebooks"), help="output directory")
    ap.add_argument("--check", action="store_true",
                    help="only report notebooks that differ from their page (exit 1)")
    ap.add_argument("tutorials", nargs="*", help="markdown files (default: all)")
    args = ap.parse_args()
    files = [Path(t) for t in args.tutorials] or sorted((HERE / "tutorials").glob("[0-9]*.md"))
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    stale = []
    for md in files:
        target = out / f"{md.stem}.ipynb"
        text = text_of(md)
        if args.check:
            if not target.exists() or target.read_text() != text:
                stale.append(target.name)
            continue
        tmp = target.with_suffix(".ipynb.tmp")
        tmp.write_text(text)
        tmp.replace(target)
        print(f"== {target.name}")
    if stale:
        sys.exit(f"notebooks out of date (run make docs): {', '.join(stale)}")


if __name__ == "__main__":
    main()
