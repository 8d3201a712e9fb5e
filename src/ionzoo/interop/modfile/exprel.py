"""``vtrap``-style helpers recognised as ionzoo's ``exprel``.

Published files guard the removable singularity of the exp-linear rate by hand:

    vtrap(x, y) = y·(1 − x/y/2)  if |x/y| < ε  else  x/(exp(x/y) − 1)      (Migliore, Hay…)
    efun(z)     = 1 − z/2        if |z| < ε    else  z/(exp(z) − 1)          (Mainen, Destexhe)
    trap0       = a·d/(1 − exp(−d/q))  if |d| > ε  else  a·q                (Migliore)

Once inlined these are piecewise expressions whose guarded branch is the first-order Taylor
approximation. They are rewritten as ``y/exprel(x/y)``, ``1/exprel(z)`` and
``a·q/exprel(−d/q)``: the same value away from the singularity (checked numerically to 1e-12
relative at sample points before any rewrite is kept) and the exact limit at it, with smooth
derivatives for ionzoo's Jacobians and continuation. A piecewise expression of another shape
is kept as written, and so is a helper whose guarded branch is not the Taylor value above.
"""

from __future__ import annotations

import numpy as np

from ...expr import Bin, Call, Compare, Expr, Num, Where, evaluate

__all__ = ["recognise_exprel"]

_V = np.linspace(-120.0, 80.0, 57) + 0.123  # mV, away from the usual singular points


def _guarded(cond: Expr, ops: tuple[str, ...]) -> Expr | None:
    """``u`` for a guard ``|u| op ε`` (ε ≤ 1e-3, ``op`` one of ``ops``), else None."""
    if (isinstance(cond, Compare) and cond.op in ops and isinstance(cond.right, Num)
            and 0 < cond.right.value <= 1e-3 and isinstance(cond.left, Call)
            and cond.left.func == "abs"):
        return cond.left.args[0]
    return None


def _regular(where: Where) -> tuple[Expr, Expr, Expr] | None:
    """(x, y, the unguarded branch) for ``|u| < ε ? … : x/(exp(u) − 1)`` with u = x/y or x."""
    u, other = _guarded(where.cond, ("<", "<=")), where.other
    if u is None:
        return None
    if not (isinstance(other, Bin) and other.op == "/" and isinstance(other.right, Bin)
            and other.right.op == "-" and other.right.right == Num(1.0)
            and isinstance(other.right.left, Call) and other.right.left.func == "exp"
            and other.right.left.args[0] == u):
        return None
    x = other.left
    if u == x and where.then == Num(1.0) - x / Num(2.0):  # efun: 1 − z/2
        return x, Num(1.0), other
    if (isinstance(u, Bin) and u.op == "/" and u.left == x
            and where.then == u.right * (Num(1.0) - u / Num(2.0))):  # vtrap: y·(1 − x/y/2)
        return x, u.right, other
    return None


def _trap0(where: Where) -> tuple[Expr, Expr] | None:
    """(``a·q/exprel(−d/q)``, the unguarded branch) for Migliore's ``trap0``:
    ``|d| > ε ? a·d/(1 − exp(−d/q)) : a·q``."""
    d, then = _guarded(where.cond, (">", ">=")), where.then
    if d is None:
        return None
    if not (isinstance(then, Bin) and then.op == "/" and isinstance(then.left, Bin)
            and then.left.op == "*" and then.left.right == d and isinstance(then.right, Bin)
            and then.right.op == "-" and then.right.left == Num(1.0)
            and isinstance(then.right.right, Call) and then.right.right.func == "exp"):
        return None
    w = then.right.right.args[0]
    if not (isinstance(w, Bin) and w.op == "/" and w.left in (-d, Num(-1.0) * d)
            and where.other == then.left.left * w.right):  # the guarded branch a·q
        return None
    return then.left.left * w.right / Call("exprel", (w,)), then


def _same(a: Expr, b: Expr, env: dict) -> bool:
    with np.errstate(all="ignore"):
        va = np.asarray(evaluate(a, env), dtype=float)
        vb = np.asarray(evaluate(b, env), dtype=float)
    ok = np.isfinite(va) & np.isfinite(vb) & (np.abs(vb) > 1e-300)
    return bool(ok.sum() >= 10 and np.all(np.abs(va[ok] / vb[ok] - 1.0) < 1e-12))


def recognise_exprel(tree: Expr, values: dict[str, float]) -> Expr:
    """``tree`` with guarded exp-linear helpers written with ``exprel`` (names other than
    ``v`` take ``values``, cai 1e-4 mM and celsius 22 °C for the numeric check)."""
    env = {"v": _V, "cai": np.full(_V.shape, 1e-4), "cao": np.full(_V.shape, 2.0),
           "celsius": np.full(_V.shape, 22.0)}
    env.update({k: np.full(_V.shape, val) for k, val in values.items()})

    def go(node: Expr) -> Expr:
        kids = node.children()
        if kids:
            node = node.with_children(tuple(go(k) for k in kids))
        if isinstance(node, Where) and not (node.names - set(env)):
            found = _regular(node)
            if found is not None:
                x, y, branch = found
                u = x if y == Num(1.0) else x / y
                new = (Num(1.0) if y == Num(1.0) else y) / Call("exprel", (u,))
                if _same(new, branch, env):
                    return new
            trap = _trap0(node)
            if trap is not None and _same(trap[0], trap[1], env):
                return trap[0]
        return node

    return go(tree)
