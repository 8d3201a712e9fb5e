"""The fixed-step kernels: ``run`` (blocked, vectorised across neurons) and ``run_scalar``.

``run_scalar(n_steps, step0, dt, dtk, cj, kfac, thr, P, S, spk_count, spk_times, rec_every,
REC, *W)`` advances every neuron (column of ``S``) ``n_steps`` steps from step index ``step0``,
counting upward crossings of ``thr`` (times interpolated) and recording every ``rec_every``
steps; ``run(…, REC, b0, b1, *W)`` does the same for the neurons of blocks ``b0…b1 − 1``.

Layout of ``run``: the batch is cut into blocks of :data:`BLOCK` neurons; the solver hands
ranges of blocks to threads (the kernels release the GIL; plain compiled loops compile several
times faster than Numba's parallel loops and give the same bits whatever the thread count).
Each block copies its states and parameters into one flat local array with a
compile-time row stride (``X[row·STRIDE + j]``: the states, the previous step's v, then the
parameters), runs the whole time loop with the neuron loop innermost, and copies the states
back. With every row at a constant distance from the others, the compiler can prove that the
rows do not overlap and vectorises the neuron loop for any number of states; with one array
slice per row (the earlier layout) it needed a run-time overlap check per pair of rows and gave
up beyond about six states (LLVM's limit on run-time memory checks).

The row stride is :data:`STRIDE` = BLOCK + 8 elements, not BLOCK: with 64 float64 per row
(512 bytes) every eighth row shares its low 12 address bits with the others, and the CPU's
store-to-load forwarding check (which compares only those bits) then stalls the loads of one
neuron group behind the stores of the previous one ("4K aliasing"). Measured on the Hay 2011
soma (17 states, 70 parameter rows): 4.7 → 18 M neuron-steps/s, with the old layout's speed
depending on where the allocator happened to place the parameter array relative to the states.
``run_scalar`` keeps one neuron's state in registers, for batches too small to fill a vector.
"""

from __future__ import annotations

from ...ir import ModelIR
from .emit_observe import observe_pairs
from .emit_step import state_rows, step_lines
from .source import Flavor, assign

__all__ = ["blocked_kernel", "scalar_kernel", "BLOCK", "STRIDE", "signature"]

#: Neurons per block: the time loop runs inside each block, the neuron loop innermost.
BLOCK = 64
#: Elements between rows of a block's local array: BLOCK plus one 64-byte line of float64 (an
#: odd number of lines, so that no two rows less than 64 apart share their low 12 address bits).
STRIDE = BLOCK + 8

_JIT = '@numba.njit(fastmath=set(FASTMATH), cache=True, nogil=True, error_model="numpy")'


def signature(ir: ModelIR, blocks: bool = False) -> str:
    waves = "".join(f", W{k}" for k in range(len(ir.tables)))
    span = ", b0, b1" if blocks else ""
    return ("(n_steps, step0, dt, dtk, cj, kfac, thr, P, S, spk_count, spk_times, rec_every, "
            f"REC{span}{waves}):")


def _tm(flavor: Flavor) -> str:
    return "t + 0.5 * dt" if flavor.dtype == "float64" else "_T(t + 0.5 * dt)"


def _tables(ir: ModelIR) -> dict[str, str]:
    return {t: f"W{k}" for k, t in enumerate(ir.tables)}


def blocked_kernel(ir: ModelIR, flavor: Flavor, stabilize: bool) -> list[str]:
    """Source of ``run`` (see the module docstring)."""
    ns, nr, b, w = len(ir.states), len(ir.rows), BLOCK, STRIDE
    q0 = (ns + 1) * w  # first parameter row
    params = {pid: f"p{r}" for r, pid in enumerate(ir.rows)} | _tables(ir)
    L = [_JIT, "def run" + signature(ir, blocks=True),
         "    N = S.shape[1]",
         "    max_spk = spk_times.shape[1]",
         "    for ib in range(b0, b1):",
         f"        i0 = ib * {b}",
         f"        n = min({b}, N - i0)",
         "        # states, v of the last step, parameters",
         f"        X = np.empty({q0 + nr * w}, dtype=S.dtype)",
         f"        for k in range({ns}):",
         "            for j in range(n):",
         f"                X[k * {w} + j] = S[k, i0 + j]",
         f"        for k in range({nr}):",
         "            for j in range(n):",
         f"                X[{q0} + k * {w} + j] = P[k, i0 + j]",
         "        for step in range(n_steps):",
         "            t = (step0 + step) * dt",
         f"            tm = {_tm(flavor)}",
         "            for j in range(n):"]
    ind = " " * 16
    L += [f"{ind}x{i} = X[{i * w} + j]" for i in range(ns)]
    L += [f"{ind}p{r} = X[{q0 + r * w} + j]" for r in range(nr)]
    L += step_lines(ir, params, flavor, stabilize, ind)
    L.append(f"{ind}X[{ns * w} + j] = x0")
    L += [f"{ind}X[{i * w} + j] = y{i}" for i in range(ns)]
    L += ["            for j in range(n):",
          f"                vo = X[{ns * w} + j]",
          "                vn = X[j]",
          "                if vo < thr and vn >= thr:",
          "                    c = spk_count[i0 + j]",
          "                    if c < max_spk:",
          "                        spk_times[i0 + j, c] = t + dt * (thr - vo) / (vn - vo)",
          "                    spk_count[i0 + j] = c + 1"]
    if ir.record:
        L += ["            k = step0 + step + 1",
              "            if k % rec_every == 0:",
              "                r = k // rec_every",
              "                for j in range(n):"]
        ind = " " * 20
        L += [f"{ind}x{i} = X[{i * w} + j]" for i in range(ns)]
        L += [f"{ind}p{r} = X[{q0 + r * w} + j]" for r in range(nr)]
        L += _record_lines(ir, params, flavor, ind, "i0 + j")
    L += [f"        for k in range({ns}):",
          "            for j in range(n):",
          f"                S[k, i0 + j] = X[k * {w} + j]",
          "    return 0", ""]
    return L


def scalar_kernel(ir: ModelIR, flavor: Flavor, stabilize: bool) -> list[str]:
    """Source of ``run_scalar``: one neuron at a time, its state in registers."""
    ns, nr = len(ir.states), len(ir.rows)
    params = {pid: f"p{r}" for r, pid in enumerate(ir.rows)} | _tables(ir)
    L = [_JIT, "def run_scalar" + signature(ir),
         "    N = S.shape[1]",
         "    max_spk = spk_times.shape[1]",
         "    for i in range(N):",
         "        c = spk_count[i]"]
    L += [f"        x{i} = S[{i}, i]" for i in range(ns)]
    L += [f"        p{r} = P[{r}, i]" for r in range(nr)]
    L += ["        for step in range(n_steps):",
          "            t = (step0 + step) * dt",
          f"            tm = {_tm(flavor)}"]
    ind = " " * 12
    L += step_lines(ir, params, flavor, stabilize, ind)
    L += [f"{ind}if x0 < thr and y0 >= thr:",
          f"{ind}    if c < max_spk:",
          f"{ind}        spk_times[i, c] = t + dt * (thr - x0) / (y0 - x0)",
          f"{ind}    c += 1"]
    L += [f"{ind}x{i} = y{i}" for i in range(ns)]
    if ir.record:
        L += [f"{ind}k = step0 + step + 1",
              f"{ind}if k % rec_every == 0:",
              f"{ind}    r = k // rec_every"]
        L += _record_lines(ir, params, flavor, ind + "    ", "i")
    L += ["        spk_count[i] = c"]
    L += [f"        S[{i}, i] = x{i}" for i in range(ns)]
    L += ["    return 0", ""]
    return L


def _record_lines(ir: ModelIR, params: dict[str, str], flavor: Flavor, ind: str,
                  column: str) -> list[str]:
    names = {**params, **{n: f"x{i}" for n, i in state_rows(ir).items()}}
    names["t"] = "(k * dt)" if flavor.dtype == "float64" else "_T(k * dt)"
    pairs = [(f"REC[{q}, r, {column}]", e) for q, e in enumerate(observe_pairs(ir))]
    return assign(pairs, names, flavor, ind, "ob")
