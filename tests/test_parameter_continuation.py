"""Continuation in parameters other than the current, and special points followed in two
parameters (``bifurcation(..., parameter=...)``, ``continue_point``).

Independent references:

* **Exact shifts in the leak reversal.** I*(V; E_L) = I*(V; E_L0) − g_L (E_L − E_L0) and the
  Jacobian does not depend on E_L, so every fold and Hopf point of the current diagram at
  (I_k, V_k) appears in an E_L continuation at fixed current I₀ at
  E_L = E_L0 + (I_k − I₀)/g_L with the same V_k, and its two-parameter curve is the straight
  line I = I_k − g_L (E_L − E_L0) at constant V. The current diagram (a 0.05-mV grid and
  Brent's method on I*(V)) is a different algorithm from the arclength continuation tested
  here; tolerances 1e-6 (value) and 1e-6 mV (V), the accuracy both are refined to. The same
  shift holds for periodic orbits (the vector field at E_L under I₀ is the field at E_L0
  under I₀ + g_L (E_L − E_L0)), so the folds of cycles and homoclinic ends of the cycle
  branches continued in E_L must be the current diagram's, shifted: the two continuations
  use different units for the continued quantity (10 µA/cm² against a tenth of the E_L
  range), so their meshes and steps differ; a fold of cycles is refined to 1e-10 in the
  tangent and a period doubling to 1e-10 in its multiplier's distance from −1 (value to
  1e-6, the period to 1e-7 relative; the largest V, read off the orbit at the refined
  point, to 1e-4 mV) and a homoclinic end is known to ~1e-6 of its current (1e-5 mV in E_L
  and in the saddle's V). HH's unstable orbits between the folds at 7.84 and 7.92 µA/cm²
  double their period twice (7.845337 and 7.917778 µA/cm²): the steps of the two
  continuations pass these points differently (in the current a pair of multipliers meets
  on the real axis and one of them crosses −1 within the same step), so both must find them.
* **Simulation.** Stable orbits of a branch continued in temperature (HH at 10 µA/cm²) must be
  what a simulation at that temperature settles on: the period of the last spikes of 500-ms
  Crank–Nicolson runs at dt 0.005 and 0.0025 ms. Crank–Nicolson's period error is O(dt²)
  (measured: 3.9e-4, 9.8e-5, 2.5e-5 relative at dt 0.005, 0.0025, 0.00125 for the orbit
  nearest the fold at 21.5 °C, where the kinetics are 5× faster than at 6.3 °C), so the
  dt-0.0025 period must agree within 1e-3 and the Richardson extrapolation (4P(dt/2) −
  P(dt))/3 within 2e-5; the peak within 0.05 mV (a sampled peak misses the true one by
  ≲0.01 mV). Each run
  starts on the orbit (its τ = 0 state; rest is stable too between the Hopf point and the
  fold), and only orbits with multipliers below 0.5 in modulus are compared, so that any
  transient has decayed far below the tolerance in 500 ms.
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
from ionzoo.dynamics import EquilibriumBranch, bifurcation, continue_point

HOPF_LOW = (9.775437995, -59.654144)
HOPF_HIGH = (154.522433666, -43.058092)


def _shifted(cell, points, current):
    """Expected (kind, E_L, V) of every special point in an E_L continuation at ``current``."""
    gl, el = cell.default("leak.gbar"), cell.default("leak.e")
    return [(p.kind, el + (p.value - current) / gl, p.v) for p in points.itertuples()]


#: Tolerances (value, V in mV) per kind of special point (see the module docstring).
_SHIFT_TOL = {"saddle_node": (1e-6, 1e-6), "hopf": (1e-6, 1e-6), "fold_of_cycles": (1e-6, 1e-4),
              "period_doubling": (1e-6, 1e-4), "homoclinic": (1e-5, 1e-5)}


@pytest.mark.parametrize("key,current,lo,hi,cycles", [
    ("connor_stevens", 7.5, -25.0, -10.0, False),    # four folds and a Hopf point on one curve
    ("morris_lecar_homoclinic", 38.0, -70.0, -50.0, True),  # two curves; homoclinic, FoC
    ("hh1952", 0.0, -60.0, 0.0, True)])              # three folds of cycles, two doublings
def test_leak_reversal_moves_every_point_exactly(key, current, lo, hi, cycles):
    cell = iz.models.REGISTRY[key]()
    base = bifurcation(cell, start=-100.0, stop=300.0, cycles=cycles).special_points
    expected = [(*e, p.period) for e, p in zip(_shifted(cell, base, current), base.itertuples())
                if lo < e[1] < hi]
    got = bifurcation(cell, "leak.e", lo, hi, current=current, cycles=cycles).special_points
    assert len(got) == len(expected) >= 1, (got, expected)
    if cycles:
        assert {"fold_of_cycles"} <= set(got.kind)
    for kind, value, v, period in sorted(expected, key=lambda e: e[1]):
        near = got[got.kind == kind]
        row = near.iloc[int(np.argmin(np.abs(near.value.values - value)))]
        tol_value, tol_v = _SHIFT_TOL[kind]
        assert row.value == pytest.approx(value, abs=tol_value)
        assert row.v == pytest.approx(v, abs=tol_v)
        if kind in ("fold_of_cycles", "period_doubling"):
            assert row.period == pytest.approx(period, rel=1e-7)


def test_cycles_in_temperature_are_the_simulated_orbits_and_meet_the_current_diagram():
    hh = iz.models.hh1952()
    d = bifurcation(hh, "temperature", 0.0, 40.0, current=10.0)
    (hopf,) = d.points("hopf").itertuples()
    (fold,) = d.points("fold_of_cycles").itertuples()
    assert hopf.criticality == "subcritical" and hopf.value < fold.value
    (cb,) = d.cycles
    c = cb.cycles
    assert c.attrs["parameter"] == "temperature" and c.value.attrs["units"] == "degC"
    # unstable from the Hopf point to the fold, stable beyond it (towards lower temperatures)
    before = np.arange(c.sizes["point"]) < int(np.argmax(cb.values))
    assert not c.stable.values[before].any() and c.stable.values[~before].any()
    # cross-section: at the fold's temperature, the current diagram has its fold at 10 µA/cm²
    cross = bifurcation(hh.with_params(temperature=fold.value), start=0.0, stop=50.0)
    foc = cross.points("fold_of_cycles")
    k = int(np.argmin(np.abs(foc.value.values - 10.0)))
    assert foc.value.iloc[k] == pytest.approx(10.0, abs=1e-6)
    assert foc.period.iloc[k] == pytest.approx(fold.period, rel=1e-7)
    # stable orbits are the simulated ones
    mu = np.abs(c.multipliers.values)
    second = np.sort(mu, axis=1)[:, -2]  # the largest after the trivial one
    strong = np.flatnonzero(c.stable.values & (second < 0.5))
    assert strong.size >= 5
    from ionzoo.dynamics.cycles import _crossings

    states = EquilibriumBranch(hh).states
    for k in strong[:: max(1, strong.size // 4)]:
        # from a point of the orbit: rest is stable too above the Hopf point's temperature
        x0 = dict(zip(states, cb.start_state[k]))
        cell = hh.with_params(temperature=float(c.value[k])).with_initial(
            {s: x for s, x in x0.items() if s != "v"}, v=x0["v"])
        level = 0.5 * float(c.v_max[k] + c.v_min[k])  # small orbits near the fold peak < 0 mV
        periods = []
        for dt in (0.005, 0.0025):
            res = iz.simulate(cell, 10.0, t_stop=500.0, dt=dt)
            t, v = np.asarray(res.t), np.asarray(res.dataset.v.values).ravel()
            late = t > 300.0
            periods.append(float(np.mean(np.diff(_crossings(t[late], v[late], level))[-3:])))
        assert periods[1] == pytest.approx(float(c.period[k]), rel=1e-3)
        extrapolated = (4 * periods[1] - periods[0]) / 3  # Richardson: CN's error is O(dt²)
        assert extrapolated == pytest.approx(float(c.period[k]), rel=2e-5)
        assert v[late].max() == pytest.approx(float(c.v_max[k]), abs=0.05)


def test_hopf_point_in_potassium_conductance_is_a_hopf_point_of_that_cell():
    hh = iz.models.hh1952()
    d = bifurcation(hh, "K.gbar", 5.0, 60.0, current=10.0, cycles=False)
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
    labels = fig.axes[0].get_legend_handles_labels()[1]
    assert "stable cycles (max/min V)" in labels and "fold of cycles" in labels


def test_cli(capsys):
    rc = cli_main(["bifurcation", "hh1952", "--parameter", "K.gbar", "--range", "5", "60",
                   "--current", "10", "--json"])
    assert rc in (0, None)
    out = json.loads(capsys.readouterr().out)
    (h,) = [p for p in out["special_points"] if p["kind"] == "hopf"]
    assert out["unit"] == "mS/cm2"
    assert h["value"] == pytest.approx(36.2291765, abs=1e-6)
    # the orbits born there fold three times before 40.6 mS/cm² (more K⁺ ends firing)
    folds = [p["value"] for p in out["special_points"] if p["kind"] == "fold_of_cycles"]
    assert len(folds) == 3 and max(folds) == pytest.approx(40.514, abs=1e-3)


@pytest.mark.parametrize("kwargs,match", [
    ({"parameter": "K.q"}, "unknown parameter"),
    ({"parameter": "v_init"}, "unknown parameter"),
    ({"max_period": -1.0}, "max_period"),
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
