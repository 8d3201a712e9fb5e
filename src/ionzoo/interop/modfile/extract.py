"""From the symbolic blocks of a .mod file to ionzoo channels.

A current the file writes (``ina = …`` for ``USEION na WRITE ina``, or a
``NONSPECIFIC_CURRENT``) must factor as NEURON's HH form

    i = K · P · F · Π_k x_k^{p_k} · Π_j y_j(v)^{q_j} · D            (mA/cm²)

with ``K`` a number, ``P`` the conductance (or permeability) PARAMETER, ``F`` any factor of
parameters and ``celsius`` (Mainen's ``tadj``), ``x_k`` STATEs, ``y_j`` instantaneous values
computed from ``v`` (Destexhe's ``m_inf``), and ``D`` the drive: ``v − e`` or a
Goldman–Hodgkin–Katz flux that equals ionzoo's to a constant factor (checked numerically).
ionzoo's ``gbar`` is then ``1000·K·P`` in mS/cm² (µA/cm² per mV; a permeability in cm/s for
GHK), ``F`` the channel's ``conductance_factor``. Each STATE's derivative must be linear in the
state, ``x' = (x∞ − x)/τ`` or ``α(1 − x) − βx`` (recognised as written) or any ``A − B·x``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from ...expr import Bin, Expr, Name, Neg, Num, diff, evaluate, substitute
from .symbolic import UNSET, Machine, constant_value
from .syntax import ModFile, ModSyntaxError

__all__ = ["CurrentParts", "GateParts", "analyse", "Analysis", "DEFAULT_REVERSALS"]

#: NEURON's default reversal potentials (mV) of the ions it knows; calcium's follows the
#: concentrations (Nernst) wherever a pool writes cai.
DEFAULT_REVERSALS: dict[str, float | str] = {"na": 50.0, "k": -77.0, "ca": "nernst"}


@dataclass
class GateParts:
    """One gate: its state (or instantaneous value) name, power and kinetics (trees)."""

    name: str
    power: int
    form: str  # "inftau" | "alphabeta" | "instantaneous" | "fractional"
    first: Expr | None  # x∞ or α (None for a fractional gate)
    second: Expr | None  # τ or β
    #: a fractional gate: (weight, gate of power 1) for each state of the weighted sum
    parts: list[tuple[float, GateParts]] = field(default_factory=list)

    def leaves(self) -> list[GateParts]:
        """The gates with kinetics: the parts of a fractional gate, else itself."""
        return [p for _, p in self.parts] if self.parts else [self]


@dataclass
class CurrentParts:
    """One current of the file, factored."""

    variable: str
    ion: str | None
    scale: float  # K (and the GHK ratio)
    conductance: str  # the PARAMETER P
    factor: Expr | None  # F
    gates: list[GateParts]
    drive: str  # "fixed" | "nernst" | "ghk"
    reversal: Expr | None  # e: Num, Name p:<param> or Name e:<ion>
    #: instantaneous gates computed in the state update (NEURON's dI/dv holds them fixed)
    lagged: bool = False


@dataclass
class Analysis:
    mod: ModFile
    currents: list[CurrentParts]
    method: str
    initial: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def _fail(mod: ModFile, line: int, reason: str) -> ModSyntaxError:
    return ModSyntaxError(f"{mod.where}:{line}" if line else mod.where, reason)


# ------------------------------------------------------------------------------ blocks
def _run_blocks(mod: ModFile) -> tuple[Machine, Machine, Machine | None, str]:
    """Execute INITIAL, the DERIVATIVE block SOLVE names and BREAKPOINT; (derivative machine,
    breakpoint machine, initial machine, method)."""
    if mod.breakpoint is None:
        raise _fail(mod, 0, "no BREAKPOINT block")
    solves = [s for s in mod.breakpoint.body if type(s).__name__ == "Solve"]
    if len(solves) > 1:
        raise _fail(mod, solves[1].line, "more than one SOLVE is not supported")
    init = None
    constants: dict = {}
    if mod.initial is not None:
        init = Machine(mod, unset_is_zero=True)
        init.run(mod.initial)
        constants = {k: v for k, v in init.globals.items()  # ASSIGNED values only
                     if k in mod.assigned or k in mod.file_locals
                     if isinstance(v, Expr) and not _varying(v)}
    deriv = Machine(mod)
    deriv.globals.update(constants)
    method = "cnexp"
    if solves:
        s = solves[0]
        block = mod.blocks.get(s.block)
        if block is None or block.kind != "DERIVATIVE":
            raise _fail(mod, s.line, f"SOLVE {s.block}: no DERIVATIVE block of that name "
                        "(only DERIVATIVE blocks are supported)")
        if s.method not in ("cnexp", "derivimplicit", "euler"):
            raise _fail(mod, s.line, f"SOLVE {s.block} METHOD {s.method}: supported methods "
                        "are cnexp, derivimplicit and euler")
        method = s.method
        deriv.run(block)
    elif mod.states:
        raise _fail(mod, mod.breakpoint.line, "STATEs but no SOLVE in BREAKPOINT")
    missing = set(mod.states) - set(deriv.derivatives)
    if missing:
        raise _fail(mod, 0, f"no derivative for STATE(s) {sorted(missing)}")
    known = {k for k, v in deriv.globals.items() if v is not UNSET}
    bp = Machine(mod, opaque=frozenset(known), keep_v_values=True)
    bp.run(mod.breakpoint)
    return deriv, bp, init, method


def _varying(e: Expr) -> bool:
    """Whether a tree reads v, a state or an ion variable (it cannot persist from INITIAL)."""
    return any(n == "v" or n in ("cai", "cao") or n[:2] in ("s:", "e:", "c:", "a:")
               for n in e.names)


# ------------------------------------------------------------------------------ factoring
def _factors(e: Expr, power: int = 1) -> list[tuple[Expr, int]]:
    if isinstance(e, Bin) and e.op == "*":
        return _factors(e.left, power) + _factors(e.right, power)
    if isinstance(e, Bin) and e.op == "/" and _kind(e.right) in ("constant", "state"):
        return _factors(e.left, power) + _factors(e.right, -power)
    if isinstance(e, Neg):
        return [(Num(-1.0), 1)] + _factors(e.arg, power)
    if (isinstance(e, Bin) and e.op == "**" and isinstance(e.right, Num)
            and float(e.right.value).is_integer() and 1 <= e.right.value <= 8
            and (isinstance(e.left, Name) or _kind(e.left) != "constant")):
        return [(f, k * int(e.right.value)) for f, k in _factors(e.left, power)]
    return [(e, power)]


def _weighted_states(f: Expr) -> list[tuple[float, str]] | None:
    """``[(w, state), …]`` where ``f`` = Σ w·state with positive numbers w and distinct
    states; None otherwise."""
    if isinstance(f, Bin) and f.op == "+":
        left, right = _weighted_states(f.left), _weighted_states(f.right)
        if left is None or right is None:
            return None
        out = left + right
        return out if len({x for _, x in out}) == len(out) else None
    weight = 1.0
    while isinstance(f, Bin) and f.op in ("*", "/"):
        if f.op == "*" and isinstance(f.left, Num):
            weight, f = weight * f.left.value, f.right
        elif isinstance(f.right, Num) and f.right.value != 0.0:
            weight = weight * f.right.value if f.op == "*" else weight / f.right.value
            f = f.left
        else:
            return None
    if isinstance(f, Name) and f.id.startswith("s:") and weight > 0.0:
        return [(weight, f.id[2:])]
    return None


def _common_prefix(names: list[str]) -> str:
    """The longest common prefix of ``names`` that is an identifier (``h1``, ``h2`` → ``h``)."""
    prefix = names[0]
    for n in names[1:]:
        while not n.startswith(prefix):
            prefix = prefix[:-1]
    prefix = prefix.rstrip("_0123456789") if prefix not in names else ""
    return prefix if prefix[:1].isalpha() else ""


def _is_drive(d: Expr) -> bool:
    """``v − e`` or ``v + c`` with ``e`` free of v."""
    return (isinstance(d, Bin) and d.op in ("-", "+") and d.left == Name("v")
            and "v" not in d.right.names)


def _kind(e: Expr) -> str:
    names = e.names
    if any(n.startswith("s:") for n in names):
        return "state"
    if any(n == "v" for n in names):
        return "v"
    if any(n in ("cai", "cao") or n.startswith("c:") for n in names):
        return "concentration"
    return "constant"


class _Current:
    """Factoring of one current expression."""

    def __init__(self, mod: ModFile, deriv: Machine, variable: str, ion: str | None,
                 expr: Expr, bp_values: dict[str, Expr] | None = None) -> None:
        self.mod, self.deriv, self.variable, self.ion = mod, deriv, variable, ion
        self.bp_values = bp_values or {}
        self.order: list[str] = []  # gates in the order the current names them
        self.expr = expr
        self.scale = 1.0
        self.powers: dict[str, int] = {}
        self.instant: dict[str, tuple[Expr, int]] = {}
        self.constants: list[tuple[Expr, int]] = []
        self.drives: list[Expr] = []
        self.lagged: set[str] = set()  # instantaneous values set outside BREAKPOINT
        self.sums: dict[str, tuple[Expr, list[tuple[float, str]]]] = {}  # fractional gates

    def fail(self, reason: str) -> ModSyntaxError:
        line = self.mod.breakpoint.line if self.mod.breakpoint else 0
        return _fail(self.mod, line, f"current {self.variable!r}: {reason}")

    def resolve(self, name: str) -> Expr:
        if name in self.bp_values:
            return self.bp_values[name]
        value = self.deriv.globals.get(name, UNSET)
        if value is UNSET:
            raise self.fail(f"{name!r} is read before it is set")
        return value  # type: ignore[return-value]

    def classify(self, f: Expr, k: int) -> None:
        if isinstance(f, Num):
            self.scale *= f.value ** k
        elif isinstance(f, Name) and f.id.startswith("s:"):
            self.powers[f.id[2:]] = self.powers.get(f.id[2:], 0) + k
            if f.id[2:] not in self.order:
                self.order.append(f.id[2:])
        elif isinstance(f, Name) and f.id.startswith("a:"):
            value = self.resolve(f.id[2:])
            if _kind(value) == "state":
                raise self.fail(f"{f.id[2:]!r} mixes states into a factor")
            self.value_factor(value, k, f.id[2:])
            if f.id[2:] in self.instant and f.id[2:] not in self.bp_values:
                self.lagged.add(f.id[2:])
        elif _kind(f) == "state":
            terms = _weighted_states(f)
            if terms is None:
                raise self.fail(f"the factor {f} mixes states with other terms: the current "
                                "must be a product of gate powers and weighted sums of states "
                                "(not supported)")
            self.weighted_sum(f, k, terms)
        else:
            self.value_factor(f, k, None)

    def weighted_sum(self, f: Expr, k: int, terms: list[tuple[float, str]]) -> None:
        """A fractional gate Σ w·x (Allen's ``0.5*h1 + 0.5*h2``), named by the common prefix
        of its states (``h``) where that is free, else ``f<k>``."""
        for key, (tree, _) in self.sums.items():
            if tree == f:
                self.powers[key] += k
                return
        states = [x for _, x in terms]
        prefix = _common_prefix(states)
        taken = set(self.mod.states) | set(self.mod.parameters) | set(self.mod.assigned) \
            | set(self.sums) | set(self.instant)
        key = prefix if prefix and prefix not in taken else f"f{len(self.sums) + 1}"
        self.sums[key] = (f, terms)
        self.powers[key] = k
        self.order.append(key)

    def value_factor(self, f: Expr, k: int, name: str | None) -> None:
        """A factor without states: constant, the drive, or an instantaneous gate (a function
        of v or of the calcium concentrations alone, such as Destexhe's m∞ or a cai block)."""
        kind = _kind(f)
        if kind == "constant":
            self.constants.append((f, k))
            return
        conc = bool(f.names & {"cai", "cao"})
        if (kind == "v" and conc) or _is_drive(f):
            if k != 1:
                raise self.fail("the driving force must appear once, to the first power")
            self.drives.append(f)
            return
        key = name or f"y{len(self.instant) + 1}"
        for other, (tree, _) in self.instant.items():  # the same value again: one more power
            if tree == f:
                key = other
        old = self.instant.get(key, (f, 0))
        self.instant[key] = (f, old[1] + k)
        if key not in self.order:
            self.order.append(key)

    def parts(self) -> CurrentParts:
        for f, k in _factors(self.expr):
            self.classify(f, k)
        conductance, factor = self.conductance()
        drive, reversal = self.driving_force()
        gates = []
        for name in self.order:
            if name in self.sums:
                parts = [(w, _gate(self.mod, self.deriv, x, 1)) for w, x in self.sums[name][1]]
                if self.powers[name] <= 0:
                    raise self.fail(f"the weighted sum {self.sums[name][0]} divides the current")
                gates.append(GateParts(name, self.powers[name], "fractional", None, None, parts))
            elif name in self.powers and self.powers[name]:
                gates.append(_gate(self.mod, self.deriv, name, self.powers[name]))
            elif name in self.instant:
                value, p = self.instant[name]
                if p <= 0:
                    raise self.fail(f"{name!r} divides the current")
                gates.append(GateParts(name, p, "instantaneous", value, None))
        if self.lagged and self.lagged != set(self.instant):
            raise self.fail("instantaneous values computed both in BREAKPOINT and in the state "
                            "update are not supported in one current")
        return CurrentParts(self.variable, self.ion, self.scale, conductance, factor, gates,
                            drive, reversal, bool(self.lagged))

    def conductance(self) -> tuple[str, Expr | None]:
        params = [f.id[2:] for f, k in self.constants if isinstance(f, Name)
                  and f.id.startswith("p:") and k == 1]
        if not params:
            raise self.fail("no PARAMETER gives the conductance (expected e.g. gbar·m³h·(v − e))")
        ranked = sorted(params, key=lambda p: (p not in self.mod.range_names,
                                               not any(t in p.lower() for t in ("bar", "max"))))
        chosen = ranked[0]
        rest: Expr | None = None
        used = False
        for f, k in self.constants:
            if not used and isinstance(f, Name) and f.id == f"p:{chosen}" and k == 1:
                used = True
                continue
            term = f if k == 1 else (Num(1.0) / f if k == -1 else f ** Num(float(k)))
            rest = term if rest is None else rest * term
        return chosen, rest

    def driving_force(self) -> tuple[str, Expr | None]:
        if len(self.drives) != 1:
            raise self.fail(f"expected one driving force (v − e) or GHK factor, found "
                            f"{len(self.drives)}")
        d = self.drives[0]
        if isinstance(d, Bin) and d.op == "-" and d.left == Name("v") and _kind(d.right) == \
                "constant":
            return "fixed", d.right
        if isinstance(d, Bin) and d.op == "+" and d.left == Name("v") and isinstance(d.right,
                                                                                        Num):
            return "fixed", Num(-d.right.value)
        if (self.ion == "ca" and isinstance(d, Bin) and d.op == "-" and d.left == Name("v")
                and "v" not in d.right.names and d.right.names & {"cai", "cao"}):
            _check_nernst(self, d.right)
            return "nernst", None
        if self.ion == "ca" and d.names & {"cai", "cao"}:
            self.scale = _snap_decade(self.scale * _ghk_ratio(self, d))
            return "ghk", None
        raise self.fail(f"the driving force {d} is neither v − e nor a GHK flux of calcium")


_GHK_SAMPLES = [(v, ci, co, t) for v in (-90.0, -61.0, -33.0, -8.0, 17.0, 44.0)
                for ci in (5e-5, 2e-3) for co in (2.0, 1.2) for t in (6.3, 22.0, 36.0)]


def _samples(cur: _Current, d: Expr) -> tuple[dict, np.ndarray]:
    """Sample values of v, cai, cao, celsius and the parameters; RT/2F (mV) at them."""
    from ...model.ions import FARADAY, GAS_CONSTANT

    v, ci, co, t = (np.array(c) for c in zip(*_GHK_SAMPLES))
    env = {"v": v, "cai": ci, "cao": co, "celsius": t}
    env.update({f"p:{k}": np.full(v.shape, p.value or 0.0)
                for k, p in cur.mod.parameters.items()})
    env.update({f"p:{k}": np.zeros(v.shape) for k in cur.mod.assigned if f"p:{k}" not in env})
    if d.names - set(env):
        raise cur.fail(f"the driving force reads {sorted(d.names - set(env))}")
    return env, 1000.0 * GAS_CONSTANT * (t + 273.15) / (2.0 * FARADAY)


def _check_nernst(cur: _Current, e: Expr) -> None:
    """The file's calcium reversal must equal ionzoo's Nernst potential to 1e-9 relative."""
    env, rtf2 = _samples(cur, e)
    with np.errstate(all="ignore"):
        theirs = np.asarray(evaluate(e, env), dtype=float)
    ours = rtf2 * np.log(env["cao"] / env["cai"])
    dev = float(np.max(np.abs(theirs / ours - 1.0)))
    if not dev < 1e-9:
        raise cur.fail(f"its calcium reversal potential {e} differs from the Nernst potential "
                       f"with the physical constants (NEURON's F and R) by up to {dev:.2g} "
                       "(relative): older values of F or R in the file are not supported")


def _ghk_ratio(cur: _Current, d: Expr) -> float:
    """The constant ratio of the file's GHK factor to ionzoo's (µA/cm² per cm/s), checked at
    sample points of v, the concentrations and the temperature to 1e-9 relative."""
    from ...model.ions import FARADAY

    env, rtf2 = _samples(cur, d)
    with np.errstate(all="ignore"):
        theirs = np.asarray(evaluate(d, env), dtype=float)
    u, ci, co = env["v"] / rtf2, env["cai"], env["cao"]
    ours = 2.0 * FARADAY * (ci * u / (1.0 - np.exp(-u)) - co * u / (np.exp(u) - 1.0))
    ratio = theirs / ours
    r = float(np.median(ratio))
    if not np.all(np.isfinite(ratio)) or r == 0.0 or np.max(np.abs(ratio / r - 1.0)) > 1e-9:
        raise cur.fail("the factor that reads cai/cao is not a Goldman–Hodgkin–Katz flux "
                       "(checked against ionzoo's at sample v, cai, cao, celsius)")
    return r


def _snap_decade(scale: float) -> float:
    """A GHK current's overall factor: a power of ten (a unit conversion) where it is one to
    1e-6 — what remains is the file's values of F and R against ionzoo's."""
    decade = 10.0 ** round(math.log10(abs(scale)))
    return math.copysign(decade, scale) if abs(abs(scale) / decade - 1.0) < 1e-6 else scale


# ------------------------------------------------------------------------------ gates
def _gate(mod: ModFile, deriv: Machine, state: str, power: int) -> GateParts:
    f, line = deriv.derivatives[state]
    x = Name(f"s:{state}")
    where = f"{mod.where}:{line}"
    if power < 0:
        raise ModSyntaxError(where, f"the STATE {state!r} divides the current")
    others = {n for n in f.names if n.startswith("s:") and n != x.id}
    if others:
        raise ModSyntaxError(where, f"{state}' reads other states {sorted(others)} (coupled "
                             "kinetics are not HH-type gates)")
    # (x∞ − x)/τ as written
    if (isinstance(f, Bin) and f.op == "/" and isinstance(f.left, Bin) and f.left.op == "-"
            and f.left.right == x and x.id not in f.left.left.names | f.right.names):
        return GateParts(state, power, "inftau", f.left.left, f.right)
    # α(1 − x) − βx as written
    if (isinstance(f, Bin) and f.op == "-" and isinstance(f.left, Bin) and f.left.op == "*"
            and f.left.right == Num(1.0) - x and isinstance(f.right, Bin) and f.right.op == "*"
            and f.right.right == x and x.id not in f.left.left.names | f.right.left.names):
        return GateParts(state, power, "alphabeta", f.left.left, f.right.left)
    slope = diff(f, x.id)
    if x.id in slope.names:
        raise ModSyntaxError(where, f"{state}' is not linear in {state} (not an HH-type gate)")
    at_zero = substitute(f, {x.id: Num(0.0)})
    rate = -slope
    return GateParts(state, power, "inftau", at_zero / rate, Num(1.0) / rate)


# ------------------------------------------------------------------------------ entry point
def _current_variables(mod: ModFile) -> list[tuple[str, str | None]]:
    out: list[tuple[str, str | None]] = []
    for ion, entry in mod.ions.items():
        for w in entry.get("write", ()):
            if w == f"i{ion}":
                out.append((w, ion))
            else:
                raise _fail(mod, 0, f"USEION {ion} WRITE {w}: the mechanism changes an ion "
                            "concentration (a pool); only channels are imported — ionzoo's "
                            "calcium pools are ionzoo.ions.Calcium")
    out += [(n, None) for n in mod.nonspecific]
    if not out:
        raise _fail(mod, 0, "the mechanism writes no current (USEION … WRITE i<ion> or "
                    "NONSPECIFIC_CURRENT)")
    return out


def _initial_values(mod: ModFile, init: Machine | None, gates: list[GateParts]) -> dict:
    """States INITIAL sets to something else than their steady state (e.g. 0)."""
    out: dict[str, float] = {}
    if init is None:
        return out
    for g in gates:
        if g.form == "instantaneous":
            continue
        value = init.globals.get(g.name, UNSET)
        if value is UNSET:
            out[g.name] = 0.0  # NEURON starts an unset STATE at its declared 0
            continue
        defaults = {f"p:{k}": Num(d.value or 0.0) for k, d in mod.parameters.items()}
        c = constant_value(substitute(value, defaults))  # type: ignore[arg-type]
        if c is not None:  # e.g. m = 0, or Traub's m = m0 (its default value)
            out[g.name] = c
    return out


def analyse(mod: ModFile) -> Analysis:
    """Factor every current of ``mod`` (see the module docstring)."""
    if not mod.suffix:
        raise _fail(mod, 0, "no SUFFIX in the NEURON block")
    variables = _current_variables(mod)
    deriv, bp, init, method = _run_blocks(mod)
    currents = []
    for var, ion in variables:
        expr = bp.globals.get(var, UNSET)
        if expr is UNSET:
            raise _fail(mod, mod.breakpoint.line if mod.breakpoint else 0,
                        f"BREAKPOINT does not set the current {var!r}")
        currents.append(_Current(mod, deriv, var, ion, expr,  # type: ignore[arg-type]
                                 bp.named_values).parts())
    used = [x.name for c in currents for g in c.gates for x in g.leaves()
            if x.form != "instantaneous"]
    if len(used) != len(set(used)):
        raise _fail(mod, 0, "a STATE gates more than one current")
    unused = set(mod.states) - set(used)
    if unused:
        raise _fail(mod, 0, f"STATE(s) {sorted(unused)} do not gate any current")
    initial = _initial_values(mod, init, [x for c in currents for g in c.gates
                                          for x in g.leaves()])
    return Analysis(mod, currents, method, initial)

