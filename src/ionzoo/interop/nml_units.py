"""NeuroML2 quantities ("3.0 S_per_m2", "-65mV", "0.1 um") converted exactly into ionzoo's units.

Every NeuroML unit of a dimension ionzoo reads is a power of ten (or, for temperature, an offset)
of ionzoo's unit; the number is scaled in decimal arithmetic and rounded once, so
``"3.0 S_per_m2"`` becomes exactly the float nearest 0.3 mS/cm² (a float multiplication by 0.1
would give 0.30000000000000004).

The same table gives the unit system in which LEMS expressions are evaluated
(:mod:`ionzoo.interop.nml_lems`): mV, ms, mM, K, µm, mS/cm², µF/cm², cm/s.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal, InvalidOperation

from ..errors import ValidationError

__all__ = ["UNITS", "DIMENSION_UNIT", "quantity", "convert", "unit_scale"]

#: unit name → (dimension, power of ten to ionzoo's unit of that dimension, offset).
UNITS: dict[str, tuple[str, int, float]] = {
    # voltage (mV)
    "V": ("voltage", 3, 0.0), "mV": ("voltage", 0, 0.0), "uV": ("voltage", -3, 0.0),
    # time (ms)
    "s": ("time", 3, 0.0), "ms": ("time", 0, 0.0), "us": ("time", -3, 0.0),
    "min": ("time", 0, 0.0),  # replaced below (not a power of ten)
    # rate (1/ms)
    "per_s": ("per_time", -3, 0.0), "per_ms": ("per_time", 0, 0.0), "Hz": ("per_time", -3, 0.0),
    "per_us": ("per_time", 3, 0.0),
    # conductance density (mS/cm²)
    "S_per_m2": ("conductanceDensity", -1, 0.0), "mS_per_cm2": ("conductanceDensity", 0, 0.0),
    "S_per_cm2": ("conductanceDensity", 3, 0.0), "uS_per_cm2": ("conductanceDensity", -3, 0.0),
    "mS_per_m2": ("conductanceDensity", -4, 0.0), "nS_per_um2": ("conductanceDensity", 2, 0.0),
    "pS_per_um2": ("conductanceDensity", -1, 0.0),
    # conductance (nS)
    "S": ("conductance", 9, 0.0), "mS": ("conductance", 6, 0.0), "uS": ("conductance", 3, 0.0),
    "nS": ("conductance", 0, 0.0), "pS": ("conductance", -3, 0.0),
    # concentration (mM = mol/m³)
    "mol_per_m3": ("concentration", 0, 0.0), "mol_per_cm3": ("concentration", 6, 0.0),
    "M": ("concentration", 3, 0.0), "mM": ("concentration", 0, 0.0),
    "uM": ("concentration", -3, 0.0), "nM": ("concentration", -6, 0.0),
    # length (µm)
    "m": ("length", 6, 0.0), "cm": ("length", 4, 0.0), "mm": ("length", 3, 0.0),
    "um": ("length", 0, 0.0), "nm": ("length", -3, 0.0),
    # specific capacitance (µF/cm²)
    "F_per_m2": ("specificCapacitance", 2, 0.0), "uF_per_cm2": ("specificCapacitance", 0, 0.0),
    "pF_per_um2": ("specificCapacitance", 2, 0.0),
    # permeability (cm/s)
    "m_per_s": ("permeability", 2, 0.0), "cm_per_s": ("permeability", 0, 0.0),
    "um_per_ms": ("permeability", -1, 0.0), "cm_per_ms": ("permeability", 3, 0.0),
    # temperature (K; degC is an offset)
    "K": ("temperature", 0, 0.0), "degC": ("temperature", 0, 273.15),
    # rho of a fixedFactorConcentrationModel (mol/(m·A·s), kept as is)
    "mol_per_m_per_A_per_s": ("rho_factor", 0, 0.0),
    # area (µm²), charge per mole (C/mol), current density (µA/cm²)
    "um2": ("area", 0, 0.0), "cm2": ("area", 8, 0.0), "m2": ("area", 12, 0.0),
    "C_per_mol": ("charge_per_mole", 0, 0.0), "nC_per_mol": ("charge_per_mole", -9, 0.0),
    "A_per_m2": ("currentDensity", 2, 0.0), "uA_per_cm2": ("currentDensity", 0, 0.0),
    "mA_per_cm2": ("currentDensity", 3, 0.0),
    # current (nA)
    "A": ("current", 9, 0.0), "uA": ("current", 3, 0.0), "nA": ("current", 0, 0.0),
    "pA": ("current", -3, 0.0),
}
del UNITS["min"]
#: ionzoo's unit of each dimension.
DIMENSION_UNIT = {"voltage": "mV", "time": "ms", "per_time": "1/ms",
                  "conductanceDensity": "mS/cm²", "conductance": "nS", "concentration": "mM",
                  "length": "µm", "specificCapacitance": "µF/cm²", "permeability": "cm/s",
                  "temperature": "K", "rho_factor": "mol/(m·A·s)", "current": "nA",
                  "area": "µm²", "charge_per_mole": "C/mol", "currentDensity": "µA/cm²",
                  "none": "1"}
#: The SI value of ionzoo's unit of each dimension (to evaluate LEMS dynamics in SI).
SI = {"voltage": 1e-3, "time": 1e-3, "per_time": 1e3, "conductanceDensity": 10.0,
      "conductance": 1e-9, "concentration": 1.0, "length": 1e-6, "specificCapacitance": 1e-2,
      "permeability": 1e-2, "temperature": 1.0, "current": 1e-9, "area": 1e-12,
      "charge_per_mole": 1.0, "currentDensity": 1e-2, "none": 1.0}

_QUANTITY = re.compile(r"\s*([-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?)\s*([A-Za-z_0-9]*)\s*")


def unit_scale(unit: str, where: str) -> tuple[str, int, float]:
    """(dimension, power of ten, offset) of a NeuroML unit name."""
    if unit not in UNITS:
        raise ValidationError(where, f"unknown or unsupported unit {unit[:40]!r}")
    return UNITS[unit]


def quantity(text: object, where: str) -> tuple[Decimal, str]:
    """The number (exact) and unit of ``"<number> <unit>"``."""
    m = _QUANTITY.fullmatch(str(text)) if text is not None else None
    if m is None:
        raise ValidationError(where, f"expected a quantity like '-65 mV', got "
                              f"{str(text)[:80]!r}")
    try:
        number = Decimal(m.group(1))
    except InvalidOperation:
        raise ValidationError(where, f"{m.group(1)!r} is not a number") from None
    return number, m.group(2)


def convert(text: object, dimension: str, where: str, unitless: bool = False) -> float:
    """The quantity ``text`` of ``dimension`` in ionzoo's unit (exactly rounded once).
    ``unitless``: a bare number is allowed and taken in ionzoo's unit."""
    number, unit = quantity(text, where)
    if not unit:
        if not unitless and dimension != "none":
            raise ValidationError(where, f"{str(text)[:40]!r} has no unit (expected "
                                  f"{dimension})")
        value = float(number)
    else:
        dim, power, offset = unit_scale(unit, where)
        if dim != dimension:
            raise ValidationError(where, f"{unit!r} is a unit of {dim}, expected {dimension}")
        value = float(number.scaleb(power) + Decimal(repr(offset)))
    if not math.isfinite(value):
        raise ValidationError(where, f"{str(text)[:40]!r} is not finite")
    return value
