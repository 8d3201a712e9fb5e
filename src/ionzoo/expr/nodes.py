"""Typed, frozen expression nodes.

An expression is a tree of immutable nodes. Nodes compare and hash by structure, so two
independently built trees of the same formula are equal (and share one compiled kernel).

============  ==================================================  ===========
node          meaning                                             value kind
============  ==================================================  ===========
:class:`Num`  a finite number                                     number
:class:`Name` a free name (``v``, ``cai``, ``Na.gbar`` …)          number
:class:`Neg`  ``-arg``                                            number
:class:`Bin`  ``left op right``, op in ``+ - * / **``             number
:class:`Call` ``func(args…)`` of a whitelisted function           number
:class:`Compare` ``left op right``, op in ``< <= > >= == !=``     boolean
:class:`Logic` ``left and right`` / ``left or right``             boolean
:class:`Not`  ``not arg``                                         boolean
:class:`Where` ``then if cond else other`` (piecewise)            number
:class:`Lookup` ``table`` sampled at fractional ``index``           number
============  ==================================================  ===========

Python operators build trees (``Name("v") * 2 + 1``), folding only exact identities of constants
(``Num + Num``); :func:`as_expr` turns numbers and names into nodes.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import ClassVar

__all__ = ["Expr", "Num", "Name", "Neg", "Bin", "Call", "Compare", "Logic", "Not", "Where",
           "Lookup", "as_expr", "FUNCTIONS", "USER_FUNCTIONS", "BIN_OPS", "COMPARE_OPS"]

#: Every function a tree may call, with its number of arguments. Two are internal and cannot be
#: written by users: ``dexprel`` (the derivative of ``exprel``, from symbolic differentiation)
#: and ``exprel_ex(x, e)`` (exprel(x) given e = exp(x), from the kernels' shared exponentials).
FUNCTIONS: dict[str, int] = {
    "exp": 1, "log": 1, "sqrt": 1, "tanh": 1, "cosh": 1, "sinh": 1, "abs": 1,
    "exprel": 1, "min": 2, "max": 2, "heaviside": 1, "floor": 1, "dexprel": 1, "exprel_ex": 2,
}
#: The functions a user's text may call.
USER_FUNCTIONS = {k: n for k, n in FUNCTIONS.items() if k not in ("dexprel", "exprel_ex")}
BIN_OPS = ("+", "-", "*", "/", "**")
COMPARE_OPS = ("<", "<=", ">", ">=", "==", "!=")


class Expr:
    """Base class of expression nodes (immutable; equal and hashable by structure)."""

    __slots__ = ()
    #: ``"number"`` or ``"boolean"``: what the node evaluates to.
    kind: ClassVar[str] = "number"

    # --------------------------------------------------------------------- structure
    def children(self) -> tuple[Expr, ...]:
        """The direct sub-expressions, in order."""
        return ()

    def with_children(self, children: tuple[Expr, ...]) -> Expr:
        """A node of the same type and attributes with new children."""
        return self

    def walk(self) -> Iterator[Expr]:
        """Every node of the tree, depth first (this node first)."""
        stack: list[Expr] = [self]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(node.children()))

    @property
    def names(self) -> frozenset[str]:
        """The free names the expression reads."""
        return frozenset(n.id for n in self.walk() if isinstance(n, Name))

    def calls(self, *funcs: str) -> list[Call]:
        """Every call of one of ``funcs`` (all calls when none is given)."""
        return [n for n in self.walk() if isinstance(n, Call) and (not funcs or n.func in funcs)]

    def exp_arguments(self) -> list[Expr]:
        """The argument of every ``exp``/``exprel`` call (for shared-exponential analysis)."""
        return [c.args[0] for c in self.calls("exp", "exprel")]

    def size(self) -> int:
        """Number of nodes."""
        return sum(1 for _ in self.walk())

    # --------------------------------------------------------------------- use
    def __str__(self) -> str:
        from .printers import to_text

        return to_text(self)

    def evaluate(self, env):
        """Evaluate with NumPy; ``env`` maps every free name to a value (see
        :func:`ionzoo.expr.evaluate`)."""
        from .evaluate import evaluate

        return evaluate(self, env)

    # --------------------------------------------------------------------- building
    def __add__(self, other: object) -> Expr:
        return _bin("+", self, as_expr(other))

    def __radd__(self, other: object) -> Expr:
        return _bin("+", as_expr(other), self)

    def __sub__(self, other: object) -> Expr:
        return _bin("-", self, as_expr(other))

    def __rsub__(self, other: object) -> Expr:
        return _bin("-", as_expr(other), self)

    def __mul__(self, other: object) -> Expr:
        return _bin("*", self, as_expr(other))

    def __rmul__(self, other: object) -> Expr:
        return _bin("*", as_expr(other), self)

    def __truediv__(self, other: object) -> Expr:
        return _bin("/", self, as_expr(other))

    def __rtruediv__(self, other: object) -> Expr:
        return _bin("/", as_expr(other), self)

    def __pow__(self, other: object) -> Expr:
        return _bin("**", self, as_expr(other))

    def __rpow__(self, other: object) -> Expr:
        return _bin("**", as_expr(other), self)

    def __neg__(self) -> Expr:
        if isinstance(self, Num):
            return Num(-self.value)
        return Neg(self)


@dataclass(frozen=True, slots=True)
class Num(Expr):
    """A finite number."""

    value: float

    def __post_init__(self) -> None:
        v = float(self.value)
        if not math.isfinite(v):
            raise ValueError(f"Num: {self.value!r} is not finite")
        object.__setattr__(self, "value", v + 0.0)  # -0.0 -> 0.0: one tree per value


@dataclass(frozen=True, slots=True)
class Name(Expr):
    """A free name: the membrane potential ``v``, a state, a parameter, ``t``, ``celsius``…"""

    id: str


@dataclass(frozen=True, slots=True)
class Neg(Expr):
    """Unary minus."""

    arg: Expr

    def children(self) -> tuple[Expr, ...]:
        return (self.arg,)

    def with_children(self, children: tuple[Expr, ...]) -> Expr:
        return -children[0]


@dataclass(frozen=True, slots=True)
class Bin(Expr):
    """A binary arithmetic operation (``op`` in ``+ - * / **``)."""

    op: str
    left: Expr
    right: Expr

    def children(self) -> tuple[Expr, ...]:
        return (self.left, self.right)

    def with_children(self, children: tuple[Expr, ...]) -> Expr:
        return Bin(self.op, children[0], children[1])


@dataclass(frozen=True, slots=True)
class Call(Expr):
    """A call of a whitelisted function (:data:`FUNCTIONS`)."""

    func: str
    args: tuple[Expr, ...]

    def __post_init__(self) -> None:
        if self.func not in FUNCTIONS:
            raise ValueError(f"Call: unknown function {self.func!r}")
        if len(self.args) != FUNCTIONS[self.func]:
            raise ValueError(f"Call: {self.func}() takes {FUNCTIONS[self.func]} argument(s)")

    def children(self) -> tuple[Expr, ...]:
        return self.args

    def with_children(self, children: tuple[Expr, ...]) -> Expr:
        return Call(self.func, tuple(children))


@dataclass(frozen=True, slots=True)
class Compare(Expr):
    """A comparison of two numbers (a boolean)."""

    op: str
    left: Expr
    right: Expr
    kind: ClassVar[str] = "boolean"

    def children(self) -> tuple[Expr, ...]:
        return (self.left, self.right)

    def with_children(self, children: tuple[Expr, ...]) -> Expr:
        return Compare(self.op, children[0], children[1])


@dataclass(frozen=True, slots=True)
class Logic(Expr):
    """``left and right`` or ``left or right`` of two booleans."""

    op: str
    left: Expr
    right: Expr
    kind: ClassVar[str] = "boolean"

    def children(self) -> tuple[Expr, ...]:
        return (self.left, self.right)

    def with_children(self, children: tuple[Expr, ...]) -> Expr:
        return Logic(self.op, children[0], children[1])


@dataclass(frozen=True, slots=True)
class Not(Expr):
    """Logical negation of a boolean."""

    arg: Expr
    kind: ClassVar[str] = "boolean"

    def children(self) -> tuple[Expr, ...]:
        return (self.arg,)

    def with_children(self, children: tuple[Expr, ...]) -> Expr:
        return Not(children[0])


@dataclass(frozen=True, slots=True)
class Where(Expr):
    """Piecewise: ``then`` where ``cond`` holds, else ``other``."""

    cond: Expr
    then: Expr
    other: Expr

    def children(self) -> tuple[Expr, ...]:
        return (self.cond, self.then, self.other)

    def with_children(self, children: tuple[Expr, ...]) -> Expr:
        return Where(children[0], children[1], children[2])


@dataclass(frozen=True, slots=True)
class Lookup(Expr):
    """Linear interpolation of the samples of array ``table`` at fractional sample ``index``
    (0 outside the samples): a sampled waveform. Only code builds it; text cannot name one."""

    table: str
    index: Expr

    def children(self) -> tuple[Expr, ...]:
        return (self.index,)

    def with_children(self, children: tuple[Expr, ...]) -> Expr:
        return Lookup(self.table, children[0])


def as_expr(value: object) -> Expr:
    """A node from an :class:`Expr` (returned as is), a number or a name string."""
    if isinstance(value, Expr):
        return value
    if isinstance(value, bool):
        raise TypeError("a boolean is not an expression")
    if isinstance(value, (int, float)) or hasattr(value, "__float__"):
        return Num(float(value))  # type: ignore[arg-type]
    if isinstance(value, str):
        return Name(value)
    raise TypeError(f"cannot make an expression from {type(value).__name__}")


def _bin(op: str, a: Expr, b: Expr) -> Expr:
    """``a op b``, folding two numbers (the same IEEE operation the kernel would do)."""
    if isinstance(a, Num) and isinstance(b, Num):
        x, y = a.value, b.value
        try:
            val = {"+": x + y, "-": x - y, "*": x * y}.get(op)
            if val is None:
                val = x / y if op == "/" else x ** y
        except (ZeroDivisionError, OverflowError, ValueError):
            return Bin(op, a, b)
        if isinstance(val, float) and math.isfinite(val):
            return Num(val)
    return Bin(op, a, b)
