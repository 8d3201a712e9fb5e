"""Bad input gets a clear error naming the field (ValidationError is a ValueError)."""

import numpy as np
import pytest

import ionzoo as iz
from ionzoo.channels import Channel, Gate
from ionzoo.errors import ExpressionError, ValidationError


@pytest.mark.parametrize("params, field, reason", [
    ({"Na.gbar": float("nan")}, "Na.gbar", "finite"),
    ({"Na.gbar": -1.0}, "Na.gbar", ">= 0"),
    ({"K.gbar": [36.0, -2.0]}, "K.gbar", ">= 0"),
    ({"capacitance": 0.0}, "capacitance", "> 0"),
    ({"capacitance": -1.0}, "capacitance", "> 0"),
    ({"temperature": -300.0}, "temperature", ">= -20"),
    ({"Na.q10": 0.0}, "Na.q10", "> 0"),
    ({"Nav.gbar": 1.0}, "Nav", "unknown channel"),
    ({"Na.gmax": 1.0}, "Na.gmax", "no parameter"),
    ({"nonsense": 1.0}, "nonsense", "unknown parameter"),
    ({"Na.gbar": "a lot"}, "Na.gbar", "number"),
    ({"Na.gbar": np.ones((2, 2))}, "Na.gbar", "DataArray"),
])
def test_bad_parameters(hh, params, field, reason):
    with pytest.raises(ValidationError) as info:
        hh.with_params(**params)
    assert info.value.field == field
    assert reason in str(info.value)
    assert str(info.value).startswith(field)


@pytest.mark.parametrize("kwargs, field", [
    ({"dt": 0.0}, "dt"),
    ({"dt": -0.01}, "dt"),
    ({"dt": float("nan")}, "dt"),
    ({"dt": 20.0}, "dt"),
    ({"t_stop": 0.0}, "t_stop"),
    ({"t_stop": 10.01, "dt": 0.025}, "t_stop"),
    ({"method": "rk4"}, "method"),
    ({"record": ["Na.x"]}, "record"),
    ({"record_every": 0}, "record_every"),
    ({"threshold": float("nan")}, "threshold"),
    ({"max_spikes": -1}, "max_spikes"),
    ({"dtype": "float16"}, "dtype"),
])
def test_bad_simulation_settings(hh, kwargs, field):
    args = {"t_stop": 10.0, "dt": 0.025, **kwargs}
    with pytest.raises(ValidationError) as info:
        iz.simulate(hh, iz.stimulus.step(1.0), **args)
    assert info.value.field == field


@pytest.mark.parametrize("make, field", [
    (lambda: iz.stimulus.step(float("nan")), "stimulus.step.amplitude"),
    (lambda: iz.stimulus.step(1.0, start=-1.0), "stimulus.step.start"),
    (lambda: iz.stimulus.pulse(1.0, 0.0, -1.0), "stimulus.pulse.duration"),
    (lambda: iz.stimulus.pulse_train(1.0, 0.0, 2.0, 1.0), "stimulus.pulse_train.duration"),
    (lambda: iz.stimulus.ramp(1.0, start=5.0, stop=5.0), "stimulus.ramp.stop"),
    (lambda: iz.stimulus.waveform([1.0], dt=0.1), "stimulus.waveform.values"),
    (lambda: iz.stimulus.waveform([1.0, 2.0], dt=0.0), "stimulus.waveform.dt"),
    (lambda: iz.stimulus.step([]), "stimulus.step.amplitude"),
])
def test_bad_stimuli(make, field):
    with pytest.raises(ValidationError) as info:
        make()
    assert info.value.field == field


def test_bad_stimulus_type(hh):
    with pytest.raises(ValidationError, match="stimulus"):
        iz.simulate(hh, "10 uA", t_stop=1.0)


@pytest.mark.parametrize("text", ["__import__('os').system('true')", "().__class__", "v.real"])
def test_malicious_rate_expression_in_a_channel(text):
    with pytest.raises(ExpressionError):
        Channel("X", gates=(Gate("m", 1, alpha=text, beta="1.0"),), gbar=1.0)


def test_unknown_name_in_channel_expression():
    with pytest.raises(ExpressionError, match="unknown name 'vhalf'"):
        Channel("X", gates=(Gate("m", 1, inf="1/(1+exp(-(v-vhalf)/5))", tau="2.0"),))
    # declared as a channel parameter, it is accepted and batchable
    ch = Channel("X", gates=(Gate("m", 1, inf="1/(1+exp(-(v-vhalf)/5))", tau="2.0"),),
                 params={"vhalf": -30.0})
    assert ch.parameters()["vhalf"] == -30.0


def test_gate_and_channel_structure_errors():
    with pytest.raises(ValidationError, match="either alpha and beta, or inf and tau"):
        Gate("m", 1, alpha="1", inf="0.5")
    with pytest.raises(ValidationError, match="power"):
        Gate("m", 0, alpha="1", beta="1")
    with pytest.raises(ValidationError, match="not a valid name"):
        Channel("Na-v")
    with pytest.raises(ValidationError, match="duplicate channel"):
        iz.Neuron(channels=(Channel("L", gbar=1.0), Channel("L", gbar=2.0)))
    with pytest.raises(ValidationError, match="Neuron"):
        iz.simulate("hh", None, t_stop=1.0)


def test_errors_are_value_errors():
    assert issubclass(ValidationError, ValueError)
