"""Blockers: occupancy block B = cⁿ/(cⁿ + IC50ⁿ) scales ḡ (IC50s from channels.md §5)."""

import numpy as np
import pytest

import ionzoo as iz
from ionzoo.errors import ValidationError
from ionzoo.pharmacology import TEA, TTX, apply, block, fraction_blocked, parse_concentration


def test_ttx_at_its_ic50_halves_gna(hh):
    for subtype in TTX.ic50:
        cell = apply(hh, TTX, TTX.ic50[subtype], subtype=subtype)
        assert cell.channel("Na").gbar == pytest.approx(60.0, rel=1e-14)
        assert cell.channel("K").gbar == 36.0  # TTX leaves K alone


def test_concentration_array_gives_the_hill_curve(hh):
    conc = np.logspace(-1, 3, 9)  # nM
    cell = apply(hh, "TTX", conc)
    g = cell.overrides["Na.gbar"]
    assert g.dims == ("TTX (nM)",)
    expected = 120.0 * 12.0 / (conc + 12.0)  # n = 1: 1 − B = IC50/(c + IC50)
    np.testing.assert_allclose(g.values, expected, rtol=1e-13)
    res = iz.simulate(cell, 10.0, t_stop=100.0, record=None)
    counts = res.spike_count.values
    assert counts[0] >= 6 and counts[-1] == 0 and np.all(np.diff(counts) <= 0)


def test_integer_concentration_lists(hh):
    cell = apply(hh, "TTX", [0, 12, 120])
    np.testing.assert_allclose(cell.overrides["Na.gbar"].values, [120.0, 60.0, 120 * 12 / 132])


def test_units_and_tea(hh):
    assert parse_concentration("1 µM", "nM") == pytest.approx(1000.0)
    assert parse_concentration("5mM", "mM") == 5.0
    cell = apply(hh, "TEA", "4.5mM")  # Kv2.1 default
    assert cell.channel("K").gbar == pytest.approx(18.0)
    m = apply(iz.models.pospischil.rs(), TEA, 3.8, subtype="KCNQ2/3", channels=["M"])
    assert m.channel("M").gbar == pytest.approx(0.035)
    assert fraction_blocked(TEA, 30.0, "Kv2.1") == pytest.approx(30 / 34.5)


def test_nickel_and_apamin_pick_their_targets():
    from ionzoo.channels import hay2011, hh1952
    from ionzoo.ions import Calcium

    cell = iz.Neuron(channels=(hh1952.na(), hh1952.k(), hay2011.sk_e2(), hay2011.ca_lvast(),
                               hh1952.leak()), calcium=Calcium.hay())
    a = apply(cell, "apamin", "103pM")  # at the KCa2.2 IC50: SK halved, other K untouched
    assert a.channel("SK_E2").gbar == pytest.approx(44.1 / 2)
    assert a.channel("K").gbar == 36.0
    n = apply(cell, "Ni2+", "13uM", channels=["Ca_LVAst"])
    assert n.channel("Ca_LVAst").gbar == pytest.approx(3.43 / 2)


def test_fractional_block_and_drugs_in_the_tutorial_sense(hh):
    b = block(hh, "K", [0.0, 0.5, 0.9])
    np.testing.assert_allclose(b.overrides["K.gbar"].values, [36.0, 18.0, 3.6])
    res = iz.simulate(apply(hh, "TTX", "1uM"), iz.stimulus.pulse(20.0, 1.0, 1.0), t_stop=30.0)
    assert int(res.spike_count) == 0 and float(res.v.max()) < -40


@pytest.mark.parametrize("call, field", [
    (lambda hh: apply(hh, "TTX", "-1nM"), "concentration"),
    (lambda hh: apply(hh, "TTX", "ten nM"), "concentration"),
    (lambda hh: apply(hh, "curare", 1.0), "drug"),
    (lambda hh: apply(hh, TTX, 1.0, subtype="Nav9.9"), "subtype"),
    (lambda hh: apply(hh, TTX, []), "concentration"),
    (lambda hh: block(hh, "K", 1.5), "fraction"),
    (lambda hh: block(hh, "Kv", 0.5), "Kv"),
    (lambda hh: apply(iz.models.morris_lecar(), "TTX", 1.0), "drug"),
])
def test_bad_input(hh, call, field):
    with pytest.raises(ValidationError) as info:
        call(hh)
    assert info.value.field == field


def test_cli_drug_option(capsys):
    import json

    from ionzoo.cli import main

    assert main(["run", "hh1952", "--current", "10", "--t-stop", "50", "--drug", "TTX=1uM",
                 "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["neurons"][0]["spike_count"] == 0


def test_zd7288_and_4ap_at_their_ic50_halve_their_targets():
    from ionzoo.channels import REGISTRY, hh1952

    ih = REGISTRY["hay2011.Ih"]()
    cell = iz.Neuron(channels=(hh1952.na(), hh1952.k(), ih, hh1952.leak()))
    z = apply(cell, "ZD7288", "2uM")              # Harris & Constanti 1995: 2 µM
    assert z.channel("Ih").gbar == pytest.approx(ih.gbar / 2)
    assert z.channel("K").gbar == 36.0 and z.channel("Na").gbar == 120.0
    fast = apply(cell, "ZD7288", "200nM", subtype="Ih (facial motoneurone)")
    assert fast.channel("Ih").gbar == pytest.approx(ih.gbar / 2)
    a = apply(cell, "4-AP", 0.14, subtype="Kv1.5", channels=["K"])  # Yamane et al. 1995
    assert a.channel("K").gbar == pytest.approx(18.0)
    assert a.channel("Ih").gbar == ih.gbar
    cs = iz.models.connor_stevens()              # A-type by default: I_to K_d 0.2 mM
    a = apply(cs, "4-AP", "200uM")
    assert a.channel("A").gbar == pytest.approx(cs.channel("A").gbar / 2)
    assert a.channel("K").gbar == cs.channel("K").gbar
    with pytest.raises(ValidationError, match="named A, K_Tst"):
        apply(iz.models.hh1952(), "4-AP", 1.0)
    with pytest.raises(ValidationError, match="no channel carrying 'h'"):
        apply(iz.models.hh1952(), "ZD7288", 1.0)


def test_dose_response_is_one_batch_with_the_hill_curve(hh):
    from ionzoo.analysis import dose_response

    conc = [0.0, 1.0, 3.0, 12.0, 48.0, 192.0]
    d = dose_response(hh, "TTX", conc, 10.0, stop=220.0)
    c = np.asarray(conc)
    np.testing.assert_allclose(d.fraction_blocked.values, c / (c + 12.0), rtol=1e-14)
    counts = d.spike_count.values
    # HH at 10 µA/cm² fires repetitively in control (14 spikes in 200 ms) and not at all once
    # most Na⁺ conductance is gone (94 % blocked at 192 nM)
    assert counts[0] == 14 and counts[-1] == 0 and np.all(np.diff(counts) <= 0)
    # the rate is ionzoo.rates' (1/mean ISI in the step), from the trains computed here
    res = iz.simulate(iz.pharmacology.apply(hh, "TTX", conc), iz.stimulus.step(10.0, 20.0, 220.0),
                      t_stop=240.0, dt=0.025, record=None)
    for k, train in enumerate(res.spike_trains()):
        t = train[(train >= 20.0) & (train < 220.0)]
        expected = 1000.0 / np.mean(np.diff(t)) if t.size >= 2 else 0.0
        assert d.rate.values[k] == pytest.approx(expected, rel=1e-12)
    assert d.concentration.attrs["units"] == "nM" and d.attrs["ic50"] == 12.0
    with pytest.raises(ValidationError, match="concentrations"):
        dose_response(hh, "TTX", [], 10.0)
    with pytest.raises(ValidationError, match="unknown drug"):
        dose_response(hh, "curare", [1.0], 10.0)


def test_xe991_blocks_only_the_m_current():
    rs = iz.models.pospischil.rs()   # Na, Kd, M, leak
    x = apply(rs, "XE991", "0.6uM")  # KCNQ2/3 IC50 (Wang et al. 1998)
    assert x.channel("M").gbar == pytest.approx(rs.channel("M").gbar / 2)
    assert x.channel("Kd").gbar == rs.channel("Kd").gbar
    # blocking M removes spike-frequency adaptation's slow current: more spikes
    stim = iz.stimulus.step(float(rs.density(0.75)), 50, 550)
    n0 = iz.simulate(rs, stim, t_stop=600, record=None).spike_count.item()
    n1 = iz.simulate(apply(rs, "XE991", "10uM"), stim, t_stop=600, record=None).spike_count.item()
    assert n1 > n0
    with pytest.raises(ValidationError, match="named M, Im, Km"):
        apply(iz.models.hh1952(), "XE991", 1.0)


def test_cadmium_blocks_hva_and_spares_t_type():
    from ionzoo.channels import REGISTRY
    from ionzoo.ions import Calcium

    hva, lva = REGISTRY["hay2011.Ca_HVA"](), REGISTRY["hay2011.Ca_LVAst"]()
    cell = iz.Neuron(channels=(REGISTRY["hh1952.Na"](), REGISTRY["hh1952.K"](), hva, lva,
                               REGISTRY["hh1952.leak"]()), calcium=Calcium.hay())
    cd = apply(cell, "Cd2+", "0.8uM")     # CaV2.3 IC50, IUPHAR compendium (2005)
    assert cd.channel("Ca_HVA").gbar == pytest.approx(hva.gbar / 2)
    assert cd.channel("Ca_LVAst").gbar == lva.gbar
    lts = iz.models.pospischil.lts()       # T-type only: nothing for Cd2+ to block by default
    with pytest.raises(ValidationError, match="named L, Ca_HVA, CaH"):
        apply(lts, "Cd2+", 1.0)
