"""ionzoo's fixed-step methods against NEURON running the same HH kinetics.

NEURON (``pip install neuron``) uses its built-in ``hh`` with ``usetable_hh = 0`` (exact rates),
``el_hh`` set to ionzoo's leak, a 1e5 µm² compartment (so 1 nA ≡ 1 µA/cm²), IClamp from t = 0.
``secondorder = 0`` is backward Euler, ``2`` Crank–Nicolson. The schemes are the same, so only
rounding may differ: spike times must agree to < 1e-6 ms over 1000 ms. Measured: ≤ 4e-11 ms.
"""

import numpy as np
import pytest
from neuron import h  # a declared test dependency: a missing NEURON fails, never skips

import ionzoo as iz

pytestmark = pytest.mark.neuron

h.load_file("stdrun.hoc")


def run_neuron(secondorder: int, dt: float, amp: float, tstop: float, el: float) -> np.ndarray:
    sec = h.Section(name="soma")
    sec.L = sec.diam = float(np.sqrt(1e5 / np.pi))
    sec.nseg = 1
    sec.cm = 1.0
    sec.insert("hh")
    h.usetable_hh = 0
    for seg in sec:
        seg.hh.el = el
    h.celsius = 6.3
    stim = h.IClamp(sec(0.5))
    stim.delay, stim.dur, stim.amp = 0.0, 1e9, amp
    vec = h.Vector()
    vec.record(sec(0.5)._ref_v)
    h.secondorder = secondorder
    h.dt = dt
    h.steps_per_ms = 1.0 / dt
    h.finitialize(-65.0)
    pc = h.ParallelContext()
    pc.set_maxstep(10)
    pc.psolve(tstop)
    assert abs(sec(0.5).area() - 1e5) < 1e-6
    return np.array(vec)


def crossings(v: np.ndarray, dt: float, thr: float = 0.0) -> np.ndarray:
    i = np.nonzero((v[:-1] < thr) & (v[1:] >= thr))[0]
    return i * dt + dt * (thr - v[i]) / (v[i + 1] - v[i])


@pytest.mark.parametrize("dt", [0.025, 0.01])
@pytest.mark.parametrize("method, secondorder", [("backward_euler", 0), ("crank_nicolson", 2)])
def test_spike_times_match_neuron(method, secondorder, dt):
    v_nrn = run_neuron(secondorder, dt, 10.0, 1000.0, -54.387)
    res = iz.simulate(iz.models.hh1952(), iz.stimulus.step(10.0), t_stop=1000.0, dt=dt,
                      method=method)
    s_nrn = crossings(v_nrn, dt)
    s_iz = res.spike_trains()[0]
    assert len(s_nrn) == len(s_iz) >= 68
    assert np.max(np.abs(s_nrn - s_iz)) < 1e-6
    n = min(len(v_nrn), res.v.size)
    assert np.max(np.abs(v_nrn[:n] - res.v.values[:n])) < 1e-6  # mV


def test_neuron_leak_convention_matches_neuron_default():
    """ionzoo's leak="neuron" (EL = −54.3 mV) against NEURON's default el_hh, at 7 µA/cm²."""
    v_nrn = run_neuron(2, 0.025, 7.0, 500.0, -54.3)
    res = iz.simulate(iz.models.hh1952(leak="neuron"), iz.stimulus.step(7.0), t_stop=500.0,
                      dt=0.025, record=None)
    s_nrn, s_iz = crossings(v_nrn, 0.025), res.spike_trains()[0]
    assert len(s_nrn) == len(s_iz) > 5
    assert np.max(np.abs(s_nrn - s_iz)) < 1e-6
