"""Chapter 10's measurements: the exact Wasserstein-1 distance of two point clouds (to check a critic's
estimate against), WGAN-GP vs the non-saturating GAN on MNIST with the score measured as training goes, and
the figures for both.
"""

from __future__ import annotations

import hashlib
import numbers
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import keras
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from ..toolkit.checks import check_count, check_items, check_mapping, check_numbers
from ..toolkit.evaluation import Judge
from ..toolkit.images import tile_images
from ..toolkit.palette import D_COLOR, DATA_COLOR, G_COLOR, NON_SATURATING_COLOR
from ..toolkit.recipes import WGAN_GP_BATCH, WGAN_GP_BETAS, dcgan, wgan_gp
from ..toolkit.settings import seed_everything
from ..toolkit.training import GAN, default_optimizer
from . import recorded_runs
from .ring_experiments import RING, RingRun, RingSettings, SettingsSummary
from .ring_plots import coverage_label, draw_ring
from .toy2d import sample_ring

#: Notebook 10's three ways to train on the ring (steps set per method by RING_STEPS): the same networks,
#: batch 256 and a cosine decay of the learning rates to 0; Adam 2e-3 with beta_1 0.5 for the two classic
#: GANs, and for WGAN-GP 5 critic steps, Adam 1e-3 with betas (0, 0.9) (its runs were worse at 1e-4).
RING_METHODS = {
    "non-saturating GAN": RingSettings(d_lr=2e-3, g_lr=2e-3, beta_1=0.5, final_lr=0.0),
    "minibatch-std D": RingSettings(d_lr=2e-3, g_lr=2e-3, beta_1=0.5, final_lr=0.0, minibatch_std=True),
    "WGAN-GP": RingSettings(objective="wgan_gp", d_steps=5, beta_1=0.0, beta_2=0.9, final_lr=0.0),
}
#: generator steps per ring run in full mode, chosen so that each method trains for about the same time
RING_STEPS = {"non-saturating GAN": 8_000, "minibatch-std D": 8_000, "WGAN-GP": 1_600}
#: WGAN-GP's learning rate on MNIST in notebook 10 (the paper's 1e-4 needs far more steps than a CPU lesson)
MNIST_WGAN_LR = 5e-4
#: generator steps per MNIST run in full mode, about the same training time for both
MNIST_STEPS = {"non-saturating DCGAN": 600, "WGAN-GP": 300}


def ring_methods(steps: Mapping[str, int] | None = None) -> dict[str, RingSettings]:
    """:data:`RING_METHODS` with each method's generator steps (``steps``, by default :data:`RING_STEPS`)."""
    steps = dict(
        RING_STEPS if steps is None else check_mapping(steps, "steps", "{'method': generator steps}")
    )
    for name, value in steps.items():
        check_count(value, f"steps[{name!r}]", minimum=1)
    unknown = set(steps) ^ set(RING_METHODS)
    if unknown:
        raise ValueError(f"give steps for exactly these methods: {sorted(RING_METHODS)}; got {sorted(steps)}")
    return {name: settings.changed(steps=int(steps[name])) for name, settings in RING_METHODS.items()}


def race_contenders(base_filters: int = 32, seed: int = 42) -> dict[str, tuple[GAN, int]]:
    """Notebook 10's two MNIST GANs, compiled, each with its batch size: the non-saturating DCGAN of
    notebook 06 (logits D, Adam 2e-4 / 0.5, batch 128) and WGAN-GP (``build_dcgan_critic``, λ 10, 5 critic
    steps, Adam :data:`MNIST_WGAN_LR` with betas (0, 0.9), batch 64). Both generators are notebook 06's and
    start from the same seed."""
    seed_everything(seed)
    plain = dcgan(base_filters, seed)
    plain.compile(d_optimizer=default_optimizer(), g_optimizer=default_optimizer(), steps_per_execution=10)
    seed_everything(seed)
    critic_gan = wgan_gp(base_filters, seed=seed)
    beta_1, beta_2 = WGAN_GP_BETAS
    critic_gan.compile(
        d_optimizer=keras.optimizers.Adam(MNIST_WGAN_LR, beta_1=beta_1, beta_2=beta_2),
        g_optimizer=keras.optimizers.Adam(MNIST_WGAN_LR, beta_1=beta_1, beta_2=beta_2),
        steps_per_execution=10,
    )
    return {"non-saturating DCGAN": (plain, 128), "WGAN-GP": (critic_gan, WGAN_GP_BATCH)}


def exact_w1(a: np.ndarray, b: np.ndarray) -> float:
    """The Wasserstein-1 distance between two clouds of ``n`` points each, ``(n, d)``, every point weighing
    1/n: the mean distance of the cheapest one-to-one matching of ``a``'s points to ``b``'s (for equal
    weights the best transport plan is a matching). Exact; O(n^3), so keep n to a few thousand."""
    from scipy.optimize import linear_sum_assignment

    a = check_numbers(a, "a", shape="(n, d)", finite=False, allow_empty=True)
    b = check_numbers(b, "b", shape="(n, d), like a", finite=False, allow_empty=True)
    if a.ndim != 2 or a.shape != b.shape or len(a) == 0:
        raise ValueError(
            f"a and b must be point clouds of the same shape (n, d), got {a.shape} and {b.shape}"
        )
    for name, points in (("a", a), ("b", b)):
        if not np.all(np.isfinite(points)):
            raise ValueError(
                f"{name} must be finite points; it contains NaN or infinity (has the generator diverged?)"
            )
    cost = np.linalg.norm(a[:, None, :] - b[None, :, :], axis=2)
    rows, cols = linear_sum_assignment(cost)
    return float(cost[rows, cols].mean())


@dataclass(frozen=True)
class W1Trace:
    """A Wasserstein run on the ring, record by record: the critic's estimate E[f(x)] - E[f(G(z))]
    (averaged over the steps before each record) and the exact W1 between the generator's samples and ring
    samples (``points`` of each), at ``steps``. ``floor``: the exact W1 between two independent sets of
    ``points`` ring samples, what even a perfect generator would show (the modes' counts differ by chance,
    and moving mass between modes is expensive)."""

    steps: np.ndarray
    estimate: np.ndarray
    exact: np.ndarray
    floor: float


def w1_trace(run: RingRun, points: int = 500, seed: int = 0) -> W1Trace:
    """Compare a ring run's critic estimates with the exact W1 (:func:`exact_w1` on ``points`` samples of
    the generator at each record and as many fresh ring samples). ``run`` must come from
    ``train_on_ring`` with ``objective="wgan_gp"`` (its history has ``d_real`` and ``d_fake``)."""
    if not isinstance(run, RingRun):
        raise TypeError(f"run must be a RingRun from train_on_ring, got {type(run).__name__}")
    if run.settings.objective != "wgan_gp":
        raise ValueError("the run's D is a classifier, not a critic: its scores estimate no distance")
    ring = sample_ring(points, seed=seed, **RING)
    estimate = np.asarray(run.history["d_real"]) - np.asarray(run.history["d_fake"])
    exact = np.array([exact_w1(samples[:points], ring) for samples in run.samples[1:]])
    floor = exact_w1(sample_ring(points, seed=seed + 1, **RING), ring)
    return W1Trace(np.asarray(run.steps[1:]), estimate, exact, floor)


def plot_w1_trace(run: RingRun, trace: W1Trace) -> Figure:
    """Left: the run's final samples on the ring. Right: the critic's estimate and the exact W1 over
    training, with the share of high-quality samples on its own axis."""
    if not isinstance(run, RingRun):
        raise TypeError(f"run must be a RingRun (from train_on_ring), got {type(run).__name__}")
    if not isinstance(trace, W1Trace):
        raise TypeError(f"trace must be a W1Trace (from w1_trace), got {type(trace).__name__}")
    fig, (ax_ring, ax) = plt.subplots(1, 2, figsize=(11, 3.8), gridspec_kw={"width_ratios": (1, 1.7)})
    draw_ring(ax_ring, run.samples[-1], f"after {run.steps[-1]:,} steps: {coverage_label(run.final)}")
    ax.plot(
        trace.steps,
        trace.estimate,
        "o-",
        ms=3,
        color=D_COLOR,
        lw=2,
        label="critic's estimate E f(x) - E f(G(z))",
    )
    ax.plot(trace.steps, trace.exact, "o--", ms=3, color="black", lw=1.5, label="exact W1 of the samples")
    ax.axhline(trace.floor, color="black", lw=1, ls=":", label=f"two real samples: {trace.floor:.2f}")
    ax.set_xlabel("generator step")
    ax.set_ylabel("distance")
    ax.set_ylim(bottom=0)
    ax.grid(alpha=0.3)
    right = ax.twinx()
    quality = [c.high_quality_share for c in run.coverage[1:]]
    right.plot(trace.steps, quality, color=DATA_COLOR, lw=1.5, alpha=0.8, label="high-quality share")
    right.set_ylim(0, 1)
    right.set_ylabel("high-quality share", color=DATA_COLOR)
    lines = ax.get_legend_handles_labels()[0] + right.get_legend_handles_labels()[0]
    ax.legend(lines, [line.get_label() for line in lines], fontsize=8, loc="upper right")
    ax.set_title("the critic's estimate of W1 against the exact distance", fontsize=10)
    fig.tight_layout()
    plt.close(fig)
    return fig


def plot_final_samples(summaries: Sequence[SettingsSummary], points: int = 500) -> Figure:
    """One row per setting, one column per seed: the first ``points`` final samples of each run on the
    ring, titled with its modes covered and high-quality share."""
    summaries = check_items(summaries, "summaries", SettingsSummary, "compare_settings(...)")
    points = check_count(points, "points", minimum=1)
    columns = max(len(s.runs) for s in summaries)
    fig, axes = plt.subplots(
        len(summaries), columns, figsize=(2.1 * columns, 2.25 * len(summaries)), squeeze=False
    )
    for row, summary in zip(axes, summaries, strict=True):
        for ax in row:
            ax.set_axis_off()
        for ax, run in zip(row, summary.runs, strict=False):
            draw_ring(ax, run.samples[-1][:points])
            ax.set_title(f"{run.final.modes_covered} modes, {run.final.high_quality_share:.0%}", fontsize=8)
        row[0].text(
            -0.12,
            0.5,
            summary.name,
            transform=row[0].transAxes,
            rotation=90,
            ha="right",
            va="center",
            fontsize=9,
        )
    fig.tight_layout()
    plt.close(fig)
    return fig


@dataclass
class RaceRecord:
    """One MNIST run measured as it trains: after every chunk, the generator steps so far, the training
    seconds so far, the judge's score, FD and classes covered on the same noise, and the chunk's mean
    ``d_real - d_fake`` (for a critic, its W1 estimate). ``samples``: the last chunk's images in [0, 1] (a
    race recorded for presenter mode keeps the first 100 of them, in float16)."""

    name: str
    steps: list[int] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)
    score: list[float] = field(default_factory=list)
    fd: list[float] = field(default_factory=list)
    classes: list[int] = field(default_factory=list)
    gap: list[float] = field(default_factory=list)
    samples: np.ndarray | None = None


def race(
    name: str,
    gan: keras.Model,
    dataset: object,
    steps: int,
    chunk: int,
    judge: Judge,
    z: np.ndarray,
    trained_on: object = None,
) -> RaceRecord:
    """Train a compiled ``gan`` on ``dataset`` (endless, images in [-1, 1]) for ``steps`` generator steps,
    ``chunk`` at a time, and after each chunk judge ``generator(z)`` (``z`` ``(judge.samples, latent)``)
    with ``judge``. Training time excludes the judging. Returns a :class:`RaceRecord`.

    In presenter mode, the race recorded when the course's outputs were made with the same name, steps,
    chunk, noise and network sizes is returned instead (its first 100 final images, float16), with one
    printed line, and ``gan`` is left untrained (see :mod:`gan_helpers.teaching.recorded_runs`)."""
    for label, value in (("steps", steps), ("chunk", chunk)):
        if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
            raise ValueError(f"{label} must be a whole number >= 1, got {value!r}")
    if steps % chunk:
        raise ValueError(f"steps ({steps}) must be a multiple of chunk ({chunk})")
    if not isinstance(gan, keras.Model) or not callable(getattr(gan, "generator", None)):
        raise TypeError(f"gan must be a compiled gh.training.GAN, got {type(gan).__name__}")
    if not callable(getattr(judge, "judge", None)):
        raise TypeError(f"judge must be a gh.evaluation.Judge, got {type(judge).__name__}")
    noise = check_numbers(z, "z", shape="(judge.samples, latent)", ndim=2).astype(np.float32)
    key = {
        "name": str(name),
        "steps": int(steps),
        "chunk": int(chunk),
        "z": hashlib.sha256(np.ascontiguousarray(noise).tobytes()).hexdigest()[:16],
        "z_shape": list(noise.shape),
        "generator_params": int(gan.generator.count_params()),
        "discriminator_params": int(gan.discriminator.count_params()),
    }
    if (found := recorded_runs.find_run("race", key)) is not None:
        arrays, entry = found
        digits = f" on {entry['images']:,} training digits" if entry.get("images") else ""
        what = f"the recorded race of the {name}"
        print(recorded_runs.notice(what, float(arrays["seconds"][-1]), detail=f"{steps:,} steps{digits}"))
        return RaceRecord(
            name,
            steps=[int(v) for v in arrays["steps"]],
            seconds=[float(v) for v in arrays["seconds"]],
            score=[float(v) for v in arrays["score"]],
            fd=[float(v) for v in arrays["fd"]],
            classes=[int(v) for v in arrays["classes"]],
            gap=[float(v) for v in arrays["gap"]],
            samples=arrays["samples"],
        )
    record, spent = RaceRecord(name), 0.0
    for done in range(chunk, steps + 1, chunk):
        start = time.perf_counter()
        history = gan.fit(dataset, epochs=1, steps_per_epoch=chunk, verbose=0).history
        spent += time.perf_counter() - start
        images = np.clip((np.asarray(gan.generator(z, training=False)) + 1) / 2, 0, 1)
        report = judge.judge(name, images, seconds=spent, trained_on=trained_on)
        record.steps.append(done)
        record.seconds.append(spent)
        record.score.append(report.score)
        record.fd.append(report.fd)
        record.classes.append(report.classes)
        record.gap.append(float(history["d_real"][-1]) - float(history["d_fake"][-1]))
        record.samples = images
    if recorded_runs.recording_notebook() is not None:
        arrays = {
            "steps": np.asarray(record.steps, np.int64),
            "seconds": np.asarray(record.seconds, np.float64),
            "score": np.asarray(record.score, np.float64),
            "fd": np.asarray(record.fd, np.float64),
            "classes": np.asarray(record.classes, np.int64),
            "gap": np.asarray(record.gap, np.float64),
            "samples": np.asarray(record.samples[: recorded_runs.RACE_IMAGES], np.float16),
        }
        count = getattr(trained_on, "count", None)
        summary = f"score {record.score[-1]:.2f}, FD {record.fd[-1]:.2f}, classes {record.classes[-1]}"
        extra = {"images": int(count)} if isinstance(count, numbers.Integral) else {}
        recorded_runs.save_run("race", key, arrays, spent, summary, extra=extra)
    return record


def plot_race(records: Sequence[RaceRecord], floor: float | None = None) -> Figure:
    """Score and FD against training seconds for every record (the same wall clock for all), then each
    run's critic or discriminator gap ``d_real - d_fake`` against its generator steps."""
    records = check_items(records, "records", RaceRecord, "race(...)")
    if not all(r.steps for r in records):
        raise ValueError("records must have at least one chunk each (from race); got one without any")
    colors = (G_COLOR, D_COLOR, NON_SATURATING_COLOR, DATA_COLOR)
    fig, (ax_score, ax_fd, ax_gap) = plt.subplots(1, 3, figsize=(13, 3.5))
    for i, record in enumerate(records):
        color = colors[i % len(colors)]
        ax_score.plot(record.seconds, record.score, "o-", ms=3, color=color, label=record.name)
        ax_fd.plot(record.seconds, record.fd, "o-", ms=3, color=color, label=record.name)
        ax_gap.plot(record.steps, record.gap, "o-", ms=3, color=color, label=record.name)
    ax_score.set_ylim(0, 10)
    ax_score.set_title("classifier score (10 is the ceiling)", fontsize=10)
    ax_fd.set_yscale("log")
    if floor is not None:
        ax_fd.axhline(floor, color="black", ls=":", lw=1, label=f"real-vs-real floor {floor:.2f}")
    ax_fd.set_title("Fréchet distance (lower is better)", fontsize=10)
    for ax in (ax_score, ax_fd):
        ax.set_xlabel("training seconds")
    ax_gap.set_xlabel("generator step")
    ax_gap.set_title("D's gap E D(x) - E D(G(z)) (a critic: its W1 estimate)", fontsize=10)
    for ax in (ax_score, ax_fd, ax_gap):
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
    fig.tight_layout()
    plt.close(fig)
    return fig


def plot_race_samples(records: Mapping[str, RaceRecord] | Sequence[RaceRecord], count: int = 36) -> Figure:
    """The last samples of each record side by side (``count`` each, a square grid)."""
    records = check_items(records, "records", RaceRecord, "race(...)", mapping=True)
    if any(r.samples is None for r in records):
        raise ValueError("records must be RaceRecords that have samples (run race first); got one without")
    count = check_count(count, "count", minimum=1)
    side = int(np.sqrt(count))
    fig, axes = plt.subplots(1, len(records), figsize=(4.2 * len(records), 4.4), squeeze=False)
    for ax, record in zip(axes[0], records, strict=True):
        ax.imshow(tile_images(record.samples[: side * side], ncols=side), cmap="gray", vmin=0, vmax=1)
        ax.set_axis_off()
        ax.set_title(
            f"{record.name}: {record.steps[-1]:,} steps, {record.seconds[-1]:.0f} s\n"
            f"score {record.score[-1]:.2f}, FD {record.fd[-1]:.2f}",
            fontsize=10,
        )
    fig.tight_layout()
    plt.close(fig)
    return fig
