"""``--where`` conditions on a sweep's results, parsed by a small grammar of our own (the text
is never evaluated):

    condition  := conjunct ("or" conjunct)*
    conjunct   := negation ("and" negation)*
    negation   := "not" negation | "(" condition ")" | comparison
    comparison := operand ("==" | "!=" | "<" | "<=" | ">" | ">=") operand
    operand    := name | number | 'text' | "text"

Names are the store's variables and parameters (``class``, ``spike_count``, ``Na.gbar``,
``burst_period`` …). ``class`` compares with a class name of
:data:`ionzoo.analysis.CLASSES` or with ``'bursting'`` (regular or irregular bursting) and
``'spiking'`` (anything but silent); any other text is refused.

>>> where_mask("class == 'bursting' and Na.gbar >= 100", {"class": ...})  # doctest: +SKIP
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import numpy as np

from ..analysis.activity import CLASSES
from ..errors import ValidationError, did_you_mean

__all__ = ["where_mask", "CLASS_GROUPS", "MAX_CONDITION"]

#: Longest condition accepted (characters) and deepest nesting.
MAX_CONDITION = 500
_MAX_DEPTH = 20
#: Names standing for several classes.
CLASS_GROUPS = {"bursting": ("regular_bursting", "irregular_bursting"),
                "spiking": tuple(c for c in CLASSES if c != "silent")}
_TOKEN = re.compile(r"\s*(?:(?P<num>[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)"
                    r"|(?P<str>'[^']*'|\"[^\"]*\")"
                    r"|(?P<op>==|!=|<=|>=|<|>|\(|\))"
                    r"|(?P<name>[A-Za-z][A-Za-z0-9_.]*))")
_OPS = {"==": np.equal, "!=": np.not_equal, "<": np.less, "<=": np.less_equal,
        ">": np.greater, ">=": np.greater_equal}


def _tokens(text: str) -> list[tuple[str, str]]:
    out, pos = [], 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise ValidationError("where", f"cannot read {text[pos:pos + 20]!r} (position "
                                  f"{pos})")
        kind = m.lastgroup or ""
        value = m.group(kind)
        if kind == "name" and value in ("and", "or", "not"):
            kind = value
        out.append((kind, value))
        pos = m.end()
    return out


class _Parser:
    def __init__(self, tokens: list[tuple[str, str]], data: Mapping[str, Any]) -> None:
        self.tokens, self.pos, self.data = tokens, 0, data

    def peek(self) -> str:
        return self.tokens[self.pos][0] if self.pos < len(self.tokens) else "end"

    def take(self) -> tuple[str, str]:
        if self.pos >= len(self.tokens):
            raise ValidationError("where", "the condition ends too early")
        self.pos += 1
        return self.tokens[self.pos - 1]

    def condition(self, depth: int = 0) -> np.ndarray:
        if depth > _MAX_DEPTH:
            raise ValidationError("where", f"nested deeper than {_MAX_DEPTH}")
        out = self.conjunct(depth)
        while self.peek() == "or":
            self.take()
            out = out | self.conjunct(depth)
        return out

    def conjunct(self, depth: int) -> np.ndarray:
        out = self.negation(depth)
        while self.peek() == "and":
            self.take()
            out = out & self.negation(depth)
        return out

    def negation(self, depth: int) -> np.ndarray:
        if self.peek() == "not":
            self.take()
            return ~self.negation(depth + 1)
        if self.peek() == "op" and self.tokens[self.pos][1] == "(":
            self.take()
            out = self.condition(depth + 1)
            if self.take() != ("op", ")"):
                raise ValidationError("where", "expected ')'")
            return out
        return self.comparison()

    def comparison(self) -> np.ndarray:
        left = self.take()
        kind, op = self.take()
        if kind != "op" or op not in _OPS:
            raise ValidationError("where", f"expected a comparison after {left[1]!r}, got "
                                  f"{op!r}")
        right = self.take()
        if left[0] != "name" and right[0] == "name":
            left, right = right, left
            op = {"<": ">", ">": "<", "<=": ">=", ">=": "<="}.get(op, op)
        if left[0] != "name":
            raise ValidationError("where", f"{left[1]!r} {op} {right[1]!r} compares no "
                                  "variable")
        values = self.variable(left[1])
        if left[1] == "class":
            return self.classes(values, op, right)
        if right[0] != "num":
            raise ValidationError("where", f"{left[1]!r} is compared with a number, got "
                                  f"{right[1]!r}")
        return np.asarray(_OPS[op](values, float(right[1])), dtype=bool)

    def variable(self, name: str) -> np.ndarray:
        known = list(getattr(self.data, "variables", self.data))   # a Dataset's coords too
        if name not in known:
            raise ValidationError("where", f"unknown name {name!r}{did_you_mean(name, known)}")
        return np.asarray(self.data[name])

    @staticmethod
    def classes(values: np.ndarray, op: str, right: tuple[str, str]) -> np.ndarray:
        if right[0] != "str" or op not in ("==", "!="):
            raise ValidationError("where", "class is compared with == or != and a quoted "
                                  "class name")
        name = right[1][1:-1]
        group = CLASS_GROUPS.get(name, (name,))
        if any(g not in CLASSES for g in group):
            raise ValidationError("where", f"unknown class {name!r} (choose from "
                                  f"{(*CLASSES, *CLASS_GROUPS)})")
        hit = np.isin(values.astype(str), group)
        return hit if op == "==" else ~hit


def where_mask(condition: str, data: Mapping[str, Any]) -> np.ndarray:
    """The boolean mask of ``condition`` (see the module docstring) over ``data`` (names →
    equally shaped arrays, e.g. an :class:`xarray.Dataset`)."""
    if not isinstance(condition, str) or not condition.strip():
        raise ValidationError("where", "give a condition such as \"class == 'tonic'\"")
    if len(condition) > MAX_CONDITION:
        raise ValidationError("where", f"longer than {MAX_CONDITION} characters")
    parser = _Parser(_tokens(condition), data)
    out = parser.condition()
    if parser.pos != len(parser.tokens):
        raise ValidationError("where", f"unexpected {parser.tokens[parser.pos][1]!r}")
    return out
