"""Chapter 08's widget: ask a conditional generator for any digit. The picture is drawn by
:func:`digit_grid` (tested directly) through :func:`gan_helpers.widgets.explorer`, so nothing is printed and
the first grid is there as soon as the widget shows. Works with ipywidgets 7.7 (Colab) and 8.

A notebook opened without a running kernel (or untrusted) shows a widget as text, so the chapter draws a
static picture beside it: :func:`plot_digit_grid` (what the widget shows first) or
:func:`gan_helpers.conditional_plots.plot_class_rows` (every digit)."""

from __future__ import annotations

import numbers
from typing import TYPE_CHECKING

import keras
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from ..toolkit.data import check_images
from ..toolkit.images import tile_images
from ..toolkit.models import takes_labels
from ..toolkit.sampling import generate, label_batch
from .widgets import _STYLE, control_row, explorer

if TYPE_CHECKING:
    import ipywidgets

#: the most samples :func:`digit_grid` draws at once, and the most the widget's slider offers
MAX_COUNT, MAX_SLIDER_COUNT = 100, 64


def _check_seed(seed: object) -> None:
    if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, (numbers.Integral, np.integer)) or seed < 0:
        raise ValueError(f"seed must be a whole number >= 0, got {seed!r}")


def digit_grid(generator: keras.Model, digit: int, count: int, seed: int = 0) -> np.ndarray:
    """``count`` samples of ``digit`` from a conditional ``generator`` (inputs ``[z, label]``), as
    ``(count, 28, 28, 1)`` with pixels in the generator's range ([-1, 1] for the course's tanh DCGANs).

    The noise comes from ``seed`` alone, so the same seed gives the same grid, another digit with the same
    seed keeps the same noise (same styles, another digit), and a larger ``count`` keeps the first samples.
    ``digit`` must be a whole number 0..9, ``count`` 1..100 and ``seed`` a whole number >= 0; anything
    else, or an unconditional generator, gets a ``ValueError`` that says what to pass.
    """
    if not takes_labels(generator):
        raise ValueError(
            "this generator is unconditional (it takes noise only), so it cannot be asked for a digit; "
            "use a conditional generator, e.g. gh.models.build_conditional_generator() after training"
        )
    if (
        isinstance(digit, (bool, np.bool_))
        or not isinstance(digit, (numbers.Integral, np.integer))
        or not 0 <= digit <= 9
    ):
        raise ValueError(f"digit must be one whole number 0..9, got {digit!r}")
    if isinstance(count, (bool, np.bool_)) or not isinstance(count, (numbers.Integral, np.integer)):
        raise ValueError(f"count must be a whole number of samples 1..{MAX_COUNT}, got {count!r}")
    if not 1 <= count <= MAX_COUNT:
        raise ValueError(f"count must be between 1 and {MAX_COUNT} samples, got {count}")
    _check_seed(seed)
    labels = label_batch(int(digit), int(count))
    return generate(generator, n=int(count), labels=labels, seed=int(seed))


def plot_digit_grid(generator: keras.Model, digit: int, count: int, seed: int = 0) -> Figure:
    """The picture the widget shows: :func:`digit_grid`'s samples (pixels in [-1, 1]) tiled in rows of up
    to 8, titled with the digit, the count and the seed."""
    images = check_images(digit_grid(generator, digit, count, seed), scale=(-1, 1), shape=None)
    ncols = min(8, count)
    rows = -(-count // ncols)
    fig, ax = plt.subplots(figsize=(0.3 + 0.7 * ncols, 0.5 + 0.7 * rows))
    ax.imshow(tile_images(images, ncols=ncols, pad=1, pad_value=-1.0), cmap="gray", vmin=-1, vmax=1)
    ax.set_axis_off()
    samples = "1 sample" if count == 1 else f"{count} samples"
    ax.set_title(f"{samples} of the digit {digit} (noise seed {seed})", fontsize=10)
    fig.tight_layout()
    plt.close(fig)
    return fig


def digit_picker(generator: keras.Model, count: int = 16, seed: int = 0) -> ipywidgets.VBox:
    """Pick a digit (buttons 0-9) and how many samples (1-64); *new noise* draws fresh noise (the next
    seed, shown in the seed box, where any seed can be typed). The grid below redraws on every change.

    ``generator``: a conditional generator (inputs ``[z, label]``, images in [-1, 1]). Returns a
    ``VBox`` whose ``render()`` redraws (used by tests) and whose ``digit``, ``count``, ``seed`` and
    ``new_noise`` attributes are its controls. Only widgets and options that exist in ipywidgets 7.7
    (Colab) and 8 are used.
    """
    import ipywidgets as w

    if isinstance(count, bool) or not isinstance(count, (numbers.Integral, np.integer)):
        raise ValueError(f"count must be a whole number of samples 1..{MAX_SLIDER_COUNT}, got {count!r}")
    if not 1 <= count <= MAX_SLIDER_COUNT:
        raise ValueError(f"count must be between 1 and {MAX_SLIDER_COUNT} (the slider's range), got {count}")
    _check_seed(seed)
    digit = w.ToggleButtons(
        options=list(range(10)),
        value=0,
        description="digit",
        style={"button_width": "34px"},
    )
    how_many = w.IntSlider(
        value=int(count),
        min=1,
        max=MAX_SLIDER_COUNT,
        description="samples",
        continuous_update=False,
        style=_STYLE,
    )
    seed_box = w.BoundedIntText(
        value=int(seed), min=0, max=10_000, description="seed", style=_STYLE, layout=w.Layout(width="140px")
    )
    new_noise = w.Button(description="new noise", icon="refresh", tooltip="draw fresh noise (next seed)")

    def next_seed(_: object = None) -> None:
        seed_box.value = seed_box.value + 1 if seed_box.value < seed_box.max else 0

    new_noise.on_click(next_seed)
    box = explorer(
        [digit, how_many, seed_box],
        lambda: plot_digit_grid(generator, int(digit.value), int(how_many.value), int(seed_box.value)),
    )
    out = box.children[-1]
    box.children = (control_row([digit]), control_row([how_many, seed_box, new_noise]), out)
    box.digit, box.count, box.seed, box.new_noise = digit, how_many, seed_box, new_noise
    return box
