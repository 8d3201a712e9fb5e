"""Injected current stimuli (see :mod:`ionzoo.model.stimulus`)."""

from .model.stimulus import (
    Pulse,
    PulseTrain,
    Ramp,
    Step,
    Stimulus,
    Sum,
    Waveform,
    as_stimulus,
    pulse,
    pulse_train,
    ramp,
    step,
    waveform,
)

__all__ = ["Stimulus", "Step", "Pulse", "PulseTrain", "Ramp", "Waveform", "Sum",
           "step", "pulse", "pulse_train", "ramp", "waveform", "as_stimulus"]
