"""The divergence guard: a NaN or infinite loss or weight stops training at the step it appears, sets the
networks, optimizers and random generator back to the last good state, and says why it happens."""

from __future__ import annotations

import keras
import numpy as np
import pytest
import tensorflow as tf
from keras import layers

from gan_helpers.toolkit.callbacks import CheckpointEveryEpoch, StopOnDivergence, TrainingDivergedError
from gan_helpers.toolkit.checkpoints import GANCheckpoint
from gan_helpers.toolkit.training import GAN

BATCH = 8
STEPS_PER_EPOCH = 4


def tiny_gan(steps_per_execution: int = 1, g_optimizer=None, d_optimizer=None, hidden: str = "relu") -> GAN:
    keras.utils.set_random_seed(0)
    g = keras.Sequential(
        [keras.Input((4,)), layers.Dense(8, activation="relu"), layers.Dense(16), layers.Reshape((4, 4, 1))]
    )
    d = keras.Sequential(
        [keras.Input((4, 4, 1)), layers.Flatten(), layers.Dense(8, activation=hidden), layers.Dense(1)]
    )
    gan = GAN(g, d, d_output="logits", seed=0)
    gan.compile(d_optimizer=d_optimizer, g_optimizer=g_optimizer, steps_per_execution=steps_per_execution)
    return gan


def data_with_nan_in_batch(k: int | None, batches: int = 40) -> tf.data.Dataset:
    """Batches of 8 random 4x4 images, in order; every image of batch ``k`` (counted from 0) is NaN."""
    images = np.random.default_rng(0).random((batches * BATCH, 4, 4, 1)).astype("float32")
    if k is not None:
        images[k * BATCH : (k + 1) * BATCH] = np.nan
    return tf.data.Dataset.from_tensor_slices(images).batch(BATCH).repeat()


class KeepStates(keras.callbacks.Callback):
    """Everything the guard restores, copied at every epoch end (listed before the guard)."""

    def __init__(self) -> None:
        super().__init__()
        self.states: dict[int, list[np.ndarray]] = {}

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        step = int(self.model.g_optimizer.iterations.numpy())
        self.states.setdefault(step, state_of(self.model))


def state_of(gan: GAN) -> list[np.ndarray]:
    variables = gan.generator.weights + gan.discriminator.weights
    variables += gan.g_optimizer.variables + gan.d_optimizer.variables + [gan.rng.state]
    return [np.array(v.numpy()) for v in variables]


def assert_state(gan: GAN, expected: list[np.ndarray]) -> None:
    actual = state_of(gan)
    assert len(actual) == len(expected)
    for a, b in zip(expected, actual, strict=True):
        assert np.array_equal(a, b)
    assert all(np.isfinite(w).all() for w in gan.generator.get_weights() + gan.discriminator.get_weights())


def test_a_nan_batch_stops_training_at_its_step_and_restores_the_last_good_epoch(capsys):
    # A NaN can hide: on a CPU the discriminator's fused Dense + relu turns NaN inputs into 0, so every
    # logged loss stays finite while its first layer's weights are NaN. The weights give it away.
    gan = tiny_gan(hidden="relu")
    keep, guard = KeepStates(), StopOnDivergence()
    # batch 9 (from 0) is step 10, in epoch 3 of 4 steps each: epochs 1 and 2 ended well, at step 8
    history = gan.fit(
        data_with_nan_in_batch(9),
        epochs=6,
        steps_per_epoch=STEPS_PER_EPOCH,
        verbose=0,
        callbacks=[keep, guard],
    )
    assert history.epoch == [0, 1, 2]  # stopped in the third epoch, not six
    assert guard.diverged_at == 10 and guard.window == (10, 10) and guard.restored_step == 8
    assert_state(gan, keep.states[8])
    printed = capsys.readouterr().out
    assert guard.message is not None and guard.message in printed
    assert (
        "Training diverged at step 10, in epoch 3: NaN or infinite weights in the discriminator." in printed
    )
    for cause in ("learning rate too high", "log of zero", "d_output='logits'", "np.isfinite(images).all()"):
        assert cause in printed
    assert "set back to step 8 (a copy kept at the end of the last good epoch)" in printed


def test_with_steps_per_execution_it_names_the_window_and_restores_from_the_checkpoint(tmp_path):
    gan = tiny_gan(steps_per_execution=STEPS_PER_EPOCH, hidden="tanh")  # tanh keeps the NaN: NaN losses
    checkpoint = GANCheckpoint.from_gan(gan, tmp_path)
    checkpoint.restore()
    keep = KeepStates()
    guard = StopOnDivergence(checkpoint=checkpoint, raise_error=True)
    with pytest.raises(TrainingDivergedError, match=r"at step 12 \(in one of steps 9-12: .*every 4 steps"):
        gan.fit(
            data_with_nan_in_batch(9),
            epochs=6,
            steps_per_epoch=STEPS_PER_EPOCH,
            verbose=0,
            callbacks=[CheckpointEveryEpoch(checkpoint), keep, guard],
        )
    assert guard.window == (9, 12) and guard.restored_step == 8
    assert "the latest checkpoint, ckpt-8" in str(guard.message) and "d_loss = nan" in str(guard.message)
    assert_state(gan, keep.states[8])
    assert checkpoint.latest.endswith("ckpt-8")  # nothing diverged was ever saved


def test_a_learning_rate_that_blows_up_goes_back_to_where_fit_began(capsys):
    # every step multiplies the weights' size: they overflow float32 within a few steps
    gan = tiny_gan(g_optimizer=keras.optimizers.SGD(1e12), d_optimizer=keras.optimizers.SGD(1e12))
    guard = StopOnDivergence(verbose=False)
    history = gan.fit(
        data_with_nan_in_batch(None), epochs=3, steps_per_epoch=10, verbose=0, callbacks=[guard]
    )
    assert history.epoch == [0] and guard.diverged_at is not None and 1 < guard.diverged_at <= 10
    assert guard.restored_step == 0 and "a copy kept when this fit() began" in guard.message
    assert "learning rate too high" in guard.message and capsys.readouterr().out == ""
    fresh = tiny_gan()  # the same seed: the weights the guarded run started from
    for a, b in zip(fresh.generator.get_weights(), gan.generator.get_weights(), strict=True):
        assert np.array_equal(a, b)


def test_weights_that_are_already_nan_are_refused_before_training():
    gan = tiny_gan()
    gan.discriminator.layers[-1].kernel.assign(np.full((8, 1), np.inf, "float32"))
    with pytest.raises(TrainingDivergedError, match=r"discriminator already has NaN or infinite weights"):
        gan.fit(
            data_with_nan_in_batch(None),
            epochs=1,
            steps_per_epoch=2,
            verbose=0,
            callbacks=[StopOnDivergence()],
        )


def test_a_guarded_run_that_does_not_diverge_is_unchanged_bit_for_bit():
    unguarded = tiny_gan(steps_per_execution=2)
    unguarded.fit(data_with_nan_in_batch(None), epochs=2, steps_per_epoch=STEPS_PER_EPOCH, verbose=0)
    guarded = tiny_gan(steps_per_execution=2)
    guard = StopOnDivergence()
    guarded.fit(
        data_with_nan_in_batch(None), epochs=2, steps_per_epoch=STEPS_PER_EPOCH, verbose=0, callbacks=[guard]
    )
    assert guard.diverged_at is None
    assert_state(guarded, state_of(unguarded))


def test_the_guard_needs_a_checkpoint_object_or_none():
    with pytest.raises(TypeError, match="GANCheckpoint"):
        StopOnDivergence(checkpoint="checkpoints/")
