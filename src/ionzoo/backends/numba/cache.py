"""On-disk cache of generated kernel modules — loading only what was verified.

A generated module is written once to ``<cache dir>/ionzoo_k_<key>.py`` and imported from
there; Numba's own cache (``cache=True``) keeps the compiled machine code in ``__pycache__``
beside it, so a new process reuses both. The cache directory is ``$IONZOO_CACHE_DIR`` if set,
else ``$XDG_CACHE_HOME/ionzoo/kernels`` (default ``~/.cache/ionzoo/kernels``).

What the cache will and will not load:

* the module's code is compiled from the source ionzoo generated in this process — never from
  the file's current contents (a file changed between the check and the import cannot win the
  race) nor from Python bytecode found on disk (a planted ``.pyc`` is ignored); the file is
  rewritten (atomically) when its bytes differ, e.g. truncated or not UTF-8;
* the key (:func:`code_version`) covers the generated source, ionzoo's version, the math
  helpers' source (``fastmath.py``) and Numba's version, so changed code never runs old
  machine code;
* Numba unpickles its own index and data files. A directory — or its ``__pycache__``, or a
  configured ``NUMBA_CACHE_DIR`` — that another user owns or that others can write could
  therefore run code planted there, so there the kernels are compiled in memory only (a warning
  says so and how to fix it). New cache directories are created private (mode 0700);
* Numba files that fail to unpickle (a truncated or corrupt entry) are deleted before the module
  is loaded, so Numba recompiles them instead of failing every later run.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.machinery
import importlib.util
import os
import pickle
import stat
import sys
import tempfile
import warnings
from pathlib import Path
from types import ModuleType

import numba

from ..._version import __version__

__all__ = ["cache_dir", "load_module", "code_version", "private_problem"]

_LOADED: dict[str, ModuleType] = {}
_WARNED: set[Path] = set()


@functools.lru_cache(maxsize=1)
def code_version() -> str:
    """What, besides the generated source, shapes a kernel's machine code: ionzoo's version,
    the math helpers' source and Numba's version (hashed)."""
    helpers = Path(__file__).with_name("fastmath.py").read_bytes()
    text = f"{__version__}|{numba.__version__}|".encode() + helpers
    return hashlib.sha256(text).hexdigest()[:16]


def cache_dir() -> Path:
    """The configured directory of generated kernels (created, private, on first use)."""
    env = os.environ.get("IONZOO_CACHE_DIR")
    if env:
        path = Path(env)
    else:
        base = os.environ.get("XDG_CACHE_HOME") or os.path.join(Path.home(), ".cache")
        path = Path(base) / "ionzoo" / "kernels"
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def private_problem(path: Path) -> str | None:
    """Why ``path`` is not a private directory of this user (None if it is, or is missing)."""
    try:
        info = path.stat()
    except FileNotFoundError:
        return None
    if not stat.S_ISDIR(info.st_mode):
        return "not a directory"
    if hasattr(os, "getuid") and info.st_uid != os.getuid():
        return "owned by another user"
    if info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return "writable by other users"
    return None


def _disk_cache_allowed(directory: Path) -> bool:
    """Whether Numba may keep machine code on disk for modules in ``directory``: only where
    the directory, its ``__pycache__`` and a configured ``NUMBA_CACHE_DIR`` are private (Numba
    unpickles what it finds there). Otherwise a warning says why and how to fix it, once."""
    places = [directory, directory / "__pycache__"]
    numba_dir = getattr(numba.config, "CACHE_DIR", "")
    if numba_dir:
        places.append(Path(numba_dir))
    for place in places:
        problem = private_problem(place)
        if problem is not None:
            if place not in _WARNED:
                _WARNED.add(place)
                warnings.warn(f"kernel cache {str(place)!r} is {problem}: compiled kernels are "
                              "not saved or loaded there (they compile in every process); "
                              "make it private (chmod -R go-w) to cache them",
                              RuntimeWarning, stacklevel=4)
            return False
    return True


class _VerifiedLoader(importlib.machinery.SourceFileLoader):
    """Compiles the module from the bytes given, never from the file or its bytecode."""

    def __init__(self, fullname: str, path: str, source: bytes) -> None:
        super().__init__(fullname, path)
        self._source = source

    def get_data(self, path):  # noqa: D102 - importlib protocol
        if os.fspath(path) == self.path:
            return self._source
        raise OSError(f"{path}: not read by the verified loader")

    def get_code(self, fullname):  # noqa: D102 - importlib protocol
        return self.source_to_code(self._source, self.path)


def _write_atomic(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _drop_corrupt_numba_files(directory: Path, name: str) -> None:
    """Delete this module's Numba cache files that do not unpickle (index and data)."""
    pycache = directory / "__pycache__"
    if not pycache.is_dir():
        return
    for f in pycache.glob(f"{name}.*"):
        if f.suffix not in (".nbi", ".nbc"):
            continue
        try:
            with open(f, "rb") as fh:
                pickle.load(fh)
                if f.suffix == ".nbi":
                    pickle.loads(fh.read())
        except Exception:  # truncated, corrupt or from an incompatible version
            with contextlib.suppress(OSError):
                f.unlink()


def load_module(source: str, key: str) -> ModuleType:
    """Import the generated module ``source`` (structure hash ``key``; see the module
    docstring for what is verified)."""
    full_key = f"{key}_{code_version()}"
    mod = _LOADED.get(full_key)
    if mod is not None:
        return mod
    directory = cache_dir()
    disk_cache = _disk_cache_allowed(directory)
    name = f"ionzoo_k_{full_key}"
    path = directory / f"{name}.py"
    data = source.encode("utf-8")
    try:
        on_disk = path.read_bytes() if path.is_file() else None
    except OSError:
        on_disk = None
    if on_disk != data:
        _write_atomic(path, data)
    loader = _VerifiedLoader(name, str(path), data)
    spec = importlib.util.spec_from_file_location(name, path, loader=loader)
    assert spec is not None
    mod = importlib.util.module_from_spec(spec)
    vars(mod)["_DISK_CACHE"] = disk_cache  # read by the kernels' @numba.njit(cache=...)
    sys.modules[name] = mod
    loader.exec_module(mod)
    if disk_cache:  # after the module exists: Numba's data files refer to it
        _drop_corrupt_numba_files(directory, name)
    _LOADED[full_key] = mod
    return mod
