"""Spike and oscillation detection (ionzoo.analysis.detect_spikes) against exact event times of
analytic traces, the engine's online detector, and an adaptive reference for HH's sub-0-mV
oscillations."""

import numpy as np
import pytest
import xarray as xr

import ionzoo as iz
from ionzoo.analysis import detect_spikes
from ionzoo.models import hh1952

DT = 0.01


def _trace(v, t):
    return xr.DataArray(np.atleast_2d(v), dims=("trial", "time"),
                        coords={"time": t, "trial": np.arange(np.atleast_2d(v).shape[0])})


def test_threshold_crossings_and_peaks_of_a_sine_match_the_exact_times():
    # v = -30 + 50 sin(ω t + φ): upward 0-mV crossings where sin = 0.6 (rising), maxima where
    # ω t + φ = π/2 mod 2π. Linear interpolation of a crossing errs by at most
    # dt²·max|v''|/(8·|v'|) = 1e-4 · 50ω² / (8 · 50ω·0.8) ≈ 1e-5 ms here; the parabola through
    # three samples places a maximum to O(dt³·|v'''|/|v''|) ≈ 1e-7 ms.
    period, phase = 10.0, 0.3
    t = np.arange(0.0, 100.0 + DT / 2, DT)
    w = 2 * np.pi / period
    v = -30 + 50 * np.sin(w * t + phase)
    ds = detect_spikes(_trace(v, t))
    k = np.arange(0, 11)
    exact_up = (np.arcsin(0.6) - phase + 2 * np.pi * k) / w
    exact_up = exact_up[(exact_up > 0) & (exact_up < 100)]
    got = ds.time.values[0, : int(ds["count"][0])]
    np.testing.assert_allclose(got, exact_up, atol=2e-5)
    exact_peak = (np.pi / 2 - phase + 2 * np.pi * k) / w
    exact_peak = exact_peak[(exact_peak > DT) & (exact_peak < 100 - DT)]
    pk = detect_spikes(_trace(v, t), method="peaks")
    np.testing.assert_allclose(pk.time.values[0, : int(pk["count"][0])], exact_peak, atol=1e-6)
    np.testing.assert_allclose(pk.peak_voltage.values[0, : int(pk["count"][0])], 20.0,
                               atol=1e-6)


def test_threshold_detector_equals_the_engine_online_detector_for_a_batch():
    res = iz.simulate(hh1952(), iz.stimulus.step(np.array([0.0, 7.0, 10.0, 50.0]), 5, 205),
                      t_stop=210, dt=DT, record="v")
    ds = detect_spikes(res)
    np.testing.assert_array_equal(ds["count"].values, res.spike_count.values)
    n = ds.sizes["spike"]
    np.testing.assert_allclose(ds.time.values, res.spikes.values[:, :n], atol=1e-9,
                               equal_nan=True)
    assert not ds.starts_above.any() and not ds.ends_above.any()
    # peaks of HH spikes are above +20 mV and follow their crossings within 1 ms
    c = int(ds["count"].sel(amplitude=10.0))
    lag = (ds.peak_time - ds.time).sel(amplitude=10.0).values[:c]
    assert np.all((lag > 0) & (lag < 1.0))


@pytest.fixture(scope="module")
def hh_high_current():
    amps = np.array([140.0, 200.0])
    cn = iz.simulate(hh1952(), iz.stimulus.step(amps, 0, 600), t_stop=600, dt=DT, record="v")
    ref = iz.simulate(hh1952(), iz.stimulus.step(140.0, 0, 600), t_stop=600, dt=DT,
                      method="adaptive", record="v")
    return cn, ref


def test_hh_sub_zero_oscillation_is_found_by_prominence_and_has_the_reference_period(
        hh_high_current):
    cn, ref = hh_high_current
    at140 = cn.v.sel(amplitude=140.0)
    thr = detect_spikes(at140)
    assert int(thr["count"]) == 1                 # only the first full spike crosses 0 mV
    pk = detect_spikes(at140, method="peaks", start=100.0)
    n = int(pk["count"])
    assert n > 50
    assert np.nanmax(pk.peak_voltage.values) < -30.0  # the oscillation never nears 0 mV
    period = np.mean(np.diff(pk.time.values[:n]))
    # independent reference: upward crossings of the cycle's mean voltage in the adaptive
    # (LSODA, rtol = atol = 1e-10) trace, interpolated here with plain NumPy
    t, v = ref.t, ref.v.values.ravel()
    keep = t >= 100.0
    t, v = t[keep], v[keep]
    mid = 0.5 * (v.max() + v.min())
    k = np.nonzero((v[:-1] < mid) & (v[1:] >= mid))[0]
    cross = t[k] + (mid - v[k]) * (t[k + 1] - t[k]) / (v[k + 1] - v[k])
    ref_period = np.mean(np.diff(cross))
    assert 5.0 < ref_period < 7.0
    # CN at dt = 0.01 ms changes the period by O(dt²) (≈1e-4 relative); allow 1e-3
    assert period == pytest.approx(ref_period, rel=1e-3)


def test_depolarisation_block_above_the_upper_hopf_has_no_late_events(hh_high_current):
    cn, _ = hh_high_current
    at200 = cn.v.sel(amplitude=200.0)
    thr = detect_spikes(at200)
    assert int(thr["count"]) == 1 and not bool(thr.ends_above)
    pk = detect_spikes(at200, method="peaks")
    n = int(pk["count"])
    assert 1 <= n <= 4                            # a damped ring-down, then nothing
    assert np.nanmax(pk.time.values) < 50.0
    assert float(at200.isel(time=-1)) == pytest.approx(-40.8, abs=0.1)


def test_trace_starting_above_threshold_and_spike_that_never_returns():
    t = np.arange(0.0, 50.0 + DT / 2, DT)
    starts_high = np.where(t < 2, 20.0 - 40 * t, -60.0)          # in a spike at t = 0
    starts_high = starts_high + np.where((t > 20) & (t < 22), 100.0, 0.0)  # one full spike
    stuck = np.where(t < 30, -65.0, -65.0 + 5.0 * (t - 30))      # rises and stays above 0 mV
    ds = detect_spikes(_trace(np.vstack([starts_high, stuck]), t))
    np.testing.assert_array_equal(ds["count"].values, [1, 1])
    np.testing.assert_array_equal(ds.starts_above.values, [True, False])
    np.testing.assert_array_equal(ds.ends_above.values, [False, True])
    assert ds.time.values[1, 0] == pytest.approx(43.0, abs=1e-9)  # −65 + 5(t − 30) = 0
    assert ds.peak_time.values[1, 0] == pytest.approx(50.0)       # peak = end of the trace


def test_nan_stops_detection_where_it_starts():
    t = np.arange(0.0, 100.0 + DT / 2, DT)
    v = -30 + 50 * np.sin(2 * np.pi * t / 10.0)
    v_nan = v.copy()
    v_nan[t >= 55.0] = np.nan
    ds = detect_spikes(_trace(np.vstack([v, v_nan]), t))
    full, cut = ds["count"].values
    assert full == 10 and cut == 6            # crossings at 0.67 + 10k ms, k = 0…5 before 55
    assert np.isnan(ds.nan_from.values[0]) and ds.nan_from.values[1] == pytest.approx(55.0)
    pk = detect_spikes(_trace(np.vstack([v, v_nan]), t), method="peaks")
    assert pk["count"].values.tolist() == [10, 6]   # maxima at 2.5 + 10k ms


@pytest.mark.parametrize("kwargs, field", [
    ({"method": "wavelet"}, "method"),
    ({"method": "peaks", "prominence": 0.0}, "prominence"),
    ({"threshold": float("nan")}, "threshold"),
])
def test_bad_detector_settings_are_named(kwargs, field):
    t = np.arange(0.0, 10.0, DT)
    with pytest.raises(iz.ValidationError) as err:
        detect_spikes(_trace(np.zeros_like(t), t), **kwargs)
    assert err.value.field == field


def test_bad_data_is_refused():
    with pytest.raises(iz.ValidationError, match="time"):
        detect_spikes(xr.DataArray(np.zeros((2, 5)), dims=("a", "b")))
    with pytest.raises(iz.ValidationError, match="Result"):
        detect_spikes(np.zeros(10))
