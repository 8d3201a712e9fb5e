"""One fixed step of one neuron, NEURON's staggered scheme, from the IR.

Order of operations within a step (as NEURON's fixed-step ``fadvance``: ``nrn_rhs``/``nrn_lhs``,
``nrn_solve``, ``update``/``second_order_cur``, then ``nrn_state`` with the concentration
mechanisms before the channels):

1. the stimulus at t + dt/2; every current at (vₙ, gatesₙ, concentrationsₙ) and its slope
   dI/dv — the conductance for currents linear in v, else NEURON's finite difference
   (I(v + 0.001) − I(v))/0.001;
2. the linearised implicit voltage update (kfac = 1, cj = 1/dt: backward Euler; kfac = 2,
   cj = 2/dt: Crank–Nicolson);
3. each pool advanced over dt by its method with its ion's current at vₙ (with Crank–Nicolson
   the current is advanced to the half step, i + (di/dv)·(vₙ₊₁ − vₙ)/2, as
   ``second_order_cur``);
4. every gate advanced over dt by its channel's method (:func:`advance`; ``cnexp``:
   x ← x∞ + (x − x∞)·exp(−dt·rate)), its rates at vₙ₊₁ and at the concentrations just updated
   — a gate reading ``cai`` sees this step's calcium, as in NEURON, which orders the mechanisms
   that write a concentration before those that read it (``nrn_finitialize``, ``nonvint``).

Names of the emitted source: states ``x<i>`` (start of step) and ``y<i>`` (end), parameters as
the caller maps them, ``ist`` the stimulus, ``gc<k>``/``ic<k>``/``sc<k>`` conductance, current
and slope of current k (names that cannot collide with the kernels' loop variables).
"""

from __future__ import annotations

from ...expr import Call, Expr, Name, Num, pull_signs, substitute
from ...ir import ModelIR
from .source import (
    Flavor,
    Invariants,
    assign,
    expose_exponentials,
    log_powers,
    logistic_from_tanh,
    render,
    share_exponentials,
    shift_exponentials,
)

__all__ = ["step_lines", "state_rows", "advance", "invariant_names"]

#: NEURON's voltage increment for the finite-difference slope dI/dv, mV.
DV = 0.001


def state_rows(ir: ModelIR) -> dict[str, int]:
    """Row of every state in the kernels' state table."""
    return {s.name: i for i, s in enumerate(ir.states)}


def invariant_names(ir: ModelIR) -> list[str]:
    """Names whose values are fixed during a kernel call: the parameters and the solver's
    constants ``dtk``, ``kfac`` (what :class:`~.source.Invariants` may bind before the loop)."""
    return [*ir.rows, "dtk", "kfac"]


def step_lines(ir: ModelIR, params: dict[str, str], flavor: Flavor, stabilize: bool,
               ind: str, inv: Invariants | None = None) -> list[str]:
    """Source of one step: reads ``x<i>`` and the parameters (``params`` maps ids to source),
    ``tm`` (t + dt/2), ``dtk``, ``cj``, ``kfac``; leaves the new states in ``y<i>``. With
    ``inv``, time-invariant sub-expressions are left to it (their names ``h<k>`` are read, the
    caller binds them before the time loop from ``inv.bindings``)."""
    rows = state_rows(ir)
    names = {**params, **{n: f"x{i}" for n, i in rows.items()}, "tm": "tm"}
    hoist = _Hoist(inv)
    out = [f"{ind}ist = {render(substitute(ir.stimulus, {'t': Name('tm')}), names, flavor)}"]
    out += _current_lines(ir, names, flavor, ind, hoist)
    out += _voltage_lines(ir, names, flavor, stabilize, ind)
    new = dict(names)
    new["v"] = "y0"
    out += _pool_lines(ir, names, new, flavor, ind, hoist)
    out += _gate_lines(ir, names, new, flavor, ind, hoist)
    return out


class _Hoist:
    """Applies an optional :class:`Invariants` and tells the printer the names it bound."""

    def __init__(self, inv: Invariants | None) -> None:
        self.inv = inv

    def __call__(self, exprs: list[Expr], names: dict[str, str]) -> list[Expr]:
        if self.inv is None:
            return exprs
        out = [self.inv(e) for e in exprs]
        names.update({name: name for name, _ in self.inv.bindings})
        return out


def _current_lines(ir: ModelIR, names: dict[str, str], flavor: Flavor, ind: str,
                   hoist: _Hoist) -> list[str]:
    """gc<k>, ic<k> at vₙ and the slopes sc<k>."""
    pairs: list[tuple[str, Expr]] = []
    nonlinear = [k for k, c in enumerate(ir.currents) if not c.linear]
    at_mid = {"t": Name("tm")}  # a clamp's command is read at the middle of the step
    # a nonlinear current at v + DV shares its exponentials with the current at v
    def expose(e: Expr) -> Expr:
        return expose_exponentials(logistic_from_tanh(pull_signs(e)), "v")

    exposed = {k: (expose(ir.currents[k].conductance), expose(ir.currents[k].current))
               for k in nonlinear if not ir.currents[k].frozen}
    for k, c in enumerate(ir.currents):
        g, i = exposed.get(k, (c.conductance, c.current))
        pairs += [(f"gc{k}", g), (f"ic{k}", substitute(i, at_mid))]
    for k in nonlinear:
        c = ir.currents[k]
        at_vp = c.conductance * substitute(c.drive, {"v": Name("vp")}) if c.frozen else \
            shift_exponentials(substitute(exposed[k][1], at_mid), "v", DV, "vp")
        pairs.append((f"icp{k}", at_vp))
    lines = [f"{ind}vp = x0 + {flavor.lit(DV)}"] if nonlinear else []
    local = {**names, "vp": "vp"}
    exprs = hoist([e for _, e in pairs], local)
    lines += assign([(t, e) for (t, _), e in zip(pairs, exprs)], local, flavor, ind, "cu")
    for k, c in enumerate(ir.currents):
        slope = f"(icp{k} - ic{k}) / {flavor.lit(DV)}" if not c.linear else f"gc{k}"
        lines.append(f"{ind}sc{k} = {slope}")
    return lines


def _voltage_lines(ir: ModelIR, names: dict[str, str], flavor: Flavor, stabilize: bool,
                   ind: str) -> list[str]:
    n = len(ir.currents)
    zero = flavor.lit(0.0)
    lines = [f"{ind}gt = {' + '.join(f'sc{k}' for k in range(n)) or zero}",
             f"{ind}it = {' + '.join(f'ic{k}' for k in range(n)) or zero}"]
    cap = names["capacitance"]
    if stabilize and any(not c.linear for c in ir.currents):
        # Safeguard: where a negative slope (steep instantaneous Na at large dt) cancels more
        # than half of C·cj, NEURON's linearised update diverges; there the chord conductance
        # (≥ 0) is used instead: a stable semi-implicit step. Identical to NEURON elsewhere;
        # ``stabilize=False`` gives NEURON's scheme exactly.
        chord = " + ".join(f"gc{k}" if c.reversal != "ghk" else f"max(sc{k}, {zero})"
                           for k, c in enumerate(ir.currents))
        lines += [f"{ind}cc = cj * {cap}", f"{ind}den = cc + gt",
                  f"{ind}den = den if den > {flavor.lit(0.5)} * cc else cc + {chord}",
                  f"{ind}y0 = x0 + kfac * (ist - it) / den"]
    else:
        lines.append(f"{ind}y0 = x0 + kfac * (ist - it) / (cj * {cap} + gt)")
    return lines


def advance(x: Expr, inf: Expr, rate: Expr, method: str, noise: Expr | None = None,
            xi: str | None = None) -> Expr:
    """x after one step towards ``inf`` at ``rate`` (1/ms) by ``method``, as NEURON's fixed
    step does it (``dtk`` the step, ``kfac`` 1 for backward Euler, 2 for Crank–Nicolson):

    * ``cnexp``: x∞ + (x − x∞)·e^(−dt·r) under both schemes;
    * ``derivimplicit``: backward Euler, x∞ + (x − x∞)/(1 + dt·r); under Crank–Nicolson NEURON
      takes an implicit half step and an explicit half step — the trapezoidal rule,
      x∞ + (x − x∞)·(1 − dt·r/2)/(1 + dt·r/2);
    * ``euler``: x + dt·r·(x∞ − x) (two explicit half steps with one derivative under
      Crank–Nicolson: the same);
    * ``alpha`` (the second state of an alpha synapse, x∞ = a/r with a decaying at the same
      rate r): the exact step of the pair, x·e^(−dt·r) + x∞·dt·r·e^(−dt·r) (a read at the
      start of the step);
    * ``ou`` (an Ornstein–Uhlenbeck input of stationary standard deviation ``noise``): the
      exact step (Gillespie 1996), x∞ + (x − x∞)·e^(−dt·r) + noise·√(1 − e^(−2·dt·r))·ξ with ξ
      the step's standard normal number ``xi``.
    """
    dtk, kfac = Name("dtk"), Name("kfac")
    if method == "alpha":  # x' = r·(x∞ − x) with x∞ = a/r driven by a state a decaying at r
        decay = Call("exp", (-dtk * rate,))
        return x * decay + inf * (dtk * rate) * decay
    if method == "ou":
        assert noise is not None and xi is not None
        decay = Call("exp", (-dtk * rate,))
        spread = Call("sqrt", (Num(1.0) - decay * decay,))
        return inf + (x - inf) * decay + noise * spread * Name(xi)
    if method == "cnexp":
        return inf + (x - inf) * Call("exp", (-dtk * rate,))
    if method == "derivimplicit":
        h = dtk * rate / kfac
        return inf + (x - inf) * (Num(1.0) - (kfac - Num(1.0)) * h) / (Num(1.0) + h)
    if method == "euler":
        return x + dtk * rate * (inf - x)
    raise ValueError(f"unknown integration method {method!r}")


def _pool_lines(ir: ModelIR, names: dict[str, str], new: dict[str, str], flavor: Flavor,
                ind: str, hoist: _Hoist) -> list[str]:
    """Pools advanced over dt; ``new`` learns their end-of-step names."""
    rows = state_rows(ir)
    lines = []
    lit = flavor.lit
    for q, p in enumerate(ir.pools):
        ks = [k for k, c in enumerate(ir.currents) if c.ion == p.ion]
        isum = " + ".join(f"ic{k}" for k in ks) or lit(0.0)
        ssum = " + ".join(f"sc{k}" for k in ks) or lit(0.0)
        r = rows[p.state]
        lines.append(f"{ind}ica{q} = {isum} + (kfac - {lit(1.0)}) * {lit(0.5)} * (y0 - x0) * "
                     f"({ssum})")
        drive = substitute(p.drive, {"ica": Name(f"ica{q}")})
        local = {**names, f"ica{q}": f"ica{q}", "dtk": "dtk", "kfac": "kfac"}
        step = advance(Name(p.state), p.rest + drive * p.tau, Num(1.0) / p.tau, p.method)
        step = hoist([step], local)[0]
        lines += assign([(f"y{r}", step)], local, flavor, ind, f"po{q}_")
        new[p.state] = f"y{r}"
        if p.ion_state:  # the ion takes the pool's value from the start of the step
            lines.append(f"{ind}y{rows[p.ion_state]} = x{r}")
            new[p.ion_state] = f"y{rows[p.ion_state]}"
    return lines


def _gate_lines(ir: ModelIR, names: dict[str, str], new: dict[str, str], flavor: Flavor,
                ind: str, hoist: _Hoist) -> list[str]:
    """Every kinetic gate advanced over dt at vₙ₊₁ and the new concentrations."""
    rows = state_rows(ir)
    gates = ir.kinetic_gates()
    local = {**new, "dtk": "dtk", "kfac": "kfac"}
    # a gate's name stands for its value xₙ (``new`` maps it to x<i>)
    local.update({n.xi: n.xi for n in ir.noises})
    updates = hoist([advance(Name(g.name), g.inf, g.rate, g.method, g.noise, g.xi)
                     for g in gates], local)
    if not flavor.exact:  # before sharing: exponentials that cancel in a power are gone
        updates = [log_powers(u) for u in updates]
    ex_bindings, updates = share_exponentials(updates, "v")
    lines = assign(ex_bindings, local, flavor, ind, "ge")
    local.update({name: name for name, _ in ex_bindings})
    pairs = [(f"y{rows[g.name]}", u) for g, u in zip(gates, updates)]
    return lines + assign(pairs, local, flavor, ind, "ga")
