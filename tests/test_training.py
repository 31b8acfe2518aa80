"""The GAN trainer, checkpoints and the training callbacks, on tiny stub models."""

from __future__ import annotations

import os
from pathlib import Path

import keras
import numpy as np
import pytest
from keras import layers

import gan_helpers as gh
from gan_helpers.toolkit.callbacks import CheckpointEveryEpoch, TrainingMonitor
from gan_helpers.toolkit.checkpoints import GANCheckpoint, artifacts_dir, load_model, save_model, save_models
from gan_helpers.toolkit.images import to_uint8_grid
from gan_helpers.toolkit.models import build_chapter_discriminator, build_chapter_generator
from gan_helpers.toolkit.training import GAN

LATENT = 4


def tiny_models(logits: bool = False, latent: int = LATENT) -> tuple[keras.Model, keras.Model]:
    g = keras.Sequential(
        [keras.Input((latent,)), layers.Dense(16, activation="sigmoid"), layers.Reshape((4, 4, 1))]
    )
    d = keras.Sequential(
        [
            keras.Input((4, 4, 1)),
            layers.Flatten(),
            layers.Dense(8, activation="relu"),
            layers.Dense(1, activation=None if logits else "sigmoid"),
        ]
    )
    return g, d


def tiny_data(n: int = 64) -> np.ndarray:
    return np.random.default_rng(0).random((n, 4, 4, 1)).astype("float32")


def weights(model: keras.Model) -> list[np.ndarray]:
    return [w.copy() for w in model.get_weights()]


def changed(before: list[np.ndarray], model: keras.Model) -> bool:
    return any(not np.array_equal(a, b) for a, b in zip(before, model.get_weights(), strict=True))


@pytest.mark.parametrize("d_output", ["probability", "logits"])
def test_one_training_step_updates_both_networks_and_reports_metrics(d_output):
    g, d = tiny_models(logits=d_output == "logits")
    gan = GAN(g, d, d_output=d_output, seed=0)
    gan.compile()
    g0, d0 = weights(g), weights(d)
    logs = gan.train_on_batch(tiny_data(16), return_dict=True)
    assert changed(g0, g) and changed(d0, d)
    assert set(logs) == {"d_loss", "g_loss", "d_real", "d_fake"}
    assert all(np.isfinite(v) for v in logs.values())
    assert 0 <= logs["d_real"] <= 1 and 0 <= logs["d_fake"] <= 1


def test_each_optimizer_moves_only_its_own_network():
    g, d = tiny_models()
    gan = GAN(g, d, seed=0)
    gan.compile()
    gan.train_on_batch(tiny_data(16))  # builds the optimizers
    g0, d0 = weights(g), weights(d)
    real = tiny_data(16)
    import tensorflow as tf

    z = gan.sample_noise(16)
    with tf.GradientTape() as tape:
        d_loss = gan._d_loss(d(real), d(g(z)))
    gan.d_optimizer.apply_gradients(
        zip(tape.gradient(d_loss, d.trainable_weights), d.trainable_weights, strict=True)
    )
    assert changed(d0, d) and not changed(g0, g)  # D's step leaves G untouched
    d1 = weights(d)
    with tf.GradientTape() as tape:
        g_loss = gan._g_loss(d(g(z)))
    gan.g_optimizer.apply_gradients(
        zip(tape.gradient(g_loss, g.trainable_weights), g.trainable_weights, strict=True)
    )
    assert changed(g0, g) and not changed(d1, d)  # G's step leaves D untouched


def test_fit_on_a_dataset_records_the_metrics_per_epoch():
    g, d = tiny_models(logits=True)
    gan = GAN(g, d, d_output="logits", seed=1)
    gan.compile(steps_per_execution=2)
    ds = gh.make_dataset(tiny_data(64), batch_size=16, seed=0).repeat()
    history = gan.fit(ds, epochs=3, steps_per_epoch=4, verbose=0)
    assert set(history.history) == {"d_loss", "g_loss", "d_real", "d_fake"}
    assert len(history.history["d_loss"]) == 3
    assert int(gan.d_optimizer.iterations.numpy()) == 12


def test_saturating_loss_is_used_when_asked():
    g, d = tiny_models()
    gan = GAN(g, d, g_loss="saturating", seed=0)
    gan.compile()
    logs = gan.train_on_batch(tiny_data(8), return_dict=True)
    assert logs["g_loss"] < 0  # log(1 - D(G(z))) is negative


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (
            lambda: GAN(*tiny_models(), latent_dim=100),
            "latent_dim=100 but the generator takes noise of size 4",
        ),
        (
            lambda: GAN(tiny_models()[0], build_chapter_discriminator()),
            r"samples of shape \(4, 4, 1\).*expects \(28, 28, 1\)",
        ),
        (lambda: GAN(*tiny_models(), d_output="probs"), "d_output must be one of"),
        (lambda: GAN(*tiny_models(), g_loss="minimax"), "g_loss must be one of"),
        (lambda: GAN(keras.Sequential([layers.Dense(3)]), tiny_models()[1]), "built keras.Model"),
    ],
)
def test_mismatched_models_give_a_clear_value_error(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_wrong_image_shape_in_training_data_gives_a_clear_value_error():
    gan = GAN(*tiny_models(), seed=0)
    gan.compile()
    with pytest.raises(ValueError, match=r"training samples have shape \(4, 4\).*channel axis"):
        gan.fit(np.zeros((8, 4, 4), "float32"), batch_size=4, epochs=1, verbose=0)


def test_the_same_optimizer_twice_is_refused():
    gan = GAN(*tiny_models(), seed=0)
    opt = keras.optimizers.Adam()
    with pytest.raises(ValueError, match="two separate optimizers"):
        gan.compile(d_optimizer=opt, g_optimizer=opt)


def test_generate_checks_its_noise():
    gan = GAN(*tiny_models(), seed=0)
    assert gan.generate(5).shape == (5, 4, 4, 1)
    assert gan.generate(z=np.zeros((2, LATENT), "float32")).shape == (2, 4, 4, 1)
    with pytest.raises(ValueError, match=r"z must have shape \(n, 4\)"):
        gan.generate(z=np.zeros((2, 3), "float32"))
    with pytest.raises(ValueError, match="either n"):
        gan.generate()


def test_chapter_models_have_the_chapter_parameter_counts():
    assert build_chapter_generator().count_params() == 114_064
    assert build_chapter_discriminator().count_params() == 100_609
    assert build_chapter_discriminator(logits=True).count_params() == 100_609
    with pytest.raises(ValueError, match="latent_dim"):
        build_chapter_generator(0)


# --- saving and checkpoints ------------------------------------------------------------------------


def test_models_round_trip_through_keras_files(tmp_path):
    g, d = tiny_models()
    paths = save_models(g, d, tmp_path / "run")
    z = np.ones((2, LATENT), "float32")
    np.testing.assert_allclose(load_model(paths["generator"])(z), g(z), rtol=1e-6)
    assert sorted(p.name for p in (tmp_path / "run").iterdir()) == ["discriminator.keras", "generator.keras"]


def test_a_failed_save_keeps_the_previous_file(tmp_path, monkeypatch):
    g, _ = tiny_models()
    path = save_model(g, tmp_path / "generator.keras")
    good = path.read_bytes()

    def broken_save(self, filepath, *args, **kwargs):
        Path(filepath).write_bytes(b"half a file")
        raise OSError("disk full")

    monkeypatch.setattr(keras.Model, "save", broken_save)
    with pytest.raises(OSError, match="disk full"):
        save_model(g, path)
    assert path.read_bytes() == good
    assert [p.name for p in tmp_path.iterdir()] == ["generator.keras"]  # no temporary file left


def test_loading_explains_missing_and_broken_files(tmp_path):
    with pytest.raises(FileNotFoundError, match="Run the notebook that trains it"):
        load_model(tmp_path / "nope.keras")
    bad = tmp_path / "bad.keras"
    bad.write_bytes(b"not a zip")
    with pytest.raises(ValueError, match="not a readable Keras model"):
        load_model(bad)
    with pytest.raises(ValueError, match=r"'\.keras' files"):
        save_model(tiny_models()[0], tmp_path / "g.h5")


def test_loading_a_file_from_another_keras_version_says_so(tmp_path):
    import json
    import zipfile

    good = save_model(tiny_models()[0], tmp_path / "g.keras")
    other = tmp_path / "other.keras"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(other, "w") as dst:
        for item in src.namelist():
            data = src.read(item)
            if item == "metadata.json":
                data = json.dumps({**json.loads(data), "keras_version": "9.9.9"}).encode()
            if item == "config.json":
                data = data.replace(b'"Dense"', b'"NoSuchLayer"')
            dst.writestr(item, data)
    assert gh.checkpoints.saved_keras_version(other) == "9.9.9"
    with pytest.raises(ValueError, match=r"saved with Keras 9\.9\.9 and this is Keras"):
        load_model(other)
    assert other.exists()  # the learner's file is kept


def test_checkpoint_restores_models_optimizers_and_step(tmp_path):
    g, d = tiny_models()
    gan = GAN(g, d, seed=0)
    gan.compile()
    ds = gh.make_dataset(tiny_data(32), batch_size=8, seed=0).repeat()
    gan.fit(ds, epochs=1, steps_per_epoch=3, verbose=0)
    ckpt = GANCheckpoint(g, d, gan.g_optimizer, gan.d_optimizer, tmp_path / "ckpt")
    ckpt.save(3)
    saved_g, saved_slots = weights(g), [v.numpy().copy() for v in gan.d_optimizer.variables]

    g2, d2 = tiny_models()
    gan2 = GAN(g2, d2, seed=0)
    gan2.compile()
    ckpt2 = GANCheckpoint(g2, d2, gan2.g_optimizer, gan2.d_optimizer, tmp_path / "ckpt")
    assert ckpt2.restore() == 3
    assert not changed(saved_g, g2)
    for a, b in zip(saved_slots, gan2.d_optimizer.variables, strict=True):
        np.testing.assert_array_equal(a, b.numpy())
    gan2.fit(ds, epochs=1, steps_per_epoch=2, verbose=0)  # training resumes from there
    assert int(gan2.d_optimizer.iterations.numpy()) == 5


def test_a_fresh_checkpoint_folder_restores_step_zero(tmp_path):
    g, d = tiny_models()
    ckpt = GANCheckpoint(g, d, keras.optimizers.Adam(), keras.optimizers.Adam(), tmp_path / "empty")
    assert ckpt.restore() == 0 and ckpt.latest is None


def test_artifacts_go_next_to_notebooks_and_fast_mode_keeps_its_own(tmp_path, monkeypatch):
    monkeypatch.delenv("GAN_COURSE_ARTIFACTS", raising=False)
    (tmp_path / "notebooks").mkdir()
    monkeypatch.chdir(tmp_path / "notebooks")
    monkeypatch.setenv("GAN_COURSE_FAST", "0")
    assert artifacts_dir("mlp") == tmp_path / "artifacts" / "mlp"
    monkeypatch.setenv("GAN_COURSE_FAST", "1")
    assert artifacts_dir("mlp") == tmp_path / "artifacts" / "fast" / "mlp"
    monkeypatch.setenv("GAN_COURSE_ARTIFACTS", str(tmp_path / "elsewhere"))
    assert artifacts_dir().is_dir() and artifacts_dir() == tmp_path / "elsewhere" / "fast"


# --- callbacks --------------------------------------------------------------------------------------


def test_training_monitor_records_history_snapshots_and_a_final_figure(capsys):
    g, d = tiny_models()
    gan = GAN(g, d, seed=0)
    gan.compile(steps_per_execution=2)
    monitor = TrainingMonitor(total_steps=8, n_samples=9, live=False)
    ds = gh.make_dataset(tiny_data(32), batch_size=8, seed=0).repeat()
    gan.fit(ds, epochs=2, steps_per_epoch=4, verbose=0, callbacks=[monitor])
    assert monitor.history["step"] == [2, 4, 6, 8]
    assert len(monitor.history["d_loss"]) == 4
    assert [s for s, _ in monitor.snapshots] == [0, 4, 8]  # before training, then after each epoch
    assert (
        monitor.snapshots[0][1].shape == (3 * 5 - 1, 3 * 5 - 1) and monitor.snapshots[0][1].dtype == np.uint8
    )
    assert monitor.figure is not None and len(monitor.figure.axes) == 3
    assert "8/8" in capsys.readouterr().out  # the progress bar reached the end


def test_checkpoint_callback_saves_every_epoch(tmp_path):
    g, d = tiny_models()
    gan = GAN(g, d, seed=0)
    gan.compile()
    ckpt = GANCheckpoint(g, d, gan.g_optimizer, gan.d_optimizer, tmp_path, max_to_keep=5)
    ds = gh.make_dataset(tiny_data(32), batch_size=8, seed=0).repeat()
    gan.fit(ds, epochs=2, steps_per_epoch=3, verbose=0, callbacks=[CheckpointEveryEpoch(ckpt)])
    assert ckpt.latest.endswith("ckpt-6")
    assert len(ckpt.manager.checkpoints) == 2  # epochs 1 and 2 (the final save is the same step)


def test_uint8_grid_maps_the_scale_to_0_255():
    grid = to_uint8_grid(np.array([[[[-1.0]]], [[[1.0]]]]), (-1.0, 1.0), ncols=2)
    assert grid.tolist() == [[0, 0, 255]]


def test_save_gif_writes_a_looping_animation(tmp_path):
    import imageio.v3 as iio

    frames = [np.full((4, 6), v, np.uint8) for v in (0, 128, 255)]
    path = gh.save_gif(frames, str(tmp_path / "a.gif"), fps=5, upscale=2)
    gif = iio.imread(path, index=None)
    assert gif.shape[0] == 3 and gif.shape[1:3] == (8, 12)
    with pytest.raises(ValueError, match="no frames"):
        gh.save_gif([], str(tmp_path / "b.gif"))
    assert not os.path.exists(tmp_path / "b.gif")


def test_archive_moves_old_checkpoints_aside_before_a_fresh_start(tmp_path):
    g, d = tiny_models()
    gan = GAN(g, d, seed=0)
    gan.compile()
    ckpt = GANCheckpoint(g, d, gan.g_optimizer, gan.d_optimizer, tmp_path / "checkpoints")
    assert ckpt.archive() is None  # nothing to archive yet
    ckpt.save(7)
    moved = ckpt.archive()
    assert moved is not None and moved.name.startswith("checkpoints-previous-")
    assert any(p.name.startswith("ckpt-7") for p in moved.iterdir())
    assert ckpt.restore() == 0  # the folder is fresh
    ckpt.save(1)
    assert ckpt.latest.endswith("ckpt-1")


def test_check_choice(capsys):
    for answer in (None, "non_saturating", "saturating"):
        gh.exercises.check("04.4", answer)  # which loss starves the generator: "saturating"
    assert [line[0] for line in capsys.readouterr().out.splitlines()] == ["❌", "❌", "✅"]


def test_restoring_into_differently_sized_models_is_explained(tmp_path):
    g, d = tiny_models()
    gan = GAN(g, d, seed=0)
    gan.compile()
    GANCheckpoint(g, d, gan.g_optimizer, gan.d_optimizer, tmp_path).save(1)
    g2, d2 = tiny_models(latent=6)
    gan2 = GAN(g2, d2, seed=0)
    gan2.compile()
    with pytest.raises(ValueError, match=r"does not fit these models.*RESUME = False"):
        GANCheckpoint(g2, d2, gan2.g_optimizer, gan2.d_optimizer, tmp_path).restore()


# --- silent wrong results become clear errors ---------------------------------------------------------


@pytest.mark.parametrize(
    ("last", "d_output", "message"),
    [
        (layers.Dense(1), "probability", r"no activation.*d_output='logits'.*activation='sigmoid'"),
        (layers.Dense(1, activation="linear"), "probability", "d_output='logits'"),
        (layers.Dense(1, activation="sigmoid"), "logits", r"ends in a sigmoid.*d_output='probability'"),
        (layers.Activation("sigmoid"), "logits", "d_output='probability'"),
    ],
)
def test_a_discriminator_output_that_contradicts_d_output_is_refused(last, d_output, message):
    g = tiny_models()[0]
    body = [keras.Input((4, 4, 1)), layers.Flatten(), layers.Dense(8, activation="relu")]
    if isinstance(last, layers.Activation):
        body.append(layers.Dense(1))
    d = keras.Sequential([*body, last])
    with pytest.raises(ValueError, match=message):
        GAN(g, d, d_output=d_output)


def test_matching_or_uninspectable_discriminator_outputs_are_accepted():
    g = tiny_models()[0]
    GAN(g, tiny_models(logits=False)[1], d_output="probability")
    GAN(g, tiny_models(logits=True)[1], d_output="logits")
    inputs = keras.Input((4, 4, 1))  # functional, ending in a Reshape: not inspected, no guessing
    d = keras.Model(inputs, layers.Reshape((1,))(layers.Dense(1)(layers.Flatten()(inputs))))
    GAN(g, d, d_output="probability")
    GAN(g, d, d_output="logits")
    nested = keras.Sequential([keras.Input((4, 4, 1)), tiny_models(logits=True)[1]])  # looked into
    with pytest.raises(ValueError, match="d_output='logits'"):
        GAN(g, nested, d_output="probability")


def class_sorted_data(per_class: int = 16, classes: int = 4) -> np.ndarray:
    """Images whose every pixel is their class number, sorted by class (like the offline MNIST subset)."""
    return np.repeat(np.arange(classes, dtype="float32"), per_class)[:, None, None, None] * np.ones(
        (1, 4, 4, 1), "float32"
    )


class RecordingGAN(GAN):
    """A GAN that records the class numbers of every real batch it trains on."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.batches: list[np.ndarray] = []

    def train_step(self, data):
        self.batches.append(np.asarray(data[0] if isinstance(data, tuple) else data)[:, 0, 0, 0])
        return super().train_step(data)


def test_fit_shuffles_arrays_so_class_sorted_data_gives_mixed_batches():
    gan = RecordingGAN(*tiny_models(), seed=0)
    gan.compile(run_eagerly=True)
    gan.fit(class_sorted_data() / 4, batch_size=16, epochs=2, verbose=0)
    assert len(gan.batches) == 8
    mixed = [len(set(batch.tolist())) > 1 for batch in gan.batches]
    assert all(mixed)  # unshuffled, each batch would be a single class


def test_fit_with_shuffle_false_on_arrays_warns_and_keeps_order():
    gan = RecordingGAN(*tiny_models(), seed=0)
    gan.compile(run_eagerly=True)
    with pytest.warns(UserWarning, match="shuffle=False"):
        gan.fit(class_sorted_data() / 4, batch_size=16, epochs=1, shuffle=False, verbose=0)
    assert [len(set(batch.tolist())) for batch in gan.batches] == [1, 1, 1, 1]


def test_fit_does_not_shuffle_a_dataset_or_warn(recwarn):
    gan = RecordingGAN(*tiny_models(), seed=0)
    gan.compile(run_eagerly=True)
    import tensorflow as tf

    ds = tf.data.Dataset.from_tensor_slices(class_sorted_data() / 4).batch(16)
    gan.fit(ds, epochs=1, verbose=0)
    assert [float(batch[0]) for batch in gan.batches] == [0.0, 0.25, 0.5, 0.75]  # the dataset's order
    assert not [w for w in recwarn if "shuffle" in str(w.message)]


def test_a_frozen_network_is_refused_instead_of_never_training():
    g, d = tiny_models()
    d.trainable = False  # as in the two-model Keras recipe
    gan = GAN(g, d, seed=0)
    gan.compile()
    with pytest.raises(ValueError, match=r"discriminator has no trainable weights.*D\.trainable = False"):
        gan.train_on_batch(tiny_data(8))
    g2, d2 = tiny_models()
    g2.trainable = False
    gan2 = GAN(g2, d2, seed=0)
    gan2.compile()
    with pytest.raises(ValueError, match="generator has no trainable weights"):
        gan2.train_on_batch(tiny_data(8))


def test_an_empty_batch_is_refused():
    gan = GAN(*tiny_models(), seed=0)
    gan.compile()
    with pytest.raises(ValueError, match="empty"):
        gan.train_on_batch(np.zeros((0, 4, 4, 1), "float32"))


def test_generate_refuses_nan_noise_and_accepts_numpy_integers():
    gan = GAN(*tiny_models(), seed=0)
    with pytest.raises(ValueError, match="NaN"):
        gan.generate(z=np.full((2, LATENT), np.nan, "float32"))
    assert gan.generate(np.int64(3)).shape == (3, 4, 4, 1)
    with pytest.raises(ValueError, match="positive integer"):
        gan.generate(True)


def test_anneal_instance_noise_accepts_noise_switched_on_through_the_variable():
    from gan_helpers.toolkit.callbacks import AnnealInstanceNoise

    gan = GAN(*tiny_models(), seed=0)
    gan.compile()
    gan.instance_noise.assign(0.2)
    gan.fit(tiny_data(16), batch_size=4, epochs=1, callbacks=[AnnealInstanceNoise(2)], verbose=0)
    assert float(gan.instance_noise.numpy()) == 0.0
