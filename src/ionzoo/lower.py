"""Lowering: ``Neuron × stimulus × record → ModelIR`` (see :mod:`ionzoo.ir`).

Here, and only here, the model's mathematics is written out: gates normalised to (x∞, rate)
with their temperature rule applied, conductances, reversals (fixed, Nernst, GHK), calcium
pools, the stimulus as an expression of t, and every observable. The result depends on the
model's structure alone and is memoised on it, so a new parameter value never lowers again.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from .errors import ValidationError
from .expr import Bin, Call, Expr, Name, Num, substitute
from .ir import (
    Current,
    Derived,
    EventInput,
    GateIR,
    ModelIR,
    NoiseSource,
    Observable,
    Parameter,
    Pool,
    State,
)
from .limits import MAX_MODEL_NODES, MAX_STATES
from .model.channel import Channel, Gate
from .model.ions import FARADAY, GAS_CONSTANT, VALENCE
from .model.neuron import RESERVED_CHANNEL_NAMES, Neuron
from .model.noise import Noise, OUCurrent
from .model.params import CALCIUM_PARAMETERS, NEURON_PARAMETERS, ParamSpec
from .model.seclamp import SeriesClamp
from .model.stimulus import Stimulus, Waveform, as_stimulus
from .model.synapses import AlphaSynapse, Exp2Synapse, Synapse
from .model.temperature import Q10, factor_expression, rule_parameter

__all__ = ["lower", "recordable", "generations", "is_extra", "LOWERINGS"]

V, T = Name("v"), Name("t")
#: Counts of the work done so far in this process (lowerings performed; the Numba back-end adds
#: its own): a cache statistic for tests, never a setting.
LOWERINGS = {"count": 0}
_MEMO: dict[tuple, ModelIR] = {}
_MEMO_SIZE = 256


def generations() -> int:
    """How many models this process has lowered (cache misses)."""
    return LOWERINGS["count"]


def lower(neuron: Neuron, stimulus: Sequence[Stimulus] | Stimulus | None = (),
          record: Sequence[str] = ()) -> ModelIR:
    """The :class:`~ionzoo.ir.ModelIR` of ``neuron`` under ``stimulus`` (its components)
    recording ``record`` (names from :func:`recordable`)."""
    components = (tuple(stimulus) if isinstance(stimulus, (tuple, list))
                  else as_stimulus(stimulus))  # type: ignore[arg-type]
    key = (neuron.structure_key(), tuple(c.structure_key() for c in components), tuple(record))
    hit = _MEMO.get(key)
    if hit is None:
        hit = _Lowering(neuron, components).build(tuple(dict.fromkeys(record)))
        _check_size(hit)
        LOWERINGS["count"] += 1
        if len(_MEMO) >= _MEMO_SIZE:
            _MEMO.clear()
        _MEMO[key] = hit
    return hit


def _check_size(ir: ModelIR) -> None:
    """Refuse models whose kernels would be unreasonably large to generate and compile."""
    if len(ir.states) > MAX_STATES:
        raise ValidationError("neuron", f"{len(ir.states)} state variables, more than the "
                              f"limit of {MAX_STATES}")
    exprs = [e for g in ir.gates for e in (g.inf, g.rate)]
    exprs += [e for c in ir.currents for e in (c.conductance, c.current)]
    exprs += [e for p in ir.pools for e in (p.drive, p.tau, p.rest)]
    nodes = sum(e.size() for e in exprs)
    if nodes > MAX_MODEL_NODES:
        raise ValidationError("neuron", f"the model's expressions have {nodes} nodes, more "
                              f"than the limit of {MAX_MODEL_NODES}")


def recordable(neuron: Neuron) -> dict[str, str]:
    """Every quantity of ``neuron`` that can be recorded, with its unit."""
    return {o.name: o.unit for o in lower(neuron).observables}


_STIM_UNITS = {"scale": "1", "count": "1", "e": "mV", "weight": "mS/cm2", "rate": "Hz",
               "seed": "1", "train": "1", "level": "mV", "hold": "mV", "rs": "MOhm", "area": "um2"}


def _stim_unit(fieldname: str) -> str:
    if fieldname.startswith("amplitude"):
        return "uA/cm2"
    return _STIM_UNITS.get(fieldname, "ms")


class _Lowering:
    """One lowering; methods build the parts of the IR in order."""

    def __init__(self, neuron: Neuron, components: tuple[Stimulus, ...]) -> None:
        self.neuron, self.components = neuron, components
        self.ca = neuron.calcium
        self.pool = self.ca is not None and self.ca.pool is not None
        self.params: list[Parameter] = []
        self.derived: list[Derived] = []
        self.gates: list[GateIR] = []
        self.currents: list[Current] = []
        self.inputs: list[Observable] = []  # of synapses and noise

    # ----------------------------------------------------------------- parameters
    def _parameters(self) -> None:
        for name, spec in NEURON_PARAMETERS.items():
            self.params.append(Parameter(name, name, spec))
        for ch in self.neuron.channels:
            for p in ch.parameters():
                path = f"{ch.name}.{p}"
                self.params.append(Parameter(path, path, ch.parameter_spec(p)))
        if self.ca is not None:
            for p in self.ca.parameters():
                pid = "ca.cai0" if (p == "cai" and self.pool) else f"ca.{p}"
                self.params.append(Parameter(pid, f"ca.{p}", CALCIUM_PARAMETERS[p]))
            rtf2 = (Num(1000.0 * GAS_CONSTANT / (2.0 * FARADAY))
                    * (Name("temperature") + Num(273.15)))
            self.derived.append(Derived("ca.rtf2", "mV", rtf2))
        for state, _ in self.neuron.initial:
            path = f"initial.{state}"
            self.params.append(Parameter(path, path, self.neuron.spec(path)))
        for k, comp in enumerate(self.components):
            for f in comp.numeric:
                self.params.append(Parameter(f"stim{k}.{f}", f"stim{k}.{f}",
                                             ParamSpec(_stim_unit(f))))

    def _phi(self, owner: str, rule, value_id: str) -> Expr:
        """The temperature factor of ``rule`` as a derived value (Num(1) without a rule)."""
        if rule is None:
            return Num(1.0)
        did = f"{owner}.phi"
        if did not in {d.id for d in self.derived}:
            self.derived.append(Derived(did, "1", factor_expression(rule, Name(value_id))))
        return Name(did)

    # ----------------------------------------------------------------- channels
    def _names(self, ch: Channel) -> dict[str, Expr]:
        out: dict[str, Expr] = {"v": V, "cai": Name("ca.cai"), "cao": Name("ca.cao"),
                                "celsius": Name("temperature")}
        out.update({k: Name(f"{ch.name}.{k}") for k in ch.params})
        return out

    def _gate(self, ch: Channel, g: Gate) -> GateIR:
        names = self._names(ch)
        a, b = (substitute(e, names) for e in ch.gate_expressions(g))
        rule, owner = ch.gate_rule(g), ch.owner(g)
        if owner.own_rule:
            phi = self._phi(f"{ch.name}.{owner.name}", rule, f"{ch.name}.{owner.name}_"
                            f"{rule_parameter(rule)}") if rule is not None else Num(1.0)
        else:
            phi = self._phi(ch.name, rule, f"{ch.name}.{rule_parameter(rule)}")
        if g.form == "alphabeta":
            total = a + b
            inf, rate = a / total, (total if phi == Num(1.0) else total * phi)
        else:
            inv_tau = _reciprocal(b)
            inf, rate = a, (inv_tau if phi == Num(1.0) else phi * inv_tau)
        if g.instantaneous:
            rate = Num(0.0)
        return GateIR(f"{ch.name}.{g.name}", ch.name, inf, rate, g.instantaneous, ch.method)

    def _reversal(self, ch: Channel) -> tuple[Expr, Expr | None]:
        """(drive, e) of a channel's current."""
        if ch.reversal == "fixed":
            e: Expr = Name(f"{ch.name}.e")
            return V - e, e
        rtf2 = Name("ca.rtf2")  # RT/(zF) in mV for z = 2
        cai, cao = Name("ca.cai"), Name("ca.cao")
        if ch.reversal == "nernst":
            e = rtf2 * Call("log", (cao / cai,))
            return V - e, e
        z = VALENCE[ch.ion or ""]
        u = V / rtf2
        drive = Num(z * FARADAY) * (cai / Call("exprel", (-u,)) - cao / Call("exprel", (u,)))
        return drive, None

    def _channel(self, ch: Channel) -> None:
        gates = {g.name: self._gate(ch, g) for g in ch.leaf_gates()}
        self.gates.extend(gates.values())
        g_expr: Expr = Name(f"{ch.name}.gbar")
        if isinstance(ch.temperature, Q10) and ch.temperature.conductance:
            g_expr = g_expr * self._phi(ch.name, ch.temperature, f"{ch.name}.q10")
        factor = ch.factor_expression()
        if factor is not None:
            g_expr = g_expr * substitute(factor, self._names(ch))
        for gate in ch.gates:
            x = _gate_value(gate, gates)
            g_expr = g_expr * (x if gate.power == 1 else x ** Num(float(gate.power)))
        drive, e = self._reversal(ch)
        frozen = ch.instantaneous_jacobian == "fixed" and any(g.instantaneous for g in ch.gates)
        linear = ch.reversal != "ghk" and (frozen or not any(g.instantaneous for g in ch.gates))
        self.currents.append(Current(ch.name, ch.ion, ch.reversal, g_expr, drive, e, linear,
                                     frozen and not linear))

    # ----------------------------------------------------------------- pools, states
    def _pools(self) -> tuple[Pool, ...]:
        if not self.pool:
            return ()
        assert self.ca is not None
        k = Num(10.0 / (2.0 * FARADAY))  # µA/cm², µm -> mM/ms
        drive: Expr = -(k * Name("ca.gamma") * Name("ica")) / Name("ca.depth")
        if self.ca.pool == "destexhe":
            drive = Call("max", (drive, Num(0.0)))
        lagged = self.ca.lagged
        return (Pool("ca.pool" if lagged else "ca.cai", "ca", self.ca.pool or "", drive,
                     Name("ca.tau"), Name("ca.cai_rest"), self.ca.method,
                     "ca.cai" if lagged else None),)

    def _states(self, pools: tuple[Pool, ...]) -> tuple[State, ...]:
        at_init = {"v": Name("v_init")}
        if self.pool:
            at_init["ca.cai"] = Name("ca.cai0")
        states = [State("v", "mV", Name("v_init"))]
        states += [State(g.name, "1", Num(0.0) if g.method == "alpha"  # starts closed
                         else substitute(g.inf, at_init))
                   for g in self.gates if not g.instantaneous]
        for p in pools:
            if p.ion_state:  # a lagged pool: the ion starts at cai, the pool at cai_rest
                states += [State(p.ion_state, "mM", Name("ca.cai0")),
                           State(p.state, "mM", Name("ca.cai_rest"))]
            else:
                states.append(State(p.state, "mM", Name("ca.cai0")))
        given = {k for k, _ in self.neuron.initial}  # set by the user: a parameter each
        return tuple(State(s.name, s.unit, Name(f"initial.{s.name}")) if s.name in given else s
                     for s in states)

    def _stimulus(self) -> tuple[Expr, tuple[str, ...]]:
        total: Expr = Num(0.0)
        tables = []
        for k, comp in enumerate(self.components):
            fields: dict[str, Expr] = {f: Name(f"stim{k}.{f}") for f in comp.numeric}
            term = comp.expression(fields, T, table=f"wave{k}")
            if isinstance(comp, Waveform):
                tables.append(f"wave{k}")
            total = term if k == 0 else total + term
        return total, tuple(tables)

    # ----------------------------------------------------------------- synapses
    def _named(self, kind: type[Synapse] | type[Noise] | type[SeriesClamp], taken: set[str]):
        """(component, its name, its parameter prefix ``stim<k>``) for every component of
        ``kind``; a name already ``taken`` (a channel, another input, the neuron's) is
        refused."""
        for k, comp in enumerate(self.components):
            if not isinstance(comp, kind):
                continue
            name = comp.name
            if name in taken:
                raise ValidationError(f"stimulus.{name}", "the name is taken by a channel, "
                                      "another input or the neuron (give name=...)")
            taken.add(name)
            yield comp, name, f"stim{k}"

    def _synapses(self, taken: set[str]) -> tuple[EventInput, ...]:
        """Each synapse as kinetic states (cnexp decay to 0), a linear current and its events."""
        events = []
        for comp, label, src in self._named(Synapse, taken):
            g, jump, targets = self._synapse_states(comp, label, src)
            e = Name(f"{src}.e")
            current = Current(label, None, "fixed", g, V - e, e, True)
            self.currents.append(current)
            self.inputs += [Observable(f"{label}.g", "mS/cm2", g),
                            Observable(f"{label}.i", "uA/cm2", current.current)]
            events.append(EventInput(src, targets, jump))
        return tuple(events)

    def _series_clamps(self, taken: set[str]) -> None:
        """Each series-resistance clamp as a conductance 1e5/(rs·area) mS/cm² with reversal
        vc(t) (µA/cm² injected: −g·(v − vc))."""
        for comp, label, src in self._named(SeriesClamp, taken):
            g = f"{src}.g"
            self.derived.append(Derived(g, "mS/cm2", Num(1e5) / (Name(f"{src}.rs")
                                                                * Name(f"{src}.area"))))
            fields: dict[str, Expr] = {f: Name(f"{src}.{f}") for f in comp.numeric}
            vc = comp.command(fields, T)
            current = Current(label, None, "fixed", Name(g), V - vc, vc, True)
            self.currents.append(current)
            self.inputs += [Observable(f"{label}.i", "uA/cm2", -current.current),
                            Observable(f"{label}.vc", "mV", vc)]

    def _synapse_states(self, comp: Synapse, label: str, src: str,
                        ) -> tuple[Expr, str, tuple[str, ...]]:
        """The kinetic states of one synapse; returns its conductance, the id of the jump its
        events add, and the states they add it to (the decaying ones)."""
        if isinstance(comp, Exp2Synapse):
            taus = {"A": f"{src}.tau_rise", "B": f"{src}.tau_decay"}
        else:
            taus = {"a" if isinstance(comp, AlphaSynapse) else "g": f"{src}.tau"}
        for state, tid in taus.items():
            self.gates.append(GateIR(f"{label}.{state}", label, Num(0.0), Num(1.0) / Name(tid),
                                     False, "cnexp"))
        if isinstance(comp, AlphaSynapse):  # g' = a − g/τ: x∞ = a·τ, advanced exactly
            tau = Name(f"{src}.tau")
            self.gates.append(GateIR(f"{label}.g", label, Name(f"{label}.a") * tau,
                                     Num(1.0) / tau, False, "alpha"))
            self.derived.append(Derived(f"{src}.jump", "mS/cm2/ms",
                                        Name(f"{src}.weight") * Num(math.e) / tau))
            return Name(f"{label}.g"), f"{src}.jump", (f"{label}.a",)
        targets = tuple(f"{label}.{x}" for x in taus)
        if isinstance(comp, Exp2Synapse):
            self.derived.append(Derived(f"{src}.jump", "mS/cm2", Name(f"{src}.weight")
                                        * _exp2_factor(Name(f"{src}.tau_rise"),
                                                       Name(f"{src}.tau_decay"))))
            return Name(f"{label}.B") - Name(f"{label}.A"), f"{src}.jump", targets
        return Name(f"{label}.g"), f"{src}.weight", targets

    def _noise(self, taken: set[str]) -> tuple[NoiseSource, ...]:
        """Each noise input as Ornstein–Uhlenbeck states (method ``ou``) and, for conductances,
        linear currents clipped at g = 0."""
        sources: list[NoiseSource] = []
        for comp, label, src in self._named(Noise, taken):
            for suffix, mean, sigma, tau in comp.processes:
                xi = f"xi{len(sources)}"
                self.gates.append(GateIR(f"{label}.{suffix}", label, Name(f"{src}.{mean}"),
                                         Num(1.0) / Name(f"{src}.{tau}"), False, "ou",
                                         noise=Name(f"{src}.{sigma}"), xi=xi))
                sources.append(NoiseSource(xi, f"{src}.seed", _STREAMS[(comp.kind, suffix)]))
            if isinstance(comp, OUCurrent):
                self.inputs.append(Observable(f"{label}.i", "uA/cm2", Name(f"{label}.x")))
                continue
            total: Expr = Num(0.0)
            for suffix, e_field in (("ge", "e_e"), ("gi", "e_i")):
                g = Call("max", (Name(f"{label}.{suffix}"), Num(0.0)))
                e = Name(f"{src}.{e_field}")
                current = Current(f"{label}.{suffix}", None, "fixed", g, V - e, e, True)
                self.currents.append(current)
                self.inputs.append(Observable(f"{label}.{suffix}", "mS/cm2", g))
                total = current.current if total == Num(0.0) else total + current.current
            self.inputs.append(Observable(f"{label}.i", "uA/cm2", total))
        return tuple(sources)

    # ----------------------------------------------------------------- observables
    def _observables(self, stimulus: Expr) -> tuple[Observable, ...]:
        out = [Observable("v", "mV", V)]
        by_channel = {c.channel: c for c in self.currents}
        for ch in self.neuron.channels:
            cur = by_channel[ch.name]
            for g in (x for x in self.gates if x.channel == ch.name):
                out.append(Observable(g.name, "1", g.inf if g.instantaneous else Name(g.name)))
            out.append(Observable(f"{ch.name}.g", "cm/s" if ch.ghk else "mS/cm2",
                                  cur.conductance))
            out.append(Observable(f"{ch.name}.i", "uA/cm2", cur.current))
            if ch.reversal == "nernst" and cur.e is not None:
                out.append(Observable(f"{ch.name}.e", "mV", cur.e))
        total: Expr = Num(0.0)
        channels = [c for c in self.currents if c.channel in by_channel and
                    c.channel in {ch.name for ch in self.neuron.channels}]
        for k, c in enumerate(channels):
            total = c.current if k == 0 else total + c.current
        out.append(Observable("i_ion", "uA/cm2", total))
        out += self.inputs
        if self.ca is not None:
            out.append(Observable("ca.cai", "mM", Name("ca.cai")))
        for g in self.gates:  # explicit only (not part of record="all")
            out.append(Observable(f"{g.name}_inf", "1", g.inf))
            if not g.instantaneous:
                out.append(Observable(f"{g.name}_tau", "ms", Num(1.0) / g.rate))
        out.append(Observable("i_stim", "uA/cm2", stimulus))
        return tuple(out)

    def build(self, record: tuple[str, ...]) -> ModelIR:
        self._parameters()
        for ch in self.neuron.channels:
            self._channel(ch)
        pools = self._pools()
        taken = {c.name for c in self.neuron.channels} | set(RESERVED_CHANNEL_NAMES)
        events = self._synapses(taken)
        noises = self._noise(taken)
        self._series_clamps(taken)
        stimulus, tables = self._stimulus()
        observables = self._observables(stimulus)
        known = [o.name for o in observables]
        for name in record:
            if name not in known:
                raise ValidationError("record", f"unknown variable {name!r} (recordable: "
                                      f"{', '.join(known)})")
        return ModelIR(states=self._states(pools), params=tuple(self.params),
                       derived=tuple(self.derived), gates=tuple(self.gates),
                       currents=tuple(self.currents), pools=pools, stimulus=stimulus,
                       tables=tables, observables=observables, record=record, events=events,
                       noises=noises)


def _gate_value(gate: Gate, lowered: dict[str, GateIR]) -> Expr:
    """A gate's value in a conductance: its state, x∞ (instantaneous), or Σ w·part."""
    if gate.parts:
        total: Expr | None = None
        for w, part in gate.parts:
            term = Num(w) * _gate_value(part, lowered)
            total = term if total is None else total + term
        assert total is not None
        return total
    gi = lowered[gate.name]
    return gi.inf if gi.instantaneous else Name(gi.name)


def is_extra(name: str) -> bool:
    """Whether ``record="all"`` leaves ``name`` out (x∞, τ of gates; the stimulus)."""
    return name.endswith(("_inf", "_tau")) or name == "i_stim"


#: The random stream of each noise process (with its seed): processes of different kinds
#: draw different numbers from the same seed.
_STREAMS = {("ou_current", "x"): 1, ("point_conductance", "ge"): 2,
            ("point_conductance", "gi"): 3}


def _exp2_factor(rise: Expr, decay: Expr) -> Expr:
    """1/(e^(−tp/τd) − e^(−tp/τr)), tp = τr·τd/(τd − τr)·ln(τd/τr): the peak normalisation of a
    double-exponential synapse (:func:`ionzoo.synapses.exp2_factor`)."""
    tp = rise * decay / (decay - rise) * Call("log", (decay / rise,))
    return Num(1.0) / (Call("exp", (-(tp / decay),)) - Call("exp", (-(tp / rise),)))


def _reciprocal(e: Expr) -> Expr:
    """1/e, with 1/(a/b) written b/a and 1/(1/x) written x: a τ given as a quotient (Morris–
    Lecar's τ_w = 1/(φ cosh(…)), Hay's τ = 6/(α + β)) costs one division instead of two."""
    if isinstance(e, Bin) and e.op == "/":
        return e.right if e.left == Num(1.0) else e.right / e.left
    return Num(1.0) / e
