"""Chapter 09's figures and slider explorer: what they draw and compute, with stub generators."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest
from matplotlib.figure import Figure

from gan_helpers.teaching import latent_plots, latent_widgets
from gan_helpers.toolkit import latent


def stub_render(codes: np.ndarray) -> np.ndarray:
    """A 'generator' whose image brightness is the code's first entry (clipped to [-1, 1])."""
    codes = np.asarray(codes, dtype=np.float32)
    return np.clip(np.ones((len(codes), 28, 28, 1), np.float32) * codes[:, :1, None, None], -1, 1)


def stub_classify(images: np.ndarray) -> np.ndarray:
    """Class 1 for bright images, class 0 for dark ones, with a confidence that grows with the contrast."""
    brightness = images.mean(axis=(1, 2, 3))
    p1 = 1 / (1 + np.exp(-5 * brightness))
    out = np.zeros((len(images), 10))
    out[:, 0], out[:, 1] = 1 - p1, p1
    return out


def test_image_table_has_one_panel_per_image_and_the_labels():
    images = np.zeros((2, 5, 28, 28, 1))
    fig = latent_plots.plot_image_table(images, ["lerp", "slerp"], [f"t{i}" for i in range(5)], title="x")
    assert isinstance(fig, Figure) and len(fig.axes) == 10
    assert fig.axes[0].get_ylabel() == "lerp" and fig.axes[5].get_ylabel() == "slerp"
    assert [ax.get_title() for ax in fig.axes[:5]] == [f"t{i}" for i in range(5)]


def test_image_table_refuses_wrong_shapes_and_label_counts():
    with pytest.raises(ValueError, match="table"):
        latent_plots.plot_image_table(np.zeros((5, 28, 28, 1)))
    with pytest.raises(ValueError, match="2 row labels for 3 rows"):
        latent_plots.plot_image_table(np.zeros((3, 2, 28, 28)), ["a", "b"])


def test_path_norms_figure_draws_each_path_and_the_typical_length():
    t = np.linspace(0, 1, 5)
    fig = latent_plots.plot_path_norms(
        t, {"lerp": [10, 8, 7, 8, 10], "slerp": [10] * 5}, typical=9.97, spread=1.4
    )
    ax = fig.axes[0]
    labels = [line.get_label() for line in ax.get_lines()]
    assert "lerp" in labels and "slerp" in labels and any("9.97" in label for label in labels)
    with pytest.raises(ValueError, match="lengths for"):
        latent_plots.plot_path_norms(t, {"lerp": [1, 2]})


def test_path_predictions_figure_marks_every_class_flip_at_its_step():
    brightness = np.linspace(-1, 1, 9)
    codes = np.column_stack([brightness, np.zeros(9)])
    images = stub_render(codes)
    probabilities = stub_classify(images)
    reading = latent.predictions_along_path(probabilities)
    assert reading.flips.tolist() == [5]  # the stub's class changes where brightness crosses 0
    fig = latent_plots.plot_path_predictions(images, probabilities, reading, show_every=2)
    curve_ax = fig.axes[-1]
    flip_lines = [line for line in curve_ax.get_lines() if list(line.get_xdata()) == [4.5, 4.5]]
    assert len(flip_lines) == 1
    assert any("0→1 at step 5" in text.get_text() for text in curve_ax.texts)
    image_titles = [ax.get_title() for ax in fig.axes[:-1]]
    assert image_titles == ["0", "0", "0", "1", "1"]  # steps 0, 2, 4, 6, 8 (step 4 is a tie: class 0)


def test_path_predictions_figure_checks_its_inputs():
    images = np.zeros((3, 28, 28, 1))
    reading = latent.predictions_along_path(np.tile(np.eye(10)[1], (3, 1)))
    with pytest.raises(ValueError, match="one each"):
        latent_plots.plot_path_predictions(images, np.tile(np.eye(10)[1], (2, 1)), reading)


def test_variance_shares_and_latent_view_figures():
    fig = latent_plots.plot_variance_shares({"noise": [0.02, 0.01], "images": [0.3, 0.1]})
    assert len(fig.axes) == 2 and fig.axes[1].get_title() == "images"
    view = latent_plots.plot_latent_view(np.zeros((28, 28, 1)), np.eye(10)[3] * 0.9 + 0.01, title="start")
    assert view.axes[1].get_title() == "classifier: 3 (91%)"
    assert len(latent_plots.plot_latent_view(np.zeros((28, 28))).axes) == 1


# --- the explorer ----------------------------------------------------------------------------------------


def test_latent_view_moves_the_code_and_reads_the_image():
    z = np.zeros(3)
    directions = np.eye(3)[:2]
    view = latent_widgets.latent_view(stub_render, z, directions, [0.5, 2.0], stub_classify)
    np.testing.assert_allclose(view.code, [0.5, 2.0, 0.0])
    assert view.image.shape == (28, 28, 1) and view.image.mean() == pytest.approx(0.5)
    assert view.probabilities.argmax() == 1
    untouched = latent_widgets.latent_view(stub_render, z, directions, [0.0, 0.0])
    np.testing.assert_allclose(untouched.code, z) and untouched.probabilities is None
    with pytest.raises(ValueError, match="one image per code"):
        latent_widgets.latent_view(lambda c: np.zeros((2, 28, 28, 1)), z, directions, [0, 0])


def test_the_explorer_redraws_from_its_sliders_and_resets():
    pytest.importorskip("ipywidgets")
    z = np.zeros(3)
    box = latent_widgets.latent_direction_explorer(
        stub_render, z, {"first": np.eye(3)[:2], "second": np.eye(3)[1:]}, classify=stub_classify
    )
    assert len(box.sliders) == 2 and list(box.choice.options) == ["first", "second"]
    figure_area = box.children[-1]
    assert "image/png" in figure_area.outputs[0]["data"]
    box.sliders[0].value = -0.8
    assert box.view().image.mean() == pytest.approx(-0.8) and box.view().probabilities.argmax() == 0
    box.choice.value = "second"  # the first slider now moves along the code's second entry
    np.testing.assert_allclose(box.view().code, [0.0, -0.8, 0.0])
    box.reset()
    assert [s.value for s in box.sliders] == [0.0, 0.0]
    np.testing.assert_allclose(box.view().code, z)


def test_the_explorer_refuses_direction_sets_of_different_sizes():
    with pytest.raises(ValueError, match="same number"):
        latent_widgets.latent_direction_explorer(
            stub_render, np.zeros(3), {"a": np.eye(3)[:2], "b": np.eye(3)}
        )
    with pytest.raises(ValueError, match="empty"):
        latent_widgets.latent_direction_explorer(stub_render, np.zeros(3), {})
