"""Figures for inpainting (chapter 11): damaged digits with their missing pixels tinted, tables of damaged /
baseline / recovered / blended / original digits, the classifier's agreement per mask type, and how the
search's objective falls.

Every function returns a closed matplotlib ``Figure``. Images are ``(N, 28, 28, 1)`` with pixels in
``scale`` (``(-1, 1)`` for the DCGAN); masks are the same shape with 1 = known pixel, 0 = missing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure

from ..toolkit.checks import check_mapping, check_number, check_numbers
from ..toolkit.data import check_images, check_picture, validate_scale
from ..toolkit.inpainting import check_masks
from ..toolkit.palette import D_COLOR, DATA_COLOR, G_COLOR, NON_SATURATING_COLOR

#: the tint of missing pixels in damaged digits
MISSING_COLOR = "#4C72B0"
_METHOD_COLORS = ("#999999", DATA_COLOR, G_COLOR, D_COLOR, NON_SATURATING_COLOR)


def masked_picture(image: object, mask: object, scale: tuple[float, float] = (-1, 1)) -> np.ndarray:
    """An RGB picture ``(H, W, 3)`` in [0, 1] of one damaged digit: known pixels (mask 1) in grey levels,
    missing pixels (mask 0) in :data:`MISSING_COLOR`, so "missing" never looks like "black ink"."""
    low, high = validate_scale(scale)
    picture = check_picture(image, scale=(low, high))[..., 0]
    known = check_masks(mask)
    if known.shape[-1:] == (1,):
        known = known[..., 0]
    if picture.ndim != 2 or known.shape != picture.shape:
        raise ValueError(
            f"image and mask must be one picture each, (H, W[, 1]), got {np.shape(image)} and "
            f"{np.shape(mask)}"
        )
    grey = np.clip((picture - low) / (high - low), 0, 1)[..., None].repeat(3, axis=2)
    tint = np.broadcast_to(np.array(to_rgb(MISSING_COLOR), np.float32), grey.shape)
    return np.where(known[..., None] > 0.5, grey, 0.35 + 0.4 * tint)


def _show(ax: plt.Axes, picture: np.ndarray, scale: tuple[float, float]) -> None:
    if picture.ndim == 3 and picture.shape[-1] == 3:
        ax.imshow(picture, interpolation="nearest")
    else:
        ax.imshow(picture.reshape(picture.shape[:2]), cmap="gray", vmin=scale[0], vmax=scale[1])
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(False)


def plot_inpainting_table(
    damaged: object,
    masks: object,
    columns: Mapping[str, object],
    row_labels: Sequence[str] | None = None,
    scale: tuple[float, float] = (-1, 1),
    title: str | None = None,
    captions: Mapping[str, Sequence[str]] | None = None,
    cell_inches: float = 1.05,
) -> Figure:
    """One row per damaged digit: the damaged digit (missing pixels tinted) and then one column per entry
    of ``columns`` (e.g. ``{"nearest training digit": ..., "recovered G(z)": ..., "original": ...}``, each
    ``(N, 28, 28, 1)``). ``captions`` may put a short text under chosen columns' images (e.g. the
    classifier's reading), one string per row."""
    low, high = validate_scale(scale)
    damaged = check_images(damaged, scale=(low, high), name="damaged", shape=None)
    masks = check_masks(masks)
    check_number(cell_inches, "cell_inches", low=0, low_open=True)
    n = len(damaged)
    if damaged.ndim != 4 or masks.shape != damaged.shape:
        raise ValueError(
            f"damaged and masks must both be (N, H, W, 1) with the same shape, got {damaged.shape} and "
            f"{masks.shape}"
        )
    columns = check_mapping(columns, "columns", "{'original': images}")
    pictures = {
        name: check_images(images, scale=(low, high), name=f"columns[{name!r}]", shape=damaged.shape[1:])
        for name, images in columns.items()
    }
    for name, images in pictures.items():
        if images.shape != damaged.shape:
            raise ValueError(f"columns: column {name!r} has shape {images.shape}, expected {damaged.shape}")
    if row_labels is not None and len(row_labels) != n:
        raise ValueError(f"row_labels must be one per row: {len(row_labels)} row labels for {n} rows")
    captions = dict(captions or {})
    for name, texts in captions.items():
        if name not in pictures or len(texts) != n:
            raise ValueError(f"captions[{name!r}] must name a column and hold {n} strings")
    names = ["damaged", *pictures]
    left = 1.4 if row_labels is not None else 0.1
    extra = 0.18 if captions else 0.0
    fig, axes = plt.subplots(
        n,
        len(names),
        figsize=(
            left + cell_inches * len(names),
            0.45 + (cell_inches + 0.1 + extra) * n + (0.35 if title else 0),
        ),
        squeeze=False,
    )
    for r in range(n):
        _show(axes[r, 0], masked_picture(damaged[r], masks[r], (low, high)), (low, high))
        for c, name in enumerate(pictures, start=1):
            _show(axes[r, c], pictures[name][r], (low, high))
            if name in captions:
                axes[r, c].set_xlabel(captions[name][r], fontsize=7.5, labelpad=2)
        if row_labels is not None:
            axes[r, 0].set_ylabel(row_labels[r], rotation=0, ha="right", va="center", fontsize=9, labelpad=6)
    for c, name in enumerate(names):
        axes[0, c].set_title(name, fontsize=8.5, pad=4)
    top = 1.0
    if title:
        fig.suptitle(title, fontsize=10)
        top = 1 - 0.4 / fig.get_size_inches()[1]
    fig.tight_layout(pad=0.3, w_pad=0.2, h_pad=0.3, rect=(0, 0, 1, top))
    plt.close(fig)
    return fig


def plot_agreement_by_mask(
    agreement: Mapping[str, Mapping[str, float]],
    reference: float | None = None,
    title: str | None = None,
) -> Figure:
    """Grouped bars: for each mask type (outer keys) the share of digits the classifier reads as their true
    label, one bar per method (inner keys, e.g. "damaged as is", "nearest training digit", "latent
    search"). ``reference``: the share for the undamaged originals, drawn as a dashed line."""
    agreement = check_mapping(agreement, "agreement", "{mask type: {method: share}}")
    masks = list(agreement)
    for mask in masks:
        shares = check_mapping(agreement[mask], f"agreement[{mask!r}]", "{method: share}")
        for method, share in shares.items():
            check_number(share, f"agreement[{mask!r}][{method!r}] (a share)", low=0, high=1)
    if reference is not None:
        reference = check_number(reference, "reference (a share)", low=0, high=1)
    methods = list(agreement[masks[0]])
    for mask in masks:
        if list(agreement[mask]) != methods:
            raise ValueError(
                f"every mask type needs the same methods {methods}; {mask!r} has {list(agreement[mask])}"
            )
    width = 0.8 / len(methods)
    fig, ax = plt.subplots(figsize=(1.6 + 1.45 * len(masks), 3.4))
    x = np.arange(len(masks))
    for i, method in enumerate(methods):
        values = [100 * agreement[mask][method] for mask in masks]
        bars = ax.bar(
            x + (i - (len(methods) - 1) / 2) * width,
            values,
            width,
            label=method,
            color=_METHOD_COLORS[i % len(_METHOD_COLORS)],
        )
        for bar, value in zip(bars, values, strict=True):
            ax.text(bar.get_x() + bar.get_width() / 2, value + 1, f"{value:.0f}", ha="center", fontsize=7)
    if reference is not None:
        ax.axhline(
            100 * reference,
            color="black",
            linestyle="--",
            linewidth=1,
            label=f"undamaged originals ({100 * reference:.0f} %)",
        )
    ax.set_xticks(x, [m.replace("_", " ") for m in masks])
    ax.set_ylabel("read as the true digit (%)")
    ax.set_ylim(0, 112)
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(
        fontsize=8,
        ncol=min(3, len(methods) + (reference is not None)),
        loc="upper center",
        bbox_to_anchor=(0.5, -0.12),
        frameon=False,
    )
    if title:
        ax.set_title(title, fontsize=10)
    fig.tight_layout()
    plt.close(fig)
    return fig


def plot_search_history(
    history: object, labels: Sequence[str] | None = None, title: str | None = None
) -> Figure:
    """How the search's objective falls: ``history`` ``(steps, N, restarts)`` (``SearchResult.history``).
    For each image the best restart so far at every step; the line is the median over images and the band
    the middle half. ``labels`` ``(N,)`` (e.g. each image's mask type) draws one line per distinct label."""
    values = check_numbers(history, "history", shape="(steps, N, restarts)")
    if values.ndim != 3:
        raise ValueError(f"history must be (steps, N, restarts), got shape {values.shape}")
    if labels is not None and (isinstance(labels, (str, bytes)) or len(labels) != values.shape[1]):
        raise ValueError(f"labels must be one per image (N = {values.shape[1]}), got {labels!r}")
    best = values.min(axis=2)  # (steps, N): the best restart at each step
    groups = (
        {"all images": np.arange(best.shape[1])}
        if labels is None
        else {str(name): np.flatnonzero(np.asarray(labels) == name) for name in dict.fromkeys(labels)}
    )
    fig, ax = plt.subplots(figsize=(6.4, 3.3))
    steps = np.arange(1, len(best) + 1)
    for i, (name, members) in enumerate(groups.items()):
        color = _METHOD_COLORS[(i + 1) % len(_METHOD_COLORS)] if labels is not None else G_COLOR
        part = best[:, members]
        ax.plot(steps, np.median(part, axis=1), color=color, label=name.replace("_", " "))
        ax.fill_between(steps, *np.percentile(part, [25, 75], axis=1), color=color, alpha=0.15, linewidth=0)
    ax.set_yscale("log")
    ax.set_xlabel("Adam step")
    ax.set_ylabel("objective (log scale)")
    ax.spines[["top", "right"]].set_visible(False)
    if labels is not None:
        ax.legend(fontsize=8, frameon=False)
    if title:
        ax.set_title(title, fontsize=10)
    fig.tight_layout()
    plt.close(fig)
    return fig
