"""Sweeps on Dask into Zarr (``ionzoo.sweep``): designs, chunking independence, kill-and-resume
of the client and of a worker, refusal of bad specs before any work, ``--where``.

The sweep: 288 Prinz STG models (a grid over Na, CaS, KCa, A and H), 20 s each at backward
Euler dt = 0.05 ms, 9 chunks of 32 on a local cluster of 2 worker processes."""

import json
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest
import yaml

import ionzoo as iz
from ionzoo.errors import ValidationError
from ionzoo.sweep import (
    class_fractions,
    design_rows,
    load_spec,
    n_models,
    open_sweep,
    run_chunk,
    run_sweep,
    sweep_status,
    where_mask,
)

SPEC = {"model": "prinz_stg", "t_stop": 20000.0, "dt": 0.05,
        "design": {"kind": "grid", "axes": {
            "Na.gbar": [100.0, 400.0], "CaS.gbar": [0.0, 2.0, 4.0, 6.0, 8.0, 10.0],
            "KCa.gbar": [0.0, 5.0, 10.0, 15.0, 20.0, 25.0], "A.gbar": [0.0, 40.0],
            "H.gbar": [0.01, 0.04]}},
        "analysis": {"start": 5000.0}}
CLI = [sys.executable, "-m", "ionzoo", "sweep", "run"]


def data_files(store: Path) -> dict[str, bytes]:
    """Every byte of the arrays (metadata and chunks), without the root attributes (they hold
    the creation time), the records and the log."""
    out = {}
    for p in sorted(store.rglob("*")):
        rel = p.relative_to(store).as_posix()
        if p.is_file() and "/" in rel and not rel.startswith("_done/"):
            out[rel] = p.read_bytes()
    return out


def finished(store: Path) -> int:
    return len(list((store / "_done").glob("*.json"))) if (store / "_done").is_dir() else 0


def log_chunks(store: Path) -> list[int]:
    lines = (store / "sweep.log").read_text().splitlines()
    return [int(ln.split("chunk ")[1].split()[0]) for ln in lines if " chunk " in ln]


@pytest.fixture(scope="module")
def spec_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("spec") / "stg.yaml"
    path.write_text(yaml.safe_dump(SPEC, sort_keys=False))
    return path


@pytest.fixture(scope="module")
def reference(spec_file, tmp_path_factory):
    """The uninterrupted run: 2 workers × chunks of 32."""
    out = tmp_path_factory.mktemp("ref") / "db.zarr"
    run_sweep(spec_file, out, workers=2, chunk_size=32, progress=False)
    return out


def test_designs():
    grid = load_spec(SPEC)
    assert n_models(grid) == 288
    rows = design_rows(grid, 0, 288)
    assert rows.shape == (288, 5)
    assert rows[1].tolist() == [100.0, 0.0, 0.0, 0.0, 0.04]      # last axis fastest
    assert rows[287].tolist() == [400.0, 10.0, 25.0, 40.0, 0.04]
    assert np.array_equal(design_rows(grid, 100, 140), rows[100:140])
    for kind in ("random", "sobol"):
        s = load_spec({**SPEC, "design": {"kind": kind, "n": 10000, "seed": 3,
                                          "ranges": {"CaS.gbar": [0, 10], "A.gbar": [5, 50]}}})
        whole = design_rows(s, 0, 10000)
        assert np.array_equal(design_rows(s, 4093, 8200), whole[4093:8200])   # any cut
        assert whole[:, 0].min() >= 0 and whole[:, 0].max() <= 10
        assert whole[:, 1].min() >= 5 and whole[:, 1].max() <= 50
        # uniform: each tenth of the range holds 10 % of the points (χ², α = 0.001)
        counts = np.histogram(whole[:, 0], bins=10, range=(0, 10))[0]
        assert np.sum((counts - 1000.0) ** 2 / 1000.0) < 27.88
    lst = load_spec({**SPEC, "design": {"kind": "list", "values": {"CaS.gbar": [1, 2, 3]}}})
    assert design_rows(lst, 1, 3).tolist() == [[2.0], [3.0]]


def test_a_chunk_is_one_batched_simulation():
    """run_chunk's class and features equal those of simulate + activity on the same
    models."""
    spec = load_spec({**SPEC, "t_stop": 6000.0, "analysis": {"start": 2000.0}})
    got = run_chunk(spec, 40, 48)
    rows = design_rows(spec, 40, 48)
    import xarray as xr

    cell = iz.models.prinz_stg().with_params(
        {p: xr.DataArray(rows[:, j], dims="model") for j, p in
         enumerate(spec.design_parameters())})
    res = iz.simulate(cell, None, t_stop=6000.0, dt=0.05, method="backward_euler",
                      record=None, max_spikes=3002)
    act = iz.analysis.activity(res, start=2000.0)
    assert np.array_equal(got["class_code"], act["class_code"].values)
    assert np.array_equal(got["burst_period"], act["burst_period"].values, equal_nan=True)
    assert np.array_equal(got["spike_count"], res.spike_count.values)


@pytest.mark.slow
def test_results_do_not_depend_on_chunking_or_workers(reference, spec_file, tmp_path):
    """1 worker × chunks of 64 and 2 workers × chunks of 17 give the same values, bit for bit,
    as the reference (2 × 32)."""
    ref = open_sweep(reference, grid=False)
    for workers, size in ((1, 64), (2, 17)):
        out = tmp_path / f"db_{workers}_{size}.zarr"
        run_sweep(spec_file, out, workers=workers, chunk_size=size, progress=False)
        got = open_sweep(out, grid=False)
        for name in ref.data_vars:
            assert np.array_equal(got[name].values, ref[name].values,
                                  equal_nan=got[name].dtype.kind == "f"), name
    assert set(np.unique(ref["class"].values)) >= {"silent", "tonic", "regular_bursting"}
    assert ref["complete"].all()


@pytest.mark.slow
def test_killed_client_resumes_without_recomputing(reference, spec_file, tmp_path):
    """The client SIGKILLs itself right after its third chunk is recorded (other chunks in
    flight); the same command again computes only the missing chunks, and the store equals
    the uninterrupted run's byte for byte."""
    out = tmp_path / "db.zarr"
    script = textwrap.dedent(f"""
        import os, signal
        from ionzoo.sweep import run_sweep
        def progress(done, total):
            if done >= 3:
                os.kill(os.getpid(), signal.SIGKILL)
        if __name__ == "__main__":
            run_sweep({str(spec_file)!r}, {str(out)!r}, workers=2, chunk_size=32,
                      progress=progress)
        """)
    (tmp_path / "client.py").write_text(script)
    proc = subprocess.run([sys.executable, str(tmp_path / "client.py")], cwd=tmp_path,
                          start_new_session=True, capture_output=True, timeout=600)
    assert proc.returncode == -signal.SIGKILL
    first = set(log_chunks(out))
    assert len(first) == 3 and sweep_status(out)["chunks_done"] == 3
    time.sleep(1.0)                      # let the orphaned workers notice and exit
    proc = subprocess.run([*CLI, str(spec_file), "--out", str(out), "--workers", "2",
                           "--no-progress"], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    second = log_chunks(out)[3:]
    assert sorted(second) == sorted(set(range(9)) - first)      # nothing finished ran twice
    assert "3 of 9 chunks already finished, 6 to compute" in (out / "sweep.log").read_text()
    assert data_files(out) == data_files(reference)
    assert sweep_status(out)["complete"]


@pytest.mark.slow
def test_killed_worker_is_retried(reference, spec_file, tmp_path):
    """One worker process SIGKILLed while it computes a chunk: Dask reruns that chunk on a
    new worker, and the store equals the uninterrupted run's byte for byte."""
    import psutil

    out = tmp_path / "db.zarr"
    proc = subprocess.Popen([*CLI, str(spec_file), "--out", str(out), "--workers", "2",
                             "--chunk-size", "32", "--no-progress"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.time() + 300
        while time.time() < deadline and finished(out) == 0:
            time.sleep(0.05)
        assert sweep_status(out)["chunks_missing"] > 2       # mid-sweep
        victims = [p for p in psutil.Process(proc.pid).children(recursive=True)
                   if "spawn_main" in " ".join(p.cmdline()) and p.cpu_percent(0.2) > 50]
        assert victims, "no busy worker found"
        victims[0].send_signal(signal.SIGKILL)
        _, err = proc.communicate(timeout=600)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert sorted(log_chunks(out)) == list(range(9))
    assert data_files(out) == data_files(reference)


def test_bad_input_is_refused_before_any_work(spec_file, tmp_path, reference):
    cases = [({**SPEC, "design": {"kind": "grid", "axes": {"Na.gbarr": [1.0]}}},
              "no parameter 'gbarr' — did you mean 'gbar'"),
             ({**SPEC, "design": {"kind": "sobol", "n": 10, "ranges": {"Na.gbar": [5, 5]}}},
              "range of 'Na.gbar' is empty"),
             ({**SPEC, "design": {"kind": "grid", "axes": {"Na.gbar": []}}}, "axes"),
             ({**SPEC, "dt": 0.03}, "multiple of dt"),
             ({**SPEC, "model": "prinz_stgg"}, "did you mean 'prinz_stg'"),
             ({**SPEC, "colour": "red"}, "colour"),
             ({**SPEC, "analysis": {"start": 1e6}}, "before t_stop")]
    for doc, message in cases:
        with pytest.raises(ValidationError, match=message):
            run_sweep(doc, tmp_path / "never.zarr", workers=1, progress=False)
        assert not (tmp_path / "never.zarr").exists()
    other = {**SPEC, "t_stop": 10000.0}
    axes = SPEC["design"]["axes"]
    reordered = {**SPEC, "design": {"kind": "grid", "axes": dict(reversed(axes.items()))}}
    for doc in (other, reordered):
        with pytest.raises(ValidationError, match="different sweep"):
            run_sweep(doc, reference, workers=1, progress=False)
    with pytest.raises(ValidationError, match="chunks of 32"):
        run_sweep(spec_file, reference, workers=1, chunk_size=16, progress=False)
    # /proc takes no new file, not even from root (permission bits would not say so)
    with pytest.raises(ValidationError, match="not writable"):
        run_sweep(spec_file, "/proc/ionzoo-db.zarr", workers=1, progress=False)
    with pytest.raises(ValidationError, match="does not exist"):
        run_sweep(spec_file, tmp_path / "no" / "db.zarr", workers=1, progress=False)
    (tmp_path / "bad.yaml").write_text("model: [unclosed")
    with pytest.raises(ValidationError, match="YAML"):
        load_spec(tmp_path / "bad.yaml")


def test_store_reads_back_as_a_grid_and_filters(reference):
    ds = open_sweep(reference)
    assert ds["class"].dims == ("Na.gbar", "CaS.gbar", "KCa.gbar", "A.gbar", "H.gbar")
    assert ds["Na.gbar"].values.tolist() == [100.0, 400.0]
    attrs = json.loads(ds.attrs["spec"])
    assert attrs["t_stop"] == 20000.0 and ds.attrs["ionzoo_version"] == iz.__version__
    flat = open_sweep(reference, grid=False)
    mask = where_mask("class == 'bursting' and Na.gbar >= 400", flat)
    expected = np.isin(flat["class"].values, ["regular_bursting", "irregular_bursting"]) & \
        (flat["Na.gbar"].values >= 400)
    assert np.array_equal(mask, expected) and mask.any()
    assert np.array_equal(where_mask("not (spike_count > 0) or class == 'silent'", flat),
                          ~(flat["spike_count"].values > 0) | (flat["class"].values == "silent"))
    frac = class_fractions(flat)
    assert int(frac["count"].sum()) == 288
    assert np.all(frac["low"] <= frac["fraction"]) and np.all(frac["fraction"] <= frac["high"])
    for bad, message in [("class == 'bursty'", "unknown class"), ("Na.gbr > 1", "did you mean"),
                         ("__import__('os')", "cannot read|comparison"),
                         ("spike_count >", "ends too early"), ("(" * 30 + "x", "deeper|unknown")]:
        with pytest.raises(ValidationError, match=message):
            where_mask(bad, flat)


def test_cli_status_show_and_figure(reference, tmp_path):
    from ionzoo.cli import main

    assert main(["sweep", "status", str(reference), "--json"]) == 0
    assert main(["sweep", "show", str(reference), "--where", "class == 'tonic'",
                 "--limit", "3"]) == 0
    fig = tmp_path / "db.png"
    assert main(["sweep", "figure", str(reference), "--out", str(fig)]) == 0
    assert fig.stat().st_size > 10_000
    assert main(["sweep", "status", str(tmp_path)]) == 2           # not a store: one line


def test_hostile_specs_are_refused_before_any_work(tmp_path):
    """Text that looks like code stays text; sizes are checked before the work."""
    hostile = [
        ({**SPEC, "model": "prinz_stg; rm -rf ~"}, "neither a model name nor a model file"),
        ({**SPEC, "model": "__import__('os').system('id')"}, "neither a model name"),
        ({**SPEC, "design": {"kind": "grid", "axes": {"__import__('os')": [1.0]}}},
         "__import__"),
        ({**SPEC, "parameters": {"Na.gbar; import os": 1.0}}, "Na.gbar; import os"),
        ({**SPEC, "design": {"kind": "sobol", "n": 10 ** 9, "ranges": {"Na.gbar": [0, 1]}}},
         "design"),
        ({**SPEC, "design": {"kind": "grid", "axes": {
            f"{c}.gbar": [float(i) for i in range(20)]
            for c in ("Na", "CaT", "CaS", "A", "KCa", "Kd", "H")}}}, "limit"),
        ({**SPEC, "t_stop": "1e3; exit"}, "t_stop"),
        ({**SPEC, "design": {"kind": "grid", "axes": {"Na.gbar": ["x"]}}}, "axes"),
        ({**SPEC, "compute": ["class", "os.system"]}, "compute"),
    ]
    for doc, message in hostile:
        with pytest.raises(ValidationError, match=message):
            run_sweep(doc, tmp_path / "never.zarr", workers=1, progress=False)
        assert not (tmp_path / "never.zarr").exists()
    big = tmp_path / "big.yaml"
    big.write_text("model: prinz_stg\n# " + "x" * (1 << 20) + "\n")
    with pytest.raises(ValidationError, match="larger than"):
        load_spec(big)
    deep = tmp_path / "deep.yaml"
    deep.write_text("model: " + "[" * 5000 + "]" * 5000 + "\n")
    with pytest.raises(ValidationError, match="spec"):
        load_spec(deep)
    (tmp_path / "list.yaml").write_text("- 1\n- 2\n")
    with pytest.raises(ValidationError, match="mapping"):
        load_spec(tmp_path / "list.yaml")
