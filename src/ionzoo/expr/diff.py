"""Symbolic differentiation of expression trees.

``diff(expr, "v")`` is ∂expr/∂v as a new tree. The rules are the textbook ones; ``exprel'`` is
the function ``dexprel`` (its own series near 0), ``abs'`` and the derivatives of ``min``/``max``
and piecewise expressions are piecewise, ``heaviside' = 0`` (almost everywhere). Results are
simplified as they are built (x·1, x + 0, 0·x, constants folded), which drops NaN propagation
through a factor that is identically zero — harmless for Jacobians.
"""

from __future__ import annotations

from ..errors import ExpressionError
from .nodes import Bin, Call, Compare, Expr, Name, Neg, Num, Where
from .visit import Visitor

__all__ = ["diff", "add", "sub", "mul", "div", "neg"]

ZERO, ONE = Num(0.0), Num(1.0)


def _is(node: Expr, value: float) -> bool:
    return isinstance(node, Num) and node.value == value


def add(a: Expr, b: Expr) -> Expr:
    """a + b, dropping zeros."""
    if _is(a, 0.0):
        return b
    if _is(b, 0.0):
        return a
    return a + b


def sub(a: Expr, b: Expr) -> Expr:
    """a − b, dropping zeros."""
    if _is(b, 0.0):
        return a
    if _is(a, 0.0):
        return neg(b)
    return a - b


def neg(a: Expr) -> Expr:
    """−a (−(−x) = x)."""
    if isinstance(a, Neg):
        return a.arg
    return -a


def mul(a: Expr, b: Expr) -> Expr:
    """a · b, dropping ones and zeros."""
    if _is(a, 0.0) or _is(b, 0.0):
        return ZERO
    if _is(a, 1.0):
        return b
    if _is(b, 1.0):
        return a
    if _is(a, -1.0):
        return neg(b)
    if _is(b, -1.0):
        return neg(a)
    return a * b


def div(a: Expr, b: Expr) -> Expr:
    """a / b, dropping ones and zeros."""
    if _is(a, 0.0):
        return ZERO
    if _is(b, 1.0):
        return a
    return a / b


class _Diff(Visitor):
    def __init__(self, var: str) -> None:
        self.var = var
        self.memo: dict[Expr, Expr] = {}

    def visit(self, node: Expr) -> Expr:
        hit = self.memo.get(node)
        if hit is None:
            if self.var not in node.names:
                hit = ZERO
            else:
                hit = super().visit(node)
            self.memo[node] = hit
        return hit

    def visit_Num(self, node: Num) -> Expr:
        return ZERO

    def visit_Name(self, node: Name) -> Expr:
        return ONE if node.id == self.var else ZERO

    def visit_Neg(self, node: Neg) -> Expr:
        return neg(self.visit(node.arg))

    def visit_Bin(self, node: Bin) -> Expr:
        a, b = node.left, node.right
        da, db = self.visit(a), self.visit(b)
        if node.op == "+":
            return add(da, db)
        if node.op == "-":
            return sub(da, db)
        if node.op == "*":
            return add(mul(da, b), mul(a, db))
        if node.op == "/":
            return sub(div(da, b), div(mul(a, db), mul(b, b)))
        # power
        if isinstance(b, Num):
            return mul(mul(b, a ** Num(b.value - 1.0)), da)
        term_b = mul(mul(node, Call("log", (a,))), db)
        term_a = mul(mul(b, a ** sub(b, ONE)), da)
        return add(term_a, term_b)

    def visit_Call(self, node: Call) -> Expr:
        f = node.func
        if f in ("min", "max"):
            a, b = node.args
            cond = Compare("<=" if f == "min" else ">=", a, b)
            return Where(cond, self.visit(a), self.visit(b))
        (x,) = node.args
        dx = self.visit(x)
        if f == "exp":
            outer: Expr = node
        elif f == "log":
            return div(dx, x)
        elif f == "sqrt":
            return div(dx, mul(Num(2.0), node))
        elif f == "tanh":
            outer = sub(ONE, mul(node, node))
        elif f == "cosh":
            outer = Call("sinh", (x,))
        elif f == "sinh":
            outer = Call("cosh", (x,))
        elif f == "abs":
            outer = Where(Compare(">=", x, ZERO), ONE, Num(-1.0))
        elif f == "exprel":
            outer = Call("dexprel", (x,))
        elif f in ("heaviside", "floor"):
            return ZERO
        else:
            raise ExpressionError("expression", f"cannot differentiate {f}()")
        return mul(outer, dx)

    def visit_Where(self, node: Where) -> Expr:
        then, other = self.visit(node.then), self.visit(node.other)
        if then == other:
            return then
        return Where(node.cond, then, other)


def diff(node: Expr, var: str) -> Expr:
    """∂node/∂var (``var`` a free name of the tree; other names are held constant)."""
    if node.kind != "number":
        raise ExpressionError("expression", "only numeric expressions can be differentiated")
    return _Diff(var).visit(node)
