"""A reusable GAN trainer: a ``keras.Model`` whose ``train_step`` updates D and G, each with its own
optimizer and only its own weights, used through ``fit``.

Notebook 04 builds the same step by hand first (two ``tf.GradientTape``s); this class packages it so
later chapters do not copy the loop. It works with discriminators that output probabilities (the
chapter's sigmoid) or logits (the stable choice).
"""

from __future__ import annotations

import numbers
import threading
import warnings
from collections.abc import Callable

import keras
import numpy as np
import tensorflow as tf

from . import losses, sampling
from .checks import check_number
from .data import check_labels
from .models import takes_labels

D_OUTPUTS = ("probability", "logits", "critic")
G_LOSSES = ("non_saturating", "saturating")
UPDATES = ("simultaneous", "alternating")


def default_optimizer(learning_rate: float = 2e-4, beta_1: float = 0.5) -> keras.optimizers.Optimizer:
    """The course's default optimizer for either network: Adam with learning rate 2e-4 and beta_1 0.5
    (the DCGAN paper's choice). Call it once per network: each optimizer keeps state for its own weights."""
    if not isinstance(learning_rate, keras.optimizers.schedules.LearningRateSchedule):
        check_number(learning_rate, "learning_rate", low=0, low_open=True)
    check_number(beta_1, "beta_1", low=0, high=1, high_open=True)
    return keras.optimizers.Adam(learning_rate, beta_1=beta_1)


def _shape_tail(tensor_shape: object) -> tuple[int | None, ...]:
    return tuple(tensor_shape)[1:]  # type: ignore[arg-type]


def last_activation(model: keras.Model) -> tuple[str, str] | None:
    """``(layer name, activation name)`` of the layer that makes ``model``'s output, when that layer is
    a ``Dense`` or ``Activation`` layer (looking inside a nested model that ends the network), e.g.
    ``("dense_1", "sigmoid")`` or ``("dense_1", "linear")``; ``None`` when it cannot be told."""
    if not isinstance(model, keras.Model):
        raise TypeError(f"model must be a keras.Model, got {type(model).__name__}")
    try:
        layer = model.outputs[0]._keras_history[0]
    except (AttributeError, IndexError, TypeError, ValueError):
        return None
    if isinstance(layer, keras.Model) and layer is not model:
        return last_activation(layer)
    if not isinstance(layer, (keras.layers.Dense, keras.layers.Activation)):
        return None
    name = getattr(layer.activation, "__name__", None)
    return (layer.name, name) if isinstance(name, str) else None


def _check_d_output(discriminator: keras.Model, d_output: str) -> None:
    found = last_activation(discriminator)
    if found is None:
        return  # a last layer we cannot inspect: no guessing
    layer, activation = found
    if d_output == "probability" and activation == "linear":
        raise ValueError(
            f"the discriminator's last layer {layer!r} has no activation, so it outputs logits (any real "
            "number), but d_output='probability' treats its outputs as probabilities in [0, 1]. Use "
            "GAN(..., d_output='logits') (the stable choice), or give that layer activation='sigmoid'."
        )
    if d_output == "critic" and activation == "sigmoid":
        raise ValueError(
            f"the discriminator's last layer {layer!r} ends in a sigmoid, but a Wasserstein critic "
            "(d_output='critic') outputs unbounded scores: remove the sigmoid (activation=None)"
        )
    if d_output == "logits" and activation == "sigmoid":
        raise ValueError(
            f"the discriminator's last layer {layer!r} ends in a sigmoid, so it outputs probabilities, but "
            "d_output='logits' would apply a second sigmoid inside the loss. Use "
            "GAN(..., d_output='probability'), or remove the sigmoid (activation=None) to output logits."
        )


def _is_array_data(x: object) -> bool:
    """NumPy arrays and tensors (or a tuple/list of them), which Keras can shuffle itself."""
    if isinstance(x, (tuple, list)):
        return bool(x) and all(_is_array_data(item) for item in x)
    return isinstance(x, np.ndarray) or (tf.is_tensor(x) and not isinstance(x, tf.data.Dataset))


def _replica_context() -> tf.distribute.ReplicaContext | None:
    """The replica context of a step running on several replicas (``tf.distribute``), else None."""
    ctx = tf.distribute.get_replica_context()
    return ctx if ctx is not None and ctx.num_replicas_in_sync > 1 else None


class ReplicaDraws:
    """One replica's share of the random draws a single device would make for the whole global batch.

    Under ``tf.distribute`` each replica of a step holds part of the global batch. A
    ``tf.random.Generator`` made in a strategy's scope gives every replica a stream of its own, so the
    replicas' noise would differ from one device's. Here every draw of shape ``(local_batch, ...)`` is made
    for the *global* batch on each replica, from the replica's copy of the generator's state (the copies
    advance together, as one device's state would), and each replica keeps its own rows: replica ``i``
    the rows after those of replicas ``0..i-1``. With the same seed the replicas see exactly the noise,
    instance noise, augmentation shifts and interpolation weights one device sees for the same global
    batch, at the cost of drawing the global batch's numbers on every replica (cheap next to the networks).

    - ``rng``: the GAN's generator, made inside ``strategy.scope()`` (its state mirrored on every replica).
    - ``ctx``: the step's replica context; ``local_batch``: this replica's batch size. Make it at the start
      of a step, outside any ``tf.cond`` (it asks the other replicas for their batch sizes).

    Offers ``normal`` and ``uniform``, the draws :class:`GAN` and :mod:`gan_helpers.augment` make, with the
    generator's arguments and results, bit for bit (``tests/test_distributed.py`` checks this).
    """

    def __init__(
        self, rng: tf.random.Generator, ctx: tf.distribute.ReplicaContext, local_batch: tf.Tensor
    ) -> None:
        if not isinstance(rng.state, tf.distribute.DistributedValues):
            raise ValueError(
                "the GAN's random generator is not mirrored across replicas: build the models and the GAN "
                "inside `with strategy.scope():`, then call fit"
            )
        self.rng = rng
        # Every replica's batch size, in replica order (an all-reduce of one-hot rows: the same kind of
        # collective as the optimizers' gradient sums, which keeps the replicas' collectives in step).
        mine = tf.one_hot(ctx.replica_id_in_sync_group, ctx.num_replicas_in_sync, dtype=tf.float32)
        sizes = tf.cast(
            ctx.all_reduce(tf.distribute.ReduceOp.SUM, mine * tf.cast(local_batch, tf.float32)), tf.int32
        )
        self.start = tf.reduce_sum(sizes[: ctx.replica_id_in_sync_group])
        self.local = sizes[ctx.replica_id_in_sync_group]
        self.total = tf.reduce_sum(sizes)

    def _global(self, shape: object) -> tuple[tf.Tensor, tf.Tensor, tf.Tensor]:
        """The global batch's shape for a draw of ``shape``, and the key and counter the generator would
        use for it (advancing this replica's copy of its state, as ``tf.random.Generator`` does)."""
        shape = tf.cast(tf.convert_to_tensor(shape), tf.int32)
        global_shape = tf.concat([tf.reshape(self.total, [1]), shape[1:]], axis=0)
        counter_key = self.rng.skip(tf.reduce_prod(global_shape))
        size = 1 if self.rng.algorithm == tf.random.Algorithm.THREEFRY.value else 2  # Philox: 2 words
        counter = tf.bitcast(counter_key[:size], tf.uint64)
        key = tf.bitcast(counter_key[size : size + 1], tf.uint64)
        return global_shape, key, counter

    def _mine(self, drawn: tf.Tensor) -> tf.Tensor:
        return drawn[self.start : self.start + self.local]

    def normal(
        self, shape: object, mean: float = 0.0, stddev: float = 1.0, dtype: object = tf.float32
    ) -> tf.Tensor:
        """Like ``tf.random.Generator.normal``, for this replica's rows of the global batch."""
        dtype = tf.as_dtype(dtype)
        global_shape, key, counter = self._global(shape)
        standard = tf.raw_ops.StatelessRandomNormalV2(
            shape=global_shape, key=key, counter=counter, alg=self.rng.algorithm, dtype=dtype
        )
        return self._mine(standard * tf.cast(stddev, dtype) + tf.cast(mean, dtype))

    def uniform(
        self, shape: object, minval: object = 0, maxval: object = None, dtype: object = tf.float32
    ) -> tf.Tensor:
        """Like ``tf.random.Generator.uniform`` (floats in [minval, maxval), default [0, 1); integers need
        both bounds), for this replica's rows of the global batch."""
        dtype = tf.as_dtype(dtype)
        if dtype.is_integer and (minval is None or maxval is None):
            raise ValueError("integer draws need both minval and maxval")
        maxval = 1 if maxval is None else maxval
        global_shape, key, counter = self._global(shape)
        low, high = tf.cast(minval, dtype), tf.cast(maxval, dtype)
        if dtype.is_integer:
            drawn = tf.raw_ops.StatelessRandomUniformIntV2(
                shape=global_shape, key=key, counter=counter, alg=self.rng.algorithm, minval=low, maxval=high
            )
        else:
            unit = tf.raw_ops.StatelessRandomUniformV2(
                shape=global_shape, key=key, counter=counter, alg=self.rng.algorithm, dtype=dtype
            )
            drawn = unit * (high - low) + low
        return self._mine(drawn)


def _gradient_norm(gradients: list[tf.Tensor], optimizer: keras.optimizers.Optimizer) -> tf.Tensor:
    """The global norm of ``gradients``, without a ``LossScaleOptimizer``'s loss scale (mixed precision)."""
    norm = tf.linalg.global_norm([tf.cast(g, "float32") if g is not None else None for g in gradients])
    if isinstance(optimizer, keras.optimizers.LossScaleOptimizer):
        norm = norm / tf.cast(optimizer.dynamic_scale, "float32")
    return norm


def _times(
    gradient: tf.Tensor | tf.IndexedSlices | None, factor: tf.Tensor
) -> tf.Tensor | tf.IndexedSlices | None:
    """``gradient * factor``, keeping an embedding's sparse gradient (``tf.IndexedSlices``) sparse."""
    if gradient is None:
        return None
    if isinstance(gradient, tf.IndexedSlices):
        values = gradient.values * tf.cast(factor, gradient.values.dtype)
        return tf.IndexedSlices(values, gradient.indices, gradient.dense_shape)
    return gradient * tf.cast(factor, gradient.dtype)


class _ReplicaStep(threading.local):
    """The step a replica is tracing under ``tf.distribute``: its :class:`ReplicaDraws` and its share of the
    global batch (``local / global``). A thread's own, since ``MirroredStrategy`` traces each replica's
    step in a thread of its own. Outside a step on several replicas, there is none: one device's step
    draws from the GAN's ``rng`` and applies its gradients as they are."""

    draws: ReplicaDraws | None = None
    share: tf.Tensor | None = None

    def begin(self, rng: tf.random.Generator, local_batch: tf.Tensor, dtype: str) -> None:
        """Start a step on ``local_batch`` samples; on several replicas, set its draws and share."""
        ctx = _replica_context()
        if ctx is None:
            self.draws = self.share = None
            return
        self.draws = ReplicaDraws(rng, ctx, local_batch)
        self.share = tf.cast(self.draws.local, dtype) / tf.cast(self.draws.total, dtype)

    def scaled(self, gradients: list[tf.Tensor]) -> list[tf.Tensor]:
        """The replica's gradients times its share of the batch (the optimizer adds the replicas'); one
        device's as they are."""
        if self.share is None or _replica_context() is None:
            return gradients
        return [_times(g, self.share) for g in gradients]


class GAN(keras.Model):
    """Train ``generator`` and ``discriminator`` against each other with ``fit``.

    - ``generator``: maps noise ``(batch, latent_dim)`` to samples ``(batch, *sample_shape)``.
    - ``discriminator``: maps samples to ``(batch, 1)``, probabilities (``d_output="probability"``, last
      layer with a sigmoid) or logits (``d_output="logits"``, last layer without activation; numerically
      safer), or a Wasserstein **critic**'s unbounded scores (``d_output="critic"``, no sigmoid; losses
      :func:`gan_helpers.losses.critic_loss` and :func:`~gan_helpers.losses.critic_generator_loss`). A last
      ``Dense``/``Activation`` layer that does not match ``d_output`` is refused.
    - ``d_loss_fn(d_real, d_fake)`` and ``g_loss_fn(d_fake)``: the losses as functions of D's outputs
      (scalar tensors), replacing the ones ``d_output``/``g_loss``/``real_label`` choose (``None``: those).
      A new kind of GAN brings its losses, not a second training loop.
    - ``gradient_penalty``: the weight λ of WGAN-GP's penalty (:func:`gan_helpers.losses.gradient_penalty`,
      at points between the real and the generated samples, before augmentation and instance noise) added
      to D's loss; 0 = off. The paper uses λ = 10 with a critic.
    - ``d_steps``: D's updates per G update (WGAN-GP uses 5): the first ``d_steps - 1`` update D alone, each
      against fresh fakes and the same real batch; the last is the usual step below.
    - ``g_loss``: ``"non_saturating"`` (the chapter's L_G = -E[log D(G(z))]) or ``"saturating"``
      (the original E[log(1 - D(G(z)))], for experiments).
    - ``real_label``: 1.0, or e.g. 0.9 for one-sided label smoothing of D's real targets (the fake
      targets stay 0; this is not Keras's ``label_smoothing``, which also moves them).
    - ``instance_noise``: standard deviation of Gaussian noise added to *both* real and generated samples
      before D sees them (0 = off). It is a variable (``gan.instance_noise``): a callback such as
      :class:`gan_helpers.callbacks.AnnealInstanceNoise` can lower it during training, and raising it
      later (``gan.instance_noise.assign(0.1)``) takes effect even on a GAN built with 0.
    - ``augment``: a callable ``augment(samples, rng)`` applied to *both* real and generated samples
      before D sees them, e.g. :class:`gan_helpers.augment.RandomShift` (``None`` = off). It must be
      differentiable, so that G is trained through it (DiffAugment).
    - ``update``: the order of the two updates in a step (see below): ``"simultaneous"`` (default) or
      ``"alternating"``.
    - ``track_gradients``: also report ``d_grad_norm`` and ``g_grad_norm``, the global norms of each
      network's gradient (to watch gradients vanish).
    - ``num_classes``: for a *conditional* GAN (notebook 08), the number of classes; then the generator
      takes ``[z, labels]`` and the discriminator ``[samples, labels]`` (e.g.
      :func:`gan_helpers.models.build_conditional_generator`), labels being integers ``(batch,)`` in
      ``0..num_classes-1``, and ``fit`` trains on ``(images, labels)`` pairs. Each fake is made for the
      label of a real image in the same batch, so the fakes have the data's class balance; D judges real
      images with their true labels and fakes with the labels they were made for. ``None`` (default):
      unconditional models with one input each.

    Each ``train_step`` draws noise z for one batch of fakes G(z), scores them and a batch of real samples
    with D, and updates D with the gradient of L_D with respect to D's weights only and G with the
    gradient of L_G with respect to G's weights only, each with its own optimizer:

    - ``update="simultaneous"``: both gradients come from ONE forward pass, both measured before either
      update (as in TensorFlow's DCGAN tutorial, and notebook 04's two-tape step).
    - ``update="alternating"``: D is updated first; then D(G(z)) is computed again, for the same z, with
      the UPDATED D, and G is updated against it (the original GAN paper's Algorithm 1 with k = 1, and the
      chapter's ``train_on_batch`` recipe). Costs one more pass of D per step.

    The step is the same for a conditional GAN; only the two networks also receive the batch's labels.

    Random draws, all from ``self.rng`` (a ``tf.random.Generator``), in this order each step:

    1. z = ``rng.normal((batch, latent_dim))`` (:meth:`sample_noise`);
    2. D's view of the real batch: ``augment(real, rng)`` (when ``augment`` is set), then instance noise
       ``rng.normal(shape of real)`` (when instance noise is on, see below), added times ``instance_noise``;
    3. D's view of the fakes G(z): the same two draws, augmentation then instance noise;
    4. WGAN-GP only (``gradient_penalty`` > 0): one interpolation weight per sample, ``rng.uniform``;
    5. alternating only, after D's update: D's view of the fakes again, fresh draws as in 3.

    With ``d_steps`` > 1, each extra D update comes first and draws z, then the views of 2 and 3, then 4.

    Instance noise is drawn on every step when the GAN was built with ``instance_noise > 0`` (also after
    annealing reaches 0), and otherwise only on steps when ``gan.instance_noise`` is above 0.
    :meth:`clone_rng` copies the generator, so that a test can repeat a step's draws exactly.

    Metrics: ``d_loss``, ``g_loss``, ``d_real`` (mean D(x)) and ``d_fake`` (mean D(G(z))), averaged over
    each epoch by ``fit``; ``d_real``, ``d_fake`` and ``d_loss`` are measured before D's update, ``g_loss``
    on the pass G is trained on (after D's update when alternating). For a critic, ``d_real`` and
    ``d_fake`` are mean scores and ``d_real - d_fake`` is its estimate of the Wasserstein-1 distance; with a
    penalty, ``d_loss`` includes λ times it and ``gradient_penalty`` reports the penalty itself. With
    ``d_steps`` > 1 the metrics come from the last D update of each step.

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
        update: str = "simultaneous",
        num_classes: int | None = None,
        d_loss_fn: Callable[[tf.Tensor, tf.Tensor], tf.Tensor] | None = None,
        g_loss_fn: Callable[[tf.Tensor], tf.Tensor] | None = None,
        gradient_penalty: float = 0.0,
        d_steps: int = 1,
        **kwargs: object,
    ) -> None:
        super().__init__(**kwargs)
        if d_output not in D_OUTPUTS:
            raise ValueError(f"d_output must be one of {D_OUTPUTS}, got {d_output!r}")
        for name, fn in (("d_loss_fn", d_loss_fn), ("g_loss_fn", g_loss_fn)):
            if fn is not None and not callable(fn):
                raise ValueError(f"{name} must be a function of D's outputs (or None), got {fn!r}")
        if isinstance(d_steps, bool) or not isinstance(d_steps, numbers.Integral) or d_steps < 1:
            raise ValueError(f"d_steps must be a whole number >= 1 (D updates per G update), got {d_steps!r}")
        if (
            isinstance(gradient_penalty, bool)
            or not isinstance(gradient_penalty, numbers.Real)
            or not (gradient_penalty >= 0)
        ):
            raise ValueError(
                f"gradient_penalty must be a weight >= 0 (WGAN-GP uses 10), got {gradient_penalty!r}"
            )
        if d_output == "critic" and (real_label != 1.0 or g_loss != "non_saturating"):
            raise ValueError(
                "a Wasserstein critic (d_output='critic') has no labels to smooth and one generator loss, "
                "-E[f(G(z))]: leave real_label and g_loss at their defaults"
            )
        if update not in UPDATES:
            raise ValueError(
                f"update must be 'simultaneous' (both gradients from one forward pass) or 'alternating' "
                f"(D first, then G against the updated D); got {update!r}"
            )
        check_number(
            real_label, "real_label (e.g. 0.9 for one-sided label smoothing)", low=0.5, high=1, low_open=True
        )
        check_number(instance_noise, "instance_noise (a standard deviation)", low=0)
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
                    f"(start it with keras.Input(shape=...)), got {type(model).__name__}"
                )
        conditional = [takes_labels(generator), takes_labels(discriminator)]
        if num_classes is None and any(conditional):
            which = (
                "generator and discriminator take"
                if all(conditional)
                else ("generator takes" if conditional[0] else "discriminator takes")
            )
            raise ValueError(
                f"the {which} labels as a second input, so this is a conditional GAN: pass "
                "num_classes=10 (the number of classes), or use unconditional models with one input each"
            )
        if num_classes is not None:
            if (
                isinstance(num_classes, bool)
                or not isinstance(num_classes, numbers.Integral)
                or num_classes < 2
            ):
                raise ValueError(f"num_classes must be an integer >= 2, got {num_classes!r}")
            for name, model, first in (
                ("generator", generator, "z"),
                ("discriminator", discriminator, "samples"),
            ):
                if not takes_labels(model):
                    raise ValueError(
                        f"num_classes={num_classes} makes a conditional GAN, but the {name} takes "
                        f"{len(model.inputs)} input(s); it must take two, [{first}, labels] (see "
                        "gh.models.build_conditional_generator / build_conditional_discriminator)"
                    )
                if _shape_tail(model.inputs[1].shape) not in ((), (1,)):
                    raise ValueError(
                        f"the {name}'s second input must be one integer label per sample, shape (batch,); "
                        f"it is {tuple(model.inputs[1].shape)}"
                    )
        g_in = _shape_tail(generator.inputs[0].shape)
        if len(g_in) != 1:
            raise ValueError(f"the generator must take flat noise (batch, latent_dim), its input is {g_in}")
        if latent_dim is not None and (
            isinstance(latent_dim, bool)
            or not isinstance(latent_dim, numbers.Integral)
            or latent_dim != g_in[0]
        ):
            raise ValueError(
                f"latent_dim must be the generator's noise size {g_in[0]} (or None): "
                f"latent_dim={latent_dim!r} but the generator takes noise of size {g_in[0]}"
            )
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
        _check_d_output(discriminator, d_output)
        self.generator = generator
        self.discriminator = discriminator
        self.latent_dim = int(g_in[0])
        self.num_classes = None if num_classes is None else int(num_classes)
        self.sample_shape = g_out
        self.d_output = d_output
        self.g_loss_name = g_loss
        self.d_loss_fn, self.g_loss_fn = d_loss_fn, g_loss_fn
        self.gradient_penalty = float(gradient_penalty)
        self.d_steps = int(d_steps)
        self.real_label = float(real_label)
        self.instance_noise = tf.Variable(float(instance_noise), trainable=False, dtype="float32")
        # Built with noise: drawn on every step. Built without: drawn only while the variable is above 0
        # (a tf.cond, decided when the step runs, so it also works under XLA and steps_per_execution).
        self._use_instance_noise = instance_noise > 0
        self.augment = augment
        self.update = update
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
        self.penalty_tracker = keras.metrics.Mean(name="gradient_penalty")
        self.d_grad_tracker = keras.metrics.Mean(name="d_grad_norm")
        self.g_grad_tracker = keras.metrics.Mean(name="g_grad_norm")
        # Both networks are built (checked above), so the GAN is too. Keras would otherwise build it under a
        # tf.distribute strategy by calling it on a batch of training images, which it is not made for
        # (``call`` takes noise).
        self.built = True
        self._replica_step = _ReplicaStep()

    def compile(
        self,
        d_optimizer: keras.optimizers.Optimizer | None = None,
        g_optimizer: keras.optimizers.Optimizer | None = None,
        **kwargs: object,
    ) -> None:
        """Set the two optimizers (default: Adam 2e-4, beta_1 0.5, as in DCGAN) and compile options
        such as ``jit_compile`` (XLA) or ``steps_per_execution``. A GAN made under mixed precision
        (:func:`gan_helpers.settings.use_mixed_precision`) wraps them in ``LossScaleOptimizer``."""
        super().compile(**kwargs)
        self.d_optimizer = d_optimizer or default_optimizer()
        self.g_optimizer = g_optimizer or default_optimizer()
        if self.d_optimizer is self.g_optimizer:
            raise ValueError("use two separate optimizers: each keeps state for its own network's weights")
        if self.dtype_policy.name == "mixed_float16":  # gh.use_mixed_precision(): scale the losses
            self.d_optimizer, self.g_optimizer = (
                o
                if isinstance(o, keras.optimizers.LossScaleOptimizer)
                else keras.optimizers.LossScaleOptimizer(o)
                for o in (self.d_optimizer, self.g_optimizer)
            )

    @property
    def metrics(self) -> list[keras.metrics.Metric]:
        tracked = [self.d_loss_tracker, self.g_loss_tracker, self.d_real_tracker, self.d_fake_tracker]
        if self.track_gradients:
            tracked += [self.d_grad_tracker, self.g_grad_tracker]
        if self.gradient_penalty > 0:
            tracked.append(self.penalty_tracker)
        return tracked

    @property
    def conditional(self) -> bool:
        """Whether both networks take labels (built with ``num_classes``)."""
        return self.num_classes is not None

    def call(self, z: object, training: bool = False) -> tf.Tensor:
        """Generated samples for the noise ``z`` of shape ``(batch, latent_dim)`` (conditional GAN:
        ``[z, labels]``)."""
        return self.generator(z, training=training)

    def _generate(self, z: tf.Tensor, labels: tf.Tensor | None, training: bool) -> tf.Tensor:
        return self.generator(z if labels is None else [z, labels], training=training)

    def _discriminate(self, samples: tf.Tensor, labels: tf.Tensor | None) -> tf.Tensor:
        inputs = self._noisy(samples)
        return self.discriminator(inputs if labels is None else [inputs, labels], training=True)

    def _batch(self, data: object) -> tuple[tf.Tensor, tf.Tensor | None]:
        """The real samples and (conditional GAN) their labels, checked."""
        pair = isinstance(data, (tuple, list))
        real = data[0] if pair else data
        if not self.conditional:
            return real, None
        labels = data[1] if pair and len(data) > 1 else None
        if labels is None:
            raise ValueError(
                "this conditional GAN trains on (images, labels) pairs, but got images only; use "
                "gan.fit(gh.make_dataset(images, labels)) or gan.fit(images, labels)"
            )
        if not labels.dtype.is_integer:
            raise ValueError(
                f"labels must be integers (class numbers 0..{self.num_classes - 1}), got dtype "
                f"{labels.dtype.name}; convert them with labels.astype('int32')"
            )
        if labels.shape.rank == 2 and labels.shape[-1] == 1:
            labels = tf.reshape(labels, [-1])
        if labels.shape.rank != 1:
            raise ValueError(
                f"labels must have shape (batch,), one class number per image, got {tuple(labels.shape)}"
                + ("; one-hot labels? pass labels.argmax(axis=1)" if labels.shape.rank == 2 else "")
            )
        return real, tf.cast(labels, "int32")

    def sample_noise(self, n: int | tf.Tensor) -> tf.Tensor:
        """``n`` latent vectors drawn from N(0, I): shape ``(n, latent_dim)``."""
        return self._draws.normal(tf.stack([n, self.latent_dim]) if tf.is_tensor(n) else (n, self.latent_dim))

    @property
    def _draws(self) -> tf.random.Generator | ReplicaDraws:
        """Where this step's random numbers come from: :attr:`rng`, or, in a step on several replicas
        (``tf.distribute``), the replica's rows of the global batch's draws (:class:`ReplicaDraws`)."""
        draws = self._replica_step.draws
        return self.rng if draws is None or _replica_context() is None else draws

    def clone_rng(self) -> tf.random.Generator:
        """A copy of :attr:`rng` in its current state: it makes the same draws as the next ``train_step``
        (in the order given in the class docstring) without moving this GAN's own generator.
        (``tf.random.Generator.from_state(gan.rng.state, ...)`` would share the state variable.) Under
        ``jit_compile=True`` make the draws in an XLA-compiled function too: XLA's random numbers differ
        from eager ones for the same state."""
        return tf.random.Generator.from_state(tf.identity(self.rng.state), self.rng.algorithm)

    def _noisy(self, samples: tf.Tensor) -> tf.Tensor:
        """What D sees of ``samples``: augmented (when ``augment`` is set), plus instance noise
        N(0, instance_noise²) (when it is on)."""
        if self.augment is not None:
            samples = self.augment(samples, self._draws)
        std = tf.cast(self.instance_noise, samples.dtype)

        def with_noise() -> tf.Tensor:
            return samples + std * self._draws.normal(tf.shape(samples), dtype=samples.dtype)

        if self._use_instance_noise:
            return with_noise()
        return tf.cond(std > 0, with_noise, lambda: tf.identity(samples))

    def _probability(self, d: tf.Tensor) -> tf.Tensor:
        """D's outputs as probabilities (a critic's scores as they are)."""
        return tf.sigmoid(d) if self.d_output == "logits" else d

    def _penalty(self, real: tf.Tensor, fake: tf.Tensor, labels: tf.Tensor | None) -> tf.Tensor | None:
        """WGAN-GP's penalty at points between ``real`` and ``fake`` (None when off), with one uniform
        interpolation weight per sample drawn from :attr:`rng`."""
        if self.gradient_penalty <= 0:
            return None
        shape = tf.concat([tf.shape(real)[:1], tf.ones([tf.rank(real) - 1], tf.int32)], axis=0)
        epsilon = self._draws.uniform(shape, 0.0, 1.0, dtype=real.dtype)
        return losses.gradient_penalty(self.discriminator, real, fake, epsilon, labels)

    def _d_total(self, d_real: tf.Tensor, d_fake: tf.Tensor, penalty: tf.Tensor | None) -> tf.Tensor:
        # The losses in float32, also when D computes in float16 (mixed precision; a no-op otherwise).
        d_loss = self._d_loss(tf.cast(d_real, "float32"), tf.cast(d_fake, "float32"))
        return d_loss if penalty is None else d_loss + self.gradient_penalty * tf.cast(penalty, "float32")

    def _critic_step(self, real: tf.Tensor, labels: tf.Tensor | None) -> None:
        """One update of D alone (the extra ``d_steps``), against fresh fakes and the same real batch."""
        fake = self._generate(self.sample_noise(tf.shape(real)[0]), labels, training=True)
        d_weights = self.discriminator.trainable_weights
        with tf.GradientTape() as tape:
            d_real = self._discriminate(real, labels)
            d_fake = self._discriminate(fake, labels)
            d_loss = self.d_optimizer.scale_loss(
                self._d_total(d_real, d_fake, self._penalty(real, fake, labels))
            )
        grads = self._replica_step.scaled(tape.gradient(d_loss, d_weights))
        self.d_optimizer.apply_gradients(zip(grads, d_weights, strict=True))

    def _d_loss(self, d_real: tf.Tensor, d_fake: tf.Tensor) -> tf.Tensor:
        if self.d_loss_fn is not None:
            return self.d_loss_fn(d_real, d_fake)
        if self.d_output == "critic":
            return losses.critic_loss(d_real, d_fake)
        if self.d_output == "logits":
            return losses.discriminator_loss_from_logits(d_real, d_fake, self.real_label)
        return losses.discriminator_loss(d_real, d_fake, self.real_label)

    def _g_loss(self, d_fake: tf.Tensor) -> tf.Tensor:
        d_fake = tf.cast(d_fake, "float32")  # see _d_total
        if self.g_loss_fn is not None:
            return self.g_loss_fn(d_fake)
        if self.d_output == "critic":
            return losses.critic_generator_loss(d_fake)
        saturating = self.g_loss_name == "saturating"
        if self.d_output == "logits":
            return (
                losses.generator_loss_saturating_from_logits(d_fake)
                if saturating
                else losses.generator_loss_from_logits(d_fake)
            )
        return losses.generator_loss_saturating(d_fake) if saturating else losses.generator_loss(d_fake)

    def train_step(self, data: object) -> dict[str, tf.Tensor]:
        real, labels = self._batch(data)
        if _shape_tail(real.shape) != self.sample_shape:
            raise ValueError(
                f"training samples have shape {_shape_tail(real.shape)}, but this GAN's discriminator "
                f"expects {self.sample_shape}; images need a channel axis, e.g. (28, 28, 1)"
            )
        if real.shape[0] == 0:
            raise ValueError("the training batch is empty: the losses of zero samples are undefined (NaN)")
        d_weights = self.discriminator.trainable_weights
        g_weights = self.generator.trainable_weights
        for name, short, model_weights in (("discriminator", "D", d_weights), ("generator", "G", g_weights)):
            if not model_weights:
                raise ValueError(
                    f"the {name} has no trainable weights, so this GAN would never update it; if you set "
                    f"{short}.trainable = False (the two-model Keras recipe), set it back to True"
                )
        real = tf.cast(real, self.compute_dtype)
        if labels is not None and not self.jit_compile:  # XLA drops assertions; fit() checks arrays
            checks = [
                tf.debugging.assert_non_negative(labels, message="labels must be class numbers >= 0"),
                tf.debugging.assert_less(
                    labels, self.num_classes, message=f"labels must be class numbers below {self.num_classes}"
                ),
            ]
            with tf.control_dependencies(checks):  # checked before any network sees them
                labels = tf.identity(labels)
        # Under tf.distribute each replica holds part of the global batch: it draws its rows of the global
        # batch's random numbers and scales its gradients by its share (ReplicaDraws). One device: nothing.
        self._replica_step.begin(self.rng, tf.shape(real)[0], self.compute_dtype)
        for _ in range(self.d_steps - 1):  # WGAN-GP's extra critic updates (none by default)
            self._critic_step(real, labels)
        z = self.sample_noise(tf.shape(real)[0])

        if self.update == "simultaneous":
            # One forward pass, two tapes: each loss is differentiated only with respect to its own network.
            with tf.GradientTape() as d_tape, tf.GradientTape() as g_tape:
                fake = self._generate(z, labels, training=True)
                d_real = self._discriminate(real, labels)
                d_fake = self._discriminate(fake, labels)
                penalty = self._penalty(real, fake, labels)
                d_loss = self._d_total(d_real, d_fake, penalty)
                g_loss = self._g_loss(d_fake)
                # Mixed precision: the optimizers' loss scaling (in float32 they return the loss as it is).
                d_scaled, g_scaled = self.d_optimizer.scale_loss(d_loss), self.g_optimizer.scale_loss(g_loss)
            d_grads = self._replica_step.scaled(d_tape.gradient(d_scaled, d_weights))
            g_grads = self._replica_step.scaled(g_tape.gradient(g_scaled, g_weights))
            self.d_optimizer.apply_gradients(zip(d_grads, d_weights, strict=True))
            self.g_optimizer.apply_gradients(zip(g_grads, g_weights, strict=True))
        else:
            # D's step first; then G's step against the updated D, for the same fakes G(z).
            with tf.GradientTape() as g_tape:
                fake = self._generate(z, labels, training=True)
                with g_tape.stop_recording(), tf.GradientTape() as d_tape:
                    d_real = self._discriminate(real, labels)
                    d_fake = self._discriminate(fake, labels)
                    penalty = self._penalty(real, fake, labels)
                    d_loss = self._d_total(d_real, d_fake, penalty)
                    d_scaled = self.d_optimizer.scale_loss(d_loss)  # mixed precision (see above)
                d_grads = self._replica_step.scaled(d_tape.gradient(d_scaled, d_weights))
                self.d_optimizer.apply_gradients(zip(d_grads, d_weights, strict=True))
                g_loss = self._g_loss(self._discriminate(fake, labels))
                g_scaled = self.g_optimizer.scale_loss(g_loss)
            g_grads = self._replica_step.scaled(g_tape.gradient(g_scaled, g_weights))
            self.g_optimizer.apply_gradients(zip(g_grads, g_weights, strict=True))

        # Several replicas: each replica's batch means count by its share, so the epoch's means are those of
        # the global batches, as on one device; the gradient norms are those of the summed gradients.
        share, replica = self._replica_step.share, _replica_context()
        self.d_loss_tracker.update_state(d_loss, sample_weight=share)
        self.g_loss_tracker.update_state(g_loss, sample_weight=share)
        self.d_real_tracker.update_state(tf.reduce_mean(self._probability(d_real)), sample_weight=share)
        self.d_fake_tracker.update_state(tf.reduce_mean(self._probability(d_fake)), sample_weight=share)
        if self.track_gradients:
            if replica is not None:
                d_grads, g_grads = replica.all_reduce(tf.distribute.ReduceOp.SUM, (d_grads, g_grads))
            self.d_grad_tracker.update_state(_gradient_norm(d_grads, self.d_optimizer), sample_weight=share)
            self.g_grad_tracker.update_state(_gradient_norm(g_grads, self.g_optimizer), sample_weight=share)
        if penalty is not None:
            self.penalty_tracker.update_state(penalty, sample_weight=share)
        return {m.name: m.result() for m in self.metrics}

    def fit(self, x: object = None, *args: object, shuffle: bool | None = None, **kwargs: object) -> object:
        """``keras.Model.fit``, shuffling NumPy arrays and tensors (every epoch) but not a
        ``tf.data.Dataset`` (which shuffles itself, see ``gh.make_dataset``; Keras warns when asked to
        shuffle one). Unshuffled arrays sorted by class would give batches of one class each, so an
        explicit ``shuffle=False`` with arrays gets a warning."""
        arrays = _is_array_data(x)
        if self.conditional:
            y = args[0] if args else kwargs.get("y")
            if y is None and arrays and isinstance(x, (tuple, list)) and len(x) == 2:
                x, y = x  # fit((images, labels)) means fit(images, labels)
                kwargs["y"], args = y, args[1:]
            self._check_fit_labels(x, y, arrays)
        if shuffle is None:
            shuffle = arrays
        elif not shuffle and arrays:
            warnings.warn(
                "GAN.fit(shuffle=False) on arrays: every batch comes in stored order (one class per "
                "batch if the data is sorted by class); leave shuffle at its default unless you mean it",
                UserWarning,
                stacklevel=2,
            )
        self._build_optimizers_for_strategy()
        return self._forgetting_refused_traces(
            lambda: super(GAN, self).fit(x, *args, shuffle=shuffle, **kwargs)
        )

    def train_on_batch(self, *args: object, **kwargs: object) -> object:
        """``keras.Model.train_on_batch``; a batch refused with a ``ValueError`` leaves the GAN trainable."""
        self._build_optimizers_for_strategy()
        return self._forgetting_refused_traces(lambda: super(GAN, self).train_on_batch(*args, **kwargs))

    def _build_optimizers_for_strategy(self) -> None:
        """A GAN made in a ``tf.distribute`` strategy's scope: create the two optimizers' variables now, in
        that scope. Keras runs a distributed step inside a ``tf.cond``, where a replica cannot create them.
        (On one device they are created when the step is first traced, as usual.)"""
        strategy = getattr(self, "_distribute_strategy", None)  # set by Keras when made in a scope
        if strategy is None or not hasattr(self, "d_optimizer"):
            return
        with strategy.scope():
            for optimizer, model in (
                (self.d_optimizer, self.discriminator),
                (self.g_optimizer, self.generator),
            ):
                if not optimizer.built and model.trainable_variables:
                    optimizer.build(model.trainable_variables)

    def _forgetting_refused_traces(self, run: Callable[[], object]) -> object:
        """Run ``fit``/``train_on_batch``; when ``train_step`` refuses the data while Keras traces it, drop
        the half-traced step, so that the same GAN trains once the learner fixes the data (otherwise every
        later call fails with "Creating variables on a non-first call to a function")."""
        try:
            return run()
        except ValueError:
            self.train_function = None
            raise

    def _check_fit_labels(self, x: object, y: object, arrays: bool) -> None:
        """A conditional GAN's ``fit`` data: labels must come with the images, as whole class numbers."""
        if isinstance(x, tf.data.Dataset):
            spec = x.element_spec
            if not (isinstance(spec, tuple) and len(spec) >= 2):
                raise ValueError(
                    "this conditional GAN trains on (images, labels) pairs, but the dataset gives images "
                    "only; build it with gh.make_dataset(images, labels)"
                )
            labels = spec[1]
            if isinstance(labels, tf.TensorSpec) and not labels.dtype.is_integer:
                raise ValueError(
                    f"the dataset's labels must be integers (class numbers 0..{self.num_classes - 1}), got "
                    f"dtype {labels.dtype.name}; convert them with labels.astype('int32')"
                )
            if (
                isinstance(labels, tf.TensorSpec)
                and labels.shape.rank == 2
                and labels.shape[-1] not in (1, None)
            ):
                raise ValueError(
                    f"the dataset's labels must have shape (batch,), one class number per image, got "
                    f"{tuple(labels.shape)}; one-hot labels? pass labels.argmax(axis=1)"
                )
            return
        if not arrays:
            return  # generators and other inputs: train_step checks each batch
        labels = y if y is not None else (x[1] if isinstance(x, (tuple, list)) and len(x) > 1 else None)
        if labels is None:
            raise ValueError(
                "this conditional GAN trains on (images, labels) pairs, but got images only; use "
                "gan.fit(images, labels) or gan.fit(gh.make_dataset(images, labels))"
            )
        labels = np.asarray(labels)
        if labels.ndim == 2 and labels.shape[1] == self.num_classes:
            raise ValueError(
                f"labels must have shape (N,), one class number per image, got {labels.shape}; one-hot "
                "labels? pass labels.argmax(axis=1)"
            )
        check_labels(labels, classes=self.num_classes)

    def generate(self, n: int | None = None, z: object = None, labels: object = None) -> object:
        """Generate samples as a NumPy array: ``n`` from fresh noise (drawn from :attr:`rng`), or one per
        row of ``z``. A conditional GAN also needs ``labels`` (one class number for all, or one per
        sample); see :func:`gan_helpers.sampling.generate`."""
        if (n is None) == (z is None):
            raise ValueError(
                "pass either n (a number of samples) or z (noise of shape (n, latent_dim)), not "
                + ("both" if n is not None else "neither: got n=None and z=None")
            )
        if z is None:
            if isinstance(n, bool) or not isinstance(n, numbers.Integral) or n < 1:
                raise ValueError(f"n must be a positive integer, got {n!r}")
            z = self.sample_noise(int(n)).numpy()
        return sampling.generate(self.generator, z=z, labels=labels, num_classes=self.num_classes or 10)
