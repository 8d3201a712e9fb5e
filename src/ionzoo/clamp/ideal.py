"""The ideal voltage clamp: v is forced to a command, the gates follow it, every current is
recorded.

The command is ``hold`` (mV) plus any :mod:`ionzoo.stimulus` waveform read in mV
(``step(levels, start, stop)`` is a step family when ``levels`` is an array; ``ramp``,
``pulse_train``, sampled ``waveform`` and their sums work as for currents). As in the engine,
the command is evaluated at the middle of each step, t + dt/2. Over each step every gate
advances exactly as NEURON's ``cnexp`` does at a fixed v:
x ← x∞(v) + (x − x∞(v))·exp(−dt/τ(v)), which is the exact solution while the command is
constant, so a step family is exact at any dt up to the time at which the step edges are
sampled. Instantaneous gates are x∞(v). The clamp current is the total ionic current
(µA/cm², outward positive) that the amplifier must supply to hold v; the capacitive current,
C·dv/dt, is zero between command edges and a Dirac pulse at each edge, and is left out (an
ideal clamp charges the membrane instantly).

Neurons with a calcium *pool* are not clamped here yet (their calcium follows the current,
which needs the pool's own update); fixed calcium is fine.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import xarray as xr

from ..batch import build_batch
from ..errors import ValidationError
from ..expr import Expr
from ..limits import MAX_CLAMP_SAMPLES
from ..lower import lower
from ..model.neuron import Neuron
from ..model.noise import Noise
from ..model.params import number
from ..model.stimulus import Stimulus, Waveform, as_stimulus
from ..model.synapses import Synapse

__all__ = ["voltage_clamp", "ClampResult"]


@dataclass(frozen=True)
class ClampResult:
    """The recordings of a voltage clamp: ``dataset`` has ``v`` (the command, mV),
    ``i_clamp`` and ``<channel>.i`` (µA/cm²), ``<channel>.g`` (mS/cm²) and every gate, over
    the batch dimensions and ``time`` (ms)."""

    dataset: xr.Dataset

    @property
    def t(self) -> np.ndarray:
        """Sample times, ms."""
        return self.dataset["time"].values

    def __getitem__(self, name: str) -> xr.DataArray:
        return self.dataset[name]


def _positive(field: str, value: Any) -> float:
    out = number(field, value)
    if out <= 0:
        raise ValidationError(field, f"must be > 0, got {out!r}")
    return out


def voltage_clamp(neuron: Neuron, command: Stimulus | float | None = None, *,
                  hold: float = -80.0, t_stop: float, dt: float = 0.01) -> ClampResult:
    """Clamp ``neuron`` at ``hold + command(t)`` (mV) from t = 0 to ``t_stop`` (ms).

    Every gate starts at its steady state at the holding potential (or at the values given by
    :meth:`~ionzoo.Neuron.with_initial`). Array-valued neuron parameters and command fields
    make batch dimensions, as in :func:`ionzoo.simulate`. Returns a :class:`ClampResult`
    sampled at every step (t = 0, dt, …, t_stop).
    """
    if not isinstance(neuron, Neuron):
        raise ValidationError("neuron", f"expected an ionzoo.Neuron, got {type(neuron).__name__}")
    if neuron.calcium is not None and neuron.calcium.pool is not None:
        raise ValidationError("neuron", "the voltage clamp does not support calcium pools yet "
                              "(give the neuron fixed calcium: Calcium(pool=None))")
    hold = number("hold", hold)
    if not -200.0 <= hold <= 200.0:
        raise ValidationError("hold", f"must be within ±200 mV, got {hold!r}")
    t_stop, dt = _positive("t_stop", t_stop), _positive("dt", dt)
    n_steps = int(round(t_stop / dt))
    if n_steps < 1 or abs(n_steps * dt - t_stop) > 1e-9 * max(1.0, t_stop):
        raise ValidationError("t_stop", f"must be a positive multiple of dt ({t_stop!r} / "
                              f"{dt!r} is not an integer)")
    components = as_stimulus(command)
    for comp in components:
        if isinstance(comp, (Synapse, Noise)):
            raise ValidationError("command", f"a {comp.kind} input is not a voltage command "
                                  "(use steps, pulses, ramps or waveforms in mV)")
    ir = lower(neuron.with_params(v_init=hold), components)
    batch = build_batch(neuron.with_params(v_init=hold), components, ir, np.dtype(np.float64))
    if batch.n * (n_steps + 1) > MAX_CLAMP_SAMPLES:
        raise ValidationError("t_stop", f"{batch.n} clamped neurons × {n_steps + 1} samples "
                              f"is more than the limit of {MAX_CLAMP_SAMPLES:.0e}")
    env: dict[str, Any] = {rid: batch.P[k] for k, rid in enumerate(ir.rows)}
    for table in ir.tables:
        comp = components[int(table[4:])]
        assert isinstance(comp, Waveform)
        env[table] = comp.values
    data = _integrate(ir, env, hold, n_steps, dt, batch.n)
    return ClampResult(_dataset(neuron, ir, batch, data, dt, hold))


def _integrate(ir, env: dict[str, Any], hold: float, n_steps: int, dt: float, n: int,
               ) -> dict[str, np.ndarray]:
    """Every recorded quantity at every sample, shape (n, n_steps + 1). The command and the
    gates' x∞ and rates are evaluated for all steps at once; the gates then follow the linear
    recurrence x ← x∞ + (x − x∞)·exp(−dt·rate), one vector operation per step."""
    cols = {k: (x[:, None] if isinstance(x, np.ndarray) and x.shape == (n,) else x)
            for k, x in env.items()}
    t_mid = ((np.arange(n_steps) + 0.5) * dt)[None, :]
    with np.errstate(all="ignore"):
        command = np.asarray(ir.stimulus.evaluate({**cols, "t": t_mid}), dtype=float)
    v_mid = np.broadcast_to(hold + command, (n, n_steps))
    v = np.concatenate([np.full((n, 1), hold), v_mid], axis=1)
    gates: dict[str, np.ndarray] = {}
    for g in ir.kinetic_gates():
        with np.errstate(all="ignore"):
            inf = np.broadcast_to(np.asarray(g.inf.evaluate({**cols, "v": v_mid}),
                                             dtype=float), (n, n_steps))
            decay = np.broadcast_to(np.exp(-dt * np.asarray(
                g.rate.evaluate({**cols, "v": v_mid}), dtype=float)), (n, n_steps))
        x = np.empty((n, n_steps + 1))
        x[:, 0] = _initial(ir, g, cols, hold, n)
        for k in range(n_steps):
            x[:, k + 1] = inf[:, k] + (x[:, k] - inf[:, k]) * decay[:, k]
        gates[g.name] = x
    out: dict[str, np.ndarray] = {"v": v, **gates}
    values = {**cols, **gates, "v": v}
    with np.errstate(all="ignore"):
        for name, expr in _watched(ir).items():
            out[name] = np.broadcast_to(np.asarray(expr.evaluate(values), dtype=float),
                                        (n, n_steps + 1)).copy()
    return out


def _initial(ir, gate, cols: dict[str, Any], hold: float, n: int) -> np.ndarray:
    """A gate's value at t = 0: its initial-state expression (x∞ at the holding potential,
    since v_init = hold, or the value given with ``with_initial``)."""
    state = next(s for s in ir.states if s.name == gate.name)
    value = np.asarray(state.init.evaluate(cols), dtype=float)
    if value.ndim == 2:  # parameters as columns: (n, 1)
        return np.broadcast_to(value, (n, 1))[:, 0]
    return np.broadcast_to(value, (n,))


def _watched(ir) -> dict[str, Expr]:
    """What the clamp records besides v and the gates: each channel's conductance and current,
    instantaneous gates, and the clamp current."""
    out: dict[str, Expr] = {}
    for g in ir.gates:
        if g.instantaneous:
            out[g.name] = g.inf
    for c in ir.currents:
        out[f"{c.channel}.g"] = c.conductance
        out[f"{c.channel}.i"] = c.current
    out["i_clamp"] = ir.ion_current()
    return out


_UNITS = {"v": "mV", "i_clamp": "uA/cm2"}


def _dataset(neuron: Neuron, ir, batch, data: dict[str, np.ndarray], dt: float,
             hold: float) -> xr.Dataset:
    dims, sizes = batch.dims, batch.sizes
    n_samples = next(iter(data.values())).shape[1]
    coords: dict[str, Any] = {d: (d, np.asarray(batch.coords[d])) for d in dims
                              if d in batch.coords}
    coords["time"] = ("time", np.arange(n_samples) * dt, {"units": "ms"})
    variables = {}
    for name, arr in data.items():
        unit = _UNITS.get(name) or ("uA/cm2" if name.endswith(".i") else
                                    "mS/cm2" if name.endswith(".g") else "1")
        variables[name] = ((*dims, "time"), arr.reshape((*sizes, n_samples)), {"units": unit})
    ds = xr.Dataset(variables, coords=coords,
                    attrs={"model": neuron.name, "hold_mV": hold, "dt": dt,
                           "clamp": "ideal (v forced; capacitive current left out)"})
    ds["i_clamp"].attrs["long_name"] = "clamp current = total ionic current (outward +)"
    return ds
