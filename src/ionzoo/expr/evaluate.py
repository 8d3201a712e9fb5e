"""NumPy evaluation of expression trees (the reference semantics of every function)."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np

from ..errors import ExpressionError
from .nodes import Bin, Call, Compare, Expr, Logic, Lookup, Name, Neg, Not, Num, Where
from .visit import Visitor

__all__ = ["evaluate", "compile_numpy", "exprel", "dexprel", "EXPREL_SERIES_BELOW",
           "DEXPREL_SERIES_BELOW", "NUMPY_FUNCTIONS", "DEXPREL_COEFFS"]

#: Below this |x|, ``exprel`` uses its Taylor series 1 + x/2 + x²/6 + x³/24 (truncation error
#: < x⁴/120 ≈ 1e-18); above it the direct formula loses at most ~2e-12 relative to cancellation.
EXPREL_SERIES_BELOW = 1e-4
#: Below this |x|, ``dexprel`` (the derivative of exprel) uses its series to x⁹ (truncation
#: < 3e-18); above it the direct formula's cancellation costs < 5e-14 relative.
DEXPREL_SERIES_BELOW = 0.1


def exprel(x: np.ndarray | float) -> np.ndarray:
    """``(exp(x) - 1)/x`` evaluated without 0/0 (value 1 at x = 0). Dimensionless."""
    x = np.asarray(x, dtype=float)
    small = np.abs(x) < EXPREL_SERIES_BELOW
    safe = np.where(small, 1.0, x)
    with np.errstate(over="ignore", invalid="ignore"):
        direct = np.expm1(safe) / safe
    series = 1.0 + x * (0.5 + x * (1.0 / 6.0 + x / 24.0))
    return np.where(small, series, direct)


#: Coefficients k/(k+1)! of x^(k-1) in the series of dexprel, k = 1…10.
DEXPREL_COEFFS = [k / float(np.prod(np.arange(1, k + 2, dtype=float))) for k in range(1, 11)]


def dexprel(x: np.ndarray | float) -> np.ndarray:
    """d exprel/dx = (e^x (x − 1) + 1)/x² (value 1/2 at x = 0). Dimensionless."""
    x = np.asarray(x, dtype=float)
    small = np.abs(x) < DEXPREL_SERIES_BELOW
    safe = np.where(small, 1.0, x)
    with np.errstate(over="ignore", invalid="ignore"):
        direct = (np.exp(safe) * (safe - 1.0) + 1.0) / (safe * safe)
    series = np.zeros_like(x)
    for c in reversed(DEXPREL_COEFFS):
        series = series * x + c
    return np.where(small, series, direct)


def exprel_ex(x, ex) -> np.ndarray:
    """exprel(x) given ex = exp(x) computed elsewhere (shared exponentials)."""
    x = np.asarray(x, dtype=float)
    small = np.abs(x) < EXPREL_SERIES_BELOW
    safe = np.where(small, 1.0, x)
    with np.errstate(over="ignore", invalid="ignore"):
        direct = (np.asarray(ex) - 1.0) / safe
    return np.where(small, 1.0 + x * (0.5 + x * (1.0 / 6.0 + x / 24.0)), direct)


#: NumPy implementation of every function (:data:`~ionzoo.expr.nodes.FUNCTIONS`).
NUMPY_FUNCTIONS: dict[str, Callable] = {
    "exp": np.exp, "log": np.log, "sqrt": np.sqrt, "tanh": np.tanh, "cosh": np.cosh,
    "sinh": np.sinh, "abs": np.abs, "exprel": exprel, "dexprel": dexprel,
    "min": np.minimum, "max": np.maximum,
    "heaviside": lambda x: np.where(np.asarray(x) >= 0, 1.0, 0.0),
    "floor": np.floor, "exprel_ex": exprel_ex,
}

_BIN = {"+": np.add, "-": np.subtract, "*": np.multiply, "/": np.divide, "**": np.power}
_CMP = {"<": np.less, "<=": np.less_equal, ">": np.greater, ">=": np.greater_equal,
        "==": np.equal, "!=": np.not_equal}


class _Evaluator(Visitor):
    def __init__(self, env: Mapping[str, object]) -> None:
        self.env = env

    def visit_Num(self, node: Num):
        return node.value

    def visit_Name(self, node: Name):
        return np.asarray(self.env[node.id], dtype=float)

    def visit_Neg(self, node: Neg):
        return -self.visit(node.arg)

    def visit_Bin(self, node: Bin):
        return _BIN[node.op](self.visit(node.left), self.visit(node.right))

    def visit_Call(self, node: Call):
        return NUMPY_FUNCTIONS[node.func](*(self.visit(a) for a in node.args))

    def visit_Compare(self, node: Compare):
        return _CMP[node.op](self.visit(node.left), self.visit(node.right))

    def visit_Logic(self, node: Logic):
        f = np.logical_and if node.op == "and" else np.logical_or
        return f(self.visit(node.left), self.visit(node.right))

    def visit_Not(self, node: Not):
        return np.logical_not(self.visit(node.arg))

    def visit_Where(self, node: Where):
        return np.where(self.visit(node.cond), self.visit(node.then), self.visit(node.other))

    def visit_Lookup(self, node: Lookup):
        return interpolate(np.asarray(self.env[node.table], dtype=float), self.visit(node.index))


def interpolate(samples: np.ndarray, x) -> np.ndarray:
    """``samples`` linearly interpolated at fractional indices ``x``; 0 outside."""
    x = np.asarray(x, dtype=float)
    n = samples.size
    inside = (x >= 0) & (x <= n - 1)
    j = np.clip(np.floor(np.where(inside, x, 0.0)).astype(np.int64), 0, n - 2)
    frac = x - j
    return np.where(inside, samples[j] * (1 - frac) + samples[j + 1] * frac, 0.0)


def _missing(node: Expr, env: Mapping[str, object]) -> ExpressionError:
    missing = (node.names | {n.table for n in node.walk() if isinstance(n, Lookup)}) - set(env)
    return ExpressionError("expression",
                           f"no value for name(s) {sorted(missing)} in {str(node)!r}")


def evaluate(node: Expr, env: Mapping[str, object]) -> np.ndarray:
    """Evaluate ``node`` with NumPy; ``env`` maps every free name to a number or an array
    (arrays broadcast). Floating-point warnings are silenced: a NaN or infinity in the result
    is the caller's to check. A name without a value is an :class:`ExpressionError` naming
    every missing one."""
    try:
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            out = _Evaluator(env).visit(node)
    except KeyError:
        raise _missing(node, env) from None
    return np.asarray(out, dtype=float)


def compile_numpy(node: Expr) -> Callable[[Mapping[str, object]], np.ndarray]:
    """``node`` turned once into nested NumPy closures: ``compile_numpy(e)(env)`` equals
    ``evaluate(e, env)`` without walking the tree again — for expressions evaluated many
    times (the dynamics' right-hand sides and Jacobians). No source text is generated."""
    fn = _closure(node)

    def run(env: Mapping[str, object]) -> np.ndarray:
        try:
            with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
                out = fn(env)
        except KeyError:
            raise _missing(node, env) from None
        return np.asarray(out, dtype=float)

    return run


def _closure(node: Expr) -> Callable:
    """The closure computing ``node`` from an environment (same semantics as _Evaluator)."""
    if isinstance(node, Num):
        value = node.value
        return lambda env: value
    if isinstance(node, Name):
        key = node.id
        return lambda env: np.asarray(env[key], dtype=float)
    if isinstance(node, Neg):
        arg = _closure(node.arg)
        return lambda env: -arg(env)
    if isinstance(node, (Bin, Compare, Logic)):
        op = (_BIN.get(node.op) or _CMP.get(node.op)
              or (np.logical_and if node.op == "and" else np.logical_or))
        left, right = _closure(node.left), _closure(node.right)
        return lambda env: op(left(env), right(env))
    if isinstance(node, Call):
        func, args = NUMPY_FUNCTIONS[node.func], tuple(_closure(a) for a in node.args)
        if len(args) == 1:
            (only,) = args
            return lambda env: func(only(env))
        return lambda env: func(*(a(env) for a in args))
    if isinstance(node, Not):
        arg = _closure(node.arg)
        return lambda env: np.logical_not(arg(env))
    if isinstance(node, Where):
        cond, then, other = _closure(node.cond), _closure(node.then), _closure(node.other)
        return lambda env: np.where(cond(env), then(env), other(env))
    if isinstance(node, Lookup):
        table, index = node.table, _closure(node.index)
        return lambda env: interpolate(np.asarray(env[table], dtype=float), index(env))
    raise ExpressionError("expression", f"cannot evaluate a {type(node).__name__} node")
