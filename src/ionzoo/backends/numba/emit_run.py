"""The fixed-step kernels: ``run`` (blocked, vectorised across neurons) and ``run_scalar``.

``run_scalar(n_steps, step0, dt, dtk, cj, kfac, thr, P, S, spk_count, spk_times, rec_every,
REC, *W)`` advances every neuron (column of ``S``) ``n_steps`` steps from step index ``step0``,
counting upward crossings of ``thr`` (times interpolated) and recording every ``rec_every``
steps; ``run(…, REC, b0, b1, *W)`` does the same for the neurons of blocks ``b0…b1 − 1``.

Layout of ``run``: the batch is cut into blocks of :data:`BLOCK` neurons; the solver hands
ranges of blocks to threads (the kernels release the GIL; plain compiled loops compile several
times faster than Numba's parallel loops and give the same bits whatever the thread count).
Each block copies its states and parameters into one local two-dimensional array ``X[row, j]``
(the states, the previous step's v, the parameters, then the time-invariant values of
:class:`~.source.Invariants`, computed once per block), runs the whole time loop with the
neuron loop innermost, and copies the states back. A short last block is padded with copies
of its last neuron, so the neuron loop always runs BLOCK times.

Why this shape: with every row at a constant distance from the others and a constant trip
count, the compiler can prove that the rows do not overlap and vectorises the neuron loop for
any number of states, with no run-time checks and no scalar remainder loop. With one array
slice per row (the first layout) it needed a run-time overlap check per pair of rows and gave
up beyond about six states (LLVM's limit on run-time memory checks); with a variable trip
count it kept run-time checks per step and, for some models (the calcium pools of Pospischil
LTS and Hay), did not vectorise the loop at all. The test
``test_helpers_that_call_helpers_do_not_stop_vectorisation`` reads the generated LLVM.

The row stride is :data:`STRIDE` = BLOCK + 8 elements, not BLOCK: with 64 float64 per row
(512 bytes) every eighth row would share its low 12 address bits, which the CPU's
store-to-load forwarding check compares ("4K aliasing"), the likely cause of the erratic speed
measured with separate state and parameter arrays (Hay 2011 soma: 4.7 or 18 M neuron-steps/s
depending on where the allocator placed them; one array with this stride: 18 every time).
The search for spikes, a scalar loop, runs only in the steps where the vectorised loop counted
a crossing. ``run_scalar`` keeps one neuron's state in registers, for batches too small to
fill a vector.
"""

from __future__ import annotations

from ...expr import Expr
from ...ir import ModelIR
from .emit_observe import observe_pairs
from .emit_step import invariant_names, state_rows, step_lines
from .source import Flavor, Invariants, assign

__all__ = ["blocked_kernel", "scalar_kernel", "BLOCK", "STRIDE", "signature"]

#: Neurons per block: the time loop runs inside each block, the neuron loop innermost.
BLOCK = 64
#: Elements between rows of a block's local array: BLOCK plus one 64-byte line of float64 (an
#: odd number of lines, so that no two rows less than 64 apart share their low 12 address bits).
STRIDE = BLOCK + 8

_JIT = ('@numba.njit(fastmath=set(FASTMATH), cache=_DISK_CACHE, nogil=True, '
        'error_model="numpy")')


def signature(ir: ModelIR, blocks: bool = False) -> str:
    waves = "".join(f", W{k}" for k in range(len(ir.tables)))
    events = "".join(f", E{k}, Q{k}" for k in range(len(ir.events)))
    span = ", b0, b1" if blocks else ""
    return ("(n_steps, step0, dt, dtk, cj, kfac, thr, P, S, spk_count, spk_times, rec_every, "
            f"REC{span}, bad{waves}{events}):")


def _noise_lines(ir: ModelIR, flavor: Flavor, ind: str, param: str) -> list[str]:
    """This step's standard normal number of every noise source (counter-based: it depends on
    the seed, the stream and the step index only)."""
    cast = "" if flavor.dtype == "float64" else "_T"
    return [f"{ind}{n.xi} = {cast}(_gauss({param.format(r=ir.rows.index(n.seed))}, "
            f"{n.stream}, step0 + step))" for n in ir.noises]


def _event_lines(ir: ModelIR, ind: str, column: str, state: str, param: str,
                 only: int | None = None) -> list[str]:
    """Deliver each synapse's events due in this step (time <= tm) before the step: ``E<k>``
    holds each neuron's sorted event times (+inf padded), ``Q<k>`` the index of its next one.
    ``state``/``param`` format the source of a state row / parameter row."""
    rows = state_rows(ir)
    L = []
    for k, ev in enumerate(ir.events):
        if only is not None and k != only:
            continue
        jump = param.format(r=ir.rows.index(ev.jump))
        L += [f"{ind}q = Q{k}[{column}]",
              f"{ind}while E{k}[{column}, q] <= t + 0.5 * dt:"]  # float64, any flavour
        L += [f"{ind}    {state.format(r=rows[name])} += {jump}" for name in ev.states]
        L += [f"{ind}    q += 1", f"{ind}Q{k}[{column}] = q"]
    return L


def _finite_sum(ns: int, prefix: str = "y") -> str:
    """An expression that is 0.0 when every new state is finite, NaN otherwise (x − x is NaN
    for NaN and ±inf; the kernels' fast-math flags keep NaN semantics)."""
    return " + ".join(f"({prefix}{i} - {prefix}{i})" for i in range(ns))


def _tm(flavor: Flavor) -> str:
    return "t + 0.5 * dt" if flavor.dtype == "float64" else "_T(t + 0.5 * dt)"


def _tables(ir: ModelIR) -> dict[str, str]:
    return {t: f"W{k}" for k, t in enumerate(ir.tables)}


def _hoisted(ir: ModelIR, params: dict[str, str], flavor: Flavor, stabilize: bool, ind: str,
             ) -> tuple[list[str], list[tuple[str, Expr]]]:
    """The step's source (for the neuron loop at indent ``ind``) and the invariant bindings it
    reads (``h<k>``, to be computed before the time loop)."""
    inv = Invariants(invariant_names(ir))
    body = step_lines(ir, params, flavor, stabilize, ind, inv)
    return body, inv.bindings


def _prologue(ir: ModelIR, params: dict[str, str], flavor: Flavor,
              bindings: list[tuple[str, Expr]], load: str, ind: str) -> list[str]:
    """Lines computing the invariant bindings of one neuron from its parameters (``load``
    formats the source of parameter row r)."""
    used = set().union(*(e.names for _, e in bindings)) if bindings else set()
    lines = [f"{ind}p{r} = {load.format(r=r)}" for r, pid in enumerate(ir.rows) if pid in used]
    names = {**params, "dtk": "dtk", "kfac": "kfac"}
    return lines + assign(bindings, names, flavor, ind, "hb")


def blocked_kernel(ir: ModelIR, flavor: Flavor, stabilize: bool) -> list[str]:
    """Source of ``run`` (see the module docstring)."""
    ns, nr, b, w = len(ir.states), len(ir.rows), BLOCK, STRIDE
    params = {pid: f"p{r}" for r, pid in enumerate(ir.rows)} | _tables(ir)
    body, bindings = _hoisted(ir, params, flavor, stabilize, " " * 16)
    nh, h0 = len(bindings), ns + 1 + nr  # invariant rows follow the parameters
    L = [_JIT, "def run" + signature(ir, blocks=True),
         "    _wide_vectors()  # let the neuron loop use 512-bit vectors where the CPU has them",
         "    N = S.shape[1]",
         "    max_spk = spk_times.shape[1]",
         "    for ib in range(b0, b1):",
         f"        i0 = ib * {b}",
         f"        n = min({b}, N - i0)",
         "        # states, v of the last step, parameters, time-invariant values",
         f"        X = np.empty(({h0 + nh}, {w}), dtype=S.dtype)",
         "        # a short last block is padded with copies of its last neuron: the neuron loop",
         f"        # always runs {b} times (a constant trip count needs no overlap checks)",
         f"        for k in range({ns}):",
         "            for j in range(n):",
         "                X[k, j] = S[k, i0 + j]",
         f"        for k in range({nr}):",
         "            for j in range(n):",
         f"                X[{ns + 1} + k, j] = P[k, i0 + j]",
         f"        for k in range({ns + 1 + nr}):",
         f"            for j in range(n, {b}):",
         "                X[k, j] = X[k, n - 1]"]
    if bindings:
        L.append(f"        for j in range({b}):")
        L += _prologue(ir, params, flavor, bindings, "X[" + str(ns + 1) + " + {r}, j]",
                       " " * 12)
        L += [f"            X[{h0 + k}, j] = {name}" for k, (name, _) in enumerate(bindings)]
    for k in range(len(ir.events)):  # the block's earliest next event of each synapse
        L += [f"        tn{k} = np.inf",
              "        for j in range(n):",
              f"            tn{k} = min(tn{k}, E{k}[i0 + j, Q{k}[i0 + j]])"]
    L += ["        for step in range(n_steps):",
          "            t = (step0 + step) * dt",
          f"            tm = {_tm(flavor)}",
          "            crossed = 0  # neurons of the block that crossed thr in this step",
          "            blown = 0  # neurons of the block with a non-finite state"]
    for k in range(len(ir.events)):
        # a scalar pass, only in the steps where some neuron of the block has an event due
        # (tn<k>: the block's earliest next event); the vectorised loop stays branch-free
        L += [f"            if tn{k} <= t + 0.5 * dt:",
              f"                tn{k} = np.inf",
              "                for j in range(n):"]
        L += _event_lines(ir, " " * 20, "i0 + j", "X[{r}, j]",
                          "X[" + str(ns + 1) + " + {r}, j]", only=k)
        L += [f"                    tn{k} = min(tn{k}, E{k}[i0 + j, q])"]
    L += [f"            for j in range({b}):"]
    ind = " " * 16
    L += [f"{ind}x{i} = X[{i}, j]" for i in range(ns)]
    L += [f"{ind}p{r} = X[{ns + 1 + r}, j]" for r in range(nr)]
    L += [f"{ind}{name} = X[{h0 + k}, j]" for k, (name, _) in enumerate(bindings)]
    L += _noise_lines(ir, flavor, ind, "p{r}")
    L += body
    L.append(f"{ind}X[{ns}, j] = x0")
    L += [f"{ind}X[{i}, j] = y{i}" for i in range(ns)]
    L.append(f"{ind}crossed += 1 if x0 < thr and y0 >= thr else 0")
    # v alone: every state reaches v within a step (a NaN gate makes its current NaN, even
    # at ḡ = 0), and v's check costs one subtraction where all states' cost ns
    L.append(f"{ind}blown += 0 if y0 - y0 == 0.0 else 1")
    L += _spike_and_record_lines(ir, params, flavor)
    L += [f"        for k in range({ns}):",
          "            for j in range(n):",
          "                S[k, i0 + j] = X[k, j]",
          "    return 0", ""]
    return L


def _spike_and_record_lines(ir: ModelIR, params: dict[str, str], flavor: Flavor) -> list[str]:
    """The blocked kernel's per-step spike detection, non-finite detection and recording
    (after the neuron loop)."""
    ns, nr = len(ir.states), len(ir.rows)
    # a neuron whose v became non-finite: the step and the first non-finite state, once
    blow = ["            if blown > 0:",
            "                for j in range(n):",
            "                    if bad[i0 + j, 0] < 0:",
            # the states before v: v is non-finite because one of them became so
            f"                        for kk in range({ns}):",
            f"                            k = (kk + 1) % {ns}",
            "                            if not (X[k, j] - X[k, j] == 0.0):",
            "                                bad[i0 + j, 0] = (step0 + step + 1) * dt",
            "                                bad[i0 + j, 1] = k",
            "                                break"]
    # the (scalar) search for the neurons that spiked runs only in the rare steps with one
    L = ["            if crossed > 0:",
         "                for j in range(n):",
         f"                    vo = X[{ns}, j]",
         "                    vn = X[0, j]",
         "                    if vo < thr and vn >= thr:",
         "                        c = spk_count[i0 + j]",
         "                        if c < max_spk:",
         "                            spk_times[i0 + j, c] = t + dt * (thr - vo) / (vn - vo)",
         "                        spk_count[i0 + j] = c + 1"] + blow
    if ir.record:
        L += ["            k = step0 + step + 1",
              "            if k % rec_every == 0:",
              "                r = k // rec_every",
              "                for j in range(n):"]
        ind = " " * 20
        L += [f"{ind}x{i} = X[{i}, j]" for i in range(ns)]
        L += [f"{ind}p{r} = X[{ns + 1 + r}, j]" for r in range(nr)]
        L += _record_lines(ir, params, flavor, ind, "i0 + j")
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
    body, bindings = _hoisted(ir, params, flavor, stabilize, " " * 12)
    if bindings:
        L += assign(bindings, {**params, "dtk": "dtk", "kfac": "kfac"}, flavor, " " * 8, "hb")
    L += ["        for step in range(n_steps):",
          "            t = (step0 + step) * dt",
          f"            tm = {_tm(flavor)}"]
    ind = " " * 12
    L += _event_lines(ir, ind, "i", "x{r}", "p{r}")
    L += _noise_lines(ir, flavor, ind, "p{r}")
    L += body
    L += [f"{ind}if x0 < thr and y0 >= thr:",
          f"{ind}    if c < max_spk:",
          f"{ind}        spk_times[i, c] = t + dt * (thr - x0) / (y0 - x0)",
          f"{ind}    c += 1"]
    L += [f"{ind}if bad[i, 0] < 0 and not ({_finite_sum(ns)} == 0.0):",
          f"{ind}    bad[i, 0] = (step0 + step + 1) * dt"]
    L += [f"{ind}    {'if' if i == 0 else 'elif'} not (y{i} - y{i} == 0.0):\n"
          f"{ind}        bad[i, 1] = {i}" for i in range(ns)]
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
