"""Saving and loading what training makes: the ``artifacts/`` folder, models as ``.keras`` files, and
``tf.train.Checkpoint``s of both networks and both optimizers so training can resume.

Writes are atomic (a temporary file renamed over the target), so an interrupted save never leaves a
half-written model in place of a good one. Fast mode (the test suite) writes under ``artifacts/fast/``,
never over a learner's full-mode results.

Resuming exactly. A run that is killed and resumed from its last checkpoint repeats an uninterrupted run
with the same seed bit for bit (on the same machine and software) when three things continue where they
stopped: the weights and both optimizers (step counter included), the GAN's random generator
(``GANCheckpoint(..., rng=gan.rng)``, or :meth:`GANCheckpoint.from_gan`), and the order of the data (build
the dataset again with the same seed and skip the batches already trained on,
:meth:`GANCheckpoint.skip_seen_batches`). A checkpoint is written as new files, and the small ``checkpoint``
file that names the latest one is replaced (atomically) only after they are complete, so a kill during a
save leaves the previous checkpoint in charge.

What is deterministic. On a CPU, the same seed, the same machine and the same TensorFlow give the same
numbers in every run (another CPU model or TensorFlow version may differ in the last bits). On a GPU,
several cuDNN and CUDA kernels (convolution gradients, some reductions and scatters) add in whatever order
their threads finish, so two runs with every seed set can differ in the last bits from the first step
and drift apart as training goes on;
``tf.config.experimental.enable_op_determinism()`` (called once, before building the models) selects
deterministic kernels, makes ``tf.data`` deterministic and asks XLA for deterministic GPU code too, at some
cost in speed, and raises an error for the few ops that have no deterministic version. XLA
(``jit_compile=True``) draws other random numbers than eager TensorFlow from the same generator state, so
a run and its resumption must both use XLA or both not. A GPU run and a CPU run never agree bit for bit.
"""

from __future__ import annotations

import json
import os
import time
import warnings
from pathlib import Path

import keras
import numpy as np
import tensorflow as tf

from .data import TrainingData, check_record
from .settings import is_fast, is_presenter

ARTIFACTS_ENV_VAR = "GAN_COURSE_ARTIFACTS"
#: The sidecar beside saved models (and inside checkpoint folders) that records what the GAN trained on.
TRAINING_RECORD = "training_data.json"


class TrainingRecordMissingError(FileNotFoundError):
    """A saved GAN has no record of its training data (saved before the course wrote one)."""


def artifacts_dir(*parts: str) -> Path:
    """The folder for files one notebook saves for later ones, created if needed.

    ``artifacts/`` next to ``notebooks/`` when run from the course's ``notebooks`` folder, else
    ``./artifacts`` (e.g. ``/content/artifacts`` in Colab); ``$GAN_COURSE_ARTIFACTS`` overrides both.
    In fast mode it is the ``fast/`` subfolder, in presenter mode the ``presenter/`` one (so a class demo
    never overwrites what a learner trained). ``parts`` name a subfolder, e.g. ``artifacts_dir("mlp_gan")``.
    """
    override = os.environ.get(ARTIFACTS_ENV_VAR)
    if override:
        base = Path(override)
    else:
        cwd = Path.cwd()
        base = (cwd.parent if cwd.name == "notebooks" else cwd) / "artifacts"
    if is_fast():
        base = base / "fast"
    if is_presenter():
        base = base / "presenter"
    path = base.joinpath(*parts)
    path.mkdir(parents=True, exist_ok=True)
    return path


def save_model(model: keras.Model, path: str | os.PathLike[str]) -> Path:
    """Save ``model`` as a ``.keras`` file at ``path``, atomically. Returns the path."""
    path = _path(path, "path")
    if path.suffix != ".keras":
        raise ValueError(
            f"path must end in '.keras' (Keras 3 saves whole models to '.keras' files); got {path.name!r}"
        )
    if path.is_dir():
        raise IsADirectoryError(f"{path} is a folder, not a file: remove it or save under another name")
    if not isinstance(model, keras.Model):
        raise ValueError(f"expected a keras.Model to save, got {type(model).__name__}")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.stem}.{os.getpid()}.tmp.keras")
    try:
        model.save(tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def _path(path: object, name: str) -> Path:
    """``path`` as a ``Path`` if it is text or a path, else a ``TypeError`` naming the argument."""
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(
            f"{name} must be a file or folder path (text or pathlib.Path), got {type(path).__name__}"
        )
    return Path(path)


def _write_text_atomically(path: Path, text: str) -> Path:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def save_models(
    generator: keras.Model,
    discriminator: keras.Model,
    directory: str | os.PathLike[str],
    trained_on: TrainingData | None = None,
) -> dict[str, Path]:
    """Save both networks as ``generator.keras`` and ``discriminator.keras`` in ``directory``, and
    ``trained_on`` (what they trained on: ``mnist.record.with_seed(SEED)`` for ``mnist =
    gh.load_mnist(...)``) as ``training_data.json`` beside them, which the judge reads to compare the
    generator with digits it never saw. Every file is written atomically. Without ``trained_on`` an
    earlier record in ``directory`` is removed (it would describe other models).

    Returns the paths, keyed ``"generator"``, ``"discriminator"`` (and ``"trained_on"`` when written).
    """
    trained_on = check_record(trained_on)
    for name, model in (("generator", generator), ("discriminator", discriminator)):
        if not isinstance(model, keras.Model):
            raise ValueError(f"{name} must be a keras.Model to save, got {type(model).__name__}")
    directory = _path(directory, "directory")
    if directory.exists() and not directory.is_dir():
        raise NotADirectoryError(f"{directory} is a file; save_models needs a folder to write into")
    directory.mkdir(parents=True, exist_ok=True)
    record_path = directory / TRAINING_RECORD
    if trained_on is None:
        record_path.unlink(missing_ok=True)
    paths = {
        "generator": save_model(generator, directory / "generator.keras"),
        "discriminator": save_model(discriminator, directory / "discriminator.keras"),
    }
    if trained_on is not None:
        paths["trained_on"] = _write_text_atomically(record_path, trained_on.to_json())
    return paths


def load_training_record(path: str | os.PathLike[str]) -> TrainingData:
    """What a saved GAN trained on: the ``training_data.json`` in ``path`` (a folder written by
    :func:`save_models`, or a checkpoint folder) or beside it (``path`` a ``.keras`` file there).

    Raises :class:`TrainingRecordMissingError` (a ``FileNotFoundError``) when there is none, e.g. for a
    model saved before the course recorded training data, and ``ValueError`` when it is unreadable.
    """
    path = Path(path)
    folder = path if path.is_dir() else path.parent
    if not path.exists():
        raise FileNotFoundError(f"no saved model or folder at {path}")
    record_path = folder / TRAINING_RECORD
    if not record_path.is_file():
        raise TrainingRecordMissingError(
            f"{folder} has no {TRAINING_RECORD}: these models were saved without a record of their training "
            "data (by an older version of the course, or without trained_on=), so nobody can tell which real "
            "digits they never saw. Retrain them, or save them again with gh.checkpoints.save_models(..., "
            "trained_on=mnist.record.with_seed(SEED)) if you know what they trained on."
        )
    try:
        return TrainingData.from_dict(json.loads(record_path.read_text(encoding="utf-8")))
    except (ValueError, TypeError) as err:
        raise ValueError(f"{record_path} is not a readable training-data record ({err})") from err


def load_model(path: str | os.PathLike[str]) -> keras.Model:
    """Load a ``.keras`` model saved by the course, with Keras's ``safe_mode`` on.

    Raises ``FileNotFoundError`` naming the notebook step that makes the file when it is missing, and
    ``ValueError`` when the file is not a readable Keras model.
    """
    path = Path(path)
    if path.is_dir():
        raise IsADirectoryError(
            f"{path} is a folder; give the model file inside it, e.g. {path / 'generator.keras'}"
        )
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


#: The name of the random generator's state inside a checkpoint.
RNG_ENTRY = "rng"


class GANCheckpoint:
    """Checkpoints of a GAN's two networks, two optimizers and step count (and, given ``rng``, the state
    of its random generator), so training can resume.

    Wraps ``tf.train.Checkpoint`` and ``tf.train.CheckpointManager`` (keeps the ``max_to_keep`` latest).
    ``restore()`` loads the latest checkpoint if there is one and returns the step it was saved at (0 for a
    fresh start); ``save()`` writes a new one. A resumed run trains only what is left of its budget:
    ``remaining_steps(total_steps)`` and ``remaining_epochs(total_steps, steps_per_epoch)``, e.g.::

        start_step = checkpoint.restore()                      # or checkpoint.archive() to start over
        epochs = checkpoint.remaining_epochs(STEPS, STEPS_PER_EPOCH)
        if epochs:
            gan.fit(dataset, epochs=epochs, steps_per_epoch=STEPS_PER_EPOCH, callbacks=[...])

    ``trained_on`` (a :class:`~gan_helpers.data.TrainingData`) is saved in the checkpoint folder, and a
    restore refuses to continue a run on other data (it would silently mix two training sets). Saving
    into a folder that holds an earlier run's checkpoints needs ``restore()`` (continue it) or
    ``archive()`` (move it aside) first, so a new run never deletes a learner's checkpoints.

    ``rng``: the GAN's ``tf.random.Generator`` (``gan.rng``, the source of its noise z, instance noise
    and augmentation), saved and restored with the rest. With it, and the data continuing where it
    stopped (:meth:`skip_seen_batches`), a resumed run repeats the uninterrupted one bit for bit on a
    CPU (see the module's notes); :meth:`from_gan` passes everything from a compiled GAN::

        checkpoint = GANCheckpoint.from_gan(gan, run_dir / "checkpoints", trained_on=record)
        checkpoint.restore()
        dataset = checkpoint.skip_seen_batches(gh.make_dataset(images, batch_size=128, seed=SEED).repeat())

    A checkpoint saved without a generator state (by an older version of the course) still loads, with a
    warning that the resumed run cannot repeat an uninterrupted one exactly (:attr:`exact_resume`).

    Saves are atomic: TensorFlow writes a new checkpoint's files first and then replaces the small
    ``checkpoint`` file that names the latest one (itself written to a temporary file and renamed), so a
    kill during :meth:`save` leaves the previous checkpoint the one :meth:`restore` loads. The files of the
    latest checkpoint are never rewritten in place (that would not be atomic): a save at the step of the
    latest checkpoint keeps it as it is, since the step counts the optimizers' updates and the same step
    means the same weights.
    """

    def __init__(
        self,
        generator: keras.Model,
        discriminator: keras.Model,
        g_optimizer: keras.optimizers.Optimizer,
        d_optimizer: keras.optimizers.Optimizer,
        directory: str | os.PathLike[str],
        max_to_keep: int = 3,
        trained_on: TrainingData | None = None,
        rng: tf.random.Generator | None = None,
    ) -> None:
        if Path(directory).exists() and not Path(directory).is_dir():
            raise NotADirectoryError(f"{directory} is a file; checkpoints need a folder")
        if isinstance(max_to_keep, bool) or not isinstance(max_to_keep, int) or max_to_keep < 1:
            raise ValueError(f"max_to_keep must be a positive integer, got {max_to_keep!r}")
        if rng is not None and not isinstance(rng, tf.random.Generator):
            raise TypeError(
                f"rng must be the GAN's tf.random.Generator (pass rng=gan.rng), got {type(rng).__name__}"
            )
        self.generator, self.discriminator = generator, discriminator
        self.g_optimizer, self.d_optimizer = g_optimizer, d_optimizer
        self.rng = rng
        self.trained_on = check_record(trained_on)
        self.step = tf.Variable(0, dtype=tf.int64, trainable=False, name="step")
        self._parts: dict[str, object] = {
            "generator": generator,
            "discriminator": discriminator,
            "g_optimizer": g_optimizer,
            "d_optimizer": d_optimizer,
            "step": self.step,
        }
        if rng is not None:
            self._parts[RNG_ENTRY] = rng
        self.checkpoint = tf.train.Checkpoint(**self._parts)
        self.manager = tf.train.CheckpointManager(self.checkpoint, str(directory), max_to_keep=max_to_keep)
        self._settled = False  # restore() or archive() ran, or this object saved: the folder is this run's
        #: Whether training continues exactly as an uninterrupted run would: the random generator is part
        #: of the checkpoints, and the restored checkpoint (if any) held its state.
        self.exact_resume = rng is not None

    @classmethod
    def from_gan(
        cls,
        gan: keras.Model,
        directory: str | os.PathLike[str],
        max_to_keep: int = 3,
        trained_on: TrainingData | None = None,
    ) -> GANCheckpoint:
        """Checkpoints of everything a compiled ``gan`` (a :class:`gan_helpers.training.GAN`) needs to
        resume exactly: both networks, both optimizers, the step and its random generator ``gan.rng``."""
        missing = [name for name in ("generator", "discriminator", "rng") if not hasattr(gan, name)]
        if missing:
            raise TypeError(
                f"from_gan needs a gan_helpers GAN (with generator, discriminator and rng), got "
                f"{type(gan).__name__} without {', '.join(missing)}; build GANCheckpoint(generator, "
                "discriminator, g_optimizer, d_optimizer, directory) for other models"
            )
        if getattr(gan, "g_optimizer", None) is None or getattr(gan, "d_optimizer", None) is None:
            raise ValueError(
                "this GAN has no optimizers yet: call gan.compile(...) before "
                "GANCheckpoint.from_gan(gan, ...)"
            )
        return cls(
            gan.generator,
            gan.discriminator,
            gan.g_optimizer,
            gan.d_optimizer,
            directory,
            max_to_keep=max_to_keep,
            trained_on=trained_on,
            rng=gan.rng,
        )

    def _build_optimizers(self) -> None:
        # Keras creates optimizer slots lazily; create them now so a restore can fill them in.
        for optimizer, model in ((self.g_optimizer, self.generator), (self.d_optimizer, self.discriminator)):
            if not optimizer.built:
                optimizer.build(model.trainable_variables)

    @property
    def directory(self) -> Path:
        return Path(self.manager.directory)

    @property
    def latest(self) -> str | None:
        """Path prefix of the latest checkpoint, or ``None``."""
        return self.manager.latest_checkpoint

    @property
    def restored_step(self) -> int:
        """The step the models are at: the restored (or last saved) step, 0 for a fresh start."""
        return int(self.step.numpy())

    def _stored_record(self) -> TrainingData | None:
        path = self.directory / TRAINING_RECORD
        if not path.is_file():
            return None
        return load_training_record(self.directory)

    def restore(self) -> int:
        """Load the latest checkpoint, if any; return its step (0 when starting fresh)."""
        self._settled = True
        if self.latest is None:
            return 0
        stored = self._stored_record()
        if (
            self.trained_on is not None
            and stored is not None
            and _data_of(stored) != _data_of(self.trained_on)
        ):
            raise ValueError(
                f"the checkpoint {self.latest} was trained on {stored.describe()}, but this run trains on "
                f"{self.trained_on.describe()}: resuming would mix two training sets. Load the same data "
                "(MNIST_SOURCE), or start over with RESUME = False (earlier checkpoints are moved aside)."
            )
        if not Path(f"{self.latest}.index").is_file():
            raise ValueError(
                f"{self.directory / 'checkpoint'} names {Path(self.latest).name} as the latest checkpoint, "
                "but its files are missing (deleted, or the folder was copied without them). Put them back, "
                "or start over with RESUME = False (the folder is moved aside, not deleted)."
            )
        self._build_optimizers()
        checkpoint, self.exact_resume = self.checkpoint, self.rng is not None
        if self.rng is not None and not self._holds_rng(self.latest):
            # An older checkpoint: restore what it has; the generator keeps its fresh state.
            checkpoint = tf.train.Checkpoint(**{k: v for k, v in self._parts.items() if k != RNG_ENTRY})
            self.exact_resume = False
            warnings.warn(
                f"the checkpoint {Path(self.latest).name} was saved without the state of the GAN's random "
                "generator (by an older version of the course), so training resumes from its weights and "
                "optimizers but draws other noise than the interrupted run would have: the result will "
                "not repeat an uninterrupted run exactly (start over with RESUME = False if you need that)",
                UserWarning,
                stacklevel=2,
            )
        try:
            checkpoint.restore(self.latest).assert_existing_objects_matched()
        except (AssertionError, ValueError, tf.errors.OpError) as err:
            raise ValueError(
                f"the checkpoint {self.latest} does not fit these models (were they built with other "
                f"sizes, e.g. another latent_dim?): {str(err).splitlines()[0][:200]}. Start over with "
                "RESUME = False (earlier checkpoints are moved aside, not deleted), or rebuild the models "
                "as they were."
            ) from err
        return self.restored_step

    @staticmethod
    def _holds_rng(prefix: str) -> bool:
        """Whether the checkpoint at ``prefix`` holds a random generator's state."""
        try:
            names = [name for name, _ in tf.train.list_variables(prefix)]
        except (ValueError, tf.errors.OpError):
            return True  # unreadable: let restore() explain
        return any(name.split("/", 1)[0] == RNG_ENTRY for name in names)

    @property
    def batches_seen(self) -> int:
        """Training steps the models have taken (one batch each): the generator optimizer's update count
        (with ``d_steps`` > 1 the discriminator's optimizer counts more)."""
        self._build_optimizers()
        return int(self.g_optimizer.iterations.numpy())

    def skip_seen_batches(self, dataset: tf.data.Dataset) -> tf.data.Dataset:
        """``dataset`` without the batches the restored models already trained on, so that the data
        continues where the interrupted run stopped. Call after :meth:`restore`.

        ``dataset`` must be the one the run trained on, built again the same way with the same seed
        (``gh.make_dataset(images, batch_size=..., seed=SEED).repeat()``), and repeat forever, as ``fit``
        with ``steps_per_epoch`` reads it: one stream of batches across epochs. Skipping reads the skipped
        batches (a few seconds for tens of thousands of MNIST batches); nothing is trained on them.
        """
        if not isinstance(dataset, tf.data.Dataset):
            raise TypeError(
                f"skip_seen_batches needs the training tf.data.Dataset, got {type(dataset).__name__}; build "
                "it with gh.make_dataset(images, batch_size=..., seed=SEED).repeat()"
            )
        if not self._settled:
            raise RuntimeError("call restore() (to continue) or archive() (to start over) first")
        seen = self.batches_seen
        if seen and int(dataset.cardinality()) >= 0:
            raise ValueError(
                f"the dataset ends after {int(dataset.cardinality()):,} batches, so fit() starts it again "
                "at every epoch and a resumed run cannot tell where the data stood; make it repeat forever "
                "(gh.make_dataset(..., seed=SEED).repeat()) and pass steps_per_epoch to fit(), as notebook "
                "04 does"
            )
        return dataset.skip(seen) if seen else dataset

    def remaining_steps(self, total_steps: int) -> int:
        """Steps still to train for a budget of ``total_steps``: ``total_steps`` minus the restored step
        (0 when the checkpoint already reached the budget). Call after :meth:`restore` or :meth:`archive`."""
        if isinstance(total_steps, bool) or not isinstance(total_steps, (int, np.integer)) or total_steps < 1:
            raise ValueError(f"total_steps must be a positive integer, got {total_steps!r}")
        if not self._settled:
            raise RuntimeError("call restore() (to continue) or archive() (to start over) first")
        return max(0, int(total_steps) - self.restored_step)

    def remaining_epochs(self, total_steps: int, steps_per_epoch: int) -> int:
        """Epochs of ``steps_per_epoch`` steps still to train for a budget of ``total_steps`` (pass it to
        ``fit(epochs=...)``; 0 means the budget is already reached, so skip ``fit``)."""
        remaining = self.remaining_steps(total_steps)
        if isinstance(steps_per_epoch, bool) or not isinstance(steps_per_epoch, (int, np.integer)):
            raise ValueError(f"steps_per_epoch must be a positive integer, got {steps_per_epoch!r}")
        if steps_per_epoch < 1 or total_steps % steps_per_epoch:
            raise ValueError(
                f"total_steps ({total_steps}) must be a positive multiple of steps_per_epoch "
                f"({steps_per_epoch})"
            )
        if remaining % steps_per_epoch:
            raise ValueError(
                f"the checkpoint is at step {self.restored_step:,}, which is not a whole number of epochs "
                f"of {steps_per_epoch:,} steps (was STEPS_PER_EPOCH changed?); set STEPS_PER_EPOCH back, or "
                "start over with RESUME = False"
            )
        return remaining // int(steps_per_epoch)

    def archive(self) -> Path | None:
        """Move existing checkpoints aside (to ``<folder>-previous-<time>``) before a fresh start, so a new
        run never deletes an earlier one's. Returns the archive folder, or ``None`` if there was nothing."""
        self._settled = True
        folder = self.directory
        if self.latest is None or not folder.is_dir():
            return None
        stamp = time.strftime("%Y%m%d-%H%M%S")
        target = folder.with_name(f"{folder.name}-previous-{stamp}")
        suffix = 1
        while target.exists():  # two archives within one second keep both
            suffix += 1
            target = folder.with_name(f"{folder.name}-previous-{stamp}-{suffix}")
        folder.rename(target)
        self.step.assign(0)
        self.manager = tf.train.CheckpointManager(
            self.checkpoint, str(folder), max_to_keep=self.manager._max_to_keep
        )
        return target

    def save(self, step: int) -> str:
        """Write a checkpoint at training step ``step``; returns its path prefix. At the step of the latest
        checkpoint nothing is written and that one's prefix is returned (its files are never rewritten)."""
        if isinstance(step, bool) or not isinstance(step, (int, np.integer)) or step < 0:
            raise ValueError(f"step must be a whole number >= 0, got {step!r}")
        if not self._settled and self.latest is not None:
            raise RuntimeError(
                f"{self.directory} holds checkpoints of an earlier run (latest: {Path(self.latest).name}); "
                "saving now would start deleting them. Call restore() to continue that run, or archive() to "
                "move it aside and start over."
            )
        self._settled = True
        self._build_optimizers()
        latest = self.latest
        if (
            latest is not None
            and Path(latest).name == f"ckpt-{int(step)}"
            and Path(f"{latest}.index").is_file()
        ):
            # Rewriting the latest checkpoint's files in place is not atomic (a kill in between would leave
            # neither the old nor the new one); the same step means the same weights, so keep it.
            prefix = latest
        else:
            self.step.assign(int(step))
            prefix = self.manager.save(checkpoint_number=int(step))
        if self.trained_on is not None:
            _write_text_atomically(self.directory / TRAINING_RECORD, self.trained_on.to_json())
        return prefix


def _data_of(record: TrainingData) -> tuple[object, ...]:
    """What must match to continue a run: the digits and their scale (not the seed)."""
    return (record.source, record.split, record.count, record.scale)
