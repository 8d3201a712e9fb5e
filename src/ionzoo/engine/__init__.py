"""The simulation engine: code generation, kernel cache, fixed-step and adaptive methods."""

from .cache import cache_dir
from .result import Result, load_result
from .simulate import METHODS, simulate

__all__ = ["simulate", "Result", "load_result", "METHODS", "cache_dir"]
