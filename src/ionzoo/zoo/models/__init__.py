"""Canonical neuron models, each a function returning a :class:`~ionzoo.Neuron`.

Every model can be customised like any neuron (``with_params``, ``with_channel``,
``without_channel``).
"""

from collections.abc import Callable

from ...model.neuron import Neuron
from . import pospischil
from .classic import connor_stevens, inap_ik, morris_lecar, traub_miles, wang_buzsaki
from .hay2011 import hay2011_soma
from .hh1952 import hh1952
from .prinz2003 import prinz_stg


def traub_miles_m():
    """Reduced Traub–Miles pyramidal cell with an M-current (adapting)."""
    return traub_miles(m_current=True)


def morris_lecar_hopf():
    """Morris–Lecar, Hopf parameter set (Rinzel & Ermentrout 1998): type II onset."""
    return morris_lecar("hopf")


def morris_lecar_snlc():
    """Morris–Lecar, saddle-node-on-limit-cycle set (Rinzel & Ermentrout 1998): type I."""
    return morris_lecar("snlc")


def morris_lecar_homoclinic():
    """Morris–Lecar, homoclinic set (Rinzel & Ermentrout 1998): bistable onset."""
    return morris_lecar("homoclinic")


def inap_ik_high():
    """Izhikevich (2007) I_Na,p + I_K, high-threshold K: saddle-node on invariant circle."""
    return inap_ik("high")


def inap_ik_low():
    """Izhikevich (2007) I_Na,p + I_K, low-threshold K: Andronov–Hopf."""
    return inap_ik("low")


#: A constant current (µA/cm²) under which each model fires regularly — the demonstration
#: protocol of the tests and docs (the Pospischil cells use their published nA protocols,
#: :data:`ionzoo.models.pospischil.DEMO_STIMULUS`).
DEMO_CURRENT = {"hh1952": 10.0, "wang_buzsaki": 1.0, "traub_miles": 1.5, "traub_miles_m": 1.5,
                "connor_stevens": 10.0, "morris_lecar_hopf": 95.0, "morris_lecar_snlc": 45.0,
                "morris_lecar_homoclinic": 42.0, "inap_ik_high": 6.0, "inap_ik_low": 40.0,
                "hay2011_soma": 20.0, "prinz_stg": 0.0}

#: Registry of model constructors by name (used by the command line).
REGISTRY: dict[str, Callable[[], Neuron]] = {
    "hh1952": hh1952,
    "pospischil_rs": pospischil.rs,
    "pospischil_fs": pospischil.fs,
    "pospischil_ib": pospischil.ib,
    "pospischil_ibr": pospischil.ibr,
    "pospischil_lts": pospischil.lts,
    "wang_buzsaki": wang_buzsaki,
    "traub_miles": traub_miles,
    "traub_miles_m": traub_miles_m,
    "connor_stevens": connor_stevens,
    "morris_lecar_hopf": morris_lecar_hopf,
    "morris_lecar_snlc": morris_lecar_snlc,
    "morris_lecar_homoclinic": morris_lecar_homoclinic,
    "inap_ik_high": inap_ik_high,
    "inap_ik_low": inap_ik_low,
    "hay2011_soma": hay2011_soma,
    "prinz_stg": prinz_stg,
}

__all__ = ["DEMO_CURRENT", "hh1952", "hay2011_soma", "pospischil", "wang_buzsaki",
           "traub_miles", "connor_stevens", "morris_lecar", "inap_ik", "prinz_stg", "REGISTRY"]
