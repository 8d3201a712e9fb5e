"""Every channel of the zoo: conformance (check_channel) and pointwise kinetics against
independent values — the V½ and τ numbers in shared/reference/channels.md §2, computed there
with SciPy from the published formulas (given to 0.1 mV / 3 significant digits, hence the
tolerances: 0.06 mV for V½, 0.6 % for τ)."""

import pytest
from scipy.optimize import brentq

import ionzoo as iz
from ionzoo.channels import REGISTRY, classic, destexhe, hay2011, mainen1996, traub
from ionzoo.reference import steady_state, time_constant
from ionzoo.testing import check_channel


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_every_channel_conforms(name):
    ch = REGISTRY[name]()
    assert check_channel(ch) == []
    assert ch.provenance is not None and ch.provenance.citation


def test_registry_covers_the_families():
    families = {
        "Na transient": ["hh1952.Na", "traub.Na", "hay2011.NaTa_t", "mainen1996.Na",
                         "wang_buzsaki.Na"],
        "Na persistent": ["hay2011.Nap_Et2", "traub2003.NaP", "izhikevich.NaP"],
        "K delayed rectifier": ["hh1952.K", "traub.Kd", "mainen1996.Kv", "hay2011.SKv3_1",
                                "hay2011.K_Pst", "wang_buzsaki.K"],
        "K A-type": ["connor_stevens.A", "hay2011.K_Tst"],
        "K M-type": ["destexhe.M", "hay2011.Im", "mainen1996.Km"],
        "Ca HVA": ["destexhe.L", "hay2011.Ca_HVA"],
        "Ca LVA": ["destexhe.T", "hay2011.Ca_LVAst"],
        "KCa": ["hay2011.SK_E2", "mainen1996.KCa"],
        "HCN": ["hay2011.Ih", "thalamic.Ih"],
        "Morris-Lecar": ["morris_lecar.Ca", "morris_lecar.K"],
    }
    for names in families.values():
        for n in names:
            assert n in REGISTRY, n


def v_half(ch, gate, **kw):
    g = ch.gate(gate)
    return brentq(lambda v: steady_state(ch, g, v, **kw) - 0.5, -200, 100, xtol=1e-10)


def tau(ch, gate, v, temperature=None, **kw):
    return float(time_constant(ch, ch.gate(gate), v, temperature, **kw))


# (channel, gate, expected V½ in mV) — channels.md §2 [computed]
VHALF = [
    (lambda: traub.na(vtraub=-55), "m", -29.3), (lambda: traub.na(vtraub=-55), "h", -33.4),
    (lambda: traub.kd(vtraub=-55), "n", -30.8),
    (hay2011.nata_t, "m", -40.3), (hay2011.nata_t, "h", -66.0),
    (hay2011.nap_et2, "m", -52.6), (hay2011.nap_et2, "h", -48.8),
    (hay2011.skv3_1, "m", 18.7), (hay2011.k_pst, "m", -11.0), (hay2011.k_pst, "h", -64.0),
    (hay2011.k_tst, "m", -10.0), (hay2011.k_tst, "h", -76.0),
    (destexhe.im, "m", -35.0), (hay2011.im, "m", -35.0), (mainen1996.km, "n", -30.0),
    (mainen1996.kv, "n", 4.3),
    (destexhe.ical, "m", -33.3), (destexhe.ical, "h", -58.5),
    (hay2011.ca_lvast, "m", -40.0), (hay2011.ca_lvast, "h", -90.0),
    (destexhe.it, "m", -59.0), (destexhe.it, "h", -83.0),
    (hay2011.ih, "m", -110.3), (classic.thalamic_ih, "h", -75.0),
]


@pytest.mark.parametrize("make, gate, expected", VHALF)
def test_half_activation(make, gate, expected):
    assert v_half(make(), gate) == pytest.approx(expected, abs=0.06)


# (channel, gate, v mV, temperature °C or None, expected τ ms) — channels.md §2 [computed]
TAU = [
    (lambda: traub.na(vtraub=-55), "h", -40, 36.0, 5.89),
    (hay2011.nata_t, "m", -40, None, 0.189), (hay2011.nata_t, "h", -60, None, 1.74),
    (hay2011.nap_et2, "h", -60, None, 2100.0), (hay2011.nap_et2, "h", -40, None, 1440.0),
    (hay2011.skv3_1, "m", 0, None, 2.97), (hay2011.k_pst, "h", -60, None, 414.0),
    (hay2011.k_tst, "h", -60, None, 8.8), (hay2011.im, "m", -40, None, 45.5),
    (destexhe.im, "m", -40, 36.0, 259.5),
    (mainen1996.kv, "n", 0, 37.0, 3.6), (mainen1996.km, "n", -40, 37.0, 15.7),
    (destexhe.ical, "m", -40, None, 6.9),
    (destexhe.it, "h", -80, 36.0, 56.0), (destexhe.it, "h", -40, 36.0, 8.8),
    (hay2011.ih, "m", -80, None, 55.0), (hay2011.ih, "m", -60, None, 31.5),
    (classic.thalamic_ih, "h", -80, None, 1010.0), (classic.thalamic_ih, "h", -60, None, 449.0),
]


@pytest.mark.parametrize("make, gate, v, temp, expected", TAU)
def test_time_constants(make, gate, v, temp, expected):
    # values are given to 2-3 significant digits in the reference: 1 % (or 0.05 ms) tolerance
    assert tau(make(), gate, v, temp) == pytest.approx(expected, rel=0.01, abs=0.05)


def test_sk_calcium_dependence():
    ch = hay2011.sk_e2()
    z = ch.gate("z")
    assert float(steady_state(ch, z, -60.0, cai=0.00043)) == pytest.approx(0.5, abs=1e-12)
    assert float(steady_state(ch, z, -60.0, cai=1e-9)) == pytest.approx(
        1 / (1 + (0.00043 / 1.01e-7) ** 4.8), rel=1e-12)  # 1e-7 mM added below 1e-7 mM
    assert float(time_constant(ch, z, -60.0, cai=1e-3)) == 1.0


def test_ih_values():
    ch = hay2011.ih()
    assert float(steady_state(ch, ch.gate("m"), -80.0)) == pytest.approx(0.049, abs=5e-4)


def test_temperature_rules():
    hay = hay2011.nata_t()
    # fixed factor: τ independent of the neuron's temperature, divided by qt = 2.952
    assert tau(hay, "h", -60, 6.3) == tau(hay, "h", -60, 37.0)
    assert hay2011.QT == pytest.approx(2.3 ** 1.3)
    # Mainen: Q10 2.3 from 23 °C on rates *and* conductance
    assert mainen1996.na().temperature.conductance is True
    assert tau(mainen1996.kv(), "n", 0, 33.0) * 2.3 == pytest.approx(tau(mainen1996.kv(), "n", 0,
                                                                         23.0))


def test_morris_lecar_and_izhikevich_forms():
    ml = classic.ml_k()
    w = ml.gate("w")
    assert float(steady_state(ml, w, 2.0)) == pytest.approx(0.5)
    assert float(time_constant(ml, w, 2.0)) == pytest.approx(1 / 0.04)
    nap = classic.izh_nap()
    assert float(steady_state(nap, nap.gate("m"), -20.0)) == pytest.approx(0.5)
    assert nap.gate("m").instantaneous


def test_nernst():
    # 2 mM / 2.4e-4 mM at 36 °C (channels.md §3.1: E_Ca = 120.25 mV)
    assert float(iz.ions.nernst(2.4e-4, 2.0, 2, 36.0)) == pytest.approx(120.25, abs=0.01)
    assert destexhe.E_CA_GUTNICK == pytest.approx(120.25, abs=0.01)
