"""The course's MNIST training recipes in one place, for code that needs a trained generator without the
chapter around it (notebook 07's stand-ins and its augmented MLP GAN, notebook 09's stand-in for notebook
08's conditional GAN, ``benchmarks/quality.py``).

Notebooks 04, 06 and 08 write the same recipes out cell by cell, because there they are the lesson; keep the
settings here equal to theirs. ``augment_pixels`` is notebook 07's improvement of notebook 04's run.
"""

from __future__ import annotations

import time
from dataclasses import replace

import numpy as np

from .augment import RandomShift
from .checks import check_count, check_option
from .data import MNIST, TrainingData, check_images, check_labels, check_record, make_dataset
from .models import (
    CONDITIONINGS,
    LATENT_DIM,
    NUM_CLASSES,
    build_chapter_discriminator,
    build_chapter_generator,
    build_conditional_discriminator,
    build_conditional_generator,
    build_dcgan_critic,
    build_dcgan_discriminator,
    build_dcgan_generator,
)
from .settings import seed_everything
from .training import D_OUTPUTS, G_LOSSES, GAN, default_optimizer


def _training_images(
    images: np.ndarray | MNIST,
    trained_on: TrainingData | None,
    steps: int,
    seed: int,
    scale: tuple[float, float] = (0.0, 1.0),
) -> tuple[np.ndarray, TrainingData | None]:
    """The recipes' digits ``(N, 28, 28, 1)`` in [0, 1] and the record of them: the run's seed, and
    ``scale``, the pixel range the GAN actually trains on."""
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)) or steps < 1:
        raise ValueError(f"steps must be a positive integer, got {steps!r}")
    if trained_on is None and isinstance(images, MNIST):
        trained_on = images.record
        images = images.images
    images = check_images(images, scale=(0, 1))
    if trained_on is None:
        return images, None
    check_record(trained_on)
    if trained_on.count != len(images):
        raise ValueError(
            f"trained_on describes {trained_on.count:,} digits but {len(images):,} images were given: pass "
            "the record of these very images (e.g. gh.load_mnist(...).record), or none"
        )
    return images, replace(trained_on, seed=int(seed), scale=scale)


def mlp_gan(
    d_output: str = "probability",
    g_loss: str = "non_saturating",
    augment_pixels: int = 0,
    track_gradients: bool = False,
    seed: int = 42,
) -> GAN:
    """The chapter's MLP GAN (``gh.models.build_chapter_generator`` / ``build_chapter_discriminator``) in
    the course's trainer, not compiled yet: every MLP run in the course (notebooks 04, 05, 06's stand-in
    and 07) is built here. ``d_output="logits"`` moves the discriminator's sigmoid into the loss;
    ``augment_pixels`` > 0 shows D real and generated digits shifted by up to that many pixels."""
    augment_pixels = check_count(augment_pixels, "augment_pixels", minimum=0)
    check_option(d_output, "d_output", D_OUTPUTS)  # checked before the models are built
    check_option(g_loss, "g_loss", G_LOSSES)
    return GAN(
        build_chapter_generator(LATENT_DIM),
        build_chapter_discriminator(logits=d_output == "logits"),
        d_output=d_output,
        g_loss=g_loss,
        augment=RandomShift(augment_pixels, background=0.0) if augment_pixels else None,
        track_gradients=track_gradients,
        seed=seed,
    )


def train_mlp_gan(
    images: np.ndarray | MNIST,
    steps: int,
    seed: int = 42,
    callbacks: list | None = None,
    augment_pixels: int = 0,
    d_output: str = "probability",
    trained_on: TrainingData | None = None,
) -> tuple[GAN, float]:
    """Notebook 04's run: the chapter's MLP models (sigmoid discriminator), Adam 2e-4 / beta_1 0.5,
    batch 128, XLA, 50 steps per execution. ``images`` ``(N, 28, 28, 1)`` in [0, 1].

    Notebook 07's version changes two training choices and no layer: ``d_output="logits"`` (the same
    discriminator with its sigmoid moved into the loss) and ``augment_pixels=3`` (the discriminator sees
    real and generated digits moved by up to that many pixels, ``gh.augment.RandomShift``).
    ``images`` may be what ``gh.load_mnist(...)`` returns (its record is then used), or an array with
    ``trained_on`` its record. Returns the trained ``GAN`` and the training seconds; ``gan.trained_on`` is
    the record with this ``seed`` (``None`` when unknown), for ``save_models(..., trained_on=...)`` and
    the judge."""
    images, record = _training_images(images, trained_on, steps, seed)
    seed_everything(seed)
    gan = mlp_gan(d_output=d_output, augment_pixels=augment_pixels, seed=seed)
    gan.trained_on = record
    gan.compile(
        d_optimizer=default_optimizer(),
        g_optimizer=default_optimizer(),
        jit_compile=True,
        steps_per_execution=50,
    )
    start = time.perf_counter()
    dataset = make_dataset(images, batch_size=128, seed=seed).repeat()
    gan.fit(dataset, epochs=1, steps_per_epoch=steps, callbacks=callbacks, verbose=0)
    return gan, time.perf_counter() - start


def dcgan(base_filters: int = 32, seed: int = 42) -> GAN:
    """Notebook 06's DCGAN in the course's trainer, not compiled yet: ``gh.models.build_dcgan_generator``
    and ``build_dcgan_discriminator`` of width ``base_filters``, a logits discriminator."""
    return GAN(
        build_dcgan_generator(LATENT_DIM, base_filters),
        build_dcgan_discriminator(base_filters),
        d_output="logits",
        seed=seed,
    )


def train_dcgan(
    images: np.ndarray | MNIST,
    steps: int,
    seed: int = 42,
    base_filters: int = 32,
    callbacks: list | None = None,
    trained_on: TrainingData | None = None,
) -> tuple[GAN, float]:
    """Notebook 06's run: the DCGAN of width ``base_filters`` (logits discriminator), Adam 2e-4 / beta_1
    0.5, batch 128, 10 steps per execution, data scaled to [-1, 1]. ``images`` ``(N, 28, 28, 1)`` in
    [0, 1] (or what ``gh.load_mnist(scale=(0, 1))`` returns, whose record is then used); the generator's
    output is in [-1, 1]. Returns the trained ``GAN`` (``gan.trained_on``: the record, as in
    :func:`train_mlp_gan`) and the training seconds."""
    images, record = _training_images(images, trained_on, steps, seed, scale=(-1.0, 1.0))
    seed_everything(seed)
    gan = dcgan(base_filters, seed)
    gan.trained_on = record
    gan.compile(d_optimizer=default_optimizer(), g_optimizer=default_optimizer(), steps_per_execution=10)
    start = time.perf_counter()
    dataset = make_dataset(images * 2 - 1, batch_size=128, seed=seed).repeat()
    gan.fit(dataset, epochs=1, steps_per_epoch=steps, callbacks=callbacks, verbose=0)
    return gan, time.perf_counter() - start


#: WGAN-GP's settings for MNIST (Gulrajani et al. 2017): penalty weight, critic steps per generator step,
#: Adam's betas and the batch size (notebook 10 picks the learning rate)
WGAN_GP_PENALTY, WGAN_GP_D_STEPS, WGAN_GP_BETAS, WGAN_GP_BATCH = 10.0, 5, (0.0, 0.9), 64


def wgan_gp(base_filters: int = 32, d_steps: int = WGAN_GP_D_STEPS, seed: int = 42) -> GAN:
    """Notebook 10's WGAN-GP in the course's trainer, not compiled yet: notebook 06's DCGAN generator and
    ``gh.models.build_dcgan_critic`` (no batch norm, no sigmoid), a gradient penalty of weight 10 and
    ``d_steps`` critic updates per generator update."""
    check_count(d_steps, "d_steps", minimum=1)  # checked before the models are built
    return GAN(
        build_dcgan_generator(LATENT_DIM, base_filters),
        build_dcgan_critic(base_filters),
        d_output="critic",
        gradient_penalty=WGAN_GP_PENALTY,
        d_steps=d_steps,
        seed=seed,
    )


def conditional_gan(conditioning: str = "projection", base_filters: int = 32, seed: int = 42) -> GAN:
    """Notebook 08's conditional DCGAN in the course's trainer, not compiled yet:
    :func:`gan_helpers.models.build_conditional_generator` and a discriminator that uses the label by
    ``conditioning`` (``"concat"`` or ``"projection"``), logits output, ``num_classes=10``."""
    check_option(conditioning, "conditioning", CONDITIONINGS)  # checked before the models are built
    return GAN(
        build_conditional_generator(LATENT_DIM, NUM_CLASSES, base_filters),
        build_conditional_discriminator(conditioning, NUM_CLASSES, base_filters),
        d_output="logits",
        num_classes=NUM_CLASSES,
        seed=seed,
    )


def train_conditional_gan(
    data: MNIST,
    steps: int,
    conditioning: str = "projection",
    seed: int = 42,
    base_filters: int = 32,
    callbacks: list | None = None,
) -> tuple[GAN, float]:
    """Notebook 08's run: :func:`conditional_gan` trained on ``data`` (what ``gh.load_mnist(scale=(0, 1))``
    returns: images ``(N, 28, 28, 1)`` in [0, 1], labels ``(N,)`` and their record) scaled to [-1, 1],
    Adam 2e-4 / beta_1 0.5 for both networks, batch 128, 10 steps per execution. Returns the trained
    ``GAN`` (``gan.trained_on``: the record with this ``seed``) and the training seconds."""
    if not isinstance(data, MNIST):
        raise ValueError(
            "data must be digits with their labels and record, as gh.load_mnist(scale=(0, 1)) returns them; "
            f"got {type(data).__name__}"
        )
    images, record = _training_images(data, None, steps, seed)
    labels = check_labels(data.labels, count=len(images))
    seed_everything(seed)
    gan = conditional_gan(conditioning, base_filters, seed)
    gan.trained_on = record
    gan.compile(d_optimizer=default_optimizer(), g_optimizer=default_optimizer(), steps_per_execution=10)
    start = time.perf_counter()
    dataset = make_dataset(images * 2 - 1, labels, batch_size=128, seed=seed).repeat()
    gan.fit(dataset, epochs=1, steps_per_epoch=steps, callbacks=callbacks, verbose=0)
    return gan, time.perf_counter() - start
