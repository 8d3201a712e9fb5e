"""The event arrays the kernels read for each synapse of a run: every neuron's spike train
(ms, sorted, +inf padded) and the index of its next event.

Generated trains depend only on their own values — (seed, rate, start, stop) — never on the
neuron's column, so the same seed gives the same train anywhere in any batch. Poisson trains
draw exponential intervals with NumPy's PCG64 generator seeded by ``seed``; regular trains are
start + k·1000/rate.
"""

from __future__ import annotations

import math

import numpy as np

from .batch import Batch
from .errors import ValidationError
from .ir import ModelIR
from .model.stimulus import Stimulus
from .model.synapses import Exp2Synapse, Synapse

__all__ = ["event_arrays", "MAX_EVENTS"]

#: Most events (all neurons, all synapses) of one run.
MAX_EVENTS = 200_000_000


def event_arrays(ir: ModelIR, components: tuple[Stimulus, ...], batch: Batch,
                 t_stop: float) -> list[np.ndarray]:
    """[E0, Q0, E1, Q1, …] for the synapses of ``ir`` (events up to ``t_stop`` ms)."""
    rows = {pid: k for k, pid in enumerate(ir.rows)}
    out: list[np.ndarray] = []
    budget = MAX_EVENTS
    for ev in ir.events:
        k = int(ev.source[4:])
        comp = components[k]
        assert isinstance(comp, Synapse)
        if isinstance(comp, Exp2Synapse):
            rise, decay = (batch.P[rows[f"{ev.source}.{f}"]] for f in ("tau_rise", "tau_decay"))
            if np.any(rise >= decay):
                raise ValidationError(f"stimulus.{comp.name}.tau_rise",
                                      "must be shorter than tau_decay")
        col = {f: batch.P[rows[f"{ev.source}.{f}"]].astype(float)
               for f in ("rate", "seed", "start", "stop", "train") if f"{ev.source}.{f}" in rows}
        trains = _trains(comp, col, batch.n, t_stop, budget)
        budget -= sum(len(x) for x in trains)
        width = max(len(x) for x in trains) + 1
        E = np.full((batch.n, width), np.inf)
        for i, x in enumerate(trains):
            E[i, : len(x)] = x
        out += [E, np.zeros(batch.n, dtype=np.int64)]
    return out


def _trains(comp: Synapse, col: dict[str, np.ndarray], n: int, t_stop: float,
            budget: int) -> list[np.ndarray]:
    """Each neuron's train (generated once per distinct set of values)."""
    if comp.spikes.kind == "times":
        given = comp.spikes.trains
        index = col["train"].astype(int) if "train" in col else np.zeros(n, dtype=int)
        return [given[i] for i in index]
    keys = np.stack([col[f] for f in ("rate", "seed", "start", "stop")], axis=1)
    unique, inverse = np.unique(keys, axis=0, return_inverse=True)
    made = []
    for rate, seed, start, stop in unique:
        end = min(stop, t_stop)
        expected = rate / 1000.0 * max(end - start, 0.0)
        if expected * len(np.flatnonzero(np.all(keys == (rate, seed, start, stop), axis=1))) \
                > budget:
            raise ValidationError(f"stimulus.{comp.name}.rate", f"more than {MAX_EVENTS:.0e} "
                                  "events in one run")
        made.append(_generate(comp.spikes.kind, rate, int(seed), start, end))
    return [made[i] for i in np.ravel(inverse)]


def _generate(kind: str, rate: float, seed: int, start: float, end: float) -> np.ndarray:
    """Event times (ms) in [start, end) of one train."""
    if end <= start:
        return np.empty(0)
    mean_isi = 1000.0 / rate
    if kind == "regular":
        count = math.ceil((end - start) / mean_isi)
        out = start + mean_isi * np.arange(count)
        return out[out < end]
    rng = np.random.Generator(np.random.PCG64(seed))
    expected = (end - start) / mean_isi
    chunks, t = [], start
    size = int(expected + 10 * math.sqrt(expected) + 16)
    while t < end:
        isi = rng.exponential(mean_isi, size)
        times = t + np.cumsum(isi)
        chunks.append(times)
        t = times[-1]
    out = np.concatenate(chunks)
    return out[out < end]
