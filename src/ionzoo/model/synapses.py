"""Synaptic conductances driven by spike trains (times in ms, conductances in mS/cm²).

A synapse is a stimulus component: ``step(...) + synapses.exp2(...)`` is a :class:`Sum`, and
``simulate`` adds its current I = g(t)·(e − v) to the membrane equation (implicitly, as every
channel's). Its conductance and current are recorded as ``<name>.g`` and ``<name>.i`` (µA/cm²,
outward positive, as the channels'; ``name`` defaults to ``"syn"``).

==================  =============================================================
:func:`exp`         g jumps by ``weight`` at each event and decays with ``tau``
                    (NEURON's ``ExpSyn``)
:func:`alpha`       one event gives weight·(t/τ)·e^(1 − t/τ): peak ``weight`` at τ
:func:`exp2`        g = B − A with A, B decaying with ``tau_rise`` < ``tau_decay``;
                    each event adds ``weight`` times the factor that makes the peak
                    of one event's conductance equal to ``weight`` (``Exp2Syn``)
==================  =============================================================

Spike trains (``spikes=``): :func:`poisson` (``rate`` in Hz, ``seed``), :func:`regular`
(``rate`` Hz, first event at ``start``; NEURON's ``NetStim`` with ``noise = 0``) or
:func:`times` (given times; a DataArray with dimensions (batch dimension, ``"spike"``), padded
with NaN, gives each neuron its own train). Rates, seeds, time constants, reversals and weights
may be arrays: batch dimensions as for every stimulus field.

Event delivery, as NEURON's fixed step: an event at time tₑ is delivered at the start of the
first step whose midpoint t + dt/2 is ≥ tₑ (its jump enters that step's currents); events
exactly at a midpoint may fall one step later in NEURON, whose t accumulates rounding. A
Poisson train depends only on its (seed, rate, start, stop): the same seed gives the same
events whatever the neuron's place in the batch, the chunking or the thread count.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np

from .._lazy import is_dataarray
from .._lazy import xarray as _xr
from ..errors import ValidationError
from ..expr import Expr, Num
from .channel import check_name
from .stimulus import Stimulus, _field

if TYPE_CHECKING:  # pragma: no cover
    import xarray as xr

__all__ = ["Synapse", "ExpSynapse", "Exp2Synapse", "AlphaSynapse", "SpikeSource", "poisson",
           "regular", "times", "exp", "exp2", "alpha", "exp2_factor", "SOURCES"]

#: Kinds of spike source.
SOURCES = ("poisson", "regular", "times")
#: Largest rate of a generated train (Hz).
MAX_RATE = 10_000.0


@dataclass(frozen=True)
class SpikeSource:
    """A spike train description: ``kind`` in :data:`SOURCES`; ``rate`` (Hz), ``seed``,
    ``start``/``stop`` (ms) for generated trains; ``trains`` (a tuple of sorted arrays) and
    ``train`` (which one each neuron reads) for given times."""

    kind: str
    rate: Any = 0.0
    seed: Any = 0.0
    start: Any = 0.0
    stop: Any = math.inf
    trains: tuple[np.ndarray, ...] = ()
    train: Any = 0.0


def poisson(rate: Any, seed: Any = 0, start: Any = 0.0, stop: Any = math.inf) -> SpikeSource:
    """A Poisson train of ``rate`` Hz between ``start`` and ``stop`` (ms), from ``seed`` (an
    integer ≥ 0)."""
    return SpikeSource("poisson", _rate(rate), _seed(seed), *_window(start, stop))


def regular(rate: Any, start: Any = 0.0, stop: Any = math.inf) -> SpikeSource:
    """Events every 1000/``rate`` ms from ``start`` (ms, the first event) until ``stop``."""
    return SpikeSource("regular", _rate(rate), 0.0, *_window(start, stop))


def times(spike_times: Sequence[float] | np.ndarray | xr.DataArray) -> SpikeSource:
    """Given event times (ms): one sorted 1-D sequence for every neuron, or a DataArray with
    dimensions (``dim``, ``"spike"``), NaN-padded, giving neuron ``dim=k`` its own train."""
    where = "stimulus.synapse.times"
    if is_dataarray(spike_times):
        if spike_times.ndim != 2 or "spike" not in spike_times.dims:
            raise ValidationError(where, "a DataArray of trains needs dimensions (batch "
                                  "dimension, 'spike')")
        dim = next(d for d in spike_times.dims if d != "spike")
        arr = spike_times.transpose(dim, "spike").values.astype(float)
        trains = tuple(_train(where, row[~np.isnan(row)]) for row in arr)
        coords = spike_times.coords[dim].values if dim in spike_times.coords else None
        index = _xr().DataArray(np.arange(len(trains), dtype=float), dims=(dim,),
                                coords={dim: coords} if coords is not None else None)
        return SpikeSource("times", trains=trains, train=index)
    arr = np.asarray(spike_times, dtype=float)
    if arr.ndim != 1:
        raise ValidationError(where, "expected a 1-D sequence of times (ms), or a DataArray "
                              "with dimensions (batch dimension, 'spike')")
    if np.any(np.isnan(arr)):
        raise ValidationError(where, "NaN in the spike times")
    return SpikeSource("times", trains=(_train(where, arr),))


def _train(where: str, arr: np.ndarray) -> np.ndarray:
    if not np.all(np.isfinite(arr)):
        raise ValidationError(where, "spike times must be finite")
    if np.any(arr < 0):
        raise ValidationError(where, "spike times must be >= 0 ms")
    if np.any(np.diff(arr) < 0):
        raise ValidationError(where, "spike times must be sorted (non-decreasing)")
    return np.ascontiguousarray(arr)


def _rate(rate: Any) -> Any:
    out = _field("synapse", "rate", rate, positive=True)
    if np.any(np.asarray(getattr(out, "values", out)) > MAX_RATE):
        raise ValidationError("stimulus.synapse.rate", f"must be <= {MAX_RATE:g} Hz")
    return out


def _seed(seed: Any) -> Any:
    out = _field("synapse", "seed", seed, nonneg=True)
    vals = np.asarray(getattr(out, "values", out))
    if np.any(vals != np.round(vals)) or np.any(vals > 2**53):
        raise ValidationError("stimulus.synapse.seed", "must be an integer >= 0")
    return out


def _window(start: Any, stop: Any) -> tuple[Any, Any]:
    return (_field("synapse", "start", start, nonneg=True),
            _field("synapse", "stop", stop, allow_inf=True))


class Synapse(Stimulus):
    """Base of the synapses: a stimulus component with no current expression of its own (its
    current is a conductance term, lowered as a channel) and a spike source."""

    name: str
    spikes: SpikeSource
    #: State names (suffixes) of the synapse, and the parameters its events add to them.
    states: ClassVar[tuple[str, ...]] = ()
    SOURCE_FIELDS: ClassVar[tuple[str, ...]] = ("rate", "seed", "start", "stop", "train")

    def expression(self, p, t=None, table="wave") -> Expr:
        return Num(0.0)

    def breakpoints(self, p, t_stop):
        return []

    def structure_key(self) -> tuple:
        return (self.kind, self.spikes.kind, self.name)

    def __getattr__(self, item: str) -> Any:  # the source's fields read as the synapse's
        if item in Synapse.SOURCE_FIELDS:
            return getattr(self.spikes, item)
        raise AttributeError(item)

    def to_dict(self) -> dict:
        out: dict[str, Any] = {"kind": self.kind, "name": self.name,
                               "source": self.spikes.kind}
        for f in self.numeric:
            v = getattr(self, f)
            out[f] = v.values.tolist() if is_dataarray(v) else np.asarray(v).tolist()
        return out


def _check_common(kind: str, name: str, spikes: Any) -> None:
    check_name(f"stimulus.synapse.{kind}.name", name)
    if not isinstance(spikes, SpikeSource):
        raise ValidationError(f"stimulus.synapse.{kind}.spikes", "expected synapses.poisson(...), "
                              "regular(...) or times(...)")


@dataclass(frozen=True)
class ExpSynapse(Synapse):
    """g jumps by ``weight`` (mS/cm²) at each event and decays with ``tau`` (ms); reversal
    ``e`` (mV)."""

    tau: Any
    e: Any
    weight: Any
    spikes: SpikeSource
    name: str = "syn"
    kind: ClassVar = "syn_exp"
    states: ClassVar = ("g",)

    @property
    def numeric(self) -> tuple[str, ...]:  # type: ignore[override]
        return ("tau", "e", "weight", *_source_fields(self.spikes))

    def __post_init__(self) -> None:
        _check_common("exp", self.name, self.spikes)
        object.__setattr__(self, "tau", _field("synapse.exp", "tau", self.tau, positive=True))
        object.__setattr__(self, "e", _field("synapse.exp", "e", self.e))
        object.__setattr__(self, "weight", _field("synapse.exp", "weight", self.weight,
                                                  nonneg=True))


@dataclass(frozen=True)
class Exp2Synapse(Synapse):
    """g = B − A, A decaying with ``tau_rise`` and B with ``tau_decay`` (ms, tau_rise <
    tau_decay); each event adds ``weight``·factor to both, so that one event's conductance
    peaks at ``weight`` (mS/cm²); reversal ``e`` (mV)."""

    tau_rise: Any
    tau_decay: Any
    e: Any
    weight: Any
    spikes: SpikeSource
    name: str = "syn"
    kind: ClassVar = "syn_exp2"
    states: ClassVar = ("A", "B")

    @property
    def numeric(self) -> tuple[str, ...]:  # type: ignore[override]
        return ("tau_rise", "tau_decay", "e", "weight", *_source_fields(self.spikes))

    def __post_init__(self) -> None:
        _check_common("exp2", self.name, self.spikes)
        for f in ("tau_rise", "tau_decay"):
            object.__setattr__(self, f, _field("synapse.exp2", f, getattr(self, f),
                                               positive=True))
        try:  # arrays on different dimensions are compared once the batch is built
            ordered = bool(np.all(np.asarray(self.tau_rise) < np.asarray(self.tau_decay)))
        except ValueError:
            ordered = True
        if not ordered:
            raise ValidationError("stimulus.synapse.exp2.tau_rise", "must be shorter than "
                                  "tau_decay")
        object.__setattr__(self, "e", _field("synapse.exp2", "e", self.e))
        object.__setattr__(self, "weight", _field("synapse.exp2", "weight", self.weight,
                                                  nonneg=True))


@dataclass(frozen=True)
class AlphaSynapse(Synapse):
    """One event's conductance is ``weight``·(t/τ)·e^(1 − t/τ) (peak ``weight`` mS/cm² at
    t = ``tau`` ms); reversal ``e`` (mV). Two states: a decays with τ and jumps by
    weight·e/τ at each event; g' = a − g/τ, advanced exactly over each step."""

    tau: Any
    e: Any
    weight: Any
    spikes: SpikeSource
    name: str = "syn"
    kind: ClassVar = "syn_alpha"
    states: ClassVar = ("a", "g")

    @property
    def numeric(self) -> tuple[str, ...]:  # type: ignore[override]
        return ("tau", "e", "weight", *_source_fields(self.spikes))

    def __post_init__(self) -> None:
        _check_common("alpha", self.name, self.spikes)
        object.__setattr__(self, "tau", _field("synapse.alpha", "tau", self.tau, positive=True))
        object.__setattr__(self, "e", _field("synapse.alpha", "e", self.e))
        object.__setattr__(self, "weight", _field("synapse.alpha", "weight", self.weight,
                                                  nonneg=True))


def alpha(tau: Any, e: Any, weight: Any, spikes: SpikeSource, name: str = "syn",
          ) -> AlphaSynapse:
    """An alpha-function synapse: peak ``weight`` mS/cm² at ``tau`` ms after each event."""
    return AlphaSynapse(tau, e, weight, spikes, name)


def _source_fields(spikes: SpikeSource) -> tuple[str, ...]:
    return ("train",) if spikes.kind == "times" else ("rate", "seed", "start", "stop")


def exp(tau: Any, e: Any, weight: Any, spikes: SpikeSource, name: str = "syn") -> ExpSynapse:
    """An exponential synapse (``ExpSyn``): ``tau`` ms, reversal ``e`` mV, ``weight`` mS/cm²."""
    return ExpSynapse(tau, e, weight, spikes, name)


def exp2(tau_rise: Any, tau_decay: Any, e: Any, weight: Any, spikes: SpikeSource,
         name: str = "syn") -> Exp2Synapse:
    """A double-exponential synapse (``Exp2Syn``), peak conductance ``weight`` mS/cm²."""
    return Exp2Synapse(tau_rise, tau_decay, e, weight, spikes, name)


def exp2_factor(tau_rise, tau_decay):
    """The normalisation of :func:`exp2`: one event adding this (× weight) to A and B peaks at
    weight; t_peak = τr·τd/(τd − τr)·ln(τd/τr)."""
    tau_rise, tau_decay = np.asarray(tau_rise, dtype=float), np.asarray(tau_decay, dtype=float)
    tp = tau_rise * tau_decay / (tau_decay - tau_rise) * np.log(tau_decay / tau_rise)
    return 1.0 / (np.exp(-tp / tau_decay) - np.exp(-tp / tau_rise))
