"""The judge behind chapter 07's table and benchmarks/quality.py, on real digits and on obvious fakes; it
compares every generator with real digits it never trained on and searches its own training set."""

from __future__ import annotations

import numpy as np
import pytest

import gan_helpers as gh
from gan_helpers import data
from gan_helpers.toolkit.evaluation import Judge, QualityReport, balanced_halves
from gan_helpers.toolkit.reference_classifier import MODEL_PATH

pytestmark = pytest.mark.skipif(not MODEL_PATH.exists(), reason="the reference classifier is not built")

SUBSET_TRAIN = data.TrainingData("subset", "train", 4000, (0, 1), seed=42)


@pytest.fixture(scope="module")
def judge():
    return Judge(samples=200, trained_on=SUBSET_TRAIN)


def keys(images: np.ndarray) -> set[bytes]:
    return {np.asarray(img, np.float32).tobytes() for img in images}


def test_real_held_out_digits_sit_at_the_floor_and_cover_every_class(judge):
    report = judge.judge_real()
    assert report.fd == pytest.approx(report.floor)
    assert report.score > 9 and report.classes == 10 and report.samples == 200
    assert report.compared_with == "subset/test/200" and report.trained_on == ""


def test_copies_of_one_digit_score_low_cover_one_class_and_are_far_away(judge):
    one_digit = np.repeat(judge.comparison_images[:1], 200, axis=0)
    report = judge.judge("one digit", one_digit)
    assert report.score == pytest.approx(1.0, abs=0.05)
    assert report.classes == 1 and report.kl > 2
    assert report.fd > 10 * report.floor
    assert report.trained_on == "subset/train/4000" and report.compared_with == "subset/test/200"


def test_a_subset_trained_generator_is_compared_with_digits_it_never_saw(judge):
    training = judge.training_set()
    assert training.record.tag == "subset/train/4000"
    seen = keys(training.images)
    assert not keys(judge.reference_images) & seen and not keys(judge.comparison_images) & seen
    test_digits = keys(gh.load_mnist(source="subset", split="test", verbose=False).images)
    assert keys(judge.reference_images) <= test_digits and keys(judge.comparison_images) <= test_digits
    assert not keys(judge.reference_images) & keys(judge.comparison_images)
    # the classifier never trained on them either: its training digits are the GAN's
    assert keys(judge.classifier_training_images) == seen


def test_memorisation_checks_search_the_generators_own_training_set(judge):
    training = judge.training_set()
    copies = training.images[[5, 17, 3000]]
    found = judge.nearest_training(copies)
    assert list(found.indices) == [5, 17, 3000] and np.allclose(found.distances, 0, atol=1e-5)
    assert found.references == 4000
    in_features = judge.nearest_training(copies[:1], features=True)
    assert in_features.indices[0] == 5


def test_without_a_record_the_report_says_so():
    report = Judge(samples=50).judge("unknown", np.zeros((50, 28, 28, 1)))
    assert report.trained_on == "not-recorded" and "trained_on=not-recorded" in report.line()


def test_a_generator_that_trained_on_the_test_digits_is_refused(judge):
    for split in ("all", "test"):
        record = data.TrainingData("subset", split, 5000 if split == "all" else 1000, (0, 1))
        with pytest.raises(ValueError, match="includes the test digits"):
            judge.judge("cheat", np.zeros((200, 28, 28, 1)), trained_on=record)
    with pytest.raises(ValueError, match="TrainingData"):
        Judge(samples=10, trained_on="subset")


def fake_full_mnist(timeout):
    rng = np.random.default_rng(0)

    def split(n):
        raw = (rng.random((n, 28, 28)) < 0.15).astype(np.uint8) * 255
        return raw, np.arange(n) % 10

    return split(300), split(400)


def test_a_keras_trained_generator_is_compared_with_mnist_test_digits(judge, monkeypatch):
    data._load_keras_raw.cache_clear()
    monkeypatch.setattr(data, "_download_keras_mnist", fake_full_mnist)
    try:
        record = data.TrainingData("keras", "train", 300, (0, 1), seed=1)
        report = judge.judge("online", np.zeros((200, 28, 28, 1)), trained_on=record)
        assert report.trained_on == "keras/train/300" and report.compared_with == "keras/test/200"
        assert report.floor != judge.floor.distance  # another reference set, another floor
        training = judge.training_set(record)
        assert training.record.tag == "keras/train/300"
        assert judge.nearest_training(training.images[:2], trained_on=record).references == 300
    finally:
        data._load_keras_raw.cache_clear()


def test_a_keras_trained_generator_without_full_mnist_gets_a_clear_error(monkeypatch):
    data._load_keras_raw.cache_clear()

    def offline(timeout):
        raise Exception("URL fetch failure: no route to host")

    monkeypatch.setattr(data, "_download_keras_mnist", offline)
    try:
        with pytest.raises(
            gh.MNISTUnavailableError, match=r"10,000 test digits.*Connect to the internet once"
        ):
            Judge(samples=10, trained_on=data.TrainingData("keras", "train", 60000, (0, 1)))
    finally:
        data._load_keras_raw.cache_clear()


def test_the_line_has_the_benchmark_format():
    line = QualityReport("dcgan", 8.512, 3.21, 1.37, 10, 0.0123, 500, 187.4).line()
    assert line == "dcgan: score=8.51 fd=3.21 floor=1.37 classes=10 kl=0.012 samples=500 seconds=187"
    report = QualityReport("dcgan", 8.5, 3.2, 1.4, 10, 0.01, 500, 0, "subset/train/4000", "subset/test/500")
    assert report.line().endswith(" trained_on=subset/train/4000 compared_with=subset/test/500")


def test_bad_images_get_clear_errors(judge):
    with pytest.raises(ValueError, match=r"\(N, 28, 28, 1\)"):
        judge.judge("flat", np.zeros((200, 784)))
    with pytest.raises(ValueError, match=r"\(images \+ 1\) / 2"):
        judge.judge("tanh", -np.ones((200, 28, 28, 1)))
    with pytest.raises(ValueError, match="at least 200"):
        judge.judge("few", np.zeros((10, 28, 28, 1)))
    with pytest.raises(ValueError, match="between 2 and 500"):
        Judge(samples=1000)


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_nan_or_inf_samples_are_blamed_on_diverged_training(judge, bad):
    images = np.zeros((200, 28, 28, 1), np.float32)
    images[7, 3, 3] = bad
    with pytest.raises(ValueError, match=r"NaN or infinite.*training diverged"):
        judge.judge("diverged", images)
    with pytest.raises(ValueError, match="NaN or infinite"):
        judge.features(images)


def test_the_real_halves_are_disjoint_balanced_and_balanced_in_every_prefix():
    labels = np.repeat(np.arange(10), 100)  # the subset's test split: 100 per class
    reference, comparison = balanced_halves(labels)
    assert len(reference) == len(comparison) == 500 and not set(reference) & set(comparison)
    assert np.all(np.bincount(labels[reference[:200]]) == 20)
    uneven = np.r_[np.repeat(np.arange(10), 90), np.zeros(30, int)]
    reference, _ = balanced_halves(uneven)
    assert np.all(np.bincount(uneven[reference]) == 45)
