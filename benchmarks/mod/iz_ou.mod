COMMENT
Benchmark-only Ornstein-Uhlenbeck current for NEURON (written for ionzoo's synapse benchmark):
x relaxes to mean with time constant tau and stationary standard deviation sigma, advanced
with the exact step once per time step; the current injects x (positive depolarises).
ENDCOMMENT

NEURON {
    POINT_PROCESS IzOU
    RANGE mean, sigma, tau, x
    NONSPECIFIC_CURRENT i
}

UNITS {
    (nA) = (nanoamp)
}

PARAMETER {
    dt (ms)
    mean = 0 (nA)
    sigma = 0 (nA)
    tau = 1 (ms)
}

ASSIGNED {
    i (nA)
    x (nA)
    decay
    spread (nA)
}

INITIAL {
    x = mean
    decay = exp(-dt / tau)
    spread = sigma * sqrt(1 - decay * decay)
}

BREAKPOINT {
    SOLVE advance
    i = -x
}

PROCEDURE advance() {
    x = mean + (x - mean) * decay + spread * normrand(0, 1)
}
