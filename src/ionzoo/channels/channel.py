"""Gates and channels: immutable descriptions of ionic currents.

A :class:`Channel` carries the current

    I = gbar · Π_k x_k^{p_k} · (v − e)          [µA/cm²]

with ``gbar`` in mS/cm², ``v`` and ``e`` in mV. Each gating variable ``x`` obeys first-order
kinetics, written either with opening/closing rates (α, β in 1/ms)

    dx/dt = φ(T) · (α(v)·(1 − x) − β(v)·x)

or with a steady state and a time constant (x∞ dimensionless, τ in ms)

    dx/dt = φ(T) · (x∞(v) − x)/τ(v),

where φ(T) is the channel's temperature factor (:class:`Q10`). A channel without gates is a leak.
Nothing here holds simulation state; channels can be printed, compared, hashed and saved.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..errors import ValidationError
from ..expr import Expr
from .rates import Rate, as_rate

__all__ = ["Gate", "Channel", "Q10", "FixedFactor", "Provenance", "RESERVED_PARAMETERS",
           "CONCENTRATION_NAMES"]

#: Parameter names with a fixed meaning: ``gbar`` (mS/cm²), ``e`` (mV, fixed reversal), ``q10``
#: (a :class:`Q10` rule) and ``rate_factor`` (a :class:`FixedFactor` rule).
RESERVED_PARAMETERS = ("gbar", "e", "q10", "rate_factor")
#: Concentrations a rate expression may read (mM): internal and external calcium.
CONCENTRATION_NAMES = ("cai", "cao")

_IDENT_OK = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")


def _check_name(field_name: str, name: str) -> str:
    if not isinstance(name, str) or not name or not set(name) <= _IDENT_OK or name[0].isdigit():
        raise ValidationError(field_name, f"{name!r} is not a valid name (letters, digits, _)")
    if name.startswith("_"):
        raise ValidationError(field_name, f"{name!r}: names may not start with '_'")
    return name


def _finite(field_name: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.floating, np.integer)):
        raise ValidationError(field_name, f"expected a number, got {type(value).__name__}")
    value = float(value)
    if not math.isfinite(value):
        raise ValidationError(field_name, f"must be finite, got {value!r}")
    return value


@dataclass(frozen=True)
class Q10:
    """Temperature rule: rates multiplied by ``φ = q10 ** ((T − reference)/10)``.

    ``reference`` is the temperature (°C) at which the rate functions were written; ``q10`` is
    dimensionless. With ``conductance=True`` the maximal conductance is multiplied by φ as well
    (Mainen & Sejnowski 1996: ``g = tadj·gbar·…``). ``hh.mod``: q10 = 3, reference 6.3 °C,
    rates only.
    """

    q10: float
    reference: float
    conductance: bool = False

    def __post_init__(self) -> None:
        q = _finite("q10", self.q10)
        if q <= 0:
            raise ValidationError("q10", f"must be > 0, got {q!r}")
        object.__setattr__(self, "q10", q)
        object.__setattr__(self, "reference", _finite("q10.reference", self.reference))

    def factor(self, temperature: np.ndarray | float, q10: np.ndarray | float | None = None):
        """φ(T) for temperature in °C (dimensionless); ``q10`` overrides the default."""
        q = self.q10 if q10 is None else q10
        return np.power(q, (np.asarray(temperature, dtype=float) - self.reference) / 10.0)


@dataclass(frozen=True)
class FixedFactor:
    """Temperature rule of sources that hard-code their temperature correction: rates are
    multiplied by a constant ``factor`` whatever the neuron's temperature (Hay et al. 2011:
    qt = 2.3^((34 − 21)/10) ≈ 2.952). ``note`` says where the factor comes from."""

    factor: float
    note: str = ""

    def __post_init__(self) -> None:
        f = _finite("rate_factor", self.factor)
        if f <= 0:
            raise ValidationError("rate_factor", f"must be > 0, got {f!r}")
        object.__setattr__(self, "factor", f)

    def factor_at(self, temperature, rate_factor=None):
        """φ (dimensionless), independent of temperature."""
        f = self.factor if rate_factor is None else rate_factor
        return np.broadcast_to(np.asarray(f, dtype=float), np.shape(temperature)).copy()

@dataclass(frozen=True)
class Provenance:
    """Where a channel's equations come from.

    ``citation``: the paper; ``model_file``: the public reference implementation (e.g. a .mod file)
    the kinetics were checked against; ``notes``: conventions and deviations.
    """

    citation: str
    model_file: str = ""
    notes: str = ""


@dataclass(frozen=True)
class Gate:
    """One gating variable: ``power`` and either ``alpha``/``beta`` or ``inf``/``tau``.

    Rates may be :class:`~ionzoo.channels.rates.Rate` objects, expression strings, or numbers.
    Units: α, β in 1/ms; x∞ dimensionless; τ in ms; voltages in mV.

    ``instantaneous=True``: the gate is always at its steady state, x = x∞(v) (or α/(α + β));
    it has no state variable and ``tau`` may be omitted (e.g. Wang–Buzsáki's m, the T-type
    channel's m∞², Morris–Lecar's m∞).
    """

    name: str
    power: int
    alpha: Rate | None = None
    beta: Rate | None = None
    inf: Rate | None = None
    tau: Rate | None = None
    instantaneous: bool = False

    def __post_init__(self) -> None:
        _check_name("gate.name", self.name)
        f = f"gate {self.name!r}"
        if isinstance(self.power, bool) or not isinstance(self.power, (int, np.integer)):
            raise ValidationError(f"{f}.power", f"must be an integer, got {self.power!r}")
        if not 1 <= int(self.power) <= 8:
            raise ValidationError(f"{f}.power", f"must be between 1 and 8, got {self.power!r}")
        object.__setattr__(self, "power", int(self.power))
        has_ab = self.alpha is not None or self.beta is not None
        has_it = self.inf is not None or self.tau is not None
        if has_ab == has_it:
            raise ValidationError(f, "give either alpha and beta, or inf and tau")
        pair = ("alpha", "beta") if has_ab else ("inf", "tau")
        if not isinstance(self.instantaneous, bool):
            raise ValidationError(f"{f}.instantaneous", "must be True or False")
        if self.instantaneous and not has_ab and self.tau is None:
            object.__setattr__(self, "tau", 1.0)  # unused: the gate has no kinetics
        for key in pair:
            spec = getattr(self, key)
            if spec is None:
                raise ValidationError(f"{f}.{key}", "missing")
            object.__setattr__(self, key, as_rate(spec, f"{f}.{key}"))

    @property
    def form(self) -> str:
        """``"alphabeta"`` or ``"inftau"``."""
        return "alphabeta" if self.alpha is not None else "inftau"

    def rates(self) -> tuple[Rate, Rate]:
        """(α, β) or (x∞, τ)."""
        return (self.alpha, self.beta) if self.form == "alphabeta" else (self.inf, self.tau)

    def to_dict(self) -> dict:
        a, b = self.rates()
        keys = ("alpha", "beta") if self.form == "alphabeta" else ("inf", "tau")
        out = {"name": self.name, "power": self.power, keys[0]: a.to_dict(), keys[1]: b.to_dict()}
        if self.instantaneous:
            out["instantaneous"] = True
        return out


@dataclass(frozen=True)
class Channel:
    """An ionic current: name, gates, default ḡ and reversal, temperature rule, provenance.

    Parameters
    ----------
    name:
        Short identifier used in parameter paths (``"Na"`` → ``"Na.gbar"``).
    gates:
        The gating variables (empty for a leak).
    gbar:
        Default maximal conductance, mS/cm² (≥ 0).
    e:
        Default reversal potential, mV, or ``"nernst"``: computed every step from the neuron's
        calcium concentrations (``ion="ca"`` only; see :mod:`ionzoo.ions`).
    ion:
        The ion carried (``"na"``, ``"k"``, ``"ca"``, ``"h"``...) or ``None`` (leak). The
        currents of ``ion="ca"`` channels drive a calcium pool.
    temperature:
        :class:`Q10` rule, :class:`FixedFactor`, or ``None`` when the kinetics do not depend
        on temperature.
    params:
        Extra named parameters the rate expressions may read (name → default value; the unit is
        the expression's business and should be stated in ``provenance.notes``). Expressions
        may also read ``cai`` and ``cao`` (mM).
    provenance:
        Source of the equations.
    """

    name: str
    gates: tuple[Gate, ...] = ()
    gbar: float = 0.0
    e: float | str = 0.0
    ion: str | None = None
    temperature: Q10 | FixedFactor | None = None
    params: Mapping[str, float] = field(default_factory=dict)
    provenance: Provenance | None = None
    description: str = ""

    def __post_init__(self) -> None:
        _check_name("channel.name", self.name)
        f = f"channel {self.name!r}"
        gates = tuple(self.gates)
        for g in gates:
            if not isinstance(g, Gate):
                raise ValidationError(f"{f}.gates",
                                      f"expected Gate objects, got {type(g).__name__}")
        names = [g.name for g in gates]
        if len(set(names)) != len(names):
            raise ValidationError(f"{f}.gates", f"duplicate gate names {names}")
        object.__setattr__(self, "gates", gates)
        gbar = _finite(f"{self.name}.gbar", self.gbar)
        if gbar < 0:
            raise ValidationError(f"{self.name}.gbar", f"must be >= 0, got {gbar!r}")
        object.__setattr__(self, "gbar", gbar)
        if self.e == "nernst":
            if self.ion != "ca":
                raise ValidationError(f"{self.name}.e", "a Nernst reversal is supported for "
                                      "ion='ca' only")
        else:
            object.__setattr__(self, "e", _finite(f"{self.name}.e", self.e))
        if self.temperature is not None and not isinstance(self.temperature, (Q10, FixedFactor)):
            raise ValidationError(f"{f}.temperature", "expected Q10, FixedFactor or None")
        extra = {}
        for key, val in dict(self.params).items():
            _check_name(f"{f}.params", key)
            if key in RESERVED_PARAMETERS or key in ("v", *CONCENTRATION_NAMES) or key in names:
                raise ValidationError(f"{self.name}.{key}", "name is reserved")
            extra[key] = _finite(f"{self.name}.{key}", val)
        object.__setattr__(self, "params", _FrozenDict(extra))
        # Check every rate expression against the names it may read.
        for g in gates:
            for rate in g.rates():
                rate.expression(self.expression_names())

    # ------------------------------------------------------------------ parameters
    def expression_names(self) -> tuple[str, ...]:
        """Names a rate expression may read: ``v``, ``cai``/``cao`` and the extra parameters."""
        return ("v", *CONCENTRATION_NAMES, *self.params)

    def rule_text(self) -> str:
        """The temperature rule in words (for tables)."""
        rule = self.temperature
        if isinstance(rule, Q10):
            extra = " (rates and g)" if rule.conductance else ""
            return f"Q10 {rule.q10:g} from {rule.reference:g} °C{extra}"
        if isinstance(rule, FixedFactor):
            return f"fixed ×{rule.factor:.4g}"
        return "none"

    @property
    def nernst(self) -> bool:
        """Whether the reversal is computed from concentrations."""
        return self.e == "nernst"

    def reads_calcium(self) -> bool:
        """Whether any rate expression reads ``cai`` or ``cao``."""
        return any(set(CONCENTRATION_NAMES) & e.names
                   for g in self.gates for e in self.gate_expressions(g))

    def parameters(self) -> dict[str, float]:
        """Default values of every numeric parameter, by name (``gbar``, ``e``, ``q10`` or
        ``rate_factor``, extras)."""
        out = {"gbar": self.gbar}
        if not self.nernst:
            out["e"] = self.e
        if isinstance(self.temperature, Q10):
            out["q10"] = self.temperature.q10
        elif isinstance(self.temperature, FixedFactor):
            out["rate_factor"] = self.temperature.factor
        out.update(self.params)
        return out

    def phi(self, temperature, values: Mapping[str, Any] | None = None):
        """The rate factor φ at ``temperature`` (°C), given parameter ``values``."""
        values = values or {}
        if isinstance(self.temperature, Q10):
            return self.temperature.factor(temperature, values.get("q10"))
        if isinstance(self.temperature, FixedFactor):
            return self.temperature.factor_at(temperature, values.get("rate_factor"))
        return np.ones(np.shape(temperature))

    def gate_expressions(self, gate: Gate) -> tuple[Expr, Expr]:
        """The two rate expressions of ``gate`` (α, β or x∞, τ)."""
        names = self.expression_names()
        a, b = gate.rates()
        return a.expression(names), b.expression(names)

    def structure_key(self) -> tuple:
        """What determines compiled code: name, gates (powers and rate expressions), rule kind."""
        rule = (type(self.temperature).__name__,
                getattr(self.temperature, "conductance", False))
        return (
            self.name,
            tuple((g.name, g.power, g.form, g.instantaneous,
                   *(str(e) for e in self.gate_expressions(g))) for g in self.gates),
            rule, self.nernst, self.ion,
            tuple(self.params),
        )

    def _env(self, v, params, cai, cao) -> dict:
        return {"v": np.asarray(v, dtype=float), "cai": cai, "cao": cao, **self.params,
                **(params or {})}

    def steady_state(self, gate: Gate, v: np.ndarray | float,
                     params: Mapping[str, Any] | None = None, cai: float = 5e-5,
                     cao: float = 2.0) -> np.ndarray:
        """x∞(v) of ``gate`` (dimensionless) for v in mV (and ``cai``, ``cao`` in mM)."""
        env = self._env(v, params, cai, cao)
        a, b = (e.evaluate(env) for e in self.gate_expressions(gate))
        return _shaped(a / (a + b) if gate.form == "alphabeta" else a, v, cai)

    def time_constant(self, gate: Gate, v: np.ndarray | float, temperature: float | None = None,
                      params: Mapping[str, Any] | None = None, cai: float = 5e-5,
                      cao: float = 2.0) -> np.ndarray:
        """τ(v) in ms of ``gate`` at ``temperature`` (°C). Without a temperature, a :class:`Q10`
        rule is not applied (τ at its reference temperature) but a :class:`FixedFactor` is (it
        does not depend on temperature). Instantaneous gates have τ = 0."""
        env = self._env(v, params, cai, cao)
        if gate.instantaneous:
            return _shaped(np.zeros(()), v, cai)
        a, b = (e.evaluate(env) for e in self.gate_expressions(gate))
        tau = 1.0 / (a + b) if gate.form == "alphabeta" else b
        if isinstance(self.temperature, FixedFactor) or (
                self.temperature is not None and temperature is not None):
            tau = tau / self.phi(6.3 if temperature is None else temperature, params)
        return _shaped(tau, v, cai)

    def gate(self, name: str) -> Gate:
        """The gate called ``name``."""
        for g in self.gates:
            if g.name == name:
                return g
        raise ValidationError(f"{self.name}.{name}", f"channel {self.name!r} has no gate {name!r}"
                              f" (gates: {[g.name for g in self.gates]})")

    def with_defaults(self, **values: float) -> Channel:
        """A copy with new default parameter values (``gbar``, ``e``, ``q10`` or extras)."""
        unknown = set(values) - set(self.parameters())
        if unknown:
            raise ValidationError(f"{self.name}.{sorted(unknown)[0]}", "unknown parameter "
                                  f"(known: {sorted(self.parameters())})")
        kw: dict[str, Any] = {}
        if "gbar" in values:
            kw["gbar"] = values["gbar"]
        if "e" in values:
            kw["e"] = values["e"]
        if "q10" in values:
            if not isinstance(self.temperature, Q10):
                raise ValidationError(f"{self.name}.q10", "channel has no Q10 rule")
            kw["temperature"] = Q10(values["q10"], self.temperature.reference,
                                    self.temperature.conductance)
        if "rate_factor" in values:
            if not isinstance(self.temperature, FixedFactor):
                raise ValidationError(f"{self.name}.rate_factor", "channel has no fixed factor")
            kw["temperature"] = FixedFactor(values["rate_factor"], self.temperature.note)
        extras = {k: v for k, v in values.items() if k not in RESERVED_PARAMETERS}
        if extras:
            kw["params"] = {**self.params, **extras}
        return _replace(self, **kw)

    def to_dict(self) -> dict:
        """Plain-data form (for model files)."""
        out: dict[str, Any] = {"name": self.name, "gbar": self.gbar, "e": self.e,
                               "ion": self.ion, "gates": [g.to_dict() for g in self.gates]}
        if isinstance(self.temperature, Q10):
            out["temperature"] = {"q10": self.temperature.q10,
                                  "reference": self.temperature.reference,
                                  "conductance": self.temperature.conductance}
        elif isinstance(self.temperature, FixedFactor):
            out["temperature"] = {"factor": self.temperature.factor,
                                  "note": self.temperature.note}
        if self.params:
            out["params"] = dict(self.params)
        if self.description:
            out["description"] = self.description
        if self.provenance is not None:
            out["provenance"] = {"citation": self.provenance.citation,
                                 "model_file": self.provenance.model_file,
                                 "notes": self.provenance.notes}
        return out

    def __str__(self) -> str:
        if self.nernst:
            drive = "(v − E_Ca,Nernst)"
        else:
            drive = f"(v − {self.e:g} mV)" if self.e >= 0 else f"(v + {-self.e:g} mV)"
        factors = [f"{self.gbar:g} mS/cm²", *(f"{g.name}^{g.power}" for g in self.gates), drive]
        lines = [f"Channel {self.name!r}: I = " + " · ".join(factors)]
        for g in self.gates:
            a, b = self.gate_expressions(g)
            k = ("α", "β") if g.form == "alphabeta" else ("x∞", "τ")
            if g.instantaneous and g.form == "inftau":
                lines.append(f"  {g.name} (instantaneous): x∞ = {a}")
            else:
                inst = " (instantaneous: x = α/(α+β))" if g.instantaneous else ""
                lines.append(f"  {g.name}{inst}: {k[0]} = {a};  {k[1]} = {b}")
        if isinstance(self.temperature, Q10):
            what = "rates and conductance" if self.temperature.conductance else "rates"
            lines.append(f"  temperature: Q10 = {self.temperature.q10:g} from "
                         f"{self.temperature.reference:g} °C ({what})")
        elif isinstance(self.temperature, FixedFactor):
            lines.append(f"  temperature: fixed rate factor {self.temperature.factor:.4g} "
                         f"({self.temperature.note})")
        else:
            lines.append("  temperature: none (rates as published)")
        if self.provenance is not None:
            lines.append(f"  source: {self.provenance.citation}")
        return "\n".join(lines)


def _shaped(values, v, cai) -> np.ndarray:
    """``values`` broadcast to the common shape of ``v`` and ``cai`` (a constant rate gives an
    array, not a scalar)."""
    shape = np.broadcast(np.asarray(v), np.asarray(cai)).shape
    return np.broadcast_to(np.asarray(values, dtype=float), shape).copy()


class _FrozenDict(dict):
    """A read-only, hashable dict for the ``params`` of an immutable channel."""

    def _ro(self, *args, **kwargs):
        raise TypeError("channel parameters are read-only; use Channel.with_defaults()")

    __setitem__ = __delitem__ = clear = pop = popitem = setdefault = update = _ro  # type: ignore

    def __hash__(self) -> int:  # type: ignore[override]
        return hash(tuple(sorted(self.items())))


def _replace(ch: Channel, **kw: Any) -> Channel:
    from dataclasses import replace

    return replace(ch, **kw)
