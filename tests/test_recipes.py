"""The shared training recipes (notebooks 04 and 06's settings) on a tiny budget."""

from __future__ import annotations

import pytest

import gan_helpers as gh
from gan_helpers.toolkit.recipes import train_dcgan, train_mlp_gan


@pytest.fixture(scope="module")
def digits():
    images, _ = gh.load_mnist(source="subset", scale=(0, 1), verbose=False)
    return images[::10]


def test_the_mlp_recipe_uses_notebook_04s_models_and_optimizer(digits):
    gan, seconds = train_mlp_gan(digits, steps=50, seed=1)
    assert gan.generator.count_params() == 114_064 and gan.d_output == "probability"
    assert (
        float(gan.d_optimizer.learning_rate) == pytest.approx(2e-4) and int(gan.d_optimizer.iterations) == 50
    )
    assert seconds > 0


def test_the_dcgan_recipe_uses_notebook_06s_models(digits):
    gan, _ = train_dcgan(digits, steps=10, seed=1, base_filters=8)
    assert gan.d_output == "logits" and gan.generator.output_shape == (None, 28, 28, 1)
    samples = gan.generate(4)
    assert samples.min() >= -1 and samples.max() <= 1


def test_recipes_want_pixels_in_0_1(digits):
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        train_dcgan(digits * 2 - 1, steps=10)


def test_the_augmented_mlp_recipe_keeps_the_chapter_models_and_shifts_what_d_sees(digits):
    gan, _ = train_mlp_gan(digits, steps=50, seed=1, augment_pixels=3, d_output="logits")
    assert gan.generator.count_params() == 114_064 and gan.discriminator.count_params() == 100_609
    assert gan.d_output == "logits" and gan.discriminator.layers[-1].activation.__name__ == "linear"
    assert isinstance(gan.augment, gh.augment.RandomShift) and gan.augment.pixels == 3
    assert gan.augment.background == 0.0  # empty paper in [0, 1]
    plain, _ = train_mlp_gan(digits, steps=50, seed=1)
    assert plain.augment is None
