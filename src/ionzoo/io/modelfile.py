"""Model files: channels and neurons as YAML or JSON documents.

Model files are data. They are read with ``yaml.safe_load``/``json.loads`` (no tags, no object
construction), every key is checked against a fixed schema, unknown or missing keys are errors
naming their location (``channels[1].gates[0].alpha.form``), and rate expressions are parsed by
:mod:`ionzoo.expr` — nothing in a file is ever executed.

A neuron document::

    ionzoo: 1
    kind: neuron
    name: hh1952
    capacitance: 1.0        # µF/cm²
    temperature: 6.3        # °C
    v_init: -65.0           # mV
    channels:
      - name: Na
        gbar: 120.0         # mS/cm²
        e: 50.0             # mV (or "nernst")
        ion: na
        temperature: {q10: 3.0, reference: 6.3, conductance: false}
        gates:
          - {name: m, power: 3,
             alpha: {form: explinear, rate: 1.0, midpoint: -40.0, scale: 10.0},
             beta: {form: exp, rate: 4.0, midpoint: -65.0, scale: -18.0}}
      ...
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import yaml

from ..errors import ValidationError
from ..limits import MAX_CHANNELS, MAX_GATES
from ..model.channel import Q10, Channel, FixedFactor, Gate, Provenance
from ..model.ions import Calcium
from ..model.neuron import Neuron
from ..model.params import text as _free_text
from ..model.rates import as_rate
from .atomic import write_text_atomic
from .documents import load_document

__all__ = ["channel_to_dict", "channel_from_dict", "neuron_to_dict", "neuron_from_dict",
           "save", "load", "FORMAT_VERSION"]

FORMAT_VERSION = 1


def _keys(where: str, doc: Any, required: set[str], optional: set[str]) -> dict:
    if not isinstance(doc, dict):
        raise ValidationError(where, f"expected a mapping, got {type(doc).__name__}")
    unknown = set(doc) - required - optional
    if unknown:
        raise ValidationError(where, f"unknown key(s) {sorted(map(str, unknown))}")
    missing = required - set(doc)
    if missing:
        raise ValidationError(where, f"missing key(s) {sorted(missing)}")
    return doc


def _num(where: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValidationError(where, f"expected a number, got {_shown(value)}")
    try:
        out = float(value)
    except OverflowError:
        raise ValidationError(where, "number too large") from None
    if not math.isfinite(out):
        raise ValidationError(where, f"expected a finite number, got {out!r}")
    return out


def _bool(where: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValidationError(where, f"expected true or false, got {_shown(value)}")
    return value


def _list(where: str, value: Any, limit: int) -> list:
    if not isinstance(value, list):
        raise ValidationError(where, f"expected a list, got {type(value).__name__}")
    if len(value) > limit:
        raise ValidationError(where, f"more than {limit} entries")
    return value


def _shown(value: Any) -> str:
    """A value for an error message: short, whatever it is."""
    text = repr(value) if isinstance(value, (str, int, float, type(None))) else \
        f"a {type(value).__name__}"
    return text if len(text) <= 60 else text[:57] + "..."


# ---------------------------------------------------------------------------------- channels
def channel_to_dict(channel: Channel) -> dict:
    """A channel as plain data."""
    return channel.to_dict()


def channel_from_dict(doc: Any, where: str = "channel") -> Channel:
    """Build a :class:`Channel` from plain data (validated; see the module docstring)."""
    d = _keys(where, doc, {"name", "gates", "gbar", "e"},
              {"ion", "temperature", "params", "provenance", "description", "method",
               "conductance_factor", "instantaneous_jacobian"})
    gates_doc = _list(f"{where}.gates", d["gates"], MAX_GATES)
    gates = [_gate_from_dict(f"{where}.gates[{i}]", g) for i, g in enumerate(gates_doc)]
    temperature = None
    if d.get("temperature") is not None:
        temperature = _rule(f"{where}.temperature", d["temperature"])
    provenance = None
    if d.get("provenance") is not None:
        pw = f"{where}.provenance"
        pd = _keys(pw, d["provenance"], {"citation"}, {"model_file", "notes"})
        provenance = Provenance(_free_text(f"{pw}.citation", pd["citation"]),
                                _free_text(f"{pw}.model_file", pd.get("model_file", "")),
                                _free_text(f"{pw}.notes", pd.get("notes", "")))
    params = d.get("params", {})
    if params is None:
        params = {}
    if not isinstance(params, dict):
        raise ValidationError(f"{where}.params", "expected a mapping of name: number")
    e = d["e"] if isinstance(d["e"], str) and d["e"] in ("nernst", "ghk") \
        else _num(f"{where}.e", d["e"])
    return Channel(name=d["name"], gates=tuple(gates), gbar=_num(f"{where}.gbar", d["gbar"]),
                   e=e, ion=d.get("ion"), temperature=temperature,
                   params={k: _num(f"{where}.params.{k}", v) for k, v in params.items()},
                   provenance=provenance,
                   description=_free_text(f"{where}.description", d.get("description", "")),
                   method=d.get("method", "cnexp"),
                   conductance_factor=(None if d.get("conductance_factor") is None else
                                       as_rate(d["conductance_factor"],
                                               f"{where}.conductance_factor")),
                   instantaneous_jacobian=_free_text(f"{where}.instantaneous_jacobian",
                                                     d.get("instantaneous_jacobian", "full")))


def _gate_from_dict(gw: str, g: Any, part: bool = False) -> Gate:
    """A gate from ``{name, power, alpha/beta | inf/tau | parts, ...}``; a part of a fractional
    gate also has its ``weight`` and may not have parts of its own."""
    optional = {"alpha", "beta", "inf", "tau", "instantaneous", "temperature"}
    gd = _keys(gw, g, {"name", "power", "weight"} if part else {"name", "power"},
               optional if part else optional | {"parts"})
    rates = {k: as_rate(gd[k], f"{gw}.{k}") for k in ("alpha", "beta", "inf", "tau") if k in gd}
    rule = gd.get("temperature")
    if rule is not None and rule != "none":
        rule = _rule(f"{gw}.temperature", rule)
    parts: tuple[tuple[float, Gate], ...] = ()
    if "parts" in gd:
        docs = _list(f"{gw}.parts", gd["parts"], MAX_GATES)
        parts = tuple((_num(f"{gw}.parts[{k}].weight", _weight(f"{gw}.parts[{k}]", p)),
                       _gate_from_dict(f"{gw}.parts[{k}]", p, part=True))
                      for k, p in enumerate(docs))
    return Gate(gd["name"], gd["power"],
                instantaneous=_bool(f"{gw}.instantaneous", gd.get("instantaneous", False)),
                temperature=rule, parts=parts, **rates)


def _weight(where: str, doc: Any) -> Any:
    if not isinstance(doc, dict) or "weight" not in doc:
        raise ValidationError(where, "a part needs its weight")
    return doc["weight"]


def _rule(where: str, td: Any) -> Q10 | FixedFactor:
    """A temperature rule from ``{q10, reference[, conductance]}`` or ``{factor[, note]}``."""
    if isinstance(td, dict) and "factor" in td:
        td = _keys(where, td, {"factor"}, {"note"})
        return FixedFactor(_num(f"{where}.factor", td["factor"]),
                           _free_text(f"{where}.note", td.get("note", "")))
    td = _keys(where, td, {"q10", "reference"}, {"conductance"})
    return Q10(_num(f"{where}.q10", td["q10"]), _num(f"{where}.reference", td["reference"]),
               _bool(f"{where}.conductance", td.get("conductance", False)))


# ---------------------------------------------------------------------------------- neurons
def neuron_to_dict(neuron: Neuron) -> dict:
    """A neuron as plain data (its scalar values; batch overrides are not part of a model)."""
    if neuron.overrides:
        raise ValidationError("neuron", "a neuron with batch (array) parameters cannot be saved "
                              "as a model file; save the model without with_params(arrays)")
    out: dict[str, Any] = {"ionzoo": FORMAT_VERSION, "kind": "neuron", "name": neuron.name,
                           "capacitance": neuron.capacitance, "temperature": neuron.temperature,
                           "v_init": neuron.v_init,
                           "channels": [c.to_dict() for c in neuron.channels]}
    if neuron.area is not None:
        out["area"] = neuron.area
    if neuron.start != "v_init":
        out["start"] = neuron.start
    if neuron.initial:
        out["initial"] = dict(neuron.initial)
    if neuron.calcium is not None:
        c = neuron.calcium
        out["calcium"] = {"pool": c.pool, **c.parameters()}
        if c.method != "cnexp":
            out["calcium"]["method"] = c.method
        if c.lagged:
            out["calcium"]["lagged"] = True
    return out


def neuron_from_dict(doc: Any, where: str = "neuron") -> Neuron:
    """Build a :class:`Neuron` from plain data (validated)."""
    d = _keys(where, doc, {"channels"}, {"ionzoo", "kind", "name", "capacitance",
                                         "temperature", "v_init", "area", "calcium",
                                         "start", "initial"})
    if d.get("ionzoo", FORMAT_VERSION) != FORMAT_VERSION:
        raise ValidationError(f"{where}.ionzoo", f"unsupported format version {d['ionzoo']!r}")
    if d.get("kind", "neuron") != "neuron":
        raise ValidationError(f"{where}.kind", f"expected 'neuron', got {d['kind']!r}")
    chans = _list(f"{where}.channels", d["channels"], MAX_CHANNELS)
    channels = tuple(channel_from_dict(c, f"{where}.channels[{i}]") for i, c in enumerate(chans))
    calcium = None
    if d.get("calcium") is not None:
        cd = _keys(f"{where}.calcium", d["calcium"], set(),
                   {"pool", "cai", "cao", "depth", "tau", "cai_rest", "gamma", "method", "lagged"})
        values: dict[str, Any] = {
            k: (_free_text(f"{where}.calcium.{k}", v) if k in ("pool", "method")
                else _bool(f"{where}.calcium.lagged", v) if k == "lagged"
                else _num(f"{where}.calcium.{k}", v)) for k, v in cd.items()}
        calcium = Calcium(**values)
    kw: dict[str, Any] = {k: _num(f"{where}.{k}", d[k])
                          for k in ("capacitance", "temperature", "v_init", "area") if k in d}
    if "start" in d:
        kw["start"] = _free_text(f"{where}.start", d["start"])
    if "initial" in d:
        given = d["initial"]
        if not isinstance(given, dict) or not all(isinstance(k, str) for k in given):
            raise ValidationError(f"{where}.initial", "expected a mapping of state names to "
                                  "numbers")
        kw["initial"] = {_free_text(f"{where}.initial", k): _num(f"{where}.initial.{k}", x)
                         for k, x in given.items()}
    return Neuron(channels=channels, name=_free_text(f"{where}.name", d.get("name", "neuron")),
                  calcium=calcium, **kw)


# ---------------------------------------------------------------------------------- files
def save(obj: Neuron | Channel, path: str | Path) -> None:
    """Write a neuron or a channel to ``path`` (``.yaml``/``.yml`` or ``.json``)."""
    path = Path(path)
    doc = neuron_to_dict(obj) if isinstance(obj, Neuron) else {
        "ionzoo": FORMAT_VERSION, "kind": "channel", **channel_to_dict(obj)}
    if path.suffix in (".yaml", ".yml"):
        text = yaml.safe_dump(doc, sort_keys=False, allow_unicode=True)
    elif path.suffix == ".json":
        text = json.dumps(doc, indent=2, ensure_ascii=False)
    else:
        raise ValidationError("path", f"{str(path)!r}: use .yaml, .yml or .json")
    write_text_atomic(path, text)


def load(path: str | Path) -> Neuron | Channel:
    """Read a neuron or channel file (never executes anything; see the module docstring)."""
    path = Path(path)
    doc = load_document(path)
    if isinstance(doc, dict) and doc.get("kind") == "channel":
        body = {k: v for k, v in doc.items() if k not in ("ionzoo", "kind")}
        return channel_from_dict(body, path.name)
    return neuron_from_dict(doc, path.name)
