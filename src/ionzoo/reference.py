"""NumPy evaluation of the lowered model: steady states, time constants, currents, the
steady-state I–V curve, the right-hand side and its exact Jacobian.

Everything here evaluates the same :class:`~ionzoo.ir.ModelIR` expressions the kernels are
generated from, so a plot, an analysis and a simulation can never disagree about the model.

>>> import numpy as np, ionzoo as iz
>>> na = iz.channels.hh1952.na()
>>> float(iz.reference.steady_state(na, "m", -40.0))      # doctest: +ELLIPSIS
0.2...
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

import numpy as np
import xarray as xr

from .errors import ValidationError
from .expr import Expr, diff
from .ir import ModelIR
from .lower import lower
from .model.channel import Channel, Gate
from .model.ions import Calcium
from .model.neuron import Neuron
from .model.temperature import Q10

__all__ = ["Evaluator", "steady_state", "time_constant", "gate_curves",
           "steady_state_current", "DEFAULT_CAI", "DEFAULT_CAO"]

#: Calcium concentrations (mM) used for a lone channel that reads them, unless given.
DEFAULT_CAI, DEFAULT_CAO = 5e-5, 2.0


class Evaluator:
    """NumPy evaluation of one neuron's IR at its default (scalar) parameter values.

    ``params`` overrides parameter values by id (e.g. ``{"temperature": 16.3}``).
    """

    def __init__(self, neuron: Neuron, stimulus=None, params: Mapping[str, Any] | None = None):
        if neuron.overrides:
            raise ValidationError("neuron", "reference evaluation needs scalar parameters; "
                                  "evaluate one neuron of the batch at a time")
        self.neuron = neuron
        self.ir: ModelIR = lower(neuron, stimulus)
        env: dict[str, Any] = {}
        for p in self.ir.params:
            env[p.id] = np.asarray(params[p.id] if params and p.id in params
                                   else self._default(p.path), dtype=float)
        for d in self.ir.derived:
            env[d.id] = d.expr.evaluate(env)
        self.env = env

    def with_params(self, params: Mapping[str, Any]) -> Evaluator:
        """A copy with some parameter values replaced by id (arrays broadcast against the
        states evaluated later) and the derived parameters recomputed; the model is not
        lowered again."""
        ids = {p.id for p in self.ir.params}
        unknown = sorted(set(params) - ids)
        if unknown:
            raise ValidationError("params", f"unknown parameter ids {unknown}")
        other = copy.copy(self)
        env = {p.id: np.asarray(params[p.id], dtype=float) if p.id in params else self.env[p.id]
               for p in self.ir.params}
        for d in self.ir.derived:
            env[d.id] = d.expr.evaluate(env)
        other.env = env
        return other

    def _default(self, path: str) -> float:
        if path.startswith("stim"):
            raise ValidationError("stimulus", "array stimulus fields cannot be evaluated here")
        return self.neuron.default(path)

    # ----------------------------------------------------------------- evaluation
    def evaluate(self, expr: Expr, **values: Any) -> np.ndarray:
        """``expr`` with the parameters and the given ``values`` (v, states, t, ica…)."""
        return expr.evaluate({**self.env, **values})

    def gate(self, name: str):
        """The IR gate ``<channel>.<gate>``."""
        for g in self.ir.gates:
            if g.name == name:
                return g
        known = [g.name for g in self.ir.gates]
        raise ValidationError(name, f"no gate {name!r} (gates: {known})")

    def concentrations(self, cai=None) -> dict[str, Any]:
        """Names → values of the concentrations (the initial/fixed ones unless given)."""
        if self.neuron.calcium is None:
            return {}
        value = self.neuron.calcium.cai if cai is None else cai
        return {"ca.cai": np.asarray(value, dtype=float)}

    def steady_state(self, gate: str, v, cai=None) -> np.ndarray:
        """x∞ of ``gate`` at voltages ``v`` (mV), calcium ``cai`` (mM)."""
        return self.evaluate(self.gate(gate).inf, v=np.asarray(v, dtype=float),
                             **self.concentrations(cai))

    def time_constant(self, gate: str, v, cai=None) -> np.ndarray:
        """τ (ms) of ``gate`` (its temperature rule applied); 0 for instantaneous gates."""
        g = self.gate(gate)
        if g.instantaneous:
            shape = np.broadcast(np.asarray(v), np.asarray(0.0 if cai is None else cai)).shape
            return np.zeros(shape)
        return 1.0 / self.evaluate(g.rate, v=np.asarray(v, dtype=float),
                                   **self.concentrations(cai))

    def states_at_rest(self, v, cai=None) -> dict[str, np.ndarray]:
        """Every state with its gates at x∞(v) (concentrations fixed or as given)."""
        v = np.asarray(v, dtype=float)
        conc = self.concentrations(cai)
        out: dict[str, Any] = {"v": v, **conc}
        for g in self.ir.kinetic_gates():
            out[g.name] = self.evaluate(g.inf, v=v, **conc)
        return out

    def currents(self, states: Mapping[str, Any]) -> dict[str, np.ndarray]:
        """Each channel's current (µA/cm²) at ``states`` (names → values)."""
        return {c.channel: self.evaluate(c.current, **states) for c in self.ir.currents}

    def conductances(self, states: Mapping[str, Any]) -> dict[str, np.ndarray]:
        """Each channel's conductance (mS/cm², cm/s for GHK) at ``states``."""
        return {c.channel: self.evaluate(c.conductance, **states) for c in self.ir.currents}

    def steady_state_current(self, v, cai=None) -> np.ndarray:
        """Total ionic current (µA/cm²) with every gate at x∞(v)."""
        return self.evaluate(self.ir.ion_current(), **self.states_at_rest(v, cai))

    def rhs(self, states: Mapping[str, Any], t=0.0) -> dict[str, np.ndarray]:
        """The right-hand side by state name at ``states`` and time ``t`` (ms)."""
        values = {**states, "t": np.asarray(t, dtype=float)}
        return {k: self.evaluate(e, **values) for k, e in self.ir.rhs().items()}

    def jacobian_expressions(self) -> list[list[Expr]]:
        """∂(dy_i/dt)/∂y_j as expression trees (symbolic derivatives), in state order."""
        rhs = self.ir.rhs()
        names = self.ir.state_names
        return [[diff(rhs[a], b) for b in names] for a in names]

    def jacobian(self, states: Mapping[str, Any], t=0.0) -> np.ndarray:
        """The exact Jacobian at ``states`` (shape states × states, plus any broadcast)."""
        values = {**states, "t": np.asarray(t, dtype=float)}
        rows = [[np.asarray(self.evaluate(e, **values)) for e in row]
                for row in self.jacobian_expressions()]
        shape = np.broadcast_shapes(*(x.shape for row in rows for x in row))
        return np.array([[np.broadcast_to(x, shape) for x in row] for row in rows])


# --------------------------------------------------------------------- channels alone
def _channel_neuron(ch: Channel, temperature: float | None, gate: Gate | None,
                    cao: float) -> Neuron:
    rule = ch.gate_rule(gate) if gate is not None else ch.temperature
    if temperature is None:
        temperature = rule.reference if isinstance(rule, Q10) else 6.3
    calcium = Calcium(cai=DEFAULT_CAI, cao=cao) if ch.needs_calcium() else None
    return Neuron(channels=(ch,), temperature=temperature, calcium=calcium, name=ch.name)


def _gate_of(ch: Channel, gate: Gate | str) -> Gate:
    return ch.gate(gate) if isinstance(gate, str) else gate


def _shaped(values, v, cai) -> np.ndarray:
    shape = np.broadcast(np.asarray(v), np.asarray(cai)).shape
    return np.broadcast_to(np.asarray(values, dtype=float), shape).copy()


def steady_state(channel: Channel, gate: Gate | str, v, *, temperature: float | None = None,
                 cai=DEFAULT_CAI, cao: float = DEFAULT_CAO,
                 params: Mapping[str, float] | None = None) -> np.ndarray:
    """x∞ (1) of a channel's gate at ``v`` (mV) and ``cai`` (mM); ``params`` overrides the
    channel's parameter values by name."""
    g = _gate_of(channel, gate)
    ev = Evaluator(_channel_neuron(channel, temperature, g, cao),
                   params={f"{channel.name}.{k}": x for k, x in (params or {}).items()})
    conc = cai if channel.needs_calcium() else None
    if g.parts:  # a fractional gate: Σ w·x∞ of its parts
        return _shaped(sum(w * ev.steady_state(f"{channel.name}.{p.name}", v, conc)
                           for w, p in g.parts), v, cai)
    return _shaped(ev.steady_state(f"{channel.name}.{g.name}", v, conc), v, cai)


def time_constant(channel: Channel, gate: Gate | str, v, temperature: float | None = None, *,
                  cai=DEFAULT_CAI, cao: float = DEFAULT_CAO,
                  params: Mapping[str, float] | None = None) -> np.ndarray:
    """τ (ms) of a channel's gate at ``v`` (mV), ``temperature`` (°C) and ``cai`` (mM).

    Without a temperature the gate's Q10 rule is not applied (τ at its reference
    temperature); a fixed factor always is. Instantaneous gates have τ = 0."""
    g = _gate_of(channel, gate)
    if g.parts:
        raise ValidationError(f"{channel.name}.{g.name}", "a fractional gate has no time "
                              "constant of its own; ask for one of its parts "
                              f"({', '.join(p.name for _, p in g.parts)})")
    ev = Evaluator(_channel_neuron(channel, temperature, g, cao),
                   params={f"{channel.name}.{k}": x for k, x in (params or {}).items()})
    return _shaped(ev.time_constant(f"{channel.name}.{g.name}", v,
                                    cai if channel.needs_calcium() else None), v, cai)


def gate_curves(neuron: Neuron, v=None) -> xr.Dataset:
    """x∞ and τ of every gate, steady-state conductance and current of every channel, and
    the total steady-state current, over ``v`` (mV; default −100…+50), at the neuron's
    temperature and initial calcium."""
    v = np.linspace(-100.0, 50.0, 601) if v is None else np.asarray(v, dtype=float)
    ev = Evaluator(neuron)
    states = ev.states_at_rest(v)
    data: dict[str, Any] = {}
    for g in ev.ir.gates:
        data[f"{g.name}_inf"] = ("v", _shaped(ev.steady_state(g.name, v), v, 0.0),
                                 {"units": "1"})
        data[f"{g.name}_tau"] = ("v", _shaped(ev.time_constant(g.name, v), v, 0.0),
                                 {"units": "ms"})
    for c in ev.ir.currents:
        data[f"{c.channel}.g"] = ("v", _shaped(ev.evaluate(c.conductance, **states), v, 0.0),
                                  {"units": "cm/s" if c.reversal == "ghk" else "mS/cm2"})
        data[f"{c.channel}.i"] = ("v", _shaped(ev.evaluate(c.current, **states), v, 0.0),
                                  {"units": "uA/cm2"})
    data["i_ion"] = ("v", _shaped(ev.evaluate(ev.ir.ion_current(), **states), v, 0.0),
                     {"units": "uA/cm2"})
    return xr.Dataset(data, coords={"v": ("v", v, {"units": "mV"})},
                      attrs={"temperature": neuron.temperature, "model": neuron.name})


def steady_state_current(neuron: Neuron, v) -> np.ndarray:
    """Total steady-state ionic current (µA/cm²) at voltages ``v`` (mV): every gate at x∞(v),
    calcium at its fixed or initial value."""
    return _shaped(Evaluator(neuron).steady_state_current(np.asarray(v, dtype=float)), v, 0.0)

