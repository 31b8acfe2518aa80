"""Mixed precision (``gh.use_mixed_precision``): float16 arithmetic, float32 weights, loss scaling.

On this CPU-only machine ``"auto"`` keeps float32; ``True`` turns mixed precision on anyway, so the code
path a GPU user takes can be checked here: the policy reaches the layers, the GAN wraps its optimizers in
``LossScaleOptimizer``, the losses stay finite and in float32, and training moves the weights as the
float32 trainer does (within float16's precision). Plain SGD, so that a loss scale left in the gradients
(a factor of 32,768) could not hide behind Adam's normalisation.
"""

from __future__ import annotations

import keras
import numpy as np
import pytest
import tensorflow as tf

import gan_helpers as gh
from gan_helpers.toolkit.training import GAN

STEPS = 3


@pytest.fixture
def float32_afterwards():
    yield
    keras.mixed_precision.set_global_policy("float32")


def build(seed: int = 0) -> GAN:
    keras.utils.set_random_seed(seed)
    generator = keras.Sequential(
        [
            keras.Input((4,)),
            keras.layers.Dense(16, activation="relu"),
            keras.layers.Dense(6, activation="tanh"),
        ]
    )
    discriminator = keras.Sequential(
        [keras.Input((6,)), keras.layers.Dense(16, activation="relu"), keras.layers.Dense(1)]
    )
    gan = GAN(generator, discriminator, d_output="logits", seed=3, track_gradients=True)
    gan.compile(keras.optimizers.SGD(0.1), keras.optimizers.SGD(0.1))
    return gan


def train(gan: GAN) -> dict[str, list[float]]:
    data = np.random.default_rng(0).normal(size=(16 * STEPS, 6)).astype("float32")
    return gan.fit(tf.data.Dataset.from_tensor_slices(data).batch(16), epochs=1, verbose=0).history


def weights(gan: GAN) -> list[np.ndarray]:
    return [np.asarray(w.numpy(), dtype="float32") for w in gan.generator.weights + gan.discriminator.weights]


def test_auto_keeps_float32_without_a_gpu(float32_afterwards):
    assert gh.use_mixed_precision("auto") == "float32"
    assert keras.mixed_precision.global_policy().name == "float32"


def test_mixed_precision_trains_like_float32(float32_afterwards):
    reference = build()
    before = weights(reference)
    reference_history = train(reference)
    expected = weights(reference)

    assert gh.use_mixed_precision(True) == "mixed_float16"
    gan = build()
    dense = gan.generator.layers[0]
    assert (dense.compute_dtype, dense.variable_dtype) == ("float16", "float32")
    assert all(w.dtype == "float32" for w in gan.generator.weights + gan.discriminator.weights)
    for optimizer in (gan.d_optimizer, gan.g_optimizer):
        assert isinstance(optimizer, keras.optimizers.LossScaleOptimizer)
        assert float(optimizer.scale_loss(1.0)) > 1000  # a real loss scale

    history = train(gan)
    for name, values in history.items():
        assert np.all(np.isfinite(values)), name
        assert values == pytest.approx(reference_history[name], rel=0.02, abs=0.02), name
    moved = max(float(np.max(np.abs(a - b))) for a, b in zip(expected, before, strict=True))
    differ = max(float(np.max(np.abs(a - b))) for a, b in zip(weights(gan), expected, strict=True))
    assert moved > 0.01  # training moved the weights ...
    assert differ < 0.1 * moved  # ... and float16 moved them the same way, unscaled


def test_bad_choice_is_refused():
    with pytest.raises(ValueError, match="'auto'"):
        gh.use_mixed_precision("yes")
