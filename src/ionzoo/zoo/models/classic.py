"""Classic reduced single-compartment models."""

from __future__ import annotations

from typing import Literal

from ...errors import ValidationError
from ...model.channel import Channel
from ...model.neuron import Neuron
from ..channels import classic as ch

__all__ = ["wang_buzsaki", "traub_miles", "connor_stevens", "morris_lecar", "inap_ik"]


def _leak(g: float, e: float) -> Channel:
    return Channel("leak", gbar=g, e=e, description="leak")


def wang_buzsaki() -> Neuron:
    """Wang & Buzsáki (1996) fast-spiking interneuron, J Neurosci 16:6402 — C = 1 µF/cm²,
    gNa 35, gK 9, gL 0.1 mS/cm², ENa 55, EK −90, EL −65 mV, φ = 5, instantaneous m."""
    return Neuron(channels=(ch.wb_na(), ch.wb_k(), _leak(0.1, -65.0)), capacitance=1.0,
                  v_init=-65.0, name="wang_buzsaki")


def traub_miles(m_current: bool = False) -> Neuron:
    """Reduced Traub–Miles pyramidal cell (Ermentrout & Kopell 1998; Börgers 2017) — gNa 100,
    gK 80, gL 0.1 mS/cm², ENa 50, EK −100, EL −67 mV; with ``m_current`` an M-current
    (gM 0.25 mS/cm²) that makes it adapt."""
    chans = [ch.rtm_na(), ch.rtm_k(), _leak(0.1, -67.0)]
    if m_current:
        chans.insert(2, ch.rtm_m())
    return Neuron(channels=tuple(chans), capacitance=1.0, v_init=-70.0,
                  name="traub_miles" + ("_m" if m_current else ""))


def connor_stevens() -> Neuron:
    """Connor & Stevens (1971) as in Dayan & Abbott (2001) §6.2 — gNa 120, gK 20, gA 47.7,
    gL 0.3 mS/cm²; ENa 55, EK −72, EA −75, EL −17 mV. The A-current lets the cell fire at
    arbitrarily low rates (type I)."""
    return Neuron(channels=(ch.cs_na(), ch.cs_k(), ch.cs_a(), _leak(0.3, -17.0)),
                  capacitance=1.0, v_init=-68.0, name="connor_stevens")


_ML_SETS = {
    "hopf": {"gCa": 4.4, "v3": 2.0, "v4": 30.0, "phi": 0.04},
    "snlc": {"gCa": 4.0, "v3": 12.0, "v4": 17.4, "phi": 1.0 / 15.0},
    "homoclinic": {"gCa": 4.0, "v3": 12.0, "v4": 17.4, "phi": 0.23},
}


def morris_lecar(kind: Literal["hopf", "snlc", "homoclinic"] = "hopf") -> Neuron:
    """Morris & Lecar (1981) with the parameter sets of Rinzel & Ermentrout (1998) /
    Ermentrout & Terman (2010) Table 3.1: C = 20 µF/cm², gK 8, gL 2 mS/cm², ECa 120, EK −84,
    EL −60 mV, V1 −1.2, V2 18 mV; ``kind`` selects gCa, V3, V4, φ (Hopf, saddle-node on a
    limit cycle, homoclinic onset)."""
    if kind not in _ML_SETS:
        raise ValidationError("kind", f"expected one of {sorted(_ML_SETS)}, got {kind!r}")
    p = _ML_SETS[kind]
    return Neuron(channels=(ch.ml_ca(gbar=p["gCa"]), ch.ml_k(v3=p["v3"], v4=p["v4"],
                                                              phi=p["phi"]),
                            _leak(2.0, -60.0)),
                  capacitance=20.0, v_init=-60.0, name=f"morris_lecar_{kind}")


def inap_ik(kind: Literal["high", "low"] = "high") -> Neuron:
    """Izhikevich (2007) I_Na,p + I_K model: C = 1, gL 8, gNa 20, gK 10 mS/cm², ENa 60,
    EK −90 mV; ``"high"``-threshold K (V½n = −25 mV, EL −80: saddle-node on invariant circle)
    or ``"low"``-threshold K (V½n = −45 mV, EL −78: Andronov–Hopf)."""
    if kind not in ("high", "low"):
        raise ValidationError("kind", f"expected 'high' or 'low', got {kind!r}")
    vhalf, el = (-25.0, -80.0) if kind == "high" else (-45.0, -78.0)
    return Neuron(channels=(ch.izh_nap(), ch.izh_k(vhalf=vhalf), _leak(8.0, el)),
                  capacitance=1.0, v_init=el, name=f"inap_ik_{kind}")
