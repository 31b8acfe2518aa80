"""The 1-D game's exact quantities: optimal D, its value, and the divergences."""

from __future__ import annotations

import numpy as np
import pytest

from gan_helpers import theory

X = np.linspace(-14, 18, 3201)


def test_optimal_discriminator_formula_and_its_empty_region():
    d = theory.optimal_discriminator(np.array([1.0, 3.0, 0.0, 0.0]), np.array([1.0, 1.0, 2.0, 0.0]))
    np.testing.assert_allclose(d, [0.5, 0.75, 0.0, 0.5])


def test_when_the_generator_matches_the_data_d_star_is_one_half_everywhere():
    game = theory.one_dimensional_game(theory.DATA_MEAN, theory.DATA_STD)
    assert np.abs(game.d_star - 0.5).max() == 0.0
    assert game.value == pytest.approx(-np.log(4), abs=1e-9)
    assert game.jsd == pytest.approx(0.0, abs=1e-12)


@pytest.mark.parametrize(("mu", "sigma"), [(-2, 2), (0, 0.5), (3, 1.0), (6, 0.2)])
def test_value_at_d_star_is_minus_log4_plus_twice_jsd(mu, sigma):
    game = theory.one_dimensional_game(mu, sigma)
    assert game.value == pytest.approx(-theory.LOG4 + 2 * game.jsd, abs=1e-6)
    assert 0 < game.jsd <= np.log(2) + 1e-9


def test_d_star_beats_any_other_discriminator():
    game = theory.one_dimensional_game(0.0, 1.0)
    for other in (
        np.full_like(X, 0.5),
        np.clip(game.d_star + 0.05, 0, 1),
        (X > 1).astype(float) * 0.9 + 0.05,
    ):
        assert theory.game_value(X, game.p_data, game.p_g, other) < game.value


def test_kl_between_gaussians_matches_the_closed_form():
    m1, s1, m2, s2 = 0.5, 0.8, 2.0, 1.3
    closed = np.log(s2 / s1) + (s1**2 + (m1 - m2) ** 2) / (2 * s2**2) - 0.5
    assert theory.kl_divergence(
        X, theory.gaussian_pdf(X, m1, s1), theory.gaussian_pdf(X, m2, s2)
    ) == pytest.approx(closed, rel=1e-6)


def test_jsd_is_symmetric_and_reaches_log2_for_disjoint_supports():
    p, q = theory.gaussian_pdf(X, 0, 1), theory.gaussian_pdf(X, 1, 2)
    assert theory.js_divergence(X, p, q) == pytest.approx(theory.js_divergence(X, q, p))
    far = theory.gaussian_pdf(X, 15, 0.3)
    assert theory.js_divergence(X, p, far) == pytest.approx(np.log(2), abs=1e-6)


def test_gaussian_pdf_integrates_to_one():
    assert np.trapezoid(theory.gaussian_pdf(X, 1.0, 0.7), X) == pytest.approx(1.0, abs=1e-9)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: theory.gaussian_pdf(X, 0, 0), "std must be positive"),
        (lambda: theory.game_value(X[::-1], X, X, X), "increasing grid"),
        (lambda: theory.game_value(X, X[:10], X, X), "sampled on the grid"),
        (lambda: theory.game_value(X, np.ones_like(X), np.ones_like(X), np.full_like(X, 2.0)), r"\[0, 1\]"),
        (lambda: theory.kl_divergence(X, -np.ones_like(X), np.ones_like(X)), "non-negative"),
        (lambda: theory.optimal_discriminator(np.ones(3), np.ones(4)), "same shape"),
    ],
)
def test_bad_input_is_explained(call, message):
    with pytest.raises(ValueError, match=message):
        call()
