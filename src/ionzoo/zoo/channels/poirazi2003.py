"""Channels of the Poirazi, Brannon & Mel (2003) CA1 pyramidal cell family.

Source: Poirazi P, Brannon T, Mel BW (2003) "Arithmetic of subthreshold synaptic summation in a
model CA1 pyramidal cell", Neuron 37:977–987 (ModelDB 20212); the slow AHP channel of Destexhe,
Contreras, Sejnowski & Steriade (1994, J Neurophysiol 72:803) as modified by Poirazi (2001).
Reference file: scidash/neuronunit ``hippounit/models/hoc_models/Ca1_Bianchi/experiment/kca.mod``
(Bianchi et al. 2012, J Comput Neurosci 33:207, ModelDB 143719, which keeps Poirazi's file).
"""

from __future__ import annotations

from ...model.channel import Channel, Gate, Provenance

__all__ = ["kca"]

_CAR = "(cai / cac) ** 2"


def kca(gbar: float = 10.0, e: float = -80.0, beta: float = 0.03, cac: float = 0.025,
        taumin: float = 0.5) -> Channel:
    """Slow Ca²⁺-activated K⁺ (sAHP), I = gbar m³ (v − e); two calcium binding sites:
    m∞ = car/(1 + car), car = (cai/cac)², τ = max(1/(β (1 + car) tadj), taumin) with
    tadj = 3^((celsius − 22)/10) — the floor applies after the temperature factor, so the rule
    is written into τ (it reads ``celsius``). Integrated with ``derivimplicit`` as the file."""
    return Channel(
        name="kca",
        gates=(Gate("m", 3, inf=f"{_CAR} / (1 + {_CAR})",
                    tau=f"max(1 / beta / (1 + {_CAR}) / 3 ** ((celsius - 22) / 10), taumin)"),),
        gbar=gbar, e=e, ion="k", temperature=None,
        params={"beta": beta, "cac": cac, "taumin": taumin}, method="derivimplicit",
        provenance=Provenance(
            "Poirazi P, Brannon T, Mel BW (2003) Neuron 37:977; Destexhe A et al. (1994) "
            "J Neurophysiol 72:803",
            "scidash/neuronunit hippounit/models/hoc_models/Ca1_Bianchi/experiment/kca.mod",
            "beta in 1/ms, cac in mM, taumin in ms; gbar 0.01 S/cm2 (file default) = "
            "10 mS/cm2. tadj uses celsius (the file computes it in INITIAL)."),
        description="Poirazi/Destexhe slow Ca2+-activated K+ kca (m3)")
