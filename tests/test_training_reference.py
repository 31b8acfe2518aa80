"""One ``GAN.train_step`` against a reference computed here, independently of the trainer.

With plain SGD (``w <- w - lr * grad``), one step must move D's weights by exactly ``-lr * dL_D/dθ_D``
and G's by ``-lr * dL_G/dθ_G``. The test computes both gradients itself with Keras's
``BinaryCrossentropy`` on the same real batch, the same noise z and the same random draws (augmentation,
instance noise), repeated from a copy of the trainer's random generator (``GAN.clone_rng``) in the order
the trainer documents: z; D's view of the real batch (augment, then instance noise); D's view of the fakes
(the same); and, when alternating, D's view of the fakes again after D's update.
"""

from __future__ import annotations

from dataclasses import dataclass

import keras
import numpy as np
import pytest
import tensorflow as tf
from keras import layers

from gan_helpers.toolkit.augment import RandomShift
from gan_helpers.toolkit.training import GAN
from tests.reference_steps import bce, copy_of

LATENT, BATCH, LR = 3, 6, 0.5


@dataclass(frozen=True)
class Case:
    d_output: str = "probability"
    g_loss: str = "non_saturating"
    update: str = "simultaneous"
    real_label: float = 1.0
    instance_noise: float = 0.0
    shift: int = 0  # RandomShift pixels (0 = no augmentation)
    jit_compile: bool = False

    def __str__(self) -> str:
        return "-".join(
            f"{k}={v}" for k, v in self.__dict__.items() if v != Case.__dataclass_fields__[k].default
        )


CASES = [
    Case(d_output=d_output, g_loss=g_loss, update=update)
    for d_output in ("probability", "logits")
    for g_loss in ("non_saturating", "saturating")
    for update in ("simultaneous", "alternating")
] + [
    Case(real_label=0.9),
    Case(d_output="logits", real_label=0.9, update="alternating"),
    Case(instance_noise=0.3),
    Case(d_output="logits", instance_noise=0.3, update="alternating"),
    Case(shift=1),
    Case(d_output="logits", shift=1, update="alternating"),
    Case(d_output="logits", g_loss="saturating", real_label=0.9, instance_noise=0.2, shift=1),
    Case(
        d_output="logits", real_label=0.9, instance_noise=0.2, shift=1, update="alternating", jit_compile=True
    ),
]


def tiny_models(logits: bool) -> tuple[keras.Model, keras.Model]:
    g = keras.Sequential(
        [keras.Input((LATENT,)), layers.Dense(16, activation="sigmoid"), layers.Reshape((4, 4, 1))]
    )
    d = keras.Sequential(
        [
            keras.Input((4, 4, 1)),
            layers.Flatten(),
            layers.Dense(5, activation="tanh"),
            layers.Dense(1, activation=None if logits else "sigmoid"),
        ]
    )
    return g, d


def d_view(samples: tf.Tensor, rng: tf.random.Generator, case: Case, shift: RandomShift | None) -> tf.Tensor:
    if shift is not None:
        samples = shift(samples, rng)
    if case.instance_noise > 0:
        samples = samples + case.instance_noise * rng.normal(tf.shape(samples))
    return samples


def reference_step(
    g: keras.Model, d: keras.Model, real: np.ndarray, rng: tf.random.Generator, case: Case, shift
) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """The weights of (G, D) after one SGD step, computed from Keras's BCE on copies of the models."""
    logits = case.d_output == "logits"
    g_copy, d_copy = copy_of(g), copy_of(d)
    real = tf.constant(real)
    # Under XLA the generator's numbers differ from eager ones (XLA's own Philox kernels): the reference
    # then makes its draws in XLA-compiled functions too.
    xla = (lambda fn: tf.function(fn, jit_compile=True)) if case.jit_compile else (lambda fn: fn)
    z = xla(lambda: rng.normal((BATCH, LATENT)))()

    def view(samples: tf.Tensor) -> tf.Tensor:
        return xla(lambda s: d_view(s, rng, case, shift))(samples)

    def losses_on(d_model: keras.Model, fake: tf.Tensor) -> tuple[tf.Tensor, tf.Tensor]:
        d_real = d_model(view(real), training=True)
        d_fake = d_model(view(fake), training=True)
        l_d = bce(case.real_label, d_real, logits) + bce(0.0, d_fake, logits)
        return l_d, d_fake

    def g_loss_of(d_fake: tf.Tensor) -> tf.Tensor:
        if case.g_loss == "non_saturating":
            return bce(1.0, d_fake, logits)  # -E[log D(G(z))]
        return -bce(0.0, d_fake, logits)  # E[log(1 - D(G(z)))]

    with tf.GradientTape(persistent=True) as tape:
        fake = g_copy(z, training=True)
        l_d, d_fake = losses_on(d_copy, fake)
        l_g = g_loss_of(d_fake)
    d_grads = tape.gradient(l_d, d_copy.trainable_weights)
    d_after = [w.numpy() - LR * gr.numpy() for w, gr in zip(d_copy.trainable_weights, d_grads, strict=True)]
    if case.update == "alternating":
        d_updated = copy_of(d, d_after)  # G is trained against D after its SGD step
        with tf.GradientTape() as tape:
            fake = g_copy(z, training=True)
            l_g = g_loss_of(d_updated(view(fake), training=True))
        g_grads = tape.gradient(l_g, g_copy.trainable_weights)
    else:
        g_grads = tape.gradient(l_g, g_copy.trainable_weights)
    g_after = [w.numpy() - LR * gr.numpy() for w, gr in zip(g_copy.trainable_weights, g_grads, strict=True)]
    return g_after, d_after


def assert_weights(actual: list[np.ndarray], expected: list[np.ndarray], before: list[np.ndarray]) -> None:
    for a, e, b in zip(actual, expected, before, strict=True):
        np.testing.assert_allclose(a, e, rtol=1e-5, atol=1e-6)
        assert not np.allclose(e, b)  # the step really moved these weights


@pytest.mark.parametrize("case", CASES, ids=str)
def test_one_sgd_step_moves_each_network_by_minus_lr_times_its_own_gradient(case):
    keras.utils.set_random_seed(0)
    g, d = tiny_models(case.d_output == "logits")
    shift = RandomShift(case.shift) if case.shift else None
    gan = GAN(
        g,
        d,
        d_output=case.d_output,
        g_loss=case.g_loss,
        update=case.update,
        real_label=case.real_label,
        instance_noise=case.instance_noise,
        augment=shift,
        seed=3,
    )
    gan.compile(
        d_optimizer=keras.optimizers.SGD(LR),
        g_optimizer=keras.optimizers.SGD(LR),
        jit_compile=case.jit_compile,
    )
    real = np.random.default_rng(1).random((BATCH, 4, 4, 1)).astype("float32")
    g_before, d_before = g.get_weights(), d.get_weights()
    rng = gan.clone_rng()
    g_expected, d_expected = reference_step(g, d, real, rng, case, shift)

    gan.train_on_batch(real)

    assert_weights(d.get_weights(), d_expected, d_before)
    assert_weights(g.get_weights(), g_expected, g_before)
    # The step made exactly the draws the reference made: the two generators are in the same state.
    np.testing.assert_array_equal(gan.rng.state.numpy(), rng.state.numpy())


@pytest.mark.parametrize("jit_compile", [False, True])
def test_instance_noise_raised_later_is_honoured_exactly(jit_compile):
    """A GAN built without instance noise, already trained (its step traced) with it off: raising the
    variable makes the next step match the reference with noise."""
    keras.utils.set_random_seed(0)
    g, d = tiny_models(logits=True)
    gan = GAN(g, d, d_output="logits", seed=5)
    gan.compile(
        d_optimizer=keras.optimizers.SGD(LR), g_optimizer=keras.optimizers.SGD(LR), jit_compile=jit_compile
    )
    real = np.random.default_rng(2).random((BATCH, 4, 4, 1)).astype("float32")
    gan.train_on_batch(real)  # traced with the noise off
    gan.instance_noise.assign(0.3)
    g_before, d_before = g.get_weights(), d.get_weights()
    rng = gan.clone_rng()
    case = Case(d_output="logits", instance_noise=0.3, jit_compile=jit_compile)
    g_expected, d_expected = reference_step(g, d, real, rng, case, None)
    gan.train_on_batch(real)
    assert_weights(d.get_weights(), d_expected, d_before)
    assert_weights(g.get_weights(), g_expected, g_before)


def test_instance_noise_raised_later_takes_effect_with_xla_and_several_steps_per_execution():
    def trained(noise_after_first_fit: float) -> list[np.ndarray]:
        keras.utils.set_random_seed(0)
        g, d = tiny_models(logits=True)
        gan = GAN(g, d, d_output="logits", seed=5)
        gan.compile(jit_compile=True, steps_per_execution=2)
        data = np.random.default_rng(2).random((8, 4, 4, 1)).astype("float32")
        gan.fit(data, batch_size=4, epochs=1, shuffle=True, verbose=0)
        gan.instance_noise.assign(noise_after_first_fit)
        gan.fit(data, batch_size=4, epochs=1, verbose=0)
        return d.get_weights()

    quiet, quiet_again, noisy = trained(0.0), trained(0.0), trained(0.5)
    assert all(np.array_equal(a, b) for a, b in zip(quiet, quiet_again, strict=True))  # repeatable
    assert not all(np.allclose(a, b) for a, b in zip(quiet, noisy, strict=True))  # the noise took effect


def test_clone_rng_does_not_move_the_trainers_generator():
    gan = GAN(*tiny_models(logits=True), d_output="logits", seed=0)
    state = gan.rng.state.numpy().copy()
    copy = gan.clone_rng()
    first = copy.normal((3,)).numpy()
    np.testing.assert_array_equal(gan.rng.state.numpy(), state)
    np.testing.assert_array_equal(gan.rng.normal((3,)).numpy(), first)


def test_update_must_be_one_of_the_two_orders():
    with pytest.raises(ValueError, match=r"update must be 'simultaneous'.*or 'alternating'"):
        GAN(*tiny_models(logits=True), d_output="logits", update="d_first")
