"""The one visitor, and the tree transformations built on it.

:class:`Visitor` dispatches on the node's class (``visit_Num``, ``visit_Bin``…; ``generic`` for
anything without a method). Every printer, the evaluator and the differentiator are visitors.
The transformations here rebuild trees bottom-up: :func:`substitute` (names → expressions),
:func:`rename`, :func:`common_subexpressions` and :func:`pull_signs` (for the kernel emitters)
and :func:`affine`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from .nodes import Bin, Expr, Name, Neg, Num

__all__ = ["Visitor", "transform", "substitute", "rename", "common_subexpressions", "affine",
           "pull_signs"]


class Visitor:
    """Dispatch ``visit(node)`` to ``visit_<NodeClass>(node)``."""

    def visit(self, node: Expr) -> Any:
        method = getattr(self, "visit_" + type(node).__name__, None)
        if method is None:
            return self.generic(node)
        return method(node)

    def generic(self, node: Expr) -> Any:
        raise NotImplementedError(f"{type(self).__name__} cannot handle {type(node).__name__}")


def transform(node: Expr, leaf) -> Expr:
    """``node`` rebuilt bottom-up: where ``leaf(n)`` returns a node, it replaces ``n`` (and its
    subtree); where it returns None, ``n`` is kept with its children transformed."""
    memo: dict[Expr, Expr] = {}

    def go(n: Expr) -> Expr:
        hit = memo.get(n)
        if hit is not None:
            return hit
        new = leaf(n)
        if new is None:
            kids = n.children()
            if kids:
                new_kids = tuple(go(k) for k in kids)
                new = n if new_kids == kids else n.with_children(new_kids)
            else:
                new = n
        memo[n] = new
        return new

    return go(node)


def substitute(node: Expr, mapping: Mapping[str, Expr]) -> Expr:
    """``node`` with every ``Name(k)`` of ``mapping`` replaced by ``mapping[k]``."""
    if not mapping:
        return node
    return transform(node, lambda n: mapping.get(n.id) if isinstance(n, Name) else None)


def rename(node: Expr, mapping: Mapping[str, str]) -> Expr:
    """``node`` with names renamed (``{"V": "v"}``)."""
    return substitute(node, {k: Name(v) for k, v in mapping.items()})


def common_subexpressions(exprs: Iterable[Expr], prefix: str = "c",
                          ) -> tuple[list[tuple[str, Expr]], list[Expr]]:
    """Bind every compound sub-expression that occurs more than once to a temporary.

    Returns ``(bindings, rewritten)``: ``bindings`` is a list of ``(name, expr)`` in an order
    where each binding uses only earlier ones; ``rewritten`` are the input expressions reading
    the temporaries. Numbers and names are never bound.
    """
    exprs = list(exprs)
    counts: dict[Expr, int] = {}

    def count(n: Expr) -> None:
        if not n.children():
            return
        seen = counts.get(n, 0)
        counts[n] = seen + 1
        if seen == 0:  # a repeated subtree is bound once: its children count once for it
            for k in n.children():
                count(k)

    for e in exprs:
        count(e)
    names: dict[Expr, str] = {}
    bindings: list[tuple[str, Expr]] = []

    def bind(n: Expr) -> Expr:
        if not n.children():
            return n
        if n in names:
            return Name(names[n])
        new = n.with_children(tuple(bind(k) for k in n.children()))
        if counts.get(n, 0) > 1:
            name = f"{prefix}{len(bindings)}"
            names[n] = name
            bindings.append((name, new))
            return Name(name)
        return new

    rewritten = [bind(e) for e in exprs]
    return bindings, rewritten


def affine(node: Expr, var: str = "v") -> tuple[float, float] | None:
    """``(a, b)`` when ``node`` equals ``a·var + b`` with numeric constants, else None."""
    if isinstance(node, Num):
        return (0.0, node.value)
    if isinstance(node, Name):
        return (1.0, 0.0) if node.id == var else None
    if isinstance(node, Neg):
        inner = affine(node.arg, var)
        return None if inner is None else (-inner[0], -inner[1])
    if isinstance(node, Bin):
        left, right = affine(node.left, var), affine(node.right, var)
        if left is None or right is None:
            return None
        if node.op == "+":
            return (left[0] + right[0], left[1] + right[1])
        if node.op == "-":
            return (left[0] - right[0], left[1] - right[1])
        if node.op == "*":
            if left[0] == 0.0:
                return (left[1] * right[0], left[1] * right[1])
            if right[0] == 0.0:
                return (left[0] * right[1], left[1] * right[1])
            return None
        if node.op == "/" and right[0] == 0.0 and right[1] != 0.0:
            return (left[0] / right[1], left[1] / right[1])
    return None



def pull_signs(node: Expr) -> Expr:
    """``node`` with the signs of quotients moved in front of them and double negations
    removed: (−a)/b, a/(−b) and a/(−c) for a number c become −(a/b), −(a/c); −(−a) becomes a.

    Every rule is exact in IEEE arithmetic (rounding is symmetric in sign), so the value is
    unchanged bit for bit; what changes is that equal quantities written with their signs in
    different places (a channel's α inside x∞ and again inside its hand-written τ) become one
    tree, which :func:`common_subexpressions` then computes once.
    """
    memo: dict[Expr, Expr] = {}

    def go(n: Expr) -> Expr:
        hit = memo.get(n)
        if hit is not None:
            return hit
        kids = n.children()
        new_kids = tuple(go(k) for k in kids)
        m = n if new_kids == kids else n.with_children(new_kids)
        out = _pull(m)
        memo[n] = out
        return out

    return go(node)


def _pull(n: Expr) -> Expr:
    if isinstance(n, Neg) and isinstance(n.arg, Neg):
        return n.arg.arg
    if isinstance(n, Bin) and n.op == "/":
        a, b = n.left, n.right
        if isinstance(b, Num) and b.value < 0.0:
            return _pull(Neg(_pull(Bin("/", a, Num(-b.value)))))
        if isinstance(a, Neg):
            return _pull(Neg(_pull(Bin("/", a.arg, b))))
        if isinstance(b, Neg):
            return _pull(Neg(_pull(Bin("/", a, b.arg))))
    return n
