"""Each canonical model reproduces a published behaviour (stated in each test's docstring).

NEURON cross-checks of these models belong to the NEURON-interchange issue (#5): not done here.
"""

import json
from pathlib import Path

import numpy as np
import pytest

import ionzoo as iz
from ionzoo.models import pospischil

REF = json.loads((Path(__file__).parent / "data" / "pospischil_spikes.json").read_text())


def demo(cell, name, dt=0.01, method="crank_nicolson"):
    amp, t0, t1, t_stop = pospischil.DEMO_STIMULUS[name]
    stim = iz.stimulus.step(float(cell.density(amp)), t0, t1)
    return iz.simulate(cell, stim, t_stop=t_stop, dt=dt, method=method,
                       record=None).spike_trains()[0]


@pytest.mark.parametrize("name, make, tol", [
    ("FS", pospischil.fs, 0.002),
    ("RS", pospischil.rs, 0.002),
    ("IB", pospischil.ib, 0.03),
    ("IBR", pospischil.ibr, 0.015),
    ("LTS", pospischil.lts, 0.05),
])
def test_pospischil_against_the_public_neuron_version(name, make, tol):
    """Spike times of the public NEURON version (OSB PospischilEtAl2008 NEURON_MODIFIED,
    .test.*.spikes.mep, printed to 1 µs) under the same scheme: its test_*_ModelDB.hoc files
    run NEURON's default backward Euler at dt = 0.001 ms from v_init −70 (RS, FS) / −84 mV with
    every gate at its steady state. Measured maxima: RS 0.0004, FS 0.0010, IBR 0.008, IB 0.021,
    LTS 0.037 ms (every spike). The calcium cells keep differences of their files (NEURON_MODIFIED's
    IT has a T activation state with kinetics, where ionzoo's, as the original's, is
    instantaneous; its pool uses cnexp and FARADAY 96485.309); within the issue's 0.05 ms.

    The reference is not the exact solution: at the 5th RS spike, NEURON's and ionzoo's backward
    Euler at dt = 0.001 are 0.31 ms from the adaptive solution (rtol 1e-10), which
    Crank–Nicolson at dt = 0.0005 reproduces to 0.001 ms — the spike after 300 ms of adaptation
    is that sensitive. So the comparison is made at the reference's own scheme."""
    ref = np.array(REF["spike_times_ms"][name])
    got = demo(make(), name, dt=0.001, method="backward_euler")
    assert len(got) == len(ref)
    assert np.max(np.abs(got - ref)) < tol


def test_pospischil_converges_to_the_adaptive_solution():
    """The RS cell's 5th spike (the most sensitive, after 300 ms of adaptation): Crank–Nicolson
    at dt = 0.0005 ms within 0.005 ms of the adaptive reference at rtol 1e-10 (measured 0.0006),
    and backward Euler at dt = 0.001 ms 0.31 ms away (first order: the public reference's own
    error)."""
    cell = pospischil.rs()
    amp, t0, t1, t_stop = pospischil.DEMO_STIMULUS["RS"]
    stim = iz.stimulus.step(float(cell.density(amp)), t0, t1)
    exact = iz.simulate(cell, stim, t_stop=t_stop, method="adaptive", rtol=1e-10, atol=1e-12,
                        record=None).spike_trains()[0]
    cn = demo(cell, "RS", dt=0.0005)
    be = demo(cell, "RS", dt=0.001, method="backward_euler")
    assert len(cn) == len(exact) == len(be) == 5
    assert np.max(np.abs(cn - exact)) < 0.005
    assert 0.2 < abs(be[-1] - exact[-1]) < 0.4


def test_pospischil_firing_classes():
    """Pospischil et al. 2008: RS adapts (ISIs grow), FS does not, IB starts with a burst
    (ISIs < 10 ms) then fires single spikes far apart, LTS fires a low-threshold burst."""
    rs = np.diff(demo(pospischil.rs(), "RS"))
    fs = np.diff(demo(pospischil.fs(), "FS"))
    ib = np.diff(demo(pospischil.ib(), "IB"))
    assert np.all(np.diff(rs) > 0)                        # adaptation
    assert np.ptp(fs) < 0.1                                # regular, no adaptation
    assert np.all(ib[:7] < 11) and np.all(ib[8:] > 250)    # burst, then tonic
    lts = np.diff(demo(pospischil.lts(), "LTS"))
    assert lts[0] < 20                                     # initial doublet/burst


def onset(cell, currents, t_stop=4000.0):
    res = iz.simulate(cell, iz.stimulus.step(currents), t_stop=t_stop, record=None)
    rate = res.firing_rate(start=t_stop / 2).values
    k = int(np.argmax(rate > 0))
    assert rate[k] > 0, "no firing in the current range"
    return currents[k], rate[k], rate


def test_hh_type_ii_onset():
    """Rinzel & Miller (1980); Hendrick: sustained firing from rest starts at 6.26 µA/cm² at a
    finite rate near 50 Hz (type II)."""
    i_c, f_c, _ = onset(iz.models.hh1952(), np.linspace(6.2, 6.35, 61), t_stop=2000.0)
    assert 6.25 <= i_c <= 6.29 and 45 < f_c < 56


def test_wang_buzsaki_type_i():
    """Wang & Buzsáki (1996): class 1 excitability — the rate rises continuously from 0 Hz
    (onset here at 0.165 µA/cm², 3 Hz on a 0.005 µA/cm² grid)."""
    i_c, f_c, rate = onset(iz.models.wang_buzsaki(), np.linspace(0.1, 0.3, 41))
    assert 0.14 < i_c < 0.19 and f_c < 10
    assert rate.max() > 5 * f_c


def test_traub_miles_type_i_and_adaptation():
    """Ermentrout & Kopell (1998), Börgers (2017): the reduced Traub–Miles neuron is type I
    (onset near 0.12 µA/cm² at arbitrarily low rate); with the M-current its ISIs lengthen
    (spike-frequency adaptation, Ermentrout, Pascal & Gutkin 2001)."""
    i_c, f_c, _ = onset(iz.models.traub_miles(), np.linspace(0.05, 0.25, 41))
    assert 0.10 < i_c < 0.15 and f_c < 5
    # Adaptation drives the cell towards its saddle-node, where spike times are sensitive:
    # dt = 0.0025 ms keeps the error below 0.4 ms over 400 ms (measured 0.374 ms, 2nd order).
    s = iz.simulate(iz.models.traub_miles(m_current=True), 1.5, t_stop=400.0, dt=0.0025,
                    record=None).spike_trains()[0]
    isi = np.diff(s)
    assert len(isi) == 10
    assert np.all(np.diff(isi[:5]) > 0) and isi[-1] > 1.4 * isi[0]  # 27 → 40 ms


def test_connor_stevens_low_rate_onset():
    """Connor & Stevens (1971), Dayan & Abbott (2001) Fig. 6.2: the A-current lets the model
    fire at very low rates near threshold (type I)."""
    _, f_c, rate = onset(iz.models.connor_stevens(), np.linspace(7.5, 9.0, 61))
    assert f_c < 5 and rate.max() > 10 * f_c


def test_morris_lecar_sets():
    """Rinzel & Ermentrout (1998): the Hopf set starts firing at a finite rate near
    I ≈ 88 µA/cm² (fold of limit cycles before the subcritical Hopf); the SNLC set at
    I ≈ 40 µA/cm² with a rate that starts from ~0 (saddle-node on invariant circle)."""
    i_h, f_h, _ = onset(iz.models.morris_lecar("hopf"), np.linspace(85.0, 95.0, 41))
    assert 86.0 < i_h < 90.0 and f_h > 5
    i_s, f_s, _ = onset(iz.models.morris_lecar("snlc"), np.linspace(39.0, 41.0, 41))
    assert 39.5 < i_s < 40.5 and f_s < 3


def test_inap_ik_bifurcations():
    """Izhikevich (2007) ch. 6: high-threshold I_Na,p+I_K has a saddle-node on invariant circle
    near I = 4.51 (rate from ~0 Hz); low-threshold has an Andronov–Hopf: the rest state gives way
    to a small oscillation of finite frequency whose amplitude grows with I (below 0 mV here)."""
    i_c, f_c, _ = onset(iz.models.inap_ik("high"), np.linspace(4.45, 4.6, 61), t_stop=2000.0)
    assert 4.45 < i_c < 4.55 and f_c < 10
    res = iz.simulate(iz.models.inap_ik("low"), iz.stimulus.step([10.0, 15.0, 20.0, 30.0]),
                      t_stop=300.0, dt=0.01)
    late = res.v.values[:, -10000:]
    amp = late.max(axis=1) - late.min(axis=1)
    assert amp[0] < 1e-3 and 0.5 < amp[1] < amp[2] < amp[3]
    x = late[1] - late[1].mean()
    crossings = np.count_nonzero((x[:-1] < 0) & (x[1:] >= 0))
    assert crossings / 0.1 > 20  # > 20 Hz at onset: finite frequency


def test_models_are_customisable():
    cell = iz.models.wang_buzsaki().with_params(**{"Na.gbar": [30.0, 35.0]})
    cell = cell.without_channel("leak").with_channel(iz.channels.Channel("leak", gbar=0.1,
                                                                         e=-65.0))
    res = iz.simulate(cell, 1.0, t_stop=100.0, record=None)
    assert res.spike_count.dims == ("Na.gbar",)
