"""The latent-space library (gh.latent): interpolation end points and norms, looping walks, principal
directions against known covariances, arithmetic helpers, class-flip detection, and clear errors."""

from __future__ import annotations

import math

import numpy as np
import pytest

from gan_helpers.toolkit import latent


@pytest.fixture
def pair():
    rng = np.random.default_rng(0)
    return rng.standard_normal((2, 100))


# --- lerp and slerp ------------------------------------------------------------------------------------


@pytest.mark.parametrize("interpolate", [latent.lerp, latent.slerp])
def test_interpolation_end_points_are_the_inputs(pair, interpolate):
    z0, z1 = pair
    np.testing.assert_array_equal(interpolate(z0, z1, 0.0), z0.astype(np.float32))
    np.testing.assert_array_equal(interpolate(z0, z1, 1.0), z1.astype(np.float32))
    path = interpolate(z0, z1, np.linspace(0, 1, 7))
    assert path.shape == (7, 100) and path.dtype == np.float32
    np.testing.assert_array_equal(path[0], z0.astype(np.float32))
    np.testing.assert_array_equal(path[-1], z1.astype(np.float32))


def test_lerp_is_the_straight_line(pair):
    z0, z1 = pair
    np.testing.assert_allclose(latent.lerp(z0, z1, 0.25), 0.75 * z0 + 0.25 * z1, rtol=1e-6, atol=1e-6)


def test_slerp_keeps_the_norm_of_equal_length_codes_where_lerp_shrinks_it():
    rng = np.random.default_rng(1)
    z0, z1 = rng.standard_normal((2, 100))
    z1 *= np.linalg.norm(z0) / np.linalg.norm(z1)
    t = np.linspace(0, 1, 21)
    np.testing.assert_allclose(latent.path_norms(latent.slerp(z0, z1, t)), np.linalg.norm(z0), rtol=1e-5)
    lerp_norms = latent.path_norms(latent.lerp(z0, z1, t))
    assert lerp_norms[10] < 0.8 * np.linalg.norm(z0)  # the straight line cuts inside the sphere


def test_slerp_of_orthogonal_unit_vectors_is_the_quarter_circle():
    e0, e1 = np.eye(2)
    for t in (0.0, 0.3, 0.5, 1.0):
        np.testing.assert_allclose(
            latent.slerp(e0, e1, t), [math.cos(t * math.pi / 2), math.sin(t * math.pi / 2)], atol=1e-6
        )


def test_slerp_turns_at_a_constant_rate_and_changes_length_linearly(pair):
    z0, z1 = pair
    path = latent.interpolation_path(z0, z1, 11, "slerp")
    angles = [latent.angle_between(path[i], path[i + 1]) for i in range(10)]
    np.testing.assert_allclose(angles, latent.angle_between(z0, z1) / 10, rtol=1e-4)
    np.testing.assert_allclose(
        latent.path_norms(path), np.linspace(np.linalg.norm(z0), np.linalg.norm(z1), 11), rtol=1e-5
    )


def test_slerp_of_nearly_parallel_codes_is_finite_and_close_to_lerp():
    z0 = np.array([1.0, 2.0, 3.0])
    z1 = z0 * 2 + np.array([1e-9, 0.0, 0.0])
    out = latent.slerp(z0, z1, np.linspace(0, 1, 5))
    assert np.all(np.isfinite(out))
    np.testing.assert_allclose(out, latent.lerp(z0, z1, np.linspace(0, 1, 5)), rtol=1e-5)
    np.testing.assert_allclose(latent.slerp(z0, z0, 0.5), z0, rtol=1e-6)


@pytest.mark.parametrize(
    ("z0", "z1", "t", "words"),
    [
        (np.ones(3), np.ones(4), 0.5, "same shape"),
        (np.ones((2, 3)), np.ones((2, 3)), 0.5, "one code"),
        (np.ones(3), np.ones(3), 1.5, "[0, 1]"),
        (np.ones(3), np.ones(3), -0.1, "[0, 1]"),
        (np.ones(3), np.ones(3), np.nan, "[0, 1]"),
        (np.ones(3), np.ones(3), np.zeros((2, 2)), "1-D"),
        (np.ones(3), np.ones(3), "half", "number"),
        (np.array([1.0, np.nan, 0.0]), np.ones(3), 0.5, "NaN"),
    ],
)
@pytest.mark.parametrize("interpolate", [latent.lerp, latent.slerp])
def test_interpolation_refuses_bad_input_with_a_clear_message(interpolate, z0, z1, t, words):
    with pytest.raises(ValueError, match=words.replace("[", r"\[").replace("]", r"\]")):
        interpolate(z0, z1, t)


def test_slerp_refuses_zero_and_opposite_codes():
    with pytest.raises(ValueError, match="zero code"):
        latent.slerp(np.zeros(3), np.ones(3), 0.5)
    with pytest.raises(ValueError, match="opposite"):
        latent.slerp(np.ones(3), -2 * np.ones(3), 0.5)


def test_interpolation_path_checks_steps_and_method(pair):
    z0, z1 = pair
    assert latent.interpolation_path(z0, z1, 2, "lerp").shape == (2, 100)
    with pytest.raises(ValueError, match="steps"):
        latent.interpolation_path(z0, z1, 1)
    with pytest.raises(ValueError, match="method"):
        latent.interpolation_path(z0, z1, 5, "cubic")


def test_walk_loops_through_every_anchor_without_repeating_a_frame():
    anchors = latent.rescale_norms(np.random.default_rng(2).standard_normal((3, 10)), 3.0)
    path = latent.walk(anchors, 4)
    assert path.shape == (12, 10)
    for i in range(3):
        np.testing.assert_allclose(path[4 * i], anchors[i], rtol=1e-6)
    looped = np.vstack([path, path[:1]])
    steps = np.linalg.norm(np.diff(looped, axis=0), axis=1)
    assert steps.min() > 0  # no frame shown twice in a row, also across the loop's seam
    # codes of equal length: even steps within each leg, the seam back to anchors[0] included (no jump)
    for leg in steps.reshape(3, 4):
        np.testing.assert_allclose(leg, leg[0], rtol=1e-4)
    with pytest.raises(ValueError, match="at least 2"):
        latent.walk(anchors[:1], 4)


def test_expected_norm_is_the_chi_mean():
    assert latent.expected_norm(1) == pytest.approx(math.sqrt(2 / math.pi))
    assert latent.expected_norm(2) == pytest.approx(math.sqrt(math.pi / 2))
    assert latent.expected_norm(100) == pytest.approx(9.975, abs=1e-3)
    samples = np.random.default_rng(3).standard_normal((20_000, 100))
    assert np.linalg.norm(samples, axis=1).mean() == pytest.approx(latent.expected_norm(100), rel=2e-3)


# --- directions ----------------------------------------------------------------------------------------


def test_principal_directions_recover_a_known_covariance():
    rng = np.random.default_rng(4)
    rotation = np.linalg.qr(rng.standard_normal((5, 5)))[0]
    variances = np.array([16.0, 4.0, 1.0, 0.25, 0.0625])
    codes = rng.standard_normal((20_000, 5)) * np.sqrt(variances) @ rotation.T + 3.0
    found = latent.principal_directions(codes, 3)
    assert found.vectors.shape == (3, 5)
    np.testing.assert_allclose(found.vectors @ found.vectors.T, np.eye(3), atol=1e-10)  # orthonormal
    np.testing.assert_allclose(np.abs(found.vectors @ rotation[:, :3]), np.eye(3), atol=0.02)
    np.testing.assert_allclose(found.variances, variances[:3], rtol=0.05)
    np.testing.assert_allclose(found.share, variances[:3] / variances.sum(), rtol=0.05)
    np.testing.assert_allclose(found.mean, 3.0, atol=0.1)
    for row in found.vectors:  # the sign convention: the largest entry is positive
        assert row[np.abs(row).argmax()] > 0


def test_principal_directions_of_standard_normal_noise_have_no_favourite():
    shares = latent.principal_directions(np.random.default_rng(5).standard_normal((5_000, 20)), 20).share
    assert shares.max() < 1.3 / 20 and shares.min() > 0.7 / 20


def test_principal_directions_check_k():
    with pytest.raises(ValueError, match="min"):
        latent.principal_directions(np.ones((3, 5)), 3)
    with pytest.raises(ValueError, match="k must"):
        latent.principal_directions(np.ones((3, 5)), 0)
    with pytest.raises(ValueError, match=r"\(n, d\)"):
        latent.principal_directions(np.ones(5), 1)


def test_output_directions_find_the_codes_that_move_a_linear_generator_most():
    rng = np.random.default_rng(6)
    left = np.linalg.qr(rng.standard_normal((8, 8)))[0]
    right = np.linalg.qr(rng.standard_normal((30, 8)))[0]
    mixing = left @ np.diag([5.0, 3.0, 2.0, 0.5, 0.4, 0.3, 0.2, 0.1]) @ right.T  # (8, 30)
    codes = rng.standard_normal((20_000, 8))
    found = latent.output_directions(codes, codes @ mixing, 3)
    np.testing.assert_allclose(np.linalg.norm(found.vectors, axis=1), 1.0, rtol=1e-6)
    np.testing.assert_allclose(np.abs(found.vectors @ left[:, :3]), np.eye(3), atol=0.03)
    with pytest.raises(ValueError, match="one output per code"):
        latent.output_directions(codes, np.ones((10, 3)), 2)


def test_random_directions_are_orthonormal_and_repeatable():
    d = latent.random_directions(4, 50, seed=1)
    assert d.shape == (4, 50)
    np.testing.assert_allclose(d @ d.T, np.eye(4), atol=1e-5)
    np.testing.assert_array_equal(d, latent.random_directions(4, 50, seed=1))
    with pytest.raises(ValueError, match="at most"):
        latent.random_directions(6, 5)


def test_move_along_adds_the_weighted_directions():
    z = np.array([1.0, 0.0, 0.0])
    directions = np.array([[0.0, 1.0, 0.0], [0.0, 0.0, 1.0]])
    np.testing.assert_allclose(latent.move_along(z, directions, [2.0, -0.5]), [1.0, 2.0, -0.5])
    np.testing.assert_allclose(latent.move_along(z, directions, [0, 0]), z)
    with pytest.raises(ValueError, match="one amount per direction"):
        latent.move_along(z, directions, [1.0])
    with pytest.raises(ValueError, match="entries"):
        latent.move_along(np.ones(4), directions, [1.0, 1.0])


# --- arithmetic ----------------------------------------------------------------------------------------


def test_attribute_vector_is_the_difference_of_the_group_means():
    with_it = np.array([[2.0, 0.0], [4.0, 2.0]])
    without = np.array([[0.0, 1.0]])
    np.testing.assert_allclose(latent.attribute_vector(with_it, without), [3.0, 0.0])
    with pytest.raises(ValueError, match="entries per code"):
        latent.attribute_vector(with_it, np.ones((2, 3)))


def test_the_mean_of_many_codes_is_short_and_rescale_norms_puts_it_back():
    codes = np.random.default_rng(7).standard_normal((16, 100))
    mean = codes.mean(axis=0)
    assert np.linalg.norm(mean) < 0.4 * latent.expected_norm(100)  # about sqrt(100 / 16) = 2.5
    back = latent.rescale_norms(mean, 10.0)
    assert back.shape == (100,)
    assert np.linalg.norm(back) == pytest.approx(10.0, rel=1e-5)
    assert latent.angle_between(back, mean) == pytest.approx(0.0, abs=1e-3)
    np.testing.assert_allclose(latent.path_norms(latent.rescale_norms(codes, 2.0)), 2.0, rtol=1e-5)
    with pytest.raises(ValueError, match="positive"):
        latent.rescale_norms(codes, 0)
    with pytest.raises(ValueError, match="zero code"):
        latent.rescale_norms(np.zeros(3), 1.0)


# --- reading a path ------------------------------------------------------------------------------------


def test_class_flips_are_found_where_the_top_class_changes():
    # a constructed path: class 3, slowly less sure, flips to 8 at step 4, back to 3 at step 6
    p3 = np.array([0.95, 0.8, 0.6, 0.55, 0.4, 0.45, 0.7])
    probabilities = np.zeros((7, 10))
    probabilities[:, 3] = p3
    probabilities[:, 8] = 1 - p3
    reading = latent.predictions_along_path(probabilities)
    np.testing.assert_array_equal(reading.classes, [3, 3, 3, 3, 8, 8, 3])
    np.testing.assert_array_equal(reading.flips, [4, 6])
    assert reading.first_flip == 4
    np.testing.assert_allclose(reading.confidence, np.maximum(p3, 1 - p3))
    np.testing.assert_allclose(reading.margin, np.abs(2 * p3 - 1), atol=1e-12)


def test_a_path_that_never_changes_class_has_no_flip():
    reading = latent.predictions_along_path(np.tile(np.eye(10)[2], (5, 1)))
    assert reading.first_flip is None and len(reading.flips) == 0


def test_predictions_along_path_refuses_rows_that_are_not_distributions():
    with pytest.raises(ValueError, match="distribution"):
        latent.predictions_along_path(np.ones((3, 10)))
    with pytest.raises(ValueError, match="2 classes"):
        latent.predictions_along_path(np.ones((3, 1)))


def test_step_distances_show_a_jump():
    images = np.zeros((5, 4, 4, 1))
    images[3:] = 1.0  # one jump between steps 2 and 3
    np.testing.assert_allclose(latent.step_distances(images), [0, 0, 4.0, 0])
    with pytest.raises(ValueError, match="at least 2"):
        latent.step_distances(images[:1])
