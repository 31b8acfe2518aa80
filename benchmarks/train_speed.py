"""Training speed of the chapter's MLP GAN, four ways, on the same data and batch size.

    python benchmarks/train_speed.py [--steps 1500] [--repeats 3]

1. classic:    the chapter's Keras-2 recipe (D.train_on_batch on real and fake, then the stacked
               model's train_on_batch), with the `trainable` toggling that makes it correct on Keras 3;
2. tf.function: a plain two-tape step under tf.function, called from a Python loop (notebook 04);
3. trainer:     gan_helpers' GAN trainer through fit (steps_per_execution=50);
4. trainer+XLA: the same with jit_compile=True.

Each way is warmed up (tracing, compilation), then timed `--repeats` times over `--steps` steps; the best
time counts (the least disturbed by other work on the machine). Prints steps/s and images/s (real + fake
images through D per second) per way, then `speedup_vs_classic: X.XX` for the trainer's best mode and its
ratio to the plain tf.function step.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable, Iterator

import numpy as np

import gan_helpers as gh
from gan_helpers.toolkit.models import build_chapter_discriminator, build_chapter_generator
from gan_helpers.toolkit.training import GAN

BATCH = 128
LATENT_DIM = 100


def best_time(run: Callable[[int], None], steps: int, repeats: int) -> float:
    """Seconds for ``steps`` steps: the best of ``repeats`` timed runs."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run(steps)
        times.append(time.perf_counter() - start)
    return min(times)


def classic(dataset_iter: Iterator[np.ndarray]) -> Callable[[int], None]:
    import keras

    g, d = build_chapter_generator(), build_chapter_discriminator()
    d.compile(optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5), loss="binary_crossentropy")
    z_in = keras.Input(shape=(LATENT_DIM,))
    stacked = keras.Model(z_in, d(g(z_in)))
    d.trainable = False
    stacked.compile(optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5), loss="binary_crossentropy")
    ones, zeros = np.ones((BATCH, 1), "float32"), np.zeros((BATCH, 1), "float32")

    def run(steps: int) -> None:
        for _ in range(steps):
            real = next(dataset_iter)
            fake = g.predict_on_batch(np.random.normal(size=(BATCH, LATENT_DIM)).astype("float32"))
            d.trainable = True  # Keras 3 reads `trainable` when each train function is first built
            d.train_on_batch(real, ones)
            d.train_on_batch(fake, zeros)
            d.trainable = False
            stacked.train_on_batch(np.random.normal(size=(BATCH, LATENT_DIM)).astype("float32"), ones)

    return run


def plain_step(dataset_iter: Iterator[object]) -> Callable[[int], None]:
    import keras
    import tensorflow as tf

    g, d = build_chapter_generator(), build_chapter_discriminator()
    g_opt, d_opt = keras.optimizers.Adam(2e-4, beta_1=0.5), keras.optimizers.Adam(2e-4, beta_1=0.5)

    @tf.function
    def step(real: tf.Tensor) -> None:
        z = tf.random.normal((BATCH, LATENT_DIM))
        with tf.GradientTape() as d_tape, tf.GradientTape() as g_tape:
            d_real = d(real, training=True)
            d_fake = d(g(z, training=True), training=True)
            d_loss = gh.losses.discriminator_loss(d_real, d_fake)
            g_loss = gh.losses.generator_loss(d_fake)
        d_opt.apply_gradients(
            zip(d_tape.gradient(d_loss, d.trainable_weights), d.trainable_weights, strict=True)
        )
        g_opt.apply_gradients(
            zip(g_tape.gradient(g_loss, g.trainable_weights), g.trainable_weights, strict=True)
        )

    def run(steps: int) -> None:
        for _ in range(steps):
            step(next(dataset_iter))

    return run


def trainer(dataset: object, jit: bool) -> Callable[[int], None]:
    gan = GAN(build_chapter_generator(), build_chapter_discriminator(), seed=0)
    gan.compile(jit_compile=jit, steps_per_execution=50)

    def run(steps: int) -> None:
        gan.fit(dataset, epochs=1, steps_per_epoch=steps, verbose=0)

    return run


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--steps", type=int, default=1500, help="timed steps per run (default 1500)")
    parser.add_argument("--repeats", type=int, default=3, help="timed runs per way; the best counts")
    args = parser.parse_args()

    gh.setup(seed=0)
    images, _ = gh.load_mnist(source="subset", scale=(0, 1), verbose=False)
    dataset = gh.make_dataset(images, batch_size=BATCH, seed=0).repeat()
    numpy_batches = dataset.as_numpy_iterator()
    tensor_batches = iter(dataset)
    print(f"data: {len(images):,} MNIST digits, batch {BATCH}; {args.steps} steps x best of {args.repeats}")

    ways = {
        "classic": (classic(numpy_batches), 50),
        "tf.function": (plain_step(tensor_batches), 100),
        "trainer": (trainer(dataset, jit=False), 100),
        "trainer+XLA": (trainer(dataset, jit=True), 100),
    }
    rates: dict[str, float] = {}
    for name, (run, warmup) in ways.items():
        run(warmup)
        seconds = best_time(run, args.steps, args.repeats)
        rates[name] = args.steps / seconds
        print(f"{name:<12} {rates[name]:>7.1f} steps/s  {rates[name] * 2 * BATCH:>9,.0f} images/s")
    best = max(("trainer", "trainer+XLA"), key=rates.__getitem__)
    print(f"trainer_best_mode: {best}")
    print(f"trainer_vs_tf_function: {rates[best] / rates['tf.function']:.2f}")
    print(f"speedup_vs_classic: {rates[best] / rates['classic']:.2f}")


if __name__ == "__main__":
    main()
