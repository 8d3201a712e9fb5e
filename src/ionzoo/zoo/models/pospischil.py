"""Pospischil et al. (2008) "Minimal Hodgkin–Huxley type models for different classes of
cortical and thalamic neurons", Biol Cybern 99:427–441 — the parameter sets of the public
NEURON code (ModelDB 123623; OpenSourceBrain/PospischilEtAl2008 ``NEURON_ORIG``: templates
``sPY``, ``sIN``, ``sPYb``, ``sPYbr``, ``sPYr`` and the ``demo_*.hoc`` files).

One cylinder with L = d (no end caps): area = π d²; C = 1 µF/cm²; 36 °C (every temperature
factor is 1); Traub–Miles I_Na/I_Kd with V_T = −55 mV; ENa = +50, EK = −100 mV. ``cell.density(I)``
converts the demo currents in nA to µA/cm² (1 nA into 28 953 µm² = 3.4539 µA/cm²).

Initial state: by default every gate starts at its steady state at v_init, as in OSB's public
NEURON version (``NEURON_MODIFIED``, whose spike times ``tests/data/pospischil_spikes.json``
keeps). ``initial="modeldb"`` starts as the files first published in ModelDB (``NEURON_ORIG``):
every gate at 0 (HH_traub sets m = h = n = 0, IM_cortex m = 0, IT_huguenard h = 0, and
IL_gutnick leaves its states at NEURON's default 0), calcium at ``cainf``.

=====  =====  ======  =====  ===  ===  =====  ========================  ===================
cell   d µm   g_leak  E_leak gNa  gKd  gM     other                     demo stimulus
=====  =====  ======  =====  ===  ===  =====  ========================  ===================
RS     96     0.1     −70    50   5    0.07   –                         0.75 nA 300–700 ms
FS     67     0.15    −70    50   10   –      –                         0.5 nA 300–700 ms
IB     96     0.01    −85    50   5    0.03   gL(Ca) 0.17               0.15 nA 500–2500 ms
IBR    96     0.01    −85    50   5    0.03   gL(Ca) 0.22               0.15 nA 500–2500 ms
LTS    96     0.01    −85    50   5    0.03   gT 0.4, Ca pool (1 µm)    0.15 nA 400–800 ms
=====  =====  ======  =====  ===  ===  =====  ========================  ===================

(conductances in mS/cm², voltages in mV; v_init −70 mV for RS/FS, −84 mV for the others.)
"""

from __future__ import annotations

import math

from ...errors import ValidationError
from ...model.channel import Channel
from ...model.ions import Calcium
from ...model.neuron import Neuron
from ..channels import destexhe, traub

__all__ = ["rs", "fs", "ib", "ibr", "lts", "DEMO_STIMULUS"]

#: The demo protocols of the public code: (amplitude nA, start ms, stop ms, t_stop ms).
DEMO_STIMULUS = {"RS": (0.75, 300.0, 700.0, 1000.0), "FS": (0.5, 300.0, 700.0, 1000.0),
                 "IB": (0.15, 500.0, 2500.0, 3000.0), "IBR": (0.15, 500.0, 2500.0, 3000.0),
                 "LTS": (0.15, 400.0, 800.0, 1000.0)}


def _leak(g: float, e: float) -> Channel:
    return Channel("leak", gbar=g, e=e, description="leak")


#: The initial states offered: every gate at x∞(v_init), or as ModelDB 123623's files (0).
INITIAL_STATES = ("steady", "modeldb")


def _cell(name: str, d: float, channels: tuple[Channel, ...], v_init: float,
          initial: str, calcium: Calcium | None = None) -> Neuron:
    cell = Neuron(channels=channels, capacitance=1.0, temperature=36.0, v_init=v_init,
                  name=f"pospischil_{name}", area=math.pi * d * d, calcium=calcium)
    if initial not in INITIAL_STATES:
        raise ValidationError("initial", f"expected one of {INITIAL_STATES}, got {initial!r}")
    if initial == "steady":
        return cell
    gates = [s for s in cell.state_names() if s != "v" and not s.startswith("ca.")]
    return cell.with_initial(dict.fromkeys(gates, 0.0))


def _core(gna: float, gkd: float) -> tuple[Channel, Channel]:
    return (traub.na(gbar=gna, e=50.0, vtraub=-55.0), traub.kd(gbar=gkd, e=-100.0, vtraub=-55.0))


def rs(initial: str = "steady") -> Neuron:
    """Regular spiking pyramidal cell (adapting; M-current). ``initial``: ``"steady"`` (every
    gate at x∞(v_init)) or ``"modeldb"`` (every gate at 0, as ModelDB 123623's files)."""
    return _cell("RS", 96.0, (*_core(50.0, 5.0), destexhe.im(gbar=0.07, e=-100.0),
                              _leak(0.1, -70.0)), -70.0, initial)


def fs(initial: str = "steady") -> Neuron:
    """Fast spiking interneuron (no adaptation)."""
    return _cell("FS", 67.0, (*_core(50.0, 10.0), _leak(0.15, -70.0)), -70.0, initial)


def ib(initial: str = "steady") -> Neuron:
    """Intrinsically bursting cell (L-type Ca²⁺): an initial burst, then tonic spikes."""
    return _cell("IB", 96.0, (*_core(50.0, 5.0), destexhe.im(gbar=0.03, e=-100.0),
                              destexhe.ical(gbar=0.17), _leak(0.01, -85.0)), -84.0, initial)


def ibr(initial: str = "steady") -> Neuron:
    """Repetitively bursting cell (stronger L-type Ca²⁺)."""
    return _cell("IBR", 96.0, (*_core(50.0, 5.0), destexhe.im(gbar=0.03, e=-100.0),
                               destexhe.ical(gbar=0.22), _leak(0.01, -85.0)), -84.0, initial)


def lts(initial: str = "steady") -> Neuron:
    """Low-threshold spiking cell (T-type Ca²⁺ with a calcium pool; rebound bursts)."""
    return _cell("LTS", 96.0, (*_core(50.0, 5.0), destexhe.im(gbar=0.03, e=-100.0),
                               destexhe.it(gbar=0.4, shift=2.0), _leak(0.01, -85.0)), -84.0,
                 initial, calcium=Calcium.destexhe(depth=1.0, tau=5.0, cainf=2.4e-4, cao=2.0))
