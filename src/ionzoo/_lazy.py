"""Heavy libraries on first use, so that ``import ionzoo`` (and the command line's start-up)
stays light: xarray (and pandas under it) costs about 0.3 s to import, Numba about 0.2 s."""

from __future__ import annotations

import sys
from types import ModuleType
from typing import TYPE_CHECKING, Any, TypeGuard

if TYPE_CHECKING:  # pragma: no cover
    import xarray as xr

__all__ = ["xarray", "is_dataarray"]


def xarray() -> ModuleType:
    """The xarray module (imported now if it is not yet)."""
    import xarray as xr

    return xr


def is_dataarray(value: Any) -> TypeGuard[xr.DataArray]:
    """Whether ``value`` is an :class:`xarray.DataArray` — without importing xarray: a value
    cannot be one unless xarray has been imported already."""
    xr = sys.modules.get("xarray")
    return xr is not None and isinstance(value, xr.DataArray)
