"""The exact rewritings the Numba emitters apply before printing, each checked against the
expression it replaces by evaluation (NumPy, independent of the kernels), and the hoisting of
time-invariant sub-expressions.

Tolerances: pull_signs is exact (bitwise equality); ½(1 + tanh u) → logistic and 1/(a/b) →
b/a change the rounding only (rtol 1e-14 over the whole range; the tanh form loses relative
accuracy where 1 + tanh u cancels, so there the comparison is absolute, 1e-16); hoisting a
reciprocal (a/k → a·(1/k)) moves the rounding of exp's argument by ≤ 1 ulp, amplified by the
argument's size (here ≤ 22): 1e-14 of the expression's scale.
"""

from __future__ import annotations

import numpy as np
import pytest

import ionzoo as iz
from ionzoo.backends.numba.module import generate
from ionzoo.backends.numba.source import (
    Invariants,
    expose_exponentials,
    log_powers,
    logistic_from_tanh,
    shift_exponentials,
)
from ionzoo.expr import Bin, Name, Num, parse, pull_signs
from ionzoo.lower import _reciprocal, lower

V = np.linspace(-150.0, 100.0, 5001)


@pytest.mark.parametrize("text", [
    "-(v + 38) / 6", "(v + 38) / (-6)", "-(-(v / 3))", "-a / -b", "exp(-(v - 40) / (-5))",
])
def test_pull_signs_is_exact(text):
    e = parse(text, allowed_names=None)
    env = {"v": V, "a": V + 0.3, "b": np.full_like(V, -2.7)}
    np.testing.assert_array_equal(pull_signs(e).evaluate(env), e.evaluate(env))


def test_pull_signs_makes_equal_quantities_one_tree():
    assert pull_signs(parse("-(v + 38) / 6")) == pull_signs(parse("-((v + 38) / 6)"))
    assert pull_signs(parse("-(v / (-6))")) == parse("v / 6")


@pytest.mark.parametrize("text", ["0.5 * (1 + tanh((v + 1.2) / 18))",
                                  "(tanh((v - 2) / 30) + 1) * 0.5",
                                  "(1 + tanh(v / 17.4)) / 2"])
def test_logistic_rewriting_equals_half_one_plus_tanh(text):
    e = parse(text)
    new = logistic_from_tanh(e)
    assert "tanh" not in str(new) and "exp" in str(new)
    got, want = new.evaluate({"v": V}), e.evaluate({"v": V})
    np.testing.assert_allclose(got, want, rtol=1e-14, atol=1e-16)


def test_logistic_rewriting_leaves_other_tanh_alone():
    e = parse("tanh(v / 10) + 0.5 * (2 + tanh(v))")
    assert logistic_from_tanh(e) == e


@pytest.mark.parametrize("text", ["1 / (0.2 * cosh(v / 30))", "6 / (v * v + 1)", "v * v + 2"])
def test_reciprocal_of_a_time_constant(text):
    tau = parse(text)
    rate = _reciprocal(tau)
    assert str(rate).count("/") <= max(1, str(tau).count("/"))
    np.testing.assert_allclose(rate.evaluate({"v": V}), 1.0 / tau.evaluate({"v": V}),
                               rtol=1e-14)


def test_invariants_bind_parameter_only_work_and_reciprocals():
    inv = Invariants(["tau", "g", "dtk", "k"])
    e = parse("exp(-dtk / tau) * (v - 3) / k + g * v + exp(v / k)", allowed_names=None)
    new = inv(e)
    bound = dict(inv.bindings)
    assert bound["h0"] == parse("exp(-dtk / tau)", allowed_names=None)
    assert bound["h1"] == Bin("/", Num(1.0), Name("k"))
    assert new.names == {"h0", "h1", "v", "g"}  # g·v is one multiplication: not worth a load
    assert Invariants(["k"])(parse("v ** (1 / 3) / (2 / 3)")) == parse("v ** (1 / 3) / (2 / 3)")
    env = {"tau": 2.5, "g": 0.1, "dtk": 0.025, "k": 7.0, "v": V}
    env_h = {**env, **{n: b.evaluate(env) for n, b in inv.bindings}}
    want = e.evaluate(env)
    # v/k → v·(1/k) changes the rounding of exp's argument (≤ 1 ulp, amplified by |v/k| ≤ 22)
    np.testing.assert_allclose(new.evaluate(env_h), want, rtol=0,
                               atol=1e-14 * np.abs(want).max())


def test_kernels_bind_constant_time_constants_outside_the_loop():
    """inap_ik's n gate (τ = 1 ms) and Morris–Lecar's divisions by parameters: the factor
    exp(−dt/τ) and the reciprocals are computed before the time loop, not in it."""
    source, _ = generate(lower(iz.models.inap_ik_high(), iz.stimulus.step(1.0)))
    loop = source[source.index("for step in range"):source.index("def run_scalar")]
    assert "_f_exp(-dtk * 1.0)" not in loop and "_f_exp(-dtk * 1.0)" in source
    source, _ = generate(lower(iz.models.morris_lecar_hopf(), iz.stimulus.step(1.0)))
    loop = source[source.index("for step in range"):source.index("def run_scalar")]
    assert "/ p" not in loop and "tanh" not in loop


@pytest.mark.parametrize("text", [
    "1 / (1 + exp(-(v + 20) / 15)) * (v - 60)",              # a numeric slope
    "1 / (1 + exp(-2 * (v - a) / b)) * (v - 120)",           # a slope read from parameters
    "0.5 * (1 + tanh((v - a) / b)) * (v - 120)",             # tanh, as the kernels rewrite it
    "(exprel(-(v + 35) / 10) / (exprel(-(v + 35) / 10) + 4 * exp(-(v + 60) / 18))) ** 3",
    "exp(v * v / 4000) * (v + 80) + exp(floor(v / 7))",      # not affine: not shared
])
def test_shifted_exponentials_are_the_current_at_v_plus_dv(text):
    """The current at v + 0.001 written with the exponentials of the current at v (NEURON's
    finite-difference slope) equals the current evaluated at v + 0.001: rtol 1e-14 — the
    factor exp(a·0.001) and the product add two roundings to exp's ≤ 1 ulp (4e-16), and
    exprel_ex(u, e) rounds u + 0.001·a as the direct evaluation does. With exprel the
    reference is NumPy's expm1(u)/u and the kernels' (e^u − 1)/u (as before the rewriting, and
    as NEURON's vtrap) loses 2^-52/|u| relative, |u| ≥ 1e-4 where it is used: rtol 3e-12."""
    rtol = 3e-12 if "exprel" in text else 1e-14
    e = logistic_from_tanh(parse(text, allowed_names=None))
    exposed = expose_exponentials(e, "v")
    shifted = shift_exponentials(exposed, "v", 0.001, "vp")
    env = {"v": V, "vp": V + 0.001, "a": -1.2, "b": 18.0}
    np.testing.assert_allclose(exposed.evaluate(env), e.evaluate(env), rtol=rtol)
    want = e.evaluate({**env, "v": V + 0.001})
    np.testing.assert_allclose(shifted.evaluate(env), want, rtol=rtol, atol=1e-300)
    at_v = {n for n in exposed.walk() if getattr(n, "func", None) == "exp"}
    at_vp = {n for n in shifted.walk() if getattr(n, "func", None) == "exp" and "v" in n.names}
    affine_terms = 0 if "floor" in text else len(at_v)
    assert len(at_v & at_vp) == affine_terms  # every affine exponential is the one at v


def test_finite_difference_slope_costs_no_extra_exponential():
    """The currents of a step, at v and at v + 0.001: inap_ik's instantaneous m∞ with one
    exponential, not 2; Wang–Buzsáki's instantaneous m (α_m an exprel, β_m an exp) with 2, not
    4 (``exprel``/``invexprel`` compute their own exponential, the ``_ex`` forms reuse one)."""
    for cell, want in ((iz.models.inap_ik_high(), 1), (iz.models.wang_buzsaki(), 2)):
        source, _ = generate(lower(cell, iz.stimulus.step(1.0)))
        loop = source[source.index("for step in range"):source.index("def run_scalar")]
        currents = loop[loop.index("ist = "):loop.index("y0 = ")]
        computed = sum(currents.count(f) for f in ("_f_exp(", "_f_exprel(", "_f_invexprel("))
        assert computed == want, currents


@pytest.mark.parametrize("text", [
    "(0.0761 * exp(0.0314 * (v + 94.22)) / (1 + exp(0.0346 * (v + 1.17)))) ** (1 / 3)",
    "(0.00043 / (1e-4 + 1e-6 * v * v)) ** 4.8",
    "(exp(v / 20) * 2.5) ** 0.7",
    "(1 + v * v) ** 1.5",
    "3 ** ((v - 22) / 10)",
    "(2 / exp(v / 30)) ** (-0.5)",
])
def test_log_powers_equal_the_power(text):
    """x ** c as exp(c·log x) with log x expanded over x's positive factors: the same value to
    rounding (each log/exp step ≤ 1 ulp, amplified by |c·log x| ≤ 40 here: rtol 1e-13)."""
    e = parse(text)
    new = log_powers(e)
    assert ("**" in str(new)) == (text == "(1 + v * v) ** 1.5")  # nothing to expand: kept
    np.testing.assert_allclose(new.evaluate({"v": V}), e.evaluate({"v": V}), rtol=1e-13)


def test_log_powers_remove_what_cancels_and_leave_integer_powers():
    a_inf = parse("(0.0761 * exp(0.0314 * (v + 94.22)) / (1 + exp(0.0346 * (v + 1.17)))) "
                  "** (1 / 3)")
    new = log_powers(a_inf)
    assert len(list(new.calls("exp"))) == 2 and len(list(new.calls("log"))) == 1
    assert not [n for n in new.walk() if isinstance(n, Bin) and n.op == "/" and n.names]
    # integer powers (multiplications) and bases without a positive factor stay powers
    for text in ("(1 / (1 + exp(v))) ** 4", "v ** 2", "(v - 1) ** 0", "(1 + v * v) ** 1.5"):
        assert log_powers(parse(text)) == parse(text)


def test_connor_stevens_a_gate_costs_one_exponential_less():
    """The A channel's a∞ in the kernel: (exp, exp, division, log, exp) before, (exp, log, exp)
    now — the fixed-step loop of an HH + A cell counts the exponentials."""
    from ionzoo.channels import classic

    cell = iz.Neuron(channels=(*iz.models.hh1952().channels, classic.cs_a()))
    source, _ = generate(lower(cell, iz.stimulus.step(1.0)))
    loop = source[source.index("for step in range"):source.index("def run_scalar")]
    assert "_f_pow(" not in loop
    assert loop.count("_f_log(") == 1, loop
