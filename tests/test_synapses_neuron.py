"""Synapses against NEURON's own ``ExpSyn``, ``Exp2Syn`` and ``NetStim`` (built-in mechanisms)
on NEURON's ``hh`` (rate tables off), both fixed-step schemes at dt = 0.025 and 0.01 ms over
600 ms: spike times within 1e-6 ms and v within 1e-6 mV (measured ≤ 2e-12 ms and 3e-10 mV).

Weights are densities in ionzoo (mS/cm²) and µS in NEURON: w_µS = w · area(µm²) · 1e-5.
Given and Poisson trains reach NEURON through ``NetCon.event`` at their times.
"""

import numpy as np
import pytest

import ionzoo as iz
from ionzoo.interop.neuron_runner import _section
from ionzoo.model import synapses as syn
from ionzoo.synaptic_input import _generate

pytestmark = pytest.mark.neuron

AREA = 1e5  # µm²
T_STOP = 600.0
WEIGHT = 0.2  # mS/cm²


def neuron_run(kind, events, method, dt, netstim=None):
    from neuron import h

    h.load_file("stdrun.hoc")
    sec = _section(h, AREA, 1.0)
    sec.insert("hh")
    h.usetable_hh = 0
    h.celsius = 6.3
    if kind == "exp":
        target = h.ExpSyn(sec(0.5))
        target.tau, target.e = 3.0, 0.0
    else:
        target = h.Exp2Syn(sec(0.5))
        target.tau1, target.tau2, target.e = 0.5, 5.0, 0.0
    if netstim is not None:
        source = h.NetStim()
        source.start, source.interval, source.number, source.noise = netstim
        nc = h.NetCon(source, target)
        nc.delay = 0.0
    else:
        source = None
        nc = h.NetCon(None, target)
    nc.weight[0] = WEIGHT * AREA * 1e-5

    def put(connection=nc):
        for t in events:
            connection.event(float(t))

    handler = h.FInitializeHandler(put)
    v = h.Vector()
    v.record(sec(0.5)._ref_v)
    h.secondorder = 2 if method == "crank_nicolson" else 0
    h.dt, h.steps_per_ms = dt, 1.0 / dt
    h.finitialize(-65.0)
    h.continuerun(T_STOP)
    out = np.array(v)
    del handler, source, target, sec
    return out


def spikes(v, dt):
    i = np.nonzero((v[:-1] < 0) & (v[1:] >= 0))[0]
    return i * dt + dt * (0 - v[i]) / (v[i + 1] - v[i])


def synapse(kind, spikes_source):
    if kind == "exp":
        return syn.exp(3.0, 0.0, WEIGHT, spikes_source)
    return syn.exp2(0.5, 5.0, 0.0, WEIGHT, spikes_source)


@pytest.mark.parametrize("dt", [0.025, 0.01])
@pytest.mark.parametrize("method", ["backward_euler", "crank_nicolson"])
@pytest.mark.parametrize("kind", ["exp", "exp2"])
@pytest.mark.parametrize("source", ["given", "poisson", "regular"])
def test_synapse_matches_neuron(source, kind, method, dt):
    cell = iz.models.hh1952(leak="neuron")
    if source == "given":  # off-grid times, some closer together than a step
        events = np.sort(np.random.default_rng(3).uniform(0, T_STOP, 70))
        stim, netstim = synapse(kind, syn.times(events)), None
    elif source == "poisson":
        events = _generate("poisson", 60.0, 11, 0.0, T_STOP)
        stim, netstim = synapse(kind, syn.poisson(60.0, seed=11)), None
    else:  # NetStim, noise 0: start 3.31 ms, every 12.5 ms (80 Hz)
        events, netstim = [], (3.31, 12.5, 1e9, 0.0)
        stim = synapse(kind, syn.regular(80.0, start=3.31))
    v_nrn = neuron_run(kind, events, method, dt, netstim)
    res = iz.simulate(cell, stim, t_stop=T_STOP, dt=dt, method=method, stabilize=False)
    s_nrn, s_iz = spikes(v_nrn, dt), res.spike_trains()[0]
    assert len(s_iz) == len(s_nrn) >= 5
    assert np.max(np.abs(s_iz - s_nrn)) < 1e-6
    assert np.max(np.abs(res.v.values - v_nrn)) < 1e-6
