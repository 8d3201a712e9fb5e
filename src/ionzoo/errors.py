"""Exceptions raised by ionzoo.

Every error caused by user input is a :class:`ValidationError` (a ``ValueError``) whose message
names the offending field and says why the value was rejected.
"""

from __future__ import annotations


class IonzooError(Exception):
    """Base class of all ionzoo errors."""


class ValidationError(IonzooError, ValueError):
    """A user-supplied value, name or expression was rejected.

    Attributes
    ----------
    field:
        Dotted name of the offending field (e.g. ``"Na.gbar"``, ``"dt"``, ``"alpha.expr"``).
    reason:
        Why the value was rejected.
    """

    def __init__(self, field: str, reason: str) -> None:
        self.field = field
        self.reason = reason
        super().__init__(f"{field}: {reason}")


class ExpressionError(ValidationError):
    """A rate expression could not be parsed or uses a construct that is not allowed."""


class NonFiniteWarning(RuntimeWarning):
    """A simulated neuron's state became NaN or infinite (a rate dividing by zero, an unstable
    step); the neuron was stopped and ``Result.dataset.diverged_at`` says when and where."""


def did_you_mean(name: str, options) -> str:
    """`` — did you mean 'X'?`` for the closest of ``options`` to ``name`` (difflib, ratio >=
    0.6), or ``""`` when none is close."""
    import difflib

    close = difflib.get_close_matches(str(name), [str(o) for o in options], n=1, cutoff=0.6)
    return f" — did you mean {close[0]!r}?" if close else ""
