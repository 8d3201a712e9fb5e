"""A single-compartment neuron: membrane + channels, described as data.

Membrane equation (densities; NEURON's units)::

    C dv/dt = I_stim − Σ_channels gbar_c · Π x^p · (v − e_c)

with C in µF/cm², v in mV, t in ms, gbar in mS/cm², currents in µA/cm².

Every numeric value has a *parameter path*:

================  ======  ==================================================
path              unit    meaning
================  ======  ==================================================
``capacitance``   µF/cm²  membrane capacitance (> 0)
``temperature``   °C      temperature applied through each channel's rule
``v_init``        mV      initial membrane potential; gates start at x∞(v_init)
``<ch>.gbar``     mS/cm²  maximal conductance of channel ``<ch>`` (≥ 0)
``<ch>.e``        mV      reversal potential of channel ``<ch>``
``<ch>.q10``      1       Q10 of channel ``<ch>`` (> 0; channels with a Q10 rule)
``<ch>.rate_factor`` 1    fixed rate factor (channels with a FixedFactor rule)
``<ch>.<name>``   –       extra parameter of ``<ch>`` read by its rate expressions
``ca.<name>``     –       calcium (neurons with ``calcium=``; see :mod:`ionzoo.ions`)
``initial.<state>`` –     initial value of a state set by :meth:`Neuron.with_initial`
                          (``initial.M.m``: 1; ``initial.ca.pool``: mM)
================  ======  ==================================================

Initial state
-------------
By default v starts at ``v_init`` and every gate at its steady state x∞(v_init) (calcium pools
at ``ca.cai``). :meth:`Neuron.with_initial` changes that: ``with_initial({"M.m": 0.0})`` starts
one gate at a given value (any number of states; values may be arrays, as every parameter), and
``with_initial(v="rest")`` starts the neuron at its equilibrium under the stimulus' value at
t = 0 — v, and a calcium pool's concentration, solved from the steady-state I–V curve (the
stable equilibrium nearest ``v_init`` where there are several; see :mod:`ionzoo.initial`).

Any of them may be an array: :meth:`Neuron.with_params` accepts scalars, 1-D sequences (which
become a batch dimension named after the path) and :class:`xarray.DataArray` objects (whose
named dimensions are used, so two parameters can share one dimension).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import numpy as np

from .._lazy import is_dataarray
from .._lazy import xarray as _xr
from ..errors import ValidationError, did_you_mean
from ..limits import MAX_CHANNELS
from .channel import Channel, check_name
from .ions import Calcium
from .params import CALCIUM_PARAMETERS, NEURON_PARAMETERS, ParamSpec, check, check_array

if TYPE_CHECKING:  # pragma: no cover
    import xarray as xr

__all__ = ["Neuron", "NEURON_PARAMETERS", "RESERVED_CHANNEL_NAMES"]

#: Names a channel may not take: they name the neuron's own quantities (``v``, ``i_ion``,
#: ``ca.cai``…) and the stimulus (``i_stim``, ``stim<k>.<field>``).
RESERVED_CHANNEL_NAMES = ("ca", "v", "t", "time", "i_ion", "i_stim", "initial")
#: How the membrane potential starts: at ``v_init``, or at the equilibrium (``"rest"``).
STARTS = ("v_init", "rest")
_GATE_START = ParamSpec("1", 0.0, False, 1.0, doc="initial value of a gate")
_POOL_START = ParamSpec("mM", 0.0, True, 1000.0, doc="initial concentration of a pool")


@dataclass(frozen=True)
class Neuron:
    """A single-compartment neuron (pure data; holds no simulation state).

    Parameters
    ----------
    channels:
        The ionic currents, including the leak (channel names must be unique).
    capacitance:
        Membrane capacitance, µF/cm².
    temperature:
        Temperature, °C (each channel applies it through its own rule).
    v_init:
        Initial membrane potential, mV; every gate starts at its steady state x∞(v_init).
    name:
        Label used in summaries and results.
    area:
        Membrane area in µm², only needed to convert absolute currents (nA) to densities
        (:meth:`density`).
    calcium:
        Intracellular calcium (:class:`~ionzoo.ions.Calcium`): required when a channel carries
        calcium with a Nernst reversal, reads ``cai``/``cao``, or a pool is wanted.
    initial:
        Initial values of individual states (``{"M.m": 0.0}``: gates in 1, pool states in mM);
        every other gate starts at x∞. Prefer :meth:`with_initial`, which also takes arrays.
    start:
        ``"v_init"`` (v starts at ``v_init``) or ``"rest"`` (at the equilibrium under the
        stimulus' value at t = 0, see :mod:`ionzoo.initial`).
    """

    channels: tuple[Channel, ...]
    capacitance: float = 1.0
    temperature: float = 6.3
    v_init: float = -65.0
    name: str = "neuron"
    area: float | None = None
    calcium: Calcium | None = None
    overrides: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)
    initial: tuple[tuple[str, float], ...] = ()
    start: str = "v_init"

    def __post_init__(self) -> None:
        chans = tuple(self.channels)
        if len(chans) > MAX_CHANNELS:
            raise ValidationError("channels", f"more than {MAX_CHANNELS} channels")
        for ch in chans:
            if not isinstance(ch, Channel):
                raise ValidationError("channels", f"expected Channel objects, got "
                                      f"{type(ch).__name__}")
        names = [c.name for c in chans]
        dup = {n for n in names if names.count(n) > 1}
        if dup:
            first = sorted(dup)[0]
            raise ValidationError("channels", f"duplicate channel name(s) {sorted(dup)}: give "
                                  f"one another name, e.g. channel.renamed('{first}2')")
        reserved = {*NEURON_PARAMETERS, *RESERVED_CHANNEL_NAMES}
        for n in names:
            if n in reserved or re.fullmatch(r"stim\d+", n):
                raise ValidationError("channels", f"channel name {n!r} is reserved (reserved: "
                                      f"{', '.join(sorted(reserved))}, stim<number>)")
        if self.calcium is not None and not isinstance(self.calcium, Calcium):
            raise ValidationError("calcium", "expected an ionzoo.ions.Calcium or None")
        if self.calcium is None:
            for ch in chans:
                if ch.needs_calcium():
                    why = {"nernst": "has a Nernst reversal", "ghk": "has a GHK current"}.get(
                        ch.reversal, "reads cai/cao")
                    raise ValidationError(f"{ch.name}", f"channel {ch.name!r} {why}: give the "
                                          "neuron calcium=ionzoo.ions.Calcium(...)")
        object.__setattr__(self, "channels", chans)
        for key, spec in NEURON_PARAMETERS.items():
            object.__setattr__(self, key, check(key, getattr(self, key), spec))
        if self.area is not None:
            object.__setattr__(self, "area", check("area", self.area, _AREA))
        check_name("name", self.name)  # it names files and appears in exported scripts
        object.__setattr__(self, "overrides", dict(self.overrides))
        if self.start not in STARTS:
            raise ValidationError("start", f"expected one of {STARTS}, got {self.start!r}")
        object.__setattr__(self, "initial", self._checked_initial(self.initial))

    def _checked_initial(self, initial: Any) -> tuple[tuple[str, float], ...]:
        """``initial`` (a mapping or pairs) as sorted (state, value) pairs, each checked."""
        try:
            items = dict(initial.items() if isinstance(initial, Mapping) else initial)
        except (TypeError, ValueError):
            raise ValidationError("initial", "expected a mapping of state names to "
                                  "numbers") from None
        allowed = self.state_names()
        out = []
        for name, value in items.items():
            if not isinstance(name, str) or name not in allowed[1:]:
                raise ValidationError(f"initial.{name}", "unknown state (states that can be "
                                      f"set: {', '.join(allowed[1:]) or 'none'}; v through "
                                      "v_init or with_initial(v=...))")
            out.append((name, check(f"initial.{name}", value, self._initial_spec(name))))
        order = {n: k for k, n in enumerate(allowed)}
        return tuple(sorted(out, key=lambda kv: order[kv[0]]))

    def state_names(self) -> tuple[str, ...]:
        """The names of the state variables, in the order of the engine: ``v``, the gates with
        kinetics (``<channel>.<gate>``), then the calcium pool (``ca.cai``; a lagged pool also
        ``ca.pool``)."""
        names = ["v"] + [f"{c.name}.{g.name}" for c in self.channels for g in c.leaf_gates()
                         if not g.instantaneous]
        ca = self.calcium
        if ca is not None and ca.pool is not None:
            names += ["ca.cai", "ca.pool"] if ca.lagged else ["ca.cai"]
        return tuple(names)

    @staticmethod
    def _initial_spec(state: str) -> ParamSpec:
        return _POOL_START if state.startswith("ca.") else _GATE_START

    @property
    def initial_state(self) -> dict[str, float]:
        """The states with a given initial value (the rest start at their steady state)."""
        return dict(self.initial)

    @classmethod
    def for_channel(cls, channel: Channel, temperature: float = 6.3) -> Neuron:
        """A neuron of ``channel`` alone (with fixed calcium — :class:`Calcium` defaults — when
        the channel needs calcium): for looking at a channel's gates and currents."""
        calcium = Calcium() if channel.needs_calcium() else None
        return cls(channels=(channel,), temperature=temperature, calcium=calcium,
                   name=channel.name)

    # ------------------------------------------------------------------ parameters
    def channel(self, name: str) -> Channel:
        """The channel called ``name``."""
        for ch in self.channels:
            if ch.name == name:
                return ch
        names = [c.name for c in self.channels]
        raise ValidationError(name, f"unknown channel {name!r}{did_you_mean(name, names)} "
                              f"(channels: {names})")

    def parameter_paths(self) -> list[str]:
        """Every parameter path of this neuron, in a stable order."""
        paths = list(NEURON_PARAMETERS)
        for ch in self.channels:
            paths += [f"{ch.name}.{p}" for p in ch.parameters()]
        if self.calcium is not None:
            paths += [f"ca.{p}" for p in self.calcium.parameters()]
        paths += [f"initial.{k}" for k, _ in self.initial]
        return paths

    def default(self, path: str) -> float:
        """The scalar default value of ``path`` (ignoring batch overrides)."""
        if path in NEURON_PARAMETERS:
            return getattr(self, path)
        ch_name, _, pname = path.partition(".")
        if not pname:
            raise ValidationError(path, "unknown parameter (expected 'capacitance', "
                                  "'temperature', 'v_init' or 'CHANNEL.NAME')")
        if ch_name == "initial":
            given = dict(self.initial)
            if pname not in given:
                raise ValidationError(path, f"state {pname!r} has no initial value of its own "
                                      "(give one with Neuron.with_initial)")
            return given[pname]
        if ch_name == "ca":
            if self.calcium is None:
                raise ValidationError(path, "this neuron has no calcium description")
            cparams = self.calcium.parameters()
            if pname not in cparams:
                raise ValidationError(path, f"unknown calcium parameter {pname!r}"
                                      f"{did_you_mean(pname, cparams)} "
                                      f"(parameters: {sorted(cparams)})")
            return cparams[pname]
        params = self.channel(ch_name).parameters()
        if pname not in params:
            raise ValidationError(path, f"channel {ch_name!r} has no parameter {pname!r}"
                                  f"{did_you_mean(pname, params)} "
                                  f"(parameters: {sorted(params)})")
        return params[pname]

    def spec(self, path: str) -> ParamSpec:
        """Unit and bounds of a parameter path (the table of :mod:`ionzoo.model.params`)."""
        self.default(path)  # validates the path
        if path in NEURON_PARAMETERS:
            return NEURON_PARAMETERS[path]
        owner, _, name = path.partition(".")
        if owner == "initial":
            return self._initial_spec(name)
        if owner == "ca":
            return CALCIUM_PARAMETERS[name]
        return self.channel(owner).parameter_spec(name)

    def unit(self, path: str) -> str:
        """Unit of a parameter path."""
        return self.spec(path).unit

    def value(self, path: str) -> Any:
        """The value of ``path``: its batch override if any, else its default (float)."""
        self.default(path)  # validates the path
        return self.overrides.get(path, self.default(path))

    def with_params(self, params: Mapping[str, Any] | None = None, **kwargs: Any) -> Neuron:
        """A copy with new parameter values; arrays make a batch.

        ``neuron.with_params(**{"Na.gbar": [60, 120], "temperature": 16.3})`` or
        ``neuron.with_params({"Na.gbar": xr.DataArray(...)})``. Scalars replace the default;
        1-D sequences get a dimension named after the path; a :class:`xarray.DataArray` keeps its
        dimension names (parameters with the same dimension name vary together).
        """
        updates = {**(params or {}), **kwargs}
        overrides = dict(self.overrides)
        new = self
        for path, val in updates.items():
            if not isinstance(path, str):
                raise ValidationError("with_params", f"parameter paths are text, got {path!r}")
            arr = _as_batch_value(path, val, self.spec(path))
            if arr.ndim == 0:
                overrides.pop(path, None)
                new = new._with_default(path, float(arr))
            else:
                overrides[path] = arr
        return replace(new, overrides=overrides)

    def _with_default(self, path: str, value: float) -> Neuron:
        if path in NEURON_PARAMETERS:
            return replace(self, **{path: value}, overrides=self.overrides)  # type: ignore[arg-type]
        ch_name, _, pname = path.partition(".")
        if ch_name == "initial":
            return replace(self, initial=_pairs({**dict(self.initial), pname: value}),
                           overrides=self.overrides)
        if ch_name == "ca":
            assert self.calcium is not None
            calcium = replace(self.calcium, **{pname: value})  # type: ignore[arg-type]
            return replace(self, calcium=calcium, overrides=self.overrides)
        chans = tuple(c.with_defaults(**{pname: value}) if c.name == ch_name else c
                      for c in self.channels)
        return replace(self, channels=chans, overrides=self.overrides)

    def with_initial(self, states: Mapping[str, Any] | None = None, *,
                     v: float | str | Any = None) -> Neuron:
        """A copy that starts from a different initial state.

        ``states`` maps state names (:meth:`state_names`) to initial values — gates in 1,
        pool states in mM; ``"ca.cai"`` of a pool sets the parameter ``ca.cai``. Values may be
        arrays (a batch dimension ``initial.<state>``, or a DataArray's own dimensions).
        ``v`` is a number or array (mV; sets ``v_init``) or ``"rest"``: start at the
        equilibrium under the stimulus' value at t = 0 (:mod:`ionzoo.initial`).
        States not named keep their steady state x∞ at the initial v.
        """
        new = self
        if isinstance(v, str):
            if v not in ("rest",):
                raise ValidationError("initial.v", f"expected a number or 'rest', got {v!r}")
            new = replace(new, start="rest", overrides=new.overrides)
        elif v is not None:
            new = replace(new, start="v_init", overrides=new.overrides).with_params(v_init=v)
        if states is not None and not isinstance(states, Mapping):
            raise ValidationError("initial", "expected a mapping of state names to values")
        params: dict[str, Any] = {}
        pool_cai = self.calcium is not None and self.calcium.pool is not None
        for name, value in (states or {}).items():
            if name == "v":
                raise ValidationError("initial.v", "give v with with_initial(v=...)")
            if name == "ca.cai" and pool_cai:
                params["ca.cai"] = value
                continue
            scalar = np.ndim(value) == 0 and not is_dataarray(value)
            default = value if scalar else _first(value, f"initial.{name}")
            new = replace(new, initial=_pairs({**dict(new.initial), name: default}),
                          overrides=new.overrides)
            if not scalar:
                params[f"initial.{name}"] = value
        return new.with_params(params) if params else new

    # ------------------------------------------------------------------ structure edits
    def with_channel(self, channel: Channel) -> Neuron:
        """A copy with ``channel`` added, or replacing the channel of the same name."""
        names = [c.name for c in self.channels]
        if channel.name in names:
            chans = tuple(channel if c.name == channel.name else c for c in self.channels)
        else:
            chans = (*self.channels, channel)
        return self._rebuilt(chans)

    def without_channel(self, name: str) -> Neuron:
        """A copy without the channel called ``name``."""
        self.channel(name)
        chans = tuple(c for c in self.channels if c.name != name)
        return self._rebuilt(chans)

    def _rebuilt(self, chans: tuple[Channel, ...]) -> Neuron:
        """A copy with ``chans``, keeping the overrides and initial values that still apply."""
        states = set(replace(self, channels=chans, initial=()).state_names())
        initial = tuple((k, x) for k, x in self.initial if k in states)
        overrides = {k: x for k, x in self._overrides_for(chans).items()
                     if not k.startswith("initial.") or k[len("initial."):] in states}
        return replace(self, channels=chans, initial=initial, overrides=overrides)

    def _overrides_for(self, chans: Iterable[Channel]) -> dict:
        keep = set(NEURON_PARAMETERS) | {f"{c.name}.{p}" for c in chans for p in c.parameters()}
        keep |= {k for k in self.overrides if k.startswith(("ca.", "initial."))}
        return {k: v for k, v in self.overrides.items() if k in keep}

    @property
    def batch_shape(self) -> dict[str, int]:
        """Sizes of the batch dimensions created by array-valued parameters."""
        if not self.overrides:
            return {}
        return dict(_xr().broadcast(*self.overrides.values())[0].sizes)

    def structure_key(self) -> tuple:
        """What determines compiled code (channels' structure), independent of values."""
        ca = self.calcium
        pool = None if ca is None else ("ca", ca.pool or "fixed", ca.method, ca.lagged)
        return (tuple(c.structure_key() for c in self.channels), pool,
                tuple(k for k, _ in self.initial))

    def density(self, current_na):
        """Convert an absolute current in nA to a density in µA/cm² using ``area`` (µm²)."""
        if self.area is None:
            raise ValidationError("area", f"neuron {self.name!r} has no area: currents must be "
                                  "given as densities (µA/cm²)")
        return np.asarray(current_na, dtype=float) * 1e5 / self.area

    def __str__(self) -> str:
        lines = [f"Neuron {self.name!r}: C = {self.capacitance:g} µF/cm², "
                 f"T = {self.temperature:g} °C, v_init = {self.v_init:g} mV"]
        for ch in self.channels:
            lines.append("  " + str(ch).replace("\n", "\n  "))
        if self.start == "rest":
            lines.append("  starts at rest (the equilibrium under the stimulus at t = 0)")
        for k, x in self.initial:
            lines.append(f"  initial {k} = {x:g}")
        for path, val in self.overrides.items():
            lines.append(f"  batch: {path} over dims {tuple(val.dims)} ({val.size} values)")
        return "\n".join(lines)


_AREA = ParamSpec("um2", 0.0, True, doc="membrane area")


def _pairs(values: Mapping[str, Any]) -> tuple[tuple[str, float], ...]:
    """Initial values as the (state, value) pairs :class:`Neuron` keeps (checked there)."""
    return tuple(values.items())


def _first(value: Any, where: str) -> float:
    """The first element of a batch value (the scalar default that the override replaces)."""
    arr = value.values if is_dataarray(value) else np.asarray(value)
    if arr.size == 0:
        raise ValidationError(where, "empty array")
    if arr.dtype.kind not in "iuf":
        raise ValidationError(where, f"expected numbers, got {type(value).__name__}")
    return float(arr.flat[0])


def _as_batch_value(path: str, val: Any, spec: ParamSpec) -> xr.DataArray:
    """Turn a user value into a DataArray (0-d for scalars), checked against ``spec``."""
    if is_dataarray(val):
        if val.dtype.kind not in "iuf":
            raise ValidationError(path, f"expected numbers, got an array of {val.dtype}")
        arr = val.astype(float)
    elif np.ndim(val) == 0 and not isinstance(val, (str, bytes)):
        scalar = val[()] if isinstance(val, np.ndarray) else val
        arr = _xr().DataArray(check(path, scalar, spec))
    else:
        try:
            raw = np.asarray(val)
        except (TypeError, ValueError):
            raise ValidationError(path, f"expected a number or an array of numbers, got "
                                  f"{type(val).__name__}") from None
        if raw.dtype.kind not in "iuf":
            raise ValidationError(path, f"expected numbers, got {type(val).__name__} of "
                                  f"{raw.dtype}")
        raw = raw.astype(float)
        if raw.ndim != 1:
            raise ValidationError(path, f"{raw.ndim}-D array: pass an xarray.DataArray to "
                                  "name its dimensions")
        arr = _xr().DataArray(raw, dims=(path,), coords={path: raw})
    if arr.size == 0:
        raise ValidationError(path, "empty array")
    check_array(path, arr.values, spec)
    return arr
