"""Analysis of simulated neurons: spike and oscillation detection, eFEL-compatible features,
f–I curves, rheobase, excitability class, temperature sweeps, dose–response, activity classes
(silent, tonic, bursting, irregular) and burst features."""

from .activity import CLASSES, ActivityRules, activity
from .dose import dose_response
from .features import FEATURES, FeatureSettings, features, trace_features, trace_marks
from .fi import (
    Excitability,
    Rheobase,
    equilibrium_voltage,
    excitability_class,
    fi_curve,
    onset_bifurcation,
    rheobase,
    steady_state_current,
)
from .spikes import detect_spikes
from .temperature import temperature_sweep

__all__ = ["activity", "ActivityRules", "CLASSES",
           "detect_spikes", "features", "trace_features", "FeatureSettings", "FEATURES",
           "fi_curve", "rheobase",
           "excitability_class", "onset_bifurcation", "equilibrium_voltage",
           "steady_state_current", "Rheobase",
           "Excitability", "temperature_sweep", "dose_response", "trace_marks"]
