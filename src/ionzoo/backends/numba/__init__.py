"""The Numba back-end: one emitter per kernel, a verified disk cache, vectorisable math."""

from .module import GENERATOR_VERSION, generate, generations, kernels

__all__ = ["kernels", "generate", "generations", "GENERATOR_VERSION"]
