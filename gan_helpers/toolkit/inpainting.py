"""Inpainting (图像修复) by searching a generator's latent space: masks, the search, and a baseline.

A damaged image is an image with some pixels unknown. A trained generator ``G`` knows what whole digits look
like, so we look for a code ``z`` whose image ``G(z)`` matches the pixels we do know; ``G(z)`` then also
fills in the ones we do not (Yeh et al. 2017, "Semantic image inpainting with deep generative models").

Conventions: a **mask** is float32 ``(N, H, W, 1)`` (or ``(H, W, 1)`` for one) with **1 where the pixel is
known** and 0 where it is missing; images are ``(N, H, W, 1)`` in the generator's pixel range (``[-1, 1]``
for the course's tanh DCGANs). Codes are float32 ``(N, d)``.

- :func:`half_mask`, :func:`square_mask`, :func:`random_mask`, :func:`make_mask` and :func:`mask_batch`
  build masks and :func:`check_masks` checks them; :func:`apply_mask` damages images, :func:`blend` keeps
  the known pixels and takes the rest from a reconstruction;
- :func:`inpainting_objective` is what the search minimises for every code; :func:`latent_search` runs
  Adam on the codes of all images and all restarts at once and keeps each image's best restart;
- :func:`nearest_known_pixels` is the simple baseline: the reference image closest on the known pixels.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass

import keras
import numpy as np

from .checks import check_number, dtype_problem
from .data import check_images, check_labels, validate_scale
from .models import takes_labels
from .sampling import latent_size
from .settings import import_tensorflow_quietly

tf = import_tensorflow_quietly()

#: The mask kinds of :func:`make_mask`: what is *missing*.
MASK_KINDS = ("top_half", "bottom_half", "left_half", "right_half", "random", "centre_square")
#: The priors on the code that :func:`inpainting_objective` knows (``None``: no prior).
PRIORS = ("shell", "gaussian")


# --- masks -------------------------------------------------------------------------------------------


def _whole(value: object, name: str, low: int, high: int | None = None) -> int:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (numbers.Integral, np.integer)):
        raise ValueError(f"{name} must be a whole number, got {value!r}")
    if value < low or (high is not None and value > high):
        span = f"{low}..{high}" if high is not None else f">= {low}"
        raise ValueError(f"{name} must be in {span}, got {value}")
    return int(value)


def half_mask(side: str, size: int = 28) -> np.ndarray:
    """A mask ``(size, size, 1)`` with one half missing: ``side`` is ``"top"``, ``"bottom"``, ``"left"``
    or ``"right"`` (the half that is unknown). 1 = known pixel, 0 = missing."""
    size = _whole(size, "size", 2)
    sides = ("top", "bottom", "left", "right")
    if side not in sides:
        raise ValueError(f"side must be one of {sides} (the half that is missing), got {side!r}")
    mask = np.ones((size, size, 1), np.float32)
    half = size // 2
    region = {
        "top": np.s_[:half, :],
        "bottom": np.s_[size - half :, :],
        "left": np.s_[:, :half],
        "right": np.s_[:, size - half :],
    }[side]
    mask[region] = 0.0
    return mask


def square_mask(top: int, left: int, side: int, size: int = 28) -> np.ndarray:
    """A mask ``(size, size, 1)`` with a ``side`` x ``side`` square missing whose upper-left pixel is at
    row ``top``, column ``left`` (the square must fit inside the image). 1 = known, 0 = missing."""
    size = _whole(size, "size", 2)
    side = _whole(side, "side", 1, size)
    top = _whole(top, "top", 0, size - side)
    left = _whole(left, "left", 0, size - side)
    mask = np.ones((size, size, 1), np.float32)
    mask[top : top + side, left : left + side] = 0.0
    return mask


def random_mask(missing: float = 0.75, seed: int | None = 0, size: int = 28) -> np.ndarray:
    """A mask ``(size, size, 1)`` with ``round(missing * size²)`` pixels missing, chosen uniformly at random
    (``seed`` fixes which). ``missing`` is a share in [0, 1). 1 = known, 0 = missing."""
    size = _whole(size, "size", 2)
    if isinstance(missing, bool) or not isinstance(missing, (numbers.Real, np.floating)):
        raise ValueError(f"missing must be a share of pixels in [0, 1), got {missing!r}")
    if not 0 <= missing < 1:
        raise ValueError(f"missing must be a share of pixels in [0, 1) (some must stay known), got {missing}")
    count = round(float(missing) * size * size)
    flat = np.ones(size * size, np.float32)
    flat[np.random.default_rng(seed).permutation(size * size)[:count]] = 0.0
    return flat.reshape(size, size, 1)


def make_mask(
    kind: str,
    size: int = 28,
    missing: float = 0.75,
    square: int = 12,
    seed: int | None = 0,
) -> np.ndarray:
    """One mask ``(size, size, 1)`` of a kind in :data:`MASK_KINDS` (1 = known, 0 = missing):
    ``"top_half"`` ... ``"right_half"`` (that half missing), ``"random"`` (a share ``missing`` of the pixels,
    placed by ``seed``) or ``"centre_square"`` (a ``square`` x ``square`` hole in the middle)."""
    if kind not in MASK_KINDS:
        raise ValueError(f"kind must be one of {MASK_KINDS}, got {kind!r}")
    if kind.endswith("_half"):
        return half_mask(kind.removesuffix("_half"), size)
    if kind == "random":
        return random_mask(missing, seed, size)
    square = _whole(square, "square", 1, _whole(size, "size", 2))
    corner = (size - square) // 2
    return square_mask(corner, corner, square, size)


def mask_batch(kind: str, n: int, seed: int = 0, **options: object) -> np.ndarray:
    """``n`` masks ``(n, size, size, 1)`` of one ``kind`` (see :func:`make_mask`, which takes the same
    ``options``). Random masks differ from image to image (drawn from ``seed``); the others repeat."""
    n = _whole(n, "n", 1)
    if kind != "random":
        return np.repeat(make_mask(kind, **options)[None], n, axis=0)  # type: ignore[arg-type]
    seeds = np.random.default_rng(seed).integers(0, 2**31 - 1, n)
    return np.stack([make_mask(kind, seed=int(s), **options) for s in seeds])  # type: ignore[arg-type]


def check_masks(masks: object) -> np.ndarray:
    """``masks`` (any shape) as float32, after checking they hold only 0 and 1 (True/False too) and are not
    empty; a ``ValueError`` says what is wrong otherwise."""
    array = np.asarray(masks.numpy() if callable(getattr(masks, "numpy", None)) else masks)
    problem = dtype_problem(array, masks) if array.dtype != np.bool_ else None
    if problem:
        raise ValueError(f"masks must hold only 0 (missing pixel) and 1 (known pixel), got {problem}")
    if array.size == 0:
        raise ValueError(f"masks is empty (shape {array.shape}): expected (N, H, W, 1) or (H, W, 1)")
    array = array.astype(np.float32)
    outside = array[(array != 0) & (array != 1)]
    if outside.size:
        raise ValueError(
            f"masks must hold only 0 (missing pixel) and 1 (known pixel), got values such as {outside[0]:g}"
        )
    return array


def _masks_for(images: np.ndarray, masks: object) -> np.ndarray:
    """``masks`` as float32 ``(N, H, W, 1)`` of 0s and 1s matching ``images``; one ``(H, W, 1)`` mask is
    used for every image."""
    array = check_masks(masks)
    if array.ndim == 3:
        array = np.broadcast_to(array, (len(images), *array.shape))
    if array.shape != images.shape:
        raise ValueError(
            f"masks must have the images' shape {images.shape} (or {images.shape[1:]} for one mask for all), "
            f"got {np.shape(masks)}"
        )
    if np.any(array.reshape(len(array), -1).sum(axis=1) == 0):
        raise ValueError("a mask has no known pixel: nothing is left to match; keep some pixels known")
    return np.ascontiguousarray(array)


def apply_mask(images: object, masks: object, fill: float = 0.0) -> np.ndarray:
    """Damaged images: ``images`` ``(N, H, W, 1)`` with every missing pixel (mask 0) set to ``fill``."""
    images = check_images(images, scale=None, shape=None)
    masks = _masks_for(images, masks)
    fill = check_number(fill, "fill")
    return (images * masks + fill * (1 - masks)).astype(np.float32)


def blend(images: object, generated: object, masks: object) -> np.ndarray:
    """The known pixels of ``images`` and the missing ones from ``generated`` (both ``(N, H, W, 1)``):
    ``m * x + (1 - m) * G(z)``."""
    images = check_images(images, scale=None, shape=None)
    generated = check_images(generated, scale=None, shape=images.shape[1:], name="generated")
    if len(generated) != len(images):
        raise ValueError(f"{len(generated)} generated images for {len(images)} images")
    masks = _masks_for(images, masks)
    return (masks * images + (1 - masks) * generated).astype(np.float32)


def known_share(masks: object) -> np.ndarray:
    """The share of known pixels of each mask: ``(N,)`` for masks ``(N, H, W, 1)``, a float for one."""
    array = check_masks(masks).astype(np.float64)
    if array.ndim == 3:
        return float(array.mean())  # type: ignore[return-value]
    if array.ndim != 4:
        raise ValueError(f"masks must be (N, H, W, 1) or (H, W, 1), got shape {array.shape}")
    return array.reshape(len(array), -1).mean(axis=1)


# --- the search --------------------------------------------------------------------------------------


def masked_mse(generated: object, images: object, masks: object) -> np.ndarray:
    """The mean squared difference over the known pixels only, one number per image ``(N,)``:
    ``Σ m (G - x)² / Σ m`` (NumPy; :func:`inpainting_objective` computes the same in TensorFlow)."""
    images = check_images(images, scale=None, shape=None)
    generated = check_images(generated, scale=None, shape=images.shape[1:], name="generated")
    masks = _masks_for(images, masks)
    squared = masks * (generated - images) ** 2
    return squared.reshape(len(images), -1).sum(axis=1) / masks.reshape(len(images), -1).sum(axis=1)


def inpainting_objective(
    generated: tf.Tensor,
    images: tf.Tensor,
    masks: tf.Tensor,
    codes: tf.Tensor,
    prior: str | None = "shell",
    prior_weight: float = 0.1,
    realism_logits: tf.Tensor | None = None,
    realism_weight: float = 0.0,
) -> tf.Tensor:
    """What the search minimises, one value per code ``(N,)``:

    - match: ``Σ m (G(z) - x)² / Σ m``, the mean squared error over the known pixels;
    - prior (``prior_weight`` times): ``"shell"``, ``(‖z‖/√d - 1)²``, zero on the sphere of radius √d
      where standard normal noise lives (notebook 09); ``"gaussian"``, ``‖z‖²/d``, the negative
      log-density of N(0, I) up to a constant (it pulls codes towards 0, which the generator rarely saw);
      ``None``: no prior;
    - realism (``realism_weight`` times): ``softplus(-D(G(z)))`` = ``-log σ(D(G(z)))``, the non-saturating
      generator loss, from the discriminator's logits ``realism_logits`` ``(N, 1)``.

    ``generated``, ``images``, ``masks``: ``(N, H, W, 1)``; ``codes``: ``(N, d)``.
    """
    if prior is not None and prior not in PRIORS:
        raise ValueError(f"prior must be one of {PRIORS} or None, got {prior!r}")
    images, masks, codes = (tf.cast(t, generated.dtype) for t in (images, masks, codes))
    known = tf.reduce_sum(masks, axis=[1, 2, 3])
    loss = tf.reduce_sum(masks * tf.square(generated - images), axis=[1, 2, 3]) / known
    dim = tf.cast(tf.shape(codes)[1], codes.dtype)
    if prior == "shell":
        loss += prior_weight * tf.square(tf.norm(codes, axis=1) / tf.sqrt(dim) - 1.0)
    elif prior == "gaussian":
        loss += prior_weight * tf.reduce_sum(tf.square(codes), axis=1) / dim
    if realism_logits is not None:
        logits = tf.cast(tf.reshape(realism_logits, [-1]), generated.dtype)
        loss += realism_weight * tf.nn.softplus(-logits)
    return loss


@dataclass(frozen=True)
class SearchResult:
    """What :func:`latent_search` found for ``N`` images with ``R`` restarts of ``S`` steps each.

    ``codes`` ``(N, d)``: each image's best code; ``images`` ``(N, H, W, 1)``: ``G`` of those codes (the
    recovered images, in the generator's range); ``objective`` ``(N,)`` and ``match`` ``(N,)``: the best
    code's objective and its masked mean squared error alone; ``restart_objectives`` ``(N, R)``: the final
    objective of every restart; ``history`` ``(S, N, R)``: the objective of every restart at every step
    (before that step's update); ``best_restart`` ``(N,)``: which restart won."""

    codes: np.ndarray
    images: np.ndarray
    objective: np.ndarray
    match: np.ndarray
    restart_objectives: np.ndarray
    history: np.ndarray
    best_restart: np.ndarray


def _positive(value: object, name: str, allow_zero: bool = False) -> float:
    if (
        isinstance(value, bool)
        or not isinstance(value, (numbers.Real, np.floating))
        or not math.isfinite(value)
    ):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    if value < 0 or (value == 0 and not allow_zero):
        raise ValueError(f"{name} must be {'>= 0' if allow_zero else '> 0'}, got {value}")
    return float(value)


class _Objective:
    """:func:`inpainting_objective` of codes ``z`` for one group of damaged images (what the search's
    step differentiates)."""

    def __init__(
        self,
        generator: keras.Model,
        discriminator: keras.Model | None,
        images: np.ndarray,
        masks: np.ndarray,
        labels: np.ndarray | None,
        prior: str | None,
        prior_weight: float,
        realism_weight: float,
    ) -> None:
        self.generator, self.discriminator = generator, discriminator
        self.images, self.masks = tf.constant(images), tf.constant(masks)
        self.labels = None if labels is None else tf.constant(labels)
        self.prior, self.prior_weight, self.realism_weight = prior, prior_weight, realism_weight

    def __call__(self, z: tf.Variable) -> tf.Tensor:
        made = self.generator(z if self.labels is None else [z, self.labels], training=False)
        logits = None if self.discriminator is None else self.discriminator(made, training=False)
        return inpainting_objective(
            made, self.images, self.masks, z, self.prior, self.prior_weight, logits, self.realism_weight
        )


def latent_search(
    generator: keras.Model,
    images: object,
    masks: object,
    restarts: int = 4,
    steps: int = 200,
    learning_rate: float = 0.05,
    prior: str | None = "shell",
    prior_weight: float = 0.1,
    discriminator: keras.Model | None = None,
    realism_weight: float = 0.0,
    scale: tuple[float, float] | None = (-1, 1),
    batch_size: int = 1024,
    seed: int = 0,
    labels: object = None,
) -> SearchResult:
    """Find, for every damaged image, a code ``z`` whose image ``G(z)`` matches its known pixels.

    ``images`` ``(N, H, W, 1)`` in the generator's range ``scale`` (``None``: unchecked), ``masks`` the same
    shape (or one ``(H, W, 1)`` mask for all; 1 = known). Every image gets ``restarts`` starting codes drawn
    from N(0, I) (``seed``); all ``N * restarts`` codes are optimised together by Adam (``learning_rate``)
    for ``steps`` steps on :func:`inpainting_objective` (``prior``, ``prior_weight``; a ``discriminator``
    with logits output and ``realism_weight`` > 0 add the realism term), in groups of at most
    ``batch_size`` codes. Each image keeps the restart with the lowest final objective.
    A conditional generator (inputs ``[z, label]``) needs ``labels`` ``(N,)``: the class every restart of
    image ``i`` asks for (to search over the class too, repeat each image once per class and keep the
    class whose best objective is lowest). Returns a :class:`SearchResult`. The generator and
    discriminator are only read, never changed.
    """
    dim = latent_size(generator)
    images = check_images(images, scale=scale, shape=None)
    masks = _masks_for(images, masks)
    restarts = _whole(restarts, "restarts", 1)
    steps = _whole(steps, "steps", 1)
    batch_size = _whole(batch_size, "batch_size", 1)
    learning_rate = _positive(learning_rate, "learning_rate")
    prior_weight = _positive(prior_weight, "prior_weight", allow_zero=True)
    realism_weight = _positive(realism_weight, "realism_weight", allow_zero=True)
    if scale is not None:
        validate_scale(scale)
    if prior is not None and prior not in PRIORS:
        raise ValueError(f"prior must be one of {PRIORS} or None, got {prior!r}")
    if realism_weight > 0 and discriminator is None:
        raise ValueError("realism_weight > 0 needs the discriminator (logits output) that judges G(z)")

    n = len(images)
    conditional = takes_labels(generator)
    if conditional != (labels is not None):
        raise ValueError(
            "a conditional generator (inputs [z, label]) needs labels=(N,) class numbers, one per image"
            if conditional
            else "labels are only for a conditional generator; this one takes noise alone: drop labels="
        )
    flat_labels = np.repeat(check_labels(labels, count=n), restarts).astype(np.int32) if conditional else None
    starts = np.random.default_rng(seed).standard_normal((n, restarts, dim)).astype(np.float32)
    flat_images = np.repeat(images, restarts, axis=0)  # image i's restarts are rows i*R .. i*R + R - 1
    flat_masks = np.repeat(masks, restarts, axis=0)
    flat_codes = starts.reshape(n * restarts, dim)
    use_d = discriminator is not None and realism_weight > 0

    codes_out = np.empty_like(flat_codes)
    objective_out = np.empty(n * restarts, np.float32)
    history = np.empty((steps, n * restarts), np.float32)
    for first in range(0, n * restarts, batch_size):
        part = slice(first, min(first + batch_size, n * restarts))
        objective = _Objective(
            generator,
            discriminator if use_d else None,
            flat_images[part],
            flat_masks[part],
            None if flat_labels is None else flat_labels[part],
            prior,
            prior_weight,
            realism_weight if use_d else 0.0,
        )
        z = tf.Variable(flat_codes[part])
        optimizer = keras.optimizers.Adam(learning_rate)

        @tf.function
        def step(z: tf.Variable = z, objective: _Objective = objective, optimizer=optimizer) -> tf.Tensor:
            with tf.GradientTape() as tape:
                per_code = objective(z)
                total = tf.reduce_sum(per_code)  # each code's gradient is that of its own objective
            optimizer.apply_gradients([(tape.gradient(total, z), z)])
            return per_code

        for s in range(steps):
            history[s, part] = step().numpy()
        codes_out[part] = z.numpy()
        objective_out[part] = objective(z).numpy()

    by_image = objective_out.reshape(n, restarts)
    best = by_image.argmin(axis=1)
    rows = np.arange(n) * restarts + best
    codes = codes_out[rows]
    final_inputs = [codes, flat_labels[rows]] if conditional else codes
    recovered = np.asarray(generator(final_inputs, training=False), dtype=np.float32)
    return SearchResult(
        codes=codes,
        images=recovered,
        objective=by_image[np.arange(n), best],
        match=masked_mse(recovered, images, masks).astype(np.float32),
        restart_objectives=by_image,
        history=history.reshape(steps, n, restarts),
        best_restart=best,
    )


# --- the baseline ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NearestKnown:
    """For each damaged image, the reference image closest on its known pixels: ``indices`` ``(N,)`` into
    the references, ``distances`` ``(N,)`` (the masked mean squared error) and ``images`` ``(N, H, W, 1)``
    (the references themselves, whole)."""

    indices: np.ndarray
    distances: np.ndarray
    images: np.ndarray


def nearest_known_pixels(images: object, masks: object, references: object, chunk: int = 256) -> NearestKnown:
    """The simple baseline: for each image ``(N, H, W, 1)`` with its mask, the reference image ``(M, H, W,
    1)`` (e.g. the generator's training digits, same pixel range) with the smallest mean squared error on
    the known pixels, ``Σ m (r - x)² / Σ m``. Exact search, ``chunk`` images at a time."""
    images = check_images(images, scale=None, shape=None)
    references = check_images(references, scale=None, shape=images.shape[1:], name="references")
    masks = _masks_for(images, masks)
    chunk = _whole(chunk, "chunk", 1)
    x = images.reshape(len(images), -1).astype(np.float64)
    m = masks.reshape(len(masks), -1).astype(np.float64)
    r = references.reshape(len(references), -1).astype(np.float64)
    r_squared = r**2
    indices = np.empty(len(x), np.int64)
    distances = np.empty(len(x), np.float64)
    for first in range(0, len(x), chunk):
        xs, ms = x[first : first + chunk], m[first : first + chunk]
        # Σ m (r - x)² = Σ m x² - 2 Σ (m x) r + Σ m r², for every pair at once
        squared = (ms * xs**2).sum(axis=1, keepdims=True) - 2 * (ms * xs) @ r.T + ms @ r_squared.T
        best = squared.argmin(axis=1)
        indices[first : first + chunk] = best
        distances[first : first + chunk] = np.maximum(squared[np.arange(len(xs)), best], 0) / ms.sum(axis=1)
    return NearestKnown(indices, distances.astype(np.float32), references[indices])


# --- measuring ---------------------------------------------------------------------------------------

#: The methods an :class:`InpaintingStudy` compares, in the order of its tables.
METHODS = ("damaged as is", "nearest training digit", "latent search", "blend")


def balanced_indices(labels: object, per_class: int, seed: int = 0) -> np.ndarray:
    """``per_class`` indices of each class in ``labels`` ``(N,)`` (drawn by ``seed``), ordered class by
    class in turn (0, 1, ..., 9, 0, 1, ...): a fair sample of held-out digits to damage."""
    labels = check_labels(labels)
    if not len(labels):
        raise ValueError("labels is empty: expected the class of every held-out digit, shape (N,)")
    per_class = _whole(per_class, "per_class", 1)
    rng = np.random.default_rng(seed)
    chosen = []
    for c in np.unique(labels):
        members = np.flatnonzero(labels == c)
        if len(members) < per_class:
            raise ValueError(f"class {c} has only {len(members)} digits, fewer than per_class={per_class}")
        chosen.append(rng.permutation(members)[:per_class])
    return np.stack(chosen, axis=1).ravel()


@dataclass(frozen=True)
class InpaintingStudy:
    """Every held-out digit damaged by every mask kind and repaired by each method.

    ``kinds`` (K names); ``masks``, ``damaged`` and each of ``repaired[method]``: ``(K, N, H, W, 1)``;
    ``agreement[kind][method]``: the share of the N digits the classifier reads as their true label;
    ``missing_error[kind][method]``: the root mean squared error on the missing pixels only;
    ``original_agreement``: the share for the undamaged digits; ``search``: the
    :class:`SearchResult` of all K x N searches (rows kind by kind); ``seconds``: the search's time."""

    kinds: tuple[str, ...]
    masks: np.ndarray
    damaged: np.ndarray
    repaired: dict[str, np.ndarray]
    agreement: dict[str, dict[str, float]]
    missing_error: dict[str, dict[str, float]]
    original_agreement: float
    search: SearchResult
    seconds: float


def inpainting_study(
    generator: keras.Model,
    images: object,
    labels: object,
    references: object,
    classify: object,
    kinds: tuple[str, ...] = ("top_half", "bottom_half", "left_half", "random", "centre_square"),
    restarts: int = 4,
    steps: int = 150,
    learning_rate: float = 0.1,
    prior: str | None = "shell",
    prior_weight: float = 0.1,
    seed: int = 0,
    fill: float = -1.0,
) -> InpaintingStudy:
    """Damage ``images`` ``(N, 28, 28, 1)`` in [-1, 1] (held-out digits with their true ``labels``) with
    each mask kind, repair them four ways (:data:`METHODS`: the damaged digit with its missing pixels set
    to ``fill``, the nearest of the ``references`` on the known pixels, the latent search's ``G(z)`` and
    the blend of the known pixels with ``G(z)``), and measure each: how often ``classify`` (images in
    [-1, 1] -> class probabilities) reads the true label, and the error on the missing pixels. One latent
    search for all kinds at once (the other settings as in :func:`latent_search`)."""
    import time

    images = check_images(images, scale=(-1, 1))
    labels = check_labels(labels, count=len(images))
    references = check_images(references, scale=(-1, 1), name="references")
    fill = check_number(fill, "fill")
    if isinstance(kinds, str) or not isinstance(kinds, (tuple, list)) or not kinds:
        raise ValueError(f"kinds must be a non-empty tuple of mask kinds out of {MASK_KINDS}, got {kinds!r}")
    if not callable(classify):
        raise TypeError(
            "classify must be a function: images (n, 28, 28, 1) in [-1, 1] -> probabilities (n, 10), got "
            f"{type(classify).__name__}"
        )
    for kind in kinds:
        if kind not in MASK_KINDS:
            raise ValueError(f"kinds must be mask kinds out of {MASK_KINDS}, got {kind!r}")
    n = len(images)
    masks = np.stack([mask_batch(kind, n, seed=seed + k) for k, kind in enumerate(kinds)])
    tiled = np.tile(images[None], (len(kinds), 1, 1, 1, 1))
    flat = (len(kinds) * n, *images.shape[1:])
    start = time.perf_counter()
    search = latent_search(
        generator,
        tiled.reshape(flat),
        masks.reshape(flat),
        restarts=restarts,
        steps=steps,
        learning_rate=learning_rate,
        prior=prior,
        prior_weight=prior_weight,
        seed=seed,
    )
    seconds = time.perf_counter() - start
    damaged = apply_mask(tiled.reshape(flat), masks.reshape(flat), fill).reshape(tiled.shape)
    nearest = np.stack([nearest_known_pixels(images, masks[k], references).images for k in range(len(kinds))])
    recovered = search.images.reshape(tiled.shape)
    repaired = {
        "damaged as is": damaged,
        "nearest training digit": nearest,
        "latent search": recovered,
        "blend": blend(tiled.reshape(flat), search.images, masks.reshape(flat)).reshape(tiled.shape),
    }

    def read(batch: np.ndarray) -> np.ndarray:
        return np.asarray(classify(batch)).argmax(axis=1)

    agreement = {kind: {} for kind in kinds}
    missing_error = {kind: {} for kind in kinds}
    for method, pictures in repaired.items():
        readings = read(pictures.reshape(flat)).reshape(len(kinds), n)
        for k, kind in enumerate(kinds):
            agreement[kind][method] = float(np.mean(readings[k] == labels))
            unknown = 1 - masks[k]
            missing_error[kind][method] = float(
                np.sqrt((unknown * (pictures[k] - images) ** 2).sum() / unknown.sum())
            )
    return InpaintingStudy(
        kinds=tuple(kinds),
        masks=masks,
        damaged=damaged,
        repaired=repaired,
        agreement=agreement,
        missing_error=missing_error,
        original_agreement=float(np.mean(read(images) == labels)),
        search=search,
        seconds=seconds,
    )
