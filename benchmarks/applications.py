"""Chapter 11's measurements: inpainting by latent search and image-to-image translation.

    python benchmarks/applications.py                  # notebook 06's saved DCGAN, else a stand-in
    python benchmarks/applications.py --dcgan artifacts/dcgan/generator.keras --per-class 10

Inpainting: PER_CLASS held-out digits of each class (the test split of the MNIST the generator trained
on, per its training_data.json; the offline subset's 1,000 test digits for a stand-in) are damaged by
each mask kind (top, bottom or left half missing, 75 % of the pixels missing at random, a 12x12 centre
square) and repaired four ways: left as they are (missing pixels black), the nearest training digit on the
known pixels, the latent search on the DCGAN (Adam, RESTARTS codes per digit, STEPS steps, shell prior)
and the blend (known pixels kept, the rest from G(z)). One line per mask kind:

    inpainting mask=…: agreement damaged=… nearest=… search=… blend=… | missing-pixel rmse nearest=… …

agreement: the share the reference classifier reads as the digit's true label; rmse: root mean squared
error on the missing pixels only (pixels in [-1, 1]). Then the time the search took.

Translation: notebook 11's super-resolution (7x7 thumbnails, block means, enlarged back to 28x28 -> the
original digit). The same U-Net translator is trained for TRANSLATION_STEPS batches of 32 on the generator's
training split with the L1 loss alone, and with L1 (weight --l1-weight, and each extra weight given) plus a
conditional patch discriminator's adversarial term; each is scored on the test split:

    translation NAME: l1=… sharpness=… (targets …) accuracy=… confidence=… seconds=…

sharpness: mean gradient magnitude (the real digits' beside it); accuracy / confidence: the reference
classifier's share of outputs read as the true digit / mean probability of the true digit.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

import gan_helpers as gh
from gan_helpers.toolkit.evaluation import Judge

DCGAN_PATH = Path(__file__).resolve().parents[1] / "artifacts" / "dcgan" / "generator.keras"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--dcgan", type=Path, default=DCGAN_PATH, help="a saved DCGAN generator (.keras)")
    parser.add_argument("--dcgan-steps", type=int, default=2_000, help="stand-in steps if --dcgan is missing")
    parser.add_argument("--per-class", type=int, default=10, help="held-out digits of each class to damage")
    parser.add_argument("--restarts", type=int, default=4)
    parser.add_argument("--steps", type=int, default=150, help="Adam steps of the latent search")
    parser.add_argument("--translation-steps", type=int, default=1_000)
    parser.add_argument("--l1-weight", type=float, default=10.0, help="L1 weight beside the adversarial term")
    parser.add_argument("--extra-l1-weights", type=float, nargs="*", default=[100.0], help="more runs")
    parser.add_argument(
        "--test-digits", type=int, default=1_000, help="test digits the translators are scored on"
    )
    parser.add_argument("--skip", choices=("inpainting", "translation"), nargs="*", default=[])
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()

    gh.setup(seed=args.seed, verbose=False)
    judge = Judge()

    def classify(images: np.ndarray) -> np.ndarray:
        return judge.probabilities((images + 1) / 2)

    record = None
    try:
        generator = gh.checkpoints.load_model(args.dcgan)
        record = gh.checkpoints.load_training_record(args.dcgan)
        origin = f"{args.dcgan.name} (trained on {record.describe()})"
    except (FileNotFoundError, ValueError):
        generator = None
    source = record.source if record is not None else "subset"
    train = gh.load_mnist(source=source, split="train", scale=(-1, 1), verbose=False)
    test = gh.load_mnist(source=source, split="test", scale=(-1, 1), verbose=False)

    if "inpainting" not in args.skip:
        if generator is None:
            gan, seconds = gh.recipes.train_dcgan((train.images + 1) / 2, args.dcgan_steps, seed=args.seed)
            generator = gan.generator
            origin = f"a {args.dcgan_steps:,}-step stand-in DCGAN trained here in {seconds:.0f} s"
        chosen = gh.inpainting.balanced_indices(test.labels, args.per_class, seed=args.seed)
        study = gh.inpainting.inpainting_study(
            generator,
            test.images[chosen],
            test.labels[chosen],
            train.images,
            classify,
            restarts=args.restarts,
            steps=args.steps,
            seed=args.seed,
        )
        print(
            f"inpainting: {len(chosen)} held-out digits x {len(study.kinds)} masks, generator {origin}, "
            f"{args.restarts} restarts x {args.steps} steps; undamaged digits read right: "
            f"{study.original_agreement:.3f}",
            flush=True,
        )
        short = {"damaged as is": "damaged", "nearest training digit": "nearest", "latent search": "search"}
        for kind in study.kinds:
            agreement = " ".join(f"{short.get(m, m)}={v:.3f}" for m, v in study.agreement[kind].items())
            errors = " ".join(
                f"{short.get(m, m)}={v:.3f}"
                for m, v in study.missing_error[kind].items()
                if m != "damaged as is"
            )
            print(f"inpainting mask={kind}: agreement {agreement} | missing-pixel rmse {errors}", flush=True)
        print(f"inpainting search: {study.seconds:.0f} s", flush=True)

    if "translation" not in args.skip:
        count = min(args.test_digits, len(test.images))
        targets, labels = test.images[:count], test.labels[:count]
        inputs = gh.translation.degrade(targets)
        print(gh.translation.score_translations(inputs, targets, labels, classify).line("translation input"))
        runs = [("L1", False, args.l1_weight)] + [
            (f"L1x{w:g} + GAN", True, w) for w in [args.l1_weight, *args.extra_l1_weights]
        ]
        for name, adversarial, weight in runs:
            translator, seconds = gh.translation.train_translator(
                train.images, args.translation_steps, adversarial, seed=args.seed, l1_weight=weight
            )
            outputs = gh.translation.translate(translator, inputs)
            scores = gh.translation.score_translations(outputs, targets, labels, classify)
            print(f"{scores.line(f'translation {name}')} seconds={seconds:.0f}", flush=True)


if __name__ == "__main__":
    main()
