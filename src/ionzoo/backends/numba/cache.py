"""On-disk cache of generated kernel modules.

A generated module is written once to ``<cache dir>/ionzoo_k_<hash>.py`` (the hash covers the
generated source, hence the model structure) and imported from there; Numba's own cache
(``cache=True``) then keeps the compiled machine code in ``__pycache__`` beside it, so a new
process reuses both. The cache directory is ``$IONZOO_CACHE_DIR`` if set, else
``$XDG_CACHE_HOME/ionzoo/kernels`` (default ``~/.cache/ionzoo/kernels``).
"""

from __future__ import annotations

import importlib.util
import os
import sys
import tempfile
from pathlib import Path
from types import ModuleType

import numba

__all__ = ["cache_dir", "load_module"]

_LOADED: dict[str, ModuleType] = {}


def cache_dir() -> Path:
    """Directory holding generated kernels (created on first use)."""
    env = os.environ.get("IONZOO_CACHE_DIR")
    if env:
        path = Path(env)
    else:
        base = os.environ.get("XDG_CACHE_HOME") or os.path.join(Path.home(), ".cache")
        path = Path(base) / "ionzoo" / "kernels"
    path.mkdir(parents=True, exist_ok=True)
    return path


def load_module(source: str, key: str) -> ModuleType:
    """Import the generated module with structure hash ``key`` (writing it if needed)."""
    full_key = f"{key}_{numba.__version__.replace('.', '_')}"
    mod = _LOADED.get(full_key)
    if mod is not None:
        return mod
    directory = cache_dir()
    name = f"ionzoo_k_{full_key}"
    path = directory / f"{name}.py"
    if not path.exists() or path.read_text() != source:
        fd, tmp = tempfile.mkstemp(dir=directory, suffix=".tmp")
        with os.fdopen(fd, "w") as fh:
            fh.write(source)
        os.replace(tmp, path)
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    _LOADED[full_key] = mod
    return mod
