"""Temperature rules of channels and gates.

A rule turns the neuron's temperature T (°C) into a factor φ that multiplies the gate rates:

* :class:`Q10` — φ = q10^((T − reference)/10), optionally also multiplying ḡ
  (Mainen & Sejnowski 1996);
* :class:`FixedFactor` — φ is a constant, whatever T (sources that hard-code their correction,
  such as Hay et al. 2011);
* no rule (``None`` on a channel, ``"none"`` on a gate) — φ = 1.

A channel's rule applies to all its gates; a gate may carry its own rule instead
(:attr:`ionzoo.channels.Gate.temperature`). Rate expressions may also read ``celsius`` (°C)
directly, for channels that compute their own factor.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..errors import ValidationError
from ..expr import Expr, Name, Num
from .params import CHANNEL_PARAMETERS, check, number

__all__ = ["Q10", "FixedFactor", "Rule", "rule_parameter", "rule_text", "factor_expression"]


@dataclass(frozen=True)
class Q10:
    """Rates multiplied by ``φ = q10 ** ((T − reference)/10)``.

    ``reference`` is the temperature (°C) at which the rate functions were written; ``q10`` is
    dimensionless (> 0). With ``conductance=True`` the maximal conductance is multiplied by φ as
    well (Mainen & Sejnowski 1996: ``g = tadj·gbar·…``). ``hh.mod``: q10 = 3, reference 6.3 °C,
    rates only.
    """

    q10: float
    reference: float
    conductance: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "q10", check("q10", self.q10, CHANNEL_PARAMETERS["q10"]))
        object.__setattr__(self, "reference", number("q10.reference", self.reference))
        if not isinstance(self.conductance, bool):
            raise ValidationError("q10.conductance", "must be True or False")

    def factor(self, temperature, q10=None) -> np.ndarray:
        """φ(T) for temperature in °C (dimensionless); ``q10`` overrides the default."""
        q = self.q10 if q10 is None else q10
        return np.power(q, (np.asarray(temperature, dtype=float) - self.reference) / 10.0)


@dataclass(frozen=True)
class FixedFactor:
    """Rates multiplied by a constant ``factor`` whatever the neuron's temperature (Hay et al.
    2011: qt = 2.3^((34 − 21)/10) ≈ 2.952). ``note`` says where the factor comes from."""

    factor: float
    note: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "factor", check("rate_factor", self.factor,
                                                 CHANNEL_PARAMETERS["rate_factor"]))
        if not isinstance(self.note, str):
            raise ValidationError("rate_factor.note", "must be text")


#: A temperature rule (or ``None``: no temperature dependence).
Rule = Q10 | FixedFactor | None


def rule_parameter(rule: Rule) -> str | None:
    """The parameter name a rule's value travels under (``q10``/``rate_factor``)."""
    if isinstance(rule, Q10):
        return "q10"
    if isinstance(rule, FixedFactor):
        return "rate_factor"
    return None


def rule_value(rule: Rule) -> float | None:
    """The default value of that parameter."""
    if isinstance(rule, Q10):
        return rule.q10
    if isinstance(rule, FixedFactor):
        return rule.factor
    return None


def factor_expression(rule: Rule, value: Expr, temperature: Expr | None = None) -> Expr:
    """φ as an expression of the rule's parameter ``value`` and the temperature (°C; default the
    neuron parameter ``temperature``)."""
    temperature = Name("temperature") if temperature is None else temperature
    if isinstance(rule, Q10):
        return value ** ((temperature - Num(rule.reference)) / Num(10.0))
    if isinstance(rule, FixedFactor):
        return value
    return Num(1.0)


def rule_text(rule: Rule) -> str:
    """The rule in words (for tables)."""
    if isinstance(rule, Q10):
        extra = " (rates and g)" if rule.conductance else ""
        return f"Q10 {rule.q10:g} from {rule.reference:g} °C{extra}"
    if isinstance(rule, FixedFactor):
        return f"fixed ×{rule.factor:.4g}"
    return "none"
