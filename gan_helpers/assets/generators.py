"""Rebuild the trained generators shipped for presenter mode (``GAN_COURSE_PRESENTER=1``):

    python -m gan_helpers.assets.generators                 # all five, about 22 minutes on 2 CPU cores
    python -m gan_helpers.assets.generators --only dcgan    # one of them

Each is trained by the course's own recipe (``gh.recipes``, the same settings as its notebook's full-mode
run) on the offline MNIST subset's training split, judged by the reference classifier on 500 samples from
fixed noise against held-out digits (``gh.evaluation.Judge``, as ``benchmarks/quality.py`` does), and
written to this folder as ``<name>_generator.keras`` (the generator alone, no optimizer state) with its
model card ``<name>_generator.json`` (data, steps, seed, scores, versions, the file's SHA-256). A file is
replaced only after its training and judging succeed.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import keras
import tensorflow as tf

import gan_helpers as gh
from gan_helpers.teaching.presenter import file_sha256
from gan_helpers.toolkit.checkpoints import save_model
from gan_helpers.toolkit.evaluation import Judge, benchmark_samples
from gan_helpers.toolkit.recipes import train_conditional_gan, train_dcgan, train_mlp_gan

ASSET_DIR = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Recipe:
    """How one shipped generator is made: its notebook, the recipe's steps, and the training call."""

    notebook: str
    title: str
    steps: int
    recipe: str
    train: Callable[[gh.data.MNIST, int, int], gh.training.GAN]
    output_scale: tuple[float, float]


RECIPES: dict[str, Recipe] = {
    "mlp_gan": Recipe(
        "04_first_gan_mnist.ipynb",
        "notebook 04's MLP GAN",
        40_000,
        "gh.recipes.train_mlp_gan",
        lambda data, steps, seed: train_mlp_gan(data, steps, seed)[0],
        (0.0, 1.0),
    ),
    "mlp_gan_augmented": Recipe(
        "07_evaluating_gans.ipynb",
        "notebook 07's MLP GAN with a logits discriminator and digits shifted by up to 3 pixels",
        40_000,
        "gh.recipes.train_mlp_gan (augment_pixels=3, d_output='logits')",
        lambda data, steps, seed: train_mlp_gan(data, steps, seed, augment_pixels=3, d_output="logits")[0],
        (0.0, 1.0),
    ),
    "dcgan": Recipe(
        "06_dcgan.ipynb",
        "notebook 06's DCGAN of width 32",
        4_000,
        "gh.recipes.train_dcgan",
        lambda data, steps, seed: train_dcgan(data, steps, seed)[0],
        (-1.0, 1.0),
    ),
    "conditional_gan": Recipe(
        "08_conditional_gan.ipynb",
        "notebook 08's conditional DCGAN with the projection discriminator",
        2_250,
        "gh.recipes.train_conditional_gan (conditioning='projection')",
        lambda data, steps, seed: train_conditional_gan(data, steps, "projection", seed)[0],
        (-1.0, 1.0),
    ),
    "conditional_gan_concat": Recipe(
        "08_conditional_gan.ipynb",
        "notebook 08's conditional DCGAN with the concat discriminator",
        1_500,
        "gh.recipes.train_conditional_gan (conditioning='concat')",
        lambda data, steps, seed: train_conditional_gan(data, steps, "concat", seed)[0],
        (-1.0, 1.0),
    ),
}


def judge_generator(
    generator: keras.Model, judge: Judge, record: gh.data.TrainingData, output_scale: tuple[float, float]
) -> dict[str, object]:
    """Score ``generator`` on the course's benchmark samples (``gh.evaluation.benchmark_samples``: fixed
    noise from ``default_rng(1)``, as ``benchmarks/quality.py``). Returns the card's ``judged`` entry."""
    images, labels = benchmark_samples(generator, output_scale)
    report = judge.judge("shipped", images, trained_on=record, labels=labels)
    judged: dict[str, object] = {
        "samples": report.samples,
        "noise": "standard normal, numpy default_rng(1)",
        "score": round(report.score, 3),
        "fd": round(report.fd, 3),
        "fd_floor": round(report.floor, 3),
        "classes": report.classes,
        "compared_with": report.compared_with,
    }
    if report.agreement is not None:
        judged["agreement"] = round(report.agreement, 4)
        judged["worst_agreement"] = round(float(report.worst_agreement), 4)
    return judged


def build(name: str, seed: int, training: gh.data.MNIST, judge: Judge) -> dict[str, object]:
    """Train, judge and write one shipped generator and its card; returns the card."""
    recipe = RECIPES[name]
    start = time.perf_counter()
    gan = recipe.train(training, recipe.steps, seed)
    seconds = time.perf_counter() - start
    generator, record = gan.generator, gan.trained_on  # the record: these digits, this seed, the GAN's scale
    judged = judge_generator(generator, judge, record, recipe.output_scale)
    path = ASSET_DIR / f"{name}_generator.keras"
    save_model(generator, path)
    card = {
        "name": name,
        "title": recipe.title,
        "notebook": recipe.notebook,
        "model": path.name,
        "sha256": file_sha256(path),
        "parameters": generator.count_params(),
        "input": "noise (N, 100) float32, standard normal"
        + ("; labels (N,) int 0-9" if gh.models.takes_labels(generator) else ""),
        "output": "(N, 28, 28, 1) float32, pixels in [{:g}, {:g}]".format(*recipe.output_scale),
        "recipe": recipe.recipe,
        "steps": recipe.steps,
        "seed": seed,
        "trained_on": record.to_dict(),
        "trained_on_text": record.describe(),
        "training_seconds": round(seconds, 1),
        "judged": judged,
        "tensorflow": tf.__version__,
        "keras": keras.__version__,
        "rebuild": f"python -m gan_helpers.assets.generators --only {name}",
    }
    card_path = path.with_suffix(".json")
    tmp = card_path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(card, indent=2) + "\n", encoding="utf-8")
    tmp.replace(card_path)
    return card


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--only", nargs="+", choices=sorted(RECIPES), help="build only these")
    parser.add_argument("--seed", type=int, default=42, help="the notebooks' seed")
    args = parser.parse_args()

    gh.setup(seed=args.seed, verbose=False)
    training = gh.load_mnist(source="subset", split="train", scale=(0, 1), verbose=False)
    judge = Judge(trained_on=training.record.with_seed(args.seed))
    for name in args.only or list(RECIPES):
        card = build(name, args.seed, training, judge)
        judged = card["judged"]
        extra = (
            f", agreement {judged['agreement']:.1%} (worst digit {judged['worst_agreement']:.0%})"
            if "agreement" in judged
            else ""
        )
        print(
            f"{name}: {card['steps']:,} steps in {card['training_seconds']:.0f} s; "
            f"score {judged['score']:.2f}, "
            f"FD {judged['fd']:.2f}, {judged['classes']} classes{extra}; "
            f"{(ASSET_DIR / str(card['model'])).stat().st_size / 1e6:.1f} MB",
            flush=True,
        )


if __name__ == "__main__":
    main()
