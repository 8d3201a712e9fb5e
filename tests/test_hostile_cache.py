"""Class 3 of the hardening issue: the kernel cache loads only what it verified.

Each case runs a fresh process (the cache's state is per process) on a copy of one warmed cache
directory, tampers with the copy, and checks that the run still gives HH's spike count, that
nothing planted executed (planted code writes a marker file) and that the cache repaired itself.
"""

from __future__ import annotations

import importlib.util
import os
import py_compile
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ionzoo.backends.numba import cache

# every case runs fresh processes (about 2 s each): the slow tier
pytestmark = pytest.mark.slow

RUN = ("import warnings, ionzoo as iz\n"
       "warnings.simplefilter('default')\n"
       "r = iz.simulate(iz.models.hh1952(), iz.stimulus.step(10.0), t_stop=50.0, dt=0.025)\n"
       "print('spikes', int(r.spike_count), repr(float(r.v[-1])))\n")


def _run(cache_dir: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "IONZOO_CACHE_DIR": str(cache_dir)}
    env.pop("NUMBA_CACHE_DIR", None)
    return subprocess.run([sys.executable, "-c", RUN], env=env, capture_output=True, text=True,
                          timeout=600)


@pytest.fixture(scope="module")
def warm(tmp_path_factory):
    """A cache directory holding HH's kernels and Numba's machine code for them, and the spike
    count the clean cache gives."""
    d = tmp_path_factory.mktemp("warm")
    proc = _run(d)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert list(d.glob("ionzoo_k_*.py")) and list(d.glob("__pycache__/*.nbi"))
    return d, proc.stdout.strip()


@pytest.fixture
def copy(warm, tmp_path):
    d = tmp_path / "cache"
    shutil.copytree(warm[0], d)
    d.chmod(0o700)
    return d


def _check(copy: Path, warm, marker: Path | None = None) -> subprocess.CompletedProcess:
    proc = _run(copy)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.strip() == warm[1]
    if marker is not None:
        assert not marker.exists(), "planted code ran"
    return proc


def _payload(marker: Path) -> str:
    return f"import pathlib\npathlib.Path({str(marker)!r}).write_text('ran')\n"


def test_planted_bytecode_is_never_loaded(copy, warm, tmp_path):
    marker = tmp_path / "PWNED_pyc"
    for src in copy.glob("ionzoo_k_*.py"):
        evil = tmp_path / "evil.py"
        evil.write_text(_payload(marker) + src.read_text())
        target = Path(importlib.util.cache_from_source(str(src)))
        py_compile.compile(str(evil), cfile=str(target), dfile=str(src))
        # make the planted bytecode look current to a normal import (same mtime and size)
        st = src.stat()
        os.utime(evil, (st.st_atime, st.st_mtime))
        py_compile.compile(str(evil), cfile=str(target), dfile=str(src),
                           invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH)
    _check(copy, warm, marker)


def test_edited_module_source_is_rewritten_not_run(copy, warm, tmp_path):
    marker = tmp_path / "PWNED_py"
    for src in copy.glob("ionzoo_k_*.py"):
        src.write_text(_payload(marker) + src.read_text())
    _check(copy, warm, marker)
    for src in copy.glob("ionzoo_k_*.py"):
        assert "PWNED" not in src.read_text()


@pytest.mark.parametrize("damage", ["truncate", "not_utf8", "empty"])
def test_damaged_module_source_is_repaired(copy, warm, damage):
    for src in copy.glob("ionzoo_k_*.py"):
        data = src.read_bytes()
        src.write_bytes({"truncate": data[: len(data) // 3], "not_utf8": b"\xff\xfe" + data,
                         "empty": b""}[damage])
    _check(copy, warm)
    _check(copy, warm)  # and the repair holds for the next process


@pytest.mark.parametrize("damage", ["truncate", "garbage", "empty"])
def test_corrupt_numba_entries_are_rebuilt(copy, warm, damage):
    files = list(copy.glob("__pycache__/*.nb[ic]"))
    assert files
    for f in files:
        data = f.read_bytes()
        f.write_bytes({"truncate": data[: len(data) // 2], "garbage": os.urandom(300),
                       "empty": b""}[damage])
    _check(copy, warm)
    _check(copy, warm)


def test_cache_writable_by_others_is_not_trusted(copy, warm, tmp_path):
    # a pickle that would run code if Numba unpickled it, planted as every index
    marker = tmp_path / "PWNED_pickle"

    class Evil:
        def __reduce__(self):
            return (exec, (_payload(marker),))

    import pickle
    for f in copy.glob("__pycache__/*.nbi"):
        f.write_bytes(pickle.dumps(Evil()))
    copy.chmod(0o777)
    proc = _check(copy, warm, marker)
    assert "writable by other users" in proc.stderr


def test_key_covers_code_that_shapes_the_kernels(monkeypatch):
    base = cache.code_version.__wrapped__()
    monkeypatch.setattr(cache, "__version__", "0.0.0+other")
    assert cache.code_version.__wrapped__() != base
    monkeypatch.undo()
    real = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes",
                        lambda self: real(self) + b"# edited" if self.name == "fastmath.py"
                        else real(self))
    assert cache.code_version.__wrapped__() != base


def test_new_cache_directory_is_private(tmp_path, monkeypatch):
    monkeypatch.setenv("IONZOO_CACHE_DIR", str(tmp_path / "new" / "kernels"))
    d = cache.cache_dir()
    assert cache.private_problem(d) is None
    assert d.stat().st_mode & 0o077 == 0
