"""Diagnostics for training dynamics (chapter 05): how the generator's gradient behaves as the
discriminator gets better, and how diverse a batch of samples is."""

from __future__ import annotations

from dataclasses import dataclass

import keras
import numpy as np
import tensorflow as tf

from ..toolkit import losses
from ..toolkit.checks import check_count, check_number, check_numbers
from ..toolkit.data import check_labels


@dataclass(frozen=True)
class GradientTrace:
    """The generator's gradient while D alone trains against a frozen G.

    At each of ``d_steps`` (D's updates so far): ``d_fake`` (mean D(G(z))), and the global norm of the
    gradient of each generator loss with respect to G's weights, ``saturating`` (E[log(1 - D(G(z)))])
    and ``non_saturating`` (-E[log D(G(z))]), measured on the same fixed noise.
    """

    d_steps: np.ndarray
    d_fake: np.ndarray
    saturating: np.ndarray
    non_saturating: np.ndarray


def generator_gradient_trace(
    generator: keras.Model,
    discriminator: keras.Model,
    real: np.ndarray,
    d_steps: int = 500,
    record_every: int = 25,
    batch_size: int = 128,
    d_lr: float = 1e-3,
    seed: int = 0,
) -> GradientTrace:
    """Freeze ``generator``, train ``discriminator`` (which must output *logits*) alone to tell
    ``real`` samples ``(N, *sample_shape)`` from generated ones for ``d_steps`` Adam steps, and record
    the generator's gradient norm under both generator losses every ``record_every`` steps.

    This is the experiment behind "the saturating loss's gradient vanishes when D wins" (Arjovsky &
    Bottou, 2017): as D becomes confident, D(G(z)) -> 0 and one gradient dies while the other grows.
    The discriminator's weights change; the generator's do not.
    """
    for name, model in (("generator", generator), ("discriminator", discriminator)):
        if not isinstance(model, keras.Model):
            raise TypeError(f"{name} must be a keras.Model, got {type(model).__name__}")
    d_steps = check_count(d_steps, "d_steps", minimum=1)
    record_every = check_count(record_every, "record_every", minimum=1)
    batch_size = check_count(batch_size, "batch_size", minimum=1)
    d_lr = check_number(d_lr, "d_lr", low=0, low_open=True)
    g_shape = tuple(generator.outputs[0].shape[1:])
    shape = f"(N, {', '.join(map(str, g_shape))})"
    real = check_numbers(real, "real", shape=shape).astype(np.float32)
    if real.ndim < 2 or real.shape[1:] != g_shape:
        raise ValueError(f"real samples must have shape {shape}, got {real.shape}")
    if len(real) < batch_size:
        raise ValueError(f"real must have at least batch_size={batch_size} samples, got {len(real)}")
    latent_dim = int(generator.inputs[0].shape[-1])
    rng = np.random.default_rng(seed)
    fixed_z = tf.constant(rng.standard_normal((batch_size, latent_dim)).astype("float32"))
    optimizer = keras.optimizers.Adam(d_lr)
    noise = tf.random.Generator.from_seed(seed)
    real_ds = tf.data.Dataset.from_tensor_slices(real).shuffle(len(real), seed=seed).repeat()
    real_iter = iter(real_ds.batch(batch_size, drop_remainder=True))

    @tf.function
    def d_step(real_batch: tf.Tensor) -> None:
        fake = generator(noise.normal((batch_size, latent_dim)), training=False)
        with tf.GradientTape() as tape:
            loss = losses.discriminator_loss_from_logits(
                discriminator(real_batch, training=True), discriminator(fake, training=True)
            )
        weights = discriminator.trainable_weights
        optimizer.apply_gradients(zip(tape.gradient(loss, weights), weights, strict=True))

    @tf.function
    def measure() -> tuple[tf.Tensor, tf.Tensor, tf.Tensor]:
        with tf.GradientTape(persistent=True) as tape:
            logits = discriminator(generator(fixed_z, training=False), training=False)
            saturating = losses.generator_loss_saturating_from_logits(logits)
            non_saturating = losses.generator_loss_from_logits(logits)
        weights = generator.trainable_weights
        norms = (
            tf.linalg.global_norm(tape.gradient(saturating, weights)),
            tf.linalg.global_norm(tape.gradient(non_saturating, weights)),
        )
        del tape
        return tf.reduce_mean(tf.sigmoid(logits)), *norms

    rows = []
    for step in range(d_steps + 1):
        if step % record_every == 0 or step == d_steps:
            rows.append((step, *(float(v) for v in measure())))
        if step < d_steps:
            d_step(next(real_iter))
    table = np.array(rows)
    return GradientTrace(table[:, 0].astype(int), table[:, 1], table[:, 2], table[:, 3])


def sample_diversity(samples: np.ndarray, reference: np.ndarray, pairs: int = 2000, seed: int = 0) -> float:
    """How spread out ``samples`` are compared with ``reference`` (e.g. real digits): the mean distance
    between random pairs of samples divided by the same for the reference. Both ``(N, ...)``, N >= 2.

    About 1 for a generator as varied as the data; much below 1 when many samples look alike (mode
    collapse). A crude measure: noise scores high too, so read it next to the pictures.
    """
    values = []
    rng = np.random.default_rng(seed)
    pairs = check_count(pairs, "pairs", minimum=1)
    for name, x in (("samples", samples), ("reference", reference)):
        x = check_numbers(x, name, shape="(N, ...) with N >= 2", allow_empty=True)
        if x.ndim < 1 or len(x) < 2:
            raise ValueError(f"{name} needs at least 2 items, shape (N, ...), got shape {x.shape}")
        x = x.reshape(len(x), -1)
        i, j = rng.integers(0, len(x), size=(2, pairs))
        keep = i != j
        values.append(np.linalg.norm(x[i[keep]] - x[j[keep]], axis=1).mean())
    if values[1] == 0:
        raise ValueError(
            "the reference samples must differ (got all identical ones): nothing to compare with"
        )
    return float(values[0] / values[1])


def template_class_shares(samples: np.ndarray, images: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """A crude label for generated digits: each sample gets the class whose *mean real image* is
    nearest (Euclidean distance over pixels). Returns the share of samples per class, ``(classes,)``.

    ``samples`` and ``images`` are ``(N, 28, 28, 1)`` in the same pixel range, ``labels`` ``(N,)`` ints.
    Nearest-mean labelling is right for only about 4 in 5 real digits, so it can show that a
    generator makes mostly one digit (mode collapse) but not measure quality; chapter 07 uses a real
    classifier for that.
    """
    samples = check_numbers(samples, "samples", shape="(N, H, W, C)")
    images = check_numbers(images, "images", shape="(N, H, W, C)")
    if samples.ndim != 4 or images.ndim != 4 or samples.shape[1:] != images.shape[1:]:
        raise ValueError(
            f"samples and images must both be (N, H, W, C) with the same image shape, got {samples.shape} "
            f"and {images.shape}"
        )
    labels = check_labels(labels, count=len(images), classes=None)
    return nearest_mean_shares(samples, class_mean_images(images, labels))


def class_mean_images(images: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """The mean image of each class, flattened: ``(classes, H * W * C)`` in label order."""
    images = check_numbers(images, "images", shape="(N, H, W, C)", ndim=4)
    labels = check_labels(labels, count=len(images), classes=None)
    return np.stack([images[labels == c].mean(axis=0).ravel() for c in np.unique(labels)])


def nearest_mean_shares(samples: np.ndarray, means: np.ndarray) -> np.ndarray:
    """Share of ``samples`` ``(N, ...)`` whose nearest row of ``means`` (see :func:`class_mean_images`)
    is each class: ``(classes,)``, summing to 1."""
    samples = check_numbers(samples, "samples", shape="(N, ...)")
    means = check_numbers(means, "means", shape="(classes, values per sample)", ndim=2)
    if samples.ndim < 2:
        raise ValueError(f"samples must have shape (N, ...), one sample per row, got {samples.shape}")
    flat = samples.reshape(len(samples), -1)
    if flat.shape[1] != means.shape[1]:
        raise ValueError(
            f"samples must have as many values as each class mean: samples have {flat.shape[1]} values each "
            f"(shape {samples.shape}), the class means {means.shape[1]} (shape {means.shape})"
        )
    distances = (flat**2).sum(axis=1)[:, None] - 2 * flat @ means.T + (means**2).sum(axis=1)[None, :]
    return np.bincount(distances.argmin(axis=1), minlength=len(means)) / len(flat)
