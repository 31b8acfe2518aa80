"""Keras callbacks for GAN training in notebooks: a live training view with a progress bar, and
checkpoints every epoch."""

from __future__ import annotations

import keras
import matplotlib.pyplot as plt
import numpy as np
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
