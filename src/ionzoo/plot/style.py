"""One look for every figure (matplotlib) and the explorer (Bokeh): colours by ion, typeset
labels. Nothing here imports a plotting library.

Colours: a channel has its ion's colour (Na red, K blue, Ca green, h purple, leak and others
grey); a second, third… channel of the same ion a lighter or darker shade of it; the gates of a
channel shades of the channel's colour — so Na is red in the gating, mechanism and explorer
figures alike. Labels: gates as ``m (Na)``, conductances ``g_Na``, currents ``I_Na`` (mathtext
``$g_{\\mathrm{Na}}$`` for matplotlib).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np

__all__ = ["ION_COLORS", "ion_color", "shade", "channel_colors", "gate_colors", "gate_label",
           "conductance_label", "current_label", "typeset", "STIMULUS_COLOR"]

_SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")

#: One colour per ion (``None``: leak and currents without an ion).
ION_COLORS: dict[str | None, str] = {"na": "#d62728", "k": "#1f77b4", "ca": "#2ca02c",
                                     "h": "#9467bd", None: "#7f7f7f"}
#: The stimulus bar under time plots.
STIMULUS_COLOR = "#555555"
#: Shades for the second, third… channel of an ion (or gate of a channel): >0 lighter, <0
#: darker.
_SHADES = (0.0, 0.45, -0.35, 0.7, -0.55)


def ion_color(ion: str | None) -> str:
    """The colour of an ion's currents (:data:`ION_COLORS`; grey for any other)."""
    return ION_COLORS.get(ion, ION_COLORS[None])


def shade(color: str, amount: float) -> str:
    """``color`` (``#rrggbb``) mixed with white (``amount`` > 0) or black (< 0)."""
    rgb = np.array([int(color[i:i + 2], 16) for i in (1, 3, 5)], dtype=float)
    rgb = rgb + (255.0 - rgb) * amount if amount > 0 else rgb * (1.0 + amount)
    return "#" + "".join(f"{int(round(c)):02x}" for c in np.clip(rgb, 0, 255))


def channel_colors(ions: Mapping[str, str | None] | Iterable[Any]) -> dict[str, str]:
    """Channel name → colour, from ``{channel: ion}`` in the neuron's order (or the channels)."""
    if not isinstance(ions, Mapping):
        ions = {getattr(c, "name"): getattr(c, "ion") for c in ions}  # noqa: B009
    out: dict[str, str] = {}
    per_ion: dict[str | None, int] = {}
    for ch, ion in ions.items():
        k = per_ion.get(ion, 0)
        per_ion[ion] = k + 1
        out[ch] = shade(ion_color(ion), _SHADES[k % len(_SHADES)])
    return out


def gate_colors(names: Iterable[str], channels: Mapping[str, str]) -> dict[str, str]:
    """Gate (``<channel>.<gate>``) → colour: shades of its channel's colour (``channels`` from
    :func:`channel_colors`)."""
    out: dict[str, str] = {}
    per_channel: dict[str, int] = {}
    for name in names:
        ch = name.split(".", 1)[0]
        k = per_channel.get(ch, 0)
        per_channel[ch] = k + 1
        out[name] = shade(channels.get(ch, ion_color(None)), _SHADES[k % len(_SHADES)])
    return out


def _roman(name: str) -> str:
    return name.replace("_", r"\_")


def gate_label(name: str, suffix: str = "") -> str:
    """``"Na.m"`` → ``"m (Na)"``; ``suffix="∞"`` → ``"m∞ (Na)"``."""
    ch, _, gate = name.partition(".")
    return f"{gate}{suffix} ({ch})" if gate else name


def conductance_label(channel: str) -> str:
    """``"Na"`` → ``$g_{\\mathrm{Na}}$``."""
    return rf"$g_{{\mathrm{{{_roman(channel)}}}}}$"


def current_label(channel: str) -> str:
    """``"Na"`` → ``$I_{\\mathrm{Na}}$``."""
    return rf"$I_{{\mathrm{{{_roman(channel)}}}}}$"


def typeset(spec: str) -> str:
    """A variable or a product of one channel's gate powers, typeset: ``"v"`` → ``"V"``,
    ``"Na.m**3 * Na.h"`` → ``"m³h (Na)"``, ``"K.n"`` → ``"n (K)"``; anything else unchanged."""
    if spec.strip() == "v":
        return "V"
    factors = [f.strip() for f in spec.replace("**", "^").split("*")]
    parts, channel = [], None
    for f in factors:
        name, _, power = f.partition("^")
        ch, dot, gate = name.strip().partition(".")
        if not (dot and gate.isidentifier() and ch.isidentifier()) or (power and not
                                                                       power.strip().isdigit()):
            return spec
        if channel not in (None, ch):
            return spec
        channel = ch
        parts.append(gate + (power.strip().translate(_SUPERSCRIPTS) if power.strip() not in
                             ("", "1") else ""))
    return f"{''.join(parts)} ({channel})"
