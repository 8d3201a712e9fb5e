"""Safe arithmetic expressions for rate functions.

A rate expression such as ``"0.1 * exprel(-(v + 40) / 10) ** -1"`` is text supplied by a user or a
model file. It is parsed into a small whitelisted tree (:class:`Expr`) and is never passed to
``eval`` or ``exec``. Allowed are:

* numbers, and names from an explicit allow-list (``v`` in mV, channel parameters, later ion
  concentrations);
* the operators ``+ - * / **`` and unary ``-``/``+``;
* the functions ``exp log sqrt tanh cosh abs exprel min max heaviside``
  (``heaviside(x)`` = 1 for x ≥ 0, else 0: piecewise rate functions such as NEURON's
  ``if (v < -40) {...} else {...}``).

Anything else — attribute access, subscripts, calls of other names, lambdas, comparisons,
strings, dunder names — raises :class:`~ionzoo.errors.ExpressionError` naming the offending token.

``exprel(x) = (exp(x) - 1) / x`` with its removable singularity at ``x = 0`` filled in (value 1),
so the exp-linear rate form never divides 0/0.

A parsed expression renders to Python source for the compiled kernels (:meth:`Expr.render`) and
evaluates on NumPy arrays (:meth:`Expr.evaluate`).
"""

from __future__ import annotations

import ast
import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

import numpy as np

from .errors import ExpressionError

__all__ = ["Expr", "parse", "exprel", "affine", "FUNCTIONS", "EXPREL_SERIES_BELOW"]

#: Allowed functions and their number of arguments.
FUNCTIONS: dict[str, int] = {
    "exp": 1,
    "log": 1,
    "sqrt": 1,
    "tanh": 1,
    "cosh": 1,
    "abs": 1,
    "exprel": 1,
    "min": 2,
    "max": 2,
    "heaviside": 1,
}

#: Below this |x|, ``exprel`` uses its Taylor series 1 + x/2 + x²/6 + x³/24 (truncation error
#: < x⁴/120 ≈ 1e-18); above it the direct formula loses at most ~2e-12 relative to cancellation.
EXPREL_SERIES_BELOW = 1e-4

_BINOPS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**"}
_UNARY = {ast.USub: "-", ast.UAdd: "+"}
_MAX_LENGTH = 2000
_MAX_DEPTH = 60


def exprel(x: np.ndarray | float) -> np.ndarray:
    """``(exp(x) - 1)/x`` evaluated without 0/0 (value 1 at x = 0). Dimensionless."""
    x = np.asarray(x, dtype=float)
    small = np.abs(x) < EXPREL_SERIES_BELOW
    safe = np.where(small, 1.0, x)
    with np.errstate(over="ignore", invalid="ignore"):
        direct = np.expm1(safe) / safe
    series = 1.0 + x * (0.5 + x * (1.0 / 6.0 + x / 24.0))
    return np.where(small, series, direct)


_NUMPY_FUNCS: dict[str, Callable] = {
    "exp": np.exp,
    "log": np.log,
    "sqrt": np.sqrt,
    "tanh": np.tanh,
    "cosh": np.cosh,
    "abs": np.abs,
    "exprel": exprel,
    "min": np.minimum,
    "max": np.maximum,
    "heaviside": lambda x: np.where(np.asarray(x) >= 0, 1.0, 0.0),
}


@dataclass(frozen=True)
class Expr:
    """A parsed, validated expression tree (immutable, hashable).

    Nodes are ``("num", value)``, ``("name", id)``, ``("neg", a)``, ``("bin", op, a, b)`` and
    ``("call", fname, args...)``; construct them with :func:`parse`, not by hand.
    """

    node: tuple

    # ----------------------------------------------------------------------------- inspection
    @property
    def names(self) -> frozenset[str]:
        """The free names the expression reads (e.g. ``{"v"}``)."""
        return frozenset(n[1] for n in _walk(self.node) if n[0] == "name")

    def __str__(self) -> str:
        return _to_text(self.node)

    def __repr__(self) -> str:
        return f"Expr({str(self)!r})"

    # ----------------------------------------------------------------------------- use
    def evaluate(self, env: Mapping[str, np.ndarray | float]) -> np.ndarray:
        """Evaluate on NumPy values; ``env`` maps every free name to a value (units as declared)."""
        missing = self.names - set(env)
        if missing:
            raise ExpressionError(
                "expression", f"no value for name(s) {sorted(missing)} in {str(self)!r}"
            )
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            return np.asarray(_eval(self.node, env), dtype=float)

    def render(self, names: Mapping[str, str], func_prefix: str = "_f_",
               literal: Callable[[float], str] = repr,
               call_hook: Callable[[str, tuple, str], str | None] | None = None) -> str:
        """Python source for this expression.

        ``names`` maps each free name to the source-level variable that holds it; functions are
        rendered as ``func_prefix + name`` (the kernel module defines ``_f_exp``, ...);
        ``literal`` renders a number (e.g. wrapped for float32 kernels). ``call_hook(fname,
        arg_node, arg_source)`` may return replacement source for a one-argument call
        (``exp``, ``exprel``, ``invexprel``), e.g. to reuse a shared exponential.
        """
        missing = self.names - set(names)
        if missing:
            raise ExpressionError("expression",
                                  f"unbound name(s) {sorted(missing)} in {str(self)!r}")
        return _render(self.node, names, func_prefix, literal, call_hook)

    def exp_arguments(self) -> list[tuple]:
        """Argument nodes of every ``exp``/``exprel`` call (for shared-exponential analysis)."""
        return [n[2] for n in _walk(self.node) if n[0] == "call" and n[1] in ("exp", "exprel")]


def parse(text: str | float | int | Expr, allowed_names: Iterable[str] | None = ("v",),
          field: str = "expression") -> Expr:
    """Parse ``text`` into an :class:`Expr`, accepting only the whitelisted grammar.

    ``allowed_names`` lists the names the expression may read (``None``: any identifier, for a
    syntax-only check); ``field`` names the place the text came from, for error messages.
    """
    if isinstance(text, Expr):
        bad = set() if allowed_names is None else text.names - set(allowed_names)
        if bad:
            raise ExpressionError(field, f"unknown name {sorted(bad)[0]!r}")
        return text
    if isinstance(text, bool):
        raise ExpressionError(field, "a boolean is not an expression")
    if isinstance(text, (int, float)):
        if not math.isfinite(text):
            raise ExpressionError(field, f"number {text!r} is not finite")
        return Expr(("num", float(text)))
    if not isinstance(text, str):
        raise ExpressionError(field, f"expected a string, got {type(text).__name__}")
    if len(text) > _MAX_LENGTH:
        raise ExpressionError(field, f"expression longer than {_MAX_LENGTH} characters")
    dunder = re.search(r"\w*__\w*", text)
    if dunder:
        raise ExpressionError(field, f"{dunder.group(0)!r}: dunder names are not allowed")
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as exc:
        raise ExpressionError(field, f"syntax error in {text!r}: {exc.msg}") from None
    allowed = None if allowed_names is None else frozenset(allowed_names)
    return Expr(_convert(tree.body, allowed, field, 0))


# ----------------------------------------------------------------------------- internals
def _convert(node: ast.AST, allowed: frozenset[str] | None, field: str, depth: int) -> tuple:
    if depth > _MAX_DEPTH:
        raise ExpressionError(field, "expression nested too deeply")
    d = depth + 1
    if isinstance(node, ast.Constant):
        val = node.value
        if isinstance(val, bool) or not isinstance(val, (int, float)):
            raise ExpressionError(field, f"literal {val!r} is not allowed (numbers only)")
        if not math.isfinite(val):
            raise ExpressionError(field, f"number {val!r} is not finite")
        return ("num", float(val))
    if isinstance(node, ast.Name):
        if allowed is not None and node.id not in allowed:
            raise ExpressionError(
                field, f"unknown name {node.id!r} (allowed: {', '.join(sorted(allowed))})"
            )
        return ("name", node.id)
    if isinstance(node, ast.UnaryOp):
        op = _UNARY.get(type(node.op))
        if op is None:
            raise ExpressionError(field, f"operator {type(node.op).__name__!r} is not allowed")
        inner = _convert(node.operand, allowed, field, d)
        if op == "+":
            return inner
        if inner[0] == "num":
            return ("num", -inner[1])
        return ("neg", inner)
    if isinstance(node, ast.BinOp):
        op = _BINOPS.get(type(node.op))
        if op is None:
            raise ExpressionError(field, f"operator {type(node.op).__name__!r} is not allowed")
        return ("bin", op, _convert(node.left, allowed, field, d),
                _convert(node.right, allowed, field, d))
    if isinstance(node, ast.Call):
        if not isinstance(node.func, ast.Name):
            raise ExpressionError(field, f"call of {_token(node.func)!r} is not allowed")
        fname = node.func.id
        if fname not in FUNCTIONS:
            raise ExpressionError(
                field, f"function {fname!r} is not allowed (allowed: {', '.join(FUNCTIONS)})"
            )
        if node.keywords:
            raise ExpressionError(field, f"keyword arguments to {fname!r} are not allowed")
        if len(node.args) != FUNCTIONS[fname]:
            raise ExpressionError(
                field, f"{fname}() takes {FUNCTIONS[fname]} argument(s), got {len(node.args)}"
            )
        return ("call", fname, *(_convert(a, allowed, field, d) for a in node.args))
    raise ExpressionError(field, f"{_token(node)!r} is not allowed in an expression")


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
        return ast.unparse(node)
    except Exception:  # pragma: no cover - defensive
        return type(node).__name__


def _walk(node: tuple):
    """Every node of the tree, depth first."""
    yield node
    kind = node[0]
    if kind == "neg":
        yield from _walk(node[1])
    elif kind == "bin":
        yield from _walk(node[2])
        yield from _walk(node[3])
    elif kind == "call":
        for a in node[2:]:
            yield from _walk(a)


def _to_text(node: tuple) -> str:
    kind = node[0]
    if kind == "num":
        return repr(node[1])
    if kind == "name":
        return node[1]
    if kind == "neg":
        return f"-({_to_text(node[1])})"
    if kind == "bin":
        op, right = node[1], node[3]
        if op in "+-" and right[0] == "num" and right[1] < 0:  # v - -40.0 -> v + 40.0
            op = "+" if op == "-" else "-"
            right = ("num", -right[1])
        return f"({_to_text(node[2])} {op} {_to_text(right)})"
    return f"{node[1]}({', '.join(_to_text(a) for a in node[2:])})"


def _eval(node: tuple, env: Mapping[str, np.ndarray | float]):
    kind = node[0]
    if kind == "num":
        return node[1]
    if kind == "name":
        return np.asarray(env[node[1]], dtype=float)
    if kind == "neg":
        return -_eval(node[1], env)
    if kind == "bin":
        a, b = _eval(node[2], env), _eval(node[3], env)
        op = node[1]
        if op == "+":
            return a + b
        if op == "-":
            return a - b
        if op == "*":
            return a * b
        if op == "/":
            return np.divide(a, b)
        return np.power(a, b)
    return _NUMPY_FUNCS[node[1]](*(_eval(a, env) for a in node[2:]))


def _render(node: tuple, names: Mapping[str, str], fp: str, lit: Callable[[float], str],
            hook=None) -> str:
    kind = node[0]
    if kind == "num":
        return f"({lit(node[1])})"
    if kind == "name":
        return names[node[1]]
    if kind == "neg":
        return f"(-{_render(node[1], names, fp, lit, hook)})"
    if kind == "bin" and node[1] == "/" and node[3][0] == "call" and node[3][1] == "exprel":
        # a / exprel(x) -> a * invexprel(x): one division instead of two in the kernels
        return (f"({_render(node[2], names, fp, lit, hook)} * "
                f"{_call('invexprel', node[3][2], names, fp, lit, hook)})")
    if kind == "bin":
        return (f"({_render(node[2], names, fp, lit, hook)} {node[1]} "
                f"{_render(node[3], names, fp, lit, hook)})")
    if len(node) == 3:
        return _call(node[1], node[2], names, fp, lit, hook)
    args = ", ".join(_render(a, names, fp, lit, hook) for a in node[2:])
    return f"{fp}{node[1]}({args})"


def _call(fname: str, arg: tuple, names, fp, lit, hook) -> str:
    src = _render(arg, names, fp, lit, hook)
    if hook is not None:
        replaced = hook(fname, arg, src)
        if replaced is not None:
            return replaced
    return f"{fp}{fname}({src})"


def affine(node: tuple, var: str = "v") -> tuple[float, float] | None:
    """``(a, b)`` if the expression node equals ``a·var + b`` with numeric constants, else None."""
    kind = node[0]
    if kind == "num":
        return (0.0, node[1])
    if kind == "name":
        return (1.0, 0.0) if node[1] == var else None
    if kind == "neg":
        inner = affine(node[1], var)
        return None if inner is None else (-inner[0], -inner[1])
    if kind == "bin":
        left, right = affine(node[2], var), affine(node[3], var)
        if left is None or right is None:
            return None
        op = node[1]
        if op == "+":
            return (left[0] + right[0], left[1] + right[1])
        if op == "-":
            return (left[0] - right[0], left[1] - right[1])
        if op == "*":
            if left[0] == 0.0:
                return (left[1] * right[0], left[1] * right[1])
            if right[0] == 0.0:
                return (left[0] * right[1], left[1] * right[1])
            return None
        if op == "/" and right[0] == 0.0 and right[1] != 0.0:
            return (left[0] / right[1], left[1] / right[1])
    return None
