"""Class 8 of the hardening issue: a run that blows up says so.

A neuron whose state becomes NaN or infinite is stopped at that step and reported — which
neuron, when (ms), which state — by a :class:`NonFiniteWarning` and ``diverged_at`` /
``diverged_state`` in the result; its neighbours in the batch run on unchanged (compared with
the same neurons simulated alone). From the command line the exit status is 3 with one line
saying so, and ``--json`` is valid JSON (``null``, never ``NaN``).
"""

from __future__ import annotations

import json
import math
import subprocess
import sys

import numpy as np
import pytest

import ionzoo as iz
from ionzoo.channels import Channel, Gate
from ionzoo.errors import NonFiniteWarning
from ionzoo.io import save

METHODS = ["backward_euler", "crank_nicolson", "adaptive"]


def _with(channel: Channel) -> iz.Neuron:
    hh = iz.models.hh1952()
    return iz.Neuron(channels=(*hh.channels, channel), temperature=hh.temperature,
                     name="blowup")


def _sqrt_gate() -> Channel:
    # x∞ = sqrt(v − vt) is NaN once v falls below vt: with vt = −70 mV that happens in the first
    # after-hyperpolarisation (HH's AHP reaches about −76 mV); with vt = −100 mV never
    return Channel("X", gates=(Gate("x", 1, inf="sqrt(v - vt) / 10", tau="1"),), gbar=0.001,
                   e=-80.0, params={"vt": -100.0})


@pytest.mark.parametrize("method", METHODS)
def test_the_neuron_that_diverges_is_stopped_and_named(method):
    cell = _with(_sqrt_gate()).with_params(**{"X.vt": [-100.0, -70.0]})
    with pytest.warns(NonFiniteWarning, match="1 of 2 neurons"):
        res = iz.simulate(cell, iz.stimulus.step(10.0), t_stop=50.0, dt=0.025, method=method)
    ds = res.dataset
    assert ds.attrs["diverged"] == 1
    at = ds["diverged_at"].values
    assert math.isnan(at[0]) and 2.0 < at[1] < 50.0      # after the first spike, in its AHP
    assert str(ds["diverged_state"].values[1]) == "X.x"
    # the healthy neuron equals the same neuron simulated alone
    alone = iz.simulate(_with(_sqrt_gate()), iz.stimulus.step(10.0), t_stop=50.0, dt=0.025,
                        method=method)
    np.testing.assert_array_equal(res.v.values[0], alone.v.values)


def test_division_by_zero_rate_is_reported_at_the_start():
    # the example: 1/(v − v) is NaN everywhere, so the initial steady state already is
    cell = _with(Channel("Y", gates=(Gate("y", 1, alpha="1 / (v - v)", beta="1"),), gbar=1.0,
                         e=-80.0))
    with pytest.warns(NonFiniteWarning, match="state Y.y"):
        res = iz.simulate(cell, 10.0, t_stop=5.0, dt=0.025)
    assert res.dataset.attrs["diverged"] == 1
    assert float(res.dataset["diverged_at"]) == 0.0
    assert str(res.dataset["diverged_state"].values) == "Y.y"


def test_cli_exit_status_and_valid_json(tmp_path):
    cell = _with(_sqrt_gate()).with_params(**{"X.vt": -70.0})
    path = tmp_path / "blowup.yaml"
    save(cell, path)
    proc = subprocess.run([sys.executable, "-m", "ionzoo", "run", str(path), "--json",
                           "--t-stop", "50"], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 3, proc.stderr
    doc = json.loads(proc.stdout, parse_constant=lambda c: pytest.fail(f"invalid JSON {c}"))
    assert doc is not None
    assert "Traceback" not in proc.stderr
    assert "non-finite" in proc.stderr and "X.x" in proc.stderr


def test_json_output_never_contains_nan():
    import click
    from click.testing import CliRunner

    from ionzoo.cli.common import echo_json

    @click.command()
    def cmd():
        echo_json({"a": float("nan"), "b": [float("inf"), 1.0], "c": np.float64("nan")})

    out = CliRunner().invoke(cmd).output
    assert json.loads(out) == {"a": None, "b": [None, 1.0], "c": None}
