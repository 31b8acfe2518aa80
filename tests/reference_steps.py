"""Small pieces the reference-step tests share: a twin of a model to step by hand, and Keras's BCE of every
score against one target. (Not a test module: pytest collects only ``test_*.py``.)"""

from __future__ import annotations

import keras
import numpy as np
import tensorflow as tf


def copy_of(model: keras.Model, weights: list[np.ndarray] | None = None) -> keras.Model:
    """A separate model with ``model``'s layers and its weights (or ``weights``), to update by hand."""
    twin = keras.models.clone_model(model)
    twin.set_weights(model.get_weights() if weights is None else weights)
    return twin


def bce(target: float, scores: tf.Tensor, from_logits: bool) -> tf.Tensor:
    """Keras's BCE of every score against ``target`` (a tensor full of it: not ``label_smoothing``)."""
    return keras.losses.BinaryCrossentropy(from_logits=from_logits)(tf.fill(tf.shape(scores), target), scores)
