"""Classes 6, 7 and 9 of the hardening issue: bad input is a field error, never a traceback, a
silent misreading, or a failure after the work.

* model files: each case is a small edit of a valid model file; loading it must raise a
  ValidationError whose message names the field (``where``) and the reason;
* misreadings: YAML 1.1 forms (octal ``-077``, sexagesimal ``6:30``, ``yes``/``on``),
  booleans written as strings, duplicate keys, ``params: 0`` — refused, not reinterpreted;
* the command line: one line on stderr starting ``ionzoo: error:``, a non-zero status, no
  traceback — and output paths refused *before* the simulation (timed against a run that would
  take far longer).
"""

from __future__ import annotations

import subprocess
import sys
import time

import numpy as np
import pytest

import ionzoo as iz
from ionzoo.cli import main
from ionzoo.errors import ValidationError
from ionzoo.interop import neuroml
from ionzoo.io import load, save

CELL = """ionzoo: 1
kind: neuron
name: cell
capacitance: 1.0
temperature: 6.3
v_init: -65.0
channels:
- name: K
  gbar: 36.0
  e: -77.0
  ion: k
  gates:
  - name: n
    power: 4
    alpha: "0.01 * (v + 55) / (1 - exp(-(v + 55) / 10))"
    beta: "0.125 * exp(-(v + 65) / 80)"
  temperature:
    q10: 3.0
    reference: 6.3
    conductance: false
- name: leak
  gbar: 0.3
  e: -54.4
  gates: []
"""


def _edit(old: str, new: str) -> str:
    assert old in CELL, old
    return CELL.replace(old, new, 1)


FILE_CASES = [
    # (what the case is, edited text, the field or reason the error must name)
    ("400-digit integer", _edit("gbar: 36.0", "gbar: " + "9" * 400), "gbar"),
    ("ion as a list", _edit("ion: k", "ion: [1, 2]"), "ion"),
    ("channel named stim0", _edit("- name: K", "- name: stim0"), "stim"),
    ("channel named v", _edit("- name: K", "- name: v"), "reserved"),
    ("name with a dot", _edit("name: cell", "name: a.b"), "name"),
    ("name with a quote", _edit("name: cell", "name: \"a'b\""), "name"),
    ("string capacitance", _edit("capacitance: 1.0", "capacitance: one"), "capacitance"),
    ("NaN gbar", _edit("gbar: 36.0", "gbar: .nan"), "gbar"),
    ("infinite e", _edit("e: -77.0", "e: .inf"), "e"),
    ("boolean power", _edit("power: 4", "power: true"), "power"),
    ("fractional power", _edit("power: 4", "power: 2.5"), "power"),
    ("negative gbar", _edit("gbar: 36.0", "gbar: -1"), "gbar"),
    ("gbar 1e30", _edit("gbar: 36.0", "gbar: 1e30"), "gbar"),
    ("temperature 1e4", _edit("temperature: 6.3\n", "temperature: 10000\n"), "temperature"),
    ("temperature below -20", _edit("temperature: 6.3\n", "temperature: -300\n"), "temperature"),
    ("capacitance 0", _edit("capacitance: 1.0", "capacitance: 0"), "capacitance"),
    ("q10 0", _edit("q10: 3.0", "q10: 0"), "q10"),
    ("unknown key", _edit("gbar: 36.0", "gbar: 36.0\n  gbr: 1"), "gbr"),
    ("missing gates name", _edit("  - name: n\n", "  - \n"), "name"),
    ("expression with a dunder", _edit('"0.125 * exp(-(v + 65) / 80)"', '"__import__"'),
     "dunder"),
    ("expression calling eval", _edit('"0.125 * exp(-(v + 65) / 80)"', '"eval(v)"'), "eval"),
    ("expression attribute", _edit('"0.125 * exp(-(v + 65) / 80)"', '"v.real"'), "beta"),
    ("expression unknown name", _edit('"0.125 * exp(-(v + 65) / 80)"', '"w + 1"'), "'w'"),
    ("expression syntax", _edit('"0.125 * exp(-(v + 65) / 80)"', '"(v +"'), "syntax"),
    ("channels not a list", CELL.split("channels:")[0] + "channels: 3\n", "channels"),
    ("top level a list", "- 1\n- 2\n", "mapping"),
    ("wrong version", _edit("ionzoo: 1", "ionzoo: 99"), "ionzoo"),
    ("empty file", "", "empty"),
    ("not UTF-8", "\udcff", "UTF-8"),
    ("tab indentation", CELL.replace("  gbar: 36.0", "\tgbar: 36.0"), "YAML"),
    # misreadings (class 7)
    ("boolean as a string", _edit("conductance: false", 'conductance: "false"'),
     "conductance"),
    ("YAML 1.1 boolean", _edit("conductance: false", "conductance: no"), "conductance"),
    ("duplicate key", _edit("gbar: 36.0", "gbar: 120\n  gbar: 0"), "duplicate"),
    ("YAML 1.1 octal", _edit("e: -77.0", "e: -077"), "e"),
    ("YAML 1.1 sexagesimal", _edit("temperature: 6.3\n", "temperature: 6:30\n"),
     "temperature"),
    ("params: 0", _edit("gbar: 36.0", "gbar: 36.0\n  params: 0"), "params"),
    ("alias", _edit("gbar: 36.0", "gbar: &g 36.0\n  e2: *g"), "alias"),
    ("merge key", _edit("gbar: 36.0", "<<: {gbar: 1}\n  gbar: 36.0"), "<<"),
]


@pytest.mark.parametrize("what,text,named", FILE_CASES, ids=[c[0] for c in FILE_CASES])
def test_model_file_errors_name_the_field(tmp_path, what, text, named):
    p = tmp_path / "cell.yaml"
    p.write_bytes(text.encode("utf-8", "surrogateescape"))
    with pytest.raises(ValidationError) as info:
        load(p)
    assert named.lower() in str(info.value).lower(), str(info.value)


def test_the_base_file_loads(tmp_path):
    p = tmp_path / "cell.yaml"
    p.write_text(CELL)
    assert [c.name for c in load(p).channels] == ["K", "leak"]


API_CASES = [
    ("step stop before start", lambda: iz.stimulus.step(10.0, start=50.0, stop=10.0), "stop"),
    ("record_every 0", lambda: iz.simulate(iz.models.hh1952(), 1.0, t_stop=1.0, dt=0.025,
                                           record_every=0), "record_every"),
    ("t_stop NaN", lambda: iz.simulate(iz.models.hh1952(), 1.0, t_stop=float("nan"),
                                       dt=0.025), "t_stop"),
    ("dt inf", lambda: iz.simulate(iz.models.hh1952(), 1.0, t_stop=1.0, dt=float("inf")),
     "dt"),
    ("waveform NaN", lambda: iz.stimulus.waveform([0.0, float("nan")], dt=0.1), "waveform"),
    ("unknown record", lambda: iz.simulate(iz.models.hh1952(), 1.0, t_stop=1.0, dt=0.025,
                                           record=["Na.q"]), "Na.q"),
    ("unknown method", lambda: iz.simulate(iz.models.hh1952(), 1.0, t_stop=1.0, dt=0.025,
                                           method="rk4"), "method"),
    ("v_init 1e4", lambda: iz.models.hh1952().with_params(v_init=1e4), "v_init"),
    ("missing NeuroML file", lambda: neuroml.read("/nonexistent/cell.nml"), "no such file"),
]


@pytest.mark.parametrize("what,call,named", API_CASES, ids=[c[0] for c in API_CASES])
def test_api_errors_name_the_field(what, call, named):
    with pytest.raises(ValidationError) as info:
        call()
    assert named.lower() in str(info.value).lower(), str(info.value)


NML_CASES = [
    ("midpoint --mV", 'midpoint="-40.0mV"', 'midpoint="--mV"', "midpoint"),
    ("no temperature", '<property tag="temperature"', '<property tag="x"', "temperature"),
    ("no capacitance", '<specificCapacitance value="1.0 uF_per_cm2"/>', "", "capacitance"),
    ("entity", "<neuroml", '<!DOCTYPE x [<!ENTITY e "x">]>\n<neuroml', "DOCTYPE"),
]


@pytest.fixture(scope="module")
def nml_text(tmp_path_factory):
    d = tmp_path_factory.mktemp("nml")
    path = d / "hh.nml"
    neuroml.write(iz.models.hh1952(), path)
    return path.read_text()


@pytest.mark.parametrize("what,old,new,named", NML_CASES, ids=[c[0] for c in NML_CASES])
def test_neuroml_errors_name_the_field(tmp_path, nml_text, what, old, new, named):
    assert old in nml_text, old
    p = tmp_path / "bad.nml"
    p.write_text(nml_text.replace(old, new, 1))
    with pytest.raises(ValidationError) as info:
        neuroml.read(p)
    assert named.lower() in str(info.value).lower(), str(info.value)


CLI_CASES = [
    (["run", "hh1952", "--t-stop", "nan"], "t-stop"),
    (["run", "hh1952", "--t-stop", "inf"], "t-stop"),
    (["run", "hh1952", "--current", "0:1e308:1e-308"], "current"),
    (["run", "hh1952", "--current", "1:0:1"], "current"),
    (["run", "hh1952", "--current", "abc"], "current"),
    (["run", "hh1952", "--duration", "0"], "duration"),
    (["run", "hh1952", "--dt", "0"], "dt"),
    (["run", "nosuchmodel"], "nosuchmodel"),
    (["rheobase", "hh1952", "--tol", "1e-300"], "tol"),
    (["run", "hh1952", "--plot", "x.jpg"], ".png"),
    (["run", "hh1952", "--plot", "/dev/null/x.png"], "folder"),
    (["run", "hh1952", "--save", "x.txt"], ".nc"),
    (["plot", "traces", "hh1952", "--out", "/dev/null/x.png"], "folder"),
    (["import", "/nonexistent/cell.nml"], "does not exist"),
    (["export", "hh1952", "--out", "/dev/null"], "not a folder"),
]


@pytest.mark.parametrize("args,named", CLI_CASES, ids=[" ".join(c[0]) for c in CLI_CASES])
def test_cli_errors_are_one_line(capsys, args, named):
    rc = main(args)
    err = capsys.readouterr().err.strip()
    assert rc != 0
    assert err.startswith("ionzoo: error:") and "\n" not in err, err
    assert named.lower() in err.lower(), err


def test_empty_kernel_cache_file_is_not_an_abort(tmp_path):
    env_dir = tmp_path / "cache"
    env_dir.mkdir(mode=0o700)
    code = ("import ionzoo as iz; r = iz.simulate(iz.models.hh1952(), 10.0, t_stop=5.0, "
            "dt=0.025); print(int(r.spike_count))")
    first = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           env={"IONZOO_CACHE_DIR": str(env_dir), "PATH": "/usr/bin:/bin"})
    assert first.returncode == 0, first.stderr[-1500:]
    for f in env_dir.glob("ionzoo_k_*.py"):
        f.write_bytes(b"")
    again = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           env={"IONZOO_CACHE_DIR": str(env_dir), "PATH": "/usr/bin:/bin"})
    assert again.returncode == 0 and again.stdout == first.stdout, again.stderr[-1500:]


@pytest.mark.parametrize("args", [
    ["run", "hh1952", "--current", "0:20:0.01", "--t-stop", "100000", "--plot", "x.jpg"],
    ["run", "hh1952", "--current", "0:20:0.01", "--t-stop", "100000", "--plot",
     "/dev/null/x.png"],
    ["run", "hh1952", "--current", "0:20:0.01", "--t-stop", "100000", "--save", "/no/x.nc"],
])
def test_output_paths_are_checked_before_the_run(capsys, args):
    # 2000 neurons × 100 s would take minutes; the refusal must come at once
    t0 = time.perf_counter()
    assert main(args) != 0
    assert time.perf_counter() - t0 < 5.0
    assert capsys.readouterr().err.startswith("ionzoo: error:")


def test_saved_values_round_trip_exactly(tmp_path):
    cell = iz.models.hh1952().with_params(temperature=18.5)
    p = tmp_path / "c.yaml"
    save(cell, p)
    back = load(p)
    a = iz.simulate(cell, 10.0, t_stop=20.0, dt=0.025).v.values
    b = iz.simulate(back, 10.0, t_stop=20.0, dt=0.025).v.values
    np.testing.assert_array_equal(a, b)
