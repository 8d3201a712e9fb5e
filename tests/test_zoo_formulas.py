"""Pointwise kinetics of every zoo channel against the source formulas written out here
independently (plain ``math``, in the variables of the papers/.mod files), at voltages across
−120…+60 mV. Tolerance rtol 1e-9: only rounding differs (the exp-linear limits are avoided by
the voltage grid, which holds no singular voltage; those are covered by check_channel)."""

import math

import numpy as np
import pytest

from ionzoo.channels import REGISTRY, hay2011
from ionzoo.reference import steady_state, time_constant

V = [-117.3, -90.1, -71.7, -60.2, -52.9, -44.4, -30.3, -12.7, 0.3, 21.9, 47.1]
QT = hay2011.QT


def lin(rate, x):  # rate·x/(1 − e^{−x}), the exp-linear form
    return rate * x / (1 - math.exp(-x))


def trap0(v, th, a, q):  # Mainen & Sejnowski's trap0
    return a * (v - th) / (1 - math.exp(-(v - th) / q))


def ab(a, b):
    return a / (a + b), 1 / (a + b)


# channel key -> gate -> function v -> (x_inf, tau_ms) at the channel's reference conditions
# (Q10 rules not applied: reference temperature; fixed factors applied).
SOURCES = {
    "traub.Na": {"m": lambda v: ab(0.32 * (13 - (v + 63)) / (math.exp((13 - (v + 63)) / 4) - 1),
                                   0.28 * ((v + 63) - 40) / (math.exp(((v + 63) - 40) / 5) - 1)),
                 "h": lambda v: ab(0.128 * math.exp((17 - (v + 63)) / 18),
                                   4 / (1 + math.exp((40 - (v + 63)) / 5)))},
    "traub.Kd": {"n": lambda v: ab(0.032 * (15 - (v + 63)) / (math.exp((15 - (v + 63)) / 5) - 1),
                                   0.5 * math.exp((10 - (v + 63)) / 40))},
    "hay2011.NaTa_t": {
        "m": lambda v: (lambda a, b: (a / (a + b), 1 / (a + b) / QT))(
            0.182 * (v + 38) / (1 - math.exp(-(v + 38) / 6)),
            0.124 * (-v - 38) / (1 - math.exp(-(-v - 38) / 6))),
        "h": lambda v: (lambda a, b: (a / (a + b), 1 / (a + b) / QT))(
            -0.015 * (v + 66) / (1 - math.exp((v + 66) / 6)),
            -0.015 * (-v - 66) / (1 - math.exp((-v - 66) / 6)))},
    "mainen1996.Na": {
        "m": lambda v: ab(trap0(v - 10, -35, 0.182, 9), trap0(-(v - 10), 35, 0.124, 9)),
        "h": lambda v: (1 / (1 + math.exp((v - 10 + 65) / 6.2)),
                        1 / (trap0(v - 10, -50, 0.024, 5) + trap0(-(v - 10), 75, 0.0091, 5)))},
    "wang_buzsaki.Na": {
        "m": lambda v: (ab(0.1 * (v + 35) / (1 - math.exp(-(v + 35) / 10)),
                           4 * math.exp(-(v + 60) / 18))[0], 0.0),
        "h": lambda v: (lambda a, b: (a / (a + b), 1 / (5 * (a + b))))(
            0.07 * math.exp(-(v + 58) / 20), 1 / (1 + math.exp(-(v + 28) / 10)))},
    "wang_buzsaki.K": {"n": lambda v: (lambda a, b: (a / (a + b), 1 / (5 * (a + b))))(
        0.01 * (v + 34) / (1 - math.exp(-(v + 34) / 10)), 0.125 * math.exp(-(v + 44) / 80))},
    "rtm.Na": {"m": lambda v: (ab(0.32 * (v + 54) / (1 - math.exp(-(v + 54) / 4)),
                                  0.28 * (v + 27) / (math.exp((v + 27) / 5) - 1))[0], 0.0),
               "h": lambda v: ab(0.128 * math.exp(-(v + 50) / 18),
                                 4 / (1 + math.exp(-(v + 27) / 5)))},
    "rtm.K": {"n": lambda v: ab(0.032 * (v + 52) / (1 - math.exp(-(v + 52) / 5)),
                                0.5 * math.exp(-(v + 57) / 40))},
    "rtm.M": {"w": lambda v: (1 / (1 + math.exp(-(v + 35) / 10)),
                              400 / (3.3 * math.exp((v + 35) / 20) + math.exp(-(v + 35) / 20)))},
    "connor_stevens.Na": {
        "m": lambda v: ab(0.38 * (v + 29.7) / (1 - math.exp(-0.1 * (v + 29.7))),
                          15.2 * math.exp(-0.0556 * (v + 54.7))),
        "h": lambda v: ab(0.266 * math.exp(-0.05 * (v + 48)),
                          3.8 / (1 + math.exp(-0.1 * (v + 18))))},
    "connor_stevens.K": {"n": lambda v: ab(0.02 * (v + 45.7) / (1 - math.exp(-0.1 * (v + 45.7))),
                                           0.25 * math.exp(-0.0125 * (v + 55.7)))},
    "connor_stevens.A": {
        "a": lambda v: (min(1.0, (0.0761 * math.exp(0.0314 * (v + 94.22))
                                  / (1 + math.exp(0.0346 * (v + 1.17)))) ** (1 / 3)),
                        0.3632 + 1.158 / (1 + math.exp(0.0497 * (v + 55.96)))),
        "b": lambda v: ((1 / (1 + math.exp(0.0688 * (v + 53.3)))) ** 4,
                        1.24 + 2.678 / (1 + math.exp(0.0624 * (v + 50))))},
    "traub2003.NaP": {"m": lambda v: (1 / (1 + math.exp((-v - 48) / 10)),
                                      0.025 + 0.14 * math.exp((v + 40) / 10) if v < -40
                                      else 0.02 + 0.145 * math.exp((-v - 40) / 10))},
    "izhikevich.NaP": {"m": lambda v: (1 / (1 + math.exp((-20 - v) / 15)), 0.0)},
    "izhikevich.K": {"n": lambda v: (1 / (1 + math.exp((-25 - v) / 5)), 1.0)},
    "mainen1996.Kv": {"n": lambda v: ab(trap0(v, 25, 0.02, 9), -0.002 * (v - 25)
                                        / (1 - math.exp((v - 25) / 9)))},
    "mainen1996.Km": {"n": lambda v: ab(trap0(v, -30, 0.001, 9), -0.001 * (v + 30)
                                        / (1 - math.exp((v + 30) / 9)))},
    "destexhe.L": {"m": lambda v: ab(0.055 * (-27 - v) / (math.exp((-27 - v) / 3.8) - 1),
                                     0.94 * math.exp((-75 - v) / 17)),
                   "h": lambda v: ab(0.000457 * math.exp((-13 - v) / 50),
                                     0.0065 / (math.exp((-v - 15) / 28) + 1))},
    "destexhe.T": {"m": lambda v: (1 / (1 + math.exp(-(v + 2 + 57) / 6.2)), 0.0),
                   "h": lambda v: (1 / (1 + math.exp((v + 2 + 81) / 4)),
                                   30.8 + (211.4 + math.exp((v + 2 + 113.2) / 5))
                                   / (1 + math.exp((v + 2 + 84) / 3.2)))},
    "destexhe.M": {"m": lambda v: (1 / (1 + math.exp(-(v + 35) / 10)),
                                   1000 / (3.3 * math.exp((v + 35) / 20)
                                           + math.exp(-(v + 35) / 20)))},
    "hay2011.Im": {"m": lambda v: (lambda a, b: (a / (a + b), 1 / (a + b) / QT))(
        3.3e-3 * math.exp(0.1 * (v + 35)), 3.3e-3 * math.exp(-0.1 * (v + 35)))},
    "hay2011.Ih": {"m": lambda v: ab(
        0.001 * 6.43 * (v + 154.9) / (math.exp((v + 154.9) / 11.9) - 1),
        0.001 * 193 * math.exp(v / 33.1))},
    "hay2011.SKv3_1": {"m": lambda v: (1 / (1 + math.exp((v - 18.7) / -9.7)),
                                       0.2 * 20 / (1 + math.exp((v + 46.56) / -44.14)))},
    "thalamic.Ih": {"h": lambda v: (1 / (1 + math.exp((v + 75) / 5.5)),
                                    20 + 1000 / (math.exp((v + 71.5) / 14.2)
                                                 + math.exp(-(v + 89) / 11.6)))},
    "morris_lecar.Ca": {"m": lambda v: (0.5 * (1 + math.tanh((v + 1.2) / 18)), 0.0)},
    "morris_lecar.K": {"w": lambda v: (0.5 * (1 + math.tanh((v - 2) / 30)),
                                       1 / (0.04 * math.cosh((v - 2) / 60)))},
}
SOURCES["hay2011.Ca_HVA"] = SOURCES["destexhe.L"]     # the same Reuveni et al. rates
SOURCES["mainen1996.CaH"] = SOURCES["destexhe.L"]     # (Mainen's tadj is 1 at 23 °C)
SOURCES["hay2011.Nap_Et2"] = {
    "m": lambda v: (1 / (1 + math.exp((v + 52.6) / -4.6)),
                    6 / (0.182 * (v + 38) / (1 - math.exp(-(v + 38) / 6))
                         + 0.124 * (-v - 38) / (1 - math.exp(-(-v - 38) / 6))) / QT),
    "h": lambda v: (1 / (1 + math.exp((v + 48.8) / 10)),
                    1 / (-2.88e-6 * (v + 17) / (1 - math.exp((v + 17) / 4.63))
                         + 6.94e-6 * (v + 64.4) / (1 - math.exp(-(v + 64.4) / 2.63))) / QT)}


def _kpst_m(v):
    vs = v + 10
    if vs < -50:
        tau = 1.25 + 175.03 * math.exp(0.026 * vs)
    else:
        tau = 1.25 + 13 * math.exp(-0.026 * vs)
    return 1 / (1 + math.exp(-(vs + 1) / 12)), tau / QT


SOURCES["hay2011.K_Pst"] = {
    "m": _kpst_m,
    "h": lambda v: (1 / (1 + math.exp((v + 10 + 54) / 11)),
                    (360 + (1010 + 24 * (v + 10 + 55)) * math.exp(-((v + 10 + 75) / 48) ** 2))
                    / QT)}
SOURCES["hay2011.K_Tst"] = {
    "m": lambda v: (1 / (1 + math.exp(-(v + 10) / 19)),
                    (0.34 + 0.92 * math.exp(-((v + 10 + 71) / 59) ** 2)) / QT),
    "h": lambda v: (1 / (1 + math.exp((v + 10 + 66) / 10)),
                    (8 + 49 * math.exp(-((v + 10 + 73) / 23) ** 2)) / QT)}
SOURCES["hay2011.Ca_LVAst"] = {
    "m": lambda v: (1 / (1 + math.exp(-(v + 10 + 30) / 6)),
                    (5 + 20 / (1 + math.exp((v + 10 + 25) / 5))) / QT),
    "h": lambda v: (1 / (1 + math.exp((v + 10 + 80) / 6.4)),
                    (20 + 50 / (1 + math.exp((v + 10 + 40) / 7))) / QT)}
# Destexhe et al. 1998 (ModelDB 279 ITGHK.mod): shift 2, actshift 0, at 24 °C (φ = 1)
SOURCES["destexhe1998.T"] = {
    "m": lambda v: (1 / (1 + math.exp(-(v + 2 + 57) / 6.2)),
                    0.612 + 1 / (math.exp(-(v + 2 + 132) / 16.7)
                                 + math.exp((v + 2 + 16.8) / 18.2))),
    "h": lambda v: (1 / (1 + math.exp((v + 2 + 81) / 4)),
                    math.exp((v + 2 + 467) / 66.6) if v + 2 < -80
                    else 28 + math.exp(-(v + 2 + 22) / 10.5))}
CASES = [(k, g) for k, gates in SOURCES.items() for g in gates]


@pytest.mark.parametrize("key, gate", CASES)
def test_kinetics_match_source_formulas(key, gate):
    ch = REGISTRY[key]()
    g = ch.gate(gate)
    for v in V:
        x_ref, tau_ref = SOURCES[key][gate](v)
        assert float(steady_state(ch, g, v)) == pytest.approx(x_ref, rel=1e-9, abs=1e-14)
        assert float(time_constant(ch, g, v, None)) == pytest.approx(tau_ref, rel=1e-9)


def test_calcium_dependent_gates():
    sk = REGISTRY["hay2011.SK_E2"]()
    kca = REGISTRY["mainen1996.KCa"]()
    sahp = REGISTRY["poirazi2003.kca"]()
    for cai in [1e-9, 5e-8, *np.logspace(-6, -2, 5)]:
        ca = cai + 1e-7 if cai < 1e-7 else cai  # SK_E2.mod: if (ca < 1e-7) ca = ca + 1e-7
        assert float(steady_state(sk, sk.gate("z"), -50.0, cai=cai)) == pytest.approx(
            1 / (1 + (0.00043 / ca) ** 4.8), rel=1e-12)
        car = (cai / 0.025) ** 2  # Poirazi's kca.mod: tadj = 3^((celsius - 22)/10)
        for temp in (22.0, 34.0):
            tau = max(1 / 0.03 / (1 + car) / 3 ** ((temp - 22) / 10), 0.5)
            assert float(steady_state(sahp, "m", -50.0, cai=cai)) == pytest.approx(
                car / (1 + car), rel=1e-12)
            assert float(time_constant(sahp, "m", -50.0, temp, cai=cai)) == pytest.approx(
                tau, rel=1e-12)
        a, b = 0.01 * cai, 0.02
        assert float(steady_state(kca, kca.gate("n"), -50.0, cai=cai)) == pytest.approx(
            a / (a + b), rel=1e-12)
        assert float(time_constant(kca, kca.gate("n"), -50.0, None, cai=cai)) == pytest.approx(
            1 / (a + b), rel=1e-12)


def test_every_channel_has_a_pointwise_test():
    """Every registry entry is covered here, in test_zoo_channels (reference V½/τ), in
    test_channels (HH) or in test_prinz (the STG family, every gate at 1e-12)."""
    from test_prinz import CHANNELS as PRINZ

    covered = set(SOURCES) | {"hay2011.SK_E2", "mainen1996.KCa", "poirazi2003.kca",
                              "hh1952.Na", "hh1952.K", "hh1952.leak", "prinz2003.leak"}
    covered |= {f"prinz2003.{name}" for name in PRINZ}
    assert set(REGISTRY) <= covered, sorted(set(REGISTRY) - covered)
