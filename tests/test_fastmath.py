"""The kernels' plain-arithmetic math helpers against NumPy (glibc's correctly rounded or
≤ 1 ulp functions), and the vectorisation they exist for.

Tolerances: exp, log and expm1 are ≤ 2 ulp (rtol 4.5e-16 = 2 × 2^-52 relative; measured
≤ 2, 1 and 1 ulp over 10^5–10^6 samples); tanh, sinh and cosh combine two or three rounded
operations: 3 × 2^-52 (6.7e-16; measured ≤ 4.4e-16); pow = exp(y·log x) amplifies the
rounding of y·log x by |y log x|: rtol 2.2e-16·(2 + |y log x|).
"""

from __future__ import annotations

import dataclasses
import importlib
import re

import numpy as np
import pytest

from ionzoo.backends.numba.fastmath import (
    _f_cosh,
    _f_exp,
    _f_expm1,
    _f_log,
    _f_pow,
    _f_sinh,
    _f_tanh,
)

ULP2 = 4.5e-16
ULP3 = 6.7e-16


def _apply(f, x):
    return np.array([f(float(xi)) for xi in np.ravel(x)])


def test_log_accuracy_over_the_range():
    rng = np.random.default_rng(1)
    x = np.concatenate([10.0 ** rng.uniform(-307, 308, 20000), rng.uniform(0.5, 2.0, 5000),
                        [1.0, 2.0, np.sqrt(2.0), 5e-324, 1e-310]])
    np.testing.assert_allclose(_apply(_f_log, x), np.log(x), rtol=ULP2, atol=1e-300)
    assert _f_log(1.0) == 0.0
    assert _f_log(0.0) == -np.inf and np.isnan(_f_log(-1.0)) and _f_log(np.inf) == np.inf
    assert np.isnan(_f_log(np.nan))


def test_expm1_accuracy_near_zero_and_beyond():
    x = np.concatenate([np.linspace(-1, 1, 20001), np.geomspace(1e-300, 0.3, 500),
                        -np.geomspace(1e-300, 0.3, 500), np.linspace(-40, 40, 2001)])
    np.testing.assert_allclose(_apply(_f_expm1, x), np.expm1(x), rtol=ULP2, atol=0)


def test_hyperbolic_functions():
    x = np.concatenate([np.linspace(-30, 30, 20001), np.geomspace(1e-200, 1, 300),
                        -np.geomspace(1e-200, 1, 300)])
    np.testing.assert_allclose(_apply(_f_tanh, x), np.tanh(x), rtol=ULP3, atol=0)
    np.testing.assert_allclose(_apply(_f_sinh, x), np.sinh(x), rtol=ULP3, atol=0)
    np.testing.assert_allclose(_apply(_f_cosh, x), np.cosh(x), rtol=ULP3, atol=0)
    assert _f_tanh(1e6) == 1.0 and _f_tanh(-1e6) == -1.0 and _f_tanh(0.0) == 0.0


def test_pow_accuracy():
    rng = np.random.default_rng(2)
    base = 10.0 ** rng.uniform(-8, 8, 5000)
    expo = rng.uniform(-6, 6, 5000)
    got = np.array([_f_pow(float(a), float(b)) for a, b in zip(base, expo)])
    want = base ** expo
    rel = np.abs(got / want - 1.0)
    assert np.all(rel <= 2.2e-16 * (2.0 + np.abs(expo * np.log(base))))
    assert _f_pow(0.00043 / 1e-4, 4.8) == pytest.approx(4.3 ** 4.8, rel=1e-15)


def test_exp_still_exact_to_two_ulp():
    x = np.linspace(-700, 700, 5001)
    np.testing.assert_allclose(_apply(_f_exp, x), np.exp(x), rtol=ULP2)


@pytest.mark.slow
def test_helpers_that_call_helpers_do_not_stop_vectorisation(tmp_path, monkeypatch):
    """The regression behind the inlining: ``cai ** 4.8`` (pow → log, exp) or tanh/cosh in a
    gate made LLVM keep a call in the neuron loop, which then ran scalar (5-7× slower). The
    kernels of a gate written with pow, and with tanh/cosh, must vectorise as much as the same
    gate written with exp and log directly (compiled fresh: inspection needs a cold cache)."""
    import ionzoo as iz
    from ionzoo.channels import Gate, hay2011
    from ionzoo.ions import Calcium

    monkeypatch.setenv("IONZOO_CACHE_DIR", str(tmp_path))
    simulate_module = importlib.import_module("ionzoo.simulation")
    compiled = []
    original = simulate_module.numba_kernels

    def capture(*args):
        compiled.append(original(*args))
        return compiled[-1]

    monkeypatch.setattr(simulate_module, "numba_kernels", capture)
    hh = iz.models.hh1952()

    def vector_share(inf: str) -> float:
        """Fraction of the floating-point arithmetic of the blocked kernel of HH + SK(z∞ =
        inf) + Ca_HVA that is vector arithmetic (≈ 0.95 when the neuron loop vectorises: the
        rest is the spike-time interpolation; ≈ 0.1 when it does not)."""
        sk = dataclasses.replace(hay2011.sk_e2(), gates=(Gate("z", 1, inf=inf, tau=1.0),))
        c = iz.Neuron(channels=(*hh.channels, sk, hay2011.ca_hva()), calcium=Calcium.hay())
        iz.simulate(c, iz.stimulus.step(np.linspace(0, 1, 64)), t_stop=0.05, record=None)
        run = compiled[-1].run
        llvm = run.inspect_llvm(run.signatures[0])
        vector = len(re.findall(r"= f(?:add|sub|mul|div)[^\n]*<\d+ x double>", llvm))
        scalar = len(re.findall(r"= f(?:add|sub|mul|div) [a-z ]*double ", llvm))
        return vector / (vector + scalar)

    assert vector_share("1 / (1 + exp(4.8 * log(0.00043 / cai)))") > 0.8
    assert vector_share("1 / (1 + (0.00043 / cai) ** 4.8)") > 0.8
    assert vector_share("0.5 * (1 + tanh(cai / cosh(v / 10)))") > 0.8
