"""Chapter 10's measurements: the exact W1 of two point clouds, the critic's trace on the ring, the MNIST race
(score measured as training goes) and their figures."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from gan_helpers.teaching.ring_experiments import RingSettings, summarize, train_on_ring
from gan_helpers.teaching.wgan_experiments import (
    exact_w1,
    plot_final_samples,
    plot_race,
    plot_race_samples,
    plot_w1_trace,
    race,
    w1_trace,
)
from gan_helpers.toolkit import recipes
from gan_helpers.toolkit.data import make_dataset


def test_exact_w1_is_the_cheapest_matching_found_by_brute_force():
    rng = np.random.default_rng(0)
    a, b = rng.standard_normal((6, 2)), rng.standard_normal((6, 2)) + 1
    brute = min(
        np.mean(np.linalg.norm(a - b[list(order)], axis=1)) for order in itertools.permutations(range(6))
    )
    assert exact_w1(a, b) == pytest.approx(brute, rel=1e-12)


def test_exact_w1_of_a_shifted_cloud_is_the_shift():
    a = np.random.default_rng(1).standard_normal((50, 2))
    assert exact_w1(a, a + np.array([3.0, 4.0])) == pytest.approx(5.0, rel=1e-9)
    assert exact_w1(a, a) == 0.0


def test_exact_w1_refuses_bad_clouds():
    with pytest.raises(ValueError, match="same shape"):
        exact_w1(np.zeros((3, 2)), np.zeros((4, 2)))
    with pytest.raises(ValueError, match="NaN"):
        exact_w1(np.full((3, 2), np.nan), np.zeros((3, 2)))


@pytest.fixture(scope="module")
def wgan_run():
    settings = RingSettings(objective="wgan_gp", d_steps=2, steps=60, batch_size=64, beta_1=0.0, beta_2=0.9)
    return train_on_ring(settings, seed=0, record_every=20, n_samples=100)


def test_the_w1_trace_compares_the_critic_with_the_exact_distance(wgan_run):
    trace = w1_trace(wgan_run, points=100)
    assert list(trace.steps) == [20, 40, 60]
    history = wgan_run.history
    np.testing.assert_allclose(trace.estimate, np.subtract(history["d_real"], history["d_fake"]))
    assert np.all(trace.exact > 0)
    assert len(plot_w1_trace(wgan_run, trace).axes) == 3
    assert len(plot_final_samples([summarize("wgan", [wgan_run])]).axes) == 1


def test_the_w1_trace_refuses_a_classifier_run():
    run = train_on_ring(RingSettings(steps=20, batch_size=32), seed=0, record_every=20, n_samples=50)
    with pytest.raises(ValueError, match="classifier"):
        w1_trace(run)


class FakeJudge:
    """Scores a generator by its mean pixel: the race's bookkeeping checked without the classifier."""

    samples = 8

    def judge(self, name, images, seconds=0.0, trained_on=None):
        from types import SimpleNamespace

        return SimpleNamespace(score=float(images.mean()) * 10, fd=1.0 + float(images.std()), classes=3)


def test_a_race_records_every_chunk_on_the_same_noise():
    gan = recipes.wgan_gp(base_filters=2, d_steps=1)
    gan.compile()
    images = np.random.default_rng(0).uniform(-1, 1, (32, 28, 28, 1)).astype("float32")
    z = np.random.default_rng(1).standard_normal((8, 100)).astype("float32")
    record = race("wgan", gan, make_dataset(images, batch_size=8, seed=0).repeat(), 4, 2, FakeJudge(), z)
    assert record.steps == [2, 4]
    assert record.seconds[1] > record.seconds[0] > 0
    expected = np.clip((gan.generator(z, training=False).numpy() + 1) / 2, 0, 1)
    np.testing.assert_allclose(record.samples, expected, rtol=1e-6)
    assert record.score[-1] == pytest.approx(expected.mean() * 10, rel=1e-5)
    assert len(plot_race([record], floor=0.3).axes) == 3
    assert len(plot_race_samples([record], count=4).axes) == 1
    with pytest.raises(ValueError, match="multiple"):
        race("wgan", gan, None, 5, 2, FakeJudge(), z)


def test_ring_methods_share_everything_but_the_objective_and_take_steps_per_method():
    from gan_helpers.teaching.wgan_experiments import RING_METHODS, ring_methods

    methods = ring_methods({name: 10 * (i + 1) for i, name in enumerate(RING_METHODS)})
    assert [m.steps for m in methods.values()] == [10, 20, 30]
    assert {m.batch_size for m in methods.values()} == {256}
    assert {m.final_lr for m in methods.values()} == {0.0}
    assert methods["WGAN-GP"].objective == "wgan_gp" and methods["WGAN-GP"].d_steps == 5
    assert methods["minibatch-std D"].minibatch_std and not methods["non-saturating GAN"].minibatch_std
    with pytest.raises(ValueError, match="exactly these methods"):
        ring_methods({"WGAN-GP": 10})


def test_race_contenders_differ_only_where_the_chapter_says():
    from gan_helpers.teaching.wgan_experiments import MNIST_WGAN_LR, race_contenders

    contenders = race_contenders(base_filters=2, seed=0)
    (plain, plain_batch), (critic_gan, critic_batch) = (
        contenders["non-saturating DCGAN"],
        contenders["WGAN-GP"],
    )
    assert (plain_batch, critic_batch) == (128, 64)
    assert plain.d_output == "logits" and critic_gan.d_output == "critic"
    assert critic_gan.gradient_penalty == 10.0 and critic_gan.d_steps == 5
    assert float(critic_gan.d_optimizer.beta_1) == 0.0 and float(critic_gan.d_optimizer.beta_2) == 0.9
    assert float(critic_gan.g_optimizer.learning_rate) == pytest.approx(MNIST_WGAN_LR)
    assert "BatchNormalization" not in [type(layer).__name__ for layer in critic_gan.discriminator.layers]
    z = np.random.default_rng(0).standard_normal((2, 100)).astype("float32")
    np.testing.assert_allclose(
        plain.generator(z), critic_gan.generator(z), rtol=1e-6
    )  # same seed, same start


def test_the_w1_floor_is_the_distance_between_two_real_samples(wgan_run):
    from gan_helpers.teaching.ring_experiments import RING
    from gan_helpers.teaching.toy2d import sample_ring

    trace = w1_trace(wgan_run, points=100, seed=3)
    expected = exact_w1(sample_ring(100, seed=4, **RING), sample_ring(100, seed=3, **RING))
    assert trace.floor == pytest.approx(expected) and 0 < trace.floor < 1
