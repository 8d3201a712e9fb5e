"""The Hodgkin–Huxley (1952) squid giant axon, one compartment."""

from __future__ import annotations

from typing import Literal

from ...model.neuron import Neuron
from ..channels import hh1952 as _ch

__all__ = ["hh1952"]


def hh1952(leak: Literal["hh1952", "neuron"] = "hh1952", temperature: float = 6.3) -> Neuron:
    """The Hodgkin–Huxley (1952) model with NEURON's ``hh`` kinetics.

    C = 1 µF/cm²; gNa = 120, gK = 36, gL = 0.3 mS/cm²; ENa = +50, EK = −77 mV; rates scaled by
    Q10 = 3 from 6.3 °C; v_init = −65 mV with every gate at its steady state.

    ``leak`` chooses the leak reversal: ``"hh1952"`` — −54.387 mV, HH's Table 3 value (10.613 mV
    above rest; the default, rest at −64.996 mV); ``"neuron"`` — −54.3 mV as in NEURON's
    ``hh.mod`` (rest at −64.974 mV).

    Source: Hodgkin & Huxley (1952) J Physiol 117:500–544; NEURON ``src/nrnoc/hh.mod``.
    """
    if leak == "hh1952":
        el = _ch.EL_HH1952
    elif leak == "neuron":
        el = _ch.EL_NEURON
    else:
        from ..errors import ValidationError

        raise ValidationError("leak", f"expected 'hh1952' or 'neuron', got {leak!r}")
    return Neuron(
        channels=(_ch.na(), _ch.k(), _ch.leak(e=el)),
        capacitance=1.0, temperature=temperature, v_init=-65.0, name="hh1952",
    )
