"""Differentiable augmentation for the discriminator (the idea of DiffAugment, Zhao et al. 2020).

With only a few thousand training digits, the discriminator can learn *those* digits instead of what
digits look like. Showing it every image, real **and** generated, moved by a random few pixels makes
that harder. Because the same random moves are applied to the fakes inside the training step, and the
move is differentiable, the generator still learns unmoved digits: a move of a fake is just as likely
as the same move of a real image, so the only way to fool D is to make the un-moved images right.

Usage: ``GAN(G, D, augment=RandomShift(2, background=0.0))`` (``background=-1.0`` for images in
[-1, 1]). Written with ``pad`` and ``gather`` so that it also runs under XLA (``jit_compile=True``),
where ``keras.layers.RandomTranslation`` cannot (its image transform has no XLA kernel).
"""

from __future__ import annotations

import tensorflow as tf

from .checks import check_number


class RandomShift:
    """Move each image of a batch by its own random whole-pixel offset in ``[-pixels, pixels]`` along
    both axes, filling the uncovered border with ``background``.

    Call it as ``shift(images, rng)``: ``images`` ``(batch, height, width, channels)``, ``rng`` a
    ``tf.random.Generator``; returns a tensor of the same shape and dtype. Gradients flow to every
    input pixel that stays in view (the move is a gather).
    """

    def __init__(self, pixels: int = 2, background: float = 0.0) -> None:
        if isinstance(pixels, bool) or not isinstance(pixels, int) or pixels < 0:
            raise ValueError(f"pixels must be a whole number of pixels >= 0, e.g. 2; got {pixels!r}")
        background = check_number(
            background,
            "background (the pixel value of empty paper: 0.0 for images in [0, 1], -1.0 for [-1, 1])",
        )
        self.pixels = pixels
        self.background = background

    def __repr__(self) -> str:
        return f"RandomShift(pixels={self.pixels}, background={self.background})"

    def __call__(self, images: tf.Tensor, rng: tf.random.Generator) -> tf.Tensor:
        images = tf.convert_to_tensor(images)
        if images.shape.rank != 4:
            raise ValueError(
                f"RandomShift expects images of shape (batch, height, width, channels), got {images.shape}"
            )
        if self.pixels == 0:
            return images
        k = self.pixels
        batch = tf.shape(images)[0]
        height, width = images.shape[1], images.shape[2]
        padded = tf.pad(
            images, [[0, 0], [k, k], [k, k], [0, 0]], constant_values=tf.cast(self.background, images.dtype)
        )
        # Each image's window into its padded copy starts at an offset in [0, 2k]: k means "not moved".
        rows = tf.range(height)[None, :] + rng.uniform([batch], 0, 2 * k + 1, dtype=tf.int32)[:, None]
        cols = tf.range(width)[None, :] + rng.uniform([batch], 0, 2 * k + 1, dtype=tf.int32)[:, None]
        moved = tf.gather(padded, rows, axis=1, batch_dims=1)
        return tf.gather(moved, cols, axis=2, batch_dims=1)
