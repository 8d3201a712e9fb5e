"""The explorer's browser app (Panel and Bokeh; JavaScript served from the installed packages).

Layout: controls on the left (model, stimulus, temperature, TTX, TEA, every channel's ḡ), tabs
on the right ("Spike": V with the stimulus bar, gates, conductances, currents; "Phase plane";
"I–V"; "f–I"; "Voltage clamp"). A control change re-simulates (:func:`compute.traces`) and
refreshes the visible tab; the time it took is shown under the controls (``update_ms``).

The plotted data live in named ``ColumnDataSource``s (``v_trace``, ``stimulus``, ``gates``,
``conductances``, ``currents``, ``nullcline_v``, ``nullcline_y``, ``trajectory``, ``iv``,
``fi``, ``clamp``), which the browser test reads from the page.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np

from ..errors import IonzooError
from ..plot.style import (
    STIMULUS_COLOR,
    channel_colors,
    gate_colors,
    gate_label,
    ion_color,
    shade,
)
from ..rates import rate
from . import compute

__all__ = ["Explorer", "serve"]

_TABS = ("Spike", "Phase plane", "I–V", "f–I", "Voltage clamp")


def _figure(title: str, y_label: str, x_range=None, height: int = 200, x_label: str = "time (ms)"):
    from bokeh.plotting import figure

    kw = {"x_range": x_range} if x_range is not None else {}
    fig = figure(height=height, sizing_mode="stretch_width", title=title, tools="pan,box_zoom,"
                 "wheel_zoom,reset,save", x_axis_label=x_label, y_axis_label=y_label, **kw)
    fig.toolbar.logo = None
    return fig


def _palette(names: list[str], ions: dict[str, str | None]) -> dict[str, str]:
    """Channel or gate (``<ch>.<x>``) → colour, as in the figures (:mod:`ionzoo.plot.style`)."""
    channels = channel_colors(ions)
    gates = gate_colors([n for n in names if "." in n], channels)
    return {n: gates[n] if "." in n else channels.get(n, ion_color(None)) for n in names}


class Explorer:
    """One explorer session: its controls, sources and layout (``.layout``)."""

    def __init__(self, model: str = "hh1952") -> None:
        import panel as pn
        from bokeh.models import ColumnDataSource

        from ..models import REGISTRY

        self.pn = pn
        self.sources = {name: ColumnDataSource(name=name) for name in (
            "v_trace", "stimulus", "gates", "conductances", "currents", "nullcline_v",
            "nullcline_y", "equilibria", "trajectory", "iv", "fi", "clamp")}
        self.update_ms = float("nan")
        self.status = pn.pane.Markdown("", name="status", sizing_mode="stretch_width")
        self.model_select = pn.widgets.Select(label="model", options=sorted(REGISTRY),
                                              value=model if model in REGISTRY else "hh1952")
        self.model_file = pn.widgets.TextInput(label="or a model file (.yaml/.json)",
                                               placeholder="path/to/model.yaml")
        self.load_button = pn.widgets.Button(label="load file")
        self.kind = pn.widgets.RadioButtonGroup(label="stimulus", options=list(compute.KINDS),
                                                value="step")
        self.sliders: dict[str, Any] = {}
        self.gbar_box = pn.Column(sizing_mode="stretch_width")
        self.tabs = pn.Tabs(sizing_mode="stretch_both", dynamic=False)
        self.fi_button = pn.widgets.Button(label="compute f–I (0 … 2× amplitude)",
                                           color="primary")
        self._make_sliders()
        self.model_select.param.watch(lambda e: self.set_model(e.new), "value")
        self.load_button.on_click(lambda e: self.set_model((self.model_file.value or "").strip()))
        self.kind.param.watch(lambda e: self.update(), "value")
        self.fi_button.on_click(lambda e: self.update_fi())
        self.tabs.param.watch(lambda e: self.update(), "active")
        self.controls = pn.Column(
            "## ionzoo explorer", self.model_select, self.model_file, self.load_button,
            "### stimulus", self.kind, *(self.sliders[k] for k in (
                "amplitude", "start", "duration", "width", "period", "t_stop")),
            "### conditions", self.sliders["temperature"], self.sliders["ttx"],
            self.sliders["tea"], "### ḡ (mS/cm²; GHK: cm/s)", self.gbar_box, self.status,
            width=320)
        self.layout = pn.Row(self.controls, self.tabs, sizing_mode="stretch_both")
        self.set_model(model)

    # ----------------------------------------------------------------- controls
    def _make_sliders(self) -> None:
        pn = self.pn
        spec = {"amplitude": ("amplitude (µA/cm²)", -20.0, 100.0, 0.5),
                "start": ("start (ms)", 0.0, 500.0, 1.0),
                "duration": ("duration (ms)", 1.0, 1000.0, 1.0),
                "width": ("pulse width (ms)", 0.1, 20.0, 0.1),
                "period": ("pulse period (ms)", 1.0, 200.0, 1.0),
                "t_stop": ("run (ms)", 10.0, 1000.0, 10.0),
                "temperature": ("temperature (°C)", 0.0, 45.0, 0.5),
                "ttx": ("TTX (nM)", 0.0, 100.0, 0.5),
                "tea": ("TEA (mM)", 0.0, 50.0, 0.5)}
        for key, (label, lo, hi, step) in spec.items():
            s = pn.widgets.FloatSlider(label=label, start=lo, end=hi, step=step, value=lo,
                                       sizing_mode="stretch_width")
            s.param.watch(lambda e: self.update(), "value_throttled")
            self.sliders[key] = s

    def settings(self) -> compute.Settings:
        """The controls' current values as :class:`~ionzoo.explore.compute.Settings`."""
        values = {k: s.value for k, s in self.sliders.items()}
        gbar = {s.label.split(" ", 1)[0]: s.value for s in self.gbar_box.objects}
        return compute.Settings(kind=self.kind.value, gbar=gbar, **values)

    def set_model(self, name: str) -> None:
        """Switch to a zoo model or a model file; errors go to the status line."""
        try:
            base = compute.load_model(name)
        except (IonzooError, OSError) as exc:
            self.status.object = f"**cannot load:** {exc}"
            return
        self.base, self.name = base, name
        defaults = compute.default_settings(base, name)
        with self.pn.io.hold():
            for key in ("amplitude", "start", "duration", "width", "period", "t_stop"):
                self.sliders[key].value = getattr(defaults, key)
            self.sliders["temperature"].value = base.temperature
            self.sliders["ttx"].value = self.sliders["tea"].value = 0.0
            self.gbar_box.objects = [self._gbar_slider(c) for c in base.channels]
            self._build_tabs()
        self.update()

    def _gbar_slider(self, ch) -> Any:
        hi = max(3.0 * ch.gbar, 1.0 if not ch.ghk else 1e-3)
        s = self.pn.widgets.FloatSlider(label=f"{ch.name} ḡ", start=0.0, end=hi, value=ch.gbar,
                                        step=hi / 300.0, format="0[.]0000",
                                        sizing_mode="stretch_width")
        s.param.watch(lambda e: self.update(), "value_throttled")
        return s

    # ----------------------------------------------------------------- figures
    def _build_tabs(self) -> None:
        from bokeh.layouts import column

        pn, src = self.pn, self.sources
        ions = {c.name: c.ion for c in self.base.channels}
        gates = [f"{c.name}.{g.name}" for c in self.base.channels for g in c.leaf_gates()
                 if not g.instantaneous]
        chans = [c.name for c in self.base.channels]
        colors = {**_palette(gates, ions), **_palette(chans, ions)}
        v = _figure(f"{self.base.name}: membrane potential", "V (mV)", height=240)
        v.line("t", "v", source=src["v_trace"], color="black", line_width=1.5)
        bar = _figure("", "I (µA/cm²)", x_range=v.x_range, height=90)
        bar.line("t", "i", source=src["stimulus"], color=STIMULUS_COLOR)
        bar.yaxis.ticker.desired_num_ticks = 2
        panes = [v, bar]
        for key, label, names in (("gates", "gates (1)", gates),
                                  ("conductances", "conductance (mS/cm²)", chans),
                                  ("currents", "current (µA/cm², outward +)", chans)):
            fig = _figure("", label, x_range=v.x_range, height=170)
            for name in names:
                label = gate_label(name) if key == "gates" else \
                    {"conductances": f"g {name}", "currents": f"I {name}"}[key]
                fig.line("t", name, source=src[key], color=colors[name], legend_label=label,
                         line_width=1.3)
            if names:
                fig.legend.location, fig.legend.label_text_font_size = "top_right", "8pt"
                fig.legend.click_policy = "hide"
            panes.append(fig)
        plane = _figure("phase plane (V-nullcline black, gate-nullcline red)", "gate (1)",
                        height=420, x_label="V (mV)")
        self.plane_fig = plane
        plane.line("x", "y", source=src["nullcline_v"], color="black", line_width=2)
        plane.line("x", "y", source=src["nullcline_y"], color="#d62728", line_width=2)
        plane.line("x", "y", source=src["trajectory"], color="#1f77b4", alpha=0.7)
        plane.scatter("x", "y", source=src["equilibria"], size=10, fill_color="fill",
                      line_color="black")
        iv = _figure("steady-state I–V", "I (µA/cm², outward +)", height=380, x_label="V (mV)")
        iv.line("v", "i", source=src["iv"], color="black", line_width=2)
        fi = _figure("f–I (rate as ionzoo.analysis.fi_curve defines it)", "rate (Hz)",
                     height=380, x_label="I (µA/cm²)")
        fi.line("i", "rate", source=src["fi"], color="black")
        fi.scatter("i", "rate", source=src["fi"], size=6)
        clamp = _figure("voltage clamp: steps from −80 mV to −60 … +40 mV", "I_clamp (µA/cm²)",
                        height=420)
        clamp.multi_line("ts", "currents", source=src["clamp"], color="color")
        self.tabs[:] = [("Spike", pn.pane.Bokeh(column(*panes, sizing_mode="stretch_width"))),
                        ("Phase plane", pn.pane.Bokeh(plane)), ("I–V", pn.pane.Bokeh(iv)),
                        ("f–I", pn.Column(self.fi_button, pn.pane.Bokeh(fi))),
                        ("Voltage clamp", pn.pane.Bokeh(clamp))]

    # ----------------------------------------------------------------- updates
    def update(self) -> None:
        """Re-simulate with the current settings and refresh the visible tab."""
        t0 = time.perf_counter()
        try:
            s = self.settings()
            tr = compute.traces(self.base, s)
            cell = compute.neuron_for(self.base, s)
        except (IonzooError, ValueError) as exc:
            self.status.object = f"**error:** {exc}"
            return
        src = self.sources
        src["v_trace"].data = {"t": tr.t, "v": tr.v}
        src["stimulus"].data = {"t": tr.t, "i": tr.stimulus}
        src["gates"].data = {"t": tr.t, **tr.gates}
        src["conductances"].data = {"t": tr.t, **tr.conductances}
        src["currents"].data = {"t": tr.t, **tr.currents}
        tab = _TABS[self.tabs.active] if self.tabs.active < len(_TABS) else "Spike"
        note = ""
        try:
            if tab == "Phase plane":
                self._update_phase(cell, s, tr)
            elif tab == "I–V":
                v, i = compute.iv_curve(cell)
                src["iv"].data = {"v": v, "i": i}
            elif tab == "Voltage clamp":
                note = self._update_clamp(cell)
        except (IonzooError, ValueError) as exc:
            note = f"{tab}: {exc}"
        self.update_ms = 1000.0 * (time.perf_counter() - t0)
        area = "" if self.base.area is None else \
            f" = {s.amplitude * self.base.area * 1e-5:.3g} nA on {self.base.area:.4g} µm²"
        hz = rate(tr.spikes, s.start, s.start + s.duration)
        self.status.object = (f"{len(tr.spikes)} spikes, rate {hz:.1f} Hz (1/mean ISI in the "
                              f"stimulus); amplitude {s.amplitude:g} µA/cm²"
                              f"{area}; updated in {self.update_ms:.0f} ms"
                              + (f"\n\n**{note}**" if note else ""))

    def _update_phase(self, cell, s: compute.Settings, tr: compute.Traces) -> None:
        current = s.amplitude if s.kind == "step" else 0.0
        ph = compute.phase(cell, current)
        self.plane_fig.yaxis.axis_label = f"{ph['y_name']} (1)"
        self.plane_fig.title.text = (f"phase plane at I = {current:g} µA/cm² (V-nullcline black, "
                                     f"{ph['y_name']}-nullcline red; other gates at x∞(V))")
        src = self.sources
        src["nullcline_v"].data = {"x": ph["dxdt"][0], "y": ph["dxdt"][1]}
        src["nullcline_y"].data = {"x": ph["dydt"][0], "y": ph["dydt"][1]}
        ex, ey, stable = ph["eq"]
        src["equilibria"].data = {"x": ex, "y": ey,
                                  "fill": ["black" if k else "white" for k in stable]}
        y = tr.gates.get(ph["y_name"])
        src["trajectory"].data = {"x": tr.v if y is not None else [], "y": y if y is not None
                                  else []}

    def _update_clamp(self, cell) -> str:
        fam = compute.clamp_family(cell)
        if "error" in fam:
            self.sources["clamp"].data = {"ts": [], "currents": [], "color": []}
            return f"voltage clamp: {fam['error']}"
        n = len(fam["levels"])
        colors = [shade("#1f77b4", 0.8 * (1 - k / max(1, n - 1)) - 0.2) for k in range(n)]
        self.sources["clamp"].data = {"ts": [fam["t"]] * n, "currents": list(fam["currents"]),
                                      "color": colors}
        return ""

    def update_fi(self) -> None:
        """The f–I curve from 0 to twice the step amplitude (13 currents, 500-ms steps)."""
        s = self.settings()
        cell = compute.neuron_for(self.base, s)
        hi = max(2.0 * s.amplitude, 1.0)
        i, rate = compute.fi(cell, np.linspace(0.0, hi, 13))
        self.sources["fi"].data = {"i": i, "rate": rate}


def serve(model: str = "hh1952", port: int = 5006, show: bool = True) -> None:
    """Serve a new explorer per browser session at http://localhost:``port``."""
    import panel as pn

    compute.load_model(model)  # a bad name fails here, with a clear error, before serving
    pn.serve({"explore": lambda: Explorer(model).layout}, port=port, show=show,
             title="ionzoo explorer", websocket_origin=[f"localhost:{port}",
                                                        f"127.0.0.1:{port}"])
