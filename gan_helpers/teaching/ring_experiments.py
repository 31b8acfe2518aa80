"""Train small GANs on the ring of Gaussians (chapter 05) and measure them: one run, or one setting
over several seeds, or several settings side by side.

Every run uses the course's trainer (:class:`gan_helpers.training.GAN`) with the toy networks from
:mod:`gan_helpers.models`, so a remedy is switched on the same way it would be for MNIST.
"""

from __future__ import annotations

import dataclasses
import time
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import keras
import numpy as np
import tensorflow as tf

from ..toolkit.callbacks import AnnealInstanceNoise
from ..toolkit.checks import check_count, check_items, check_mapping, check_numbers
from ..toolkit.models import build_ring_discriminator, build_ring_generator
from ..toolkit.training import G_LOSSES, GAN
from . import recorded_runs
from .ring_metrics import RingCoverage, mean_and_std, nearest_ring_mode, ring_coverage
from .toy2d import sample_ring

#: What the ring's GAN minimises: the classic GAN losses or the Wasserstein critic with a gradient penalty.
OBJECTIVES = ("gan", "wgan_gp")

#: The ring every chapter-05 experiment uses: 8 modes on a circle of radius 2, each with std 0.02.
RING = {"modes": 8, "radius": 2.0, "std": 0.02}


@dataclass(frozen=True)
class RingSettings:
    """One way to train a GAN on the ring.

    - ``g_loss``: ``"non_saturating"`` or ``"saturating"``.
    - ``d_lr``, ``g_lr``: Adam learning rates of D and G; ``beta_1``: Adam's momentum (0.9 is Keras's
      default, 0.5 the DCGAN choice).
    - ``real_label``: 1.0, or e.g. 0.9 for one-sided label smoothing.
    - ``instance_noise``: starting std of the noise added to D's inputs, lowered linearly to 0 over the
      first ``noise_anneal`` share of the steps (0 = off).
    - ``steps``, ``batch_size``: the training budget (``steps`` counts generator updates).
    - ``minibatch_std``: give D a :class:`~gan_helpers.models.MinibatchStdDev` layer (it sees each batch's
      spread, so a collapsed batch is easy to reject; notebook 10).
    - ``objective``: ``"gan"`` (the losses above) or ``"wgan_gp"``: a Wasserstein critic with a gradient
      penalty of weight ``gradient_penalty`` and ``d_steps`` critic updates per generator update
      (notebook 10).
    - ``beta_2``: Adam's second-moment decay (0.999 is Keras's default; WGAN-GP's paper uses 0.9).
    - ``final_lr``: the share of both learning rates left at the end of training; below 1 the rates follow a
      cosine decay from ``d_lr``/``g_lr`` down to ``final_lr`` times them (1 = constant rates).
    """

    g_loss: str = "non_saturating"
    d_lr: float = 1e-3
    g_lr: float = 1e-3
    beta_1: float = 0.9
    real_label: float = 1.0
    instance_noise: float = 0.0
    noise_anneal: float = 0.75
    steps: int = 3000
    batch_size: int = 256
    minibatch_std: bool = False
    objective: str = "gan"
    gradient_penalty: float = 10.0
    d_steps: int = 1
    beta_2: float = 0.999
    final_lr: float = 1.0

    def __post_init__(self) -> None:
        if self.g_loss not in G_LOSSES:
            raise ValueError(f"g_loss must be one of {G_LOSSES}, got {self.g_loss!r}")
        if self.objective not in OBJECTIVES:
            raise ValueError(f"objective must be one of {OBJECTIVES}, got {self.objective!r}")
        if not isinstance(self.minibatch_std, bool):
            raise ValueError(f"minibatch_std must be True or False, got {self.minibatch_std!r}")
        if self.objective == "wgan_gp":
            defaults = RingSettings()
            changed = [
                name
                for name in ("g_loss", "real_label", "instance_noise")
                if getattr(self, name) != getattr(defaults, name)
            ]
            if changed:
                raise ValueError(
                    f"objective='wgan_gp' has a critic, not a classifier: leave {', '.join(changed)} at "
                    "the default (they belong to the 'gan' objective)"
                )
            if self.minibatch_std:
                raise ValueError(
                    "objective='wgan_gp' penalises the critic's gradient sample by sample, which a minibatch "
                    "standard deviation layer (one statistic of the whole batch) breaks: use one or the other"
                )
            if not self.gradient_penalty > 0:
                raise ValueError(
                    f"gradient_penalty must be > 0 for 'wgan_gp' (the paper uses 10), got "
                    f"{self.gradient_penalty!r}"
                )
        if not 0 <= self.beta_2 < 1:
            raise ValueError(f"beta_2 must be in [0, 1), e.g. 0.9 or 0.999; got {self.beta_2!r}")
        if not 0 <= self.final_lr <= 1:
            raise ValueError(
                f"final_lr must be a share of the learning rate in [0, 1], got {self.final_lr!r}"
            )
        for name in ("d_lr", "g_lr"):
            value = getattr(self, name)
            if not 0 < value < 1:
                raise ValueError(f"{name} must be a learning rate between 0 and 1, e.g. 1e-3; got {value!r}")
        if not 0 <= self.beta_1 < 1:
            raise ValueError(f"beta_1 must be in [0, 1), e.g. 0.5 or 0.9; got {self.beta_1!r}")
        if not 0.5 < self.real_label <= 1:
            raise ValueError(f"real_label must be in (0.5, 1], e.g. 0.9; got {self.real_label!r}")
        if not self.instance_noise >= 0:
            raise ValueError(f"instance_noise must be >= 0, got {self.instance_noise!r}")
        if not 0 < self.noise_anneal <= 1:
            raise ValueError(f"noise_anneal must be in (0, 1], got {self.noise_anneal!r}")
        for name in ("steps", "batch_size", "d_steps"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"{name} must be a positive integer, got {value!r}")

    def changed(self, **changes: object) -> RingSettings:
        """A copy with some fields changed, e.g. ``base.changed(beta_1=0.5)``."""
        return dataclasses.replace(self, **changes)


@dataclass
class RingRun:
    """The record of one training run on the ring.

    ``steps[i]`` is the step at which ``samples[i]`` (generated from the same fixed noise, ``(n, 2)``)
    and ``coverage[i]`` were taken; ``history`` holds D's and G's losses, D's average outputs and the
    gradient norms, each averaged over the steps since the previous record. ``seconds`` is the training
    time (without building the models).

    A run loaded from a recording in presenter mode (:mod:`gan_helpers.teaching.recorded_runs`) has the
    same steps, coverage, history and seconds; its samples are float16, and for a run recorded inside
    :func:`compare_settings` only the first 500 points of each record (``coverage`` still counts all).
    """

    settings: RingSettings
    seed: int
    steps: list[int] = field(default_factory=list)
    samples: list[np.ndarray] = field(default_factory=list)
    coverage: list[RingCoverage] = field(default_factory=list)
    history: dict[str, list[float]] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def final(self) -> RingCoverage:
        """The coverage at the end of training."""
        return self.coverage[-1]


class _Recorder(keras.callbacks.Callback):
    def __init__(self, run: RingRun, z: np.ndarray) -> None:
        super().__init__()
        self.run, self.z = run, z

    def record(self, step: int, logs: Mapping[str, float] | None) -> None:
        points = self.model.generator(self.z, training=False).numpy()
        self.run.steps.append(step)
        self.run.samples.append(points)
        self.run.coverage.append(ring_coverage_or_diverged(points))
        for key, value in (logs or {}).items():
            self.run.history.setdefault(key, []).append(float(value))

    def on_train_begin(self, logs: dict | None = None) -> None:
        self.record(0, None)

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        self.record(int(self.model.g_optimizer.iterations.numpy()), logs)


def _adam(settings: RingSettings, rate: float, updates: int) -> keras.optimizers.Adam:
    """Adam with the settings' betas; the rate decays along a cosine over ``updates`` when final_lr < 1."""
    if settings.final_lr < 1:
        rate = keras.optimizers.schedules.CosineDecay(rate, decay_steps=updates, alpha=settings.final_lr)
    return keras.optimizers.Adam(rate, beta_1=settings.beta_1, beta_2=settings.beta_2)


def ring_coverage_or_diverged(points: np.ndarray) -> RingCoverage:
    """:func:`ring_coverage` on the course's ring, counting a diverged generator (NaN or infinite
    points) as covering nothing instead of raising."""
    points = check_numbers(points, "points", shape="(n, 2)", finite=False, allow_empty=True)
    if points.ndim != 2 or points.shape[1:] != (2,) or not len(points):
        raise ValueError(f"points must have shape (n, 2) with n >= 1, got {points.shape}")
    if not np.all(np.isfinite(points)):
        return RingCoverage(modes_covered=0, modes=RING["modes"], high_quality_share=0.0, samples=len(points))
    return ring_coverage(points, **RING)


def ring_dataset(batch_size: int, seed: int, pool: int = 65_536) -> tf.data.Dataset:
    """An endless ``tf.data`` stream of ring batches ``(batch_size, 2)`` drawn from a fixed pool."""
    pool = check_count(pool, "pool", minimum=1)
    batch_size = check_count(batch_size, "batch_size", minimum=1, maximum=pool)
    points = sample_ring(pool, seed=seed, **RING)
    return (
        tf.data.Dataset.from_tensor_slices(points)
        .shuffle(pool, seed=seed, reshuffle_each_iteration=True)
        .batch(batch_size, drop_remainder=True)
        .repeat()
        .prefetch(tf.data.AUTOTUNE)
    )


#: Runs already made in this session, by their arguments (at most RUNS_REMEMBERED, oldest dropped first).
_RUNS: OrderedDict[tuple, RingRun] = OrderedDict()
RUNS_REMEMBERED = 100


def _remembered(key: tuple) -> RingRun | None:
    run = _RUNS.get(key)
    if run is not None:
        _RUNS.move_to_end(key)
    return run


def _remember(key: tuple, run: RingRun) -> None:
    _RUNS[key] = run
    _RUNS.move_to_end(key)
    while len(_RUNS) > RUNS_REMEMBERED:
        _RUNS.popitem(last=False)


def _ring_key(key: tuple) -> dict[str, object]:
    settings, seed, record_every, n_samples, latent_dim = key
    return {
        "settings": dataclasses.asdict(settings),
        "seed": int(seed),
        "record_every": int(record_every),
        "n_samples": int(n_samples),
        "latent_dim": int(latent_dim),
    }


def _record(key: tuple, run: RingRun, points: int | None = None) -> None:
    """Record a freshly trained run when the course's refresh asks for it (see ``recorded_runs``)."""
    if recorded_runs.recording_notebook() is None:
        return
    arrays = {
        "steps": np.asarray(run.steps, dtype=np.int64),
        "samples": np.stack([s[:points] for s in run.samples]).astype(np.float16),
        "modes_covered": np.asarray([c.modes_covered for c in run.coverage], dtype=np.int64),
        "high_quality_share": np.asarray([c.high_quality_share for c in run.coverage], dtype=np.float64),
        "coverage_samples": np.asarray([c.samples for c in run.coverage], dtype=np.int64),
        "modes": np.asarray([c.modes for c in run.coverage], dtype=np.int64),
    }
    arrays.update(recorded_runs.pack_history(run.history))
    recorded_runs.save_run("ring", _ring_key(key), arrays, run.seconds, str(run.final))


def _recorded(key: tuple) -> RingRun | None:
    """In presenter mode, the recorded run with this key, else ``None``."""
    found = recorded_runs.find_run("ring", _ring_key(key))
    if found is None:
        return None
    arrays, entry = found
    settings, seed = key[0], key[1]
    coverage = [
        RingCoverage(modes_covered=int(c), modes=int(m), high_quality_share=float(q), samples=int(n))
        for c, m, q, n in zip(
            arrays["modes_covered"],
            arrays["modes"],
            arrays["high_quality_share"],
            arrays["coverage_samples"],
            strict=True,
        )
    ]
    return RingRun(
        settings=settings,
        seed=seed,
        steps=[int(s) for s in arrays["steps"]],
        samples=list(arrays["samples"]),
        coverage=coverage,
        history=recorded_runs.unpack_history(arrays),
        seconds=float(entry["seconds"]),
    )


def train_on_ring(
    settings: RingSettings = RingSettings(),
    seed: int = 0,
    record_every: int = 100,
    n_samples: int = 2000,
    latent_dim: int = 16,
    reuse: bool = True,
) -> RingRun:
    """Train a fresh toy GAN on the ring with ``settings`` and ``seed``; return its :class:`RingRun`.

    Every ``record_every`` steps (and at step 0) the generator draws ``n_samples`` points from the same
    fixed noise, and the ring metrics are measured on them. Takes seconds on a laptop CPU.

    A run is fully determined by its arguments (every random draw is seeded from ``seed``; on a CPU
    two runs give the same numbers bit for bit), so with ``reuse=True`` a run already made in this
    session with the same arguments is returned instead of being trained again. In presenter mode a run
    recorded with the same arguments when the course's outputs were made is returned instead of training
    (with one printed line; see :mod:`gan_helpers.teaching.recorded_runs`).
    """
    _check_run_arguments(settings, record_every, n_samples, latent_dim)
    check_count(seed, "seed", minimum=0, maximum=2**32 - 1)
    key = (settings, seed, record_every, n_samples, latent_dim)
    if reuse and (run := _remembered(key)) is not None:
        return run
    if (recorded := _recorded(key)) is not None:
        run = recorded
        print(recorded_runs.notice(f"the recorded run of seed {seed}", run.seconds))
    else:
        run = _train(settings, seed, record_every, n_samples, latent_dim)
        _record(key, run)
    _remember(key, run)
    return run


def _check_run_arguments(
    settings: object, record_every: object, n_samples: object, latent_dim: object
) -> None:
    check_count(n_samples, "n_samples", minimum=1)
    check_count(latent_dim, "latent_dim", minimum=1)
    if not isinstance(settings, RingSettings):
        raise TypeError(f"settings must be a RingSettings, got {type(settings).__name__}")
    if isinstance(record_every, bool) or not isinstance(record_every, int) or record_every < 1:
        raise ValueError(f"record_every must be a positive integer, got {record_every!r}")
    if settings.steps % record_every:
        raise ValueError(f"steps ({settings.steps}) must be a multiple of record_every ({record_every})")


def _train(settings: RingSettings, seed: int, record_every: int, n_samples: int, latent_dim: int) -> RingRun:
    """One run of :func:`train_on_ring`, always trained (module level, so worker processes can run it)."""
    keras.utils.set_random_seed(seed)
    wasserstein = settings.objective == "wgan_gp"
    gan = GAN(
        build_ring_generator(latent_dim),
        build_ring_discriminator(minibatch_std=settings.minibatch_std),
        d_output="critic" if wasserstein else "logits",
        g_loss=settings.g_loss,
        real_label=settings.real_label,
        instance_noise=settings.instance_noise,
        gradient_penalty=settings.gradient_penalty if wasserstein else 0.0,
        d_steps=settings.d_steps,
        track_gradients=True,
        seed=seed,
    )
    gan.compile(
        d_optimizer=_adam(settings, settings.d_lr, updates=settings.steps * settings.d_steps),
        g_optimizer=_adam(settings, settings.g_lr, updates=settings.steps),
        steps_per_execution=record_every,
    )
    z = np.random.default_rng(seed + 10_000).standard_normal((n_samples, latent_dim)).astype("float32")
    run = RingRun(settings=settings, seed=seed)
    callbacks: list[keras.callbacks.Callback] = [_Recorder(run, z)]
    if settings.instance_noise > 0:
        callbacks.append(AnnealInstanceNoise(max(1, int(settings.noise_anneal * settings.steps))))
    start = time.perf_counter()
    gan.fit(
        ring_dataset(settings.batch_size, seed),
        epochs=settings.steps // record_every,
        steps_per_epoch=record_every,
        callbacks=callbacks,
        verbose=0,
    )
    run.seconds = time.perf_counter() - start
    return run


@dataclass(frozen=True)
class SettingsSummary:
    """One setting measured over several seeds: final modes covered and high-quality share, as
    mean and standard deviation, plus every run."""

    name: str
    modes_mean: float
    modes_std: float
    quality_mean: float
    quality_std: float
    runs: tuple[RingRun, ...]

    def __str__(self) -> str:
        return (
            f"{self.name}: {self.modes_mean:.1f} ± {self.modes_std:.1f} modes, "
            f"{self.quality_mean:.0%} ± {self.quality_std:.0%} high-quality ({len(self.runs)} seeds)"
        )


def summarize(name: str, runs: Sequence[RingRun]) -> SettingsSummary:
    """Mean ± std over ``runs`` of the final modes covered and high-quality share."""
    runs = check_items(runs, "runs", RingRun, "train_on_ring(...)")
    modes = mean_and_std([r.final.modes_covered for r in runs])
    quality = mean_and_std([r.final.high_quality_share for r in runs])
    return SettingsSummary(name, *modes, *quality, runs=tuple(runs))


def _estimated_seconds(settings: RingSettings) -> float:
    """A rough time for one run on a 2-core laptop CPU: about 2 s to build and trace, then about 1.5 ms
    per update of D or G (measured in notebook 05: 4,000 steps in 8-10 s)."""
    return 2.0 + 1.5e-3 * settings.steps * (settings.d_steps + 1)


def compare_settings(
    named_settings: Mapping[str, RingSettings],
    seeds: Sequence[int],
    progress: bool = True,
    workers: int | None = None,
    record_every: int = 100,
    n_samples: int = 2000,
    latent_dim: int = 16,
) -> list[SettingsSummary]:
    """Train every setting with every seed (``len(named_settings) * len(seeds)`` runs) and summarize
    each, in the order given. The other arguments are :func:`train_on_ring`'s; runs already made in
    this session are reused, the others are trained side by side in ``workers`` processes (``None``:
    one per CPU core, see :func:`gan_helpers.toolkit.processes.default_workers`; 1: one after another
    in this process). Shows one progress bar over all runs. In presenter mode the runs recorded when the
    course's outputs were made are used instead of training them, with one printed line (see
    :mod:`gan_helpers.teaching.recorded_runs`)."""
    from ..toolkit.processes import run_in_processes
    from ..toolkit.progress import progress_bar

    named_settings = check_mapping(named_settings, "named_settings", "{'name': RingSettings(...)}")
    if isinstance(seeds, (str, bytes)) or not isinstance(seeds, Sequence) or not seeds:
        raise ValueError(f"seeds must be a non-empty list of whole numbers such as [0, 1, 2], got {seeds!r}")
    for seed in seeds:
        check_count(seed, "each seed", minimum=0, maximum=2**32 - 1)
    for settings in named_settings.values():
        _check_run_arguments(settings, record_every, n_samples, latent_dim)

    def key(settings: RingSettings, seed: int) -> tuple:
        return (settings, seed, record_every, n_samples, latent_dim)

    wanted = [key(settings, seed) for settings in named_settings.values() for seed in seeds]
    runs = {k: run for k in wanted if (run := _remembered(k)) is not None}
    missing = [k for k in dict.fromkeys(wanted) if k not in runs]  # each missing run once
    recorded = {k: run for k in missing if (run := _recorded(k)) is not None}
    if recorded:
        seconds = sum(run.seconds for run in recorded.values())
        missing = [k for k in missing if k not in recorded]
        what = recorded_runs.many(len(recorded), "ring run")
        print(recorded_runs.notice(what, seconds, len(recorded), trained_here=len(missing)))
        for k, run in recorded.items():
            runs[k] = run
            _remember(k, run)
    bar = progress_bar(len(wanted), desc="runs") if progress else None
    if bar is not None:
        bar.update(len(wanted) - len(missing))
    names = ("settings", "seed", "record_every", "n_samples", "latent_dim")
    trained = run_in_processes(
        _train,
        [dict(zip(names, k, strict=True)) for k in missing],
        workers,
        on_done=(lambda _: bar.update(1)) if bar is not None else None,
        estimated_seconds=sum(_estimated_seconds(k[0]) for k in missing),
    )
    for k, run in zip(missing, trained, strict=True):
        runs[k] = run
        _remember(k, run)
        _record(k, run, points=recorded_runs.COMPARISON_POINTS)
    if bar is not None:
        bar.close()
    return [summarize(name, [runs[key(s, seed)] for seed in seeds]) for name, s in named_settings.items()]


def mode_shares(points: np.ndarray, high_quality_only: bool = True) -> np.ndarray:
    """Share of ``points`` ``(n, 2)`` that are high-quality samples of each mode: ``(modes,)``, summing
    to the high-quality share (at most 1). With ``high_quality_only=False``, the share of points whose
    *nearest* mode is each mode, however far away (sums to 1): where the generator is aiming. Points that
    are NaN or infinite (a diverged generator) count for no mode."""
    if not isinstance(high_quality_only, bool):
        raise ValueError(f"high_quality_only must be True or False, got {high_quality_only!r}")
    points = check_numbers(points, "points", shape="(n, 2)", finite=False, allow_empty=True)
    if points.ndim != 2 or points.shape[1:] != (2,) or not len(points):
        raise ValueError(f"points must have shape (n, 2) with n >= 1, got {points.shape}")
    finite = np.all(np.isfinite(points), axis=1)
    if not finite.any():
        return np.zeros(RING["modes"])
    nearest, good = nearest_ring_mode(points[finite], **RING)
    if not high_quality_only:
        good[:] = True
    return np.bincount(nearest[good], minlength=RING["modes"]) / len(points)
