"""Moving through a generator's latent space (潜在空间): interpolation, directions, walks and arithmetic.

Everything here works on noise vectors (codes) as NumPy arrays and knows nothing about the generator: feed
the results to ``gh.sampling.generate(generator, z=...)``. Shapes: one code is ``(d,)``, a batch of codes
``(n, d)``; returned arrays are float32, like the noise the course's generators take.

- :func:`lerp` and :func:`slerp`: straight-line and spherical interpolation between two codes;
- :func:`interpolation_path` and :func:`walk`: evenly spaced paths (a looping walk for animations);
- :func:`expected_norm`: how long a standard normal code typically is (about ``sqrt(d)``);
- :func:`principal_directions` (PCA of any set of vectors) and :func:`output_directions` (the latent
  directions that change a generator's output most, GANSpace-style), :func:`random_directions`,
  :func:`move_along`;
- :func:`attribute_vector` and :func:`rescale_norms` for latent arithmetic;
- :func:`predictions_along_path`: the predicted class and its confidence at each step of a path, and the
  steps where the class flips.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass

import numpy as np

from .checks import check_count, dtype_problem

METHODS = ("lerp", "slerp")
#: Below this angle (radians) two codes count as parallel and slerp falls back to a straight line.
PARALLEL_ANGLE = 1e-4


# --- checking inputs ---------------------------------------------------------------------------------


def _real(values: object, name: str, expected: str) -> np.ndarray:
    """``values`` as float64, or a ``ValueError`` when they are not real numbers (text, complex numbers,
    True/False values, Python objects); ``expected`` says what was (e.g. "a vector of numbers (shape
    (d,))")."""
    try:
        array = np.asarray(values)
        problem = dtype_problem(array, values)
        if problem is None:
            return array.astype(np.float64)
    except (TypeError, ValueError):
        problem = type(values).__name__
    raise ValueError(f"{name} must be {expected}, got {problem}")


def _code(z: object, name: str) -> np.ndarray:
    """``z`` as a finite float64 vector ``(d,)``, or a ``ValueError`` that says what is wrong."""
    array = _real(z, name, "a vector of numbers (shape (d,))")
    if array.ndim != 1 or array.size == 0:
        raise ValueError(f"{name} must be one code, a vector of shape (d,), got shape {array.shape}")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} contains NaN or infinite values: expected finite numbers")
    return array


def _pair(z0: object, z1: object) -> tuple[np.ndarray, np.ndarray]:
    a, b = _code(z0, "z0"), _code(z1, "z1")
    if a.shape != b.shape:
        raise ValueError(f"z0 and z1 must have the same shape, got {a.shape} and {b.shape}")
    return a, b


def _fractions(t: object) -> tuple[np.ndarray, bool]:
    """``t`` as a float64 array ``(m,)`` of fractions in [0, 1], and whether it was a single number."""
    if isinstance(t, (bool, str, bytes)) or t is None:
        raise ValueError(f"t must be a number in [0, 1] or a 1-D array of them, got {t!r}")
    array = _real(t, "t", "a number in [0, 1] or a 1-D array of them")
    if array.ndim > 1:
        raise ValueError(f"t must be a number or a 1-D array, got shape {array.shape}")
    if not np.all(np.isfinite(array)) or np.any(array < 0) or np.any(array > 1):
        bad = array[~(np.isfinite(array) & (array >= 0) & (array <= 1))].ravel()[0]
        raise ValueError(
            f"t must lie in [0, 1] (0 gives z0, 1 gives z1), got {bad!r}; to go beyond the end points, "
            "extrapolate on purpose with move_along"
        )
    return np.atleast_1d(array), array.ndim == 0


def _codes(codes: object, name: str = "codes", at_least: int = 1) -> np.ndarray:
    """``codes`` as a finite float64 array ``(n, d)`` with ``n >= at_least``."""
    array = _real(codes, name, "an array of numbers of shape (n, d)")
    if array.ndim != 2 or array.shape[1] == 0:
        raise ValueError(f"{name} must have shape (n, d), one vector per row, got shape {array.shape}")
    if len(array) < at_least:
        raise ValueError(f"{name} needs at least {at_least} rows, got {len(array)}")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} contains NaN or infinite values: expected finite numbers")
    return array


def _shape_result(points: np.ndarray, single: bool) -> np.ndarray:
    points = points.astype(np.float32)
    return points[0] if single else points


# --- interpolation -----------------------------------------------------------------------------------


def lerp(z0: object, z1: object, t: object) -> np.ndarray:
    """Linear interpolation (线性插值) ``(1 - t)·z0 + t·z1``: the straight line from ``z0`` to ``z1``.

    ``z0``, ``z1``: codes ``(d,)``; ``t``: a number in [0, 1] (result ``(d,)``) or an array ``(m,)`` of them
    (result ``(m, d)``, one code per ``t``). ``t = 0`` gives ``z0`` and ``t = 1`` gives ``z1`` exactly.
    """
    a, b = _pair(z0, z1)
    fractions, single = _fractions(t)
    points = (1.0 - fractions)[:, None] * a + fractions[:, None] * b
    points[fractions == 0] = a
    points[fractions == 1] = b
    return _shape_result(points, single)


def angle_between(z0: object, z1: object) -> float:
    """The angle between two codes ``(d,)`` in radians, in [0, π] (neither may be the zero vector)."""
    a, b = _pair(z0, z1)
    norms = np.linalg.norm(a), np.linalg.norm(b)
    if min(norms) == 0:
        raise ValueError("a zero code has no direction: the angle (and slerp) needs two non-zero codes")
    return float(np.arccos(np.clip(a @ b / (norms[0] * norms[1]), -1.0, 1.0)))


def slerp(z0: object, z1: object, t: object) -> np.ndarray:
    """Spherical interpolation (球面插值): the direction turns along the great circle from ``z0`` to ``z1``
    at a constant rate while the length changes linearly from ``‖z0‖`` to ``‖z1‖``:

        slerp(z0, z1; t) = ((1 - t)‖z0‖ + t‖z1‖) · (sin((1 - t)Ω) û0 + sin(tΩ) û1) / sin Ω,

    with û = z / ‖z‖ and Ω the angle between the codes. For codes of equal length this is the usual
    ``sin((1 - t)Ω)/sin Ω · z0 + sin(tΩ)/sin Ω · z1``, and every point keeps that length, where a straight
    line cuts inside the sphere. Shapes as in :func:`lerp`; ``t = 0`` and ``t = 1`` give the end points.

    Nearly parallel codes (angle below ``PARALLEL_ANGLE``) are interpolated in a straight line between the
    directions (the limit of the formula). Zero codes and opposite codes (angle π, where no single great
    circle joins them) get a ``ValueError``.
    """
    a, b = _pair(z0, z1)
    fractions, single = _fractions(t)
    omega = angle_between(a, b)
    norm_a, norm_b = np.linalg.norm(a), np.linalg.norm(b)
    u0, u1 = a / norm_a, b / norm_b
    if math.pi - omega < PARALLEL_ANGLE:
        raise ValueError(
            "z0 and z1 point in opposite directions: every great circle through both is as short as any "
            "other, so slerp is undefined; use lerp, or move one code slightly"
        )
    f = fractions[:, None]
    if omega < PARALLEL_ANGLE:
        directions = (1.0 - f) * u0 + f * u1
    else:
        directions = (np.sin((1.0 - f) * omega) * u0 + np.sin(f * omega) * u1) / np.sin(omega)
    directions /= np.linalg.norm(directions, axis=1, keepdims=True)
    points = ((1.0 - f) * norm_a + f * norm_b) * directions
    points[fractions == 0] = a
    points[fractions == 1] = b
    return _shape_result(points, single)


def interpolation_path(z0: object, z1: object, steps: int, method: str = "slerp") -> np.ndarray:
    """``steps`` codes ``(steps, d)`` evenly spaced in t from ``z0`` (first row) to ``z1`` (last row),
    by ``method`` ``"slerp"`` (default) or ``"lerp"``. ``steps`` is at least 2."""
    steps = check_count(steps, "steps", minimum=2)
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, got {method!r}")
    interpolate = slerp if method == "slerp" else lerp
    return interpolate(z0, z1, np.linspace(0.0, 1.0, steps))


def walk(anchors: object, steps_per_leg: int, method: str = "slerp") -> np.ndarray:
    """A closed walk through the codes ``anchors`` ``(k, d)`` (k >= 2): ``anchors[0] -> anchors[1] -> ...
    -> anchors[k-1] -> anchors[0]``, ``steps_per_leg`` codes per leg, for an animation that loops.

    Returns ``(k * steps_per_leg, d)``: row ``i * steps_per_leg`` is ``anchors[i]``; each leg stops one
    step before the next anchor (which starts the next leg), so playing the rows on repeat never shows a
    frame twice in a row.
    """
    points = _codes(anchors, "anchors", at_least=2)
    steps_per_leg = check_count(steps_per_leg, "steps_per_leg", minimum=1)
    legs = [
        interpolation_path(points[i], points[(i + 1) % len(points)], steps_per_leg + 1, method)[:-1]
        for i in range(len(points))
    ]
    return np.concatenate(legs).astype(np.float32)


def expected_norm(dim: int) -> float:
    """The mean length E‖z‖ of a standard normal code z ~ N(0, I_dim): the mean of a chi distribution,
    √2·Γ((dim + 1)/2)/Γ(dim/2), a little below √dim (9.975 for dim = 100)."""
    dim = check_count(dim, "dim", minimum=1)
    return float(math.sqrt(2.0) * math.exp(math.lgamma((dim + 1) / 2) - math.lgamma(dim / 2)))


def path_norms(path: object) -> np.ndarray:
    """The length of every code on a path ``(n, d)``: float64 ``(n,)``."""
    return np.linalg.norm(_codes(path, "path"), axis=1)


# --- directions --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Directions:
    """Orthonormal directions in some vector space, strongest first.

    ``vectors`` ``(k, d)``: unit rows, orthogonal to each other; ``variances`` ``(k,)``: the variance of the
    data along each; ``share`` ``(k,)``: each one's share of the data's total variance (0 to 1);
    ``mean`` ``(d,)``: the data's mean (PCA measures variation around it).
    """

    vectors: np.ndarray
    variances: np.ndarray
    share: np.ndarray
    mean: np.ndarray


def _orient(vectors: np.ndarray) -> np.ndarray:
    """Flip each row so its largest-magnitude entry is positive (PCA's signs are otherwise arbitrary)."""
    biggest = vectors[np.arange(len(vectors)), np.abs(vectors).argmax(axis=1)]
    return vectors * np.where(biggest < 0, -1.0, 1.0)[:, None]


def principal_directions(codes: object, k: int) -> Directions:
    """The ``k`` principal directions (主成分方向) of the vectors ``codes`` ``(n, d)``: the orthonormal
    directions along which they vary most (PCA, by the singular value decomposition of the centred data),
    with their sample variances (divided by n - 1). Needs n >= 2 and k <= min(n - 1, d). Each direction's
    sign is chosen so that its largest entry is positive (PCA itself does not fix signs).

    Applied to standard normal noise itself, all variances come out near 1: such noise has no preferred
    direction. The directions that matter are those of what a generator *makes*: :func:`output_directions`.
    """
    data = _codes(codes, "codes", at_least=2)
    k = check_count(k, "k", minimum=1)
    if k > min(len(data) - 1, data.shape[1]):
        raise ValueError(
            f"k = {k} directions need more data: at most min(n - 1, d) = "
            f"{min(len(data) - 1, data.shape[1])} for codes of shape {data.shape}"
        )
    mean = data.mean(axis=0)
    _, singular, rows = np.linalg.svd(data - mean, full_matrices=False)
    variances = singular**2 / (len(data) - 1)
    total = variances.sum()
    share = variances / total if total > 0 else np.zeros_like(variances)
    return Directions(_orient(rows[:k]), variances[:k], share[:k], mean)


def output_directions(codes: object, outputs: object, k: int) -> Directions:
    """The ``k`` latent directions that change a generator's outputs most, GANSpace-style (Härkönen et
    al. 2020): PCA of the outputs, then, for each principal component of the outputs, the direction in
    latent space that predicts its coordinate best (a least-squares fit of the coordinate on the codes),
    made unit length.

    ``codes`` ``(n, d)``: the noise the outputs came from; ``outputs`` ``(n, ...)``: what the generator made
    of each (images are flattened). ``variances`` and ``share`` describe the outputs' components.
    The ``vectors`` are unit rows in latent space, strongest component first; they need not be exactly
    orthogonal (the generator is not linear). For a linear generator ``outputs = codes @ A`` they are
    the top left singular vectors of ``A`` ``(d, p)`` (up to sampling noise).
    """
    z = _codes(codes, "codes", at_least=2)
    values = _real(outputs, "outputs", f"an array of numbers, one output per code ({len(z)} of them)")
    if values.ndim == 0 or len(values) != len(z):
        raise ValueError(
            f"outputs must hold one output per code ({len(z)} of them), got shape {np.shape(outputs)}"
        )
    if not np.all(np.isfinite(values)):
        raise ValueError("outputs contains NaN or infinite values: expected finite numbers")
    flat = values.reshape(len(z), -1)
    components = principal_directions(flat, k)
    coordinates = (flat - components.mean) @ components.vectors.T  # (n, k)
    centred = np.column_stack([z - z.mean(axis=0), np.ones(len(z))])
    weights = np.linalg.lstsq(centred, coordinates, rcond=None)[0][:-1].T  # (k, d)
    lengths = np.linalg.norm(weights, axis=1, keepdims=True)
    if np.any(lengths == 0):
        raise ValueError("some output component does not depend on the codes at all: fewer directions (k)")
    return Directions(weights / lengths, components.variances, components.share, z.mean(axis=0))


def random_directions(k: int, dim: int, seed: int | None = 0) -> np.ndarray:
    """``k`` random orthonormal directions ``(k, dim)`` (k <= dim), uniformly spread over all directions."""
    k, dim = check_count(k, "k", minimum=1), check_count(dim, "dim", minimum=1)
    if k > dim:
        raise ValueError(f"at most dim = {dim} orthonormal directions exist, asked for k = {k}")
    gaussian = np.random.default_rng(seed).standard_normal((dim, k))
    q, r = np.linalg.qr(gaussian)
    return (q * np.sign(np.diag(r))).T.astype(np.float32)


def move_along(z: object, directions: object, amounts: object) -> np.ndarray:
    """``z + Σ_i amounts[i] · directions[i]``: a code ``(d,)`` moved along directions ``(k, d)`` by
    ``amounts`` ``(k,)`` (any real numbers; 0 leaves ``z`` where it is). Returns ``(d,)`` float32."""
    code = _code(z, "z")
    vectors = _codes(directions, "directions")
    steps = _real(amounts, "amounts", "one number per direction, shape (k,)")
    if vectors.shape[1] != code.shape[0]:
        raise ValueError(
            f"directions must have z's {code.shape[0]} entries each, got shape {vectors.shape}: directions "
            f"have {vectors.shape[1]} entries each but z has {code.shape[0]}"
        )
    if steps.ndim > 1 or steps.size != len(vectors):
        raise ValueError(
            f"give one amount per direction: {len(vectors)} directions, {steps.size} amounts (amounts must "
            f"have shape ({len(vectors)},), got {steps.shape})"
        )
    steps = steps.reshape(-1)
    if not np.all(np.isfinite(steps)):
        raise ValueError("amounts contain NaN or infinite values: expected finite numbers")
    return (code + steps @ vectors).astype(np.float32)


# --- arithmetic --------------------------------------------------------------------------------------


def attribute_vector(with_codes: object, without_codes: object) -> np.ndarray:
    """The mean of the codes whose outputs have an attribute ``(n1, d)`` minus the mean of those without
    it ``(n2, d)``: a direction ``(d,)`` float32 for latent arithmetic (潜在向量运算), e.g. thick minus thin
    strokes."""
    a, b = _codes(with_codes, "with_codes"), _codes(without_codes, "without_codes")
    if a.shape[1] != b.shape[1]:
        raise ValueError(
            f"with_codes and without_codes must have the same entries per code: the two groups of codes have "
            f"{a.shape[1]} and {b.shape[1]} entries per code (shapes {a.shape} and {b.shape})"
        )
    return (a.mean(axis=0) - b.mean(axis=0)).astype(np.float32)


def rescale_norms(codes: object, norm: float) -> np.ndarray:
    """Every code of ``codes`` ``(n, d)`` (or one code ``(d,)``) scaled to length ``norm`` (> 0), direction
    kept: puts a mean or a sum of codes back on the shell where the generator's training noise lives."""
    array = _real(codes, "codes", "codes (n, d) or one code (d,)")
    single = array.ndim == 1
    data = _codes(array[None] if single else array, "codes")
    if isinstance(norm, bool) or not isinstance(norm, numbers.Real) or not norm > 0:
        raise ValueError(f"norm must be a positive number, got {norm!r}")
    lengths = np.linalg.norm(data, axis=1, keepdims=True)
    if np.any(lengths == 0):
        raise ValueError("a zero code has no direction to keep: it cannot be rescaled")
    scaled = (data * (float(norm) / lengths)).astype(np.float32)
    return scaled[0] if single else scaled


# --- reading a path with a classifier ------------------------------------------------------------------


@dataclass(frozen=True)
class PathPredictions:
    """A classifier's reading of a path of images.

    ``classes`` ``(n,)``: the most probable class at each step; ``confidence`` ``(n,)``: its probability;
    ``flips`` ``(m,)``: the steps i where ``classes[i] != classes[i - 1]`` (the first step of each new class);
    ``margin`` ``(n,)``: the top probability minus the second one (0 where two classes tie).
    """

    classes: np.ndarray
    confidence: np.ndarray
    flips: np.ndarray
    margin: np.ndarray

    @property
    def first_flip(self) -> int | None:
        """The step where the class first changes, or ``None`` when it never does."""
        return int(self.flips[0]) if len(self.flips) else None


def predictions_along_path(probabilities: object) -> PathPredictions:
    """Read class probabilities ``(n, classes)`` for the n images along a path (each row a distribution
    over classes, e.g. ``Judge().probabilities(images01)``): predicted class, confidence, margin and the
    steps where the predicted class flips."""
    p = _codes(probabilities, "probabilities")
    if p.shape[1] < 2:
        raise ValueError(f"probabilities need at least 2 classes per row, got shape {p.shape}")
    sums = p.sum(axis=1)
    if np.any(p < -1e-6) or not np.allclose(sums, 1.0, atol=1e-3):
        raise ValueError(
            "each row of probabilities must be a distribution: non-negative, summing to 1; got values from "
            f"{p.min():.3g} to {p.max():.3g}, row sums from {sums.min():.3g} to {sums.max():.3g}"
        )
    classes = p.argmax(axis=1)
    ordered = np.sort(p, axis=1)
    flips = np.flatnonzero(classes[1:] != classes[:-1]) + 1
    return PathPredictions(classes, ordered[:, -1], flips, ordered[:, -1] - ordered[:, -2])


def step_distances(images: object) -> np.ndarray:
    """How far each image of a path ``(n, ...)`` is from the one before: the Euclidean pixel distance,
    ``(n - 1,)``. A smooth path has steps of similar size; a jump shows as one large step."""
    data = _real(images, "images", "an array of numbers (n, ...)")
    if data.ndim < 2 or len(data) < 2:
        raise ValueError(f"images must be at least 2 images along the path (n, ...), got shape {data.shape}")
    if not np.all(np.isfinite(data)):
        raise ValueError("images contain NaN or infinite values: expected finite pixels")
    flat = data.reshape(len(data), -1)
    return np.linalg.norm(np.diff(flat, axis=0), axis=1)
