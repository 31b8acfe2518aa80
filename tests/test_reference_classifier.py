"""The reference MNIST classifier: its split, its file, and its accuracy on digits it never saw."""

from __future__ import annotations

import numpy as np
import pytest

import gan_helpers as gh
from gan_helpers import metrics
from gan_helpers.toolkit.reference_classifier import (
    FEATURES,
    MODEL_PATH,
    build_classifier,
    held_out_split,
    load_reference_classifier,
    model_card,
)


def test_the_held_out_split_is_disjoint_and_balanced():
    labels = np.repeat(np.arange(10), 500)
    train, held = held_out_split(labels, per_class=100, seed=0)
    assert len(held) == 1000 and len(train) == 4000
    assert not set(train) & set(held)
    assert np.all(np.bincount(labels[held]) == 100)
    again, _ = held_out_split(labels, per_class=100, seed=0)
    np.testing.assert_array_equal(train, again)


def test_the_architecture_has_a_feature_layer_and_ten_probabilities():
    model = build_classifier()
    assert model.output_shape == (None, 10)
    assert model.get_layer(FEATURES).output.shape[-1] == 64
    assert model.count_params() < 150_000


def test_a_missing_file_says_how_to_rebuild_it(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"python -m gan_helpers\.assets"):
        load_reference_classifier(tmp_path / "missing.keras")
    with pytest.raises(IsADirectoryError, match="folder"):
        load_reference_classifier(tmp_path)
    with pytest.raises(FileNotFoundError, match="rebuild"):
        model_card(tmp_path)


def test_the_classifier_trained_on_the_subsets_training_split():
    from gan_helpers.toolkit.reference_classifier import TRAINED_ON

    assert TRAINED_ON.tag == "subset/train/4000"
    assert gh.load_mnist(source="subset", split="train", verbose=False).record.tag == TRAINED_ON.tag


@pytest.mark.skipif(not MODEL_PATH.exists(), reason="the asset has not been built yet")
def test_the_shipped_classifier_is_small_accurate_and_documented():
    assert MODEL_PATH.stat().st_size < 700_000
    card = model_card()
    assert card["held_out_accuracy"] >= 0.98
    model = load_reference_classifier()
    images, labels = gh.load_mnist(source="subset", split="test", verbose=False)  # the 1,000 held out
    probabilities = model.predict(images, verbose=0)
    accuracy = float((probabilities.argmax(axis=1) == labels).mean())
    assert accuracy == pytest.approx(card["held_out_accuracy"], abs=0.002)
    assert accuracy >= 0.98
    assert metrics.classifier_score(probabilities).score >= 9.5
    assert metrics.class_coverage(probabilities).classes_covered == 10


def test_a_file_from_another_keras_version_still_loads_its_weights(tmp_path, monkeypatch):
    import keras

    model = build_classifier(seed=3)
    path = tmp_path / "clf.keras"
    model.save(path)

    def refuse(*args, **kwargs):
        raise TypeError("HeNormal.__init__() got an unexpected keyword argument 'input_axes'")

    monkeypatch.setattr(keras.saving, "load_model", refuse)
    loaded = load_reference_classifier(path)
    for a, b in zip(model.get_weights(), loaded.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)
    broken = tmp_path / "broken.keras"
    broken.write_bytes(b"not a zip")
    with pytest.raises(ValueError, match="rebuild it with"):
        load_reference_classifier(broken)
