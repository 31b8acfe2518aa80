"""Rebuild the reference MNIST classifier shipped in this folder:

    python -m gan_helpers.assets [--epochs 40] [--seed 0] [--source subset]

Trains :func:`gan_helpers.reference_classifier.build_classifier` on the MNIST digits that are *not* held
out (100 per class are held out, chosen with ``--seed``), with small random shifts, rotations and zooms,
then prints its accuracy on the held-out digits and writes ``mnist_classifier.keras`` (weights only in
the sense that no optimizer state is kept) and ``mnist_classifier.json`` (the model card: data, split,
accuracy, versions). The files are replaced only after training succeeds.
"""

from __future__ import annotations

import argparse
import json
import time

import keras
import numpy as np
import tensorflow as tf

import gan_helpers as gh
from gan_helpers.toolkit.checkpoints import save_model
from gan_helpers.toolkit.reference_classifier import CARD_PATH, MODEL_PATH, build_classifier, held_out_split

BATCH = 64
HELD_OUT_PER_CLASS = 100


def augmenter(seed: int) -> keras.Sequential:
    """Random small rotations (±15°), shifts (±10 %) and zooms (±10 %) of training digits."""
    return keras.Sequential(
        [
            keras.layers.RandomRotation(0.04, fill_mode="constant", seed=seed),
            keras.layers.RandomTranslation(0.1, 0.1, fill_mode="constant", seed=seed + 1),
            keras.layers.RandomZoom(0.1, fill_mode="constant", seed=seed + 2),
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--epochs", type=int, default=40)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--source", default="subset", choices=gh.MNIST_SOURCES, help="which MNIST to use")
    args = parser.parse_args()

    gh.setup(seed=args.seed)
    # split="all": every digit in the source's own order, so held_out_split picks the same held-out digits
    # as always (the subset's test split, gh.load_mnist(split="test"), is exactly those digits).
    images, labels = gh.load_mnist(source=args.source, scale=(0, 1), split="all")
    train, held_out = held_out_split(labels, HELD_OUT_PER_CLASS, seed=args.seed)
    augment = augmenter(args.seed)
    dataset = (
        tf.data.Dataset.from_tensor_slices((images[train], labels[train]))
        .shuffle(len(train), seed=args.seed)
        .batch(BATCH)
        .map(lambda x, y: (augment(x, training=True), y), num_parallel_calls=tf.data.AUTOTUNE)
        .prefetch(tf.data.AUTOTUNE)
    )
    model = build_classifier(seed=args.seed)
    steps = args.epochs * int(np.ceil(len(train) / BATCH))
    model.compile(
        keras.optimizers.Adam(keras.optimizers.schedules.CosineDecay(2e-3, steps)),
        "sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    start = time.perf_counter()
    model.fit(dataset, epochs=args.epochs, verbose=2)
    seconds = time.perf_counter() - start

    predictions = model.predict(images[held_out], verbose=0).argmax(axis=1)
    accuracy = float((predictions == labels[held_out]).mean())
    print(f"held-out accuracy: {accuracy:.2%} on {len(held_out):,} digits the classifier never trained on")

    clean = build_classifier(seed=args.seed)  # same architecture, no optimizer state in the file
    clean.set_weights(model.get_weights())
    save_model(clean, MODEL_PATH)
    card = {
        "model": MODEL_PATH.name,
        "architecture": "gan_helpers.reference_classifier.build_classifier",
        "parameters": clean.count_params(),
        "input": "(N, 28, 28, 1) float32, pixels in [0, 1]",
        "data": f"MNIST, source={args.source!r} ({len(images):,} digits)",
        "held_out": f"{HELD_OUT_PER_CLASS} digits per class, held_out_split(labels, {HELD_OUT_PER_CLASS}, "
        f"seed={args.seed})",
        "trained_on": len(train),
        "held_out_accuracy": round(accuracy, 4),
        "epochs": args.epochs,
        "training_seconds": round(seconds, 1),
        "tensorflow": tf.__version__,
        "keras": keras.__version__,
        "rebuild": "python -m gan_helpers.assets",
    }
    tmp = CARD_PATH.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(card, indent=2) + "\n", encoding="utf-8")
    tmp.replace(CARD_PATH)
    print(f"wrote {MODEL_PATH.name} ({MODEL_PATH.stat().st_size / 1024:.0f} kB) and {CARD_PATH.name}")


if __name__ == "__main__":
    main()
