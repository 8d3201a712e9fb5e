"""Periodic orbits as a boundary-value problem, discretised by orthogonal collocation.

A periodic orbit of period T (ms) under the constant current I (µA/cm²) is written in the
rescaled time τ = t/T ∈ [0, 1]: x'(τ) = T f(x, I), x(0) = x(1). On a mesh of N intervals the
solution is a continuous piecewise polynomial of degree m = 4, given by its values at m + 1
equally spaced nodes per interval (the last node of the last interval *is* the first node:
periodicity is built in). The differential equation holds exactly at the m Gauss–Legendre points
of every interval (de Boor & Swartz 1973; the scheme of AUTO and MatCont, whose mesh values
are accurate to O(h^{2m})). Two scalar equations close the system: the integral phase condition
∫ x·x̂' dτ = 0 against a reference orbit x̂, and the pseudo-arclength condition of the
continuation (:mod:`.cycles`).

The continued quantity λ is the current (the default) or any parameter of the model at a
fixed current (:mod:`.continued`): x' = T f(x; λ). Every state is divided by a scale
(``Discretisation.scale``: 10 mV for V, 0.1 for a gate, a pool's equilibrium concentration),
the period by the reference period and λ by its unit (10 µA/cm² for the current), so Newton's
method, the arclength and the mesh monitor see numbers of order one. The unknown vector is
``u = [Y (N·m nodes × n states, row-major), T/T_ref, λ/λ_ref]``.

Floquet multipliers come from the same matrices (condensation of the collocation equations of
the variational equation z' = T J z interval by interval: the product of the interval maps is
the monodromy matrix), the method of AUTO (Doedel et al.), without another integration.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from math import factorial

import numpy as np
import scipy.linalg
import scipy.sparse as sp

from .branch import EquilibriumBranch
from .continued import Continued, InjectedCurrent

__all__ = ["Discretisation", "DEGREE"]

#: Degree of the piecewise polynomials.
DEGREE = 4


def _basis(m: int) -> tuple[np.ndarray, ...]:
    """Gauss points z (m,), weights w (m,) on [0, 1], and the Lagrange basis of the m + 1
    equally spaced nodes: L[c, j] = l_j(z_c), D[c, j] = l_j'(z_c); plus the monomial
    coefficients ``coef[k, j]`` of l_j (l_j(z) = Σ_k coef[k, j] z^k)."""
    x, w = np.polynomial.legendre.leggauss(m)
    z, w = (x + 1.0) / 2.0, w / 2.0
    nodes = np.arange(m + 1) / m
    coef = np.linalg.inv(np.vander(nodes, m + 1, increasing=True))
    powers = np.arange(m + 1)
    Z = z[:, None] ** powers
    dZ = np.where(powers > 0, powers * z[:, None] ** np.maximum(powers - 1, 0), 0.0)
    return z, w, Z @ coef, dZ @ coef, coef


_Z, _W, _L, _D, _COEF = _basis(DEGREE)


def state_scales(branch: EquilibriumBranch, x0: np.ndarray) -> np.ndarray:
    """The scale of every state: 10 mV for V, 0.1 for a gate, a pool's concentration at
    the equilibrium ``x0``."""
    out = np.full(len(branch.states), 0.1)
    out[0] = 10.0
    for i, k in enumerate(branch.states):
        if k in branch.pools:
            out[i] = max(abs(float(x0[i])), 1e-12)
    return out


@dataclass
class Discretisation:
    """The collocation equations of one neuron on one mesh (edges in τ, shape (N + 1,))."""

    branch: EquilibriumBranch
    scale: np.ndarray
    period_scale: float
    mesh: np.ndarray
    continued: Continued = InjectedCurrent()

    # ------------------------------------------------------------------ geometry
    @property
    def n(self) -> int:
        return len(self.scale)

    @property
    def intervals(self) -> int:
        return len(self.mesh) - 1

    @property
    def nodes(self) -> int:
        return self.intervals * DEGREE

    @property
    def size(self) -> int:
        return self.nodes * self.n + 2

    @cached_property
    def h(self) -> np.ndarray:
        return np.diff(self.mesh)

    @cached_property
    def node_tau(self) -> np.ndarray:
        """τ of every node (N·m,)."""
        return (self.mesh[:-1, None] + self.h[:, None] * np.arange(DEGREE) / DEGREE).ravel()

    @cached_property
    def _index(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        k, c, j = np.meshgrid(np.arange(self.intervals), np.arange(DEGREE),
                              np.arange(DEGREE + 1), indexing="ij")
        return k, c, j, (k * DEGREE + j) % self.nodes

    @cached_property
    def values_matrix(self) -> sp.csr_matrix:
        """Nodes → values at the Gauss points (N·m × N·m)."""
        k, c, j, col = self._index
        return sp.csr_matrix((_L[c, j].ravel(), ((k * DEGREE + c).ravel(), col.ravel())),
                             shape=(self.nodes, self.nodes))

    @cached_property
    def derivative_matrix(self) -> sp.csr_matrix:
        """Nodes → dx/dτ at the Gauss points."""
        k, c, j, col = self._index
        data = (_D[c, j] / self.h[k]).ravel()
        return sp.csr_matrix((data, ((k * DEGREE + c).ravel(), col.ravel())),
                             shape=(self.nodes, self.nodes))

    @cached_property
    def quadrature(self) -> np.ndarray:
        """Gauss weights of ∫₀¹ · dτ at the Gauss points (N·m,)."""
        return (self.h[:, None] * _W).ravel()

    # ------------------------------------------------------------------ model
    def split(self, u: np.ndarray) -> tuple[np.ndarray, float, float]:
        """(Y nodes (N·m, n) scaled, T in ms, λ in its own unit)."""
        return (u[:-2].reshape(self.nodes, self.n), float(u[-2]) * self.period_scale,
                float(u[-1]) * self.continued.scale)

    def field(self, Y: np.ndarray, value: float) -> np.ndarray:
        """The scaled right-hand side f(x; λ)/scale at scaled states Y (P, n)."""
        x = Y * self.scale
        with np.errstate(all="ignore"):  # a diverging Newton iterate: its residual is not finite
            return self.continued.field(self.branch, self.branch.as_states(x), value) / self.scale

    def jacobian_at(self, Y: np.ndarray, value: float) -> np.ndarray:
        """The scaled exact Jacobian diag(1/s) J diag(s) at scaled states (P, n, n)."""
        branch = self.continued.at(self.branch, value)
        J = branch.jacobian(branch.as_states(Y * self.scale))
        return J * self.scale[None, None, :] / self.scale[None, :, None]

    def parameter_column(self, Y: np.ndarray, value: float) -> np.ndarray:
        """∂(scaled f)/∂(λ/λ_ref) at scaled states Y (P, n)."""
        d = self.continued.derivative(self.branch, self.branch.as_states(Y * self.scale), value)
        return d * self.continued.scale / self.scale

    # ------------------------------------------------------------------ equations
    def residual(self, u: np.ndarray) -> np.ndarray:
        """The collocation residuals dY/dτ − T f at every Gauss point, flattened."""
        Y, T, value = self.split(u)
        with np.errstate(all="ignore"):
            return (self.derivative_matrix @ Y - T * self.field(self.values_matrix @ Y,
                                                                value)).ravel()

    def jacobian(self, u: np.ndarray) -> sp.csr_matrix:
        """∂ residual / ∂u: (N·m·n) × (N·m·n + 2), sparse."""
        Y, T, value = self.split(u)
        n = self.n
        Yc = self.values_matrix @ Y
        Jc = self.jacobian_at(Yc, value)  # (P, n, n)
        k, c, j, col = self._index
        point = k * DEGREE + c
        eye = np.eye(n)
        blocks = (_D[c, j] / self.h[k])[..., None, None] * eye \
            - T * Jc[point] * _L[c, j][..., None, None]
        rows = point[..., None, None] * n + np.arange(n)[:, None]
        cols = col[..., None, None] * n + np.arange(n)[None, :]
        rows, cols = np.broadcast_arrays(rows, cols)
        f = self.field(Yc, value)
        m_rows = np.arange(self.nodes * n)
        data = np.concatenate([blocks.ravel(), -self.period_scale * f.ravel(),
                               -T * self.parameter_column(Yc, value).ravel()])
        r = np.concatenate([rows.ravel(), m_rows, m_rows])
        q = np.concatenate([cols.ravel(), np.full(m_rows.size, self.size - 2),
                            np.full(m_rows.size, self.size - 1)])
        return sp.csr_matrix((data, (r, q)), shape=(self.nodes * n, self.size))

    def phase_row(self, reference_Y: np.ndarray) -> np.ndarray:
        """g with g·u = ∫ x·x̂' dτ (the integral phase condition against ``reference_Y``)."""
        dref = self.derivative_matrix @ reference_Y
        row = self.values_matrix.T @ (self.quadrature[:, None] * dref)
        return np.concatenate([row.ravel(), [0.0, 0.0]])

    def inner_row(self, t: np.ndarray) -> np.ndarray:
        """g with g·u = ⟨u, t⟩ = ∫ Y·Y_t dτ + T_u T_t + λ_u λ_t (scaled)."""
        Yt = t[:-2].reshape(self.nodes, self.n)
        vals = self.values_matrix @ Yt
        row = self.values_matrix.T @ (self.quadrature[:, None] * vals)
        return np.concatenate([row.ravel(), t[-2:]])

    # ------------------------------------------------------------------ solution
    def evaluate(self, Y: np.ndarray, tau: np.ndarray) -> np.ndarray:
        """The piecewise polynomial (scaled) at ``tau`` ∈ [0, 1]: (len(tau), n)."""
        tau = np.asarray(tau, dtype=float)
        k = np.clip(np.searchsorted(self.mesh, tau, side="right") - 1, 0, self.intervals - 1)
        z = (tau - self.mesh[k]) / self.h[k]
        basis = (z[:, None] ** np.arange(DEGREE + 1)) @ _COEF  # (len, m+1)
        idx = (k[:, None] * DEGREE + np.arange(DEGREE + 1)) % self.nodes
        return np.einsum("pj,pjn->pn", basis, Y[idx])

    def fine(self, Y: np.ndarray, per_interval: int = 32) -> np.ndarray:
        """The orbit at ``per_interval`` points per mesh interval (scaled)."""
        tau = (self.mesh[:-1, None] + self.h[:, None]
               * np.arange(per_interval) / per_interval).ravel()
        return self.evaluate(Y, tau)

    def monodromy(self, u: np.ndarray) -> np.ndarray:
        """The interval maps z(τ_k) → z(τ_{k+1}) of the variational equation along the orbit
        ``u`` (scaled states), (N, n, n), obtained by condensing each interval's collocation
        equations; their product is the monodromy matrix."""
        Y, T, value = self.split(u)
        n, m = self.n, DEGREE
        Jc = self.jacobian_at(self.values_matrix @ Y, value).reshape(self.intervals, m, n, n)
        A = (_D[None, :, :, None, None] / self.h[:, None, None, None, None]
             * np.eye(n)[None, None, None]
             - T * Jc[:, :, None] * _L[None, :, :, None, None])  # (N, c, j, n, n)
        A = A.transpose(0, 1, 3, 2, 4).reshape(self.intervals, m * n, (m + 1) * n)
        return -np.linalg.solve(A[:, :, n:], A[:, :, :n])[:, -n:, :]  # (N, n, n)

    def multipliers(self, u: np.ndarray) -> tuple[np.ndarray, int]:
        """The Floquet multipliers of the orbit ``u``, sorted by decreasing modulus, and the
        index of the trivial one (its eigenvector is the flow direction at τ = 0; its distance
        from 1 measures the discretisation's error in the linearisation).

        The product of the interval maps M = M_{N−1}⋯M_0 is never formed: an orbit passing
        close to a saddle expands and contracts by many orders of magnitude along the way,
        and the plain product would lose every multiplier but the largest. Instead the maps
        are collapsed into one n × n pencil (A, B) with B⁻¹A = M by orthogonal
        transformations only (the inverse-free product of pencils: for B⁻¹A followed by
        M_k, the QR factorisation Q [B; −M_k] = [R; 0] gives A ← Q₁₂ᵀA, B ← Q₂₂ᵀ; Benner &
        Byers, *Numer. Math.* 2006, the idea behind AUTO's and MatCont's periodic
        eigenvalue computations), and the multipliers are the generalised eigenvalues of
        the pencil (QZ)."""
        n = self.n
        A, B = np.eye(n), np.eye(n)
        for Mk in self.monodromy(u):
            Q, _ = np.linalg.qr(np.vstack([B, -Mk]), mode="complete")
            A, B = Q[:n, n:].T @ A, Q[n:, n:].T
            scale = max(np.abs(A).max(), np.abs(B).max())
            A, B = A / scale, B / scale  # the pencil's overall scale is arbitrary
        (alpha, beta), vectors = scipy.linalg.eig(A, B, homogeneous_eigvals=True)
        with np.errstate(all="ignore"):
            mu = alpha / beta
        order = np.argsort(-np.abs(mu))
        # the trivial multiplier's eigenvector is the flow direction f(x(0))
        Y, _, value = self.split(u)
        flow = self.field(Y[:1], value)[0]
        z0 = vectors[:, order]
        align = np.abs(flow @ z0) / (np.linalg.norm(z0, axis=0) * np.linalg.norm(flow) + 1e-300)
        return mu[order], int(np.argmax(align))

    def remeshed(self, Y: np.ndarray, period_scale: float | None = None,
                 intervals: int | None = None) -> tuple[Discretisation, np.ndarray]:
        """A mesh that equidistributes |x⁽ᵐ⁾|^{1/m} (the leading term of the collocation
        error, de Boor's criterion as in AUTO), with the solution ``Y`` moved onto it; the
        period's unit becomes ``period_scale`` (ms) and the number of intervals
        ``intervals`` if given."""
        N = intervals or self.intervals
        idx = (np.arange(self.intervals)[:, None] * DEGREE + np.arange(DEGREE + 1)) \
            % self.nodes
        top = factorial(DEGREE) * np.einsum("j,kjn->kn", _COEF[DEGREE], Y[idx])
        size = np.linalg.norm(top, axis=1) / self.h ** DEGREE
        density = size ** (1.0 / DEGREE)
        density = density + 0.1 * np.mean(density) + 1e-12  # floor: no interval too wide
        cum = np.concatenate([[0.0], np.cumsum(density * self.h)])
        mesh = np.interp(np.linspace(0.0, cum[-1], N + 1), cum, self.mesh)
        mesh[0], mesh[-1] = 0.0, 1.0
        new = Discretisation(self.branch, self.scale, period_scale or self.period_scale, mesh,
                             self.continued)
        return new, self.evaluate(Y, new.node_tau)
