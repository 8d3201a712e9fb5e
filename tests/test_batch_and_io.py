"""Batches as labelled data, compile-by-structure, disk cache, O(batch) memory, NetCDF I/O."""

import json
import os
import subprocess
import sys
import textwrap
import tracemalloc

import numpy as np
import pytest
import xarray as xr

import ionzoo as iz
from ionzoo.backends.numba import generate, generations, kernels
from ionzoo.lower import lower
from ionzoo.stimulus import as_stimulus


def test_batch_dimensions_and_coordinates(hh):
    cell = hh.with_params(**{"Na.gbar": [60.0, 120.0], "temperature": [6.3, 16.3, 26.3]})
    res = iz.simulate(cell, iz.stimulus.step(np.linspace(0, 20, 4)), t_stop=20.0, record=None)
    assert res.spike_count.dims == ("Na.gbar", "temperature", "amplitude")
    assert res.spike_count.shape == (2, 3, 4)
    np.testing.assert_array_equal(res.spike_count["temperature"], [6.3, 16.3, 26.3])
    assert res.dataset["Na.gbar"].attrs["units"] == "mS/cm2"


def test_dataarray_parameters_share_a_dimension(hh):
    """Two parameters on one named dimension vary together (zip, not outer product)."""
    cond = xr.DataArray([0, 1, 2], dims="condition")
    cell = hh.with_params(**{"Na.gbar": xr.DataArray([120.0, 100.0, 80.0], dims="condition"),
                             "K.gbar": xr.DataArray([36.0, 30.0, 24.0], dims="condition")})
    res = iz.simulate(cell, iz.stimulus.step(10.0), t_stop=30.0, record=None)
    assert res.spike_count.dims == ("condition",) and res.spike_count.size == cond.size
    one = iz.simulate(hh.with_params(**{"Na.gbar": 100.0, "K.gbar": 30.0}),
                      iz.stimulus.step(10.0), t_stop=30.0, record=None)
    np.testing.assert_allclose(res.spikes[1, : int(one.spike_count)], one.spike_trains()[0],
                               atol=1e-12)


def test_values_and_batch_size_never_change_the_kernel(hh):
    st = as_stimulus(iz.stimulus.step(10.0))
    key0 = generate(lower(hh, st, ("v",)))[1]
    other = hh.with_params(**{"Na.gbar": [1.0, 2.0, 3.0], "temperature": 30.0, "v_init": -70.0})
    ir = lower(other, as_stimulus(iz.stimulus.step([1.0, 5.0], start=3.0)), ("v",))
    assert generate(ir)[1] == key0
    # a different structure (recorded set) is a different kernel
    assert generate(lower(hh, st, ("v", "Na.m")))[1] != key0


@pytest.mark.parametrize("model", ["hh1952", "pospischil_lts", "pospischil_ib"])
def test_new_values_batch_sizes_and_stimulus_values_generate_nothing(model):
    """A new scalar value of any kind (ḡ, E, an extra parameter, temperature, a Q10, v_init,
    the capacitance, calcium), a new batch size and new stimulus values lower and generate
    nothing: counted, not timed."""
    from ionzoo.lower import generations as lowerings

    cell = iz.models.REGISTRY[model]()
    iz.simulate(cell, iz.stimulus.step(1.0, start=2.0), t_stop=1.0, record=None)
    before = (lowerings(), generations())
    changes = [{"temperature": 30.0}, {"v_init": -70.0}, {"capacitance": 1.5}]
    for ch in cell.channels:
        changes += [{f"{ch.name}.{k}": v * 0.9 + 0.01} for k, v in ch.parameters().items()]
    if cell.calcium is not None:
        changes += [{f"ca.{k}": v * 1.1} for k, v in cell.calcium.parameters().items()]
    for change in changes:
        iz.simulate(cell.with_params(**change), iz.stimulus.step(1.0, start=2.0), t_stop=1.0,
                    record=None)
    for n in (3, 70):
        iz.simulate(cell.with_params(temperature=np.linspace(20, 30, n)),
                    iz.stimulus.step(np.linspace(0, 2, 2), start=0.5, stop=0.7), t_stop=1.0,
                    record=None)
    assert (lowerings(), generations()) == before, len(changes)


def test_no_recompilation_for_new_values(hh):
    mod = kernels(lower(hh, as_stimulus(iz.stimulus.step(1.0)), ()))
    iz.simulate(hh, iz.stimulus.step(1.0), t_stop=1.0, record=None)
    for n in (1, 7, 8, 300, 1000):
        cell = hh.with_params(**{"K.gbar": np.linspace(30, 40, n)})
        iz.simulate(cell, iz.stimulus.step(5.0, start=0.5), t_stop=2.0, record=None)
    assert len(mod.run.signatures) == 1 and len(mod.run_scalar.signatures) == 1


def test_disk_cache_is_reused_by_a_new_process(tmp_path):
    code = textwrap.dedent("""
        import json, ionzoo as iz
        from ionzoo.backends.numba import kernels
        from ionzoo.lower import lower
        from ionzoo.stimulus import as_stimulus
        cell = iz.models.hh1952()
        iz.simulate(cell, iz.stimulus.step(3.0), t_stop=1.0, record=["K.n"])
        mod = kernels(lower(cell, as_stimulus(iz.stimulus.step(3.0)), ("K.n",)))
        kernels = (mod.run, mod.run_scalar, mod.init)
        print(json.dumps({"hits": sum(sum(k.stats.cache_hits.values()) for k in kernels),
                          "misses": sum(sum(k.stats.cache_misses.values()) for k in kernels)}))
    """)
    env = {**os.environ, "IONZOO_CACHE_DIR": str(tmp_path)}
    runs = [json.loads(subprocess.run([sys.executable, "-c", code], env=env, check=True,
                                      capture_output=True, text=True).stdout.splitlines()[-1])
            for _ in range(2)]
    assert runs[0]["misses"] == 2 and runs[0]["hits"] == 0  # init + run_scalar compiled
    assert runs[1]["misses"] == 0 and runs[1]["hits"] == 2  # ... and loaded from disk


def test_million_neurons_spikes_only_memory_is_per_neuron(hh):
    """record=None: memory grows with the batch, not with batch × time. 1e6 neurons, 2 ms and
    8 ms (4× the steps) must peak at the same memory, below 250 bytes per neuron."""
    cell = hh.with_params(**{"Na.gbar": np.linspace(100, 140, 1_000_000)})
    peaks = []
    for t_stop in (2.0, 8.0):
        tracemalloc.start()
        res = iz.simulate(cell, iz.stimulus.step(10.0), t_stop=t_stop, record=None,
                          max_spikes=2)
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
        assert res.spike_count.size == 1_000_000
    assert peaks[1] <= peaks[0] * 1.02
    assert peaks[1] / 1e6 < 250
    assert int(res.spike_count.max()) == 1  # one spike each within 8 ms at 10 µA/cm²


def test_max_spikes_truncates_storage_not_counts(hh):
    res = iz.simulate(hh, iz.stimulus.step(10.0), t_stop=200.0, record=None, max_spikes=3)
    assert int(res.spike_count) == 14 and res.spikes.sizes["spike"] == 3
    assert res.dataset.attrs["spikes_truncated"] == 1


def test_netcdf_round_trip_is_lossless(hh, tmp_path):
    cell = hh.with_params(temperature=[6.3, 20.0])
    res = iz.simulate(cell, iz.stimulus.step([5.0, 10.0]), t_stop=30.0,
                      record=["v", "Na.m", "K.i", "leak.g", "i_ion"], record_every=4)
    path = tmp_path / "run.nc"
    res.to_netcdf(path)
    back = iz.load_result(path)
    xr.testing.assert_identical(back.dataset, res.dataset)
    assert back.v.attrs["units"] == "mV"
    assert back.dataset.attrs["method"] == "crank_nicolson"


def test_recorded_currents_are_consistent(hh):
    res = iz.simulate(hh, iz.stimulus.step(10.0), t_stop=20.0,
                      record=["v", "Na.m", "Na.h", "Na.g", "Na.i", "K.i", "leak.i", "i_ion"])
    g = 120.0 * res["Na.m"] ** 3 * res["Na.h"]
    np.testing.assert_allclose(res["Na.g"], g, rtol=1e-12)
    np.testing.assert_allclose(res["Na.i"], g * (res.v - 50.0), rtol=1e-10, atol=1e-10)
    total = res["Na.i"] + res["K.i"] + res["leak.i"]
    np.testing.assert_allclose(res["i_ion"], total, rtol=1e-10, atol=1e-10)
    assert res.t[1] == pytest.approx(0.025)


def test_result_helpers(hh):
    res = iz.simulate(hh, iz.stimulus.step([0.0, 10.0]), t_stop=1000.0, record=None)
    rate = res.firing_rate(start=500.0)
    assert rate.attrs["units"] == "Hz"
    assert float(rate[0]) == 0.0 and 60 < float(rate[1]) < 75
    with pytest.raises(KeyError, match="not recorded"):
        res["v"]
    assert "spikes=" in repr(res)
