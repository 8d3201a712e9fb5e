"""The explorer: ``ionzoo explore [MODEL]`` in the browser, or :func:`explorer` in Jupyter.

Sliders for the stimulus, temperature, TTX and TEA and every channel's ḡ; live panes for V, the
gates, conductances and currents, the phase plane with nullclines, the steady-state I–V and the
f–I curve; a voltage-clamp tab. Everything it plots comes from :mod:`ionzoo.explore.compute`
(plain functions of the settings, tested against :func:`ionzoo.simulate`). The app is Panel
and Bokeh, served from the installed packages (no network).
"""

from __future__ import annotations

from .compute import Settings

__all__ = ["Settings", "explorer", "serve"]


def explorer(model: str = "hh1952"):
    """The explorer as a Panel layout (display it in Jupyter after ``panel.extension()``)."""
    from .app import Explorer

    return Explorer(model).layout


def serve(model: str = "hh1952", port: int = 5006, show: bool = True) -> None:
    """Serve the explorer at http://localhost:``port`` until interrupted."""
    from .app import serve as _serve

    _serve(model, port=port, show=show)
