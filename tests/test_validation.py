"""The chapter experiments and the recipes share the toolkit's one image check and refuse bad input."""

from __future__ import annotations

import numpy as np
import pytest

import gan_helpers as gh
from gan_helpers.teaching.mnist_experiments import train_chapter_gan
from gan_helpers.toolkit.recipes import train_dcgan


@pytest.fixture(scope="module")
def digits():
    return gh.load_mnist(source="subset", verbose=False)


@pytest.mark.parametrize(
    ("change", "kwargs", "message"),
    [
        (lambda x, y: (x * 2 - 1, y), {}, r"\[0, 1\].*\(images \+ 1\) / 2"),
        (lambda x, y: (x[..., 0], y), {}, r"images\[\.\.\., None\]"),
        (lambda x, y: (np.where(x > 0.5, np.nan, x), y), {}, "NaN or infinite"),
        (lambda x, y: (x, y + 1), {}, r"0\.\.9"),
        (lambda x, y: (x, y[:10]), {}, r"labels must have shape \(256,\)"),
        (lambda x, y: (x, y), {"steps": 0}, "steps"),
        (lambda x, y: (x, y), {"n_samples": 0}, "n_samples"),
    ],
)
def test_train_chapter_gan_refuses_bad_input(digits, change, kwargs, message):
    images, labels = change(digits.images[:256], digits.labels[:256])
    settings = {"steps": 10, "record_every": 10, **kwargs}
    with pytest.raises(ValueError, match=message):
        train_chapter_gan(images, labels, "bad", **settings)


def test_the_recipes_refuse_nan_and_raw_pixels(digits):
    with pytest.raises(ValueError, match="NaN or infinite"):
        train_dcgan(np.full((256, 28, 28, 1), np.nan, np.float32), steps=1)
    with pytest.raises(ValueError, match=r"raw pixels in \[0, 255\]"):
        train_dcgan(digits.images[:256] * 255, steps=1)
