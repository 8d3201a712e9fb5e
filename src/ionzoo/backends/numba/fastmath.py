"""Scalar math helpers for the generated kernels (inlined: LLVM sees plain arithmetic).

Two families, each exposed to the expression renderer under a prefix:

* ``_f_*`` (fast, used by the fixed-step kernels): ``_f_exp`` is written in plain arithmetic
  (range reduction by ln 2, degree-13 polynomial (Estrin), scaling by 2^k through an integer
  bitcast) so
  that LLVM vectorises loops that call it — glibc's ``exp`` is an opaque scalar call that stops
  vectorisation. Accuracy ≤ 2 ulp on [−708, 709] (tested against ``numpy.exp``); arguments are
  clamped to that range, so ``_f_exp(-800)`` returns ≈ 3e-308 instead of 0.
* ``_x_*`` (exact, used by the adaptive reference): ``math.exp`` and friends.

Both families implement ``exprel`` (and ``invexprel = 1/exprel``) with a Taylor series for
|x| < 1e-4, so the exp-linear rate never divides 0/0. ``_f_log`` is also written in plain
arithmetic (exponent from the bits, atanh series of the mantissa, ≤ 1 ulp), so Nernst
potentials and general powers (``_f_pow(x, y) = exp(y·log x)``) vectorise; ``powi`` (small
integer powers) unrolls into multiplications; ``tanh``, ``sinh`` and ``cosh`` are built on
``_f_expm1`` and ``_f_exp`` for the same reason. Helpers that call other helpers are inlined by
Numba (``inline="always"``): left to LLVM, they stayed calls inside large kernels and the
neuron loop did not vectorise.
"""

from __future__ import annotations

import math

import numba
import numpy as np
from llvmlite import ir
from numba import types
from numba.extending import intrinsic

from ...expr.evaluate import DEXPREL_COEFFS, DEXPREL_SERIES_BELOW, EXPREL_SERIES_BELOW

#: LLVM fast-math flags for the kernels. Deliberately without ``nnan``/``ninf`` (NaN must
#: propagate so that blow-ups are detected) and without ``reassoc`` (keeps the exp range
#: reduction exact).
FASTMATH = frozenset({"nsz", "arcp", "contract", "afn"})

_LOG2E = 1.4426950408889634
_LN2_HI = 6.93147180369123816490e-01
_LN2_LO = 1.90821492927058770002e-10
_SMALL = EXPREL_SERIES_BELOW
_DSMALL = DEXPREL_SERIES_BELOW
_DEXPREL_R = tuple(reversed(DEXPREL_COEFFS))


def _bitcast(src, dst, llvm_type, doc: str):
    """A Numba intrinsic that reinterprets the bits of ``src`` as ``dst`` (vectorisable)."""

    @intrinsic
    def cast(typingctx, x):
        def codegen(context, builder, signature, args):
            return builder.bitcast(args[0], llvm_type)

        return dst(src), codegen

    cast.__doc__ = doc
    return cast


_i64_as_f64 = _bitcast(types.int64, types.float64, ir.DoubleType(), "int64 bits as float64")
_f64_as_i64 = _bitcast(types.float64, types.int64, ir.IntType(64), "float64 bits as int64")
_i32_as_f32 = _bitcast(types.int32, types.float32, ir.FloatType(), "int32 bits as float32")
_f32_as_i32 = _bitcast(types.float32, types.int32, ir.IntType(32), "float32 bits as int32")


#: LLVM function attribute that lets the loop vectoriser use 512-bit registers where the CPU
#: has them. LLVM's default for recent Intel server CPUs is 256 bits ("prefer-256-bit", chosen
#: for code that mixes a little vector work with scalar work); the kernels' neuron loop is
#: nothing but vector arithmetic. Measured (Xeon, Emerald Rapids, 2 threads, 1000 neurons):
#: HH 126 → 180, Morris–Lecar 78 → 124, Pospischil LTS 45 → 58 M neuron-steps/s, spike counts
#: identical. Ignored on CPUs without AVX-512 and on other architectures.
WIDE_VECTORS = "\"prefer-vector-width\"=\"512\""


@intrinsic
def _wide_vectors(typingctx):
    """Mark the calling kernel with :data:`WIDE_VECTORS` (emits no instructions).

    llvmlite's attribute set accepts only a fixed list of attribute names, so the string
    attribute is added with ``set.add``; llvmlite prints the members of the set verbatim after
    the function's signature, which is LLVM's syntax for string attributes."""

    def codegen(context, builder, signature, args):
        set.add(builder.function.attributes, WIDE_VECTORS)
        return context.get_dummy_value()

    return types.none(), codegen


#: 1.5·2^52: adding it rounds a float of magnitude < 2^51 to the nearest integer, which then sits
#: in the low mantissa bits (valid because the kernels never allow reassociation).
_SHIFTER = 6755399441055744.0
_SHIFTER_BITS = 0x4338000000000000

_jit = numba.njit(fastmath=set(FASTMATH), cache=True, error_model="numpy")
#: Inlined by Numba before LLVM sees the kernel: a helper that calls helpers (pow → log, exp)
#: otherwise reaches the kernel's loop in a form LLVM does not vectorise (measured: the
#: Hay 2011 SK channel's ``cai ** 4.8`` made the whole loop scalar, 5-7x slower).
_jit_inline = numba.njit(fastmath=set(FASTMATH), cache=True, error_model="numpy",
                         inline="always")


@_jit
def _f_exp(x):
    x = min(max(x, -708.0), 709.0)
    kd = x * _LOG2E + _SHIFTER
    k = kd - _SHIFTER
    r = x - k * _LN2_HI - k * _LN2_LO
    # Taylor polynomial of degree 13 on |r| <= ln2/2 (truncation < 2e-17), evaluated with
    # Estrin's scheme: the dependency chain is ~4 multiply-adds deep instead of Horner's 13,
    # which matters for a single neuron (latency-bound); batches are throughput-bound.
    r2 = r * r
    r4 = r2 * r2
    r8 = r4 * r4
    q0 = 1.0 + r
    q1 = 0.5 + r * (1.0 / 6.0)
    q2 = 1.0 / 24.0 + r * (1.0 / 120.0)
    q3 = 1.0 / 720.0 + r * (1.0 / 5040.0)
    q4 = 1.0 / 40320.0 + r * (1.0 / 362880.0)
    q5 = 1.0 / 3628800.0 + r * (1.0 / 39916800.0)
    q6 = 1.0 / 479001600.0 + r * (1.0 / 6227020800.0)
    s0 = q0 + r2 * q1
    s1 = q2 + r2 * q3
    s2 = q4 + r2 * q5
    u0 = s0 + r4 * s1
    u1 = s2 + r4 * q6
    p = u0 + r8 * u1
    return p * _i64_as_f64((_f64_as_i64(kd) - _SHIFTER_BITS + 1023) << 52)


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
def _f_exprel_ex(x, ex):
    """exprel(x) given ex = exp(x) computed elsewhere (shared exponentials)."""
    direct = (ex - 1.0) / x
    series = 1.0 + x * (0.5 + x * (1.0 / 6.0 + x * (1.0 / 24.0)))
    return series if abs(x) < _SMALL else direct


@_jit
def _f_invexprel_ex(x, ex):
    """1/exprel(x) given ex = exp(x) computed elsewhere (shared exponentials)."""
    direct = x / (ex - 1.0)
    series = 1.0 / (1.0 + x * (0.5 + x * (1.0 / 6.0 + x * (1.0 / 24.0))))
    return series if abs(x) < _SMALL else direct



_LN2 = 0.6931471805599453
_SQRT2 = 1.4142135623730951
_TINY = 2.2250738585072014e-308  # smallest normal float64
_INF = math.inf
_NAN = math.nan
_MANT = 0x000FFFFFFFFFFFFF
_ONE_BITS = 0x3FF0000000000000
_TWO52 = 4503599627370496.0
_TWO52_BITS = 0x4330000000000000
#: 2/(2k + 1) for the atanh series of log: log(m) = Σ 2 s^(2k+1)/(2k + 1), s = (m − 1)/(m + 1)
_L = [2.0 / (2 * k + 1) for k in range(11)]
_L1, _L2, _L3, _L4, _L5, _L6, _L7, _L8, _L9, _L10 = _L[1:]


@_jit
def _f_log(x):
    """Natural logarithm in plain arithmetic (vectorisable), ≤ 1 ulp (measured) for x > 0."""
    sub = x < _TINY
    y = x * 18014398509481984.0 if sub else x  # 2**54 lifts subnormals to normal range
    bits = _f64_as_i64(y)
    # the biased exponent as a float without an int→float conversion (which AVX2 lacks for
    # int64 and which stops LLVM vectorising large loops): 2^52 + e as bits, minus 2^52
    ef = _i64_as_f64(((bits >> 52) & 0x7FF) | _TWO52_BITS) - (_TWO52 + 1023.0)
    m = _i64_as_f64((bits & _MANT) | _ONE_BITS)
    big = m > _SQRT2
    m = m * 0.5 if big else m
    ef = ef + (1.0 if big else 0.0) - (54.0 if sub else 0.0)
    # log m = log(1 + f) = 2 atanh(s), s = f/(2 + f); since 2s = f − s f this is
    # f − s (f − R) with R = Σ_{k≥1} 2 s^(2k)/(2k + 1): f = m − 1 is exact and the correction
    # s (f − R) is O(f²), so its rounding barely reaches the result (≤ 1 ulp measured).
    f = m - 1.0
    s = f / (2.0 + f)
    z = s * s
    z2 = z * z
    z4 = z2 * z2
    z8 = z4 * z4
    R = z * (((_L1 + z * _L2) + z2 * (_L3 + z * _L4)) + z4 * ((_L5 + z * _L6) + z2 * (
        _L7 + z * _L8)) + z8 * (_L9 + z * _L10))
    r = ef * _LN2_HI + ((f - s * (f - R)) + ef * _LN2_LO)
    r = _NAN if x < 0.0 else r
    r = -_INF if x == 0.0 else r
    return x if (x != x or x == _INF) else r


@_jit_inline
def _f_pow(x, y):
    """x**y = exp(y·log x) for x > 0 (vectorisable); 0**y → exp(−∞) clamps to ~3e-308."""
    return _f_exp(y * _f_log(x))


@_jit
def _powi(x, n):
    """x**n for a small positive integer n: unrolled multiplications (x·x·x…)."""
    r = x
    for _ in range(n - 1):
        r = r * x
    return r


@_jit_inline
def _f_dexprel(x):
    """d exprel/dx: series below |x| = 0.1, else (e^x (x − 1) + 1)/x²."""
    series = 0.0
    for c in _DEXPREL_R:
        series = series * x + c
    direct = (_f_exp(x) * (x - 1.0) + 1.0) / (x * x)
    return series if abs(x) < _DSMALL else direct


@_jit_inline
def _f_cosh(x):
    """cosh x = (e + 1/e)/2 with e = exp(|x|): one exponential and a division instead of two
    exponentials (|x| is clamped to 708 like ``_f_exp``'s argument, so 1/e stays normal)."""
    e = _f_exp(min(abs(x), 708.0))
    return 0.5 * (e + 1.0 / e)


#: 1/k! for the Taylor series of expm1 (k = 1…18)
_EM = [1.0 / math.factorial(k) for k in range(1, 19)]
_E2, _E3, _E4, _E5, _E6, _E7, _E8, _E9, _E10, _E11, _E12, _E13, _E14, _E15, _E16, _E17, _E18 = \
    _EM[1:]


@_jit
def _f_expm1(x):
    """exp(x) − 1 without cancellation (vectorisable). For |x| < ln 2 the Taylor series of
    degree 18 (truncation < 1e-19 relative); beyond, with x = k ln 2 + r (|r| ≤ ln 2 / 2, r of
    the sign of x when k = ±1), 2^k expm1(r) + (2^k − 1): for k = ±1 both terms have the same
    sign, for |k| ≥ 2 the exact 2^k − 1 dominates, so nothing cancels. ≤ 1 ulp measured.
    Clamped to [−708, 709] like ``_f_exp``."""
    y = min(max(x, -708.0), 709.0)
    kd = y * _LOG2E + _SHIFTER
    k = kd - _SHIFTER
    near = abs(y) < _LN2
    r = y if near else y - k * _LN2_HI - k * _LN2_LO
    r2 = r * r
    r4 = r2 * r2
    r8 = r4 * r4
    r16 = r8 * r8
    # r + r² P(r): the leading term exact, the rounding of the O(r²) rest scaled down by it
    em = r + r2 * ((((_E2 + r * _E3) + r2 * (_E4 + r * _E5)) + r4 * ((_E6 + r * _E7) + r2 * (
        _E8 + r * _E9))) + r8 * (((_E10 + r * _E11) + r2 * (_E12 + r * _E13)) + r4 * (
            (_E14 + r * _E15) + r2 * (_E16 + r * _E17))) + r16 * _E18)
    scale = _i64_as_f64((_f64_as_i64(kd) - _SHIFTER_BITS + 1023) << 52)
    return em if near else scale * em + (scale - 1.0)


@_jit_inline
def _f_tanh(x):
    """tanh x = e/(e + 2) with e = expm1(2x) (vectorisable; math.tanh is an opaque call). x is
    clamped to ±20, where tanh is ±1 to double precision."""
    e = _f_expm1(2.0 * min(max(x, -20.0), 20.0))
    return e / (e + 2.0)


@_jit_inline
def _f_sinh(x):
    """sinh x = ±(e + e/(e + 1))/2 with e = expm1(|x|): no cancellation anywhere
    (vectorisable)."""
    e = _f_expm1(abs(x))
    s = 0.5 * (e + e / (e + 1.0))
    return -s if x < 0.0 else s


@_jit
def _x_dexprel(x):
    if abs(x) < _DSMALL:
        series = 0.0
        for c in _DEXPREL_R:
            series = series * x + c
        return series
    return (math.exp(x) * (x - 1.0) + 1.0) / (x * x)


@_jit
def _x_pow(x, y):
    return x ** y


@_jit
def _x_exprel_ex(x, ex):
    if abs(x) < _SMALL:
        return 1.0 + x * (0.5 + x * (1.0 / 6.0 + x * (1.0 / 24.0)))
    return (ex - 1.0) / x


@_jit
def _x_invexprel_ex(x, ex):
    return 1.0 / _x_exprel_ex(x, ex)


@_jit
def _sinh(x):
    return math.sinh(x)


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
    if not (x >= 0.0 and x <= n - 1.0):  # written so that NaN is outside too
        return 0.0
    j = min(int(math.floor(x)), n - 2)
    f = x - j
    return w[j] * (1.0 - f) + w[j + 1] * f


@_jit
def _floor(x):
    return math.floor(x)


@_jit
def _heaviside(x):
    return 1.0 if x >= 0.0 else 0.0


@_jit
def _g_heaviside(x):
    return _G_ONE if x >= _G_ZERO else _G_ZERO


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
# ---------------------------------------------------------------------------------- noise
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_STREAM = np.uint64(0xD1B54A32D192ED03)
_STEP = np.uint64(0xAEF17502108EF2D9)
_S30, _S27, _S31, _S11 = np.uint64(30), np.uint64(27), np.uint64(31), np.uint64(11)
_TWO_M53 = 2.0 ** -53
#: Taylor coefficients of cos(2πr) in r², for |r| <= 1/4 (truncation < 1e-17 at degree 22).
_COS = tuple((-1.0) ** k * (2.0 * math.pi) ** (2 * k) / math.factorial(2 * k) for k in range(12))


@_jit
def _mix64(z):
    """SplitMix64's finaliser: a bijective avalanche of the 64 bits of ``z``."""
    z = (z ^ (z >> _S30)) * _M1
    z = (z ^ (z >> _S27)) * _M2
    return z ^ (z >> _S31)


@_jit
def _cos2pi(u):
    """cos(2πu) for u in [0, 1) in plain arithmetic (vectorisable): r = u − round(u) in
    [−½, ½], folded to |r| <= ¼ with cos(2π(½ − r)) = −cos(2πr); error < 1e-15."""
    r = abs(u - math.floor(u + 0.5))
    sign = 1.0
    if r > 0.25:
        r = 0.5 - r
        sign = -1.0
    x = r * r
    acc = _COS[11]
    for k in range(10, -1, -1):
        acc = acc * x + _COS[k]
    return sign * acc


@_jit_inline
def _gauss(seed, stream, step):
    """A standard normal number that depends only on (``seed``, ``stream``, ``step``): two
    uniforms from SplitMix64 of the three counters, then Box–Muller. Counter-based, so a
    neuron's noise does not depend on its place in the batch, the chunking or the threads."""
    key = (np.uint64(np.int64(seed)) * _GOLDEN) ^ (np.uint64(stream) * _STREAM) \
        ^ (np.uint64(step) * _STEP)
    a = _mix64(key)
    b = _mix64(key + _GOLDEN)
    u1 = (np.float64(a >> _S11) + 0.5) * _TWO_M53  # (0, 1): log never sees 0
    u2 = np.float64(b >> _S11) * _TWO_M53
    return math.sqrt(-2.0 * _f_log(u1)) * _cos2pi(u2)


FAST = {"_wide_vectors": _wide_vectors, "_gauss": _gauss,
        "_f_exp": _f_exp, "_f_exprel": _f_exprel, "_f_invexprel": _f_invexprel,
        "_f_exprel_ex": _f_exprel_ex, "_f_invexprel_ex": _f_invexprel_ex,
        "_f_dexprel": _f_dexprel, "_f_log": _f_log, "_f_pow": _f_pow, "_f_powi": _powi,
        "_f_sqrt": _sqrt, "_f_tanh": _f_tanh, "_f_cosh": _f_cosh, "_f_sinh": _f_sinh,
        "_f_abs": _abs, "_f_min": _min, "_f_max": _max, "_f_floor": _floor, "_f_wave": _wave,
        "_f_heaviside": _heaviside}
EXACT = {"_x_exp": _x_exp, "_x_exprel": _x_exprel, "_x_invexprel": _x_invexprel,
         "_x_exprel_ex": _x_exprel_ex, "_x_invexprel_ex": _x_invexprel_ex,
         "_x_dexprel": _x_dexprel, "_x_log": _log, "_x_pow": _x_pow, "_x_powi": _powi,
         "_x_sqrt": _sqrt, "_x_tanh": _tanh, "_x_cosh": _cosh, "_x_sinh": _sinh,
         "_x_abs": _abs, "_x_min": _min, "_x_max": _max, "_x_floor": _floor, "_x_wave": _wave,
         "_x_heaviside": _heaviside}


# ---------------------------------------------------------------------------------- float32
# The ``_g_*`` family: the same functions for float32 kernels. Every constant is a float32
# global (a float64 literal would silently promote the arithmetic to float64).

_F = np.float32
_G_LO, _G_HI = _F(-87.3), _F(88.7)
_G_LOG2E = _F(1.4426950408889634)
_G_LN2_HI = _F(0.693359375)            # ln 2 split so that k·_G_LN2_HI is exact in float32
_G_LN2_LO = _F(-2.12194440e-4)
_G_SHIFTER = _F(12582912.0)            # 1.5·2^23
_G_SHIFTER_BITS = np.int32(0x4B400000)
_G_BIAS = np.int32(127)
_G_C = [_F(1.0 / math.factorial(k)) for k in range(8)]
_G0, _G1, _G2, _G3, _G4, _G5, _G6, _G7 = _G_C
_G_HALF = _F(0.5)
_G_ONE = _F(1.0)
_G_ZERO = _F(0.0)
#: float32 exprel switches to its series (6 terms, truncation < 1.5e-7) below |x| = 0.3,
#: where the direct formula's cancellation error is ~2e-7.
_G_SMALL = _F(0.3)


@_jit
def _g_exp(x):
    x = min(max(x, _G_LO), _G_HI)
    kd = x * _G_LOG2E + _G_SHIFTER
    k = kd - _G_SHIFTER
    r = x - k * _G_LN2_HI - k * _G_LN2_LO
    # degree-7 Taylor polynomial on |r| <= ln2/2 (truncation < 6e-9), Estrin form
    r2 = r * r
    r4 = r2 * r2
    p = (_G0 + r * _G1) + r2 * (_G2 + r * _G3) + r4 * ((_G4 + r * _G5) + r2 * (_G6 + r * _G7))
    scale = _i32_as_f32(np.int32((_f32_as_i32(kd) - _G_SHIFTER_BITS + _G_BIAS) << 23))
    return p * scale


@_jit
def _g_series(x):
    return _G0 + x * (_G2 + x * (_G3 + x * (_G4 + x * (_G5 + x * _G6))))


@_jit
def _g_exprel(x):
    direct = (_g_exp(x) - _G_ONE) / x
    return _g_series(x) if abs(x) < _G_SMALL else direct


@_jit
def _g_invexprel(x):
    direct = x / (_g_exp(x) - _G_ONE)
    return _G_ONE / _g_series(x) if abs(x) < _G_SMALL else direct


@_jit
def _g_exprel_ex(x, ex):
    direct = (ex - _G_ONE) / x
    return _g_series(x) if abs(x) < _G_SMALL else direct


@_jit
def _g_invexprel_ex(x, ex):
    direct = x / (ex - _G_ONE)
    return _G_ONE / _g_series(x) if abs(x) < _G_SMALL else direct


@_jit
def _g_floor(x):
    return _F(math.floor(x))


@_jit
def _g_wave(w, x):
    n = w.shape[0]
    if not (x >= _G_ZERO and x <= _F(n - 1)):  # NaN is outside too
        return _G_ZERO
    j = min(int(math.floor(x)), n - 2)
    f = x - _F(j)
    return w[j] * (_G_ONE - f) + w[j + 1] * f


@_jit
def _g_log(x):
    return _F(_f_log(float(x)))


@_jit_inline
def _g_pow(x, y):
    return _g_exp(y * _g_log(x))


@_jit
def _g_dexprel(x):
    return _F(_f_dexprel(float(x)))


@_jit_inline
def _g_tanh(x):
    return _F(_f_tanh(float(x)))


@_jit_inline
def _g_sinh(x):
    return _F(_f_sinh(float(x)))


@_jit_inline
def _g_cosh(x):
    return _G_HALF * (_g_exp(x) + _g_exp(-x))


FAST32 = {"_g_exp": _g_exp, "_g_exprel": _g_exprel, "_g_invexprel": _g_invexprel,
          "_g_exprel_ex": _g_exprel_ex, "_g_invexprel_ex": _g_invexprel_ex,
          "_g_dexprel": _g_dexprel, "_g_log": _g_log, "_g_pow": _g_pow, "_g_powi": _powi,
          "_g_sqrt": _sqrt, "_g_tanh": _g_tanh, "_g_cosh": _g_cosh, "_g_sinh": _g_sinh,
          "_g_abs": _abs, "_g_min": _min, "_g_max": _max, "_g_floor": _g_floor,
          "_g_wave": _g_wave, "_g_heaviside": _g_heaviside}
