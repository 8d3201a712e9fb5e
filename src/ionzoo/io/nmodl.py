"""Export channels and calcium pools as NMODL (.mod) files that ``nrnivmodl`` compiles.

Each channel becomes a density mechanism ``SUFFIX iz_<name>`` with:

* ``NONSPECIFIC_CURRENT i`` and its own reversal ``e`` (fixed reversal), or, for calcium channels,
  ``USEION ca READ cai, cao WRITE ica`` with the Nernst potential computed inside the mechanism
  from cai/cao exactly as ionzoo does (CODATA 2018 constants);
* ``RANGE`` parameters for ḡ (S/cm², NEURON's unit; ionzoo's mS/cm² ÷ 1000), e, q10 or the fixed
  rate factor, and every extra channel parameter;
* the temperature rule written with NEURON's ``celsius``: φ = q10^((celsius − T_ref)/10) on the
  rates (and on ḡ for Mainen-style rules), or the fixed factor;
* gates as ``STATE``s integrated with ``cnexp`` (x ← x∞ + (x − x∞)·exp(−dt/τ), the same update
  as ionzoo's fixed-step methods); instantaneous gates evaluated at v in ``BREAKPOINT``;
* the rate expressions rendered from the same parsed trees as the ionzoo kernels, with helper
  ``FUNCTION``s (``iz_exprel`` with the same series switch, ``iz_heaviside``, ...).

A calcium pool becomes ``SUFFIX iz_capool`` (``USEION ca READ ica WRITE cai``), integrated with
``cnexp`` — exact for the linear pool equation, as in ionzoo.
"""

from __future__ import annotations

import hashlib
import json

from ..channels.channel import Q10, Channel, FixedFactor
from ..expr import EXPREL_SERIES_BELOW
from ..ions import FARADAY, GAS_CONSTANT, Calcium

__all__ = ["channel_to_nmodl", "pool_to_nmodl", "mechanism_name", "pool_name", "POOL_SUFFIX",
           "neuron_to_script", "export_neuron"]

POOL_SUFFIX = "iz_capool"

_HELPERS = f"""
FUNCTION iz_exp(x) {{ iz_exp = exp(x) }}
FUNCTION iz_log(x) {{ iz_log = log(x) }}
FUNCTION iz_sqrt(x) {{ iz_sqrt = sqrt(x) }}
FUNCTION iz_tanh(x) {{ iz_tanh = tanh(x) }}
FUNCTION iz_cosh(x) {{ iz_cosh = cosh(x) }}
FUNCTION iz_abs(x) {{ iz_abs = fabs(x) }}
FUNCTION iz_min(a, b) {{
    if (a < b) {{ iz_min = a }} else {{ iz_min = b }}
}}
FUNCTION iz_max(a, b) {{
    if (a > b) {{ iz_max = a }} else {{ iz_max = b }}
}}
FUNCTION iz_heaviside(x) {{
    if (x >= 0) {{ iz_heaviside = 1 }} else {{ iz_heaviside = 0 }}
}}
FUNCTION iz_exprel(x) {{
    if (fabs(x) < {EXPREL_SERIES_BELOW!r}) {{
        iz_exprel = 1 + x * (0.5 + x * (1.0 / 6.0 + x * (1.0 / 24.0)))
    }} else {{
        iz_exprel = (exp(x) - 1) / x
    }}
}}
FUNCTION iz_invexprel(x) {{ iz_invexprel = 1 / iz_exprel(x) }}
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


def _names(ch: Channel) -> dict[str, str]:
    return {"v": "v", "cai": "cai", "cao": "cao", **{p: p for p in ch.params}}


def channel_to_nmodl(ch: Channel) -> str:
    """NMODL source of ``ch`` (see the module docstring)."""
    suffix = mechanism_name(ch)
    names = _names(ch)
    kinetic = [g for g in ch.gates if not g.instantaneous]
    inst = [g for g in ch.gates if g.instantaneous]
    uses_ca = ch.ion == "ca" or ch.reads_calcium()
    rule = ch.temperature
    params = {"gbar": (ch.gbar / 1000.0, "(S/cm2)")}
    if not ch.nernst:
        params["e"] = (ch.e, "(mV)")
    if isinstance(rule, Q10):
        params["q10"] = (rule.q10, "(1)")
    elif isinstance(rule, FixedFactor):
        params["rate_factor"] = (rule.factor, "(1)")
    for k, val in ch.params.items():
        params[k] = (val, "")
    lines = [f"TITLE {ch.description or ch.name} (exported by ionzoo)", "",
             "COMMENT",
             f"Source: {ch.provenance.citation if ch.provenance else 'unknown'}",
             f"Reference file: {ch.provenance.model_file if ch.provenance else ''}",
             f"Temperature rule: {ch.rule_text()}",
             "Generated from the ionzoo channel description; do not edit.",
             "ENDCOMMENT", "",
             "NEURON {", f"    SUFFIX {suffix}"]
    if ch.ion == "ca":
        lines.append("    USEION ca READ cai, cao WRITE ica")
    elif uses_ca:
        lines.append("    USEION ca READ cai, cao")
    if ch.ion != "ca":
        lines.append("    NONSPECIFIC_CURRENT i")
    rng = ["gbar", "g", "i", *(["e"] if not ch.nernst else ["erev"]), *params]
    lines.append(f"    RANGE {', '.join(dict.fromkeys(rng))}")
    lines += ["}", "",
              "UNITS {", "    (mA) = (milliamp)", "    (mV) = (millivolt)", "    (S) = (siemens)",
              "    (mM) = (milli/liter)", "}", "", "PARAMETER {"]
    lines += [f"    {k} = {val!r} {unit}" for k, (val, unit) in params.items()]
    lines += ["}", "", "ASSIGNED {", "    v (mV)", "    celsius (degC)", "    g (S/cm2)",
              "    i (mA/cm2)"]
    if ch.ion == "ca":
        lines += ["    ica (mA/cm2)"]
    if uses_ca:
        lines += ["    cai (mM)", "    cao (mM)"]
    if ch.nernst:
        lines += ["    erev (mV)"]
    for g in kinetic:
        lines += [f"    {g.name}_inf", f"    {g.name}_tau (ms)"]
    for g in inst:
        lines += [f"    {g.name}"]
    lines += ["    iz_phi", "}", ""]
    if kinetic:
        lines += ["STATE {", *(f"    {g.name}" for g in kinetic), "}", ""]
    # BREAKPOINT
    lines += ["BREAKPOINT {"]
    if kinetic:
        lines.append("    SOLVE states METHOD cnexp")
    lines += _phi_lines(rule, "    ")
    lines += [f"    {line}" for line in _inst_lines(ch, inst, names)]
    factors = ["gbar"] + (["iz_phi"] if getattr(rule, "conductance", False) else [])
    factors += [f"{g.name}" + (f"^{g.power}" if g.power > 1 else "") for g in ch.gates]
    lines.append(f"    g = {' * '.join(factors)}")
    if ch.nernst:
        k = 1000.0 * GAS_CONSTANT / (2.0 * FARADAY)
        lines.append(f"    erev = {k!r} * (celsius + 273.15) * log(cao / cai)")
    lines.append(f"    i = g * (v - {'erev' if ch.nernst else 'e'})")
    if ch.ion == "ca":
        lines.append("    ica = i")
    lines += ["}", ""]
    # INITIAL and DERIVATIVE
    if kinetic:
        lines += ["INITIAL {", "    rates(v)", *(f"    {g.name} = {g.name}_inf" for g in kinetic),
                  "}", "", "DERIVATIVE states {", "    rates(v)",
                  *(f"    {g.name}' = ({g.name}_inf - {g.name}) / {g.name}_tau" for g in kinetic),
                  "}", ""]
        lines += ["PROCEDURE rates(v (mV)) {", "    LOCAL a, b", "    UNITSOFF"]
        lines += _phi_lines(rule, "    ")
        for g in kinetic:
            a, b = (_nmodl(e, names) for e in ch.gate_expressions(g))
            lines += [f"    a = {a}", f"    b = {b}"]
            if g.form == "alphabeta":
                lines += [f"    {g.name}_inf = a / (a + b)",
                          f"    {g.name}_tau = 1 / (a + b) / iz_phi"]
            else:
                lines += [f"    {g.name}_inf = a", f"    {g.name}_tau = b / iz_phi"]
        lines += ["    UNITSON", "}", ""]
    lines += ["UNITSOFF", _HELPERS.strip(), "UNITSON", ""]
    return "\n".join(lines)


def _nmodl(expr, names) -> str:
    """An expression in NMODL syntax (functions as iz_ helpers; powers with ``^``)."""
    return expr.render(names, "iz_").replace("**", "^")


def _phi_lines(rule, ind: str) -> list[str]:
    if isinstance(rule, Q10):
        return [f"{ind}iz_phi = q10 ^ ((celsius - {rule.reference!r}) / 10)"]
    if isinstance(rule, FixedFactor):
        return [f"{ind}iz_phi = rate_factor"]
    return [f"{ind}iz_phi = 1"]


def _inst_lines(ch: Channel, inst, names) -> list[str]:
    out = []
    for g in inst:
        a, b = (_nmodl(e, names) for e in ch.gate_expressions(g))
        if g.form == "alphabeta":
            out.append(f"{g.name} = ({a}) / (({a}) + ({b}))")
        else:
            out.append(f"{g.name} = {a}")
    return out


def pool_to_nmodl(calcium: Calcium) -> str:
    """NMODL source of the calcium pool of a neuron (``SUFFIX iz_capool``)."""
    if not calcium.pool:
        raise ValueError("fixed calcium has no pool mechanism")
    k = 1e4 / (2.0 * FARADAY)  # ica in mA/cm², depth in µm -> mM/ms
    clip = "    if (drive < 0) { drive = 0 }\n" if calcium.pool == "destexhe" else ""
    return f"""TITLE calcium pool ({calcium.pool}) exported by ionzoo

COMMENT
dcai/dt = drive + (cai_rest - cai)/tau, drive = -gamma * 1e4 * ica / (2 F depth)
{'(inward-only drive: Destexhe et al. 1994 cadecay)' if calcium.pool == 'destexhe'
 else '(signed drive scaled by gamma: Hay et al. 2011 CaDynamics_E2)'}
ENDCOMMENT

NEURON {{
    SUFFIX {pool_name(calcium)}
    USEION ca READ ica WRITE cai
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
    drive (mM/ms)
}}

STATE {{ cai (mM) }}

INITIAL {{ cai = cai0 }}

BREAKPOINT {{ SOLVE state METHOD cnexp }}

DERIVATIVE state {{
    UNITSOFF
    drive = -{k!r} * gamma * ica / depth
{clip}    cai' = drive + (cai_rest - cai) / tau
    UNITSON
}}
"""


def neuron_to_script(neuron, current: float = 10.0, delay: float = 0.0,
                     duration: float | None = None, t_stop: float = 100.0, dt: float = 0.025,
                     method: str = "crank_nicolson") -> str:
    """A standalone Python script that builds ``neuron`` in NEURON with the exported mechanisms
    (compile them first with ``nrnivmodl`` in the script's directory), applies a current step
    of ``current`` µA/cm² and prints the spike times (upward 0-mV crossings, interpolated)."""
    area = neuron.area or 1e5
    lines = [
        f'"""{neuron.name}: exported by ionzoo. Run `nrnivmodl` here first, then this script."""',
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
        lines.append(f"sec.insert('{name}')  # {ch.name}: {ch.description}")
        lines.append(f"sec.gbar_{name} = {ch.gbar / 1000.0!r}  # S/cm²")
        for k, val in ch.parameters().items():
            if k != "gbar":
                lines.append(f"sec.{k}_{name} = {val!r}")
    if neuron.calcium is not None:
        lines += [f"h.cai0_ca_ion = {neuron.calcium.cai!r}",
                  f"h.cao0_ca_ion = {neuron.calcium.cao!r}"]
        if neuron.calcium.pool:
            pool = pool_name(neuron.calcium)
            lines += [f"sec.insert('{pool}')", f"sec.cai0_{pool} = {neuron.calcium.cai!r}"]
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
        f"h.finitialize({neuron.v_init!r})",
        f"h.continuerun({t_stop!r})",
        "vv = np.array(v)",
        "i = np.nonzero((vv[:-1] < 0) & (vv[1:] >= 0))[0]",
        f"spikes = i * {dt!r} + {dt!r} * (0 - vv[i]) / (vv[i + 1] - vv[i])",
        "print('spike times (ms):', np.round(spikes, 6).tolist())",
        "",
    ]
    return "\n".join(lines)


def export_neuron(neuron, directory, **protocol) -> list[str]:
    """Write every mechanism of ``neuron`` and ``run_<name>.py`` into ``directory``; returns the
    file names."""
    from pathlib import Path

    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    names = []
    for ch in neuron.channels:
        if ch.gates or ch.ion == "ca":
            names.append(f"{mechanism_name(ch)}.mod")
            (out / names[-1]).write_text(channel_to_nmodl(ch))
    if neuron.calcium is not None and neuron.calcium.pool:
        names.append(f"{pool_name(neuron.calcium)}.mod")
        (out / names[-1]).write_text(pool_to_nmodl(neuron.calcium))
    names.append(f"run_{neuron.name}.py")
    (out / names[-1]).write_text(neuron_to_script(neuron, **protocol))
    return names
