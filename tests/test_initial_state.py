"""Control of the initial state: per-state values (``Neuron.with_initial``), batches of them, and
``v="rest"`` — checked against independent facts: a fixed-step run that starts at an equilibrium
does not move (the schemes are exactly stationary there), the equilibria of
:mod:`ionzoo.dynamics`, and the unchanged default start. NEURON comparisons of the same starts
are in test_neuron_crosscheck.py and test_neuron_original.py."""

import numpy as np
import pytest
import xarray as xr

import ionzoo as iz
from ionzoo.dynamics import equilibria
from ionzoo.errors import ValidationError
from ionzoo.io import modelfile
from ionzoo.models import pospischil


def test_a_given_gate_starts_at_its_value_and_the_others_at_steady_state():
    cell = pospischil.rs()
    res = iz.simulate(cell.with_initial({"M.m": 0.0}), None, t_stop=1.0, record="all")
    ref = iz.simulate(cell, None, t_stop=1.0, record="all")
    assert res.dataset["M.m"].values[0] == 0.0
    assert ref.dataset["M.m"].values[0] > 1e-3
    for gate in ("Na.m", "Na.h", "Kd.n"):
        assert res.dataset[gate].values[0] == ref.dataset[gate].values[0]


def test_initial_values_batch_like_parameters():
    """An array makes a dimension ``initial.M.m``; each neuron equals its own scalar run."""
    cell = pospischil.rs()
    values = [0.0, 0.05, 0.2]
    res = iz.simulate(cell.with_initial({"M.m": values}), 2.0, t_stop=50.0, record="M.m")
    assert res.dataset["M.m"].dims == ("initial.M.m", "time")
    for k, m0 in enumerate(values):
        one = iz.simulate(cell.with_initial({"M.m": m0}), 2.0, t_stop=50.0, record="M.m")
        np.testing.assert_array_equal(res.dataset["M.m"].values[k], one.dataset["M.m"].values)
    shared = cell.with_initial({"M.m": xr.DataArray([0.0, 0.1], dims="trial"),
                                "Kd.n": xr.DataArray([0.1, 0.2], dims="trial")})
    assert iz.simulate(shared, None, t_stop=1.0, record=None).dataset.sizes["trial"] == 2


def test_rest_is_stationary_and_equals_the_equilibrium():
    """HH under constant currents from t = 0 (one batch): started at rest, v stays put to
    1e-9 mV over 50 ms of either scheme, and equals ionzoo.dynamics.equilibria's root."""
    currents = np.array([-5.0, 0.0, 3.0, 5.0])
    cell = iz.models.hh1952().with_initial(v="rest")
    eq = equilibria(iz.models.hh1952(), currents).v.values[:, 0]
    for method in ("backward_euler", "crank_nicolson"):
        res = iz.simulate(cell, iz.stimulus.step(currents), t_stop=50.0, method=method)
        v = res.v.values
        np.testing.assert_allclose(v[:, 0], eq, atol=1e-9)
        assert np.max(np.abs(v - v[:, :1])) < 1e-9


def test_rest_of_a_calcium_pool_cell_is_stationary():
    """The LTS cell (T channel, Destexhe pool) and Hay's soma (Hay pool, SK reading cai): v and
    cai constant to 1e-9 (relative for cai) over 200 ms."""
    for cell in (pospischil.lts(), iz.models.hay2011_soma()):
        res = iz.simulate(cell.with_initial(v="rest"), None, t_stop=200.0,
                          record=["v", "ca.cai"])
        v, cai = res.v.values, res.dataset["ca.cai"].values
        assert np.max(np.abs(v - v[0])) < 1e-9
        assert np.max(np.abs(cai / cai[0] - 1)) < 1e-9


def test_rest_picks_the_stable_equilibrium_nearest_v_init():
    """Morris–Lecar (SNIC set) at 30 µA/cm² has three equilibria (stable node, saddle, unstable
    focus): from any v_init it starts at the stable one, even when v_init is next to another."""
    cell = iz.models.morris_lecar_snlc()
    eq = equilibria(cell, 30.0)
    v = eq.v.values[np.isfinite(eq.v.values)]
    assert len(v) == 3
    stable = float(eq.v.values[eq.stable.values][0])
    for guess in (-60.0, float(v[1]) + 0.1, float(v[2])):
        res = iz.simulate(cell.with_params(v_init=guess).with_initial(v="rest"), 30.0,
                          t_stop=10.0)
        assert abs(res.v.values[0] - stable) < 1e-9


def test_rest_is_solved_per_neuron_of_a_batch():
    cell = iz.models.hh1952().with_params(**{"K.gbar": [24.0, 36.0, 48.0]})
    res = iz.simulate(cell.with_initial(v="rest"), None, t_stop=5.0)
    for k, g in enumerate([24.0, 36.0, 48.0]):
        one = equilibria(iz.models.hh1952().with_params(**{"K.gbar": g}), 0.0)
        assert abs(res.v.values[k, 0] - float(one.v.values[0])) < 1e-9


def test_explicit_states_survive_rest():
    cell = iz.models.hh1952().with_initial({"K.n": 0.5}, v="rest")
    res = iz.simulate(cell, None, t_stop=1.0, record=["v", "K.n"])
    assert res.dataset["K.n"].values[0] == 0.5
    assert abs(res.v.values[0] - float(equilibria(iz.models.hh1952(), 0.0).v.values[0])) < 1e-9


def test_default_start_is_unchanged():
    cell = iz.models.hh1952()
    assert cell.initial == () and cell.start == "v_init"
    assert iz.simulate(cell, None, t_stop=1.0).v.values[0] == cell.v_init


def test_model_files_keep_the_initial_state(tmp_path):
    cell = pospischil.lts("modeldb").with_initial(v="rest")
    path = tmp_path / "lts.yaml"
    modelfile.save(cell, path)
    back = modelfile.load(path)
    assert back == cell and back.initial == cell.initial and back.start == "rest"


def test_structure_edits_drop_initial_values_of_removed_states():
    cell = pospischil.rs("modeldb")
    assert "M.m" in cell.initial_state
    assert "M.m" not in cell.without_channel("M").initial_state
    batch = pospischil.rs().with_initial({"M.m": [0.0, 0.1]})
    assert "initial.M.m" not in batch.without_channel("M").overrides


def test_pospischil_modeldb_start():
    """ModelDB 123623's files start every gate at 0 (test_neuron_original.py runs them)."""
    cell = pospischil.ib("modeldb")
    assert set(cell.initial_state) == {"Na.m", "Na.h", "Kd.n", "M.m", "L.m", "L.h"}
    assert set(cell.initial_state.values()) == {0.0}
    with pytest.raises(ValidationError, match="initial"):
        pospischil.rs("published")


@pytest.mark.parametrize("call, field", [
    (lambda c: c.with_initial({"M.x": 0.0}), "initial.M.x"),
    (lambda c: c.with_initial({"M.m": 1.5}), "initial.M.m"),
    (lambda c: c.with_initial({"M.m": float("nan")}), "initial.M.m"),
    (lambda c: c.with_initial({"M.m": [0.0, 2.0]}), "initial.M.m"),
    (lambda c: c.with_initial({"v": 0.0}), "initial.v"),
    (lambda c: c.with_initial(v="resting"), "initial.v"),
    (lambda c: c.with_initial(["M.m"]), "initial"),
    (lambda c: c.with_params(**{"initial.Na.m": 0.1}), "initial.Na.m"),
])
def test_bad_initial_states_are_refused_by_name(call, field):
    with pytest.raises(ValidationError) as err:
        call(pospischil.rs())
    assert err.value.field == field


def test_rest_without_an_equilibrium_in_range_is_a_clear_error():
    """A leak alone under 1000 µA/cm² would rest at +9935 mV, outside the searched range."""
    cell = iz.Neuron(channels=(iz.channels.Channel("leak", gbar=0.1, e=-65.0),))
    with pytest.raises(ValidationError, match="no equilibrium between -130 and 80 mV"):
        iz.simulate(cell.with_initial(v="rest"), iz.stimulus.step([0.0, 1000.0]), t_stop=1.0)


def test_a_model_file_cannot_smuggle_bad_initial_values(tmp_path):
    path = tmp_path / "bad.yaml"
    text = modelfile.neuron_to_dict(iz.models.hh1952())
    for initial, field in (({"K.n": "0.5"}, "initial.K.n"), ({"K.q": 0.5}, "initial.K.q"),
                           ([1, 2], "initial")):
        text["initial"] = initial
        path.write_text(__import__("json").dumps(text))
        path = path.rename(path.with_suffix(".json"))
        with pytest.raises(ValidationError) as err:
            modelfile.load(path)
        assert err.value.field.endswith(field)
