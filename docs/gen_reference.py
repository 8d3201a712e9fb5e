"""Generate the channel and model reference pages (`make docs`).

One page per channel of ``ionzoo.channels.REGISTRY`` (equations, parameters with units, the
temperature rule, provenance, an x∞/τ figure) and one per model of ``ionzoo.models.REGISTRY``
(parameters, channels, a response figure). Usage: python docs/gen_reference.py [--out DOCS_DIR]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

import ionzoo as iz  # noqa: E402
from ionzoo.model.params import pretty_unit  # noqa: E402

HERE = Path(__file__).resolve().parent


def slug(name: str) -> str:
    return name.replace(".", "_")


def channel_figure(ch, path: Path) -> None:
    kinetic = ch.gates
    fig, (ax_inf, ax_tau) = plt.subplots(1, 2, figsize=(9, 3.4))
    calcium_only = ch.reads_calcium() and not any(
        "v" in e.names for g in ch.gates for e in ch.gate_expressions(g))
    if calcium_only:
        x = np.logspace(-6, -2, 300)
        for g in kinetic:
            ax_inf.semilogx(x, iz.reference.steady_state(ch, g, -60.0, cai=x), label=f"{g.name}∞")
            ax_tau.semilogx(x, iz.reference.time_constant(ch, g, -60.0, cai=x), label=f"τ {g.name}")
        ax_inf.set_xlabel("internal calcium cai (mM)")
        ax_tau.set_xlabel("internal calcium cai (mM)")
    else:
        v = np.linspace(-120, 60, 721)
        ref_t = getattr(ch.temperature, "reference", None)
        for g in kinetic:
            ax_inf.plot(v, iz.reference.steady_state(ch, g, v), label=f"{g.name}∞")
            if not g.instantaneous:
                ax_tau.plot(v, iz.reference.time_constant(ch, g, v, ref_t), label=f"τ {g.name}")
        ax_inf.set_xlabel("membrane potential (mV)")
        ax_tau.set_xlabel("membrane potential (mV)")
    ax_inf.set_ylabel("steady state (1)")
    label = (f"at {ch.temperature.reference:g} °C" if isinstance(ch.temperature, iz.channels.Q10)
             else "with its fixed factor" if ch.temperature else "")
    ax_tau.set_ylabel(f"τ (ms) {label}")
    if ax_tau.lines:
        ax_tau.set_yscale("log")
    for ax in (ax_inf, ax_tau):
        if ax.lines:
            ax.legend(fontsize=8)
    fig.suptitle(ch.description or ch.name)
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


def _unit(unit: str) -> str:
    """A unit for the tables: typeset, "1" for dimensionless, "—" where none is declared."""
    return "1" if unit == "1" else (pretty_unit(unit) or "—")


def channel_page(key: str, ch, fig_rel: str) -> str:
    p = ch.provenance
    rows = "\n".join(f"| `{ch.name}.{k}` | {v:g} | "
                     f"{_unit(ch.parameter_spec(k).unit)} |"
                     for k, v in ch.parameters().items())
    reversal = {"nernst": "Nernst (calcium pool)", "ghk": "GHK permeability current"}.get(
        ch.reversal, f"{ch.e:g} mV" if isinstance(ch.e, (int, float)) else str(ch.e))
    if ch.reversal == "ghk":
        current = ("Current I = P · Π x^p · GHK(v, cai, cao) in µA/cm² (P in cm/s, the "
                   "Goldman–Hodgkin–Katz flux of Ca²⁺, z = 2)")
    else:
        current = "Current I = gbar · Π x^p · (v − e) in µA/cm² (gbar mS/cm², v mV)"
    eq = str(ch).replace("\n", "\n    ")
    return f"""# {key} — {ch.description}

**Source:** {p.citation if p else '—'}
**Reference file:** {p.model_file if p and p.model_file else '—'}
**Ion:** {ch.ion or '—'} · **Reversal:** {reversal}
· **Temperature rule:** {ch.rule_text()}

## Equations

    {eq}

{current}; rates α, β in 1/ms, x∞
dimensionless, τ in ms{'' if not ch.reads_calcium() else '; cai, cao in mM'}.

## Parameters

| path | default | unit |
|---|---|---|
{rows}

## Notes

{p.notes if p and p.notes else '—'}

![x∞ and τ]({fig_rel})

Constructor: `ionzoo.channels.REGISTRY["{key}"]()`; every value above is a keyword argument
and a batchable parameter path.
"""


def model_page(key: str, cell, fig_rel: str) -> str:
    rows = "\n".join(f"| `{path}` | {float(cell.default(path)):g} | "
                     f"{_unit(cell.unit(path))} |" for path in cell.parameter_paths())
    chans = "\n".join(f"- `{c.name}`: {c.description} ({c.rule_text()})"
                      for c in cell.channels)
    doc = (iz.models.REGISTRY[key].__doc__ or "").strip()
    area = f"{cell.area:.0f} µm²" if cell.area else "— (densities only)"
    return f"""# Model `{key}`

{doc}

Area: {area}{' · calcium pool: ' + cell.calcium.pool if cell.calcium and cell.calcium.pool
             else ''}

## Channels

{chans}

## Parameters

| path | value | unit |
|---|---|---|
{rows}

![response]({fig_rel})

`ionzoo run {key} --current ... ` from the shell; `ionzoo.models.REGISTRY["{key}"]()` in Python.
"""


def model_figure(key: str, cell, path: Path) -> None:
    from ionzoo.models import pospischil

    name = key.replace("pospischil_", "").upper()
    if key.startswith("pospischil_"):
        amp, t0, t1, t_stop = pospischil.DEMO_STIMULUS[name]
        stim = iz.stimulus.step(float(cell.density(amp)), t0, t1)
        title = f"{amp} nA, {t0:g}–{t1:g} ms (ModelDB demo)"
    else:
        amps = iz.models.DEMO_CURRENT
        t_stop = 600.0 if key.startswith("morris") else 200.0
        stim = iz.stimulus.step(amps.get(key, 10.0), 20.0, t_stop - 20.0)
        title = f"{amps.get(key, 10.0):g} µA/cm² step"
    res = iz.simulate(cell, stim, t_stop=t_stop, dt=0.025, record=["v"], record_every=2)
    fig, ax = plt.subplots(figsize=(8, 3))
    ax.plot(res.t, res.v, color="k", lw=0.8)
    ax.set_xlabel("time (ms)")
    ax.set_ylabel("V (mV)")
    ax.set_title(f"{key}: {title}", fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", default=str(HERE))
    args = ap.parse_args()
    out = Path(args.out)
    (out / "channels" / "figures").mkdir(parents=True, exist_ok=True)
    (out / "models" / "figures").mkdir(parents=True, exist_ok=True)
    index = ["# Channel zoo\n", "| channel | ion | gates | temperature rule | source |",
             "|---|---|---|---|---|"]
    for key, make in sorted(iz.channels.REGISTRY.items()):
        ch = make()
        fig = f"figures/{slug(key)}.png"
        channel_figure(ch, out / "channels" / fig)
        (out / "channels" / f"{slug(key)}.md").write_text(channel_page(key, ch, fig))
        gates = " ".join(f"{g.name}^{g.power}" for g in ch.gates) or "–"
        src = ch.provenance.citation.split(";")[0] if ch.provenance else ""
        index.append(f"| [{key}]({slug(key)}.md) | {ch.ion or '–'} | {gates} | "
                     f"{ch.rule_text()} | {src} |")
    (out / "channels" / "index.md").write_text("\n".join(index) + "\n")
    mindex = ["# Models\n", "| model | description |", "|---|---|"]
    for key, make in sorted(iz.models.REGISTRY.items()):
        cell = make()
        fig = f"figures/{key}.png"
        model_figure(key, cell, out / "models" / fig)
        (out / "models" / f"{key}.md").write_text(model_page(key, cell, fig))
        first = (make.__doc__ or "").strip().splitlines()[0]
        mindex.append(f"| [{key}]({key}.md) | {first} |")
    (out / "models" / "index.md").write_text("\n".join(mindex) + "\n")
    print(f"wrote {len(iz.channels.REGISTRY)} channel and {len(iz.models.REGISTRY)} model pages")


if __name__ == "__main__":
    main()
