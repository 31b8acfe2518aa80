"""Helpers for the hands-on GAN course: ``import gan_helpers as gh``.

The notebooks show the ideas (losses, train steps, models) in their own cells; this package holds
what would be repeated or distracting: settings, data loading, plots, widgets and checks.
"""

from __future__ import annotations

from .settings import import_tensorflow_quietly as _import_tensorflow_quietly

# Keras picks its backend when it is first imported and TensorFlow prints its start-up lines when it
# loads: import both now, with the TensorFlow backend and without the noise, before any module below.
_import_tensorflow_quietly()

from . import (
    augment,
    callbacks,
    checkpoints,
    conv_diagrams,
    diagnostics,
    diagrams,
    evaluation,
    exercises,
    history,
    losses,
    metrics,
    mnist_experiments,
    models,
    plotting,
    recipes,
    reference_classifier,
    ring_experiments,
    ring_plots,
    theory,
    toy2d,
    training,
    widgets,
)
from .course import CHAPTERS, REPOSITORY, colab_badge_markdown, colab_url, repository_url
from .data import (
    MNIST_SOURCES,
    MNISTUnavailableError,
    check_full_mnist,
    load_mnist,
    make_dataset,
    scale_pixels,
)
from .diagrams import plot_gan_diagram, plot_timeline
from .environment import environment_report, format_report, in_colab, summarize_environment
from .exercises import (
    check_choice,
    check_discriminator_loss,
    check_generator_loss_from_logits,
    check_number,
    check_perfect_generator,
    check_scaled_images,
)
from .plotting import (
    LiveFigure,
    plot_games_side_by_side,
    plot_generator_losses,
    plot_image_grid,
    plot_one_dimensional_game,
    tile_images,
)
from .progress import progress
from .settings import budget, is_fast, seed_everything, setup
from .source import show_source
from .theory import one_dimensional_game

__version__ = "0.1.0"

__all__ = [
    "CHAPTERS",
    "MNIST_SOURCES",
    "REPOSITORY",
    "LiveFigure",
    "MNISTUnavailableError",
    "augment",
    "budget",
    "callbacks",
    "check_choice",
    "check_discriminator_loss",
    "check_full_mnist",
    "check_generator_loss_from_logits",
    "check_number",
    "check_perfect_generator",
    "check_scaled_images",
    "checkpoints",
    "colab_badge_markdown",
    "colab_url",
    "conv_diagrams",
    "diagnostics",
    "diagrams",
    "environment_report",
    "evaluation",
    "exercises",
    "format_report",
    "history",
    "in_colab",
    "is_fast",
    "load_mnist",
    "losses",
    "make_dataset",
    "metrics",
    "mnist_experiments",
    "models",
    "one_dimensional_game",
    "plot_games_side_by_side",
    "plot_gan_diagram",
    "plot_generator_losses",
    "plot_image_grid",
    "plot_one_dimensional_game",
    "plot_timeline",
    "plotting",
    "progress",
    "recipes",
    "reference_classifier",
    "repository_url",
    "ring_experiments",
    "ring_plots",
    "scale_pixels",
    "seed_everything",
    "setup",
    "show_source",
    "summarize_environment",
    "theory",
    "tile_images",
    "toy2d",
    "training",
    "widgets",
]
