"""A reusable GAN trainer: a ``keras.Model`` whose ``train_step`` updates D, then G, each with its own
optimizer and only its own weights, used through ``fit``.

Notebook 04 builds the same step by hand first (two ``tf.GradientTape``s); this class packages it so
later chapters do not copy the loop. It works with discriminators that output probabilities (the
chapter's sigmoid) or logits (the stable choice).
"""

from __future__ import annotations

from collections.abc import Callable

import keras
import numpy as np
import tensorflow as tf

from . import losses

D_OUTPUTS = ("probability", "logits")
G_LOSSES = ("non_saturating", "saturating")


def default_optimizer(learning_rate: float = 2e-4, beta_1: float = 0.5) -> keras.optimizers.Optimizer:
    """The course's default optimizer for either network: Adam with learning rate 2e-4 and beta_1 0.5
    (the DCGAN paper's choice). Call it once per network: each optimizer keeps state for its own weights."""
    return keras.optimizers.Adam(learning_rate, beta_1=beta_1)


def _shape_tail(tensor_shape: object) -> tuple[int | None, ...]:
    return tuple(tensor_shape)[1:]  # type: ignore[arg-type]


class GAN(keras.Model):
    """Train ``generator`` and ``discriminator`` against each other with ``fit``.

    - ``generator``: maps noise ``(batch, latent_dim)`` to samples ``(batch, *sample_shape)``.
    - ``discriminator``: maps samples to ``(batch, 1)``, probabilities (``d_output="probability"``) or
      logits (``d_output="logits"``, numerically safer).
    - ``g_loss``: ``"non_saturating"`` (the chapter's L_G = -E[log D(G(z))]) or ``"saturating"``
      (the original E[log(1 - D(G(z)))], for experiments).
    - ``real_label``: 1.0, or e.g. 0.9 for one-sided label smoothing of D's real targets.
    - ``instance_noise``: standard deviation of Gaussian noise added to *both* real and generated samples
      before D sees them (0 = off). It is a variable (``gan.instance_noise``), so a callback such as
      :class:`gan_helpers.callbacks.AnnealInstanceNoise` can lower it during training.
    - ``augment``: a callable ``augment(samples, rng)`` applied to *both* real and generated samples
      before D sees them, e.g. :class:`gan_helpers.augment.RandomShift` (``None`` = off). It must be
      differentiable, so that G is trained through it (DiffAugment).
    - ``track_gradients``: also report ``d_grad_norm`` and ``g_grad_norm``, the global norms of each
      network's gradient (to watch gradients vanish).

    Each ``train_step`` generates one batch of fakes, scores it and a batch of real samples with D, and
    updates both networks from that one forward pass: D's optimizer gets the gradient of L_D with respect
    to D's weights only, G's optimizer the gradient of L_G with respect to G's weights only (both measured
    before either update, as in TensorFlow's DCGAN tutorial). Metrics: ``d_loss``, ``g_loss``,
    ``d_real`` (mean D(x)) and ``d_fake`` (mean D(G(z))), averaged over each epoch by ``fit``.

    A ``GAN`` cannot be saved whole in Keras 3; save its ``generator`` and ``discriminator``
    (:func:`gan_helpers.checkpoints.save_models`) or use :class:`gan_helpers.checkpoints.GANCheckpoint`.
    """

    def __init__(
        self,
        generator: keras.Model,
        discriminator: keras.Model,
        latent_dim: int | None = None,
        d_output: str = "probability",
        g_loss: str = "non_saturating",
        real_label: float = 1.0,
        instance_noise: float = 0.0,
        augment: Callable[[tf.Tensor, tf.random.Generator], tf.Tensor] | None = None,
        track_gradients: bool = False,
        seed: int | None = None,
        **kwargs: object,
    ) -> None:
        super().__init__(**kwargs)
        if d_output not in D_OUTPUTS:
            raise ValueError(f"d_output must be one of {D_OUTPUTS}, got {d_output!r}")
        if not 0.5 < real_label <= 1.0:
            raise ValueError(
                f"real_label must be in (0.5, 1], e.g. 0.9 for one-sided label smoothing; got {real_label}"
            )
        if not instance_noise >= 0:
            raise ValueError(f"instance_noise must be a standard deviation >= 0, got {instance_noise}")
        if augment is not None and not callable(augment):
            raise ValueError(
                "augment must be a callable augment(samples, rng) such as gh.augment.RandomShift(2), "
                f"or None; got {augment!r}"
            )
        if g_loss not in G_LOSSES:
            raise ValueError(f"g_loss must be one of {G_LOSSES}, got {g_loss!r}")
        for name, model in (("generator", generator), ("discriminator", discriminator)):
            try:
                has_inputs = isinstance(model, keras.Model) and bool(model.inputs)
            except (AttributeError, ValueError):  # a Sequential model without keras.Input has no inputs
                has_inputs = False
            if not has_inputs:
                raise ValueError(
                    f"{name} must be a built keras.Model with a known input shape "
                    "(start it with keras.Input(shape=...))"
                )
        g_in = _shape_tail(generator.inputs[0].shape)
        if len(g_in) != 1:
            raise ValueError(f"the generator must take flat noise (batch, latent_dim), its input is {g_in}")
        if latent_dim is not None and latent_dim != g_in[0]:
            raise ValueError(f"latent_dim={latent_dim} but the generator takes noise of size {g_in[0]}")
        g_out = _shape_tail(generator.outputs[0].shape)
        d_in = _shape_tail(discriminator.inputs[0].shape)
        if g_out != d_in:
            raise ValueError(
                f"the generator makes samples of shape {g_out}, but the discriminator expects {d_in}"
            )
        d_out = _shape_tail(discriminator.outputs[0].shape)
        if d_out != (1,):
            raise ValueError(
                f"the discriminator must output one number per sample, shape (batch, 1); got {d_out}"
            )
        self.generator = generator
        self.discriminator = discriminator
        self.latent_dim = int(g_in[0])
        self.sample_shape = g_out
        self.d_output = d_output
        self.g_loss_name = g_loss
        self.real_label = float(real_label)
        self.instance_noise = tf.Variable(float(instance_noise), trainable=False, dtype="float32")
        self._use_instance_noise = instance_noise > 0  # fixed when traced: no extra noise op when off
        self.augment = augment
        self.track_gradients = bool(track_gradients)
        # The random generator for noise z, instance noise and augmentation; tf.random.Generator rather
        # than keras.random: it stays fast under XLA (jit_compile=True).
        if seed is None:
            seed = int(np.random.randint(0, 2**31 - 1))  # repeatable after gh.setup(seed=...)
        self.rng = tf.random.Generator.from_seed(seed)
        self.d_loss_tracker = keras.metrics.Mean(name="d_loss")
        self.g_loss_tracker = keras.metrics.Mean(name="g_loss")
        self.d_real_tracker = keras.metrics.Mean(name="d_real")
        self.d_fake_tracker = keras.metrics.Mean(name="d_fake")
        self.d_grad_tracker = keras.metrics.Mean(name="d_grad_norm")
        self.g_grad_tracker = keras.metrics.Mean(name="g_grad_norm")

    def compile(
        self,
        d_optimizer: keras.optimizers.Optimizer | None = None,
        g_optimizer: keras.optimizers.Optimizer | None = None,
        **kwargs: object,
    ) -> None:
        """Set the two optimizers (default: Adam 2e-4, beta_1 0.5, as in DCGAN) and compile options
        such as ``jit_compile`` (XLA) or ``steps_per_execution``."""
        super().compile(**kwargs)
        self.d_optimizer = d_optimizer or default_optimizer()
        self.g_optimizer = g_optimizer or default_optimizer()
        if self.d_optimizer is self.g_optimizer:
            raise ValueError("use two separate optimizers: each keeps state for its own network's weights")

    @property
    def metrics(self) -> list[keras.metrics.Metric]:
        tracked = [self.d_loss_tracker, self.g_loss_tracker, self.d_real_tracker, self.d_fake_tracker]
        if self.track_gradients:
            tracked += [self.d_grad_tracker, self.g_grad_tracker]
        return tracked

    def call(self, z: tf.Tensor, training: bool = False) -> tf.Tensor:
        """Generated samples for the noise ``z`` of shape ``(batch, latent_dim)``."""
        return self.generator(z, training=training)

    def sample_noise(self, n: int | tf.Tensor) -> tf.Tensor:
        """``n`` latent vectors drawn from N(0, I): shape ``(n, latent_dim)``."""
        return self.rng.normal(tf.stack([n, self.latent_dim]) if tf.is_tensor(n) else (n, self.latent_dim))

    def _noisy(self, samples: tf.Tensor) -> tf.Tensor:
        """What D sees of ``samples``: augmented (when ``augment`` is set), plus instance noise
        N(0, instance_noise²) (when it is not 0)."""
        if self.augment is not None:
            samples = self.augment(samples, self.rng)
        if not self._use_instance_noise:
            return samples
        std = tf.cast(self.instance_noise, samples.dtype)
        return samples + std * self.rng.normal(tf.shape(samples), dtype=samples.dtype)

    def _probability(self, d: tf.Tensor) -> tf.Tensor:
        return tf.sigmoid(d) if self.d_output == "logits" else d

    def _d_loss(self, d_real: tf.Tensor, d_fake: tf.Tensor) -> tf.Tensor:
        if self.d_output == "logits":
            return losses.discriminator_loss_from_logits(d_real, d_fake, self.real_label)
        return losses.discriminator_loss(d_real, d_fake, self.real_label)

    def _g_loss(self, d_fake: tf.Tensor) -> tf.Tensor:
        saturating = self.g_loss_name == "saturating"
        if self.d_output == "logits":
            return (
                losses.generator_loss_saturating_from_logits(d_fake)
                if saturating
                else losses.generator_loss_from_logits(d_fake)
            )
        return losses.generator_loss_saturating(d_fake) if saturating else losses.generator_loss(d_fake)

    def train_step(self, data: object) -> dict[str, tf.Tensor]:
        real = data[0] if isinstance(data, (tuple, list)) else data
        if _shape_tail(real.shape) != self.sample_shape:
            raise ValueError(
                f"training samples have shape {_shape_tail(real.shape)}, but this GAN's discriminator "
                f"expects {self.sample_shape}; images need a channel axis, e.g. (28, 28, 1)"
            )
        real = tf.cast(real, self.compute_dtype)
        z = self.sample_noise(tf.shape(real)[0])

        # One forward pass, two tapes: each loss is differentiated only with respect to its own network.
        with tf.GradientTape() as d_tape, tf.GradientTape() as g_tape:
            fake = self.generator(z, training=True)
            d_real = self.discriminator(self._noisy(real), training=True)
            d_fake = self.discriminator(self._noisy(fake), training=True)
            d_loss = self._d_loss(d_real, d_fake)
            g_loss = self._g_loss(d_fake)
        d_weights = self.discriminator.trainable_weights
        g_weights = self.generator.trainable_weights
        d_grads = d_tape.gradient(d_loss, d_weights)
        g_grads = g_tape.gradient(g_loss, g_weights)
        self.d_optimizer.apply_gradients(zip(d_grads, d_weights, strict=True))
        self.g_optimizer.apply_gradients(zip(g_grads, g_weights, strict=True))

        self.d_loss_tracker.update_state(d_loss)
        self.g_loss_tracker.update_state(g_loss)
        self.d_real_tracker.update_state(tf.reduce_mean(self._probability(d_real)))
        self.d_fake_tracker.update_state(tf.reduce_mean(self._probability(d_fake)))
        if self.track_gradients:
            self.d_grad_tracker.update_state(tf.linalg.global_norm(d_grads))
            self.g_grad_tracker.update_state(tf.linalg.global_norm(g_grads))
        return {m.name: m.result() for m in self.metrics}

    def fit(self, *args: object, shuffle: bool = False, **kwargs: object) -> keras.callbacks.History:
        """``keras.Model.fit`` with ``shuffle=False`` by default: GAN training data comes as a
        ``tf.data.Dataset`` that shuffles itself (see ``gh.make_dataset``), and Keras warns when asked to
        shuffle one."""
        return super().fit(*args, shuffle=shuffle, **kwargs)

    def generate(self, n: int | None = None, z: object = None) -> object:
        """Generate samples as a NumPy array: ``n`` from fresh noise, or one per row of ``z``."""
        if (n is None) == (z is None):
            raise ValueError("pass either n (a number of samples) or z (noise of shape (n, latent_dim))")
        if z is None:
            if not isinstance(n, int) or n < 1:
                raise ValueError(f"n must be a positive integer, got {n!r}")
            z = self.sample_noise(n)
        z = tf.convert_to_tensor(z, dtype=self.compute_dtype)
        if z.shape.rank != 2 or z.shape[-1] != self.latent_dim:
            raise ValueError(f"z must have shape (n, {self.latent_dim}), got {tuple(z.shape)}")
        return self.generator(z, training=False).numpy()
