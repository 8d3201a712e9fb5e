"""One printer per target, each parenthesising by precedence.

========================  ===========================================================
printer                   output
========================  ===========================================================
:func:`to_text`           ionzoo's own text (Python syntax): parses back to the same tree
:class:`PythonPrinter`    source for the generated Numba kernels (names mapped to
                          variables, functions to the kernel's helpers)
:class:`NMODLPrinter`     NMODL (``^`` for powers, helper ``FUNCTION``s for the rest)
:class:`LEMSPrinter`      LEMS value expressions (NeuroML ComponentTypes)
========================  ===========================================================

Parentheses follow the target's precedence and associativity, so that every printed expression
means exactly its tree: ``-(v + 40) ** 2`` stays ``(-(v + 40)) ** 2`` where that is the tree.
The targets without a reliable precedence table (NMODL, LEMS) parenthesise every compound
operand.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from .nodes import Bin, Call, Compare, Expr, Logic, Lookup, Name, Neg, Not, Num, Where
from .visit import Visitor

__all__ = ["Printer", "to_text", "PythonPrinter", "NMODLPrinter", "LEMSPrinter", "precedence"]

_ATOM = 15
_POW = 13
_UNARY = 12
_PREC = {"+": 10, "-": 10, "*": 11, "/": 11, "**": _POW}
_COMPARE = 5
_NOT, _AND, _OR, _WHERE = 4, 3, 2, 1


def precedence(node: Expr) -> int:
    """Python's binding strength of the node's outermost operator (higher binds tighter)."""
    if isinstance(node, Num):
        return _UNARY if node.value < 0 else _ATOM
    if isinstance(node, Neg):
        return _UNARY
    if isinstance(node, Bin):
        return _PREC[node.op]
    if isinstance(node, Compare):
        return _COMPARE
    if isinstance(node, Logic):
        return _AND if node.op == "and" else _OR
    if isinstance(node, Not):
        return _NOT
    if isinstance(node, Where):
        return _WHERE
    return _ATOM


class Printer(Visitor):
    """Python-syntax printer; subclasses change names, numbers, calls and operators."""

    #: Parenthesise every compound operand (targets whose precedence rules differ or are
    #: undocumented).
    full_parens = False

    def __call__(self, node: Expr) -> str:
        return self.visit(node)

    # ----------------------------------------------------------------- leaves (override)
    def number(self, value: float) -> str:
        return repr(value)

    def name(self, ident: str) -> str:
        return ident

    def call(self, func: str, args: list[str], node: Call) -> str:
        return f"{func}({', '.join(args)})"

    def power(self, base: str, exponent: str, node: Bin) -> str:
        return f"{base} ** {exponent}"

    # ----------------------------------------------------------------- structure
    def wrap(self, child: Expr, need: bool) -> str:
        text = self.visit(child)
        compound = bool(child.children()) or (isinstance(child, Num) and child.value < 0)
        if need or (self.full_parens and compound):
            return f"({text})"
        return text

    def visit_Num(self, node: Num) -> str:
        return self.number(node.value)

    def visit_Name(self, node: Name) -> str:
        return self.name(node.id)

    def visit_Neg(self, node: Neg) -> str:
        return "-" + self.wrap(node.arg, precedence(node.arg) < _UNARY)

    def visit_Bin(self, node: Bin) -> str:
        lp, rp = precedence(node.left), precedence(node.right)
        if node.op == "**":
            left = self.wrap(node.left, lp <= _POW)
            right = self.wrap(node.right, rp < _UNARY)
            return self.power(left, right, node)
        p = _PREC[node.op]
        return f"{self.wrap(node.left, lp < p)} {node.op} {self.wrap(node.right, rp <= p)}"

    def visit_Call(self, node: Call) -> str:
        return self.call(node.func, [self.visit(a) for a in node.args], node)

    def visit_Compare(self, node: Compare) -> str:
        left = self.wrap(node.left, precedence(node.left) <= _COMPARE)
        right = self.wrap(node.right, precedence(node.right) <= _COMPARE)
        return f"{left} {node.op} {right}"

    def visit_Logic(self, node: Logic) -> str:
        p = precedence(node)
        left = self.wrap(node.left, precedence(node.left) < p)
        right = self.wrap(node.right, precedence(node.right) <= p)
        return f"{left} {node.op} {right}"

    def visit_Not(self, node: Not) -> str:
        return "not " + self.wrap(node.arg, precedence(node.arg) < _NOT)

    def visit_Where(self, node: Where) -> str:
        then = self.wrap(node.then, precedence(node.then) <= _WHERE)
        cond = self.wrap(node.cond, precedence(node.cond) <= _WHERE)
        other = self.wrap(node.other, precedence(node.other) < _WHERE)
        return f"{then} if {cond} else {other}"

    def visit_Lookup(self, node: Lookup) -> str:  # display only: text cannot name a table
        return f"lookup({node.table}, {self.visit(node.index)})"


_TEXT = Printer()


def to_text(node: Expr) -> str:
    """ionzoo's text form of ``node`` (Python syntax; :func:`~ionzoo.expr.parse` reads it back
    into an equal tree)."""
    return _TEXT(node)


class PythonPrinter(Printer):
    """Source for the generated kernels.

    ``names`` maps every free name to the source that holds its value; functions become
    ``prefix + name`` (the kernel module defines ``_f_exp``, ``_x_exp``…); ``literal`` renders
    numbers (float32 kernels wrap them); ``hook(func, arg_node, arg_source)`` may replace a
    one-argument call (shared exponentials). Integer powers 1…8 become ``powi`` (unrolled
    multiplications), others ``pow``; ``a / exprel(x)`` becomes ``a * invexprel(x)``.
    Conditions print as Python conditional expressions.
    """

    def __init__(self, names: Mapping[str, str], prefix: str = "_f_",
                 literal: Callable[[float], str] = repr,
                 hook: Callable[[str, Expr, str], str | None] | None = None) -> None:
        self.names, self.prefix, self.literal, self.hook = names, prefix, literal, hook

    def number(self, value: float) -> str:
        text = self.literal(value)
        return f"({text})" if value < 0 else text

    def name(self, ident: str) -> str:
        try:
            return self.names[ident]
        except KeyError:
            raise KeyError(f"no source for name {ident!r}") from None

    def call(self, func: str, args: list[str], node: Call) -> str:
        if self.hook is not None and len(args) == 1:
            replaced = self.hook(func, node.args[0], args[0])
            if replaced is not None:
                return replaced
        return f"{self.prefix}{func}({', '.join(args)})"

    def power(self, base: str, exponent: str, node: Bin) -> str:
        if isinstance(node.right, Num) and node.right.value.is_integer() \
                and 1 <= node.right.value <= 8:
            return f"{self.prefix}powi({base}, {int(node.right.value)})"
        return f"{self.prefix}pow({base}, {exponent})"

    def visit_Bin(self, node: Bin) -> str:
        if node.op == "/" and isinstance(node.right, Call) and node.right.func in (
                "exprel", "exprel_ex"):
            # a / exprel(x) -> a * invexprel(x): one division instead of two
            inv = self.call("inv" + node.right.func, [self.visit(a) for a in node.right.args],
                            node.right)
            left = self.wrap(node.left, precedence(node.left) < _PREC["*"])
            return f"{left} * {inv}"
        if node.op == "**":  # powi/pow are calls: no precedence to respect
            return self.power(self.visit(node.left), self.visit(node.right), node)
        return super().visit_Bin(node)

    def visit_Where(self, node: Where) -> str:
        return f"({super().visit_Where(node)})"

    def visit_Lookup(self, node: Lookup) -> str:
        return f"{self.prefix}wave({self.name(node.table)}, {self.visit(node.index)})"


class NMODLPrinter(Printer):
    """NMODL text: ``^`` for powers, every function through a helper ``FUNCTION`` named
    ``prefix + name`` (the exporter writes them), conditions through ``iz_where``/``iz_lt``…
    helpers (NMODL has no conditional expression). Every compound operand is parenthesised."""

    full_parens = True
    _CMP = {"<": "lt", "<=": "le", ">": "gt", ">=": "ge", "==": "eq", "!=": "ne"}

    def __init__(self, names: Mapping[str, str], prefix: str = "iz_") -> None:
        self.names, self.prefix = names, prefix

    def name(self, ident: str) -> str:
        return self.names[ident]

    def call(self, func: str, args: list[str], node: Call) -> str:
        return f"{self.prefix}{func}({', '.join(args)})"

    def power(self, base: str, exponent: str, node: Bin) -> str:
        return f"{base}^{exponent}"

    def visit_Compare(self, node: Compare) -> str:
        return f"{self.prefix}{self._CMP[node.op]}({self.visit(node.left)}, " \
               f"{self.visit(node.right)})"

    def visit_Logic(self, node: Logic) -> str:
        return f"{self.prefix}{node.op}({self.visit(node.left)}, {self.visit(node.right)})"

    def visit_Not(self, node: Not) -> str:
        return f"(1 - {self.visit(node.arg)})"

    def visit_Where(self, node: Where) -> str:
        return (f"{self.prefix}where({self.visit(node.cond)}, {self.visit(node.then)}, "
                f"{self.visit(node.other)})")


class LEMSPrinter(Printer):
    """LEMS value expressions: ``^`` for powers, ``ln`` for the natural logarithm, ``H`` for
    the Heaviside step; ``exprel``, ``min`` and ``max`` are written out (the NeuroML importer
    folds them back). Every compound operand is parenthesised. Conditions have no LEMS value
    form and are refused here (NeuroML writes them as ConditionalDerivedVariables)."""

    full_parens = True

    def __init__(self, names: Mapping[str, str]) -> None:
        self.names = names

    def name(self, ident: str) -> str:
        return self.names[ident]

    def power(self, base: str, exponent: str, node: Bin) -> str:
        return f"{base} ^ {exponent}"

    def call(self, func: str, args: list[str], node: Call) -> str:
        a = [f"({x})" for x in args]
        if func == "exprel":
            return f"((exp({args[0]}) - 1) / {a[0]})"
        if func == "heaviside":
            return f"H({args[0]})"
        if func == "min":
            return f"({a[0]} + ({a[1]} - {a[0]}) * H({a[0]} - {a[1]}))"
        if func == "max":
            return f"({a[0]} + ({a[1]} - {a[0]}) * H({a[1]} - {a[0]}))"
        if func == "log":
            return f"ln({args[0]})"
        if func == "dexprel":
            raise ValueError("dexprel has no LEMS form")
        return f"{func}({', '.join(args)})"

    def generic(self, node: Expr) -> str:
        raise ValueError(f"{type(node).__name__} has no LEMS value form")

    visit_Compare = visit_Logic = visit_Not = visit_Where = generic  # type: ignore[assignment]
