"""Image-to-image translation (notebook 11): the degradation, the networks' shapes, the losses computed by
hand, one training step of the Translator against independently computed gradients, and sharpness."""

from __future__ import annotations

import keras
import numpy as np
import pytest
import tensorflow as tf

from gan_helpers.toolkit import translation as tr
from tests.reference_steps import copy_of


def test_downsample_takes_block_means():
    rng = np.random.default_rng(0)
    images = rng.uniform(-1, 1, (2, 28, 28, 1)).astype("float32")
    small = tr.downsample(images)
    assert small.shape == (2, 7, 7, 1)
    for i, r, c in [(0, 0, 0), (1, 3, 5), (0, 6, 6)]:
        assert small[i, r, c, 0] == pytest.approx(
            images[i, 4 * r : 4 * r + 4, 4 * c : 4 * c + 4, 0].mean(), rel=1e-5
        )


def test_upsample_repeats_pixels_and_degrade_keeps_shape_and_block_means():
    small = np.arange(4, dtype="float32").reshape(1, 2, 2, 1)
    big = tr.upsample_nearest(small, 2)
    np.testing.assert_array_equal(big[0, ..., 0], [[0, 0, 1, 1], [0, 0, 1, 1], [2, 2, 3, 3], [2, 2, 3, 3]])
    images = np.random.default_rng(1).uniform(-1, 1, (3, 28, 28, 1)).astype("float32")
    degraded = tr.degrade(images)
    assert degraded.shape == images.shape and degraded.min() >= -1 and degraded.max() <= 1
    np.testing.assert_allclose(tr.downsample(degraded), tr.downsample(images), atol=1e-6)
    assert len(np.unique(degraded[0, :4, :4])) == 1  # one value per 4x4 block


@pytest.mark.parametrize(("factor", "words"), [(3, "cannot be cut"), (0, ">= 1"), (2.0, "whole number")])
def test_bad_factors_are_refused(factor, words):
    with pytest.raises(ValueError, match=words):
        tr.downsample(np.zeros((1, 28, 28, 1), "float32"), factor)


def test_the_networks_have_the_documented_shapes():
    translator = tr.build_translator(8)
    discriminator = tr.build_patch_discriminator(8)
    x = np.random.default_rng(2).uniform(-1, 1, (5, 28, 28, 1)).astype("float32")
    out = np.asarray(translator(x))
    assert out.shape == (5, 28, 28, 1) and out.min() >= -1 and out.max() <= 1
    assert tuple(discriminator([x, out]).shape) == (5, 7, 7, 1)
    with pytest.raises(ValueError, match="divisible by 4"):
        tr.build_translator(8, size=30)
    with pytest.raises(ValueError, match="base_filters"):
        tr.build_patch_discriminator(0)


def test_l1_loss_is_the_mean_absolute_difference():
    targets = tf.constant([[[[1.0], [-1.0]], [[0.5], [0.0]]]])
    outputs = tf.constant([[[[0.0], [-1.0]], [[1.0], [-0.5]]]])
    assert float(tr.l1_loss(targets, outputs)) == pytest.approx((1.0 + 0.0 + 0.5 + 0.5) / 4)


def test_the_patch_losses_by_hand_and_their_direction():
    def softplus(v):
        return np.log1p(np.exp(v))

    real, fake = np.array([[2.0], [-1.0]]), np.array([[0.5], [-3.0]])
    d = float(tr.patch_discriminator_loss(tf.constant(real), tf.constant(fake)))
    assert d == pytest.approx(softplus(-real).mean() + softplus(fake).mean(), rel=1e-6)
    g = [float(tr.patch_generator_loss(tf.constant([[v]]))) for v in (-3.0, 0.0, 3.0)]
    assert g[0] > g[1] > g[2]  # the generator's loss falls as D is fooled (its fakes' logits rise)
    assert g[1] == pytest.approx(np.log(2))
    good_d = float(tr.patch_discriminator_loss(tf.constant([[3.0]]), tf.constant([[-3.0]])))
    fooled_d = float(tr.patch_discriminator_loss(tf.constant([[-3.0]]), tf.constant([[3.0]])))
    assert good_d < np.log(4) < fooled_d


def tiny_networks(seed: int = 0) -> tuple[keras.Model, keras.Model]:
    keras.utils.set_random_seed(seed)
    return tr.build_translator(2), tr.build_patch_discriminator(2)


def reference_step(generator, discriminator, inputs, targets, l1_weight, learning_rate):
    """One SGD step written independently of Translator.train_step: both losses from the same outputs,
    each network's gradient of its own loss."""
    g, d = copy_of(generator), copy_of(discriminator)
    with tf.GradientTape(persistent=True) as tape:
        outputs = g(inputs, training=True)
        real_logits = d([inputs, targets], training=True)
        fake_logits = d([inputs, outputs], training=True)
        l1 = tf.reduce_mean(tf.abs(targets - outputs))
        g_loss = tf.reduce_mean(tf.math.softplus(-fake_logits)) + l1_weight * l1
        d_loss = tf.reduce_mean(tf.math.softplus(-real_logits)) + tf.reduce_mean(
            tf.math.softplus(fake_logits)
        )
    g_new = [
        w - learning_rate * grad
        for w, grad in zip(g.get_weights(), tape.gradient(g_loss, g.trainable_weights), strict=True)
    ]
    d_new = [
        w - learning_rate * grad
        for w, grad in zip(d.get_weights(), tape.gradient(d_loss, d.trainable_weights), strict=True)
    ]
    return [np.asarray(w) for w in g_new], [np.asarray(w) for w in d_new]


@pytest.mark.parametrize("l1_weight", [10.0, 0.5])
def test_one_training_step_matches_independently_computed_gradients(l1_weight):
    generator, discriminator = tiny_networks()
    rng = np.random.default_rng(3)
    targets = rng.uniform(-1, 1, (4, 28, 28, 1)).astype("float32")
    inputs = tr.degrade(targets)
    want_g, want_d = reference_step(
        generator, discriminator, tf.constant(inputs), tf.constant(targets), l1_weight, 0.1
    )
    translator = tr.Translator(generator, discriminator, l1_weight=l1_weight)
    translator.compile(g_optimizer=keras.optimizers.SGD(0.1), d_optimizer=keras.optimizers.SGD(0.1))
    logs = translator.train_on_batch(inputs, targets, return_dict=True)
    for got, want in zip(generator.get_weights(), want_g, strict=True):
        np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-6)
    for got, want in zip(discriminator.get_weights(), want_d, strict=True):
        np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-6)
    assert set(logs) == {"l1", "g_adv", "d_loss"}


def test_the_l1_translator_leaves_any_discriminator_alone_and_learns():
    generator, discriminator = tiny_networks(1)
    before = [w.copy() for w in discriminator.get_weights()]
    translator = tr.Translator(generator, discriminator, adversarial_weight=0.0)
    translator.compile()
    assert not translator.adversarial
    targets = np.random.default_rng(4).uniform(-1, 1, (8, 28, 28, 1)).astype("float32")
    first = translator.train_on_batch(tr.degrade(targets), targets, return_dict=True)
    for _ in range(30):
        last = translator.train_on_batch(tr.degrade(targets), targets, return_dict=True)
    assert set(last) == {"l1"} and last["l1"] < first["l1"]
    for got, want in zip(discriminator.get_weights(), before, strict=True):
        np.testing.assert_array_equal(got, want)


def test_the_discriminator_step_separates_real_from_translated_pairs():
    generator, discriminator = tiny_networks(2)
    targets = np.random.default_rng(5).uniform(-1, 1, (8, 28, 28, 1)).astype("float32")
    inputs = tr.degrade(targets)
    translator = tr.Translator(generator, discriminator)
    translator.compile(g_optimizer=keras.optimizers.SGD(0.0), d_optimizer=keras.optimizers.SGD(0.05))

    def gap():
        x, y = tf.constant(inputs), tf.constant(targets)
        outputs = generator(x)
        return float(tf.reduce_mean(discriminator([x, y])) - tf.reduce_mean(discriminator([x, outputs])))

    start = gap()
    for _ in range(20):
        translator.train_on_batch(inputs, targets)
    assert gap() > start + 0.1  # real pairs' logits rise above translated pairs'


def test_translator_refuses_bad_settings():
    generator, discriminator = tiny_networks()
    with pytest.raises(ValueError, match="l1_weight"):
        tr.Translator(generator, discriminator, l1_weight=-1)
    with pytest.raises(TypeError, match=r"generator must be a keras\.Model"):
        tr.Translator("unet")
    translator = tr.Translator(generator, discriminator)
    with pytest.raises(ValueError, match="two separate optimizers"):
        optimizer = keras.optimizers.Adam()
        translator.compile(g_optimizer=optimizer, d_optimizer=optimizer)


def test_train_translator_runs_the_recipe_and_logs():
    targets = np.random.default_rng(6).uniform(-1, 1, (64, 28, 28, 1)).astype("float32")
    translator, seconds = tr.train_translator(
        targets, 4, adversarial=True, base_filters=2, batch_size=16, log_every=2
    )
    assert seconds > 0 and translator.adversarial
    assert len(translator.history.history["l1"]) == 2 and "d_loss" in translator.history.history
    assert tr.translate(translator, tr.degrade(targets[:3])).shape == (3, 28, 28, 1)
    with pytest.raises(ValueError, match=r"\[-1, 1\]"):
        tr.train_translator(targets * 255, 4, adversarial=False)
    with pytest.raises(ValueError, match="steps must be"):
        tr.train_translator(targets, 0, adversarial=False)


def test_sharpness_by_hand():
    flat = np.zeros((1, 28, 28, 1), "float32")
    assert tr.sharpness(flat)[0] == 0
    edge = np.zeros((1, 28, 28, 1), "float32")
    edge[:, :, 14:] = 1.0  # one vertical step of height 1: dx = 1 in column 13 of the 27x27 grid
    assert tr.sharpness(edge)[0] == pytest.approx(27 / (27 * 27), rel=1e-6)
    ramp = np.zeros((1, 28, 28, 1), "float32")
    ramp[:, :, 12:16] = np.array([0.25, 0.5, 0.75, 1.0])[:, None]  # the same step spread over 4 pixels
    ramp[:, :, 16:] = 1.0
    assert tr.sharpness(ramp)[0] == pytest.approx(tr.sharpness(edge)[0], rel=1e-6)  # same total rise ...
    blurred = tr.degrade(np.random.default_rng(7).uniform(-1, 1, (4, 28, 28, 1)).astype("float32"))
    sharp = np.random.default_rng(7).uniform(-1, 1, (4, 28, 28, 1)).astype("float32")
    assert np.all(tr.sharpness(blurred) < tr.sharpness(sharp))  # ... but block means smooth out detail


def test_score_translations_matches_a_hand_count():
    targets = np.random.default_rng(8).uniform(-1, 1, (4, 28, 28, 1)).astype("float32")
    outputs = np.clip(targets + 0.1, -1, 1)
    probabilities = np.array([[0.9, 0.1], [0.2, 0.8], [0.6, 0.4], [0.3, 0.7]])
    scores = tr.score_translations(outputs, targets, [0, 1, 1, 1], lambda images: probabilities)
    assert scores.accuracy == 0.75 and scores.confidence == pytest.approx((0.9 + 0.8 + 0.4 + 0.7) / 4)
    assert scores.l1 == pytest.approx(np.abs(outputs - targets).mean(), rel=1e-5)
    assert scores.target_sharpness == pytest.approx(tr.sharpness(targets).mean(), rel=1e-5)
