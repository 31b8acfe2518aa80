"""Paired image-to-image translation (图像到图像翻译), pix2pix-style (Isola et al. 2017), sized for a CPU.

The task the course uses is 4x **super-resolution** (超分辨率): a digit shrunk to 7x7 (each pixel the mean of
a 4x4 block) and enlarged back to 28x28 by repeating pixels (:func:`degrade`) is the input; the original
28x28 digit is the target. A translator (a small U-Net, :func:`build_translator`) learns the mapping from
pairs, with an L1 loss alone or with L1 plus an adversarial term from a conditional patch discriminator
(:func:`build_patch_discriminator`) that sees the input and an output side by side and says, for every
patch, whether the pair looks real.

Images are float32 ``(N, 28, 28, 1)`` in [-1, 1] (the translator ends in tanh). :class:`Translator` is the
``keras.Model`` whose ``train_step`` does one update of both networks; :func:`train_translator` runs it;
:func:`sharpness` measures what the adversarial term is meant to add.
"""

from __future__ import annotations

import numbers
import time
from dataclasses import dataclass

import keras
import numpy as np

from . import losses
from .checks import check_count, check_number, check_numbers
from .data import check_images
from .settings import import_tensorflow_quietly, seed_everything

tf = import_tensorflow_quietly()

#: How much :func:`degrade` shrinks a digit (28x28 -> 7x7).
FACTOR = 4
#: The width of the chapter's translator and discriminator (a few minutes of training on a CPU).
BASE_FILTERS = 16
#: The course's weight of the L1 term beside an adversarial term of weight 1. pix2pix uses 100 (for
#: 256x256 photos); on 28x28 digits that drowned the adversarial term in our runs
#: (``benchmarks/applications.py`` measures both).
L1_WEIGHT = 10.0


# --- the degradation ---------------------------------------------------------------------------------


def _factor(factor: object, images: np.ndarray | None = None) -> int:
    if isinstance(factor, (bool, np.bool_)) or not isinstance(factor, (numbers.Integral, np.integer)):
        raise ValueError(f"factor must be a whole number >= 1, got {factor!r}")
    if factor < 1:
        raise ValueError(f"factor must be >= 1, got {factor}")
    if images is not None and (images.shape[1] % factor or images.shape[2] % factor):
        raise ValueError(
            f"images of {images.shape[1]}x{images.shape[2]} pixels (shape {images.shape}) cannot be cut into "
            f"{factor}x{factor} blocks; use a factor that divides both sides (28: 1, 2, 4, 7, 14 or 28)"
        )
    return int(factor)


def downsample(images: object, factor: int = FACTOR) -> np.ndarray:
    """Shrink images ``(N, H, W, C)`` by ``factor``: each output pixel is the mean of a ``factor`` x
    ``factor`` block, giving ``(N, H/factor, W/factor, C)`` in the same pixel range."""
    images = check_images(images, scale=None, shape=None)
    f = _factor(factor, images)
    n, h, w, c = images.shape
    return images.reshape(n, h // f, f, w // f, f, c).mean(axis=(2, 4)).astype(np.float32)


def upsample_nearest(images: object, factor: int = FACTOR) -> np.ndarray:
    """Enlarge images ``(N, h, w, C)`` by ``factor`` by repeating every pixel in a ``factor`` x ``factor``
    block (nearest neighbour): ``(N, h*factor, w*factor, C)``, blocky, same pixel range."""
    images = check_images(images, scale=None, shape=None)
    f = _factor(factor)
    return np.repeat(np.repeat(images, f, axis=1), f, axis=2)


def degrade(images: object, factor: int = FACTOR) -> np.ndarray:
    """The translator's input: ``images`` ``(N, H, W, C)`` shrunk by ``factor`` (block means) and enlarged
    back to the same size by repeating pixels. Keeps the shape and the pixel range; loses every detail
    finer than a ``factor`` x ``factor`` block."""
    return upsample_nearest(downsample(images, factor), factor)


# --- the networks ------------------------------------------------------------------------------------


def _filters(base_filters: object) -> int:
    if isinstance(base_filters, bool) or not isinstance(base_filters, (numbers.Integral, np.integer)):
        raise ValueError(f"base_filters must be a whole number >= 1, got {base_filters!r}")
    if base_filters < 1:
        raise ValueError(f"base_filters must be >= 1, got {base_filters}")
    return int(base_filters)


def build_translator(base_filters: int = BASE_FILTERS, size: int = 28) -> keras.Model:
    """A small U-Net: ``(batch, size, size, 1)`` in [-1, 1] -> the same shape in [-1, 1] (tanh).

    Encoder: a 3x3 convolution at full size, then two stride-2 4x4 convolutions (size/2, size/4) with
    ``base_filters`` x 1, 2, 4 channels. Decoder: two stride-2 transposed convolutions back up, each
    followed by the encoder's map of the same size concatenated (the U-Net's *skip connections*: fine
    detail the bottleneck would lose), and a 3x3 convolution to one tanh channel. ReLU everywhere else
    (with LeakyReLU in the encoder, TensorFlow's CPU graph optimiser logs an error while fusing the
    bottleneck's convolution). ``size`` must be divisible by 4."""
    f = _filters(base_filters)
    if isinstance(size, bool) or not isinstance(size, (numbers.Integral, np.integer)) or size < 4 or size % 4:
        raise ValueError(f"size must be a whole number divisible by 4 (28 for MNIST), got {size!r}")
    layers = keras.layers
    x_in = keras.Input((size, size, 1), name="degraded")
    e1 = layers.Conv2D(f, 3, padding="same", activation="relu", name="enc1")(x_in)
    e2 = layers.Conv2D(2 * f, 4, strides=2, padding="same", activation="relu", name="enc2")(e1)
    e3 = layers.Conv2D(4 * f, 4, strides=2, padding="same", activation="relu", name="enc3")(e2)
    d2 = layers.Conv2DTranspose(2 * f, 4, strides=2, padding="same", activation="relu", name="dec2")(e3)
    d2 = layers.Concatenate(name="skip2")([d2, e2])
    d1 = layers.Conv2DTranspose(f, 4, strides=2, padding="same", activation="relu", name="dec1")(d2)
    d1 = layers.Concatenate(name="skip1")([d1, e1])
    out = layers.Conv2D(1, 3, padding="same", activation="tanh", name="output")(d1)
    return keras.Model(x_in, out, name="translator")


def build_patch_discriminator(base_filters: int = BASE_FILTERS, size: int = 28) -> keras.Model:
    """A conditional patch discriminator (PatchGAN-like): inputs ``[degraded, image]``, both ``(batch,
    size, size, 1)`` in [-1, 1], stacked as two channels; two stride-2 4x4 convolutions (``base_filters``
    x 1, 2, LeakyReLU 0.2) and a 3x3 convolution give one **logit per patch**, ``(batch, size/4, size/4,
    1)``: "does this part of the image look like a real digit *for this input*?". No sigmoid (logits)."""
    f = _filters(base_filters)
    if isinstance(size, bool) or not isinstance(size, (numbers.Integral, np.integer)) or size < 4 or size % 4:
        raise ValueError(f"size must be a whole number divisible by 4 (28 for MNIST), got {size!r}")
    layers = keras.layers
    condition = keras.Input((size, size, 1), name="degraded")
    image = keras.Input((size, size, 1), name="image")
    x = layers.Concatenate(name="pair")([condition, image])
    x = layers.Conv2D(f, 4, strides=2, padding="same", activation="leaky_relu", name="conv1")(x)
    x = layers.Conv2D(2 * f, 4, strides=2, padding="same", activation="leaky_relu", name="conv2")(x)
    logits = layers.Conv2D(1, 3, padding="same", name="patch_logits")(x)
    return keras.Model([condition, image], logits, name="patch_discriminator")


# --- the losses --------------------------------------------------------------------------------------


def l1_loss(targets: tf.Tensor, outputs: tf.Tensor) -> tf.Tensor:
    """The mean absolute difference over every pixel of the batch, ``mean |y - G(x)|`` (a scalar).
    ``targets`` and ``outputs`` must have the same shape (no broadcasting of a missing channel axis)."""
    for name, values in (("targets", targets), ("outputs", outputs)):
        if not tf.is_tensor(values) or tf.executing_eagerly():  # values known now: check them
            check_numbers(values, name, shape="(N, H, W, C)")
    target_shape, output_shape = (
        tf.TensorShape(v.shape if tf.is_tensor(v) else np.shape(v)) for v in (targets, outputs)
    )
    if target_shape.rank != output_shape.rank or not target_shape.is_compatible_with(output_shape):
        raise ValueError(
            "targets and outputs must have the same shape, got "
            f"{tuple(target_shape)} and {tuple(output_shape)}"
        )
    outputs = tf.convert_to_tensor(outputs)
    return tf.reduce_mean(tf.abs(tf.cast(targets, outputs.dtype) - outputs))


# The adversarial terms are the course's logit losses (notebook 02), averaged over every patch:
# D: mean softplus(-l_real) + mean softplus(l_fake); G (non-saturating): mean softplus(-l_fake).
patch_discriminator_loss = losses.discriminator_loss_from_logits
patch_generator_loss = losses.generator_loss_from_logits


class Translator(keras.Model):
    """Train a translator ``generator`` (degraded -> image) on ``(inputs, targets)`` pairs with ``fit``.

    Without a ``discriminator`` (or with ``adversarial_weight=0``) the loss is the L1 loss alone. With a
    conditional patch ``discriminator`` (``[degraded, image]`` -> patch logits) the generator minimises
    ``adversarial_weight * L_adv + l1_weight * L1`` (pix2pix: 1 and 100; the course: 1 and 10), where
    ``L_adv`` is the non-saturating loss of its outputs' patches, and the discriminator minimises the
    usual logit loss with real pairs ``(x, y)`` labelled 1 and generated pairs ``(x, G(x))`` labelled 0.
    Both networks are updated from the same forward pass, each with its own optimizer and only its own
    weights.
    ``fit`` reports ``l1`` (the L1 loss) and, with a discriminator, ``g_adv`` and ``d_loss``.
    """

    def __init__(
        self,
        generator: keras.Model,
        discriminator: keras.Model | None = None,
        l1_weight: float = L1_WEIGHT,
        adversarial_weight: float = 1.0,
        **kwargs: object,
    ) -> None:
        super().__init__(**kwargs)
        for name, value in (("l1_weight", l1_weight), ("adversarial_weight", adversarial_weight)):
            if isinstance(value, bool) or not isinstance(value, (numbers.Real, np.floating)) or value < 0:
                raise ValueError(f"{name} must be a number >= 0, got {value!r}")
        if not isinstance(generator, keras.Model):
            raise TypeError(
                f"generator must be a keras.Model (degraded -> image), got {type(generator).__name__}"
            )
        if discriminator is not None and not isinstance(discriminator, keras.Model):
            raise TypeError(
                f"discriminator must be a keras.Model ([degraded, image] -> logits) or None, "
                f"got {type(discriminator).__name__}"
            )
        self.generator = generator
        self.discriminator = discriminator if adversarial_weight > 0 else None
        self.l1_weight = float(l1_weight)
        self.adversarial_weight = float(adversarial_weight)
        self.l1_tracker = keras.metrics.Mean(name="l1")
        self.g_adv_tracker = keras.metrics.Mean(name="g_adv")
        self.d_loss_tracker = keras.metrics.Mean(name="d_loss")

    @property
    def adversarial(self) -> bool:
        """Whether an adversarial term is trained (a discriminator and a weight > 0)."""
        return self.discriminator is not None

    def compile(
        self,
        g_optimizer: keras.optimizers.Optimizer | None = None,
        d_optimizer: keras.optimizers.Optimizer | None = None,
        **kwargs: object,
    ) -> None:
        """Set the optimizers (default for both: Adam 2e-4, beta_1 0.5, as in pix2pix) and compile
        options such as ``steps_per_execution``."""
        super().compile(**kwargs)
        self.g_optimizer = g_optimizer or keras.optimizers.Adam(2e-4, beta_1=0.5)
        self.d_optimizer = d_optimizer or keras.optimizers.Adam(2e-4, beta_1=0.5)
        if self.g_optimizer is self.d_optimizer:
            raise ValueError("use two separate optimizers: each keeps state for its own network's weights")

    @property
    def metrics(self) -> list[keras.metrics.Metric]:
        if self.adversarial:
            return [self.l1_tracker, self.g_adv_tracker, self.d_loss_tracker]
        return [self.l1_tracker]

    def call(self, inputs: object, training: bool = False) -> tf.Tensor:
        """The translations ``(batch, 28, 28, 1)`` of degraded ``inputs`` of the same shape."""
        return self.generator(inputs, training=training)

    def train_step(self, data: object) -> dict[str, tf.Tensor]:
        inputs, targets, _ = keras.utils.unpack_x_y_sample_weight(data)
        if targets is None:
            raise ValueError("Translator.fit needs (inputs, targets) pairs: fit(degraded, originals)")
        targets = tf.cast(targets, self.compute_dtype)
        g_weights = self.generator.trainable_weights
        with tf.GradientTape() as g_tape, tf.GradientTape() as d_tape:
            outputs = self.generator(inputs, training=True)
            l1 = l1_loss(targets, outputs)
            g_loss = self.l1_weight * l1
            if self.adversarial:
                real_logits = self.discriminator([inputs, targets], training=True)
                fake_logits = self.discriminator([inputs, outputs], training=True)
                g_adv = patch_generator_loss(fake_logits)
                g_loss += self.adversarial_weight * g_adv
                d_loss = patch_discriminator_loss(real_logits, fake_logits)
        g_grads = g_tape.gradient(g_loss, g_weights)
        self.g_optimizer.apply_gradients(zip(g_grads, g_weights, strict=True))
        self.l1_tracker.update_state(l1)
        if self.adversarial:
            d_weights = self.discriminator.trainable_weights
            d_grads = d_tape.gradient(d_loss, d_weights)
            self.d_optimizer.apply_gradients(zip(d_grads, d_weights, strict=True))
            self.g_adv_tracker.update_state(g_adv)
            self.d_loss_tracker.update_state(d_loss)
        return {m.name: m.result() for m in self.metrics}


def train_translator(
    targets: object,
    steps: int,
    adversarial: bool,
    seed: int = 42,
    base_filters: int = BASE_FILTERS,
    batch_size: int = 32,
    l1_weight: float = L1_WEIGHT,
    factor: int = FACTOR,
    log_every: int = 100,
    callbacks: list | None = None,
) -> tuple[Translator, float]:
    """The chapter's recipe: train :func:`build_translator` to undo :func:`degrade` on ``targets``
    ``(N, 28, 28, 1)`` in [-1, 1] for ``steps`` batches of ``batch_size``, with the L1 loss alone
    (``adversarial=False``) or with L1 (weight ``l1_weight``) plus the adversarial term of
    :func:`build_patch_discriminator` (weight 1). Adam 2e-4 / beta_1 0.5 for both networks. The same
    ``seed`` gives both versions the same initial translator and the same batches. The mean losses of
    every ``log_every`` steps are kept in ``translator.history.history`` (``"l1"``, and ``"g_adv"``,
    ``"d_loss"`` with the adversarial term); ``steps`` is rounded up to a multiple of ``log_every``.
    Returns the trained :class:`Translator` and the training seconds."""
    targets = check_images(targets, scale=(-1, 1), name="targets")
    batch_size = check_count(batch_size, "batch_size", minimum=1)
    if len(targets) < batch_size:
        raise ValueError(
            f"batch_size must be at most the number of digits: batch_size={batch_size} is larger than the "
            f"{len(targets)} digits given"
        )
    check_number(l1_weight, "l1_weight", low=0)
    _filters(base_filters)
    _factor(factor, targets)
    if isinstance(steps, bool) or not isinstance(steps, (numbers.Integral, np.integer)) or steps < 1:
        raise ValueError(f"steps must be a positive whole number, got {steps!r}")
    if (
        isinstance(log_every, bool)
        or not isinstance(log_every, (numbers.Integral, np.integer))
        or log_every < 1
    ):
        raise ValueError(f"log_every must be a positive whole number of steps, got {log_every!r}")
    seed_everything(seed)
    generator = build_translator(base_filters)
    discriminator = build_patch_discriminator(base_filters) if adversarial else None
    translator = Translator(generator, discriminator, l1_weight=l1_weight)
    translator.compile(steps_per_execution=10)
    dataset = (
        tf.data.Dataset.from_tensor_slices((degrade(targets, factor), targets))
        .cache()
        .shuffle(len(targets), seed=seed, reshuffle_each_iteration=True)
        .batch(int(batch_size), drop_remainder=True)
        .repeat()
        .prefetch(tf.data.AUTOTUNE)
    )
    start = time.perf_counter()
    every = min(int(log_every), int(steps))
    translator.fit(
        dataset,
        epochs=-(-int(steps) // every),
        steps_per_epoch=every,
        shuffle=False,
        callbacks=callbacks,
        verbose=0,
    )
    return translator, time.perf_counter() - start


def translate(translator: keras.Model, inputs: object, batch_size: int = 256) -> np.ndarray:
    """The translations ``(N, 28, 28, 1)`` in [-1, 1] of degraded ``inputs`` ``(N, 28, 28, 1)`` in [-1, 1]
    (``translator``: a :class:`Translator` or the translator network itself)."""
    inputs = check_images(inputs, scale=(-1, 1), name="inputs")
    batch_size = check_count(batch_size, "batch_size", minimum=1)
    network = translator.generator if isinstance(translator, Translator) else translator
    if not isinstance(network, keras.Model):
        raise TypeError(
            f"translator must be a Translator or the translator network (a keras.Model), got "
            f"{type(translator).__name__}"
        )
    return np.asarray(network.predict(inputs, batch_size=batch_size, verbose=0), dtype=np.float32)


# --- measuring ---------------------------------------------------------------------------------------


def sharpness(images: object) -> np.ndarray:
    """The mean gradient magnitude of each image ``(N, H, W, 1)``, ``(N,)``: the average over pixels of
    ``sqrt(dx² + dy²)`` with ``dx``, ``dy`` the differences to the right and lower neighbours (the last
    row and column, which have none, are left out). Sharp strokes have steep edges and score high; a
    blurred digit of the same shape scores lower; a flat image scores 0. In pixel units per pixel."""
    images = check_images(images, scale=None, shape=None)
    pictures = images[..., 0].astype(np.float64)
    dx = pictures[:, :-1, 1:] - pictures[:, :-1, :-1]
    dy = pictures[:, 1:, :-1] - pictures[:, :-1, :-1]
    return np.sqrt(dx**2 + dy**2).mean(axis=(1, 2)).astype(np.float32)


def mean_absolute_error(outputs: object, targets: object) -> np.ndarray:
    """The L1 error of each output against its target, ``(N,)`` (both ``(N, H, W, 1)``, same range)."""
    outputs = check_images(outputs, scale=None, shape=None, name="outputs")
    targets = check_images(targets, scale=None, shape=outputs.shape[1:], name="targets")
    if len(outputs) != len(targets):
        raise ValueError(f"{len(outputs)} outputs for {len(targets)} targets")
    return np.abs(outputs - targets).reshape(len(outputs), -1).mean(axis=1)


@dataclass(frozen=True)
class TranslationScores:
    """How good one set of outputs is against its targets: the mean L1 error, the mean sharpness (and
    the real targets' beside it), and the classifier's accuracy (share read as the true label) and
    confidence (mean probability of the true label)."""

    l1: float
    sharpness: float
    target_sharpness: float
    accuracy: float
    confidence: float

    def line(self, name: str) -> str:
        """``name: l1=… sharpness=… (targets …) accuracy=… confidence=…`` (the benchmark's format)."""
        return (
            f"{name}: l1={self.l1:.4f} sharpness={self.sharpness:.4f} (targets {self.target_sharpness:.4f}) "
            f"accuracy={self.accuracy:.3f} confidence={self.confidence:.3f}"
        )


def score_translations(
    outputs: object, targets: object, labels: object, classify: object
) -> TranslationScores:
    """Score ``outputs`` against ``targets`` (both ``(N, 28, 28, 1)`` in [-1, 1]) whose true classes are
    ``labels`` ``(N,)``; ``classify`` maps images in [-1, 1] to class probabilities ``(N, classes)``."""
    from .data import check_labels

    outputs = check_images(outputs, scale=(-1, 1), name="outputs")
    targets = check_images(targets, scale=(-1, 1), name="targets")
    labels = check_labels(labels, count=len(targets))
    if not callable(classify):
        raise TypeError(
            "classify must be a function: images (n, 28, 28, 1) in [-1, 1] -> probabilities, got "
            f"{type(classify).__name__}"
        )
    probabilities = np.asarray(classify(outputs))
    if probabilities.shape[0] != len(outputs):
        raise ValueError(f"classify returned {probabilities.shape[0]} rows for {len(outputs)} images")
    return TranslationScores(
        l1=float(mean_absolute_error(outputs, targets).mean()),
        sharpness=float(sharpness(outputs).mean()),
        target_sharpness=float(sharpness(targets).mean()),
        accuracy=float(np.mean(probabilities.argmax(axis=1) == labels)),
        confidence=float(probabilities[np.arange(len(labels)), labels].mean()),
    )
