"""Short training runs of the chapter's MLP GAN on MNIST with chosen learning rates and losses
(chapter 05 shows the ring's failure modes on real images with them), and their figures."""

from __future__ import annotations

import inspect
import time
from collections.abc import Mapping
from dataclasses import dataclass, field

import keras
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import NullFormatter

from ..toolkit.checks import check_count, check_items, check_number
from ..toolkit.data import check_images, check_labels, make_dataset
from ..toolkit.images import to_uint8_grid
from ..toolkit.models import LATENT_DIM
from ..toolkit.palette import D_COLOR, DATA_COLOR, G_COLOR, NON_SATURATING_COLOR
from ..toolkit.recipes import mlp_gan
from ..toolkit.training import G_LOSSES, default_optimizer
from . import recorded_runs
from .diagnostics import class_mean_images, nearest_mean_shares, sample_diversity


@dataclass
class MnistRun:
    """One short run of the chapter's GAN: settings, the metrics averaged over each block of
    ``record_every`` steps (``steps`` gives each block's last step), the final fixed-noise samples
    ``(n, 28, 28, 1)`` in [0, 1], the share of 1,000 samples nearest to each digit's mean image
    (``class_shares``, ``(10,)``), the same for 500 fixed-noise samples at every record
    (``class_history``, ``(records, 10)``), their diversity relative to real digits, the training time and
    the trained ``generator``. A run loaded from a recording in presenter mode has everything but the
    generator (``None``), with its samples in float16."""

    name: str
    settings: dict[str, object]
    steps: list[int] = field(default_factory=list)
    history: dict[str, list[float]] = field(default_factory=dict)
    samples: np.ndarray | None = None
    class_shares: np.ndarray | None = None
    class_history: np.ndarray | None = None
    diversity: float = float("nan")
    seconds: float = 0.0
    generator: keras.Model | None = None


def train_chapter_gan(
    images: np.ndarray,
    labels: np.ndarray,
    name: str,
    steps: int,
    d_lr: float = 2e-4,
    g_lr: float = 2e-4,
    beta_1: float = 0.5,
    g_loss: str = "non_saturating",
    seed: int = 0,
    record_every: int = 100,
    batch_size: int = 128,
    n_samples: int = 24,
) -> MnistRun:
    """Train the chapter's MLP GAN (logits discriminator) on ``images`` ``(N, 28, 28, 1)`` in [0, 1]
    (``labels`` ``(N,)`` are used only to label the samples afterwards) for ``steps`` steps with
    Adam(``d_lr``/``g_lr``, ``beta_1``) and the generator loss ``g_loss``.

    Records the losses, D's average outputs and both gradient norms every ``record_every`` steps; at
    the end, ``n_samples`` samples from fixed noise (the same for every run with this ``seed``), and for
    1,000 fresh samples their nearest-mean digit classes
    (:func:`gan_helpers.diagnostics.template_class_shares`) and diversity
    (:func:`gan_helpers.diagnostics.sample_diversity`).
    """
    images = check_images(images, scale=(0, 1))  # the chapter's sigmoid generator makes pixels in [0, 1]
    labels = check_labels(labels, count=len(images))
    if g_loss not in G_LOSSES:
        raise ValueError(f"g_loss must be one of {G_LOSSES}, got {g_loss!r}")
    for knob, value in (("steps", steps), ("record_every", record_every), ("n_samples", n_samples)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
            raise ValueError(f"{knob} must be a positive integer, got {value!r}")
    if steps < record_every or steps % record_every:
        raise ValueError(f"steps ({steps}) must be a positive multiple of record_every ({record_every})")
    for knob, rate in (("d_lr", d_lr), ("g_lr", g_lr)):
        check_number(rate, knob, low=0, low_open=True)
    check_number(beta_1, "beta_1", low=0, high=1, high_open=True)
    check_count(batch_size, "batch_size", minimum=1, maximum=len(images))
    keras.utils.set_random_seed(seed)
    gan = mlp_gan(d_output="logits", g_loss=g_loss, track_gradients=True, seed=seed)
    gan.compile(
        d_optimizer=default_optimizer(d_lr, beta_1),
        g_optimizer=default_optimizer(g_lr, beta_1),
        steps_per_execution=record_every,
    )
    dataset = make_dataset(images, batch_size=batch_size, seed=seed).repeat()
    means = class_mean_images(images, labels)
    watch_z = np.random.default_rng(seed + 2).standard_normal((500, LATENT_DIM)).astype("float32")
    class_history: list[np.ndarray] = []
    record = keras.callbacks.LambdaCallback(
        on_epoch_end=lambda epoch, logs: class_history.append(
            nearest_mean_shares(gan.generator(watch_z, training=False).numpy(), means)
        )
    )
    start = time.perf_counter()
    history = gan.fit(
        dataset, epochs=steps // record_every, steps_per_epoch=record_every, callbacks=[record], verbose=0
    ).history
    seconds = time.perf_counter() - start
    many = gan.generate(1000)
    z = np.random.default_rng(seed + 1).standard_normal((n_samples, LATENT_DIM)).astype("float32")
    return MnistRun(
        name=name,
        settings={"d_lr": d_lr, "g_lr": g_lr, "beta_1": beta_1, "g_loss": g_loss, "seed": seed},
        steps=[record_every * (i + 1) for i in range(steps // record_every)],
        history={k: [float(v) for v in values] for k, values in history.items()},
        samples=gan.generate(z=z),
        class_shares=nearest_mean_shares(many, means),
        class_history=np.stack(class_history),
        diversity=sample_diversity(many, images, seed=seed),
        seconds=seconds,
        generator=gan.generator,
    )


def train_chapter_gans(
    images: np.ndarray,
    labels: np.ndarray,
    variants: Mapping[str, Mapping[str, object]],
    steps: int,
    workers: int | None = None,
    **common: object,
) -> dict[str, MnistRun]:
    """:func:`train_chapter_gan` once per variant, side by side in worker processes (one per CPU core,
    see :func:`gan_helpers.toolkit.processes.run_in_processes`; ``workers=1``: one after another here).

    ``variants`` maps a run's name to its changes from the defaults, e.g.
    ``{"recipe": {}, "D 10x faster": {"d_lr": 2e-3}}``; ``common`` goes to every run (e.g. ``seed``).
    Each run seeds itself, so the results are the same as one after another. Returns ``{name: MnistRun}``
    in the order of ``variants``. In presenter mode, runs recorded with the same settings when the course's
    outputs were made are used instead of training (one printed line; see
    :mod:`gan_helpers.teaching.recorded_runs`).
    """
    from ..toolkit.processes import run_in_processes

    if not isinstance(variants, Mapping) or not variants:
        raise ValueError(
            'variants must be a non-empty dict such as {"name": {"d_lr": 2e-3}, ...} ({} for the defaults); '
            f"got {variants!r}"
        )
    bad = [name for name, changes in variants.items() if not isinstance(changes, Mapping)]
    if bad:
        raise ValueError(
            f"each of the variants must be a dict of settings, e.g. {{'d_lr': 2e-3}}; {bad[0]!r} is a "
            f"{type(variants[bad[0]]).__name__}"
        )
    known = set(inspect.signature(train_chapter_gan).parameters) - {"images", "labels", "name", "steps"}
    for name, changes in variants.items():
        unknown = sorted(set(changes) - known)
        if unknown:
            raise ValueError(
                f"variants[{name!r}] has unknown settings {unknown}; settings must be some of {sorted(known)}"
            )
    check_count(steps, "steps", minimum=1)
    images = check_images(images, scale=(0, 1))  # checked here, before any worker starts
    labels = check_labels(labels, count=len(images))
    jobs = {
        name: {"images": images, "labels": labels, "name": name, "steps": steps, **common, **changes}
        for name, changes in variants.items()
    }
    keys = {name: _run_key(job) for name, job in jobs.items()}
    runs: dict[str, MnistRun] = {}
    digits = set()
    for name, key in keys.items():
        if (found := recorded_runs.find_run("mnist", key)) is not None:
            runs[name] = _from_recording(name, key, *found)
            digits.add(int(found[1]["images"]))
    missing = [name for name in jobs if name not in runs]
    if runs:
        seconds = sum(run.seconds for run in runs.values())
        what = recorded_runs.many(len(runs), "MNIST run")
        what += f" on {' or '.join(f'{d:,}' for d in sorted(digits))} digits"
        print(recorded_runs.notice(what, seconds, len(runs), trained_here=len(missing)))
    # about 4.5 ms per step on a 2-core laptop CPU (notebook 05: 4,000 steps in 15-22 s), plus tracing
    estimate = len(missing) * (3.0 + 4.5e-3 * steps) if isinstance(steps, int) else None
    todo = [jobs[name] for name in missing]
    trained = run_in_processes(train_chapter_gan, todo, workers, estimated_seconds=estimate)
    for name, run in zip(missing, trained, strict=True):
        runs[name] = run
        _record(keys[name], run, len(images))
    return {name: runs[name] for name in variants}


def _run_key(job: Mapping[str, object]) -> dict[str, object]:
    """What defines a run of :func:`train_chapter_gan`: every argument but the data and the run's name
    (a recording made on the offline subset is shown wherever presenter mode runs; its notice says on how
    many digits it trained)."""
    bound = inspect.signature(train_chapter_gan).bind(**job)
    bound.apply_defaults()
    key = {k: v for k, v in bound.arguments.items() if k not in ("images", "labels", "name")}
    return {k: (v.item() if isinstance(v, np.generic) else v) for k, v in key.items()}


def _record(key: dict[str, object], run: MnistRun, images: int) -> None:
    if recorded_runs.recording_notebook() is None:
        return
    arrays = {
        "steps": np.asarray(run.steps, np.int64),
        "samples": np.asarray(run.samples, np.float16),
        "class_shares": np.asarray(run.class_shares, np.float64),
        "class_history": np.asarray(run.class_history, np.float64),
        "diversity": np.asarray(run.diversity, np.float64),
    }
    arrays.update(recorded_runs.pack_history(run.history))
    top = int(np.argmax(run.class_shares))
    summary = f"most common class {top} ({run.class_shares[top]:.0%}), diversity {run.diversity:.2f}"
    recorded_runs.save_run("mnist", key, arrays, run.seconds, summary, extra={"images": images})


def _from_recording(
    name: str, key: Mapping[str, object], arrays: Mapping[str, np.ndarray], entry: Mapping[str, object]
) -> MnistRun:
    settings = {k: key[k] for k in ("d_lr", "g_lr", "beta_1", "g_loss", "seed")}
    return MnistRun(
        name=name,
        settings=settings,
        steps=[int(s) for s in arrays["steps"]],
        history=recorded_runs.unpack_history(arrays),
        samples=arrays["samples"],
        class_shares=arrays["class_shares"],
        class_history=arrays["class_history"],
        diversity=float(arrays["diversity"]),
        seconds=float(entry["seconds"]),
        generator=None,
    )


def plot_mnist_runs(runs: Mapping[str, MnistRun] | list[MnistRun], ncols: int = 8) -> Figure:
    """For each run (one row): its final fixed-noise samples, the share of samples nearest to each
    digit's mean image, D's average verdicts over training and both gradient norms (log scale)."""
    runs = check_items(runs, "runs", MnistRun, "train_chapter_gan(...)", mapping=True)
    if not runs:
        raise ValueError("give at least one run")
    fig, axes = plt.subplots(
        len(runs),
        4,
        figsize=(15, 2.7 * len(runs)),
        squeeze=False,
        gridspec_kw={"width_ratios": (1.5, 0.9, 1, 1)},
    )
    for (ax_img, ax_cls, ax_d, ax_grad), run in zip(axes, runs, strict=True):
        ax_img.imshow(to_uint8_grid(run.samples, (0.0, 1.0), ncols), cmap="gray", vmin=0, vmax=255)
        ax_img.set_axis_off()
        ax_img.set_title(run.name, fontsize=10)
        ax_cls.bar(range(10), run.class_shares, color=G_COLOR)
        ax_cls.axhline(0.1, color="#555555", lw=1, ls=":")
        ax_cls.set_xticks(range(10))
        ax_cls.set_ylim(0, 1)
        ax_cls.tick_params(labelsize=8)
        ax_cls.set_title("nearest digit mean (share)", fontsize=10)
        ax_d.plot(run.steps, run.history["d_real"], color=DATA_COLOR, label="D(x), real")
        ax_d.plot(run.steps, run.history["d_fake"], color=G_COLOR, label="D(G(z)), fake")
        ax_d.axhline(0.5, color="#555555", lw=1, ls=":")
        ax_d.set_ylim(0, 1)
        ax_d.set_title("D's average verdict", fontsize=10)
        ax_d.legend(fontsize=8, loc="best")
        ax_grad.semilogy(run.steps, run.history["g_grad_norm"], color=NON_SATURATING_COLOR, label="G")
        ax_grad.semilogy(run.steps, run.history["d_grad_norm"], color=D_COLOR, label="D")
        ax_grad.set_title("gradient norms", fontsize=10)
        ax_grad.legend(fontsize=8, loc="best")
        ax_grad.yaxis.set_minor_formatter(NullFormatter())
        for ax in (ax_d, ax_grad):
            ax.grid(alpha=0.3)
    axes[-1, 1].set_xlabel("digit")
    for ax in axes[-1, 2:]:
        ax.set_xlabel("training step")
    fig.tight_layout()
    plt.close(fig)
    return fig


def plot_class_history(runs: Mapping[str, MnistRun] | list[MnistRun]) -> Figure:
    """For each run, a heat map of which digit (rows, by nearest class mean) the generator's samples
    from fixed noise resemble over training (columns): the MNIST version of the ring's mode heat map.
    A bright cell that moves between rows is a generator switching its favourite digit."""
    runs = check_items(runs, "runs", MnistRun, "train_chapter_gan(...)", mapping=True)
    if not runs:
        raise ValueError("give at least one run")
    fig, axes = plt.subplots(1, len(runs), figsize=(3.6 * len(runs) + 0.8, 3.4), squeeze=False)
    image = None
    for ax, run in zip(axes[0], runs, strict=True):
        image = ax.imshow(
            run.class_history.T,
            aspect="auto",
            cmap="magma",
            vmin=0,
            vmax=1,
            interpolation="nearest",
            extent=(0, run.steps[-1], 9.5, -0.5),
        )
        ax.set_yticks(range(10))
        ax.set_xlabel("training step")
        ax.set_title(run.name, fontsize=10)
    axes[0, 0].set_ylabel("nearest digit mean")
    fig.tight_layout()
    fig.colorbar(image, ax=axes[0], shrink=0.9, pad=0.01, label="share of samples")
    plt.close(fig)
    return fig
