"""The GAN loss functions, each a few lines, named as in the notebooks.

Two versions of each formula:

- from **probabilities** ``D(x)`` in [0, 1] (the chapter's sigmoid discriminator). Like Keras, these
  clip probabilities to ``[EPSILON, 1 - EPSILON]`` so that ``log(0)`` never happens;
- from **logits** (the discriminator's score before the sigmoid, ``D(x) = sigmoid(logit)``), written with
  ``softplus`` so that they are exact and stable for any logit. Prefer these in real training.

With ``y`` the label (1 real, 0 fake), every loss above is a binary cross-entropy (BCE)
``-[y log p + (1 - y) log(1 - p)]`` averaged over the batch. The Wasserstein losses (a **critic**'s unbounded
scores, WGAN) and the gradient penalty (WGAN-GP) come last. The functions take NumPy arrays, Python
floats or tensors, of any shape, and return a scalar tensor (``float(...)`` gives the number).
"""

from __future__ import annotations

from typing import Any

import keras
import numpy as np
from keras import ops

from .checks import dtype_problem

#: NumPy arrays, Python numbers or lists, or tensors (TensorFlow / Keras).
TensorLike = Any

#: Probabilities are clipped to [EPSILON, 1 - EPSILON] before the log, exactly as Keras's BCE does.
EPSILON = 1e-7


def _concrete_values(p: TensorLike, name: str) -> np.ndarray | None:
    """The values of ``p`` as float64 when they can be read now: NumPy/Python input, eager tensors and
    variables. ``None`` inside a traced graph (``tf.function``, XLA) or for symbolic tensors, where values
    are unknown until the step runs. Text, complex numbers, True/False and other objects are refused."""
    if p is None or isinstance(p, (str, bytes, dict, set)):
        raise TypeError(
            f"{name} must be numbers (a NumPy array, a Python number or list, or a tensor), got "
            f"{type(p).__name__}"
        )
    array = None
    if isinstance(p, (int, float, complex, list, tuple, np.ndarray, np.generic)):
        try:
            array = np.asarray(p)
        except ValueError:
            raise ValueError(f"{name} must be an array of numbers, got a ragged sequence") from None
    else:
        import tensorflow as tf  # the backend; imported here so that this module stays cheap to import

        if not tf.executing_eagerly():
            return None
        if isinstance(p, (tf.Tensor, tf.Variable, keras.Variable)) and hasattr(p, "numpy"):
            try:
                array = np.asarray(p.numpy())
            except (AttributeError, TypeError, ValueError, NotImplementedError):
                return None  # e.g. a symbolic tensor: nothing to check
    if array is None:
        return None
    problem = dtype_problem(array)
    if problem:
        raise ValueError(f"{name} must hold real numbers, got {problem}")
    return array.astype(np.float64)


def _probabilities(p: TensorLike, name: str) -> TensorLike:
    """Check inputs whose values are known (NumPy, Python, eager tensors and variables) are in [0, 1],
    then clip. Tensors inside a traced graph are passed through unchecked. Tensors keep their identity,
    so gradients still flow through them."""
    arr = _concrete_values(p, name)
    if arr is not None:
        if arr.size == 0:
            raise ValueError(f"{name} is empty: expected at least one probability")
        if np.any(~np.isfinite(arr)):
            raise ValueError(
                f"{name} contains NaN or infinite values, expected probabilities in [0, 1]: the losses "
                "would be NaN (has training diverged?)"
            )
        if arr.min() < 0 or arr.max() > 1:
            raise ValueError(
                f"{name} must hold probabilities in [0, 1], got values from {arr.min():g} to {arr.max():g}; "
                "these look like logits (scores before the sigmoid): use the *_from_logits version"
            )
        if not hasattr(p, "dtype") or isinstance(p, (np.ndarray, np.generic)):
            p = arr.astype(np.float32)
    return ops.clip(ops.convert_to_tensor(p, dtype="float32"), EPSILON, 1.0 - EPSILON)


def _logits(x: TensorLike, name: str = "the logits") -> TensorLike:
    """``x`` as a float32 tensor, after checking values that are known now (as :func:`_probabilities`):
    real numbers, at least one, none NaN or infinite. Any real value is a valid logit or critic score."""
    arr = _concrete_values(x, name)
    if arr is not None:
        if arr.size == 0:
            raise ValueError(f"{name} is empty: expected at least one value, got shape {arr.shape}")
        if not np.all(np.isfinite(arr)):
            raise ValueError(
                f"{name} contains NaN or infinite values: expected finite scores; the losses would be NaN "
                "(has training diverged?)"
            )
        if not hasattr(x, "dtype") or isinstance(x, (np.ndarray, np.generic)):
            x = arr.astype(np.float32)
    return ops.convert_to_tensor(x, dtype="float32")


# --- from probabilities --------------------------------------------------------------------------


def discriminator_loss(d_real: TensorLike, d_fake: TensorLike, real_label: float = 1.0) -> TensorLike:
    """L_D = -E_x[log D(x)] - E_z[log(1 - D(G(z)))]: the chapter's discriminator loss.

    ``d_real``: D's probabilities on real samples; ``d_fake``: on generated samples (any shapes).
    Equals BCE(1, D(x)) + BCE(0, D(G(z))). At D = 1/2 everywhere it is 2 log 2 ≈ 1.386.
    ``real_label`` below 1 (e.g. 0.9) is one-sided label smoothing: BCE(0.9, D(x)) for the real term,
    which stops D from becoming over-confident on real samples.
    """
    d_real, d_fake = _probabilities(d_real, "d_real"), _probabilities(d_fake, "d_fake")
    real_term = real_label * ops.log(d_real) + (1.0 - real_label) * ops.log(1.0 - d_real)
    return -ops.mean(real_term) - ops.mean(ops.log(1.0 - d_fake))


def generator_loss(d_fake: TensorLike) -> TensorLike:
    """L_G = -E_z[log D(G(z))]: the chapter's (non-saturating) generator loss.

    Equals BCE(1, D(G(z))): the generator wants its samples called real. At D = 1/2 it is log 2 ≈ 0.693.
    """
    return -ops.mean(ops.log(_probabilities(d_fake, "d_fake")))


def generator_loss_saturating(d_fake: TensorLike) -> TensorLike:
    """E_z[log(1 - D(G(z)))]: the original minimax generator loss (G minimises it).

    Equals -BCE(0, D(G(z))). Its gradient vanishes when D confidently rejects the fakes (D(G(z)) ≈ 0).
    """
    return ops.mean(ops.log(1.0 - _probabilities(d_fake, "d_fake")))


def minimax_value(d_real: TensorLike, d_fake: TensorLike) -> TensorLike:
    """V(D, G) = E_x[log D(x)] + E_z[log(1 - D(G(z)))], which D maximises and G minimises.

    ``V = -L_D``. At D = 1/2 everywhere it is -2 log 2 = -log 4 ≈ -1.386.
    """
    d_real, d_fake = _probabilities(d_real, "d_real"), _probabilities(d_fake, "d_fake")
    return ops.mean(ops.log(d_real)) + ops.mean(ops.log(1.0 - d_fake))


# --- from logits (stable) -------------------------------------------------------------------------
# With D = sigmoid(l):  -log D = softplus(-l)  and  -log(1 - D) = softplus(l), exact for any l.


def discriminator_loss_from_logits(
    real_logits: TensorLike, fake_logits: TensorLike, real_label: float = 1.0
) -> TensorLike:
    """L_D from logits: E[softplus(-l_real)] + E[softplus(l_fake)] (``real_label`` as in
    :func:`discriminator_loss`)."""
    real_logits = _logits(real_logits)
    real_term = real_label * ops.softplus(-real_logits) + (1.0 - real_label) * ops.softplus(real_logits)
    return ops.mean(real_term) + ops.mean(ops.softplus(_logits(fake_logits)))


def generator_loss_from_logits(fake_logits: TensorLike) -> TensorLike:
    """Non-saturating L_G from logits: E[softplus(-l_fake)]."""
    return ops.mean(ops.softplus(-_logits(fake_logits)))


def generator_loss_saturating_from_logits(fake_logits: TensorLike) -> TensorLike:
    """Saturating generator loss from logits: E[log(1 - sigmoid(l))] = -E[softplus(l_fake)]."""
    return -ops.mean(ops.softplus(_logits(fake_logits, "fake_logits")))


def minimax_value_from_logits(real_logits: TensorLike, fake_logits: TensorLike) -> TensorLike:
    """V(D, G) from logits: -E[softplus(-l_real)] - E[softplus(l_fake)]."""
    return -discriminator_loss_from_logits(real_logits, fake_logits)


def critic_loss(real_scores: TensorLike, fake_scores: TensorLike) -> TensorLike:
    """The Wasserstein critic's loss: E[f(G(z))] - E[f(x)], the negative of the critic's estimate of the
    Wasserstein-1 distance (minimising it pushes real scores up and fake scores down). Scores are any real
    numbers, shape ``(batch, 1)``."""
    return ops.mean(_logits(fake_scores, "fake_scores")) - ops.mean(_logits(real_scores, "real_scores"))


def critic_generator_loss(fake_scores: TensorLike) -> TensorLike:
    """The generator's Wasserstein loss: -E[f(G(z))] (raise the critic's scores of the fakes)."""
    return -ops.mean(_logits(fake_scores, "fake_scores"))


#: added under the square root of the gradient norm, so that its gradient stays finite where the critic's
#: gradient is exactly zero (d sqrt(u)/du is infinite at u = 0, and infinity times 0 is NaN)
NORM_EPSILON = 1e-12


def gradient_penalty(
    critic: Any, real: TensorLike, fake: TensorLike, epsilon: TensorLike, labels: TensorLike = None
) -> TensorLike:
    """WGAN-GP's penalty (Gulrajani et al. 2017): E[(||grad_x f(x_hat)||_2 - 1)^2] at the points
    ``x_hat = epsilon * real + (1 - epsilon) * fake`` between each real sample and a fake one.

    - ``critic``: a callable ``critic(x)`` (or ``critic([x, labels])`` when ``labels`` are given) returning
      scores ``(batch, 1)``; called with ``training=True``.
    - ``real``, ``fake``: samples of the same shape ``(batch, ...)``.
    - ``epsilon``: one interpolation weight per sample, drawn **uniformly from [0, 1]**, shape
      ``(batch, 1, ..., 1)`` (broadcast over the sample's axes). The penalty's argument rests on points spread
      along the whole segment between a real and a fake sample; a standard *normal* epsilon (a common mistake)
      puts most points outside the segment (about 68 % of draws are outside [0, 1]), where the optimal
      critic's gradient norm need not be 1.

    The gradient norm is computed as ``sqrt(sum(g^2) + NORM_EPSILON)``, so the penalty has a finite gradient
    even where the critic's gradient is exactly zero. Call it inside the critic's ``GradientTape``: the
    penalty depends on the critic's weights through a gradient (double backpropagation).
    """
    import tensorflow as tf

    if not callable(critic):
        raise TypeError(
            f"critic must be a callable model critic(x) -> scores (batch, 1), got {type(critic).__name__}"
        )
    for name, values in (("real", real), ("fake", fake)):
        known = _concrete_values(values, name)
        if known is not None and (known.size == 0 or not np.all(np.isfinite(known))):
            raise ValueError(
                f"{name} samples must be finite numbers, at least one sample, got shape {known.shape}"
                + (" with NaN or infinite values" if known.size else " (empty)")
            )
    known_epsilon = _concrete_values(epsilon, "epsilon")
    if known_epsilon is not None and not np.all(np.isfinite(known_epsilon)):
        raise ValueError(
            "epsilon must be finite interpolation weights (drawn from [0, 1]), got NaN or infinity"
        )
    real = tf.convert_to_tensor(real)
    fake = tf.cast(tf.convert_to_tensor(fake), real.dtype)
    epsilon = tf.cast(tf.convert_to_tensor(epsilon), real.dtype)
    if (
        real.shape.rank is not None
        and fake.shape.rank is not None
        and not real.shape.is_compatible_with(fake.shape)
    ):
        raise ValueError(f"real and fake samples must have the same shape, got {real.shape} and {fake.shape}")
    known = epsilon.shape.rank is not None and real.shape.rank is not None
    if known and (
        epsilon.shape.rank != real.shape.rank
        or not epsilon.shape[:1].is_compatible_with(real.shape[:1])
        or any(d not in (1, None) for d in epsilon.shape[1:])
    ):
        raise ValueError(
            f"epsilon must have one weight per sample, shape (batch{', 1' * (real.shape.rank - 1)}), "
            f"got {tuple(epsilon.shape)}"
        )
    mixed = epsilon * real + (1.0 - epsilon) * fake
    with tf.GradientTape() as tape:
        tape.watch(mixed)
        scores = critic(mixed if labels is None else [mixed, labels], training=True)
    grads = tape.gradient(scores, mixed)
    axes = list(range(1, grads.shape.rank))
    norms = tf.sqrt(tf.reduce_sum(tf.square(grads), axis=axes) + NORM_EPSILON)
    return tf.reduce_mean(tf.square(norms - 1.0))


def generator_loss_curves(d_fake: np.ndarray) -> dict[str, np.ndarray]:
    """Both generator losses, per sample, and their gradients with respect to D's logit.

    ``d_fake``: 1-D array of values of D(G(z)) in (0, 1). Returns arrays of the same length:
    ``saturating`` = log(1 - D), ``non_saturating`` = -log D, and ``saturating_grad`` /
    ``non_saturating_grad``, the derivatives d loss / d logit computed by automatic differentiation
    through the ``*_from_logits`` functions above (closed forms: -D and -(1 - D)).
    """
    import tensorflow as tf

    d = _concrete_values(d_fake, "d_fake")
    if d is None or d.ndim != 1 or d.size == 0 or not np.all((d > 0) & (d < 1)):
        got = (
            ""
            if d is None
            else f"shape {d.shape}" + (f", values from {d.min():g} to {d.max():g}" if d.size else "")
        )
        raise ValueError(
            f"d_fake must be a non-empty 1-D array of values strictly between 0 and 1, got {got}"
        )
    logits = tf.Variable(np.log(d / (1.0 - d)).astype(np.float32))
    n = float(d.size)  # the losses average over the batch; scale back to per-sample values
    with tf.GradientTape(persistent=True) as tape:
        per_sample_sat = generator_loss_saturating_from_logits(logits) * n
        per_sample_ns = generator_loss_from_logits(logits) * n
    return {
        "d_fake": d,
        "saturating": np.log1p(-d),
        "non_saturating": -np.log(d),
        "saturating_grad": tape.gradient(per_sample_sat, logits).numpy().astype(np.float64),
        "non_saturating_grad": tape.gradient(per_sample_ns, logits).numpy().astype(np.float64),
    }
