"""A single compartment with the somatic mechanisms of the Hay et al. (2011) layer-5 pyramidal
cell (ModelDB 139653, ``models/L5PCbiophys3.hoc``, ``forsec somatic``).

Densities (mS/cm²): NaTa_t 500 (see below), Nap_Et2 1.72, K_Pst 2.23, K_Tst 81.2, SKv3_1 693,
SK_E2 44.1, Ca_HVA 0.992, Ca_LVAst 3.43, Ih 0.2, leak (``pas``) 0.0338 with e_pas = −90 mV;
ek = −85, ena = +50, ehcn = −45 mV; cm = 1 µF/cm²; CaDynamics_E2 with the somatic γ = 0.000501
and decay 460 ms (depth 0.1 µm, minCai 1e-4 mM); 34 °C (the Nernst potential of calcium uses
it; the channels' own factor is hard-coded); v_init = −80 mV.

Difference on purpose: NaTa_t is 0.5 S/cm² instead of the somatic 2.04 S/cm². In one
compartment, without the axon and dendrites that share the current in the full cell, the full
density fires irregularly: spike times move by 0.1–0.4 ms when v_init moves by 1e-8 mV. At
0.5 S/cm² firing is regular (the same perturbation moves spikes by ≤ 1e-7 ms) and the SK current
(read from the calcium pool) still halves the firing rate.
"""

from __future__ import annotations

from ...model.channel import Channel
from ...model.ions import Calcium
from ...model.neuron import Neuron
from ..channels import hay2011 as ch

__all__ = ["hay2011_soma", "DENSITIES"]

#: Somatic densities of L5PCbiophys3.hoc in mS/cm² (NaTa_t as used here; the file: 2040).
DENSITIES = {"NaTa_t": 500.0, "Nap_Et2": 1.72, "K_Pst": 2.23, "K_Tst": 81.2, "SKv3_1": 693.0,
             "SK_E2": 44.1, "Ca_HVA": 0.992, "Ca_LVAst": 3.43, "Ih": 0.2}


def hay2011_soma() -> Neuron:
    """One compartment with Hay et al.'s (2011) somatic channels and calcium pool (see the
    module docstring): 17 states, calcium feedback through SK_E2."""
    d = DENSITIES
    channels = (ch.nata_t(gbar=d["NaTa_t"]), ch.nap_et2(gbar=d["Nap_Et2"]),
                ch.k_pst(gbar=d["K_Pst"]), ch.k_tst(gbar=d["K_Tst"]),
                ch.skv3_1(gbar=d["SKv3_1"]), ch.sk_e2(gbar=d["SK_E2"]),
                ch.ca_hva(gbar=d["Ca_HVA"]), ch.ca_lvast(gbar=d["Ca_LVAst"]),
                ch.ih(gbar=d["Ih"]),
                Channel("leak", gbar=0.0338, e=-90.0, description="leak (pas)"))
    return Neuron(channels=channels, capacitance=1.0, temperature=34.0, v_init=-80.0,
                  name="hay2011_soma", calcium=Calcium.hay(gamma=0.000501, decay=460.0))
