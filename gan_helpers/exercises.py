"""Checks that learners run on their exercise answers: they say right or wrong, and why.

Each check is a pure function that finds the first problem with an answer (``None`` when it is right)
plus a thin ``check_*`` wrapper that prints the verdict. Checks print rather than return, so the
verdict is the only thing a learner sees under the cell.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .data import validate_scale


def feedback(problem: str | None, success: str) -> None:
    """Print ``✅ success`` when ``problem`` is ``None``, else ``❌ problem``."""
    print(f"✅ {success}" if problem is None else f"❌ {problem}")


def scaled_images_problem(images: object, scale: Sequence[float] = (-1, 1)) -> str | None:
    """What is wrong with an answer that should be MNIST images scaled to ``scale`` (``None``: right).

    A right answer is a float32 array ``(N, 28, 28, 1)`` whose smallest value is ``scale[0]`` and
    largest ``scale[1]`` (MNIST has pure black and pure white pixels).
    """
    low, high = validate_scale(scale)
    if not isinstance(images, np.ndarray):
        return f"expected a NumPy array, got {type(images).__name__}"
    if images.ndim != 4 or images.shape[1:] != (28, 28, 1):
        return f"expected shape (N, 28, 28, 1), got {images.shape}"
    if images.dtype != np.float32:
        return f"expected dtype float32, got {images.dtype}"
    lo, hi = float(images.min()), float(images.max())
    if not (np.isclose(lo, low, atol=1e-5) and np.isclose(hi, high, atol=1e-5)):
        return (
            f"pixels run from {lo:g} to {hi:g}, but should run from {low:g} to {high:g}; "
            "look at the scale= argument"
        )
    return None


def check_scaled_images(images: object, scale: Sequence[float] = (-1, 1)) -> None:
    """Print whether ``images`` are MNIST digits scaled to ``scale``, and what is off if not."""
    low, high = validate_scale(scale)
    shape = getattr(images, "shape", ())
    count = shape[0] if shape else 0
    feedback(
        scaled_images_problem(images, scale),
        f"{count:,} images of shape (28, 28, 1), pixels in [{low:g}, {high:g}].",
    )
