"""Shared fixtures. Kernels are cached on disk (``$IONZOO_CACHE_DIR`` or ~/.cache/ionzoo)."""

import matplotlib
import pytest

import ionzoo as iz

matplotlib.use("Agg")


@pytest.fixture(scope="session")
def hh():
    """HH 1952 with the Table 3 leak (EL = −54.387 mV), 6.3 °C."""
    return iz.models.hh1952()


@pytest.fixture(scope="session")
def hh_adaptive_10():
    """Adaptive (LSODA, rtol = atol = 1e-10) reference: HH, 10 µA/cm² step from t = 0, 1000 ms."""
    res = iz.simulate(iz.models.hh1952(), iz.stimulus.step(10.0), t_stop=1000.0, dt=0.025,
                      method="adaptive", record=None)
    return res.spike_trains()[0]
