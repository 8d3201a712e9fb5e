"""Dynamics of one-compartment neurons: equilibria and their stability, the bifurcation
diagram over the injected current or any parameter (folds and Hopf points with frequency and
first Lyapunov coefficient; fold and Hopf curves in two parameters; the periodic orbits in
either, with their Floquet multipliers, folds of cycles and homoclinic ends), and phase planes with
nullclines. Pure Python on the lowered model: the same expressions the kernels run, with
exact (symbolic) Jacobians.

>>> import ionzoo as iz
>>> diagram = iz.dynamics.bifurcation(iz.models.hh1952(), start=0, stop=200)
>>> diagram.points("hopf")[["value", "frequency_hz", "criticality"]]  # doctest: +SKIP
"""

from .bifurcation import Bifurcation, bifurcation, first_lyapunov
from .branch import EquilibriumBranch
from .continued import InjectedCurrent, ModelParameter
from .cycles import CycleBranch, continue_cycles, continue_from_simulation
from .equilibria import DEFAULT_V_RANGE, classify, equilibria
from .phase import phase_plane
from .two_parameter import continue_point, hopf_curve

__all__ = ["equilibria", "classify", "bifurcation", "Bifurcation", "first_lyapunov",
           "EquilibriumBranch", "DEFAULT_V_RANGE", "phase_plane", "CycleBranch",
           "continue_cycles", "continue_from_simulation", "InjectedCurrent", "ModelParameter",
           "hopf_curve", "continue_point"]
