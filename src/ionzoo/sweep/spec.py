"""The sweep specification: what to simulate, over which design, and what to keep per model.

A spec is data (a YAML/JSON file or a Python object), validated by pydantic at the boundary:
every field is typed, unknown keys are refused, and the messages name the field. Parameter
paths and the model are checked against the neuron itself by :meth:`SweepSpec.neuron` before
any work starts.

Units: times in ms, currents in µA/cm², conductances in mS/cm² (the parameter's own unit,
see ``ionzoo params``).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from ..errors import ValidationError as IonzooError
from ..limits import MAX_STEPS

__all__ = ["SweepSpec", "GridDesign", "ListDesign", "SampleDesign", "StimulusSpec",
           "AnalysisSpec", "load_spec", "COMPUTE", "MAX_MODELS"]

#: Largest design accepted (models).
MAX_MODELS = 10 ** 8
Compute = Literal["class", "features", "spike_count", "v_stats"]
#: What a sweep can keep per model.
COMPUTE: tuple[Compute, ...] = ("class", "features", "spike_count", "v_stats")
_MAX_PATH = 120
_MAX_SPEC_BYTES = 1 << 20


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _paths(values: dict) -> dict:
    for path in values:
        if not isinstance(path, str) or not 0 < len(path) <= _MAX_PATH:
            raise ValueError(f"parameter path {path!r} is not a name of at most {_MAX_PATH} "
                             "characters")
    return values


class GridDesign(_Strict):
    """Every combination of the given values (C order: the first axis varies slowest, as the
    Prinz database numbers its models)."""

    kind: Literal["grid"]
    axes: dict[str, Annotated[list[float], Field(min_length=1, max_length=100_000)]]

    @field_validator("axes")
    @classmethod
    def _check(cls, axes: dict) -> dict:
        if not axes:
            raise ValueError("a grid needs at least one axis")
        return _paths(axes)


class ListDesign(_Strict):
    """An explicit list of models: one value per model for each parameter."""

    kind: Literal["list"]
    values: dict[str, Annotated[list[float], Field(min_length=1)]]

    @field_validator("values")
    @classmethod
    def _check(cls, values: dict) -> dict:
        if not values:
            raise ValueError("a list design needs at least one parameter")
        if len({len(v) for v in values.values()}) != 1:
            raise ValueError("every parameter needs the same number of values")
        return _paths(values)


class SampleDesign(_Strict):
    """``n`` models drawn uniformly (``random``: NumPy's PCG64 with ``seed``) or from a
    scrambled Sobol sequence (``sobol``: SciPy's, seeded) over ``ranges`` [low, high]."""

    kind: Literal["random", "sobol"]
    n: Annotated[int, Field(ge=1, le=MAX_MODELS)]
    seed: Annotated[int, Field(ge=0, lt=2 ** 63)] = 0
    ranges: dict[str, tuple[float, float]]

    @field_validator("ranges")
    @classmethod
    def _check(cls, ranges: dict) -> dict:
        if not ranges:
            raise ValueError("a sample design needs at least one range")
        for path, (low, high) in ranges.items():
            if not high > low:
                raise ValueError(f"the range of {path!r} is empty ({low} to {high})")
        return _paths(ranges)


class StimulusSpec(_Strict):
    """``none``; ``constant`` (``amplitude`` from t = 0); or ``step`` (``amplitude`` from
    ``start`` to ``stop``, ms)."""

    kind: Literal["none", "constant", "step"] = "none"
    amplitude: float = 0.0
    start: Annotated[float, Field(ge=0)] = 0.0
    stop: Annotated[float, Field(gt=0)] | None = None


class AnalysisSpec(_Strict):
    """The window [``start``, t_stop) the features are computed in, the spike ``threshold``
    (mV) and the thresholds of :class:`~ionzoo.analysis.ActivityRules`."""

    start: Annotated[float, Field(ge=0)] = 0.0
    threshold: float = 0.0
    tolerance: Annotated[float, Field(gt=0, lt=1)] = 0.05
    burst_ratio: Annotated[float, Field(gt=1)] = 2.0
    min_cycles: Annotated[int, Field(ge=2)] = 3
    max_period_spikes: Annotated[int, Field(ge=1, le=10_000)] = 100
    max_rate: Annotated[float, Field(gt=0, le=5000)] = 500.0


class SweepSpec(_Strict):
    """A sweep: the ``model`` (a name of ``ionzoo models`` or a model file, relative to the
    spec's folder), fixed ``parameters``, the ``stimulus``, the run (``t_stop``, ``dt`` ms,
    ``method``, ``dtype``), the ``design``, the ``analysis`` and what to ``compute``."""

    version: Literal[1] = 1
    model: Annotated[str, Field(min_length=1, max_length=4096)]
    parameters: dict[str, float] = {}
    stimulus: StimulusSpec = StimulusSpec()
    t_stop: Annotated[float, Field(gt=0)]
    dt: Annotated[float, Field(gt=0)] = 0.05
    method: Literal["backward_euler", "crank_nicolson"] = "backward_euler"
    dtype: Literal["float64", "float32"] = "float64"
    design: GridDesign | ListDesign | SampleDesign = Field(discriminator="kind")
    analysis: AnalysisSpec = AnalysisSpec()
    compute: Annotated[list[Compute], Field(min_length=1)] = list(COMPUTE)
    base_dir: str = Field(default=".", exclude=True)

    @field_validator("parameters")
    @classmethod
    def _check_parameters(cls, values: dict) -> dict:
        return _paths(values)

    @model_validator(mode="after")
    def _check_run(self) -> SweepSpec:
        if self.t_stop / self.dt > MAX_STEPS:
            raise ValueError(f"t_stop / dt = {self.t_stop / self.dt:.3g} steps, more than "
                             f"{MAX_STEPS:.0e}")
        if abs(round(self.t_stop / self.dt) * self.dt - self.t_stop) > 1e-9 * self.t_stop:
            raise ValueError(f"t_stop must be a multiple of dt ({self.t_stop} / {self.dt})")
        if self.analysis.start >= self.t_stop:
            raise ValueError(f"analysis.start ({self.analysis.start}) must be before t_stop "
                             f"({self.t_stop})")
        names = self.design_parameters()
        if set(names) & set(self.parameters):
            raise ValueError(f"{sorted(set(names) & set(self.parameters))[0]!r} is both fixed "
                             "and swept")
        return self

    # ------------------------------------------------------------------ helpers
    def design_parameters(self) -> tuple[str, ...]:
        """The swept parameter paths, in design order."""
        d = self.design
        table = d.axes if isinstance(d, GridDesign) else \
            d.values if isinstance(d, ListDesign) else d.ranges
        return tuple(table)

    def canonical(self) -> dict[str, Any]:
        """The spec as plain data with every default filled in (what the store keeps)."""
        return self.model_dump(mode="json")

    def digest(self, model_text: str) -> str:
        """SHA-256 of the canonical spec, the order of the design's parameters (it numbers
        the models) and the model's own description: a store written for one digest refuses
        another."""
        blob = json.dumps({"spec": self.canonical(), "model": model_text,
                           "order": list(self.design_parameters())}, sort_keys=True)
        return hashlib.sha256(blob.encode()).hexdigest()

    def model_path(self) -> Path | None:
        """The model file, when ``model`` is not a registry name."""
        from ..models import REGISTRY

        if self.model in REGISTRY:
            return None
        return Path(self.base_dir) / self.model

    def neuron(self):
        """The neuron with the fixed parameters applied; every swept path checked (raises
        :class:`ionzoo.errors.ValidationError` naming the field)."""
        from ..io.modelfile import load
        from ..model.neuron import Neuron
        from ..models import REGISTRY

        path = self.model_path()
        if path is None:
            cell = REGISTRY[self.model]()
        else:
            if not path.is_file():
                from ..errors import did_you_mean

                raise IonzooError("model", f"{self.model!r} is neither a model name nor a "
                                  f"model file{did_you_mean(self.model, REGISTRY)}")
            cell = load(path)
            if not isinstance(cell, Neuron):
                raise IonzooError("model", f"{self.model!r} holds a channel, not a neuron")
        cell = cell.with_params(dict(self.parameters)) if self.parameters else cell
        for p in self.design_parameters():
            cell.spec(p)
        return cell


def load_spec(source: str | Path | dict) -> SweepSpec:
    """A :class:`SweepSpec` from a YAML/JSON file or a mapping; errors name the field."""
    import yaml

    base = "."
    if isinstance(source, dict):
        doc: Any = source
    else:
        path = Path(source)
        if not path.is_file():
            raise IonzooError("spec", f"{str(path)!r} is not a file")
        if path.stat().st_size > _MAX_SPEC_BYTES:
            raise IonzooError("spec", f"{str(path)!r} is larger than {_MAX_SPEC_BYTES} bytes")
        text = path.read_text(encoding="utf-8")
        try:
            doc = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise IonzooError("spec", f"{str(path)!r} is not valid YAML/JSON: {exc}") from None
        except RecursionError:
            raise IonzooError("spec", f"{str(path)!r} is nested too deeply") from None
        base = str(path.parent)
    if not isinstance(doc, dict):
        raise IonzooError("spec", "a sweep spec is a mapping (keys model, t_stop, design, …)")
    try:
        return SweepSpec(**{**doc, "base_dir": base})
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(x) for x in first["loc"]) or "spec"
        raise IonzooError(f"spec.{where}", first["msg"]) from None
    except TypeError as exc:
        raise IonzooError("spec", str(exc)) from None
    except RecursionError:
        raise IonzooError("spec", "nested too deeply") from None
