"""ionzoo against NEURON running the original published .mod files (tests/data/community, see
SOURCES.md there) — calcium feedback within a step, GHK currents, derivimplicit and euler
integration, a pool that hands the ion its previous state.

Three cells, each under NEURON's two fixed-step schemes at dt = 0.025 and 0.01 ms for 1200 ms:

* the Hay et al. (2011) soma (``iz.models.hay2011_soma``): ten of Hay's files, SK_E2 reading the
  CaDynamics_E2 pool that Ca_HVA and Ca_LVAst fill (Nernst E_Ca);
* a CA1-style cell: NEURON's ``hh``, Hay's Ca_HVA, Poirazi's ``kca`` (derivimplicit, τ floored
  after its temperature factor) and ``cad`` (euler; the ion's cai copied from the pool state
  before each step);
* a thalamocortical-style cell: ``hh`` with Destexhe's GHK T-current (per-gate Q10) and a
  derivimplicit calcium pool (Iavarone et al. 2019's files), driven into rebound bursts.

Spike counts must be equal and spike times agree to < 1e-6 ms (measured maxima in the module's
docs/neuron.md entry); the cells were chosen so that their firing is regular (a 1e-8 mV change of
v_init moves no spike by more than ~1e-7 ms), so rounding cannot grow into a difference.
"""

from pathlib import Path

import numpy as np
import pytest

import ionzoo as iz
from ionzoo.channels import destexhe, hay2011, hh1952, poirazi2003
from ionzoo.interop.neuron_runner import run_mod_files
from ionzoo.ions import Calcium
from ionzoo.zoo.models.hay2011 import DENSITIES

pytestmark = pytest.mark.neuron

DATA = Path(__file__).parent / "data" / "community"
T_STOP = 1200.0


def hay_cell():
    s = {k: v / 1000.0 for k, v in DENSITIES.items()}  # mS/cm² -> S/cm²
    mechanisms = {
        "pas": {"g": 3.38e-5, "e": -90.0},
        "NaTa_t": {"gNaTa_tbar": s["NaTa_t"]}, "Nap_Et2": {"gNap_Et2bar": s["Nap_Et2"]},
        "K_Pst": {"gK_Pstbar": s["K_Pst"]}, "K_Tst": {"gK_Tstbar": s["K_Tst"]},
        "SKv3_1": {"gSKv3_1bar": s["SKv3_1"]}, "SK_E2": {"gSK_E2bar": s["SK_E2"]},
        "Ca_HVA": {"gCa_HVAbar": s["Ca_HVA"]}, "Ca_LVAst": {"gCa_LVAstbar": s["Ca_LVAst"]},
        "Ih": {"gIhbar": s["Ih"]},
        "CaDynamics_E2": {"gamma": 0.000501, "decay": 460.0},
    }
    nrn = dict(mechanisms=mechanisms, celsius=34.0, v_init=-80.0,
               ions={"ek": -85.0, "ena": 50.0, "cai0_ca_ion": 1e-4, "cao0_ca_ion": 2.0})
    return "hay2011", iz.models.hay2011_soma(), nrn, iz.stimulus.step(20.0, 100.0, 1100.0)


def ca1_cell():
    cell = iz.Neuron(
        channels=(hh1952.na(), hh1952.k(), hh1952.leak(e=-54.3), hay2011.ca_hva(gbar=0.5),
                  poirazi2003.kca(gbar=5.0, e=-77.0)),
        temperature=6.3, v_init=-65.0, name="ca1_style", calcium=Calcium.poirazi())
    mechanisms = {"hh": {}, "Ca_HVA": {"gCa_HVAbar": 0.0005}, "kca": {"gbar": 0.005},
                  "cad": {}}
    nrn = dict(mechanisms=mechanisms, celsius=6.3, v_init=-65.0,
               ions={"ek": -77.0, "usetable_hh": 0, "cai0_ca_ion": 1e-4, "cao0_ca_ion": 2.0})
    return ("poirazi_ca1", "hay2011"), cell, nrn, iz.stimulus.step(20.0, 100.0, 1100.0)


def tc_cell():
    pool = Calcium(cai=5e-5, cao=2.0, pool="hay", gamma=0.05, tau=5.0, depth=0.1,
                   cai_rest=5e-5, method="derivimplicit")
    cell = iz.Neuron(
        channels=(hh1952.na(), hh1952.k(), hh1952.leak(e=-54.3),
                  destexhe.it_ghk(gbar=2e-4, q10_m=2.5, q10_h=2.5)),
        temperature=6.3, v_init=-65.0, name="tc_style", calcium=pool)
    mechanisms = {"hh": {}, "TC_iT_Des98": {"pcabar": 2e-4, "qm": 2.5, "qh": 2.5},
                  "TC_cad": {"gamma": 0.05, "taur": 5.0, "cainf": 5e-5, "depth": 0.1}}
    nrn = dict(mechanisms=mechanisms, celsius=6.3, v_init=-65.0,
               ions={"usetable_hh": 0, "cai0_ca_ion": 5e-5, "cao0_ca_ion": 2.0})
    stim = (iz.stimulus.step(-10.0, 100.0, 300.0) + iz.stimulus.step(8.0, 600.0, 1100.0)
            + iz.stimulus.step(-10.0, 1150.0, 1199.0))
    return "iavarone2019_tc", cell, nrn, stim


CELLS = {"hay2011_soma": hay_cell, "ca1_style": ca1_cell, "tc_style": tc_cell}


@pytest.mark.parametrize("dt", [0.025, 0.01])
@pytest.mark.parametrize("method", ["backward_euler", "crank_nicolson"])
@pytest.mark.parametrize("name", sorted(CELLS))
def test_matches_neuron_running_the_original_files(name, method, dt):
    folders, cell, nrn, stim = CELLS[name]()
    folders = [DATA / f for f in ((folders,) if isinstance(folders, str) else folders)]
    s_nrn, v_nrn, _ = run_mod_files(folders, stimulus=stim, t_stop=T_STOP, dt=dt,
                                    method=method, **nrn)
    res = iz.simulate(cell, stim, t_stop=T_STOP, dt=dt, method=method, stabilize=False)
    s_iz = res.spike_trains()[0]
    assert len(s_iz) == len(s_nrn) >= 10
    assert np.max(np.abs(s_iz - s_nrn)) < 1e-6
    n = min(len(v_nrn), res.v.size)
    assert np.max(np.abs(res.v.values[:n] - v_nrn[:n])) < 1e-3  # mV


def pospischil_orig(name: str):
    """The RS/FS cells in NEURON with ModelDB 123623's HH_traub.mod and IM_cortex.mod
    (NEURON_ORIG: every gate starts at 0); IM's exp() table switched off (``usetable_im = 0``:
    NEURON would otherwise interpolate exp in a 10 000-point table, a 3e-6 relative error that
    moves the RS cell's 5th spike by 2e-4 ms)."""
    from ionzoo.models import pospischil

    rs = name == "RS"
    mechanisms = {"pas": {"g": 1e-4 if rs else 1.5e-4, "e": -70.0},
                  "hh2": {"gnabar": 0.05, "gkbar": 0.005 if rs else 0.01, "vtraub": -55.0}}
    if rs:
        mechanisms["im"] = {"gkbar": 7e-5, "taumax": 1000.0, "usetable": 0}
    cell = (pospischil.rs if rs else pospischil.fs)("modeldb")
    amp, t0, t1, t_stop = pospischil.DEMO_STIMULUS[name]
    stim = iz.stimulus.step(float(cell.density(amp)), t0, t1)
    nrn = dict(mechanisms=mechanisms, celsius=36.0, v_init=cell.v_init, area=cell.area,
               ions={"ek": -100.0, "ena": 50.0})
    return cell, nrn, stim, t_stop


@pytest.mark.parametrize("method", ["backward_euler", "crank_nicolson"])
@pytest.mark.parametrize("name", ["RS", "FS"])
def test_pospischil_modeldb_initial_state_matches_the_original_files(name, method):
    """``pospischil.rs("modeldb")`` (every gate starting at 0, set through
    ``Neuron.with_initial``) against NEURON running the original files at dt = 0.025 ms: spike
    times within 1e-6 ms (measured ≤ 5e-11) and v within 1e-3 mV; and the steady-state start,
    run the same way, is more than 1 ms away at the RS cell's last spike (measured 5.5 ms), so
    the initial state is what the comparison tests."""
    cell, nrn, stim, t_stop = pospischil_orig(name)
    s_nrn, v_nrn, _ = run_mod_files(DATA / "pospischil2008_orig", stimulus=stim,
                                    t_stop=t_stop, dt=0.025, method=method, **nrn)
    res = iz.simulate(cell, stim, t_stop=t_stop, dt=0.025, method=method, stabilize=False)
    s_iz = res.spike_trains()[0]
    assert len(s_iz) == len(s_nrn) >= 5
    assert np.max(np.abs(s_iz - s_nrn)) < 1e-6
    assert np.max(np.abs(res.v.values - v_nrn)) < 1e-3  # mV
    if name == "RS":
        from ionzoo.models import pospischil

        steady = iz.simulate(pospischil.rs(), stim, t_stop=t_stop, dt=0.025, method=method,
                             record=None)
        assert abs(steady.spike_trains()[0][-1] - s_nrn[-1]) > 1.0
