"""Text → expression tree, accepting only a whitelisted grammar.

The text is read by Python's own tokenizer and parser (``ast.parse`` in ``eval`` mode: it builds
a syntax tree and executes nothing) and every node of that tree is converted into an
:mod:`~ionzoo.expr.nodes` node or rejected, naming the offending token. Allowed: numbers, names
from an allow-list, ``+ - * / **``, unary ``-``/``+``, calls of :data:`USER_FUNCTIONS`,
comparisons and ``and``/``or``/``not`` as conditions, and ``a if cond else b``. Length and depth
are limited before any work.
"""

from __future__ import annotations

import ast
import math
import re
from collections.abc import Iterable

from ..errors import ExpressionError
from .nodes import (
    USER_FUNCTIONS,
    Bin,
    Call,
    Compare,
    Expr,
    Logic,
    Name,
    Not,
    Num,
    Where,
)

__all__ = ["parse", "MAX_LENGTH", "MAX_DEPTH"]

#: Longest accepted expression text (characters).
MAX_LENGTH = 4000
#: Deepest accepted nesting of the expression.
MAX_DEPTH = 80

_BINOPS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**"}
_CMPOPS = {ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Eq: "==",
           ast.NotEq: "!="}
_BRACKETS = re.compile(r"[(\[{]|[)\]}]")


def _bracket_depth(text: str) -> int:
    """The deepest nesting of brackets in ``text`` (one linear scan)."""
    depth = deepest = 0
    for match in _BRACKETS.finditer(text):
        depth += 1 if match.group(0) in "([{" else -1
        deepest = max(deepest, depth)
    return deepest


def parse(text: str | float | int | Expr, allowed_names: Iterable[str] | None = ("v",),
          field: str = "expression") -> Expr:
    """Parse ``text`` into a numeric :class:`~ionzoo.expr.Expr`.

    ``allowed_names`` lists the names the expression may read (``None``: any identifier, for a
    syntax-only check); ``field`` names the place the text came from, for error messages.
    A tree passed in is checked against ``allowed_names`` and returned.
    """
    allowed = None if allowed_names is None else frozenset(allowed_names)
    if isinstance(text, Expr):
        bad = set() if allowed is None else text.names - allowed
        if bad:
            raise ExpressionError(field, f"unknown name {sorted(bad)[0]!r}")
        return text
    if isinstance(text, bool):
        raise ExpressionError(field, "a boolean is not an expression")
    if isinstance(text, (int, float)):
        value = float(text)
        if not math.isfinite(value):
            raise ExpressionError(field, f"number {text!r} is not finite")
        return Num(value)
    if not isinstance(text, str):
        raise ExpressionError(field, f"expected a string, got {type(text).__name__}")
    if len(text) > MAX_LENGTH:
        raise ExpressionError(field, f"expression longer than {MAX_LENGTH} characters")
    if _bracket_depth(text) > MAX_DEPTH:  # before Python's parser, whose own limit is 200
        raise ExpressionError(field, "expression nested too deeply")
    dunder = re.search(r"\w*__\w*", text)
    if dunder:
        raise ExpressionError(field, f"{dunder.group(0)!r}: dunder names are not allowed")
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as exc:
        raise ExpressionError(field, f"syntax error in {text!r}: {exc.msg}") from None
    except (RecursionError, MemoryError, ValueError):
        raise ExpressionError(field, "expression nested too deeply") from None
    node = _Converter(allowed, field).number(tree.body, 0)
    return node


class _Converter:
    """Python syntax tree → expression nodes, one method per kind of value."""

    def __init__(self, allowed: frozenset[str] | None, field: str) -> None:
        self.allowed, self.field = allowed, field

    def fail(self, message: str) -> ExpressionError:
        return ExpressionError(self.field, message)

    def _depth(self, depth: int) -> int:
        if depth > MAX_DEPTH:
            raise self.fail("expression nested too deeply")
        return depth + 1

    # ----------------------------------------------------------------- numbers
    def number(self, node: ast.AST, depth: int) -> Expr:
        d = self._depth(depth)
        if isinstance(node, ast.Constant):
            return self.constant(node.value)
        if isinstance(node, ast.Name):
            return self.name(node.id)
        if isinstance(node, ast.UnaryOp):
            if isinstance(node.op, ast.Not):
                raise self.fail("'not' gives a condition, not a number")
            if not isinstance(node.op, (ast.USub, ast.UAdd)):
                raise self.fail(f"operator {type(node.op).__name__!r} is not allowed")
            inner = self.number(node.operand, d)
            return inner if isinstance(node.op, ast.UAdd) else -inner
        if isinstance(node, ast.BinOp):
            op = _BINOPS.get(type(node.op))
            if op is None:
                raise self.fail(f"operator {type(node.op).__name__!r} is not allowed")
            return Bin(op, self.number(node.left, d), self.number(node.right, d))
        if isinstance(node, ast.Call):
            return self.call(node, d)
        if isinstance(node, ast.IfExp):
            return Where(self.condition(node.test, d), self.number(node.body, d),
                         self.number(node.orelse, d))
        if isinstance(node, (ast.Compare, ast.BoolOp)):
            raise self.fail(f"{_token(node)!r}: a comparison is a condition, not a number "
                            "(use 'a if condition else b')")
        raise self.fail(f"{_token(node)!r} is not allowed in an expression")

    def constant(self, value: object) -> Expr:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self.fail(f"literal {value!r} is not allowed (numbers only)")
        try:
            number = float(value)
        except OverflowError:
            raise self.fail(f"number {value!r} is not finite") from None
        if not math.isfinite(number):
            raise self.fail(f"number {value!r} is not finite")
        return Num(number)

    def name(self, ident: str) -> Expr:
        if self.allowed is not None and ident not in self.allowed:
            shown = ", ".join(sorted(self.allowed))
            raise self.fail(f"unknown name {ident!r} (allowed: {shown})")
        return Name(ident)

    def call(self, node: ast.Call, depth: int) -> Expr:
        if not isinstance(node.func, ast.Name):
            raise self.fail(f"call of {_token(node.func)!r} is not allowed")
        fname = node.func.id
        if fname not in USER_FUNCTIONS:
            raise self.fail(f"function {fname!r} is not allowed "
                            f"(allowed: {', '.join(USER_FUNCTIONS)})")
        if node.keywords:
            raise self.fail(f"keyword arguments to {fname!r} are not allowed")
        if len(node.args) != USER_FUNCTIONS[fname]:
            raise self.fail(f"{fname}() takes {USER_FUNCTIONS[fname]} argument(s), "
                            f"got {len(node.args)}")
        return Call(fname, tuple(self.number(a, depth) for a in node.args))

    # ----------------------------------------------------------------- conditions
    def condition(self, node: ast.AST, depth: int) -> Expr:
        d = self._depth(depth)
        if isinstance(node, ast.Compare):
            parts = [self.number(node.left, d)] + [self.number(c, d) for c in node.comparators]
            out: Expr | None = None
            for k, cmp_op in enumerate(node.ops):
                name = _CMPOPS.get(type(cmp_op))
                if name is None:
                    raise self.fail(f"comparison {type(cmp_op).__name__!r} is not allowed")
                cmp = Compare(name, parts[k], parts[k + 1])
                out = cmp if out is None else Logic("and", out, cmp)
            assert out is not None
            return out
        if isinstance(node, ast.BoolOp):
            logic = "and" if isinstance(node.op, ast.And) else "or"
            values = [self.condition(v, d) for v in node.values]
            out = values[0]
            for v in values[1:]:
                out = Logic(logic, out, v)
            return out
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            return Not(self.condition(node.operand, d))
        raise self.fail(f"{_token(node)!r} is not a condition (compare two numbers)")


def _token(node: ast.AST) -> str:
    if isinstance(node, ast.Attribute):
        return "." + node.attr
    if isinstance(node, ast.Subscript):
        return "[...] (subscript)"
    if isinstance(node, ast.Lambda):
        return "lambda"
    if isinstance(node, ast.Compare):
        return "comparison"
    try:
        return ast.unparse(node)[:60]
    except Exception:  # pragma: no cover - defensive
        return type(node).__name__

