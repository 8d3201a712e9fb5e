"""Voltage clamp: :func:`voltage_clamp` (ideal: v forced to a command, every current recorded)
and the classic protocols as batches (:func:`activation`, :func:`inactivation`,
:func:`recovery`). See docs/howto/voltage_clamp.md."""

from .ideal import ClampResult, voltage_clamp
from .protocols import activation, boltzmann, fit_boltzmann, inactivation, recovery

__all__ = ["voltage_clamp", "ClampResult", "activation", "inactivation", "recovery",
           "boltzmann", "fit_boltzmann"]
