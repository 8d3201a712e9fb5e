"""Injected current stimuli (density, µA/cm²; times in ms).

Stimuli are data. Each numeric field may be a scalar, a 1-D array (a batch dimension named after
the field, e.g. ``"amplitude"``) or an :class:`xarray.DataArray` with named dimensions. Stimuli
add: ``step(5, 10, 20) + ramp(...)`` is a :class:`Sum`.

The engine evaluates the stimulus at the middle of each step (t + dt/2), as NEURON does.

==================  ==============================================================
function            current
==================  ==============================================================
:func:`step`        ``amplitude`` for ``start <= t < stop``
:func:`pulse`       ``amplitude`` for ``start <= t < start + duration``
:func:`pulse_train` ``count`` pulses of ``duration`` every ``period`` from ``start``
:func:`ramp`        linear from ``amplitude_start`` at ``start`` to ``amplitude_stop`` at
                    ``stop``; zero outside
:func:`waveform`    ``scale ·`` linear interpolation of sampled ``values`` (step ``dt``)
                    from ``start``; zero outside
==================  ==============================================================
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np

from .._lazy import is_dataarray
from .._lazy import xarray as _xr
from ..errors import ValidationError
from ..expr import Call, Compare, Expr, Logic, Lookup, Name, Num, Where
from ..expr import evaluate as _evaluate
from ..limits import MAX_SAMPLES
from .params import number

if TYPE_CHECKING:  # pragma: no cover
    import xarray as xr

_T = Name("t")  # time, ms, in stimulus expressions

__all__ = ["Stimulus", "Step", "Pulse", "PulseTrain", "Ramp", "Waveform", "Sum",
           "step", "pulse", "pulse_train", "ramp", "waveform", "as_stimulus"]


class Stimulus:
    """Base class. Subclasses list their batchable numeric fields in ``numeric``."""

    numeric: ClassVar[tuple[str, ...]] = ()
    kind: ClassVar[str] = ""

    @property
    def components(self) -> tuple[Stimulus, ...]:
        return (self,)

    def __add__(self, other: Stimulus) -> Sum:
        if not isinstance(other, Stimulus):
            return NotImplemented
        return Sum((*self.components, *other.components))

    # The methods below are used by the engine for one component.
    def expression(self, p: Mapping[str, Expr], t: Expr = _T,
                   table: str = "wave") -> Expr:
        """The current (µA/cm²) as an expression of time ``t`` (ms); ``p`` maps each numeric
        field to the expression of its per-neuron value; a waveform reads array ``table``."""
        raise NotImplementedError

    def evaluate(self, t: float | np.ndarray, p: dict[str, Any]) -> np.ndarray:
        """Current (µA/cm²) at times ``t`` (ms) for scalar field values ``p``."""
        names: dict[str, Expr] = {f: Name(f"p_{f}") for f in self.numeric}
        env: dict[str, Any] = {f"p_{f}": p[f] for f in self.numeric}
        env["t"] = np.asarray(t, dtype=float)
        if isinstance(self, Waveform):
            env["wave"] = self.values
        return _evaluate(self.expression(names), env)

    def breakpoints(self, p: dict[str, Any], t_stop: float) -> list[float]:
        """Times (ms) where the current is discontinuous or has a kink."""
        raise NotImplementedError

    def structure_key(self) -> tuple:
        return (self.kind,)

    def to_dict(self) -> dict:
        out: dict[str, Any] = {"kind": self.kind}
        for f in fields(self):  # type: ignore[arg-type]
            v = getattr(self, f.name)
            out[f.name] = v.values.tolist() if is_dataarray(v) else (
                np.asarray(v).tolist())
        return out


#: Shortest sampling interval of a waveform (ms).
MIN_SAMPLE_INTERVAL = 1e-6


def _ordered(kind: str, first: str, a: Any, second: str, b: Any) -> None:
    """``b >= a`` everywhere (arrays broadcast as the batch will), or a ValidationError."""
    try:
        ok = bool(np.all(_xr().DataArray(b) >= a) if is_dataarray(b) or
                  is_dataarray(a) else np.all(np.asarray(b) >= np.asarray(a)))
    except ValueError:  # shapes that only the batch's named dimensions can align
        return
    if not ok:
        raise ValidationError(f"stimulus.{kind}.{second}", f"must not be before {first}")


def _field(kind: str, name: str, value: Any, allow_inf: bool = False,
           nonneg: bool = False, positive: bool = False) -> float | xr.DataArray:
    where = f"stimulus.{kind}.{name}"
    if is_dataarray(value):
        arr = value.astype(float)
        vals = arr.values
    else:
        if isinstance(value, bool):
            raise ValidationError(where, "expected a number, got bool")
        try:
            vals = np.asarray(value, dtype=float)
        except (TypeError, ValueError):
            raise ValidationError(where, f"expected a number or array, got "
                                  f"{type(value).__name__}") from None
        if vals.ndim > 1:
            raise ValidationError(where, "N-D arrays need an xarray.DataArray with named dims")
        if vals.ndim == 1 and vals.size == 0:
            raise ValidationError(where, "empty array")
        arr = None
    if np.any(np.isnan(vals)) or (not allow_inf and np.any(np.isinf(vals))):
        raise ValidationError(where, "must be finite" + (" or inf" if allow_inf else ""))
    if nonneg and np.any(vals < 0):
        raise ValidationError(where, f"must be >= 0, got {np.min(vals)!r}")
    if positive and np.any(vals <= 0):
        raise ValidationError(where, f"must be > 0, got {np.min(vals)!r}")
    if arr is not None:
        return arr
    if vals.ndim == 0:
        return float(vals)
    return _xr().DataArray(vals, dims=(name,), coords={name: vals})


@dataclass(frozen=True)
class Step(Stimulus):
    """``amplitude`` (µA/cm²) for ``start <= t < stop`` (ms); ``stop`` may be ``inf``."""

    amplitude: Any
    start: Any = 0.0
    stop: Any = math.inf
    numeric: ClassVar = ("amplitude", "start", "stop")
    kind: ClassVar = "step"

    def __post_init__(self) -> None:
        object.__setattr__(self, "amplitude", _field("step", "amplitude", self.amplitude))
        object.__setattr__(self, "start", _field("step", "start", self.start, nonneg=True))
        object.__setattr__(self, "stop", _field("step", "stop", self.stop, allow_inf=True))
        _ordered("step", "start", self.start, "stop", self.stop)

    def expression(self, p, t=_T, table="wave"):
        on = Logic("and", Compare(">=", t, p["start"]), Compare("<", t, p["stop"]))
        return Where(on, p["amplitude"], Num(0.0))

    def breakpoints(self, p, t_stop):
        return [p["start"], p["stop"]]


@dataclass(frozen=True)
class Pulse(Stimulus):
    """``amplitude`` (µA/cm²) for ``start <= t < start + duration`` (ms)."""

    amplitude: Any
    start: Any
    duration: Any
    numeric: ClassVar = ("amplitude", "start", "duration")
    kind: ClassVar = "pulse"

    def __post_init__(self) -> None:
        object.__setattr__(self, "amplitude", _field("pulse", "amplitude", self.amplitude))
        object.__setattr__(self, "start", _field("pulse", "start", self.start, nonneg=True))
        object.__setattr__(self, "duration", _field("pulse", "duration", self.duration,
                                                    nonneg=True))

    def expression(self, p, t=_T, table="wave"):
        on = Logic("and", Compare(">=", t, p["start"]),
                   Compare("<", t, p["start"] + p["duration"]))
        return Where(on, p["amplitude"], Num(0.0))

    def breakpoints(self, p, t_stop):
        return [p["start"], p["start"] + p["duration"]]


@dataclass(frozen=True)
class PulseTrain(Stimulus):
    """``count`` pulses of ``amplitude`` (µA/cm²) and ``duration`` (ms), one every ``period``
    (ms), the first at ``start`` (ms). ``count`` may be ``inf``."""

    amplitude: Any
    start: Any
    duration: Any
    period: Any
    count: Any = math.inf
    numeric: ClassVar = ("amplitude", "start", "duration", "period", "count")
    kind: ClassVar = "train"

    def __post_init__(self) -> None:
        k = "pulse_train"
        object.__setattr__(self, "amplitude", _field(k, "amplitude", self.amplitude))
        object.__setattr__(self, "start", _field(k, "start", self.start, nonneg=True))
        object.__setattr__(self, "duration", _field(k, "duration", self.duration, nonneg=True))
        object.__setattr__(self, "period", _field(k, "period", self.period, positive=True))
        object.__setattr__(self, "count", _field(k, "count", self.count, allow_inf=True,
                                                 nonneg=True))
        if np.any(np.asarray(_values(self.duration)) > np.min(_values(self.period))):
            raise ValidationError("stimulus.pulse_train.duration", "must not exceed the period")

    def expression(self, p, t=_T, table="wave"):
        rel = t - p["start"]
        k = Call("floor", (rel / p["period"],))
        on = Logic("and", Logic("and", Compare(">=", rel, Num(0.0)), Compare("<", k, p["count"])),
                   Compare("<", rel - k * p["period"], p["duration"]))
        return Where(on, p["amplitude"], Num(0.0))

    def breakpoints(self, p, t_stop):
        out = []
        n = 0
        while n < p["count"]:
            t0 = p["start"] + n * p["period"]
            if t0 > t_stop:
                break
            out += [t0, t0 + p["duration"]]
            n += 1
        return out


@dataclass(frozen=True)
class Ramp(Stimulus):
    """Linear from ``amplitude_start`` at ``start`` to ``amplitude_stop`` at ``stop`` (µA/cm²,
    ms); zero outside ``[start, stop)``."""

    amplitude_stop: Any
    start: Any = 0.0
    stop: Any = 1.0
    amplitude_start: Any = 0.0
    numeric: ClassVar = ("amplitude_start", "amplitude_stop", "start", "stop")
    kind: ClassVar = "ramp"

    def __post_init__(self) -> None:
        for name in ("amplitude_start", "amplitude_stop"):
            object.__setattr__(self, name, _field("ramp", name, getattr(self, name)))
        object.__setattr__(self, "start", _field("ramp", "start", self.start, nonneg=True))
        object.__setattr__(self, "stop", _field("ramp", "stop", self.stop))
        if np.any(np.asarray(_values(self.stop)) <= np.max(_values(self.start))):
            raise ValidationError("stimulus.ramp.stop", "must be after start")

    def expression(self, p, t=_T, table="wave"):
        frac = (t - p["start"]) / (p["stop"] - p["start"])
        a0, a1 = p["amplitude_start"], p["amplitude_stop"]
        on = Logic("and", Compare(">=", t, p["start"]), Compare("<", t, p["stop"]))
        return Where(on, a0 + (a1 - a0) * frac, Num(0.0))

    def breakpoints(self, p, t_stop):
        return [p["start"], p["stop"]]


@dataclass(frozen=True)
class Waveform(Stimulus):
    """``scale`` × a sampled waveform: ``values`` (µA/cm² before scaling, shared by the batch)
    every ``dt`` ms from ``start`` ms, linearly interpolated; zero before ``start`` and after the
    last sample."""

    values: Any
    dt: float
    start: Any = 0.0
    scale: Any = 1.0
    numeric: ClassVar = ("start", "scale")
    kind: ClassVar = "waveform"

    def __post_init__(self) -> None:
        vals = np.asarray(self.values, dtype=float)
        if vals.ndim != 1 or vals.size < 2:
            raise ValidationError("stimulus.waveform.values", "need a 1-D array of >= 2 samples")
        if vals.size > MAX_SAMPLES:
            raise ValidationError("stimulus.waveform.values", f"more than {MAX_SAMPLES} samples")
        if not np.all(np.isfinite(vals)):
            raise ValidationError("stimulus.waveform.values", "must be finite")
        vals = vals.copy()
        vals.setflags(write=False)
        object.__setattr__(self, "values", vals)
        dt = number("stimulus.waveform.dt", self.dt)
        if not dt >= MIN_SAMPLE_INTERVAL:
            raise ValidationError("stimulus.waveform.dt", f"must be >= {MIN_SAMPLE_INTERVAL} ms, "
                                  f"got {self.dt!r}")
        object.__setattr__(self, "dt", dt)
        object.__setattr__(self, "start", _field("waveform", "start", self.start, nonneg=True))
        object.__setattr__(self, "scale", _field("waveform", "scale", self.scale))

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, Waveform) and self.dt == other.dt
                and np.array_equal(self.values, other.values)
                and _same(self.start, other.start) and _same(self.scale, other.scale))

    __hash__ = None  # type: ignore[assignment]

    def structure_key(self) -> tuple:
        return (self.kind, self.dt)

    def expression(self, p, t=_T, table="wave"):
        return p["scale"] * Lookup(table, (t - p["start"]) / Num(self.dt))

    def breakpoints(self, p, t_stop):
        n = self.values.size
        if n > 20000:
            return [p["start"], p["start"] + (n - 1) * self.dt]
        return list(p["start"] + self.dt * np.arange(n))


@dataclass(frozen=True)
class Sum(Stimulus):
    """The sum of several stimuli."""

    parts: tuple[Stimulus, ...]
    kind: ClassVar = "sum"

    def __post_init__(self) -> None:
        parts = tuple(self.parts)
        for p in parts:
            if not isinstance(p, Stimulus) or isinstance(p, Sum):
                raise ValidationError("stimulus", f"cannot add {type(p).__name__}")
        object.__setattr__(self, "parts", parts)

    @property
    def components(self) -> tuple[Stimulus, ...]:
        return self.parts

    def to_dict(self) -> dict:
        return {"kind": "sum", "parts": [p.to_dict() for p in self.parts]}


def _values(v: Any) -> np.ndarray:
    return v.values if is_dataarray(v) else np.asarray(v)


def _same(a: Any, b: Any) -> bool:
    return np.array_equal(_values(a), _values(b))


# ---------------------------------------------------------------------- constructors
def step(amplitude: Any, start: Any = 0.0, stop: Any = math.inf) -> Step:
    """A current step: ``amplitude`` µA/cm² from ``start`` to ``stop`` ms (``stop`` may be inf)."""
    return Step(amplitude, start, stop)


def pulse(amplitude: Any, start: Any, duration: Any) -> Pulse:
    """One rectangular pulse: ``amplitude`` µA/cm² for ``duration`` ms from ``start`` ms."""
    return Pulse(amplitude, start, duration)


def pulse_train(amplitude: Any, start: Any, duration: Any, period: Any,
                count: Any = math.inf) -> PulseTrain:
    """``count`` pulses (µA/cm², ``duration`` ms each), one every ``period`` ms from ``start``."""
    return PulseTrain(amplitude, start, duration, period, count)


def ramp(amplitude_stop: Any, start: Any = 0.0, stop: Any = 1.0,
         amplitude_start: Any = 0.0) -> Ramp:
    """A linear ramp from ``amplitude_start`` (at ``start`` ms) to ``amplitude_stop`` µA/cm²
    (at ``stop`` ms); zero outside."""
    return Ramp(amplitude_stop, start, stop, amplitude_start)


def waveform(values: Sequence[float] | np.ndarray, dt: float, start: Any = 0.0,
             scale: Any = 1.0) -> Waveform:
    """A sampled current (µA/cm², one sample every ``dt`` ms from ``start``), interpolated."""
    return Waveform(values, dt, start, scale)


def as_stimulus(stim: Stimulus | float | int | None) -> tuple[Stimulus, ...]:
    """Components of ``stim``; a number is a constant step from t = 0; ``None`` is no current."""
    if stim is None:
        return ()
    if isinstance(stim, Stimulus):
        return stim.components
    if isinstance(stim, (int, float, np.integer, np.floating)) and not isinstance(stim, bool):
        return (Step(float(stim)),)
    raise ValidationError("stimulus", f"expected a Stimulus, a number or None, got "
                          f"{type(stim).__name__}")
