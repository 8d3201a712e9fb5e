"""The safe expression language: grammar, evaluation, rendering, and rejection of hostile text."""

import math

import numpy as np
import pytest

from ionzoo.errors import ExpressionError
from ionzoo.expr import (
    LEMSPrinter,
    Name,
    NMODLPrinter,
    PythonPrinter,
    common_subexpressions,
    dexprel,
    diff,
    exprel,
    parse,
    to_text,
)


@pytest.mark.parametrize("text, env, expected", [
    ("1 + 2 * 3", {}, 7.0),
    ("-v / 2", {"v": 4.0}, -2.0),
    ("2 ** 3", {}, 8.0),
    ("exp(0) + log(1) + sqrt(4) + tanh(0) + cosh(0) + abs(-3)", {}, 1 + 0 + 2 + 0 + 1 + 3),
    ("min(v, 1) + max(v, 1)", {"v": 3.0}, 4.0),
    ("0.1 * (v + 40) / (1 - exp(-(v + 40) / 10))", {"v": -30.0}, 1.0 / (1 - math.exp(-1))),
])
def test_evaluates_like_python_math(text, env, expected):
    assert parse(text, allowed_names=env or ("v",)).evaluate(env) == pytest.approx(expected,
                                                                                   rel=1e-15)


def test_exprel_removable_singularity():
    # (e^x - 1)/x -> 1 at 0; compare with math.expm1 away from 0 and with the series near 0.
    assert exprel(0.0) == 1.0
    xs = np.array([1e-12, -1e-9, 1e-5, -3e-5, 1e-3, 0.5, -2.0, 30.0])
    ref = np.array([math.expm1(x) / x for x in xs])
    np.testing.assert_allclose(exprel(xs), ref, rtol=1e-13)


def test_names_are_reported_and_checked():
    e = parse("gbar * exp(v / k)", allowed_names=("v", "gbar", "k"))
    assert e.names == {"v", "gbar", "k"}
    with pytest.raises(ExpressionError, match="unknown name 'w'"):
        parse("w + 1", allowed_names=("v",))


def test_kernel_printer_uses_only_mapped_names_and_prefixed_functions():
    src = PythonPrinter({"v": "x0"}, prefix="_f_")(parse("exp(v) / exprel(v) + v ** 3"))
    assert "x0" in src and "_f_exp(" in src and "_f_invexprel(" in src and "_f_powi(x0, 3)" in src
    assert "v" not in src.replace("_f_invexprel", "")


@pytest.mark.parametrize("text, env, expected", [
    ("v if v > 0 else -v", {"v": -3.0}, 3.0),
    ("1 if v >= 0 and v < 2 else 0", {"v": 1.0}, 1.0),
    ("1 if v < 0 or not v < 5 else 2", {"v": 3.0}, 2.0),
    ("1 if 0 < v < 2 else 0", {"v": 3.0}, 0.0),
])
def test_piecewise_expressions(text, env, expected):
    assert float(parse(text).evaluate(env)) == expected


@pytest.mark.parametrize("text", [
    "1/(1+(-(v+40))**2/100)", "-v ** 2", "(-2.0) ** v", "a - (b - c)", "a / (b * c)",
    "a ** b ** c", "(a ** b) ** c", "2 ** -v", "-(a * b)", "a - -3.0", "--v",
    "v if v > 0 and not v < -3 or v == 1 else -v", "(x if a < b else y) if c >= d else z",
    "exprel(-(v + 40) / 10) * min(v, a) / max(1e-300, heaviside(v))",
])
def test_text_form_parses_back_to_the_same_tree(text):
    tree = parse(text, None)
    assert parse(to_text(tree), None) == tree


def test_text_form_keeps_the_meaning_of_negated_powers():
    """The example of the hostile-input campaign: x∞ = 1/(1 + (−(v + 40))²/100) is 0.2 at
    −60 mV, and stays 0.2 after printing and parsing again (it came back as −0.333)."""
    tree = parse("1/(1+(-(v+40))**2/100)")
    again = parse(to_text(tree))
    assert float(again.evaluate({"v": -60.0})) == pytest.approx(0.2, rel=1e-15)
    lems = LEMSPrinter({"v": "V"})(tree).replace("^", "**")
    assert float(parse(lems, ("V",)).evaluate({"V": -60.0})) == pytest.approx(0.2, rel=1e-15)


def test_nmodl_printer_parenthesises_every_operand():
    text = NMODLPrinter({"v": "v"})(parse("-(v + 40) ** 2 if v < 0 else exp(v)"))
    assert text == "iz_where(iz_lt(v, 0.0), -((v + 40.0)^2.0), iz_exp(v))"


@pytest.mark.parametrize("text", [
    "0.1 / exprel(-(v + 40) / 10)", "4 * exp(-(v + 65) / 18)", "1 / (1 + exp(-(v + 35) / 10))",
    "sqrt(v + 200) * tanh(v / 30) + cosh(v / 40) - abs(v) + log(v + 300)",
    "min(v, -10) + max(v, 20) ** 2 + (v ** 3 if v > 0 else -v)", "(v + 200) ** (v / 100)",
])
def test_symbolic_derivative_matches_finite_differences(text):
    v = np.linspace(-95.0, 45.0, 29) + 0.123  # away from the kinks of min/max/abs/where
    f = parse(text)
    h = 1e-5
    fd = (f.evaluate({"v": v + h}) - f.evaluate({"v": v - h})) / (2 * h)
    np.testing.assert_allclose(diff(f, "v").evaluate({"v": v}), fd, rtol=2e-6, atol=1e-9)


def test_dexprel_is_the_derivative_of_exprel_near_and_far_from_zero():
    x = np.array([0.0, 1e-9, -3e-5, 0.01, -0.0999, 0.1001, 0.7, -4.0, 20.0])
    exact = np.array([0.5] + [(np.exp(t) * (t - 1) + 1) / t**2 for t in x[1:]])
    near = np.abs(x) < 0.05  # the closed form cancels there: compare with the full series
    series = sum(k * x ** (k - 1) / math.factorial(k + 1) for k in range(1, 25))
    np.testing.assert_allclose(dexprel(x)[near], series[near], rtol=1e-12)
    np.testing.assert_allclose(dexprel(x)[~near], exact[~near], rtol=1e-12)


def test_common_subexpressions_bind_repeats_once():
    a = parse("exp(v / 2) * exp(v / 2) + exp(v / 2)")
    b = parse("exp(v / 2) + (v + 1) * (v + 1)")
    bindings, (ra, rb) = common_subexpressions([a, b], prefix="t")
    assert [str(e) for _, e in bindings] == ["exp(v / 2.0)", "v + 1.0"]
    assert str(ra) == "t0 * t0 + t0" and str(rb) == "t0 + t1 * t1"
    env = {"v": 0.7}
    local = dict(env)
    for name, e in bindings:
        local[name] = e.evaluate(local)
    assert float(ra.evaluate(local)) == pytest.approx(float(a.evaluate(env)), rel=1e-15)
    assert Name("t0") in list(ra.walk())


@pytest.mark.parametrize("text, token", [
    ("__import__('os').system('true')", "__import__"),
    ("().__class__", "__class__"),
    ("v.real", ".real"),
    ("open('x')", "open"),
    ("v[0]", "subscript"),
    ("lambda: 1", "lambda"),
    ("'abc'", "'abc'"),
    ("v > 0", "comparison"),
    ("1 if v else 2", "not a condition"),
    ("(v > 0) * 2", "comparison"),
    ("exp(v, 2)", "exp() takes 1"),
    ("exp(x=v)", "keyword"),
    ("1 +", "syntax error"),
    ("v % 2", "Mod"),
])
def test_hostile_or_invalid_text_is_rejected_naming_the_token(text, token):
    with pytest.raises(ExpressionError) as info:
        parse(text, allowed_names=("v",), field="Na.m.alpha")
    msg = str(info.value)
    assert msg.startswith("Na.m.alpha:")
    assert token in msg


def test_non_finite_numbers_rejected():
    with pytest.raises(ExpressionError, match="finite"):
        parse(float("nan"))
    with pytest.raises(ExpressionError, match="finite"):
        parse("1e400")


@pytest.mark.parametrize("key", ["hh1952", "pospischil_lts", "hay2011_soma", "prinz_stg"])
def test_compiled_closures_equal_the_tree_walk_bit_for_bit(key):
    """The dynamics evaluate right-hand sides and Jacobians through closures built once
    (compile_numpy); they must give exactly the tree-walking evaluator's numbers (the same
    NumPy operations in the same order) on every expression of the model, derivatives too."""
    import ionzoo as iz
    from ionzoo.expr import diff
    from ionzoo.expr.evaluate import compile_numpy, evaluate
    from ionzoo.reference import Evaluator

    ev = Evaluator(iz.models.REGISTRY[key]())
    rng = np.random.default_rng(3)
    states = {k: rng.uniform(0.0, 1.0, 50) for k in ev.ir.state_names}
    states["v"] = rng.uniform(-90.0, 40.0, 50)
    env = {**ev.env, **states, "t": np.asarray(0.0)}
    rhs = ev.ir.rhs()
    exprs = list(rhs.values()) + [diff(e, s) for e in rhs.values() for s in ev.ir.state_names]
    for e in exprs:
        np.testing.assert_array_equal(compile_numpy(e)(env), evaluate(e, env))


def test_compiled_closures_name_every_missing_value():
    from ionzoo.expr.evaluate import compile_numpy

    with pytest.raises(ExpressionError, match=r"\['a', 'b'\]"):
        compile_numpy(parse("a * exp(b) + v", allowed_names=("a", "b", "v")))({"v": 1.0})
    with pytest.raises(ExpressionError, match=r"\['a', 'b'\]"):
        parse("a * exp(b) + v", allowed_names=("a", "b", "v")).evaluate({"v": 1.0})
