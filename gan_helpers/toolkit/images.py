"""Image grids and animations: tile a batch of images, show it, turn it into uint8 pictures or a GIF."""

from __future__ import annotations

import os
from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from .checks import check_count, check_number, dtype_problem
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
    problem = dtype_problem(images)
    if problem:
        raise ValueError(f"expected {name} as real numbers (pixels), got {problem}")
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
    pad_value = check_number(pad_value, "pad_value")
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
    check_number(cell_inches, "cell_inches", low=0, low_open=True)
    if labels is not None and len(labels) != len(images):
        raise ValueError(f"labels must be one per image: got {len(labels)} labels for {len(images)} images")
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

    if (
        frames is None
        or isinstance(frames, (str, bytes, dict))
        or not hasattr(frames, "__len__")
        or np.ndim(frames) == 0
    ):
        raise TypeError(
            "frames must be a sequence of 2-D uint8 pictures, got "
            f"{type(frames).__name__} of shape {np.shape(frames)}"
        )
    if len(frames) == 0:
        raise ValueError(
            "no frames to save (frames is empty; expected at least one): train first, then save the snapshots"
        )
    shapes = {np.asarray(f).shape for f in frames}
    if len(shapes) != 1:
        raise ValueError(f"all frames must have the same shape, got {sorted(shapes)}")
    stack = np.stack([np.asarray(f) for f in frames])
    integers = np.issubdtype(stack.dtype, np.integer) and stack.size > 0
    if stack.ndim != 3 or not integers or stack.min() < 0 or stack.max() > 255:
        shown = stack.dtype.kind in "iuf" and stack.size > 0
        values = f" with values from {stack.min()} to {stack.max()}" if shown else ""
        raise ValueError(
            f"frames must be 2-D uint8 pictures (values 0..255), shape (frames, H, W) stacked; got "
            f"{stack.dtype} {stack.shape}{values}; make them with "
            "gh.images.to_uint8_grid(images, scale, ncols) (float pixels would turn black)"
        )
    check_number(fps, "fps", low=0, low_open=True)
    upscale = check_count(upscale, "upscale", minimum=1)
    if os.path.isdir(path):
        raise IsADirectoryError(
            f"{path} is a folder; give a file name such as {os.path.join(path, 'training.gif')}"
        )
    big = [
        np.kron(np.asarray(f, dtype=np.uint8), np.ones((upscale, upscale), dtype=np.uint8)) for f in frames
    ]
    imageio.mimsave(path, big, duration=1000.0 / fps, loop=0)
    return path
