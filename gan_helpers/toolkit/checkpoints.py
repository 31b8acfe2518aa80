"""Saving and loading what training makes: the ``artifacts/`` folder, models as ``.keras`` files, and
``tf.train.Checkpoint``s of both networks and both optimizers so training can resume.

Writes are atomic (a temporary file renamed over the target), so an interrupted save never leaves a
half-written model in place of a good one. Fast mode (the test suite) writes under ``artifacts/fast/``,
never over a learner's full-mode results.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import keras
import tensorflow as tf

from .settings import is_fast

ARTIFACTS_ENV_VAR = "GAN_COURSE_ARTIFACTS"


def artifacts_dir(*parts: str) -> Path:
    """The folder for files one notebook saves for later ones, created if needed.

    ``artifacts/`` next to ``notebooks/`` when run from the course's ``notebooks`` folder, else
    ``./artifacts`` (e.g. ``/content/artifacts`` in Colab); ``$GAN_COURSE_ARTIFACTS`` overrides both.
    In fast mode it is the ``fast/`` subfolder. ``parts`` name a subfolder, e.g. ``artifacts_dir("mlp_gan")``.
    """
    override = os.environ.get(ARTIFACTS_ENV_VAR)
    if override:
        base = Path(override)
    else:
        cwd = Path.cwd()
        base = (cwd.parent if cwd.name == "notebooks" else cwd) / "artifacts"
    if is_fast():
        base = base / "fast"
    path = base.joinpath(*parts)
    path.mkdir(parents=True, exist_ok=True)
    return path


def save_model(model: keras.Model, path: str | os.PathLike[str]) -> Path:
    """Save ``model`` as a ``.keras`` file at ``path``, atomically. Returns the path."""
    path = Path(path)
    if path.suffix != ".keras":
        raise ValueError(f"Keras 3 saves whole models to '.keras' files; got {path.name!r}")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.stem}.{os.getpid()}.tmp.keras")
    try:
        model.save(tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def save_models(
    generator: keras.Model, discriminator: keras.Model, directory: str | os.PathLike[str]
) -> dict[str, Path]:
    """Save both networks as ``generator.keras`` and ``discriminator.keras`` in ``directory``."""
    directory = Path(directory)
    return {
        "generator": save_model(generator, directory / "generator.keras"),
        "discriminator": save_model(discriminator, directory / "discriminator.keras"),
    }


def load_model(path: str | os.PathLike[str]) -> keras.Model:
    """Load a ``.keras`` model saved by the course, with Keras's ``safe_mode`` on.

    Raises ``FileNotFoundError`` naming the notebook step that makes the file when it is missing, and
    ``ValueError`` when the file is not a readable Keras model.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(
            f"no saved model at {path}. Run the notebook that trains it first (its 'Saving' section), "
            "or train a quick one in this notebook."
        )
    try:
        return keras.models.load_model(path, safe_mode=True)
    except Exception as err:  # zip errors, JSON errors, missing layers: all mean "not a usable model"
        saved_with = saved_keras_version(path)
        hint = ""
        if saved_with and saved_with != keras.__version__:
            hint = (
                f"; it was saved with Keras {saved_with} and this is Keras {keras.__version__}: a file saved "
                "by a newer Keras often does not load in an older one, so retrain it here (the file is kept)"
            )
        raise ValueError(
            f"{path} is not a readable Keras model{hint} ({type(err).__name__}: {str(err)[:300]})"
        ) from err


def saved_keras_version(path: str | os.PathLike[str]) -> str | None:
    """The Keras version recorded in a ``.keras`` file's ``metadata.json``, or ``None`` if unreadable."""
    import json
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            return str(json.loads(archive.read("metadata.json"))["keras_version"])
    except (OSError, KeyError, ValueError, zipfile.BadZipFile):
        return None


class GANCheckpoint:
    """Checkpoints of a GAN's two networks, two optimizers and step count, so training can resume.

    Wraps ``tf.train.Checkpoint`` and ``tf.train.CheckpointManager`` (keeps the ``max_to_keep`` latest).
    ``restore()`` loads the latest checkpoint if there is one and returns the step it was saved at (0 for a
    fresh start); ``save()`` writes a new one.
    """

    def __init__(
        self,
        generator: keras.Model,
        discriminator: keras.Model,
        g_optimizer: keras.optimizers.Optimizer,
        d_optimizer: keras.optimizers.Optimizer,
        directory: str | os.PathLike[str],
        max_to_keep: int = 3,
    ) -> None:
        self.generator, self.discriminator = generator, discriminator
        self.g_optimizer, self.d_optimizer = g_optimizer, d_optimizer
        self.step = tf.Variable(0, dtype=tf.int64, trainable=False, name="step")
        self.checkpoint = tf.train.Checkpoint(
            generator=generator,
            discriminator=discriminator,
            g_optimizer=g_optimizer,
            d_optimizer=d_optimizer,
            step=self.step,
        )
        self.manager = tf.train.CheckpointManager(self.checkpoint, str(directory), max_to_keep=max_to_keep)

    def _build_optimizers(self) -> None:
        # Keras creates optimizer slots lazily; create them now so a restore can fill them in.
        for optimizer, model in ((self.g_optimizer, self.generator), (self.d_optimizer, self.discriminator)):
            if not optimizer.built:
                optimizer.build(model.trainable_variables)

    @property
    def latest(self) -> str | None:
        """Path prefix of the latest checkpoint, or ``None``."""
        return self.manager.latest_checkpoint

    def restore(self) -> int:
        """Load the latest checkpoint, if any; return its step (0 when starting fresh)."""
        if self.latest is None:
            return 0
        self._build_optimizers()
        try:
            self.checkpoint.restore(self.latest).assert_existing_objects_matched()
        except (AssertionError, ValueError, tf.errors.OpError) as err:
            raise ValueError(
                f"the checkpoint {self.latest} does not fit these models (were they built with other "
                f"sizes, e.g. another latent_dim?): {str(err).splitlines()[0][:200]}. Start over with "
                "RESUME = False (earlier checkpoints are moved aside, not deleted), or rebuild the models "
                "as they were."
            ) from err
        return int(self.step.numpy())

    def archive(self) -> Path | None:
        """Move existing checkpoints aside (to ``<folder>-previous-<time>``) before a fresh start, so a new
        run never deletes an earlier one's. Returns the archive folder, or ``None`` if there was nothing."""
        folder = Path(self.manager.directory)
        if self.latest is None or not folder.is_dir():
            return None
        stamp = time.strftime("%Y%m%d-%H%M%S")
        target = folder.with_name(f"{folder.name}-previous-{stamp}")
        folder.rename(target)
        self.manager = tf.train.CheckpointManager(
            self.checkpoint, str(folder), max_to_keep=self.manager._max_to_keep
        )
        return target

    def save(self, step: int) -> str:
        """Write a checkpoint at training step ``step``; returns its path prefix."""
        self._build_optimizers()
        self.step.assign(int(step))
        return self.manager.save(checkpoint_number=int(step))
