"""The trainer's WGAN-GP pieces (issue 13's groundwork): the Wasserstein losses, the gradient penalty, a
critic, several D steps per G step and losses passed as functions, each checked against a reference computed
here, independently of the trainer, with plain SGD and the same random draws (``GAN.clone_rng``, in the
documented order: for each extra D step z then the penalty's weights; then z, then the penalty's weights)."""

from __future__ import annotations

import keras
import numpy as np
import pytest
import tensorflow as tf
from keras import layers

from gan_helpers import losses
from gan_helpers.toolkit.training import GAN
from tests.reference_steps import copy_of

LATENT, BATCH, LR, LAMBDA = 3, 6, 0.1, 10.0


# -- the gradient penalty on critics whose answer is known ---------------------------------------------
def linear_critic(weights: np.ndarray, bias: float = 0.5) -> keras.Model:
    critic = keras.Sequential([keras.Input((len(weights),)), layers.Dense(1)])
    critic.layers[0].set_weights([np.asarray(weights, "float32")[:, None], np.array([bias], "float32")])
    return critic


@pytest.mark.parametrize(
    ("weights", "expected"), [([1, 2, 2], 4.0), ([0.6, 0.8, 0.0], 0.0), ([0, 0, 5], 16.0)]
)
def test_penalty_of_a_linear_critic_is_its_slope_minus_one_squared(weights, expected):
    rng = np.random.default_rng(0)
    real, fake = rng.standard_normal((2, 8, 3)).astype("float32")
    epsilon = rng.uniform(size=(8, 1)).astype("float32")
    penalty = losses.gradient_penalty(linear_critic(weights), real, fake, epsilon)
    assert float(penalty) == pytest.approx(expected, abs=1e-4)


def test_penalty_is_taken_at_the_points_between_real_and_fake():
    """A critic f(x) = sum(x^2)/2 has gradient x: the penalty is the mean of (||x_hat|| - 1)^2 at
    x_hat = eps * real + (1 - eps) * fake, computed here by hand."""
    square = keras.Sequential(
        [keras.Input((4,)), layers.Lambda(lambda x: 0.5 * tf.reduce_sum(x * x, 1, True))]
    )
    rng = np.random.default_rng(1)
    real, fake = rng.standard_normal((2, 5, 4)).astype("float32")
    epsilon = rng.uniform(size=(5, 1)).astype("float32")
    x_hat = epsilon * real + (1 - epsilon) * fake
    by_hand = np.mean((np.linalg.norm(x_hat, axis=1) - 1) ** 2)
    assert float(losses.gradient_penalty(square, real, fake, epsilon)) == pytest.approx(by_hand, rel=1e-5)
    # a normal epsilon (the common mistake) moves the points off the segment and changes the value
    outside = np.full((5, 1), -1.5, "float32")
    assert float(losses.gradient_penalty(square, real, fake, outside)) != pytest.approx(by_hand, rel=1e-2)


def test_penalty_has_finite_gradients_where_the_critic_is_flat_and_samples_coincide():
    flat = linear_critic([0.0, 0.0, 0.0], bias=0.0)
    real = np.ones((4, 3), "float32")
    with tf.GradientTape() as tape:
        penalty = losses.gradient_penalty(flat, real, real.copy(), np.full((4, 1), 0.5, "float32"))
    grads = tape.gradient(penalty, flat.trainable_weights)
    assert float(penalty) == pytest.approx(1.0, abs=1e-5)
    for g in grads:
        assert g is None or np.all(np.isfinite(g.numpy()))


def test_penalty_refuses_mismatched_shapes():
    critic = linear_critic([1.0, 0.0, 0.0])
    with pytest.raises(ValueError, match="same shape"):
        losses.gradient_penalty(
            critic, np.zeros((4, 3), "float32"), np.zeros((4, 2), "float32"), np.zeros((4, 1))
        )
    with pytest.raises(ValueError, match=r"one weight per sample, shape \(batch, 1\)"):
        losses.gradient_penalty(critic, np.zeros((4, 3), "float32"), np.zeros((4, 3), "float32"), np.zeros(4))


def test_wasserstein_losses():
    real, fake = np.array([[2.0], [4.0]]), np.array([[-1.0], [1.0]])
    assert float(losses.critic_loss(real, fake)) == pytest.approx(0.0 - 3.0)
    assert float(losses.critic_generator_loss(fake)) == pytest.approx(0.0)
    assert float(losses.critic_generator_loss(np.array([[3.0]]))) == pytest.approx(-3.0)


# -- the trainer with a critic, a penalty, several D steps, loss functions ------------------------------
def tiny_models(sigmoid: bool = False) -> tuple[keras.Model, keras.Model]:
    keras.utils.set_random_seed(3)
    g = keras.Sequential([keras.Input((LATENT,)), layers.Dense(4, activation="tanh"), layers.Dense(2)])
    d = keras.Sequential(
        [
            keras.Input((2,)),
            layers.Dense(5, activation="tanh"),
            layers.Dense(1, activation="sigmoid" if sigmoid else None),
        ]
    )
    return g, d


def sgd_step(model: keras.Model, loss_of, *args) -> None:
    with tf.GradientTape() as tape:
        loss = loss_of(*args)
    grads = tape.gradient(loss, model.trainable_weights)
    for w, grad in zip(model.trainable_weights, grads, strict=True):
        w.assign(w - LR * grad)


def penalty_of(critic, real, fake, rng):
    epsilon = rng.uniform((real.shape[0], 1), 0.0, 1.0)
    x_hat = epsilon * real + (1 - epsilon) * fake
    with tf.GradientTape() as inner:
        inner.watch(x_hat)
        scores = critic(x_hat, training=True)
    grad = inner.gradient(scores, x_hat)
    return tf.reduce_mean((tf.sqrt(tf.reduce_sum(grad**2, axis=1) + 1e-12) - 1) ** 2)


@pytest.mark.parametrize("d_steps", [1, 3])
@pytest.mark.parametrize("update", ["simultaneous", "alternating"])
def test_wgan_gp_steps_match_a_reference(d_steps, update):
    g, d = tiny_models()
    gan = GAN(g, d, d_output="critic", gradient_penalty=LAMBDA, d_steps=d_steps, update=update, seed=5)
    gan.compile(d_optimizer=keras.optimizers.SGD(LR), g_optimizer=keras.optimizers.SGD(LR))
    real = tf.constant(np.random.default_rng(2).standard_normal((BATCH, 2)) + 3.0, "float32")
    ref_g, ref_d, rng = copy_of(g), copy_of(d), gan.clone_rng()

    def critic_loss(fake):
        return (
            tf.reduce_mean(ref_d(fake, training=True))
            - tf.reduce_mean(ref_d(real, training=True))
            + LAMBDA * penalty_of(ref_d, real, fake, rng)
        )

    for _ in range(d_steps - 1):
        fake = ref_g(rng.normal((BATCH, LATENT)), training=True)
        sgd_step(ref_d, critic_loss, fake)
    z = rng.normal((BATCH, LATENT))
    fake = ref_g(z, training=True)
    g_before = copy_of(ref_d)  # simultaneous: G's gradient comes from D before its update
    sgd_step(ref_d, critic_loss, fake)
    judge = ref_d if update == "alternating" else g_before
    sgd_step(ref_g, lambda: -tf.reduce_mean(judge(ref_g(z, training=True), training=True)))

    logs = gan.train_on_batch(real, return_dict=True)
    for ours, theirs in ((d, ref_d), (g, ref_g)):
        for a, b in zip(ours.get_weights(), theirs.get_weights(), strict=True):
            np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5)
    np.testing.assert_array_equal(gan.rng.state.numpy(), rng.state.numpy())  # same draws, same order
    assert {"d_loss", "g_loss", "d_real", "d_fake", "gradient_penalty"} <= set(logs)


def test_losses_passed_as_functions_are_the_ones_trained_on():
    """Least-squares GAN losses (Mao et al. 2017) given as functions: one SGD step equals the reference."""

    def lsgan_d(d_real, d_fake):
        return 0.5 * tf.reduce_mean((d_real - 1) ** 2) + 0.5 * tf.reduce_mean(d_fake**2)

    def lsgan_g(d_fake):
        return 0.5 * tf.reduce_mean((d_fake - 1) ** 2)

    g, d = tiny_models()
    gan = GAN(g, d, d_output="logits", d_loss_fn=lsgan_d, g_loss_fn=lsgan_g, seed=7)
    gan.compile(d_optimizer=keras.optimizers.SGD(LR), g_optimizer=keras.optimizers.SGD(LR))
    real = tf.constant(np.random.default_rng(4).standard_normal((BATCH, 2)), "float32")
    ref_g, ref_d, rng = copy_of(g), copy_of(d), gan.clone_rng()
    z = rng.normal((BATCH, LATENT))
    d_before = copy_of(ref_d)
    fake = ref_g(z, training=True)
    sgd_step(ref_d, lambda: lsgan_d(ref_d(real, training=True), ref_d(fake, training=True)))
    sgd_step(ref_g, lambda: lsgan_g(d_before(ref_g(z, training=True), training=True)))
    gan.train_on_batch(real)
    for ours, theirs in ((d, ref_d), (g, ref_g)):
        for a, b in zip(ours.get_weights(), theirs.get_weights(), strict=True):
            np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5)


def test_a_wgan_gp_generator_moves_towards_the_data():
    """1-D data N(4, 0.5^2); G(z) = a z + b starts at mean 0. A critic with the penalty has slope about 1,
    so G's mean moves at a roughly steady pace (about Adam's learning rate per step) and overshoots if left
    running: after 200 steps of WGAN-GP (5 critic steps each) it must have covered at least a quarter of
    the way without passing the data, and the critic must rate the data above the fakes (a wrong sign
    anywhere moves G away)."""
    keras.utils.set_random_seed(0)
    g = keras.Sequential(
        [keras.Input((1,)), layers.Dense(1, kernel_initializer="ones", bias_initializer="zeros")]
    )
    d = keras.Sequential([keras.Input((1,)), layers.Dense(16, activation="relu"), layers.Dense(1)])
    gan = GAN(g, d, d_output="critic", gradient_penalty=LAMBDA, d_steps=5, seed=0)
    gan.compile(
        d_optimizer=keras.optimizers.Adam(1e-2, beta_1=0.0, beta_2=0.9),
        g_optimizer=keras.optimizers.Adam(1e-2, beta_1=0.0, beta_2=0.9),
    )
    data = (4 + 0.5 * np.random.default_rng(0).standard_normal((64 * 200, 1))).astype("float32")
    history = gan.fit(data, batch_size=64, epochs=1, verbose=0).history
    mean = float(np.mean(gan.generate(2_000)))
    assert 1.0 < mean < 4.5, mean
    assert history["d_real"][-1] > history["d_fake"][-1]  # the critic's estimate of W1 is positive


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"d_steps": 0}, "d_steps must be a whole number >= 1"),
        ({"d_steps": 2.5}, "d_steps must be a whole number >= 1"),
        ({"gradient_penalty": -1.0}, "gradient_penalty must be a weight >= 0"),
        ({"d_loss_fn": "wasserstein"}, "d_loss_fn must be a function"),
        ({"d_output": "critic", "real_label": 0.9}, "leave real_label and g_loss at their defaults"),
        ({"d_output": "critic", "g_loss": "saturating"}, "leave real_label and g_loss at their defaults"),
    ],
)
def test_bad_settings_are_refused(kwargs, match):
    g, d = tiny_models()
    with pytest.raises(ValueError, match=match):
        GAN(g, d, **{"d_output": "logits", **kwargs})


def test_a_critic_with_a_sigmoid_is_refused():
    g, d = tiny_models(sigmoid=True)
    with pytest.raises(ValueError, match=r"critic.*unbounded scores: remove the sigmoid"):
        GAN(g, d, d_output="critic")


def test_default_gans_draw_nothing_for_the_penalty():
    """Without a penalty the trainer's draws are unchanged (the other reference tests rely on it)."""
    g, d = tiny_models()
    gan = GAN(g, d, d_output="logits", seed=9)
    gan.compile()
    rng = gan.clone_rng()
    gan.train_on_batch(np.zeros((BATCH, 2), "float32"))
    rng.normal((BATCH, LATENT))
    np.testing.assert_array_equal(gan.rng.state.numpy(), rng.state.numpy())
    assert "gradient_penalty" not in {m.name for m in gan.metrics}
