"""Differentiable augmentation for D (gan_helpers.toolkit.augment) and its use in the trainer."""

from __future__ import annotations

import keras
import numpy as np
import pytest
import tensorflow as tf
from keras import layers

from gan_helpers.toolkit.augment import RandomShift
from gan_helpers.toolkit.training import GAN


def dots(n: int, size: int = 9) -> np.ndarray:
    """``n`` images of ``size`` x ``size`` pixels, all 0 except one bright pixel in the middle."""
    images = np.zeros((n, size, size, 1), np.float32)
    images[:, size // 2, size // 2, 0] = 1.0
    return images


def offsets(moved: np.ndarray) -> list[tuple[int, int]]:
    """Where each image's single bright pixel went, relative to the middle."""
    middle = moved.shape[1] // 2
    found = []
    for image in moved[..., 0]:
        (row,), (col,) = np.nonzero(image == 1.0)
        found.append((int(row) - middle, int(col) - middle))
    return found


def test_each_image_moves_by_its_own_offset_within_the_limit():
    moved = RandomShift(2)(dots(400), tf.random.Generator.from_seed(0)).numpy()
    found = offsets(moved)
    assert all(abs(dy) <= 2 and abs(dx) <= 2 for dy, dx in found)
    assert len(set(found)) == 25  # every one of the 5 x 5 offsets happens in 400 draws
    assert np.all(moved.sum(axis=(1, 2, 3)) == 1.0)  # the content is moved, not blurred or lost


def test_the_uncovered_border_gets_the_background_value():
    images = np.full((50, 6, 6, 1), 0.5, np.float32)
    moved = RandomShift(3, background=-1.0)(images, tf.random.Generator.from_seed(1)).numpy()
    assert set(np.unique(moved)) <= {-1.0, 0.5}
    assert (moved == -1.0).any() and (moved == 0.5).any()
    assert moved.shape == images.shape and moved.dtype == np.float32


def test_zero_pixels_leaves_images_alone():
    images = np.random.default_rng(0).random((4, 5, 5, 1)).astype(np.float32)
    out = RandomShift(0)(images, tf.random.Generator.from_seed(0))
    np.testing.assert_array_equal(np.asarray(out), images)


def test_gradients_reach_the_pixels_that_stay_in_view():
    images = tf.Variable(np.random.default_rng(0).random((8, 10, 10, 1)).astype(np.float32))
    with tf.GradientTape() as tape:
        total = tf.reduce_sum(RandomShift(1)(images, tf.random.Generator.from_seed(0)))
    grad = tape.gradient(total, images).numpy()
    assert set(np.unique(grad)) <= {0.0, 1.0}
    assert grad[:, 1:-1, 1:-1].min() == 1.0  # the middle never leaves the frame


def test_it_runs_under_xla():
    shift = RandomShift(2)
    rng = tf.random.Generator.from_seed(0)

    @tf.function(jit_compile=True)
    def moved(x):
        return shift(x, rng)

    out = moved(tf.constant(dots(16))).numpy()
    assert out.shape == (16, 9, 9, 1) and np.all(out.sum(axis=(1, 2, 3)) == 1.0)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"pixels": -1}, "pixels"), ({"pixels": 1.5}, "pixels"), ({"background": "white"}, "background")],
)
def test_bad_settings_are_explained(kwargs, message):
    with pytest.raises(ValueError, match=message):
        RandomShift(**kwargs)


def test_images_without_a_channel_axis_are_refused():
    with pytest.raises(ValueError, match="batch, height, width, channels"):
        RandomShift(1)(np.zeros((2, 9, 9), np.float32), tf.random.Generator.from_seed(0))


def test_the_trainer_shows_d_augmented_real_and_fake_images():
    g = keras.Sequential(
        [keras.Input((4,)), layers.Dense(81, activation="sigmoid"), layers.Reshape((9, 9, 1))]
    )
    d = keras.Sequential([keras.Input((9, 9, 1)), layers.Flatten(), layers.Dense(1)])
    seen = []

    def spy(samples, rng):
        seen.append(samples.shape)
        return RandomShift(1)(samples, rng)

    gan = GAN(g, d, d_output="logits", augment=spy, seed=0)
    gan.compile(run_eagerly=True)
    logs = gan.train_on_batch(dots(8), return_dict=True)
    assert len(seen) == 2  # once for the real batch, once for the generated one
    assert all(np.isfinite(v) for v in logs.values())
    with pytest.raises(ValueError, match="augment must be a callable"):
        GAN(g, d, augment="shift")
