"""Ornstein–Uhlenbeck inputs: the exact update (against a NumPy recursion on the same normal
numbers), the stationary statistics (mean, variance, autocorrelation within 3 standard errors
of the exact values: a false-failure rate of about 0.3 % per check for random seeds; with the
fixed seeds here the outcome is fixed), the point-conductance currents, and reproducibility."""

import numpy as np
import pytest

import ionzoo as iz
from ionzoo.backends.numba.fastmath import _gauss
from ionzoo.errors import ValidationError
from ionzoo.noise import destexhe2001, ou_current, point_conductance

PASSIVE = iz.Neuron(channels=(iz.channels.Channel("leak", gbar=0.1, e=-65.0),), v_init=-65.0)


def test_ou_update_is_the_exact_gillespie_step():
    """x_{n+1} = μ + (x_n − μ)·a + σ·√(1 − a²)·ξ_n with a = e^(−dt/τ) and ξ_n the counter-based
    normal of (seed, stream 1, step n); x_0 = μ. Every sample to 1e-12."""
    mu, sigma, tau, seed, dt = 0.5, 2.0, 3.0, 11, 0.025
    res = iz.simulate(PASSIVE, ou_current(mu, sigma, tau, seed), t_stop=50.0, dt=dt,
                      method="backward_euler", record="noise.i")
    got = res.dataset["noise.i"].values
    a = np.exp(-dt / tau)
    x = np.empty(got.size)
    x[0] = mu
    for n in range(got.size - 1):
        x[n + 1] = mu + (x[n] - mu) * a + sigma * np.sqrt(1 - a * a) * _gauss(seed, 1, n)
    np.testing.assert_allclose(got, x, rtol=0, atol=1e-12)


@pytest.mark.parametrize("dt", [0.1, 0.01])
def test_ou_stationary_statistics(dt):
    """400 neurons (seeds 0…399), τ = 5 ms, sampled every 50 ms (10 τ, correlation e^(−10))
    after 50 ms: 40 samples each, 16 000 in all. Mean within 3 SE (σ/√n) of μ, variance within
    3 SE (σ²·√(2/n)) of σ², and the correlation at lag τ within 3 SE ((1 − ρ²)/√n) of e^(−1) —
    at dt = 0.1 and 0.01 ms alike (the update is exact at any step)."""
    mu, sigma, tau = -1.0, 1.5, 5.0
    seeds = np.arange(400.0)
    every = int(round(tau / dt))
    res = iz.simulate(PASSIVE, ou_current(mu, sigma, tau, seeds), t_stop=2050.0, dt=dt,
                      method="backward_euler", record="noise.i", record_every=every)
    x = res.dataset["noise.i"].values[:, 10:]          # from 50 ms, one sample per τ
    lead, lag = x[:, :-1:10].ravel(), x[:, 1::10].ravel()  # pairs τ apart, 10 τ between pairs
    n = lead.size
    assert n >= 16000
    assert abs(lead.mean() - mu) < 3 * sigma / np.sqrt(n)
    assert abs(lead.var() - sigma**2) < 3 * sigma**2 * np.sqrt(2.0 / n)
    rho = np.corrcoef(lead, lag)[0, 1]
    assert abs(rho - np.exp(-1.0)) < 3 * (1 - np.exp(-2.0)) / np.sqrt(n)


def test_noise_is_reproducible_anywhere_in_the_batch(monkeypatch):
    """The neuron of seed 5 is bit-identical at place 5 of 64, place 58 of the reversed 64,
    with 1 thread, and with the run cut into kernel calls of a few steps."""
    import numba

    import ionzoo.solvers.fixed as fixed

    def run(seeds, threads=2):
        numba.set_num_threads(threads)
        try:
            stim = iz.stimulus.step(5.0) + ou_current(0.0, 3.0, 2.0, seed=seeds)
            return iz.simulate(iz.models.hh1952(), stim, t_stop=200.0, record="v").v.values
        finally:
            numba.set_num_threads(numba.config.NUMBA_NUM_THREADS)

    seeds = np.arange(64.0)
    reference = run(seeds)[5]
    np.testing.assert_array_equal(run(seeds[::-1])[58], reference)
    np.testing.assert_array_equal(run(seeds, threads=1)[5], reference)
    monkeypatch.setattr(fixed, "CHUNK", 64 * 37)  # 37 steps per kernel call
    np.testing.assert_array_equal(run(seeds)[5], reference)
    assert not np.array_equal(run(seeds)[6], reference)


def test_point_conductance_currents_and_means():
    """I = max(ge, 0)·(v − Ee) + max(gi, 0)·(v − Ei) at every sample (1e-12), and over 100
    neurons × 2 s the mean conductances within 3 SE of ge0 and gi0 (SE from the OU
    correlation time: σ·√(2τ/T) per neuron); the mean v near the conductance-weighted mean of
    the reversals."""
    pc = point_conductance(0.05, 0.01, 2.7, 0.0, 0.15, 0.02, 10.5, -75.0,
                           seed=np.arange(100.0))
    res = iz.simulate(PASSIVE, pc, t_stop=2000.0, dt=0.1, method="backward_euler",
                      record=["v", "pc.ge", "pc.gi", "pc.i"])
    ge, gi, v = (res.dataset[k].values for k in ("pc.ge", "pc.gi", "v"))
    np.testing.assert_allclose(res.dataset["pc.i"].values,
                               np.maximum(ge, 0) * v + np.maximum(gi, 0) * (v + 75.0),
                               rtol=1e-12, atol=1e-12)
    n = ge.shape[0]
    se_e = 0.01 * np.sqrt(2 * 2.7 / 2000.0) / np.sqrt(n)
    se_i = 0.02 * np.sqrt(2 * 10.5 / 2000.0) / np.sqrt(n)
    assert abs(ge[:, 200:].mean() - 0.05) < 3 * se_e * 1.05
    assert abs(gi[:, 200:].mean() - 0.15) < 3 * se_i * 1.05
    # v fluctuates about the conductance-weighted mean of the reversals (−59.17 mV here)
    v_eq = (0.1 * -65.0 + 0.05 * 0.0 + 0.15 * -75.0) / (0.1 + 0.05 + 0.15)
    assert abs(v[:, 200:].mean() - v_eq) < 0.3


def test_destexhe2001_converts_to_densities():
    pc = destexhe2001(34636.0)
    assert pc.ge0 == pytest.approx(0.012 * 1e5 / 34636.0)
    assert pc.gi0 == pytest.approx(0.057 * 1e5 / 34636.0)
    assert (pc.tau_e, pc.tau_i, pc.e_e, pc.e_i) == (2.728, 10.49, 0.0, -75.0)
    with pytest.raises(ValidationError):
        destexhe2001(-1.0)


@pytest.mark.parametrize("make, field", [
    (lambda: ou_current(0.0, 1.0, 0.0), "stimulus.ou_current.tau"),
    (lambda: ou_current(0.0, -1.0, 1.0), "stimulus.ou_current.sigma"),
    (lambda: ou_current(0.0, 1.0, 1.0, seed=0.5), "stimulus.ou_current.seed"),
    (lambda: ou_current(0.0, 1.0, 1.0, seed=-1), "stimulus.ou_current.seed"),
    (lambda: ou_current(0.0, 1.0, 1.0, name="a b"), "stimulus.ou_current.name"),
    (lambda: point_conductance(-0.1, 0.01, 2.7, 0, 0.1, 0.01, 10, -75),
     "stimulus.point_conductance.ge0"),
])
def test_bad_noise_is_refused_by_name(make, field):
    with pytest.raises(ValidationError) as err:
        make()
    assert err.value.field == field


def test_noise_needs_a_fixed_step_solver_and_is_not_a_clamp_command():
    from ionzoo import clamp

    with pytest.raises(ValidationError) as err:
        iz.simulate(PASSIVE, ou_current(0.0, 1.0, 1.0), t_stop=5.0, method="adaptive")
    assert err.value.field == "solver"
    with pytest.raises(ValidationError) as err:
        clamp.voltage_clamp(iz.models.hh1952(), ou_current(0.0, 1.0, 1.0), t_stop=5.0)
    assert err.value.field == "command"


def test_rest_start_with_noise_uses_the_mean():
    """with_initial(v="rest") under an OU current starts at the equilibrium for its mean."""
    cell = iz.models.hh1952().with_initial(v="rest")
    res = iz.simulate(cell, ou_current(3.0, 0.0, 1.0), t_stop=5.0)
    still = iz.simulate(cell, iz.stimulus.step(3.0), t_stop=5.0)
    np.testing.assert_allclose(res.v.values, still.v.values, rtol=0, atol=1e-12)
