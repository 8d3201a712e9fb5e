"""Custom NeuroML concentration models (a LEMS ``ComponentType`` extending
``concentrationModel``) read into ionzoo calcium pools.

Published cells carry their own pool types — Pospischil et al.'s
``decayingPoolConcentrationModelPosp``, Hay et al.'s ``concentrationModelHayEtAl``. Whatever the
type, a pool ionzoo can run has the dynamics

    dc/dt = A · iCa/surfaceArea + (c_rest − c)/τ

(iCa the inward calcium current). The type's ``TimeDerivative`` of ``concentration`` is
translated into an expression (evaluated in SI units, the element's parameters and the type's
constants converted from their NeuroML units), and A, τ and c_rest are read off it by symbolic
differentiation — which also proves it linear in iCa and c; anything else is refused. The pool
becomes ionzoo's planar ``hay`` pool with γ/depth = 2·10⁻⁶·F·A, which reproduces A exactly
(NeuroML's rounded F included), and starts where the type's ``OnStart`` puts it.
"""

from __future__ import annotations

from ..errors import ValidationError
from ..expr import Name, Num, diff, evaluate, substitute
from .nml_lems import _value
from .nml_units import SI, convert, quantity, unit_scale

__all__ = ["custom_pool"]


def _si(text: object, where: str) -> float:
    """A NeuroML quantity in SI units."""
    number, unit = quantity(text, where)
    if not unit:
        return float(number)
    dim, power, offset = unit_scale(unit, where)
    return float(number.scaleb(power)) * SI.get(dim, 1.0) + offset


def _names(ct, attrs: dict, species, where: str) -> dict:
    known: dict = {"iCa": Name("ica_in"), "surfaceArea": Name("area"),
                   "concentration": Name("c"), "extConcentration": Name("c_out"),
                   "initialConcentration": Num(_si(species.initial_concentration, where)),
                   "initialExtConcentration": Num(_si(species.initial_ext_concentration,
                                                      where))}
    for c in ct.Constant or []:
        known[c.name] = Num(_si(c.value, f"{where}.Constant[{c.name}]"))
    for p in ct.Parameter or []:
        if p.name not in attrs:
            raise ValidationError(f"{where}.{p.name}", "missing (a Parameter of the pool type)")
        known[p.name] = Num(_si(attrs[p.name], f"{where}.{p.name}"))
    return known


def custom_pool(ct, attrs: dict, species, where: str):
    """ionzoo :class:`~ionzoo.model.ions.Calcium` for an instance (``attrs``) of the
    concentration-model ComponentType ``ct`` (see the module docstring)."""
    from ..model.ions import FARADAY, Calcium

    w = f"{where}: {ct.name}[{attrs.get('id', '?')}]"
    dyn = ct.Dynamics[0] if ct.Dynamics else None
    derivs = [t for t in (dyn.TimeDerivative if dyn else []) if t.variable == "concentration"]
    if dyn is None or not derivs:
        raise ValidationError(w, "no TimeDerivative of concentration")
    known = _names(ct, attrs, species, w)
    for d in dyn.DerivedVariable or []:
        known[d.name] = _value(d.value, known, f"{w}.{d.name}")
    rhs = _value(derivs[0].value, known, f"{w}.TimeDerivative")
    if rhs.names - {"ica_in", "area", "c"}:
        raise ValidationError(w, f"the pool reads {sorted(rhs.names - {'ica_in', 'area', 'c'})}")
    at = {"ica_in": 1e-12, "area": 1e-9, "c": 1e-4}
    slope_i = diff(rhs, "ica_in")
    slope_c = diff(rhs, "c")
    second = [diff(slope_i, "ica_in"), diff(slope_i, "c"), diff(slope_c, "c")]
    if any(float(evaluate(e, at)) != 0.0 for e in second):
        raise ValidationError(w, "the pool's dynamics are not linear in iCa and concentration")
    drive = float(evaluate(slope_i * Name("area"), at))  # A: per (A/m²), mol/m³/s
    inv_tau = -float(evaluate(slope_c, at))  # 1/s
    if not inv_tau > 0.0:
        raise ValidationError(w, "the pool does not decay (its rate must be positive)")
    rest = float(evaluate(substitute(rhs, {"ica_in": Num(0.0)}), {**at, "c": 0.0})) / inv_tau
    start = known["initialConcentration"]
    onstart = dyn.OnStart
    for sa in (onstart.StateAssignment if onstart is not None else []):
        if sa.variable == "concentration":
            start = _value(sa.value, known, f"{w}.OnStart")
    depth = convert(attrs["depth"], "length", f"{w}.depth") if "depth" in attrs else 0.1
    gamma = 2e-6 * FARADAY * drive * depth
    return Calcium(cai=float(evaluate(start, {})), cao=float(species_ext(species, w)),
                   pool="hay", depth=depth, tau=1e3 / inv_tau, cai_rest=rest, gamma=gamma)


def species_ext(species, where: str) -> float:
    return _si(species.initial_ext_concentration, f"{where}.initialExtConcentration")
