"""Helpers for the hands-on GAN course: ``import gan_helpers as gh``.

The notebooks show the ideas (losses, train steps, models) in their own cells; this package holds
what would be repeated or distracting: settings, data loading, plots, widgets and checks.
"""

from __future__ import annotations

from .settings import import_tensorflow_quietly as _import_tensorflow_quietly

# Keras picks its backend when it is first imported and TensorFlow prints its start-up lines when it
# loads: import both now, with the TensorFlow backend and without the noise, before any module below.
_import_tensorflow_quietly()

from .course import CHAPTERS, REPOSITORY, colab_badge_markdown, colab_url, repository_url
from .data import (
    MNIST_SOURCES,
    MNISTUnavailableError,
    check_full_mnist,
    load_mnist,
    make_dataset,
    scale_pixels,
)
from .environment import environment_report, format_report, in_colab, summarize_environment
from .exercises import check_scaled_images
from .plotting import plot_image_grid, tile_images
from .settings import budget, is_fast, seed_everything, setup

__version__ = "0.1.0"

__all__ = [
    "CHAPTERS",
    "MNIST_SOURCES",
    "REPOSITORY",
    "MNISTUnavailableError",
    "budget",
    "check_full_mnist",
    "check_scaled_images",
    "colab_badge_markdown",
    "colab_url",
    "environment_report",
    "format_report",
    "in_colab",
    "is_fast",
    "load_mnist",
    "make_dataset",
    "plot_image_grid",
    "repository_url",
    "scale_pixels",
    "seed_everything",
    "setup",
    "summarize_environment",
    "tile_images",
]
