"""Model structure → Python/Numba source of the simulation kernels.

Only the *structure* of a model enters the generated source: which channels, their gates and
powers, the rate expressions (their constants are part of the kinetics), which stimulus forms and
which variables are recorded. Every other number — ḡ, E, Q10, extra channel parameters, C,
temperature, v_init, stimulus amplitudes and times — is read at run time from the parameter
table ``P`` (one row per parameter, one column per neuron). Changing those values or the batch
size therefore never compiles anything.

The generated module defines:

``init(P, S)``
    state rows of ``S`` at t = 0: v = v_init, each gate at x∞(v_init).
``run(n_steps, step0, dt, cj, kfac, thr, P, S, spk_count, spk_times, rec_every, REC, *W)``
    ``n_steps`` fixed steps from step index ``step0`` (see :mod:`ionzoo.engine.methods`).
``observe(P, S, REC, r)``
    writes the recorded quantities of all neurons into sample ``r`` of ``REC``.
``rhs(t, y, p, dy, *W)`` / ``observe_one(p, y, out)``
    the ODE right-hand side and the recorded quantities for one neuron (adaptive method).
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field

from ..channels.channel import Channel
from ..errors import ValidationError
from ..expr import affine
from ..ions import FARADAY
from ..neuron import NEURON_PARAMETERS, Neuron
from ..stimulus import Stimulus, Waveform

__all__ = ["Layout", "build_layout", "generate", "BLOCK"]

#: Neurons per block: the time loop runs inside each block, the neuron loop innermost.
BLOCK = 64

#: Generator version: bump when the generated code changes meaning (invalidates disk caches).
GENERATOR_VERSION = "12"


@dataclass
class Layout:
    """Where every quantity lives in the kernel's arrays."""

    states: list[str] = field(default_factory=list)        # rows of S: "v", "Na.m", ...
    params: list[str] = field(default_factory=list)        # rows of P: "capacitance", "Na.gbar"...
    derived: dict[str, str] = field(default_factory=dict)  # "Na._phi" -> channel name
    stim_fields: list[tuple[int, str]] = field(default_factory=list)  # (component, field)
    waves: list[int] = field(default_factory=list)         # components that are waveforms
    record: list[str] = field(default_factory=list)        # recorded quantities, in REC order

    def param_row(self, name: str) -> int:
        return self.params.index(name)

    def state_row(self, name: str) -> int:
        return self.states.index(name)


def recordable(neuron: Neuron) -> dict[str, str]:
    """Recordable quantities of ``neuron`` and their units."""
    out = {"v": "mV"}
    for ch in neuron.channels:
        for g in ch.gates:
            out[f"{ch.name}.{g.name}"] = "1"
        out[f"{ch.name}.g"] = "mS/cm2"
        out[f"{ch.name}.i"] = "uA/cm2"
        if ch.nernst:
            out[f"{ch.name}.e"] = "mV"
    out["i_ion"] = "uA/cm2"
    if neuron.calcium is not None:
        out["ca.cai"] = "mM"
    return out


def build_layout(neuron: Neuron, components: tuple[Stimulus, ...],
                 record: tuple[str, ...]) -> Layout:
    lay = Layout()
    lay.states.append("v")
    lay.params.extend(NEURON_PARAMETERS)
    for ch in neuron.channels:
        lay.states.extend(f"{ch.name}.{g.name}" for g in ch.gates if not g.instantaneous)
        lay.params.extend(f"{ch.name}.{p}" for p in ch.parameters())
    if neuron.calcium is not None:
        lay.params.extend(f"ca.{p}" for p in neuron.calcium.parameters())
        lay.params.append("ca._rtf2")  # RT/(2F) in mV at the neuron's temperature
        lay.derived["ca._rtf2"] = "ca"
        if neuron.calcium.pool:
            lay.states.append("ca.cai")
    for ch in neuron.channels:
        if ch.temperature is not None and ch.gates:
            lay.params.append(f"{ch.name}._phi")
            lay.derived[f"{ch.name}._phi"] = ch.name
    for k, comp in enumerate(components):
        for f in comp.numeric:
            lay.params.append(f"stim{k}.{f}")
            lay.stim_fields.append((k, f))
        if isinstance(comp, Waveform):
            lay.waves.append(k)
    known = recordable(neuron)
    for name in record:
        if name not in known:
            raise ValidationError("record", f"unknown variable {name!r} (recordable: "
                                  f"{', '.join(known)})")
    lay.record = list(dict.fromkeys(record))
    return lay


@dataclass(frozen=True)
class Flavor:
    """How numbers and fast helpers appear in a kernel of one floating-point type."""

    dtype: str = "float64"

    @property
    def fp(self) -> str:
        """Prefix of the fast helpers (:mod:`ionzoo.engine.fastmath`)."""
        return "_f_" if self.dtype == "float64" else "_g_"

    def lit(self, c: float) -> str:
        """A literal of the kernel's type (a bare float64 literal would promote float32)."""
        return repr(float(c)) if self.dtype == "float64" else f"_T({float(c)!r})"


F64 = Flavor()


class _Emitter:
    """Source text for one neuron's quantities, given how to reach states and parameters.

    ``state(name)`` and ``param(name)`` return source for a state variable / parameter of the
    current neuron; ``fp`` is the helper prefix (``_f_``/``_g_`` fast, ``_x_`` exact).
    """

    def __init__(self, neuron: Neuron, lay: Layout, state, param, fp: str,
                 flavor: Flavor = F64) -> None:
        self.neuron, self.lay, self.state, self.param, self.fp = neuron, lay, state, param, fp
        self.flavor = flavor

    # -------------------------------------------------------------- concentrations, reversal
    def cai(self) -> str:
        """Internal calcium, mM: the pool state, or the fixed parameter."""
        if "ca.cai" in self.lay.states:
            return self.state("ca.cai")
        return self.param("ca.cai") if self.neuron.calcium is not None else self.flavor.lit(0.0)

    def cao(self) -> str:
        return self.param("ca.cao") if self.neuron.calcium is not None else self.flavor.lit(0.0)

    def names(self, ch: Channel, v: str) -> dict[str, str]:
        m = {"v": v, "cai": self.cai(), "cao": self.cao()}
        for p in ch.params:
            m[p] = self.param(f"{ch.name}.{p}")
        return m

    def reversal(self, idx: int, ch: Channel) -> str:
        """Source of the reversal potential (mV); Nernst ones are locals ``e<idx>``."""
        return f"e{idx}" if ch.nernst else self.param(f"{ch.name}.e")

    def reversal_lines(self, indent: str) -> list[str]:
        out = []
        for idx, ch in enumerate(self.neuron.channels):
            if ch.nernst:
                out.append(f"{indent}e{idx} = {self.param('ca._rtf2')} * {self.fp}log("
                           f"{self.cao()} / {self.cai()})")
        return out

    # -------------------------------------------------------------- gates and conductances
    def rates(self, ch: Channel, gate, v: str, hook=None) -> tuple[str, str]:
        a, b = ch.gate_expressions(gate)
        nm = self.names(ch, v)
        lit = self.flavor.lit
        return (a.render(nm, self.fp, lit, call_hook=hook),
                b.render(nm, self.fp, lit, call_hook=hook))

    def instantaneous_lines(self, v: str, indent: str, suffix: str = "") -> list[str]:
        """Locals ``q<c>_<g><suffix>`` = the instantaneous gates at voltage ``v``."""
        out = []
        for idx, ch in enumerate(self.neuron.channels):
            for gi, g in enumerate(ch.gates):
                if not g.instantaneous:
                    continue
                a, b = self.rates(ch, g, v)
                name = f"q{idx}_{gi}{suffix}"
                if g.form == "alphabeta":
                    out += [f"{indent}qa = {a}", f"{indent}qb = {b}",
                            f"{indent}{name} = qa / (qa + qb)"]
                else:
                    out.append(f"{indent}{name} = {a}")
        return out

    def gate_value(self, idx: int, ch: Channel, gi: int, suffix: str = "") -> str:
        g = ch.gates[gi]
        return f"q{idx}_{gi}{suffix}" if g.instantaneous else self.state(f"{ch.name}.{g.name}")

    def conductance(self, ch: Channel, suffix: str = "") -> str:
        idx = self.neuron.channels.index(ch)
        factors = [self.param(f"{ch.name}.gbar")]
        if getattr(ch.temperature, "conductance", False):
            factors.append(self.param(f"{ch.name}._phi"))
        for gi, g in enumerate(ch.gates):
            factors += [self.gate_value(idx, ch, gi, suffix)] * g.power
        return " * ".join(factors)

    # -------------------------------------------------------------- recording
    def observe_lines(self, target, v: str, indent: str) -> list[str]:
        """Lines computing the recorded quantities (v must already be loaded in ``v``)."""
        out = self.reversal_lines(indent) + self.instantaneous_lines(v, indent)
        need_g = {r.rpartition(".")[0] for r in self.lay.record if r.endswith((".g", ".i"))}
        if "i_ion" in self.lay.record:
            need_g |= {c.name for c in self.neuron.channels}
        for idx, ch in enumerate(self.neuron.channels):
            if ch.name in need_g:
                out.append(f"{indent}og{idx} = {self.conductance(ch)}")
        chans = self.neuron.channels
        for q, name in enumerate(self.lay.record):
            base = name.rpartition(".")[0]
            if name == "v":
                val = v
            elif name == "i_ion":
                terms = [f"og{i} * ({v} - {self.reversal(i, c)})" for i, c in enumerate(chans)]
                val = " + ".join(terms) if terms else self.flavor.lit(0.0)
            elif name == "ca.cai":
                val = self.cai()
            elif name.endswith(".g") and base in need_g:
                val = f"og{self._idx(base)}"
            elif name.endswith(".i") and base in need_g:
                i = self._idx(base)
                val = f"og{i} * ({v} - {self.reversal(i, chans[i])})"
            elif name.endswith(".e"):
                val = f"e{self._idx(base)}"
            else:
                ch = chans[self._idx(base)]
                gi = [g.name for g in ch.gates].index(name.rpartition(".")[2])
                val = self.gate_value(self._idx(base), ch, gi)
            out.append(f"{indent}{target(q)} = {val}")
        return out

    def _idx(self, ch_name: str) -> int:
        return [c.name for c in self.neuron.channels].index(ch_name)


class SharedExponentials:
    """Exponentials whose arguments are affine in v with the same slope share one ``exp``:
    exp(a·v + b) = exp(a·v) · e^b, with e^b a compile-time constant of the kinetics.

    HH's six rate exponentials have four distinct slopes (−1/10 three times), so each step
    needs 4 instead of 6 rate ``exp`` calls. Only groups of two or more are shared, and only
    when e^b stays well inside the float range (|b| ≤ 300).
    """

    def __init__(self, neuron: Neuron, flavor: Flavor = F64) -> None:
        self.flavor = flavor
        counts: dict[float, int] = {}
        for ch in neuron.channels:
            for g in ch.gates:
                if g.instantaneous:
                    continue
                for e in ch.gate_expressions(g):
                    for arg in e.exp_arguments():
                        ab = affine(arg)
                        if ab is not None and ab[0] != 0.0 and abs(ab[1]) <= 300.0:
                            counts[ab[0]] = counts.get(ab[0], 0) + 1
        self.slopes = [a for a, c in counts.items() if c >= 2]

    def lines(self, v: str, indent: str) -> list[str]:
        fp, lit = self.flavor.fp, self.flavor.lit
        return [f"{indent}ex{k} = {fp}exp({lit(a)} * {v})" for k, a in enumerate(self.slopes)]

    def hook(self, fname: str, arg: tuple, src: str) -> str | None:
        ab = affine(arg)
        if ab is None or ab[0] not in self.slopes or abs(ab[1]) > 300.0:
            return None
        shared = f"(ex{self.slopes.index(ab[0])} * {self.flavor.lit(math.exp(ab[1]))})"
        if fname == "exp":
            return shared
        if fname in ("exprel", "invexprel"):
            return f"{self.flavor.fp}{fname}_e({src}, {shared})"
        return None


def _step_body(neuron: Neuron, lay: Layout, components, param, wave_name, ind: str,
               flavor: Flavor = F64, stabilize: bool = True) -> list[str]:
    """One fixed step for one neuron: reads states x0.. and parameters via ``param``, leaves the
    new states in y0.. (y0 = v at t + dt). NEURON's staggered scheme: currents at (v_n, gates),
    linearised implicit v update (kfac = 1, cj = 1/dt: backward Euler; kfac = 2, cj = 2/dt:
    Crank–Nicolson), then every gate advanced exactly over dt with its rates at the new v, and
    the calcium pool advanced exactly over dt with the calcium current at v_n.

    The v update needs dI/dv: for a channel with only kinetic gates that is its conductance; a
    channel with instantaneous gates uses NEURON's finite difference (I(v + 0.001) − I(v))/0.001.
    """
    S_ = {n: i for i, n in enumerate(lay.states)}
    fp, lit = flavor.fp, flavor.lit
    ek = _Emitter(neuron, lay, lambda n: f"x{S_[n]}", param, fp, flavor)
    out = [f"{ind}ist = {_stim_source(components, param, 'tm', wave_name, flavor)}"]
    out += ek.reversal_lines(ind)
    out += ek.instantaneous_lines("x0", ind)
    has_inst = [any(g.instantaneous for g in ch.gates) for ch in neuron.channels]
    if any(has_inst):
        out.append(f"{ind}vp = x0 + {lit(0.001)}")
        out += ek.instantaneous_lines("vp", ind, suffix="p")
    gsum, isum, ca_terms, ca_slopes = [], [], [], []
    for idx, ch in enumerate(neuron.channels):
        e = ek.reversal(idx, ch)
        out.append(f"{ind}g{idx} = {ek.conductance(ch)}")
        out.append(f"{ind}ic{idx} = g{idx} * (x0 - {e})")
        if has_inst[idx]:
            out.append(f"{ind}d{idx} = ({ek.conductance(ch, 'p')} * (vp - {e}) - ic{idx}) / "
                       f"{lit(0.001)}")
            gsum.append(f"d{idx}")
        else:
            gsum.append(f"g{idx}")
        isum.append(f"ic{idx}")
        if ch.ion == "ca":
            ca_terms.append(f"ic{idx}")
            ca_slopes.append(gsum[-1])
    out.append(f"{ind}gt = {' + '.join(gsum) if gsum else lit(0.0)}")
    out.append(f"{ind}it = {' + '.join(isum) if isum else lit(0.0)}")
    if any(has_inst) and stabilize:
        # Safeguard: where the negative slope conductance of instantaneous gates cancels more
        # than half of C·cj (a spike upstroke at large dt), NEURON's linearised update diverges;
        # there the chord conductance (≥ 0) is used instead: a stable semi-implicit step.
        # Identical to NEURON elsewhere; ``stabilize=False`` gives NEURON's scheme exactly.
        chord = " + ".join(f"g{idx}" for idx in range(len(neuron.channels))) or lit(0.0)
        out.append(f"{ind}cc = cj * {param('capacitance')}")
        out.append(f"{ind}den = cc + gt")
        out.append(f"{ind}den = den if den > {lit(0.5)} * cc else cc + {chord}")
        out.append(f"{ind}y0 = x0 + kfac * (ist - it) / den")
    else:
        out.append(f"{ind}y0 = x0 + kfac * (ist - it) / (cj * {param('capacitance')} + gt)")
    shared = SharedExponentials(neuron, flavor)
    out += shared.lines("y0", ind)
    for ch in neuron.channels:
        phi = param(f"{ch.name}._phi") if f"{ch.name}._phi" in lay.params else None
        for g in ch.gates:
            if g.instantaneous:
                continue
            row = S_[f"{ch.name}.{g.name}"]
            a, b = ek.rates(ch, g, "y0", shared.hook)
            out.append(f"{ind}ga = {a}")
            out.append(f"{ind}gb = {b}")
            if g.form == "alphabeta":
                rate = f"(ga + gb) * {phi}" if phi else "(ga + gb)"
                out.append(f"{ind}xi = ga / (ga + gb)")
                out.append(f"{ind}y{row} = xi + (x{row} - xi) * {fp}exp(-dtk * {rate})")
            else:
                rate = f"{phi} / gb" if phi else f"{lit(1.0)} / gb"
                out.append(f"{ind}y{row} = ga + (x{row} - ga) * {fp}exp(-dtk * {rate})")
    if "ca.cai" in S_:
        row = S_["ca.cai"]
        # As NEURON's second_order_cur: with Crank–Nicolson (kfac = 2) the calcium current seen
        # by the pool is advanced to the half step, i + (di/dv)·(v_{n+1} − v_n)/2; with
        # backward Euler (kfac = 1) the correction vanishes.
        ica = " + ".join(ca_terms) or lit(0.0)
        dica = " + ".join(ca_slopes) or lit(0.0)
        out.append(f"{ind}ica = {ica} + (kfac - {lit(1.0)}) * {lit(0.5)} * (y0 - x0) * ({dica})")
        out += _pool_lines(neuron, param, f"x{row}", "ica", ind, lit)
        out.append(f"{ind}y{row} = cinf + (x{row} - cinf) * {fp}exp(-dtk / {param('ca.tau')})")
    return out


def _pool_lines(neuron: Neuron, param, cai: str, ica: str, ind: str, lit) -> list[str]:
    """``drive`` (mM/ms) from the calcium current ``ica`` (µA/cm²) and the pool's target
    ``cinf`` = cai_rest + drive·τ (mM): dcai/dt = drive + (cai_rest − cai)/τ."""
    k = 10.0 / (2.0 * FARADAY)  # µA/cm², µm -> mM/ms
    out = [f"{ind}drive = -{lit(k)} * {param('ca.gamma')} * ({ica}) / {param('ca.depth')}"]
    if neuron.calcium.pool == "destexhe":
        out.append(f"{ind}drive = max(drive, {lit(0.0)})")
    out.append(f"{ind}cinf = {param('ca.cai_rest')} + drive * {param('ca.tau')}")
    return out


def _stim_source(components, param, t: str, wave_arg, flavor: Flavor = F64) -> str:
    terms = []
    for k, comp in enumerate(components):
        p = {f: param(f"stim{k}.{f}") for f in comp.numeric}
        terms.append(comp.source(p, t, wave_arg(k), lit=flavor.lit, fp=flavor.fp))
    return " + ".join(terms) if terms else flavor.lit(0.0)


def generate(neuron: Neuron, components: tuple[Stimulus, ...], record: tuple[str, ...],
             dtype: str = "float64", stabilize: bool = True) -> tuple[str, Layout, str]:
    """Source of the kernel module, its layout, and a structure hash (the cache key).

    Results are memoised per (channels, stimulus structure, record) in this process.
    """
    pool = None if neuron.calcium is None else neuron.calcium.pool or "fixed"
    key = (neuron.channels, pool, tuple(c.structure_key() for c in components), tuple(record),
           dtype, stabilize)
    hit = _GENERATED.get(key)
    if hit is None:
        hit = _generate(Neuron(channels=neuron.channels, calcium=neuron.calcium), components,
                        tuple(record), Flavor(dtype), stabilize)
        if len(_GENERATED) >= 256:
            _GENERATED.clear()
        _GENERATED[key] = hit
    return hit  # the Layout is shared: treat it as read-only


#: Process-local memo of generated sources (a cache, not a setting: results never depend on it).
_GENERATED: dict[tuple, tuple[str, Layout, str]] = {}


def _generate(neuron: Neuron, components: tuple[Stimulus, ...], record: tuple[str, ...],
              flavor: Flavor = F64, stabilize: bool = True) -> tuple[str, Layout, str]:
    lay = build_layout(neuron, components, record)
    S_ = {n: i for i, n in enumerate(lay.states)}
    P_ = {n: i for i, n in enumerate(lay.params)}
    wave_args = [f"W{k}" for k in lay.waves]
    wsig = "".join(f", {w}" for w in wave_args)

    def wave_name(k):
        return f"W{k}" if k in lay.waves else None

    L: list[str] = [
        "# Generated by ionzoo.engine.codegen: do not edit (structure, not values).",
        "import math",
        "import numba",
        "import numpy as np",
        "from ionzoo.engine.fastmath import FASTMATH, FAST, FAST32, EXACT",
        "globals().update(FAST)",
        "globals().update(FAST32)",
        "globals().update(EXACT)",
        f"_T = np.{flavor.dtype}  # the kernel's floating-point type",
        f"_B = {BLOCK}",
        "",
    ]

    # ------------------------------------------------------------------ init (exact math)
    em = _Emitter(neuron, lay, lambda n: f"S[{S_[n]}, j]", lambda n: f"P[{P_[n]}, j]", "_x_")
    L += ["@numba.njit(cache=True, nogil=True, error_model=\"numpy\")",
          "def init(P, S):",
          "    for j in range(S.shape[1]):",
          f"        vv = P[{P_['v_init']}, j]",
          "        S[0, j] = vv"]
    if "ca.cai" in S_:
        L.append(f"        S[{S_['ca.cai']}, j] = P[{P_['ca.cai']}, j]")
    for ch in neuron.channels:
        for g in ch.gates:
            if g.instantaneous:
                continue
            a, b = em.rates(ch, g, "vv")
            L.append(f"        ga = {a}")
            if g.form == "alphabeta":
                L.append(f"        gb = {b}")
                L.append(f"        S[{S_[f'{ch.name}.{g.name}']}, j] = ga / (ga + gb)")
            else:
                L.append(f"        S[{S_[f'{ch.name}.{g.name}']}, j] = ga")
    L.append("")

    # ------------------------------------------------------------------ observe (all neurons)
    L += ["@numba.njit(cache=True, nogil=True, error_model=\"numpy\")",
          "def observe(P, S, REC, r):",
          "    for j in range(S.shape[1]):",
          "        vv = S[0, j]"]
    L += em.observe_lines(lambda q: f"REC[{q}, r, j]", "vv", "        ")
    L += ["    return 0", ""]

    # ------------------------------------------------------------------ fixed-step kernels
    jit_par = ('@numba.njit(parallel=True, fastmath=set(FASTMATH), cache=True, nogil=True, '
               'error_model="numpy")')
    # dt (float64) times the run and the spikes; dtk, cj, kfac, thr are of the kernel's type.
    sig = ("(n_steps, step0, dt, dtk, cj, kfac, thr, P, S, spk_count, spk_times, rec_every, "
           f"REC{wsig}):")
    tm = "t + 0.5 * dt" if flavor.dtype == "float64" else "_T(t + 0.5 * dt)"
    fp = flavor.fp

    # (a) blocked, vectorised over neurons: the time loop runs inside each block of _B neurons
    #     and the neuron loop is innermost, so LLVM vectorises the step across neurons.
    L += [jit_par, "def run" + sig,
          "    N = S.shape[1]",
          "    max_spk = spk_times.shape[1]",
          "    nblocks = (N + _B - 1) // _B",
          "    for ib in numba.prange(nblocks):",
          "        i0 = ib * _B",
          "        i1 = min(i0 + _B, N)",
          "        n = i1 - i0",
          "        vold = np.empty(n, dtype=S.dtype)",
          "        cnt = spk_count[i0:i1]"]
    L += [f"        S{i} = S[{i}, i0:i1]" for i in range(len(lay.states))]
    L += [f"        P{i} = P[{i}, i0:i1]" for i in range(len(lay.params))]
    L += ["        for step in range(n_steps):",
          "            t = (step0 + step) * dt",
          f"            tm = {tm}",
          "            for j in range(n):"]
    ind = " " * 16
    L += [f"{ind}x{i} = S{i}[j]" for i in range(len(lay.states))]
    L += _step_body(neuron, lay, components, lambda n: f"P{P_[n]}[j]", wave_name, ind, flavor,
                    stabilize)
    L.append(f"{ind}vold[j] = x0")
    L += [f"{ind}S{i}[j] = y{i}" for i in range(len(lay.states))]
    L += ["            for j in range(n):",
          "                vo = vold[j]",
          "                vn = S0[j]",
          "                if vo < thr and vn >= thr:",
          "                    c = cnt[j]",
          "                    if c < max_spk:",
          "                        spk_times[i0 + j, c] = t + dt * (thr - vo) / (vn - vo)",
          "                    cnt[j] = c + 1"]
    if lay.record:
        eo = _Emitter(neuron, lay, lambda n: f"S{S_[n]}[j]", lambda n: f"P{P_[n]}[j]", fp,
                      flavor)
        L += ["            k = step0 + step + 1",
              "            if k % rec_every == 0:",
              "                r = k // rec_every",
              "                for j in range(n):",
              "                    vv = S0[j]"]
        L += eo.observe_lines(lambda q: f"REC[{q}, r, i0 + j]", "vv", " " * 20)
    L += ["    return 0", ""]

    # (b) scalar and serial, one neuron at a time with its state in registers: for small
    #     batches, where (a) would pay a loop set-up per step and a thread-pool launch per call
    #     for a handful of neurons. Same arithmetic.
    L += ['@numba.njit(fastmath=set(FASTMATH), cache=True, nogil=True, error_model="numpy")',
          "def run_scalar" + sig,
          "    N = S.shape[1]",
          "    max_spk = spk_times.shape[1]",
          "    for i in range(N):",
          "        c = spk_count[i]"]
    L += [f"        x{i} = S[{i}, i]" for i in range(len(lay.states))]
    L += [f"        p{i} = P[{i}, i]" for i in range(len(lay.params))]
    L += ["        for step in range(n_steps):",
          "            t = (step0 + step) * dt",
          f"            tm = {tm}"]
    ind = " " * 12
    L += _step_body(neuron, lay, components, lambda n: f"p{P_[n]}", wave_name, ind, flavor,
                    stabilize)
    L += [f"{ind}if x0 < thr and y0 >= thr:",
          f"{ind}    if c < max_spk:",
          f"{ind}        spk_times[i, c] = t + dt * (thr - x0) / (y0 - x0)",
          f"{ind}    c += 1"]
    L += [f"{ind}x{i} = y{i}" for i in range(len(lay.states))]
    if lay.record:
        eo = _Emitter(neuron, lay, lambda n: f"x{S_[n]}", lambda n: f"p{P_[n]}", fp, flavor)
        L += [f"{ind}k = step0 + step + 1",
              f"{ind}if k % rec_every == 0:",
              f"{ind}    r = k // rec_every"]
        L += eo.observe_lines(lambda q: f"REC[{q}, r, i]", "x0", ind + "    ")
    L += ["        spk_count[i] = c"]
    L += [f"        S[{i}, i] = x{i}" for i in range(len(lay.states))]
    L += ["    return 0", ""]

    # ------------------------------------------------------------------ adaptive: rhs, observe_one
    er = _Emitter(neuron, lay, lambda n: f"y[{S_[n]}]", lambda n: f"p[{P_[n]}]", "_x_")
    L += ["@numba.njit(cache=True, nogil=True, error_model=\"numpy\")",
          f"def rhs(t, y, p, dy{wsig}):",
          "    vv = y[0]",
          f"    ist = {_stim_source(components, lambda n: f'p[{P_[n]}]', 't', wave_name)}"]
    L += er.reversal_lines("    ") + er.instantaneous_lines("vv", "    ")
    isum, ca_terms = [], []
    for idx, ch in enumerate(neuron.channels):
        L.append(f"    ic{idx} = ({er.conductance(ch)}) * (vv - {er.reversal(idx, ch)})")
        isum.append(f"ic{idx}")
        if ch.ion == "ca":
            ca_terms.append(f"ic{idx}")
    L.append(f"    dy[0] = (ist - ({' + '.join(isum) if isum else '0.0'})) / "
             f"p[{P_['capacitance']}]")
    for ch in neuron.channels:
        phi = f"p[{P_[ch.name + '._phi']}]" if f"{ch.name}._phi" in P_ else "1.0"
        for g in ch.gates:
            if g.instantaneous:
                continue
            row = S_[f"{ch.name}.{g.name}"]
            a, b = er.rates(ch, g, "vv")
            L.append(f"    ga = {a}")
            L.append(f"    gb = {b}")
            if g.form == "alphabeta":
                L.append(f"    dy[{row}] = {phi} * (ga * (1.0 - y[{row}]) - gb * y[{row}])")
            else:
                L.append(f"    dy[{row}] = {phi} * (ga - y[{row}]) / gb")
    if "ca.cai" in S_:
        row = S_["ca.cai"]
        L += _pool_lines(neuron, lambda n: f"p[{P_[n]}]", f"y[{row}]",
                         " + ".join(ca_terms) or "0.0", "    ", repr)
        L.append(f"    dy[{row}] = (cinf - y[{row}]) / p[{P_['ca.tau']}]")
    L += ["    return 0", ""]
    L += ["@numba.njit(cache=True, nogil=True, error_model=\"numpy\")",
          "def observe_one(p, y, out):",
          "    vv = y[0]"]
    L += er.observe_lines(lambda q: f"out[{q}]", "vv", "    ")
    L += ["    return 0", ""]

    source = "\n".join(L) + "\n"
    key = hashlib.sha256((GENERATOR_VERSION + source).encode()).hexdigest()[:20]
    return source, lay, key
