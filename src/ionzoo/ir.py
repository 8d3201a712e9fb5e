"""The lowered model: one small, frozen, explicit representation behind every back-end.

:func:`ionzoo.lower.lower` turns ``Neuron × stimulus × record`` into a :class:`ModelIR`. Every
back-end reads it and nothing else: the Numba kernels, the adaptive right-hand side, the NumPy
reference evaluator (plots, analysis, steady states, Jacobians), the NMODL and NeuroML printers.

Names inside IR expressions
---------------------------
``v`` (mV) and ``t`` (ms); a state by its name (``Na.m``, ``ca.cai``); a parameter or derived
value by its id (``Na.gbar``, ``temperature``, ``Na.phi``, ``ca.rtf2``); ``ica`` (µA/cm², the
calcium current) inside a pool's drive; a waveform's samples by its table name (``wave0``).
Instantaneous gates are inlined into the currents (they are functions of v), so every current
is a function of v, the states and the parameters alone.

No value enters an IR: every number a user may change is a parameter; the numbers that remain
are constants of the kinetics (midpoints, slopes, reference temperatures) and physical
constants. :attr:`ModelIR.key` hashes the whole IR and keys the compiled kernels.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from .expr import Expr, Name, Num, substitute
from .model.params import ParamSpec

__all__ = ["State", "Parameter", "Derived", "GateIR", "Current", "Pool", "EventInput",
           "NoiseSource", "Observable", "ModelIR"]


@dataclass(frozen=True)
class State:
    """A state variable with its unit and its initial value (an expression of parameters and
    derived values only)."""

    name: str
    unit: str
    init: Expr


@dataclass(frozen=True)
class Parameter:
    """A parameter row of the kernels: ``id`` in expressions, ``path`` where its value comes
    from (a neuron parameter path or ``stim<k>.<field>``), unit and bounds."""

    id: str
    path: str
    spec: ParamSpec

    @property
    def unit(self) -> str:
        return self.spec.unit


@dataclass(frozen=True)
class Derived:
    """A value computed once per neuron from parameters (a temperature factor φ, RT/zF…)."""

    id: str
    unit: str
    expr: Expr


@dataclass(frozen=True)
class GateIR:
    """A gate normalised once: ``inf`` (x∞, 1) and ``rate`` (1/τ in 1/ms, the temperature rule
    already applied), both functions of v, concentrations and parameters. An instantaneous gate
    has no state (its value is ``inf``); its ``rate`` is 0. ``method``: how the fixed-step
    solvers advance it (``cnexp``, ``derivimplicit``, ``euler``)."""

    name: str
    channel: str
    inf: Expr
    rate: Expr
    instantaneous: bool
    method: str = "cnexp"
    #: method ``"ou"`` (an Ornstein–Uhlenbeck input): the stationary standard deviation and the
    #: name of the step's standard normal number (a :class:`NoiseSource`)
    noise: Expr | None = None
    xi: str | None = None


@dataclass(frozen=True)
class Current:
    """An ionic current ``conductance · drive`` (µA/cm²).

    ``reversal``: ``"fixed"``, ``"nernst"`` (drive = v − e) or ``"ghk"`` (drive = the GHK flux
    factor, conductance a permeability in cm/s); ``e``: the reversal potential (mV) or None;
    ``linear``: the conductance does not depend on v, so dI/dv equals it (otherwise the
    fixed-step schemes take NEURON's finite difference). ``frozen``: the finite difference holds
    the conductance at its value (instantaneous gates a published .mod file computes in its
    state update, which NEURON's dI/dv does not see move).
    """

    channel: str
    ion: str | None
    reversal: str
    conductance: Expr
    drive: Expr
    e: Expr | None
    linear: bool
    frozen: bool = False

    @property
    def current(self) -> Expr:
        return self.conductance * self.drive


@dataclass(frozen=True)
class Pool:
    """A concentration state ``dc/dt = drive(ica) + (rest − c)/tau`` (mM, ms); ``drive`` reads
    ``ica``, the summed current (µA/cm²) of the channels carrying ``ion``; ``method`` as for
    gates. With ``ion_state`` (a lagged pool) the ion's concentration is a state of its own that
    takes the pool's value from the start of each step."""

    state: str
    ion: str
    kind: str
    drive: Expr
    tau: Expr
    rest: Expr
    method: str = "cnexp"
    ion_state: str | None = None


@dataclass(frozen=True)
class EventInput:
    """A synapse's events: at the start of the step in which an event arrives, each state of
    ``states`` grows by the value of ``jump`` (a parameter or derived id). ``source`` is the
    stimulus component (``stim<k>``) whose spike train the kernels receive."""

    source: str
    states: tuple[str, ...]
    jump: str


@dataclass(frozen=True)
class NoiseSource:
    """A stream of standard normal numbers, one per step and neuron, named ``xi`` in the gate
    updates, drawn from the counters (``seed`` (a parameter id), ``stream``, step index)."""

    xi: str
    seed: str
    stream: int


@dataclass(frozen=True)
class Observable:
    """A recordable quantity: name, unit and its expression."""

    name: str
    unit: str
    expr: Expr


@dataclass(frozen=True)
class ModelIR:
    """The lowered model (see the module docstring)."""

    states: tuple[State, ...]
    params: tuple[Parameter, ...]
    derived: tuple[Derived, ...]
    gates: tuple[GateIR, ...]
    currents: tuple[Current, ...]
    pools: tuple[Pool, ...]
    stimulus: Expr
    tables: tuple[str, ...]
    observables: tuple[Observable, ...]
    record: tuple[str, ...]
    events: tuple[EventInput, ...] = ()
    noises: tuple[NoiseSource, ...] = ()
    key: str = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "key", hashlib.sha256(self.describe().encode()).hexdigest()[:24])

    # ------------------------------------------------------------------ lookups
    @property
    def state_names(self) -> tuple[str, ...]:
        return tuple(s.name for s in self.states)

    @property
    def rows(self) -> tuple[str, ...]:
        """Ids of the kernel's parameter table rows: the parameters, then the derived values."""
        return tuple(p.id for p in self.params) + tuple(d.id for d in self.derived)

    def observable(self, name: str) -> Observable:
        for o in self.observables:
            if o.name == name:
                return o
        raise KeyError(name)

    @property
    def recorded(self) -> tuple[Observable, ...]:
        return tuple(self.observable(n) for n in self.record)

    def kinetic_gates(self) -> tuple[GateIR, ...]:
        return tuple(g for g in self.gates if not g.instantaneous)

    def ion_sum(self, ion: str) -> Expr:
        """Σ of the currents carrying ``ion`` (µA/cm²)."""
        return _ion_sum(self.currents, ion)

    def ion_current(self) -> Expr:
        """Σ of every current (µA/cm², outward positive)."""
        total: Expr = Num(0.0)
        for k, c in enumerate(self.currents):
            total = c.current if k == 0 else total + c.current
        return total

    def rhs(self) -> dict[str, Expr]:
        """The ODE right-hand side by state name (v: (I_stim − I_ion)/C; gates; pools), in
        names of states, parameters and ``t``."""
        out: dict[str, Expr] = {"v": (self.stimulus - self.ion_current()) / Name("capacitance")}
        for g in self.kinetic_gates():
            out[g.name] = g.rate * (g.inf - Name(g.name))
        for p in self.pools:
            ica = _ion_sum(self.currents, p.ion)
            drive = substitute(p.drive, {"ica": ica})
            out[p.state] = drive + (p.rest - Name(p.state)) / p.tau
        # In continuous time a lagged ion concentration equals its pool's: the one-step lag of
        # the fixed-step schemes vanishes with dt.
        alias = {p.ion_state: Name(p.state) for p in self.pools if p.ion_state}
        if alias:
            out = {k: substitute(e, alias) for k, e in out.items()}
            for p in self.pools:
                if p.ion_state:
                    out[p.ion_state] = out[p.state]
        return out

    def describe(self) -> str:
        """A complete text form (its hash is the structure key)."""
        lines = ["states " + " ".join(f"{s.name}[{s.unit}]={s.init}" for s in self.states),
                 "params " + " ".join(f"{p.id}<{p.path}>" for p in self.params)]
        lines += [f"derived {d.id} = {d.expr}" for d in self.derived]
        lines += [f"gate {g.name} inf={g.inf} rate={g.rate} inst={g.instantaneous} {g.method}"
                  + (f" noise={g.noise} xi={g.xi}" if g.noise is not None else "")
                  for g in self.gates]
        lines += [f"noise {n.xi} seed={n.seed} stream={n.stream}" for n in self.noises]
        lines += [f"current {c.channel} {c.ion} {c.reversal} g={c.conductance} drive={c.drive} "
                  f"linear={c.linear} frozen={c.frozen}" for c in self.currents]
        lines += [f"pool {p.state} {p.ion} {p.kind} drive={p.drive} tau={p.tau} rest={p.rest} "
                  f"{p.method} {p.ion_state}" for p in self.pools]
        lines += [f"events {e.source} {e.states} += {e.jump}" for e in self.events]
        lines += [f"stimulus {self.stimulus} tables={self.tables}", f"record {self.record}"]
        return "\n".join(lines)


def _ion_sum(currents: tuple[Current, ...], ion: str) -> Expr:
    terms = [c.current for c in currents if c.ion == ion]
    total: Expr = Num(0.0)
    for k, t in enumerate(terms):
        total = t if k == 0 else total + t
    return total
