"""Continuation in parameters other than the current, and special points followed in two
parameters (``bifurcation(..., parameter=...)``, ``continue_point``).

Independent references:

* **Exact shifts in the leak reversal.** I*(V; E_L) = I*(V; E_L0) − g_L (E_L − E_L0) and the
  Jacobian does not depend on E_L, so every fold and Hopf point of the current diagram at
  (I_k, V_k) appears in an E_L continuation at fixed current I₀ at
  E_L = E_L0 + (I_k − I₀)/g_L with the same V_k, and its two-parameter curve is the straight
  line I = I_k − g_L (E_L − E_L0) at constant V. The current diagram (a 0.05-mV grid and
  Brent's method on I*(V)) is a different algorithm from the arclength continuation tested
  here; tolerances 1e-6 (value) and 1e-6 mV (V), the accuracy both are refined to.
* **Cross-sections.** A Hopf point found at g_K = g* under 10 µA/cm² must be a Hopf point at
  10 µA/cm² of the current diagram of the model with g_K = g*; a point of a Hopf curve in
  temperature must be a Hopf point of the current diagram at that temperature; where the
  curve turns back the two Hopf points meet — on one side of the turning there are two,
  on the other none.
* HH's Hopf points at 6.3 °C from shared/reference/dynamics.md (as in test_dynamics).
"""

from __future__ import annotations

import json

import numpy as np
import pytest

import ionzoo as iz
from ionzoo.cli import main as cli_main
from ionzoo.dynamics import bifurcation, continue_point

HOPF_LOW = (9.775437995, -59.654144)
HOPF_HIGH = (154.522433666, -43.058092)


def _shifted(cell, points, current):
    """Expected (kind, E_L, V) of every special point in an E_L continuation at ``current``."""
    gl, el = cell.default("leak.gbar"), cell.default("leak.e")
    return [(p.kind, el + (p.value - current) / gl, p.v) for p in points.itertuples()]


@pytest.mark.parametrize("key,current,lo,hi", [
    ("connor_stevens", 7.5, -25.0, -10.0),          # four folds and a Hopf point on one curve
    ("morris_lecar_homoclinic", 38.0, -70.0, -50.0),  # two curves (three equilibria at -70)
    ("hh1952", 0.0, -60.0, 0.0)])
def test_leak_reversal_moves_every_point_exactly(key, current, lo, hi):
    cell = iz.models.REGISTRY[key]()
    base = bifurcation(cell, start=-100.0, stop=300.0, cycles=False).special_points
    expected = [e for e in _shifted(cell, base, current) if lo < e[1] < hi]
    got = bifurcation(cell, "leak.e", lo, hi, current=current).special_points
    assert len(got) == len(expected) >= 1, (got, expected)
    for kind, value, v in sorted(expected, key=lambda e: e[1]):
        row = got.iloc[int(np.argmin(np.abs(got.value.values - value)))]
        assert row.kind == kind
        assert row.value == pytest.approx(value, abs=1e-6)
        assert row.v == pytest.approx(v, abs=1e-6)


def test_hopf_point_in_potassium_conductance_is_a_hopf_point_of_that_cell():
    hh = iz.models.hh1952()
    d = bifurcation(hh, "K.gbar", 5.0, 60.0, current=10.0)
    (h,) = d.points("hopf").itertuples()
    assert h.criticality == "subcritical"
    # the stable stretch is above the Hopf value (more K+ stabilises rest)
    eq = d.equilibria
    assert np.all(eq.stable.values[eq.value.values > h.value + 0.1])
    assert not np.any(eq.stable.values[eq.value.values < h.value - 0.1])
    cross = bifurcation(hh.with_params({"K.gbar": h.value}), start=0.0, stop=50.0,
                        cycles=False).points("hopf").iloc[0]
    assert cross.value == pytest.approx(10.0, abs=1e-6)
    assert cross.v == pytest.approx(h.v, abs=1e-6)
    assert cross.frequency_hz == pytest.approx(h.frequency_hz, rel=1e-6)
    assert cross.first_lyapunov == pytest.approx(h.first_lyapunov, rel=1e-4)


@pytest.fixture(scope="module")
def hh_hopf_in_temperature():
    hh = iz.models.hh1952()
    low = bifurcation(hh, start=0.0, stop=50.0, cycles=False).points("hopf").iloc[0]
    return continue_point(hh, low, "temperature", 0.0, 40.0)


def test_lower_hopf_point_followed_in_temperature(hh_hopf_in_temperature):
    c = hh_hopf_in_temperature
    t, i = c.value.values, c.current.values
    at = int(np.argmin(np.abs(t - 6.3)))
    assert t[at] == 6.3 and i[at] == pytest.approx(HOPF_LOW[0], abs=1e-6)
    (turn,) = c.attrs["turning"]
    k = int(np.argmax(t))
    assert abs(t[k] - turn) < 0.05
    # the lower Hopf current rises monotonically up to the turning; the curve comes back as
    # the upper Hopf point, which at 6.3 °C is the reference's upper one
    assert np.all(np.diff(i[: k + 1]) > 0) and np.all(np.diff(t[: k + 1]) > 0)
    back = np.arange(k, t.size)
    assert np.all(np.diff(t[back]) < 0)
    # points ~3 °C apart here: linear interpolation is good to a few 0.1 µA/cm² (the exact
    # cross-sections are the next test)
    assert np.interp(6.3, t[back][::-1], i[back][::-1]) == pytest.approx(HOPF_HIGH[0], abs=0.5)
    assert c.attrs["ends"] == ["range", "range"]
    # no jump to another solution: every step is 0.08 of the scaled plane (V / 10 mV,
    # T / 4 °C) along the tangent, plus the corrector's move orthogonal to it (a few
    # per cent here), and the tangent turns by < 0.2 rad
    steps = np.hypot(np.diff(c.v.values) / 10.0, np.diff(t) / 4.0)
    assert np.max(steps) < 0.085
    dv, dt = np.diff(c.v.values), np.diff(t)
    cos = (dv[1:] * dv[:-1] / 100 + dt[1:] * dt[:-1] / 16) / (steps[1:] * steps[:-1])
    assert np.min(cos) > np.cos(0.25)


def test_the_curve_agrees_with_the_current_diagram_at_its_temperatures(hh_hopf_in_temperature):
    c = hh_hopf_in_temperature
    t, i = c.value.values, c.current.values
    k = int(np.argmax(t))
    for branch in (np.arange(0, k), np.arange(k + 1, t.size)):
        j = branch[int(np.argmin(np.abs(t[branch] - 20.0)))]
        cell = iz.models.hh1952().with_params(temperature=float(t[j]))
        hopf = bifurcation(cell, start=0.0, stop=300.0, cycles=False).points("hopf")
        assert np.min(np.abs(hopf.value.values - i[j])) < 1e-5, (t[j], i[j], hopf)
        row = hopf.iloc[int(np.argmin(np.abs(hopf.value.values - i[j])))]
        assert row.frequency_hz == pytest.approx(float(c.frequency_hz[j]), rel=1e-5)


def test_the_hopf_points_meet_where_the_curve_turns(hh_hopf_in_temperature):
    (turn,) = hh_hopf_in_temperature.attrs["turning"]
    assert 28.3 < turn < 29.3
    counts = [len(bifurcation(iz.models.hh1952().with_params(temperature=turn + d), start=0.0,
                              stop=300.0, cycles=False).points("hopf")) for d in (-0.01, 0.01)]
    assert counts == [2, 0]


def test_fold_curve_in_leak_reversal_is_the_exact_line():
    ml = iz.models.morris_lecar_snlc()
    fold = bifurcation(ml, start=0.0, stop=150.0, cycles=False).points("saddle_node").iloc[0]
    c = continue_point(ml, fold, "leak.e", -80.0, -40.0)
    gl, el = ml.default("leak.gbar"), ml.default("leak.e")
    assert c.value.values.min() == -80.0 and c.value.values.max() == -40.0
    np.testing.assert_allclose(c.current.values, fold.value - gl * (c.value.values - el),
                               atol=1e-6)
    np.testing.assert_allclose(c.v.values, fold.v, atol=1e-6)
    assert c.attrs["turning"] == []


def test_figures(tmp_path, hh_hopf_in_temperature):
    import matplotlib

    matplotlib.use("Agg")
    fig = iz.plot.two_parameter(hh_hopf_in_temperature)
    assert fig.axes[0].get_ylabel() == "temperature (degC)"
    fig = iz.plot.bifurcation(bifurcation(iz.models.hh1952(), "K.gbar", 5, 60, current=10.0))
    assert fig.axes[0].get_xlabel().startswith("K.gbar (mS/cm2) at I = 10")


def test_cli(capsys):
    rc = cli_main(["bifurcation", "hh1952", "--parameter", "K.gbar", "--range", "5", "60",
                   "--current", "10", "--json"])
    assert rc in (0, None)
    out = json.loads(capsys.readouterr().out)
    (h,) = out["special_points"]
    assert out["unit"] == "mS/cm2" and h["kind"] == "hopf"
    assert h["value"] == pytest.approx(36.2291765, abs=1e-6)


@pytest.mark.parametrize("kwargs,match", [
    ({"parameter": "K.q"}, "unknown parameter"),
    ({"parameter": "v_init"}, "unknown parameter"),
    ({"cycles": True}, "current only"),
    ({"current": float("nan")}, "finite current"),
    ({"current": "10"}, "finite current"),
    ({"v_range": (40.0, 50.0)}, "no equilibrium"),
])
def test_bad_input(kwargs, match):
    args = {"parameter": "K.gbar", "start": 5.0, "stop": 60.0, "current": 10.0, **kwargs}
    with pytest.raises(iz.ValidationError, match=match):
        bifurcation(iz.models.hh1952(), **args)


def test_fixed_current_with_current_as_parameter_is_an_error():
    with pytest.raises(iz.ValidationError, match="current is the parameter"):
        bifurcation(iz.models.hh1952(), start=0, stop=10, current=5.0)


def test_every_continuation_is_bounded(monkeypatch):
    from ionzoo.dynamics import parameter

    monkeypatch.setattr(parameter, "_MAX_STEPS", 3)
    with pytest.raises(iz.IonzooError, match="more than 3 steps"):
        bifurcation(iz.models.hh1952(), "K.gbar", 5.0, 60.0, current=10.0)


@pytest.mark.parametrize("point,kwargs,match", [
    ({"kind": "homoclinic", "value": 1.0, "v": -60.0}, {}, "only saddle_node and hopf"),
    ({"kind": "hopf", "value": 1.0}, {}, "expected a special point"),
    ({"kind": "hopf", "value": 9.78, "v": -59.65}, {"start": 10.0, "stop": 20.0}, "around"),
    ({"kind": "hopf", "value": 9.78, "v": -59.65}, {"parameter": "K.q"}, "unknown parameter"),
    ({"kind": "hopf", "value": 0.0, "v": 30.0}, {}, "no hopf near"),
])
def test_continue_point_bad_input(point, kwargs, match):
    args = {"parameter": "temperature", "start": 0.0, "stop": 30.0, **kwargs}
    with pytest.raises(iz.ValidationError, match=match):
        continue_point(iz.models.hh1952(), point, **args)
