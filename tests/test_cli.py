"""The `ionzoo` command through its real entry points: the installed console script (subprocess)
and ionzoo.cli.main (the same function, in-process)."""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import ionzoo as iz
from ionzoo.cli import main, parse_currents

EXE = Path(sys.executable).with_name("ionzoo")


def run_exe(*args):
    return subprocess.run([str(EXE), *args], capture_output=True, text=True)


def test_run_json_matches_python_api(hh):
    proc = run_exe("run", "hh1952", "--current", "10", "--t-stop", "50", "--dt", "0.01",
                   "--json")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    res = iz.simulate(hh, iz.stimulus.step(10.0), t_stop=50.0, dt=0.01)
    (neuron,) = out["neurons"]
    assert neuron["spike_times_ms"] == res.spike_trains()[0].tolist()
    assert neuron["spike_count"] == 4
    assert neuron["peak_mv"] == pytest.approx(float(res.v.max()))
    assert out["method"] == "crank_nicolson" and out["dt_ms"] == 0.01


@pytest.mark.parametrize("args, needle", [
    (["run", "nosuchmodel"], "unknown model 'nosuchmodel'"),
    (["run", "hh1952", "--set", "Na.gbar=abc"], "not a number"),
    (["run", "hh1952", "--set", "Nav.gbar=1"], "unknown channel"),
    (["run", "hh1952", "--set", "Na.gbar"], "PATH=VALUE"),
    (["run", "hh1952", "--dt", "-0.01"], "--dt: must be > 0"),
    (["run", "hh1952", "--current", "5:0:1"], "no points"),
    (["run", "hh1952", "--current", "abc"], "--current"),
    (["run", "hh1952", "--method", "rk4"], "rk4"),
    (["channels", "show", "nope"], "unknown channel 'nope'"),
    (["plot", "gating", "hh1952", "--out", "x.jpg"], ".png, .pdf or .svg"),
])
def test_bad_input_is_one_line_and_nonzero(args, needle):
    proc = run_exe(*args)
    assert proc.returncode != 0
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("ionzoo: error:") and needle in lines[0]
    assert "Traceback" not in proc.stderr + proc.stdout


def test_current_ranges():
    np.testing.assert_array_equal(parse_currents("0:20:5"), [0, 5, 10, 15, 20])
    np.testing.assert_array_equal(parse_currents("0,2.5, 7"), [0, 2.5, 7])
    np.testing.assert_array_equal(parse_currents("3"), [3])


def test_batch_run_and_outputs(tmp_path, capsys):
    nc, png = tmp_path / "run.nc", tmp_path / "run.png"
    assert main(["run", "hh1952", "--current", "0:20:5", "--t-stop", "30", "--json",
                 "--save", str(nc), "--plot", str(png), "--temperature", "10"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [n["current_uA_cm2"] for n in out["neurons"]] == [0, 5, 10, 15, 20]
    assert out["temperature_degC"] == 10.0
    back = iz.load_result(nc)
    assert back.spike_count.values.tolist() == [n["spike_count"] for n in out["neurons"]]
    assert png.stat().st_size > 10_000


def test_human_summary(capsys):
    assert main(["run", "hh1952", "--current", "10", "--t-stop", "50"]) == 0
    text = capsys.readouterr().out
    assert "spikes" in text and "AHP (mV)" in text and "hh1952" in text


def test_listing_and_showing(capsys, tmp_path):
    assert main(["models"]) == 0
    assert "hh1952" in capsys.readouterr().out
    assert main(["channels"]) == 0
    listing = capsys.readouterr().out
    assert "hh1952.Na" in listing and "hh1952.K" in listing and "Hodgkin" in listing
    png = tmp_path / "na.png"
    assert main(["channels", "show", "hh1952.Na", "--plot", str(png)]) == 0
    shown = capsys.readouterr().out
    for needle in ("m^3", "Na.gbar = 120 mS/cm²", "Q10 = 3", "hh.mod", "6.3 °C"):
        assert needle in shown, needle
    assert png.exists()


@pytest.mark.parametrize("cmd", [
    ["plot", "gating", "hh1952"],
    ["plot", "mechanism", "hh1952", "--current", "20", "--t-stop", "20"],
    ["plot", "phase", "hh1952", "--current", "5,10", "--t-stop", "40", "--y", "Na.m**3*Na.h"],
    ["plot", "traces", "hh1952", "--current", "0:20:10", "--t-stop", "30"],
])
def test_plot_commands(cmd, tmp_path):
    out = tmp_path / "fig.svg"
    assert main([*cmd, "--out", str(out)]) == 0
    assert out.read_text().lstrip().startswith("<?xml")


def test_help_everywhere():
    for args in (["--help"], ["run", "--help"], ["plot", "--help"], ["plot", "phase", "--help"],
                 ["channels", "show", "--help"], ["--version"]):
        assert main(args) == 0


def test_analysis_commands(capsys, tmp_path):
    from ionzoo.analysis import fi_curve, trace_features

    assert main(["rheobase", "hh1952", "--lo", "0", "--hi", "20", "--json"]) == 0
    rb = json.loads(capsys.readouterr().out)
    assert abs(rb["rheobase_uA_cm2"] - 6.26) < 0.01
    png = tmp_path / "fi.png"
    assert main(["fi", "hh1952", "--currents", "0:20:5", "--t-stop", "500", "--json",
                 "--plot", str(png)]) == 0
    fi = json.loads(capsys.readouterr().out)
    ref = fi_curve(iz.models.hh1952(), [0, 5, 10, 15, 20], t_stop=500.0)
    assert fi["rate_hz"]["step"] == ref.rate.values.tolist() and png.exists()
    assert main(["features", "hh1952", "--current", "0,10", "--delay", "20", "--duration",
                 "200", "--t-stop", "250", "--json"]) == 0
    feats = json.loads(capsys.readouterr().out)
    silent, firing = feats["neurons"]
    assert silent["time_to_first_spike"] is None and "no spike" in silent["reasons"][
        "time_to_first_spike"]
    res = iz.simulate(iz.models.hh1952(), iz.stimulus.step(10.0, 20.0, 220.0), t_stop=250.0)
    mine, _ = trace_features(res.t, res.v.values, 20.0, 220.0)
    assert firing["spike_count"] == mine["spike_count"] == 14
    assert main(["features", "hh1952", "--current", "10"]) == 2  # needs --duration


def test_seed_exercise_commands(capsys, tmp_path):
    """f–I with hysteresis, temperature and dose–response: one command each, with a figure,
    and the same numbers as the Python calls."""
    from ionzoo.analysis import dose_response, temperature_sweep

    hh = iz.models.hh1952()
    fig = tmp_path / "fi.png"
    assert main(["fi", "hh1952", "--currents", "7,8", "--protocol", "rest", "--protocol",
                 "train", "--from-current", "12", "--t-stop", "1500", "--json", "--plot",
                 str(fig)]) == 0
    fi = json.loads(capsys.readouterr().out)
    assert fi["rate_hz"]["rest"] == [0.0, 0.0]          # rest is stable at 7 and 8 µA/cm²
    assert min(fi["rate_hz"]["train"]) > 40.0           # ... and so is firing: bistability
    assert fig.stat().st_size > 0
    fig = tmp_path / "temp.png"
    assert main(["temperature", "hh1952", "--temperatures", "6.3,16.3", "--current", "20",
                 "--json", "--plot", str(fig)]) == 0
    t = json.loads(capsys.readouterr().out)
    ref = temperature_sweep(hh, [6.3, 16.3], 20.0)
    np.testing.assert_allclose(t["spike_half_width"], ref.spike_half_width.values, rtol=1e-12)
    assert t["spike_half_width"][1] < t["spike_half_width"][0] and fig.stat().st_size > 0
    fig = tmp_path / "dose.png"
    assert main(["dose-response", "hh1952", "--drug", "TTX", "--concentrations",
                 "0,12,1uM", "--json", "--plot", str(fig)]) == 0
    d = json.loads(capsys.readouterr().out)
    ref = dose_response(hh, "TTX", [0, 12, 1000], 10.0)
    assert d["concentration"] == [0.0, 12.0, 1000.0] and d["unit"] == "nM"
    assert d["fraction_blocked"][1] == pytest.approx(0.5)
    assert d["spike_count"] == ref.spike_count.values.tolist() and fig.stat().st_size > 0
    fig = tmp_path / "feat.png"
    assert main(["features", "hh1952", "--current", "10", "--delay", "20", "--duration", "100",
                 "--t-stop", "140", "--plot", str(fig)]) == 0
    assert fig.stat().st_size > 0


@pytest.mark.parametrize("args, needle", [
    (["dose-response", "hh1952", "--drug", "curare", "--concentrations", "1"], "unknown drug"),
    (["dose-response", "hh1952", "--drug", "TTX", "--concentrations", "0,-1"], ">= 0"),
    (["dose-response", "hh1952", "--drug", "TTX", "--concentrations", ","], "no concentr"),
    (["dose-response", "hh1952", "--drug", "ZD7288", "--concentrations", "1"], "'h'"),
    (["temperature", "hh1952", "--temperatures", "25:6:1"], "no points"),
    (["fi", "hh1952", "--currents", "5:1:1"], "no points"),
])
def test_seed_commands_refuse_bad_input(args, needle, capsys):
    assert main(args) == 2
    err = capsys.readouterr().err
    assert needle in err and err.count("\n") == 1


def test_bare_ionzoo_prints_its_help_and_succeeds():
    proc = run_exe()
    assert proc.returncode == 0 and "Usage: ionzoo" in proc.stdout and not proc.stderr


@pytest.mark.parametrize("args, hint", [
    (["run", "hh1952x"], "did you mean 'hh1952'?"),
    (["run", "hh1952", "--set", "Na.gbr=1"], "did you mean 'gbar'?"),
    (["run", "hh1952", "--set", "Nav.gbar=1"], "did you mean 'Na'?"),
])
def test_misspelt_names_get_a_suggestion(args, hint):
    proc = run_exe(*args)
    assert proc.returncode == 2 and hint in proc.stderr and "Traceback" not in proc.stderr


def test_save_chooses_the_format_by_suffix(tmp_path, capsys):
    """--save .csv: time then one column per neuron, equal to the result's traces to the last
    bit (repr); --save-summary .csv/.json: the summary rows; another suffix is refused before
    the run."""
    out = tmp_path / "v.csv"
    assert main(["run", "hh1952", "--current", "0,10", "--t-stop", "20", "--save", str(out),
                 "--save-summary", str(tmp_path / "s.csv")]) == 0
    lines = out.read_text().splitlines()
    assert lines[0] == 'time_ms,"v[amplitude=0] (mV)","v[amplitude=10] (mV)"'
    table = np.array([[float(x) for x in ln.split(",")] for ln in lines[1:]])
    ref = iz.simulate(iz.models.hh1952(), iz.stimulus.step(np.array([0.0, 10.0])),
                      t_stop=20.0, dt=0.025)
    assert np.array_equal(table[:, 0], ref.t)
    assert np.array_equal(table[:, 1:].T, ref.v.values)
    summary = (tmp_path / "s.csv").read_text().splitlines()
    assert summary[0].startswith("current_uA_cm2,spike_count,spike_times_ms")
    assert summary[2].split(",")[1] == str(int(ref.spike_count.values[1]))
    assert main(["run", "hh1952", "--t-stop", "5", "--save-summary",
                 str(tmp_path / "s.json")]) == 0
    assert json.loads((tmp_path / "s.json").read_text())[0]["current_uA_cm2"] == 10.0
    capsys.readouterr()
    assert main(["run", "hh1952", "--t-stop", "5", "--save", str(tmp_path / "v.txt")]) == 2
    assert ".csv" in capsys.readouterr().err and not (tmp_path / "v.txt").exists()


def test_current_in_nanoamperes_uses_the_cells_area(capsys):
    """'0.75nA' on Pospischil RS (area 28 953 µm²) is cell.density(0.75) µA/cm²; on a cell
    without an area it is refused with the reason."""
    cell = iz.models.pospischil.rs()
    assert main(["run", "pospischil_rs", "--current", "0.5:1:0.25nA", "--t-stop", "50",
                 "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)["neurons"]
    got = [r["current_uA_cm2"] for r in rows]
    assert got == [float(cell.density(x)) for x in (0.5, 0.75, 1.0)]
    assert main(["run", "pospischil_rs", "--current", "750pA", "--t-stop", "5",
                 "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["neurons"][0]["current_uA_cm2"] == \
        float(cell.density(0.75))
    assert main(["run", "hh1952", "--current", "1nA", "--t-stop", "5"]) == 2
    assert "needs the cell's area" in capsys.readouterr().err


def test_the_command_line_starts_without_numba_or_xarray():
    """`ionzoo --help` and `ionzoo models` stay light (issue #14's ≤ 0.5 s start-up, measured
    by `benchmarks/run.py --cli-only`): importing the CLI and building the zoo's models loads
    neither Numba nor xarray (0.2 s and 0.3 s of imports); the first simulation does."""
    import subprocess
    import sys

    code = ("import sys, ionzoo.cli; from ionzoo.cli import main; main(['models']); "
            "print(sorted(m for m in ('numba', 'xarray', 'pandas', 'scipy.optimize') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip().splitlines()[-1]
    assert out == "[]"
