"""Fractional gates: a gate x = Σ w_k·s_k of parts with kinetics of their own (NeuroML's
``gateFractional``; Allen's ``Kv2like``: ``0.5·h1 + 0.5·h2``), the conductance reading x^p.

Checked against what does not use the new code path: with power 1 the channel *is* the sum of
ordinary channels (ḡ·w_k each), exactly; with power 2 an independent right-hand side written
here, integrated by SciPy at rtol 1e-11; NEURON running ionzoo's NMODL export. The .mod and
NeuroML imports and jNeuroML are checked in test_nmodl_import.py and test_neuroml_community.py.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy.integrate import solve_ivp

import ionzoo as iz
from ionzoo.errors import ValidationError
from ionzoo.interop import neuroml as nml
from ionzoo.io import channel_from_dict, channel_to_dict
from ionzoo.model.channel import Channel, Gate
from ionzoo.reference import steady_state, time_constant

INF = "1/(1 + exp((v + 58)/11))"
TAU1 = "(360 + (1010 + 23.7*(v + 54))*exp(-((v + 75)/48)**2))/30"
TAU2 = "(2350 + 1380*exp(-0.011*v) - 210*exp(-0.03*v))/30"
M = Gate("m", 2, inf="1/(1 + exp(-(v + 20)/10))", tau="3")
H1, H2 = Gate("h1", 1, inf=INF, tau=TAU1), Gate("h2", 1, inf=INF, tau=TAU2)
STEP = iz.stimulus.step(10.0, 5.0, 180.0)


def _kv(power: int = 1) -> Channel:
    m = Gate("m", power, inf=M.inf, tau=M.tau)
    return Channel("Kv2", (m, Gate("h", 1, parts=((0.3, H1), (0.7, H2)))), gbar=5.0, e=-90.0,
                   ion="k")


def _cell(*extra: Channel) -> iz.Neuron:
    """HH (1952) with the ``extra`` channels."""
    cell = iz.models.hh1952()
    for ch in extra:
        cell = cell.with_channel(ch)
    return cell


# ------------------------------------------------------------------------------ the model
@pytest.mark.parametrize("kwargs, message", [
    ({"parts": ((0.5, H1),), "inf": INF, "tau": "1"}, "no rates of its own"),
    ({"parts": ((0.5, Gate("h1", 2, inf=INF, tau=TAU1)),)}, "power 1"),
    ({"parts": ((0.0, H1),)}, "must be > 0"),
    ({"parts": ((-1.0, H1),)}, "must be > 0"),
    ({"parts": ((float("nan"), H1),)}, "weight"),
    ({"parts": ((0.5, H1), (0.5, H1))}, "duplicate"),
    ({"parts": ((0.5, "h1"),)}, "pair"),
    ({"parts": ((0.5, Gate("h1", 1, inf=INF, tau=TAU1, temperature="none")),)},
     "temperature rule of its own"),
    ({"parts": ((0.5, H1),), "instantaneous": True}, "instantaneous"),
])
def test_bad_fractional_gates_are_refused_with_the_reason(kwargs, message):
    with pytest.raises(ValidationError, match=message):
        Gate("h", 1, **kwargs)


def test_part_names_may_not_clash_with_other_gates():
    with pytest.raises(ValidationError, match="duplicate gate names"):
        Channel("K", (Gate("h1", 1, inf=INF, tau="1"), Gate("h", 1, parts=((1.0, H1),))),
                gbar=1.0, e=-90.0)


def test_states_records_files_and_curves():
    ch = _kv(2)
    cell = _cell(ch)
    assert cell.state_names()[-3:] == ("Kv2.m", "Kv2.h1", "Kv2.h2")
    assert channel_from_dict(channel_to_dict(ch)) == ch
    # the checks reach the parts: Allen's τ_h2 formula is negative below about −120 mV
    (problem,) = iz.testing.check_channel(ch)
    assert problem.startswith("Kv2.h2: τ not finite and > 0 at v = -150 mV")
    v = np.linspace(-100, 40, 29)
    both = 0.3 * steady_state(ch, "h1", v) + 0.7 * steady_state(ch, "h2", v)
    np.testing.assert_allclose(steady_state(ch, "h", v), both, rtol=1e-15)
    with pytest.raises(ValidationError, match="no time constant of its own"):
        time_constant(ch, "h", v)
    res = iz.simulate(cell, STEP, t_stop=20.0, dt=0.025, record=("v", "Kv2.h1", "Kv2.h2"))
    assert res["Kv2.h2"].shape == res["v"].shape
    assert "h = 0.3·h1 + 0.7·h2" in str(ch)


def test_gating_plot_draws_the_parts(tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    fig = iz.plot.gating(_cell(_kv(2)))
    labels = [t.get_text() for ax in fig.axes for t in (ax.get_legend().get_texts()
                                                        if ax.get_legend() else [])]
    assert "h1∞ (Kv2)" in labels and "h2∞ (Kv2)" in labels


# ------------------------------------------------------------------------------ dynamics
@pytest.mark.parametrize("method", ["backward_euler", "crank_nicolson"])
def test_power_one_equals_the_sum_of_two_ordinary_channels(method):
    """ḡ·m²·(0.3·h1 + 0.7·h2) = 0.3ḡ·m²·h1 + 0.7ḡ·m²·h2: the same spikes to rounding
    (measured 2e-13 ms), by a path that has no fractional gate."""
    a = Channel("KvA", (M, H1), gbar=1.5, e=-90.0, ion="k")
    b = Channel("KvB", (M, H2), gbar=3.5, e=-90.0, ion="k")
    frac = iz.simulate(_cell(_kv(2)), STEP, t_stop=200.0, dt=0.025, method=method)
    split = iz.simulate(_cell(a, b), STEP, t_stop=200.0, dt=0.025, method=method)
    s1, s2 = frac.spike_trains()[0], split.spike_trains()[0]
    assert len(s1) == len(s2) >= 10
    assert np.max(np.abs(s1 - s2)) < 1e-9


def _independent_rhs(t, y, stim):
    """HH (1952, 6.3 °C) + ḡ·m·(0.3·h1 + 0.7·h2)²·(v + 90), written out here."""
    v, m, h, n, km, h1, h2 = y
    am = 0.1 * (v + 40) / (1 - np.exp(-(v + 40) / 10))
    bm = 4 * np.exp(-(v + 65) / 18)
    ah, bh = 0.07 * np.exp(-(v + 65) / 20), 1 / (1 + np.exp(-(v + 35) / 10))
    an = 0.01 * (v + 55) / (1 - np.exp(-(v + 55) / 10))
    bn = 0.125 * np.exp(-(v + 65) / 80)
    hinf = 1 / (1 + np.exp((v + 58) / 11))
    tau1 = (360 + (1010 + 23.7 * (v + 54)) * np.exp(-((v + 75) / 48) ** 2)) / 30
    tau2 = (2350 + 1380 * np.exp(-0.011 * v) - 210 * np.exp(-0.03 * v)) / 30
    x = 0.3 * h1 + 0.7 * h2
    i_ion = (120 * m**3 * h * (v - 50) + 36 * n**4 * (v + 77) + 0.3 * (v + 54.387)
             + 5.0 * km**2 * x**2 * (v + 90))
    return [stim(t) - i_ion, am * (1 - m) - bm * m, ah * (1 - h) - bh * h,
            an * (1 - n) - bn * n, (1 / (1 + np.exp(-(v + 20) / 10)) - km) / 3,
            (hinf - h1) / tau1, (hinf - h2) / tau2]


def test_power_two_matches_an_independent_right_hand_side():
    """Squared fractional gate: ionzoo's adaptive solution against SciPy's LSODA on the
    equations written out by hand (rtol 1e-11): spike times within 1e-5 ms."""
    ch = Channel("Kv2", (M, Gate("h", 2, parts=((0.3, H1), (0.7, H2)))), gbar=5.0, e=-90.0,
                 ion="k")
    cell = _cell(ch)
    y0 = [iz.simulate(cell, None, t_stop=0.025, dt=0.025, record="all")[k].values.ravel()[0]
          for k in cell.state_names()]

    def stim(t):
        return 10.0 if 5.0 <= t < 180.0 else 0.0

    def rhs(t, y):
        return _independent_rhs(t, y, stim)

    ref = iz.simulate(cell, STEP, t_stop=200.0, method="adaptive", rtol=1e-11, atol=1e-12,
                      record=None).spike_trains()[0]
    sol = solve_ivp(rhs, (0.0, 200.0), y0, method="LSODA", rtol=1e-11, atol=1e-12,
                    max_step=0.05, dense_output=True, t_eval=np.arange(0, 200, 0.005))
    v = sol.y[0]
    k = np.nonzero((v[:-1] < 0) & (v[1:] >= 0))[0]
    from scipy.optimize import brentq

    theirs = np.array([brentq(lambda t: sol.sol(t)[0], sol.t[i], sol.t[i + 1]) for i in k])
    assert len(ref) == len(theirs) >= 10
    print(f"{len(ref)} spikes, max |Δt| = {np.max(np.abs(ref - theirs)):.1e} ms")
    assert np.max(np.abs(ref - theirs)) < 1e-5


# ------------------------------------------------------------------------------ export
@pytest.mark.neuron
@pytest.mark.parametrize("method", ["backward_euler", "crank_nicolson"])
def test_nmodl_export_runs_in_neuron_as_in_ionzoo(method):
    from ionzoo.interop.neuron_runner import run_in_neuron

    cell = _cell(Channel("Kv2", (M, Gate("h", 2, parts=((0.3, H1), (0.7, H2)))), gbar=5.0,
                         e=-90.0, ion="k"))
    s_nrn, _ = run_in_neuron(cell, STEP, t_stop=200.0, dt=0.025, method=method)
    s_iz = iz.simulate(cell, STEP, t_stop=200.0, dt=0.025, method=method,
                       stabilize=False).spike_trains()[0]
    assert len(s_iz) == len(s_nrn) >= 10
    assert np.max(np.abs(s_iz - s_nrn)) < 1e-6


def test_nmodl_round_trip_keeps_the_fractional_gate_and_its_name():
    from ionzoo.interop.modfile import read_text
    from ionzoo.interop.nmodl import channel_to_nmodl

    ch = Channel("Kv2", (M, Gate("slow", 2, parts=((0.3, H1), (0.7, H2)))), gbar=5.0,
                 e=-90.0, ion="k")
    (back,) = read_text(channel_to_nmodl(ch), "x.mod").channels
    assert [(w, p.name) for w, p in back.gate("slow").parts] == [(0.3, "h1"), (0.7, "h2")]
    assert back.gate("slow").power == 2


def _fractional_file(tmp_path, sub_extra: str = "", steady: bool = True):
    nml.write(_kv(2), tmp_path / "kv.nml")
    text = (tmp_path / "kv.nml").read_text()
    if sub_extra:
        text = text.replace('<subGate id="h1" fractionalConductance="0.3">',
                            f'<subGate id="h1" fractionalConductance="0.3">{sub_extra}', 1)
    if not steady:
        start = text.index("<steadyState", text.index('<subGate id="h2"'))
        text = text[:start] + text[text.index("/>", start) + 2:]
    (tmp_path / "kv.nml").write_text(text)
    return tmp_path / "kv.nml"


def test_neuroml_round_trip_and_bad_subgates(tmp_path):
    path = _fractional_file(tmp_path)
    assert "gateFractional" in path.read_text()
    back = nml.read(path)["Kv2"]
    assert [(w, p.name) for w, p in back.gate("h").parts] == [(0.3, "h1"), (0.7, "h2")]
    with pytest.raises(ValidationError, match="subGate follows its gateFractional"):
        nml.read(_fractional_file(tmp_path, '<q10Settings type="q10Fixed" fixedQ10="2"/>'))
    with pytest.raises(ValidationError, match="steadyState and timeCourse"):
        nml.read(_fractional_file(tmp_path, steady=False))


def test_hh_cell_is_the_one_written_out_above():
    """The hand-written right-hand side uses HH 1952 as published (6.3 °C, E_L −54.387 mV)."""
    cell = iz.models.hh1952()
    leak = [c for c in cell.channels if not c.gates][0]
    assert cell.temperature == 6.3 and leak.e == pytest.approx(-54.387, abs=5e-4)
    assert [c.gbar for c in cell.channels] == [120.0, 36.0, 0.3]


@pytest.mark.parametrize("edit, message", [
    (lambda p: p.pop("weight"), "a part needs its weight"),
    (lambda p: p.update(weight="0.5; import os"), "expected a number"),
    (lambda p: p.update(parts=[]), "unknown key"),          # a part may not have parts
    (lambda p: p.update(weight=float("inf")), "finite"),
    (lambda p: p.update(name="__class__"), "may not start with '_'"),
])
def test_model_files_with_bad_parts_are_refused(edit, message):
    doc = channel_to_dict(_kv(2))
    edit(doc["gates"][1]["parts"][0])
    with pytest.raises(ValidationError, match=message):
        channel_from_dict(doc)


def test_too_many_parts_are_refused_before_building():
    from ionzoo.limits import MAX_GATES

    doc = channel_to_dict(_kv(2))
    doc["gates"][1]["parts"] = [dict(doc["gates"][1]["parts"][0], name=f"p{k}")
                                for k in range(MAX_GATES + 1)]
    with pytest.raises(ValidationError, match="more than"):
        channel_from_dict(doc)
