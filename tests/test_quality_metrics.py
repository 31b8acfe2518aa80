"""Chapter 07's metrics on inputs whose answers are known."""

from __future__ import annotations

import numpy as np
import pytest

from gan_helpers import metrics


def test_confident_predictions_spread_evenly_score_the_number_of_classes():
    probabilities = np.eye(10)[np.arange(1000) % 10]
    assert metrics.classifier_score(probabilities).score == pytest.approx(10.0)
    coverage = metrics.class_coverage(probabilities)
    assert coverage.classes_covered == 10 and coverage.kl_from_uniform == pytest.approx(0.0)
    assert coverage.samples == 1000 and "1,000 samples" in str(coverage)


def test_a_single_class_scores_one_and_covers_one_class():
    probabilities = np.eye(10)[np.full(500, 3)]
    result = metrics.classifier_score(probabilities)
    assert result.score == pytest.approx(1.0) and result.samples == 500
    coverage = metrics.class_coverage(probabilities)
    assert coverage.classes_covered == 1
    assert coverage.kl_from_uniform == pytest.approx(np.log(10))


def test_unsure_predictions_score_one_even_when_spread():
    assert metrics.classifier_score(np.full((100, 10), 0.1)).score == pytest.approx(1.0)


def test_fair_share_decides_which_classes_count():
    labels = np.r_[np.zeros(60, int), np.ones(36, int), np.full(4, 2)]
    coverage = metrics.class_coverage(np.eye(10)[labels])
    np.testing.assert_allclose(coverage.histogram[:3], [0.6, 0.36, 0.04])
    assert coverage.classes_covered == 2  # 4 % is below half of the uniform 10 %


def test_probabilities_are_checked():
    with pytest.raises(ValueError, match="softmax"):
        metrics.classifier_score(np.ones((5, 10)))
    with pytest.raises(ValueError, match=r"\(n, classes\)"):
        metrics.class_coverage(np.ones(10) / 10)


def exact_gaussian_sample(mean: np.ndarray, std: np.ndarray, n: int = 500, seed: int = 0) -> np.ndarray:
    """Points whose sample mean and sample covariance are exactly ``mean`` and diag(std²)."""
    x = np.random.default_rng(seed).standard_normal((n, len(mean)))
    x -= x.mean(axis=0)
    x = x @ np.linalg.inv(np.linalg.cholesky(np.cov(x, rowvar=False)).T)
    return x * std + mean


def test_identical_features_are_at_distance_zero():
    features = np.random.default_rng(1).normal(size=(300, 8))
    result = metrics.frechet_distance(features, features)
    assert result.distance == pytest.approx(0.0, abs=1e-8) and (result.samples_a, result.samples_b) == (
        300,
        300,
    )


def test_shifted_and_scaled_gaussians_give_the_closed_form():
    mean_a, mean_b = np.array([0.0, 1.0, -2.0]), np.array([3.0, 1.0, 2.0])
    std_a, std_b = np.array([1.0, 2.0, 0.5]), np.array([2.0, 2.0, 1.5])
    a = exact_gaussian_sample(mean_a, std_a, seed=2)
    b = exact_gaussian_sample(mean_b, std_b, seed=3)
    expected = ((mean_a - mean_b) ** 2).sum() + ((std_a - std_b) ** 2).sum()  # diagonal covariances
    assert metrics.frechet_distance(a, b).distance == pytest.approx(expected, rel=1e-9)
    assert expected == pytest.approx(27.0)


def test_frechet_distance_checks_its_inputs():
    with pytest.raises(ValueError, match="same d"):
        metrics.frechet_distance(np.zeros((5, 3)), np.zeros((5, 4)))
    with pytest.raises(ValueError, match="at least 2"):
        metrics.frechet_distance(np.zeros((1, 3)), np.zeros((5, 3)))


def test_nearest_neighbours_find_copies_and_their_distance():
    references = np.random.default_rng(4).random((50, 28, 28, 1))
    queries = references[[7, 3, 49]] + 0.0
    queries[2, 0, 0, 0] += 0.5
    result = metrics.nearest_neighbours(queries, references, chunk=2)
    assert list(result.indices) == [7, 3, 49]
    np.testing.assert_allclose(result.distances, [0, 0, 0.5], atol=1e-6)
    assert (result.queries, result.references) == (3, 50)
    with pytest.raises(ValueError, match="same item shape"):
        metrics.nearest_neighbours(queries[:, :14], references)


# --- a diverged generator's NaN or inf gets named, not measured --------------------------------------


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_nan_or_inf_features_are_blamed_on_a_diverged_generator(bad):
    features = np.random.default_rng(0).normal(size=(20, 4))
    broken = features.copy()
    broken[3, 1] = bad
    with pytest.raises(ValueError, match=r"NaN or infinite.*training diverged"):
        metrics.frechet_distance(broken, features)
    with pytest.raises(ValueError, match="NaN or infinite"):
        metrics.frechet_distance(features, broken)
    with pytest.raises(ValueError, match=r"NaN or infinite.*diverged"):
        metrics.nearest_neighbours(broken, features)


def test_nan_probabilities_are_blamed_on_a_diverged_generator():
    probabilities = np.full((5, 10), 0.1)
    probabilities[0] = np.nan
    with pytest.raises(ValueError, match=r"NaN or infinite.*diverged"):
        metrics.classifier_score(probabilities)
    with pytest.raises(ValueError, match="NaN or infinite"):
        metrics.class_coverage(probabilities)


def test_nearest_neighbours_refuses_empty_sets_and_a_bad_chunk():
    references = np.zeros((5, 3))
    with pytest.raises(ValueError, match="at least one item"):
        metrics.nearest_neighbours(np.zeros((0, 3)), references)
    with pytest.raises(ValueError, match="at least one item"):
        metrics.nearest_neighbours(np.zeros(3), references)
    with pytest.raises(ValueError, match="chunk"):
        metrics.nearest_neighbours(np.zeros((2, 3)), references, chunk=0)
    with pytest.raises(ValueError, match="array of numbers"):
        metrics.nearest_neighbours([["a"]], references)


def test_fair_share_must_be_a_share():
    with pytest.raises(ValueError, match="fair_share"):
        metrics.class_coverage(np.eye(10), fair_share=float("nan"))
