"""The squid-axon channels of Hodgkin & Huxley (1952), modern sign convention.

Source: A. L. Hodgkin & A. F. Huxley (1952) "A quantitative description of membrane current and
its application to conduction and excitation in nerve", J Physiol 117:500–544 (eqs. 7, 12, 13,
20, 21, 23, 24, 26; Table 3). The rate functions are written exactly as in NEURON's built-in
mechanism ``hh`` (neuronsimulator/nrn, ``src/nrnoc/hh.mod``, S. W. Jaslove 1992): resting
potential near −65 mV, depolarisation positive, rates in 1/ms at 6.3 °C, and
φ(T) = 3^((T − 6.3)/10) multiplying every rate (conductances unchanged).

=========  =====================================  ======================================
gate       α (1/ms)                               β (1/ms)
=========  =====================================  ======================================
m (Na, ³)  0.1 (v+40)/(1 − exp(−(v+40)/10))       4 exp(−(v+65)/18)
h (Na, ¹)  0.07 exp(−(v+65)/20)                   1/(1 + exp(−(v+35)/10))
n (K, ⁴)   0.01 (v+55)/(1 − exp(−(v+55)/10))      0.125 exp(−(v+65)/80)
=========  =====================================  ======================================

α_m and α_n are exp-linear: α_m(−40 mV) = 1.0 /ms and α_n(−55 mV) = 0.1 /ms exactly.
"""

from __future__ import annotations

from ...model.channel import Q10, Channel, Gate, Provenance
from ...model.rates import ExpLinearRate, ExpRate, SigmoidRate

__all__ = ["na", "k", "leak", "EL_HH1952", "EL_NEURON"]

_CITATION = ("Hodgkin AL, Huxley AF (1952) J Physiol 117:500-544, "
             "doi:10.1113/jphysiol.1952.sp004764")
_MODFILE = "neuronsimulator/nrn src/nrnoc/hh.mod (NEURON built-in 'hh')"

#: Leak reversal of HH's Table 3 (10.613 mV above rest), mV.
EL_HH1952 = -54.387
#: Leak reversal in NEURON's ``hh.mod`` (rounded), mV.
EL_NEURON = -54.3

_RULE = Q10(q10=3.0, reference=6.3)


def na(gbar: float = 120.0, e: float = 50.0) -> Channel:
    """HH transient sodium current, I = gbar·m³h·(v − e); gbar in mS/cm², e in mV (NEURON ena)."""
    return Channel(
        name="Na",
        gates=(
            Gate("m", 3, alpha=ExpLinearRate(1.0, -40.0, 10.0), beta=ExpRate(4.0, -65.0, -18.0)),
            Gate("h", 1, alpha=ExpRate(0.07, -65.0, -20.0), beta=SigmoidRate(1.0, -35.0, 10.0)),
        ),
        gbar=gbar, e=e, ion="na", temperature=_RULE,
        provenance=Provenance(_CITATION, _MODFILE,
                              "ENa = +50 mV is NEURON's default ena; "
                              "Q10 = 3 from 6.3 °C on rates."),
        description="Hodgkin-Huxley squid axon transient Na+ (m3h)",
    )


def k(gbar: float = 36.0, e: float = -77.0) -> Channel:
    """HH delayed-rectifier potassium current, I = gbar·n⁴·(v − e); mS/cm², mV (NEURON ek)."""
    return Channel(
        name="K",
        gates=(Gate("n", 4, alpha=ExpLinearRate(0.1, -55.0, 10.0),
                    beta=ExpRate(0.125, -65.0, -80.0)),),
        gbar=gbar, e=e, ion="k", temperature=_RULE,
        provenance=Provenance(_CITATION, _MODFILE,
                              "EK = -77 mV is NEURON's default ek; Q10 = 3 from 6.3 °C on rates."),
        description="Hodgkin-Huxley squid axon delayed-rectifier K+ (n4)",
    )


def leak(gbar: float = 0.3, e: float = EL_HH1952) -> Channel:
    """HH leak, I = gbar·(v − e); gbar in mS/cm², e in mV (−54.387 HH Table 3; −54.3 hh.mod)."""
    return Channel(
        name="leak", gbar=gbar, e=e,
        provenance=Provenance(_CITATION, _MODFILE,
                              "EL = -54.387 mV (HH Table 3: 10.613 mV above rest); "
                              "hh.mod uses el_hh = -54.3 mV."),
        description="Hodgkin-Huxley leak",
    )
