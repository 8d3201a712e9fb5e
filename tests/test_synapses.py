"""Synaptic conductances and spike sources, against exact solutions and distributions. NEURON's
ExpSyn/Exp2Syn/NetStim are compared in test_synapses_neuron.py."""

import numpy as np
import pytest
from scipy import stats

import ionzoo as iz
from ionzoo.errors import ValidationError
from ionzoo.model import synapses as syn
from ionzoo.synaptic_input import _generate

PASSIVE = iz.Neuron(channels=(iz.channels.Channel("leak", gbar=0.1, e=-65.0),), v_init=-65.0)


def _g(stim, t_stop=30.0, dt=0.025, cell=PASSIVE):
    res = iz.simulate(cell, stim, t_stop=t_stop, dt=dt, method="backward_euler",
                      record=["syn.g", "syn.i", "v"])
    return res.t, res.dataset["syn.g"].values, res


def test_exp_conductance_is_the_exact_sum_of_exponentials():
    """Events at 2.0, 2.01 and 7.3 ms: g at every sample equals Σ w·exp(−(t − tₖ′)/τ) with tₖ′
    the start of the step whose midpoint first reaches tₖ (the delivery rule), to 1e-12."""
    events = np.array([2.0, 2.01, 7.3])
    t, g, _ = _g(syn.exp(3.0, 0.0, 0.4, syn.times(events)))
    dt = 0.025
    delivered = np.ceil((events - dt / 2) / dt - 1e-9) * dt
    exact = sum(0.4 * np.exp(-(t - d) / 3.0) * (t > d + 1e-12) for d in delivered)
    np.testing.assert_allclose(g, exact, rtol=0, atol=1e-12)


def test_exp2_peak_equals_the_weight_and_follows_the_difference_of_exponentials():
    """One event: g(t) = w·f·(e^(−t/τd) − e^(−t/τr)) from its delivery, peak w at
    t_p = τr·τd/(τd − τr)·ln(τd/τr) (dt = 0.001 ms: the sampled peak within 1e-6 of w)."""
    dt = 0.001
    t, g, _ = _g(syn.exp2(0.5, 5.0, 0.0, 0.25, syn.times([1.0])), t_stop=20.0, dt=dt)
    d = 1.0
    f = syn.exp2_factor(0.5, 5.0)
    exact = 0.25 * f * (np.exp(-(t - d) / 5.0) - np.exp(-(t - d) / 0.5)) * (t > d + 1e-12)
    np.testing.assert_allclose(g, exact, rtol=0, atol=1e-12)
    assert abs(g.max() - 0.25) < 1e-6
    tp = 0.5 * 5.0 / 4.5 * np.log(10.0)
    assert abs(t[np.argmax(g)] - d - tp) <= dt


def test_synaptic_current_is_conductance_times_driving_force():
    _, g, res = _g(syn.exp(3.0, -80.0, 0.4, syn.times([2.0])))
    v = res.v.values
    np.testing.assert_allclose(res.dataset["syn.i"].values, g * (v + 80.0), rtol=1e-12)
    assert np.all(v <= -65.0 + 1e-12)  # an inhibitory reversal below rest hyperpolarises


def test_synapses_sum_with_current_steps_and_with_each_other():
    a = syn.exp(3.0, 0.0, 0.2, syn.times([5.0]), name="ampa")
    b = syn.exp(10.0, -80.0, 0.3, syn.times([15.0]), name="gaba")
    res = iz.simulate(PASSIVE, iz.stimulus.step(1.0, 0.0) + a + b, t_stop=30.0,
                      record=["ampa.g", "gaba.g", "i_stim"])
    assert res.dataset["ampa.g"].max() > 0 and res.dataset["gaba.g"].max() > 0
    assert np.all(res.dataset["i_stim"].values[1:] == 1.0)
    with pytest.raises(ValidationError, match="taken"):
        iz.simulate(PASSIVE, syn.exp(3.0, 0.0, 0.2, syn.times([5.0]), name="leak"), t_stop=1)
    with pytest.raises(ValidationError, match="taken"):
        iz.simulate(PASSIVE, a + syn.exp(3.0, 0.0, 0.2, syn.times([5.0]), name="ampa"),
                    t_stop=1)


def test_poisson_counts_and_intervals_follow_their_distributions():
    """200 trains of 20 Hz over 10 s (seeds 0…199): counts against Poisson(200) by a χ² test on
    pooled bins, and the pooled intervals against Exp(50 ms) by Kolmogorov–Smirnov; each at
    α = 0.001 (with the fixed seeds the outcome is fixed: measured p = 0.37 and 0.57)."""
    trains = [_generate("poisson", 20.0, s, 0.0, 10_000.0) for s in range(200)]
    counts = np.array([len(x) for x in trains])
    edges = [0, 180, 190, 200, 210, 220, np.inf]
    observed = np.histogram(counts, bins=edges)[0]
    cdf = stats.poisson(200).cdf(np.array(edges[1:-1]) - 1)
    expected = np.diff(np.concatenate([[0.0], cdf, [1.0]])) * len(counts)
    assert stats.chisquare(observed, expected).pvalue > 1e-3
    isi = np.concatenate([np.diff(np.concatenate([[0.0], x])) for x in trains])
    assert stats.kstest(isi, "expon", args=(0, 50.0)).pvalue > 1e-3


def test_regular_trains_are_exact():
    np.testing.assert_allclose(_generate("regular", 40.0, 0, 3.31, 103.0),
                               3.31 + 25.0 * np.arange(4), rtol=0, atol=1e-12)


def test_the_same_seed_gives_the_same_train_anywhere_in_the_batch():
    """Seeds as a batch dimension; the neuron of seed 7 is bit-identical in a batch of eight
    copies, at place 7 of 100 or place 92 of the reversed 100, and with 1 or 2 threads. (Batches
    below eight neurons run the scalar kernel, whose rounding differs from the vectorised one by
    ~1e-11 mV with or without synapses.)"""
    import numba

    def run(seeds, threads=2):
        numba.set_num_threads(threads)
        try:
            stim = iz.stimulus.step(2.0) + syn.exp2(0.5, 5.0, 0.0, 0.3,
                                                     syn.poisson(50.0, seed=seeds))
            return iz.simulate(iz.models.hh1952(), stim, t_stop=300.0, record="v").v.values
        finally:
            numba.set_num_threads(numba.config.NUMBA_NUM_THREADS)

    copies = run(np.full(8, 7.0))
    alone = copies[0]
    assert all(np.array_equal(x, alone) for x in copies)
    many = np.arange(100.0)
    forward = run(many)
    backward = run(many[::-1])
    np.testing.assert_array_equal(forward[7], alone)
    np.testing.assert_array_equal(backward[92], alone)
    np.testing.assert_array_equal(run(many, threads=1)[7], alone)
    assert not np.array_equal(forward[7], forward[8])


def test_trains_per_neuron_from_a_dataarray():
    import xarray as xr

    trains = xr.DataArray([[2.0, 10.0, np.nan], [4.0, np.nan, np.nan]], dims=("cell", "spike"),
                          coords={"cell": ["a", "b"]})
    res = iz.simulate(PASSIVE, syn.exp(3.0, 0.0, 0.4, syn.times(trains)), t_stop=20.0,
                      record="syn.g")
    g = res.dataset["syn.g"]
    assert g.dims == ("cell", "time")
    first = g.time.values[np.argmax(g.values > 0, axis=1)]
    np.testing.assert_allclose(first, [2.025, 4.025])


@pytest.mark.parametrize("make, field", [
    (lambda: syn.exp(-1.0, 0.0, 0.1, syn.times([1.0])), "stimulus.synapse.exp.tau"),
    (lambda: syn.exp(1.0, 0.0, -0.1, syn.times([1.0])), "stimulus.synapse.exp.weight"),
    (lambda: syn.exp2(5.0, 0.5, 0.0, 0.1, syn.times([1.0])), "stimulus.synapse.exp2.tau_rise"),
    (lambda: syn.exp2(5.0, 5.0, 0.0, 0.1, syn.times([1.0])), "stimulus.synapse.exp2.tau_rise"),
    (lambda: syn.poisson(0.0), "stimulus.synapse.rate"),
    (lambda: syn.poisson(-5.0), "stimulus.synapse.rate"),
    (lambda: syn.poisson(10.0, seed=1.5), "stimulus.synapse.seed"),
    (lambda: syn.regular(1e9), "stimulus.synapse.rate"),
    (lambda: syn.times([3.0, 1.0]), "stimulus.synapse.times"),
    (lambda: syn.times([1.0, np.nan]), "stimulus.synapse.times"),
    (lambda: syn.exp(1.0, 0.0, 0.1, [1.0, 2.0]), "stimulus.synapse.exp.spikes"),
    (lambda: syn.exp(1.0, 0.0, 0.1, syn.times([1.0]), name="bad name"),
     "stimulus.synapse.exp.name"),
])
def test_bad_synapses_are_refused_by_name(make, field):
    with pytest.raises(ValidationError) as err:
        make()
    assert err.value.field == field


def test_batched_time_constants_are_checked_after_broadcasting():
    import xarray as xr

    with pytest.raises(ValidationError, match="shorter than tau_decay"):
        syn.exp2([0.5, 6.0], 5.0, 0.0, 0.1, syn.times([1.0]))
    rise = xr.DataArray([0.5, 6.0], dims="rise")
    decay = xr.DataArray([5.0, 10.0], dims="decay")  # 6 ms rise with 5 ms decay: only in the grid
    s = syn.exp2(rise, decay, 0.0, 0.1, syn.times([1.0]))
    with pytest.raises(ValidationError, match="shorter than tau_decay"):
        iz.simulate(PASSIVE, s, t_stop=5.0)


def test_the_adaptive_solver_refuses_events():
    with pytest.raises(ValidationError) as err:
        iz.simulate(PASSIVE, syn.exp(1.0, 0.0, 0.1, syn.times([1.0])), t_stop=5.0,
                    method="adaptive")
    assert err.value.field == "solver"


@pytest.mark.parametrize("dt", [0.025, 0.1])
def test_alpha_conductance_is_exact_at_any_step(dt):
    """Events at 1 and 4 ms: g = Σ w·((t − tₖ′)/τ)·e^(1 − (t − tₖ′)/τ) from each delivery (the
    pair of states is advanced exactly), to 1e-13; a single event peaks at w at t = τ."""
    t, g, _ = _g(syn.alpha(2.0, 0.0, 0.3, syn.times([1.0, 4.0])), t_stop=20.0, dt=dt)
    exact = 0.0
    for te in (1.0, 4.0):
        d = np.ceil((te - dt / 2) / dt - 1e-9) * dt
        exact = exact + 0.3 * ((t - d) / 2.0) * np.exp(1 - (t - d) / 2.0) * (t > d)
    np.testing.assert_allclose(g, exact, rtol=0, atol=1e-13)
    t1, g1, _ = _g(syn.alpha(2.0, 0.0, 0.3, syn.times([1.0])), t_stop=20.0, dt=dt)
    assert abs(g1.max() - 0.3) < 1e-12 and abs(t1[np.argmax(g1)] - (1.0 + 2.0)) <= dt


def test_run_command_with_synapses_and_noise_matches_the_python_api():
    import json
    import subprocess
    import sys
    from pathlib import Path

    exe = Path(sys.executable).with_name("ionzoo")
    proc = subprocess.run([str(exe), "run", "hh1952", "--current", "1", "--t-stop", "300",
                           "--method", "backward_euler", "--json", "--synapse",
                           "exp2:tau_rise=0.5,tau_decay=5,e=0,weight=0.3,rate=80,seed=1",
                           "--noise", "ou:sigma=1,tau=5,seed=2"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    got = json.loads(proc.stdout)["neurons"][0]["spike_times_ms"]
    from ionzoo.noise import ou_current

    stim = (iz.stimulus.step(1.0) + syn.exp2(0.5, 5.0, 0.0, 0.3, syn.poisson(80.0, seed=1))
            + ou_current(0.0, 1.0, 5.0, seed=2))
    res = iz.simulate(iz.models.hh1952(), stim, t_stop=300.0, method="backward_euler")
    assert got == res.spike_trains()[0].tolist() and len(got) > 3
    for bad, needle in ((["--synapse", "exp2:tau_rise=0.5"], "missing"),
                        (["--synapse", "gaba:tau=1"], "unknown kind"),
                        (["--noise", "ou:sigma=1,tau=x"], "not a number")):
        out = subprocess.run([str(exe), "run", "hh1952", *bad], capture_output=True, text=True)
        assert out.returncode == 2 and needle in out.stderr and "Traceback" not in out.stderr
