"""Judge generated MNIST digits with the reference classifier (chapter 07 and ``benchmarks/quality.py``).

The real digits the classifier never trained on (100 per class) are split in two fixed halves of 500:
``reference`` (what generated samples are compared with) and ``comparison`` (real digits judged exactly
like a generator's, which gives the *floor*: the Fréchet distance between two real sets of the same size).
Every generator is judged on the same number of samples, 500 by default.
"""

from __future__ import annotations

from dataclasses import dataclass

import keras
import numpy as np

from . import metrics
from .data import load_mnist
from .reference_classifier import FEATURES, held_out_split, load_reference_classifier

SAMPLES = 500


@dataclass(frozen=True)
class QualityReport:
    """One line of the quality table: classifier score, Fréchet distance to the real reference set and
    the real-vs-real floor beside it, classes covered, KL from uniform, samples judged, and seconds of
    training (0 when a saved generator was judged)."""

    name: str
    score: float
    fd: float
    floor: float
    classes: int
    kl: float
    samples: int
    seconds: float = 0.0

    def line(self) -> str:
        """``name: score=… fd=… floor=… classes=… kl=… seconds=…`` (the benchmark's format)."""
        return (
            f"{self.name}: score={self.score:.2f} fd={self.fd:.2f} floor={self.floor:.2f} "
            f"classes={self.classes} kl={self.kl:.3f} samples={self.samples} seconds={self.seconds:.0f}"
        )


def balanced_halves(labels: np.ndarray, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Split the held-out digits (100 per class) into two disjoint halves of 50 per class, each ordered
    class by class in turn (0, 1, ..., 9, 0, 1, ...), so that any first ``n`` of a half are balanced."""
    labels = np.asarray(labels)
    _, held = held_out_split(labels, per_class=100, seed=0)
    rng = np.random.default_rng(seed)
    per_class = [rng.permutation(held[labels[held] == c]) for c in np.unique(labels[held])]
    half = min(len(indices) for indices in per_class) // 2
    reference = np.stack([indices[:half] for indices in per_class], axis=1).ravel()
    comparison = np.stack([indices[half : 2 * half] for indices in per_class], axis=1).ravel()
    return reference, comparison


class Judge:
    """The reference classifier plus the fixed real sets, ready to judge images.

    ``source`` picks the MNIST used for the held-out digits (``"subset"`` keeps results comparable
    everywhere: it is what the classifier was built with). ``samples`` is how many images every
    judgement uses (at most 500, the size of each real half).
    """

    def __init__(self, samples: int = SAMPLES, source: str = "subset") -> None:
        if not 2 <= samples <= SAMPLES:
            raise ValueError(f"samples must be between 2 and {SAMPLES}, got {samples}")
        self.samples = samples
        self.classifier = load_reference_classifier()
        self.features_model = keras.Model(self.classifier.inputs, self.classifier.get_layer(FEATURES).output)
        images, labels = load_mnist(source=source, scale=(0, 1), verbose=False)
        reference, comparison = balanced_halves(labels)
        self.reference_images = images[reference[:samples]]
        self.comparison_images = images[comparison[:samples]]
        self.reference_labels, self.comparison_labels = (
            labels[reference[:samples]],
            labels[comparison[:samples]],
        )
        train, _ = held_out_split(labels, per_class=100, seed=0)
        self.classifier_training_images = images[train]  # the 4,000 digits the classifier learned from
        self.classifier_training_labels = labels[train]
        self.reference_features = self.features(self.reference_images)
        self.floor = metrics.frechet_distance(self.features(self.comparison_images), self.reference_features)

    def _check(self, images: np.ndarray) -> np.ndarray:
        images = np.asarray(images, dtype=np.float32)
        if images.ndim != 4 or images.shape[1:] != (28, 28, 1):
            raise ValueError(f"images must have shape (N, 28, 28, 1), got {images.shape}")
        if images.min() < -1e-3 or images.max() > 1 + 1e-3:
            raise ValueError("images must have pixels in [0, 1]; for a tanh generator pass (images + 1) / 2")
        if len(images) < self.samples:
            raise ValueError(f"need at least {self.samples} images, got {len(images)}")
        return images[: self.samples]

    def probabilities(self, images: np.ndarray) -> np.ndarray:
        """The classifier's class probabilities ``(N, 10)`` for images in [0, 1]."""
        return self.classifier.predict(np.asarray(images, np.float32), verbose=0, batch_size=250)

    def features(self, images: np.ndarray) -> np.ndarray:
        """The classifier's penultimate features ``(N, 64)`` for images in [0, 1]."""
        return self.features_model.predict(np.asarray(images, np.float32), verbose=0, batch_size=250)

    def judge(self, name: str, images: np.ndarray, seconds: float = 0.0) -> QualityReport:
        """Judge the first ``samples`` of ``images`` ``(N, 28, 28, 1)`` in [0, 1]."""
        images = self._check(images)
        probabilities = self.probabilities(images)
        coverage = metrics.class_coverage(probabilities)
        return QualityReport(
            name=name,
            score=metrics.classifier_score(probabilities).score,
            fd=metrics.frechet_distance(self.features(images), self.reference_features).distance,
            floor=self.floor.distance,
            classes=coverage.classes_covered,
            kl=coverage.kl_from_uniform,
            samples=len(images),
            seconds=seconds,
        )

    def judge_real(self) -> QualityReport:
        """The real comparison digits judged like a generator's samples (their fd is the floor)."""
        return self.judge("real held-out digits", self.comparison_images)
