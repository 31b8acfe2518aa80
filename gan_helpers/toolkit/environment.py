"""Where the course runs: Colab or not, CPU or GPU, and a report of the versions that matter."""

from __future__ import annotations

import os
import platform
import sys
from dataclasses import dataclass
from importlib import metadata

from .checks import check_count
from .settings import import_tensorflow_quietly, is_fast, is_presenter


def in_colab() -> bool:
    """True when running inside Google Colab."""
    return "google.colab" in sys.modules or "COLAB_RELEASE_TAG" in os.environ


def gpu_names() -> list[str]:
    """Names of the GPUs TensorFlow can use (empty list on a CPU-only machine)."""
    tf = import_tensorflow_quietly()

    names = []
    for device in tf.config.list_physical_devices("GPU"):
        try:
            details = tf.config.experimental.get_device_details(device)
        except (ValueError, RuntimeError):
            details = {}
        names.append(details.get("device_name", device.name))
    return names


def device_description() -> str:
    """``"GPU: <name>"`` when a GPU is visible to TensorFlow, else ``"CPU (<n> cores)"``."""
    gpus = gpu_names()
    if gpus:
        extra = f" (+{len(gpus) - 1} more)" if len(gpus) > 1 else ""
        return f"GPU: {gpus[0]}{extra}"
    return f"CPU ({os.cpu_count() or 1} cores)"


def package_version(name: str) -> str:
    """The installed version of a distribution, or ``"not installed"``."""
    if not isinstance(name, str) or not name:
        raise ValueError(f"name must be a distribution's name such as 'numpy', got {name!r}")
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


@dataclass(frozen=True)
class EnvironmentSummary:
    """The facts a learner (or a bug report) needs first; ``str()`` gives one line."""

    tensorflow: str
    keras: str
    device: str
    colab: bool
    fast_mode: bool
    seed: int | None
    presenter_mode: bool = False

    def __str__(self) -> str:
        parts = [
            f"TensorFlow {self.tensorflow}",
            f"Keras {self.keras}",
            self.device,
            "Colab" if self.colab else "local",
            f"fast mode {'on' if self.fast_mode else 'off'}",
        ]
        if self.presenter_mode:  # only said when on, so the usual line stays as it was
            parts.append("presenter mode on (shipped generators)")
        if self.seed is not None:
            parts.append(f"seed {self.seed}")
        return " | ".join(parts)


def summarize_environment(seed: int | None = None) -> EnvironmentSummary:
    """Collect the :class:`EnvironmentSummary` of this kernel (imports TensorFlow and Keras)."""
    if seed is not None:
        seed = check_count(seed, "seed (the one given to gh.setup, or None)", minimum=0)
    tf = import_tensorflow_quietly()
    import keras

    return EnvironmentSummary(
        tensorflow=tf.__version__,
        keras=keras.__version__,
        device=device_description(),
        colab=in_colab(),
        fast_mode=is_fast(),
        seed=seed,
        presenter_mode=is_presenter(),
    )


REPORTED_PACKAGES = ("tensorflow", "keras", "numpy", "matplotlib", "ipywidgets", "tqdm", "mlxtend")


def environment_report() -> list[tuple[str, str]]:
    """Rows ``(what, value)`` describing this environment: Python, OS, packages, devices, mode.

    Meant for notebook 00 and bug reports; the values depend on the machine.
    """
    import keras

    rows = [
        ("Python", platform.python_version()),
        ("Operating system", f"{platform.system()} {platform.release()} ({platform.machine()})"),
        ("Running in", "Google Colab" if in_colab() else "local Jupyter / Python"),
        ("Device", device_description()),
        ("Keras backend", keras.backend.backend()),
        ("Fast mode", "on (GAN_COURSE_FAST=1)" if is_fast() else "off (full-size runs)"),
        (
            "Presenter mode",
            "on (GAN_COURSE_PRESENTER=1: shipped generators)" if is_presenter() else "off (trains all)",
        ),
    ]
    for name in REPORTED_PACKAGES:
        version = package_version(name)
        if version == "not installed" and name == "tensorflow":
            version = package_version("tensorflow-cpu")
        rows.append((name, version))
    return rows


def format_report(rows: list[tuple[str, str]]) -> str:
    """Render ``(what, value)`` rows as aligned plain text, one per line."""
    if isinstance(rows, (str, bytes)) or not isinstance(rows, (list, tuple)):
        raise TypeError(f"rows must be a list of (what, value) pairs of text, got {type(rows).__name__}")
    for row in rows:
        if not (isinstance(row, (tuple, list)) and len(row) == 2 and all(isinstance(x, str) for x in row)):
            raise ValueError(
                f"rows must be (what, value) pairs of text, e.g. ('Python', '3.11'); got {row!r}"
            )
    width = max((len(k) for k, _ in rows), default=0)
    return "\n".join(f"{k.ljust(width)}  {v}" for k, v in rows)
