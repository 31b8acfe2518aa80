"""Pictures for chapter 08 (conditional GAN): where the label enters each network, a grid with one row
per digit, and how often a classifier agrees with the digit that was asked for.
Latin text only (matplotlib's default font has no Chinese glyphs)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

from ..toolkit.checks import check_mapping, check_number
from ..toolkit.data import check_images, validate_scale
from ..toolkit.images import tile_images
from ..toolkit.metrics import LabelAgreement
from ..toolkit.palette import D_COLOR, DATA_COLOR, G_COLOR, NON_SATURATING_COLOR, SATURATING_COLOR
from .diagrams import _arrow, _box

#: the class label (and its one-hot code or embedding) in the diagrams
LABEL_COLOR = SATURATING_COLOR
_NOISE_COLOR = "#8C8C8C"
#: one colour per model in :func:`plot_label_agreement` (the first four are the palette's roles)
MODEL_COLORS = (NON_SATURATING_COLOR, G_COLOR, DATA_COLOR, D_COLOR, "#937860", "#8C8C8C")


def _targets(targets: object) -> tuple[float, float]:
    """``targets`` as two shares in [0, 1]: (overall, per class)."""
    try:
        if isinstance(targets, (str, bytes)):
            raise TypeError
        overall_target, class_target = (float(t) for t in targets)
    except (TypeError, ValueError):
        raise ValueError(f"targets must be two shares (overall, per class), got {targets!r}") from None
    if not (0 <= overall_target <= 1 and 0 <= class_target <= 1):
        raise ValueError(f"targets must be shares between 0 and 1, got {targets!r}")
    return overall_target, class_target


def _panel(ax: Axes, title: str) -> None:
    ax.set_xlim(0, 10)
    ax.set_ylim(-0.2, 10.4)
    ax.set_axis_off()
    ax.set_title(title, fontsize=11, fontweight="bold")


def _concatenation_panel(
    ax: Axes,
    title: str,
    first: tuple[str, str],
    label: str,
    one_hot: tuple[str, float],
    note: str,
    merged: str,
    body: tuple[str, str, float],
    output: tuple[str, str, float],
) -> None:
    """The layout (a) and (b) share: an input and the label, the label one-hot encoded, both concatenated,
    then the network's body and its output. ``first``: (text, colour); ``one_hot``: (text, box width);
    ``body`` and ``output``: (text, colour, box width)."""
    _panel(ax, title)
    _box(ax, (2.4, 9.3), first[0], first[1], width=3.0, height=1.1)
    _box(ax, (7.6, 9.3), label, LABEL_COLOR, width=3.0, height=1.1)
    _box(ax, (7.6, 6.9), one_hot[0], LABEL_COLOR, width=one_hot[1], height=1.1)
    ax.text(7.6, 5.95, note, ha="center", va="center", fontsize=8, color=LABEL_COLOR)
    _box(ax, (5.0, 4.6), merged, _NOISE_COLOR, width=3.6, height=1.1)
    _box(ax, (5.0, 2.55), body[0], body[1], width=body[2], height=1.1)
    _box(ax, (5.0, 0.5), output[0], output[1], width=output[2], height=0.8)
    _arrow(ax, (7.6, 8.7), (7.6, 7.5))
    _arrow(ax, (2.4, 8.7), (4.2, 5.2))
    _arrow(ax, (7.6, 5.7), (5.8, 5.2))
    _arrow(ax, (5.0, 4.0), (5.0, 3.15))
    _arrow(ax, (5.0, 1.95), (5.0, 0.95))


def _generator_panel(ax: Axes) -> None:
    _concatenation_panel(
        ax,
        "(a) conditional generator",
        first=("noise z\n(100)", _NOISE_COLOR),
        label="label y\n(e.g. 7)",
        one_hot=("one-hot\n(10)", 3.0),
        note="0 0 0 0 0 0 0 1 0 0",
        merged="concatenate\n(110)",
        body=("DCGAN generator\nDense → 7×7 → 28×28", G_COLOR, 5.2),
        output=("image 28×28×1", DATA_COLOR, 4.0),
    )


def _concat_panel(ax: Axes) -> None:
    _concatenation_panel(
        ax,
        "(b) concat discriminator",
        first=("image\n28×28×1", DATA_COLOR),
        label="label y",
        one_hot=("one-hot (10)\nto every pixel", 3.6),
        note="= 10 planes 28×28×10",
        merged="concatenate\n28×28×11",
        body=("convolutions", D_COLOR, 4.0),
        output=("logit", D_COLOR, 2.4),
    )
    ax.text(6.5, 0.5, "real image\nof digit y?", ha="left", va="center", fontsize=8.5)


def _projection_panel(ax: Axes) -> None:
    _panel(ax, "(c) projection discriminator")
    _box(ax, (2.4, 9.3), "image\n28×28×1", DATA_COLOR, width=3.0, height=1.1)
    _box(ax, (7.6, 9.3), "label y", LABEL_COLOR, width=3.0, height=1.1)
    _box(ax, (2.4, 7.0), "convolutions", D_COLOR, width=3.4, height=0.9)
    _box(ax, (2.4, 4.7), "features h\n(3136)", D_COLOR, width=3.0, height=1.1)
    _box(ax, (7.6, 6.5), "embed(y)\n(3136)", LABEL_COLOR, width=3.0, height=1.1)
    ax.text(7.6, 7.55, "row y of a 10×3136 table", ha="center", va="center", fontsize=8, color=LABEL_COLOR)
    _box(ax, (2.4, 2.55), "w·h + b", D_COLOR, width=2.6, height=0.8)
    _box(ax, (7.6, 2.55), "embed(y)·h", LABEL_COLOR, width=3.0, height=0.8)
    ax.text(7.6, 1.85, "dot product", ha="center", va="center", fontsize=8, color=LABEL_COLOR)
    _box(ax, (5.0, 0.5), "logit = w·h + b + embed(y)·h", D_COLOR, width=7.8, height=0.8)
    _arrow(ax, (2.4, 8.7), (2.4, 7.45))
    _arrow(ax, (2.4, 6.55), (2.4, 5.3))
    _arrow(ax, (7.6, 8.7), (7.6, 7.85))
    _arrow(ax, (2.4, 4.1), (2.4, 2.95))
    _arrow(ax, (3.95, 4.3), (6.6, 2.95))
    _arrow(ax, (7.6, 5.9), (7.6, 2.95))
    _arrow(ax, (2.4, 2.15), (3.2, 0.9))
    _arrow(ax, (7.6, 1.6), (6.8, 0.9))


def plot_conditioning_diagram() -> Figure:
    """Where the class label enters a conditional GAN, in three panels (about 12 x 4.6 inches):
    (a) the generator concatenates noise z (100 numbers) with the label's one-hot code (10) and feeds the
    110 numbers to the DCGAN generator; (b) the concat discriminator copies the one-hot code to every pixel
    as 10 extra planes, so its convolutions see 28x28x11; (c) the projection discriminator's convolutions
    see the image alone and give features h (3,136 numbers); the label picks a learned vector embed(y) and
    the logit is w·h + b + embed(y)·h."""
    fig, axes = plt.subplots(1, 3, figsize=(12, 4.6))
    _generator_panel(axes[0])
    _concat_panel(axes[1])
    _projection_panel(axes[2])
    fig.suptitle("Telling G and D which digit: three ways the label y enters the networks", fontsize=12)
    fig.tight_layout()
    plt.close(fig)
    return fig


def plot_class_rows(
    images: np.ndarray,
    per_class: int,
    scale: Sequence[float] = (-1, 1),
    row_labels: Sequence[object] | None = None,
    title: str | None = None,
) -> Figure:
    """A grid with one row per class, the row's label (digit) at its left: ``images`` ``(rows * per_class,
    H, W, 1)`` (or ``(N, H, W)``) row by row, as :func:`gan_helpers.sampling.class_grid_inputs` and
    ``generate`` give them, so each column shares one noise vector. Pixels must be within ``scale``
    (``(-1, 1)`` for the DCGANs' tanh). ``row_labels`` default to ``0, 1, ...``; one per row."""
    low, high = validate_scale(scale)
    if isinstance(per_class, bool) or not isinstance(per_class, (int, np.integer)) or per_class < 1:
        raise ValueError(f"per_class must be a positive integer (images per row), got {per_class!r}")
    array = np.asarray(images.numpy() if hasattr(images, "numpy") else images)
    if array.ndim == 3:
        array = array[..., None]
    array = check_images(array, scale=(low, high), shape=None)
    if len(array) % per_class:
        raise ValueError(
            f"got {len(array)} images, not a whole number of rows of per_class={per_class}: expected rows "
            f"* {per_class} images, row by row (as from gh.sampling.class_grid_inputs({per_class}))"
        )
    rows = len(array) // per_class
    labels = [str(i) for i in range(rows)] if row_labels is None else [str(r) for r in row_labels]
    if len(labels) != rows:
        raise ValueError(f"row_labels must be one per row: got {len(labels)} row labels for {rows} rows")
    height = array.shape[1]
    grid = tile_images(array, ncols=per_class, pad=1, pad_value=low)
    cell = 0.55
    fig, ax = plt.subplots(figsize=(0.9 + per_class * cell, 0.6 + rows * cell + (0.35 if title else 0)))
    ax.imshow(grid, cmap="gray", vmin=low, vmax=high, interpolation="nearest")
    ax.set_yticks([r * (height + 1) + height / 2 - 0.5 for r in range(rows)], labels, fontsize=10)
    ax.set_xticks([])
    ax.tick_params(axis="y", length=0)
    for side in ax.spines.values():
        side.set_visible(False)
    ax.set_xlabel("same noise in each column", fontsize=9)
    if title:
        ax.set_title(title, fontsize=10)
    fig.tight_layout()
    plt.close(fig)
    return fig


def plot_label_agreement(
    agreements: Mapping[str, LabelAgreement],
    targets: tuple[float, float] = (0.95, 0.85),
    confusion_of: str | None = None,
) -> Figure:
    """How often a classifier reads conditional samples as the digit that was asked for.

    Left: per-class agreement (share in [0, 1], classes on the x axis) of each model in ``agreements``
    (``{name: LabelAgreement}``), as grouped bars, with dashed lines at ``targets`` = (overall target,
    per-class target); the legend gives each model's overall agreement. Right: the confusion matrix
    (requested class x predicted class, sample counts written in the cells) of the model named
    ``confusion_of`` (default: the first).
    """
    if isinstance(agreements, Mapping) and not agreements:
        raise ValueError(
            "agreements is empty (got {}): give at least one model: {'name': gh.metrics.label_agreement(...)}"
        )
    agreements = check_mapping(agreements, "agreements", "{'name': gh.metrics.label_agreement(...)}")
    for name, agreement in agreements.items():
        if not isinstance(agreement, LabelAgreement):
            raise ValueError(
                f"agreements[{name!r}] must be a LabelAgreement (from gh.metrics.label_agreement), got "
                f"{type(agreement).__name__}"
            )
    sizes = {len(a.per_class) for a in agreements.values()}
    if len(sizes) != 1:
        raise ValueError(f"all models must have the same number of classes, got {sorted(sizes)}")
    overall_target, class_target = _targets(targets)
    names = list(agreements)
    shown = names[0] if confusion_of is None else confusion_of
    if shown not in agreements:
        raise ValueError(f"confusion_of={confusion_of!r} is not one of the models {names}")
    classes = sizes.pop()

    fig, (ax_bars, ax_conf) = plt.subplots(
        1, 2, figsize=(13, 5.2), gridspec_kw={"width_ratios": (1.55, 1)}, layout="constrained"
    )
    x = np.arange(classes)
    width = 0.8 / len(names)
    bars = []
    for k, name in enumerate(names):
        agreement = agreements[name]
        bars.append(
            ax_bars.bar(
                x + (k - (len(names) - 1) / 2) * width,
                agreement.per_class,
                width=width,
                color=MODEL_COLORS[k % len(MODEL_COLORS)],
                label=f"{name}: overall {agreement.overall:.1%} ({agreement.samples:,} samples)",
            )
        )
    targets_drawn = [
        ax_bars.axhline(
            overall_target, color="#333333", ls="--", lw=1.2, label=f"overall target {overall_target:.0%}"
        ),
        ax_bars.axhline(
            class_target, color="#999999", ls="--", lw=1.2, label=f"per-class target {class_target:.0%}"
        ),
    ]
    ax_bars.set_xticks(x)
    ax_bars.set_xlim(-0.6, classes - 0.4)
    ax_bars.set_ylim(0, 1.0)
    ax_bars.set_xlabel("requested class")
    ax_bars.set_ylabel("share the classifier reads as requested")
    ax_bars.set_title("Label agreement per class", fontsize=11)
    ax_bars.yaxis.set_major_formatter(PercentFormatter(1.0))
    ax_bars.legend(
        handles=bars + targets_drawn,  # the models first
        loc="upper center",
        bbox_to_anchor=(0.5, -0.14),
        ncol=2,
        fontsize=9,
        frameon=False,
    )

    confusion = agreements[shown].confusion
    ax_conf.imshow(confusion, cmap="Blues", vmin=0, vmax=max(int(confusion.max()), 1))
    threshold = confusion.max() / 2
    for r in range(classes):
        for c in range(classes):
            count = int(confusion[r, c])
            color = "white" if count > threshold else ("#333333" if count else "#BBBBBB")
            ax_conf.text(c, r, str(count), ha="center", va="center", fontsize=8, color=color)
    ax_conf.set_xticks(x)
    ax_conf.set_yticks(x)
    ax_conf.tick_params(length=0, labelsize=9)
    ax_conf.set_xlabel("predicted class")
    ax_conf.set_ylabel("requested class")
    ax_conf.set_title(f"Confusion matrix of {shown} (counts)", fontsize=11)
    plt.close(fig)
    return fig


def plot_agreement_trace(
    traces: Mapping[str, object],
    targets: tuple[float, float] = (0.95, 0.85),
    ceiling: float | None = None,
) -> Figure:
    """Label agreement as each conditional GAN trained: ``traces`` is ``{name: LabelAgreementTrace}``
    (from :class:`gan_helpers.callbacks.LabelAgreementTrace`). For each model, the overall agreement
    (solid) and its worst class (dashed), in [0, 1], against generator steps; dashed lines at
    ``targets`` = (overall, per class) and, if given, a dotted line at ``ceiling`` (the classifier's
    agreement with real digits)."""
    if isinstance(traces, Mapping) and not traces:
        raise ValueError(
            "traces is empty (got {}): give at least one model: {'name': LabelAgreementTrace(...)} after "
            "training with it"
        )
    traces = check_mapping(traces, "traces", "{'name': LabelAgreementTrace(...)} after training with it")
    for name, trace in traces.items():
        steps, agreements = getattr(trace, "steps", None), getattr(trace, "agreements", None)
        if not steps or agreements is None or len(steps) != len(agreements):
            raise ValueError(
                f"traces[{name!r}] must be a LabelAgreementTrace that has measured something "
                "(train with it), "
                f"got {type(trace).__name__}"
            )
    targets = _targets(targets)
    if ceiling is not None:
        ceiling = check_number(ceiling, "ceiling (a share)", low=0, high=1)
    fig, ax = plt.subplots(figsize=(9, 4.8), layout="constrained")
    for k, (name, trace) in enumerate(traces.items()):
        color = MODEL_COLORS[k % len(MODEL_COLORS)]
        overall = [a.overall for a in trace.agreements]
        worst = [float(np.nanmin(a.per_class)) for a in trace.agreements]
        ax.plot(trace.steps, overall, "-o", color=color, lw=2, ms=4, label=f"{name}: overall")
        ax.plot(trace.steps, worst, "--", color=color, lw=1.3, label=f"{name}: worst digit")
    ax.axhline(targets[0], color="#333333", ls="--", lw=1, label=f"overall target {targets[0]:.0%}")
    ax.axhline(targets[1], color="#999999", ls="--", lw=1, label=f"per-digit target {targets[1]:.0%}")
    if ceiling is not None:
        ax.axhline(ceiling, color=DATA_COLOR, ls=":", lw=1.5, label=f"real digits {ceiling:.1%}")
    ax.set_ylim(0, 1.02)
    ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_xlabel("generator steps")
    ax.set_ylabel("share read as the digit asked for")
    ax.set_title("Label agreement during training", fontsize=11)
    ax.grid(alpha=0.3)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), fontsize=9, ncol=3, frameon=False)
    plt.close(fig)  # shown once, as the cell's result
    return fig
