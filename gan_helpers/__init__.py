"""Helpers for the hands-on GAN course: ``import gan_helpers as gh``.

The notebooks show the ideas (losses, train steps, models) in their own cells; this package holds
what would be repeated or distracting. Its layout says what is what:

- :mod:`gan_helpers.toolkit`: the small GAN library you can keep using after the course (settings,
  data, models, losses, training, callbacks, checkpoints, images, metrics, evaluation);
- :mod:`gan_helpers.teaching`: the course's teaching aids (course map, figures and diagrams, widgets,
  exercises, the 1-D game of chapter 01 and the ring of Gaussians of chapter 05).

Every module is also reachable as ``gh.<module>`` (``gh.training.GAN``, ``gh.widgets``, ...), and the
names used most often are here directly (``gh.load_mnist``, ``gh.plot_image_grid``, ...).
"""

from __future__ import annotations

from .toolkit.settings import import_tensorflow_quietly as _import_tensorflow_quietly

# Keras picks its backend when it is first imported and TensorFlow prints its start-up lines when it
# loads: import both now, with the TensorFlow backend and without the noise, before any module below.
_import_tensorflow_quietly()

from .teaching import (
    conditional_plots,
    conditional_widgets,
    conv_diagrams,
    course,
    critics_1d,
    diagnostics,
    diagrams,
    exercises,
    game_plots,
    inpainting_plots,
    inpainting_widgets,
    latent_plots,
    latent_widgets,
    milestones,
    mnist_experiments,
    presenter,
    recorded_runs,
    ring_experiments,
    ring_metrics,
    ring_plots,
    slides,
    source,
    theory,
    toy2d,
    translation_plots,
    wasserstein_plots,
    wgan_experiments,
    widget_preview,
    widgets,
)
from .teaching.course import CHAPTERS, REPOSITORY, colab_badge_markdown, colab_url, repository_url
from .teaching.diagrams import plot_gan_diagram, plot_timeline
from .teaching.game_plots import (
    plot_games_side_by_side,
    plot_generator_losses,
    plot_one_dimensional_game,
)
from .teaching.source import show_source
from .teaching.theory import one_dimensional_game
from .toolkit import (
    augment,
    callbacks,
    checkpoints,
    checks,
    data,
    environment,
    evaluation,
    images,
    inpainting,
    latent,
    live_figure,
    losses,
    metrics,
    models,
    palette,
    processes,
    recipes,
    reference_classifier,
    sampling,
    settings,
    training,
    translation,
)
from .toolkit.data import (
    MNIST_SOURCES,
    MNISTUnavailableError,
    check_full_mnist,
    load_mnist,
    make_dataset,
    scale_pixels,
)
from .toolkit.environment import environment_report, format_report, in_colab, summarize_environment
from .toolkit.images import plot_image_grid, save_gif, tile_images
from .toolkit.live_figure import LiveFigure
from .toolkit.progress import progress
from .toolkit.settings import budget, is_fast, is_presenter, seed_everything, setup, use_mixed_precision

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
    "check_full_mnist",
    "checkpoints",
    "checks",
    "colab_badge_markdown",
    "colab_url",
    "conditional_plots",
    "conditional_widgets",
    "conv_diagrams",
    "course",
    "critics_1d",
    "data",
    "diagnostics",
    "diagrams",
    "environment",
    "environment_report",
    "evaluation",
    "exercises",
    "format_report",
    "game_plots",
    "images",
    "in_colab",
    "inpainting",
    "inpainting_plots",
    "inpainting_widgets",
    "is_fast",
    "is_presenter",
    "latent",
    "latent_plots",
    "latent_widgets",
    "live_figure",
    "load_mnist",
    "losses",
    "make_dataset",
    "metrics",
    "milestones",
    "mnist_experiments",
    "models",
    "one_dimensional_game",
    "palette",
    "plot_games_side_by_side",
    "plot_gan_diagram",
    "plot_generator_losses",
    "plot_image_grid",
    "plot_one_dimensional_game",
    "plot_timeline",
    "presenter",
    "processes",
    "progress",
    "recipes",
    "recorded_runs",
    "reference_classifier",
    "repository_url",
    "ring_experiments",
    "ring_metrics",
    "ring_plots",
    "sampling",
    "save_gif",
    "scale_pixels",
    "seed_everything",
    "settings",
    "setup",
    "show_source",
    "slides",
    "source",
    "summarize_environment",
    "theory",
    "tile_images",
    "toy2d",
    "training",
    "translation",
    "translation_plots",
    "use_mixed_precision",
    "wasserstein_plots",
    "wgan_experiments",
    "widget_preview",
    "widgets",
]
