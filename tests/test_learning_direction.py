"""The trainer learns in the right direction, on notebook 01's 1-D toy (real data N(4, 0.5²)).

(a) Trained alone (G's optimizer has learning rate 0), D learns to score real samples above fakes.
(b) Trained together for a few hundred steps, G's output mean moves most of the way to the data mean.

A step with swapped labels, a wrong sign, the wrong loss or the wrong weights fails at least one of these
(see the report of the trust pass); together with tests/test_training_reference.py they pin the step down.
"""

from __future__ import annotations

import keras
import numpy as np
import pytest
import tensorflow as tf
from keras import layers

from gan_helpers.toolkit.training import GAN

DATA_MEAN, DATA_STD, BATCH = 4.0, 0.5, 128


def toy_gan(seed: int, update: str = "simultaneous") -> GAN:
    keras.utils.set_random_seed(seed)
    generator = keras.Sequential([keras.Input((1,)), layers.Dense(1)])  # G(z) = w z + b, starts near 0
    discriminator = keras.Sequential(
        [
            keras.Input((1,)),
            layers.Dense(16, activation="leaky_relu"),
            layers.Dense(16, activation="leaky_relu"),
            layers.Dense(1),
        ]
    )
    generator.layers[0].set_weights([np.array([[1.0]], "float32"), np.array([0.0], "float32")])
    return GAN(generator, discriminator, d_output="logits", update=update, seed=seed)


def real_data(seed: int) -> tf.data.Dataset:
    samples = np.random.default_rng(seed).normal(DATA_MEAN, DATA_STD, (20 * BATCH, 1)).astype("float32")
    return tf.data.Dataset.from_tensor_slices(samples).shuffle(len(samples), seed=seed).batch(BATCH).repeat()


def mean_d(gan: GAN, samples: np.ndarray) -> float:
    return float(tf.reduce_mean(tf.sigmoid(gan.discriminator(samples, training=False))))


def g_mean(gan: GAN) -> float:
    return float(
        gan.generate(z=np.random.default_rng(99).standard_normal((2000, 1)).astype("float32")).mean()
    )


@pytest.mark.parametrize("update", ["simultaneous", "alternating"])
def test_discriminator_alone_learns_to_score_real_above_fake(update):
    gan = toy_gan(0, update)
    gan.compile(
        d_optimizer=keras.optimizers.Adam(5e-3), g_optimizer=keras.optimizers.SGD(0.0), steps_per_execution=20
    )
    g_before = [w.copy() for w in gan.generator.get_weights()]
    history = gan.fit(real_data(0), epochs=2, steps_per_epoch=40, verbose=0).history
    assert all(np.array_equal(a, b) for a, b in zip(g_before, gan.generator.get_weights(), strict=True))
    real = np.random.default_rng(1).normal(DATA_MEAN, DATA_STD, (1000, 1)).astype("float32")
    fake = gan.generate(1000)
    assert mean_d(gan, real) > mean_d(gan, fake) + 0.3
    assert history["d_loss"][-1] < history["d_loss"][0]  # D's loss went down
    assert history["d_real"][-1] > 0.6 and history["d_fake"][-1] < 0.4  # the metrics say the same


@pytest.mark.parametrize("update", ["simultaneous", "alternating"])
def test_training_moves_the_generator_toward_the_data(update):
    gan = toy_gan(1, update)
    gan.compile(
        d_optimizer=keras.optimizers.Adam(1e-2, beta_1=0.5),
        g_optimizer=keras.optimizers.Adam(2e-2, beta_1=0.5),
        steps_per_execution=50,
    )
    start = abs(g_mean(gan) - DATA_MEAN)
    gan.fit(real_data(1), epochs=1, steps_per_epoch=300, verbose=0)
    end = abs(g_mean(gan) - DATA_MEAN)
    assert start > 3.5
    assert end < 0.25 * start, f"G's mean is {end:.2f} from the data mean (started {start:.2f} away)"
