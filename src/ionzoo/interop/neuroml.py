"""NeuroML2 export and import (with libNeuroML).

Export
------
* A channel becomes an ``ionChannelHH`` (conductance 10 pS) with ``gateHHrates`` (α/β),
  ``gateHHtauInf`` (x∞/τ) or ``gateHHInstantaneous`` gates. Standard rates use NeuroML's own
  forms (``HHExpRate``, ``HHSigmoidRate``, ``HHExpLinearRate``, ``HHSigmoidVariable``,
  ``HHExpVariable``, ``HHExpLinearVariable``, ``fixedTimeCourse``); any other rate expression
  becomes a LEMS ``ComponentType`` extending ``baseVoltageDepRate`` / ``baseVoltageDepVariable``
  / ``baseVoltageDepTime`` (or the ``...ConcDep...`` variants when it reads cai), with the
  channel's parameters as named constants ``P_<name>`` (read back as parameters). ``exprel``
  is written as ``(exp(x) - 1)/x`` and ``min``/``max`` with ``H``; both are recognised again
  on import. NeuroML lists gates by kind, so a channel whose gates are in another order gets a
  line ``ionzoo gate order: …`` in its notes. Round trips are bitwise.
* Temperature: ``Q10`` → ``q10Settings type="q10ExpTemp"`` on each kinetic gate (and
  ``q10ConductanceScaling`` when the rule scales the conductance); ``FixedFactor`` →
  ``q10Settings type="q10Fixed"``.
* A neuron becomes a one-segment ``cell`` (a cylinder with the neuron's area, 1e5 µm² by default)
  with ``channelDensity``/``channelDensityNernst``, ``specificCapacitance``,
  ``initMembPotential``; the temperature is kept as a cell ``property``.
* Calcium: a fixed ``cai`` becomes a ``fixedFactorConcentrationModel`` with ``rho = 0``; both
  pools become a ``fixedFactorConcentrationModel`` with ``rho = γ/(2·F·depth)``, ``decayConstant
  = τ`` and ``restingConc = cai_rest`` — NeuroML's dc/dt = (i_Ca/area)·ρ − (c − c_rest)/τ with
  i_Ca inward-positive is exactly Hay's ``CaDynamics_E2`` (planar shell). Destexhe's ``cadecay``
  additionally clamps an *outward* calcium current's drive to zero, which NeuroML's model does
  not; the two agree whenever V < E_Ca (every model here; the clamp never engages below the
  calcium reversal, ≈ +120 mV). The pool kind, depth and γ travel as ``ionzoo.ca_*`` properties
  of the cell so that ionzoo's own files round-trip exactly.

Import also accepts a ``decayingPoolConcentrationModel`` (spherical shell): on a one-segment cell
its shell volume V and the area A are fixed, so it is a planar pool of depth V/A — mapped exactly
(γ absorbs NeuroML's rounded Faraday constant, 96485.3 C/mol).

Import reads such files — ionzoo's or anyone's that stays within these constructs — back into
channels and neurons. Anything else raises a ValidationError naming the element.
"""

from __future__ import annotations

import contextlib
import io
import math
import re
from pathlib import Path

from ..errors import ValidationError
from ..expr import (
    Bin,
    Call,
    Compare,
    Expr,
    LEMSPrinter,
    Logic,
    Name,
    Not,
    Num,
    Where,
    parse,
    rename,
    transform,
)
from ..io.atomic import atomic_path
from ..model.channel import Q10, Channel, FixedFactor, Gate
from ..model.neuron import Neuron
from ..model.rates import ExpLinearRate, ExpRate, Rate, SigmoidRate
from .names import inert_text

__all__ = ["channel_to_neuroml", "neuron_to_neuroml", "write", "read", "validate"]

_STD_RATE = {ExpRate: "HHExpRate", SigmoidRate: "HHSigmoidRate", ExpLinearRate: "HHExpLinearRate"}
_STD_VAR = {ExpRate: "HHExpVariable", SigmoidRate: "HHSigmoidVariable",
            ExpLinearRate: "HHExpLinearVariable"}
_FROM_RATE = {v: k for k, v in _STD_RATE.items()}
_FROM_VAR = {v: k for k, v in _STD_VAR.items()}
_BASE = {"rate": ("baseVoltageDepRate", "baseVoltageConcDepRate", "r", "per_time"),
         "variable": ("baseVoltageDepVariable", "baseVoltageConcDepVariable", "x", "none"),
         "time": ("baseVoltageDepTime", "baseVoltageConcDepTime", "t", "time")}


_GATE_ORDER = "ionzoo gate order:"
_GATE_RULES = "ionzoo gate temperature rules"
_METHOD = "ionzoo integration:"


# ---------------------------------------------------------------------------------- expressions
def _lems(expr: Expr, names: dict[str, str]) -> str:
    """An expression tree in LEMS syntax (:class:`ionzoo.expr.LEMSPrinter`)."""
    return LEMSPrinter(names)(expr)


def _from_lems(text: str, where: str, params=(), lifted: dict[str, Expr] | None = None,
               condition: bool = False) -> Expr:
    """Parse a LEMS value expression in V (and CAI, and parameter constants ``P_<name>``, and
    the export's lifted variables ``D<k>``/``W<k>``) back into an ionzoo expression; a LEMS
    condition (``.lt.``…) where ``condition``."""
    lifted = lifted or {}
    t = text.replace("^", "**").replace("H(", "heaviside(").replace("ln(", "log(")
    for lems_op, py in ((".lt.", "<"), (".leq.", "<="), (".gt.", ">"), (".geq.", ">="),
                        (".eq.", "=="), (".neq.", "!="), (".and.", "and"), (".or.", "or")):
        t = t.replace(lems_op, f" {py} ")
    if condition:
        t = f"1 if ({t}) else 0"
    expr = parse(t, allowed_names=("V", "CAI", "CELSIUS", *(f"P_{k}" for k in params),
                                   *lifted), field=where)
    if condition:
        assert isinstance(expr, Where)
        expr = expr.cond
    renamed = rename(expr, {"V": "v", "CAI": "cai", "CELSIUS": "celsius",
                            **{f"P_{k}": k for k in params}})
    from ..expr import substitute

    return transform(substitute(renamed, lifted), _fold)


def _fold(node: Expr) -> Expr | None:
    """Fold the written-out forms of exprel, min and max back (bottom-up)."""
    if not isinstance(node, Bin):
        return None
    a, b = transform(node.left, _fold), transform(node.right, _fold)
    # (exp(x) − 1)/x is how exprel(x) is written
    if (node.op == "/" and isinstance(a, Bin) and a.op == "-" and isinstance(a.left, Call)
            and a.left.func == "exp" and a.right == Num(1.0) and a.left.args[0] == b):
        return Call("exprel", (b,))
    # a + (b − a)·H(a − b) is how min(a, b) is written (max: H(b − a))
    if (node.op == "+" and isinstance(b, Bin) and b.op == "*" and isinstance(b.left, Bin)
            and b.left.op == "-" and b.left.right == a and isinstance(b.right, Call)
            and b.right.func == "heaviside" and isinstance(b.right.args[0], Bin)
            and b.right.args[0].op == "-"):
        other, diff_ = b.left.left, b.right.args[0]
        if (diff_.left, diff_.right) == (a, other):
            return Call("min", (a, other))
        if (diff_.left, diff_.right) == (other, a):
            return Call("max", (a, other))
    return Bin(node.op, a, b)


_NUMBER = r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?"


def _q(value: str, unit: str, where: str) -> float:
    """A NeuroML quantity in ionzoo's ``unit`` (its value in any NeuroML unit of the same
    dimension, converted exactly — :mod:`ionzoo.interop.nml_units`); temperatures in °C."""
    from decimal import Decimal

    from .nml_units import UNITS, convert, quantity

    if unit == "degC":
        number, given = quantity(value, where)
        if given not in ("degC", "K"):
            raise ValidationError(where, f"expected a temperature in degC or K, got "
                                  f"{str(value)[:80]!r}")
        return float(number if given == "degC" else number - Decimal("273.15"))
    return convert(value, UNITS[unit][0], where)


def _count(value, where: str) -> int:
    """A whole number of gate instances."""
    return int(_plain(value, where, integer=True))


def _plain(value, where: str, integer: bool = False) -> float:
    """A unitless NeuroML number (an integer where ``integer``)."""
    pattern = r"\s*\d{1,9}\s*" if integer else r"\s*" + _NUMBER + r"\s*"
    if value is None or not re.fullmatch(pattern, str(value)) \
            or not math.isfinite(float(str(value))):
        kind = "a whole number" if integer else "a number"
        raise ValidationError(where, f"expected {kind}, got {str(value)[:80]!r}")
    return int(value) if integer else float(value)


# ---------------------------------------------------------------------------------- export
#: Longest LEMS value the export writes: jNeuroML copies each into one line of its NMODL, which
#: nocmodl refuses beyond about 1000 characters; longer ones go through derived variables.
MAX_LEMS_VALUE = 300
_NEGATED = {"<": ">=", "<=": ">", ">": "<=", ">=": "<", "==": "!=", "!=": "=="}
_LEMS_CMP = {"<": ".lt.", "<=": ".leq.", ">": ".gt.", ">=": ".geq.", "==": ".eq.",
             "!=": ".neq."}


#: At most this many cases when the piecewise parts of a rate are pulled up into one
#: ConditionalDerivedVariable (2^k for k distinct conditions).
MAX_LEMS_CASES = 64


def _assume(node: Expr, cond: Expr, value: bool) -> Expr:
    """``node`` where ``cond`` is known to be ``value``: its piecewise parts on it resolved."""
    if isinstance(node, Where) and node.cond == cond:
        return _assume(node.then if value else node.other, cond, value)
    kids = node.children()
    return node.with_children(tuple(_assume(k, cond, value) for k in kids)) if kids else node


def _first_condition(node: Expr) -> Expr | None:
    """The condition of a piecewise part whose own condition holds no piecewise part."""
    for n in node.walk():
        if isinstance(n, Where) and not any(isinstance(m, Where) for m in n.cond.walk()):
            return n.cond
    return None


def _cases(node: Expr, path: tuple = ()) -> list[tuple[tuple, Expr]]:
    """A tree with piecewise parts as ordered (conditions along the path, value) cases."""
    cond = _first_condition(node)
    if cond is None:
        return [(path, node)]
    out = _cases(_assume(node, cond, True), (*path, (cond, True)))
    out += _cases(_assume(node, cond, False), (*path, (cond, False)))
    if len(out) > MAX_LEMS_CASES:
        raise ValidationError("neuroml", f"a rate with more than {MAX_LEMS_CASES} piecewise "
                              "cases cannot be exported to NeuroML")
    return out


class _Lifted:
    """A rate's LEMS form. LEMS values hold no conditions and jNeuroML's NEURON translation
    reads a ConditionalDerivedVariable only as the exposed value, so piecewise parts are pulled
    up into ordered cases of the exposed variable (the branch values computed exactly as the
    tree does); sub-expressions longer than :data:`MAX_LEMS_VALUE` become DerivedVariables
    ``D<k>`` (jNeuroML's NMODL lines must stay short)."""

    def __init__(self, names: dict[str, str]) -> None:
        self.names = dict(names)
        self.derived: list = []

    def condition(self, node: Expr, negate: bool = False) -> str:
        if isinstance(node, Not):
            return self.condition(node.arg, not negate)
        if isinstance(node, Logic):
            op = {"and": "or", "or": "and"}[node.op] if negate else node.op
            return (f"({self.condition(node.left, negate)}) .{op}. "
                    f"({self.condition(node.right, negate)})")
        assert isinstance(node, Compare)
        op = _NEGATED[node.op] if negate else node.op
        return f"{self.text(node.left)} {_LEMS_CMP[op]} {self.text(node.right)}"

    def lift(self, node: Expr) -> Expr:
        import neuroml

        kids = node.children()
        if kids:
            node = node.with_children(tuple(self.lift(k) for k in kids))
        if node.kind == "number" and kids and len(_lems(node, self.names)) > MAX_LEMS_VALUE:
            name = f"D{len(self.derived) + 1}"
            self.derived.append(neuroml.DerivedVariable(name=name, dimension="none",
                                                        value=_lems(node, self.names)))
            self.names[name] = name
            return Name(name)
        return node

    def text(self, node: Expr) -> str:
        return _lems(self.lift(node), self.names)

    def cases(self, node: Expr) -> list[tuple[str | None, str]]:
        """(LEMS condition or None for the last, value) of each case of ``node``."""
        out = []
        cases = _cases(node)
        for k, (path, value) in enumerate(cases):
            last = k == len(cases) - 1
            cond = " .and. ".join(f"({self.condition(c, not v)})" for c, v in path)
            out.append((None if last else cond, self.text(value)))
        return out


class _LemsTypes:
    """The LEMS ``ComponentType``s of one channel's non-standard rates. Channel parameters stay
    named (LEMS constants ``P_<name>``), so that an import gives back the very same
    expressions — and bitwise the same simulation."""

    def __init__(self, ch: Channel) -> None:
        self.ch = ch
        self.types: list = []
        self.names = {"v": "V", "cai": "CAI", "celsius": "CELSIUS",
                      **{k: f"P_{k}" for k in ch.params}}

    def add(self, rate: Rate | Expr, gate: Gate, which: str, kind: str) -> str:
        """Name of a new ComponentType computing ``rate`` (``kind``: rate, variable, time)."""
        import neuroml

        ch = self.ch
        expr = rate if isinstance(rate, Expr) else rate.expression(ch.expression_names())
        conc, hot = "cai" in expr.names, "celsius" in expr.names
        base_v, base_c, exposure, dim = _BASE[kind]
        name = f"iz_{ch.name}_{gate.name}_{which}"
        lifted = _Lifted(self.names)
        scaled = {"rate": "({}) / MS", "time": "({}) * MS"}.get(kind, "{}")
        cases = lifted.cases(expr)
        reqs = [neuroml.Requirement(name="v", dimension="voltage")]
        derived = [neuroml.DerivedVariable(name="V", dimension="none", value="v / MV")]
        consts = [neuroml.Constant(name="MV", dimension="voltage", value="1mV"),
                  neuroml.Constant(name="MS", dimension="time", value="1ms")]
        if conc:
            reqs.append(neuroml.Requirement(name="caConc", dimension="concentration"))
            derived.append(neuroml.DerivedVariable(name="CAI", dimension="none",
                                                   value="caConc / MM"))
            consts.append(neuroml.Constant(name="MM", dimension="concentration", value="1mM"))
        if hot:
            reqs.append(neuroml.Requirement(name="temperature", dimension="temperature"))
            derived.append(neuroml.DerivedVariable(name="CELSIUS", dimension="none",
                                                   value="temperature / KELVIN - 273.15"))
            consts.append(neuroml.Constant(name="KELVIN", dimension="temperature", value="1K"))
        derived += lifted.derived
        conditional = []
        if len(cases) == 1:
            derived.append(neuroml.DerivedVariable(name=exposure, dimension=dim,
                                                   exposure=exposure,
                                                   value=scaled.format(cases[0][1])))
        else:
            conditional.append(neuroml.ConditionalDerivedVariable(
                name=exposure, dimension=dim, exposure=exposure,
                Case=[neuroml.Case(condition=c, value=scaled.format(v)) for c, v in cases]))
        consts.extend(neuroml.Constant(name=f"P_{k}", dimension="none", value=repr(val))
                      for k, val in ch.params.items() if k in expr.names)
        self.types.append(neuroml.ComponentType(
            name=name, extends=base_c if conc else base_v,
            description=f"ionzoo {which} of {ch.name}.{gate.name}: {expr}",
            Constant=consts, Requirement=reqs,
            Dynamics=[neuroml.Dynamics(DerivedVariable=derived,
                                       ConditionalDerivedVariable=conditional)]))
        return name

    def rate(self, rate, gate: Gate, which: str):
        import neuroml

        if type(rate) in _STD_RATE:
            return neuroml.HHRate(type=_STD_RATE[type(rate)], rate=f"{rate.rate!r}per_ms",
                                  midpoint=f"{rate.midpoint!r}mV", scale=f"{rate.scale!r}mV")
        return neuroml.HHRate(type=self.add(rate, gate, which, "rate"))

    def variable(self, rate, gate: Gate):
        import neuroml

        if type(rate) in _STD_VAR:
            return neuroml.HHVariable(type=_STD_VAR[type(rate)], rate=repr(rate.rate),
                                      midpoint=f"{rate.midpoint!r}mV", scale=f"{rate.scale!r}mV")
        return neuroml.HHVariable(type=self.add(rate, gate, "inf", "variable"))

    def time(self, rate, gate: Gate):
        import neuroml

        expr = rate.expression(self.ch.expression_names())
        if isinstance(expr, Num):
            return neuroml.HHTime(type="fixedTimeCourse", tau=f"{expr.value!r}ms")
        return neuroml.HHTime(type=self.add(rate, gate, "tau", "time"))


def _q10_settings(rule):
    import neuroml

    if isinstance(rule, Q10):
        return neuroml.Q10Settings(type="q10ExpTemp", q10_factor=repr(rule.q10),
                                   experimental_temp=f"{rule.reference!r} degC")
    if isinstance(rule, FixedFactor):
        return neuroml.Q10Settings(type="q10Fixed", fixed_q10=repr(rule.factor))
    return None


def _sub_gate(ch: Channel, weight: float, part: Gate, lems: _LemsTypes):
    """A part of a fractional gate as a NeuroML ``subGate`` (x∞ and τ; α/β combined)."""
    import neuroml

    if part.form == "alphabeta":
        a, b = ch.gate_expressions(part)
        steady = neuroml.HHVariable(type=lems.add(a / (a + b), part, "inf", "variable"))
        course = neuroml.HHTime(type=lems.add(Num(1.0) / (a + b), part, "tau", "time"))
    else:
        steady, course = lems.variable(part.inf, part), lems.time(part.tau, part)
    return neuroml.GateFractionalSubgate(id=part.name, fractional_conductance=repr(weight),
                                         steady_state=steady, time_course=course)


def _gates(ch: Channel, lems: _LemsTypes) -> tuple[list, list, list, list]:
    """The channel's gates as NeuroML (``gateHHrates``, ``gateHHtauInf``,
    ``gateHHInstantaneous``, ``gateFractional``)."""
    import neuroml

    rates, tauinfs, insts, fractions = [], [], [], []
    for g in ch.gates:
        if g.parts:
            fractions.append(neuroml.GateFractional(
                id=g.name, instances=g.power, q10_settings=_q10_settings(ch.gate_rule(g)),
                sub_gates=[_sub_gate(ch, w, p, lems) for w, p in g.parts]))
        elif g.instantaneous:
            if g.form == "alphabeta":  # x = α/(α+β) as a steady-state ComponentType
                a, b = ch.gate_expressions(g)
                steady = neuroml.HHVariable(type=lems.add(a / (a + b), g, "inf", "variable"))
            else:
                steady = lems.variable(g.inf, g)
            insts.append(neuroml.GateHHInstantaneous(id=g.name, instances=g.power,
                                                     steady_state=steady))
        elif g.form == "alphabeta":
            rates.append(neuroml.GateHHRates(id=g.name, instances=g.power,
                                             q10_settings=_q10_settings(ch.gate_rule(g)),
                                             forward_rate=lems.rate(g.alpha, g, "alpha"),
                                             reverse_rate=lems.rate(g.beta, g, "beta")))
        else:
            tauinfs.append(neuroml.GateHHTauInf(id=g.name, instances=g.power,
                                                q10_settings=_q10_settings(ch.gate_rule(g)),
                                                time_course=lems.time(g.tau, g),
                                                steady_state=lems.variable(g.inf, g)))
    return rates, tauinfs, insts, fractions


def _channel_notes(ch: Channel) -> str | None:
    """The citation, plus what NeuroML cannot say: the gate order (NeuroML groups gates by
    kind), per-gate temperature rules, the integration method."""
    # the citation is free text from whoever wrote the model: one inert line (jNeuroML copies
    # notes into the NMODL it generates)
    notes = inert_text(ch.provenance.citation) or None if ch.provenance else None
    kinds = ("alphabeta", "inftau", "instantaneous", "fractional")  # NeuroML's lists
    grouped = [g.name for kind in kinds for g in ch.gates
               if ("instantaneous" if g.instantaneous else g.form) == kind]
    extra = []
    if grouped != [g.name for g in ch.gates]:
        extra.append(f"{_GATE_ORDER} {' '.join(g.name for g in ch.gates)}")
    if any(g.own_rule for g in ch.gates):
        extra.append(_GATE_RULES)
    if ch.method != "cnexp":
        extra.append(f"{_METHOD} {ch.method}")
    return "\n".join(([notes] if notes else []) + extra) if extra else notes


def channel_to_neuroml(ch: Channel):
    """(``IonChannelHH``, [``ComponentType``...]) for ``ch``."""
    import neuroml

    if ch.reads_calcium() and any("cao" in e.names for g in ch.leaf_gates()
                                  for e in ch.gate_expressions(g)):
        raise ValidationError(ch.name, "NeuroML export of expressions reading cao is not "
                              "supported")
    if ch.conductance_factor is not None:
        raise ValidationError(f"{ch.name}.conductance_factor", "a conductance factor cannot be "
                              "exported to NeuroML yet (ionChannelHH scales g by a Q10 only)")
    lems = _LemsTypes(ch)
    rates, tauinfs, insts, fractions = _gates(ch, lems)
    scaling = []
    if isinstance(ch.temperature, Q10) and ch.temperature.conductance:
        scaling.append(neuroml.Q10ConductanceScaling(
            q10_factor=repr(ch.temperature.q10),
            experimental_temp=f"{ch.temperature.reference!r} degC"))
    channel = neuroml.IonChannelHH(
        id=ch.name, conductance="10pS", notes=_channel_notes(ch),
        species=ch.ion,
        gate_hh_rates=rates, gate_hh_tau_infs=tauinfs, gate_hh_instantaneouses=insts,
        gate_fractionals=fractions,
        q10_conductance_scalings=scaling)
    return channel, lems.types


def neuron_to_neuroml(cell: Neuron, drop_initial: bool = False):
    """A ``NeuroMLDocument`` holding the neuron's channels and a one-segment cell.

    NeuroML2 starts every gate at its steady state: a neuron with given initial states or a
    start at rest (:meth:`~ionzoo.Neuron.with_initial`) is refused unless ``drop_initial``,
    which writes the model with that default start instead."""
    import neuroml

    if cell.overrides:
        raise ValidationError("neuron", "batch (array) parameters cannot be exported")
    if (cell.initial or cell.start != "v_init") and not drop_initial:
        given = ", ".join(f"{k} = {v:g}" for k, v in cell.initial) or "start at rest"
        raise ValidationError("neuron.initial", f"NeuroML2 starts every gate at its steady "
                              f"state; this neuron starts otherwise ({given}). Export it as "
                              "NMODL, or pass drop_initial=True to "
                              "ionzoo.interop.neuroml.write to write it with the steady start")
    doc = neuroml.NeuroMLDocument(id=cell.name)
    densities, nernsts = [], []
    for ch in cell.channels:
        if ch.e == "ghk":
            raise ValidationError(f"channels.{ch.name}", "a GHK current cannot be exported to "
                                  "NeuroML yet (its channelDensityGHK is not implemented); "
                                  "export it as NMODL")
        channel, ctypes = channel_to_neuroml(ch)
        doc.ion_channel_hhs.append(channel)
        doc.ComponentType.extend(ctypes)
        gdens = f"{ch.gbar!r} mS_per_cm2"
        if ch.nernst:
            nernsts.append(neuroml.ChannelDensityNernst(
                id=f"{ch.name}_all", ion_channel=ch.name, cond_density=gdens, ion="ca",
                segment_groups="all"))
        else:
            densities.append(neuroml.ChannelDensity(
                id=f"{ch.name}_all", ion_channel=ch.name, cond_density=gdens,
                erev=f"{ch.e!r} mV", segment_groups="all",
                # simulators set erev only for na/k/ca or non_specific (jNeuroML's NEURON
                # export leaves e = 0 for an ion such as "h"); the label stays on the channel
                ion=ch.ion if ch.ion in ("na", "k", "ca") else "non_specific"))
    area = cell.area or 1e5
    d = math.sqrt(area / math.pi)
    seg = neuroml.Segment(id=0, name="soma",
                          proximal=neuroml.Point3DWithDiam(x=0, y=0, z=0, diameter=d),
                          distal=neuroml.Point3DWithDiam(x=d, y=0, z=0, diameter=d))
    morph = neuroml.Morphology(id="morphology", segments=[seg], segment_groups=[
        neuroml.SegmentGroup(id="all", members=[neuroml.Member(segments=0)])])
    membrane = neuroml.MembraneProperties(
        channel_densities=densities, channel_density_nernsts=nernsts,
        spike_threshes=[neuroml.SpikeThresh(value="0.0 mV", segment_groups="all")],
        specific_capacitances=[neuroml.SpecificCapacitance(
            value=f"{cell.capacitance!r} uF_per_cm2", segment_groups="all")],
        init_memb_potentials=[neuroml.InitMembPotential(value=f"{cell.v_init!r} mV",
                                                        segment_groups="all")])
    species = []
    if cell.calcium is not None:
        model = _pool_to_neuroml(cell.calcium)
        species.append(neuroml.Species(
            id="ca", ion="ca", concentration_model=model.id, segment_groups="all",
            initial_concentration=f"{cell.calcium.cai!r} mM",
            initial_ext_concentration=f"{cell.calcium.cao!r} mM"))
        doc.fixed_factor_concentration_models.append(model)
    intra = neuroml.IntracellularProperties(
        resistivities=[neuroml.Resistivity(value="100 ohm_cm", segment_groups="all")],
        species=species)
    nml_cell = neuroml.Cell(
        id=cell.name, morphology=morph,
        properties=[neuroml.Property(tag="temperature", value=f"{cell.temperature!r} degC"),
                    *_pool_properties(cell.calcium)],
        biophysical_properties=neuroml.BiophysicalProperties(
            id="biophys", membrane_properties=membrane, intracellular_properties=intra))
    doc.cells.append(nml_cell)
    return doc


def _pool_to_neuroml(ca):
    """A ``fixedFactorConcentrationModel`` for ionzoo's calcium (see the module docstring)."""
    import neuroml

    from ..model.ions import FARADAY

    if not ca.pool:
        return neuroml.FixedFactorConcentrationModel(
            id="ca_fixed", ion="ca", resting_conc=f"{ca.cai!r} mM", decay_constant="1e9 ms",
            rho="0 mol_per_m_per_A_per_s")
    rho = ca.gamma / (2.0 * FARADAY * ca.depth * 1e-6)  # mol/(m·A·s): depth µm → m
    # (no notes/properties here: jLEMS refuses children on concentration models; the pool's
    # kind, depth and γ go into the cell's properties instead)
    return neuroml.FixedFactorConcentrationModel(
        id=f"ca_{ca.pool}", ion="ca", resting_conc=f"{ca.cai_rest!r} mM",
        decay_constant=f"{ca.tau!r} ms", rho=f"{rho!r} mol_per_m_per_A_per_s")


def _pool_properties(ca) -> list:
    import neuroml

    if ca is None or not ca.pool:
        return []
    return [neuroml.Property(tag="ionzoo.ca_pool", value=ca.pool),
            neuroml.Property(tag="ionzoo.ca_depth_um", value=repr(ca.depth)),
            neuroml.Property(tag="ionzoo.ca_gamma", value=repr(ca.gamma))]


def write(obj: Neuron | Channel, path: str | Path, drop_initial: bool = False) -> Path:
    """Write a neuron or a channel as a NeuroML2 file (validated against the schema);
    ``drop_initial``: see :func:`neuron_to_neuroml`."""
    import neuroml
    from neuroml.writers import NeuroMLWriter

    path = Path(path)
    if isinstance(obj, Neuron):
        doc = neuron_to_neuroml(obj, drop_initial)
    else:
        doc = neuroml.NeuroMLDocument(id=obj.name)
        channel, ctypes = channel_to_neuroml(obj)
        doc.ion_channel_hhs.append(channel)
        doc.ComponentType.extend(ctypes)
    with atomic_path(path) as tmp:  # validated before it replaces anything
        NeuroMLWriter.write(doc, str(tmp))
        validate(tmp, where=str(path))
    return path


def validate(path: str | Path, where: str | None = None) -> None:
    """Validate a file against the NeuroML2 schema (libNeuroML's validator, its printed
    verdict swallowed); raises a ValidationError naming ``where`` (default: the path)."""
    from neuroml.utils import validate_neuroml2

    try:
        with contextlib.redirect_stdout(io.StringIO()):
            validate_neuroml2(str(path))
    except Exception as exc:  # libNeuroML raises lxml errors or returns messages
        raise ValidationError(where or str(path), f"not valid NeuroML2: {exc}") from None


# ---------------------------------------------------------------------------------- import
def read(path: str | Path, temperature: float | None = None) -> Neuron | dict[str, Channel]:
    """Read a NeuroML2 file (see :func:`ionzoo.interop.nml_read.read`)."""
    from .nml_read import read as _read

    return _read(path, temperature)
