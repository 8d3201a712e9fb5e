"""Running a sweep on Dask: chunks as tasks, results written by the client as they finish.

The client (this process) owns the store: workers only compute and return arrays, so a
cluster across machines needs no shared file system, and a worker killed mid-chunk loses
nothing that was recorded (Dask reruns its task, ``retries``). Killing the client loses only
the chunks in flight; running the same command again skips every chunk whose record exists.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..errors import ValidationError
from .chunk import run_chunk
from .design import n_models
from .spec import SweepSpec, load_spec
from .store import SweepStore

__all__ = ["run_sweep", "sweep_status"]

#: Default models per chunk.
DEFAULT_CHUNK = 256
#: How often Dask reruns a chunk whose worker died.
RETRIES = 3


def _client(workers: int | None, scheduler: str | None, threads: int, processes: bool):
    from distributed import Client, LocalCluster

    if scheduler is not None:
        if workers is not None:
            raise ValidationError("workers", "give either --workers or --scheduler, not both")
        return Client(scheduler, timeout="30s"), None
    n = workers if workers is not None else max(1, (os.cpu_count() or 1) // threads)
    cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=processes,
                           dashboard_address=None, silence_logs=40)
    return Client(cluster), cluster


def _check_out(path: Path) -> None:
    """Before any work: the store (or its folder, for a new one) takes a file — tried with a
    probe file, which also catches what permission bits do not say (root, read-only mounts)."""
    import tempfile

    target = path if path.is_dir() else (path.parent if str(path.parent) else Path("."))
    if not target.is_dir():
        return                                   # create_or_check names the missing folder
    try:
        fd, probe = tempfile.mkstemp(dir=target, prefix=".ionzoo-probe-")
    except OSError as exc:
        raise ValidationError("out", f"{str(path)!r}: {str(target)!r} is not writable "
                              f"({exc.strerror})") from None
    os.close(fd)
    os.unlink(probe)


def run_sweep(spec: SweepSpec | str | Path | dict, out: str | Path, *,
              workers: int | None = None, scheduler: str | None = None,
              chunk_size: int | None = None, threads: int = 1, processes: bool = True,
              progress: bool | Callable[[int, int], None] = True) -> SweepStore:
    """Run (or resume) ``spec`` into the Zarr store ``out``.

    ``workers``: local worker processes (default: one per ``threads`` cores);
    ``scheduler``: the address of a running Dask scheduler instead (``tcp://host:8786``);
    ``chunk_size``: models per task (default 256; fixed once the store exists);
    ``threads``: kernel threads per worker; ``processes=False``: local workers as threads
    of this process (the kernels release the GIL) — for notebooks and scripts without an
    ``if __name__ == "__main__"`` guard, which worker processes would re-run;
    ``progress``: a tqdm bar, ``False``, or a
    callable receiving (finished chunks, all chunks). Everything is checked — the spec, every
    parameter path, the output folder, a store of another spec — before any work starts.
    """
    spec = spec if isinstance(spec, SweepSpec) else load_spec(spec)
    neuron = spec.neuron()                          # model and every path, before any work
    n = n_models(spec)
    store = SweepStore(out)
    _check_out(store.path)
    if chunk_size is None:
        chunk_size = store.meta()["chunk_size"] if (store.path / "zarr.json").exists() \
            else DEFAULT_CHUNK
    if isinstance(chunk_size, bool) or not isinstance(chunk_size, int) or chunk_size < 1:
        raise ValidationError("chunk_size", f"must be an integer >= 1, got {chunk_size!r}")
    if isinstance(threads, bool) or not isinstance(threads, int) or threads < 1:
        raise ValidationError("threads", f"must be an integer >= 1, got {threads!r}")
    meta = store.create_or_check(spec, chunk_size)
    finished = store.done()
    todo = [i for i in range(meta["n_chunks"]) if i not in finished]
    store.log(f"run: {len(finished)} of {meta['n_chunks']} chunks already finished, "
              f"{len(todo)} to compute")
    if todo:
        _compute(spec, neuron, store, todo, n, chunk_size,
                 (workers, scheduler, threads, processes), progress,
                 meta["n_chunks"] - len(todo), meta["n_chunks"])
    store.log("complete" if len(store.done()) == meta["n_chunks"] else "stopped")
    return store


def _compute(spec: SweepSpec, neuron: Any, store: SweepStore, todo: list[int], n: int,
             size: int, where: tuple[int | None, str | None, int, bool], progress: Any,
             already: int, total: int) -> None:
    from distributed import as_completed

    workers, scheduler, threads, processes = where
    client, cluster = _client(workers, scheduler, threads, processes)
    bar = _bar(progress, already, total)
    try:
        futures = {}
        tag = store.meta()["digest"][:12]
        for i in todo:
            fut = client.submit(run_chunk, spec, i * size, min((i + 1) * size, n), threads,
                                neuron, key=f"ionzoo-chunk-{tag}-{i}",
                                retries=RETRIES, pure=False)
            futures[fut] = i
        done = already
        for fut in as_completed(futures):
            i = futures[fut]
            result = fut.result()
            t0 = time.perf_counter()
            store.write_chunk(spec, i, result)
            store.log(f"chunk {i} computed in {result['seconds']:.2f} s, written in "
                      f"{time.perf_counter() - t0:.2f} s")
            done += 1
            bar(done)
            fut.release()
    finally:
        bar(None)
        client.close()
        if cluster is not None:
            cluster.close()


def _bar(progress: Any, already: int, total: int) -> Callable[[int | None], None]:
    if callable(progress):
        return lambda k: None if k is None else progress(k, total)
    if not progress:
        return lambda k: None
    from tqdm import tqdm

    bar = tqdm(total=total, initial=already, unit="chunk", desc="sweep", smoothing=0.1)
    state = {"last": already}

    def update(k: int | None) -> None:
        if k is None:
            bar.close()
            return
        bar.update(k - state["last"])
        state["last"] = k

    return update


def sweep_status(path: str | Path) -> dict[str, Any]:
    """Progress of the store at ``path``: models, chunks finished and missing, the model, the
    design kind, the version that created it, and the computing time recorded so far (s)."""
    import json

    store = SweepStore(path)
    meta = store.meta()
    done = store.done()
    seconds = 0.0
    for i in done:
        try:
            seconds += float(json.loads((store.path / "_done" / f"{i}.json").read_text())
                             ["seconds"])
        except (OSError, ValueError, KeyError, TypeError):
            pass
    return {"store": str(store.path), "model": meta["spec"]["model"],
            "design": meta["spec"]["design"]["kind"], "n_models": meta["n_models"],
            "chunk_size": meta["chunk_size"], "n_chunks": meta["n_chunks"],
            "chunks_done": len(done), "chunks_missing": meta["n_chunks"] - len(done),
            "complete": len(done) == meta["n_chunks"], "compute_seconds": round(seconds, 3),
            "ionzoo_version": meta["ionzoo_version"], "created": meta["created"]}
