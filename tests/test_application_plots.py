"""Chapter 11's figures and mask chooser: the pure functions behind the widget, the figures' input checks, and
the widget's controls redrawing without printing."""

from __future__ import annotations

import keras
import numpy as np
import pytest
from matplotlib.figure import Figure

from gan_helpers.teaching import inpainting_plots, inpainting_widgets, translation_plots
from gan_helpers.toolkit import inpainting


@pytest.fixture(scope="module")
def tanh_generator():
    """A small generator with images in [-1, 1]: tanh of a linear map of 8 numbers."""
    keras.utils.set_random_seed(0)
    return keras.Sequential(
        [keras.Input((8,)), keras.layers.Dense(784, activation="tanh"), keras.layers.Reshape((28, 28, 1))]
    )


def test_masked_picture_tints_only_the_missing_pixels():
    image = np.full((28, 28, 1), 1.0, np.float32)
    mask = inpainting.make_mask("left_half")
    picture = inpainting_plots.masked_picture(image, mask)
    assert picture.shape == (28, 28, 3)
    np.testing.assert_allclose(picture[:, 14:], 1.0)  # known white pixels stay white
    assert not np.allclose(picture[:, :14], picture[:, :14, :1])  # missing ones are coloured, not grey
    with pytest.raises(ValueError, match="one picture each"):
        inpainting_plots.masked_picture(image, mask[:20])


@pytest.mark.parametrize("kind", inpainting_widgets.CHOOSER_KINDS)
def test_chooser_masks_match_the_toolkit(kind):
    mask = inpainting_widgets.chooser_mask(kind, top=3, left=4, side=10, missing=0.5, seed=2)
    expected = {
        "top half": inpainting.half_mask("top"),
        "left half": inpainting.half_mask("left"),
        "random pixels": inpainting.random_mask(0.5, seed=2),
        "square": inpainting.square_mask(3, 4, 10),
    }[kind]
    np.testing.assert_array_equal(mask, expected)


def test_a_square_that_sticks_out_is_moved_inside():
    mask = inpainting_widgets.chooser_mask("square", top=25, left=27, side=10)
    np.testing.assert_array_equal(mask, inpainting.square_mask(18, 18, 10))
    with pytest.raises(ValueError, match="kind must be one of"):
        inpainting_widgets.chooser_mask("circle")


def test_the_view_recovers_and_reads(tanh_generator):
    digit = np.asarray(tanh_generator(np.ones((1, 8), "float32")))[0]
    mask = inpainting_widgets.chooser_mask("top half")
    calls = []

    def classify(images):
        calls.append(len(images))
        return np.tile(np.eye(10)[3], (len(images), 1))

    view = inpainting_widgets.inpainting_view(tanh_generator, digit, mask, classify, restarts=2, steps=5)
    assert view.recovered.shape == (28, 28, 1) and calls == [2]
    np.testing.assert_array_equal(view.blend[14:], digit[14:])  # known (bottom) pixels kept
    np.testing.assert_array_equal(view.blend[:14], view.recovered[:14])
    assert int(np.argmax(view.recovered_probabilities)) == 3
    again = inpainting_widgets.inpainting_view(tanh_generator, digit, mask, classify, restarts=2, steps=5)
    np.testing.assert_array_equal(again.recovered, view.recovered)  # same inputs, same view
    assert isinstance(inpainting_widgets.plot_inpainting_view([view, again], ["a", "b"]), Figure)


def test_the_mask_chooser_redraws_without_printing(tanh_generator, capsys):
    digits = np.asarray(tanh_generator(np.random.default_rng(0).standard_normal((3, 8)).astype("float32")))
    box = inpainting_widgets.mask_chooser(tanh_generator, digits, steps=3)
    first = box.children[-1].outputs
    assert len(first) == 1 and "image/png" in first[0]["data"]
    box.kind.value = "random pixels"
    box.missing.value = 0.5
    box.digit.value = 2
    assert box.view().mask.mean() == pytest.approx(0.5, abs=1 / 784)
    assert box.children[-1].outputs != first
    assert capsys.readouterr().out == ""


def test_the_inpainting_figures_check_their_inputs():
    images = np.zeros((2, 28, 28, 1), np.float32)
    masks = inpainting.mask_batch("top_half", 2)
    fig = inpainting_plots.plot_inpainting_table(
        images, masks, {"original": images}, ["a", "b"], captions={"original": ["x", "y"]}
    )
    assert isinstance(fig, Figure)
    with pytest.raises(ValueError, match="column 'original' has shape"):
        inpainting_plots.plot_inpainting_table(images, masks, {"original": images[:1]})
    with pytest.raises(ValueError, match="captions"):
        inpainting_plots.plot_inpainting_table(
            images, masks, {"original": images}, captions={"other": ["x", "y"]}
        )
    agreement = {"top_half": {"a": 0.5, "b": 0.7}, "random": {"a": 0.2, "b": 0.9}}
    assert isinstance(inpainting_plots.plot_agreement_by_mask(agreement, reference=1.0), Figure)
    with pytest.raises(ValueError, match="same methods"):
        inpainting_plots.plot_agreement_by_mask({"top_half": {"a": 0.5}, "random": {"b": 0.2}})
    history = np.random.default_rng(0).uniform(0.01, 1, (5, 4, 2))
    assert isinstance(inpainting_plots.plot_search_history(history, labels=["x", "x", "y", "y"]), Figure)
    with pytest.raises(ValueError, match="steps, N, restarts"):
        inpainting_plots.plot_search_history(history[0])


def test_the_translation_figures_check_their_inputs():
    images = np.zeros((5, 28, 28, 1), np.float32)
    assert isinstance(translation_plots.plot_translation_table({"a": images, "b": images}, count=3), Figure)
    with pytest.raises(ValueError, match="same number and shape"):
        translation_plots.plot_translation_table({"a": images, "b": images[:, :14]})
    assert isinstance(translation_plots.plot_sharpness({"a": [0.1, 0.2], "b": [0.15, 0.3]}), Figure)
    histories = {
        "L1": {"l1": [0.3, 0.2]},
        "GAN": {"l1": [0.3, 0.2], "g_adv": [0.7, 0.7], "d_loss": [1.3, 1.4]},
    }
    fig = translation_plots.plot_translation_losses(histories, every=100)
    assert len(fig.axes) == 2
    with pytest.raises(ValueError, match="histories is empty"):
        translation_plots.plot_translation_losses({}, every=100)
