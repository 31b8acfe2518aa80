"""Drawing samples from a trained generator, conditional or not: checked noise and labels in, NumPy
images out. :meth:`gan_helpers.training.GAN.generate` uses the same functions, and they work on a
generator loaded from disk (``gh.checkpoints.load_model``)."""

from __future__ import annotations

import numbers

import keras
import numpy as np

from .checks import check_count, check_numbers
from .data import check_labels
from .models import takes_labels


def latent_size(generator: keras.Model) -> int:
    """The size of the noise vector z that ``generator`` takes (its first input is ``(batch, size)``)."""
    try:
        shape = tuple(generator.inputs[0].shape)
    except (AttributeError, IndexError, TypeError, ValueError):
        raise ValueError(
            "expected a built keras.Model generator whose first input is noise (batch, latent_dim), "
            f"got {type(generator).__name__}"
        ) from None
    if len(shape) != 2 or shape[1] is None:
        raise ValueError(f"the generator's first input must be noise (batch, latent_dim), it is {shape}")
    return int(shape[1])


def label_batch(labels: object, n: int | None = None, num_classes: int = 10) -> np.ndarray:
    """Labels for ``n`` conditional samples as int32 ``(n,)``: one class number (an int, e.g. ``7``)
    repeated ``n`` times, or a sequence of ``n`` class numbers (``n=None``: as many as given). Class numbers
    must be whole numbers in ``0..num_classes-1``; anything else gets a ``ValueError`` that says so."""
    num_classes = check_count(num_classes, "num_classes", minimum=1)
    if n is not None:
        n = check_count(n, "n (the number of samples)", minimum=1)
    if isinstance(labels, (numbers.Integral, np.integer)) and not isinstance(labels, bool):
        if n is None:
            n = 1
        labels = np.full(int(n), int(labels))
    elif isinstance(labels, (str, bytes, bool)) or labels is None:
        raise ValueError(
            f"labels must be a class number 0..{num_classes - 1} or a sequence of them, got {labels!r}"
        )
    return check_labels(labels, count=n, classes=num_classes).astype("int32")


def _noise(z: object, n: int | None, size: int, seed: int | None) -> np.ndarray:
    if z is None:
        if isinstance(n, bool) or not isinstance(n, numbers.Integral) or n < 1:
            raise ValueError(f"n must be a positive integer (how many samples), got {n!r}")
        return np.random.default_rng(seed).standard_normal((int(n), size)).astype("float32")
    z = check_numbers(z, "z", shape=f"(n, {size})", finite=False)
    if z.ndim != 2 or z.shape[1] != size:
        raise ValueError(f"z must have shape (n, {size}), one noise vector per row, got {z.shape}")
    if not np.all(np.isfinite(z)):
        raise ValueError(
            "z contains NaN or infinite values (expected finite numbers): the generator would return "
            "NaN samples"
        )
    return z.astype("float32")


def generate(
    generator: keras.Model,
    n: int | None = None,
    z: object = None,
    labels: object = None,
    seed: int | None = None,
    num_classes: int = 10,
) -> np.ndarray:
    """Samples from ``generator`` as a NumPy array ``(n, *sample_shape)`` (pixels in the generator's own
    range, [-1, 1] for the DCGANs).

    Give either ``n`` (fresh standard normal noise, from ``seed`` when given) or ``z`` ``(n, latent_dim)``.
    A conditional generator (two inputs, ``[z, labels]``) also needs ``labels``: one class number for all
    samples or one per sample; an unconditional one refuses them.
    """
    if (n is None) == (z is None):
        raise ValueError(
            "pass either n (a number of samples) or z (noise of shape (n, latent_dim)), not "
            + ("both" if n is not None else "neither: got n=None and z=None")
        )
    num_classes = check_count(num_classes, "num_classes", minimum=1)
    z = _noise(z, n, latent_size(generator), seed)
    if takes_labels(generator):
        if labels is None:
            raise ValueError(
                f"this generator is conditional: say which digits to draw with labels=7 (all the same) or "
                f"labels=[0, 1, ...] (one per sample), classes 0..{num_classes - 1} expected; got labels=None"
            )
        inputs = [z, label_batch(labels, len(z), num_classes)]
    else:
        if labels is not None:
            raise ValueError(
                "this generator is unconditional (it takes noise only), so it cannot be asked for a digit; "
                "use a conditional generator (notebook 08) or drop labels="
            )
        inputs = z
    return np.asarray(generator.predict(inputs, verbose=0, batch_size=256))


def class_grid_inputs(
    per_class: int, num_classes: int = 10, latent_dim: int = 100, seed: int | None = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Noise and labels for a grid with one row per class and ``per_class`` columns, where every column
    shares one noise vector (style held, class changed): ``z`` ``(num_classes * per_class, latent_dim)``
    and labels ``(num_classes * per_class,)``, row by row (0, 0, ..., 1, 1, ...)."""
    for name, value in (("per_class", per_class), ("num_classes", num_classes), ("latent_dim", latent_dim)):
        if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
            raise ValueError(f"{name} must be a positive integer, got {value!r}")
    columns = np.random.default_rng(seed).standard_normal((per_class, latent_dim)).astype("float32")
    z = np.tile(columns, (num_classes, 1))
    labels = np.repeat(np.arange(num_classes, dtype="int32"), per_class)
    return z, labels
