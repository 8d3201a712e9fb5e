"""A voltage clamp through a series resistance, like NEURON's ``SEClamp``: a stimulus component
that injects i = (vc(t) − v)/rs.

The command vc is ``hold`` (mV), ``level`` for ``start <= t < stop`` (ms), optionally
``level2`` for ``stop <= t < stop2`` (NEURON's amp1/amp2/amp3 with dur1 = start, dur2 = stop −
start, dur3 = stop2 − stop: a prepulse and a test pulse through one clamp), and ``hold`` again
(where NEURON's SEClamp switches itself off after dur3); like every stimulus it is read at the
middle of each step. ``rs`` is in MΩ and the neuron's
``area`` (µm²) turns the injected current into a density: the clamp is a conductance
g = 1/(rs·area) (1e5/(rs·area) mS/cm² for rs in MΩ and area in µm²) with reversal vc(t), so the
membrane equation treats it implicitly, as NEURON does. The clamp current is recorded as
``<name>.i`` (µA/cm², *injected*: positive depolarises, as ``SEClamp.i``) and the command as
``<name>.vc`` (mV). Arrays of levels, holds or resistances make batch dimensions.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, ClassVar

from ..errors import ValidationError
from ..expr import Compare, Expr, Logic, Num, Where
from .channel import check_name
from .stimulus import Stimulus, _field, _ordered

__all__ = ["SeriesClamp", "series_clamp"]


@dataclass(frozen=True)
class SeriesClamp(Stimulus):
    """vc = ``level`` (mV) for ``start <= t < stop`` (ms), ``level2`` for ``stop <= t < stop2``,
    else ``hold``; series resistance ``rs`` (MΩ). Without ``level2`` the second segment is
    empty (``level2 = hold``, ``stop2 = stop``)."""

    level: Any
    start: Any = 0.0
    stop: Any = math.inf
    hold: Any = -80.0
    rs: Any = 1.0
    name: str = "seclamp"
    area: Any = None
    level2: Any = None
    stop2: Any = None
    numeric: ClassVar = ("level", "start", "stop", "hold", "rs", "area", "level2", "stop2")
    kind: ClassVar = "seclamp"

    def __post_init__(self) -> None:
        check_name("stimulus.seclamp.name", self.name)
        object.__setattr__(self, "level", _field("seclamp", "level", self.level))
        object.__setattr__(self, "start", _field("seclamp", "start", self.start, nonneg=True))
        object.__setattr__(self, "stop", _field("seclamp", "stop", self.stop, allow_inf=True))
        _ordered("seclamp", "start", self.start, "stop", self.stop)
        object.__setattr__(self, "hold", _field("seclamp", "hold", self.hold))
        object.__setattr__(self, "rs", _field("seclamp", "rs", self.rs, positive=True))
        if self.level2 is None:
            if self.stop2 is not None:
                raise ValidationError("stimulus.seclamp.stop2", "needs level2")
            object.__setattr__(self, "level2", self.hold)
            object.__setattr__(self, "stop2", self.stop)
        else:
            object.__setattr__(self, "level2", _field("seclamp", "level2", self.level2))
            stop2 = math.inf if self.stop2 is None else self.stop2
            object.__setattr__(self, "stop2", _field("seclamp", "stop2", stop2,
                                                     allow_inf=True))
            _ordered("seclamp", "stop", self.stop, "stop2", self.stop2)
        if self.area is not None:  # µm²; simulate() fills in the neuron's
            object.__setattr__(self, "area", _field("seclamp", "area", self.area,
                                                    positive=True))

    def command(self, p: dict[str, Expr], t: Expr) -> Expr:
        """vc (mV) as an expression of time ``t``."""
        on = Logic("and", Compare(">=", t, p["start"]), Compare("<", t, p["stop"]))
        second = Logic("and", Compare(">=", t, p["stop"]), Compare("<", t, p["stop2"]))
        return Where(on, p["level"], Where(second, p["level2"], p["hold"]))

    def expression(self, p, t=None, table="wave") -> Expr:
        return Num(0.0)  # its current is a conductance term (lowered as a channel)

    def breakpoints(self, p, t_stop):
        return [p["start"], p["stop"], p["stop2"]]

    def structure_key(self) -> tuple:
        return (self.kind, self.name)


def series_clamp(level: Any, start: Any = 0.0, stop: Any = math.inf, hold: Any = -80.0,
                 rs: Any = 1.0, name: str = "seclamp", area: Any = None, level2: Any = None,
                 stop2: Any = None) -> SeriesClamp:
    """A series-resistance clamp (``SEClamp``): ``hold`` → ``level`` (mV) over
    [``start``, ``stop``) ms, then ``level2`` until ``stop2`` (optional; default ∞), resistance
    ``rs`` MΩ; ``area`` (µm²) defaults to the neuron's."""
    return SeriesClamp(level, start, stop, hold, rs, name, area, level2, stop2)

