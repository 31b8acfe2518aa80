"""The trainer on one device and on two replicas, in a process of its own, for tests/test_distributed.py.

TensorFlow's logical devices can only be configured before TensorFlow starts, so this runs as a script:
it splits the CPU into two logical devices, then for each case builds the same small GAN twice from the
same seeds, trains it for a few steps with ``fit`` on the same batches, once with no strategy (one
device) and once under ``tf.distribute.MirroredStrategy`` over the two CPUs (each replica gets half of
every global batch), and writes, as JSON, the largest weight difference and both loss histories::

    python tests/distributed_job.py OUT.json [CASE ...]

Cases (all by default): ``logits`` (the default simultaneous update with gradient norms, instance noise
switched on after building, the ``tf.cond`` path, and a last batch the replicas split 3 / 2),
``alternating`` (with instance noise), ``wgan_gp`` (critic, gradient penalty, 3 critic updates per step),
``conditional`` (labels, random-shift augmentation). Two deliberately broken variants show
that the comparison can fail: ``broken_unscaled`` (each replica's loss not scaled by its share of the
batch, so the summed gradients are twice too large) and ``broken_streams`` (each replica draws from its
own random stream, as a generator made in a strategy's scope does by default).
"""

from __future__ import annotations

import json
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ["KERAS_BACKEND"] = "tensorflow"

import tensorflow as tf

_CPU = tf.config.list_physical_devices("CPU")[0]
tf.config.set_logical_device_configuration(_CPU, [tf.config.LogicalDeviceConfiguration()] * 2)

import keras  # noqa: E402
import numpy as np  # noqa: E402

from gan_helpers import augment, training  # noqa: E402

LATENT = 4
STEPS = 5  # global batches per run
# "logits" also raises the instance noise after building (the tf.cond path) and ends on an uneven batch (3/2)
CASES = ("logits", "alternating", "wgan_gp", "conditional")
BROKEN = ("broken_unscaled", "broken_streams")


def _dense_models(d_activation: str | None) -> tuple[keras.Model, keras.Model]:
    generator = keras.Sequential(
        [
            keras.Input((LATENT,)),
            keras.layers.Dense(16, activation="relu"),
            keras.layers.Dense(6, activation="tanh"),
        ]
    )
    discriminator = keras.Sequential(
        [
            keras.Input((6,)),
            keras.layers.Dense(16, activation="relu"),
            keras.layers.Dense(1, activation=d_activation),
        ]
    )
    return generator, discriminator


def _conditional_models() -> tuple[keras.Model, keras.Model]:
    z, label = keras.Input((LATENT,)), keras.Input((), dtype="int32")
    h = keras.layers.Concatenate()([z, keras.layers.Flatten()(keras.layers.Embedding(3, 2)(label))])
    image = keras.layers.Reshape((4, 4, 1))(keras.layers.Dense(16, activation="tanh")(h))
    generator = keras.Model([z, label], image)
    x, d_label = keras.Input((4, 4, 1)), keras.Input((), dtype="int32")
    h = keras.layers.Concatenate()(
        [keras.layers.Flatten()(x), keras.layers.Flatten()(keras.layers.Embedding(3, 2)(d_label))]
    )
    discriminator = keras.Model(
        [x, d_label], keras.layers.Dense(1)(keras.layers.Dense(8, activation="relu")(h))
    )
    return generator, discriminator


def _build(case: str) -> training.GAN:
    keras.utils.set_random_seed(0)
    if case == "conditional":
        generator, discriminator = _conditional_models()
        gan = training.GAN(
            generator, discriminator, d_output="logits", num_classes=3, augment=augment.RandomShift(1), seed=3
        )
    elif case == "wgan_gp":
        generator, discriminator = _dense_models(None)
        gan = training.GAN(
            generator, discriminator, d_output="critic", gradient_penalty=10.0, d_steps=3, seed=3
        )
    elif case == "alternating":
        generator, discriminator = _dense_models(None)
        gan = training.GAN(
            generator, discriminator, d_output="logits", update="alternating", instance_noise=0.1, seed=3
        )
    else:
        generator, discriminator = _dense_models(None)
        gan = training.GAN(generator, discriminator, d_output="logits", seed=3, track_gradients=True)
    if case == "logits":  # noise switched on after building: the step's tf.cond must take the noisy branch
        gan.instance_noise.assign(0.2)
    if case in ("alternating", "wgan_gp", "conditional"):  # the course's optimizer
        gan.compile(keras.optimizers.Adam(1e-2), keras.optimizers.Adam(1e-2))
    else:  # plain SGD: Adam would hide a gradient scaled by a constant factor (it divides by its size)
        gan.compile(keras.optimizers.SGD(0.1), keras.optimizers.SGD(0.1))
    return gan


def _dataset(case: str) -> tf.data.Dataset:
    rng = np.random.default_rng(0)
    if case == "conditional":
        images = np.tanh(rng.normal(size=(8 * STEPS, 4, 4, 1))).astype("float32")
        labels = rng.integers(0, 3, size=8 * STEPS).astype("int32")
        return tf.data.Dataset.from_tensor_slices((images, labels)).batch(8)
    n = 8 * (STEPS - 1) + 5 if case == "logits" else 8 * STEPS  # "logits": a last batch of 5, split 3/2
    return tf.data.Dataset.from_tensor_slices(rng.normal(size=(n, 6)).astype("float32")).batch(8)


def _train(
    case: str, strategy: tf.distribute.Strategy | None
) -> tuple[list[np.ndarray], dict[str, list[float]]]:
    if strategy is None:
        gan = _build(case)
    else:
        with strategy.scope():
            gan = _build(case)
    history = gan.fit(_dataset(case), epochs=1, verbose=0).history
    weights = [w.numpy() for w in gan.generator.weights + gan.discriminator.weights]
    return weights, {name: [float(v) for v in values] for name, values in history.items()}


def _break(case: str) -> str:
    """Apply a broken variant's fault to the trainer; return the case it breaks."""
    if case == "broken_unscaled":
        training._ReplicaStep.scaled = lambda self, gradients: gradients
    elif case == "broken_streams":

        class OwnStreams(training.ReplicaDraws):
            def normal(self, shape, mean=0.0, stddev=1.0, dtype=tf.float32):  # type: ignore[override]
                return self.rng.normal(shape, mean, stddev, dtype=dtype)

        training.ReplicaDraws = OwnStreams
    return "logits"


def main(out: str, cases: list[str]) -> None:
    strategy = tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])
    results = {}
    for case in cases:
        original_scaled, original_draws = training._ReplicaStep.scaled, training.ReplicaDraws
        base = _break(case) if case in BROKEN else case
        one_weights, one_history = _train(base, None)
        two_weights, two_history = _train(base, strategy)
        training._ReplicaStep.scaled, training.ReplicaDraws = original_scaled, original_draws
        results[case] = {
            "replicas": strategy.num_replicas_in_sync,
            "max_weight_difference": max(
                float(np.max(np.abs(a - b))) for a, b in zip(one_weights, two_weights, strict=True)
            ),
            "max_weight_change": max(
                float(np.max(np.abs(a - b))) for a, b in zip(one_weights, _initial_weights(base), strict=True)
            ),
            "one_device": one_history,
            "two_replicas": two_history,
        }
    with open(out, "w") as f:
        json.dump(results, f, indent=1)


def _initial_weights(case: str) -> list[np.ndarray]:
    gan = _build(case)
    return [w.numpy() for w in gan.generator.weights + gan.discriminator.weights]


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:] or list(CASES + BROKEN))
