"""Training speed of the course's DCGAN on this machine.

    python benchmarks/dcgan_speed.py [--base-filters 32] [--steps 200] [--budget-steps 4000]

Times one `gh.training.GAN` training step of the DCGAN (batch 128, logits discriminator, Adam 2e-4 /
beta_1 0.5) through `fit`, with and without XLA, best of `--repeats` runs of `--steps` steps after a warm-up.
Prints steps/s and images/s (real + fake images through the discriminator) for each, then the time the
fastest mode needs for `--budget-steps` steps (the notebook's full-mode budget).
"""

from __future__ import annotations

import argparse
import time

import gan_helpers as gh
from gan_helpers.toolkit.models import build_dcgan_discriminator, build_dcgan_generator
from gan_helpers.toolkit.training import GAN

BATCH = 128


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--base-filters", type=int, default=32, help="DCGAN width (default 32, CPU-sized)")
    parser.add_argument("--steps", type=int, default=200, help="timed steps per run")
    parser.add_argument("--repeats", type=int, default=3, help="timed runs per mode; the best counts")
    parser.add_argument("--budget-steps", type=int, default=4000, help="steps of a full-mode training run")
    args = parser.parse_args()

    gh.setup(seed=0)
    images, _ = gh.load_mnist(source="subset", scale=(-1, 1), verbose=False)
    dataset = gh.make_dataset(images, batch_size=BATCH, seed=0).repeat()
    g, d = build_dcgan_generator(base_filters=args.base_filters), build_dcgan_discriminator(args.base_filters)
    print(
        f"DCGAN base_filters={args.base_filters}: generator {g.count_params():,} and discriminator "
        f"{d.count_params():,} parameters; batch {BATCH}; {args.steps} steps x best of {args.repeats}"
    )
    rates = {}
    for jit in (False, True):
        gan = GAN(
            build_dcgan_generator(base_filters=args.base_filters),
            build_dcgan_discriminator(args.base_filters),
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
        print(f"{name:<12} {rates[name]:>7.1f} steps/s  {rates[name] * 2 * BATCH:>8,.0f} images/s")
    fastest = max(rates, key=rates.__getitem__)
    print(
        f"time for {args.budget_steps:,} steps ({fastest}): {args.budget_steps / rates[fastest] / 60:.1f} min"
    )


if __name__ == "__main__":
    main()
