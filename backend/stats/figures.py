"""The one shape of every figure (defined in backend/kernel/figures.py, so that domains below the
reporting layer, such as visit coverage, answer in it too)."""

from backend.kernel.figures import figure, rate

__all__ = ["figure", "rate"]
