"""Destexhe's cortical/thalamic currents as used by Pospischil et al. (2008):
M-current (Yamada, Koch & Adams 1989), T-type Ca²⁺ (Huguenard & McCormick 1992) and L-type Ca²⁺
(Reuveni et al. 1993). Files: OpenSourceBrain/PospischilEtAl2008 ``NEURON_ORIG/IM_cortex.mod``
(SUFFIX im), ``IT_huguenard.mod`` (SUFFIX it), ``IL_gutnick.mod`` (SUFFIX ical); ModelDB 123623.
And the T-type current of thalamic relay cells with a Goldman–Hodgkin–Katz current (Destexhe,
Neubig, Ulrich & Huguenard 1998; ModelDB 279 ``ITGHK.mod``).
"""

from __future__ import annotations

from ...model.channel import Q10, Channel, Gate, Provenance
from ...model.ions import nernst
from ...model.rates import ExpLinearRate, ExpRate, SigmoidRate

__all__ = ["im", "it", "ical", "it_ghk", "E_CA_GUTNICK", "REUVENI_GATES"]

_POSP = "Pospischil M et al. (2008) Biol Cybern 99:427-441"
_REPO = "OpenSourceBrain/PospischilEtAl2008 NEURON_ORIG/"

#: IL_gutnick's constant E_Ca: Nernst for cai = 2.4e-4 mM, cao = 2 mM at 36 °C (≈ 120 mV).
E_CA_GUTNICK = float(nernst(2.4e-4, 2.0, 2, 36.0))

#: The L-type Ca²⁺ gates of Reuveni, Friedman, Amitai & Gutnick (1993), identical in
#: IL_gutnick.mod, Hay's Ca_HVA.mod and Mainen's ca.mod (rates in 1/ms at the files' reference):
#: α_m = 0.055 (−27 − v)/(exp((−27 − v)/3.8) − 1), β_m = 0.94 exp((−75 − v)/17),
#: α_h = 0.000457 exp((−13 − v)/50), β_h = 0.0065/(exp((−v − 15)/28) + 1).
REUVENI_GATES = (
    Gate("m", 2, alpha=ExpLinearRate(0.209, -27.0, 3.8), beta=ExpRate(0.94, -75.0, -17.0)),
    Gate("h", 1, alpha=ExpRate(0.000457, -13.0, -50.0), beta=SigmoidRate(0.0065, -15.0, 28.0)),
)


def im(gbar: float = 0.07, e: float = -100.0, taumax: float = 1000.0) -> Channel:
    """Slow non-inactivating K⁺ (M-current), I = gbar m (v − e);
    m∞ = 1/(1 + exp(−(v + 35)/10)), τ = taumax/(3.3 exp((v + 35)/20) + exp(−(v + 35)/20)) ms
    at 36 °C, Q10 = 2.3."""
    return Channel(
        name="M",
        gates=(Gate("m", 1, inf=SigmoidRate(1.0, -35.0, 10.0),
                    tau="taumax / (3.3 * exp((v + 35) / 20) + exp(-(v + 35) / 20))"),),
        gbar=gbar, e=e, ion="k", temperature=Q10(2.3, 36.0), params={"taumax": taumax},
        provenance=Provenance(f"Yamada WM, Koch C, Adams PR (1989) in Methods in Neuronal "
                              f"Modeling; {_POSP}", _REPO + "IM_cortex.mod",
                              "The original file initialises m = 0 (ionzoo: m∞(v_init), as "
                              "OSB's NEURON_MODIFIED; the Pospischil cells' initial="
                              "'modeldb' starts it at 0); gbar default 0.07 mS/cm² (RS cell)."),
        description="Yamada/Destexhe M-current (m)")


def it(gbar: float = 0.4, shift: float = 2.0) -> Channel:
    """Low-threshold T-type Ca²⁺, I = gbar m∞² h (v − E_Ca,Nernst), activation instantaneous;
    all voltages shifted by ``shift`` mV ("corresponds to 2 mM ext Ca"); τ_h at 24 °C with
    Q10 = 3 (h only, as in Coulter et al. 1989)."""
    return Channel(
        name="T",
        gates=(Gate("m", 2, inf="1 / (1 + exp(-(v + shift + 57) / 6.2))", instantaneous=True),
               Gate("h", 1, inf="1 / (1 + exp((v + shift + 81) / 4))",
                    tau="30.8 + (211.4 + exp((v + shift + 113.2) / 5))"
                        " / (1 + exp((v + shift + 84) / 3.2))")),
        gbar=gbar, e="nernst", ion="ca", temperature=Q10(3.0, 24.0), params={"shift": shift},
        provenance=Provenance(f"Huguenard JR, McCormick DA (1992) J Neurophysiol 68:1373; "
                              f"Destexhe A et al. (1996); {_POSP}", _REPO + "IT_huguenard.mod",
                              "gcabar default 0.002 S/cm² (.mod); 0.4 mS/cm² in the LTS cell. "
                              "carev = Nernst of the cadecay pool."),
        description="Huguenard-McCormick T-type Ca2+ (m_inf^2 h)")


def ical(gbar: float = 0.17, e: float = E_CA_GUTNICK) -> Channel:
    """High-threshold L-type Ca²⁺ (Reuveni et al. 1993), I = gbar m²h (v − e); rates correspond
    to 36 °C, no temperature dependence; constant E_Ca."""
    return Channel(
        name="L",
        gates=REUVENI_GATES,
        gbar=gbar, e=e, ion="ca", temperature=None,
        provenance=Provenance(f"Reuveni I, Friedman A, Amitai Y, Gutnick MJ (1993) J Neurosci "
                              f"13:4609; {_POSP}", _REPO + "IL_gutnick.mod",
                              "E_Ca fixed (Nernst of cai 2.4e-4, cao 2 mM at 36 °C: 120.25 mV; "
                              "the file reads no cai). gbar 0.17 mS/cm² (IB cell)."),
        description="Reuveni/Gutnick L-type Ca2+ (m2h)")


def it_ghk(gbar: float = 2e-4, shift: float = 2.0, actshift: float = 0.0,
           q10_m: float = 5.0, q10_h: float = 3.0) -> Channel:
    """Low-threshold T-type Ca²⁺ of thalamic relay cells with a GHK current (Destexhe, Neubig,
    Ulrich & Huguenard 1998): I = P m²h · GHK(v, cai, cao), P = ``gbar`` in cm/s;
    m∞ = 1/(1 + exp(−(v + shift + actshift + 57)/6.2)), h∞ = 1/(1 + exp((v + shift + 81)/4));
    τ_m = 0.612 + 1/(exp(−(v + shift + actshift + 132)/16.7) + exp((v + shift + actshift +
    16.8)/18.2)); τ_h = exp((v + shift + 467)/66.6) below v + shift = −80 mV, else
    28 + exp(−(v + shift + 22)/10.5) — at 24 °C, with each gate's own Q10 (5 for m, 3 for h,
    Coulter et al. 1989)."""
    return Channel(
        name="T",
        gates=(Gate("m", 2, inf="1 / (1 + exp(-(v + shift + actshift + 57) / 6.2))",
                    tau="0.612 + 1 / (exp(-(v + shift + actshift + 132) / 16.7)"
                        " + exp((v + shift + actshift + 16.8) / 18.2))",
                    temperature=Q10(q10_m, 24.0)),
               Gate("h", 1, inf="1 / (1 + exp((v + shift + 81) / 4))",
                    tau="(1 - heaviside(v + shift + 80)) * exp((v + shift + 467) / 66.6)"
                        " + heaviside(v + shift + 80) * (28 + exp(-(v + shift + 22) / 10.5))",
                    temperature=Q10(q10_h, 24.0))),
        gbar=gbar, e="ghk", ion="ca", temperature=None,
        params={"shift": shift, "actshift": actshift},
        provenance=Provenance(
            "Destexhe A, Neubig M, Ulrich D, Huguenard JR (1998) J Neurosci 18:3574-3588; "
            "Huguenard JR, McCormick DA (1992) J Neurophysiol 68:1373",
            "ModelDBRepository/279 ITGHK.mod (SUFFIX itGHK); checked against "
            "BlueBrain/BluePyOpt examples/thalamo-cortical-cell/mechanisms/TC_ITGHK_Des98.mod "
            "(Iavarone et al. 2019: q10_m = q10_h = 2.5)",
            "gbar is the maximal permeability pcabar (cm/s), default 0.2e-3 as in the file. "
            "The files' efun(z) = z/(e^z − 1) is 1/exprel(z); below |z| = 1e-4 they use 1 − z/2 "
            "(ionzoo the full series: 8e-10 relative there). Each gate has its own Q10 rule "
            "from 24 °C; the files compute φ = q^((celsius − 24)/10) in INITIAL."),
        description="Destexhe 1998 T-type Ca2+ with GHK current (m2h)")
