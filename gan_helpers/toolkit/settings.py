"""Fast mode, presenter mode, seeds, quiet logs and the Keras backend guard.

Fast mode (``GAN_COURSE_FAST=1``, set by the test suite) makes every notebook finish in seconds;
presenter mode (``GAN_COURSE_PRESENTER=1``, for teaching in front of a class) makes the long training
cells load the generators shipped in ``gan_helpers/assets/`` (or, in notebooks 05 and 10, the runs recorded
there) instead of training them;
:func:`budget` picks a knob's value for the current mode.
"""

from __future__ import annotations

import logging
import os
import random
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from types import ModuleType
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from .environment import EnvironmentSummary

FAST_ENV_VAR = "GAN_COURSE_FAST"
PRESENTER_ENV_VAR = "GAN_COURSE_PRESENTER"
#: what :func:`setup` adds in a Colab session without a GPU
COLAB_GPU_HINT = (
    "No GPU in this Colab session: the training chapters run faster on one "
    "(Runtime > Change runtime type > T4 GPU, then run the notebook again)."
)
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"", "0", "false", "no", "off"}

T = TypeVar("T")


def _switch(name: str, meaning: str) -> bool:
    """Read an on/off environment variable: ``1``/``true``/``yes``/``on`` or ``0``/``false``/``no``/
    ``off``/empty (any case); anything else raises ``ValueError`` saying what to write."""
    raw = os.environ.get(name, "").strip().lower()
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise ValueError(f"{name}={os.environ[name]!r} is not understood: use 1 ({meaning}) or 0 / unset (off)")


def is_fast() -> bool:
    """True when fast mode is on (``GAN_COURSE_FAST`` is ``1``, ``true``, ``yes`` or ``on``).

    Raises ``ValueError`` for any other value than those or ``0``/``false``/``no``/``off``/empty,
    so a typo never silently runs a 20-minute notebook in CI.
    """
    return _switch(FAST_ENV_VAR, "fast mode, for tests")


def is_presenter() -> bool:
    """True when presenter mode is on (``GAN_COURSE_PRESENTER`` is ``1``, ``true``, ``yes`` or ``on``):
    the notebooks' long training cells then load the generators shipped with the course
    (:mod:`gan_helpers.presenter`) instead of training, and :func:`budget` picks its ``presenter`` values.

    Raises ``ValueError`` for a value it does not understand, as :func:`is_fast` does.
    """
    return _switch(PRESENTER_ENV_VAR, "presenter mode, for teaching")


_UNSET = object()


def budget(full: T, fast: T, presenter: T = _UNSET) -> T:  # type: ignore[assignment]
    """Return ``fast`` in fast mode, ``presenter`` in presenter mode (when given) and ``full`` otherwise.

    Use it in a notebook's Parameters cell, e.g. ``STEPS = gh.budget(full=3000, fast=20)``.
    The values must have the same type, so that fast mode exercises the same code path. Fast mode
    wins over presenter mode (the test suite runs the presenter path quickly that way); without a
    ``presenter`` value, presenter mode uses ``full``.
    """
    values = {"full": full, "fast": fast}
    if presenter is not _UNSET:
        values["presenter"] = presenter
    kinds = {type(v) for v in values.values()}
    if len(kinds) > 1 and not all(
        isinstance(v, (int, float)) and not isinstance(v, bool) for v in values.values()
    ):
        given = ", ".join(f"{k}={type(v).__name__}" for k, v in values.items())
        raise TypeError(f"budget(...) expects values of the same kind (a number, a list, ...), got {given}")
    if is_fast():
        return fast
    if presenter is not _UNSET and is_presenter():
        return presenter
    return full


def ensure_tensorflow_backend() -> None:
    """Make sure Keras will use (or already uses) the TensorFlow backend.

    Sets ``KERAS_BACKEND=tensorflow`` when Keras has not been imported yet. If Keras was already
    imported with another backend, raises ``RuntimeError`` telling the learner how to recover
    (the backend cannot change once Keras is loaded).
    """
    keras = sys.modules.get("keras")
    if keras is None:
        previous = os.environ.get("KERAS_BACKEND")
        if previous and previous != "tensorflow":
            print(f"KERAS_BACKEND was {previous!r}; the course needs 'tensorflow', so it is set to that.")
        os.environ["KERAS_BACKEND"] = "tensorflow"
        return
    backend = keras.backend.backend()
    if backend != "tensorflow":
        raise RuntimeError(
            f"Keras is already loaded with the {backend!r} backend, but this course needs 'tensorflow' "
            "(it uses tf.GradientTape). Restart the kernel and run the setup cell first, "
            "or set the environment variable KERAS_BACKEND=tensorflow before starting Jupyter."
        )


def quiet_logs() -> None:
    """Silence TensorFlow's C++ and Python info logs (warnings that matter still show).

    Call before TensorFlow is imported for the C++ part to take effect; ``gan_helpers`` does this on
    import. Python ``warnings`` are left alone on purpose: the course shows some of them.
    """
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    if "tensorflow" in sys.modules:
        sys.modules["tensorflow"].get_logger().setLevel(logging.ERROR)
    try:
        from absl import logging as absl_logging
    except ImportError:  # absl comes with TensorFlow; nothing to quiet without it
        return
    absl_logging.set_verbosity(absl_logging.ERROR)


@contextmanager
def native_stderr_silenced() -> Iterator[None]:
    """Send what C/C++ code writes to file descriptor 2 to the void while the block runs.

    TensorFlow's native start-up lines (oneDNN notes, "Could not find cuda drivers") ignore
    ``TF_CPP_MIN_LOG_LEVEL`` because they are written before its logger starts; in Jupyter they
    would land in the cell as red text. Python exceptions still propagate normally.
    """
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError, AttributeError):  # no real fd 2 (some embedded interpreters)
        yield
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


def import_tensorflow_quietly() -> ModuleType:
    """Import TensorFlow with the TF backend guard on and its native start-up chatter silenced.

    Raises ``ImportError`` with the install command when TensorFlow is missing.
    """
    ensure_tensorflow_backend()
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    try:
        with native_stderr_silenced():
            import tensorflow as tf

            tf.config.list_physical_devices("GPU")  # initialises the device layer while we are quiet
    except ImportError as err:
        raise ImportError(
            "TensorFlow is not installed in this Python. Install the course's environment with "
            "`python -m pip install -r requirements.txt` (in Colab it is already installed: "
            "Runtime > Restart session, then run the setup cell again)."
        ) from err
    quiet_logs()
    return tf


def seed_everything(seed: int) -> None:
    """Seed Python's ``random``, NumPy and TensorFlow (through ``keras.utils.set_random_seed``).

    ``seed`` must be a non-negative integer below 2**32.
    """
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed < 2**32:
        raise ValueError(f"seed must be an integer from 0 to 2**32 - 1, got {seed!r}")
    import keras
    import numpy as np

    random.seed(seed)
    np.random.seed(seed)
    keras.utils.set_random_seed(seed)


def use_mixed_precision(enabled: bool | str = "auto") -> str:
    """Choose Keras's dtype policy for the models built from now on, and return its name.

    - ``"auto"`` (default): ``"mixed_float16"`` when TensorFlow sees a GPU, else ``"float32"``. On a GPU,
      float16 arithmetic with float32 weights is about twice as fast. A CPU has no fast float16, so it
      keeps float32.
    - ``True``: ``"mixed_float16"`` anywhere (on a CPU it is slower; the tests use it to check the code path).
    - ``False``: ``"float32"``, the course's default.

    Under ``"mixed_float16"`` the layers compute in float16 and keep their weights in float32;
    :class:`gan_helpers.training.GAN` then wraps its optimizers in ``keras.optimizers.LossScaleOptimizer``
    (loss scaling, so that small float16 gradients do not round to zero) and computes its losses in
    float32. Call it before building the models, and ``use_mixed_precision(False)`` to go back.
    """
    if not (enabled is True or enabled is False or (isinstance(enabled, str) and enabled == "auto")):
        raise ValueError(
            f"enabled must be 'auto' (mixed precision on a GPU only), True or False, got {enabled!r}"
        )
    import_tensorflow_quietly()
    import keras

    if enabled == "auto":
        from .environment import gpu_names

        enabled = bool(gpu_names())
    policy = "mixed_float16" if enabled else "float32"
    keras.mixed_precision.set_global_policy(policy)
    return policy


def setup(seed: int = 42, verbose: bool = True) -> EnvironmentSummary:
    """Prepare a notebook: TensorFlow backend, quiet logs, seeds; print a one-line summary.

    Returns the :class:`~gan_helpers.environment.EnvironmentSummary` that was printed, e.g.
    ``TensorFlow 2.21.0 | Keras 3.15.1 | CPU (2 cores) | local | fast mode off | seed 42`` (the device
    is the GPU's name when TensorFlow sees one; in Colab without a GPU a second line says how to get one).
    """
    from .environment import summarize_environment

    import_tensorflow_quietly()
    seed_everything(seed)
    summary = summarize_environment(seed=seed)
    if verbose:
        print(summary)
        if summary.colab and not summary.device.startswith("GPU"):
            print(COLAB_GPU_HINT)
    return summary
