"""One meaning of "rate" (ionzoo.rates): 1/mean ISI of the spikes in the window, 0 for fewer
than two; the count rate as the option. Checked on constructed trains (exact values), and
used alike by Result.firing_rate, fi_curve, the CLI's run summary and the demo."""

from __future__ import annotations

import json

import numpy as np
import pytest

import ionzoo as iz
from ionzoo.rates import rate, rates


@pytest.mark.parametrize("offset", [0.0, 3.7, 9.99])
def test_a_regular_train_has_rate_1000_over_its_isi_wherever_the_window_cuts_it(offset):
    train = offset + 12.5 * np.arange(40)          # ISI 12.5 ms: 80 Hz
    assert rate(train, 0.0, 300.0) == pytest.approx(80.0, rel=1e-14)
    assert rate(train, 101.0, 287.0) == pytest.approx(80.0, rel=1e-14)
    # counting spikes instead moves by whole spikes with the window's edges
    windows = [(s, s + 95.0) for s in np.arange(0.0, 30.0, 1.3)]
    counts = {round(rate(train, a, b, "count"), 9) for a, b in windows}
    assert counts == {round(7 / 0.095, 9), round(8 / 0.095, 9)}      # 73.7 or 84.2 Hz
    assert all(rate(train, a, b) == pytest.approx(80.0, rel=1e-14) for a, b in windows)


def test_fewer_than_two_spikes_is_zero_and_padding_is_ignored():
    assert rate([], 0.0, 100.0) == 0.0
    assert rate([20.0], 0.0, 100.0) == 0.0                  # one spike: no interval
    assert rate([20.0], 0.0, 50.0, "count") == 20.0          # ... but "20 Hz" by counting
    padded = np.array([[10.0, 20.0, 40.0, np.nan], [np.nan] * 4])
    np.testing.assert_array_equal(rates(padded, 0.0, 100.0), [1000.0 * 2 / 30.0, 0.0])
    with pytest.raises(ValueError, match="kind"):
        rate([1.0, 2.0], 0.0, 10.0, "mean")


def test_result_fi_curve_cli_and_demo_agree(capsys):
    from ionzoo.cli import main

    hh = iz.models.hh1952()
    res = iz.simulate(hh, iz.stimulus.step(10.0, 5.0, 55.0), t_stop=60.0, dt=0.01)
    spikes = res.spike_trains()[0]
    expected = 1000.0 / np.mean(np.diff(spikes[(spikes >= 5.0) & (spikes < 55.0)]))
    assert float(res.firing_rate(5.0, 55.0)) == pytest.approx(expected, rel=1e-14)
    assert main(["run", "hh1952", "--current", "10", "--delay", "5", "--duration", "50",
                 "--t-stop", "60", "--dt", "0.01", "--json"]) == 0
    row = json.loads(capsys.readouterr().out)["neurons"][0]
    assert row["rate_hz"] == pytest.approx(expected, rel=1e-14)
    assert row["count_rate_hz"] == pytest.approx(len(spikes) / 0.05)


def test_the_demo_reports_the_same_rate(tmp_path, capsys):
    from ionzoo.demo import main as demo

    demo(["--out", str(tmp_path)])
    out = capsys.readouterr().out
    res = iz.simulate(iz.models.hh1952(), iz.stimulus.step(10.0, 5.0, 55.0), t_stop=60.0,
                      dt=0.01)
    assert f"rate:          {float(res.firing_rate(5.0, 55.0)):.1f} Hz" in out


def test_the_f_i_curve_has_no_staircase():
    """HH at 18–19.5 µA/cm² (the issue's example: 84, 86, 84, 86 Hz by counting): the rate
    rises monotonically with the current, while the count rate does not."""
    cur = np.arange(18.0, 19.51, 0.25)
    ds = iz.analysis.fi_curve(iz.models.hh1952(), cur, t_stop=1000.0)
    assert np.all(np.diff(ds.rate.values) > 0)
    assert not np.all(np.diff(ds.count_rate.values) > 0)
