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
from dataclasses import dataclass, field

from ..channels.channel import Channel
from ..errors import ValidationError
from ..neuron import NEURON_PARAMETERS, Neuron
from ..stimulus import Stimulus, Waveform

__all__ = ["Layout", "build_layout", "generate", "BLOCK"]

#: Neurons per block: the time loop runs inside each block, the neuron loop innermost.
BLOCK = 64

#: Generator version: bump when the generated code changes meaning (invalidates disk caches).
GENERATOR_VERSION = "1"


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
    out["i_ion"] = "uA/cm2"
    return out


def build_layout(neuron: Neuron, components: tuple[Stimulus, ...],
                 record: tuple[str, ...]) -> Layout:
    lay = Layout()
    lay.states.append("v")
    lay.params.extend(NEURON_PARAMETERS)
    for ch in neuron.channels:
        lay.states.extend(f"{ch.name}.{g.name}" for g in ch.gates)
        lay.params.extend(f"{ch.name}.{p}" for p in ch.parameters())
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


class _Emitter:
    """Source text for one neuron's quantities, given how to reach states and parameters."""

    def __init__(self, neuron: Neuron, lay: Layout, state, param, fp: str) -> None:
        self.neuron, self.lay, self.state, self.param, self.fp = neuron, lay, state, param, fp

    def names(self, ch: Channel, v: str) -> dict[str, str]:
        m = {"v": v}
        for p in ch.params:
            m[p] = self.param(f"{ch.name}.{p}")
        return m

    def rates(self, ch: Channel, gate, v: str) -> tuple[str, str]:
        a, b = ch.gate_expressions(gate)
        nm = self.names(ch, v)
        return a.render(nm, self.fp), b.render(nm, self.fp)

    def conductance(self, ch: Channel) -> str:
        factors = [self.param(f"{ch.name}.gbar")]
        for g in ch.gates:
            x = self.state(f"{ch.name}.{g.name}")
            factors += [x] * g.power
        return " * ".join(factors)

    def observe_lines(self, target, v: str, indent: str) -> list[str]:
        """Lines computing the recorded quantities (v must already be loaded in ``v``)."""
        out = []
        need_g = {r.rpartition(".")[0] for r in self.lay.record if r.endswith((".g", ".i"))}
        if "i_ion" in self.lay.record:
            need_g |= {c.name for c in self.neuron.channels}
        for idx, ch in enumerate(self.neuron.channels):
            if ch.name in need_g:
                out.append(f"{indent}og{idx} = {self.conductance(ch)}")
        for q, name in enumerate(self.lay.record):
            if name == "v":
                val = v
            elif name == "i_ion":
                terms = [f"og{i} * ({v} - {self.param(f'{c.name}.e')})"
                         for i, c in enumerate(self.neuron.channels)]
                val = " + ".join(terms) if terms else "0.0"
            elif name.endswith(".g") and name[:-2] in need_g:
                val = f"og{self._idx(name[:-2])}"
            elif name.endswith(".i") and name[:-2] in need_g:
                val = f"og{self._idx(name[:-2])} * ({v} - {self.param(name[:-2] + '.e')})"
            else:
                val = self.state(name)
            out.append(f"{indent}{target(q)} = {val}")
        return out

    def _idx(self, ch_name: str) -> int:
        return [c.name for c in self.neuron.channels].index(ch_name)


def _stim_source(components, param, t: str, wave_arg) -> str:
    terms = []
    for k, comp in enumerate(components):
        p = {f: param(f"stim{k}.{f}") for f in comp.numeric}
        terms.append(comp.source(p, t, wave_arg(k)))
    return " + ".join(terms) if terms else "0.0"


def generate(neuron: Neuron, components: tuple[Stimulus, ...], record: tuple[str, ...],
             ) -> tuple[str, Layout, str]:
    """Source of the kernel module, its layout, and a structure hash (the cache key)."""
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
        "from ionzoo.engine.fastmath import FASTMATH, FAST, EXACT",
        "globals().update(FAST)",
        "globals().update(EXACT)",
        f"_B = {BLOCK}",
        "",
    ]

    # ------------------------------------------------------------------ init (exact math)
    em = _Emitter(neuron, lay, lambda n: f"S[{S_[n]}, j]", lambda n: f"P[{P_[n]}, j]", "_x_")
    L += ["@numba.njit(cache=True, nogil=True)",
          "def init(P, S):",
          "    for j in range(S.shape[1]):",
          f"        vv = P[{P_['v_init']}, j]",
          "        S[0, j] = vv"]
    for ch in neuron.channels:
        for g in ch.gates:
            a, b = em.rates(ch, g, "vv")
            L.append(f"        ga = {a}")
            if g.form == "alphabeta":
                L.append(f"        gb = {b}")
                L.append(f"        S[{S_[f'{ch.name}.{g.name}']}, j] = ga / (ga + gb)")
            else:
                L.append(f"        S[{S_[f'{ch.name}.{g.name}']}, j] = ga")
    L.append("")

    # ------------------------------------------------------------------ observe (all neurons)
    L += ["@numba.njit(cache=True, nogil=True)",
          "def observe(P, S, REC, r):",
          "    for j in range(S.shape[1]):",
          "        vv = S[0, j]"]
    L += em.observe_lines(lambda q: f"REC[{q}, r, j]", "vv", "        ")
    L += ["    return 0", ""]

    # ------------------------------------------------------------------ fixed-step kernel
    ek = _Emitter(neuron, lay, lambda n: f"x{S_[n]}", lambda n: f"P{P_[n]}[j]", "_f_")
    L += ["@numba.njit(parallel=True, fastmath=set(FASTMATH), cache=True, nogil=True)",
          "def run(n_steps, step0, dt, cj, kfac, thr, P, S, spk_count, spk_times, rec_every, "
          f"REC{wsig}):",
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
          "            tm = t + 0.5 * dt",
          "            for j in range(n):"]
    ind = " " * 16
    L += [f"{ind}x{i} = S{i}[j]" for i in range(len(lay.states))]
    L.append(f"{ind}ist = {_stim_source(components, lambda n: f'P{P_[n]}[j]', 'tm', wave_name)}")
    gsum, isum = [], []
    for idx, ch in enumerate(neuron.channels):
        L.append(f"{ind}g{idx} = {ek.conductance(ch)}")
        gsum.append(f"g{idx}")
        isum.append(f"g{idx} * (x0 - P{P_[ch.name + '.e']}[j])")
    L.append(f"{ind}gt = {' + '.join(gsum) if gsum else '0.0'}")
    L.append(f"{ind}it = {' + '.join(isum) if isum else '0.0'}")
    L.append(f"{ind}vn = x0 + kfac * (ist - it) / (cj * P{P_['capacitance']}[j] + gt)")
    L.append(f"{ind}vold[j] = x0")
    L.append(f"{ind}S0[j] = vn")
    for ch in neuron.channels:
        phi = f"P{P_[ch.name + '._phi']}[j]" if f"{ch.name}._phi" in P_ else None
        for g in ch.gates:
            row = S_[f"{ch.name}.{g.name}"]
            a, b = ek.rates(ch, g, "vn")
            L.append(f"{ind}ga = {a}")
            L.append(f"{ind}gb = {b}")
            if g.form == "alphabeta":
                rate = f"(ga + gb) * {phi}" if phi else "(ga + gb)"
                L.append(f"{ind}xi = ga / (ga + gb)")
                L.append(f"{ind}S{row}[j] = xi + (x{row} - xi) * _f_exp(-dt * {rate})")
            else:
                rate = f"{phi} / gb" if phi else "1.0 / gb"
                L.append(f"{ind}S{row}[j] = ga + (x{row} - ga) * _f_exp(-dt * {rate})")
    L += ["            for j in range(n):",
          "                vo = vold[j]",
          "                vn = S0[j]",
          "                if vo < thr and vn >= thr:",
          "                    c = cnt[j]",
          "                    if c < max_spk:",
          "                        spk_times[i0 + j, c] = t + dt * (thr - vo) / (vn - vo)",
          "                    cnt[j] = c + 1"]
    if lay.record:
        eo = _Emitter(neuron, lay, lambda n: f"S{S_[n]}[j]", lambda n: f"P{P_[n]}[j]", "_f_")
        L += ["            k = step0 + step + 1",
              "            if k % rec_every == 0:",
              "                r = k // rec_every",
              "                for j in range(n):",
              "                    vv = S0[j]"]
        L += eo.observe_lines(lambda q: f"REC[{q}, r, i0 + j]", "vv", " " * 20)
    L += ["    return 0", ""]

    # ------------------------------------------------------------------ adaptive: rhs, observe_one
    er = _Emitter(neuron, lay, lambda n: f"y[{S_[n]}]", lambda n: f"p[{P_[n]}]", "_x_")
    L += ["@numba.njit(cache=True, nogil=True)",
          f"def rhs(t, y, p, dy{wsig}):",
          "    vv = y[0]",
          f"    ist = {_stim_source(components, lambda n: f'p[{P_[n]}]', 't', wave_name)}"]
    isum = []
    for ch in neuron.channels:
        isum.append(f"({er.conductance(ch)}) * (vv - p[{P_[ch.name + '.e']}])")
    L.append(f"    dy[0] = (ist - ({' + '.join(isum) if isum else '0.0'})) / "
             f"p[{P_['capacitance']}]")
    for ch in neuron.channels:
        phi = f"p[{P_[ch.name + '._phi']}]" if f"{ch.name}._phi" in P_ else "1.0"
        for g in ch.gates:
            row = S_[f"{ch.name}.{g.name}"]
            a, b = er.rates(ch, g, "vv")
            L.append(f"    ga = {a}")
            L.append(f"    gb = {b}")
            if g.form == "alphabeta":
                L.append(f"    dy[{row}] = {phi} * (ga * (1.0 - y[{row}]) - gb * y[{row}])")
            else:
                L.append(f"    dy[{row}] = {phi} * (ga - y[{row}]) / gb")
    L += ["    return 0", ""]
    L += ["@numba.njit(cache=True, nogil=True)",
          "def observe_one(p, y, out):",
          "    vv = y[0]"]
    L += er.observe_lines(lambda q: f"out[{q}]", "vv", "    ")
    L += ["    return 0", ""]

    source = "\n".join(L) + "\n"
    key = hashlib.sha256((GENERATOR_VERSION + source).encode()).hexdigest()[:20]
    return source, lay, key
