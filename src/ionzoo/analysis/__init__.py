"""Analysis of simulated neurons: f–I curves, rheobase, excitability class."""

from .fi import (
    Excitability,
    Rheobase,
    equilibrium_voltage,
    excitability_class,
    fi_curve,
    rheobase,
    steady_state_current,
)

__all__ = ["fi_curve", "rheobase", "excitability_class", "equilibrium_voltage",
           "steady_state_current", "Rheobase", "Excitability"]
