"""A minimal progress bar for long simulations (stderr, interactive terminals only by default)."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import Any, TextIO

__all__ = ["ProgressBar", "make_reporter"]

#: Runs predicted to finish sooner than this (s) show no bar in automatic mode.
AUTO_AFTER_S = 2.0


class ProgressBar:
    """Callable reporter: ``bar(fraction)`` redraws, ``bar.close()`` ends the line.

    In automatic mode the bar stays hidden until the elapsed time predicts a total of more than
    :data:`AUTO_AFTER_S` seconds.
    """

    def __init__(self, label: str, stream: TextIO, auto: bool) -> None:
        self.label, self.stream, self.auto = label, stream, auto
        self.start = time.perf_counter()
        self.shown = False

    def __call__(self, fraction: float) -> None:
        elapsed = time.perf_counter() - self.start
        if self.auto and not self.shown:
            if fraction <= 0 or elapsed / fraction < AUTO_AFTER_S or fraction >= 1.0:
                return
        self.shown = True
        width = 30
        filled = int(round(width * min(max(fraction, 0.0), 1.0)))
        eta = elapsed / fraction * (1 - fraction) if fraction > 0 else float("nan")
        self.stream.write(f"\r{self.label} [{'#' * filled}{'.' * (width - filled)}] "
                          f"{100 * fraction:5.1f}%  {elapsed:6.1f} s, ~{eta:5.1f} s left")
        self.stream.flush()

    def close(self) -> None:
        if self.shown:
            self.stream.write("\n")
            self.stream.flush()


def make_reporter(progress: bool | Callable[[float], None] | None,
                  label: str) -> Any:
    """Turn ``simulate``'s ``progress`` argument into a reporter (or ``None``)."""
    if progress is None:
        stream = sys.stderr
        if not (hasattr(stream, "isatty") and stream.isatty()):
            return None
        return ProgressBar(label, stream, auto=True)
    if progress is True:
        return ProgressBar(label, sys.stderr, auto=False)
    if progress is False:
        return None
    if callable(progress):
        return _Callback(progress)
    from .errors import ValidationError

    raise ValidationError("progress", "expected None, True, False or a callable")


class _Callback:
    def __init__(self, fn: Callable[[float], None]) -> None:
        self.fn = fn

    def __call__(self, fraction: float) -> None:
        self.fn(fraction)

    def close(self) -> None:
        pass
