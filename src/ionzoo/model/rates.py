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

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..errors import ValidationError
from ..expr import Call, Expr, Name, Num, parse
from .params import number

__all__ = ["Rate", "ExpRate", "SigmoidRate", "ExpLinearRate", "ExprRate", "as_rate", "RateLike"]


class Rate:
    """Base class of rate forms. Subclasses are frozen dataclasses."""

    kind: str = ""

    def expression(self, allowed_names: Iterable[str] | None = ("v",)) -> Expr:
        """The rate as an expression tree in ``v`` (mV) and channel parameters; its names are
        checked against ``allowed_names``."""
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
        object.__setattr__(self, "rate", number(f"{self.kind}.rate", self.rate))
        object.__setattr__(self, "midpoint", number(f"{self.kind}.midpoint", self.midpoint))
        scale = number(f"{self.kind}.scale", self.scale)
        if scale == 0.0:
            raise ValidationError(f"{self.kind}.scale", "must be non-zero")
        object.__setattr__(self, "scale", scale)

    def _x(self) -> Expr:
        """x = (v − midpoint)/scale, written v + |midpoint| for negative midpoints."""
        v = Name("v")
        shifted = v + Num(-self.midpoint) if self.midpoint < 0 else v - Num(self.midpoint)
        return shifted / Num(self.scale)

    def expression(self, allowed_names: Iterable[str] | None = ("v",)) -> Expr:
        return self._tree()

    def _tree(self) -> Expr:
        raise NotImplementedError

    def to_dict(self) -> dict:
        return {"form": self.kind, "rate": self.rate, "midpoint": self.midpoint,
                "scale": self.scale}


@dataclass(frozen=True)
class ExpRate(_Standard):
    """``rate · exp((v - midpoint)/scale)`` — NeuroML2 ``HHExpRate``."""

    kind = "exp"

    def _tree(self) -> Expr:
        return Num(self.rate) * Call("exp", (self._x(),))


@dataclass(frozen=True)
class SigmoidRate(_Standard):
    """``rate / (1 + exp(-(v - midpoint)/scale))`` — NeuroML2 ``HHSigmoidRate``."""

    kind = "sigmoid"

    def _tree(self) -> Expr:
        return Num(self.rate) / (Num(1.0) + Call("exp", (-self._x(),)))


@dataclass(frozen=True)
class ExpLinearRate(_Standard):
    """``rate · x/(1 - exp(-x))``, ``x = (v - midpoint)/scale`` — NeuroML2 ``HHExpLinearRate``.

    Evaluated as ``rate / exprel(-x)``: equal to ``rate`` at ``v = midpoint`` (no 0/0).
    """

    kind = "explinear"

    def _tree(self) -> Expr:
        return Num(self.rate) / Call("exprel", (-self._x(),))


@dataclass(frozen=True)
class ExprRate(Rate):
    """Any safe expression in ``v`` (mV), ``cai``/``cao`` (mM), ``celsius`` (°C) and the
    channel's parameters, e.g. ``"0.32 * (13 - (v - vt)) / (exp((13 - (v - vt)) / 4) - 1)"``.

    The text is parsed (never executed) when the rate is built; names are checked against the
    channel's parameters when the channel is built (see :mod:`ionzoo.expr`).
    """

    text: str
    tree: Expr = field(init=False, compare=False, repr=False)
    kind = "expr"

    def __post_init__(self) -> None:
        if isinstance(self.text, Expr):
            object.__setattr__(self, "text", str(self.text))
        if not isinstance(self.text, str):
            raise ValidationError("expr", f"expected a string, got {type(self.text).__name__}")
        object.__setattr__(self, "text", self.text.strip())
        object.__setattr__(self, "tree", parse(self.text, allowed_names=None, field="expr"))

    def expression(self, allowed_names: Iterable[str] | None = ("v",)) -> Expr:
        if allowed_names is not None:
            parse(self.tree, allowed_names=allowed_names, field=f"expr {self.text!r}")
        return self.tree

    def to_dict(self) -> dict:
        return {"form": "expr", "expr": self.text}


#: Anything :func:`as_rate` accepts: a Rate, an expression (text or tree), a number, a dict.
RateLike = Rate | str | float | int | dict | Expr

_FORMS: dict[str, type[_Standard]] = {"exp": ExpRate, "sigmoid": SigmoidRate,
                                      "explinear": ExpLinearRate}


def as_rate(spec: RateLike, field: str = "rate") -> Rate:
    """Coerce a user specification into a :class:`Rate`.

    Accepts a :class:`Rate`, an expression string or tree, a constant number, or a dict
    ``{"form": "exp"|"sigmoid"|"explinear", "rate":…, "midpoint":…, "scale":…}`` /
    ``{"form": "expr", "expr": "…"}``.
    """
    if isinstance(spec, Rate):
        return spec
    if isinstance(spec, Expr):
        return _expr_rate(str(spec), field)
    if isinstance(spec, bool):
        raise ValidationError(field, "a boolean is not a rate")
    if isinstance(spec, str):
        return _expr_rate(spec, field)
    if isinstance(spec, dict):
        return _rate_from_dict(spec, field)
    try:
        value = number(field, spec)
    except ValidationError:
        raise ValidationError(field, f"cannot make a rate from {type(spec).__name__}") from None
    return ExprRate(repr(value))


def _kind(value: Any) -> str:
    return "nothing" if value is None else type(value).__name__


def _expr_rate(text: Any, field: str) -> ExprRate:
    """An :class:`ExprRate`, its errors naming ``field`` (e.g. ``K.gates[0].beta``)."""
    try:
        return ExprRate(text)
    except ValidationError as exc:
        raise type(exc)(field, exc.reason) from None


def _rate_from_dict(spec: dict, field: str) -> Rate:
    form = spec.get("form")
    if not isinstance(form, str):
        raise ValidationError(f"{field}.form", f"expected a rate form name, got {_kind(form)}")
    if form == "expr":
        extra = set(spec) - {"form", "expr"}
        if extra:
            raise ValidationError(field, f"unknown key(s) {sorted(map(str, extra))}")
        if "expr" not in spec:
            raise ValidationError(field, "missing key 'expr'")
        return _expr_rate(spec["expr"], field)
    if form not in _FORMS:
        raise ValidationError(f"{field}.form", f"unknown rate form {form!r} "
                              f"(expected one of {sorted([*_FORMS, 'expr'])})")
    extra = set(spec) - {"form", "rate", "midpoint", "scale"}
    if extra:
        raise ValidationError(field, f"unknown key(s) {sorted(map(str, extra))}")
    missing = {"rate", "midpoint", "scale"} - set(spec)
    if missing:
        raise ValidationError(field, f"missing key(s) {sorted(missing)}")
    return _FORMS[form](spec["rate"], spec["midpoint"], spec["scale"])
