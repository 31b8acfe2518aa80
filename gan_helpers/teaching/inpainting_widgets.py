"""Chapter 11's mask chooser: damage a held-out digit with a mask you choose and watch the latent search
recover it. Built like the other explorers: pure, tested functions make the mask (:func:`chooser_mask`)
and the picture (:func:`inpainting_view`, :func:`plot_inpainting_view`), and
:func:`~gan_helpers.teaching.widgets.explorer` redraws on every change; callbacks never print. Works with
ipywidgets 7.7 (Colab) and 8.

A notebook opened without a running kernel (or untrusted) shows a widget as a line of text, so the chapter
draws a static picture first (:func:`plot_chooser_gallery`: the same digit under each kind of mask).
"""

from __future__ import annotations

import numbers
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import keras
import numpy as np
from matplotlib.figure import Figure

from ..toolkit.checks import check_number
from ..toolkit.data import check_images, check_picture
from ..toolkit.inpainting import apply_mask, blend, half_mask, latent_search, random_mask, square_mask
from .inpainting_plots import plot_inpainting_table
from .widgets import _STYLE, control_row, explorer

if TYPE_CHECKING:
    import ipywidgets

#: the masks the chooser offers
CHOOSER_KINDS = ("top half", "left half", "random pixels", "square")
#: ``classify(images (n, 28, 28, 1) in [-1, 1]) -> probabilities (n, classes)``
Classify = Callable[[np.ndarray], np.ndarray]


def chooser_mask(
    kind: str, top: int = 8, left: int = 8, side: int = 12, missing: float = 0.75, seed: int = 0
) -> np.ndarray:
    """The chooser's mask ``(28, 28, 1)`` (1 = known): ``"top half"`` or ``"left half"`` missing,
    ``"random pixels"`` (a share ``missing`` of them, placed by ``seed``), or a ``"square"`` of ``side``
    pixels whose upper-left corner is at row ``top``, column ``left`` (moved inside the image if it would
    stick out, as sliders can ask for)."""
    if kind not in CHOOSER_KINDS:
        raise ValueError(f"kind must be one of {CHOOSER_KINDS}, got {kind!r}")
    missing = check_number(missing, "missing (a share of pixels)", low=0, high=1, high_open=True)
    if kind == "top half":
        return half_mask("top")
    if kind == "left half":
        return half_mask("left")
    if kind == "random pixels":
        return random_mask(missing, seed)
    for name, value in (("top", top), ("left", left), ("side", side)):
        if isinstance(value, bool) or not isinstance(value, (numbers.Integral, np.integer)):
            raise ValueError(f"{name} must be a whole number of pixels, got {value!r}")
    if not 1 <= side <= 28:
        raise ValueError(f"side must be between 1 and 28 pixels, got {side}")
    return square_mask(min(max(int(top), 0), 28 - side), min(max(int(left), 0), 28 - side), int(side))


@dataclass(frozen=True)
class InpaintingView:
    """One recovery: the ``original`` digit ``(28, 28, 1)``, its ``mask``, what the search drew
    (``recovered``), the ``blend`` (known pixels kept, the rest from ``recovered``) and, with a
    classifier, its probabilities for the recovered and the blended digit (``None`` without)."""

    original: np.ndarray
    mask: np.ndarray
    recovered: np.ndarray
    blend: np.ndarray
    recovered_probabilities: np.ndarray | None
    blend_probabilities: np.ndarray | None


def inpainting_view(
    generator: keras.Model,
    image: object,
    mask: object,
    classify: Classify | None = None,
    restarts: int = 4,
    steps: int = 150,
    learning_rate: float = 0.1,
    seed: int = 0,
) -> InpaintingView:
    """Recover one digit ``image`` ``(28, 28, 1)`` in [-1, 1] damaged by ``mask`` ``(28, 28, 1)`` with
    :func:`gan_helpers.inpainting.latent_search` (shell prior, the given restarts, steps and learning
    rate) and, with ``classify``, read the results. The same inputs give the same view."""
    original = check_picture(image, scale=(-1, 1))[None]
    if classify is not None and not callable(classify):
        raise TypeError(
            f"classify must be a function (images -> probabilities) or None, got {type(classify).__name__}"
        )
    result = latent_search(
        generator, original, mask, restarts=restarts, steps=steps, learning_rate=learning_rate, seed=seed
    )
    mixed = blend(original, result.images, mask)
    read = None if classify is None else np.asarray(classify(np.concatenate([result.images, mixed])))
    return InpaintingView(
        original=original[0],
        mask=np.asarray(mask, np.float32).reshape(original.shape[1:]),
        recovered=result.images[0],
        blend=mixed[0],
        recovered_probabilities=None if read is None else read[0],
        blend_probabilities=None if read is None else read[1],
    )


def _reading(probabilities: np.ndarray | None) -> str:
    if probabilities is None:
        return ""
    return f"read as {int(np.argmax(probabilities))} ({float(np.max(probabilities)):.0%})"


def plot_inpainting_view(views: list[InpaintingView], row_labels: list[str] | None = None) -> Figure:
    """Rows of damaged / recovered G(z) / blend / original for the given views (the classifier's reading
    under the recovered and blended digits when the views have it)."""
    if not isinstance(views, (list, tuple)) or not all(isinstance(v, InpaintingView) for v in views):
        raise TypeError(f"views must be a list of InpaintingView (from inpainting_view), got {views!r:.60}")
    if not views:
        raise ValueError("views is empty: give at least one InpaintingView")
    stack = {
        name: np.stack([getattr(v, name) for v in views])
        for name in ("original", "mask", "recovered", "blend")
    }
    captions = None
    if views[0].recovered_probabilities is not None:
        captions = {
            "recovered G(z)": [_reading(v.recovered_probabilities) for v in views],
            "blend": [_reading(v.blend_probabilities) for v in views],
        }
    return plot_inpainting_table(
        apply_mask(stack["original"], stack["mask"]),
        stack["mask"],
        {"recovered G(z)": stack["recovered"], "blend": stack["blend"], "original": stack["original"]},
        row_labels=row_labels,
        captions=captions,
    )


def plot_chooser_gallery(
    generator: keras.Model, image: object, classify: Classify | None = None, steps: int = 150, seed: int = 0
) -> Figure:
    """The static picture beside the widget: one digit under each of the chooser's masks (default
    settings), recovered as the widget would."""
    views = [
        inpainting_view(generator, image, chooser_mask(kind), classify, steps=steps, seed=seed)
        for kind in CHOOSER_KINDS
    ]
    return plot_inpainting_view(views, row_labels=list(CHOOSER_KINDS))


def mask_chooser(
    generator: keras.Model,
    images: object,
    classify: Classify | None = None,
    steps: int = 150,
    seed: int = 0,
) -> ipywidgets.VBox:
    """Choose a digit (from ``images`` ``(N, 28, 28, 1)`` in [-1, 1]) and a mask: top half, left half,
    random pixels (with the share missing) or a square you place with sliders (row, column, side). Each
    change runs the latent search again (``steps`` Adam steps, 4 restarts; about a second or two on a CPU)
    and redraws damaged / recovered / blend / original. The returned ``VBox`` has ``render()`` and
    ``view()`` (the current :class:`InpaintingView`) and its controls as attributes, for tests."""
    import ipywidgets as w

    pool = check_images(images, scale=(-1, 1))
    digit = w.IntSlider(
        0, min=0, max=len(pool) - 1, description="digit", continuous_update=False, style=_STYLE
    )
    kind = w.Dropdown(options=list(CHOOSER_KINDS), value="square", description="mask", style=_STYLE)
    top = w.IntSlider(8, min=0, max=27, description="square row", continuous_update=False, style=_STYLE)
    left = w.IntSlider(8, min=0, max=27, description="square column", continuous_update=False, style=_STYLE)
    side = w.IntSlider(12, min=2, max=24, description="square side", continuous_update=False, style=_STYLE)
    missing = w.FloatSlider(
        0.75, min=0.1, max=0.95, step=0.05, description="share missing", continuous_update=False, style=_STYLE
    )

    def view() -> InpaintingView:
        mask = chooser_mask(
            kind.value, int(top.value), int(left.value), int(side.value), float(missing.value), seed
        )
        return inpainting_view(generator, pool[int(digit.value)], mask, classify, steps=steps, seed=seed)

    box = explorer([digit, kind, top, left, side, missing], lambda: plot_inpainting_view([view()]))
    rows = (control_row([digit, kind]), control_row([top, left, side]), control_row([missing]))
    box.children = (*rows, box.children[-1])
    box.digit, box.kind, box.top, box.left, box.side, box.missing = digit, kind, top, left, side, missing
    box.view = view
    return box
