"""The judge behind chapter 07's table and benchmarks/quality.py, on real digits and on obvious fakes."""

from __future__ import annotations

import numpy as np
import pytest

from gan_helpers.toolkit.evaluation import Judge, QualityReport
from gan_helpers.toolkit.reference_classifier import MODEL_PATH

pytestmark = pytest.mark.skipif(not MODEL_PATH.exists(), reason="the reference classifier is not built")


@pytest.fixture(scope="module")
def judge():
    return Judge(samples=200)


def test_real_held_out_digits_sit_at_the_floor_and_cover_every_class(judge):
    report = judge.judge_real()
    assert report.fd == pytest.approx(report.floor)
    assert report.score > 9 and report.classes == 10 and report.samples == 200


def test_copies_of_one_digit_score_low_cover_one_class_and_are_far_away(judge):
    one_digit = np.repeat(judge.comparison_images[:1], 200, axis=0)
    report = judge.judge("one digit", one_digit)
    assert report.score == pytest.approx(1.0, abs=0.05)
    assert report.classes == 1 and report.kl > 2
    assert report.fd > 10 * report.floor


def test_the_line_has_the_benchmark_format():
    line = QualityReport("dcgan", 8.512, 3.21, 1.37, 10, 0.0123, 500, 187.4).line()
    assert line == "dcgan: score=8.51 fd=3.21 floor=1.37 classes=10 kl=0.012 samples=500 seconds=187"


def test_bad_images_get_clear_errors(judge):
    with pytest.raises(ValueError, match=r"\(N, 28, 28, 1\)"):
        judge.judge("flat", np.zeros((200, 784)))
    with pytest.raises(ValueError, match=r"\(images \+ 1\) / 2"):
        judge.judge("tanh", -np.ones((200, 28, 28, 1)))
    with pytest.raises(ValueError, match="at least 200"):
        judge.judge("few", np.zeros((10, 28, 28, 1)))
    with pytest.raises(ValueError, match="between 2 and 500"):
        Judge(samples=1000)


def test_the_real_halves_are_disjoint_balanced_and_balanced_in_every_prefix():
    from gan_helpers.toolkit.evaluation import balanced_halves

    labels = np.repeat(np.arange(10), 500)
    reference, comparison = balanced_halves(labels)
    assert len(reference) == len(comparison) == 500 and not set(reference) & set(comparison)
    assert np.all(np.bincount(labels[reference[:200]]) == 20)
