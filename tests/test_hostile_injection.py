"""Class 1 of the hardening issue: text from a file never becomes code in an export.

Every free-text field a model file can carry (channel description, provenance citation, model
file and notes, a fixed factor's note) is loaded with payloads that would write a marker file
if any generated target — the NMODL mechanism (through nrnivmodl's C++), the NEURON run script
(Python) or the NeuroML/LEMS file — executed them; the mechanisms are compiled and the script
run, and no marker may appear. Names are the other route: a neuron name is an identifier
(it names the run script), and parameters named like NEURON's own variables (``dt``, ``t``,
``i``, ``g``, ``a``, ``b``, ``area``) must be renamed in the export, not silently read NEURON's
values — checked by running the export in NEURON against ionzoo.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import ionzoo as iz
from ionzoo.channels import Channel, Gate
from ionzoo.errors import ValidationError
from ionzoo.interop import neuroml, nmodl
from ionzoo.interop.names import NMODL_RESERVED, assign_names, inert_text
from ionzoo.io import load, save
from ionzoo.model.channel import FixedFactor, Provenance

MARK = "IONZOO_PWNED"


def payloads(marker_dir: Path) -> list[str]:
    """Texts that execute in some target if pasted unescaped (each writes a marker file)."""
    m = str(marker_dir / MARK)
    return [
        f"\nimport pathlib; pathlib.Path({m + '_py'!r}).write_text('x')\n",
        f'""" + __import__("pathlib").Path({m + "_doc"!r}).write_text("x") + """',
        f"ENDCOMMENT\nVERBATIM\n#include <stdio.h>\nstatic int pwn = (fclose(fopen(\"{m}_c\", "
        "\"w\")), 0);\nENDVERBATIM\nCOMMENT",
        f"*/ int pwn2 = (fclose(fopen(\"{m}_c2\", \"w\")), 0); /*",
        f"\rVERBATIM\n system(\"touch {m}_sh\"); \nENDVERBATIM",
        f"' ; __import__('os').system('touch {m}_q') ; '",
    ]


def hostile_channel(marker_dir: Path) -> Channel:
    p = payloads(marker_dir)
    return Channel(
        "Kx", gates=(Gate("n", 4, alpha="0.01 * (v + 55) / (1 - exp(-(v + 55) / 10))",
                          beta="0.125 * exp(-(v + 65) / 80)"),),
        gbar=36.0, e=-77.0, ion="k", temperature=FixedFactor(1.0, note=p[4]),
        description=p[0] + p[2], provenance=Provenance(p[1] + p[3], model_file=p[5],
                                                       notes=p[2]))


def test_inert_text_is_one_line_without_block_words():
    for text in payloads(Path("/tmp")):
        out = inert_text(text)
        assert "\n" not in out and "\r" not in out
        for word in ("ENDCOMMENT", "VERBATIM", "*/", "/*", '"', "\\"):
            assert word.lower() not in out.lower()
    assert inert_text("Hodgkin AL, Huxley AF (1952)") == "Hodgkin AL, Huxley AF (1952)"
    assert inert_text(None) == "" and len(inert_text("x" * 5000)) == 300


def test_exported_files_carry_no_payload_structure(tmp_path):
    ch = hostile_channel(tmp_path)
    text = nmodl.channel_to_nmodl(ch)
    assert text.count("ENDCOMMENT") == 1 and "VERBATIM" not in text
    header = text.split("NEURON {")[0]
    assert all(line == "" or line.startswith(("TITLE ", "COMMENT", "Source:", "Reference file:",
                                              "Temperature rule:", "Ion:", "Generated",
                                              "ENDCOMMENT"))
               for line in header.splitlines())
    cell = iz.Neuron(channels=(*iz.models.hh1952().channels[:1], ch,
                               iz.models.hh1952().channels[2]), name="hostile")
    script = nmodl.neuron_to_script(cell)
    tree = ast.parse(script)  # still valid Python, and the payloads are only in comments
    names = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
    attrs = {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
    assert not names & {"__import__", "pathlib"} and not attrs & {"system", "write_text"}
    assert all(not isinstance(n, ast.Constant) or MARK not in str(n.value)
               for n in ast.walk(tree))


@pytest.mark.neuron
def test_no_payload_runs_when_the_export_is_compiled_and_run(tmp_path):
    """The whole chain a user would run: ionzoo export, nrnivmodl, python run_<name>.py; and
    the in-process runner. No marker file may appear."""
    from ionzoo.interop.neuron_runner import run_in_neuron

    marker_dir = tmp_path / "markers"
    marker_dir.mkdir()
    ch = hostile_channel(marker_dir)
    hh = iz.models.hh1952()
    cell = iz.Neuron(channels=(hh.channels[0], ch, hh.channels[2]), name="hostile")
    model_file = tmp_path / "hostile.yaml"
    save(cell, model_file)
    cell = load(model_file)  # the texts survive a model file round trip
    assert cell.channel("Kx").description == ch.description
    out = tmp_path / "export"
    files = nmodl.export_neuron(cell, out, current=10.0, t_stop=20.0)
    exe = Path(sys.executable).with_name("nrnivmodl")
    subprocess.run([str(exe) if exe.exists() else "nrnivmodl", "."], cwd=out, check=True,
                   capture_output=True)
    run = subprocess.run([sys.executable, files[-1]], cwd=out, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr[-2000:]
    spikes, _ = run_in_neuron(cell, iz.stimulus.step(10.0), 20.0, 0.025, "crank_nicolson")
    neuroml.write(cell, tmp_path / "hostile.nml")
    neuroml.read(tmp_path / "hostile.nml")
    assert len(spikes) >= 1
    assert not list(marker_dir.iterdir()), sorted(os.listdir(marker_dir))


def test_neuron_name_must_be_an_identifier():
    for bad in ["x; rm -rf /", "../../etc/passwd", "a b", "", "x\ny", "1abc", "_x"]:
        with pytest.raises(ValidationError, match="name"):
            iz.Neuron(channels=(), name=bad)


def test_reserved_words_are_renamed_for_neuron():
    names = assign_names(["a", "b", "dt", "t", "i", "g", "area", "exp", "m_inf", "if",
                          "iz_x", "dt_"], NMODL_RESERVED | {"m_inf"})
    assert names["a"] == "a" and names["b"] == "b"
    for k in ("dt", "t", "i", "g", "area", "exp", "m_inf", "if", "iz_x"):
        assert names[k] != k and names[k].lower() not in {r.lower() for r in NMODL_RESERVED}
    assert len(set(names.values())) == len(names)  # dt -> dt__ since dt_ is taken
    with pytest.raises(ValueError):
        assign_names(["bad name"], NMODL_RESERVED)


@pytest.mark.neuron
def test_parameters_named_like_neuron_variables_run_correctly_in_neuron():
    """HH's K channel written with parameters a, b, dt, t, i, g and area: before renaming,
    NEURON read its own dt, t, i, g for them (1 spike instead of 13)."""
    from ionzoo.interop.neuron_runner import run_in_neuron

    k = Channel("K", gates=(Gate("n", 4, alpha="a * (v + 55) / (1 - exp(-(v + 55) / dt))",
                                 beta="b * exp(-(v + 65) / t) * i * g * area"),),
                gbar=36.0, e=-77.0, ion="k",
                params={"a": 0.01, "dt": 10.0, "b": 0.125, "t": 80.0, "i": 1.0, "g": 1.0,
                        "area": 1.0})
    hh = iz.models.hh1952()
    cell = iz.Neuron(channels=(hh.channels[0], k, hh.channels[2]), name="renamed")
    stim = iz.stimulus.step(10.0)
    s_nrn, _ = run_in_neuron(cell, stim, 150.0, 0.025, "crank_nicolson")
    res = iz.simulate(cell, stim, t_stop=150.0, dt=0.025, stabilize=False)
    s_iz = res.spike_trains()[0]
    ref = iz.simulate(hh, stim, t_stop=150.0, dt=0.025, stabilize=False).spike_trains()[0]
    assert len(s_iz) == len(s_nrn) == len(ref) >= 10
    assert np.max(np.abs(s_iz - s_nrn)) < 1e-6


def test_free_text_fields_must_be_text(tmp_path):
    f = tmp_path / "bad.yaml"
    f.write_text("kind: channel\nname: K\ngbar: 1\ne: -80\ngates: []\n"
                 "description: [1, 2, [3, [4]]]\n")
    with pytest.raises(ValidationError, match="description: expected text"):
        load(f)
