"""Chapter 10's groundwork: the Wasserstein-1 distance on a 1-D grid, the JS-vs-W1 example of WGAN in
closed form (checked against the grid computations), and its figure and slider."""

from __future__ import annotations

import math

import numpy as np
import pytest

from gan_helpers.teaching import theory
from gan_helpers.teaching.wasserstein_plots import js_w1_explorer, plot_js_vs_w1

X = np.linspace(-12, 15, 20_001)


@pytest.mark.parametrize(
    ("mean_a", "std_a", "mean_b", "std_b"), [(0, 1, 3, 1), (0, 1, 0, 2), (1, 0.5, -2, 1.5)]
)
def test_wasserstein_1d_of_gaussians_matches_the_quantile_formula(mean_a, std_a, mean_b, std_b):
    """For 1-D Gaussians, W1 = E|(μa + σa Z) - (μb + σb Z)| = E|Δμ + Δσ Z| (the quantile coupling)."""
    z = np.linspace(-8, 8, 200_001)
    phi = np.exp(-0.5 * z**2) / math.sqrt(2 * math.pi)
    expected = np.trapezoid(np.abs((mean_a - mean_b) + (std_a - std_b) * z) * phi, z)
    got = theory.wasserstein_1d(
        X, theory.gaussian_pdf(X, mean_a, std_a), theory.gaussian_pdf(X, mean_b, std_b)
    )
    assert got == pytest.approx(expected, abs=2e-3)


def test_wasserstein_1d_matches_scipy_on_a_grid():
    scipy_stats = pytest.importorskip("scipy.stats")
    p, q = (
        theory.gaussian_pdf(X, 0, 1),
        0.5 * theory.uniform_pdf(X, 2, 3) + 0.5 * theory.gaussian_pdf(X, -1, 0.3),
    )
    expected = scipy_stats.wasserstein_distance(X, X, p, q)
    assert theory.wasserstein_1d(X, p, q) == pytest.approx(expected, rel=5e-3)


def test_wasserstein_1d_refuses_densities_without_mass_or_off_the_grid():
    with pytest.raises(ValueError, match="no mass on the grid"):
        theory.wasserstein_1d(X, np.zeros_like(X), theory.gaussian_pdf(X, 0, 1))
    with pytest.raises(ValueError, match="sampled on the grid"):
        theory.wasserstein_1d(X, np.ones(3), np.ones(3))


def test_js_is_stuck_at_log_2_once_the_supports_are_disjoint_while_w1_keeps_shrinking():
    shifts = np.array([-3.0, -1.0, -0.5, -0.25, 0.0, 0.1, 0.5, 0.75, 2.0])
    d = theory.distances_for_shifts(shifts, width=0.5)
    disjoint = np.abs(shifts) >= 0.5
    np.testing.assert_allclose(d.js[disjoint], math.log(2))
    np.testing.assert_allclose(d.w1, np.abs(shifts))
    assert d.js[shifts == 0][0] == 0
    np.testing.assert_allclose(d.js[shifts == 0.1], 0.2 * math.log(2))
    # the closed forms agree with the grid computations
    grid = np.linspace(-4, 4.5, 40_001)
    p_data = theory.uniform_pdf(grid, 0.0, 0.5)
    for shift, js, w1 in zip(shifts, d.js, d.w1, strict=True):
        p_g = theory.uniform_pdf(grid, shift, 0.5)
        assert theory.js_divergence(grid, p_data, p_g) == pytest.approx(js, abs=3e-3)
        assert theory.wasserstein_1d(grid, p_data, p_g) == pytest.approx(w1, abs=3e-3)


@pytest.mark.parametrize(
    ("shifts", "width"), [(np.array([]), 0.5), (np.array([np.nan]), 0.5), (np.array([1.0]), 0)]
)
def test_distances_for_shifts_refuses_bad_input(shifts, width):
    with pytest.raises(ValueError):
        theory.distances_for_shifts(shifts, width)


def test_the_figure_marks_the_current_shift_on_both_curves():
    fig = plot_js_vs_w1(1.2)
    left, right = fig.axes
    assert "JS = 0.693 nats, W1 = 1.20" in left.get_title()
    markers = [line for line in right.get_lines() if line.get_marker() == "o"]
    assert sorted(float(m.get_ydata()[0]) for m in markers) == pytest.approx([math.log(2), 1.2], abs=1e-6)
    with pytest.raises(ValueError, match=r"shift must be a number in \[-3, 3\]"):
        plot_js_vs_w1(3.5)


def test_the_slider_redraws_the_figure():
    box = js_w1_explorer(shift=2.0)
    slider, out = box.children[0].children[0], box.children[1]
    before = out.outputs[0]["data"]["image/png"]
    slider.value = 0.2
    assert len(out.outputs) == 1 and out.outputs[0]["data"]["image/png"] != before
