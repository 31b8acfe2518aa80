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
    gh.exercises.check("00.1", images)  # the exercise asks for images in [-1, 1]
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

    gh.exercises.check("00.1", answer)
    out = capsys.readouterr().out
    assert out.startswith("❌") and re.search(hint, out)


# --- pictures refuse what they would draw wrong ---------------------------------------------------------


def tanh_images(n: int = 4) -> np.ndarray:
    return np.linspace(-1, 1, n * 28 * 28, dtype=np.float32).reshape(n, 28, 28, 1)


def test_plot_image_grid_refuses_tanh_images_with_the_default_scale():
    with pytest.raises(ValueError, match=r"outside scale=\(0, 1\).*scale=\(-1, 1\)"):
        gh.plot_image_grid(tanh_images())
    fig = gh.plot_image_grid(tanh_images(), scale=(-1, 1))
    assert fig.axes[0].images[0].get_clim() == (-1.0, 1.0)


def test_plot_image_grid_refuses_raw_pixels_and_nan():
    with pytest.raises(ValueError, match=r"raw pixels in \[0, 255\]"):
        gh.plot_image_grid(np.full((2, 28, 28, 1), 255.0))
    broken = np.zeros((2, 28, 28, 1), np.float32)
    broken[1, 3, 3] = np.nan
    with pytest.raises(ValueError, match=r"NaN or infinite.*training diverged"):
        gh.plot_image_grid(broken)


@pytest.mark.parametrize(
    ("kwargs", "message"), [({"ncols": 0}, "ncols"), ({"cell_inches": 0}, "cell_inches")]
)
def test_plot_image_grid_checks_its_layout(kwargs, message):
    with pytest.raises(ValueError, match=message):
        gh.plot_image_grid(np.zeros((2, 28, 28, 1)), **kwargs)


def test_to_uint8_grid_refuses_images_outside_its_scale_and_nan():
    from gan_helpers.toolkit.images import to_uint8_grid

    with pytest.raises(ValueError, match=r"outside scale=\(0, 1\)"):
        to_uint8_grid(tanh_images(), (0, 1), ncols=2)
    assert to_uint8_grid(tanh_images(), (-1, 1), ncols=2).max() == 255
    with pytest.raises(ValueError, match="NaN"):
        to_uint8_grid(np.full((2, 28, 28, 1), np.nan), (0, 1), ncols=2)
    with pytest.raises(ValueError, match="scale"):
        to_uint8_grid(tanh_images(), (1, -1), ncols=2)


def test_tile_images_refuses_nan_and_bad_layouts():
    with pytest.raises(ValueError, match="NaN"):
        gh.tile_images(np.full((2, 3, 3), np.inf), ncols=2)
    with pytest.raises(ValueError, match="ncols"):
        gh.tile_images(np.zeros((2, 3, 3)), ncols=1.5)
    with pytest.raises(ValueError, match="pad"):
        gh.tile_images(np.zeros((2, 3, 3)), ncols=2, pad=-1)


def test_save_gif_refuses_float_frames_and_a_folder(tmp_path):
    with pytest.raises(ValueError, match=r"uint8.*to_uint8_grid"):
        gh.save_gif([np.zeros((4, 4), np.float32)], str(tmp_path / "a.gif"))
    with pytest.raises(IsADirectoryError, match="folder"):
        gh.save_gif([np.zeros((4, 4), np.uint8)], str(tmp_path))


@pytest.mark.parametrize(
    ("answer", "hint"),
    [
        (np.full((2, 28, 28, 1), np.nan, np.float32), "NaN"),
        (np.zeros((0, 28, 28, 1), np.float32), "empty"),
        (np.zeros((2, 28, 28, 1), np.uint8), "floats"),
    ],
)
def test_scaled_images_problem_uses_the_toolkits_image_check(answer, hint):
    problem = gh.exercises.scaled_images_problem(answer, scale=(-1, 1))
    assert problem is not None and hint in problem
