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
    Bin,
    Call,
    Expr,
    Lookup,
    Name,
    Neg,
    Num,
    PythonPrinter,
    affine,
    common_subexpressions,
    diff,
    evaluate,
    pull_signs,
    substitute,
    transform,
)

__all__ = ["Flavor", "F64", "EXACT", "render", "assign", "share_exponentials",
           "expose_exponentials", "shift_exponentials", "Invariants",
           "logistic_from_tanh", "log_powers"]


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
    exprs = [logistic_from_tanh(pull_signs(e)) for _, e in pairs]
    if not flavor.exact:
        exprs = [log_powers(e) for e in exprs]
    bindings, rewritten = common_subexpressions(exprs, prefix=prefix)
    local = dict(names)
    lines = []
    for name, e in bindings:
        lines.append(f"{ind}{name} = {render(e, local, flavor)}")
        local[name] = name
    for (target, _), e in zip(pairs, rewritten):
        lines.append(f"{ind}{target} = {render(e, local, flavor)}")
    return lines


def _positive(x: Expr) -> bool:
    """``x`` is positive for every input: a positive number, an exponential, or a product or
    quotient of such."""
    if isinstance(x, Num):
        return x.value > 0.0
    if isinstance(x, Call):
        return x.func == "exp"
    return isinstance(x, Bin) and x.op in "*/" and _positive(x.left) and _positive(x.right)


def _log_of(x: Expr) -> Expr:
    """log x, expanded over the positive factors of ``x``: log(exp u) = u, log p of a positive
    number folded, log(p·y) = log p + log y and log(y/p) = log y − log p (and the mirrored
    forms) where p is :func:`_positive`. Only positive factors are split off, so the sum is
    defined exactly where log x is."""
    if isinstance(x, Call) and x.func == "exp":
        return x.args[0]
    if isinstance(x, Num) and x.value > 0.0:
        return Num(math.log(x.value))
    if isinstance(x, Bin) and x.op in "*/" and (_positive(x.left) or _positive(x.right)):
        left, right = _log_of(x.left), _log_of(x.right)
        return left + right if x.op == "*" else left - right
    return Call("log", (x,))


def log_powers(e: Expr) -> Expr:
    """Powers ``x ** c`` other than the small integer ones (which become multiplications)
    written exp(c·log x), with log x expanded over the positive factors of x (:func:`_log_of`).

    The fast helpers compute a general power as exp(c·log x) anyway; the expansion removes
    what cancels. The Connor–Stevens A gate's a∞ = (0.0761·e^u/(1 + e^w))^(1/3) costs one
    exponential, one logarithm and one exponential — exp((log 0.0761 + u − log(1 + e^w))/3) —
    instead of three exponentials, a logarithm and a division.
    """

    def leaf(node: Expr) -> Expr | None:
        if not (isinstance(node, Bin) and node.op == "**"):
            return None
        c = node.right
        if isinstance(c, Num) and c.value.is_integer() and 0 <= c.value <= 8:
            return None
        base, exponent = log_powers(node.left), log_powers(c)
        log_base = _log_of(base)
        if isinstance(log_base, Call) and log_base.func == "log":
            return None if (base, exponent) == (node.left, c) else base ** exponent
        return Call("exp", (exponent * log_base,))

    return transform(e, leaf)


def logistic_from_tanh(e: Expr) -> Expr:
    """½(1 + tanh u) — Morris–Lecar's m∞ and w∞ — written 1/(1 + exp(−2u)).

    The same function, one exponential and one division instead of tanh's expm1, a division
    and two more operations; and more accurate where 1 + tanh u cancels (u ≪ 0). Matches
    0.5·(1 + tanh u), (1 + tanh u)·0.5 and (1 + tanh u)/2, with the sum in either order.
    """

    def inner(node: Expr) -> Expr | None:
        if isinstance(node, Bin) and node.op == "+":
            for one, th in ((node.left, node.right), (node.right, node.left)):
                if one == Num(1.0) and isinstance(th, Call) and th.func == "tanh":
                    return th.args[0]
        return None

    def leaf(node: Expr) -> Expr | None:
        if not isinstance(node, Bin):
            return None
        u = None
        if node.op == "*" and Num(0.5) in (node.left, node.right):
            other = node.right if node.left == Num(0.5) else node.left
            u = inner(other)
        elif node.op == "/" and node.right == Num(2.0):
            u = inner(node.left)
        if u is None:
            return None
        return Num(1.0) / (Num(1.0) + Call("exp", (Num(-2.0) * transform(u, leaf),)))

    return transform(e, leaf)


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


def _arithmetic(e: Expr) -> bool:
    """``e`` is built from numbers, names and the arithmetic operators only (no calls, powers,
    comparisons or lookups)."""
    return all(isinstance(n, (Num, Name, Neg)) or (isinstance(n, Bin) and n.op in "+-*/")
               for n in e.walk())


def _affine_slope(u: Expr, var: str) -> Expr | None:
    """∂u/∂var where ``u`` is affine in ``var`` (arithmetic whose derivative does not read
    ``var``), else None."""
    slope = diff(u, var) if _arithmetic(u) else None
    return None if slope is None or var in slope.names else slope


def expose_exponentials(e: Expr, var: str) -> Expr:
    """``e`` with every ``exprel(u)`` of an argument affine in ``var`` written
    ``exprel_ex(u, exp(u))``: the same value, with the exponential visible to
    :func:`shift_exponentials` and common-subexpression elimination."""

    def leaf(node: Expr) -> Expr | None:
        if isinstance(node, Call) and node.func == "exprel" \
                and _affine_slope(node.args[0], var) is not None:
            u = node.args[0]
            return Call("exprel_ex", (u, Call("exp", (u,))))
        return None

    return transform(e, leaf)


def shift_exponentials(e: Expr, var: str, shift: float, shifted: str) -> Expr:
    """``e`` at ``var + shift``, written so that it shares its exponentials with ``e`` itself.

    Every ``exp(u)`` whose argument is affine in ``var`` (arithmetic whose derivative does not
    read ``var``; the slope ``a`` may read parameters) becomes ``exp(u)·exp(a·shift)``: the
    first factor is the exponential of ``e`` at ``var`` (one copy for both after
    common-subexpression elimination), the second a constant or, with parameters in ``a``, a
    time-invariant value the kernels compute once per call. Everything else reads ``var`` as
    the name ``shifted`` (which the caller binds to ``var + shift``). Apply
    :func:`expose_exponentials` to ``e`` first so that ``exprel`` shares too.

    Used for NEURON's finite-difference slope (I(v + 0.001) − I(v))/0.001 of currents with
    instantaneous gates: the exponential of m∞(v + 0.001) costs a multiplication instead of an
    ``exp`` (Izhikevich's I_Na,p + I_K: 2 instead of 3 exponentials per step).
    """

    def leaf(node: Expr) -> Expr | None:
        if isinstance(node, Name) and node.id == var:
            return Name(shifted)
        if not (isinstance(node, Call) and node.func == "exp") or var not in node.names:
            return None
        u = node.args[0]
        slope = _affine_slope(u, var)
        if slope is None:
            return Call("exp", (substitute(u, {var: Name(shifted)}),))
        factor = Call("exp", (slope * Num(shift),)) if slope.names else \
            Num(math.exp(float(evaluate(slope, {})) * shift))
        return node * factor

    return transform(e, leaf)  # a replaced node keeps its subtree: exp(u) stays at ``var``


class Invariants:
    """Sub-expressions of a step that cannot change during a kernel call — they read only
    parameters and the solver's constants (``names``) — bound once per neuron before the time
    loop to ``<prefix><k>``, instead of being evaluated every step.

    Only sub-expressions worth a memory load are bound: those with a function call, a division
    or a power (``exp(−dt/τ)`` of a constant τ, a temperature factor, 1/τ of a pool). A
    division ``a / d`` by an invariant ``d`` that is not a number becomes ``a · h`` with
    ``h = 1/d`` bound: the rewriting the kernels' ``arcp`` fast-math flag already allows the
    compiler, done where the reciprocal can leave the loop (the compiler cannot: it reloads
    the parameters every step).

    Call the object on each expression of the step; :attr:`bindings` then lists
    ``(name, expression)`` in first-use order (bound expressions read only ``names``).
    """

    def __init__(self, names: Iterable[str], prefix: str = "h") -> None:
        self.names = frozenset(names)
        self.prefix = prefix
        self._bound: dict[Expr, str] = {}

    @property
    def bindings(self) -> list[tuple[str, Expr]]:
        """(name, invariant expression) pairs, in the order they were bound."""
        return [(name, e) for e, name in self._bound.items()]

    def __call__(self, e: Expr) -> Expr:
        """``e`` with its invariant sub-expressions replaced by their names."""
        return transform(e, self._leaf)

    def _invariant(self, e: Expr) -> bool:
        return e.names <= self.names and not any(isinstance(n, Lookup) for n in e.walk())

    def _bind(self, e: Expr) -> Name:
        name = self._bound.get(e)
        if name is None:
            name = self._bound[e] = f"{self.prefix}{len(self._bound)}"
        return Name(name)

    def _leaf(self, node: Expr) -> Expr | None:
        if isinstance(node, (Num, Name)) or not node.names:  # numbers: the compiler folds them
            return None
        if self._invariant(node):
            worth = any(isinstance(n, Call) or (isinstance(n, Bin) and n.op in ("/", "**"))
                        for n in node.walk())
            return self._bind(node) if worth else None
        if isinstance(node, Bin) and node.op == "/" and node.right.names \
                and self._invariant(node.right):
            return Bin("*", self(node.left), self._bind(Num(1.0) / node.right))
        return None
