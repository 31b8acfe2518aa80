"""Metrics that say how well a generator of MNIST digits does, built on a classifier (chapter 07):
classifier score, class coverage, Fréchet distance, nearest neighbours and, for a conditional generator
(chapter 08), label agreement. Every result says how many
samples it was computed from.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .checks import dtype_problem


def _numbers(values: object, what: str) -> np.ndarray:
    """``values`` as float64, refusing non-numbers and NaN or infinity (the mark of a diverged generator)."""
    if callable(getattr(values, "numpy", None)) and not isinstance(values, np.ndarray):
        values = values.numpy()
    try:
        array = np.asarray(values)
        problem = dtype_problem(array, values)
        if problem:
            raise ValueError(f"{what} must be an array of numbers, got {problem}")
        array = array.astype(np.float64)
    except (TypeError, ValueError) as err:
        if "must be an array of numbers" in str(err):
            raise
        raise ValueError(f"{what} must be an array of numbers, got {type(values).__name__}") from None
    bad = int(array.size - np.count_nonzero(np.isfinite(array)))
    if bad:
        raise ValueError(
            f"{what} contain {bad:,} NaN or infinite values: the generator produced NaN/inf (its training "
            "diverged; try a lower learning rate or an earlier checkpoint), so there is nothing to measure"
        )
    return array


def _probabilities(probabilities: np.ndarray) -> np.ndarray:
    p = _numbers(probabilities, "the class probabilities")
    if p.ndim != 2 or p.shape[0] < 1 or p.shape[1] < 2:
        raise ValueError(f"expected class probabilities of shape (n, classes) with n >= 1, got {p.shape}")
    sums = p.sum(axis=1)
    if p.min() < 0 or not np.allclose(sums, 1.0, atol=1e-3):
        raise ValueError(
            "each row of the class probabilities must be probabilities (>= 0, summing to 1): pass the "
            f"classifier's softmax; got values from {p.min():.3g} to {p.max():.3g}, row sums from "
            f"{sums.min():.3g} to {sums.max():.3g}"
        )
    return p


@dataclass(frozen=True)
class ClassifierScore:
    """The classifier score exp(E_x[KL(p(y|x) || p(y))]) (the inception score, computed with an MNIST
    classifier): from 1 (every sample looks the same, or the classifier is unsure) to the number of
    classes (confident predictions spread evenly over all classes)."""

    score: float
    samples: int

    def __str__(self) -> str:
        return f"classifier score {self.score:.2f} ({self.samples:,} samples)"


def classifier_score(probabilities: np.ndarray) -> ClassifierScore:
    """Classifier score of samples whose predicted class probabilities are ``probabilities``
    ``(n, classes)`` (rows sum to 1)."""
    p = _probabilities(probabilities)
    marginal = p.mean(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(p > 0, p * (np.log(p) - np.log(marginal)), 0.0)
    return ClassifierScore(float(np.exp(terms.sum(axis=1).mean())), len(p))


@dataclass(frozen=True)
class ClassCoverage:
    """How generated samples spread over classes: ``histogram`` (share per predicted class, sums to 1),
    ``classes_covered`` (classes with at least ``fair_share`` of a uniform share, e.g. 5 % of 10 classes'
    10 %), ``kl_from_uniform`` (0 when perfectly even, log(classes) when one class only) and ``samples``."""

    histogram: np.ndarray
    classes_covered: int
    kl_from_uniform: float
    samples: int

    def __str__(self) -> str:
        return (
            f"{self.classes_covered}/{len(self.histogram)} classes covered, KL from uniform "
            f"{self.kl_from_uniform:.3f} ({self.samples:,} samples)"
        )


def class_coverage(probabilities: np.ndarray, fair_share: float = 0.5) -> ClassCoverage:
    """Class coverage of samples from their predicted class probabilities ``(n, classes)``: each sample
    counts for its most likely class. A class is covered when it gets at least ``fair_share`` times the
    uniform share ``1 / classes``."""
    p = _probabilities(probabilities)
    if isinstance(fair_share, bool) or not isinstance(fair_share, (int, float)) or not 0 < fair_share <= 1:
        raise ValueError(f"fair_share must be in (0, 1], got {fair_share!r}")
    classes = p.shape[1]
    histogram = np.bincount(p.argmax(axis=1), minlength=classes) / len(p)
    nonzero = histogram > 0
    kl = float((histogram[nonzero] * np.log(histogram[nonzero] * classes)).sum())
    covered = int((histogram >= fair_share / classes).sum())
    return ClassCoverage(histogram, covered, kl, len(p))


@dataclass(frozen=True)
class LabelAgreement:
    """How often a classifier reads conditional samples as the class they were asked for: ``overall``
    (share of all samples), ``per_class`` (share for each requested class, ``(classes,)``; NaN for a
    class that was never requested), ``confusion`` (``[requested, predicted]`` counts) and ``samples``."""

    overall: float
    per_class: np.ndarray
    confusion: np.ndarray
    samples: int

    @property
    def worst_class(self) -> int:
        """The requested class the classifier agrees with least often."""
        return int(np.nanargmin(self.per_class))

    def __str__(self) -> str:
        worst = self.worst_class
        return (
            f"label agreement {self.overall:.1%} ({self.samples:,} samples); lowest for {worst}: "
            f"{self.per_class[worst]:.1%}"
        )


def label_agreement(probabilities: np.ndarray, labels: object) -> LabelAgreement:
    """Label agreement of conditional samples: ``probabilities`` ``(n, classes)`` are the classifier's
    predictions for samples generated for ``labels`` ``(n,)`` (whole class numbers); a sample agrees
    when its most likely class is its label."""
    p = _probabilities(probabilities)
    classes = p.shape[1]
    y = np.asarray(labels)
    if y.shape != (len(p),):
        raise ValueError(f"labels must have shape ({len(p)},), one requested class per sample, got {y.shape}")
    if not np.issubdtype(y.dtype, np.integer):
        nan = " with NaN or infinite values" if y.dtype.kind == "f" and not np.all(np.isfinite(y)) else ""
        raise ValueError(f"labels must be whole class numbers 0..{classes - 1}, got dtype {y.dtype}{nan}")
    if y.min() < 0 or y.max() >= classes:
        raise ValueError(
            f"labels must be whole class numbers 0..{classes - 1}, got {y.dtype} {y.min()}..{y.max()}"
        )
    predicted = p.argmax(axis=1)
    confusion = np.zeros((classes, classes), dtype=np.int64)
    np.add.at(confusion, (y, predicted), 1)
    requested = confusion.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        per_class = np.where(requested > 0, np.diag(confusion) / requested, np.nan)
    return LabelAgreement(float((predicted == y).mean()), per_class, confusion, len(p))


@dataclass(frozen=True)
class FrechetDistance:
    """The Fréchet distance between two sets of features (each summarised by its mean and covariance),
    with how many samples each set had."""

    distance: float
    samples_a: int
    samples_b: int

    def __str__(self) -> str:
        return f"Fréchet distance {self.distance:.3f} ({self.samples_a:,} vs {self.samples_b:,} samples)"


def _sqrt_psd(matrix: np.ndarray) -> np.ndarray:
    values, vectors = np.linalg.eigh((matrix + matrix.T) / 2)
    return (vectors * np.sqrt(np.clip(values, 0, None))) @ vectors.T


def frechet_distance(features_a: np.ndarray, features_b: np.ndarray) -> FrechetDistance:
    """Fréchet distance between Gaussians fitted to ``features_a`` ``(n, d)`` and ``features_b``
    ``(m, d)``: ||mu_a - mu_b||² + Tr(S_a + S_b - 2 (S_a S_b)^(1/2)). 0 for identical sets.

    The trace of (S_a S_b)^(1/2) is computed as the trace of the symmetric square root of
    S_a^(1/2) S_b S_a^(1/2), which has the same eigenvalues and is numerically stable.
    """
    a, b = _numbers(features_a, "the first features"), _numbers(features_b, "the second features")
    if a.ndim != 2 or b.ndim != 2 or a.shape[1] != b.shape[1]:
        raise ValueError(f"features must be (n, d) and (m, d) with the same d, got {a.shape} and {b.shape}")
    if len(a) < 2 or len(b) < 2:
        raise ValueError(
            "each set of features needs at least 2 samples to estimate a covariance, got "
            f"{a.shape} and {b.shape}"
        )
    mean_a, mean_b = a.mean(axis=0), b.mean(axis=0)
    cov_a, cov_b = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
    cov_a, cov_b = np.atleast_2d(cov_a), np.atleast_2d(cov_b)
    root_a = _sqrt_psd(cov_a)
    cross = np.trace(_sqrt_psd(root_a @ cov_b @ root_a))
    distance = float(((mean_a - mean_b) ** 2).sum() + np.trace(cov_a) + np.trace(cov_b) - 2 * cross)
    return FrechetDistance(max(distance, 0.0), len(a), len(b))


@dataclass(frozen=True)
class Neighbours:
    """For each query, the index of its nearest reference and the (Euclidean) distance to it."""

    indices: np.ndarray
    distances: np.ndarray
    queries: int
    references: int


def nearest_neighbours(queries: np.ndarray, references: np.ndarray, chunk: int = 256) -> Neighbours:
    """Nearest reference (Euclidean distance over all values) of every query: for a memorisation check,
    generated samples against the training set, in pixel or feature space. ``queries`` ``(n, ...)`` and
    ``references`` ``(m, ...)`` must have the same item shape."""
    q = _numbers(queries, "the queries")
    r = _numbers(references, "the references")
    if q.ndim < 2 or q.shape[1:] != r.shape[1:] or len(q) == 0 or len(r) == 0:
        raise ValueError(
            f"queries and references need at least one item each, of the same item shape, got {q.shape} and "
            f"{r.shape}"
        )
    if isinstance(chunk, bool) or not isinstance(chunk, (int, np.integer)) or chunk < 1:
        raise ValueError(f"chunk must be a positive integer, got {chunk!r}")
    q, r = q.reshape(len(q), -1), r.reshape(len(r), -1)
    r_norms = (r**2).sum(axis=1)
    indices, distances = np.empty(len(q), dtype=np.int64), np.empty(len(q))
    for start in range(0, len(q), chunk):
        block = q[start : start + chunk]
        squared = (block**2).sum(axis=1)[:, None] - 2 * block @ r.T + r_norms[None, :]
        best = squared.argmin(axis=1)
        indices[start : start + chunk] = best
        distances[start : start + chunk] = np.sqrt(np.clip(squared[np.arange(len(block)), best], 0, None))
    return Neighbours(indices, distances, len(q), len(r))
