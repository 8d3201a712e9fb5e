"""HH 1952 gate kinetics against independent values.

Independent references: the formulas of NEURON's ``hh.mod`` written out directly below with
``math`` (vtrap's limit at the singular voltage taken by hand), and the steady-state midpoints and
time constants computed from the published equations in ``shared/reference/channels.md`` §2.1a
(given there to 0.1 mV / 0.01 ms, hence those tolerances).
"""

import dataclasses
import math

import numpy as np
import pytest
from scipy.optimize import brentq

import ionzoo as iz
from ionzoo.backends.numba.fastmath import _f_exp, _f_exprel, _f_invexprel, _x_invexprel
from ionzoo.channels import ExpLinearRate, ExpRate, SigmoidRate, hh1952
from ionzoo.reference import steady_state, time_constant


def vtrap(x, y):
    """hh.mod's vtrap: x/(exp(x/y) - 1), = y(1 - x/y/2) when |x/y| < 1e-6."""
    return y * (1 - x / y / 2) if abs(x / y) < 1e-6 else x / (math.exp(x / y) - 1)


REF = {
    ("Na", "m"): (lambda v: 0.1 * vtrap(-(v + 40), 10), lambda v: 4 * math.exp(-(v + 65) / 18)),
    ("Na", "h"): (lambda v: 0.07 * math.exp(-(v + 65) / 20),
                  lambda v: 1 / (math.exp(-(v + 35) / 10) + 1)),
    ("K", "n"): (lambda v: 0.01 * vtrap(-(v + 55), 10),
                 lambda v: 0.125 * math.exp(-(v + 65) / 80)),
}
VOLTAGES = [-150.0, -100.0, -65.0, -55.0, -40.0, -40.0 + 1e-9, -20.0, 0.0, 30.0, 100.0]


@pytest.mark.parametrize("key", list(REF))
def test_rates_match_hh_mod_formulas(hh, key):
    ch = hh.channel(key[0])
    gate = ch.gate(key[1])
    a_expr, b_expr = ch.gate_expressions(gate)
    for v in VOLTAGES:
        a_ref, b_ref = REF[key][0](v), REF[key][1](v)
        assert float(a_expr.evaluate({"v": v})) == pytest.approx(a_ref, rel=1e-12, abs=1e-300)
        assert float(b_expr.evaluate({"v": v})) == pytest.approx(b_ref, rel=1e-12, abs=1e-300)


def test_singular_voltages_exact_in_numpy_path(hh):
    m = hh.channel("Na").gate("m")
    n = hh.channel("K").gate("n")
    assert float(hh.channel("Na").gate_expressions(m)[0].evaluate({"v": -40.0})) == 1.0
    assert float(hh.channel("K").gate_expressions(n)[0].evaluate({"v": -55.0})) == 0.1


def test_singular_voltages_exact_in_kernel_helpers():
    assert _f_invexprel(0.0) == 1.0 and _x_invexprel(0.0) == 1.0 and _f_exprel(0.0) == 1.0
    assert _f_invexprel(-0.0) == 1.0


def test_fast_exp_accuracy():
    x = np.concatenate([np.linspace(-700, 700, 20001), np.linspace(-1, 1, 2001)])
    got = np.array([_f_exp(float(xi)) for xi in x])
    np.testing.assert_allclose(got, np.exp(x), rtol=4.5e-16)  # ≤ 2 ulp


@pytest.mark.parametrize("v_hold, gate, expected_alpha", [(-40.0, "Na.m", 1.0),
                                                           (-55.0, "K.n", 0.1)])
def test_singular_voltages_in_every_engine_path(v_hold, gate, expected_alpha):
    """Hold v exactly at the singular voltage (all conductances 0, no stimulus): the init path
    (exact math), the fixed-step kernels (fast math) and the adaptive rhs all give x∞ with α
    at its limit, and no NaN."""
    ch_name, g_name = gate.split(".")
    beta = REF[(ch_name, g_name)][1](v_hold)
    x_inf = expected_alpha / (expected_alpha + beta)
    cell = iz.models.hh1952().with_params(**{"Na.gbar": 0.0, "K.gbar": 0.0, "leak.gbar": 0.0,
                                             "v_init": v_hold})
    for method in ("backward_euler", "crank_nicolson", "adaptive"):
        res = iz.simulate(cell, None, t_stop=50.0, dt=0.025, method=method, record=["v", gate])
        assert np.all(res.v.values == v_hold)
        trace = res[gate].values
        assert np.all(np.isfinite(trace))
        assert trace[0] == pytest.approx(x_inf, rel=1e-14)
        assert trace[-1] == pytest.approx(x_inf, rel=1e-12)


def test_half_activation_and_time_constants_match_reference_file(hh):
    na, k = hh.channel("Na"), hh.channel("K")

    def v_half(ch, g):
        return brentq(lambda v: steady_state(ch, ch.gate(g), v) - 0.5, -120, 40, xtol=1e-10)

    # channels.md §2.1a [computed]: m∞ V½ = −40.0, h∞ V½ = −62.3, n∞ V½ = −53.4 mV
    assert v_half(na, "m") == pytest.approx(-40.0, abs=0.05)
    assert v_half(na, "h") == pytest.approx(-62.3, abs=0.05)
    assert v_half(k, "n") == pytest.approx(-53.4, abs=0.05)
    # τ_h(−60) = 7.67 ms, τ_n(−60) = 5.14 ms at 6.3 °C
    assert float(time_constant(na, na.gate("h"), -60.0, 6.3)) == pytest.approx(7.67, abs=0.005)
    assert float(time_constant(k, k.gate("n"), -60.0, 6.3)) == pytest.approx(5.14, abs=0.005)


def test_q10_rule():
    ch = hh1952.na()
    tau6 = time_constant(ch, ch.gate("h"), -60.0, 6.3)
    tau16 = time_constant(ch, ch.gate("h"), -60.0, 16.3)
    assert float(tau6 / tau16) == pytest.approx(3.0, rel=1e-14)


def test_resting_state_matches_reference(hh):
    # channels.md §1.2 [computed]: V* = −64.9964 mV, m* = 0.05296, h* = 0.59599, n* = 0.31773
    def i_ss(v):
        return sum(
            c.gbar * np.prod([steady_state(c, g, v) ** g.power for g in c.gates]) * (v - c.e)
            for c in hh.channels)
    v_rest = brentq(i_ss, -70, -60, xtol=1e-12)
    assert v_rest == pytest.approx(-64.9964, abs=5e-5)
    na, k = hh.channel("Na"), hh.channel("K")
    assert float(steady_state(na, na.gate("m"), v_rest)) == pytest.approx(0.05296, abs=5e-6)
    assert float(steady_state(na, na.gate("h"), v_rest)) == pytest.approx(0.59599, abs=5e-6)
    assert float(steady_state(k, k.gate("n"), v_rest)) == pytest.approx(0.31773, abs=5e-6)


def test_standard_forms_match_neuroml_definitions():
    v = np.linspace(-100, 50, 301)
    np.testing.assert_allclose(ExpRate(2.0, -30, 7).expression().evaluate({"v": v}),
                               2.0 * np.exp((v + 30) / 7), rtol=1e-14)
    np.testing.assert_allclose(SigmoidRate(3.0, -30, 7).expression().evaluate({"v": v}),
                               3.0 / (1 + np.exp(-(v + 30) / 7)), rtol=1e-14)
    v = v[v != -30.5]  # the reference formula is 0/0 there; the limit is checked below
    x = (v + 30.5) / 7
    lin = ExpLinearRate(0.5, -30.5, 7).expression()
    np.testing.assert_allclose(lin.evaluate({"v": v}), 0.5 * x / (1 - np.exp(-x)), rtol=1e-12)
    assert float(lin.evaluate({"v": -30.5})) == 0.5


def test_channels_are_immutable_hashable_data():
    a, b = hh1952.na(), hh1952.na()
    assert a == b and hash(a) == hash(b)
    assert a.with_defaults(gbar=60.0) != a
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.gbar = 1.0  # type: ignore[misc]
    assert "Hodgkin" in a.provenance.citation and "hh.mod" in a.provenance.model_file
    assert a.temperature.reference == 6.3 and a.temperature.q10 == 3.0
