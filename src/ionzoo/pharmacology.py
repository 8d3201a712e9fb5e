"""Channel blockers as data, applied by scaling maximal conductances.

Occupancy (Langmuir/Hill) block of a channel by a drug at concentration c:

    B(c) = cⁿ / (cⁿ + IC50ⁿ),      ḡ_eff = ḡ · (1 − B(c))

with n the Hill coefficient (1 for one toxin per channel). A drug lists its target ion, the
IC50 of each channel subtype it was measured on (with the source) and a default subtype.
``apply(neuron, drug, concentration)`` scales ḡ of every channel of the neuron that carries
the target ion (or of the channels named in ``channels=``); an array of concentrations becomes a
batch dimension named after the drug, so a dose–response curve is one simulation.
``block(neuron, "Na", 0.5)`` applies a fractional block directly.

Potencies (shared/reference/channels.md §5):

* TTX on Nav: Nav1.1 6 nM (Clare et al. 2000), Nav1.2 12 nM (Noda et al. 1986), Nav1.3 4 nM
  (Meadows et al. 2002), Nav1.4 5 nM (rat; Trimmer et al. 1989), Nav1.5 1.8 µM (Krafte et al.
  1991), Nav1.6 1 nM (rat; Catterall, Goldin & Waxman 2005) — via Front Pharmacol 3:124 (2012)
  Table 1 and Catterall et al. (2005) Pharmacol Rev 57:397.
* TEA on K channels (external): KCNQ1 5.0 mM, KCNQ2 0.3 mM, KCNQ4 3.0 mM, KCNQ2/3 (M-current)
  3.8 mM (Hadley et al. 2000 Br J Pharmacol 129:413); Kv1.3 12 mM (Grissmer & Cahalan 1989);
  Kv2.1 ≈ 4.5 mM (from 87 % block at 30 mM, J Physiol 1995 486:267).
* Ni²⁺ on T-type Ca channels: Cav3.2 (α1H) 13 µM, Cav3.3 (α1I) 216 µM, Cav3.1 (α1G) 250 µM
  (Lee, Gomora, Cribbs & Perez-Reyes 1999, Biophys J 77:3034). Targets Ca²⁺ channels — name the
  T-type channels with ``channels=`` to spare HVA ones.
* Apamin on SK channels: KCa2.2 (SK2) 103 pM, KCa2.3 (SK3) ≈ 1 nM (Benton, Garbarg & Moss
  2013, PLoS ONE 8:e73328). Targets calcium-activated K⁺ channels only.

* ZD7288 on HCN (Iₕ, ion ``h``): native Iₕ of guinea-pig substantia nigra neurons, apparent
  half-maximal block 2 µM (Harris & Constanti 1995, J Neurophysiol); rat facial motoneurone Iₕ
  ≈ 0.2 µM (Larkman & Kelly 2001, Neuropharmacology). Slow, use-independent, voltage-independent.
* 4-AP on A-type K⁺ channels: the transient outward current I_to of ferret ventricular myocytes
  (a Kv4-based A-current), closed-state block with apparent K_d ≈ 0.2 mM (Campbell et al. 1993,
  J Gen Physiol 101:603); also Kv1.5 0.14 mM at +40 mV (Yamane, Furukawa & Hiraoka 1995, Am J
  Physiol 269:H556) and the delayed K⁺ current of Aplysia neurons, K_D ≈ 0.8 mM at 0 mV
  (Hermann & Gorman 1981, J Gen Physiol 78:63). All are voltage and state dependent. By default
  it blocks the zoo's A-type channels (A, K_Tst); name others with ``channels=[...]``.
* XE991 on KCNQ (Kv7) / M-current: KCNQ2/3 0.6 µM and native M-current 0.98 µM (Wang et al.
  1998, Science 282:1890), KCNQ2 0.71 µM, KCNQ1 0.75 µM — as tabulated, with their primary
  references, on BenchChem's XE991 technical page (benchchem.com/product/B1202589/docs); the
  primary papers were not read here. XE991 blocks state-dependently (activated subunits;
  Greene, Kang & Hoshi 2017) — an occupancy IC50 is the steady-state approximation.

* Cd²⁺ on HVA Ca²⁺ channels: CaV2.3 (R-type) IC50 0.8 µM (IUPHAR compendium of voltage-gated
  calcium channels, Catterall, Perez-Reyes, Snutch & Striessnig 2005, Pharmacol Rev 57:411,
  CaV2.3 table — which lists Ni²⁺ at 27 µM for the same channel). By default it blocks the
  zoo's high-voltage-activated channels (L, Ca_HVA, CaH) and spares T-type ones; other
  subtypes' potencies were not sourced.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import xarray as xr

from .errors import ValidationError
from .model.neuron import Neuron

__all__ = ["Drug", "TTX", "TEA", "NICKEL", "APAMIN", "ZD7288", "FOUR_AP", "XE991", "CADMIUM",
           "DRUGS", "apply", "block", "fraction_blocked", "parse_concentration"]

_UNITS = {"pm": -12, "nm": -9, "um": -6, "µm": -6, "mm": -3, "m": 0}  # powers of ten (molar)


@dataclass(frozen=True)
class Drug:
    """A channel blocker: ``ion`` it targets, ``ic50`` by subtype (in ``unit``), the
    ``default`` subtype, Hill coefficient ``hill`` and ``sources``."""

    name: str
    ion: str
    unit: str
    ic50: Mapping[str, float]
    default: str
    hill: float = 1.0
    sources: Mapping[str, str] = field(default_factory=dict)
    calcium_activated_only: bool = False
    #: Channel names it blocks by default (empty: every gated channel of its ion).
    channel_names: tuple[str, ...] = ()

    def ic50_of(self, subtype: str | None = None) -> float:
        """IC50 (in ``unit``) of ``subtype`` (default: the drug's default subtype)."""
        key = self.default if subtype is None else subtype
        if key not in self.ic50:
            raise ValidationError("subtype", f"{self.name} has no IC50 for {key!r} (known: "
                                  f"{', '.join(self.ic50)})")
        return self.ic50[key]


TTX = Drug(
    name="TTX", ion="na", unit="nM", default="Nav1.2",
    ic50={"Nav1.1": 6.0, "Nav1.2": 12.0, "Nav1.3": 4.0, "Nav1.4": 5.0, "Nav1.5": 1800.0,
          "Nav1.6": 1.0},
    sources={"Nav1.1": "Clare et al. 2000, via Front Pharmacol 3:124 (2012) Table 1",
             "Nav1.2": "Noda et al. 1986, via Front Pharmacol 3:124 (2012) Table 1",
             "Nav1.3": "Meadows et al. 2002, via Front Pharmacol 3:124 (2012) Table 1",
             "Nav1.4": "Trimmer et al. 1989 (rat), via Front Pharmacol 3:124 (2012) Table 1",
             "Nav1.5": "Krafte et al. 1991 (human heart channel in oocytes)",
             "Nav1.6": "Catterall, Goldin & Waxman (2005) Pharmacol Rev 57:397, Table 7 (rat)"})

TEA = Drug(
    name="TEA", ion="k", unit="mM", default="Kv2.1",
    ic50={"KCNQ1": 5.0, "KCNQ2": 0.3, "KCNQ4": 3.0, "KCNQ2/3": 3.8, "Kv1.3": 12.0,
          "Kv2.1": 4.5},
    sources={"KCNQ1": "Hadley et al. (2000) Br J Pharmacol 129:413",
             "KCNQ2": "Hadley et al. (2000) Br J Pharmacol 129:413",
             "KCNQ4": "Hadley et al. (2000) Br J Pharmacol 129:413",
             "KCNQ2/3": "Hadley et al. (2000) Br J Pharmacol 129:413 (M-current)",
             "Kv1.3": "Grissmer & Cahalan (1989) Biophys J",
             "Kv2.1": "derived from 87 % block at 30 mM, J Physiol (1995) 486:267"})

NICKEL = Drug(
    name="Ni2+", ion="ca", unit="uM", default="Cav3.2",
    ic50={"Cav3.2": 13.0, "Cav3.3": 216.0, "Cav3.1": 250.0},
    sources={k: "Lee et al. (1999) Biophys J 77:3034" for k in ("Cav3.1", "Cav3.2", "Cav3.3")})

APAMIN = Drug(
    name="apamin", ion="k", unit="nM", default="KCa2.2", calcium_activated_only=True,
    ic50={"KCa2.2": 0.103, "KCa2.3": 1.0},
    sources={"KCa2.2": "Benton et al. (2013) PLoS ONE 8:e73328 (IC50 103 pM)",
             "KCa2.3": "Benton et al. (2013) PLoS ONE 8:e73328 (≈ 1 nM)"})

ZD7288 = Drug(
    name="ZD7288", ion="h", unit="uM", default="Ih (substantia nigra)",
    ic50={"Ih (substantia nigra)": 2.0, "Ih (facial motoneurone)": 0.2},
    sources={"Ih (substantia nigra)": "Harris & Constanti (1995) J Neurophysiol, guinea-pig "
                                      "substantia nigra pars compacta neurons",
             "Ih (facial motoneurone)": "Larkman & Kelly (2001) Neuropharmacology, rat facial "
                                        "motoneurones (IC50 around 0.2 µM)"})

FOUR_AP = Drug(
    name="4-AP", ion="k", unit="mM", default="A-type (Ito)",
    ic50={"A-type (Ito)": 0.2, "Kv1.5": 0.14, "Aplysia delayed K": 0.8},
    channel_names=("A", "K_Tst"),  # the zoo's A-type (transient) K channels
    sources={"A-type (Ito)": "Campbell et al. (1993) J Gen Physiol 101:603 (ferret ventricular "
                             "I_to, closed-state apparent K_d)",
             "Kv1.5": "Yamane, Furukawa & Hiraoka (1995) Am J Physiol 269:H556 (at +40 mV)",
             "Aplysia delayed K": "Hermann & Gorman (1981) J Gen Physiol 78:63 (K_D at 0 mV)"})

XE991 = Drug(
    name="XE991", ion="k", unit="uM", default="KCNQ2/3",
    ic50={"KCNQ2/3": 0.6, "M-current": 0.98, "KCNQ2": 0.71, "KCNQ1": 0.75},
    channel_names=("M", "Im", "Km"),  # the zoo's M-type (KCNQ) channels
    sources={k: ("Wang et al. (1998) Science 282:1890" if k in ("KCNQ2/3", "M-current")
                 else "primary reference") + ", as tabulated on benchchem.com/product/B1202589"
             for k in ("KCNQ2/3", "M-current", "KCNQ2", "KCNQ1")})

CADMIUM = Drug(
    name="Cd2+", ion="ca", unit="uM", default="Cav2.3",
    ic50={"Cav2.3": 0.8},
    channel_names=("L", "Ca_HVA", "CaH"),  # the zoo's HVA calcium channels
    sources={"Cav2.3": "Catterall et al. (2005) Pharmacol Rev 57:411 (IUPHAR compendium), "
                       "CaV2.3 entry: Cd2+ IC50 = 0.8 µM"})

#: Drugs by name (case-insensitive in :func:`apply`).
DRUGS = {"TTX": TTX, "TEA": TEA, "NI": NICKEL, "NI2+": NICKEL, "APAMIN": APAMIN,
         "ZD7288": ZD7288, "4-AP": FOUR_AP, "4AP": FOUR_AP, "XE991": XE991,
         "CD": CADMIUM, "CD2+": CADMIUM}


def parse_concentration(text: str | float, unit: str, field: str = "concentration") -> float:
    """A concentration in ``unit`` from a number (already in ``unit``) or text such as
    ``"10nM"``, ``"1 µM"``, ``"5mM"`` (text without a unit is in ``unit`` too)."""
    if isinstance(text, (int, float, np.integer, np.floating)) and not isinstance(text, bool):
        value = float(text)
    else:
        m = re.fullmatch(r"\s*([-+0-9.eE]+)\s*([pnuµm]?M)?\s*", str(text))
        try:
            number = float(m.group(1)) if m else math.nan
        except ValueError:
            number = math.nan
        if not m or math.isnan(number):
            raise ValidationError(field, f"{str(text)!r} is not a concentration (e.g. 10nM, "
                                  "2mM, or a number in the drug's unit)")
        scale = 10.0 ** (_UNITS[m.group(2).lower()] - _UNITS[unit.lower()]) if m.group(2) else 1.0
        value = number * scale
    if not math.isfinite(value) or value < 0:
        raise ValidationError(field, f"must be a finite concentration >= 0, got {str(text)!r}")
    return value


def fraction_blocked(drug: Drug, concentration, subtype: str | None = None) -> np.ndarray:
    """B(c) = cⁿ/(cⁿ + IC50ⁿ) for concentrations in the drug's unit."""
    c = np.asarray(concentration, dtype=float)
    ic50 = drug.ic50_of(subtype)
    return c ** drug.hill / (c ** drug.hill + ic50 ** drug.hill)


def _targets(neuron: Neuron, ion: str | None, channels: Sequence[str] | None,
             calcium_activated_only: bool = False,
             channel_names: tuple[str, ...] = ()) -> list[str]:
    if channels is not None:
        for name in channels:
            neuron.channel(name)
        return list(channels)
    names = [c.name for c in neuron.channels if c.ion == ion and c.gates
             and (not calcium_activated_only or c.reads_calcium())
             and (not channel_names or c.name in channel_names)]
    if not names:
        which = (f"named {', '.join(channel_names)}" if channel_names
                 else f"carrying {ion!r}")
        raise ValidationError("drug", f"the neuron has no channel {which} to block (name the "
                              "targets with channels=[...])")
    return names


def _scaled(neuron: Neuron, names: list[str], keep) -> Neuron:
    """``neuron`` with ḡ of ``names`` multiplied by ``keep`` (a number or a DataArray)."""
    updates = {}
    for name in names:
        path = f"{name}.gbar"
        updates[path] = neuron.value(path) * keep
    return neuron.with_params(**updates)


def apply(neuron: Neuron, drug: Drug | str, concentration, subtype: str | None = None,
          channels: Sequence[str] | None = None) -> Neuron:
    """``neuron`` under ``drug`` at ``concentration`` (in the drug's unit, or text with a unit;
    a list/array makes a batch dimension named after the drug)."""
    if isinstance(drug, str):
        if drug.upper() not in DRUGS:
            raise ValidationError("drug", f"unknown drug {drug!r} (known: {', '.join(DRUGS)})")
        drug = DRUGS[drug.upper()]
    if isinstance(concentration, (list, tuple, np.ndarray)):
        conc = np.array([parse_concentration(c, drug.unit) for c in np.ravel(concentration)])
        if conc.size == 0:
            raise ValidationError("concentration", "empty")
        dim = f"{drug.name} ({drug.unit})"
        keep = xr.DataArray(1.0 - fraction_blocked(drug, conc, subtype), dims=dim,
                            coords={dim: conc})
    else:
        keep = float(1.0 - fraction_blocked(drug, parse_concentration(concentration,  # type: ignore[assignment]
                                                                      drug.unit), subtype))
    return _scaled(neuron, _targets(neuron, drug.ion, channels, drug.calcium_activated_only,
                                    drug.channel_names), keep)


def block(neuron: Neuron, channel: str, fraction) -> Neuron:
    """``neuron`` with a fraction (0…1; an array makes a batch) of ``channel``'s conductance
    blocked."""
    frac = np.asarray(fraction, dtype=float)
    if np.any(~np.isfinite(frac)) or np.any((frac < 0) | (frac > 1)):
        raise ValidationError("fraction", f"must be within [0, 1], got {fraction!r}")
    if frac.ndim:
        dim = f"{channel} block"
        keep = xr.DataArray(1.0 - frac, dims=dim, coords={dim: frac})
    else:
        keep = float(1.0 - frac)  # type: ignore[assignment]
    return _scaled(neuron, _targets(neuron, None, [channel]), keep)
