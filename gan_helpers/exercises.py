"""Checks that learners run on their exercise answers: they say right or wrong, and why."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .data import validate_scale


def feedback(ok: bool, message: str) -> bool:
    """Print a friendly verdict (``✅`` or ``❌`` and the message) and return ``ok``."""
    print(("✅ " if ok else "❌ ") + message)
    return ok


def check_scaled_images(images: object, scale: Sequence[float] = (-1, 1)) -> bool:
    """Check an answer that should be MNIST images scaled to ``scale``.

    Expects a float32 array ``(N, 28, 28, 1)`` whose smallest value is ``scale[0]`` and largest
    ``scale[1]`` (MNIST has pure black and pure white pixels). Prints the verdict and returns it.
    """
    low, high = validate_scale(scale)
    if not isinstance(images, np.ndarray):
        return feedback(False, f"expected a NumPy array, got {type(images).__name__}")
    if images.ndim != 4 or images.shape[1:] != (28, 28, 1):
        return feedback(False, f"expected shape (N, 28, 28, 1), got {images.shape}")
    if images.dtype != np.float32:
        return feedback(False, f"expected dtype float32, got {images.dtype}")
    lo, hi = float(images.min()), float(images.max())
    if not (np.isclose(lo, low, atol=1e-5) and np.isclose(hi, high, atol=1e-5)):
        return feedback(
            False,
            f"pixels run from {lo:g} to {hi:g}, but should run from {low:g} to {high:g}; "
            f"look at the scale= argument",
        )
    return feedback(True, f"{len(images):,} images of shape (28, 28, 1), pixels in [{low:g}, {high:g}].")
