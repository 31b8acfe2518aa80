"""The training steps the notebooks write by hand make the same update as ``gh.training.GAN``.

Each test takes the notebook's own code cells from the notebook file (found by what they define, not by
position), runs them in a fresh namespace with small settings and stub data, and compares ONE step with
the trainer's step from the same weights, the same real batch and the same noise z (the notebooks draw z
with ``tf.random.normal``, which is replaced here by a function handing out the trainer's draws).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import keras
import numpy as np
import pytest
import tensorflow as tf

import gan_helpers as gh
from gan_helpers.toolkit.training import GAN
from tests.reference_steps import copy_of

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


def code_cell(notebook: str, *needles: str) -> str:
    """The source of the one code cell of ``notebook`` that contains every one of ``needles``."""
    cells = json.loads((NOTEBOOKS / notebook).read_text(encoding="utf-8"))["cells"]
    found = [
        "".join(cell["source"])
        for cell in cells
        if cell["cell_type"] == "code" and all(needle in "".join(cell["source"]) for needle in needles)
    ]
    assert len(found) == 1, f"expected one code cell of {notebook} with {needles}, found {len(found)}"
    return found[0]


def run_cells(namespace: dict, *sources: str) -> dict:
    for source in sources:
        exec(compile(source, "<notebook cell>", "exec"), namespace)
    return namespace


def hand_out(monkeypatch: pytest.MonkeyPatch, *tensors: tf.Tensor) -> list[int]:
    """Make ``tf.random.normal`` return ``tensors``, in order and then again from the first: a
    ``tf.function`` whose first call creates variables (Adam's slots) is traced twice. Returns a list
    holding the number of calls."""
    calls = [0]

    def normal(shape, *args, **kwargs):
        value = tensors[calls[0] % len(tensors)]
        calls[0] += 1
        return value

    monkeypatch.setattr(tf.random, "normal", normal)
    return calls


def assert_same_weights(a: keras.Model, b: keras.Model) -> None:
    for x, y in zip(a.get_weights(), b.get_weights(), strict=True):
        np.testing.assert_allclose(x, y, rtol=1e-5, atol=1e-6)


def trainer_like(
    generator: keras.Model, discriminator: keras.Model, d_output: str, make_optimizers: Callable, **options
) -> GAN:
    gan = GAN(copy_of(generator), copy_of(discriminator), d_output=d_output, seed=7, **options)
    d_optimizer, g_optimizer = make_optimizers()
    gan.compile(d_optimizer=d_optimizer, g_optimizer=g_optimizer)
    return gan


def test_notebook_04_two_tape_step_matches_the_trainer(monkeypatch):
    batch = 16
    ns = run_cells(
        {"gh": gh, "np": np, "LATENT_DIM": 8, "LEARNING_RATE": 2e-4, "BETA_1": 0.5},
        code_cell("04_first_gan_mnist.ipynb", "def build_generator", "def build_discriminator"),
        code_cell("04_first_gan_mnist.ipynb", "def train_step"),
    )
    generator, discriminator = ns["generator"], ns["discriminator"]
    gan = trainer_like(
        generator,
        discriminator,
        "probability",
        lambda: (keras.optimizers.Adam(2e-4, beta_1=0.5), keras.optimizers.Adam(2e-4, beta_1=0.5)),
    )
    real = np.random.default_rng(0).random((batch, 28, 28, 1)).astype("float32")
    z = gan.clone_rng().normal((batch, 8))
    calls = hand_out(monkeypatch, z)
    d_loss, g_loss, d_real, d_fake = ns["train_step"](tf.constant(real))
    assert calls[0] in (1, 2)  # one draw per trace
    logs = gan.train_on_batch(real, return_dict=True)
    assert_same_weights(discriminator, gan.discriminator)
    assert_same_weights(generator, gan.generator)
    for ours, theirs in [(d_loss, "d_loss"), (g_loss, "g_loss"), (d_real, "d_real"), (d_fake, "d_fake")]:
        np.testing.assert_allclose(float(ours), logs[theirs], rtol=1e-5)


def test_notebook_01_one_dimensional_step_matches_the_trainer(monkeypatch):
    batch = 32
    settings = {"BATCH_SIZE": batch, "DATA_MEAN": 4.0, "DATA_STD": 0.75, "LR_G": 5e-3, "LR_D": 2e-3}
    ns = run_cells(
        {"gh": gh, "np": np, **settings},
        code_cell("01_what_is_a_gan.ipynb", 'name="generator"', 'name="discriminator"'),
        code_cell("01_what_is_a_gan.ipynb", "def train_step"),
    )
    generator, discriminator = ns["generator"], ns["discriminator"]
    gan = trainer_like(
        generator,
        discriminator,
        "logits",
        lambda: (keras.optimizers.Adam(2e-3, beta_1=0.5), keras.optimizers.Adam(5e-3, beta_1=0.5)),
    )
    real = tf.constant(np.random.default_rng(0).normal(4.0, 0.75, (batch, 1)).astype("float32"))
    z = gan.clone_rng().normal((batch, 1))
    calls = hand_out(monkeypatch, real, z)  # the notebook draws its real batch first, then z
    d_loss, g_loss, d_real, d_fake = ns["train_step"]()
    assert calls[0] in (2, 4)  # two draws per trace
    logs = gan.train_on_batch(real.numpy(), return_dict=True)
    assert_same_weights(discriminator, gan.discriminator)
    assert_same_weights(generator, gan.generator)
    for ours, theirs in [(d_loss, "d_loss"), (g_loss, "g_loss"), (d_real, "d_real"), (d_fake, "d_fake")]:
        np.testing.assert_allclose(float(ours), logs[theirs], rtol=1e-5)


def test_notebook_04_train_on_batch_recipe_matches_the_alternating_trainer():
    """The chapter's recipe (cell: D.train_on_batch, then gan.train_on_batch with D frozen) is the
    alternating order. Two differences are accounted for: D's Keras loss is the mean BCE over the
    concatenated real + fake batch, L_D / 2 (Adam's first step is lr g / (|g| + eps), so the halved
    gradient equals the trainer's with eps doubled); and the recipe makes its fakes with ``G.predict``
    before D's step (the same values: no dropout or batch norm). Only the first of the cell's two steps
    is compared: the cell reuses the same fake batch x_d on its second step, made by an older G."""
    batch, latent = 16, 8
    ns: dict = {"gh": gh, "np": np, "LATENT_DIM": latent}
    run_cells(ns, code_cell("04_first_gan_mnist.ipynb", "def build_generator", "def build_discriminator"))
    keras.utils.set_random_seed(3)
    g_start, d_start = ns["build_generator"](), ns["build_discriminator"]()
    gan = trainer_like(
        g_start,
        d_start,
        "probability",
        lambda: (keras.optimizers.Adam(epsilon=2e-7), keras.optimizers.Adam()),  # compile(optimizer="adam")
        update="alternating",
    )
    real = np.random.default_rng(0).random((batch, 28, 28, 1)).astype("float32")
    noise = gan.clone_rng().normal((batch, latent)).numpy()
    g_recipe, d_recipe = copy_of(g_start), copy_of(d_start)
    ns.update(
        build_generator=lambda: g_recipe,
        build_discriminator=lambda: d_recipe,
        BATCH_SIZE=batch,
        noise=noise,
        x_d=np.concatenate([real, g_recipe.predict(noise, verbose=0)]),
        y_d=np.concatenate([np.ones((batch, 1)), np.zeros((batch, 1))]),
        snapshot=lambda m: [w.copy() for w in m.get_weights()],
        changed=lambda before, m: any(
            not np.array_equal(a, b) for a, b in zip(before, m.get_weights(), strict=True)
        ),
    )
    recipe = code_cell("04_first_gan_mnist.ipynb", "for step in range(2)", "D.trainable = True")
    run_cells(ns, recipe.replace("for step in range(2)", "for step in range(1)"))
    gan.train_on_batch(real)
    for x, y in zip(d_recipe.get_weights(), gan.discriminator.get_weights(), strict=True):
        np.testing.assert_allclose(x, y, rtol=1e-4, atol=1e-6)
    for x, y in zip(g_recipe.get_weights(), gan.generator.get_weights(), strict=True):
        np.testing.assert_allclose(x, y, rtol=1e-4, atol=1e-6)
