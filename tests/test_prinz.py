"""The Prinz, Billimoria & Marder (2003) STG model neuron (``iz.models.prinz_stg``).

References, all independent of the code under test:

* the gate formulas as tabulated in ``shared/reference/prinz.md`` §1.3 (the xolotl, simEngine
  and Conductor.jl sources agree on them), written out again here in NumPy;
* the exact solution of the calcium pool's linear equation τ d[Ca]/dt = −f·I_Ca − [Ca] + [Ca]₀
  under a constant calcium current (prinz.md §1.4: f = 14.96 µM/nA, A = 0.628e-3 cm², τ = 200
  ms, [Ca]₀ = 0.05 µM);
* NEURON 9 running the exported mechanisms (both schemes).
"""

import numpy as np
import pytest

import ionzoo as iz
from ionzoo.channels import prinz2003 as ch
from ionzoo.errors import ValidationError
from ionzoo.models import prinz_stg
from ionzoo.reference import steady_state, time_constant
from ionzoo.zoo.models.prinz2003 import (
    CONDUCTANCES,
    GRID,
    PUBLISHED,
    grid_conductances,
    grid_levels,
)


def s(v, a, b):
    return 1.0 / (1.0 + np.exp((v + a) / b))


CA_UM = np.array([0.05, 0.5, 3.0, 20.0])          # µM
V = np.linspace(-120.0, 60.0, 721)[:, None]       # mV, broadcast against calcium

REFERENCE = {   # (channel, gate): (x_inf(v, ca µM), tau(v))
    ("Na", "m"): (lambda v, c: s(v, 25.5, -5.29), lambda v: 2.64 - 2.52 * s(v, 120, -25)),
    ("Na", "h"): (lambda v, c: s(v, 48.9, 5.18),
                  lambda v: 1.34 / (1 + np.exp((v + 62.9) / -10)) * (1.5 + s(v, 34.9, 3.6))),
    ("CaT", "m"): (lambda v, c: s(v, 27.1, -7.2), lambda v: 43.4 - 42.6 * s(v, 68.1, -20.5)),
    ("CaT", "h"): (lambda v, c: s(v, 32.1, 5.5), lambda v: 210 - 179.6 * s(v, 55, -16.9)),
    ("CaS", "m"): (lambda v, c: s(v, 33, -8.1),
                   lambda v: 2.8 + 14 / (np.exp((v + 27) / 10) + np.exp((v + 70) / -13))),
    ("CaS", "h"): (lambda v, c: s(v, 60, 6.2),
                   lambda v: 120 + 300 / (np.exp((v + 55) / 9) + np.exp((v + 65) / -16))),
    ("A", "m"): (lambda v, c: s(v, 27.2, -8.7), lambda v: 23.2 - 20.8 * s(v, 32.9, -15.2)),
    ("A", "h"): (lambda v, c: s(v, 56.9, 4.9), lambda v: 77.2 - 58.4 * s(v, 38.9, -26.5)),
    ("KCa", "m"): (lambda v, c: c / (c + 3.0) * s(v, 28.3, -12.6),
                   lambda v: 180.6 - 150.2 * s(v, 46, -22.7)),
    ("Kd", "m"): (lambda v, c: s(v, 12.3, -11.8), lambda v: 14.4 - 12.8 * s(v, 28.3, -19.2)),
    ("H", "m"): (lambda v, c: s(v, 75, 5.5),
                 lambda v: 2 / (np.exp((v + 169.7) / -11.6) + np.exp((v - 26.7) / 14.3))),
}
CHANNELS = {"Na": ch.na, "CaT": ch.cat, "CaS": ch.cas, "A": ch.a, "KCa": ch.kca, "Kd": ch.kd,
            "H": ch.h}


@pytest.mark.parametrize("key", sorted(REFERENCE), ids=lambda k: ".".join(k))
def test_gates_match_the_published_formulas(key):
    """x∞ and τ of every gate against the tabulated formulas: relative 1e-12 over −120..60 mV
    and calcium 0.05–20 µM (the channels read mM)."""
    name, gate = key
    inf_ref, tau_ref = REFERENCE[key]
    channel = CHANNELS[name]()
    cai_mm = CA_UM * 1e-3
    inf = steady_state(channel, gate, V, cai=cai_mm)
    tau = time_constant(channel, gate, V, cai=cai_mm)
    np.testing.assert_allclose(inf, np.broadcast_to(inf_ref(V, CA_UM), inf.shape), rtol=1e-12,
                               atol=1e-300)
    np.testing.assert_allclose(tau, np.broadcast_to(tau_ref(V), tau.shape), rtol=1e-12)


def test_kernel_gates_match_the_formulas_along_a_burst():
    """The compiled kernel's x∞ and τ (recorded during 1.5 s of Fig. 2C bursting, v and
    [Ca] changing) against the formulas at the recorded v and [Ca]: relative 1e-12."""
    cell = prinz_stg()
    record = ["v", "ca.cai"] + [f"{c}.{g}_{w}" for c, g in REFERENCE for w in ("inf", "tau")]
    res = iz.simulate(cell, None, t_stop=1500.0, dt=0.05, method="backward_euler",
                      record=record)
    v, ca_um = res["v"].values, res["ca.cai"].values * 1e3
    assert v.max() > 20 and ca_um.max() > 0.3          # spikes and calcium both move
    for (c, g), (inf_ref, tau_ref) in REFERENCE.items():
        np.testing.assert_allclose(res[f"{c}.{g}_inf"].values, inf_ref(v, ca_um), rtol=1e-12,
                                   atol=1e-300)
        np.testing.assert_allclose(res[f"{c}.{g}_tau"].values, tau_ref(v), rtol=1e-12)


def test_calcium_pool_matches_its_exact_solution():
    """A cell whose only calcium current is constant (a gateless calcium conductance with a
    fixed reversal, the membrane held still by a balancing current): [Ca](t) = c∞ + (c₀ −
    c∞)·exp(−t/τ) with c∞ = [Ca]₀ − f·A·i_Ca (i_Ca in µA/cm² → nA). Relative 1e-11 over
    1 s (the pool's exponential update is exact; what remains is rounding)."""
    f, area, tau, c_rest = 14.96, 0.628e-3, 200.0, 5e-5          # µM/nA, cm², ms, mM
    g_ca, e_ca, v0 = 0.05, 120.0, -40.0
    chans = (iz.channels.Channel("ICa", gbar=g_ca, e=e_ca, ion="ca"),
             iz.channels.Channel("leak", gbar=0.1, e=-50.0))
    cell = iz.Neuron(channels=chans, v_init=v0, temperature=10.0,
                     calcium=iz.ions.Calcium.prinz(cai=2e-4))
    i_ca = g_ca * (v0 - e_ca)                                      # µA/cm², inward < 0
    i_hold = i_ca + 0.1 * (v0 + 50.0)
    res = iz.simulate(cell, i_hold, t_stop=1000.0, dt=0.025, method="backward_euler",
                      record=["v", "ca.cai"])
    assert np.max(np.abs(res.v.values - v0)) < 1e-10
    c_inf = c_rest - f * area * i_ca * 1e3 * 1e-3                  # mM
    exact = c_inf + (2e-4 - c_inf) * np.exp(-res.t / tau)
    np.testing.assert_allclose(res["ca.cai"].values, exact, rtol=1e-11)


def test_defaults_area_nernst_and_initial_state():
    cell = prinz_stg()
    assert cell.area == pytest.approx(62800.0)                     # 0.628e-3 cm² in µm²
    values = {p: cell.value(p) for p in CONDUCTANCES}
    assert tuple(values.values()) == PUBLISHED["fig2c_burster"]
    # E_Ca = γ ln(3 mM / [Ca]) with γ = RT/2F = 12.2 mV at 10 °C (prinz.md §1.4)
    e = iz.ions.nernst(5e-5, 3.0, 2, cell.temperature)
    assert e == pytest.approx(12.2 * np.log(3.0 / 5e-5), rel=5e-5)
    res = iz.simulate(cell, None, t_stop=0.05, dt=0.05, record="all")
    first = {k: float(res[k].values[0]) for k in cell.state_names()}
    assert first["v"] == -50.0 and first["ca.cai"] == 5e-5
    assert all(first[k] == 0.0 for k in first if k.endswith(".m"))
    assert all(first[k] == 1.0 for k in first if k.endswith(".h"))


def test_grid_numbering():
    """conductancelevels.dat: the levels are the base-6 digits of n − 1, Na first."""
    assert grid_levels(1).tolist() == [0] * 8
    assert grid_levels(6 ** 8).tolist() == [5] * 8
    assert grid_levels(2).tolist() == [0] * 7 + [1]
    assert grid_levels(1 + 6 ** 7).tolist() == [1] + [0] * 7
    assert grid_conductances(1 + 3 * 6 ** 6 + 2 * 6).tolist() == [0, 7.5, 0, 0, 0, 0, 0.02, 0]
    every = grid_conductances(np.arange(1, 6 ** 8 + 1, 997))
    for j, k in enumerate(CONDUCTANCES):
        assert set(np.round(every[:, j], 10)) <= set(GRID[k])
    with pytest.raises(ValidationError, match="model_number"):
        grid_levels(0)
    with pytest.raises(ValidationError, match="conductances"):
        prinz_stg((1, 2, 3))
    with pytest.raises(ValidationError, match="did you mean|choose from"):
        prinz_stg("fig2_burster")


@pytest.mark.neuron
@pytest.mark.parametrize("method", ["crank_nicolson", "backward_euler"])
@pytest.mark.parametrize("name", ["fig2c_burster", "fig3c_irregular", "ab_pd_1",
                                  "simengine_spiking"])
def test_stg_cells_match_neuron(name, method):
    """Published conductance sets over 3 s (several bursts, the calcium pool and KCa in
    play), exported and run in NEURON with the same scheme at dt = 0.025: spike times within
    1e-6 ms (measured ≤ 7.2e-9 ms, AB/PD 1 backward Euler; v ≤ 2.6e-6 mV). Before the runner
    set the pool's parameters explicitly NEURON rounded the free fraction γ to six digits and
    the burster drifted by 1e-4 ms."""
    from ionzoo.interop.neuron_runner import load_mechanisms_for, run_in_neuron

    cell = prinz_stg(name)
    load_mechanisms_for([cell])
    s_nrn, _ = run_in_neuron(cell, None, 3000.0, 0.025, method)
    res = iz.simulate(cell, None, t_stop=3000.0, dt=0.025, method=method, stabilize=False,
                      record=None)
    s_iz = res.spike_trains()[0]
    assert len(s_iz) == len(s_nrn) >= 10
    assert np.max(np.abs(s_iz - s_nrn)) < 1e-6
