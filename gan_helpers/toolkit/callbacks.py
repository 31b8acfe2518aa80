"""Keras callbacks for GAN training in notebooks: a live training view with a progress bar,
checkpoints every epoch, and a guard that stops a diverging run and sets it back to its last good state."""

from __future__ import annotations

from pathlib import Path

import keras
import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from .checkpoints import GANCheckpoint
from .images import to_uint8_grid
from .live_figure import LiveFigure
from .palette import D_COLOR, DATA_COLOR, G_COLOR, NON_SATURATING_COLOR
from .progress import progress_bar

HISTORY_KEYS = ("step", "d_loss", "g_loss", "d_real", "d_fake")


def _step_label(step: float, _position: object = None) -> str:
    """Axis label for a training step: 500, 2k, 12.5k (short enough that ticks never run together)."""
    if abs(step) < 1000:
        return f"{step:g}"
    return f"{step / 1000:g}k"


class TrainingMonitor(keras.callbacks.Callback):
    """What a learner watches while a GAN trains with ``fit``: a progress bar, samples from fixed noise,
    the two losses and D's average outputs, redrawn in place (throttled, see :class:`LiveFigure`).

    - ``total_steps``: the steps this ``fit`` call will run (for the progress bar).
    - ``n_samples``: how many fixed-noise samples to show (the same noise all along, so changes are
      the generator's, not the noise's); ``scale`` is their pixel range.
    - ``live``: redraw during training (default: in Jupyter and not in fast mode); otherwise one final
      figure.

    After training: ``history`` (lists per logged step), ``snapshots`` (one uint8 sample grid per epoch,
    with its step, for a GIF) and ``figure``. The model must be a ``gan_helpers`` ``GAN``. For a conditional
    GAN the samples ask for the digits 0, 1, 2, ... in turn (sample i for class ``i % num_classes``): with
    ``n_samples=100`` each column of the 10 x 10 grid is one digit.
    """

    def __init__(
        self,
        total_steps: int,
        n_samples: int = 64,
        scale: tuple[float, float] = (0.0, 1.0),
        live: bool | None = None,
        min_interval: float = 2.0,
        seed: int = 0,
    ) -> None:
        super().__init__()
        if total_steps < 1 or n_samples < 1:
            raise ValueError("total_steps and n_samples must be positive")
        self.total_steps, self.n_samples, self.scale = total_steps, n_samples, scale
        self.ncols = int(np.ceil(np.sqrt(n_samples)))
        self.seed, self.live_setting, self.min_interval = seed, live, min_interval
        self.history: dict[str, list[float]] = {k: [] for k in HISTORY_KEYS}
        self.snapshots: list[tuple[int, np.ndarray]] = []
        self.figure: Figure | None = None
        self.fixed_labels: np.ndarray | None = None

    # -- helpers ------------------------------------------------------------------------------------
    def _step(self) -> int:
        return int(self.model.d_optimizer.iterations.numpy())

    def sample_grid(self) -> np.ndarray:
        """The current generator's samples from the fixed noise, as a uint8 grid."""
        inputs = self.fixed_z if self.fixed_labels is None else [self.fixed_z, self.fixed_labels]
        images = self.model.generator(inputs, training=False).numpy()
        return to_uint8_grid(images, self.scale, self.ncols)

    def _draw(self, fig: Figure) -> None:
        fig.clear()
        grid_ax, loss_ax, prob_ax = fig.subplots(1, 3, gridspec_kw={"width_ratios": (1, 1.2, 1.2)})
        step = self.history["step"][-1] if self.history["step"] else self._step()
        grid_ax.imshow(self.sample_grid(), cmap="gray", vmin=0, vmax=255, interpolation="nearest")
        grid_ax.set_title(f"fixed-noise samples, step {step:,}", fontsize=10)
        grid_ax.set_axis_off()
        steps = self.history["step"]
        loss_ax.plot(steps, self.history["d_loss"], color=D_COLOR, label="L_D")
        loss_ax.plot(steps, self.history["g_loss"], color=NON_SATURATING_COLOR, label="L_G")
        loss_ax.axhline(2 * np.log(2), color=D_COLOR, lw=1, ls=":", label="2 log 2")
        loss_ax.axhline(np.log(2), color=NON_SATURATING_COLOR, lw=1, ls=":", label="log 2")
        loss_ax.set_xlabel("step")
        loss_ax.set_title("losses (running means since each epoch began)", fontsize=10)
        loss_ax.legend(fontsize=8, loc="best")
        prob_ax.plot(steps, self.history["d_real"], color=DATA_COLOR, label="D(x), real")
        prob_ax.plot(steps, self.history["d_fake"], color=G_COLOR, label="D(G(z)), fake")
        prob_ax.axhline(0.5, color="#555555", lw=1, ls=":")
        prob_ax.set_ylim(0, 1)
        prob_ax.set_xlabel("step")
        prob_ax.set_title("D's average verdict", fontsize=10)
        prob_ax.legend(fontsize=8, loc="best")
        for ax in (loss_ax, prob_ax):
            ax.xaxis.set_major_locator(MaxNLocator(5, integer=True))
            ax.xaxis.set_major_formatter(FuncFormatter(_step_label))
        fig.tight_layout()

    # -- Keras hooks --------------------------------------------------------------------------------
    def on_train_begin(self, logs: dict | None = None) -> None:
        rng = np.random.default_rng(self.seed)
        self.fixed_z = rng.standard_normal((self.n_samples, self.model.latent_dim)).astype("float32")
        classes = getattr(self.model, "num_classes", None)
        self.fixed_labels = None if classes is None else np.arange(self.n_samples, dtype="int32") % classes
        self._start = self._step()
        self._bar = progress_bar(self.total_steps, desc="training")
        self.view = LiveFigure(
            plt.figure(figsize=(13, 4)), self._draw, min_interval=self.min_interval, live=self.live_setting
        )
        if not self.snapshots:
            self.snapshots.append((self._start, self.sample_grid()))

    def on_train_batch_end(self, batch: int, logs: dict | None = None) -> None:
        logs = logs or {}
        step = self._step()
        if all(k in logs for k in HISTORY_KEYS[1:]):
            self.history["step"].append(step)
            for key in HISTORY_KEYS[1:]:
                self.history[key].append(float(logs[key]))
        self._bar.update(min(step - self._start, self.total_steps) - self._bar.n)
        self.view.update()

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        self.snapshots.append((self._step(), self.sample_grid()))

    def on_train_end(self, logs: dict | None = None) -> None:
        self._bar.close()
        self.figure = self.view.finish()


class CheckpointEveryEpoch(keras.callbacks.Callback):
    """Save a :class:`GANCheckpoint` at the end of every ``every`` epochs and when training ends."""

    def __init__(self, checkpoint: GANCheckpoint, every: int = 1) -> None:
        super().__init__()
        if every < 1:
            raise ValueError(f"every must be at least 1, got {every}")
        self.checkpoint, self.every = checkpoint, every

    def _save(self) -> None:
        self.checkpoint.save(int(self.model.d_optimizer.iterations.numpy()))

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        if (epoch + 1) % self.every == 0:
            self._save()

    def on_train_end(self, logs: dict | None = None) -> None:
        self._save()


class AnnealInstanceNoise(keras.callbacks.Callback):
    """Lower a ``GAN``'s instance noise linearly from its starting value to 0 over ``steps`` steps
    (instance noise helps most early, when real and generated samples barely overlap)."""

    def __init__(self, steps: int) -> None:
        super().__init__()
        if isinstance(steps, bool) or not isinstance(steps, int) or steps < 1:
            raise ValueError(f"steps must be a positive integer, got {steps!r}")
        self.steps = steps
        self.start: float | None = None

    def on_train_begin(self, logs: dict | None = None) -> None:
        if self.start is None:
            self.start = float(self.model.instance_noise.numpy())
            if self.start <= 0:
                self.start = None
                raise ValueError(
                    "this GAN has no instance noise to anneal: build it with e.g. instance_noise=0.1 "
                    "(or set gan.instance_noise.assign(0.1) first)"
                )

    def on_train_batch_end(self, batch: int, logs: dict | None = None) -> None:
        done = int(self.model.d_optimizer.iterations.numpy())
        self.model.instance_noise.assign(self.start * max(0.0, 1.0 - done / self.steps))


class LabelAgreementTrace(keras.callbacks.Callback):
    """How often a conditional GAN draws the digit it is asked for, measured as it trains.

    At the start and at the end of every epoch (``steps_per_epoch`` steps) the generator draws images
    for ``labels`` ``(N,)`` from the fixed noise ``z`` ``(N, latent_dim)`` and ``judge`` (a
    :class:`gan_helpers.evaluation.Judge`) measures their label agreement; ``scale`` is the generator's
    pixel range (``(-1, 1)`` for tanh), mapped to the judge's [0, 1].

    After training: ``steps`` (generator steps at each measurement) and ``agreements`` (one
    :class:`~gan_helpers.metrics.LabelAgreement` each). With ``keep_weights_at``, the generator's
    weights at those steps are kept in ``weights[step]`` (see :meth:`generator_at`), so a model can be
    judged again at an earlier step, e.g. at the budget of a shorter run.
    """

    def __init__(
        self,
        judge: object,
        z: np.ndarray,
        labels: np.ndarray,
        scale: tuple[float, float] = (-1.0, 1.0),
        keep_weights_at: tuple[int, ...] = (),
    ) -> None:
        super().__init__()
        if not callable(getattr(judge, "label_agreement", None)):
            raise TypeError(
                f"judge must be a gan_helpers Judge (with label_agreement), got {type(judge).__name__}"
            )
        z, labels = np.asarray(z, dtype="float32"), np.asarray(labels)
        if z.ndim != 2 or labels.ndim != 1 or len(z) != len(labels) or len(z) == 0:
            raise ValueError(
                f"z must be (N, latent_dim) and labels (N,) with the same N > 0, got z {z.shape} and "
                f"labels {labels.shape}; gh.sampling.class_grid_inputs(per_class, num_classes, latent_dim) "
                "makes both"
            )
        low, high = (float(v) for v in scale)
        if not high > low:
            raise ValueError(f"scale must be (low, high) with high > low, got {scale!r}")
        self.judge, self.z, self.labels, self.scale = judge, z, labels, (low, high)
        self.keep_weights_at = tuple(int(step) for step in keep_weights_at)
        self.steps: list[int] = []
        self.agreements: list[object] = []
        self.weights: dict[int, list[np.ndarray]] = {}

    def _measure(self) -> None:
        step = int(self.model.g_optimizer.iterations.numpy())
        images = np.asarray(self.model.generate(z=self.z, labels=self.labels))
        low, high = self.scale
        self.steps.append(step)
        self.agreements.append(self.judge.label_agreement((images - low) / (high - low), self.labels))
        if step in self.keep_weights_at:
            self.weights[step] = [np.array(w) for w in self.model.generator.get_weights()]

    def on_train_begin(self, logs: dict | None = None) -> None:
        if self.model.num_classes is None:
            raise ValueError(
                "LabelAgreementTrace measures a conditional GAN: build the GAN with num_classes="
            )
        self._measure()

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        self._measure()

    def generator_at(self, step: int) -> keras.Model:
        """A copy of the generator with its weights after ``step`` steps (one of ``keep_weights_at``)."""
        if step not in self.weights:
            kept = sorted(self.weights) or "none"
            raise ValueError(
                f"no weights kept at step {step} (kept: {kept}); pass keep_weights_at=({step},) and make "
                f"{step} a multiple of steps_per_epoch"
            )
        copy = keras.models.clone_model(self.model.generator)
        copy.set_weights(self.weights[step])
        return copy


def _is_float(variable: object) -> bool:
    """Whether a Keras or TensorFlow variable holds floats (not an integer counter)."""
    dtype = variable.dtype  # type: ignore[attr-defined]
    return str(getattr(dtype, "name", dtype)).startswith(("float", "bfloat", "half"))


class TrainingDivergedError(RuntimeError):
    """Training produced a NaN or infinite loss or weight (raised by ``StopOnDivergence(raise_error=True)``
    after it has set the models back to their last good state)."""


class StopOnDivergence(keras.callbacks.Callback):
    """Stop training when a loss in the logs or a weight becomes NaN or infinite, set the networks, their
    optimizers and the GAN's random generator back to the last good state, and say at which step it
    happened and what usually causes it.

    - ``checkpoint``: a :class:`GANCheckpoint` that a :class:`CheckpointEveryEpoch` of the same ``fit``
      writes: the last good state is then its latest checkpoint (no copies kept in memory). Without it,
      the guard keeps a copy of every weight and optimizer variable at the end of each epoch whose
      weights are all finite (the models of the course are small).
    - ``raise_error``: after restoring, raise :class:`TrainingDivergedError` with the message (stops a
      script or a notebook's Run All); ``False`` (default) prints it and lets ``fit`` return.
    - ``verbose``: print the message (when not raising).

    It checks after every batch Keras reports: the logs (``d_loss``, ``g_loss``, ...) and, with one fused
    TensorFlow call, every float weight of the networks. With ``steps_per_execution=N`` Keras reports
    every N steps, so the message names the last N steps as the window where it happened; compile with
    ``steps_per_execution=1`` to find the exact step. Each epoch's logs are running means, so one NaN
    step makes the rest of its epoch's logged losses NaN too. A check never changes a number, so a
    guarded run that does not diverge is the same, bit for bit, as an unguarded one.

    Works with a ``gan_helpers`` ``GAN`` (``generator``, ``discriminator``, ``g_optimizer``,
    ``d_optimizer``, ``rng``) and with a plain compiled ``keras.Model``. Steps are counted as training
    steps (the generator optimizer's updates; a plain model's optimizer). After training:
    ``diverged_at`` (the step at which it was seen, ``None`` if it never was), ``window`` (first and last
    step it may have happened in), ``restored_step`` and ``message``.
    """

    def __init__(
        self, checkpoint: GANCheckpoint | None = None, raise_error: bool = False, verbose: bool = True
    ) -> None:
        super().__init__()
        if checkpoint is not None and not isinstance(checkpoint, GANCheckpoint):
            raise TypeError(
                f"checkpoint must be a gan_helpers GANCheckpoint (or None), got {type(checkpoint).__name__}"
            )
        self.checkpoint, self.raise_error, self.verbose = checkpoint, bool(raise_error), bool(verbose)
        self.diverged_at: int | None = None
        self.window: tuple[int, int] | None = None
        self.restored_step: int | None = None
        self.message: str | None = None
        self._good: list[np.ndarray] | None = None
        self._begin: list[np.ndarray] | None = None
        self._good_step = 0
        self._last_step = 0
        self._epoch = 0

    # -- what the model is made of ------------------------------------------------------------------
    def _parts(self) -> tuple[list[tuple[str, keras.Model]], list[keras.optimizers.Optimizer]]:
        model = self.model
        if all(hasattr(model, name) for name in ("generator", "discriminator", "g_optimizer", "d_optimizer")):
            networks = [("generator", model.generator), ("discriminator", model.discriminator)]
            return networks, [model.g_optimizer, model.d_optimizer]
        if getattr(model, "optimizer", None) is None:
            raise ValueError("StopOnDivergence needs a compiled model: call model.compile(...) before fit")
        return [("model", model)], [model.optimizer]

    def _step(self) -> int:
        return int(self._optimizers[0].iterations.numpy())

    def _setup(self) -> None:
        networks, self._optimizers = self._parts()
        for (_, network), optimizer in zip(networks, self._optimizers, strict=True):
            if not optimizer.built:  # Keras creates optimizer slots lazily: create them now, to copy them
                optimizer.build(network.trainable_variables)
        self._watched: list[tuple[str, tf.Variable]] = [
            (name, weight) for name, network in networks for weight in network.weights if _is_float(weight)
        ]
        rng = getattr(self.model, "rng", None)
        self._state = [w for _, network in networks for w in network.weights]
        self._state += [v for optimizer in self._optimizers for v in optimizer.variables]
        if isinstance(rng, tf.random.Generator):
            self._state.append(rng.state)
        watched = [weight for _, weight in self._watched]

        @tf.function(jit_compile=False)
        def finite_flags() -> tf.Tensor:
            return tf.stack([tf.reduce_all(tf.math.is_finite(w)) for w in watched])

        self._finite_flags = finite_flags

    def _nonfinite_networks(self) -> list[str]:
        flags = self._finite_flags().numpy()
        return sorted({name for (name, _), ok in zip(self._watched, flags, strict=True) if not ok})

    def _copy(self) -> list[np.ndarray]:
        return [np.array(v.numpy(), copy=True) for v in self._state]

    def _put_back(self, values: list[np.ndarray]) -> None:
        for variable, value in zip(self._state, values, strict=True):
            variable.assign(value)

    # -- Keras hooks --------------------------------------------------------------------------------
    def on_train_begin(self, logs: dict | None = None) -> None:
        self._setup()
        self.diverged_at = self.window = self.restored_step = self.message = None
        self._last_step = self._good_step = self._step()
        bad = self._nonfinite_networks()
        if bad:
            raise TrainingDivergedError(
                f"the {' and '.join(bad)} already has NaN or infinite weights before training starts (step "
                f"{self._last_step:,}): set it back to a good state first, e.g. checkpoint.restore() from a "
                "checkpoint saved before it diverged, or build the models again"
            )
        self._begin = self._copy()
        self._good = None

    def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
        self._epoch = epoch

    def on_train_batch_end(self, batch: int, logs: dict | None = None) -> None:
        if self.diverged_at is not None:
            return
        step = self._step()
        bad_logs = {}
        for key, value in (logs or {}).items():
            try:
                number = float(np.asarray(value, dtype="float64"))
            except (TypeError, ValueError):
                continue  # not a number: nothing to check
            if not np.isfinite(number):
                bad_logs[key] = number
        bad_networks = self._nonfinite_networks()
        if bad_logs or bad_networks:
            self._diverged(step, bad_logs, bad_networks)
        self._last_step = step

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        if self.diverged_at is None and self.checkpoint is None:
            self._good, self._good_step = self._copy(), self._step()

    # -- what happens when it diverges --------------------------------------------------------------
    def _restore(self) -> str:
        """Set everything back to the last good state; return where it came from."""
        if self.checkpoint is not None and self.checkpoint.latest is not None:
            name = Path(self.checkpoint.latest).name
            self.checkpoint.restore()
            if self._step() >= self._good_step and not self._nonfinite_networks():
                return f"the latest checkpoint, {name}"
        if self._good is not None:
            self._put_back(self._good)
            return "a copy kept at the end of the last good epoch"
        self._put_back(self._begin)  # type: ignore[arg-type]
        return "a copy kept when this fit() began"

    def _diverged(self, step: int, bad_logs: dict[str, float], bad_networks: list[str]) -> None:
        self.model.stop_training = True
        first = self._last_step + 1
        self.diverged_at, self.window = step, (first, step)
        if first >= step:
            where = f"step {step:,}"
        else:
            where = (
                f"step {step:,} (in one of steps {first:,}-{step:,}: Keras reports every {step - first + 1} "
                "steps with steps_per_execution; compile with steps_per_execution=1 to find the exact step)"
            )
        seen = [f"{key} = {value}" for key, value in bad_logs.items()]
        seen += [f"NaN or infinite weights in the {name}" for name in bad_networks]
        source = self._restore()
        self.restored_step = self._step()
        causes = [
            "a learning rate too high for this model (weights that grow step after step until they "
            "overflow): try one 2 to 10 times lower",
        ]
        if getattr(self.model, "d_output", None) != "critic":
            causes.append(
                "a log of zero: log(D) or log(1 - D) written by hand (a loss of your own, d_loss_fn or "
                "g_loss_fn, or a hand-written training step) is -inf once a sigmoid output rounds to exactly "
                "0 or 1 in float32; clip the probabilities as gh.losses does, or better let D output logits "
                "(d_output='logits') and use the softplus losses"
            )
        causes.append(
            "bad input data: NaN or infinite values in the training batches; check the data with "
            "np.isfinite(images).all() (a division by zero when scaling pixels makes them)"
        )
        self.message = (
            f"Training diverged at {where}, in epoch {self._epoch + 1}: {'; '.join(seen)}. Training stopped, "
            f"and the weights, optimizers and random generator were set back to step {self.restored_step:,} "
            f"({source}). Likely causes:\n" + "\n".join(f"- {cause}" for cause in causes)
        )
        if self.raise_error:
            raise TrainingDivergedError(self.message)
        if self.verbose:
            print(self.message)
