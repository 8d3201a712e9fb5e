"""NeuroML2 import: the files people publish, read into ionzoo channels and neurons.

Reads a file and the local files it ``<include>``s (relative paths only — never a URL, an
absolute path or anything but ``.nml``/``.xml``; cycles and depth checked), every ion channel
spelling (``ionChannelHH``, ``ionChannel type="ionChannelHH"``, ``ionChannelPassive``), the gate
kinds ``gateHHrates``, ``gateHHtauInf``, ``gateHHratesTau``, ``gateHHratesInf``,
``gateHHratesTauInf``, ``gateHHInstantaneous`` (also spelled ``<gate type=…>``) and
``gateFractional`` (weighted sub-gates), standard
rate forms and LEMS ComponentTypes (:mod:`ionzoo.interop.nml_lems`), every NeuroML unit of the
dimensions read (:mod:`ionzoo.interop.nml_units`), one-segment cells (cylinders, frusta and
spheres), ``channelDensity``, ``channelDensityNernst``, ``channelDensityVShift`` and
``channelDensityGHK``, and calcium pools. Errors name the file, the line and the element.
"""

from __future__ import annotations

import dataclasses
import math
import re
from pathlib import Path
from typing import Any

from ..errors import ValidationError
from ..expr import Expr, Num, Where
from ..io.documents import read_bytes
from ..model.channel import Q10, Channel, FixedFactor, Gate, Provenance
from ..model.neuron import Neuron
from ..model.rates import ExprRate
from .neuroml import (
    _BASE,
    _FROM_RATE,
    _FROM_VAR,
    _GATE_ORDER,
    _GATE_RULES,
    _METHOD,
    _count,
    _from_lems,
    _plain,
    _q,
)
from .nml_lems import translate
from .nml_pools import custom_pool

__all__ = ["read"]



class _RateReader:
    """Rates of one imported channel: standard NeuroML forms, or ionzoo-form ComponentTypes
    (collecting the channel parameters they declare as ``P_<name>`` constants)."""

    def __init__(self, ctypes: dict) -> None:
        self.ctypes = ctypes
        self.params: dict[str, float] = {}

    def custom(self, type_name: str, kind: str, w: str, extra: dict | None = None) -> ExprRate:
        ct = self.ctypes.get(type_name)
        if ct is None:
            raise ValidationError(w, f"unknown rate type {type_name!r} (neither a standard "
                                  "NeuroML form nor a ComponentType in the file or its "
                                  "includes)")
        base_v, base_c, exposure, _ = _BASE[kind]
        if ct.extends not in (base_v, base_c):
            raise ValidationError(w, f"ComponentType {type_name!r} extends {ct.extends!r}, "
                                  f"expected {base_v!r} or {base_c!r}")
        if not _ionzoo_form(ct, exposure):
            tree = translate(ct, exposure, w, extra)
            if "vShift" in tree.names:
                self.params.setdefault("vShift", 0.0)
            return ExprRate(str(tree))
        dyn = ct.Dynamics[0]
        for c in ct.Constant or []:
            if c.name.startswith("P_"):
                key, val = c.name[2:], _plain(c.value, f"{w}.Constant[{c.name}]")
                if self.params.setdefault(key, val) != val:
                    raise ValidationError(w, f"parameter {key!r} has two values in this "
                                          f"channel ({self.params[key]!r}, {val!r})")
        suffix = {"rate": "/ MS", "time": "* MS", "variable": ""}[kind]
        w = f"{w}: ComponentType[{type_name}]"
        lifted = _lifted(dyn, self.params, w)
        dv = {d.name: d.value for d in dyn.DerivedVariable}
        if exposure in dv:
            return ExprRate(str(_from_lems(_strip(dv[exposure], suffix, w), w, self.params,
                                           lifted)))
        cases = dyn.ConditionalDerivedVariable[0].Case  # the export's pulled-up cases
        if not cases or cases[-1].condition or any(not c.condition for c in cases[:-1]):
            raise ValidationError(w, "expected cases with conditions, the last the default")
        tree = _from_lems(_strip(cases[-1].value, suffix, w), w, self.params, lifted)
        for case in reversed(cases[:-1]):
            tree = Where(_from_lems(case.condition, w, self.params, lifted, condition=True),
                         _from_lems(_strip(case.value, suffix, w), w, self.params, lifted),
                         tree)
        return ExprRate(str(tree))

    def rate(self, el, w: str, extra: dict | None = None):
        if el.type in _FROM_RATE:
            return _FROM_RATE[el.type](_q(el.rate, "per_ms", f"{w}.rate"),
                                       _q(el.midpoint, "mV", f"{w}.midpoint"),
                                       _q(el.scale, "mV", f"{w}.scale"))
        return self.custom(el.type, "rate", w, extra)

    def variable(self, el, w: str):
        if el.type in _FROM_VAR:
            return _FROM_VAR[el.type](float(el.rate), _q(el.midpoint, "mV", f"{w}.midpoint"),
                                      _q(el.scale, "mV", f"{w}.scale"))
        return self.custom(el.type, "variable", w)

    def time(self, el, w: str, extra: dict | None = None):
        if el.type == "fixedTimeCourse":
            return ExprRate(repr(_q(el.tau, "ms", f"{w}.tau")))
        return self.custom(el.type, "time", w, extra)


def _ionzoo_form(ct, exposure: str) -> bool:
    """Whether a ComponentType is in the form ionzoo's export writes (``V = v / MV``, lifted
    variables ``D<k>``/``W<k>``)."""
    dyn = ct.Dynamics[0] if ct.Dynamics else None
    if dyn is None or dyn.StateVariable or dyn.Regime:
        return False
    dv = {d.name: d.value for d in dyn.DerivedVariable}
    cdv = [c.name for c in dyn.ConditionalDerivedVariable]
    lifted = [d.name for d in dyn.DerivedVariable if d.name not in ("V", "CAI", "CELSIUS",
                                                                      exposure)]
    return (dv.get("V", "").replace(" ", "") == "v/MV"
            and (exposure in dv or cdv == [exposure])
            and all(re.fullmatch(r"D\d+", n) for n in lifted))


def _lifted(dyn, params: dict, w: str) -> dict[str, Expr]:
    """The trees of an ionzoo export's long sub-expressions ``D<k>``, in the order written."""
    out: dict[str, Expr] = {}
    for d in sorted((d for d in dyn.DerivedVariable if re.fullmatch(r"D\d+", d.name)),
                    key=lambda d: int(d.name[1:])):
        out[d.name] = _from_lems(d.value, w, params, out)
    return out


def _strip(value: str, suffix: str, w: str) -> str:
    value = value.strip()
    if suffix:
        if not value.endswith(suffix):
            raise ValidationError(w, f"value must end with {suffix!r}")
        value = value[: -len(suffix)].strip()
    return value


def _q10_rule(settings, w: str) -> tuple:
    """A gate's ``q10Settings`` as ("none",), ("q10", q10, T_ref) or ("fixed", factor)."""
    if settings is None:
        return ("none",)
    if settings.type == "q10ExpTemp":
        return ("q10", _plain(settings.q10_factor, f"{w}.q10Factor"),
                _q(settings.experimental_temp, "degC", f"{w}.experimentalTemp"))
    if settings.type == "q10Fixed":
        return ("fixed", _plain(settings.fixed_q10, f"{w}.fixedQ10"))
    raise ValidationError(w, f"q10Settings type {settings.type!r} is not supported")


_GATE_LISTS = {"gate_hh_rates": "gateHHrates", "gate_hh_tau_infs": "gateHHtauInf",
               "gate_hh_instantaneouses": "gateHHInstantaneous",
               "gate_h_hrates_taus": "gateHHratesTau", "gate_h_hrates_infs": "gateHHratesInf",
               "gate_h_hrates_tau_infs": "gateHHratesTauInf"}


def _tree(rate) -> Expr:
    return rate.expression(None)


def _gate_kind(type_name: str, ctypes: dict) -> str:
    """A gate's kind; a ComponentType extending ``gateHHtauInf`` whose ``q`` is its ``inf``
    (Pospischil's ``IT_s_gate``) is an instantaneous gate."""
    ct = ctypes.get(type_name)
    if ct is None or ct.extends not in _GATE_LISTS.values():
        return type_name
    dyn = ct.Dynamics[0] if ct.Dynamics else None
    q = [d for d in (dyn.DerivedVariable if dyn else []) if d.name == "q"]
    if q and (q[0].value or "").strip() == "inf" and ct.extends == "gateHHtauInf":
        return "gateHHInstantaneous"
    return type_name


def _one_gate(g, kind: str, reader: _RateReader, w: str) -> Gate:
    """A gate of NeuroML ``kind`` (the α/β-with-τ/x∞ kinds combine their rates into x∞, τ)."""
    n = _count(g.instances, f"{w}.instances")
    if kind == "gateHHrates":  # a reverse rate may read the forward one (Traub's kc)
        alpha = reader.rate(g.forward_rate, f"{w}.forwardRate")
        return Gate(g.id, n, alpha=alpha, beta=reader.rate(g.reverse_rate, f"{w}.reverseRate",
                                                           {"alpha": _tree(alpha)}))
    if kind == "gateHHtauInf":
        return Gate(g.id, n, inf=reader.variable(g.steady_state, f"{w}.steadyState"),
                    tau=reader.time(g.time_course, f"{w}.timeCourse"))
    if kind == "gateHHratesTauInf":  # the time course may read the gate's α and β
        extra = {}
        if g.forward_rate is not None and g.reverse_rate is not None:
            extra = {"alpha": _tree(reader.rate(g.forward_rate, f"{w}.forwardRate")),
                     "beta": _tree(reader.rate(g.reverse_rate, f"{w}.reverseRate"))}
        return Gate(g.id, n, inf=reader.variable(g.steady_state, f"{w}.steadyState"),
                    tau=reader.time(g.time_course, f"{w}.timeCourse", extra))
    if kind == "gateHHInstantaneous":
        return Gate(g.id, n, inf=reader.variable(g.steady_state, f"{w}.steadyState"),
                    instantaneous=True)
    if kind == "gateFractional":
        return Gate(g.id, n, parts=tuple(_sub_gate(sub, reader, f"{w}.subGate[{sub.id}]")
                                         for sub in g.sub_gates or []))
    if kind in ("gateHHratesTau", "gateHHratesInf"):
        a = _tree(reader.rate(g.forward_rate, f"{w}.forwardRate"))
        b = _tree(reader.rate(g.reverse_rate, f"{w}.reverseRate"))
        if kind == "gateHHratesTau":  # x∞ = α/(α + β), τ given
            return Gate(g.id, n, inf=ExprRate(str(a / (a + b))),
                        tau=reader.time(g.time_course, f"{w}.timeCourse"))
        return Gate(g.id, n, inf=reader.variable(g.steady_state, f"{w}.steadyState"),
                    tau=ExprRate(str(Num(1.0) / (a + b))))
    raise ValidationError(w, f"gate type {kind!r} is not supported (gateHHrates, "
                          "gateHHtauInf, gateHHratesTau, gateHHratesInf, gateHHratesTauInf, "
                          "gateHHInstantaneous, gateFractional are; kinetic schemes are not)")


def _sub_gate(sub, reader: _RateReader, w: str) -> tuple[float, Gate]:
    """(fractionalConductance, gate of power 1) of a ``subGate``: x∞ and τ, τ divided by the
    fractional gate's rate scale (its q10Settings) as in NeuroML's ``subGate``."""
    if sub.q10_settings is not None:
        raise ValidationError(f"{w}.q10Settings", "a subGate follows its gateFractional's "
                              "q10Settings (NeuroML's subGate has no rate scale of its own)")
    if sub.steady_state is None or sub.time_course is None:
        raise ValidationError(w, "a subGate needs its steadyState and timeCourse")
    weight = _plain(sub.fractional_conductance, f"{w}.fractionalConductance")
    return weight, Gate(sub.id, 1, inf=reader.variable(sub.steady_state, f"{w}.steadyState"),
                        tau=reader.time(sub.time_course, f"{w}.timeCourse"))


def _gates_from(ion_channel, reader: _RateReader, where: str) -> tuple[list, dict]:
    """The gates (by kind as NeuroML lists them, then ``<gate type=…>`` in document order) and
    each kinetic gate's rule."""
    items = [(kind, g) for attr, kind in _GATE_LISTS.items()
             for g in getattr(ion_channel, attr, None) or []]
    items += [("gateFractional", g) for g in getattr(ion_channel, "gate_fractionals", None) or []]
    items += [(_gate_kind(g.type or "", reader.ctypes), g)
              for g in getattr(ion_channel, "gates", None) or []]
    gates, rules = [], {}
    for kind, g in items:
        w = f"{where}.{kind}[{g.id}]"
        if kind != "gateHHInstantaneous":
            rules[g.id] = _q10_rule(g.q10_settings, w)
        gates.append(_one_gate(g, kind, reader, w))
    return gates, rules


def _channel_from(ion_channel, ctypes: dict, where: str) -> Channel:
    kind = getattr(ion_channel, "type", None)
    if kind not in (None, "ionChannelHH", "ionChannelPassive"):
        raise ValidationError(where, f"ionChannel type {kind!r} is not supported "
                              "(ionChannelHH and ionChannelPassive are)")
    reader = _RateReader(ctypes)
    gates, rules = _gates_from(ion_channel, reader, where)
    conductance = bool(ion_channel.q10_conductance_scalings)

    def make(r):
        if r[0] == "q10":
            return Q10(r[1], r[2], conductance)
        return FixedFactor(r[1]) if r[0] == "fixed" else None

    notes = ion_channel.notes or ""
    rule = None
    if _GATE_RULES in notes or len(set(rules.values())) > 1:  # each gate its own rule
        gates = [dataclasses.replace(g, temperature=make(rules[g.name]) or "none")
                 if g.name in rules else g for g in gates]
    elif rules:
        rule = make(next(iter(rules.values())))
    method = "cnexp"
    if _METHOD in notes:
        head, _, tail = notes.partition(_METHOD)
        method = tail.split()[0] if tail.split() else ""
        notes = (head + " ".join(tail.split()[1:])).strip()
    notes = notes.replace(_GATE_RULES, "").strip()
    if _GATE_ORDER in notes:
        notes, _, order = notes.partition(_GATE_ORDER)
        names = order.split()
        if sorted(names) != sorted(g.name for g in gates):
            raise ValidationError(where, f"'{_GATE_ORDER}' names other gates: {names}")
        gates.sort(key=lambda g: names.index(g.name))
        notes = notes.strip()
    return Channel(name=ion_channel.id, gates=tuple(gates), ion=ion_channel.species,
                   temperature=rule, params=reader.params, method=method,
                   description=f"imported from NeuroML ({ion_channel.id})",
                   provenance=Provenance(notes or "NeuroML import"))


def _parse(raw: bytes, where: str):
    """A NeuroMLDocument from the bytes of a file, parsed in memory by a parser that resolves
    no entities, loads no DTD and opens no file or network address (libNeuroML's own loaders
    take text that does not start with ``<`` for a file name, print the document, and exit the
    process on some errors); DOCTYPE and ENTITY declarations — how XML files read other files
    or explode in memory — are refused outright. ``<include>`` is not followed."""
    from lxml import etree
    from neuroml.nml import nml as generated

    if b"<!doctype" in raw.lower() or b"<!entity" in raw.lower():
        raise ValidationError(where, "DOCTYPE and ENTITY declarations are not allowed in "
                              "NeuroML files read by ionzoo")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             dtd_validation=False, huge_tree=False, remove_comments=True,
                             remove_pis=True)
    try:
        root = etree.fromstring(raw, parser)
        _tag, root_class = generated.get_root_tag(root)
        if root_class is not generated.NeuroMLDocument:
            raise ValidationError(where, f"the root element is <{etree.QName(root).localname}>, "
                                  "not <neuroml>")
        doc = root_class.factory()
        doc.build(root, gds_collector_=generated.GdsCollector_())
        # the top-level elements as written (custom ComponentType instances libNeuroML drops)
        doc.iz_elements = [(etree.QName(el).localname, dict(el.attrib), el.sourceline)
                           for el in root if isinstance(el.tag, str)]
        doc.iz_lines = {el.get("id"): el.sourceline for el in root.iter()
                        if isinstance(el.tag, str) and el.get("id")}
        doc.iz_children = {el.get("id"): [(etree.QName(c).localname, dict(c.attrib),
                                           c.sourceline) for c in el if isinstance(c.tag, str)]
                           for el in root if isinstance(el.tag, str)
                           and etree.QName(el).localname.startswith("ionChannel")}
        return doc
    except ValidationError:
        raise
    except (Exception, SystemExit) as exc:
        first = str(exc).splitlines()[0][:300] if str(exc) else type(exc).__name__
        raise ValidationError(where, f"cannot read NeuroML2: {first}") from None


#: Limits of ``<include>``: nesting depth and the number of files one read may open.
MAX_INCLUDE_DEPTH = 16
MAX_INCLUDED_FILES = 200
_INCLUDE_SUFFIXES = (".nml", ".xml")


def _include_target(base: Path, href: object, where: str) -> Path:
    """The local file an ``<include href>`` names: a relative path ending in .nml or .xml,
    resolved against the including file's folder — never a URL, an absolute path or a
    home-directory path (nothing is ever fetched)."""
    text = str(href or "")
    w = f"{where}: <include href={text[:120]!r}>"
    if not text or "://" in text or text.startswith(("/", "\\", "~")) or ":" in text \
            or "\x00" in text:
        raise ValidationError(w, "only relative paths to local files are followed (no URL, "
                              "absolute path or drive)")
    if not text.lower().endswith(_INCLUDE_SUFFIXES):
        raise ValidationError(w, "an included file must end in .nml or .xml")
    target = (base.parent / text)
    if not target.is_file():
        raise ValidationError(w, "no such file")
    return target.resolve()


#: The ComponentType libraries every LEMS simulation file includes (jNeuroML's own).
_LEMS_LIBRARIES = {"Cells.xml", "Networks.xml", "Simulation.xml", "NeuroML2CoreTypes.xml",
                   "Inputs.xml", "Synapses.xml", "Channels.xml", "PyNN.xml",
                   "NeuroMLCoreDimensions.xml", "NeuroMLCoreCompTypes.xml"}


def _lems_includes(raw: bytes, where: str) -> list[str] | None:
    """For a LEMS simulation file (root ``<Lems>``): the files it includes, without jNeuroML's
    standard libraries; None for any other file. Parsed as safely as NeuroML files."""
    from lxml import etree

    head = raw[:2000].lower()
    if b"<lems" not in head or b"<!doctype" in raw.lower() or b"<!entity" in raw.lower():
        return None
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False, remove_comments=True, remove_pis=True)
    try:
        root = etree.fromstring(raw, parser)
    except etree.XMLSyntaxError as exc:
        raise ValidationError(where, f"cannot read LEMS: {str(exc)[:200]}") from None
    if etree.QName(root).localname != "Lems":
        return None
    return [el.get("file", "") for el in root if isinstance(el.tag, str)
            and etree.QName(el).localname == "Include"
            and el.get("file", "") not in _LEMS_LIBRARIES]


def _load(path: Path) -> list[tuple[str, Any]]:
    """(name, document) of ``path`` and every file it includes, included files first."""
    out: list[tuple[str, Any]] = []
    seen: set[Path] = set()

    def visit(p: Path, chain: tuple[Path, ...]) -> None:
        if len(chain) > MAX_INCLUDE_DEPTH:
            raise ValidationError(p.name, f"includes nested more than {MAX_INCLUDE_DEPTH} deep")
        if len(seen) >= MAX_INCLUDED_FILES:
            raise ValidationError(p.name, f"more than {MAX_INCLUDED_FILES} included files")
        seen.add(p)
        raw = read_bytes(p)
        lems = _lems_includes(raw, p.name)
        doc: Any = None
        if lems is not None:
            hrefs: list = lems
        else:
            doc = _parse(raw, p.name)
            hrefs = [inc.href for inc in doc.includes or []]
        for href in hrefs:
            target = _include_target(p, href, p.name)
            if target in chain:
                names = " → ".join(x.name for x in (*chain, target))
                raise ValidationError(f"{p.name}: <include href={href!r}>",
                                      f"include cycle ({names})")
            if target not in seen:
                visit(target, (*chain, target))
        if doc is not None:
            out.append((p.name, doc))

    visit(path.resolve(), (path.resolve(),))
    return out


def _channels_of(docs) -> tuple[dict[str, Channel], dict]:
    """Every ion channel of the documents (all spellings), their ComponentTypes merged."""
    ctypes: dict = {}
    for _, doc in docs:
        for ct in doc.ComponentType:
            ctypes.setdefault(ct.name, ct)
    chans: dict[str, Channel] = {}
    for name, doc in docs:
        for el in (*doc.ion_channel_kses,):
            raise ValidationError(f"{name}: ionChannelKS[{el.id}]", "kinetic-scheme channels "
                                  "are not supported (HH-type gates only)")
        for el in (*doc.ion_channel_hhs, *doc.ion_channel):
            if el.id in chans:
                continue
            children = getattr(doc, "iz_children", {}).get(el.id, [])
            where = f"{name}:{_line(doc, el.id)}: ionChannel[{el.id}]"
            ch = _channel_from(el, ctypes, where)
            chans[el.id] = _with_scaling(ch, children, ctypes, where)
    return chans, ctypes


#: Children of an ionChannel element that ionzoo reads (others are refused, not dropped).
_CHANNEL_CHILDREN = {"notes", "annotation", "property", "gate", "gateHHrates", "gateHHtauInf",
                     "gateHHratesTau", "gateHHratesInf", "gateHHratesTauInf",
                     "gateHHInstantaneous", "gateFractional", "q10ConductanceScaling",
                     "baseConductanceScalingCaDependent", "baseConductanceScaling"}


def _with_scaling(ch: Channel, children: list, ctypes: dict, where: str) -> Channel:
    """Refuse any child element libNeuroML would drop; a conductance scaling ComponentType
    (Traub's calcium-dependent ``cond_scaling_kc``) becomes the conductance factor."""
    for tag, attrs, line in children:
        if tag not in _CHANNEL_CHILDREN:
            raise ValidationError(f"{where} (line {line}): <{tag}>", "not supported")
        if tag.startswith("baseConductanceScaling"):
            ct = ctypes.get(attrs.get("type", ""))
            if ct is None:
                raise ValidationError(f"{where} (line {line}): <{tag}>", "unknown type "
                                      f"{attrs.get('type')!r}")
            tree = translate(ct, "factor", f"{where} (line {line})")
            ch = dataclasses.replace(ch, conductance_factor=ExprRate(str(tree)))
    return ch


def _line(doc, element_id: str) -> str:
    """The line of the element with ``id`` in its file ('?' where unknown)."""
    return str(getattr(doc, "iz_lines", {}).get(element_id, "?"))


def _custom_pools(docs, ctypes: dict) -> dict:
    """id → (ComponentType, attributes) of each instance of a concentration-model type the
    files define (``<decayingPoolConcentrationModelPosp id=…>`` or ``<concentrationModel
    type=…>``)."""
    out: dict = {}
    for _, doc in docs:
        for tag, attrs, _line in getattr(doc, "iz_elements", []):
            name = attrs.get("type") if tag == "concentrationModel" else tag
            ct = ctypes.get(name)
            if ct is not None and ct.extends == "concentrationModel" and "id" in attrs:
                out[attrs["id"]] = (ct, attrs)
    return out


def read(path: str | Path, temperature: float | None = None) -> Neuron | dict[str, Channel]:
    """Read a NeuroML2 file and the local files it includes: its cell as a :class:`Neuron`
    (when there is exactly one cell), else its ion channels as ``{id: Channel}``.

    ``temperature`` (°C) is the cell's temperature where the files give none (NeuroML keeps it
    on a ``<network>``, which a cell file often lacks) and overrides theirs where they do; a
    cell without a temperature and no ``temperature`` is an error, never a silent default.
    """
    path = Path(path)
    docs = _load(path)
    chans, ctypes = _channels_of(docs)
    cells = [(name, c) for name, doc in docs for c in doc.cells]
    if not cells:
        return chans
    if len(cells) != 1:
        raise ValidationError(path.name, f"{len(cells)} cells in the file and its includes; "
                              "only one-cell files are read as a neuron")
    pools: dict = {}
    for _, doc in docs:
        pools.update({m.id: m for m in doc.fixed_factor_concentration_models})
        pools.update({m.id: m for m in doc.decaying_pool_concentration_models})
    pools.update(_custom_pools(docs, ctypes))
    network_t = [n.temperature for _, doc in docs for n in doc.networks
                 if getattr(n, "temperature", None)]
    name, cell = cells[0]
    doc = next(d for n, d in docs if n == name and cell in d.cells)
    return _neuron_from(cell, chans, f"{name}:{_line(doc, cell.id)}", pools,
                        temperature if temperature is not None else
                        (network_t[0] if network_t else None))


def _temperature(cell, given: float | str | None, w: str) -> float:
    """The cell's temperature (°C): ``given`` (a number, or a network's ``"6.3 degC"``), else
    ionzoo's ``temperature`` property of the cell; neither is an error."""
    if isinstance(given, str):
        return _q(given, "degC", f"{w}: network temperature")
    if given is not None:
        return float(given)
    temps = [pr.value for pr in (cell.properties or []) if pr.tag == "temperature"]
    if not temps:
        raise ValidationError(f"{w}: temperature", "the file gives no temperature: pass "
                              "temperature= (°C) to read(), or --temperature to ionzoo import")
    return _q(temps[0], "degC", f"{w}.property[temperature]")


def _pool_from(model, species, area_um2: float, w: str, props: dict):
    """ionzoo Calcium for a NeuroML concentration model (see the module docstring)."""
    import neuroml

    from ..model.ions import FARADAY, Calcium

    w = f"{w}.{type(model).__name__}[{model.id}]"
    cai = _q(species.initial_concentration, "mM", f"{w}.initialConcentration")
    cao = _q(species.initial_ext_concentration, "mM", f"{w}.initialExtConcentration")
    rest = _q(model.resting_conc, "mM", f"{w}.restingConc")
    if isinstance(model, neuroml.DecayingPoolConcentrationModel):
        tau = _q(model.decay_constant, "ms", f"{w}.decayConstant")
        shell = _q(model.shell_thickness, "um", f"{w}.shellThickness")
        r = math.sqrt(area_um2 / (4 * 3.14159))  # NeuroML's effective radius (its own pi)
        if not 0 < shell <= r:
            raise ValidationError(f"{w}.shellThickness", f"must lie in (0, {r:g}] µm")
        volume = 4 * r ** 3 * 3.14159 / 3 - 4 * (r - shell) ** 3 * 3.14159 / 3  # µm³
        return Calcium(cai=cai, cao=cao, pool="hay", depth=volume / area_um2, tau=tau,
                       cai_rest=rest, gamma=FARADAY / 96485.3)
    rho = _q(model.rho, "mol_per_m_per_A_per_s", f"{w}.rho")
    tau = _q(model.decay_constant, "ms", f"{w}.decayConstant")
    if rho == 0.0:
        return Calcium(cai=cai, cao=cao)
    kind = props.get("ionzoo.ca_pool", "hay")
    if kind not in ("hay", "destexhe"):
        raise ValidationError(f"{w}: property ionzoo.ca_pool", f"unknown pool {kind!r}")
    depth = _plain(props.get("ionzoo.ca_depth_um", 0.1), f"{w}: property ionzoo.ca_depth_um")
    gamma = _plain(props.get("ionzoo.ca_gamma", rho * 2.0 * FARADAY * depth * 1e-6),
                   f"{w}: property ionzoo.ca_gamma")
    if not math.isclose(gamma / (2.0 * FARADAY * depth * 1e-6), rho, rel_tol=1e-12):
        raise ValidationError(f"{w}.rho", "disagrees with the cell's ionzoo.ca_gamma and "
                              "ionzoo.ca_depth_um properties")
    return Calcium(cai=cai, cao=cao, pool=kind, depth=depth, tau=tau, cai_rest=rest,
                   gamma=gamma)


def _segment_area(p, d, w: str) -> float:
    """Membrane area (µm²) of a one-segment cell: a sphere where proximal and distal points
    coincide (NeuroML's spherical soma, diameter d: π·d²), else the lateral surface of the
    frustum between the two ends (a cylinder where the diameters are equal)."""
    ends = [[_q(getattr(pt, k), "um", f"{w}.{name}.{k}") if not isinstance(getattr(pt, k), (
        int, float)) else float(getattr(pt, k)) for k in "xyz"]
            for pt, name in ((p, "proximal"), (d, "distal"))]
    r1 = _plain(p.diameter, f"{w}.proximal.diameter") / 2.0
    r2 = _plain(d.diameter, f"{w}.distal.diameter") / 2.0
    length = math.dist(*ends)
    if length == 0.0:
        if r1 != r2:
            raise ValidationError(w, "a zero-length segment with two diameters")
        return math.pi * (2.0 * r2) ** 2
    if r1 == r2:
        return 2.0 * math.pi * r2 * length
    return math.pi * (r1 + r2) * math.sqrt((r1 - r2) ** 2 + length ** 2)


def _placed(ch: Channel, element: str, dens, w: str) -> Channel:
    """The channel with its density's conductance, reversal and (VShift) voltage shift."""
    from dataclasses import replace

    w = f"{w}[{dens.id}]"
    if element == "channelDensityGHK":
        if (ch.ion or dens.ion) != "ca":
            raise ValidationError(w, "a GHK density is supported for calcium only")
        return replace(ch, gbar=_q(dens.permeability, "cm_per_s", f"{w}.permeability"),
                       e="ghk", ion="ca")
    gbar = _q(dens.cond_density, "mS_per_cm2", f"{w}.condDensity")
    if element == "channelDensityNernst":
        return replace(ch, gbar=gbar, e="nernst", ion="ca")
    # the channel's species names its ion; else the density's (na/k/ca)
    ion = ch.ion or (dens.ion if dens.ion in ("na", "k", "ca") else None)
    out = replace(ch, gbar=gbar, e=_q(dens.erev, "mV", f"{w}.erev"), ion=ion)
    if element == "channelDensityVShift":
        shift = _q(dens.v_shift, "mV", f"{w}.vShift")
        if "vShift" not in ch.params:
            raise ValidationError(w, f"ionChannel {ch.name!r} reads no vShift")
        out = out.with_defaults(vShift=shift)
    return out


def _neuron_from(cell, chans: dict, where: str, pools: dict | None = None,
                 temperature: float | str | None = None) -> Neuron:

    w = f"{where}: cell[{cell.id}]"
    segs = cell.morphology.segments if cell.morphology else []
    if len(segs) != 1:
        raise ValidationError(w, f"only single-segment cells are supported (found {len(segs)})")
    seg = segs[0]
    p, d = seg.proximal, seg.distal
    if p is None or d is None:
        raise ValidationError(f"{w}.segment", "needs a proximal and a distal point")
    area = _segment_area(p, d, f"{w}.segment")
    if cell.biophysical_properties is None or \
            cell.biophysical_properties.membrane_properties is None:
        raise ValidationError(w, "needs <biophysicalProperties> with <membraneProperties>")
    mp = cell.biophysical_properties.membrane_properties
    for attr in ("channel_populations", "channel_density_ghk2s",
                 "channel_density_non_uniforms", "channel_density_non_uniform_nernsts",
                 "channel_density_non_uniform_ghks"):
        if getattr(mp, attr, None):
            raise ValidationError(f"{w}.membraneProperties", f"<{attr}> is not supported")
    placed = []  # (position of the ionChannel in the document, channel)
    order = {cid: k for k, cid in enumerate(chans)}
    densities = [("channelDensity", d) for d in mp.channel_densities] + \
        [("channelDensityVShift", d) for d in mp.channel_density_v_shifts] + \
        [("channelDensityNernst", d) for d in mp.channel_density_nernsts] + \
        [("channelDensityGHK", d) for d in mp.channel_density_ghks]
    for element, dens in densities:
        ch = chans.get(dens.ion_channel)
        if ch is None:
            raise ValidationError(f"{w}.{element}[{dens.id}]",
                                  f"unknown ionChannel {dens.ion_channel!r}")
        placed.append((order[dens.ion_channel], _placed(ch, element, dens, f"{w}.{element}")))
    # ionzoo writes channels in the neuron's order: keep it (it fixes the order in which
    # currents are summed, so a round trip is bitwise)
    channels = [ch for _, ch in sorted(placed, key=lambda pair: pair[0])]
    for attr, element in (("specific_capacitances", "specificCapacitance"),
                          ("init_memb_potentials", "initMembPotential")):
        if len(getattr(mp, attr)) != 1:
            raise ValidationError(f"{w}.membraneProperties", f"needs exactly one <{element}>")
    cap = _q(mp.specific_capacitances[0].value, "uF_per_cm2", f"{w}.specificCapacitance")
    v_init = _q(mp.init_memb_potentials[0].value, "mV", f"{w}.initMembPotential")
    temperature = _temperature(cell, temperature, w)
    calcium = None
    species = cell.biophysical_properties.intracellular_properties
    species = species.species if species is not None else []
    if len(species) > 1 or (species and species[0].ion != "ca"):
        raise ValidationError(f"{w}.species", "only one species, calcium, is supported")
    if species:
        sp = species[0]
        model = (pools or {}).get(sp.concentration_model)
        if model is None:
            raise ValidationError(f"{w}.species[{sp.id}]", "unknown concentrationModel "
                                  f"{sp.concentration_model!r}")
        props = {pr.tag: pr.value for pr in (cell.properties or [])}
        if isinstance(model, tuple):  # an instance of a custom ComponentType
            calcium = custom_pool(model[0], model[1], sp, f"{w}.species[{sp.id}]")
        else:
            calcium = _pool_from(model, sp, area, f"{w}.species[{sp.id}]", props)
    return Neuron(channels=tuple(channels), capacitance=cap, temperature=temperature,
                  v_init=v_init, name=cell.id, area=area, calcium=calcium)
