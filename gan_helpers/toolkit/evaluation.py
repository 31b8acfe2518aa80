"""Judge generated MNIST digits with the reference classifier (chapter 07 and ``benchmarks/quality.py``).

A generator is compared with real digits it never trained on, chosen from the record of what it trained
on (:class:`gan_helpers.data.TrainingData`, saved beside it by ``gh.checkpoints.save_models(...,
trained_on=...)``):

- trained on the offline subset's training split (4,000 digits): the subset's 1,000 test digits (100 per
  class, never seen by the classifier either);
- trained on full MNIST's training split (60,000 digits): full MNIST's 10,000 test digits (which needs the
  full-MNIST download, cached by Keras once made).

Those test digits are split in two fixed, class-balanced halves: ``reference`` (what generated samples
are compared with) and ``comparison`` (real digits judged exactly like a generator's, which gives the
*floor*: the Fréchet distance between two real sets of the same size). Every generator is judged on the
same number of samples, 500 by default. Memorisation checks (:meth:`Judge.nearest_training`) search the
generator's own training set.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import keras
import numpy as np

from . import metrics
from .data import (
    MNIST,
    MNISTUnavailableError,
    TrainingData,
    check_images,
    check_labels,
    check_record,
    load_mnist,
    validate_scale,
)
from .models import NUM_CLASSES, takes_labels
from .reference_classifier import FEATURES, TRAINED_ON, load_reference_classifier
from .sampling import generate, latent_size

SAMPLES = 500


@dataclass(frozen=True)
class QualityReport:
    """One line of the quality table: classifier score, Fréchet distance to the real reference set and
    the real-vs-real floor beside it, classes covered, KL from uniform, samples judged, seconds of
    training (0 when a saved generator was judged), what the generator trained on (``trained_on``, e.g.
    ``subset/train/4000``, or ``not-recorded``) and the real digits it was compared with
    (``compared_with``, e.g. ``subset/test/500``)."""

    name: str
    score: float
    fd: float
    floor: float
    classes: int
    kl: float
    samples: int
    seconds: float = 0.0
    trained_on: str = ""
    compared_with: str = ""
    #: conditional generators only: overall label agreement and that of the worst class (else None)
    agreement: float | None = None
    worst_agreement: float | None = None

    def line(self) -> str:
        """``name: score=… fd=… floor=… classes=… kl=… samples=… seconds=… trained_on=… compared_with=…``
        (the benchmark's format; the last two only when known)."""
        text = (
            f"{self.name}: score={self.score:.2f} fd={self.fd:.2f} floor={self.floor:.2f} "
            f"classes={self.classes} kl={self.kl:.3f} samples={self.samples} seconds={self.seconds:.0f}"
        )
        if self.trained_on:
            text += f" trained_on={self.trained_on}"
        if self.compared_with:
            text += f" compared_with={self.compared_with}"
        if self.agreement is not None:
            text += f" agreement={self.agreement:.3f} worst_agreement={self.worst_agreement:.3f}"
        return text


def benchmark_samples(
    generator: keras.Model, scale: tuple[float, float] = (0.0, 1.0), seed: int = 1
) -> tuple[np.ndarray, np.ndarray | None]:
    """The samples the course judges a generator on (``benchmarks/quality.py``, the shipped generators'
    model cards): :data:`SAMPLES` images ``(SAMPLES, 28, 28, 1)`` rescaled from the generator's output range
    ``scale`` to [0, 1], from fixed standard normal noise (``np.random.default_rng(seed)``). A conditional
    generator is asked for the digits 0..9 in turn (``SAMPLES / 10`` each); returns those labels
    ``(SAMPLES,)``, or ``None`` for an unconditional one."""
    low, high = validate_scale(scale)
    z = np.random.default_rng(seed).standard_normal((SAMPLES, latent_size(generator))).astype("float32")
    labels = np.arange(SAMPLES, dtype="int32") % NUM_CLASSES if takes_labels(generator) else None
    images = generate(generator, z=z, labels=labels)
    return (images - low) / (high - low), labels


def balanced_halves(labels: np.ndarray, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Split the indices of ``labels`` (the real digits kept for evaluation) into two disjoint halves with
    the same number of digits of every class (half of the rarest class's count each), each ordered class
    by class in turn (0, 1, ..., 9, 0, 1, ...), so that any first ``n`` of a half are balanced."""
    labels = check_labels(labels, classes=None)
    if len(labels) < 2:
        raise ValueError(f"labels must have shape (N,) with N >= 2, got {labels.shape}")
    rng = np.random.default_rng(seed)
    per_class = [rng.permutation(np.flatnonzero(labels == c)) for c in np.unique(labels)]
    half = min(len(indices) for indices in per_class) // 2
    if half < 1:
        raise ValueError("every class needs at least 2 digits to be split in two halves")
    reference = np.stack([indices[:half] for indices in per_class], axis=1).ravel()
    comparison = np.stack([indices[half : 2 * half] for indices in per_class], axis=1).ravel()
    return reference, comparison


@dataclass(frozen=True)
class RealSets:
    """The real digits a generator trained on ``source`` is compared with: the first ``samples`` of
    each half of that source's test split, the reference features and the real-vs-real floor."""

    source: str
    reference_images: np.ndarray
    reference_labels: np.ndarray
    comparison_images: np.ndarray
    comparison_labels: np.ndarray
    reference_features: np.ndarray
    floor: metrics.FrechetDistance

    @property
    def tag(self) -> str:
        return f"{self.source}/test/{len(self.reference_images)}"


def _check_trained_on(trained_on: object) -> TrainingData | None:
    if check_record(trained_on) is None:
        return None
    if trained_on.split != "train":
        raise ValueError(
            f"this generator trained on {trained_on.describe()}, which includes the test digits the judge "
            "compares with, so its Fréchet distance would flatter it; train it on "
            f"gh.load_mnist(source={trained_on.source!r}, split='train')"
        )
    return trained_on


class Judge:
    """The reference classifier plus the real sets, ready to judge images.

    ``trained_on`` (a :class:`~gan_helpers.data.TrainingData`) is what the judged generators trained on:
    it picks the real digits they are compared with (see the module's docstring) and the training set
    that :meth:`nearest_training` searches. ``None`` assumes the offline subset's training split (what
    the classifier was built with) and reports ``trained_on="not-recorded"``; :meth:`judge` can also take
    a record per generator. ``samples`` is how many images every judgement uses (2 to 500).
    """

    def __init__(self, samples: int = SAMPLES, trained_on: TrainingData | None = None) -> None:
        if (
            isinstance(samples, bool)
            or not isinstance(samples, (int, np.integer))
            or not 2 <= samples <= SAMPLES
        ):
            raise ValueError(f"samples must be a whole number between 2 and {SAMPLES}, got {samples!r}")
        self.samples = int(samples)
        self.trained_on = _check_trained_on(trained_on)
        self.classifier = load_reference_classifier()
        self.features_model = keras.Model(self.classifier.inputs, self.classifier.get_layer(FEATURES).output)
        self._real_sets: dict[str, RealSets] = {}
        self._training_sets: dict[str, MNIST] = {}
        default = self.real_sets(self.trained_on)
        self.reference_images, self.reference_labels = default.reference_images, default.reference_labels
        self.comparison_images, self.comparison_labels = default.comparison_images, default.comparison_labels
        self.reference_features, self.floor = default.reference_features, default.floor

    # -- the real digits -----------------------------------------------------------------------------
    @staticmethod
    def _source(trained_on: TrainingData | None) -> str:
        return "subset" if trained_on is None else trained_on.source

    def _load(self, source: str, split: str, trained_on: TrainingData | None) -> MNIST:
        try:
            return load_mnist(source=source, split=split, scale=(0, 1), verbose=False)
        except MNISTUnavailableError as err:
            what = trained_on.describe() if trained_on is not None else "full MNIST"
            needed = "10,000 test digits" if split == "test" else "60,000 training digits"
            raise MNISTUnavailableError(
                f"this generator trained on {what}, so it must be judged against full MNIST's "
                f"{needed}, which could not be loaded here. Connect to the internet once (Keras keeps "
                "the download), or train the "
                "generator offline on gh.load_mnist(source='subset') and judge that one."
            ) from err

    def real_sets(self, trained_on: TrainingData | None = None) -> RealSets:
        """The real digits a generator trained on ``trained_on`` is compared with (built once per source)."""
        trained_on = _check_trained_on(trained_on)
        source = self._source(trained_on)
        if source not in self._real_sets:
            test = self._load(source, "test", trained_on)
            reference, comparison = balanced_halves(test.labels)
            if min(len(reference), len(comparison)) < self.samples:
                raise ValueError(f"the test split has too few digits for {self.samples} samples per half")
            reference, comparison = reference[: self.samples], comparison[: self.samples]
            reference_features = self.features(test.images[reference])
            floor = metrics.frechet_distance(self.features(test.images[comparison]), reference_features)
            self._real_sets[source] = RealSets(
                source,
                test.images[reference],
                test.labels[reference],
                test.images[comparison],
                test.labels[comparison],
                reference_features,
                floor,
            )
        return self._real_sets[source]

    def training_set(self, trained_on: TrainingData | None = None) -> MNIST:
        """The generator's own training digits in [0, 1] (``images, labels`` with ``.record``), for
        memorisation checks: the split that ``trained_on`` names (default: the judge's)."""
        trained_on = _check_trained_on(trained_on) if trained_on is not None else self.trained_on
        source = self._source(trained_on)
        if source not in self._training_sets:
            self._training_sets[source] = self._load(source, "train", trained_on)
        return self._training_sets[source]

    @property
    def classifier_training_images(self) -> np.ndarray:
        """The 4,000 digits the reference classifier learned from (the offline subset's training split)."""
        return self._classifier_training().images

    @property
    def classifier_training_labels(self) -> np.ndarray:
        return self._classifier_training().labels

    def _classifier_training(self) -> MNIST:
        if "subset" not in self._training_sets:
            self._training_sets["subset"] = load_mnist(
                source=TRAINED_ON.source, split=TRAINED_ON.split, scale=(0, 1), verbose=False
            )
        return self._training_sets["subset"]

    # -- the classifier ------------------------------------------------------------------------------
    def _check(self, images: object, name: str = "images", at_least: int | None = None) -> np.ndarray:
        images = check_images(images, scale=(0, 1), name=name)
        if at_least is not None and len(images) < at_least:
            raise ValueError(f"need at least {at_least} images, got {len(images)}")
        return images

    def probabilities(self, images: np.ndarray) -> np.ndarray:
        """The classifier's class probabilities ``(N, 10)`` for images ``(N, 28, 28, 1)`` in [0, 1]."""
        return self.classifier.predict(self._check(images), verbose=0, batch_size=250)

    def features(self, images: np.ndarray) -> np.ndarray:
        """The classifier's penultimate features ``(N, 64)`` for images ``(N, 28, 28, 1)`` in [0, 1]."""
        return self.features_model.predict(self._check(images), verbose=0, batch_size=250)

    # -- judging -------------------------------------------------------------------------------------
    def judge(
        self,
        name: str,
        images: np.ndarray,
        seconds: float = 0.0,
        trained_on: TrainingData | None = None,
        labels: object = None,
    ) -> QualityReport:
        """Judge the first ``samples`` of ``images`` ``(N, 28, 28, 1)`` in [0, 1] (a tanh generator's
        ``(images + 1) / 2``) against real digits the generator never trained on: those of
        ``trained_on`` (the generator's record), else of the judge's own ``trained_on``. For a conditional
        generator pass the requested ``labels`` ``(N,)`` too: the report then has the label agreement."""
        images = self._check(images, name=f"{name}'s images", at_least=self.samples)
        if labels is not None:
            labels = check_labels(labels, count=len(images), name=f"{name}'s labels")[: self.samples]
        images = images[: self.samples]
        record = _check_trained_on(trained_on) if trained_on is not None else self.trained_on
        real = self.real_sets(record)
        probabilities = self.probabilities(images)
        coverage = metrics.class_coverage(probabilities)
        agreement = None if labels is None else metrics.label_agreement(probabilities, labels)
        return QualityReport(
            name=name,
            score=metrics.classifier_score(probabilities).score,
            fd=metrics.frechet_distance(self.features(images), real.reference_features).distance,
            floor=real.floor.distance,
            classes=coverage.classes_covered,
            kl=coverage.kl_from_uniform,
            samples=len(images),
            seconds=float(seconds),
            trained_on=record.tag if record is not None else "not-recorded",
            compared_with=real.tag,
            agreement=None if agreement is None else agreement.overall,
            worst_agreement=None if agreement is None else float(np.nanmin(agreement.per_class)),
        )

    def label_agreement(self, images: np.ndarray, labels: object) -> metrics.LabelAgreement:
        """How often the reference classifier reads ``images`` ``(N, 28, 28, 1)`` in [0, 1] as the
        ``labels`` ``(N,)`` they were generated for (all N images, not only ``samples``)."""
        images = self._check(images)
        labels = check_labels(labels, count=len(images))
        return metrics.label_agreement(self.probabilities(images), labels)

    def judge_real(self, trained_on: TrainingData | None = None) -> QualityReport:
        """The real comparison digits judged like a generator's samples (their fd is the floor)."""
        record = _check_trained_on(trained_on) if trained_on is not None else self.trained_on
        real = self.real_sets(record)
        report = self.judge("real held-out digits", real.comparison_images, trained_on=record)
        return replace(report, trained_on="")  # real digits trained on nothing

    def nearest_training(
        self, images: np.ndarray, trained_on: TrainingData | None = None, features: bool = False
    ) -> metrics.Neighbours:
        """For each image ``(N, 28, 28, 1)`` in [0, 1], its nearest digit in the generator's own training
        set (``trained_on``, else the judge's), in pixels or (``features=True``) in the classifier's
        features: small distances mean copies."""
        images = self._check(images)
        training = self.training_set(trained_on)
        if features:
            return metrics.nearest_neighbours(self.features(images), self.features(training.images))
        return metrics.nearest_neighbours(images, training.images)
