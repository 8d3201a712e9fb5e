"""Branches of periodic orbits (``ionzoo.dynamics``: collocation, Floquet multipliers, folds of
limit cycles, homoclinic ends).

References (independent of this code):

* HH 1952 (6.3 °C, EL = −54.387 mV): fold of limit cycles at I = 6.260321 µA/cm² with period
  19.8952 ms (shared/reference/dynamics.md, from Hendrick's computer-assisted HH analysis;
  6.26 in Rinzel & Miller 1980). Tolerances as the issue sets them: 1e-4 µA/cm² and 1e-4
  relative (the digits given are 7 and 6).
* Every orbit's period and V range against SciPy's DOP853/LSODA (the adaptive reference
  method, rtol 1e-11) started on the orbit; 1e-4 relative (the collocation's own error is
  ~1e-9 on the period: the bound is the issue's, and leaves room for sampling the extremes of
  the simulated trace every ≤ 5 µs, ~3e-5 mV).
* Floquet multipliers against the monodromy matrix by finite differences of the flow
  (DOP853, rtol 1e-12, central steps 1e-6 of each state's scale): 1e-4 relative.
* Morris–Lecar (Rinzel–Ermentrout type I parameters): the spiking orbit ends at a
  saddle-node on the invariant circle at the fold I = 39.96 µA/cm² (Rinzel & Ermentrout
  1998), and its period grows as (I − I_SN)^(−1/2) — the normal form of a SNIC.
* Bistability by simulation: above a fold of cycles (or a homoclinic end of a stable branch) a
  train started by a pulse goes on; below it, it stops.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy.integrate import solve_ivp

import ionzoo as iz
from ionzoo.analysis import fi_curve
from ionzoo.dynamics import EquilibriumBranch, bifurcation

HH_FOLD, HH_FOLD_PERIOD = 6.260321, 19.8952


@pytest.fixture(scope="module")
def hh():
    return bifurcation(iz.models.hh1952(), start=0.0, stop=200.0)


@pytest.fixture(scope="module")
def ml_snlc():
    return bifurcation(iz.models.REGISTRY["morris_lecar_snlc"](), start=0.0, stop=150.0)


def test_hh_fold_of_cycles_matches_the_reference(hh):
    folds = hh.points("fold_of_cycles")
    lowest = folds.iloc[0]
    assert lowest.value == pytest.approx(HH_FOLD, abs=1e-4)
    assert lowest.period == pytest.approx(HH_FOLD_PERIOD, rel=1e-4)
    assert lowest.frequency_hz == pytest.approx(1000.0 / lowest.period)


def test_hh_cycle_branch_joins_the_two_hopf_points(hh):
    (branch,) = hh.cycles  # the branch from the lower Hopf point ends at the upper one
    assert branch.end == "hopf"
    c = branch.cycles
    hopf = hh.points("hopf").value.values
    assert c.current.values[0] == pytest.approx(hopf[0], abs=0.05)
    assert c.current.values[-1] == pytest.approx(hopf[1], abs=2.0)
    # unstable from the subcritical Hopf point to the fold, stable after it
    fold = int(np.argmin(np.abs(c.current.values - HH_FOLD) + 1e3 * ~c.stable.values))
    assert not c.stable.values[: fold - 1].any() and c.stable.values[fold + 1:].all()
    stable = c.current.values[c.stable.values]
    assert stable.min() >= HH_FOLD - 1e-4


def _simulate_on_orbit(cell, branch, k):
    """Period (ms) and V range (mV) of the adaptive simulation started on orbit ``k``."""
    c = branch.cycles
    x0, period = branch.start_state[k], float(c.period[k])
    states = EquilibriumBranch(cell).states
    start = cell.with_initial({s: float(x) for s, x in zip(states[1:], x0[1:])},
                              v=float(x0[0]))
    level = 0.5 * float(c.v_max[k] + c.v_min[k])
    dt = min(period / 4000, 0.005)
    res = iz.simulate(start, iz.stimulus.step(float(c.current[k])),
                      t_stop=dt * np.ceil(2.2 * period / dt),
                      solver=iz.Adaptive(dt=dt, rtol=1e-11, atol=1e-11),
                      threshold=level)
    times = res.dataset.spike_times.values.ravel()
    times = times[np.isfinite(times)]
    v = res.v.values.ravel()
    return times[1] - times[0], v.max() - v.min()


@pytest.mark.parametrize("key", ["hh1952", "morris_lecar_snlc", "morris_lecar_hopf",
                                 "wang_buzsaki", "inap_ik_high"])
def test_orbits_match_simulations_started_on_them(key):
    cell = iz.models.REGISTRY[key]()
    diagram = bifurcation(cell, start=0.0, stop=150.0)
    checked = 0
    for branch in diagram.cycles:
        c = branch.cycles
        mu = np.abs(c.multipliers.values).max(axis=1)
        # an unstable orbit is followed for two periods only where its growth is mild
        usable = np.flatnonzero((c.stable.values | (mu < 50)) & (c.period.values < 3000))
        for k in usable[:: max(1, len(usable) // 6)]:
            period, amplitude = _simulate_on_orbit(cell, branch, k)
            assert period == pytest.approx(float(c.period[k]), rel=1e-4), (key, k)
            assert amplitude == pytest.approx(float(c.v_max[k] - c.v_min[k]), rel=1e-4)
            checked += 1
    assert checked >= 5


def _monodromy_by_shooting(branch, x0, current, period):
    scale = np.full(len(x0), 0.1)
    scale[0] = 10.0

    def flow(x):
        sol = solve_ivp(lambda t, y: branch.vector_field(branch.as_states(y), current),
                        (0.0, period), x, method="DOP853", rtol=1e-12, atol=1e-12)
        return sol.y[:, -1]

    cols = []
    for j in range(len(x0)):
        h = 1e-6 * scale[j]
        e = np.zeros(len(x0))
        e[j] = h
        cols.append((flow(x0 + e) - flow(x0 - e)) / (2 * h))
    return np.column_stack(cols)


def test_floquet_multipliers_match_shooting(hh):
    branch = EquilibriumBranch(iz.models.hh1952())
    (cb,) = hh.cycles
    c = cb.cycles
    for k in np.linspace(0, c.sizes["point"] - 1, 5).astype(int):
        if np.abs(c.multipliers.values[k]).max() > 1e3:
            continue  # shooting itself loses the digits on strongly unstable orbits
        M = _monodromy_by_shooting(branch, cb.start_state[k], float(c.current[k]),
                                   float(c.period[k]))
        shot = np.sort_complex(np.linalg.eigvals(M))
        mine = c.multipliers.values[k]
        for mu in mine[np.abs(mine) > 1e-3]:  # the tiny ones are below shooting's noise
            assert np.min(np.abs(shot - mu)) <= 1e-4 * abs(mu) + 1e-7, (k, mu, shot)
        # the trivial multiplier 1 (the direction along the orbit)
        assert np.min(np.abs(mine - 1.0)) < 1e-5


def test_snic_ends_at_the_saddle_node_with_the_square_root_law(ml_snlc):
    snic = ml_snlc.points("homoclinic")
    assert len(snic) == 1 and snic.detail[0] == "saddle-node on invariant circle"
    fold = ml_snlc.points("saddle_node").value[0]
    assert snic.value[0] == pytest.approx(39.96, abs=0.005)
    assert snic.value[0] == fold
    (branch,) = ml_snlc.cycles
    c = branch.cycles
    near = (c.current.values - fold < 0.15) & c.stable.values
    # T ≈ K (I − I_SN)^(−1/2) (1 + O(I − I_SN)): 1/T² is a smooth function of I with a
    # simple zero at the fold; a quadratic through the orbits nearest to it finds that zero
    x, y = c.current.values[near], 1.0 / c.period.values[near] ** 2
    zeros = np.roots(np.polyfit(x - fold, y, 2)).real + fold
    assert np.min(np.abs(zeros - fold)) < 1e-3, zeros
    assert near.sum() >= 6


def test_saddle_homoclinic_of_morris_lecar():
    cell = iz.models.REGISTRY["morris_lecar_homoclinic"]()
    d = bifurcation(cell, start=0.0, stop=150.0)
    (h,) = d.points("homoclinic").itertuples()
    assert h.detail == "saddle"
    eq = iz.dynamics.equilibria(cell, current=h.value)
    i = int(np.nanargmin(np.abs(eq.v.values - h.v)))
    assert eq.type.values[i] == "saddle" and abs(eq.v.values[i] - h.v) < 1e-9
    # near a saddle homoclinic orbit the period grows as T ≈ −ln(I − I_hc)/λ_u + const
    # (the time spent passing the saddle, λ_u its unstable eigenvalue, 1/ms)
    lam_u = float(np.max(eq.eigenvalues.values[i].real))
    (branch,) = d.cycles
    c = branch.cycles
    gap = c.current.values - h.value
    # (gaps above 1e-5: the reported value is the last orbit's current, itself ~1e-8 from
    # the limit, which distorts the smallest gaps)
    sel = (gap > 1e-5) & (gap < 1e-2)
    slope = np.polyfit(-np.log(gap[sel]), c.period.values[sel], 1)[0]
    assert sel.sum() >= 4 and slope == pytest.approx(1.0 / lam_u, rel=0.02)
    # in two dimensions the nontrivial multiplier is exp(∮ div f dt) (Liouville): < 1 here
    # because the saddle quantity λ_s + λ_u is negative — the orbits are stable
    assert float(np.sum(eq.eigenvalues.values[i].real)) < 0
    assert c.stable.values[gap < 1e-2].all()


@pytest.mark.parametrize("key,kind,top", [("hh1952", "fold_of_cycles", 9.9),
                                          ("morris_lecar_hopf", "fold_of_cycles", 94.5)])
def test_repetitive_firing_starts_at_the_lowest_stable_orbit(key, kind, top):
    cell = iz.models.REGISTRY[key]()
    d = bifurcation(cell, start=0.0, stop=150.0)
    onset = d.points(kind).value.min()
    # coming down slowly (over 3 s; a fast ramp leaves the orbit's basin near the fold, where
    # its attraction is weak) from ``top``, where rest is unstable: firing goes on just above
    # the onset, and stops below it
    fi = fi_curve(cell, [onset - 0.02, onset + 0.02], protocol="train", from_current=top,
                  settle=3000.0, t_stop=6000.0, dt=0.01)
    counts = fi.spike_count.values
    late = fi.rate.values
    assert late[0] == 0 and late[1] > 0, (onset, counts, late)


@pytest.mark.parametrize("kwargs,match", [({"max_period": -1.0}, "max_period"),
                                          ({"max_period": float("nan")}, "max_period")])
def test_bad_cycle_options(kwargs, match):
    with pytest.raises(iz.ValidationError, match=match):
        bifurcation(iz.models.hh1952(), start=0.0, stop=200.0, **kwargs)


def test_snic_of_a_neuron_without_hopf_point_is_found_from_a_simulated_orbit():
    """I_Na,p + I_K (high threshold) has no Hopf point below 150 µA/cm²: its spiking orbit
    is found by simulation and followed down to the saddle-node on the invariant circle at
    4.51 µA/cm² (Izhikevich 2007, fig. 6.7)."""
    d = bifurcation(iz.models.REGISTRY["inap_ik_high"](), start=0.0, stop=150.0)
    assert d.points("hopf").empty
    (snic,) = d.points("homoclinic").itertuples()
    assert snic.detail == "saddle-node on invariant circle"
    assert snic.value == pytest.approx(4.51, abs=0.005)
    assert len(d.cycles) == 2 and d.cycles[0].end == "period"


@pytest.mark.parametrize("key,kind,onset,name", [
    ("hh1952", "II", 6.260321, "fold of limit cycles"),
    ("morris_lecar_snlc", "I", 39.96, "saddle-node on invariant circle"),
    ("inap_ik_high", "I", 4.51, "saddle-node on invariant circle")])
def test_excitability_class_names_the_onset_bifurcation(key, kind, onset, name):
    from ionzoo.analysis import excitability_class

    cell = iz.models.REGISTRY[key]()
    ex = excitability_class(cell, hi=50.0, diagram=True)
    assert ex.kind == kind and ex.onset_bifurcation == name
    assert ex.onset_bifurcation_current == pytest.approx(onset, abs=0.005)


def test_period_doubling_and_torus_test_functions_change_sign_only_at_their_crossings():
    """The test functions of the cycle branch's period doubling (Π(μ+1)) and torus
    (Π_{i<j}(μ_iμ_j − 1) over the nontrivial multipliers) change sign exactly when a real
    multiplier passes −1, or a complex pair passes the unit circle — not when a complex pair
    meets on the real axis, nor when the multipliers are huge (no overflow)."""
    from ionzoo.dynamics.cycles import _on_circle, _test_value

    def mu(*others):
        return np.array([1.0, *others], dtype=complex)  # the trivial multiplier first

    def sign_change(a, b, kind):
        return _test_value(a, 0, kind) * _test_value(b, 0, kind) < 0

    # a real multiplier through −1 (with a large unstable one alongside)
    assert sign_change(mu(-0.99, 40.0, 0.1), mu(-1.01, 40.0, 0.1), "period_doubling")
    assert not sign_change(mu(-0.99, 40.0, 0.1), mu(-0.98, 40.0, 0.1), "period_doubling")
    # a complex pair meeting on the negative axis inside the circle: no doubling, no torus
    inside = 0.5 * np.exp(2.9j)
    assert not sign_change(mu(inside, np.conj(inside)), mu(-0.4, -0.6), "period_doubling")
    # a complex pair through the unit circle: a torus, not a doubling
    a, b = 0.99 * np.exp(0.3j), 1.01 * np.exp(0.3j)
    assert sign_change(mu(a, np.conj(a), 0.2), mu(b, np.conj(b), 0.2), "torus")
    assert not sign_change(mu(a, np.conj(a), 0.2), mu(b, np.conj(b), 0.2), "period_doubling")
    # multipliers of 1e200 (orbits near a saddle): finite test values
    assert np.isfinite(_test_value(mu(1e200, 1e200, -1e-3), 0, "torus"))
    assert np.isfinite(_test_value(mu(1e200, -1e200, 0.5), 0, "period_doubling"))
    # the refined point must be on the circle as its kind; a neutral saddle (2 · 0.5 = 1) is
    # a zero of the torus test but not a torus point
    assert _on_circle(mu(-1.0 + 1e-9, 0.3), 0, "period_doubling") == pytest.approx(-1.0)
    assert _on_circle(mu(np.exp(0.4j), np.exp(-0.4j)), 0, "torus") == pytest.approx(
        np.exp(0.4j))
    assert _on_circle(mu(2.0, 0.5), 0, "torus") is None


def _rows(values, periods):
    return [{"value": float(v), "period": float(t)} for v, t in zip(values, periods)]


def test_a_branch_ends_for_its_period_only_once_its_current_has_converged():
    """Synthetic branches with known laws (exact, not from the code): a SNIC's
    λ = λ* + c/T² ends once c/T² < 1e-4·|λ|; a branch nearing a fold of cycles,
    λ = λ_f + a (T − T_f)², does not, although λ barely moves there; the Hay soma's
    measured 1-s orbits (6.0732 at 977.4 ms, 6.0690 at 1006.6 ms: 0.069 from their limit)
    do not; any branch ends beyond 20 s."""
    from ionzoo.dynamics.cycles import _period_limit

    periods = np.array([900.0, 1000.0, 1100.0])
    snic = lambda c: _rows(6.0 + c / periods ** 2, periods)  # noqa: E731
    assert _period_limit(snic(100.0), 950.0)        # c/T² = 8e-5 ≪ 6e-4
    assert not _period_limit(snic(5000.0), 950.0)   # 4e-3 from the limit: go on
    assert not _period_limit(snic(100.0), 1200.0)   # not yet past max_period
    fold = _rows(6.0276 + 1e-9 * (periods - 1150.0) ** 2, periods)
    assert not _period_limit(fold, 950.0)
    hay = _rows([6.0766, 6.0732, 6.0690], [958.4, 977.4, 1006.6])
    assert not _period_limit(hay, 1000.0)
    assert _period_limit(_rows([6.0, 6.0, 6.0], [1.0e4, 1.5e4, 2.1e4]), 1000.0)
