"""Shared fixtures. Kernels are cached on disk (``$IONZOO_CACHE_DIR`` or ~/.cache/ionzoo)."""

import os

import matplotlib
import pytest
from hypothesis import settings

import ionzoo as iz

matplotlib.use("Agg")

# Fuzzing budget: a bounded number of examples per property in CI; IONZOO_FUZZ=deep for a long
# local campaign. The example database stays out of the repository (.gitignore).
settings.register_profile("ci", max_examples=200)
settings.register_profile("deep", max_examples=5000)
settings.load_profile("deep" if os.environ.get("IONZOO_FUZZ") == "deep" else "ci")


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
