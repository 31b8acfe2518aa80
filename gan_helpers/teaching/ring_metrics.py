"""Metrics for the ring of 8 Gaussians (chapter 05): modes covered and the share of high-quality samples.

A generated sample is *high quality* when it lies within ``threshold * std`` (3 by default) of its
nearest ring centre; a mode is *covered* when at least one high-quality sample is nearest to it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..toolkit.checks import check_number, check_numbers
from .toy2d import ring_centers


@dataclass(frozen=True)
class RingCoverage:
    """How a set of samples covers the ring: modes covered (of ``modes``), and the share of samples
    that are high quality (within ``3 * std`` of their nearest centre), from 0 to 1."""

    modes_covered: int
    modes: int
    high_quality_share: float
    samples: int

    def __str__(self) -> str:
        return (
            f"{self.modes_covered}/{self.modes} modes covered, {self.high_quality_share:.1%} high-quality "
            f"samples (of {self.samples:,})"
        )


def nearest_ring_mode(
    samples: np.ndarray, modes: int = 8, radius: float = 2.0, std: float = 0.02, threshold: float = 3.0
) -> tuple[np.ndarray, np.ndarray]:
    """For points ``(n, 2)``: the index of each one's nearest ring centre ``(n,)`` and whether it is a
    high-quality sample of it (within ``threshold * std``) ``(n,)``."""
    samples = check_numbers(samples, "samples", shape="(n, 2)", finite=False, allow_empty=True)
    if samples.ndim != 2 or samples.shape[1] != 2 or len(samples) == 0:
        raise ValueError(f"samples must have shape (n, 2) with n >= 1, got {samples.shape}")
    if not np.all(np.isfinite(samples)):
        raise ValueError(
            "samples contain NaN or infinity (expected finite points): the generator has diverged"
        )
    std = check_number(std, "std", low=0, low_open=True)
    threshold = check_number(threshold, "threshold", low=0, low_open=True)
    centers = ring_centers(modes, radius).astype(np.float64)
    distances = np.linalg.norm(samples[:, None, :] - centers[None, :, :], axis=2)
    nearest = distances.argmin(axis=1)
    return nearest, distances[np.arange(len(samples)), nearest] <= threshold * std


def ring_coverage(
    samples: np.ndarray, modes: int = 8, radius: float = 2.0, std: float = 0.02, threshold: float = 3.0
) -> RingCoverage:
    """Measure ``samples`` ``(n, 2)`` against the ring (see the module's definitions)."""
    nearest, good = nearest_ring_mode(samples, modes, radius, std, threshold)
    return RingCoverage(
        modes_covered=int(np.unique(nearest[good]).size),
        modes=modes,
        high_quality_share=float(good.mean()),
        samples=len(samples),
    )


def mean_and_std(values: list[float] | np.ndarray) -> tuple[float, float]:
    """Mean and (population) standard deviation of a metric over several seeds."""
    values = check_numbers(values, "values", shape="(seeds,)", ndim=1, allow_empty=True)
    if values.size == 0:
        raise ValueError("values is empty: expected one value per seed; run at least one seed")
    return float(values.mean()), float(values.std())
