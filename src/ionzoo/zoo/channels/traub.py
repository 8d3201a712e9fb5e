"""Traub–Miles Na⁺/K⁺ channels as used by Destexhe and Pospischil et al. (2008), and Traub's
persistent Na⁺ (2003).

``hh2`` kinetics — Traub RD, Miles R (1991) *Neuronal Networks of the Hippocampus*, Cambridge UP;
as implemented by A. Destexhe in ``HH_traub.mod`` (SUFFIX hh2) of ModelDB 123623
(OpenSourceBrain/PospischilEtAl2008, ``NEURON_ORIG/HH_traub.mod``). With v2 = v − vtraub (mV):

    α_m = 0.32 (13 − v2)/(exp((13 − v2)/4) − 1)     β_m = 0.28 (v2 − 40)/(exp((v2 − 40)/5) − 1)
    α_h = 0.128 exp((17 − v2)/18)                   β_h = 4/(1 + exp((40 − v2)/5))
    α_n = 0.032 (15 − v2)/(exp((15 − v2)/5) − 1)    β_n = 0.5 exp((10 − v2)/40)

Rates in 1/ms at 36 °C, Q10 = 3 ("Q10 was assumed to be 3 for both currents"). ``vtraub`` is a
channel parameter: −63 mV in the .mod file, −55 mV in all of Pospischil's demos.
"""

from __future__ import annotations

from ...model.channel import Q10, Channel, Gate, Provenance
from ...model.rates import SigmoidRate

__all__ = ["na", "kd", "nap2003"]

_CITE = ("Traub RD, Miles R (1991) Neuronal Networks of the Hippocampus; Pospischil M et al. "
         "(2008) Biol Cybern 99:427-441")
_FILE = "OpenSourceBrain/PospischilEtAl2008 NEURON_ORIG/HH_traub.mod (ModelDB 123623, SUFFIX hh2)"
_RULE = Q10(3.0, 36.0)


def na(gbar: float = 3.0, e: float = 50.0, vtraub: float = -63.0) -> Channel:
    """Traub–Miles transient Na⁺, I = gbar m³h (v − e); gbar mS/cm², e and vtraub mV."""
    return Channel(
        name="Na",
        gates=(Gate("m", 3, alpha="1.28 / exprel((13 - (v - vtraub)) / 4)",
                    beta="1.4 / exprel((v - vtraub - 40) / 5)"),
               Gate("h", 1, alpha="0.128 * exp((17 - (v - vtraub)) / 18)",
                    beta="4 / (1 + exp((40 - (v - vtraub)) / 5))")),
        gbar=gbar, e=e, ion="na", temperature=_RULE, params={"vtraub": vtraub},
        provenance=Provenance(_CITE, _FILE, "gbar default 0.003 S/cm² (.mod); ena 50 mV; "
                              "vtraub −63 (.mod) or −55 mV (Pospischil demos)."),
        description="Traub-Miles transient Na+ (Destexhe hh2, m3h)")


def kd(gbar: float = 5.0, e: float = -90.0, vtraub: float = -63.0) -> Channel:
    """Traub–Miles delayed rectifier K⁺, I = gbar n⁴ (v − e); gbar mS/cm², e and vtraub mV."""
    return Channel(
        name="Kd",
        gates=(Gate("n", 4, alpha="0.16 / exprel((15 - (v - vtraub)) / 5)",
                    beta="0.5 * exp((10 - (v - vtraub)) / 40)"),),
        gbar=gbar, e=e, ion="k", temperature=_RULE, params={"vtraub": vtraub},
        provenance=Provenance(_CITE, _FILE, "gbar default 0.005 S/cm², ek −90 mV (.mod); "
                              "Pospischil models use EK = −100 mV."),
        description="Traub-Miles delayed rectifier K+ (Destexhe hh2, n4)")


def nap2003(gbar: float = 0.0, e: float = 50.0) -> Channel:
    """Traub et al. (2003) persistent Na⁺, I = gbar m (v − e) (no inactivation).

    m∞ = 1/(1 + exp((−v − 48)/10)); τ_m = 0.025 + 0.14 exp((v + 40)/10) for v < −40 mV, else
    0.02 + 0.145 exp((−v − 40)/10) ms. No default density in the source file: set ``gbar``.
    """
    return Channel(
        name="NaP",
        gates=(Gate("m", 1, inf=SigmoidRate(1.0, -48.0, 10.0),
                    tau="(1 - heaviside(v + 40)) * (0.025 + 0.14 * exp((v + 40) / 10))"
                        " + heaviside(v + 40) * (0.02 + 0.145 * exp((-v - 40) / 10))"),),
        gbar=gbar, e=e, ion="na", temperature=None,
        provenance=Provenance("Traub RD et al. (2003) J Neurophysiol 89:909-921",
                              "suny-downstate-medical-center/netpyne "
                              "examples/paper/fig5/mod/nap.mod",
                              "No temperature factor in the file. gbar must be set."),
        description="Traub 2003 persistent Na+ (m)")

