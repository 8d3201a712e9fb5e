"""Matplotlib figures: the classic Hodgkin–Huxley lesson, for any neuron, and the results of
:mod:`ionzoo.analysis`.

Every function returns the :class:`matplotlib.figure.Figure`, labels every axis with its unit and
labels every line, so a figure can be checked (and styled) after the fact. Functions that draw
one panel accept ``ax``; multi-panel figures accept ``fig``.

=========================  ==================================================================
:func:`gating`             x∞(V), τ(V), steady-state conductances and I–V curves of every channel
:func:`traces`             V (or any recorded variable) against time, one panel per batch element
:func:`mechanism`          the ionic mechanism of the spike: V, gates, conductances, currents
:func:`phase_plane`        a trajectory in any two state variables (or expressions of them)
:func:`raster`             spike raster of a batch
:func:`fi`                 f–I curves; up- and down-going branches with the bistable range
:func:`features_on_trace`  a trace with eFEL's onset, peak, half-width and AHP marked
:func:`dose_response`      firing rate and fraction blocked against drug concentration
:func:`temperature`        half-width, rate and onset voltage against temperature
:func:`bifurcation`        equilibria against current, stable/unstable, folds and Hopf points
:func:`nullclines`         a phase plane: nullclines, vector field and equilibria
:func:`two_parameter`      fold and Hopf curves in (current, a second parameter)
:func:`sweep_classes`      a sweep's class fractions and each parameter's share per class
=========================  ==================================================================
"""

from .analysis import dose_response, features_on_trace, fi, temperature
from .bifurcation import bifurcation, nullclines, two_parameter
from .dynamics import gating, mechanism, phase_plane, raster, traces
from .sweep import sweep_classes

__all__ = ["gating", "traces", "mechanism", "phase_plane", "raster", "fi", "features_on_trace",
           "dose_response", "temperature", "bifurcation", "nullclines", "sweep_classes",
           "two_parameter"]
