"""Figures run headless (Agg) and draw the right curves: checked at the data level against
reference values (shared/reference/channels.md §1–2) and against the simulation results."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

import ionzoo as iz
from ionzoo.errors import ExpressionError, ValidationError


def crossing(x, y, level):
    i = np.nonzero(np.diff(np.sign(np.asarray(y) - level)))[0][0]
    return x[i] + (level - y[i]) * (x[i + 1] - x[i]) / (y[i + 1] - y[i])


def line(ax, label):
    for ln in ax.get_lines():
        if ln.get_label() == label:
            return np.asarray(ln.get_xdata()), np.asarray(ln.get_ydata())
    raise AssertionError(f"no line {label!r} in {[ln.get_label() for ln in ax.get_lines()]}")


def test_gating_figure_has_the_right_curves(hh):
    fig = iz.plot.gating(hh, v=np.linspace(-100, 50, 1501))
    ax_inf, ax_tau, ax_g, ax_i = fig.axes
    # x∞ midpoints (reference: m −40.0, h −62.3, n −53.4 mV; given to 0.1 mV)
    for label, v_half in (("m∞ (Na)", -40.0), ("h∞ (Na)", -62.3), ("n∞ (K)", -53.4)):
        v, x = line(ax_inf, label)
        assert crossing(v, x, 0.5) == pytest.approx(v_half, abs=0.06)
    # τ_h(−60) = 7.67 ms, τ_n(−60) = 5.14 ms at 6.3 °C, on a log axis
    assert ax_tau.get_yscale() == "log"
    v, tau = line(ax_tau, "τ h (Na)")
    assert np.interp(-60.0, v, tau) == pytest.approx(7.67, abs=0.01)
    v, tau = line(ax_tau, "τ n (K)")
    assert np.interp(-60.0, v, tau) == pytest.approx(5.14, abs=0.01)
    # the total steady-state current is zero at rest (−64.9964 mV)
    v, i_tot = line(ax_i, "I total")
    assert crossing(v, i_tot, 0.0) == pytest.approx(-64.9964, abs=0.01)
    for ax in fig.axes:
        assert "(" in ax.get_ylabel()  # every axis has a unit
    assert "mV" in ax_i.get_xlabel()
    plt.close(fig)


def test_gating_uses_the_requested_temperature(hh):
    fig = iz.plot.gating(hh, temperature=16.3)
    v, tau = line(fig.axes[1], "τ h (Na)")
    assert np.interp(-60.0, v, tau) == pytest.approx(7.67 / 3, abs=0.005)
    plt.close(fig)


def test_traces_one_panel_per_current(hh):
    res = iz.simulate(hh, iz.stimulus.step([0.0, 5.0, 10.0, 20.0]), t_stop=30.0)
    fig = iz.plot.traces(res)
    assert len(fig.axes) == 5  # four panels and the stimulus bar
    assert fig.axes[2].get_title(loc="left") == "I = 10 µA/cm²"
    _, v = line(fig.axes[2], "v")
    np.testing.assert_array_equal(v, res.v.sel(amplitude=10.0).values)
    assert fig.axes[-1].get_xlabel() == "time (ms)"
    assert fig.axes[0].get_ylabel() == "v (mV)"
    plt.close(fig)


def test_traces_share_one_y_range_without_offsets_and_never_drop_panels_silently(hh):
    """A resting cell (I = 0, v within 0.01 mV) must not look like it oscillates: one y-range
    for every panel, no offset notation. 21 currents with max_panels=8: eight evenly spaced
    panels from the first to the last current, and the figure says 8 of 21; overlay draws
    all 21 in one axes."""
    res = iz.simulate(hh, iz.stimulus.step(np.arange(0.0, 21.0)), t_stop=30.0)
    fig = iz.plot.traces(res)
    panels = fig.axes[:-1]  # the last axes is the stimulus bar
    assert len(panels) == 8
    limits = {ax.get_ylim() for ax in panels}
    assert len(limits) == 1
    assert not fig.axes[0].yaxis.get_major_formatter().get_useOffset()
    titles = [ax.get_title(loc="left") for ax in panels]
    assert titles[0] == "I = 0 µA/cm²" and titles[-1] == "I = 20 µA/cm²"
    assert "8 of 21" in fig._suptitle.get_text()
    plt.close(fig)
    fig = iz.plot.traces(res, overlay=True)
    assert len(fig.axes) == 2 and len(fig.axes[0].lines) == 21
    plt.close(fig)


def test_mechanism_figure(hh):
    res = iz.simulate(hh, iz.stimulus.pulse(20.0, 1.0, 1.0), t_stop=20.0, dt=0.01, record="all")
    fig = iz.plot.mechanism(res)
    ax_v, ax_x, ax_g, ax_i, ax_stim = fig.axes
    _, v = line(ax_v, "V")
    _, peak = line(ax_v, "peak")
    assert peak[0] == pytest.approx(res.v.values.max())
    assert {ln.get_label() for ln in ax_x.get_lines()} >= {"m (Na)", "h (Na)", "n (K)"}
    _, g_na = line(ax_g, r"$g_{\mathrm{Na}}$")
    np.testing.assert_allclose(g_na, res["Na.g"].values)
    _, stim = ax_stim.get_lines()[0].get_data()
    assert stim.max() == 20.0 and stim[res.t < 1.0].max() == 0.0  # the 1-ms, 20 µA/cm² pulse
    _, i_na = line(ax_i, r"$I_{\mathrm{Na}}$")
    assert i_na.min() < -100  # inward Na+ current points down during the upstroke
    plt.close(fig)
    with pytest.raises(ValidationError, match="record='all'"):
        iz.plot.mechanism(iz.simulate(hh, 10.0, t_stop=5.0))


def test_phase_plane(hh):
    res = iz.simulate(hh, iz.stimulus.step([5.0, 10.0]), t_stop=30.0, record="all")
    fig = iz.plot.phase_plane(res, x="v", y="Na.m**3 * Na.h", index=[0, 1])
    ax = fig.axes[0]
    x, y = line(ax, "I = 10 µA/cm²")  # labelled by the batch value, not "trajectory 1"
    np.testing.assert_array_equal(x, res.v.values[1])
    np.testing.assert_allclose(y, res["Na.m"].values[1] ** 3 * res["Na.h"].values[1],
                               rtol=1e-12)
    sx, sy = line(ax, "_start 1")
    assert (sx[0], sy[0]) == (x[0], y[0])
    assert len(ax.texts) >= 10  # direction arrows
    assert ax.get_xlabel() == "V (mV)" and ax.get_ylabel() == "m³h (Na)"
    plt.close(fig)
    with pytest.raises(ExpressionError):
        iz.plot.phase_plane(res, y="__import__('os')")


def test_raster(hh):
    amps = np.linspace(0, 30, 16)
    res = iz.simulate(hh, iz.stimulus.step(amps), t_stop=100.0, record=None)
    fig = iz.plot.raster(res, dim="amplitude")
    x, y = line(fig.axes[0], "spikes")
    assert len(x) == int(res.spike_count.sum())
    assert set(np.unique(y)) <= set(amps)
    plt.close(fig)


def test_fi_figure_shades_the_bistable_range(hh):
    from ionzoo.analysis import fi_curve

    cur = np.linspace(5.0, 11.0, 25)
    up = fi_curve(hh, cur, protocol="rest", t_stop=1500)
    down = fi_curve(hh, cur, protocol="train", from_current=12, t_stop=2000, settle=800)
    fig = iz.plot.fi([up, down])
    ax = fig.axes[0]
    x, y = line(ax, "down: from a spike train")
    np.testing.assert_array_equal(y, down.rate.values)
    span = [p for p in ax.patches if p.get_label().startswith("bistable")]
    assert len(span) == 1
    xs = np.array([span[0].get_x(), span[0].get_x() + span[0].get_width()])
    # the fold of limit cycles (6.26) and the subcritical Hopf (9.78) bound the range, to the
    # 0.25 µA/cm² grid
    assert 6.25 <= xs.min() <= 6.5 and 9.5 <= xs.max() < 9.78
    plt.close(fig)


def test_features_figure_marks_what_efel_measures(hh):
    from ionzoo.analysis import trace_features

    res = iz.simulate(hh, iz.stimulus.step(10.0, 20, 120), t_stop=140, dt=0.01)
    v = res.v.values.ravel()
    feats, _ = trace_features(res.t, v, 20, 120)
    fig = iz.plot.features_on_trace(res.t, v, 20, 120)
    ax = fig.axes[0]
    np.testing.assert_allclose(line(ax, "peak (AP_height)")[1], feats["AP_height"])
    np.testing.assert_allclose(line(ax, "peak (AP_height)")[0], feats["peak_time"])
    np.testing.assert_allclose(line(ax, "AP onset (AP_begin)")[1], feats["AP_begin_voltage"])
    np.testing.assert_allclose(line(ax, "AHP minimum")[1], feats["min_AHP_values"])
    bar = line(ax, "spike_half_width")[0]
    assert bar[1] - bar[0] == pytest.approx(feats["spike_half_width"][0])
    plt.close(fig)


def test_dose_response_and_temperature_figures_plot_the_data(hh):
    from ionzoo.analysis import dose_response, temperature_sweep

    d = dose_response(hh, "TTX", [0, 3, 12, 48], 10.0, stop=220.0)
    fig = iz.plot.dose_response(d)
    x, y = line(fig.axes[0], "firing rate")
    np.testing.assert_array_equal(y, d.rate.values)
    assert fig.axes[0].get_xscale() == "log"
    gx, frac = line(fig.axes[1], "fraction of ḡ blocked")
    assert np.interp(12.0, gx, frac) == pytest.approx(0.5, abs=1e-3)   # at the IC50
    plt.close(fig)
    ts = temperature_sweep(hh, [6.3, 16.3], 20.0)
    fig = iz.plot.temperature(ts)
    np.testing.assert_array_equal(line(fig.axes[0], "spike_half_width")[1],
                                  ts.spike_half_width.values)
    plt.close(fig)


def test_one_colour_per_ion_in_every_figure_and_the_explorer():
    """Na red and K blue in the gating figure, the mechanism figure and the explorer alike (they
    swapped between panels before); a second K channel is a shade of K's colour."""
    from matplotlib.colors import to_hex

    from ionzoo.explore.app import _palette
    from ionzoo.plot.style import ION_COLORS

    cell = iz.models.connor_stevens()
    gating = iz.plot.gating(cell)
    res = iz.simulate(cell, 10.0, t_stop=20.0, record="all")
    mech = iz.plot.mechanism(res)
    explorer = _palette([c.name for c in cell.channels], {c.name: c.ion for c in cell.channels})

    def colour(ax, label):
        return next(to_hex(ln.get_color()) for ln in ax.get_lines() if ln.get_label() == label)

    for ch, ion in (("Na", "na"), ("K", "k")):
        g = rf"$g_{{\mathrm{{{ch}}}}}$"
        assert colour(gating.axes[2], g) == colour(mech.axes[2], g) == explorer[ch] == \
            ION_COLORS[ion]
    assert colour(gating.axes[2], r"$g_{\mathrm{A}}$") not in (ION_COLORS["k"], ION_COLORS["na"])
    plt.close(gating)
    plt.close(mech)


def test_the_stimulus_bar_is_the_injected_current(hh):
    res = iz.simulate(hh, iz.stimulus.step([3.0, 7.0], 5.0, 20.0) + iz.stimulus.pulse(2.0, 22.0,
                                                                                    1.0),
                      t_stop=30.0)
    fig = iz.plot.traces(res)
    bar = fig.axes[-1]
    assert bar.get_ylabel() == "I (µA/cm²)"
    inj = res.injected_current()
    for k, ln in enumerate(bar.get_lines()):
        np.testing.assert_array_equal(ln.get_ydata(), inj.values[k])
    t = res.t
    expected = np.where((t >= 5.0) & (t < 20.0), 7.0, 0.0) + np.where((t >= 22.0) & (t < 23.0),
                                                                       2.0, 0.0)
    np.testing.assert_array_equal(inj.values[1], expected)
    plt.close(fig)
