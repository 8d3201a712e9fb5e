"""The safe expression language: grammar, evaluation, rendering, and rejection of hostile text."""

import math

import numpy as np
import pytest

from ionzoo.errors import ExpressionError
from ionzoo.expr import exprel, parse


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


def test_render_uses_only_mapped_names_and_prefixed_functions():
    src = parse("exp(v) / exprel(v)").render({"v": "x0"}, func_prefix="_f_")
    assert "x0" in src and "_f_exp(" in src and "_f_invexprel(" in src
    assert "v" not in src.replace("_f_invexprel", "")


@pytest.mark.parametrize("text, token", [
    ("__import__('os').system('true')", "__import__"),
    ("().__class__", "__class__"),
    ("v.real", ".real"),
    ("open('x')", "open"),
    ("v[0]", "subscript"),
    ("lambda: 1", "lambda"),
    ("'abc'", "'abc'"),
    ("v if v > 0 else 1", "if"),
    ("v > 0", "comparison"),
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
