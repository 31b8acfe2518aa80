"""Chapter 10's models and experiments: the minibatch standard deviation layer, the DCGAN critic, ring
runs with a Wasserstein critic or a minibatch-std discriminator, and the 1-D critics (clipping vs penalty)."""

from __future__ import annotations

import keras
import numpy as np
import pytest

from gan_helpers.teaching.critics_1d import CONSTRAINTS, fit_critic_1d, plot_critics_1d
from gan_helpers.teaching.ring_experiments import RingSettings, train_on_ring
from gan_helpers.toolkit.models import (
    MinibatchStdDev,
    build_dcgan_critic,
    build_dcgan_discriminator,
    build_ring_discriminator,
)


# -- the minibatch standard deviation layer --------------------------------------------------------------
def test_minibatch_std_appends_the_mean_spread_of_the_batch():
    x = np.array([[0.0, 1.0, 5.0], [2.0, 1.0, 1.0], [4.0, 1.0, 3.0]], "float32")
    expected = np.mean(np.sqrt(x.var(axis=0) + 1e-8))  # population std per feature, averaged
    out = np.asarray(MinibatchStdDev()(x))
    assert out.shape == (3, 4)
    np.testing.assert_allclose(out[:, :3], x)
    np.testing.assert_allclose(out[:, 3], expected, rtol=1e-5)


def test_minibatch_std_tells_a_collapsed_batch_from_a_varied_one():
    collapsed = np.ones((16, 4), "float32")
    varied = np.random.default_rng(0).standard_normal((16, 4)).astype("float32")
    assert float(MinibatchStdDev()(collapsed)[0, -1]) == pytest.approx(1e-4, abs=1e-4)
    assert float(MinibatchStdDev()(varied)[0, -1]) > 0.5


def test_minibatch_std_refuses_images_and_survives_saving(tmp_path):
    with pytest.raises(ValueError, match="batch, features"):
        MinibatchStdDev().compute_output_shape((None, 7, 7, 3))
    d = build_ring_discriminator(minibatch_std=True)
    assert d.count_params() == 384 + 129 * 128 + 128 + 129  # the second Dense sees hidden + 1 features
    d.save(tmp_path / "d.keras")
    loaded = keras.saving.load_model(tmp_path / "d.keras", safe_mode=True)
    x = np.random.default_rng(1).standard_normal((8, 2)).astype("float32")
    np.testing.assert_allclose(loaded(x), d(x), rtol=1e-6)


def test_ring_discriminator_refuses_a_non_bool_switch():
    with pytest.raises(ValueError, match="True or False"):
        build_ring_discriminator(minibatch_std="yes")


# -- the DCGAN critic ------------------------------------------------------------------------------------
def test_dcgan_critic_has_no_batch_norm_and_scores_each_image_on_its_own():
    critic = build_dcgan_critic()
    kinds = [type(layer).__name__ for layer in critic.layers]
    assert "BatchNormalization" not in kinds and "LayerNormalization" in kinds
    # layer norm adds 2 * 7 * 7 * 64 parameters and the second conv keeps its bias (64) where the DCGAN
    # discriminator's batch norm had 4 * 64 (two of them not trainable)
    assert critic.count_params() == build_dcgan_discriminator().count_params() - 4 * 64 + 2 * 7 * 7 * 64 + 64
    images = np.random.default_rng(0).uniform(-1, 1, (6, 28, 28, 1)).astype("float32")
    alone = critic(images[:1], training=True)
    in_a_batch = critic(images, training=True)[:1]
    np.testing.assert_allclose(alone, in_a_batch, rtol=1e-5, atol=1e-6)


# -- ring runs with the chapter-10 settings --------------------------------------------------------------
def test_wgan_gp_settings_refuse_what_belongs_to_the_classic_gan():
    with pytest.raises(ValueError, match="real_label"):
        RingSettings(objective="wgan_gp", real_label=0.9)
    with pytest.raises(ValueError, match="one or the other"):
        RingSettings(objective="wgan_gp", minibatch_std=True)
    with pytest.raises(ValueError, match="objective"):
        RingSettings(objective="wasserstein")
    with pytest.raises(ValueError, match="final_lr"):
        RingSettings(final_lr=1.5)
    with pytest.raises(ValueError, match="d_steps"):
        RingSettings(d_steps=0)


def test_a_wgan_gp_ring_run_counts_generator_steps_and_logs_the_penalty():
    settings = RingSettings(objective="wgan_gp", d_steps=3, steps=20, batch_size=32, beta_1=0.0, beta_2=0.9)
    run = train_on_ring(settings, seed=0, record_every=10, n_samples=50)
    assert run.steps == [0, 10, 20]  # generator updates, not critic updates (60 of those)
    assert "gradient_penalty" in run.history and len(run.history["gradient_penalty"]) == 2
    assert all(np.isfinite(run.history["d_loss"]))


def test_cosine_decay_reaches_the_final_share_of_the_rate():
    settings = RingSettings(steps=20, batch_size=32, final_lr=0.1, minibatch_std=True)
    run = train_on_ring(settings, seed=0, record_every=20, n_samples=50)
    assert run.final.samples == 50
    from gan_helpers.teaching.ring_experiments import _adam

    adam = _adam(settings, 1e-3, updates=20)
    assert float(adam.learning_rate) == pytest.approx(1e-3)
    adam.iterations.assign(20)
    assert float(adam._get_current_learning_rate()) == pytest.approx(1e-4, rel=1e-5)


# -- the 1-D critics -----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def critics():
    return {c: fit_critic_1d(c, shift=2.0, steps=400, seed=0) for c in CONSTRAINTS}


def test_the_penalised_critic_estimates_w1_and_has_slope_near_one(critics):
    fit = critics["penalty"]
    assert fit.true_w1 == 2.0
    assert fit.final_estimate == pytest.approx(2.0, rel=0.15)
    assert fit.slope == pytest.approx(1.0, abs=0.15)
    assert fit.scores[fit.grid < 0.25].mean() > fit.scores[fit.grid > 2.0].mean()  # higher on the data


def test_clipping_keeps_the_critic_tiny_and_no_constraint_lets_it_explode(critics):
    assert 0 < critics["clipping"].final_estimate < 0.05  # W1 times an unknown, small constant
    assert critics["clipping"].slope < 0.05
    assert critics["none"].final_estimate > 100 * critics["penalty"].final_estimate


def test_critic_figure_and_bad_input(critics):
    fig = plot_critics_1d(list(critics.values()))
    assert len(fig.axes) >= 4
    with pytest.raises(ValueError, match="disjoint"):
        fit_critic_1d("penalty", shift=0.3, width=0.5)
    with pytest.raises(ValueError, match="constraint"):
        fit_critic_1d("spectral")
    with pytest.raises(ValueError, match="steps"):
        fit_critic_1d("penalty", steps=0)
    with pytest.raises(ValueError, match="CriticFit1D"):
        plot_critics_1d([])
