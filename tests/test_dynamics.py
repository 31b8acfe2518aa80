"""Chapter 05's machinery: instance noise and gradient norms in the trainer, ring runs and their
summaries, the gradient trace, sample diversity, the ring figures and the experiment widget."""

from __future__ import annotations

import matplotlib
import numpy as np
import pytest

import gan_helpers as gh
from gan_helpers import ring_plots
from gan_helpers.teaching.conv_diagrams import (
    overlap_counts,
    plot_generator_shapes,
    plot_transposed_convolution,
    transposed_conv2d,
)
from gan_helpers.teaching.diagnostics import (
    class_mean_images,
    generator_gradient_trace,
    nearest_mean_shares,
    sample_diversity,
    template_class_shares,
)
from gan_helpers.teaching.mnist_experiments import plot_class_history, plot_mnist_runs, train_chapter_gan
from gan_helpers.teaching.ring_experiments import (
    RingSettings,
    compare_settings,
    mode_shares,
    ring_coverage_or_diverged,
    summarize,
    train_on_ring,
)
from gan_helpers.teaching.toy2d import ring_centers, sample_ring
from gan_helpers.toolkit.callbacks import AnnealInstanceNoise
from gan_helpers.toolkit.models import build_ring_discriminator, build_ring_generator
from gan_helpers.toolkit.training import GAN

matplotlib.use("Agg")
TINY = RingSettings(steps=40, batch_size=32)


@pytest.fixture(scope="module")
def tiny_run():
    return train_on_ring(TINY, seed=3, record_every=10, n_samples=100)


def test_a_ring_run_records_samples_metrics_and_history_at_each_record(tiny_run):
    assert tiny_run.steps == [0, 10, 20, 30, 40]
    assert all(p.shape == (100, 2) for p in tiny_run.samples)
    assert len(tiny_run.coverage) == 5 and tiny_run.final is tiny_run.coverage[-1]
    for key in ("d_loss", "g_loss", "d_real", "d_fake", "d_grad_norm", "g_grad_norm"):
        assert len(tiny_run.history[key]) == 4, key
    assert all(v > 0 for v in tiny_run.history["g_grad_norm"])
    assert tiny_run.seconds > 0


def test_the_same_seed_gives_the_same_run(tiny_run):
    again = train_on_ring(TINY, seed=3, record_every=10, n_samples=100, reuse=False)
    np.testing.assert_allclose(again.samples[-1], tiny_run.samples[-1], rtol=1e-5, atol=1e-5)


def test_ring_settings_refuse_bad_values_with_a_hint():
    with pytest.raises(ValueError, match="g_loss"):
        RingSettings(g_loss="wasserstein")
    with pytest.raises(ValueError, match="d_lr"):
        RingSettings(d_lr=0)
    with pytest.raises(ValueError, match="beta_1"):
        RingSettings(beta_1=1.0)
    with pytest.raises(ValueError, match="real_label"):
        RingSettings(real_label=0.4)
    with pytest.raises(ValueError, match="steps"):
        RingSettings(steps=0)
    assert RingSettings().changed(beta_1=0.5).beta_1 == 0.5
    with pytest.raises(ValueError, match="multiple of record_every"):
        train_on_ring(RingSettings(steps=50), record_every=20)


def test_remedies_reach_the_trainer():
    run = train_on_ring(
        TINY.changed(g_loss="saturating", real_label=0.9, instance_noise=0.2),
        seed=0,
        record_every=20,
        n_samples=50,
    )
    assert run.steps == [0, 20, 40]
    assert run.history["g_loss"][-1] < 0  # the saturating loss E[log(1 - D(G(z)))] is negative


def test_summaries_give_mean_and_std_over_seeds(tiny_run):
    summary = summarize("tiny", [tiny_run, tiny_run])
    assert summary.modes_mean == tiny_run.final.modes_covered and summary.modes_std == 0
    assert "2 seeds" in str(summary)
    with pytest.raises(ValueError):
        summarize("none", [])
    results = compare_settings({"a": TINY}, seeds=[0, 1], progress=False, record_every=20, n_samples=50)
    assert [len(r.runs) for r in results] == [2]


def test_mode_shares_count_high_quality_points_per_mode():
    centers = ring_centers()
    points = np.concatenate(
        [np.repeat(centers[:1], 6, axis=0), np.repeat(centers[5:6], 2, axis=0), [[0.0, 0.0], [9.0, 9.0]]]
    )
    np.testing.assert_allclose(mode_shares(points), [0.6, 0, 0, 0, 0, 0.2, 0, 0])
    with pytest.raises(ValueError, match=r"\(n, 2\)"):
        mode_shares(np.zeros((3, 3)))


def test_a_diverged_generator_covers_nothing_instead_of_crashing():
    result = ring_coverage_or_diverged(np.full((10, 2), np.nan))
    assert result.modes_covered == 0 and result.high_quality_share == 0


def test_instance_noise_is_annealed_to_zero_and_must_be_switched_on():
    g, d = build_ring_generator(4, 8), build_ring_discriminator(8)
    gan = GAN(g, d, d_output="logits", instance_noise=0.5, seed=0)
    gan.compile()
    data = sample_ring(64, seed=0)
    gan.fit(data, batch_size=16, epochs=1, callbacks=[AnnealInstanceNoise(2)], verbose=0)
    assert float(gan.instance_noise.numpy()) == 0.0
    plain = GAN(build_ring_generator(4, 8), build_ring_discriminator(8), d_output="logits", seed=0)
    plain.compile()
    with pytest.raises(ValueError, match="instance_noise"):
        plain.fit(data, batch_size=16, epochs=1, callbacks=[AnnealInstanceNoise(2)], verbose=0)
    with pytest.raises(ValueError, match="instance_noise"):
        GAN(build_ring_generator(4, 8), build_ring_discriminator(8), instance_noise=-1)


def test_gradient_trace_shows_the_saturating_gradient_dying_as_d_wins():
    gh.seed_everything(0)
    trace = generator_gradient_trace(
        build_ring_generator(8, 32),
        build_ring_discriminator(32),
        sample_ring(2000, seed=0),
        d_steps=150,
        record_every=50,
        batch_size=64,
        d_lr=3e-3,
    )
    assert list(trace.d_steps) == [0, 50, 100, 150]
    assert trace.d_fake[-1] < 0.1  # D has learned to reject the frozen generator
    assert trace.saturating[-1] < trace.non_saturating[-1] / 5
    with pytest.raises(ValueError, match=r"shape \(N, 2\)"):
        generator_gradient_trace(build_ring_generator(), build_ring_discriminator(), np.zeros((500, 3)))


def test_sample_diversity_is_one_for_the_data_itself_and_small_for_copies():
    rng = np.random.default_rng(0)
    data = rng.random((500, 28, 28, 1))
    assert sample_diversity(data[:250], data[250:]) == pytest.approx(1.0, abs=0.05)
    copies = np.repeat(data[:2], 100, axis=0)
    assert sample_diversity(copies, data) < 0.6
    with pytest.raises(ValueError, match="at least 2"):
        sample_diversity(data[:1], data)


def test_ring_figures_draw_without_errors(tiny_run):
    runs = {"a": tiny_run, "b": tiny_run}
    summary = summarize("tiny", [tiny_run])
    figures = [
        ring_plots.plot_ring_data(sample_ring(200, seed=0)),
        ring_plots.plot_snapshots(runs, columns=3),
        ring_plots.plot_mode_shares(runs),
        ring_plots.plot_training_curves(runs),
        ring_plots.plot_settings_comparison([summary, summary]),
        ring_plots.plot_run_summary(tiny_run),
    ]
    assert all(len(f.axes) >= 1 for f in figures)
    assert len(figures[1].axes) == 6


def test_ring_experiment_widget_trains_on_click_and_reports_errors():
    box = gh.widgets.ring_experiment(steps=200, train_now=False)
    assert box.last_run is None
    box.train()
    assert box.last_run is not None and box.last_run.steps[-1] == 200
    assert "modes covered" in box.status.value
    out = box.children[-1]
    assert "image/png" in out.outputs[0]["data"]


def test_template_classes_label_real_digits_mostly_right_and_spot_a_single_digit():
    images, labels = gh.load_mnist(source="subset", verbose=False)
    shares = template_class_shares(images[labels == 3][:50], images, labels)
    assert shares.shape == (10,) and shares.sum() == pytest.approx(1.0)
    assert shares.argmax() == 3 and shares[3] > 0.5
    with pytest.raises(ValueError, match="same image shape"):
        template_class_shares(images[:5, :14], images, labels)
    with pytest.raises(ValueError, match="labels"):
        template_class_shares(images[:5], images, labels[:10])
    means = class_mean_images(images, labels)
    np.testing.assert_allclose(nearest_mean_shares(means.reshape(10, 28, 28, 1), means), np.full(10, 0.1))


def test_a_short_chapter_gan_run_records_what_notebook_05_plots():
    images, labels = gh.load_mnist(source="subset", verbose=False)
    run = train_chapter_gan(images[::10], labels[::10], "tiny", steps=20, record_every=10, n_samples=8)
    assert run.steps == [10, 20] and run.samples.shape == (8, 28, 28, 1)
    assert run.class_shares.shape == (10,) and run.generator is not None
    assert set(run.history) >= {"d_loss", "g_loss", "d_real", "d_fake", "g_grad_norm", "d_grad_norm"}
    assert len(plot_mnist_runs({"tiny": run}).axes) == 4
    assert run.class_history.shape == (2, 10)
    np.testing.assert_allclose(run.class_history.sum(axis=1), 1.0)
    assert len(plot_class_history([run, run]).axes) == 3  # two heat maps and a colour bar
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        train_chapter_gan(images[:256] * 2 - 1, labels[:256], "wrong range", steps=10, record_every=10)
    with pytest.raises(ValueError, match="multiple of record_every"):
        train_chapter_gan(images[:256], labels[:256], "x", steps=15, record_every=10)


def test_check_ring_run_explains_what_is_missing(capsys, tiny_run):
    gh.exercises.check("05.2", None)
    assert "❌" in capsys.readouterr().out
    assert "modes covered" in gh.exercises.ring_run_problem(tiny_run, min_modes=9)
    assert gh.exercises.ring_run_problem(tiny_run, min_modes=0, min_quality=0.0) is None
    assert "replace" not in (gh.exercises.ring_run_problem("a string") or "")


def test_transposed_convolution_by_hand_matches_keras():
    import keras

    rng = np.random.default_rng(0)
    x, kernel = rng.normal(size=(3, 4)), rng.normal(size=(5, 3))
    layer = keras.layers.Conv2DTranspose(1, (5, 3), strides=2, padding="valid", use_bias=False)
    layer.build((None, 3, 4, 1))
    layer.set_weights([kernel[:, :, None, None]])
    expected = layer(x[None, :, :, None]).numpy()[0, :, :, 0]
    np.testing.assert_allclose(transposed_conv2d(x, kernel, stride=2), expected, atol=1e-5)
    inner = overlap_counts(7, 4)[4:-4, 4:-4]
    assert np.all(inner == 4)  # kernel divisible by the stride: even coverage
    assert set(np.unique(overlap_counts(7, 5)[5:-5, 5:-5])) == {4, 6, 9}
    with pytest.raises(ValueError, match="2-D"):
        transposed_conv2d(np.ones(3), np.ones((2, 2)))
    assert len(plot_transposed_convolution().axes) == 5  # three panels and two colour bars
    assert len(plot_generator_shapes([("z", (1, 1, 100)), ("map", (7, 7, 64))]).axes) == 1


def test_describe_lists_every_layer_with_shapes_and_the_total():
    text = gh.models.describe(gh.models.build_dcgan_generator())
    assert "(None, 7, 7, 64)" in text and "(None, 28, 28, 1)" in text
    assert text.splitlines()[-1].split()[1] == "909,473"
    with pytest.raises(ValueError, match=r"built keras\.Model"):
        gh.models.describe("not a model")


def test_ring_models_have_the_chapter_parameter_counts():
    assert build_ring_generator().count_params() == 16 * 128 + 128 + 128 * 128 + 128 + 128 * 2 + 2
    assert build_ring_discriminator().count_params() == 2 * 128 + 128 + 128 * 128 + 128 + 128 + 1


def test_ring_experiment_widget_shows_errors_instead_of_raising(monkeypatch):
    import gan_helpers.teaching.ring_experiments as ring_experiments

    def broken(*args, **kwargs):
        raise ValueError("steps must be a multiple <of> something")

    monkeypatch.setattr(ring_experiments, "train_on_ring", broken)
    box = gh.widgets.ring_experiment(steps=200, train_now=True)
    assert box.status.value.startswith("<b>Could not train:</b>")
    assert "&lt;of&gt;" in box.status.value  # escaped, not HTML
    assert box.last_run is None


def test_checkerboard_share_is_one_for_a_checkerboard_and_small_for_smooth_images():
    from gan_helpers.teaching.conv_diagrams import checkerboard_share

    board = (np.indices((8, 8)).sum(axis=0) % 2 * 2 - 1).astype(float)[None]
    assert checkerboard_share(board) == pytest.approx(1.0)
    stripes = np.tile((np.arange(8) % 2 * 2 - 1.0)[None, :], (8, 1))[None]  # period 2 along the rows only
    assert checkerboard_share(stripes) == pytest.approx(1.0)
    smooth = np.outer(np.hanning(8), np.hanning(8))[None]
    assert checkerboard_share(smooth) < 0.01
    mixed = np.concatenate([board, smooth])
    assert checkerboard_share(mixed) == pytest.approx((1.0 + checkerboard_share(smooth)) / 2)
    assert checkerboard_share(np.zeros((2, 8, 8, 1))) == 0.0  # flat images have no pattern at all


@pytest.mark.parametrize(
    ("images", "match"),
    [
        (np.zeros((2, 7, 8)), "even H and W"),
        (np.zeros((0, 8, 8)), "N >= 1"),
        (np.full((1, 8, 8), np.nan), "NaN"),
    ],
)
def test_checkerboard_share_rejects_bad_input(images, match):
    from gan_helpers.teaching.conv_diagrams import checkerboard_share

    with pytest.raises(ValueError, match=match):
        checkerboard_share(images)
