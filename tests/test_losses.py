"""Every loss formula against Keras's binary cross-entropy (and closed forms), including near 0 and 1."""

from __future__ import annotations

import keras
import numpy as np
import pytest
import tensorflow as tf

from gan_helpers import losses

# Probabilities from "D is sure it's fake" to "D is sure it's real", including the clipped extremes.
PROBS = np.array([0.0, 1e-9, 1e-6, 1e-3, 0.05, 0.3, 0.5, 0.7, 0.95, 0.999, 1 - 1e-6, 1.0], np.float32)
LOGITS = np.array([-80.0, -20.0, -5.0, -1.0, -0.1, 0.0, 0.1, 1.0, 5.0, 20.0, 80.0], np.float32)


def bce(target: float, values: np.ndarray, from_logits: bool = False) -> float:
    """Keras's BinaryCrossentropy of every value against one label, averaged."""
    y_pred = np.asarray(values, np.float32).reshape(-1, 1)
    y_true = np.full_like(y_pred, target)
    return float(keras.losses.BinaryCrossentropy(from_logits=from_logits)(y_true, y_pred))


def close(a, b) -> bool:
    return np.isclose(float(a), float(b), rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("d_fake", PROBS)
@pytest.mark.parametrize("d_real", PROBS[::3])
def test_discriminator_loss_is_bce_real_plus_bce_fake(d_real, d_fake):
    expected = bce(1.0, [d_real]) + bce(0.0, [d_fake])
    assert close(losses.discriminator_loss([d_real], [d_fake]), expected)
    assert close(losses.minimax_value([d_real], [d_fake]), -expected)


@pytest.mark.parametrize("d_fake", PROBS)
def test_generator_losses_are_bce(d_fake):
    assert close(losses.generator_loss([d_fake]), bce(1.0, [d_fake]))
    assert close(losses.generator_loss_saturating([d_fake]), -bce(0.0, [d_fake]))


def test_batches_are_averaged_like_keras():
    rng = np.random.default_rng(0)
    d_real, d_fake = rng.random(64), rng.random(32)
    assert close(losses.discriminator_loss(d_real, d_fake), bce(1.0, d_real) + bce(0.0, d_fake))
    assert close(losses.generator_loss(d_fake), bce(1.0, d_fake))


@pytest.mark.parametrize("logit", LOGITS)
def test_logit_versions_are_keras_bce_from_logits(logit):
    real = LOGITS[::-1]
    assert close(
        losses.discriminator_loss_from_logits(real, [logit]), bce(1.0, real, True) + bce(0.0, [logit], True)
    )
    assert close(losses.generator_loss_from_logits([logit]), bce(1.0, [logit], True))
    assert close(losses.generator_loss_saturating_from_logits([logit]), -bce(0.0, [logit], True))
    assert close(
        losses.minimax_value_from_logits(real, [logit]), -(bce(1.0, real, True) + bce(0.0, [logit], True))
    )


@pytest.mark.parametrize("logit", [-8.0, -2.0, 0.0, 3.0, 8.0])
def test_logit_and_probability_versions_agree_where_probabilities_are_exact(logit):
    p = float(tf.sigmoid(logit))
    assert close(losses.generator_loss_from_logits([logit]), losses.generator_loss([p]))
    assert close(losses.generator_loss_saturating_from_logits([logit]), losses.generator_loss_saturating([p]))
    assert close(losses.discriminator_loss_from_logits([logit], [logit]), losses.discriminator_loss([p], [p]))


def test_reference_values_at_d_one_half():
    assert close(losses.discriminator_loss([0.5], [0.5]), 2 * np.log(2))  # 1.386
    assert close(losses.generator_loss([0.5]), np.log(2))  # 0.693
    assert close(losses.minimax_value([0.5], [0.5]), -np.log(4))
    assert close(losses.discriminator_loss_from_logits([0.0], [0.0]), 2 * np.log(2))


def test_probabilities_are_clipped_like_keras_so_losses_stay_finite():
    worst = -np.log(np.float32(losses.EPSILON))
    assert close(losses.generator_loss([0.0]), worst)  # about 16.12, not infinity
    assert np.isfinite(float(losses.discriminator_loss([0.0], [1.0])))


@pytest.mark.parametrize("logit", [-5.0, -1.0, 0.0, 2.0, 6.0])
def test_generator_loss_gradients_have_the_textbook_form(logit):
    l_var = tf.Variable([logit])
    with tf.GradientTape(persistent=True) as tape:
        ns = losses.generator_loss_from_logits(l_var)
        sat = losses.generator_loss_saturating_from_logits(l_var)
    s = 1.0 / (1.0 + np.exp(-logit))
    assert close(tape.gradient(ns, l_var)[0], -(1.0 - s))  # strong when D(G(z)) -> 0
    assert close(tape.gradient(sat, l_var)[0], -s)  # vanishes when D(G(z)) -> 0


def test_losses_work_inside_a_compiled_train_step():
    @tf.function
    def step(real_logits, fake_logits):
        return losses.discriminator_loss_from_logits(real_logits, fake_logits), losses.discriminator_loss(
            tf.sigmoid(real_logits), tf.sigmoid(fake_logits)
        )

    a, b = step(tf.zeros((4, 1)), tf.zeros((4, 1)))
    assert close(a, 2 * np.log(2)) and close(b, 2 * np.log(2))


@pytest.mark.parametrize("bad", [[1.5], [-0.1]])
def test_logits_passed_as_probabilities_are_explained(bad):
    with pytest.raises(ValueError, match=r"probabilities in \[0, 1\].*look like logits.*from_logits"):
        losses.generator_loss(bad)


def test_nan_probabilities_are_explained():
    with pytest.raises(ValueError, match=r"NaN or infinite.*diverged"):
        losses.generator_loss([np.nan])


EAGER_KINDS = {
    "tf.constant": tf.constant,
    "tf.Variable": tf.Variable,
    "keras.Variable": keras.Variable,
    "keras.ops tensor": lambda v: keras.ops.convert_to_tensor(v),
    "float64 tensor": lambda v: tf.constant(np.asarray(v, np.float64)),
}


@pytest.mark.parametrize("kind", EAGER_KINDS)
@pytest.mark.parametrize(
    "loss",
    [
        lambda p: losses.discriminator_loss(p, [0.5]),
        lambda p: losses.discriminator_loss([0.5], p),
        losses.generator_loss,
        losses.generator_loss_saturating,
        lambda p: losses.minimax_value(p, [0.5]),
        lambda p: losses.minimax_value([0.5], p),
    ],
)
def test_eager_tensors_outside_0_1_are_refused_like_numpy(kind, loss):
    logits = EAGER_KINDS[kind](np.array([[-2.0], [3.0]], np.float32))
    with pytest.raises(ValueError, match=r"probabilities in \[0, 1\].*from_logits"):
        loss(logits)
    assert np.isfinite(float(loss(EAGER_KINDS[kind](np.array([[0.2], [0.9]], np.float32)))))


def test_eager_variables_keep_their_gradient_after_the_check():
    p = tf.Variable([[0.25], [0.5]])
    with tf.GradientTape() as tape:
        loss = losses.generator_loss(p)
    np.testing.assert_allclose(tape.gradient(loss, p).numpy(), [[-2.0], [-1.0]], rtol=1e-5)


def test_values_inside_a_traced_graph_pass_through_unchecked():
    @tf.function
    def traced(p):
        return losses.generator_loss(p)

    @tf.function(jit_compile=True)
    def compiled(p):
        return losses.generator_loss_saturating(p)

    # Out of range in a graph cannot be checked (no values when tracing): clipped, not raised.
    assert np.isfinite(float(traced(tf.constant([[3.0]]))))
    assert np.isfinite(float(compiled(tf.constant([[-3.0]]))))


def test_empty_input_is_explained():
    with pytest.raises(ValueError, match="empty"):
        losses.discriminator_loss([], [0.5])


@pytest.mark.parametrize("label", [0.9, 0.8])
def test_one_sided_label_smoothing_is_bce_with_a_soft_real_label(label):
    d_real, d_fake = np.array([0.3, 0.7, 0.99], np.float32), np.array([0.2, 0.6], np.float32)
    assert close(
        losses.discriminator_loss(d_real, d_fake, real_label=label), bce(label, d_real) + bce(0.0, d_fake)
    )
    logits_real, logits_fake = np.log(d_real / (1 - d_real)), np.log(d_fake / (1 - d_fake))
    assert close(
        losses.discriminator_loss_from_logits(logits_real, logits_fake, real_label=label),
        bce(label, logits_real, True) + bce(0.0, logits_fake, True),
    )
