"""Training speed of the course's DCGAN on this machine (CPU, one GPU, several GPUs).

    python benchmarks/dcgan_speed.py [--width 32] [--batch 128] [--steps 200] [--budget-steps 4000]
        [--mixed-precision auto|on|off] [--mirrored]

Times one `gh.training.GAN` training step of notebook 06's DCGAN (logits discriminator, Adam 2e-4 /
beta_1 0.5) through `fit`, with and without XLA, best of `--repeats` runs of `--steps` steps after a warm-up.
Prints steps/s and images/s (real + fake images through the discriminator) for each, then the time the
fastest mode needs for `--budget-steps` steps (the notebook's full-mode budget).

For a GPU: `--width` (notebook 06's BASE_FILTERS; 32 is sized for a laptop CPU, 64-128 suit a GPU) and
`--batch` (the global batch) set the model and the batch; `--mixed-precision` chooses float16 arithmetic
(`auto`: on when TensorFlow sees a GPU; `gh.use_mixed_precision`); `--mirrored` trains under
`tf.distribute.MirroredStrategy` over every GPU TensorFlow sees, each taking its share of the batch.
"""

from __future__ import annotations

import argparse
import contextlib
import time

import gan_helpers as gh
from gan_helpers.toolkit.models import build_dcgan_discriminator, build_dcgan_generator
from gan_helpers.toolkit.training import GAN

MIXED = {"auto": "auto", "on": True, "off": False}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--width", "--base-filters", type=int, default=32, help="DCGAN width, BASE_FILTERS (default 32)"
    )
    parser.add_argument("--batch", type=int, default=128, help="global batch size (default 128)")
    parser.add_argument("--steps", type=int, default=200, help="timed steps per run")
    parser.add_argument("--repeats", type=int, default=3, help="timed runs per mode; the best counts")
    parser.add_argument("--budget-steps", type=int, default=4000, help="steps of a full-mode training run")
    parser.add_argument(
        "--mixed-precision", choices=sorted(MIXED), default="auto", help="float16 arithmetic (auto: on a GPU)"
    )
    parser.add_argument(
        "--mirrored", action="store_true", help="train under MirroredStrategy over every visible GPU"
    )
    args = parser.parse_args()
    for name in ("width", "batch", "steps", "repeats", "budget_steps"):
        if getattr(args, name) < 1:
            parser.error(f"--{name.replace('_', '-')} must be a positive whole number")

    import tensorflow as tf

    gh.setup(seed=0)
    policy = gh.use_mixed_precision(MIXED[args.mixed_precision])
    strategy = tf.distribute.MirroredStrategy() if args.mirrored else None
    images, _ = gh.load_mnist(source="subset", scale=(-1, 1), verbose=False)
    dataset = gh.make_dataset(images, batch_size=args.batch, seed=0).repeat()
    g, d = build_dcgan_generator(base_filters=args.width), build_dcgan_discriminator(args.width)
    replicas = strategy.num_replicas_in_sync if strategy is not None else 1
    print(
        f"DCGAN width {args.width}: generator {g.count_params():,} and discriminator {d.count_params():,} "
        f"parameters; batch {args.batch}; {policy}; {replicas} replica(s); "
        f"{args.steps} steps x best of {args.repeats}"
    )
    rates = {}
    for jit in (False, True):
        with strategy.scope() if strategy is not None else contextlib.nullcontext():
            gan = GAN(
                build_dcgan_generator(base_filters=args.width),
                build_dcgan_discriminator(args.width),
                d_output="logits",
                seed=0,
            )
            gan.compile(jit_compile=jit, steps_per_execution=10)
        gan.fit(dataset, epochs=1, steps_per_epoch=20, verbose=0)  # trace / compile
        best = float("inf")
        for _ in range(args.repeats):
            start = time.perf_counter()
            gan.fit(dataset, epochs=1, steps_per_epoch=args.steps, verbose=0)
            best = min(best, time.perf_counter() - start)
        name = "trainer+XLA" if jit else "trainer"
        rates[name] = args.steps / best
        print(f"{name:<12} {rates[name]:>7.1f} steps/s  {rates[name] * 2 * args.batch:>8,.0f} images/s")
    fastest = max(rates, key=rates.__getitem__)
    print(
        f"time for {args.budget_steps:,} steps ({fastest}): {args.budget_steps / rates[fastest] / 60:.1f} min"
    )
    gh.use_mixed_precision(False)


if __name__ == "__main__":
    main()
