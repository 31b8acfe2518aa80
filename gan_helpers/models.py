"""Model builders. For now the chapter's MLP generator and discriminator (notebook 04 writes the same
models out in full; later chapters build them from here)."""

from __future__ import annotations

import keras
from keras import layers

IMAGE_SHAPE = (28, 28, 1)


def build_chapter_generator(latent_dim: int = 100) -> keras.Sequential:
    """The chapter's generator: noise ``(batch, latent_dim)`` -> Dense(128, relu) -> Dense(784, sigmoid)
    -> images ``(batch, 28, 28, 1)`` with pixels in [0, 1]. 114,064 parameters at ``latent_dim=100``."""
    if isinstance(latent_dim, bool) or not isinstance(latent_dim, int) or latent_dim < 1:
        raise ValueError(f"latent_dim must be a positive integer, got {latent_dim!r}")
    return keras.Sequential(
        [
            keras.Input(shape=(latent_dim,)),
            layers.Dense(128, activation="relu"),
            layers.Dense(784, activation="sigmoid"),
            layers.Reshape(IMAGE_SHAPE),
        ],
        name="generator",
    )


def build_chapter_discriminator(logits: bool = False) -> keras.Sequential:
    """The chapter's discriminator: images ``(batch, 28, 28, 1)`` -> Flatten -> Dense(128, relu) ->
    Dense(1, sigmoid): the probability that each image is real. 100,609 parameters.

    With ``logits=True`` the last layer has no sigmoid and outputs a logit (same parameters).
    """
    return keras.Sequential(
        [
            keras.Input(shape=IMAGE_SHAPE),
            layers.Flatten(),
            layers.Dense(128, activation="relu"),
            layers.Dense(1, activation=None if logits else "sigmoid"),
        ],
        name="discriminator",
    )
