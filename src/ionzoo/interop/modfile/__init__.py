"""Import published NEURON mechanisms (.mod files) as ionzoo channels — parsed, never run.

:func:`read` turns the HH-type subset of NMODL into a :class:`~ionzoo.model.channel.Channel`
whose expressions are the file's own arithmetic (``PROCEDURE`` and ``FUNCTION`` calls inlined,
``if``/``else`` as piecewise expressions, ``celsius`` kept where the file reads it, ``TABLE``
ignored as NEURON does with ``usetable = 0``), integrated with the file's ``SOLVE … METHOD``
(cnexp, derivimplicit or euler). What lies outside the subset is refused with the construct and
its line (see ``docs/howto/import_nmodl.md`` for the table of constructs).

Units: the file's current is in mA/cm²; ionzoo's ``gbar`` is ``1000·K·P`` mS/cm² for a current
``K·P·…·(v − e)`` (a permeability in cm/s for a GHK current), stated in the channel's
provenance and in :attr:`ModImport.conductance`.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ...errors import ValidationError
from ...expr import Expr, Name, Num
from ...limits import MAX_FILE_BYTES
from ...model.channel import BUILTIN_NAMES, RESERVED_PARAMETERS, Channel, Gate, Provenance
from ..names import inert_text
from .exprel import recognise_exprel
from .extract import DEFAULT_REVERSALS, Analysis, CurrentParts, GateParts, analyse
from .syntax import ModSyntaxError, parse_mod

__all__ = ["read", "read_all", "read_text", "ModImport", "ModSyntaxError"]


@dataclass(frozen=True)
class ModImport:
    """What a .mod file gave: its channels and how they relate to the file.

    ``channels``: one per current the file writes; ``initial``: gate → value for states the
    file's INITIAL block does not start at their steady state (``{"hh2.m": 0.0}``; pass it to
    :meth:`~ionzoo.Neuron.with_initial` to start as the file does); ``conductance``: channel →
    (file parameter, factor) with ionzoo's gbar = factor × the parameter's value;
    ``renamed``: file parameter → ionzoo parameter for names ionzoo reserves.
    """

    suffix: str
    channels: tuple[Channel, ...]
    method: str
    initial: Mapping[str, float] = field(default_factory=dict)
    conductance: Mapping[str, tuple[str, float]] = field(default_factory=dict)
    renamed: Mapping[str, str] = field(default_factory=dict)


def read_text(text: str, name: str = "mechanism.mod",
              reversals: Mapping[str, float | str] | None = None) -> ModImport:
    """Import the .mod source ``text`` (``name``: its file name, for messages and provenance).
    ``reversals``: the reversal potential (mV, or ``"nernst"`` for calcium) of each ion the
    file reads ``e<ion>`` of; NEURON's defaults (na 50, k −77, ca Nernst) otherwise."""
    mod = parse_mod(text, name)
    analysis = analyse(mod)
    rev = {**DEFAULT_REVERSALS, **dict(reversals or {})}
    digest = hashlib.sha256(text.encode("utf-8", "replace")).hexdigest()[:16]
    builder = _Builder(analysis, rev, f"{name} (sha256 {digest})")
    channels = tuple(builder.channel(c) for c in analysis.currents)
    initial = {f"{ch.name}.{g}": v for ch in channels for g, v in analysis.initial.items()
               if g in {x.name for x in ch.leaf_gates()}}
    return ModImport(mod.suffix, channels, analysis.method, initial, builder.conductance,
                     builder.renamed)


def read_all(path: str | Path, reversals: Mapping[str, float | str] | None = None) -> ModImport:
    """Import the .mod file at ``path`` (see :func:`read_text`)."""
    p = Path(path)
    try:
        size = p.stat().st_size
    except OSError as exc:
        raise ValidationError(str(path), f"cannot read: {exc.strerror or exc}") from None
    if size > MAX_FILE_BYTES:
        raise ValidationError(str(path), f"larger than {MAX_FILE_BYTES} bytes")
    try:
        text = p.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise ValidationError(str(path), f"cannot read: {exc.strerror or exc}") from None
    return read_text(text, p.name, reversals)


def read(path: str | Path, reversals: Mapping[str, float | str] | None = None) -> Channel:
    """The channel of the .mod file at ``path``; a file writing several currents (NEURON's
    ``hh``) is refused here — use :func:`read_all`."""
    out = read_all(path, reversals)
    if len(out.channels) != 1:
        raise ValidationError(str(path), f"the mechanism writes {len(out.channels)} currents "
                              f"({', '.join(c.name for c in out.channels)}); use read_all()")
    return out.channels[0]


class _Builder:
    """Names and values of the channels of one file."""

    def __init__(self, analysis: Analysis, reversals: Mapping[str, float | str],
                 source: str) -> None:
        self.a, self.reversals, self.source = analysis, reversals, source
        self.mod = analysis.mod
        self.conductance: dict[str, tuple[str, float]] = {}
        self.renamed: dict[str, str] = {}
        self.back = self.exported()

    def fail(self, reason: str) -> ModSyntaxError:
        return ModSyntaxError(self.mod.where, reason)

    def exported(self) -> dict[str, str]:
        """For a file ionzoo exported (its TITLE says so): the channel name (from SUFFIX
        ``iz_<name>_<hash>``), the ion and the names renamed for NEURON, to map back."""
        if not self.mod.title.endswith("(exported by ionzoo)"):
            return {}
        m = re.fullmatch(r"iz_([A-Za-z][A-Za-z0-9_]*)_[0-9a-f]{8}", self.mod.suffix)
        out = {"@name": m.group(1)} if m else {}
        for text in self.mod.comments:
            for line in text.splitlines():
                key, _, value = line.partition(":")
                if key.strip() == "Ion":
                    out["@ion"] = value.strip()
                elif key.strip() == "Fractional gates":  # h(h1 h2), …
                    for m in re.finditer(r"(\w+)\(([\w ]+)\)", value):
                        out["@frac:" + " ".join(m.group(2).split())] = m.group(1)
                elif key.strip() == "Renamed for NEURON":
                    for pair in value.split(","):
                        old, _, new = pair.partition("->")
                        out[new.strip()] = old.strip()
        return out

    def channel_name(self, cur: CurrentParts) -> str:
        from ...model.neuron import RESERVED_CHANNEL_NAMES

        if "@name" in self.back and len(self.a.currents) == 1:
            return self.back["@name"]
        name = self.mod.suffix if len(self.a.currents) == 1 else \
            f"{self.mod.suffix}_{cur.ion or cur.variable}"
        if name.startswith("_"):
            name = f"u{name}"
        while name in RESERVED_CHANNEL_NAMES:  # Mainen's SUFFIX ca
            name += "_"
        return name

    def channel(self, cur: CurrentParts) -> Channel:
        name = self.channel_name(cur)
        gate_names = [x.name for g in cur.gates for x in (g, *g.leaves())]
        trees = [t for g in cur.gates for x in g.leaves() for t in (x.first, x.second)
                 if t is not None]
        if cur.factor is not None:
            trees.append(cur.factor)
        e, e_param = self.reversal(cur)
        params = sorted({n[2:] for t in trees for n in t.names if n.startswith("p:")})
        if cur.conductance in params:
            raise self.fail(f"the conductance parameter {cur.conductance!r} is also read by the "
                            "rates (not supported)")
        mapping = self.names(params, gate_names, e_param)
        values = {mapping[f"p:{p}"].id: self.value(p) for p in params}
        gates = tuple(self.gate(g, mapping) for g in cur.gates)
        factor = None if cur.factor is None else rename_tree(cur.factor, mapping)
        gbar = 1000.0 * cur.scale * self.value(cur.conductance)
        self.conductance[name] = (cur.conductance, 1000.0 * cur.scale)
        unit = "cm/s" if e == "ghk" else "mS/cm²"
        notes = (f"Imported from NMODL (SUFFIX {self.mod.suffix}, SOLVE METHOD {self.a.method}); "
                 f"gbar = {1000.0 * cur.scale!r} × {cur.conductance} {unit}"
                 + (f"; renamed {', '.join(f'{k} → {v}' for k, v in self.renamed.items())}"
                    if self.renamed else "") + "; TABLE statements ignored (usetable = 0)")
        title = inert_text(self.mod.title) or f"NMODL mechanism {self.mod.suffix}"
        ion = cur.ion
        if self.back.get("@ion") and cur.ion is None:  # ionzoo exports ions as NONSPECIFIC
            ion = None if self.back["@ion"] == "none" else self.back["@ion"]
        return Channel(name=name, gates=gates, gbar=gbar, e=e, ion=ion, temperature=None,
                       params=values, provenance=Provenance(title, self.source, notes),
                       method=self.a.method,
                       conductance_factor=None if factor is None else factor,
                       instantaneous_jacobian="fixed" if cur.lagged else "full")

    def value(self, param: str) -> float:
        d = self.mod.parameters.get(param)
        return 0.0 if d is None or d.value is None else float(d.value)

    def reversal(self, cur: CurrentParts) -> tuple[float | str, str | None]:
        """(ionzoo ``e``, the file parameter it replaces or None)."""
        if cur.drive in ("ghk", "nernst"):
            return cur.drive, None
        r = cur.reversal
        if isinstance(r, Num):
            return r.value, None
        if isinstance(r, Name) and r.id.startswith("p:"):
            return self.value(r.id[2:]), r.id[2:]
        if isinstance(r, Name) and r.id.startswith("e:"):
            ion = r.id[2:]
            if ion not in self.reversals:
                raise self.fail(f"the reversal potential e{ion} has no default: give it with "
                                f"reversals={{'{ion}': …}}")
            value = self.reversals[ion]
            if isinstance(value, str) and (value != "nernst" or ion != "ca"):
                raise self.fail(f"reversals[{ion!r}]: expected mV (or 'nernst' for ca)")
            return value, None
        raise self.fail(f"the reversal potential {r} is not a number, a PARAMETER or e<ion>")

    def names(self, params: list[str], gates: list[str], e_param: str | None) -> dict:
        """Tree tag → ionzoo name (reserved or clashing parameter names get a ``_`` added)."""
        reserved = {*RESERVED_PARAMETERS, *BUILTIN_NAMES, *gates,
                    *(f"{g}_{k}" for g in gates for k in ("q10", "rate_factor"))}
        mapping: dict[str, Expr] = {n: Name(n) for n in ("v", "celsius", "cai", "cao")}
        taken: set[str] = set()
        for p in params:
            new = self.back.get(p, p)  # a name ionzoo's export renamed: its own again
            new = new if not new.startswith("_") else f"u{new}"
            while new in reserved or new in taken or (new != p and new in params):
                new += "_"
            if new != p and self.back.get(p) != new:
                self.renamed[p] = new
            taken.add(new)
            mapping[f"p:{p}"] = Name(new)
        if e_param is not None:
            mapping[f"p:{e_param}"] = Name("e")
        return mapping

    def gate(self, g: GateParts, mapping: dict) -> Gate:
        if g.form == "fractional":
            parts = tuple((w, self.gate(p, mapping)) for w, p in g.parts)
            name = self.back.get("@frac:" + " ".join(p.name for _, p in parts), g.name)
            return Gate(name, g.power, parts=parts)
        assert g.first is not None
        values = {m.id: self.value(tag[2:]) for tag, m in mapping.items()
                  if tag.startswith("p:") and isinstance(m, Name)}
        first = recognise_exprel(rename_tree(g.first, mapping), values)
        second = None if g.second is None else \
            recognise_exprel(rename_tree(g.second, mapping), values)
        name = self.back.get(g.name, g.name)
        name = name if not name.startswith("_") else f"u{name}"
        if g.form == "instantaneous":
            return Gate(name, g.power, inf=first, instantaneous=True)
        if g.form == "alphabeta":
            return Gate(name, g.power, alpha=first, beta=second)
        return Gate(name, g.power, inf=first, tau=second)


def rename_tree(tree: Expr, mapping: Mapping[str, Expr]) -> Expr:
    """``tree`` with its tagged names replaced; a name without a mapping is refused."""
    from ...expr import substitute

    missing = sorted(n for n in tree.names if n not in mapping)
    if missing:
        what = {"e:": "a reversal potential", "c:": "an ion concentration other than cai/cao",
                "a:": "an ASSIGNED value", "s:": "a STATE"}
        kinds = {what.get(n[:2], "a name") + f" ({n[2:] if ':' in n else n})" for n in missing}
        raise ModSyntaxError("rates", f"the rates read {', '.join(sorted(kinds))}, which ionzoo "
                             "channels cannot")
    return substitute(tree, mapping)

