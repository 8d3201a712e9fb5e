"""Channels of classic reduced models: Wang–Buzsáki (1996), the reduced Traub–Miles model
(Ermentrout & Kopell 1998), Connor–Stevens (1971), Izhikevich's I_Na,p + I_K (2007),
Morris–Lecar (1981), and the thalamic Ih of Huguenard & McCormick (1992).
"""

from __future__ import annotations

from ...model.channel import Channel, FixedFactor, Gate, Provenance
from ...model.rates import ExpLinearRate, ExpRate, SigmoidRate

__all__ = ["wb_na", "wb_k", "rtm_na", "rtm_k", "rtm_m", "cs_na", "cs_k", "cs_a", "izh_nap",
           "izh_k", "ml_ca", "ml_k", "thalamic_ih"]

_WB = Provenance("Wang X-J, Buzsáki G (1996) J Neurosci 16:6402-6413",
                 "nest/nestml models/neurons/wb_cond_exp_neuron.nestml",
                 "φ = 5 multiplies the h and n rates (a fixed factor, no temperature).")
_RTM = Provenance("Ermentrout GB, Kopell N (1998) PNAS 95:1259; Börgers C (2017) An "
                  "Introduction to Modeling Neuronal Dynamics, Springer",
                  "Ziaeemehr/mndynamics mndynamics/models/py/RTM_Base.py",
                  "m = m∞ (instantaneous), as in Börgers.")
_CS = Provenance("Connor JA, Stevens CF (1971) J Physiol 213:31; Dayan P, Abbott LF (2001) "
                 "Theoretical Neuroscience §6.2",
                 "davrot/pytutorial advanced_programming/connor_stevens/README.md",
                 "Dayan & Abbott's parameters converted: 1 mS/mm² = 100 mS/cm².")
_IZH = Provenance("Izhikevich EM (2007) Dynamical Systems in Neuroscience, MIT Press, ch. 4-6",
                  "", "Persistent Na+ with instantaneous activation plus a K+ current; "
                  "k_m = 15, k_n = 5 mV, τ_n = 1 ms.")
_ML = Provenance("Morris C, Lecar H (1981) Biophys J 35:193; parameter sets of Rinzel & "
                 "Ermentrout (1998) / Ermentrout & Terman (2010) Table 3.1",
                 "breakspear/bdtoolkit models/MorrisLecar.m", "")
_WB_PHI = FixedFactor(5.0, "Wang & Buzsáki's φ = 5")


def wb_na(gbar: float = 35.0, e: float = 55.0) -> Channel:
    """Wang–Buzsáki Na⁺, I = gbar m∞³ h (v − e), m instantaneous (m∞ = α/(α+β))."""
    return Channel(
        name="Na",
        gates=(Gate("m", 3, alpha=ExpLinearRate(1.0, -35.0, 10.0),
                    beta=ExpRate(4.0, -60.0, -18.0), instantaneous=True),
               Gate("h", 1, alpha=ExpRate(0.07, -58.0, -20.0),
                    beta=SigmoidRate(1.0, -28.0, 10.0))),
        gbar=gbar, e=e, ion="na", temperature=_WB_PHI, provenance=_WB,
        description="Wang-Buzsaki Na+ (m_inf^3 h)")


def wb_k(gbar: float = 9.0, e: float = -90.0) -> Channel:
    """Wang–Buzsáki K⁺, I = gbar n⁴ (v − e)."""
    return Channel(
        name="K",
        gates=(Gate("n", 4, alpha=ExpLinearRate(0.1, -34.0, 10.0),
                    beta=ExpRate(0.125, -44.0, -80.0)),),
        gbar=gbar, e=e, ion="k", temperature=_WB_PHI, provenance=_WB,
        description="Wang-Buzsaki K+ (n4)")


def rtm_na(gbar: float = 100.0, e: float = 50.0) -> Channel:
    """Reduced Traub–Miles Na⁺, I = gbar m∞³ h (v − e)."""
    return Channel(
        name="Na",
        gates=(Gate("m", 3, alpha=ExpLinearRate(1.28, -54.0, 4.0),
                    beta=ExpLinearRate(1.4, -27.0, -5.0), instantaneous=True),
               Gate("h", 1, alpha=ExpRate(0.128, -50.0, -18.0),
                    beta=SigmoidRate(4.0, -27.0, 5.0))),
        gbar=gbar, e=e, ion="na", temperature=None, provenance=_RTM,
        description="Reduced Traub-Miles Na+ (m_inf^3 h)")


def rtm_k(gbar: float = 80.0, e: float = -100.0) -> Channel:
    """Reduced Traub–Miles K⁺, I = gbar n⁴ (v − e)."""
    return Channel(
        name="K",
        gates=(Gate("n", 4, alpha=ExpLinearRate(0.16, -52.0, 5.0),
                    beta=ExpRate(0.5, -57.0, -40.0)),),
        gbar=gbar, e=e, ion="k", temperature=None, provenance=_RTM,
        description="Reduced Traub-Miles K+ (n4)")


def rtm_m(gbar: float = 0.25, e: float = -100.0) -> Channel:
    """M-current of the reduced Traub–Miles model, I = gbar w (v − e);
    w∞ = 1/(1 + exp(−(v + 35)/10)), τ_w = 400/(3.3 exp((v + 35)/20) + exp(−(v + 35)/20)) ms."""
    return Channel(
        name="M",
        gates=(Gate("w", 1, inf=SigmoidRate(1.0, -35.0, 10.0),
                    tau="400 / (3.3 * exp((v + 35) / 20) + exp(-(v + 35) / 20))"),),
        gbar=gbar, e=e, ion="k", temperature=None, provenance=_RTM,
        description="Reduced Traub-Miles M-current (w)")


def cs_na(gbar: float = 120.0, e: float = 55.0) -> Channel:
    """Connor–Stevens Na⁺, I = gbar m³h (v − e)."""
    return Channel(
        name="Na",
        gates=(Gate("m", 3, alpha=ExpLinearRate(3.8, -29.7, 10.0),
                    beta="15.2 * exp(-0.0556 * (v + 54.7))"),
               Gate("h", 1, alpha=ExpRate(0.266, -48.0, -20.0),
                    beta=SigmoidRate(3.8, -18.0, 10.0))),
        gbar=gbar, e=e, ion="na", temperature=None, provenance=_CS,
        description="Connor-Stevens Na+ (m3h)")


def cs_k(gbar: float = 20.0, e: float = -72.0) -> Channel:
    """Connor–Stevens delayed rectifier K⁺, I = gbar n⁴ (v − e)."""
    return Channel(
        name="K",
        gates=(Gate("n", 4, alpha=ExpLinearRate(0.2, -45.7, 10.0),
                    beta=ExpRate(0.25, -55.7, -80.0)),),
        gbar=gbar, e=e, ion="k", temperature=None, provenance=_CS,
        description="Connor-Stevens K+ (n4)")


def cs_a(gbar: float = 47.7, e: float = -75.0) -> Channel:
    """Connor–Stevens A-type K⁺, I = gbar a³b (v − e)."""
    return Channel(
        name="A",
        gates=(Gate("a", 3, inf="min(1, (0.0761 * exp(0.0314 * (v + 94.22))"
                                " / (1 + exp(0.0346 * (v + 1.17)))) ** (1 / 3))",
                    tau="0.3632 + 1.158 / (1 + exp(0.0497 * (v + 55.96)))"),
               Gate("b", 1, inf="(1 / (1 + exp(0.0688 * (v + 53.3)))) ** 4",
                    tau="1.24 + 2.678 / (1 + exp(0.0624 * (v + 50)))")),
        gbar=gbar, e=e, ion="k", temperature=None,
        provenance=Provenance(_CS.citation, _CS.model_file,
                              _CS.notes + " The published a∞ fit exceeds 1 (by ≤ 1.5e-4) between "
                              "about +25 and +60 mV; ionzoo caps it at 1."),
        description="Connor-Stevens A-type K+ (a3b)")


def izh_nap(gbar: float = 20.0, e: float = 60.0) -> Channel:
    """Izhikevich I_Na,p: I = gbar m∞(v) (v − e), m∞ = 1/(1 + exp((−20 − v)/15))."""
    return Channel(
        name="NaP",
        gates=(Gate("m", 1, inf=SigmoidRate(1.0, -20.0, 15.0), instantaneous=True),),
        gbar=gbar, e=e, ion="na", temperature=None, provenance=_IZH,
        description="Izhikevich persistent Na+ (instantaneous m)")


def izh_k(gbar: float = 10.0, e: float = -90.0, vhalf: float = -25.0) -> Channel:
    """Izhikevich I_K: I = gbar n (v − e), n∞ = 1/(1 + exp((vhalf − v)/5)), τ = 1 ms;
    vhalf = −25 mV (high threshold) or −45 mV (low threshold)."""
    return Channel(
        name="K",
        gates=(Gate("n", 1, inf="1 / (1 + exp((vhalf - v) / 5))", tau=1.0),),
        gbar=gbar, e=e, ion="k", temperature=None, params={"vhalf": vhalf}, provenance=_IZH,
        description="Izhikevich K+ (n)")


def ml_ca(gbar: float = 4.4, e: float = 120.0, v1: float = -1.2, v2: float = 18.0) -> Channel:
    """Morris–Lecar Ca²⁺: I = gbar m∞ (v − e), m∞ = ½(1 + tanh((v − v1)/v2)), instantaneous."""
    return Channel(
        name="Ca",
        gates=(Gate("m", 1, inf="0.5 * (1 + tanh((v - v1) / v2))", instantaneous=True),),
        gbar=gbar, e=e, ion="ca", temperature=None, params={"v1": v1, "v2": v2},
        provenance=_ML, description="Morris-Lecar Ca2+ (instantaneous m)")


def ml_k(gbar: float = 8.0, e: float = -84.0, v3: float = 2.0, v4: float = 30.0,
         phi: float = 0.04) -> Channel:
    """Morris–Lecar K⁺: I = gbar w (v − e), w∞ = ½(1 + tanh((v − v3)/v4)),
    τ_w = 1/(φ cosh((v − v3)/(2 v4))) ms."""
    return Channel(
        name="K",
        gates=(Gate("w", 1, inf="0.5 * (1 + tanh((v - v3) / v4))",
                    tau="1 / (phi * cosh((v - v3) / (2 * v4)))"),),
        gbar=gbar, e=e, ion="k", temperature=None, params={"v3": v3, "v4": v4, "phi": phi},
        provenance=_ML, description="Morris-Lecar K+ (w)")


def thalamic_ih(gbar: float = 0.02, e: float = -43.0) -> Channel:
    """Thalamic Ih (Huguenard & McCormick 1992), I = gbar h (v − e);
    h∞ = 1/(1 + exp((v + 75)/5.5)), τ = 20 + 1000/(exp((v + 71.5)/14.2) + exp(−(v + 89)/11.6))."""
    return Channel(
        name="Ih",
        gates=(Gate("h", 1, inf=SigmoidRate(1.0, -75.0, -5.5),
                    tau="20 + 1000 / (exp((v + 71.5) / 14.2) + exp(-(v + 89) / 11.6))"),),
        gbar=gbar, e=e, ion="h", temperature=None,
        provenance=Provenance("Huguenard JR, McCormick DA (1992) J Neurophysiol 68:1373; "
                              "Destexhe A et al. (1993) Biophys J 65:1538", "",
                              "Equations verified only in third-party code (UNVERIFIED against "
                              "Destexhe's Ih.mod); without Destexhe's Ca2+ upregulation. "
                              "Reference temperature not stated: no rule."),
        description="Huguenard-McCormick thalamic Ih (h)")
