"""Voltage clamps against NEURON's built-in ``SEClamp`` on its ``hh`` (rate tables off).

* The ideal clamp (ionzoo.clamp.voltage_clamp) is SEClamp's limit rs → 0: at rs = 1e-12 MΩ
  under backward Euler the sodium, potassium and leak currents agree within 1e-6 µA/cm²
  (measured ≤ 1.6e-7; the difference shrinks in proportion to rs: 4.8e-5 at 1e-9 MΩ). NEURON
  records a current at t from the step that ends at t, ionzoo's ideal clamp at the states at t:
  the series are one sample apart. (Crank–Nicolson is unusable at so small an rs in NEURON: the
  stiff clamp conductance makes its update alternate in sign.) SEClamp's own i = (vc − v)/rs
  is rounding noise at that rs and is not compared.
* The series-resistance clamp (ionzoo.clamp.series_clamp) at rs 10, 1 and 0.1 MΩ, both
  schemes, dt 0.025 and 0.01: v within 1e-9 mV at every step (measured ≤ 4e-11) and the clamp
  current within 1e-9 nA at every sample except the one right after a command edge that falls
  in the second half of a step (NEURON computes i with the command of the step's midpoint,
  ionzoo's recorded i with the command at the sample time).
"""

import numpy as np
import pytest

import ionzoo as iz
from ionzoo import clamp
from ionzoo.interop.neuron_runner import _section

pytestmark = pytest.mark.neuron

AREA = 1e5  # µm²
EDGE_ON, EDGE_OFF = 1.013, 21.013  # ms: not on a step boundary or a midpoint


def neuron_seclamp(level, rs, method, dt, t_stop, dur1=EDGE_ON, level2=-80.0, dur3=1e9):
    from neuron import h

    h.load_file("stdrun.hoc")
    sec = _section(h, AREA, 1.0)
    sec.insert("hh")
    h.usetable_hh = 0
    h.celsius = 6.3
    c = h.SEClamp(sec(0.5))
    c.rs = rs
    c.dur1, c.amp1, c.dur2, c.amp2, c.dur3, c.amp3 = dur1, -80.0, 20.0, level, dur3, level2
    rec = {k: h.Vector() for k in ("i", "v", "ina", "ik", "il")}
    rec["i"].record(c._ref_i)
    rec["v"].record(sec(0.5)._ref_v)
    rec["ina"].record(sec(0.5)._ref_ina)
    rec["ik"].record(sec(0.5)._ref_ik)
    rec["il"].record(sec(0.5).hh._ref_il)
    h.secondorder = 2 if method == "crank_nicolson" else 0
    h.dt, h.steps_per_ms = dt, 1.0 / dt
    h.finitialize(-80.0)
    h.continuerun(t_stop)
    out = {k: np.array(x) for k, x in rec.items()}
    del c, sec
    return out


@pytest.mark.parametrize("level", [-40.0, 0.0, 40.0])
def test_ideal_clamp_is_seclamps_limit(level):
    nrn = neuron_seclamp(level, 1e-12, "backward_euler", 0.01, 21.0, dur1=1.0)
    cell = iz.models.hh1952(leak="neuron")
    res = clamp.voltage_clamp(cell, iz.stimulus.step(level + 80.0, 1.0, 21.0), hold=-80.0,
                              t_stop=21.0, dt=0.01)
    window = slice(103, 2095)  # away from the command edges
    for ours, theirs in (("Na.i", "ina"), ("K.i", "ik"), ("leak.i", "il")):
        diff = np.abs(nrn[theirs][1:] * 1000.0 - res[ours].values[:-1])  # mA/cm² -> µA/cm²
        assert diff[window].max() < 1e-6


def _against_seclamp(stim, nrn: dict, method: str, dt: float, t_stop: float) -> np.ndarray:
    """ionzoo's HH cell under ``stim`` against NEURON's recording ``nrn``: v within 1e-9 mV at
    every step, the clamp current within 1e-9 nA except at the sample right after a command
    edge that falls in the second half of a step. Returns ionzoo's clamp current (nA)."""
    cell = iz.Neuron(channels=iz.models.hh1952(leak="neuron").channels, v_init=-80.0,
                     area=AREA, temperature=6.3)
    res = iz.simulate(cell, stim, t_stop=t_stop, dt=dt, method=method, stabilize=False,
                      record=["v", "seclamp.i"])
    assert np.max(np.abs(res.v.values - nrn["v"])) < 1e-9
    i = res.dataset["seclamp.i"].values * AREA / 1e5  # µA/cm² -> nA
    skip = np.zeros(res.t.size, dtype=bool)
    for edge in (EDGE_ON, EDGE_OFF):
        k = int(np.ceil(edge / dt - 1e-9))  # the first sample after the edge
        if edge > (k - 0.5) * dt:  # the edge lies in the second half of its step
            skip[k] = True
    assert np.max(np.abs(i - nrn["i"])[~skip]) < 1e-9
    return i


@pytest.mark.parametrize("dt", [0.025, 0.01])
@pytest.mark.parametrize("method", ["backward_euler", "crank_nicolson"])
@pytest.mark.parametrize("rs", [10.0, 1.0, 0.1])
def test_series_clamp_matches_seclamp(rs, method, dt):
    nrn = neuron_seclamp(0.0, rs, method, dt, 30.0)
    _against_seclamp(clamp.series_clamp(0.0, EDGE_ON, EDGE_OFF, hold=-80.0, rs=rs), nrn,
                     method, dt, 30.0)


@pytest.mark.parametrize("method", ["backward_euler", "crank_nicolson"])
def test_series_clamp_prepulse_and_test_pulse_match_seclamps_three_levels(method):
    """A prepulse to −40 mV, then a test pulse to 0 mV, through 1 MΩ (SEClamp's amp1/amp2/amp3;
    the run ends before NEURON's clamp would switch off after dur3): the same agreement as for
    one step."""
    nrn = neuron_seclamp(-40.0, 1.0, method, 0.025, 40.0, level2=0.0, dur3=100.0)
    stim = clamp.series_clamp(-40.0, EDGE_ON, EDGE_OFF, hold=-80.0, rs=1.0, level2=0.0)
    i = _against_seclamp(stim, nrn, method, 0.025, 40.0)
    t = np.arange(i.size) * 0.025
    assert np.abs(i[(t > 25.0) & (t < 39.0)]).max() > 0.1  # the test pulse drives a current
    with pytest.raises(iz.ValidationError, match="stop2"):
        clamp.series_clamp(0.0, 1.0, 5.0, stop2=10.0)
