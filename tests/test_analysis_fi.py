"""f–I curves, rheobase, excitability class and bistability against the HH reference numbers
(shared/reference/channels.md §1.3: fold of limit cycles J_LPC = 6.2603 µA/cm² at 50.25 Hz,
subcritical Hopf J_H1 = 9.7754 µA/cm², EL = −54.387 mV, 6.3 °C)."""

import numpy as np
import pytest

import ionzoo as iz
from ionzoo.analysis import excitability_class, fi_curve, rheobase
from ionzoo.errors import ValidationError


def test_rheobase_sustained_is_the_fold_of_limit_cycles(hh):
    """Sustained firing for a step from rest starts at 6.26 ± 0.01 µA/cm² (J_LPC = 6.2603);
    bisection reaches its tolerance (bracket < 1e-3 µA/cm²)."""
    rb = rheobase(hh, "sustained", 0.0, 20.0, tol=1e-3)
    assert rb.bracket[1] - rb.bracket[0] < 1e-3
    assert rb.value == pytest.approx(6.26, abs=0.01)
    # consistent with the f–I curve on both sides of the bracket: no spike in the window below,
    # spikes in it above (the criterion is the window's count)
    ds = fi_curve(hh, [rb.bracket[0], rb.bracket[1]])
    assert ds.count_rate.values[0] == 0 and ds.count_rate.values[1] > 0


def test_single_spike_rheobase_is_lower(hh):
    single = rheobase(hh, "single", 0.0, 20.0, tol=1e-3, t_stop=200.0)
    sustained = rheobase(hh, "sustained", 0.0, 20.0, tol=1e-2)
    assert single.value < sustained.value
    res = iz.simulate(hh, single.bracket[1], t_stop=200.0, record=None)
    assert int(res.spike_count) >= 1


def test_hh_is_type_ii_with_onset_near_50_hz(hh):
    """Type II: firing starts at a finite rate (≈ 50 Hz; 50.25 Hz on the stable cycle at J_LPC)."""
    ex = excitability_class(hh, 0.0, 20.0, tol=1e-3)
    assert ex.kind == "II"
    assert 45.0 < ex.onset_rate < 56.0


def test_wang_buzsaki_is_type_i():
    ex = excitability_class(iz.models.wang_buzsaki(), 0.0, 2.0, tol=1e-4)
    assert ex.kind == "I" and ex.onset_rate < 10.0


def test_bistability_between_fold_and_hopf(hh):
    """Down-going (from a train, slow ramp) firing persists down to J_LPC ≈ 6.26; up-going (from
    the equilibrium at each current, nudged 0.1 mV) firing starts only near J_H1 ≈ 9.78; in
    between rest and firing coexist."""
    currents = np.linspace(5.0, 11.0, 121)  # 0.05 µA/cm² grid
    up = fi_curve(hh, currents, protocol="rest", t_stop=2000.0).rate.values
    down = fi_curve(hh, currents, protocol="train", from_current=12.0, t_stop=2500.0,
                    settle=1000.0).rate.values
    onset_up = currents[np.argmax(up > 0)]
    onset_down = currents[np.argmax(down > 0)]
    assert 6.25 < onset_down <= 6.30
    assert 9.75 < onset_up <= 9.85
    both = (currents > 6.35) & (currents < 9.7)
    assert np.all(down[both] > 0) and np.all(up[both] == 0)


def test_fi_curve_shape_and_first_isi(hh):
    ds = fi_curve(hh, [0.0, 10.0, 20.0], t_stop=500.0)
    assert ds.rate.dims == ("current",) and ds.rate.attrs["units"] == "Hz"
    assert np.isnan(ds.first_isi_rate.values[0])
    assert ds.first_isi_rate.values[1] > 0 and ds.rate.values[2] > ds.rate.values[1]


@pytest.mark.parametrize("call, field", [
    (lambda hh: fi_curve(hh, []), "currents"),
    (lambda hh: fi_curve(hh, [1.0], protocol="sideways"), "protocol"),
    (lambda hh: rheobase(hh, "twice"), "kind"),
    (lambda hh: rheobase(hh, "sustained", 20.0, 30.0), "lo"),
    (lambda hh: rheobase(hh, "sustained", 0.0, 1.0), "hi"),
])
def test_bad_input(hh, call, field):
    with pytest.raises(ValidationError) as info:
        call(hh)
    assert info.value.field == field


def test_rheobase_without_hi_widens_its_search_and_then_says_where_it_looked():
    from ionzoo.analysis import rheobase

    # Morris–Lecar's Hopf cell starts firing at its fold of cycles, 88.29325 µA/cm²
    # (the diagram, tests/test_cycles.py), beyond the first window of 0–50
    rb = rheobase(iz.models.morris_lecar_hopf())
    assert rb.value == pytest.approx(88.29325, abs=2e-3)
    passive = iz.models.hh1952().with_params({"Na.gbar": 0.0})
    with pytest.raises(iz.ValidationError, match=r"\[0.0, 800.0\] µA/cm² \(320 currents"):
        rheobase(passive)
