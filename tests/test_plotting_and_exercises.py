"""Image grids and the exercise checks."""

from __future__ import annotations

import numpy as np
import pytest

import gan_helpers as gh


def test_tile_images_places_each_image_row_by_row():
    images = np.stack([np.full((2, 3), i, np.float32) for i in range(5)])
    grid = gh.tile_images(images, ncols=2, pad=1, pad_value=-1)
    assert grid.shape == (3 * 3 - 1, 2 * 4 - 1)
    assert grid[0, 0] == 0 and grid[0, 4] == 1 and grid[3, 0] == 2 and grid[6, 0] == 4
    assert grid[6, 4] == -1  # the empty sixth cell
    assert grid[2, 0] == -1  # padding between rows


def test_tile_images_refuses_empty_or_wrongly_shaped_input():
    with pytest.raises(ValueError, match=r"\(N, H, W\)"):
        gh.tile_images(np.zeros((0, 2, 2)), ncols=2)
    with pytest.raises(ValueError, match=r"\(N, H, W\)"):
        gh.tile_images(np.zeros((2, 2)), ncols=2)


def test_plot_image_grid_draws_each_image_with_its_label():
    images = np.random.default_rng(0).random((7, 28, 28, 1)).astype(np.float32)
    fig = gh.plot_image_grid(images, labels=list("abcdefg"), ncols=4)
    axes_with_images = [ax for ax in fig.axes if ax.images]
    assert len(fig.axes) == 8 and len(axes_with_images) == 7
    assert [ax.get_title() for ax in axes_with_images] == list("abcdefg")
    assert axes_with_images[0].images[0].get_clim() == (0.0, 1.0)


def test_plot_image_grid_checks_labels_and_scale():
    images = np.zeros((3, 28, 28, 1), np.float32)
    with pytest.raises(ValueError, match="2 labels for 3 images"):
        gh.plot_image_grid(images, labels=[1, 2])
    with pytest.raises(ValueError, match="scale"):
        gh.plot_image_grid(images, scale=(1, -1))


def test_check_scaled_images_accepts_a_right_answer(capsys):
    images = np.linspace(-1, 1, 2 * 28 * 28, dtype=np.float32).reshape(2, 28, 28, 1)
    gh.check_scaled_images(images, scale=(-1, 1))
    assert capsys.readouterr().out.startswith("✅")


@pytest.mark.parametrize(
    ("answer", "hint"),
    [
        (None, "NumPy array"),
        (np.zeros((2, 28, 28), np.float32), r"shape \(N, 28, 28, 1\)"),
        (np.zeros((2, 28, 28, 1), np.float64), "float32"),
        (np.linspace(0, 1, 2 * 784, dtype=np.float32).reshape(2, 28, 28, 1), "scale= argument"),
    ],
)
def test_check_scaled_images_explains_a_wrong_answer(capsys, answer, hint):
    import re

    gh.check_scaled_images(answer, scale=(-1, 1))
    out = capsys.readouterr().out
    assert out.startswith("❌") and re.search(hint, out)
