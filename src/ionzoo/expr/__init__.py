"""Safe arithmetic expressions: typed frozen trees, a whitelisted parser, one visitor, one
printer per target, NumPy evaluation and symbolic derivatives.

A rate expression such as ``"0.1 * (v + 40) / (1 - exp(-(v + 40) / 10))"`` is text supplied by a
user or a model file. :func:`parse` turns it into a tree of :mod:`~ionzoo.expr.nodes` and
rejects everything outside the grammar; the text is never passed to ``eval`` or ``exec``.
Allowed are numbers, names from an allow-list, ``+ - * / **``, unary ``-``, the functions
``exp log sqrt tanh cosh sinh abs exprel min max heaviside floor`` and piecewise expressions
``a if condition else b`` whose conditions compare numbers (``< <= > >= == !=``, joined with
``and``/``or``/``not``).

``exprel(x) = (exp(x) − 1)/x`` with its removable singularity filled in (value 1 at 0), so the
exp-linear rate form never divides 0/0; ``heaviside(x)`` is 1 for x ≥ 0, else 0.

Trees are printed by :func:`to_text` (parses back to the same tree), :class:`PythonPrinter`
(the Numba kernels), :class:`NMODLPrinter` and :class:`LEMSPrinter`; evaluated by
:func:`evaluate`; differentiated by :func:`diff`.
"""

from .diff import diff
from .evaluate import (
    DEXPREL_SERIES_BELOW,
    EXPREL_SERIES_BELOW,
    dexprel,
    evaluate,
    exprel,
)
from .nodes import (
    FUNCTIONS,
    USER_FUNCTIONS,
    Bin,
    Call,
    Compare,
    Expr,
    Logic,
    Lookup,
    Name,
    Neg,
    Not,
    Num,
    Where,
    as_expr,
)
from .parse import MAX_DEPTH, MAX_LENGTH, parse
from .printers import LEMSPrinter, NMODLPrinter, Printer, PythonPrinter, to_text
from .visit import (
    Visitor,
    affine,
    common_subexpressions,
    pull_signs,
    rename,
    substitute,
    transform,
)

__all__ = [
    "Expr", "Num", "Name", "Neg", "Bin", "Call", "Compare", "Logic", "Not", "Where", "Lookup",
    "as_expr",
    "parse", "to_text", "evaluate", "diff", "exprel", "dexprel",
    "Printer", "PythonPrinter", "NMODLPrinter", "LEMSPrinter",
    "Visitor", "transform", "substitute", "rename", "common_subexpressions", "affine",
    "pull_signs", "FUNCTIONS", "USER_FUNCTIONS", "EXPREL_SERIES_BELOW", "DEXPREL_SERIES_BELOW",
    "MAX_LENGTH", "MAX_DEPTH",
]
