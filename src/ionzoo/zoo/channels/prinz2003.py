"""The eight currents of the stomatogastric (STG) model neuron of Prinz, Billimoria & Marder
(2003).

Source: Prinz AA, Billimoria CP, Marder E (2003) "Alternative to hand-tuning
conductance-based models: construction and analysis of databases of model neurons",
J Neurophysiol 90:3998–4015 (doi:10.1152/jn.00641.2003). The kinetics are those of Liu et al.
(1998) with every time constant doubled, and a different H current. No .mod file was published;
the formulas were checked against the public re-implementations sg-s/xolotl
(``c++/conductances/prinz/*.hpp``), joshuaecook/simengine (``ReleaseExamples/PD/pd.dsl``) and
wsphillips/Conductor.jl (``demo/prinz_kinetics.jl``), which agree with each other
(``shared/reference/prinz.md`` §1.3).

Every gate obeys τ dx/dt = x∞ − x with, writing σ(a, b) = 1/(1 + exp((v + a)/b)):

====== ================================ =====================================================
gate   x∞                               τ (ms)
====== ================================ =====================================================
Na m   σ(25.5, −5.29)                   2.64 − 2.52 σ(120, −25)
Na h   σ(48.9, 5.18)                    1.34 σ(62.9, −10) · (1.5 + σ(34.9, 3.6))
CaT m  σ(27.1, −7.2)                    43.4 − 42.6 σ(68.1, −20.5)
CaT h  σ(32.1, 5.5)                     210 − 179.6 σ(55, −16.9)
CaS m  σ(33, −8.1)                      2.8 + 14/(exp((v+27)/10) + exp((v+70)/−13))
CaS h  σ(60, 6.2)                       120 + 300/(exp((v+55)/9) + exp((v+65)/−16))
A m    σ(27.2, −8.7)                    23.2 − 20.8 σ(32.9, −15.2)
A h    σ(56.9, 4.9)                     77.2 − 58.4 σ(38.9, −26.5)
KCa m  Ca/(Ca + 3 µM) · σ(28.3, −12.6)  180.6 − 150.2 σ(46, −22.7)
Kd m   σ(12.3, −11.8)                   14.4 − 12.8 σ(28.3, −19.2)
H m    σ(75, 5.5)                       2/(exp((v+169.7)/−11.6) + exp((v−26.7)/14.3))
====== ================================ =====================================================

Exponents: Na, CaT, CaS and A m³h, KCa and Kd m⁴, H m. Reversals: E_Na = +50, E_K = −80,
E_H = −20, E_leak = −50 mV; the calcium currents use the Nernst potential of the cell's calcium
(:meth:`ionzoo.ions.Calcium.prinz`). Calcium is read in mM here (ionzoo's unit): the KCa
half-activation 3 µM is 0.003 mM. The 2003 model has no temperature dependence (the
temperature enters only through E_Ca). Default conductances are those of the 2003 paper's
Fig. 2C burster (mS/cm²).
"""

from __future__ import annotations

from ...model.channel import Channel, Gate, Provenance

__all__ = ["na", "cat", "cas", "a", "kca", "kd", "h", "leak", "sigma"]

_CITE = "Prinz AA, Billimoria CP, Marder E (2003) J Neurophysiol 90:3998"
_CHECKED = ("no published .mod; checked against sg-s/xolotl c++/conductances/prinz/{name}.hpp, "
            "joshuaecook/simengine SIMENGINE/trunk/ReleaseExamples/PD/pd.dsl and "
            "wsphillips/Conductor.jl demo/prinz_kinetics.jl")


def sigma(a: float, b: float) -> str:
    """The text of σ(v; a, b) = 1/(1 + exp((v + a)/b)) (v in mV)."""
    return f"1 / (1 + exp((v + {a!r}) / ({b!r})))"


def _prov(xolotl_name: str, notes: str = "") -> Provenance:
    return Provenance(_CITE, _CHECKED.format(name=xolotl_name), notes)


def _gate(name: str, power: int, inf: str, tau: str) -> Gate:
    return Gate(name, power, inf=inf, tau=tau)


def na(gbar: float = 100.0, e: float = 50.0) -> Channel:
    """Fast Na⁺, I = gbar m³h (v − e)."""
    return Channel(
        name="Na",
        gates=(_gate("m", 3, sigma(25.5, -5.29), f"2.64 - 2.52 * {sigma(120.0, -25.0)}"),
               _gate("h", 1, sigma(48.9, 5.18),
                     f"1.34 * {sigma(62.9, -10.0)} * (1.5 + {sigma(34.9, 3.6)})")),
        gbar=gbar, e=e, ion="na", temperature=None, provenance=_prov("NaV"),
        description="Prinz 2003 STG fast Na+ (m3h)")


def cat(gbar: float = 0.0) -> Channel:
    """Transient (T-type) Ca²⁺, I = gbar m³h (v − E_Ca,Nernst)."""
    return Channel(
        name="CaT",
        gates=(_gate("m", 3, sigma(27.1, -7.2), f"43.4 - 42.6 * {sigma(68.1, -20.5)}"),
               _gate("h", 1, sigma(32.1, 5.5), f"210 - 179.6 * {sigma(55.0, -16.9)}")),
        gbar=gbar, e="nernst", ion="ca", temperature=None, provenance=_prov("CaT"),
        description="Prinz 2003 STG transient Ca2+ CaT (m3h)")


def cas(gbar: float = 4.0) -> Channel:
    """Slow Ca²⁺, I = gbar m³h (v − E_Ca,Nernst)."""
    return Channel(
        name="CaS",
        gates=(_gate("m", 3, sigma(33.0, -8.1),
                     "2.8 + 14 / (exp((v + 27) / 10) + exp((v + 70) / (-13)))"),
               _gate("h", 1, sigma(60.0, 6.2),
                     "120 + 300 / (exp((v + 55) / 9) + exp((v + 65) / (-16)))")),
        gbar=gbar, e="nernst", ion="ca", temperature=None, provenance=_prov("CaS"),
        description="Prinz 2003 STG slow Ca2+ CaS (m3h)")


def a(gbar: float = 0.0, e: float = -80.0) -> Channel:
    """Transient (A-type) K⁺, I = gbar m³h (v − e)."""
    return Channel(
        name="A",
        gates=(_gate("m", 3, sigma(27.2, -8.7), f"23.2 - 20.8 * {sigma(32.9, -15.2)}"),
               _gate("h", 1, sigma(56.9, 4.9), f"77.2 - 58.4 * {sigma(38.9, -26.5)}")),
        gbar=gbar, e=e, ion="k", temperature=None, provenance=_prov("ACurrent"),
        description="Prinz 2003 STG A-type K+ (m3h)")


def kca(gbar: float = 15.0, e: float = -80.0) -> Channel:
    """Ca²⁺-dependent K⁺, I = gbar m⁴ (v − e); m∞ = cai/(cai + 0.003 mM) · σ(28.3, −12.6)."""
    return Channel(
        name="KCa",
        gates=(_gate("m", 4, f"cai / (cai + 0.003) * {sigma(28.3, -12.6)}",
                     f"180.6 - 150.2 * {sigma(46.0, -22.7)}"),),
        gbar=gbar, e=e, ion="k", temperature=None,
        provenance=_prov("KCa", "The paper's 3 µM half-activation written as 0.003 mM."),
        description="Prinz 2003 STG Ca2+-dependent K+ KCa (m4)")


def kd(gbar: float = 50.0, e: float = -80.0) -> Channel:
    """Delayed-rectifier K⁺, I = gbar m⁴ (v − e)."""
    return Channel(
        name="Kd",
        gates=(_gate("m", 4, sigma(12.3, -11.8), f"14.4 - 12.8 * {sigma(28.3, -19.2)}"),),
        gbar=gbar, e=e, ion="k", temperature=None, provenance=_prov("Kd"),
        description="Prinz 2003 STG delayed-rectifier K+ Kd (m4)")


def h(gbar: float = 0.02, e: float = -20.0) -> Channel:
    """Hyperpolarisation-activated cation current, I = gbar m (v − e)."""
    return Channel(
        name="H",
        gates=(_gate("m", 1, sigma(75.0, 5.5),
                     "2 / (exp((v + 169.7) / (-11.6)) + exp((v - 26.7) / 14.3))"),),
        gbar=gbar, e=e, ion="h", temperature=None,
        provenance=_prov("HCurrent", "Not Liu et al.'s (1998) H current; mackelab/pyloric "
                         "writes the same τ with rounded coefficients."),
        description="Prinz 2003 STG H current (m)")


def leak(gbar: float = 0.03, e: float = -50.0) -> Channel:
    """Leak, I = gbar (v − e), e = −50 mV."""
    return Channel("leak", gbar=gbar, e=e, provenance=Provenance(_CITE),
                   description="Prinz 2003 STG leak")
