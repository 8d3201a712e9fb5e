"""The reference kernels (exact libm functions): ``init``, ``observe``, and for the adaptive
solver ``rhs`` and ``observe_one``.

``init(P, S)``
    every state of every neuron at t = 0 from its initial-value expression (v = v_init, each
    gate at x∞(v_init), pools at their initial concentration).
``observe(t, P, S, REC, r, *W)``
    the recorded quantities of all neurons at time ``t`` into sample ``r`` of ``REC``.
``rhs(t, y, p, dy, *W)`` / ``observe_one(t, p, y, out, *W)``
    the ODE right-hand side and the recorded quantities of one neuron.
"""

from __future__ import annotations

from ...expr import Expr
from ...ir import ModelIR
from .emit_step import state_rows
from .source import EXACT, assign

__all__ = ["observe_pairs", "init_kernel", "observe_kernel", "rhs_kernel",
           "observe_one_kernel"]

_JIT = '@numba.njit(cache=_DISK_CACHE, nogil=True, error_model="numpy")'


def observe_pairs(ir: ModelIR) -> list[Expr]:
    """The expressions of the recorded quantities, in ``REC`` order."""
    return [o.expr for o in ir.recorded]


def _tables(ir: ModelIR) -> dict[str, str]:
    return {t: f"W{k}" for k, t in enumerate(ir.tables)}


def _body(lines: list[str], ind: str) -> list[str]:
    return lines or [f"{ind}pass"]


def init_kernel(ir: ModelIR) -> list[str]:
    names = {pid: f"P[{r}, j]" for r, pid in enumerate(ir.rows)}
    pairs = [(f"S[{i}, j]", s.init) for i, s in enumerate(ir.states)]
    return ([_JIT, "def init(P, S):", "    for j in range(S.shape[1]):"]
            + assign(pairs, names, EXACT, " " * 8, "in") + ["    return 0", ""])


def _waves(ir: ModelIR) -> str:
    return "".join(f", W{k}" for k in range(len(ir.tables)))


def observe_kernel(ir: ModelIR) -> list[str]:
    names = {pid: f"P[{r}, j]" for r, pid in enumerate(ir.rows)} | _tables(ir)
    names.update({n: f"S[{i}, j]" for n, i in state_rows(ir).items()})
    names["t"] = "t"
    pairs = [(f"REC[{q}, r, j]", e) for q, e in enumerate(observe_pairs(ir))]
    return ([_JIT, f"def observe(t, P, S, REC, r{_waves(ir)}):",
             "    for j in range(S.shape[1]):"]
            + _body(assign(pairs, names, EXACT, " " * 8, "ob"), " " * 8)
            + ["    return 0", ""])


def rhs_kernel(ir: ModelIR) -> list[str]:
    waves = _waves(ir)
    names = {pid: f"p[{r}]" for r, pid in enumerate(ir.rows)} | _tables(ir)
    names.update({n: f"y[{i}]" for n, i in state_rows(ir).items()})
    names["t"] = "t"
    rows = state_rows(ir)
    pairs = [(f"dy[{rows[name]}]", e) for name, e in ir.rhs().items()]
    return ([_JIT, f"def rhs(t, y, p, dy{waves}):"] + assign(pairs, names, EXACT, "    ", "rh")
            + ["    return 0", ""])


def observe_one_kernel(ir: ModelIR) -> list[str]:
    names = {pid: f"p[{r}]" for r, pid in enumerate(ir.rows)} | _tables(ir)
    names.update({n: f"y[{i}]" for n, i in state_rows(ir).items()})
    names["t"] = "t"
    pairs = [(f"out[{q}]", e) for q, e in enumerate(observe_pairs(ir))]
    return ([_JIT, f"def observe_one(t, p, y, out{_waves(ir)}):"]
            + _body(assign(pairs, names, EXACT, "    ", "ob"), "    ") + ["    return 0", ""])
