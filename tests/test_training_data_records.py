"""Saved GANs carry the record of what they trained on; checkpoints resume only the remaining steps and
never delete an earlier run's; the test session's artifacts are its own."""

from __future__ import annotations

import json
import os
from pathlib import Path

import keras
import numpy as np
import pytest
from keras import layers

import gan_helpers as gh
from gan_helpers.toolkit.callbacks import CheckpointEveryEpoch
from gan_helpers.toolkit.checkpoints import (
    TRAINING_RECORD,
    GANCheckpoint,
    TrainingRecordMissingError,
    load_model,
    load_training_record,
    save_model,
    save_models,
)
from gan_helpers.toolkit.data import TrainingData
from gan_helpers.toolkit.training import GAN

LATENT = 3
RECORD = TrainingData("subset", "train", 4000, (0, 1), seed=42)


def tiny_gan(latent: int = LATENT) -> GAN:
    g = keras.Sequential(
        [keras.Input((latent,)), layers.Dense(16, activation="sigmoid"), layers.Reshape((4, 4, 1))]
    )
    d = keras.Sequential([keras.Input((4, 4, 1)), layers.Flatten(), layers.Dense(1, activation="sigmoid")])
    gan = GAN(g, d, seed=0)
    gan.compile()
    return gan


def tiny_dataset():
    images = np.random.default_rng(0).random((32, 4, 4, 1)).astype("float32")
    return gh.make_dataset(images, batch_size=8, seed=0).repeat()


# --- the training-data record beside saved models -------------------------------------------------------


def test_save_models_writes_the_record_and_it_loads_from_the_folder_or_the_generator(tmp_path):
    gan = tiny_gan()
    paths = save_models(gan.generator, gan.discriminator, tmp_path / "run", trained_on=RECORD)
    assert paths["trained_on"] == tmp_path / "run" / TRAINING_RECORD
    assert json.loads(paths["trained_on"].read_text())["seed"] == 42
    assert load_training_record(tmp_path / "run") == RECORD
    assert load_training_record(paths["generator"]) == RECORD
    assert not [p for p in (tmp_path / "run").iterdir() if p.name.startswith(".")]  # no temporary files


def test_saving_without_a_record_removes_a_stale_one(tmp_path):
    gan = tiny_gan()
    save_models(gan.generator, gan.discriminator, tmp_path, trained_on=RECORD)
    save_models(gan.generator, gan.discriminator, tmp_path)
    with pytest.raises(TrainingRecordMissingError, match=r"saved without a record.*trained_on="):
        load_training_record(tmp_path)


def test_old_artifacts_without_a_record_are_reported_clearly(tmp_path):
    gan = tiny_gan()
    save_model(gan.generator, tmp_path / "generator.keras")
    with pytest.raises(FileNotFoundError, match=r"no training_data\.json.*older version of the course"):
        load_training_record(tmp_path / "generator.keras")
    with pytest.raises(FileNotFoundError, match="no saved model or folder"):
        load_training_record(tmp_path / "missing")
    (tmp_path / TRAINING_RECORD).write_text('{"source": "subset"}')
    with pytest.raises(ValueError, match="not a readable training-data record"):
        load_training_record(tmp_path)


def test_save_models_refuses_a_record_that_is_not_one_and_a_file_as_folder(tmp_path):
    gan = tiny_gan()
    with pytest.raises(ValueError, match=r"mnist\.record\.with_seed"):
        save_models(gan.generator, gan.discriminator, tmp_path, trained_on={"source": "subset"})
    a_file = tmp_path / "file"
    a_file.write_text("x")
    with pytest.raises(NotADirectoryError, match="is a file"):
        save_models(gan.generator, gan.discriminator, a_file)


def test_a_folder_is_neither_loaded_nor_overwritten_as_a_model(tmp_path):
    (tmp_path / "generator.keras").mkdir()
    with pytest.raises(IsADirectoryError, match="is a folder"):
        save_model(tiny_gan().generator, tmp_path / "generator.keras")
    with pytest.raises(IsADirectoryError, match=r"generator\.keras"):
        load_model(tmp_path)
    with pytest.raises(ValueError, match=r"keras\.Model"):
        save_model("not a model", tmp_path / "g.keras")


def test_the_recipes_record_what_they_trained_on():
    from gan_helpers.toolkit.recipes import train_mlp_gan

    mnist = gh.load_mnist(source="subset", verbose=False)
    gan, _ = train_mlp_gan(mnist, steps=2, seed=7)
    assert gan.trained_on == mnist.record.with_seed(7)
    few = mnist.images[:256]
    gan, _ = train_mlp_gan(few, steps=2, seed=7)
    assert gan.trained_on is None
    with pytest.raises(ValueError, match="describes 4,000 digits but 256"):
        train_mlp_gan(few, steps=2, trained_on=mnist.record)
    with pytest.raises(ValueError, match="steps"):
        train_mlp_gan(few, steps=0)


# --- resuming trains only the remaining steps -----------------------------------------------------------


def test_a_resumed_run_trains_only_the_remaining_steps(tmp_path):
    total, per_epoch = 6, 2
    gan = tiny_gan()
    ckpt = GANCheckpoint(
        gan.generator, gan.discriminator, gan.g_optimizer, gan.d_optimizer, tmp_path, trained_on=RECORD
    )
    assert ckpt.restore() == 0 and ckpt.remaining_steps(total) == 6
    gan.fit(
        tiny_dataset(), epochs=2, steps_per_epoch=per_epoch, verbose=0, callbacks=[CheckpointEveryEpoch(ckpt)]
    )

    again = tiny_gan()  # the notebook rerun after an interruption at step 4
    ckpt2 = GANCheckpoint(
        again.generator,
        again.discriminator,
        again.g_optimizer,
        again.d_optimizer,
        tmp_path,
        trained_on=RECORD,
    )
    assert ckpt2.restore() == 4
    assert ckpt2.remaining_steps(total) == 2 and ckpt2.remaining_epochs(total, per_epoch) == 1
    again.fit(
        tiny_dataset(),
        epochs=ckpt2.remaining_epochs(total, per_epoch),
        steps_per_epoch=per_epoch,
        verbose=0,
        callbacks=[CheckpointEveryEpoch(ckpt2)],
    )
    assert int(again.d_optimizer.iterations.numpy()) == total
    third = tiny_gan()
    ckpt3 = GANCheckpoint(
        third.generator, third.discriminator, third.g_optimizer, third.d_optimizer, tmp_path
    )
    assert ckpt3.restore() == total and ckpt3.remaining_epochs(total, per_epoch) == 0  # done: skip fit
    assert load_training_record(tmp_path) == RECORD


def test_remaining_steps_needs_restore_or_archive_and_whole_epochs(tmp_path):
    gan = tiny_gan()
    ckpt = GANCheckpoint(gan.generator, gan.discriminator, gan.g_optimizer, gan.d_optimizer, tmp_path)
    with pytest.raises(RuntimeError, match=r"restore\(\).*archive\(\)"):
        ckpt.remaining_steps(10)
    ckpt.save(3)
    ckpt2 = GANCheckpoint(gan.generator, gan.discriminator, gan.g_optimizer, gan.d_optimizer, tmp_path)
    assert ckpt2.restore() == 3
    with pytest.raises(ValueError, match=r"step 3.*STEPS_PER_EPOCH"):
        ckpt2.remaining_epochs(10, 2)
    with pytest.raises(ValueError, match="multiple"):
        ckpt2.remaining_epochs(9, 2)
    with pytest.raises(ValueError, match="total_steps"):
        ckpt2.remaining_steps(0)


def test_a_new_run_never_deletes_an_earlier_runs_checkpoints(tmp_path):
    gan = tiny_gan()
    GANCheckpoint(gan.generator, gan.discriminator, gan.g_optimizer, gan.d_optimizer, tmp_path).save(40)
    fresh = GANCheckpoint(gan.generator, gan.discriminator, gan.g_optimizer, gan.d_optimizer, tmp_path)
    with pytest.raises(RuntimeError, match=r"earlier run.*ckpt-40.*archive\(\)"):
        fresh.save(1)
    assert fresh.archive() is not None and fresh.remaining_steps(10) == 10
    fresh.save(1)
    assert fresh.latest.endswith("ckpt-1")


def test_resuming_on_other_data_is_refused(tmp_path):
    gan = tiny_gan()
    ckpt = GANCheckpoint(
        gan.generator, gan.discriminator, gan.g_optimizer, gan.d_optimizer, tmp_path, trained_on=RECORD
    )
    ckpt.save(2)
    online = TrainingData("keras", "train", 60000, (0, 1), seed=42)
    other = GANCheckpoint(
        gan.generator, gan.discriminator, gan.g_optimizer, gan.d_optimizer, tmp_path, trained_on=online
    )
    with pytest.raises(ValueError, match=r"mix two training sets.*RESUME = False"):
        other.restore()
    same_data_other_seed = GANCheckpoint(
        gan.generator,
        gan.discriminator,
        gan.g_optimizer,
        gan.d_optimizer,
        tmp_path,
        trained_on=RECORD.with_seed(1),
    )
    assert same_data_other_seed.restore() == 2


def test_a_checkpoint_folder_that_is_a_file_is_refused(tmp_path):
    gan = tiny_gan()
    (tmp_path / "f").write_text("x")
    with pytest.raises(NotADirectoryError):
        GANCheckpoint(gan.generator, gan.discriminator, gan.g_optimizer, gan.d_optimizer, tmp_path / "f")
    with pytest.raises(ValueError, match="max_to_keep"):
        GANCheckpoint(
            gan.generator, gan.discriminator, gan.g_optimizer, gan.d_optimizer, tmp_path, max_to_keep=0
        )


# --- hermetic test sessions -----------------------------------------------------------------------------


def test_the_test_session_writes_artifacts_to_its_own_fresh_folder():
    folder = Path(os.environ["GAN_COURSE_ARTIFACTS"])
    assert folder.name.startswith("gan-course-test-artifacts-")
    repository = Path(__file__).resolve().parents[1]
    assert repository not in folder.resolve().parents
    assert gh.checkpoints.artifacts_dir("mlp_gan").is_relative_to(folder)
