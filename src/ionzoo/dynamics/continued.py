"""The quantity a branch of periodic orbits is continued in: the injected current, or any
parameter of the model at a fixed current.

Both give the collocation equations (:mod:`.collocation`) what they need of the continued
quantity λ: the branch of the model at λ (its exact Jacobian), the right-hand side f(x; λ) and
its derivative ∂f/∂λ (the extra column of the Newton matrix), and the unit ``scale`` that λ is
divided by in the unknown vector.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..model.neuron import Neuron
from .branch import EquilibriumBranch

__all__ = ["Continued", "InjectedCurrent", "ModelParameter"]

#: Relative step of the central difference ∂f/∂p (of max(|p|, scale)): truncation ~h²·f''' and
#: rounding ~1e-16·|f|/h both stay below 1e-9 of |f| for the zoo's models.
_P_STEP = 1e-6


@dataclass(frozen=True)
class InjectedCurrent:
    """The constant injected current I (µA/cm²), which enters only V's equation: ∂f_V/∂I is
    1/C exactly.

    Both kinds of continued quantity λ offer ``name`` (``"current"`` or the parameter's id),
    ``scale`` (λ's unit in the unknown vector), ``at(base, value)`` (the branch of the model
    at λ), ``field``/``derivative`` (f(x; λ) and ∂f/∂λ at a dict of state arrays, stacked
    along the last axis as :meth:`~.branch.EquilibriumBranch.vector_field`) and
    ``simulated(base, value)`` (the neuron and constant current, µA/cm², to simulate at λ).
    """

    name: str = "current"
    scale: float = 10.0

    def at(self, base: EquilibriumBranch, value: float) -> EquilibriumBranch:
        return base

    def field(self, base: EquilibriumBranch, states: dict, value: float) -> np.ndarray:
        return base.vector_field(states, value)

    def derivative(self, base: EquilibriumBranch, states: dict, value: float) -> np.ndarray:
        shape = np.broadcast_shapes(*(np.shape(states[k]) for k in base.states))
        out = np.zeros((*shape, len(base.states)))
        out[..., 0] = 1.0 / np.mean(base.capacitance)
        return out

    def simulated(self, base: EquilibriumBranch, value: float) -> tuple[Neuron, float]:
        return base.neuron, float(value)


@dataclass(frozen=True)
class ModelParameter:
    """A parameter of the model by id (``"K.gbar"`` mS/cm², ``"temperature"`` °C, …) at the
    fixed injected ``current`` (µA/cm²); ∂f/∂p is a central difference (see ``_P_STEP``)."""

    name: str
    scale: float
    current: float = 0.0

    def at(self, base: EquilibriumBranch, value: float) -> EquilibriumBranch:
        return base.with_value(self.name, value)

    def field(self, base: EquilibriumBranch, states: dict, value: float) -> np.ndarray:
        return self.at(base, value).vector_field(states, self.current)

    def derivative(self, base: EquilibriumBranch, states: dict, value: float) -> np.ndarray:
        h = _P_STEP * max(abs(value), abs(self.scale))
        return (self.field(base, states, value + h)
                - self.field(base, states, value - h)) / (2 * h)

    def simulated(self, base: EquilibriumBranch, value: float) -> tuple[Neuron, float]:
        return base.neuron.with_params({self.name: float(value)}), self.current


#: What a cycle branch is continued in.
Continued = InjectedCurrent | ModelParameter
