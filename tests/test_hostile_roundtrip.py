"""Class 4 of the hardening issue: an exported then imported expression is the same expression.

Hypothesis builds random expression trees (every binary operator, negation, every function a
user may write, negative and tiny numbers, nested powers — the shapes where a printer that
drops parentheses changes the meaning) and checks that

* ionzoo's text form parses back to the *same tree* (equality by structure), and
* the LEMS printer read back by the NeuroML importer gives the *same values* at a grid of
  voltages (the importer folds exprel/min/max back, so the tree may be spelt differently;
  the values are compared to 1e-12 relative — printing uses ``repr`` of every number, so the
  only difference allowed is the last-bit rounding of a written-out exprel/min/max).

The number of examples is bounded (``max_examples``) so the tier stays fast in CI.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from ionzoo.errors import ExpressionError
from ionzoo.expr import evaluate, parse, to_text
from ionzoo.expr.nodes import Bin, Call, Name, Neg, Num
from ionzoo.expr.parse import MAX_LENGTH
from ionzoo.interop.neuroml import _from_lems, _lems

V = np.linspace(-100.0, 60.0, 33)
numbers = st.one_of(
    st.sampled_from([0.0, 1.0, -1.0, 2.0, 0.5, -40.0, 1e-3, 100.0]),
    st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False).filter(lambda x: x != 0),
).map(Num)
leaves = st.one_of(st.just(Name("v")), numbers)
ONE_ARG = ["exp", "log", "sqrt", "tanh", "cosh", "sinh", "abs", "exprel", "heaviside", "floor"]


def _negate(arg):
    # −(number) is a number in a parsed tree (the parser folds the sign into the constant)
    return Num(-arg.value) if isinstance(arg, Num) else Neg(arg)


def _grow(children):
    return st.one_of(
        st.builds(Bin, st.sampled_from(["+", "-", "*", "/"]), children, children),
        st.builds(lambda a, n: Bin("**", a, Num(float(n))), children, st.integers(-3, 4)),
        st.builds(_negate, children),
        st.builds(lambda f, a: Call(f, (a,)), st.sampled_from(ONE_ARG), children),
        st.builds(lambda f, a, b: Call(f, (a, b)), st.sampled_from(["min", "max"]), children,
                  children),
    )


trees = st.recursive(leaves, _grow, max_leaves=12)
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _values(tree):
    with np.errstate(all="ignore"):
        return np.asarray(evaluate(tree, {"v": V}), dtype=float) * np.ones_like(V)


@SETTINGS
@given(trees)
def test_text_form_parses_back_to_the_same_tree(tree):
    assert parse(to_text(tree)) == tree


@SETTINGS
@given(trees)
def test_lems_form_reads_back_to_the_same_values(tree):
    text = _lems(tree, {"v": "V"})
    # LEMS has no min/max: each is written a + (b − a)·H(a − b), doubling its operands, so
    # nested ones can outgrow the reader's length limit (refused clearly: the test below)
    assume(len(text) <= MAX_LENGTH)
    back = _from_lems(text, "test")
    a, b = _values(tree), _values(back)
    same = (np.isnan(a) & np.isnan(b)) | np.isclose(a, b, rtol=1e-12, atol=1e-300) | (a == b)
    assert same.all(), (to_text(tree), to_text(back))


@pytest.mark.parametrize("text", [
    "1/(1+(-(v+40))**2/100)",          # the issue's example: x∞(−60) must be 0.2, not −0.333
    "-(v+40)**2", "(-(v+40))**2", "2**-v/10", "2**(-v/10)", "-2**2", "(-2)**2",
    "v - (v - 1)", "v / (v / 2)", "v ** 2 ** 0.5", "(v ** 2) ** 0.5", "-(-v)",
])
def test_hand_picked_precedence_cases(text):
    tree = parse(text)
    assert parse(to_text(tree)) == tree
    back = _from_lems(_lems(tree, {"v": "V"}), "test")
    np.testing.assert_allclose(_values(back), _values(tree), rtol=1e-14, equal_nan=True)


def test_issue_example_value():
    back = _from_lems(_lems(parse("1/(1+(-(v+40))**2/100)"), {"v": "V"}), "test")
    assert float(evaluate(back, {"v": -60.0})) == pytest.approx(0.2, rel=1e-15)


def test_lems_forms_beyond_the_reader_limits_are_refused_clearly():
    """Eight nested min() double into a LEMS text of more than 4000 characters: the reader
    refuses it by name; 40 nested brackets within the limit parse, 81 do not."""
    tree = Name("v")
    for _ in range(8):
        tree = Call("min", (tree, Name("v")))
    text = _lems(tree, {"v": "V"})
    assert len(text) > MAX_LENGTH
    with pytest.raises(ExpressionError, match="longer than"):
        _from_lems(text, "test")
    assert parse("(" * 40 + "v" + ")" * 40) == Name("v")
    with pytest.raises(ExpressionError, match="nested too deeply"):
        parse("(" * 81 + "v" + ")" * 81)
