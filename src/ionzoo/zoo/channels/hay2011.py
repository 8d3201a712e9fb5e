"""Channels of the Hay et al. (2011) layer-5 pyramidal cell (Blue Brain style .mod files).

Source: Hay E, Hill S, Schürmann F, Markram H, Segev I (2011) "Models of neocortical layer 5b
pyramidal cells capturing a wide range of dendritic and perisomatic active properties",
PLoS Comput Biol 7:e1002107; ModelDB 139653 (ModelDBRepository/139653, ``mod/*.mod``).

Temperature: the files NaTa_t, Nap_Et2, K_Pst, K_Tst, Ca_LVAst and Im multiply their rates by
qt = 2.3^((34 − 21)/10) ≈ 2.952, **hard-coded** (data at 21 °C, model at 34 °C; NEURON's
``celsius`` is ignored) — a :class:`FixedFactor`. SKv3_1, SK_E2, Ca_HVA and Ih have no
temperature factor. Several files shift v by +10 mV internally (junction potential): written
here as v + 10 inside the rate functions. Default densities are the model's somatic values
(``models/L5PCbiophys3.hoc``: NaTa_t 2.04, Nap_Et2 0.00172, K_Pst 0.00223, K_Tst 0.0812,
SKv3_1 0.693, SK_E2 0.0441, Ca_HVA 0.000992, Ca_LVAst 0.00343, Ih 0.0002 S/cm²) converted to
mS/cm²; reversals ek = −85, ena = +50 mV, ehcn = −45 mV; Ca channels use the Nernst potential of
the calcium pool (``CaDynamics_E2``).
"""

from __future__ import annotations

from ...model.channel import Channel, FixedFactor, Gate, Provenance
from ...model.rates import ExpLinearRate, ExpRate, SigmoidRate
from .destexhe import REUVENI_GATES

__all__ = ["nata_t", "nap_et2", "k_pst", "k_tst", "skv3_1", "sk_e2", "ca_hva", "ca_lvast",
           "im", "ih", "QT"]

_CITE = "Hay E et al. (2011) PLoS Comput Biol 7:e1002107"
#: Hay's hard-coded rate factor 2.3^((34 − 21)/10).
QT = 2.3 ** ((34.0 - 21.0) / 10.0)
_QT = FixedFactor(QT, "qt = 2.3^((34-21)/10) hard-coded in the .mod file; celsius ignored")


def _prov(fname: str, paper: str, notes: str = "") -> Provenance:
    return Provenance(f"{paper}; {_CITE}", f"ModelDBRepository/139653 mod/{fname}", notes)


def nata_t(gbar: float = 2040.0, e: float = 50.0) -> Channel:
    """Transient Na⁺ (Colbert & Pan 2002), I = gbar m³h (v − e)."""
    return Channel(
        name="NaTa_t",
        gates=(Gate("m", 3, alpha=ExpLinearRate(1.092, -38.0, 6.0),
                    beta=ExpLinearRate(0.744, -38.0, -6.0)),
               Gate("h", 1, alpha=ExpLinearRate(0.09, -66.0, -6.0),
                    beta=ExpLinearRate(0.09, -66.0, 6.0))),
        gbar=gbar, e=e, ion="na", temperature=_QT,
        provenance=_prov("NaTa_t.mod", "Colbert CM, Pan E (2002) Nat Neurosci 5:533",
                         "The .mod nudges v by 1e-4 mV at the singular voltages −38 and −66 mV; "
                         "ionzoo evaluates the exact limit (exprel)."),
        description="Hay 2011 transient Na+ NaTa_t (m3h)")


def nap_et2(gbar: float = 1.72, e: float = 50.0) -> Channel:
    """Persistent Na⁺ (Magistretti & Alonso 1999), I = gbar m³h (v − e); slow (seconds)
    inactivation; τ_m is 6 × NaTa_t's."""
    return Channel(
        name="Nap_Et2",
        gates=(Gate("m", 3, inf=SigmoidRate(1.0, -52.6, 4.6),
                    tau="6 / (1.092 / exprel(-(v + 38) / 6) + 0.744 / exprel((v + 38) / 6))"),
               Gate("h", 1, inf=SigmoidRate(1.0, -48.8, -10.0),
                    tau="1 / (1.33344e-05 / exprel((v + 17) / 4.63)"
                        " + 1.82522e-05 / exprel(-(v + 64.4) / 2.63))")),
        gbar=gbar, e=e, ion="na", temperature=_QT,
        provenance=_prov("Nap_Et2.mod", "Magistretti J, Alonso A (1999) J Gen Physiol 114:491"),
        description="Hay 2011 persistent Na+ Nap_Et2 (m3h)")


def k_pst(gbar: float = 2.23, e: float = -85.0) -> Channel:
    """Persistent K⁺ (Korngreen & Sakmann 2000), I = gbar m²h (v − e); v shifted by +10 mV."""
    return Channel(
        name="K_Pst",
        gates=(Gate("m", 2, inf=SigmoidRate(1.0, -11.0, 12.0),
                    tau="1.25 + heaviside(v + 60) * 13 * exp(-0.026 * (v + 10))"
                        " + (1 - heaviside(v + 60)) * 175.03 * exp(0.026 * (v + 10))"),
               Gate("h", 1, inf=SigmoidRate(1.0, -64.0, -11.0),
                    tau="360 + (1010 + 24 * (v + 65)) * exp(-((v + 85) / 48) ** 2)")),
        gbar=gbar, e=e, ion="k", temperature=_QT,
        provenance=_prov("K_Pst.mod", "Korngreen A, Sakmann B (2000) J Physiol 525:621",
                         "v' = v + 10 mV inside the file (junction potential)."),
        description="Hay 2011 persistent K+ K_Pst (m2h)")


def k_tst(gbar: float = 81.2, e: float = -85.0) -> Channel:
    """Fast inactivating (A-type) K⁺ (Korngreen & Sakmann 2000), I = gbar m⁴h (v − e)."""
    return Channel(
        name="K_Tst",
        gates=(Gate("m", 4, inf=SigmoidRate(1.0, -10.0, 19.0),
                    tau="0.34 + 0.92 * exp(-((v + 81) / 59) ** 2)"),
               Gate("h", 1, inf=SigmoidRate(1.0, -76.0, -10.0),
                    tau="8 + 49 * exp(-((v + 83) / 23) ** 2)")),
        gbar=gbar, e=e, ion="k", temperature=_QT,
        provenance=_prov("K_Tst.mod", "Korngreen A, Sakmann B (2000) J Physiol 525:621",
                         "v' = v + 10 mV inside the file (junction potential)."),
        description="Hay 2011 transient (A-type) K+ K_Tst (m4h)")


def skv3_1(gbar: float = 693.0, e: float = -85.0) -> Channel:
    """Kv3.1 (Rettig et al. 1992), I = gbar m (v − e); no temperature factor."""
    return Channel(
        name="SKv3_1",
        gates=(Gate("m", 1, inf=SigmoidRate(1.0, 18.7, 9.7),
                    tau=SigmoidRate(4.0, -46.56, 44.14)),),
        gbar=gbar, e=e, ion="k", temperature=None,
        provenance=_prov("SKv3_1.mod", "Rettig J et al. (1992) EMBO J 11:2473"),
        description="Hay 2011 Kv3.1 SKv3_1 (m)")


def sk_e2(gbar: float = 44.1, e: float = -85.0) -> Channel:
    """Small-conductance Ca²⁺-activated K⁺ (Köhler et al. 1996), I = gbar z (v − e);
    z∞ = 1/(1 + (0.00043 mM / cai)^4.8) (EC50 0.43 µM, Hill 4.8), τ_z = 1 ms."""
    return Channel(
        name="SK_E2",
        gates=(Gate("z", 1, inf="1 / (1 + (0.00043 / (cai + 1e-07 * (1 - heaviside(cai - 1e-07))))"
                                 " ** 4.8)", tau=1.0),),
        gbar=gbar, e=e, ion="k", temperature=None,
        provenance=_prov("SK_E2.mod", "Köhler M et al. (1996) Science 273:1709",
                         "Below 1e-7 mM the file adds 1e-7 mM to cai (if (ca < 1e-7) ca = ca + "
                         "1e-7), written here with heaviside."),
        description="Hay 2011 SK channel SK_E2 (z, Ca-dependent)")


def ca_hva(gbar: float = 0.992) -> Channel:
    """High-voltage-activated Ca²⁺ (Reuveni et al. 1993), I = gbar m²h (v − E_Ca,Nernst)."""
    return Channel(
        name="Ca_HVA",
        gates=REUVENI_GATES,
        gbar=gbar, e="nernst", ion="ca", temperature=None,
        provenance=_prov("Ca_HVA.mod", "Reuveni I et al. (1993) J Neurosci 13:4609"),
        description="Hay 2011 HVA Ca2+ Ca_HVA (m2h)")


def ca_lvast(gbar: float = 3.43) -> Channel:
    """Low-voltage-activated Ca²⁺ (Avery & Johnston 1996; τ from Randall 1997),
    I = gbar m²h (v − E_Ca,Nernst); v shifted by +10 mV."""
    return Channel(
        name="Ca_LVAst",
        gates=(Gate("m", 2, inf=SigmoidRate(1.0, -40.0, 6.0),
                    tau="5 + 20 / (1 + exp((v + 35) / 5))"),
               Gate("h", 1, inf=SigmoidRate(1.0, -90.0, -6.4),
                    tau="20 + 50 / (1 + exp((v + 50) / 7))")),
        gbar=gbar, e="nernst", ion="ca", temperature=_QT,
        provenance=_prov("Ca_LVAst.mod", "Avery RB, Johnston D (1996) J Neurosci 16:5567",
                         "v' = v + 10 mV inside the file."),
        description="Hay 2011 LVA (T-type) Ca2+ Ca_LVAst (m2h)")


def im(gbar: float = 0.01, e: float = -85.0) -> Channel:
    """M-type K⁺ (Adams et al. 1982), I = gbar m (v − e)."""
    return Channel(
        name="Im",
        gates=(Gate("m", 1, alpha=ExpRate(3.3e-3, -35.0, 10.0),
                    beta=ExpRate(3.3e-3, -35.0, -10.0)),),
        gbar=gbar, e=e, ion="k", temperature=_QT,
        provenance=_prov("Im.mod", "Adams PR et al. (1982) J Physiol 330:537",
                         "Not in the somatic density list; default 1e-5 S/cm² (.mod)."),
        description="Hay 2011 M-current Im (m)")


def ih(gbar: float = 0.2, e: float = -45.0) -> Channel:
    """HCN / Ih (Kole, Hallermann & Stuart 2006), I = gbar m (v − e), e = −45 mV."""
    return Channel(
        name="Ih",
        gates=(Gate("m", 1, alpha=ExpLinearRate(0.076517, -154.9, -11.9),
                    beta=ExpRate(0.193, 0.0, 33.1)),),
        gbar=gbar, e=e, ion="h", temperature=None,
        provenance=_prov("Ih.mod", "Kole MHP, Hallermann S, Stuart GJ (2006) J Neurosci "
                         "26:1677", "α = 0.001·6.43 (v+154.9)/(exp((v+154.9)/11.9) − 1)."),
        description="Hay 2011 HCN Ih (m)")
