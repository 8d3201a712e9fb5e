"""Back-ends that turn a :class:`~ionzoo.ir.ModelIR` into running code (today: Numba)."""
