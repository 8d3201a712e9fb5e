"""LEMS ``ComponentType``s of NeuroML rate, variable and time-course types → ionzoo expressions.

What neuroConstruct, pyNeuroML and hand-written NeuroML files publish as non-standard gate
kinetics: a ``ComponentType`` extending ``baseVoltageDepRate`` (or ``…Variable``, ``…Time``,
the ``…ConcDep…`` variants) with ``Constant``s, ``Requirement``s and a ``Dynamics`` of
``DerivedVariable``s and ``ConditionalDerivedVariable``s (cases in order, the last without a
condition as the default). The exposed value becomes an expression tree:

* every quantity is read in one consistent unit system — mV, ms, mM, K (``nml_units``) — so
  a dimensionally consistent LEMS expression gives its value in ionzoo's unit of its dimension
  (``v / VOLT_SCALE`` with ``VOLT_SCALE = 1 mV`` is the number of millivolts);
* ``v`` → ``v`` (mV), ``caConc`` → ``cai`` (mM), ``temperature`` → ``celsius + 273.15`` (K),
  ``vShift`` (a ``channelDensityVShift``'s shift) → the channel parameter ``vShift`` (mV);
* LEMS operators (``^``, ``.gt.``, ``.and.``…) and functions (``exp``, ``ln``, ``log``, ``H``…)
  map to ionzoo's; anything else is refused with the type and the variable.

The text is parsed by ionzoo's expression parser (never evaluated); sizes and depth are checked.
"""

from __future__ import annotations

import re

from ..errors import ValidationError
from ..expr import Expr, Name, Num, Where, parse, substitute
from .nml_units import convert, quantity, unit_scale

__all__ = ["translate", "REQUIREMENTS", "MAX_DERIVED"]

#: Names a rate type may require, with their ionzoo trees.
REQUIREMENTS: dict[str, Expr] = {"v": Name("v"), "caConc": Name("cai"),
                                 "temperature": Name("celsius") + Num(273.15),
                                 "vShift": Name("vShift")}
#: At most this many derived variables in one ComponentType.
MAX_DERIVED = 200

_OPS = [(r"\.gt\.", " > "), (r"\.lt\.", " < "), (r"\.geq\.", " >= "), (r"\.leq\.", " <= "),
        (r"\.eq\.", " == "), (r"\.neq\.", " != "), (r"\.and\.", " and "), (r"\.or\.", " or "),
        (r"\^", "**")]
_FUNCS = {"ln": "log", "H": "heaviside", "fabs": "abs"}
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _python(text: str) -> str:
    """LEMS expression text in the syntax of ionzoo's parser."""
    out = str(text)
    for pattern, repl in _OPS:
        out = re.sub(pattern, repl, out)
    return _NAME.sub(lambda m: _FUNCS.get(m.group(), m.group()), out)


def _value(text: str, known: dict[str, Expr], where: str, condition: bool = False) -> Expr:
    """Parse ``text`` with the names of ``known`` and substitute their trees (a condition
    where ``condition``)."""
    names = {m.group() for m in _NAME.finditer(_python(text))}
    internal = {n: f"lems_{n}" for n in names if n in known}
    py = _NAME.sub(lambda m: internal.get(m.group(), m.group()), _python(text))
    if condition:  # the parser reads conditions inside a piecewise expression
        py = f"1 if ({py}) else 0"
    tree = parse(py, allowed_names=tuple(internal.values()), field=where)
    if condition:
        assert isinstance(tree, Where)
        tree = tree.cond
    return substitute(tree, {f"lems_{n}": known[n] for n in internal})


def _constant(c, where: str) -> Expr:
    number, unit = quantity(c.value, f"{where}.Constant[{c.name}]")
    if not unit:
        return Num(float(number))
    dim, _, _ = unit_scale(unit, f"{where}.Constant[{c.name}]")
    return Num(convert(c.value, dim, f"{where}.Constant[{c.name}]"))


def _cases(cdv, known: dict[str, Expr], where: str) -> Expr:
    """A ConditionalDerivedVariable as nested piecewise expressions."""
    cases = list(cdv.Case or [])
    if not cases or cases[-1].condition:
        raise ValidationError(f"{where}.{cdv.name}", "a ConditionalDerivedVariable needs a "
                              "last Case without a condition (the default)")
    out = _value(cases[-1].value, known, f"{where}.{cdv.name}")
    for case in reversed(cases[:-1]):
        cond = _value(case.condition, known, f"{where}.{cdv.name}.condition", condition=True)
        out = Where(cond, _value(case.value, known, f"{where}.{cdv.name}"), out)
    return out


def translate(ct, exposure: str, where: str, extra: dict[str, Expr] | None = None) -> Expr:
    """The tree of ``ComponentType`` ``ct``'s exposed variable ``exposure`` (``r``, ``x`` or
    ``t``) in ionzoo's units (1/ms, 1, ms). ``extra``: further requirements a gate provides
    (``alpha``, ``beta``: its rates, 1/ms, for a time course of ``gateHHratesTauInf``)."""
    extra = extra or {}
    w = f"{where}: ComponentType[{ct.name}]"
    if getattr(ct, "Parameter", None):
        raise ValidationError(w, "Parameters of a rate ComponentType are not supported "
                              "(give them as Constants)")
    known: dict[str, Expr] = {}
    unsupported = [r.name for r in (getattr(ct, "Requirement", None) or [])
                   if r.name not in REQUIREMENTS and r.name not in extra]
    known.update({k: v for k, v in REQUIREMENTS.items() if k != "vShift"})
    known.update(extra)
    if any(r.name == "vShift" for r in (getattr(ct, "Requirement", None) or [])):
        known["vShift"] = REQUIREMENTS["vShift"]
    for c in ct.Constant or []:
        known[c.name] = _constant(c, w)
    dyn = ct.Dynamics[0] if ct.Dynamics else None
    if dyn is None:
        raise ValidationError(w, "no Dynamics")
    if dyn.StateVariable or dyn.Regime or getattr(dyn, "TimeDerivative", None):
        raise ValidationError(w, "only DerivedVariables and ConditionalDerivedVariables are "
                              "supported")
    items = [*(("d", d) for d in dyn.DerivedVariable),
             *(("c", d) for d in dyn.ConditionalDerivedVariable)]
    if len(items) > MAX_DERIVED:
        raise ValidationError(w, f"more than {MAX_DERIVED} derived variables")
    pending = dict((d.name, (k, d)) for k, d in items)
    for _ in range(len(pending) + 1):  # definitions may come in any order
        progressed = False
        for name, (kind, d) in list(pending.items()):
            try:
                known[name] = (_value(d.value, known, f"{w}.{name}") if kind == "d"
                               else _cases(d, known, w))
            except ValidationError:
                continue
            del pending[name]
            progressed = True
        if not pending or not progressed:
            break
    exposed = [d.name for _, d in items if getattr(d, "exposure", None) == exposure]
    if not exposed:
        raise ValidationError(w, f"exposes no {exposure!r}")
    if exposed[0] in pending:  # say why it cannot be computed
        if unsupported:
            raise ValidationError(f"{w}.Requirement[{unsupported[0]}]", "unsupported "
                                  f"requirement (supported: {', '.join(REQUIREMENTS)})")
        kind, d = pending[exposed[0]]
        _value(d.value, known, f"{w}.{exposed[0]}") if kind == "d" else _cases(d, known, w)
        raise ValidationError(f"{w}.{exposed[0]}", "depends on variables that cannot be "
                              "computed")
    return known[exposed[0]]
