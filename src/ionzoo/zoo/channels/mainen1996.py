"""Channels of Mainen & Sejnowski (1996), "Influence of dendritic structure on firing pattern
in model neocortical neurons", Nature 382:363–366; ModelDB 2488 (``na.mod``, ``kv.mod``,
``km.mod``, ``kca.mod``, ``ca.mod``).

Temperature: tadj = 2.3^((T − 23)/10) multiplies the rates **and the conductance**
(``g = tadj·gbar·…``; the files say they were "designed to be run at a single operating
temperature, 37 °C") — a :class:`Q10` rule with ``conductance=True``. The exp-linear rates are
the files' ``trap0(v, th, a, q) = a (v − th)/(1 − exp(−(v − th)/q))``. Default densities are the
somatic values of ``demofig1.hoc`` (gna 20, gkv 200, gca 0.3, gkm 0.1, gkca 3 pS/µm²; 1 pS/µm² =
0.1 mS/cm²) and reversals Ena = +60, Ek = −90 mV.
"""

from __future__ import annotations

from ...model.channel import Q10, Channel, Gate, Provenance
from ...model.rates import ExpLinearRate
from .destexhe import REUVENI_GATES

__all__ = ["na", "kv", "km", "kca", "ca"]

_CITE = "Mainen ZF, Sejnowski TJ (1996) Nature 382:363-366"
_RULE = Q10(2.3, 23.0, conductance=True)


def _prov(fname: str, notes: str = "") -> Provenance:
    return Provenance(_CITE, f"ModelDB 2488 {fname}", notes)


def na(gbar: float = 2.0, e: float = 60.0, vshift: float = -10.0) -> Channel:
    """Transient Na⁺, I = tadj·gbar m³h (v − e); all rates at v + vshift (mV)."""
    return Channel(
        name="Na",
        gates=(Gate("m", 3, alpha="1.638 / exprel(-(v + vshift + 35) / 9)",
                    beta="1.116 / exprel((v + vshift + 35) / 9)"),
               Gate("h", 1, inf="1 / (1 + exp((v + vshift + 65) / 6.2))",
                    tau="1 / (0.12 / exprel(-(v + vshift + 50) / 5)"
                        " + 0.0455 / exprel((v + vshift + 75) / 5))")),
        gbar=gbar, e=e, ion="na", temperature=_RULE, params={"vshift": vshift},
        provenance=_prov("na.mod", "tha −35, qa 9, Ra 0.182, Rb 0.124; thi1 −50, thi2 −75, "
                         "qi 5, Rd 0.024, Rg 0.0091; h∞ midpoint −65, slope 6.2 (mV, 1/ms)."),
        description="Mainen & Sejnowski 1996 Na+ (m3h)")


def kv(gbar: float = 20.0, e: float = -90.0) -> Channel:
    """Fast delayed rectifier K⁺, I = tadj·gbar n (v − e) (first power)."""
    return Channel(
        name="Kv",
        gates=(Gate("n", 1, alpha=ExpLinearRate(0.18, 25.0, 9.0),
                    beta=ExpLinearRate(0.018, 25.0, -9.0)),),
        gbar=gbar, e=e, ion="k", temperature=_RULE,
        provenance=_prov("kv.mod", "tha 25, qa 9, Ra 0.02, Rb 0.002."),
        description="Mainen & Sejnowski 1996 delayed rectifier K+ (n)")


def km(gbar: float = 0.01, e: float = -90.0) -> Channel:
    """Slow M-type K⁺, I = tadj·gbar n (v − e)."""
    return Channel(
        name="Km",
        gates=(Gate("n", 1, alpha=ExpLinearRate(0.009, -30.0, 9.0),
                    beta=ExpLinearRate(0.009, -30.0, -9.0)),),
        gbar=gbar, e=e, ion="k", temperature=_RULE,
        provenance=_prov("km.mod", "tha −30, qa 9, Ra = Rb = 0.001."),
        description="Mainen & Sejnowski 1996 M-type K+ (n)")


def kca(gbar: float = 0.3, e: float = -90.0) -> Channel:
    """Ca²⁺-activated K⁺, I = tadj·gbar n (v − e); α = 0.01·cai (1/ms, cai in mM), β = 0.02."""
    return Channel(
        name="KCa",
        gates=(Gate("n", 1, alpha="0.01 * cai", beta=0.02),),
        gbar=gbar, e=e, ion="k", temperature=_RULE,
        provenance=_prov("kca.mod", "Ra 0.01, Rb 0.02, caix 1."),
        description="Mainen & Sejnowski 1996 Ca-activated K+ (n, Ca-dependent)")


def ca(gbar: float = 0.03) -> Channel:
    """High-voltage Ca²⁺ (Reuveni et al. 1993 rates), I = tadj·gbar m²h (v − E_Ca,Nernst)."""
    return Channel(
        name="CaH",
        gates=REUVENI_GATES,
        gbar=gbar, e="nernst", ion="ca", temperature=_RULE,
        provenance=_prov("ca.mod", "eca from the cad pool (Nernst)."),
        description="Mainen & Sejnowski 1996 HVA Ca2+ (m2h)")
