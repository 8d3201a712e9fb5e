"""Activity classes and burst features (``ionzoo.analysis.activity``).

Synthetic spike trains whose bursts are known by construction give exact values (period,
spikes per burst, duration, duty cycle, inter-burst interval); the Prinz Fig. 2C burster's
burst period at the sweep's fixed steps is compared with the adaptive reference run."""

import numpy as np
import pytest

import ionzoo as iz
from ionzoo.analysis.activity import (
    CLASSES,
    FEATURE_NAMES,
    ActivityRules,
    activity,
    activity_of_trains,
)
from ionzoo.errors import ValidationError


def bursts(n_bursts, spikes, intra, period, t0=13.7):
    """Onsets t0 + k·period, ``spikes`` per burst ``intra`` ms apart."""
    return np.concatenate([t0 + k * period + intra * np.arange(spikes)
                           for k in range(n_bursts)])


def one(train, start=0.0, stop=1e9, rules=None):
    times = np.asarray(train, dtype=float)[None, :]
    cls, feats = activity_of_trains(times, [times.shape[1]], start, stop, rules)
    return CLASSES[cls[0]], dict(zip(FEATURE_NAMES, feats[0]))


@pytest.mark.parametrize("spikes,intra,period", [(10, 30.0, 843.0), (2, 8.0, 90.0),
                                                 (37, 4.5, 1500.0)])
def test_regular_bursts_are_measured_exactly(spikes, intra, period):
    cls, f = one(bursts(8, spikes, intra, period))
    assert cls == "regular_bursting"
    assert f["n_bursts"] == 6                              # complete bursts: IBI on both sides
    assert f["spikes_per_burst"] == spikes and f["spikes_per_period"] == spikes
    assert f["period"] == pytest.approx(period, rel=1e-12)
    assert f["burst_period"] == pytest.approx(period, rel=1e-12)
    duration = (spikes - 1) * intra
    assert f["burst_duration"] == pytest.approx(duration, rel=1e-12)
    assert f["duty_cycle"] == pytest.approx(duration / period, rel=1e-12)
    assert f["interburst_interval"] == pytest.approx(period - duration, rel=1e-12)
    assert f["burst_period_spread"] == pytest.approx(0.0, abs=1e-12)


def test_tonic_silent_and_the_window():
    cls, f = one(5.0 + 25.0 * np.arange(200))
    assert cls == "tonic" and f["period"] == pytest.approx(25.0, rel=1e-12)
    assert f["spikes_per_period"] == 1 and np.isnan(f["n_bursts"])
    assert f["rate"] == pytest.approx(200 / 1e6)           # per the whole default window
    assert one([])[0] == "silent"
    # spikes outside [start, stop) are ignored: a burster that fell silent
    train = bursts(10, 5, 10.0, 400.0)
    assert one(train, start=5000.0, stop=9000.0)[0] == "silent"
    cls, f = one(train, start=0.0, stop=2000.0)
    assert f["n_spikes"] == 25 and cls == "regular_bursting"
    assert one([10.0, 30.0])[0] == "irregular"             # too few intervals to judge


def test_irregular_and_irregular_bursting():
    rng = np.random.default_rng(7)
    poisson = np.cumsum(rng.exponential(40.0, 300))
    assert one(poisson)[0] == "irregular"
    train, t = [], 0.0
    for _ in range(12):                                    # 3-9 spikes, pauses 300-900 ms
        k = rng.integers(3, 10)
        train += list(t + 12.0 * np.arange(k))
        t += 12.0 * k + rng.uniform(300.0, 900.0)
    cls, f = one(train)
    assert cls == "irregular_bursting"
    assert f["n_bursts"] == 10 and np.isnan(f["period"])
    # the same bursts with every pause equal: periodic bursts with a varying spike count
    train, t = [], 0.0
    for _ in range(12):
        k = rng.integers(3, 10)
        train += list(t + 12.0 * np.arange(k))
        t += 700.0
    assert one(train)[0] == "regular_bursting"


def test_periodic_pattern_without_pause_is_tonic():
    isi = np.tile([10.0, 12.0], 100)                       # alternating, no clear pause
    cls, f = one(np.concatenate([[0.0], np.cumsum(isi)]))
    assert cls == "tonic" and f["spikes_per_period"] == 2
    assert f["period"] == pytest.approx(22.0, rel=1e-12)


def test_tolerance_and_ratio_are_parameters():
    jitter = np.random.default_rng(3).uniform(-0.2, 0.2, 400)
    train = 20.0 * np.arange(400) + jitter                 # ±0.2 ms: ISIs repeat within 0.8 ms
    assert one(train)[0] == "tonic"
    assert one(train, rules=ActivityRules(tolerance=0.01))[0] == "irregular"
    doublets = bursts(10, 2, 8.0, 20.0)                    # 8/12 ms: ratio 1.5
    assert one(doublets)[0] == "tonic"
    assert one(doublets, rules=ActivityRules(burst_ratio=1.4))[0] == "regular_bursting"


@pytest.mark.parametrize("bad", [dict(tolerance=0), dict(tolerance=1.5), dict(burst_ratio=1.0),
                                 dict(min_cycles=1), dict(max_period_spikes=0),
                                 dict(min_cycles=2.5)])
def test_bad_rules_are_refused(bad):
    with pytest.raises(ValidationError, match="rules"):
        ActivityRules(**bad)


def test_activity_of_a_batch_keeps_its_dimensions():
    cell = iz.models.prinz_stg().with_params({"KCa.gbar": [15.0, 0.0]})
    res = iz.simulate(cell, None, t_stop=6000.0, dt=0.05, method="backward_euler", record=None)
    out = activity(res, start=2000.0)
    assert out["class"].dims == ("KCa.gbar",)
    assert out["class"].values[0] == "regular_bursting"
    assert out.attrs["window_start"] == 2000.0 and out.attrs["tolerance"] == 0.05
    with pytest.raises(ValidationError, match="window"):
        activity(res, start=6000.0)
    few = iz.simulate(cell, None, t_stop=4000.0, dt=0.05, record=None, max_spikes=3)
    with pytest.raises(ValidationError, match="max_spikes"):
        activity(few)


@pytest.mark.slow
def test_stg_burst_period_against_the_adaptive_reference():
    """Fig. 2C burster, 6 s, window from 2 s: the burst period at backward Euler and
    Crank–Nicolson dt = 0.05 ms (the sweep's step) within 0.5 % of the adaptive reference
    (rtol 1e-8; measured: BE 0.28 %, CN 0.01 %); same class and spikes per burst."""
    cell = iz.models.prinz_stg()
    ref = activity(iz.simulate(cell, None, t_stop=6000.0, method="adaptive", rtol=1e-8,
                               atol=1e-10, dt=1.0, record=None), start=2000.0)
    assert ref["class"].item() == "regular_bursting" and ref["spikes_per_burst"] == 10
    for method in ("backward_euler", "crank_nicolson"):
        got = activity(iz.simulate(cell, None, t_stop=6000.0, dt=0.05, method=method,
                                   record=None), start=2000.0)
        assert got["class"].item() == "regular_bursting"
        assert got["spikes_per_burst"] == ref["spikes_per_burst"]
        assert float(got.burst_period) == pytest.approx(float(ref.burst_period), rel=5e-3)
