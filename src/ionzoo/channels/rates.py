"""Rate functions of gating variables, as immutable data.

The three standard forms are those of NeuroML2 (``HHExpRate``, ``HHSigmoidRate``,
``HHExpLinearRate``); :class:`ExprRate` holds any safe expression (see :mod:`ionzoo.expr`).
With ``x = (v - midpoint)/scale``:

=====================  ===================================  ==============================
form                   value                                NeuroML2
=====================  ===================================  ==============================
:class:`ExpRate`       ``rate · exp(x)``                    ``HHExpRate``
:class:`SigmoidRate`   ``rate / (1 + exp(-x))``             ``HHSigmoidRate``
:class:`ExpLinearRate` ``rate · x / (1 - exp(-x))``         ``HHExpLinearRate``
=====================  ===================================  ==============================

``v`` is the membrane potential in mV, ``midpoint`` and ``scale`` are in mV. For an α or β rate
``rate`` is in 1/ms; for a steady state x∞ it is dimensionless; for a time constant τ it is in ms.
The exp-linear form is evaluated as ``rate / exprel(-x)``, so it equals ``rate`` exactly at
``v = midpoint`` instead of dividing 0/0.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from ..errors import ValidationError
from ..expr import Expr, parse

__all__ = ["Rate", "ExpRate", "SigmoidRate", "ExpLinearRate", "ExprRate", "as_rate"]


def _check_finite(field: str, value: float, nonzero: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValidationError(field, f"expected a number, got {type(value).__name__}")
    value = float(value)
    if not math.isfinite(value):
        raise ValidationError(field, f"must be finite, got {value!r}")
    if nonzero and value == 0.0:
        raise ValidationError(field, "must be non-zero")
    return value


class Rate:
    """Base class of rate forms. Subclasses are frozen dataclasses."""

    kind: str = ""

    def expression(self, allowed_names: Iterable[str] = ("v",)) -> Expr:
        """The rate as an :class:`~ionzoo.expr.Expr` in ``v`` (mV) and channel parameters."""
        raise NotImplementedError

    def to_dict(self) -> dict:
        """Plain-data form (for model files)."""
        raise NotImplementedError


@dataclass(frozen=True)
class _Standard(Rate):
    rate: float
    midpoint: float
    scale: float

    def __post_init__(self) -> None:
        object.__setattr__(self, "rate", _check_finite(f"{self.kind}.rate", self.rate))
        object.__setattr__(self, "midpoint", _check_finite(f"{self.kind}.midpoint", self.midpoint))
        object.__setattr__(self, "scale", _check_finite(f"{self.kind}.scale", self.scale, True))

    def _x(self) -> tuple:
        # x = (v - midpoint) / scale as an expression node
        return ("bin", "/", ("bin", "-", ("name", "v"), ("num", self.midpoint)),
                ("num", self.scale))

    def to_dict(self) -> dict:
        return {"form": self.kind, "rate": self.rate, "midpoint": self.midpoint,
                "scale": self.scale}


@dataclass(frozen=True)
class ExpRate(_Standard):
    """``rate · exp((v - midpoint)/scale)`` — NeuroML2 ``HHExpRate``."""

    kind = "exp"

    def expression(self, allowed_names: Iterable[str] = ("v",)) -> Expr:
        return Expr(("bin", "*", ("num", self.rate), ("call", "exp", self._x())))


@dataclass(frozen=True)
class SigmoidRate(_Standard):
    """``rate / (1 + exp(-(v - midpoint)/scale))`` — NeuroML2 ``HHSigmoidRate``."""

    kind = "sigmoid"

    def expression(self, allowed_names: Iterable[str] = ("v",)) -> Expr:
        denom = ("bin", "+", ("num", 1.0), ("call", "exp", ("neg", self._x())))
        return Expr(("bin", "/", ("num", self.rate), denom))


@dataclass(frozen=True)
class ExpLinearRate(_Standard):
    """``rate · x/(1 - exp(-x))``, ``x = (v - midpoint)/scale`` — NeuroML2 ``HHExpLinearRate``.

    Evaluated as ``rate / exprel(-x)``: equal to ``rate`` at ``v = midpoint`` (no 0/0).
    """

    kind = "explinear"

    def expression(self, allowed_names: Iterable[str] = ("v",)) -> Expr:
        return Expr(("bin", "/", ("num", self.rate), ("call", "exprel", ("neg", self._x()))))


@dataclass(frozen=True)
class ExprRate(Rate):
    """Any safe expression in ``v`` (mV) and the channel's parameters, e.g.
    ``"0.32 * (13 - (v - vt)) / (exp((13 - (v - vt)) / 4) - 1)"``.

    The text is parsed (never executed) when the channel is built; see :mod:`ionzoo.expr`.
    """

    text: str
    kind = "expr"

    def __post_init__(self) -> None:
        if not isinstance(self.text, str):
            raise ValidationError("expr", f"expected a string, got {type(self.text).__name__}")
        # Syntax check now; names are checked against the channel's parameters later.
        parse(self.text, allowed_names=None, field="expr")
        object.__setattr__(self, "text", self.text.strip())

    def expression(self, allowed_names: Iterable[str] = ("v",)) -> Expr:
        return parse(self.text, allowed_names=allowed_names, field=f"expr {self.text!r}")

    def to_dict(self) -> dict:
        return {"form": "expr", "expr": self.text}


_FORMS = {"exp": ExpRate, "sigmoid": SigmoidRate, "explinear": ExpLinearRate}


def as_rate(spec: Rate | str | float | int | dict, field: str = "rate") -> Rate:
    """Coerce a user specification into a :class:`Rate`.

    Accepts a :class:`Rate`, an expression string, a constant number, or a dict
    ``{"form": "exp"|"sigmoid"|"explinear", "rate":…, "midpoint":…, "scale":…}`` /
    ``{"form": "expr", "expr": "…"}``.
    """
    if isinstance(spec, Rate):
        return spec
    if isinstance(spec, bool):
        raise ValidationError(field, "a boolean is not a rate")
    if isinstance(spec, (int, float)):
        return ExprRate(repr(_check_finite(field, spec)))
    if isinstance(spec, str):
        return ExprRate(spec)
    if isinstance(spec, dict):
        form = spec.get("form")
        if form == "expr":
            extra = set(spec) - {"form", "expr"}
            if extra:
                raise ValidationError(field, f"unknown key(s) {sorted(extra)}")
            return ExprRate(spec.get("expr"))
        if form not in _FORMS:
            raise ValidationError(f"{field}.form", f"unknown rate form {form!r} "
                                  f"(expected one of {sorted([*_FORMS, 'expr'])})")
        extra = set(spec) - {"form", "rate", "midpoint", "scale"}
        if extra:
            raise ValidationError(field, f"unknown key(s) {sorted(extra)}")
        missing = {"rate", "midpoint", "scale"} - set(spec)
        if missing:
            raise ValidationError(field, f"missing key(s) {sorted(missing)}")
        return _FORMS[form](spec["rate"], spec["midpoint"], spec["scale"])
    raise ValidationError(field, f"cannot make a rate from {type(spec).__name__}")
