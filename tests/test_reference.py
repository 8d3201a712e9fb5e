"""The NumPy reference evaluator (``ionzoo.reference``) against the compiled kernels, and its
exact Jacobian against finite differences; every figure that reads it, for every model and
channel of the zoo.

The reference evaluates the same IR expressions the kernels are generated from, with NumPy
instead of compiled code: x∞ (from the ``init`` kernel and the fast kernel's recorded
``<gate>_inf``), τ, conductances and currents must agree to 1e-12 relative (measured ≤ 3e-15 for
the exact-math kernels and ≤ 4e-15 for the fast polynomial exponential) over −150…+100 mV.
"""

import dataclasses

import numpy as np
import pytest

import ionzoo as iz
from ionzoo.channels import REGISTRY as CHANNELS
from ionzoo.ions import Calcium
from ionzoo.models import REGISTRY as MODELS
from ionzoo.reference import Evaluator

V = np.linspace(-150.0, 100.0, 251)


def close(a, b, rtol=1e-12):
    """|a − b| ≤ rtol · (|a| + the curve's largest |value|)."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    scale = np.abs(a) + np.max(np.abs(b))
    return bool(np.all(np.abs(a - b) <= rtol * scale))


def zoo_neuron():
    """Every zoo channel in one neuron (renamed c0, c1…; ḡ scaled down so that one step from any
    v_init stays physiological), fixed calcium: one kernel to compile for the whole zoo."""
    chans = []
    for i, key in enumerate(sorted(CHANNELS)):
        ch = CHANNELS[key]()
        chans.append(dataclasses.replace(ch, name=f"c{i}", gbar=ch.gbar * 1e-3))
    return iz.Neuron(channels=tuple(chans), temperature=30.0,
                     calcium=Calcium(cai=1e-4, cao=2.0), name="zoo")


@pytest.fixture(scope="module")
def zoo_run():
    cell = zoo_neuron()
    ev = Evaluator(cell)
    record = ["v"] + [f"{c.name}.{x}" for c in cell.channels for x in ("g", "i")]
    record += [g.name for g in ev.ir.gates] + [f"{g.name}_inf" for g in ev.ir.gates]
    record += [f"{g.name}_tau" for g in ev.ir.kinetic_gates()]
    res = iz.simulate(cell.with_params(v_init=V), None, t_stop=0.025, record=record)
    return cell, ev, res


@pytest.mark.parametrize("key", sorted(CHANNELS))
def test_reference_equals_the_kernels_on_every_channel(key, zoo_run):
    """Sample 0: the init and observe kernels (libm); sample 1: after one step of the fast
    (vectorised, polynomial-exp) kernel. Tolerance 1e-12 of each curve's scale (x∞ near 0
    comes from 1 + tanh(x) and similar cancellations, where one ulp of libm is 1e-9
    relative)."""
    cell, ev, res = zoo_run
    name = f"c{sorted(CHANNELS).index(key)}"
    gates = [g for g in ev.ir.gates if g.channel == name]
    for k in (0, 1):
        v = res.v.values[:, k]
        states = ev.states_at_rest(v) if k == 0 else {
            "v": v, **ev.concentrations(),
            **{g.name: res[g.name].values[:, k] for g in ev.ir.kinetic_gates()}}
        for g in gates:
            assert close(res[f"{g.name}_inf"].values[:, k], ev.steady_state(g.name, v)), g.name
            if not g.instantaneous:
                assert close(res[f"{g.name}_tau"].values[:, k], ev.time_constant(g.name, v))
            if k == 0:
                assert close(res[g.name].values[:, 0], ev.steady_state(g.name, v)), g.name
        assert close(res[f"{name}.g"].values[:, k], ev.conductances(states)[name]), key
        assert close(res[f"{name}.i"].values[:, k], ev.currents(states)[name]), key


@pytest.mark.parametrize("key", sorted(MODELS))
def test_exact_jacobian_equals_finite_differences(key):
    """∂f/∂y from symbolic derivatives against central differences (relative step 1e-6) at the
    model's resting state and at a depolarised point: agreement to 1e-6 relative of each row's
    scale (finite-difference truncation and rounding are ~1e-8 here)."""
    cell = MODELS[key]()
    ev = Evaluator(cell)
    names = ev.ir.state_names
    for v0 in (cell.v_init, -30.0):
        y = {k: float(x) for k, x in ev.states_at_rest(v0).items() if k in names}
        for k in names:
            if k not in y:  # a pool's state
                y[k] = float(cell.calcium.cai)
        jac = ev.jacobian(y)
        for j, b in enumerate(names):
            h = 1e-6 * max(abs(y[b]), 1e-3)
            up = ev.rhs({**y, b: y[b] + h})
            dn = ev.rhs({**y, b: y[b] - h})
            for i, a in enumerate(names):
                fd = (up[a] - dn[a]) / (2 * h)
                scale = max(np.max(np.abs(jac[i])), 1e-12)
                assert abs(jac[i, j] - fd) <= 1e-6 * scale, (key, a, b, jac[i, j], fd)


@pytest.mark.parametrize("key", sorted(MODELS))
def test_figures_work_for_every_model(key, tmp_path):
    from ionzoo.cli import main

    cell = MODELS[key]()
    iz.plot.gating(cell)
    stim = iz.stimulus.step(iz.models.DEMO_CURRENT.get(key, float(cell.density(0.5))
                                                        if cell.area else 10.0), 5.0, 45.0)
    res = iz.simulate(cell, stim, t_stop=50.0, record="all")
    iz.plot.mechanism(res)
    assert main(["plot", "gating", key, "--out", str(tmp_path / "g.png")]) == 0
    assert (tmp_path / "g.png").stat().st_size > 1000
    import matplotlib.pyplot as plt

    plt.close("all")


@pytest.mark.parametrize("key", sorted(k for k in CHANNELS if CHANNELS[k]().gates))
def test_channel_figures_work_for_every_channel(key, tmp_path, capsys):
    from ionzoo.cli import main

    assert main(["channels", "show", key, "--plot", str(tmp_path / "c.png")]) == 0
    assert (tmp_path / "c.png").stat().st_size > 1000
    import matplotlib.pyplot as plt

    plt.close("all")
