"""Canonical neuron models, each a function returning a :class:`~ionzoo.Neuron`
(the data live in :mod:`ionzoo.zoo.models`).

Every model can be customised like any neuron (``with_params``, ``with_channel``,
``without_channel``).
"""

from .zoo.models import (
    DEMO_CURRENT,
    REGISTRY,
    connor_stevens,
    hay2011_soma,
    hh1952,
    inap_ik,
    inap_ik_high,
    inap_ik_low,
    morris_lecar,
    morris_lecar_homoclinic,
    morris_lecar_hopf,
    morris_lecar_snlc,
    pospischil,
    prinz_stg,
    traub_miles,
    traub_miles_m,
    wang_buzsaki,
)

__all__ = ["DEMO_CURRENT", "REGISTRY", "hh1952", "hay2011_soma", "pospischil", "wang_buzsaki",
           "traub_miles", "traub_miles_m", "connor_stevens", "morris_lecar", "morris_lecar_hopf",
           "morris_lecar_snlc", "morris_lecar_homoclinic", "inap_ik", "inap_ik_high",
           "inap_ik_low", "prinz_stg"]
