"""Voltage clamp: :func:`voltage_clamp` (ideal: v forced to a command, every current recorded),
:func:`series_clamp` (a stimulus for :func:`ionzoo.simulate`: NEURON's ``SEClamp``, through a
series resistance) and the classic protocols as batches (:func:`activation`,
:func:`inactivation`, :func:`recovery`, :func:`deactivation`). See docs/howto/voltage_clamp.md."""

from ..model.seclamp import SeriesClamp, series_clamp
from .ideal import ClampResult, voltage_clamp
from .protocols import (
    activation,
    boltzmann,
    deactivation,
    fit_boltzmann,
    inactivation,
    recovery,
)

__all__ = ["voltage_clamp", "ClampResult", "series_clamp", "SeriesClamp", "activation",
           "inactivation", "recovery", "deactivation", "boltzmann", "fit_boltzmann"]
