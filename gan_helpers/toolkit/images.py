"""Image grids and animations: tile a batch of images, show it, turn it into uint8 pictures or a GIF."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from .data import validate_scale


def tile_images(images: np.ndarray, ncols: int, pad: int = 1, pad_value: float = 0.0) -> np.ndarray:
    """Tile ``(N, H, W)`` or ``(N, H, W, 1)`` images into one 2-D array, row by row.

    Returns ``(rows*(H+pad)-pad, ncols*(W+pad)-pad)``; cells after the last image hold ``pad_value``.
    """
    images = np.asarray(images)
    if images.ndim == 4 and images.shape[-1] == 1:
        images = images[..., 0]
    if images.ndim != 3 or len(images) == 0:
        raise ValueError(
            f"expected images of shape (N, H, W) or (N, H, W, 1) with N >= 1, got {images.shape}"
        )
    if ncols < 1:
        raise ValueError(f"ncols must be at least 1, got {ncols}")
    n, h, w = images.shape
    ncols = min(ncols, n)
    nrows = -(-n // ncols)
    out = np.full((nrows * (h + pad) - pad, ncols * (w + pad) - pad), pad_value, dtype=np.float32)
    for i, img in enumerate(images):
        r, c = divmod(i, ncols)
        out[r * (h + pad) : r * (h + pad) + h, c * (w + pad) : c * (w + pad) + w] = img
    return out


def plot_image_grid(
    images: np.ndarray,
    labels: Sequence[object] | None = None,
    ncols: int = 10,
    scale: Sequence[float] = (0, 1),
    title: str | None = None,
    cell_inches: float = 0.8,
) -> Figure:
    """Show images in a grid, each with its label above it if ``labels`` is given.

    ``images``: ``(N, 28, 28, 1)`` (or ``(N, H, W)``) with pixels in ``scale``; white digits on black.
    Returns the matplotlib ``Figure`` (displayed by Jupyter when it is a cell's last value).
    """
    low, high = validate_scale(scale)
    images = np.asarray(images)
    if images.ndim == 4 and images.shape[-1] == 1:
        images = images[..., 0]
    if images.ndim != 3 or len(images) == 0:
        raise ValueError(
            f"expected images of shape (N, H, W, 1) or (N, H, W) with N >= 1, got {images.shape}"
        )
    if labels is not None and len(labels) != len(images):
        raise ValueError(f"got {len(labels)} labels for {len(images)} images")
    n = len(images)
    ncols = max(1, min(ncols, n))
    nrows = -(-n // ncols)
    fig, axes = plt.subplots(
        nrows,
        ncols,
        figsize=(ncols * cell_inches, nrows * cell_inches * (1.25 if labels is not None else 1.0)),
        squeeze=False,
    )
    for i, ax in enumerate(axes.flat):
        ax.set_axis_off()
        if i < n:
            ax.imshow(images[i], cmap="gray", vmin=low, vmax=high, interpolation="nearest")
            if labels is not None:
                ax.set_title(str(labels[i]), fontsize=9, pad=2)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    plt.close(fig)  # the notebook shows the returned figure once, not twice
    return fig


def to_uint8_grid(images: np.ndarray, scale: tuple[float, float], ncols: int) -> np.ndarray:
    """Tile images with pixels in ``scale`` into one uint8 picture (white digits on black)."""
    low, high = scale
    grid = tile_images(np.asarray(images, dtype=np.float32), ncols=ncols, pad=1, pad_value=low)
    return np.clip(np.rint((grid - low) / (high - low) * 255.0), 0, 255).astype(np.uint8)


def save_gif(frames: Sequence[np.ndarray], path: str, fps: float = 4.0, upscale: int = 2) -> str:
    """Write uint8 frames ``(H, W)`` (e.g. ``TrainingMonitor.snapshots`` grids) as a looping GIF.

    Each frame is enlarged ``upscale`` times (nearest neighbour) so small digits stay crisp. Returns ``path``.
    """
    import imageio.v2 as imageio

    if not frames:
        raise ValueError("no frames to save: train first, then save the snapshots")
    shapes = {np.asarray(f).shape for f in frames}
    if len(shapes) != 1:
        raise ValueError(f"all frames must have the same shape, got {sorted(shapes)}")
    big = [
        np.kron(np.asarray(f, dtype=np.uint8), np.ones((upscale, upscale), dtype=np.uint8)) for f in frames
    ]
    imageio.mimsave(path, big, duration=1000.0 / fps, loop=0)
    return path
