"""Conformance checks for channels (usable on your own channels, too).

:func:`check_channel` verifies, over −150…+100 mV (and, for calcium-dependent gates,
cai = 1e-6…1e-2 mM):

* every x∞ is finite and within [0, 1], every τ finite and > 0 (kinetic gates);
* no NaN at the singular voltages of exp-linear/exprel terms (found from the expressions);
* the temperature rule is applied exactly once: τ scales by exactly 1/φ between the reference
  temperature and 10 °C above it (Q10), and not at all for fixed-factor or rule-less channels;
* a lossless round trip through the model-file format (YAML text and back).

It returns a list of problems (empty when the channel conforms); ``strict=True`` raises.
"""

from __future__ import annotations

import numpy as np
import yaml

from .errors import ValidationError
from .expr import affine
from .model.channel import Channel
from .model.temperature import Q10, FixedFactor
from .reference import steady_state, time_constant

__all__ = ["check_channel", "VOLTAGES", "CALCIUM"]

#: Voltage grid of the checks, mV (includes every integer and half-integer voltage).
VOLTAGES = np.linspace(-150.0, 100.0, 501)
#: Internal calcium grid for calcium-dependent gates, mM.
CALCIUM = np.logspace(-6, -2, 9)


def _singular_voltages(ch: Channel) -> list[float]:
    out = []
    for g in ch.leaf_gates():
        for e in ch.gate_expressions(g):
            for arg in e.exp_arguments():
                ab = affine(arg)
                if ab is not None and ab[0] != 0.0:
                    out.append(-ab[1] / ab[0])
    return out


def check_channel(channel: Channel, strict: bool = False) -> list[str]:
    """Problems found in ``channel`` (see the module docstring); [] if none."""
    problems: list[str] = []
    v = np.concatenate([VOLTAGES, _singular_voltages(channel)])
    cai_grid = CALCIUM if channel.reads_calcium() else np.array([5e-5])
    for g in channel.leaf_gates():
        label = f"{channel.name}.{g.name}"
        for cai in cai_grid:
            with np.errstate(all="ignore"):
                xinf = steady_state(channel, g, v, cai=cai)
                tau = time_constant(channel, g, v, None, cai=cai)
            bad = ~np.isfinite(xinf) | (xinf < 0) | (xinf > 1)
            if bad.any():
                problems.append(f"{label}: x∞ not finite or outside [0, 1] at v = "
                                f"{v[bad][0]:g} mV (cai = {cai:g} mM): {xinf[bad][0]!r}")
            if not g.instantaneous:
                bad = ~np.isfinite(tau) | (tau <= 0)
                if bad.any():
                    problems.append(f"{label}: τ not finite and > 0 at v = {v[bad][0]:g} mV "
                                    f"(cai = {cai:g} mM): {tau[bad][0]!r}")
    problems += _check_temperature(channel)
    problems += _check_round_trip(channel)
    if strict and problems:
        raise ValidationError(channel.name, "; ".join(problems))
    return problems


def _check_temperature(ch: Channel) -> list[str]:
    """τ scales by exactly the rule's factor, once (each gate under its own rule)."""
    out = []
    v = np.linspace(-100, 40, 15)
    for g in (g for g in ch.leaf_gates() if not g.instantaneous):
        rule = ch.gate_rule(g)
        if "celsius" in set().union(*(e.names for e in ch.gate_expressions(g))):
            continue  # the rates compute their own temperature dependence
        if isinstance(rule, Q10):
            t0 = time_constant(ch, g, v, rule.reference)
            t1 = time_constant(ch, g, v, rule.reference + 10.0)
            if not np.allclose(t0 / t1, rule.q10, rtol=1e-12):
                out.append(f"{ch.name}.{g.name}: τ(T_ref)/τ(T_ref + 10) = "
                           f"{float((t0 / t1)[0]):g}, expected Q10 = {rule.q10:g} "
                           "(rule applied other than once)")
            continue
        t_a, t_b = time_constant(ch, g, v, 6.3), time_constant(ch, g, v, 37.0)
        if not np.allclose(t_a, t_b, rtol=1e-12):
            out.append(f"{ch.name}.{g.name}: τ depends on temperature without a Q10 rule")
        if isinstance(rule, FixedFactor):
            owner = ch.owner(g)
            name = "rate_factor" if not owner.own_rule else f"{owner.name}_rate_factor"
            raw = time_constant(ch, g, v, 6.3, params={name: 1.0})
            if not np.allclose(t_a * rule.factor, raw, rtol=1e-12):
                out.append(f"{ch.name}.{g.name}: the fixed factor is not applied exactly once")
    return out


def _check_round_trip(ch: Channel) -> list[str]:
    from .io.modelfile import channel_from_dict

    text = yaml.safe_dump(ch.to_dict(), sort_keys=False, allow_unicode=True)
    back = channel_from_dict(yaml.safe_load(text))
    if back != ch:
        return [f"{ch.name}: model-file round trip is not lossless"]
    return []
