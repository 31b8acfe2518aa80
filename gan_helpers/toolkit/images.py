"""Image grids and animations: tile a batch of images, show it, turn it into uint8 pictures or a GIF."""

from __future__ import annotations

import os
from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from .data import _check_finite, _pixels_outside, _range_hint, validate_scale

#: How far (as a share of the scale's width) pixels may stray outside ``scale`` before a picture refuses them.
RANGE_TOLERANCE = 1e-3


def _grid_images(images: object, scale: tuple[float, float] | None, name: str = "images") -> np.ndarray:
    """``images`` as ``(N, H, W)`` numbers: one channel, N >= 1, finite, within ``scale`` (if given)."""
    if not isinstance(images, np.ndarray) and callable(getattr(images, "numpy", None)):
        images = images.numpy()
    images = np.asarray(images)
    if images.ndim == 4 and images.shape[-1] == 1:
        images = images[..., 0]
    if images.ndim != 3 or len(images) == 0:
        raise ValueError(
            f"expected {name} of shape (N, H, W) or (N, H, W, 1) with N >= 1, got {images.shape}"
        )
    if images.dtype == np.bool_ or not np.issubdtype(images.dtype, np.number):
        raise ValueError(f"expected {name} as numbers (pixels), got dtype {images.dtype}")
    _check_finite(images, name)
    if scale is not None:
        low, high = scale
        outside = _pixels_outside(images, low, high, RANGE_TOLERANCE)
        if outside:
            lo, hi = outside
            raise ValueError(
                f"{name} have pixels from {lo:.3g} to {hi:.3g}, outside scale=({low:g}, {high:g}), so the "
                f"picture would clip them; pass the scale they are in, e.g. scale=(-1, 1) for a tanh "
                f"generator ({_range_hint(lo, hi, low, high)})"
            )
    return images


def _check_ncols(ncols: object) -> int:
    if isinstance(ncols, bool) or not isinstance(ncols, (int, np.integer)) or ncols < 1:
        raise ValueError(f"ncols must be a positive integer, got {ncols!r}")
    return int(ncols)


def tile_images(images: np.ndarray, ncols: int, pad: int = 1, pad_value: float = 0.0) -> np.ndarray:
    """Tile ``(N, H, W)`` or ``(N, H, W, 1)`` images into one 2-D array, row by row.

    Returns ``(rows*(H+pad)-pad, ncols*(W+pad)-pad)``; cells after the last image hold ``pad_value``.
    NaN or infinite pixels are refused (a diverged generator's output).
    """
    images = _grid_images(images, None)
    ncols = _check_ncols(ncols)
    if isinstance(pad, bool) or not isinstance(pad, (int, np.integer)) or pad < 0:
        raise ValueError(f"pad must be a whole number of pixels >= 0, got {pad!r}")
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
    Pixels outside ``scale`` (e.g. a tanh generator's [-1, 1] with the default ``(0, 1)``) or NaN are
    refused with a ``ValueError`` rather than drawn clipped.
    Returns the matplotlib ``Figure`` (displayed by Jupyter when it is a cell's last value).
    """
    low, high = validate_scale(scale)
    images = _grid_images(images, (low, high))
    ncols = _check_ncols(ncols)
    if not cell_inches > 0:
        raise ValueError(f"cell_inches must be positive, got {cell_inches!r}")
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
    """Tile images with pixels in ``scale`` into one uint8 picture (white digits on black). Pixels outside
    ``scale`` or NaN are refused with a ``ValueError``."""
    low, high = validate_scale(scale)
    _grid_images(images, (low, high))
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
    for frame in frames:
        frame = np.asarray(frame)
        if (
            frame.ndim != 2
            or not np.issubdtype(frame.dtype, np.integer)
            or frame.min() < 0
            or frame.max() > 255
        ):
            raise ValueError(
                f"frames must be 2-D uint8 pictures (values 0..255), got {frame.dtype} {frame.shape}; "
                "make them with gh.images.to_uint8_grid(images, scale, ncols) (float pixels would turn black)"
            )
    if not fps > 0 or isinstance(upscale, bool) or not isinstance(upscale, (int, np.integer)) or upscale < 1:
        raise ValueError(
            f"fps must be positive and upscale a positive integer, got fps={fps!r}, upscale={upscale!r}"
        )
    if os.path.isdir(path):
        raise IsADirectoryError(
            f"{path} is a folder; give a file name such as {os.path.join(path, 'training.gif')}"
        )
    big = [
        np.kron(np.asarray(f, dtype=np.uint8), np.ones((upscale, upscale), dtype=np.uint8)) for f in frames
    ]
    imageio.mimsave(path, big, duration=1000.0 / fps, loop=0)
    return path
