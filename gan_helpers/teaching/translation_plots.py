"""Figures for image-to-image translation (chapter 11): inputs, the translations of each model and the
targets side by side (with a close-up), the distribution of sharpness, and the training losses.

Every function returns a closed matplotlib ``Figure``. Images are ``(N, 28, 28, 1)`` in [-1, 1].
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from ..toolkit.checks import check_count, check_mapping, check_numbers
from ..toolkit.data import check_images
from ..toolkit.palette import D_COLOR, DATA_COLOR, G_COLOR, NON_SATURATING_COLOR
from .latent_plots import plot_image_table

_COLORS = (DATA_COLOR, "#999999", NON_SATURATING_COLOR, G_COLOR, D_COLOR)


def plot_translation_table(
    rows: Mapping[str, object],
    count: int = 10,
    captions: Sequence[str] | None = None,
    title: str | None = None,
) -> Figure:
    """The first ``count`` digits of each entry of ``rows`` (e.g. ``{"input (7x7)": ..., "L1": ...,
    "L1 + GAN": ..., "target": ...}``, each ``(N, 28, 28, 1)`` in [-1, 1]), one row per entry, so each
    column follows one digit from its input to its target. ``captions``: a label above each column."""
    rows = check_mapping(rows, "rows", "{'input (7x7)': images, 'target': images}")
    count = check_count(count, "count", minimum=1)
    tables = [
        check_images(images, scale=(-1, 1), name=f"rows[{name!r}]", shape=None)[:count]
        for name, images in rows.items()
    ]
    if captions is not None and (isinstance(captions, str) or len(captions) != len(tables[0])):
        raise ValueError(f"captions must be one per column ({len(tables[0])} digits shown), got {captions!r}")
    shapes = {t.shape for t in tables}
    if len(shapes) != 1:
        raise ValueError(f"every row needs the same number and shape of images, got {sorted(shapes)}")
    return plot_image_table(np.stack(tables), list(rows), captions, title=title, cell_inches=0.8)


def plot_sharpness(values: Mapping[str, object], title: str | None = None) -> Figure:
    """Histograms (as outlines) of each set's per-image sharpness (``gh.translation.sharpness``), with
    each set's mean marked: how close each model's outputs come to the real digits' edges."""
    values = check_mapping(values, "values", "{'L1': sharpness per image}")
    arrays = {
        name: check_numbers(v, f"values[{name!r}]", shape="(N,), one sharpness per image").ravel()
        for name, v in values.items()
    }
    low = min(a.min() for a in arrays.values())
    high = max(a.max() for a in arrays.values())
    bins = np.linspace(low, high, 40)
    fig, ax = plt.subplots(figsize=(6.4, 3.2))
    for i, (name, a) in enumerate(arrays.items()):
        color = _COLORS[i % len(_COLORS)]
        ax.hist(
            a, bins=bins, histtype="step", linewidth=1.6, color=color, label=f"{name} (mean {a.mean():.3f})"
        )
        ax.axvline(a.mean(), color=color, linestyle=":", linewidth=1.2)
    ax.set_xlabel("sharpness: mean gradient magnitude per image")
    ax.set_ylabel("digits")
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(fontsize=8, frameon=False)
    if title:
        ax.set_title(title, fontsize=10)
    fig.tight_layout()
    plt.close(fig)
    return fig


def plot_translation_losses(histories: Mapping[str, Mapping[str, Sequence[float]]], every: int) -> Figure:
    """The training curves: left, the L1 loss of every run (``histories[name]["l1"]``, one value per
    ``every`` steps); right, the adversarial run's generator and discriminator losses (``"g_adv"``,
    ``"d_loss"``), when there is one."""
    histories = check_mapping(histories, "histories", "{run name: translator.history.history}")
    every = check_count(every, "every (steps per logged value)", minimum=1)
    for name, history in histories.items():
        history = check_mapping(history, f"histories[{name!r}]", "{'l1': [...]}")
        for key in ("l1", *(("g_adv", "d_loss") if "d_loss" in history else ())):
            if key not in history:
                raise ValueError(
                    f"histories[{name!r}] must have the losses under {key!r}, got keys {list(history)}"
                )
            # a diverged run's NaN losses are drawn as gaps
            check_numbers(
                history[key], f"histories[{name!r}][{key!r}]", shape="(logged values,)", finite=False
            )
    adversarial = {name: h for name, h in histories.items() if "d_loss" in h}
    fig, axes = plt.subplots(
        1, 2 if adversarial else 1, figsize=(10 if adversarial else 5.2, 3.2), squeeze=False
    )
    ax = axes[0, 0]
    for i, (name, h) in enumerate(histories.items()):
        l1 = np.asarray(h["l1"], dtype=np.float64)
        ax.plot(every * np.arange(1, len(l1) + 1), l1, color=_COLORS[(i + 2) % len(_COLORS)], label=name)
    ax.set_xlabel("step")
    ax.set_ylabel("L1 loss (training batches)")
    ax.legend(fontsize=8, frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    if adversarial:
        ax = axes[0, 1]
        for name, h in adversarial.items():
            steps = every * np.arange(1, len(h["d_loss"]) + 1)
            ax.plot(steps, h["g_adv"], color=G_COLOR, label=f"{name}: G's adversarial loss")
            ax.plot(steps, h["d_loss"], color=D_COLOR, label=f"{name}: D's loss")
        ax.axhline(
            np.log(4), color="black", linestyle=":", linewidth=1, label="2 log 2 (D's loss at D = 1/2)"
        )
        ax.axhline(np.log(2), color="grey", linestyle=":", linewidth=1, label="log 2 (G's loss at D = 1/2)")
        ax.set_xlabel("step")
        ax.set_ylabel("loss")
        ax.legend(fontsize=7.5, frameon=False)
        ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    plt.close(fig)
    return fig
