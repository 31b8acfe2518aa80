"""Quality of the course's generators, judged by the reference MNIST classifier.

    python benchmarks/quality.py                      # train all five at their notebooks' full-mode budgets
    python benchmarks/quality.py --mlp artifacts/mlp_gan/generator.keras \
                                 --dcgan artifacts/dcgan/generator.keras

Trains notebook 04's MLP GAN (40,000 steps, Adam 2e-4 / beta_1 0.5, batch 128, sigmoid discriminator, XLA),
the same run with notebook 07's two changes (a logits discriminator, and real and generated digits moved by up
to 3 pixels before it sees them; same layers, same steps), notebook 06's DCGAN (width 32, 4,000 steps,
logits discriminator) and notebook 08's two conditional DCGANs (one-hot generator; a discriminator that gets
the label as 10 extra input planes, "concat", 1,500 steps, or by projection, 2,250 steps) on the training
split of the offline MNIST subset (4,000 digits; --source keras: full MNIST's 60,000), unless saved
generators are given (their training_data.json, written by
gh.checkpoints.save_models(..., trained_on=...), says what they trained on), then prints one line per model
and one for real held-out digits:

    name: score=… fd=… floor=… classes=… kl=… samples=… seconds=… trained_on=… compared_with=…

score: classifier score (10 is the ceiling); fd: Fréchet distance in the classifier's features to 500
real digits the generator never trained on (the subset's 1,000 test digits for a subset-trained generator,
full MNIST's 10,000 test digits for a keras-trained one); floor: the same distance between two disjoint
sets of 500 of those real digits; classes: classes with at least half of a fair share; kl: KL divergence of
the class histogram from uniform; seconds: training time; trained_on: source/split/count of the generator's
training digits; compared_with: source/split/count of the real digits it was compared with. Every model is
judged on 500 samples generated from fixed noise; a conditional generator is asked for each digit 50 times
and its line adds agreement (the share of samples the classifier reads as the requested digit) and
worst_agreement (that share for the digit it draws worst). A saved generator without a record is not judged.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import keras
import numpy as np

import gan_helpers as gh
from gan_helpers.toolkit.evaluation import Judge, benchmark_samples
from gan_helpers.toolkit.recipes import train_conditional_gan, train_dcgan, train_mlp_gan

MLP_STEPS, DCGAN_STEPS = 40_000, 4_000  # notebooks 04 and 06 (and 07's augmented MLP), full mode
# notebook 08, full mode: the projection conditional GAN, and the concat one (stopped earlier)
CGAN_PROJECTION_STEPS, CGAN_CONCAT_STEPS = 2_250, 1_500
SHIFT_PIXELS = 3  # notebook 07's augmentation


def train_mlp(images01: np.ndarray, steps: int, seed: int) -> tuple[keras.Model, float]:
    gan, seconds = train_mlp_gan(images01, steps, seed)
    return gan.generator, seconds


def train_mlp_augmented(images01: np.ndarray, steps: int, seed: int) -> tuple[keras.Model, float]:
    gan, seconds = train_mlp_gan(images01, steps, seed, augment_pixels=SHIFT_PIXELS, d_output="logits")
    return gan.generator, seconds


def train_conv(images01: np.ndarray, steps: int, seed: int) -> tuple[keras.Model, float]:
    gan, seconds = train_dcgan(images01, steps, seed)
    return gan.generator, seconds


def train_conditional(conditioning: str) -> object:
    def train(training: gh.data.MNIST, steps: int, seed: int) -> tuple[keras.Model, float]:
        gan, seconds = train_conditional_gan(training, steps, conditioning, seed)
        return gan.generator, seconds

    return train


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--mlp", type=Path, help="a saved MLP generator (.keras) instead of training one")
    parser.add_argument(
        "--mlp-augmented", type=Path, help="a saved augmented MLP generator (.keras) instead of training one"
    )
    parser.add_argument("--dcgan", type=Path, help="a saved DCGAN generator (.keras) instead of training one")
    parser.add_argument("--cgan-concat", type=Path, help="a saved concat conditional generator (.keras)")
    parser.add_argument("--cgan-projection", type=Path, help="a saved projection conditional G (.keras)")
    parser.add_argument(
        "--only", nargs="+", metavar="NAME", help="judge only these models (e.g. --only cgan_projection)"
    )
    parser.add_argument("--mlp-steps", type=int, default=MLP_STEPS)
    parser.add_argument("--dcgan-steps", type=int, default=DCGAN_STEPS)
    parser.add_argument("--cgan-projection-steps", type=int, default=CGAN_PROJECTION_STEPS)
    parser.add_argument("--cgan-concat-steps", type=int, default=CGAN_CONCAT_STEPS)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument(
        "--source",
        default="subset",
        choices=("subset", "keras"),
        help="the MNIST the trained models learn from (its training split); keras needs the download",
    )
    args = parser.parse_args()

    gh.setup(seed=args.seed, verbose=False)
    training = gh.load_mnist(source=args.source, split="train", scale=(0, 1), verbose=False)
    judge = Judge(trained_on=training.record.with_seed(args.seed))
    print(judge.judge_real().line(), flush=True)
    skipped = 0
    for name, path, train, steps, tanh in (
        ("mlp_gan", args.mlp, train_mlp, args.mlp_steps, False),
        ("mlp_gan_augmented", args.mlp_augmented, train_mlp_augmented, args.mlp_steps, False),
        ("dcgan", args.dcgan, train_conv, args.dcgan_steps, True),
        ("cgan_concat", args.cgan_concat, train_conditional("concat"), args.cgan_concat_steps, True),
        (
            "cgan_projection",
            args.cgan_projection,
            train_conditional("projection"),
            args.cgan_projection_steps,
            True,
        ),
    ):
        if args.only and name not in args.only:
            continue
        if path is not None:
            try:
                trained_on = gh.checkpoints.load_training_record(path)
            except FileNotFoundError as why:
                print(f"{name}: not judged: {why}", flush=True)
                skipped += 1
                continue
            generator, seconds = gh.checkpoints.load_model(path), 0.0
        else:
            trained_on = training.record.with_seed(args.seed)
            data = training if name.startswith("cgan") else training.images
            generator, seconds = train(data, steps, args.seed)
        images, labels = benchmark_samples(generator, scale=(-1.0, 1.0) if tanh else (0.0, 1.0))
        report = judge.judge(name, images, seconds, trained_on=trained_on, labels=labels)
        print(report.line(), flush=True)
    if skipped:
        sys.exit(1)


if __name__ == "__main__":
    main()
