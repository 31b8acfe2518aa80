"""Model builders: shapes, output ranges and parameter counts."""

from __future__ import annotations

import numpy as np
import pytest

from gan_helpers import models
from gan_helpers.toolkit.training import GAN


@pytest.mark.parametrize("base", [8, 32])
def test_dcgan_shapes_ranges_and_counts(base):
    g = models.build_dcgan_generator(latent_dim=16, base_filters=base)
    d = models.build_dcgan_discriminator(base_filters=base)
    assert g.output_shape == (None, 28, 28, 1)
    assert d.output_shape == (None, 1)
    images = g(np.random.default_rng(0).standard_normal((3, 16)).astype("float32"), training=False).numpy()
    assert images.min() >= -1 and images.max() <= 1  # tanh
    # Dense 16 -> 7*7*4b (no bias), BN(4b per position), ConvT(5x5, 4b -> 2b, stride 1, no bias), BN(2b),
    # ConvT(5x5, 2b -> b, no bias), BN(b), ConvT(5x5, b -> 1) + bias
    wide, widest = 2 * base, 4 * base
    expected_g = (
        16 * 49 * widest
        + 4 * 49 * widest
        + 25 * widest * wide
        + 4 * wide
        + 25 * wide * base
        + 4 * base
        + 25 * base
        + 1
    )
    assert g.count_params() == expected_g
    assert [layer.output.shape[1] for layer in g.layers if "conv" in layer.name] == [7, 14, 28]
    expected_d = (25 * base + base) + 25 * base * wide + 4 * wide + 7 * 7 * wide + 1
    assert d.count_params() == expected_d


def test_dcgan_pair_trains_with_the_course_trainer():
    gan = GAN(
        models.build_dcgan_generator(8, 4), models.build_dcgan_discriminator(4), d_output="logits", seed=0
    )
    gan.compile()
    logs = gan.train_on_batch(np.zeros((4, 28, 28, 1), "float32"), return_dict=True)
    assert np.isfinite(logs["d_loss"]) and np.isfinite(logs["g_loss"])


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: models.build_dcgan_generator(0), "latent_dim"),
        (lambda: models.build_dcgan_generator(10, base_filters=0), "base_filters"),
        (lambda: models.build_dcgan_discriminator(2.5), "base_filters"),
    ],
)
def test_bad_sizes_are_explained(call, message):
    with pytest.raises(ValueError, match=message):
        call()
