"""The conditional DCGAN builders of notebook 08: parameter counts from the layer plan, what the
discriminator's first convolution sees (concat), the projection logit recomputed from the layers' weights
with NumPy, and ``takes_labels``."""

from __future__ import annotations

import keras
import numpy as np
import pytest
from keras import layers

from gan_helpers import models

LATENT = 16


def expected_generator_params(latent: int, classes: int, b: int) -> int:
    """Dense (latent + classes -> 7*7*4b, no bias), BN over 7*7*4b numbers (4 each: gamma, beta, moving
    mean and variance), ConvT 5x5 4b -> 2b (no bias), BN(2b), ConvT 5x5 2b -> b (no bias), BN(b),
    ConvT 5x5 b -> 1 with bias. The one-hot encoding and the concatenation have no weights."""
    return (
        (latent + classes) * 49 * 4 * b
        + 4 * 49 * 4 * b
        + 25 * 4 * b * 2 * b
        + 4 * 2 * b
        + 25 * 2 * b * b
        + 4 * b
        + 25 * b
        + 1
    )


def expected_discriminator_params(conditioning: str, classes: int, b: int) -> int:
    """Conv 5x5 (in_channels -> b) with bias, Conv 5x5 b -> 2b without bias, BN(2b), Dense(7*7*2b -> 1)
    with bias; concat: in_channels = 1 + classes; projection: in_channels = 1, plus an embedding of
    ``classes`` vectors as long as the features (7*7*2b)."""
    in_channels = 1 + classes if conditioning == "concat" else 1
    features = 7 * 7 * 2 * b
    count = 25 * in_channels * b + b + 25 * b * 2 * b + 4 * 2 * b + features + 1
    if conditioning == "projection":
        count += classes * features
    return count


@pytest.mark.parametrize(("classes", "b"), [(10, 4), (3, 8)])
def test_parameter_counts_follow_the_layer_plan(classes, b):
    g = models.build_conditional_generator(latent_dim=LATENT, num_classes=classes, base_filters=b)
    assert g.count_params() == expected_generator_params(LATENT, classes, b)
    # the conditional G is the DCGAN G with num_classes more inputs to its first Dense layer
    plain = models.build_dcgan_generator(latent_dim=LATENT, base_filters=b)
    assert g.count_params() - plain.count_params() == classes * 49 * 4 * b
    for conditioning in ("concat", "projection"):
        d = models.build_conditional_discriminator(conditioning, num_classes=classes, base_filters=b)
        assert d.count_params() == expected_discriminator_params(conditioning, classes, b), conditioning


@pytest.mark.parametrize("conditioning", ["concat", "projection"])
def test_shapes_and_output_ranges(conditioning):
    g = models.build_conditional_generator(latent_dim=LATENT, num_classes=10, base_filters=4)
    d = models.build_conditional_discriminator(conditioning, num_classes=10, base_filters=4)
    z = np.random.default_rng(0).standard_normal((5, LATENT)).astype("float32")
    labels = np.array([0, 3, 9, 3, 1], "int32")
    images = g([z, labels], training=False).numpy()
    assert images.shape == (5, 28, 28, 1) and images.min() >= -1 and images.max() <= 1  # tanh
    assert d([images, labels], training=False).shape == (5, 1)  # one logit per image


def test_the_concat_discriminators_first_convolution_sees_the_image_and_one_plane_per_class():
    classes, b = 10, 4
    d = models.build_conditional_discriminator("concat", num_classes=classes, base_filters=b)
    first = next(layer for layer in d.layers if isinstance(layer, layers.Conv2D))
    assert tuple(first.input.shape) == (None, 28, 28, 1 + classes)
    assert first.kernel.shape == (5, 5, 1 + classes, b)
    # and those planes are the image followed by the one-hot label, the same at every pixel
    stacked = keras.Model(d.inputs, first.input)
    image = np.random.default_rng(1).uniform(-1, 1, (2, 28, 28, 1)).astype("float32")
    planes = stacked([image, np.array([7, 2], "int32")]).numpy()
    np.testing.assert_array_equal(planes[..., 0], image[..., 0])
    np.testing.assert_array_equal(planes[0, ..., 1:], np.broadcast_to(np.eye(classes)[7], (28, 28, classes)))
    np.testing.assert_array_equal(planes[1, ..., 1:], np.broadcast_to(np.eye(classes)[2], (28, 28, classes)))


def test_the_projection_discriminator_sees_the_image_alone_in_its_convolutions():
    d = models.build_conditional_discriminator("projection", num_classes=10, base_filters=4)
    first = next(layer for layer in d.layers if isinstance(layer, layers.Conv2D))
    assert first.kernel.shape == (5, 5, 1, 4)


def test_the_projection_logit_is_the_unconditional_logit_plus_the_class_vector_dot_the_features():
    """logit(x, y) = w·h(x) + b + E[y]·h(x), recomputed with NumPy from the Dense and Embedding weights and
    the features h (the output of the layer named ``features``)."""
    keras.utils.set_random_seed(3)
    classes = 10
    d = models.build_conditional_discriminator("projection", num_classes=classes, base_filters=4)
    embedding = d.get_layer("class_embedding")
    # Keras starts embeddings small (uniform +-0.05): make them large enough to matter in the sum
    embedding.embeddings.assign(np.random.default_rng(0).normal(0, 0.5, embedding.embeddings.shape))
    images = np.random.default_rng(2).uniform(-1, 1, (4, 28, 28, 1)).astype("float32")
    labels = np.array([0, 5, 9, 5], "int32")
    h = keras.Model(d.inputs, d.get_layer("features").output)([images, labels]).numpy()
    w, bias = (v.numpy() for v in d.get_layer("unconditional_logit").weights)
    table = embedding.embeddings.numpy()
    assert table.shape == (classes, h.shape[1])
    unconditional = h @ w[:, 0] + bias[0]
    expected = unconditional + np.sum(table[labels] * h, axis=1)
    logits = d([images, labels], training=False).numpy()[:, 0]
    np.testing.assert_allclose(logits, expected, rtol=1e-4, atol=1e-4)
    assert np.all(np.abs(expected - unconditional) > 1e-3)  # the class term really contributes
    # the same image claimed as another class moves the logit by (E[y'] - E[y])·h
    other = d([images, np.array([1, 1, 1, 1], "int32")], training=False).numpy()[:, 0]
    np.testing.assert_allclose(
        other - logits, np.sum((table[1] - table[labels]) * h, axis=1), rtol=1e-4, atol=1e-4
    )


def test_takes_labels():
    assert models.takes_labels(models.build_conditional_generator(LATENT, 10, 2))
    for conditioning in ("concat", "projection"):
        assert models.takes_labels(models.build_conditional_discriminator(conditioning, 10, 2))
    assert not models.takes_labels(models.build_dcgan_generator(LATENT, 2))
    assert not models.takes_labels(models.build_dcgan_discriminator(2))
    assert not models.takes_labels(models.build_chapter_generator())
    assert not models.takes_labels(keras.Sequential([layers.Dense(3)]))  # not built: no inputs at all


@pytest.mark.parametrize(
    ("build", "match"),
    [
        (
            lambda: models.build_conditional_discriminator("film"),
            r"conditioning must be one of \('concat', 'projection'\)",
        ),
        (
            lambda: models.build_conditional_discriminator(num_classes=0),
            r"num_classes must be a positive integer",
        ),
        (
            lambda: models.build_conditional_generator(num_classes=2.0),
            r"num_classes must be a positive integer",
        ),
        (
            lambda: models.build_conditional_generator(latent_dim=True),
            r"latent_dim must be a positive integer",
        ),
        (
            lambda: models.build_conditional_generator(base_filters=-1),
            r"base_filters must be a positive integer",
        ),
    ],
    ids=["conditioning", "zero-classes", "float-classes", "bool-latent", "negative-filters"],
)
def test_bad_builder_arguments(build, match):
    with pytest.raises(ValueError, match=match):
        build()
