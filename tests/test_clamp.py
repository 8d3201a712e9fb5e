"""The ideal voltage clamp and its protocols, against independent references: a tight adaptive
integration of the same gate equations under the same command (SciPy DOP853), the model's own
steady states and time constants (ionzoo.reference), and the independence of the channels
(TTX leaves I_K unchanged)."""

import numpy as np
import pytest
from scipy.integrate import solve_ivp

import ionzoo as iz
from ionzoo import clamp
from ionzoo.errors import ValidationError
from ionzoo.ions import Calcium
from ionzoo.reference import Evaluator

HH = iz.models.hh1952()
EV = Evaluator(HH)


def test_step_family_equals_an_adaptive_solution_of_the_gate_equations():
    """Steps from −80 mV to −40…+40 mV: m, h, n and I_Na, I_K at every sample within 1e-9 of
    DOP853 at rtol 1e-12 (the exponential update is exact while v is constant, and the step
    edges fall on sample times)."""
    levels = np.array([-40.0, 0.0, 40.0])
    res = clamp.voltage_clamp(HH, iz.stimulus.step(levels + 80.0, 1.0, 11.0), hold=-80.0,
                              t_stop=12.0, dt=0.01)
    t = res.t
    for k, level in enumerate(levels):
        def rhs(time, y, level=level):
            v = level if 1.0 <= time < 11.0 else -80.0
            out = []
            for name, x in zip(("Na.m", "Na.h", "K.n"), y):
                inf = EV.steady_state(name, v)
                out.append((inf - x) / EV.time_constant(name, v))
            return out

        y0 = [float(EV.steady_state(g, -80.0)) for g in ("Na.m", "Na.h", "K.n")]
        pieces = [(0.0, 1.0), (1.0, 11.0), (11.0, 12.0)]
        for a, b in pieces:
            inside = (t >= a) & (t <= b)
            sol = solve_ivp(rhs, (a, b), y0, method="DOP853", rtol=1e-12, atol=1e-14,
                            t_eval=t[inside], first_step=1e-6)
            for j, g in enumerate(("Na.m", "Na.h", "K.n")):
                np.testing.assert_allclose(res[g].values[k, inside], sol.y[j], rtol=0,
                                           atol=1e-9)
            y0 = sol.y[:, -1]
    m, h, n = (res[g].values for g in ("Na.m", "Na.h", "K.n"))
    np.testing.assert_allclose(res["Na.i"].values, 120 * m**3 * h * (res["v"].values - 50),
                               rtol=1e-12)
    np.testing.assert_allclose(res["i_clamp"].values, res["Na.i"].values + res["K.i"].values
                               + res["leak.i"].values, rtol=1e-12, atol=1e-12)


def test_steady_activation_recovers_the_models_own_curve():
    """Steady K conductance after 100-ms steps = 36·n∞⁴ (1e-7 mS/cm²: e^(−100/τ) of what is
    left), so its fitted Boltzmann equals the fit of n∞⁴ at the same levels (1e-6 mV)."""
    levels = np.arange(-80.0, 61.0, 5.0)
    act = clamp.activation(HH, "K", levels, measure="steady", duration=100.0)
    n4 = EV.steady_state("K.n", levels) ** 4
    np.testing.assert_allclose(act.g.values, 36.0 * n4, atol=1e-7)
    vh, k = clamp.fit_boltzmann(levels, n4 / n4.max())
    assert abs(act.attrs["v_half"] - vh) < 1e-6 and abs(act.attrs["slope"] / k - 1) < 1e-6


def test_inactivation_recovers_h_inf():
    """Prepulses −120…−20 mV (200 ms), test pulse to +120 mV (the peak conductance is read, so a
    test level above E_Na is fine): V½ within 0.1 mV and the slope within 1 % of the Boltzmann
    fit of h∞ at the same levels (the issue's bounds; measured 0.085 mV, 0.57 %). The classic
    protocol is biased on HH: after depolarised prepulses m starts at m∞(V_pre) > 0, which
    raises the test peak before h has decayed — 0.38 mV with a test pulse to 0 mV, 0.14 mV at
    +60 mV; a larger test pulse opens m faster and lessens it, while a gap at the holding
    potential lets h recover (worse: 0.38 mV after 0.1 ms)."""
    levels = np.arange(-120.0, -19.0, 2.5)
    ina = clamp.inactivation(HH, "Na", levels, test=120.0, duration=5.0)
    h = EV.steady_state("Na.h", levels)
    vh, k = clamp.fit_boltzmann(levels, h / h.max())
    assert abs(ina.attrs["v_half"] - vh) < 0.1
    assert abs(ina.attrs["slope"] / k - 1) < 0.01
    at_zero = clamp.inactivation(HH, "Na", levels, test=0.0, duration=5.0)
    assert abs(at_zero.attrs["v_half"] - vh) > abs(ina.attrs["v_half"] - vh)


def test_recovery_from_inactivation_gives_tau_h():
    """Two pulses to 0 mV with gaps at −80 mV: the fitted recovery time constant equals
    τ_h(−80 mV) within 1 % (measured 0.015 %)."""
    gaps = np.array([0.5, 1, 2, 3, 5, 8, 12, 16, 20, 30])
    rec = clamp.recovery(HH, "Na", gaps, level=0.0, hold=-80.0)
    assert abs(rec.attrs["tau"] / float(EV.time_constant("Na.h", -80.0)) - 1) < 0.01
    assert np.all(np.diff(rec.fraction.values) > 0)


def test_ttx_leaves_the_potassium_current_unchanged():
    levels = np.array([-40.0, 0.0, 40.0])
    cmd = iz.stimulus.step(levels + 80.0, 1.0, 21.0)
    control = clamp.voltage_clamp(HH, cmd, hold=-80.0, t_stop=22.0)
    ttx = clamp.voltage_clamp(iz.pharmacology.apply(HH, "TTX", "1uM"), cmd, hold=-80.0,
                              t_stop=22.0)
    np.testing.assert_allclose(ttx["K.i"].values, control["K.i"].values, rtol=0, atol=1e-12)
    ratio = ttx["Na.i"].values / control["Na.i"].values  # the unblocked fraction, everywhere
    assert np.ptp(ratio) < 1e-12 and 0 < ratio.flat[0] < 0.02


def test_batches_over_parameters_and_levels():
    cell = HH.with_params(**{"K.gbar": [18.0, 36.0]})
    res = clamp.voltage_clamp(cell, iz.stimulus.step([60.0, 100.0], 1.0, 30.0), t_stop=30.0)
    assert res["K.i"].dims == ("K.gbar", "amplitude", "time")
    np.testing.assert_allclose(res["K.i"].values[1], 2 * res["K.i"].values[0], rtol=1e-12)


def test_initial_states_given_are_used():
    res = clamp.voltage_clamp(HH.with_initial({"K.n": 0.0}), None, hold=-60.0, t_stop=1.0)
    assert res["K.n"].values[0] == 0.0 and res["K.n"].values[-1] > 0.0


@pytest.mark.parametrize("call, field", [
    (lambda: clamp.voltage_clamp(HH, None, hold=500.0, t_stop=1.0), "hold"),
    (lambda: clamp.voltage_clamp(HH, None, t_stop=1.005, dt=0.01), "t_stop"),
    (lambda: clamp.voltage_clamp(HH, None, t_stop=-1.0), "t_stop"),
    (lambda: clamp.voltage_clamp(iz.models.pospischil.lts(), None, t_stop=1.0), "neuron"),
    (lambda: clamp.activation(HH, "Kv", [-40.0, 0.0, 40.0]), "Kv"),
    (lambda: clamp.activation(HH, "K", [0.0]), "levels"),
    (lambda: clamp.activation(HH, "K", [0.0, float("nan")]), "levels"),
    (lambda: clamp.activation(HH, "K", [-40.0, 0.0], measure="mean"), "measure"),
    (lambda: clamp.recovery(HH, "Na", [1.0, -2.0, 3.0]), "intervals"),
    (lambda: clamp.voltage_clamp(HH, None, t_stop=1e6, dt=0.001), "t_stop"),
])
def test_bad_clamp_input_is_refused_by_name(call, field):
    with pytest.raises(ValidationError) as err:
        call()
    assert err.value.field == field


def test_fixed_calcium_is_clamped():
    cell = iz.Neuron.for_channel(iz.channels.hay2011.ca_hva())
    assert cell.calcium == Calcium()
    res = clamp.voltage_clamp(cell, iz.stimulus.step(80.0, 1.0, 50.0), t_stop=50.0)
    assert res["Ca_HVA.i"].values[-1] < 0  # inward calcium current at 0 mV


def test_clamp_command_matches_the_python_api(tmp_path):
    """`ionzoo clamp` (installed console script): the same numbers as clamp.voltage_clamp, TTX
    through --drug removes the inward current, a figure is written, bad input is one line."""
    import json
    import subprocess
    import sys
    from pathlib import Path

    exe = Path(sys.executable).with_name("ionzoo")
    figure = tmp_path / "clamp.png"
    proc = subprocess.run([str(exe), "clamp", "hh1952", "--steps", "-40,0", "--json",
                           "--plot", str(figure)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    res = clamp.voltage_clamp(HH, iz.stimulus.step(np.array([40.0, 80.0]), 1.0, 21.0),
                              hold=-80.0, t_stop=21.0)
    i = res["i_clamp"].sel(time=slice(1.005, None)).values
    for k, row in enumerate(out["steps"]):
        assert row["peak_inward_uA_cm2"] == pytest.approx(min(i[k].min(), 0.0), rel=1e-12)
        assert row["end_uA_cm2"] == pytest.approx(i[k, -1], rel=1e-12)
    assert figure.stat().st_size > 1000
    ttx = subprocess.run([str(exe), "clamp", "hh1952", "--steps", "0", "--drug", "TTX=10uM",
                          "--json"], capture_output=True, text=True)
    assert json.loads(ttx.stdout)["steps"][0]["peak_inward_uA_cm2"] > -25.0
    bad = subprocess.run([str(exe), "clamp", "hh1952", "--hold", "900"], capture_output=True,
                         text=True)
    assert bad.returncode == 2 and "hold" in bad.stderr and "Traceback" not in bad.stderr


def test_series_clamp_on_a_passive_cell_reaches_the_divider_voltage():
    """Leak g_L = 0.1 mS/cm², E_L = −65 mV, clamp to 0 mV through rs = 10 MΩ on 1e5 µm²
    (g_s = 1e5/(rs·area) = 0.1 mS/cm²): v → (g_L·E_L + g_s·vc)/(g_L + g_s) = −32.5 mV and the
    injected current → g_s·(vc − v) = 3.25 µA/cm² (exact to 1e-9 after 30 time constants)."""
    cell = iz.Neuron(channels=(iz.channels.Channel("leak", gbar=0.1, e=-65.0),), v_init=-65.0,
                     area=1e5)
    res = iz.simulate(cell, clamp.series_clamp(0.0, 0.0, hold=-65.0, rs=10.0), t_stop=200.0,
                      record=["v", "seclamp.i", "seclamp.vc"])
    assert abs(res.v.values[-1] + 32.5) < 1e-9
    assert abs(res.dataset["seclamp.i"].values[-1] - 3.25) < 1e-9
    assert res.dataset["seclamp.vc"].values[-1] == 0.0


def test_series_clamp_needs_an_area_and_positive_resistance():
    with pytest.raises(ValidationError) as err:
        iz.simulate(HH, clamp.series_clamp(0.0, 1.0, 5.0), t_stop=5.0)
    assert err.value.field == "stimulus.seclamp.area"
    with pytest.raises(ValidationError) as err:
        clamp.series_clamp(0.0, 1.0, 5.0, rs=0.0)
    assert err.value.field == "stimulus.seclamp.rs"
    batch = iz.simulate(HH, clamp.series_clamp([-40.0, 0.0], 1.0, 5.0, rs=1.0, area=1e5),
                        t_stop=5.0, record="v")
    assert batch.v.dims == ("level", "time")


def test_deactivation_tails_give_e_k_and_tau_n():
    """HH's K⁺ tails after a 20-ms pulse to +20 mV, at −110…−40 mV: the instantaneous tail I–V
    (the first sample extrapolated back to the step) crosses zero at E_K = −77 mV (within
    1e-9 mV: the conductance is the same at every level), and the fourth root of the tail
    conductance relaxes with exactly τ_n(V) (measured to 1e-13): g_K = ḡ·n⁴ with n
    exponential at a fixed voltage."""
    levels = np.arange(-110.0, -39.0, 10.0)
    tails = clamp.deactivation(HH, "K", levels)
    assert tails.attrs["power"] == 4
    assert abs(tails.attrs["reversal"] + 77.0) < 1e-9
    np.testing.assert_allclose(tails.tau.values, EV.time_constant("K.n", levels), rtol=1e-9)
    assert np.all(np.diff(tails.tail_current.values) > 0)  # linear, rising through E_K
    with pytest.raises(ValidationError, match="power"):
        clamp.deactivation(HH, "K", levels, power=0)
