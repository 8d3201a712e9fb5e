"""Engine features used by the zoo, against the adaptive reference (LSODA, 1e-10) and exact
solutions: instantaneous gates, calcium pools, Nernst reversal, fixed and conductance Q10
rules; model files."""

import numpy as np
import pytest

import ionzoo as iz
from ionzoo.channels import Channel, destexhe, mainen1996
from ionzoo.errors import ValidationError
from ionzoo.ions import FARADAY, Calcium, nernst


@pytest.mark.parametrize("make, stim, t_stop", [
    (iz.models.wang_buzsaki, 1.0, 200.0),                     # instantaneous m, fixed φ
    (lambda: iz.models.inap_ik("high"), 6.0, 100.0),          # instantaneous Na
    (lambda: iz.models.morris_lecar("snlc"), 45.0, 600.0),    # tanh/cosh forms, C = 20
    (iz.models.pospischil.lts, None, 1000.0),                 # T-type + pool + Nernst
    (iz.models.connor_stevens, 10.0, 300.0),
])
def test_crank_nicolson_converges_to_the_adaptive_reference(make, stim, t_stop):
    """Second-order convergence of spike times for models with the new kinetic features:
    the error at dt/2 is < 0.35 × the error at dt (order ≥ 1.5) and < 0.05 ms at dt = 0.005."""
    cell = make()
    if stim is None:
        stim = iz.stimulus.step(float(cell.density(0.15)), 400.0, 800.0)
    ref = iz.simulate(cell, stim, t_stop=t_stop, method="adaptive", record=None).spike_trains()[0]
    errs = []
    for dt in (0.02, 0.01, 0.005):
        s = iz.simulate(cell, stim, t_stop=t_stop, dt=dt, record=None).spike_trains()[0]
        assert len(s) == len(ref) >= 2
        errs.append(np.max(np.abs(s - ref)))
    assert errs[1] < 0.35 * errs[0] and errs[2] < 0.35 * errs[1]
    assert errs[2] < 0.05


def test_calcium_pool_exact_solution():
    """A constant Ca current into a Destexhe pool: cai(t) = c∞ + (c0 − c∞) e^{−t/τ} with
    c∞ = cai_rest + drive·τ, drive = −10 i/(2 F depth). The Ca current of a gateless channel
    at v = 0 is constant (I = 0.02·(0 − 100) = −2 µA/cm²) and an equal stimulus (C dv/dt =
    I_stim − I_ion = 0) holds v at 0 exactly."""
    i_ca = -2.0  # µA/cm², inward
    ch = Channel("CaL", gbar=0.02, e=100.0, ion="ca")
    cell = iz.Neuron(channels=(ch,), v_init=0.0, temperature=36.0,
                     calcium=Calcium.destexhe(depth=1.0, tau=5.0, cainf=2.4e-4))
    res = iz.simulate(cell, i_ca, t_stop=20.0, dt=0.01, record=["v", "ca.cai"])
    assert np.allclose(res.v.values, 0.0, atol=1e-9)
    drive = -10.0 * i_ca / (2 * FARADAY * 1.0)
    c_inf = 2.4e-4 + drive * 5.0
    exact = c_inf + (2.4e-4 - c_inf) * np.exp(-res.t / 5.0)
    np.testing.assert_allclose(res["ca.cai"].values, exact, rtol=1e-12)


def test_destexhe_pool_ignores_outward_current_hay_pool_does_not():
    """An outward Ca current (v held at 0 against E = −100 mV): Destexhe's inward-only drive
    leaves cai at rest exactly; Hay's signed drive removes calcium (γ = 0.5)."""
    ch = Channel("CaL", gbar=0.002, e=-100.0, ion="ca")  # +0.2 µA/cm², outward
    for pool in ("destexhe", "hay"):
        calcium = Calcium(cai=2.4e-4, pool=pool, depth=1.0, tau=50.0, cai_rest=2.4e-4,
                          gamma=0.5)
        cell = iz.Neuron(channels=(ch,), v_init=0.0, calcium=calcium)
        res = iz.simulate(cell, 0.2, t_stop=5.0, record=["v", "ca.cai"])
        assert np.allclose(res.v.values, 0.0, atol=1e-9)
        c = res["ca.cai"].values
        if pool == "destexhe":
            assert np.all(c == 2.4e-4)
        else:
            drive = -10.0 * 0.5 * 0.2 / (2 * FARADAY * 1.0)
            c_inf = 2.4e-4 + drive * 50.0
            np.testing.assert_allclose(c, c_inf + (2.4e-4 - c_inf) * np.exp(-res.t / 50.0),
                                       rtol=1e-12)


def test_nernst_reversal_follows_the_pool():
    cell = iz.models.pospischil.lts()
    res = iz.simulate(cell, iz.stimulus.step(float(cell.density(0.15)), 400.0, 800.0),
                      t_stop=600.0, record=["ca.cai", "T.e"])
    expected = nernst(res["ca.cai"].values, 2.0, 2, 36.0)
    np.testing.assert_allclose(res["T.e"].values, expected, rtol=1e-12)


def test_conductance_q10_scales_gbar():
    """Mainen's rule: g = tadj·gbar·n at 37 °C with tadj = 2.3^1.4 (checked on the recorded g)."""
    cell = iz.Neuron(channels=(mainen1996.kv(gbar=10.0),), temperature=37.0, v_init=-20.0)
    res = iz.simulate(cell, None, t_stop=1.0, record=["Kv.g", "Kv.n"])
    tadj = 2.3 ** ((37.0 - 23.0) / 10.0)
    np.testing.assert_allclose(res["Kv.g"].values, tadj * 10.0 * res["Kv.n"].values,
                               rtol=1e-12)


def test_calcium_required_when_needed():
    with pytest.raises(ValidationError, match="calcium"):
        iz.Neuron(channels=(destexhe.it(),))


def test_model_file_round_trip(tmp_path):
    for make in (iz.models.hh1952, iz.models.pospischil.lts, iz.models.wang_buzsaki,
                 lambda: iz.models.morris_lecar("hopf")):
        cell = make()
        for suffix in (".yaml", ".json"):
            path = tmp_path / f"cell{suffix}"
            iz.io.save(cell, path)
            back = iz.io.load(path)
            assert back == cell
            a = iz.simulate(cell, 5.0, t_stop=50.0, record=None).spikes.values
            b = iz.simulate(back, 5.0, t_stop=50.0, record=None).spikes.values
            assert np.array_equal(a, b, equal_nan=True)


@pytest.mark.parametrize("text, field", [
    ("!!python/object/apply:os.system ['true']", "not valid YAML"),
    ("channels: [{name: Na, gbar: 1, e: 0, gates: [], evil: 1}]", "unknown key(s) ['evil']"),
    ("channels: [{name: X, gbar: 1, e: 0, gates: [{name: m, power: 1, "
     "alpha: \"__import__('os').system('true')\", beta: 1}]}]", "dunder"),
    ("channels: [{name: X, gbar: -1, e: 0, gates: []}]", "X.gbar"),
    ("channels: [{name: X, gbar: 1, e: 0, gates: [{name: m, power: 1, "
     "alpha: {form: cubic, rate: 1, midpoint: 0, scale: 1}, beta: 1}]}]", "form"),
    ("capacitance: 0\nchannels: []", "capacitance"),
    ("- just\n- a list", "expected a mapping"),
])
def test_hostile_or_malformed_files(tmp_path, text, field):
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    with pytest.raises(ValidationError) as info:
        iz.io.load(path)
    assert field in str(info.value)


def test_cli_runs_a_model_file(tmp_path, capsys):
    from ionzoo.cli import main

    path = tmp_path / "wb.yaml"
    iz.io.save(iz.models.wang_buzsaki(), path)
    assert main(["run", str(path), "--current", "1", "--t-stop", "100", "--json"]) == 0
    assert '"spike_count"' in capsys.readouterr().out
