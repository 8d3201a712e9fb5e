"""The one table of parameter specifications (unit and bounds) and the one number check.

Every numeric value of a model — a constructor argument, a :meth:`Neuron.with_params` value
(scalar or array), a model-file entry — is checked here: :func:`number` accepts Python and NumPy
integers and floats (never booleans, strings or containers) and requires a finite value;
:func:`check` adds the bounds of its :class:`ParamSpec`. Messages name the field and the reason.

==================  ========  ============  ===========================================
name                unit      bounds        meaning
==================  ========  ============  ===========================================
``capacitance``     µF/cm²    (0, 100]      membrane capacitance
``temperature``     °C        [−20, 60]     temperature (each channel applies its rule)
``v_init``          mV        [−200, 200]   initial membrane potential
``gbar``            mS/cm²    [0, 1e6]      maximal conductance (GHK: cm/s, [0, 1])
``e``               mV        [−500, 500]   fixed reversal potential
``q10``             1         (0, 100]      Q10 of a temperature rule
``rate_factor``     1         (0, 1e6]      fixed rate factor of a temperature rule
``ca.cai``          mM        (0, 1000]     internal calcium (initial value with a pool)
``ca.cao``          mM        (0, 1000]     external calcium
``ca.depth``        µm        (0, 1e4]      depth of the submembrane shell of a pool
``ca.tau``          ms        (0, 1e9]      decay time constant of a pool
``ca.cai_rest``     mM        [0, 1000]     concentration a pool relaxes to
``ca.gamma``        1         [0, 1000]     free fraction (scale) of the calcium influx
==================  ========  ============  ===========================================

The upper bounds are far beyond any published model (the largest conductance in the zoo is
Hay's axonal NaTa_t, 3,000 mS/cm²; temperatures of published preparations lie within 0–40 °C);
they exist so that a typing error or a hostile file (ḡ = 1e30, 1e4 °C) is refused with its
range instead of producing a meaningless simulation.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..errors import ValidationError

__all__ = ["ParamSpec", "NEURON_PARAMETERS", "CHANNEL_PARAMETERS", "CALCIUM_PARAMETERS",
           "FREE", "number", "check", "check_array", "is_number", "pretty_unit"]


@dataclass(frozen=True)
class ParamSpec:
    """Unit and bounds of a parameter: ``minimum`` (excluded when ``exclusive``), ``maximum``
    (inclusive); ``None`` means unbounded."""

    unit: str
    minimum: float | None = None
    exclusive: bool = False
    maximum: float | None = None
    doc: str = ""

    def bounds_text(self) -> str:
        """The bounds in words (for messages and tables)."""
        parts = []
        if self.minimum is not None:
            parts.append(f"{'>' if self.exclusive else '>='} {self.minimum:g}")
        if self.maximum is not None:
            parts.append(f"<= {self.maximum:g}")
        return " and ".join(parts) or "any finite value"


#: Parameters of the neuron itself.
NEURON_PARAMETERS: dict[str, ParamSpec] = {
    "capacitance": ParamSpec("uF/cm2", 0.0, True, 100.0, doc="membrane capacitance"),
    "temperature": ParamSpec("degC", -20.0, False, 60.0,
                             doc="the range of physiological preparations, with margins"),
    "v_init": ParamSpec("mV", -200.0, False, 200.0, doc="initial membrane potential"),
}
#: Parameters every channel may have (``gbar`` is a permeability in cm/s for GHK currents).
CHANNEL_PARAMETERS: dict[str, ParamSpec] = {
    "gbar": ParamSpec("mS/cm2", 0.0, False, 1e6, doc="maximal conductance"),
    "e": ParamSpec("mV", -500.0, False, 500.0, doc="reversal potential"),
    "q10": ParamSpec("1", 0.0, True, 100.0, doc="Q10 of the temperature rule"),
    "rate_factor": ParamSpec("1", 0.0, True, 1e6, doc="fixed rate factor"),
}
#: Parameters of the calcium description (``ca.<name>``).
CALCIUM_PARAMETERS: dict[str, ParamSpec] = {
    "cai": ParamSpec("mM", 0.0, True, 1000.0, doc="internal calcium (initial value with a pool)"),
    "cao": ParamSpec("mM", 0.0, True, 1000.0, doc="external calcium"),
    "depth": ParamSpec("um", 0.0, True, 1e4, doc="depth of the submembrane shell"),
    "tau": ParamSpec("ms", 0.0, True, 1e9, doc="decay time constant of the pool"),
    "cai_rest": ParamSpec("mM", 0.0, False, 1000.0, doc="concentration the pool relaxes to"),
    "gamma": ParamSpec("1", 0.0, False, 1000.0, doc="free fraction (scale) of the calcium influx"),
}
#: An extra channel parameter read by rate expressions: any finite value, unit stated by the
#: channel's provenance.
FREE = ParamSpec("")


_PRETTY = (("uF", "µF"), ("uA", "µA"), ("um2", "µm²"), ("um", "µm"), ("cm2", "cm²"),
           ("degC", "°C"))


def pretty_unit(unit: str) -> str:
    """A unit for people (``"mS/cm2"`` → ``"mS/cm²"``; ``"1"`` → ``""``)."""
    if unit == "1":
        return ""
    for a, b in _PRETTY:
        unit = unit.replace(a, b)
    return unit


def is_number(value: Any) -> bool:
    """Whether ``value`` is a real number of Python or NumPy (booleans are not)."""
    return (not isinstance(value, (bool, np.bool_))
            and isinstance(value, (int, float, np.integer, np.floating)))


def text(field: str, value: Any) -> str:
    """``value`` as free text (a string of at most :data:`~ionzoo.limits.MAX_TEXT`
    characters), or a :class:`ValidationError` naming ``field``."""
    from ..limits import MAX_TEXT

    if not isinstance(value, str):
        raise ValidationError(field, f"expected text, got {type(value).__name__}")
    if len(value) > MAX_TEXT:
        raise ValidationError(field, f"text longer than {MAX_TEXT} characters")
    return value


def number(field: str, value: Any) -> float:
    """``value`` as a finite float, or a :class:`ValidationError` naming ``field``."""
    if not is_number(value):
        raise ValidationError(field, f"expected a number, got {type(value).__name__}")
    try:
        out = float(value)
    except OverflowError:
        raise ValidationError(field, f"number too large: {value!r}") from None
    if not math.isfinite(out):
        raise ValidationError(field, f"must be finite, got {out!r}")
    return out


def _violates(spec: ParamSpec, arr: np.ndarray) -> np.ndarray:
    bad = np.zeros(arr.shape, dtype=bool)
    if spec.minimum is not None:
        bad |= (arr <= spec.minimum) if spec.exclusive else (arr < spec.minimum)
    if spec.maximum is not None:
        bad |= arr > spec.maximum
    return bad


def check(field: str, value: Any, spec: ParamSpec) -> float:
    """A scalar checked against ``spec``: a finite number within its bounds."""
    out = number(field, value)
    if _violates(spec, np.asarray(out)):
        unit = f" {spec.unit}" if spec.unit not in ("", "1") else ""
        raise ValidationError(field, f"must be {spec.bounds_text()}{unit} ({spec.doc}), "
                              f"got {out!r}")
    return out


def check_array(field: str, values: np.ndarray, spec: ParamSpec) -> None:
    """An array of values checked against ``spec`` (finite, within bounds)."""
    arr = np.asarray(values, dtype=float)
    if not np.all(np.isfinite(arr)):
        raise ValidationError(field, "must be finite (got NaN or infinity)")
    bad = _violates(spec, arr)
    if bad.any():
        raise ValidationError(field, f"must be {spec.bounds_text()} ({spec.doc}), got "
                              f"{arr[bad].flat[0]!r}")
