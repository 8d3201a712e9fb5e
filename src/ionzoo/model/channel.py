"""Gates and channels: immutable descriptions of ionic currents.

A :class:`Channel` carries the current (µA/cm²)

    I = gbar · Π_k x_k^{p_k} · (v − e)                      fixed or Nernst reversal
    I = gbar · Π_k x_k^{p_k} · GHK(v, c_in, c_out)          Goldman–Hodgkin–Katz

with ``gbar`` in mS/cm² (a permeability in cm/s for GHK), ``v`` and ``e`` in mV. Each gating
variable ``x`` obeys first-order kinetics, written either with opening/closing rates (α, β in
1/ms)

    dx/dt = φ(T) · (α(v)·(1 − x) − β(v)·x)

or with a steady state and a time constant (x∞ dimensionless, τ in ms)

    dx/dt = φ(T) · (x∞(v) − x)/τ(v),

where φ(T) is the temperature factor of the channel's (or the gate's own) rule
(:mod:`ionzoo.model.temperature`). A channel without gates is a leak. Rate expressions may read
``v`` (mV), ``cai``/``cao`` (mM), ``celsius`` (°C) and the channel's extra parameters.
Nothing here holds simulation state; channels can be printed, compared, hashed and saved.
"""

from __future__ import annotations

import hashlib
import operator
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from ..errors import ValidationError
from ..expr import Expr
from ..limits import MAX_GATES, MAX_PARAMETERS
from .params import CHANNEL_PARAMETERS, FREE, ParamSpec, check, number
from .params import text as _free_text
from .rates import Rate, RateLike, as_rate
from .temperature import Q10, FixedFactor, Rule, rule_parameter, rule_text, rule_value

__all__ = ["Gate", "Channel", "Q10", "FixedFactor", "Provenance", "RESERVED_PARAMETERS",
           "CONCENTRATION_NAMES", "BUILTIN_NAMES", "REVERSALS", "METHODS", "check_name"]

#: Parameter names with a fixed meaning: ``gbar`` (mS/cm²), ``e`` (mV, fixed reversal), ``q10``
#: (a :class:`Q10` rule) and ``rate_factor`` (a :class:`FixedFactor` rule).
RESERVED_PARAMETERS = ("gbar", "e", "q10", "rate_factor")
#: Concentrations a rate expression may read (mM): internal and external calcium.
CONCENTRATION_NAMES = ("cai", "cao")
#: Every name a rate expression may read besides the channel's own parameters.
BUILTIN_NAMES = ("v", *CONCENTRATION_NAMES, "celsius")
#: Reversal kinds besides a fixed number (mV): computed from the calcium concentrations.
REVERSALS = ("nernst", "ghk")
#: How the fixed-step solvers advance a channel's gates over a step, as NEURON's ``SOLVE …
#: METHOD``: ``cnexp`` (exact exponential), ``derivimplicit`` (implicit), ``euler`` (explicit).
METHODS = ("cnexp", "derivimplicit", "euler")

_IDENT_OK = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
_MAX_NAME = 64


def check_name(field_name: str, name: Any) -> str:
    """A valid identifier (letters, digits, ``_``; not leading with a digit or ``_``)."""
    if (not isinstance(name, str) or not name or len(name) > _MAX_NAME
            or not set(name) <= _IDENT_OK or name[0].isdigit()):
        raise ValidationError(field_name, f"{name!r} is not a valid name (letters, digits, _; "
                              f"at most {_MAX_NAME} characters)")
    if name.startswith("_"):
        raise ValidationError(field_name, f"{name!r}: names may not start with '_'")
    return name


@dataclass(frozen=True)
class Provenance:
    """Where a channel's equations come from.

    ``citation``: the paper; ``model_file``: the public reference implementation (e.g. a .mod file)
    the kinetics were checked against; ``notes``: conventions and deviations.
    """

    citation: str
    model_file: str = ""
    notes: str = ""

    def __post_init__(self) -> None:
        for name in ("citation", "model_file", "notes"):
            _free_text(f"provenance.{name}", getattr(self, name))


@dataclass(frozen=True)
class Gate:
    """One gating variable: ``power`` and either ``alpha``/``beta`` or ``inf``/``tau``.

    Rates may be :class:`~ionzoo.channels.rates.Rate` objects, expression strings, or numbers.
    Units: α, β in 1/ms; x∞ dimensionless; τ in ms; voltages in mV.

    ``instantaneous=True``: the gate is always at its steady state, x = x∞(v) (or α/(α + β));
    it has no state variable and ``tau`` may be omitted (e.g. Wang–Buzsáki's m, the T-type
    channel's m∞², Morris–Lecar's m∞).

    ``temperature``: this gate's own rule (:class:`Q10`, :class:`FixedFactor` or ``"none"``)
    where a channel's gates differ; ``None`` (default) uses the channel's rule. Its value
    travels as the channel parameter ``<gate>_q10`` / ``<gate>_rate_factor``.

    ``parts``: a *fractional* gate (NeuroML's ``gateFractional``; a weighted sum of gates in a
    .mod file, Allen's ``Kv2like`` ``0.5·h1 + 0.5·h2``) has no rates of its own: its value is
    x = Σ_k w_k·s_k over ``(w_k, s_k)`` pairs, each ``s_k`` a gate of power 1 with its own
    kinetics and state, and the channel's conductance reads x^power. The weights are positive
    dimensionless constants of the model; the parts follow this gate's temperature rule.
    """

    name: str
    power: int
    alpha: RateLike | None = None
    beta: RateLike | None = None
    inf: RateLike | None = None
    tau: RateLike | None = None
    instantaneous: bool = False
    temperature: Q10 | FixedFactor | str | None = None
    parts: tuple[tuple[float, Gate], ...] = ()
    key: str = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        check_name("gate.name", self.name)
        f = f"gate {self.name!r}"
        if isinstance(self.power, bool) or not hasattr(type(self.power), "__index__"):
            raise ValidationError(f"{f}.power", f"must be an integer, got {self.power!r}")
        power = operator.index(self.power)
        if not 1 <= power <= 8:
            raise ValidationError(f"{f}.power", f"must be between 1 and 8, got {self.power!r}")
        object.__setattr__(self, "power", power)
        if not (self.temperature is None or self.temperature == "none"
                or isinstance(self.temperature, (Q10, FixedFactor))):
            raise ValidationError(f"{f}.temperature", "expected Q10, FixedFactor, 'none' or None")
        if self.parts:
            self._check_parts(f)
        else:
            self._check_rates(f)
        text = repr((self.name, self.power, self.form, self.instantaneous,
                     *(str(r.expression(None)) for r in self.rates()), _rule_key(self.temperature),
                     *((w, p.key) for w, p in self.parts)))
        object.__setattr__(self, "key", hashlib.sha256(text.encode()).hexdigest()[:24])

    def _check_parts(self, f: str) -> None:
        if any(getattr(self, k) is not None for k in ("alpha", "beta", "inf", "tau")):
            raise ValidationError(f, "a fractional gate (parts) has no rates of its own")
        if self.instantaneous:
            raise ValidationError(f"{f}.instantaneous", "a fractional gate cannot be "
                                  "instantaneous")
        parts = tuple(self.parts) if isinstance(self.parts, (tuple, list)) else None
        if parts is None or len(parts) > MAX_GATES:
            raise ValidationError(f"{f}.parts", f"expected a list of at most {MAX_GATES} "
                                  "(weight, Gate) pairs")
        checked = []
        for k, pair in enumerate(parts):
            where = f"{f}.parts[{k}]"
            if not (isinstance(pair, (tuple, list)) and len(pair) == 2
                    and isinstance(pair[1], Gate)):
                raise ValidationError(where, "expected a (weight, Gate) pair")
            weight = number(f"{where}.weight", pair[0])
            if not 0.0 < weight <= 1e6:
                raise ValidationError(f"{where}.weight", f"must be > 0, got {weight!r}")
            part = pair[1]
            if part.parts or part.power != 1 or part.instantaneous or part.temperature is not None:
                raise ValidationError(where, "a part is a gate of power 1 with kinetics, no "
                                      "parts and no temperature rule of its own")
            checked.append((weight, part))
        names = [p.name for _, p in checked]
        if len(set(names)) != len(names) or self.name in names:
            raise ValidationError(f"{f}.parts", f"duplicate names {[self.name, *names]}")
        object.__setattr__(self, "parts", tuple(checked))

    def _check_rates(self, f: str) -> None:
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
        """``"alphabeta"``, ``"inftau"`` or ``"fractional"`` (a weighted sum of parts)."""
        if self.parts:
            return "fractional"
        return "alphabeta" if self.alpha is not None else "inftau"

    @property
    def fractional(self) -> bool:
        """Whether the gate is a weighted sum of parts."""
        return bool(self.parts)

    def rates(self) -> tuple[Rate, Rate]:
        """(α, β) or (x∞, τ); () for a fractional gate (its parts carry the rates)."""
        if self.parts:
            return ()  # type: ignore[return-value]
        pair = (self.alpha, self.beta) if self.form == "alphabeta" else (self.inf, self.tau)
        assert isinstance(pair[0], Rate) and isinstance(pair[1], Rate)
        return pair[0], pair[1]

    def leaves(self) -> tuple[Gate, ...]:
        """The gates with kinetics of their own: the parts of a fractional gate, else itself."""
        return tuple(p for _, p in self.parts) if self.parts else (self,)

    @property
    def own_rule(self) -> bool:
        """Whether the gate has a rule of its own (not the channel's)."""
        return self.temperature is not None

    def to_dict(self) -> dict:
        out: dict[str, Any] = {"name": self.name, "power": self.power}
        if self.parts:
            out["parts"] = [{"weight": w, **p.to_dict()} for w, p in self.parts]
        else:
            a, b = self.rates()
            keys = ("alpha", "beta") if self.form == "alphabeta" else ("inf", "tau")
            out.update({keys[0]: a.to_dict(), keys[1]: b.to_dict()})
        if self.instantaneous:
            out["instantaneous"] = True
        if self.temperature is not None:
            out["temperature"] = _rule_dict(self.temperature)
        return out


def _rule_key(rule: Any) -> tuple:
    if isinstance(rule, Q10):
        return ("Q10", rule.reference, rule.conductance)
    if isinstance(rule, FixedFactor):
        return ("FixedFactor",)
    return (str(rule),)


def _rule_dict(rule: Any) -> Any:
    if isinstance(rule, Q10):
        return {"q10": rule.q10, "reference": rule.reference, "conductance": rule.conductance}
    if isinstance(rule, FixedFactor):
        return {"factor": rule.factor, "note": rule.note}
    return rule


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
        Default maximal conductance, mS/cm² (≥ 0); for ``e="ghk"`` a permeability in cm/s.
    e:
        Default reversal potential, mV; ``"nernst"``: computed every step from the neuron's
        calcium concentrations; ``"ghk"``: a Goldman–Hodgkin–Katz current (no reversal; see
        :mod:`ionzoo.model.ions`). Both need ``ion="ca"``.
    ion:
        The ion carried (``"na"``, ``"k"``, ``"ca"``, ``"h"``...) or ``None`` (leak). The
        currents of ``ion="ca"`` channels drive a calcium pool.
    temperature:
        :class:`Q10` rule, :class:`FixedFactor`, or ``None`` when the kinetics do not depend
        on temperature.
    params:
        Extra named parameters the rate expressions may read (name → default value; the unit is
        the expression's business and should be stated in ``provenance.notes``).
    provenance:
        Source of the equations.
    conductance_factor:
        A dimensionless factor of the conductance, an expression of ``celsius``, ``cai``/``cao``
        and the extra parameters (not of ``v``), e.g. Mainen's ``tadj`` =
        ``q10_g**((celsius - 23)/10)``; ``None`` (default): none. Imported .mod files carry it
        where the published file scales its conductance with temperature.
    instantaneous_jacobian:
        How the fixed-step schemes' dI/dv treats instantaneous gates: ``"full"`` (default; they
        follow v, as when a .mod file computes them in BREAKPOINT) or ``"fixed"`` (held at their
        value, as NEURON does where the file computes them in its state update — Destexhe's
        ``m_inf`` in ``IT.mod``). Set by the .mod import; the value of the current is the same.
    method:
        How the fixed-step solvers advance the gates (:data:`METHODS`): ``"cnexp"`` (default;
        x ← x∞ + (x − x∞)·e^(−dt/τ), exact for a fixed v), ``"derivimplicit"`` (implicit:
        backward Euler, or the trapezoidal rule under Crank–Nicolson, as NEURON does it) or
        ``"euler"`` (explicit forward Euler) — the method of the published .mod file.
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
    method: str = "cnexp"
    conductance_factor: RateLike | None = None
    instantaneous_jacobian: str = "full"

    def __post_init__(self) -> None:
        check_name("channel.name", self.name)
        if self.method not in METHODS:
            raise ValidationError(f"{self.name}.method", f"expected one of {METHODS}, got "
                                  f"{self.method!r}")
        f = f"channel {self.name!r}"
        gates = tuple(self.gates)
        if len(gates) > MAX_GATES:
            raise ValidationError(f"{f}.gates", f"more than {MAX_GATES} gates")
        for g in gates:
            if not isinstance(g, Gate):
                raise ValidationError(f"{f}.gates",
                                      f"expected Gate objects, got {type(g).__name__}")
        names = [g.name for g in gates] + [p.name for g in gates for _, p in g.parts]
        if len(set(names)) != len(names):
            raise ValidationError(f"{f}.gates", f"duplicate gate names {names}")
        object.__setattr__(self, "gates", gates)
        if self.ion is not None:
            check_name(f"{self.name}.ion", self.ion)
        object.__setattr__(self, "gbar", check(f"{self.name}.gbar", self.gbar,
                                               CHANNEL_PARAMETERS["gbar"]))
        if isinstance(self.e, str):
            if self.e not in REVERSALS:
                raise ValidationError(f"{self.name}.e", f"expected a number (mV) or one of "
                                      f"{REVERSALS}, got {self.e!r}")
            if self.ion != "ca":
                raise ValidationError(f"{self.name}.e", f"a {self.e!r} reversal is supported "
                                      "for ion='ca' only")
        else:
            object.__setattr__(self, "e", number(f"{self.name}.e", self.e))
        if self.temperature is not None and not isinstance(self.temperature, (Q10, FixedFactor)):
            raise ValidationError(f"{f}.temperature", "expected Q10, FixedFactor or None")
        object.__setattr__(self, "params", self._checked_params(names))
        if self.provenance is not None and not isinstance(self.provenance, Provenance):
            raise ValidationError(f"{f}.provenance", "expected a Provenance")
        _free_text(f"{f}.description", self.description)
        allowed = self.expression_names()
        for g in self.leaf_gates():
            for rate in g.rates():
                rate.expression(allowed)
        if self.instantaneous_jacobian not in ("full", "fixed"):
            raise ValidationError(f"{self.name}.instantaneous_jacobian", "expected 'full' or "
                                  f"'fixed', got {self.instantaneous_jacobian!r}")
        if self.conductance_factor is not None:
            factor = as_rate(self.conductance_factor, f"{self.name}.conductance_factor")
            factor.expression(("celsius", *CONCENTRATION_NAMES, *self.params))
            object.__setattr__(self, "conductance_factor", factor)

    def _checked_params(self, gate_names: list[str]) -> _FrozenDict:
        if not isinstance(self.params, Mapping):
            raise ValidationError(f"{self.name}.params", "expected a mapping of name: number")
        if len(self.params) > MAX_PARAMETERS:
            raise ValidationError(f"{self.name}.params", f"more than {MAX_PARAMETERS} parameters")
        reserved = {*RESERVED_PARAMETERS, *BUILTIN_NAMES, *gate_names,
                    *(f"{g}_{k}" for g in gate_names for k in ("q10", "rate_factor"))}
        extra = {}
        for key, val in dict(self.params).items():
            check_name(f"channel {self.name!r}.params", key)
            if key in reserved:
                raise ValidationError(f"{self.name}.{key}", "name is reserved")
            extra[key] = number(f"{self.name}.{key}", val)
        return _FrozenDict(extra)

    # ------------------------------------------------------------------ description
    def expression_names(self) -> tuple[str, ...]:
        """Names a rate expression may read: ``v``, ``cai``/``cao``, ``celsius`` and the extra
        parameters."""
        return (*BUILTIN_NAMES, *self.params)

    @property
    def reversal(self) -> str:
        """``"fixed"``, ``"nernst"`` or ``"ghk"``."""
        return self.e if isinstance(self.e, str) else "fixed"

    @property
    def nernst(self) -> bool:
        """Whether the reversal is the Nernst potential of the concentrations."""
        return self.e == "nernst"

    @property
    def ghk(self) -> bool:
        """Whether the current is a Goldman–Hodgkin–Katz permeability current."""
        return self.e == "ghk"

    def reads_calcium(self) -> bool:
        """Whether any rate expression (or the conductance factor) reads ``cai`` or ``cao``."""
        factor = self.factor_expression()
        if factor is not None and set(CONCENTRATION_NAMES) & factor.names:
            return True
        return any(set(CONCENTRATION_NAMES) & e.names
                   for g in self.leaf_gates() for e in self.gate_expressions(g))

    def needs_calcium(self) -> bool:
        """Whether the channel needs the neuron's calcium description."""
        return self.reversal != "fixed" or self.reads_calcium()

    def rule_text(self) -> str:
        """The temperature rule in words (for tables)."""
        return rule_text(self.temperature)

    def leaf_gates(self) -> tuple[Gate, ...]:
        """Every gate with kinetics of its own, in order: ordinary gates, and the parts of
        fractional gates in their place (one state variable each unless instantaneous)."""
        return tuple(leaf for g in self.gates for leaf in g.leaves())

    def owner(self, gate: Gate) -> Gate:
        """The gate of the channel ``gate`` belongs to: the fractional gate of a part, else
        ``gate`` itself."""
        for g in self.gates:
            if any(p is gate or p == gate for _, p in g.parts):
                return g
        return gate

    def gate_rule(self, gate: Gate) -> Q10 | FixedFactor | None:
        """The temperature rule that applies to ``gate`` (a part: its fractional gate's)."""
        gate = self.owner(gate)
        if gate.temperature is None:
            return self.temperature
        return None if gate.temperature == "none" else gate.temperature  # type: ignore[return-value]

    def parameters(self) -> dict[str, float]:
        """Default values of every numeric parameter, by name (``gbar``, ``e``, ``q10`` or
        ``rate_factor``, gate rules ``<gate>_q10``…, extras)."""
        out = {"gbar": self.gbar}
        if self.reversal == "fixed":
            out["e"] = float(self.e)
        name = rule_parameter(self.temperature)
        if name is not None:
            out[name] = rule_value(self.temperature)  # type: ignore[assignment]
        for g in self.gates:
            if isinstance(g.temperature, (Q10, FixedFactor)):
                out[f"{g.name}_{rule_parameter(g.temperature)}"] = rule_value(g.temperature)  # type: ignore[assignment]
        out.update(self.params)
        return out

    def parameter_spec(self, name: str) -> ParamSpec:
        """Unit and bounds of parameter ``name`` (see :mod:`ionzoo.model.params`)."""
        if name == "gbar" and self.ghk:
            return ParamSpec("cm/s", 0.0, False, 1.0, doc="permeability")
        if name in CHANNEL_PARAMETERS:
            return CHANNEL_PARAMETERS[name]
        for rule in ("q10", "rate_factor"):
            if name.endswith("_" + rule) and name[:-len(rule) - 1] in {g.name for g in self.gates}:
                return CHANNEL_PARAMETERS[rule]
        return FREE

    def gate_expressions(self, gate: Gate) -> tuple[Expr, Expr]:
        """The two rate expressions of ``gate`` (α, β or x∞, τ), names checked."""
        names = self.expression_names()
        a, b = gate.rates()
        return a.expression(names), b.expression(names)

    def structure_key(self) -> tuple:
        """What determines compiled code: name, gates (powers and rate expressions), rule kinds,
        reversal kind, ion, parameter names and the conductance factor — no parameter value."""
        return (self.name, tuple(g.key for g in self.gates), _rule_key(self.temperature),
                self.reversal, self.ion, tuple(self.params), self.method,
                str(self.factor_expression()), self.instantaneous_jacobian)

    def factor_expression(self) -> Expr | None:
        """The conductance factor as a tree (names checked), or None."""
        if self.conductance_factor is None:
            return None
        assert isinstance(self.conductance_factor, Rate)
        return self.conductance_factor.expression(("celsius", *CONCENTRATION_NAMES,
                                                   *self.params))

    def gate(self, name: str) -> Gate:
        """The gate called ``name``."""
        for g in (*self.gates, *self.leaf_gates()):
            if g.name == name:
                return g
        raise ValidationError(f"{self.name}.{name}", f"channel {self.name!r} has no gate {name!r}"
                              f" (gates: {[g.name for g in self.gates]})")

    def renamed(self, name: str) -> Channel:
        """A copy called ``name`` (its parameter paths become ``<name>.gbar``…): for two channels
        of the same name in one neuron, e.g. ``traub.Na`` next to ``hh1952.Na``."""
        return replace(self, name=name)

    def with_defaults(self, **values: Any) -> Channel:
        """A copy with new default parameter values (``gbar``, ``e``, ``q10`` or extras)."""
        known = self.parameters()
        unknown = set(values) - set(known)
        if unknown:
            raise ValidationError(f"{self.name}.{sorted(unknown)[0]}", "unknown parameter "
                                  f"(known: {sorted(known)})")
        kw: dict[str, Any] = {}
        if "gbar" in values:
            kw["gbar"] = values["gbar"]
        if "e" in values:
            kw["e"] = values["e"]
        rule = self.temperature
        if "q10" in values and isinstance(rule, Q10):
            kw["temperature"] = Q10(values["q10"], rule.reference, rule.conductance)
        if "rate_factor" in values and isinstance(rule, FixedFactor):
            kw["temperature"] = FixedFactor(values["rate_factor"], rule.note)
        gates = list(self.gates)
        for i, g in enumerate(gates):
            for k in ("q10", "rate_factor"):
                if f"{g.name}_{k}" in values:
                    gates[i] = replace(g, temperature=_with_value(g.temperature,
                                                                  values[f"{g.name}_{k}"]))
        if gates != list(self.gates):
            kw["gates"] = tuple(gates)
        extras = {k: v for k, v in values.items() if k in self.params}
        if extras:
            kw["params"] = {**self.params, **extras}
        return replace(self, **kw)

    def to_dict(self) -> dict:
        """Plain-data form (for model files)."""
        out: dict[str, Any] = {"name": self.name, "gbar": self.gbar, "e": self.e,
                               "ion": self.ion, "gates": [g.to_dict() for g in self.gates]}
        if self.temperature is not None:
            out["temperature"] = _rule_dict(self.temperature)
        if self.params:
            out["params"] = dict(self.params)
        if self.description:
            out["description"] = self.description
        if self.method != "cnexp":
            out["method"] = self.method
        if self.conductance_factor is not None:
            out["conductance_factor"] = str(self.factor_expression())
        if self.instantaneous_jacobian != "full":
            out["instantaneous_jacobian"] = self.instantaneous_jacobian
        if self.provenance is not None:
            out["provenance"] = {"citation": self.provenance.citation,
                                 "model_file": self.provenance.model_file,
                                 "notes": self.provenance.notes}
        return out

    def __str__(self) -> str:
        if self.reversal == "nernst":
            drive = "(v − E_Ca,Nernst)"
        elif self.reversal == "ghk":
            drive = "GHK(v, cai, cao)"
        else:
            e = float(self.e)
            drive = f"(v − {e:g} mV)" if e >= 0 else f"(v + {-e:g} mV)"
        unit = "cm/s" if self.ghk else "mS/cm²"
        factors = [f"{self.gbar:g} {unit}", *(f"{g.name}^{g.power}" for g in self.gates), drive]
        lines = [f"Channel {self.name!r}: I = " + " · ".join(factors)]
        for g in self.gates:
            if g.parts:
                total = " + ".join(f"{w:g}·{p.name}" for w, p in g.parts)
                lines.append(f"  {g.name} = {total}")
        for g in self.leaf_gates():
            a, b = self.gate_expressions(g)
            k = ("α", "β") if g.form == "alphabeta" else ("x∞", "τ")
            if g.instantaneous and g.form == "inftau":
                lines.append(f"  {g.name} (instantaneous): x∞ = {a}")
            else:
                inst = " (instantaneous: x = α/(α+β))" if g.instantaneous else ""
                own = (f" [temperature: {rule_text(self.gate_rule(g))}]"
                       if self.owner(g).own_rule else "")
                lines.append(f"  {g.name}{inst}: {k[0]} = {a};  {k[1]} = {b}{own}")
        lines.append(f"  temperature: {_rule_words(self.temperature)}")
        if self.conductance_factor is not None:
            lines.append(f"  conductance factor: {self.factor_expression()}")
        if self.method != "cnexp":
            lines.append(f"  integration: {self.method}")
        if self.provenance is not None:
            lines.append(f"  source: {self.provenance.citation}")
        return "\n".join(lines)


def _with_value(rule: Any, value: Any) -> Any:
    if isinstance(rule, Q10):
        return Q10(value, rule.reference, rule.conductance)
    if isinstance(rule, FixedFactor):
        return FixedFactor(value, rule.note)
    raise ValidationError("temperature", "this gate has no temperature rule")


def _rule_words(rule: Rule) -> str:
    if isinstance(rule, Q10):
        what = "rates and conductance" if rule.conductance else "rates"
        return f"Q10 = {rule.q10:g} from {rule.reference:g} °C ({what})"
    if isinstance(rule, FixedFactor):
        return f"fixed rate factor {rule.factor:.4g} ({rule.note})"
    return "none (rates as published)"


class _FrozenDict(dict):
    """A read-only, hashable dict for the ``params`` of an immutable channel."""

    def _ro(self, *args, **kwargs):
        raise TypeError("channel parameters are read-only; use Channel.with_defaults()")

    __setitem__ = __delitem__ = clear = pop = popitem = setdefault = update = _ro  # type: ignore

    def __hash__(self) -> int:  # type: ignore[override]
        return hash(tuple(sorted(self.items())))
