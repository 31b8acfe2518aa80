"""Pictures for chapter 06: how a transposed convolution grows a small map into a larger one, and the
shapes inside the DCGAN generator. Latin text only (matplotlib's default font has no Chinese glyphs)."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from ..toolkit.checks import check_count, check_numbers

_STAMP_COLORS = ("#4C72B0", "#DD8452", "#55A868", "#C44E52")


def transposed_conv2d(x: np.ndarray, kernel: np.ndarray, stride: int = 2) -> np.ndarray:
    """A transposed convolution of one 2-D map, written out: every input pixel ``x[i, j]`` adds a copy
    of ``kernel`` scaled by its value to the output, at ``(stride * i, stride * j)``; overlaps add up.

    ``x``: ``(n, m)``; ``kernel``: ``(k, l)``. Returns ``((n - 1) * stride + k, (m - 1) * stride + l)``,
    the same as ``keras.layers.Conv2DTranspose(1, (k, l), strides=stride, padding="valid")`` with that
    kernel and no bias.
    """
    x = check_numbers(x, "x", shape="(n, m), a 2-D map", ndim=2)
    kernel = check_numbers(kernel, "kernel", shape="(k, l), a 2-D map", ndim=2)
    if isinstance(stride, bool) or not isinstance(stride, int) or stride < 1:
        raise ValueError(f"stride must be a positive integer, got {stride!r}")
    (n, m), (kh, kw) = x.shape, kernel.shape
    out = np.zeros(((n - 1) * stride + kh, (m - 1) * stride + kw))
    for i in range(n):
        for j in range(m):
            out[i * stride : i * stride + kh, j * stride : j * stride + kw] += x[i, j] * kernel
    return out


def overlap_counts(size: int, kernel: int, stride: int = 2) -> np.ndarray:
    """How many kernel stamps cover each output pixel when a ``size`` x ``size`` map is upsampled
    (all ones through a kernel of ones). Uneven counts are the source of checkerboard artifacts."""
    size, kernel = check_count(size, "size", minimum=1), check_count(kernel, "kernel", minimum=1)
    return transposed_conv2d(np.ones((size, size)), np.ones((kernel, kernel)), stride)


def checkerboard_share(images: np.ndarray) -> float:
    """How much of a batch of images is a checkerboard: the share of each image's variation (its energy
    after removing its mean) at the finest period a 2-pixel grid can make, averaged over the images.

    ``images``: ``(N, H, W)`` or ``(N, H, W, 1)`` with even ``H`` and ``W``, any pixel range. Returns a
    number in [0, 1]: about 0.003 for real MNIST digits, 1.0 for a pure +1/-1 checkerboard. Computed with
    the 2-D Fourier transform: the energy in the row and column at frequency 1/2 (period 2 pixels) over
    the total.
    """
    x = check_numbers(images, "images", shape="(N, H, W) or (N, H, W, 1)", finite=False, allow_empty=True)
    if x.ndim == 4 and x.shape[-1] == 1:
        x = x[..., 0]
    if x.ndim != 3 or len(x) == 0 or x.shape[1] % 2 or x.shape[2] % 2:
        raise ValueError(
            f"expected images (N, H, W) or (N, H, W, 1) with N >= 1 and even H and W, got {np.shape(images)}"
        )
    if not np.all(np.isfinite(x)):
        raise ValueError(
            "the images contain NaN or infinity (expected finite pixels): the generator has diverged"
        )
    x = x - x.mean(axis=(1, 2), keepdims=True)
    power = np.abs(np.fft.fft2(x)) ** 2
    h, w = x.shape[1] // 2, x.shape[2] // 2
    periodic = power[:, h, :].sum(axis=1) + power[:, :, w].sum(axis=1) - power[:, h, w]
    total = power.sum(axis=(1, 2))
    flat = total <= 1e-12 * max(float(total.max()), 1e-300)
    return float(np.mean(np.where(flat, 0.0, periodic / np.where(flat, 1.0, total))))


def plot_transposed_convolution(kernel: int = 3, stride: int = 2) -> Figure:
    """Left: a 2 x 2 input whose four pixels each stamp a ``kernel`` x ``kernel`` copy onto the output,
    ``stride`` pixels apart. Middle and right: stamp counts for kernel 5 and kernel 4 with stride 2 on a
    7 x 7 map (uneven for 5, even inside for 4)."""
    kernel, stride = check_count(kernel, "kernel", minimum=1), check_count(stride, "stride", minimum=1)
    fig, axes = plt.subplots(
        1, 3, figsize=(14, 4.4), gridspec_kw={"width_ratios": (1.15, 1, 1)}, layout="constrained"
    )
    ax = axes[0]
    size = stride + kernel
    for (i, j), color in zip([(0, 0), (0, 1), (1, 0), (1, 1)], _STAMP_COLORS, strict=True):
        top, left = i * stride, j * stride
        ax.add_patch(
            Rectangle((left, top), kernel, kernel, facecolor=color, alpha=0.28, edgecolor=color, lw=2.5)
        )
        ax.text(left + 0.35, top + 0.6, f"x[{i},{j}]", color=color, fontsize=9, fontweight="bold")
    counts = transposed_conv2d(np.ones((2, 2)), np.ones((kernel, kernel)), stride)
    for r in range(size):
        for c in range(size):
            ax.text(
                c + 0.5,
                r + 0.78,
                f"{counts[r, c]:.0f}",
                ha="center",
                va="center",
                fontsize=8,
                color="#333333",
            )
    ax.set_xlim(0, size)
    ax.set_ylim(size, 0)
    ax.set_xticks(range(size + 1))
    ax.set_yticks(range(size + 1))
    ax.grid(color="#999999", lw=0.6)
    ax.tick_params(labelbottom=False, labelleft=False, length=0)
    ax.set_aspect("equal")
    ax.set_title(
        f"2x2 input -> {size}x{size} output: each input pixel stamps\n"
        f"a {kernel}x{kernel} kernel, moved {stride} pixels per step (numbers: overlaps)",
        fontsize=9,
    )
    for ax, k in zip(axes[1:], (5, 4), strict=True):
        counts = overlap_counts(7, k, stride)
        image = ax.imshow(counts, cmap="viridis", vmin=0, vmax=counts.max())
        fig.colorbar(
            image, ax=ax, shrink=0.8, ticks=range(int(counts.max()) + 1), label="stamps covering the pixel"
        )
        ax.set_title(
            f"7x7 -> {counts.shape[0]}x{counts.shape[1]}, kernel {k}, stride {stride}:\n"
            f"stamps per pixel inside: {sorted({int(v) for v in np.unique(counts[k:-k, k:-k])})}",
            fontsize=9,
        )
        ax.set_xticks([])
        ax.set_yticks([])
    plt.close(fig)
    return fig


def plot_generator_shapes(shapes: Sequence[tuple[str, tuple[int, int, int]]]) -> Figure:
    """The DCGAN generator's feature maps as stacks of squares, one per entry of ``shapes``
    (``(label, (height, width, channels))``), drawn to scale in height and width."""
    entries = list(shapes) if isinstance(shapes, (list, tuple)) else None
    if not entries or not all(
        isinstance(e, (list, tuple))
        and len(e) == 2
        and isinstance(e[1], (list, tuple))
        and len(e[1]) == 3
        and all(isinstance(d, int) and not isinstance(d, bool) and d >= 1 for d in e[1])
        for e in entries
    ):
        raise ValueError(
            "shapes must be a non-empty list of (label, (height, width, channels)) entries with positive "
            "sizes, "
            f"got {shapes!r}"
        )
    fig, ax = plt.subplots(figsize=(12, 3.8))
    x = 0.0
    biggest = max(h for _, (h, _, _) in shapes)
    for n, (label, (h, w, c)) in enumerate(shapes):
        if h == w == 1:  # a vector (the noise): one thin column instead of a stack of 1x1 squares
            h, w, c = min(c // 5, biggest), 1, c
            ax.add_patch(
                Rectangle((x, 0), 1, h, facecolor=_STAMP_COLORS[n % 4], alpha=0.6, edgecolor="white")
            )
            ax.text(x + 0.5, -3.5, f"{label}\n{c} numbers", ha="center", va="top", fontsize=10)
            ax.annotate(
                "",
                xy=(x + 12, biggest / 3),
                xytext=(x + 2.5, biggest / 3),
                arrowprops={"arrowstyle": "-|>", "color": "#555555", "lw": 1.5},
            )
            x += 14
            continue
        layers = min(c, 6)
        for k in range(layers):
            ax.add_patch(
                Rectangle(
                    (x + 1.2 * k, 1.2 * k),
                    w,
                    h,
                    facecolor=_STAMP_COLORS[n % 4],
                    alpha=0.35 + 0.1 * (k == 0),
                    edgecolor="white",
                    lw=1,
                )
            )
        ax.text(x + w / 2, -3.5, f"{label}\n{h}x{w}x{c}", ha="center", va="top", fontsize=10)
        end = x + w + 1.2 * (layers - 1)
        following = max(end + 9, x + 20)  # room for the labels of small maps side by side
        if n < len(shapes) - 1:
            ax.annotate(
                "",
                xy=(following - 2, biggest / 3),
                xytext=(end + 1.5, biggest / 3),
                arrowprops={"arrowstyle": "-|>", "color": "#555555", "lw": 1.5},
            )
        x = following
    ax.set_xlim(-2, x)
    ax.set_ylim(-12, biggest + 9)
    ax.set_aspect("equal")
    ax.set_axis_off()
    fig.tight_layout()
    plt.close(fig)
    return fig
