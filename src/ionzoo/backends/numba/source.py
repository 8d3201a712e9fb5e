"""Printing IR expressions as kernel source: flavours, assignment blocks with shared
sub-expressions, and shared exponentials.

Every emitter builds its kernel from :func:`assign` blocks: a list of ``(target, expression)``
pairs is printed with the repeated sub-expressions bound once to temporaries (the tree-level
CSE of :func:`ionzoo.expr.common_subexpressions`), so the source stays close to what a person
would write and the compiler gets one copy of each quantity.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ...expr import (
    Call,
    Expr,
    Name,
    Num,
    PythonPrinter,
    affine,
    common_subexpressions,
    transform,
)

__all__ = ["Flavor", "F64", "EXACT", "render", "assign", "share_exponentials"]


@dataclass(frozen=True)
class Flavor:
    """How numbers and helpers appear in a kernel: ``dtype`` of the arithmetic, ``exact``
    (libm functions, for the reference paths) or fast (the vectorisable helpers)."""

    dtype: str = "float64"
    exact: bool = False

    @property
    def prefix(self) -> str:
        """Prefix of the helpers (:mod:`ionzoo.backends.numba.fastmath`)."""
        if self.exact:
            return "_x_"
        return "_f_" if self.dtype == "float64" else "_g_"

    def lit(self, c: float) -> str:
        """A literal of the kernel's type (a bare float64 literal would promote float32)."""
        if self.dtype == "float64" or self.exact:
            return repr(float(c))
        return f"_T({float(c)!r})"


F64 = Flavor()
EXACT = Flavor(exact=True)


def render(expr: Expr, names: Mapping[str, str], flavor: Flavor) -> str:
    """Kernel source of ``expr`` with its free names mapped by ``names``."""
    return PythonPrinter(names, flavor.prefix, flavor.lit)(expr)


def assign(pairs: Iterable[tuple[str, Expr]], names: Mapping[str, str], flavor: Flavor,
           ind: str, prefix: str) -> list[str]:
    """Lines ``target = expr`` for every pair, repeated sub-expressions bound first to
    temporaries ``<prefix><k>``."""
    pairs = list(pairs)
    bindings, rewritten = common_subexpressions([e for _, e in pairs], prefix=prefix)
    local = dict(names)
    lines = []
    for name, e in bindings:
        lines.append(f"{ind}{name} = {render(e, local, flavor)}")
        local[name] = name
    for (target, _), e in zip(pairs, rewritten):
        lines.append(f"{ind}{target} = {render(e, local, flavor)}")
    return lines


def share_exponentials(exprs: list[Expr], var: str = "v", prefix: str = "ex",
                       ) -> tuple[list[tuple[str, Expr]], list[Expr]]:
    """Exponentials whose arguments are affine in ``var`` with the same slope share one ``exp``:
    exp(a·v + b) = exp(a·v)·e^b, with e^b a constant of the kinetics.

    HH's six rate exponentials have four distinct slopes (−1/10 three times), so each step
    needs 4 instead of 6 rate exponentials. Only slopes that occur at least twice are shared,
    and only where e^b stays well inside the float range (|b| ≤ 300). Returns the bindings
    ``(ex<k>, exp(a·v))`` and the rewritten expressions (``exprel`` becomes ``exprel_ex``).
    """
    counts: dict[float, int] = {}
    for e in exprs:
        for c in e.calls("exp", "exprel"):
            ab = affine(c.args[0], var)
            if ab is not None and ab[0] != 0.0 and abs(ab[1]) <= 300.0:
                counts[ab[0]] = counts.get(ab[0], 0) + 1
    slopes = [a for a, n in counts.items() if n >= 2]
    if not slopes:
        return [], exprs
    index = {a: k for k, a in enumerate(slopes)}

    def leaf(node: Expr) -> Expr | None:
        if not (isinstance(node, Call) and node.func in ("exp", "exprel")):
            return None
        ab = affine(node.args[0], var)
        if ab is None or ab[0] not in index or abs(ab[1]) > 300.0:
            return None
        shared = Name(f"{prefix}{index[ab[0]]}") * Num(math.exp(ab[1]))
        return shared if node.func == "exp" else Call("exprel_ex", (node.args[0], shared))

    bindings: list[tuple[str, Expr]] = [(f"{prefix}{k}", Call("exp", (Num(a) * Name(var),)))
                                        for k, a in enumerate(slopes)]
    return bindings, [transform(e, leaf) for e in exprs]
