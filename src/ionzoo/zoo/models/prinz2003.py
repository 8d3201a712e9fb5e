"""The stomatogastric (STG) model neuron of Prinz, Billimoria & Marder (2003) and the grid of
their database of 6⁸ = 1,679,616 model neurons.

One compartment of area 0.628·10⁻³ cm² (62 800 µm²) and 1 µF/cm² with the eight currents of
:mod:`ionzoo.channels.prinz2003` (Na, CaT, CaS, A, KCa, Kd, H, leak) and the calcium pool of
:meth:`ionzoo.ions.Calcium.prinz` (τ_Ca = 200 ms, f = 14.96 µM/nA, [Ca]₀ = 0.05 µM, [Ca]out = 3 mM).
E_Ca is the Nernst potential γ·ln([Ca]out/[Ca]) with γ = RT/2F = 12.2 mV: the cell's
temperature is 10 °C, at which RT/2F = 12.2003 mV (the kinetics have no temperature factor, so
the temperature acts only here). Prinz's own code is said to use the constant 12.2 mV
(``shared/reference/prinz.md`` §1.4); the 3e-4 mV difference is far below what the grid
resolves.

Initial state (Prinz 2003 p. 4001 as quoted by alcrene/pyloric-network-simulator): v = −50 mV,
every activation gate m = 0, every inactivation gate h = 1, [Ca] = 0.05 µM.

The grid (:data:`GRID`): six levels of each maximal conductance, level × step with the steps
100, 2.5, 2, 10, 5, 25, 0.01, 0.01 mS/cm² for Na, CaT, CaS, A, KCa, Kd, H, leak. Model number
n (1-based, as the database's ``conductancelevels.dat``) has the levels given by the base-6
digits of n − 1, Na first (:func:`grid_levels`).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from ...errors import ValidationError
from ...model.ions import Calcium
from ...model.neuron import Neuron
from ..channels import prinz2003 as ch

__all__ = ["prinz_stg", "CONDUCTANCES", "GRID", "GRID_STEP", "PUBLISHED", "grid_levels",
           "grid_conductances", "AREA_UM2"]

#: Membrane area in µm² (0.628·10⁻³ cm²).
AREA_UM2 = 0.628e-3 * 1e8
#: The eight conductances in database order, as parameter paths of :func:`prinz_stg`.
CONDUCTANCES = ("Na.gbar", "CaT.gbar", "CaS.gbar", "A.gbar", "KCa.gbar", "Kd.gbar", "H.gbar",
                "leak.gbar")
#: The grid step of each conductance, mS/cm² (six levels 0..5 × step).
GRID_STEP = dict(zip(CONDUCTANCES, (100.0, 2.5, 2.0, 10.0, 5.0, 25.0, 0.01, 0.01)))
#: The six values of each conductance in the 2003 database, mS/cm².
GRID = {k: tuple(float(np.round(i * s, 10)) for i in range(6)) for k, s in GRID_STEP.items()}

#: Published conductance sets (mS/cm², database order Na, CaT, CaS, A, KCa, Kd, H, leak) with
#: their sources (``shared/reference/prinz.md`` §4).
PUBLISHED: dict[str, tuple[float, ...]] = {
    # Prinz 2003 Fig. 2C (Conductor.jl demo/STGneuron.jl and simEngine bursting.dcl agree)
    "fig2c_burster": (100, 0, 4, 0, 15, 50, 0.02, 0.03),
    # Prinz 2003 Fig. 3C (Conductor.jl)
    "fig3c_irregular": (400, 0, 8, 50, 20, 50, 0.04, 0),
    # simEngine examples/neural/STG/{silent,spiking,aperiodic}.dcl
    "simengine_silent": (500, 0, 0, 40, 0, 75, 0.01, 0),
    "simengine_spiking": (100, 0, 10, 40, 5, 75, 0.02, 0.03),
    "simengine_aperiodic": (300, 0, 10, 20, 20, 125, 0.05, 0.01),
    # Prinz, Bucher & Marder 2004 Table 2, AB/PD 1-5 (alcrene, Conductor.jl, OSB)
    "ab_pd_1": (400, 2.5, 6, 50, 10, 100, 0.01, 0),
    "ab_pd_2": (100, 2.5, 6, 50, 5, 100, 0.01, 0),
    "ab_pd_3": (200, 2.5, 4, 50, 5, 50, 0.01, 0),
    "ab_pd_4": (200, 5, 4, 40, 5, 125, 0.01, 0),
    "ab_pd_5": (300, 5, 2, 10, 5, 125, 0.01, 0),
}

_ACTIVATION = ("Na.m", "CaT.m", "CaS.m", "A.m", "KCa.m", "Kd.m", "H.m")
_INACTIVATION = ("Na.h", "CaT.h", "CaS.h", "A.h")


def prinz_stg(conductances: str | tuple[float, ...] | Mapping[str, float] = "fig2c_burster"
              ) -> Neuron:
    """The stomatogastric (STG) model neuron of Prinz, Billimoria & Marder (2003): Na, CaT,
    CaS, A, KCa, Kd, H and leak currents, a calcium pool (τ 200 ms) driving KCa and E_Ca;
    starts at v = −50 mV, every m = 0, every h = 1, [Ca] = 0.05 µM. Default: the paper's
    Fig. 2C burster (period ≈ 0.84 s, 10 spikes per burst).

    ``conductances``: the name of a :data:`PUBLISHED` set, eight values in database order
    (mS/cm²), or a mapping from :data:`CONDUCTANCES` paths to values (the others 0).
    Sweep them as any parameter: ``prinz_stg().with_params({"Na.gbar": [100, 200]})``.
    """
    g = _conductances(conductances)
    channels = (ch.na(g["Na.gbar"]), ch.cat(g["CaT.gbar"]), ch.cas(g["CaS.gbar"]),
                ch.a(g["A.gbar"]), ch.kca(g["KCa.gbar"]), ch.kd(g["Kd.gbar"]),
                ch.h(g["H.gbar"]), ch.leak(g["leak.gbar"]))
    initial = tuple((s, 0.0) for s in _ACTIVATION) + tuple((s, 1.0) for s in _INACTIVATION)
    return Neuron(channels=channels, capacitance=1.0, temperature=10.0, v_init=-50.0,
                  name="prinz_stg", area=AREA_UM2, calcium=Calcium.prinz(),
                  initial=initial)


def _conductances(spec) -> dict[str, float]:
    if isinstance(spec, str):
        if spec not in PUBLISHED:
            raise ValidationError("conductances", f"unknown set {spec!r} (choose from "
                                  f"{sorted(PUBLISHED)})")
        spec = PUBLISHED[spec]
    if isinstance(spec, Mapping):
        unknown = sorted(set(spec) - set(CONDUCTANCES))
        if unknown:
            raise ValidationError("conductances", f"unknown conductance {unknown[0]!r} "
                                  f"(expected one of {CONDUCTANCES})")
        return {k: float(spec.get(k, 0.0)) for k in CONDUCTANCES}
    values = tuple(spec)
    if len(values) != len(CONDUCTANCES):
        raise ValidationError("conductances", f"expected {len(CONDUCTANCES)} values (Na, "
                              f"CaT, CaS, A, KCa, Kd, H, leak), got {len(values)}")
    return dict(zip(CONDUCTANCES, (float(x) for x in values)))


def grid_levels(model_number) -> np.ndarray:
    """Levels 0–5 of the eight conductances for database model numbers 1..6⁸ (the base-6
    digits of n − 1, Na first); shape ``(..., 8)``."""
    n = np.asarray(model_number, dtype=np.int64)
    if np.any(n < 1) or np.any(n > 6 ** 8):
        raise ValidationError("model_number", f"must lie in 1..{6 ** 8}")
    powers = 6 ** np.arange(7, -1, -1, dtype=np.int64)
    return ((n[..., None] - 1) // powers) % 6


def grid_conductances(model_number) -> np.ndarray:
    """Conductances (mS/cm², database order) of database model numbers; shape ``(..., 8)``."""
    steps = np.array([GRID_STEP[k] for k in CONDUCTANCES])
    return grid_levels(model_number) * steps
