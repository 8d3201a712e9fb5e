"""Export channels and calcium pools as NMODL (.mod) files that ``nrnivmodl`` compiles — printed
from the lowered model (:mod:`ionzoo.ir`), the same expressions the kernels run.

Each channel becomes a density mechanism ``SUFFIX iz_<name>_<hash>`` with:

* ``NONSPECIFIC_CURRENT i`` and its own reversal ``e`` (fixed reversal), or, for calcium channels,
  ``USEION ca READ cai, cao WRITE ica`` with the Nernst potential or the GHK current computed
  inside the mechanism from cai/cao exactly as ionzoo does (CODATA 2018 constants);
* ``RANGE`` parameters for ḡ (S/cm², NEURON's unit; ionzoo's mS/cm² ÷ 1000; cm/s for GHK), e,
  q10 or the fixed rate factor, and every extra channel parameter;
* the derived values (temperature factors φ from NEURON's ``celsius``, RT/zF) in a procedure;
* gates as ``STATE``s integrated with ``cnexp`` (x ← x∞ + (x − x∞)·exp(−dt/τ), the same update
  as ionzoo's fixed-step methods); instantaneous gates inside the conductance;
* helper ``FUNCTION``s for exprel (the same series switch), min, max, comparisons and
  piecewise expressions.

A calcium pool becomes ``SUFFIX iz_capool_<hash>`` (``USEION ca READ ica WRITE cai``), integrated
with its method (``cnexp`` by default — exact for the linear pool equation, as in ionzoo). NEURON
advances a mechanism that writes a concentration before the mechanisms that read it, so gates
reading ``cai`` see the pool's new value within a step — the order ionzoo's kernels use. A
channel's or pool's ``method`` becomes its ``SOLVE … METHOD``.
"""

from __future__ import annotations

import hashlib
import json

from ..expr import EXPREL_SERIES_BELOW, Expr, Name, NMODLPrinter, transform
from ..io.atomic import write_text_atomic
from ..lower import lower
from ..model.channel import Channel
from ..model.ions import Calcium
from ..model.neuron import Neuron
from .names import NMODL_RESERVED, assign_names, inert_text

__all__ = ["channel_to_nmodl", "pool_to_nmodl", "pool_parameters", "mechanism_name",
           "pool_name", "POOL_SUFFIX",
           "neuron_to_script", "export_neuron", "nmodl_gbar", "nmodl_names"]

POOL_SUFFIX = "iz_capool"

_HELPERS = f"""
FUNCTION iz_exp(iz_x) {{ iz_exp = exp(iz_x) }}
FUNCTION iz_log(iz_x) {{ iz_log = log(iz_x) }}
FUNCTION iz_sqrt(iz_x) {{ iz_sqrt = sqrt(iz_x) }}
FUNCTION iz_tanh(iz_x) {{ iz_tanh = tanh(iz_x) }}
FUNCTION iz_cosh(iz_x) {{ iz_cosh = cosh(iz_x) }}
FUNCTION iz_sinh(iz_x) {{ iz_sinh = sinh(iz_x) }}
FUNCTION iz_abs(iz_x) {{ iz_abs = fabs(iz_x) }}
FUNCTION iz_floor(iz_x) {{ iz_floor = floor(iz_x) }}
FUNCTION iz_min(iz_a, iz_b) {{
    if (iz_a < iz_b) {{ iz_min = iz_a }} else {{ iz_min = iz_b }}
}}
FUNCTION iz_max(iz_a, iz_b) {{
    if (iz_a > iz_b) {{ iz_max = iz_a }} else {{ iz_max = iz_b }}
}}
FUNCTION iz_heaviside(iz_x) {{
    if (iz_x >= 0) {{ iz_heaviside = 1 }} else {{ iz_heaviside = 0 }}
}}
FUNCTION iz_lt(iz_a, iz_b) {{ if (iz_a < iz_b) {{ iz_lt = 1 }} else {{ iz_lt = 0 }} }}
FUNCTION iz_le(iz_a, iz_b) {{ if (iz_a <= iz_b) {{ iz_le = 1 }} else {{ iz_le = 0 }} }}
FUNCTION iz_gt(iz_a, iz_b) {{ if (iz_a > iz_b) {{ iz_gt = 1 }} else {{ iz_gt = 0 }} }}
FUNCTION iz_ge(iz_a, iz_b) {{ if (iz_a >= iz_b) {{ iz_ge = 1 }} else {{ iz_ge = 0 }} }}
FUNCTION iz_eq(iz_a, iz_b) {{ if (iz_a == iz_b) {{ iz_eq = 1 }} else {{ iz_eq = 0 }} }}
FUNCTION iz_ne(iz_a, iz_b) {{ if (iz_a != iz_b) {{ iz_ne = 1 }} else {{ iz_ne = 0 }} }}
FUNCTION iz_and(iz_a, iz_b) {{
    if (iz_a != 0 && iz_b != 0) {{ iz_and = 1 }} else {{ iz_and = 0 }}
}}
FUNCTION iz_or(iz_a, iz_b) {{
    if (iz_a != 0 || iz_b != 0) {{ iz_or = 1 }} else {{ iz_or = 0 }}
}}
FUNCTION iz_where(iz_c, iz_a, iz_b) {{
    if (iz_c != 0) {{ iz_where = iz_a }} else {{ iz_where = iz_b }}
}}
FUNCTION iz_exprel(iz_x) {{
    if (fabs(iz_x) < {EXPREL_SERIES_BELOW!r}) {{
        iz_exprel = 1 + iz_x * (0.5 + iz_x * (1.0 / 6.0 + iz_x * (1.0 / 24.0)))
    }} else {{
        iz_exprel = (exp(iz_x) - 1) / iz_x
    }}
}}
"""


def mechanism_name(channel: Channel) -> str:
    """The NEURON SUFFIX of an exported channel: ``iz_<name>_<hash>``. The hash of the channel's
    description keeps different channels of the same name apart (NEURON cannot load two
    mechanisms with one name into a process)."""
    digest = hashlib.sha256(json.dumps(channel.to_dict(), sort_keys=True).encode()).hexdigest()
    return f"iz_{channel.name}_{digest[:8]}"


def pool_name(calcium: Calcium) -> str:
    """The NEURON SUFFIX of an exported calcium pool."""
    digest = hashlib.sha256(repr((calcium.pool, calcium.parameters())).encode()).hexdigest()
    return f"{POOL_SUFFIX}_{digest[:8]}"


def nmodl_gbar(channel: Channel) -> float:
    """The channel's ḡ in NEURON's unit: S/cm² (mS/cm² ÷ 1000), or cm/s for a GHK current."""
    return channel.gbar if channel.ghk else channel.gbar / 1000.0


def nmodl_names(ch: Channel) -> dict[str, str]:
    """The NMODL identifier of each of the channel's gates and parameters: its own name, or —
    where that is an NMODL, NEURON, C++ or hoc reserved word, or clashes with a name the
    mechanism defines (``g``, ``i``, ``<gate>_inf``) — the name with ``_`` appended
    (:func:`ionzoo.interop.names.assign_names`). Set parameters through these names in
    NEURON (``sec.<name>_<suffix>``)."""
    gates = assign_names(list(dict.fromkeys(g.name for g in (*ch.gates, *ch.leaf_gates()))),
                         NMODL_RESERVED)
    derived = {f"{x}_{k}" for x in gates.values() for k in ("inf", "tau")}
    params = assign_names(ch.parameters(), NMODL_RESERVED | derived | set(gates.values()),
                          keep=("gbar", "e"))
    return {**gates, **params}


def _printer(ch: Channel, ir) -> NMODLPrinter:
    names = {"v": "v", "ca.cai": "cai", "ca.cao": "cao", "temperature": "celsius",
             "ca.rtf2": "iz_rtf2"}
    mapped = nmodl_names(ch)
    names.update({f"{ch.name}.{p}": mapped[p] for p in ch.parameters()})
    names.update({d.id: _derived_name(ch, d.id) for d in ir.derived})
    names.update({g.name: mapped[g.name.split(".", 1)[1]] for g in ir.gates})
    return NMODLPrinter(names)


def _derived_name(ch: Channel, did: str) -> str:
    if did == "ca.rtf2":
        return "iz_rtf2"
    owner = did[len(ch.name) + 1:-len(".phi")]  # "<ch>.phi" or "<ch>.<gate>.phi"
    return "iz_phi" + (f"_{owner}" if owner else "")


def _channel_ir(ch: Channel):
    cell = Neuron(channels=(ch,), calcium=Calcium() if ch.needs_calcium() else None,
                  name=ch.name)
    return lower(cell)


#: Longest statement the export writes: nocmodl refuses lines beyond about 1000 characters
#: ("Line too long"), so longer expressions are computed through LOCAL temporaries.
MAX_LINE = 400


class _Block:
    """The assignments of one NMODL block, each expression longer than :data:`MAX_LINE`
    split into LOCAL temporaries ``iz_t<k>`` (shared by equal sub-expressions)."""

    def __init__(self, pr: NMODLPrinter) -> None:
        self.pr = pr
        self.locals: list[str] = []
        self.lines: list[str] = []
        self.cut: dict[Expr, str] = {}

    def text(self, node: Expr) -> str:
        if node in self.cut:
            return self.cut[node]
        hooked = NMODLPrinter({**self.pr.names, **{v: v for v in self.cut.values()}},
                              self.pr.prefix)
        return hooked(transform(node, lambda n: Name(self.cut[n]) if n in self.cut else None))

    def shorten(self, node: Expr) -> None:
        if len(self.text(node)) <= MAX_LINE:
            return
        for child in node.children():
            self.shorten(child)
        for child in node.children():
            if child not in self.cut and len(self.text(child)) > 40:
                name = f"iz_t{len(self.locals) + 1}"
                self.lines.append(f"    {name} = {self.text(child)}")
                self.locals.append(name)
                self.cut[child] = name

    def assign(self, target: str, node: Expr, template: str = "{}") -> None:
        self.shorten(node)
        self.lines.append(f"    {target} = {template.format(self.text(node))}")

    def head(self) -> list[str]:
        """The LOCAL declaration (first in the block), if any."""
        return [f"    LOCAL {', '.join(self.locals)}"] if self.locals else []


def channel_to_nmodl(ch: Channel) -> str:
    """NMODL source of ``ch`` (see the module docstring)."""
    ir = _channel_ir(ch)
    pr = _printer(ch, ir)
    kinetic = [g for g in ir.gates if not g.instantaneous]
    lines = _channel_header(ch, ir)
    lines += ["BREAKPOINT {"]
    if kinetic:
        lines.append(f"    SOLVE states METHOD {ch.method}")
    lines += _current_lines(ch, ir, pr)
    derived = _Block(pr)
    for d in ir.derived:
        derived.assign(pr.names[d.id], d.expr)
    lines += ["}", "", "PROCEDURE derived() {", *derived.head(), "    UNITSOFF",
              *derived.lines, "    UNITSON", "}", ""]
    if kinetic:
        short = [pr.names[g.name] for g in kinetic]
        lines += ["INITIAL {", "    rates(v)", *(f"    {x} = {x}_inf" for x in short), "}", "",
                  "DERIVATIVE states {", "    rates(v)",
                  *(f"    {x}' = ({x}_inf - {x}) / {x}_tau" for x in short), "}", ""]
        rates = _Block(pr)
        for g, x in zip(kinetic, short):
            rates.assign(f"{x}_inf", g.inf)
            rates.assign(f"{x}_tau", g.rate, "1 / ({})")
        for tree, name in _frozen(ch, ir).items():
            rates.assign(pr(name), tree)
        lines += ["PROCEDURE rates(v (mV)) {", *rates.head(), "    UNITSOFF", "    derived()",
                  *rates.lines, "    UNITSON", "}", ""]
    lines += ["UNITSOFF", _HELPERS.strip(), "UNITSON", ""]
    return "\n".join(lines)


def _instant(ir) -> dict[Expr, Expr]:
    """Each instantaneous gate's value tree → its name: the export computes it into an
    ASSIGNED of the gate's name — in BREAKPOINT (NEURON's dI/dv then follows it), or, for
    ``instantaneous_jacobian="fixed"``, in the state update (NEURON's dI/dv holds it)."""
    return {g.inf: Name(g.name) for g in ir.gates if g.instantaneous}


def _frozen(ch: Channel, ir) -> dict[Expr, Expr]:
    return _instant(ir) if ch.instantaneous_jacobian == "fixed" else {}


def _current_lines(ch: Channel, ir, pr: NMODLPrinter) -> list[str]:
    cur = ir.currents[0]
    instant = _instant(ir)
    conductance = transform(cur.conductance, instant.get) if instant else cur.conductance
    block = _Block(pr)
    if not _frozen(ch, ir):
        for tree, name in instant.items():
            block.assign(pr(name), tree)
    block.assign("g", conductance)
    lines = [*block.head(), "    derived()", *block.lines]
    if cur.reversal == "nernst":
        lines.append(f"    erev = {pr(cur.e)}")
        drive: Expr = Name("v") - Name("iz_erev")
        pr.names = {**pr.names, "iz_erev": "erev"}
    else:
        drive = cur.drive
    scale = "(0.001) * " if cur.reversal == "ghk" else ""  # µA/cm² -> mA/cm² for cm/s·mM
    lines.append(f"    i = {scale}g * ({pr(drive)})")
    if ch.ion == "ca":
        lines.append("    ica = i")
    return lines


def _channel_header(ch: Channel, ir) -> list[str]:
    uses_ca = ch.ion == "ca" or ch.reads_calcium()
    mapped = nmodl_names(ch)
    params = {mapped[k]: (nmodl_gbar(ch) if k == "gbar" else v)
              for k, v in ch.parameters().items()}
    units = {"gbar": "(cm/s)" if ch.ghk else "(S/cm2)", "e": "(mV)"}
    kinetic = [mapped[g.name.split(".", 1)[1]] for g in ir.gates if not g.instantaneous]
    renamed = [f"{k} -> {v}" for k, v in mapped.items() if k != v]
    fractional = [f"{mapped[g.name]}({' '.join(mapped[p.name] for _, p in g.parts)})"
                  for g in ch.gates if g.parts]
    prov = ch.provenance
    lines = [f"TITLE {inert_text(ch.description or ch.name)} (exported by ionzoo)", "",
             "COMMENT",
             f"Source: {inert_text(prov.citation) if prov else 'unknown'}",
             f"Reference file: {inert_text(prov.model_file) if prov else ''}",
             f"Temperature rule: {inert_text(ch.rule_text())}",
             f"Ion: {ch.ion or 'none'}",
             *([f"Renamed for NEURON: {', '.join(renamed)}"] if renamed else []),
             *([f"Fractional gates: {', '.join(fractional)}"] if fractional else []),
             "Generated from the ionzoo channel description; do not edit.",
             "ENDCOMMENT", "",
             "NEURON {", f"    SUFFIX {mechanism_name(ch)}"]
    if ch.ion == "ca":
        lines.append("    USEION ca READ cai, cao WRITE ica")
    elif uses_ca:
        lines.append("    USEION ca READ cai, cao")
    if ch.ion != "ca":
        lines.append("    NONSPECIFIC_CURRENT i")
    rng = ["gbar", "g", "i", *(["erev"] if ch.nernst else []), *params]
    lines.append(f"    RANGE {', '.join(dict.fromkeys(rng))}")
    lines += ["}", "", "UNITS {", "    (mA) = (milliamp)", "    (mV) = (millivolt)",
              "    (S) = (siemens)", "    (mM) = (milli/liter)", "}", "", "PARAMETER {"]
    lines += [f"    {k} = {val!r} {units.get(k, '')}".rstrip() for k, val in params.items()]
    lines += ["}", "", "ASSIGNED {", "    v (mV)", "    celsius (degC)", "    g", "    i (mA/cm2)"]
    if ch.ion == "ca":
        lines.append("    ica (mA/cm2)")
    if uses_ca:
        lines += ["    cai (mM)", "    cao (mM)"]
    if ch.nernst:
        lines.append("    erev (mV)")
    for x in kinetic:
        lines += [f"    {x}_inf", f"    {x}_tau (ms)"]
    lines += [f"    {mapped[g.name.split('.', 1)[1]]}" for g in ir.gates if g.instantaneous]
    lines += [f"    {_derived_name(ch, d.id)}" for d in ir.derived]
    lines += ["}", ""]
    if kinetic:
        lines += ["STATE {", *(f"    {x}" for x in kinetic), "}", ""]
    return lines


def pool_parameters(calcium: Calcium) -> dict[str, float]:
    """The pool's RANGE parameters by NEURON name, to set at run time: nrnivmodl keeps a
    PARAMETER's default to about six significant digits (a free fraction γ = 0.0906468117…
    becomes 0.0906468, which moves the Prinz STG cell's spikes by 1e-4 ms over 3 s), so the
    exported script and the runner assign every value exactly, as they do for channels."""
    return {"depth": calcium.depth, "tau": calcium.tau, "cai_rest": calcium.cai_rest,
            "gamma": calcium.gamma}


def pool_to_nmodl(calcium: Calcium) -> str:
    """NMODL source of the calcium pool of a neuron (``SUFFIX iz_capool_<hash>``)."""
    if not calcium.pool:
        raise ValueError("fixed calcium has no pool mechanism")
    ir = lower(Neuron(channels=(), calcium=calcium, name="pool"))
    pool = ir.pools[0]
    state = "ca" if calcium.lagged else "cai"
    names = {"ica": "(1000 * ica)", "ca.gamma": "gamma", "ca.depth": "depth",
             "ca.tau": "tau", "ca.cai_rest": "cai_rest", pool.state: state}
    pr = NMODLPrinter(names)
    kind = ("inward-only drive: Destexhe et al. 1994 cadecay" if calcium.pool == "destexhe"
            else "signed drive scaled by gamma: Hay et al. 2011 CaDynamics_E2")
    lag = ("\nThe ion's cai takes the pool state ca from the start of each step (cai = ca\n"
           "before the state is advanced)." if calcium.lagged else "")
    reads = "ica, cai" if calcium.lagged else "ica"
    init = "ca = cai_rest" if calcium.lagged else "cai = cai0"
    copy = "\n    cai = ca" if calcium.lagged else ""
    state_unit = f"{state} (mM)"
    return f"""TITLE calcium pool ({calcium.pool}) exported by ionzoo

COMMENT
d{state}/dt = drive + (cai_rest - {state})/tau with the drive from the calcium current ({kind});
ica in mA/cm2 here, in uA/cm2 in ionzoo (hence 1000 * ica).{lag}
ENDCOMMENT

NEURON {{
    SUFFIX {pool_name(calcium)}
    USEION ca READ {reads} WRITE cai
    RANGE depth, tau, cai_rest, gamma, drive, cai0
}}

UNITS {{
    (mA) = (milliamp)
    (mM) = (milli/liter)
    (um) = (micron)
}}

PARAMETER {{
    depth = {calcium.depth!r} (um)
    tau = {calcium.tau!r} (ms)
    cai_rest = {calcium.cai_rest!r} (mM)
    gamma = {calcium.gamma!r}
    cai0 = {calcium.cai!r} (mM)
}}

ASSIGNED {{
    ica (mA/cm2)
    drive (mM/ms){chr(10) + "    cai (mM)" if calcium.lagged else ""}
}}

STATE {{ {state_unit} }}

INITIAL {{ {init} }}

BREAKPOINT {{ SOLVE state METHOD {calcium.method} }}

DERIVATIVE state {{
    UNITSOFF
    drive = {pr(pool.drive)}
    {state}' = drive + ({pr(pool.rest)} - {state}) / {pr(pool.tau)}{copy}
    UNITSON
}}

UNITSOFF
{_HELPERS.strip()}
UNITSON
"""


def initial_assignments(neuron: Neuron) -> list[tuple[str, str, float]]:
    """The states ``neuron`` starts away from their steady state, as NEURON sees them:
    (mechanism suffix, NMODL state name, value) — set them just after the INITIAL blocks
    (``h.FInitializeHandler(1, ...)``)."""
    by_channel = {c.name: c for c in neuron.channels}
    out = []
    for state, value in neuron.initial:
        owner, _, gate = state.partition(".")
        if owner == "ca":  # a lagged pool's own state (``ca.pool``)
            assert neuron.calcium is not None
            out.append((pool_name(neuron.calcium), "ca", value))
        else:
            ch = by_channel[owner]
            out.append((mechanism_name(ch), nmodl_names(ch)[gate], value))
    return out


def start_point(neuron: Neuron, current: float = 0.0) -> tuple[float, float | None]:
    """Where ``neuron`` starts: (v in mV, initial cai in mM or None without calcium) —
    ``v_init`` and ``ca.cai``, or with ``start="rest"`` the equilibrium under ``current``
    (µA/cm², the stimulus at t = 0) as :mod:`ionzoo.initial` finds it."""
    cai = None if neuron.calcium is None else neuron.calcium.cai
    if neuron.start != "rest":
        return neuron.v_init, cai
    from ..initial import rest_point

    v, conc = rest_point(neuron, current)
    return v, (cai if conc is None else conc)


def neuron_to_script(neuron, current: float = 10.0, delay: float = 0.0,
                     duration: float | None = None, t_stop: float = 100.0, dt: float = 0.025,
                     method: str = "crank_nicolson") -> str:
    """A standalone Python script that builds ``neuron`` in NEURON with the exported mechanisms
    (compile them first with ``nrnivmodl`` in the script's directory), applies a current step
    of ``current`` µA/cm² and prints the spike times (upward 0-mV crossings, interpolated)."""
    area = neuron.area or 1e5
    lines = [
        f'"""{inert_text(neuron.name)}: exported by ionzoo. Run `nrnivmodl` here first, then '
        'this script."""',
        "import math",
        "import os",
        "",
        "import numpy as np",
        "from neuron import h, load_mechanisms",
        "",
        "HERE = os.path.dirname(os.path.abspath(__file__))",
        "if os.path.abspath(os.getcwd()) != HERE:  # NEURON loads ./x86_64 of the cwd by itself",
        "    load_mechanisms(HERE)",
        "h.load_file('stdrun.hoc')",
        f"AREA = {area!r}  # µm²; 1 nA = 1e5/AREA µA/cm²",
        "sec = h.Section(name='soma')",
        "sec.L = sec.diam = math.sqrt(AREA / math.pi)",
        "sec.nseg = 1",
        f"sec.cm = {neuron.capacitance!r}  # µF/cm²",
        f"h.celsius = {neuron.temperature!r}",
    ]
    for ch in neuron.channels:
        if not ch.gates and ch.ion != "ca":
            lines += ["sec.insert('pas')", f"sec.g_pas = {ch.gbar / 1000.0!r}  # S/cm²",
                      f"sec.e_pas = {ch.e!r}"]
            continue
        name = mechanism_name(ch)
        lines.append(f"sec.insert({name!r})  # {ch.name}: {inert_text(ch.description)}")
        lines.append(f"sec.gbar_{name} = {nmodl_gbar(ch)!r}  # S/cm² (cm/s for GHK)")
        mapped = nmodl_names(ch)
        for k, val in ch.parameters().items():
            if k != "gbar":
                lines.append(f"sec.{mapped[k]}_{name} = {val!r}")
    v0, cai0 = start_point(neuron, current if delay <= 0 else 0.0)
    if neuron.calcium is not None:
        lines += [f"h.cai0_ca_ion = {cai0!r}",
                  f"h.cao0_ca_ion = {neuron.calcium.cao!r}"]
        if neuron.calcium.pool:
            pool = pool_name(neuron.calcium)
            lines += [f"sec.insert('{pool}')", f"sec.cai0_{pool} = {cai0!r}"]
            lines += [f"sec.{k}_{pool} = {val!r}"
                      for k, val in pool_parameters(neuron.calcium).items()]
    dur = 1e9 if duration is None else duration
    lines += [
        "stim = h.IClamp(sec(0.5))",
        f"stim.delay, stim.dur = {delay!r}, {dur!r}",
        f"stim.amp = {current!r} * AREA / 1e5  # nA",
        "v = h.Vector()",
        "v.record(sec(0.5)._ref_v)",
        f"h.secondorder = {2 if method == 'crank_nicolson' else 0}",
        f"h.dt = {dt!r}",
        f"h.steps_per_ms = {1.0 / dt!r}",
        *_initial_lines(neuron),
        f"h.finitialize({v0!r})",
        f"h.continuerun({t_stop!r})",
        "vv = np.array(v)",
        "i = np.nonzero((vv[:-1] < 0) & (vv[1:] >= 0))[0]",
        f"spikes = i * {dt!r} + {dt!r} * (0 - vv[i]) / (vv[i + 1] - vv[i])",
        "print('spike times (ms):', np.round(spikes, 6).tolist())",
        "",
    ]
    return "\n".join(lines)


def _initial_lines(neuron: Neuron) -> list[str]:
    """Script lines that set the states with given initial values after the INITIAL blocks."""
    sets = initial_assignments(neuron)
    if not sets:
        return []
    body = [f"    sec(0.5).{mech}.{state} = {value!r}" for mech, state, value in sets]
    return ["def set_initial_states():", *body, "",
            "initial_states = h.FInitializeHandler(1, set_initial_states)"]


def export_neuron(neuron, directory, **protocol) -> list[str]:
    """Write every mechanism of ``neuron`` and ``run_<name>.py`` into ``directory``; returns the
    file names."""
    from pathlib import Path

    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    files: dict[str, str] = {}
    for ch in neuron.channels:
        if ch.gates or ch.ion == "ca":
            files[f"{mechanism_name(ch)}.mod"] = channel_to_nmodl(ch)
    if neuron.calcium is not None and neuron.calcium.pool:
        files[f"{pool_name(neuron.calcium)}.mod"] = pool_to_nmodl(neuron.calcium)
    files[f"run_{neuron.name}.py"] = neuron_to_script(neuron, **protocol)
    for name, text in files.items():  # everything generated first, then each file atomically
        write_text_atomic(out / name, text)
    return list(files)
