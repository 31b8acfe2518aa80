"""The 2-D toy for training dynamics: a ring of Gaussians (its metrics are in ``gan_helpers.metrics``).

A ring of ``modes`` Gaussians with centres at angles 2πk/modes (k = 0..modes-1) — not
``np.linspace(0, 2π, modes)``, which puts the last centre on top of the first and so has one mode fewer.
"""

from __future__ import annotations

import numpy as np

from ..toolkit.checks import check_count, check_number


def ring_centers(modes: int = 8, radius: float = 2.0) -> np.ndarray:
    """Centres of the ring's Gaussians: ``(modes, 2)`` float32 at angles 2πk/modes, k = 0..modes-1."""
    modes = check_count(modes, "modes", minimum=1)
    radius = check_number(radius, "radius", low=0, low_open=True)
    angles = 2.0 * np.pi * np.arange(modes) / modes
    return (radius * np.stack([np.cos(angles), np.sin(angles)], axis=1)).astype(np.float32)


def sample_ring(
    n: int, modes: int = 8, radius: float = 2.0, std: float = 0.02, seed: int | None = None
) -> np.ndarray:
    """``n`` points from the ring: each picks a centre uniformly, then adds N(0, std²) noise per axis.

    Returns float32 ``(n, 2)``.
    """
    n = check_count(n, "n", minimum=1)
    std = check_number(std, "std", low=0, low_open=True)
    rng = np.random.default_rng(seed)
    centers = ring_centers(modes, radius)
    picks = rng.integers(0, modes, size=n)
    return (centers[picks] + rng.normal(0.0, std, size=(n, 2))).astype(np.float32)
