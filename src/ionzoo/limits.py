"""Every size, depth and count limit of ionzoo, in one place (see docs/security.md).

Limits are checked before the work they bound, and each has an error message that names it. They
are far above what published models need (the largest here, the Hay soma, has 10 channels, 17
states and expressions of a few hundred characters) and low enough that a file from a stranger
cannot make ionzoo use unbounded memory or time.
"""

from __future__ import annotations

__all__ = ["MAX_FILE_BYTES", "MAX_DOCUMENT_DEPTH", "MAX_DOCUMENT_NODES", "MAX_TEXT",
           "MAX_CHANNELS", "MAX_GATES", "MAX_PARAMETERS", "MAX_STATES", "MAX_MODEL_NODES",
           "MAX_BATCH", "MAX_STEPS", "MAX_BISECTIONS", "MAX_CURRENTS", "MAX_SAMPLES",
           "MAX_REST_NEURONS", "MAX_CLAMP_SAMPLES"]

#: Largest model file, NeuroML or .mod file read (bytes); checked before reading.
MAX_FILE_BYTES = 5_000_000
#: Deepest nesting of lists and mappings in a model file.
MAX_DOCUMENT_DEPTH = 32
#: Most values (scalars, lists, mappings) in one model file (the Hay soma has about 600; the
#: count also bounds the time a pure-Python YAML parse of a hostile file takes, about 1 s).
MAX_DOCUMENT_NODES = 50_000
#: Longest free text (name, description, citation, notes), characters.
MAX_TEXT = 10_000
#: Most channels in one neuron.
MAX_CHANNELS = 64
#: Most gates in one channel.
MAX_GATES = 8
#: Most extra parameters of one channel.
MAX_PARAMETERS = 64
#: Most state variables of one lowered neuron (v, gates, pools).
MAX_STATES = 256
#: Most expression nodes in one lowered neuron (all rates, currents, pools together): bounds the
#: size of the generated kernels and their compile time (the Hay soma has about 700).
MAX_MODEL_NODES = 10_000
#: Most neurons in one batch (a million neurons need ~0.5 GB of state and parameters).
MAX_BATCH = 100_000_000
#: Most time steps of one simulation.
MAX_STEPS = 10_000_000_000
#: Most bisection steps of a rheobase search (the tolerance is checked against it).
MAX_BISECTIONS = 200
#: Most values a command-line range ``start:stop:step`` may produce.
MAX_CURRENTS = 10_000_000
#: Most samples of one sampled waveform.
MAX_SAMPLES = 100_000_000
#: Most distinct neurons of a batch started at rest (each is a root search of its I–V curve,
#: about 0.3 ms apiece).
MAX_REST_NEURONS = 100_000
#: Most samples (neurons × time points) of one voltage-clamp run (each quantity is recorded).
MAX_CLAMP_SAMPLES = 50_000_000
