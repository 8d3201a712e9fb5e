"""The explorer (``ionzoo explore``): what it computes equals ionzoo's own functions called
directly, and — in a real headless Chromium (marker ``browser``) — moving a slider on the page
re-simulates and the plotted data read back from the page equal :func:`ionzoo.simulate` for the
same parameters.

The reference side of every comparison is built here from the public API (``ionzoo.simulate``,
``ionzoo.pharmacology.apply``, ``ionzoo.stimulus``), not through the explorer's code.
"""

from __future__ import annotations

import numpy as np
import pytest

import ionzoo as iz
from ionzoo.errors import ValidationError
from ionzoo.explore import compute

HH = iz.models.hh1952


def _reference_v(cell: iz.Neuron, amplitude: float, start=10.0, duration=80.0, t_stop=100.0):
    stim = iz.stimulus.step(amplitude, start, start + duration)
    return iz.simulate(cell, stim, t_stop=t_stop, dt=0.025, record="all")


# ------------------------------------------------------------------------------ compute
def test_traces_are_what_simulate_returns():
    s = compute.Settings(amplitude=7.5, start=5.0, duration=60.0, t_stop=80.0, ttx=3.0,
                         temperature=10.0, gbar={"K": 30.0})
    tr = compute.traces(HH(), s)
    cell = iz.pharmacology.apply(HH().with_params({"K.gbar": 30.0, "temperature": 10.0}),
                                 "TTX", 3.0)
    ref = _reference_v(cell, 7.5, 5.0, 60.0, 80.0)
    np.testing.assert_array_equal(tr.v, ref["v"].values.ravel())
    np.testing.assert_array_equal(tr.conductances["Na"], ref["Na.g"].values.ravel())
    np.testing.assert_array_equal(tr.gates["K.n"], ref["K.n"].values.ravel())
    np.testing.assert_array_equal(tr.spikes, ref.spike_trains()[0])
    on = (tr.t >= 5.0) & (tr.t < 65.0)
    assert np.all(tr.stimulus[on] == 7.5) and np.all(tr.stimulus[~on] == 0.0)


def test_pulse_train_and_drugs():
    s = compute.Settings(kind="pulses", amplitude=30.0, start=10.0, duration=50.0, width=1.0,
                         period=10.0, t_stop=80.0)
    tr = compute.traces(HH(), s)
    assert len(tr.spikes) == 5  # one spike per 1-ms, 30 µA/cm² pulse
    blocked = compute.neuron_for(HH(), {"tea": 20.0})
    assert blocked.default("K.gbar") < 36.0 and blocked.default("Na.gbar") == 120.0


@pytest.mark.parametrize("bad, field", [({"amplitude": 1e9}, "amplitude"),
                                        ({"ttx": -1.0}, "ttx"), ({"kind": "ramp"}, "kind"),
                                        ({"gbar": {"K": -1.0}}, "gbar"),
                                        ({"colour": 1}, "colour")])
def test_bad_settings_name_the_field(bad, field):
    with pytest.raises(ValidationError, match=f"explorer.{field}"):
        compute.traces(HH(), bad)


def test_models_from_the_zoo_or_a_file(tmp_path):
    path = tmp_path / "cell.yaml"
    iz.io.save(iz.models.wang_buzsaki(), path)
    assert compute.load_model(str(path)).name == "wang_buzsaki"
    with pytest.raises(ValidationError, match="unknown model"):
        compute.load_model("no_such_model")
    with pytest.raises(ValidationError, match="no such file"):
        compute.load_model(str(tmp_path / "missing.yaml"))
    with pytest.raises(ValidationError, match="no channel 'Xyz'"):
        compute.neuron_for(HH(), {"gbar": {"Xyz": 1.0}})


def test_panes_equal_the_analysis_functions():
    cell = HH()
    v, i = compute.iv_curve(cell)
    np.testing.assert_array_equal(i, iz.reference.steady_state_current(cell, v))
    currents, rate = compute.fi(cell, np.array([0.0, 10.0, 20.0]), t_stop=300.0)
    ref = iz.analysis.fi_curve(cell, [0.0, 10.0, 20.0], t_stop=300.0)
    np.testing.assert_array_equal(rate, ref.rate.values)
    ph = compute.phase(cell, 10.0)
    eq = iz.dynamics.equilibria(cell, current=10.0)
    assert ph["y_name"] == "K.n"
    np.testing.assert_allclose(ph["eq"][0], eq.v.values[np.isfinite(eq.v.values)], atol=1e-9)
    fam = compute.clamp_family(cell, levels=np.array([-40.0, 0.0]))
    assert fam["currents"].shape == (2, fam["t"].size)
    assert "pools" in compute.clamp_family(iz.models.pospischil.lts())["error"]


def test_one_colour_per_ion():
    from ionzoo.explore.app import _palette

    cell = iz.models.connor_stevens()
    ions = {c.name: c.ion for c in cell.channels}
    colors = _palette([c.name for c in cell.channels], ions)
    assert colors["Na"] == compute.ION_COLORS["na"] and colors["K"] == compute.ION_COLORS["k"]
    assert colors["A"] != colors["K"]  # a second K channel: a shade of the K colour


def test_app_sources_hold_the_simulated_data():
    """The app object (no browser): its sources after a slider change equal simulate()."""
    from ionzoo.explore.app import Explorer

    app = Explorer("hh1952")
    app.sliders["amplitude"].value = 12.0
    app.gbar_box.objects[1].value = 30.0  # K ḡ
    app.update()
    ref = _reference_v(HH().with_params({"K.gbar": 30.0}), 12.0)
    np.testing.assert_array_equal(app.sources["v_trace"].data["v"], ref["v"].values.ravel())
    assert np.isfinite(app.update_ms)
    app.set_model("not_a_model")
    assert "cannot load" in app.status.object and app.name == "hh1952"


def test_cli_refuses_a_bad_model_before_serving(capsys):
    from ionzoo.cli import main

    assert main(["explore", "no_such_model", "--no-browser"]) == 2
    assert "unknown model" in capsys.readouterr().err


# ------------------------------------------------------------------------------ the browser
@pytest.fixture(scope="module")
def page():
    from ionzoo.explore.headless import chromium, serving, wait_for_source

    with serving("hh1952") as url:
        driver = chromium()
        try:
            driver.get(url)
            wait_for_source(driver, "v_trace", timeout=90.0)
            yield driver
        finally:
            driver.quit()


@pytest.mark.browser
def test_the_page_shows_what_simulate_returns(page):
    from ionzoo.explore.headless import wait_for_source

    data = wait_for_source(page, "v_trace")
    ref = _reference_v(HH(), iz.models.DEMO_CURRENT["hh1952"])
    np.testing.assert_array_equal(np.array(data["v"]), ref["v"].values.ravel())
    logs = [e for e in page.get_log("browser") if e.get("level") == "SEVERE"]
    assert not logs, logs  # nothing failed to load (offline: every script is served locally)


def _settled(page, name: str, done, timeout: float = 60.0) -> dict:
    """The data of source ``name`` once ``done(data)`` holds (re-read as the page updates)."""
    import time

    from ionzoo.explore.headless import source

    deadline = time.monotonic() + timeout
    while True:
        data = source(page, name)
        if data and done(data):
            return data
        if time.monotonic() > deadline:
            raise TimeoutError(f"source {name!r} did not reach the expected state")
        time.sleep(0.2)


@pytest.mark.browser
def test_moving_a_slider_resimulates(page):
    """Two presses of → on the amplitude slider's handle (0.5 µA/cm² each): the page's
    stimulus becomes 11 µA/cm² (to the browser's rounding of the slider steps) and its V trace
    equals simulate()'s at exactly the amplitude the page used; then the TTX slider removes
    the spikes."""
    from selenium.webdriver.common.keys import Keys

    from ionzoo.explore.headless import slider_handle, slider_title

    handle = slider_handle(page, "amplitude")
    handle.send_keys(Keys.ARROW_RIGHT, Keys.ARROW_RIGHT)
    stim = _settled(page, "stimulus", lambda d: abs(max(d["i"]) - 11.0) < 1e-9)
    assert slider_title(page, "amplitude").endswith(": 11")
    amplitude = max(stim["i"])  # the float the page sent (11 ± a rounding of the steps)
    ref = _reference_v(HH(), amplitude)["v"].values.ravel()
    data = _settled(page, "v_trace", lambda d: np.array_equal(np.array(d["v"]), ref))
    np.testing.assert_array_equal(np.array(data["v"]), ref)
    slider_handle(page, "TTX").send_keys(Keys.END)  # the end of the range: 100 nM
    assert slider_title(page, "TTX").endswith(": 100")
    blocked = _settled(page, "v_trace", lambda d: max(d["v"]) < 0.0)
    assert max(blocked["v"]) < 0.0  # Na ḡ × 1/(1 + 100/IC50): no spike


@pytest.mark.browser
def test_tabs_show_the_phase_plane_and_the_clamp(page):
    from ionzoo.explore.headless import click_tab, wait_for_source

    click_tab(page, "Phase plane")
    null = wait_for_source(page, "nullcline_v")
    eq = wait_for_source(page, "equilibria")
    assert len(null["x"]) > 20 and len(eq["x"]) >= 1
    click_tab(page, "Voltage clamp")
    clamp = wait_for_source(page, "clamp")
    assert len(clamp["currents"]) == 11


def test_the_same_app_is_a_notebook_widget():
    """``ionzoo.explore.explorer()`` is the served app's layout (a Panel Row: controls and
    tabs), displayable in Jupyter after ``panel.extension()``."""
    import panel as pn

    from ionzoo.explore import explorer

    layout = explorer("wang_buzsaki")
    assert isinstance(layout, pn.Row) and len(layout) == 2
    tabs = layout[1]
    assert [name for name, _ in zip(tabs._names, tabs)] == ["Spike", "Phase plane", "I–V", "f–I",
                                                           "Voltage clamp"]
