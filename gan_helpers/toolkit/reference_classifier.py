"""The course's reference MNIST classifier (groundwork for chapter 07's metrics): a small CNN, trained
by a script anyone can rerun (``python -m gan_helpers.assets``), shipped in ``gan_helpers/assets/``.

Its penultimate layer (``"features"``) gives the feature space for the Fréchet distance; its softmax
gives class probabilities for the classifier score and class coverage. It takes images ``(N, 28, 28, 1)``
with pixels in [0, 1].
"""

from __future__ import annotations

import json
from pathlib import Path

import keras
from keras import layers

from .data import HELD_OUT_PER_CLASS, SUBSET_SPLIT_SEED, TrainingData, held_out_split

__all__ = [
    "CARD_PATH",
    "FEATURES",
    "MODEL_PATH",
    "TRAINED_ON",
    "build_classifier",
    "held_out_split",
    "load_reference_classifier",
    "model_card",
]

ASSET_DIR = Path(__file__).resolve().parent.parent / "assets"
MODEL_PATH = ASSET_DIR / "mnist_classifier.keras"
CARD_PATH = ASSET_DIR / "mnist_classifier.json"
FEATURES = "features"
#: What the shipped classifier learned from: the offline subset's training split (``gh.load_mnist(
#: source="subset", split="train")``, the 4,000 digits outside ``held_out_split(labels, 100, seed=0)``).
TRAINED_ON = TrainingData("subset", "train", 5000 - 10 * HELD_OUT_PER_CLASS, (0, 1), seed=SUBSET_SPLIT_SEED)


def build_classifier(seed: int = 0) -> keras.Model:
    """The reference CNN: three blocks of two 3x3 convolutions (32, 48, 64 filters; batch norm, ReLU;
    max pooling after the first two), global average pooling, a 64-unit ``features`` layer and a 10-way
    softmax. Input ``(batch, 28, 28, 1)`` in [0, 1]; output ``(batch, 10)``. About 115,000 parameters."""
    init = keras.initializers.HeNormal(seed=seed)

    def conv(filters: int) -> layers.Layer:
        return layers.Conv2D(filters, 3, padding="same", use_bias=False, kernel_initializer=init)

    inputs = keras.Input(shape=(28, 28, 1), name="digits")
    x = inputs
    for filters in (32, 48, 64):
        for _ in range(2):
            x = conv(filters)(x)
            x = layers.BatchNormalization()(x)
            x = layers.ReLU()(x)
        if filters != 64:
            x = layers.MaxPooling2D()(x)
    x = layers.GlobalAveragePooling2D()(x)
    features = layers.Dense(64, activation="relu", name=FEATURES, kernel_initializer=init)(x)
    x = layers.Dropout(0.3, seed=seed)(features)
    outputs = layers.Dense(10, activation="softmax", name="probabilities")(x)
    return keras.Model(inputs, outputs, name="mnist_reference_classifier")


def load_reference_classifier(path: str | Path = MODEL_PATH) -> keras.Model:
    """Load the shipped classifier with Keras's ``safe_mode`` (no arbitrary code from the file).

    A ``.keras`` file written by a newer Keras can fail to load in an older one (Colab's Keras may be
    older than the one that built the asset); then the architecture is rebuilt from
    :func:`build_classifier` and only the weights are read from the file, which is just as safe.
    Raises ``FileNotFoundError`` with the command that rebuilds the file when it is missing, and
    ``ValueError`` when neither way can read it.
    """
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(
            f"the reference classifier is missing ({path}); rebuild it with: python -m gan_helpers.assets"
        )
    if path.is_dir():
        raise IsADirectoryError(f"{path} is a folder; give the classifier's .keras file inside it")
    try:
        return keras.saving.load_model(path, safe_mode=True, compile=False)
    except Exception as first:  # e.g. config keys from a newer Keras
        model = build_classifier()
        try:
            model.load_weights(path)
        except Exception as second:
            raise ValueError(
                f"cannot read the reference classifier {path} ({type(first).__name__}: {str(first)[:200]}; "
                f"weights only: {type(second).__name__}: {str(second)[:200]}); rebuild it with: "
                "python -m gan_helpers.assets"
            ) from second
        return model


def model_card(path: str | Path = CARD_PATH) -> dict[str, object]:
    """What the shipped classifier was trained on and how accurate it is on held-out digits."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing; rebuild it with: python -m gan_helpers.assets")
    return json.loads(path.read_text(encoding="utf-8"))
