"""The engine against independent references: the adaptive solution, convergence orders,
the resting state, and batch equivalence."""

import numpy as np
import pytest

import ionzoo as iz


def test_adaptive_reference_matches_issue_numbers(hh_adaptive_10):
    """LSODA at rtol = atol = 1e-10: first spike 1.90097 ms and 69 spikes in 1000 ms (given to
    5 decimals, hence the 5e-6 ms tolerance)."""
    assert len(hh_adaptive_10) == 69
    assert hh_adaptive_10[0] == pytest.approx(1.90097, abs=5e-6)


def test_adaptive_reference_is_converged(hh):
    """Tightening the tolerance and switching solver (Radau) moves no spike by > 1e-5 ms."""
    st = iz.stimulus.step(10.0)
    a = iz.simulate(hh, st, t_stop=100, method="adaptive", record=None).spike_trains()[0]
    b = iz.simulate(hh, st, t_stop=100, record=None,
                    solver=iz.Adaptive(method="Radau", rtol=1e-11, atol=1e-11)).spike_trains()[0]
    assert len(a) == len(b) == 7
    assert np.max(np.abs(a - b)) < 1e-5


@pytest.mark.parametrize("solver", [iz.BackwardEuler, iz.CrankNicolson])
def test_convergence_order(hh, solver):
    """Max spike-time error over 200 ms (14 spikes) against the adaptive reference halves (BE) or
    quarters (CN) when dt halves: 0.05 → 0.025 → 0.0125 → 0.00625 ms — the order each solver
    declares. Measured orders were 1.04/1.02/1.01 (BE) and 1.99/2.00/2.00 (CN); the test
    accepts ±0.15."""
    order = solver.order
    st = iz.stimulus.step(10.0)
    ref = iz.simulate(hh, st, t_stop=200, solver=iz.Adaptive(), record=None).spike_trains()[0]
    errs = []
    for dt in (0.05, 0.025, 0.0125, 0.00625):
        s = iz.simulate(hh, st, t_stop=200, solver=solver(dt=dt), record=None).spike_trains()[0]
        assert len(s) == len(ref)
        errs.append(np.max(np.abs(s - ref)))
    orders = np.log2(np.array(errs[:-1]) / np.array(errs[1:]))
    assert np.all(np.abs(orders - order) < 0.15), orders


def test_rest_is_stable_and_gates_bounded(hh):
    """I = 0 from v_init = −65 mV: stays at −65.0 ± 0.1 mV (true rest −64.996), no spike, every
    gate in [0, 1]."""
    gates = ["Na.m", "Na.h", "K.n"]
    res = iz.simulate(hh, None, t_stop=1000, dt=0.025, record=["v", *gates])
    assert int(res.spike_count) == 0
    assert np.all(np.abs(res.v.values + 65.0) < 0.1)
    assert res.v.values[-1] == pytest.approx(-64.9964, abs=1e-3)
    for g in gates:
        vals = res[g].values
        assert np.all((vals >= 0) & (vals <= 1)), g


def test_gates_bounded_during_firing(hh):
    res = iz.simulate(hh, iz.stimulus.step(np.array([10.0, 50.0, 200.0])), t_stop=200,
                      record=["Na.m", "Na.h", "K.n"])
    for g in ("Na.m", "Na.h", "K.n"):
        vals = res[g].values
        assert np.all((vals >= 0) & (vals <= 1)), g


@pytest.mark.parametrize("method", ["backward_euler", "crank_nicolson"])
def test_batch_equals_single_runs(hh, method):
    """A batch of N equals N single runs (spike times and traces to 1e-12)."""
    amps = np.array([0.0, 3.0, 6.5, 10.0, 25.0, 50.0, 120.0])
    temps = np.array([6.3, 18.5])
    cell = hh.with_params(temperature=temps)
    batch = iz.simulate(cell, iz.stimulus.step(amps, start=2.0), t_stop=100, method=method,
                        record=["v", "K.n"])
    assert batch.v.dims == ("temperature", "amplitude", "time")
    for i, temp in enumerate(temps):
        for j, amp in enumerate(amps):
            one = iz.simulate(hh.with_params(temperature=temp), iz.stimulus.step(amp, start=2.0),
                              t_stop=100, method=method, record=["v", "K.n"])
            assert int(one.spike_count) == int(batch.spike_count[i, j])
            np.testing.assert_allclose(one.spike_trains()[0],
                                       batch.spikes[i, j, : int(one.spike_count)], atol=1e-12)
            np.testing.assert_allclose(one.v.values, batch.v.values[i, j], atol=1e-12)
            np.testing.assert_allclose(one["K.n"].values, batch["K.n"].values[i, j], atol=1e-12)


def test_deterministic(hh):
    st = iz.stimulus.step(np.linspace(0, 30, 50))
    a = iz.simulate(hh, st, t_stop=100, record=None)
    b = iz.simulate(hh, st, t_stop=100, record=None)
    assert np.array_equal(a.spikes.values, b.spikes.values, equal_nan=True)


def test_stimuli_against_adaptive(hh):
    """Every stimulus form, summed, under CN at dt = 0.005 vs the adaptive reference: spike times
    within 1e-3 ms (CN error at this dt, see test_convergence_order, is ~1e-4 ms)."""
    st = (iz.stimulus.pulse(15.0, 5.0, 1.0)
          + iz.stimulus.pulse_train(20.0, 20.0, 0.5, 10.0, count=3)
          + iz.stimulus.ramp(12.0, start=60.0, stop=90.0, amplitude_start=2.0)
          + iz.stimulus.waveform(np.array([0.0, 30.0, 0.0]), dt=1.0, start=100.0)
          + iz.stimulus.step(-2.0, start=105.0, stop=110.0))
    ref = iz.simulate(hh, st, t_stop=120, method="adaptive", record=None).spike_trains()[0]
    got = iz.simulate(hh, st, t_stop=120, dt=0.005, record=None).spike_trains()[0]
    assert len(ref) >= 5
    assert len(got) == len(ref)
    assert np.max(np.abs(got - ref)) < 1e-3


def test_stimulus_values():
    """The stimulus forms' values, including edges (µA/cm²)."""
    p = {"amplitude": 2.0, "start": 1.0, "duration": 0.5, "period": 2.0, "count": 2.0}
    train = iz.stimulus.pulse_train(2.0, 1.0, 0.5, 2.0, count=2)
    got = train.evaluate(np.array([0.99, 1.0, 1.49, 1.5, 3.0, 3.49, 5.0]), p)
    np.testing.assert_array_equal(got, [0, 2, 2, 0, 2, 2, 0])
    r = iz.stimulus.ramp(10.0, start=0.0, stop=10.0)
    assert r.evaluate(5.0, {"amplitude_start": 0.0, "amplitude_stop": 10.0, "start": 0.0,
                            "stop": 10.0}) == 5.0
    w = iz.stimulus.waveform([0.0, 4.0], dt=2.0)
    assert w.evaluate(1.0, {"start": 0.0, "scale": 1.0}) == 2.0
