"""Regenerate the polynomial of the kernels' ``_f_exp`` (src/ionzoo/backends/numba/fastmath.py).

After the range reduction x = k·ln 2 + r, |r| ≤ ln 2 / 2, the kernels compute
e^r ≈ 1 + r + r²·q(r) with q of degree 9, and 2^k by an exponent bitcast. ``q`` is the Chebyshev
interpolant of f(r) = (e^r − 1 − r)/r² at the 10 Chebyshev points of [−ln 2/2, ln 2/2],
computed in 60-digit arithmetic (mpmath): near-minimax, with a relative error of e^r below
2e-17 — a sixth of float64's half-ulp, so the float64 evaluation's rounding decides the
accuracy (≤ 2 ulp, tested in tests/test_fastmath.py against numpy.exp).

Run:  python tools/exp_polynomial.py     (needs mpmath: pip install mpmath)
Prints the coefficients c0…c9 of q (q(r) = Σ c_k r^k), rounded to float64, and the maximal
relative error of 1 + r + r² q(r) with those coefficients against e^r on a fine grid, in
60-digit arithmetic.
"""

from __future__ import annotations

import mpmath as mp

DEGREE = 9
mp.mp.dps = 60
HALF = mp.log(2) / 2


def f(r):
    """(e^r − 1 − r)/r², its Taylor series near 0 (no cancellation)."""
    if abs(r) < mp.mpf("1e-10"):
        return mp.mpf(1) / 2 + r / 6 + r * r / 24
    return (mp.exp(r) - 1 - r) / (r * r)


def chebyshev_interpolant(degree: int) -> list:
    """Monomial coefficients of the polynomial interpolating f at the Chebyshev points."""
    n = degree + 1
    nodes = [HALF * mp.cos(mp.pi * (2 * j + 1) / (2 * n)) for j in range(n)]
    matrix = mp.matrix([[x ** k for k in range(n)] for x in nodes])
    return list(mp.lu_solve(matrix, mp.matrix([f(x) for x in nodes])))


def main() -> None:
    c = [mp.mpf(float(ck)) for ck in chebyshev_interpolant(DEGREE)]  # as the kernels hold them
    worst = mp.mpf(0)
    for i in range(-2000, 2001):
        r = HALF * i / 2000
        q = sum(ck * r ** k for k, ck in enumerate(c))
        worst = max(worst, abs((1 + r + r * r * q) / mp.exp(r) - 1))
    for k, ck in enumerate(c):
        print(f"_Q{k} = {float(ck)!r}")
    print(f"# max relative error of 1 + r + r^2 q(r) on |r| <= ln2/2: {mp.nstr(worst, 3)}")


if __name__ == "__main__":
    main()
