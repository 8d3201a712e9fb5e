"""Scalar math helpers for the generated kernels.

Two families, each exposed to the expression renderer under a prefix:

* ``_f_*`` (fast, used by the fixed-step kernels): ``_f_exp`` is written in plain arithmetic
  (range reduction by ln 2, degree-13 polynomial, scaling by 2^k through an integer bitcast) so
  that LLVM vectorises loops that call it — glibc's ``exp`` is an opaque scalar call that stops
  vectorisation. Accuracy ≤ 2 ulp on [−708, 709] (tested against ``numpy.exp``); arguments are
  clamped to that range, so ``_f_exp(-800)`` returns ≈ 3e-308 instead of 0.
* ``_x_*`` (exact, used by the adaptive reference): ``math.exp`` and friends.

Both families implement ``exprel`` (and ``invexprel = 1/exprel``) with a Taylor series for
|x| < 1e-4, so the exp-linear rate never divides 0/0.
"""

from __future__ import annotations

import math

import numba
import numpy as np
from llvmlite import ir
from numba import types
from numba.extending import intrinsic

from ..expr import EXPREL_SERIES_BELOW

#: LLVM fast-math flags for the kernels. Deliberately without ``nnan``/``ninf`` (NaN must
#: propagate so that blow-ups are detected) and without ``reassoc`` (keeps the exp range
#: reduction exact).
FASTMATH = frozenset({"nsz", "arcp", "contract", "afn"})

_LOG2E = 1.4426950408889634
_LN2_HI = 6.93147180369123816490e-01
_LN2_LO = 1.90821492927058770002e-10
_SMALL = EXPREL_SERIES_BELOW


@intrinsic
def _i64_as_f64(typingctx, x):
    """Reinterpret the bits of an int64 as a float64 (vectorisable)."""
    sig = types.float64(types.int64)

    def codegen(context, builder, signature, args):
        return builder.bitcast(args[0], ir.DoubleType())

    return sig, codegen


_jit = numba.njit(fastmath=set(FASTMATH), inline="always", cache=True)


@_jit
def _f_exp(x):
    x = min(max(x, -708.0), 709.0)
    k = math.floor(x * _LOG2E + 0.5)
    r = x - k * _LN2_HI - k * _LN2_LO
    p = 1.0 / 6227020800.0
    p = p * r + 1.0 / 479001600.0
    p = p * r + 1.0 / 39916800.0
    p = p * r + 1.0 / 3628800.0
    p = p * r + 1.0 / 362880.0
    p = p * r + 1.0 / 40320.0
    p = p * r + 1.0 / 5040.0
    p = p * r + 1.0 / 720.0
    p = p * r + 1.0 / 120.0
    p = p * r + 1.0 / 24.0
    p = p * r + 1.0 / 6.0
    p = p * r + 0.5
    p = p * r + 1.0
    p = p * r + 1.0
    return p * _i64_as_f64((np.int64(k) + 1023) << 52)


@_jit
def _f_exprel(x):
    direct = (_f_exp(x) - 1.0) / x
    series = 1.0 + x * (0.5 + x * (1.0 / 6.0 + x * (1.0 / 24.0)))
    return series if abs(x) < _SMALL else direct


@_jit
def _f_invexprel(x):
    direct = x / (_f_exp(x) - 1.0)
    series = 1.0 / (1.0 + x * (0.5 + x * (1.0 / 6.0 + x * (1.0 / 24.0))))
    return series if abs(x) < _SMALL else direct


@_jit
def _x_exprel(x):
    if abs(x) < _SMALL:
        return 1.0 + x * (0.5 + x * (1.0 / 6.0 + x * (1.0 / 24.0)))
    return math.expm1(x) / x


@_jit
def _x_invexprel(x):
    return 1.0 / _x_exprel(x)


@_jit
def _wave(w, x):
    """Linear interpolation of samples ``w`` at fractional index ``x``; 0 outside."""
    n = w.shape[0]
    if x < 0.0 or x > n - 1.0:
        return 0.0
    j = min(int(math.floor(x)), n - 2)
    f = x - j
    return w[j] * (1.0 - f) + w[j + 1] * f


@_jit
def _floor(x):
    return math.floor(x)


@_jit
def _min(a, b):
    return min(a, b)


@_jit
def _max(a, b):
    return max(a, b)


@_jit
def _abs(x):
    return abs(x)


@_jit
def _x_exp(x):
    return math.exp(x)


@_jit
def _log(x):
    return math.log(x)


@_jit
def _sqrt(x):
    return math.sqrt(x)


@_jit
def _tanh(x):
    return math.tanh(x)


@_jit
def _cosh(x):
    return math.cosh(x)


#: Names the generated module imports from here (kernel prefix ``_f_``, exact prefix ``_x_``).
FAST = {"_f_exp": _f_exp, "_f_exprel": _f_exprel, "_f_invexprel": _f_invexprel,
        "_f_log": _log, "_f_sqrt": _sqrt, "_f_tanh": _tanh, "_f_cosh": _cosh, "_f_abs": _abs,
        "_f_min": _min, "_f_max": _max, "_f_floor": _floor, "_f_wave": _wave}
EXACT = {"_x_exp": _x_exp, "_x_exprel": _x_exprel, "_x_invexprel": _x_invexprel,
         "_x_log": _log, "_x_sqrt": _sqrt, "_x_tanh": _tanh, "_x_cosh": _cosh, "_x_abs": _abs,
         "_x_min": _min, "_x_max": _max, "_x_floor": _floor, "_x_wave": _wave}
