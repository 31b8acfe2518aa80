"""Figures for the latent space (chapter 09): image tables (interpolation strips, arithmetic, direction
strips), the length of codes along paths, a classifier's reading of a path with the class flips marked, the
variance spectrum of principal directions, and the single digit the slider explorer redraws.

Every function returns a closed matplotlib ``Figure`` (Jupyter shows it when it is the cell's last value).
Images are ``(..., 28, 28, 1)`` or ``(..., H, W)`` with pixels in ``scale`` (``(-1, 1)`` for the DCGANs).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from ..toolkit.checks import check_mapping, check_number, check_numbers
from ..toolkit.data import check_images, check_picture, validate_scale
from ..toolkit.latent import PathPredictions
from ..toolkit.palette import D_COLOR, DATA_COLOR, G_COLOR, NON_SATURATING_COLOR

_LINE_COLORS = (NON_SATURATING_COLOR, G_COLOR, DATA_COLOR, D_COLOR)


def _planes(images: object, name: str = "images") -> np.ndarray:
    """Images as float pictures ``(..., H, W)`` (a trailing channel of 1 dropped), checked to be finite
    real numbers."""
    array = check_numbers(images, name, shape="(..., H, W) or (..., H, W, 1)", allow_empty=True).astype(
        np.float32
    )
    if array.ndim >= 3 and array.shape[-1] == 1:
        array = array[..., 0]
    if array.ndim < 2 or array.size == 0:
        raise ValueError(
            f"{name} must be pictures (..., H, W) or (..., H, W, 1), got shape {np.shape(images)}"
        )
    return array


def _in_scale(pictures: np.ndarray, scale: tuple[float, float], name: str) -> None:
    """Refuse pictures outside ``scale`` (drawn clipped they would look right and be wrong)."""
    flat = pictures.reshape(-1, *pictures.shape[-2:], 1)
    check_images(flat.astype(np.float32), scale=scale, name=name, shape=None)


def _show(ax: plt.Axes, picture: np.ndarray, scale: tuple[float, float]) -> None:
    ax.imshow(picture, cmap="gray", vmin=scale[0], vmax=scale[1], interpolation="nearest")
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(False)


def plot_image_table(
    images: object,
    row_labels: Sequence[str] | None = None,
    column_labels: Sequence[str] | None = None,
    scale: tuple[float, float] = (-1, 1),
    title: str | None = None,
    cell_inches: float = 0.9,
) -> Figure:
    """Images ``(rows, columns, 28, 28, 1)`` as a table: a label left of each row (e.g. "lerp", "slerp",
    or a digit) and above each column (e.g. "t = 0.5"). Used for interpolation strips, one noise vector
    across all labels, latent arithmetic and the effect of each latent direction."""
    pictures = _planes(images)
    if pictures.ndim != 4:
        raise ValueError(f"images must be a table (rows, columns, H, W[, 1]), got shape {np.shape(images)}")
    low, high = validate_scale(scale)
    _in_scale(pictures, (low, high), "images")
    check_number(cell_inches, "cell_inches", low=0, low_open=True)
    rows, columns = pictures.shape[:2]
    for labels, count, what in ((row_labels, rows, "row"), (column_labels, columns, "column")):
        if labels is not None and len(labels) != count:
            raise ValueError(
                f"{what}_labels must be one per {what}: {len(labels)} {what} labels for {count} {what}s"
            )
    left = 1.3 if row_labels is not None else 0.1
    fig, axes = plt.subplots(
        rows,
        columns,
        figsize=(left + cell_inches * columns, 0.35 + (cell_inches + 0.12) * rows + (0.4 if title else 0)),
        squeeze=False,
    )
    for r in range(rows):
        for c in range(columns):
            _show(axes[r, c], pictures[r, c], (low, high))
            if r == 0 and column_labels is not None:
                axes[r, c].set_title(column_labels[c], fontsize=8, pad=3)
        if row_labels is not None:
            axes[r, 0].set_ylabel(row_labels[r], rotation=0, ha="right", va="center", fontsize=9, labelpad=6)
    top = 1.0
    if title:
        fig.suptitle(title, fontsize=10)
        top = 1 - 0.45 / fig.get_size_inches()[1]  # room for the title above the column labels
    fig.tight_layout(pad=0.3, w_pad=0.15, h_pad=0.3, rect=(0, 0, 1, top))
    plt.close(fig)
    return fig


def plot_path_norms(
    t: object,
    norms: Mapping[str, object],
    typical: float | None = None,
    spread: float | None = None,
    title: str = "length of the code along each path",
) -> Figure:
    """The length ‖z(t)‖ of the codes along one or more paths: ``norms`` maps a path's name to its lengths
    ``(n,)`` at the fractions ``t`` ``(n,)``. ``typical`` draws the typical length of training noise (e.g.
    ``gh.latent.expected_norm(100)``) as a dashed line, with a band of ± ``spread`` around it."""
    t = check_numbers(t, "t", shape="(n,), fractions in [0, 1]", ndim=1)
    if t.min() < 0 or t.max() > 1:
        raise ValueError(f"t must be fractions in [0, 1], got values from {t.min():g} to {t.max():g}")
    norms = check_mapping(norms, "norms", "{'lerp': lengths}")
    for name, values in norms.items():
        values = check_numbers(values, f"norms[{name!r}]", shape=f"{t.shape}, one length per t", ndim=1)
        if values.shape != t.shape:
            raise ValueError(
                f"norms[{name!r}] must have one length per t: {values.shape[0]} lengths for {t.shape[0]} "
                "values of t"
            )
    if typical is not None:
        typical = check_number(typical, "typical", low=0)
    if spread is not None:
        spread = check_number(spread, "spread", low=0)
    fig, ax = plt.subplots(figsize=(6.4, 3.2))
    if typical is not None:
        ax.axhline(typical, color="black", linestyle="--", linewidth=1, label=f"typical noise: {typical:.2f}")
        if spread:
            band = f"typical ± {spread:.2f}"
            ax.axhspan(typical - spread, typical + spread, color="0.85", zorder=0, label=band)
    for (name, values), color in zip(norms.items(), _LINE_COLORS * 3, strict=False):
        values = np.asarray(values, dtype=np.float64)
        if values.shape != t.shape:
            raise ValueError(f"{name}: {values.shape[0]} lengths for {t.shape[0]} values of t")
        ax.plot(t, values, marker="o", markersize=3, color=color, label=name)
    ax.set_xlabel("t (0: first code, 1: second code)")
    ax.set_ylabel("‖z(t)‖")
    ax.set_title(title, fontsize=10)
    ax.set_ylim(bottom=0)
    ax.legend(loc="lower right", fontsize=8, ncol=2)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    plt.close(fig)
    return fig


def plot_path_predictions(
    images: object,
    probabilities: object,
    reading: PathPredictions,
    scale: tuple[float, float] = (-1, 1),
    show_every: int = 1,
    title: str | None = None,
) -> Figure:
    """A classifier's reading of a path: on top, the images (every ``show_every``-th) with the predicted
    class above each; below, the classifier's confidence (its top probability) at every step and the
    probability of each class that is ever predicted on the path. Every class flip is marked by a red
    vertical line between the two steps, labelled with the step where the new class starts.

    ``images`` ``(n, 28, 28, 1)``; ``probabilities`` ``(n, classes)``; ``reading`` what
    ``gh.latent.predictions_along_path(probabilities)`` returned for them."""
    if not isinstance(reading, PathPredictions):
        raise TypeError(
            f"reading must be gh.latent.predictions_along_path(probabilities), got {type(reading).__name__}"
        )
    pictures = _planes(images)
    if pictures.ndim != 3:
        raise ValueError(
            f"images must be a path of pictures (n, H, W) or (n, H, W, 1), got shape {np.shape(images)}"
        )
    p = check_numbers(probabilities, "probabilities", shape="(n, classes)", ndim=2)
    if p.min() < 0 or p.max() > 1:
        raise ValueError(f"probabilities must be in [0, 1], got values from {p.min():g} to {p.max():g}")
    n = len(pictures)
    if p.shape[0] != n or len(reading.classes) != n:
        raise ValueError(
            f"{n} images, {p.shape[0]} rows of probabilities and {len(reading.classes)} readings: one each"
        )
    if isinstance(show_every, bool) or not isinstance(show_every, int) or show_every < 1:
        raise ValueError(f"show_every must be a positive integer, got {show_every!r}")
    low, high = validate_scale(scale)
    _in_scale(pictures, (low, high), "images")
    shown = list(range(0, n, show_every))
    if shown[-1] != n - 1:
        shown.append(n - 1)
    fig = plt.figure(figsize=(max(7.0, 0.62 * len(shown)), 3.9))
    grid = fig.add_gridspec(2, len(shown), height_ratios=[1, 2.4], hspace=0.12, top=0.86)
    for column, step in enumerate(shown):
        ax = fig.add_subplot(grid[0, column])
        _show(ax, pictures[step], (low, high))
        flipped = step in set(reading.flips.tolist())
        ax.set_title(str(reading.classes[step]), fontsize=9, color=D_COLOR if flipped else "black", pad=2)
    ax = fig.add_subplot(grid[1, :])
    steps = np.arange(n)
    ax.plot(steps, reading.confidence, color="black", linewidth=2.2, label="confidence (top probability)")
    for cls, color in zip(dict.fromkeys(reading.classes.tolist()), _LINE_COLORS * 3, strict=False):
        ax.plot(steps, p[:, cls], color=color, linewidth=1.2, linestyle="--", label=f"p(class {cls})")
    for flip in reading.flips:
        ax.axvline(flip - 0.5, color=D_COLOR, linewidth=1.5)
        ax.annotate(
            f"{reading.classes[flip - 1]}→{reading.classes[flip]} at step {flip}",
            (flip - 0.5, 0.5),
            xytext=(4, 0),
            textcoords="offset points",
            color=D_COLOR,
            fontsize=8,
            rotation=90,
            va="center",
        )
    ax.set_xlim(-0.5, n - 0.5)
    ax.set_ylim(0, 1.03)
    ax.set_xlabel("step along the path")
    ax.set_ylabel("probability")
    ax.legend(loc="lower left", fontsize=8, ncol=2, framealpha=0.9)
    ax.grid(alpha=0.3)
    if title:
        fig.suptitle(title, fontsize=10)
    plt.close(fig)
    return fig


def plot_variance_shares(shares: Mapping[str, object], title: str | None = None) -> Figure:
    """Bars of each principal direction's share of the total variance, one panel per set of vectors:
    ``shares`` maps a name (e.g. "the noise z", "the generated images") to shares ``(k,)``."""
    shares = check_mapping(shares, "shares", "{'the noise z': shares}")
    for name, share in shares.items():
        share = check_numbers(share, f"shares[{name!r}]", shape="(k,), each in [0, 1]", ndim=1)
        if share.min() < 0 or share.max() > 1:
            raise ValueError(
                f"shares[{name!r}] must be shares in [0, 1], got values from {share.min():g} to "
                f"{share.max():g}"
            )
    fig, axes = plt.subplots(1, len(shares), figsize=(3.4 * len(shares), 2.8), squeeze=False, sharey=True)
    for ax, (name, share), color in zip(axes[0], shares.items(), _LINE_COLORS * 3, strict=False):
        share = np.asarray(share, dtype=np.float64)
        ax.bar(np.arange(1, len(share) + 1), share, color=color)
        ax.set_title(name, fontsize=9)
        ax.set_xlabel("principal direction")
        ax.set_xticks(np.arange(1, len(share) + 1))
        ax.grid(axis="y", alpha=0.3)
    axes[0, 0].set_ylabel("share of all variance")
    if title:
        fig.suptitle(title, fontsize=10)
    fig.tight_layout()
    plt.close(fig)
    return fig


def plot_latent_view(
    image: object,
    probabilities: object | None = None,
    scale: tuple[float, float] = (-1, 1),
    title: str | None = None,
) -> Figure:
    """One generated digit ``(28, 28, 1)`` large, and, if given, the classifier's probabilities ``(10,)``
    as bars beside it (the predicted class highlighted): what the slider explorer redraws."""
    low, high = validate_scale(scale)
    picture = check_picture(image, scale=(low, high))[..., 0]
    if probabilities is not None:
        p = check_numbers(probabilities, "probabilities", shape="(classes,)")
        if not (p.ndim == 1 or (p.ndim == 2 and len(p) == 1)):
            raise ValueError(f"probabilities must be one row (classes,), got shape {p.shape}")
        p = p.reshape(-1)
        if p.min() < 0 or p.max() > 1:
            raise ValueError(f"probabilities must be in [0, 1], got values from {p.min():g} to {p.max():g}")
    panels = 1 if probabilities is None else 2
    fig, axes = plt.subplots(
        1, panels, figsize=(2.8 * panels + 0.4, 2.8), squeeze=False, gridspec_kw={"wspace": 0.35}
    )
    _show(axes[0, 0], picture, (low, high))
    if title:
        axes[0, 0].set_title(title, fontsize=9)
    if probabilities is not None:
        top = int(p.argmax())
        colors = [NON_SATURATING_COLOR if i == top else "0.7" for i in range(len(p))]
        axes[0, 1].bar(np.arange(len(p)), p, color=colors)
        axes[0, 1].set_xticks(np.arange(len(p)))
        axes[0, 1].set_ylim(0, 1)
        axes[0, 1].set_title(f"classifier: {top} ({p[top]:.0%})", fontsize=9)
        axes[0, 1].set_xlabel("class")
    fig.subplots_adjust(left=0.04, right=0.97, top=0.88, bottom=0.16)
    plt.close(fig)
    return fig
