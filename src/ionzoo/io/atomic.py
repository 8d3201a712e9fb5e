"""Writing files so that nothing is lost: every file ionzoo writes (results, model files,
exports, figures) is written to a temporary file in the destination's folder, flushed to disk,
and renamed over the destination only when complete. An interrupted write (Ctrl-C, a killed
process, a full disk, an exception) leaves the previous file as it was; the temporary file is
removed where Python still runs (exceptions, Ctrl-C), and is named ``.<name>.<random>.tmp``
otherwise.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from ..errors import IonzooError, ValidationError

__all__ = ["WriteError", "atomic_path", "write_text_atomic", "write_bytes_atomic", "check_writable",
           "save_figure", "FIGURE_SUFFIXES"]



class WriteError(IonzooError, OSError):
    """A file could not be written (a full disk, a lost permission); the message says that the
    previous file at that path, if any, is unchanged."""


#: Figure formats ionzoo writes.
FIGURE_SUFFIXES = (".png", ".pdf", ".svg")


def check_writable(path: str | Path, field: str = "path",
                   suffixes: tuple[str, ...] | None = None) -> Path:
    """``path`` as a Path, after checking — before any work — that its folder exists and is
    writable, that it is not a folder itself, and (with ``suffixes``) that its suffix is one of
    them."""
    p = Path(path)
    if suffixes is not None and p.suffix.lower() not in suffixes:
        names = suffixes[0] if len(suffixes) == 1 else \
            ", ".join(suffixes[:-1]) + " or " + suffixes[-1]
        raise ValidationError(field, f"{str(p)!r}: use a {names} file name")
    folder = p.parent if str(p.parent) else Path(".")
    if not folder.is_dir():
        raise ValidationError(field, f"{str(p)!r}: the folder {str(folder)!r} does not exist")
    if p.is_dir():
        raise ValidationError(field, f"{str(p)!r} is a folder")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise ValidationError(field, f"{str(p)!r}: the folder is not writable")
    return p


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike) -> Iterator[Path]:
    """A temporary path beside ``path`` to write to; renamed onto ``path`` when the block
    finishes without an exception, removed otherwise."""
    dest = Path(path)
    folder = dest.parent if str(dest.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{dest.name}.", suffix=".tmp")
    os.close(fd)
    tmp_path = Path(tmp)
    with contextlib.suppress(OSError):  # the permissions a plain open() would have given
        os.chmod(tmp_path, dest.stat().st_mode & 0o7777 if dest.exists() else _new_file_mode())
    existed = dest.exists()
    try:
        yield tmp_path
        _fsync(tmp_path)
        os.replace(tmp_path, dest)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            tmp_path.unlink()
        if isinstance(exc, OSError) and not isinstance(exc, WriteError):
            kept = "the previous file is unchanged" if existed else "nothing was written"
            raise WriteError(f"{str(dest)!r}: could not write ({exc.strerror or exc}); "
                             f"{kept}") from exc
        raise


def _new_file_mode() -> int:
    """0o666 less the process's umask (read from /proc, without changing it; 0o644 where
    /proc is not available)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return 0o666 & ~int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    return 0o644


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_bytes_atomic(path: str | Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (see the module docstring)."""
    with atomic_path(path) as tmp, open(tmp, "wb") as fh:
        fh.write(data)


def write_text_atomic(path: str | Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` atomically."""
    write_bytes_atomic(path, text.encode("utf-8"))


def save_figure(fig, path: str | Path, dpi: int = 120) -> Path:
    """Save a matplotlib figure to ``path`` (.png, .pdf or .svg) atomically."""
    p = check_writable(path, "figure", FIGURE_SUFFIXES)
    with atomic_path(p) as tmp:
        fig.savefig(tmp, format=p.suffix[1:].lower(), dpi=dpi)
    return p
