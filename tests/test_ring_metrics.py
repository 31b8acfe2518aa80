"""The ring-of-Gaussians benchmark: centres, sampling and the coverage metrics on known answers."""

from __future__ import annotations

import numpy as np
import pytest

from gan_helpers import ring_metrics, toy2d


def test_centres_are_at_2_pi_k_over_modes_and_all_distinct():
    centers = toy2d.ring_centers(8, radius=2.0)
    assert centers.shape == (8, 2) and centers.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(centers, axis=1), 2.0, rtol=1e-6)
    np.testing.assert_allclose(centers[0], [2.0, 0.0], atol=1e-6)
    np.testing.assert_allclose(centers[2], [0.0, 2.0], atol=1e-6)
    pairwise = np.linalg.norm(centers[:, None] - centers[None], axis=2) + np.eye(8) * 10
    assert pairwise.min() > 1.5  # no repeated mode (the linspace(0, 2pi, 8) mistake would give 0)


def test_samples_at_the_centres_cover_all_8_modes_with_full_quality():
    result = ring_metrics.ring_coverage(np.repeat(toy2d.ring_centers(), 10, axis=0))
    assert (result.modes_covered, result.high_quality_share) == (8, 1.0)


def test_one_centre_only_covers_one_mode():
    one = np.repeat(toy2d.ring_centers()[3:4], 50, axis=0)
    result = ring_metrics.ring_coverage(one)
    assert result.modes_covered == 1 and result.high_quality_share == 1.0


def test_uniform_noise_far_away_is_zero_percent_high_quality():
    far = np.random.default_rng(0).uniform(20, 30, size=(500, 2))
    result = ring_metrics.ring_coverage(far)
    assert result.modes_covered == 0 and result.high_quality_share == 0.0


def test_real_samples_score_like_the_data():
    result = ring_metrics.ring_coverage(toy2d.sample_ring(4000, seed=0))
    assert result.modes_covered == 8
    assert result.high_quality_share > 0.98  # 3 std in 2-D holds about 98.9 % of a Gaussian


def test_half_good_half_bad():
    good = np.repeat(toy2d.ring_centers()[:4], 5, axis=0)
    bad = np.zeros((20, 2))  # the ring's centre: far from every mode
    result = ring_metrics.ring_coverage(np.concatenate([good, bad]))
    assert result.modes_covered == 4 and result.high_quality_share == 0.5
    assert str(result) == "4/8 modes covered, 50.0% high-quality samples (of 40)"


def test_sampling_is_repeatable_and_balanced():
    a, b = toy2d.sample_ring(8000, seed=1), toy2d.sample_ring(8000, seed=1)
    np.testing.assert_array_equal(a, b)
    nearest = np.linalg.norm(a[:, None] - toy2d.ring_centers()[None], axis=2).argmin(axis=1)
    assert np.bincount(nearest).min() > 850


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: toy2d.ring_centers(0), "modes"),
        (lambda: toy2d.ring_centers(8, radius=-1), "radius"),
        (lambda: toy2d.sample_ring(0), "n must be"),
        (lambda: toy2d.sample_ring(10, std=0), "std must be"),
        (lambda: ring_metrics.ring_coverage(np.zeros((5, 3))), r"shape \(n, 2\)"),
        (lambda: ring_metrics.ring_coverage(np.full((5, 2), np.nan)), "diverged"),
        (lambda: ring_metrics.mean_and_std([]), "at least one seed"),
    ],
)
def test_bad_input_is_explained(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_mean_and_std_over_seeds():
    assert ring_metrics.mean_and_std([6, 8, 7]) == pytest.approx((7.0, np.std([6, 8, 7])))
