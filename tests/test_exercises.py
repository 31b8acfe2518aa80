"""The exercises checked by id (no answer visible in a notebook), the chapter-model check and the
two-tape training-step check of notebook 04."""

from __future__ import annotations

import json
import re
from pathlib import Path
from types import SimpleNamespace

import keras
import numpy as np
import pytest
import tensorflow as tf

import gan_helpers as gh
from gan_helpers import losses
from gan_helpers.teaching import exercises
from gan_helpers.teaching.exercises import EXERCISES, check, exercise_problem

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


def verdict(capsys) -> str:
    return capsys.readouterr().out.strip()


# --- the id-based exercises: right, wrong, None and wrong-type answers ----------------------------------

RIGHT_NUMBERS = {
    "01.2": 2 / 3,
    "04.3": 102_544,
    "05.1": 1.04**50,
    "06.1": 16,
    "06.2": 819_200,
    "07.1": 1.8899,
    "07.3": 10.0,
    "08.1": 21_632,
}
# a wrong answer, and a word of the message it must get (a named mistake or a direction)
WRONG_NUMBERS = {
    "01.2": (0.5, "p_data = p_g"),
    "04.3": (114_064, "latent_dim=100"),
    "05.1": (1.04**100, "sqrt(1 + η²)"),
    "06.1": (14, "padding='same'"),
    "06.2": (819_328, "no bias"),
    "07.1": (0.6365, "take its exp"),
    "07.3": (18.0, "product of standard deviations"),
    "08.1": (20_832, "the image itself is a channel"),
}
CHOICES = {
    "04.4": ("saturating", "non_saturating"),
    "07.2": ("nearest neighbours", "score"),
    "08.3": ("FD", "agreement"),
}


@pytest.mark.parametrize("exercise_id", sorted(RIGHT_NUMBERS))
def test_number_exercises_accept_the_right_answer_and_explain_it(capsys, exercise_id):
    answer = RIGHT_NUMBERS[exercise_id]
    assert exercise_problem(exercise_id, answer) is None
    check(exercise_id, answer)
    out = verdict(capsys)
    assert out.startswith("✅") and "is right." in out
    assert len(out) > 40  # the explanation follows


@pytest.mark.parametrize("exercise_id", sorted(WRONG_NUMBERS))
def test_number_exercises_name_a_known_mistake_without_the_answer(capsys, exercise_id):
    answer, words = WRONG_NUMBERS[exercise_id]
    problem = exercise_problem(exercise_id, answer)
    assert words in problem
    check(exercise_id, answer)
    out = verdict(capsys)
    assert out.startswith("❌")
    right = RIGHT_NUMBERS[exercise_id]
    assert f"{right:,.6g}" not in out and f"{right:.4g}" not in out


@pytest.mark.parametrize("exercise_id", sorted(RIGHT_NUMBERS))
def test_number_exercises_give_a_direction_and_a_hint_for_other_wrong_answers(exercise_id):
    right = RIGHT_NUMBERS[exercise_id]
    high, low = exercise_problem(exercise_id, right * 3 + 7), exercise_problem(exercise_id, -right - 5)
    assert "too high" in high and "Hint:" in high
    assert "too low" in low and "Hint:" in low
    assert f"{right:,.6g}" not in high + low


@pytest.mark.parametrize("exercise_id", sorted(RIGHT_NUMBERS))
@pytest.mark.parametrize(
    ("answer", "words"),
    [
        (None, "not answered yet"),
        ("16", "remove the quotes"),
        ([1, 2], "expected a number, got list"),
        (np.array([1.0, 2.0]), "one number"),
        (float("nan"), "finite"),
        (True, "expected a number, got bool"),
    ],
)
def test_number_exercises_explain_unanswered_and_wrong_type_answers(capsys, exercise_id, answer, words):
    assert words in exercise_problem(exercise_id, answer)
    check(exercise_id, answer)
    assert verdict(capsys).startswith("❌")


def test_number_exercises_accept_numpy_scalars_and_equivalent_forms():
    assert exercise_problem("06.1", np.int64(16)) is None
    assert exercise_problem("06.1", 16.0) is None
    assert exercise_problem("01.2", np.float32(2 / 3)) is None
    assert "whole number" in exercise_problem("06.1", 15.5)


@pytest.mark.parametrize("exercise_id", sorted(CHOICES))
def test_choice_exercises(capsys, exercise_id):
    right, wrong = CHOICES[exercise_id]
    assert exercise_problem(exercise_id, right) is None
    assert "is not it" in exercise_problem(exercise_id, wrong)
    assert right not in exercise_problem(exercise_id, wrong).split("is not it")[1]
    assert "not answered yet" in exercise_problem(exercise_id, None)
    assert "a string" in exercise_problem(exercise_id, 3)
    assert "is not one of" in exercise_problem(exercise_id, "something else")
    miscased = right.upper() if right.upper() != right else right.lower()
    assert "did you mean" in exercise_problem(exercise_id, miscased)
    check(exercise_id, right)
    check(exercise_id, wrong)
    lines = verdict(capsys).splitlines()
    assert lines[0].startswith("✅") and "is right" in lines[0]
    assert lines[1].startswith("❌")


@pytest.mark.parametrize(("count", "expected"), [(5_000, 78), (60_000, 937), (64, 1)])
def test_batches_per_epoch_is_computed_from_the_learners_images(capsys, count, expected):
    images = np.zeros((count, 1), np.float32)
    assert exercise_problem("03.2", expected, images=images) is None
    check("03.2", expected, images=images)
    assert verdict(capsys).startswith("✅")
    if count % 64:
        assert "round down" in exercise_problem("03.2", count / 64, images=images)
    assert "not answered yet" in exercise_problem("03.2", None, images=images)
    assert "expected a number" in exercise_problem("03.2", "78", images=images)
    assert "too" in exercise_problem("03.2", expected + 2, images=images)


def test_batches_per_epoch_names_the_dropped_batch_and_needs_the_images():
    images = np.zeros((5_000, 1))
    assert "which is dropped" in exercise_problem("03.2", 79, images=images)
    assert "number of images" in exercise_problem("03.2", 5_000, images=images)
    with pytest.raises(TypeError, match="images=images"):
        exercise_problem("03.2", 78)


def _runs(**top_shares):
    runs = {}
    for name, share in top_shares.items():
        shares = np.full(10, (1 - share) / 9)
        shares[3] = share
        runs[name] = SimpleNamespace(class_shares=shares)
    return runs


def test_most_collapsed_run_is_computed_from_the_learners_runs(capsys):
    runs = _runs(**{"notebook 04's recipe": 0.2, "D 10x faster": 0.96, "G 10x faster": 0.3})
    assert exercise_problem("05.3", "D 10x faster", runs=runs) is None
    check("05.3", "D 10x faster", runs=runs)
    out = verdict(capsys)
    assert out.startswith("✅") and "96%" in out and "discriminator that learns much faster" in out
    assert "one tall bar" in exercise_problem("05.3", "G 10x faster", runs=runs)
    # another machine, another outcome: the check follows the runs it is given
    other = _runs(**{"notebook 04's recipe": 0.2, "D 10x faster": 0.4, "G 10x faster": 0.7})
    assert exercise_problem("05.3", "G 10x faster", runs=other) is None
    assert "is not it" in exercise_problem("05.3", "D 10x faster", runs=other)
    assert "not answered yet" in exercise_problem("05.3", None, runs=runs)
    assert "is not one of" in exercise_problem("05.3", "D 100x faster", runs=runs)
    with pytest.raises(TypeError, match="runs=runs"):
        exercise_problem("05.3", "D 10x faster")


def test_checked_exercises_route_to_their_checks():
    scaled = np.linspace(-1, 1, 2 * 784, dtype=np.float32).reshape(2, 28, 28, 1)
    for exercise_id in ("00.1", "03.1"):
        assert exercise_problem(exercise_id, scaled) is None
        assert "not answered yet" in exercise_problem(exercise_id, None)
        assert exercise_problem(exercise_id, (scaled + 1) / 2) is not None
        assert exercise_problem(exercise_id, "images") is not None
    assert exercise_problem("01.1", 4.0, 0.75) is None
    assert "not answered yet" in exercise_problem("01.1", None, None)
    assert "must be a number" in exercise_problem("01.1", "4", 0.75)
    assert "peak" in exercise_problem("01.1", 0.0, 0.75)
    assert exercise_problem("02.1", losses.discriminator_loss) is None
    assert "not answered yet" in exercise_problem("02.1", None)
    assert "returned None" in exercise_problem("02.1", lambda r, f: None)
    assert "expected a function" in exercise_problem("02.1", 3)
    assert exercise_problem("02.2", losses.generator_loss_from_logits) is None
    assert "not answered yet" in exercise_problem("02.2", None)
    assert "sign is flipped" in exercise_problem("02.2", lambda x: -np.mean(np.logaddexp(0.0, -x)))
    assert "train a run first" in exercise_problem("05.2", None)
    assert "expected the result" in exercise_problem("05.2", "run")
    assert "not answered yet" in exercise_problem("04.1", None, None)
    assert (
        exercise_problem("04.1", gh.models.build_chapter_generator(), gh.models.build_chapter_discriminator())
        is None
    )
    assert "not answered yet" in exercise_problem("04.2", None)
    assert exercise_problem("04.2", right_step) is None


def test_check_prints_a_verdict_with_the_explanation_only_when_right(capsys):
    check("00.1", np.linspace(-1, 1, 2 * 784, dtype=np.float32).reshape(2, 28, 28, 1))
    check("01.1", 4.0, 0.75)
    check("01.1", None, None)
    lines = verdict(capsys).splitlines()
    assert lines[0] == "✅ 2 images of shape (28, 28, 1), pixels in [-1, 1]."
    assert lines[1].startswith("✅ p_g = p_data")
    assert lines[2].startswith("❌ not answered yet")


def test_unknown_exercise_ids_are_refused_with_the_list():
    with pytest.raises(ValueError, match=r"no exercise '04\.9'.*04\.3"):
        check("04.9", 1)


def test_every_exercise_cell_in_the_notebooks_names_a_known_exercise_and_no_answer():
    """Each notebook's exercise checks go through an id, and never pass expected=/why=."""
    seen = set()
    for path in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            source = "".join(cell["source"])
            if cell["cell_type"] != "code":
                continue
            assert not re.search(r"gh\.check_(number|choice)\(|expected=|why=", source), (path.name, source)
            for exercise_id in re.findall(r"gh\.exercises\.check\(\s*\"(\d\d\.\d)\"", source):
                assert exercise_id in EXERCISES, (path.name, exercise_id)
                assert exercise_id.startswith(path.name[:2]), (path.name, exercise_id)
                seen.add(exercise_id)
            if "check_chapter_models(" in source:
                seen.add("04.1")
            if "check_train_step(" in source:
                seen.add("04.2")
    assert seen == set(EXERCISES), f"exercises no notebook checks: {set(EXERCISES) - seen}"


# --- notebook 04: the chapter's models -----------------------------------------------------------------


def test_chapter_models_check_accepts_the_chapters_models(capsys):
    generator, discriminator = gh.models.build_chapter_generator(), gh.models.build_chapter_discriminator()
    assert exercises.chapter_models_problem(generator, discriminator) is None
    exercises.check_chapter_models(generator, discriminator)
    assert verdict(capsys).startswith("✅")


def _dense_model(input_shape, units_and_activations, reshape=None):
    layers = [keras.Input(shape=input_shape)]
    if len(input_shape) > 1:
        layers.append(keras.layers.Flatten())
    layers += [keras.layers.Dense(u, activation=a) for u, a in units_and_activations]
    if reshape:
        layers.append(keras.layers.Reshape(reshape))
    return keras.Sequential(layers)


@pytest.mark.parametrize(
    ("generator", "discriminator", "words"),
    [
        (None, None, "not answered yet"),
        ("G", None, "G: expected a Keras model, got str"),
        (
            lambda: _dense_model((10,), [(128, "relu"), (784, "sigmoid")], (28, 28, 1)),
            None,
            "G: its input has shape (10,), expected (100,)",
        ),
        (
            lambda: _dense_model((100,), [(64, "relu"), (784, "sigmoid")], (28, 28, 1)),
            None,
            "G: Dense layer 1 has 64 units",
        ),
        (
            lambda: _dense_model((100,), [(128, "relu"), (784, "tanh")], (28, 28, 1)),
            None,
            "G: Dense layer 2 uses activation 'tanh'",
        ),
        (
            lambda: _dense_model((100,), [(128, "relu"), (784, "sigmoid")]),
            None,
            "G: its output has shape (784,)",
        ),
        (
            gh.models.build_chapter_generator,
            lambda: _dense_model((28, 28, 1), [(128, "relu"), (1, None)]),
            "D: Dense layer 2 uses activation 'linear'",
        ),
        (
            gh.models.build_chapter_generator,
            lambda: _dense_model((28, 28, 1), [(128, "relu"), (64, "relu"), (1, "sigmoid")]),
            "D: it has 3 Dense layers",
        ),
    ],
)
def test_chapter_models_check_says_what_differs(generator, discriminator, words):
    g = generator() if callable(generator) else generator
    d = discriminator() if callable(discriminator) else discriminator
    assert words in exercises.chapter_models_problem(g, d)


# --- notebook 04: the two-tape training step -----------------------------------------------------------


def right_step(real_images, z, generator, discriminator, d_optimizer, g_optimizer):
    with tf.GradientTape() as d_tape, tf.GradientTape() as g_tape:
        fake_images = generator(z, training=True)
        d_real = discriminator(real_images, training=True)
        d_fake = discriminator(fake_images, training=True)
        d_loss = losses.discriminator_loss(d_real, d_fake)
        g_loss = losses.generator_loss(d_fake)
    d_grads = d_tape.gradient(d_loss, discriminator.trainable_weights)
    g_grads = g_tape.gradient(g_loss, generator.trainable_weights)
    d_optimizer.apply_gradients(zip(d_grads, discriminator.trainable_weights, strict=False))
    g_optimizer.apply_gradients(zip(g_grads, generator.trainable_weights, strict=False))
    return d_loss, g_loss


def make_step(
    d_loss_fn=losses.discriminator_loss,
    g_loss_fn=losses.generator_loss,
    d_from="d",
    g_from="g",
    update_d=True,
    update_g=True,
    returns=lambda d_loss, g_loss: (d_loss, g_loss),
    fresh_noise=False,
):
    """A step with one deliberate mistake: the loss each network is updated with (``d_from``/``g_from``),
    the loss functions, which networks are updated, what it returns, or new noise instead of ``z``."""

    def step(real_images, z, generator, discriminator, d_optimizer, g_optimizer):
        if fresh_noise:
            z = tf.random.normal(z.shape)
        with tf.GradientTape(persistent=True) as tape:
            d_real = discriminator(real_images, training=True)
            d_fake = discriminator(generator(z, training=True), training=True)
            d_loss = d_loss_fn(d_real, d_fake)
            g_loss = g_loss_fn(d_fake)
        by_name = {"d": d_loss, "g": g_loss}
        if update_d:
            grads = tape.gradient(by_name[d_from], discriminator.trainable_weights)
            d_optimizer.apply_gradients(zip(grads, discriminator.trainable_weights, strict=False))
        if update_g:
            grads = tape.gradient(by_name[g_from], generator.trainable_weights)
            g_optimizer.apply_gradients(zip(grads, generator.trainable_weights, strict=False))
        return returns(d_loss, g_loss)

    return step


def alternating_step(real_images, z, generator, discriminator, d_optimizer, g_optimizer):
    with tf.GradientTape() as tape:
        d_loss = losses.discriminator_loss(
            discriminator(real_images, training=True),
            discriminator(generator(z, training=True), training=True),
        )
    d_optimizer.apply_gradients(
        zip(
            tape.gradient(d_loss, discriminator.trainable_weights),
            discriminator.trainable_weights,
            strict=False,
        )
    )
    with tf.GradientTape() as tape:
        g_loss = losses.generator_loss(discriminator(generator(z, training=True), training=True))
    g_optimizer.apply_gradients(
        zip(tape.gradient(g_loss, generator.trainable_weights), generator.trainable_weights, strict=False)
    )
    return d_loss, g_loss


def bce_step(real_images, z, generator, discriminator, d_optimizer, g_optimizer):
    """Right, written with Keras's BCE instead of gh.losses, and compiled with tf.function."""
    bce = keras.losses.BinaryCrossentropy()
    with tf.GradientTape() as d_tape, tf.GradientTape() as g_tape:
        d_real = discriminator(real_images, training=True)
        d_fake = discriminator(generator(z, training=True), training=True)
        d_loss = bce(tf.ones_like(d_real), d_real) + bce(tf.zeros_like(d_fake), d_fake)
        g_loss = bce(tf.ones_like(d_fake), d_fake)
    d_optimizer.apply_gradients(
        zip(
            d_tape.gradient(d_loss, discriminator.trainable_weights),
            discriminator.trainable_weights,
            strict=False,
        )
    )
    g_optimizer.apply_gradients(
        zip(g_tape.gradient(g_loss, generator.trainable_weights), generator.trainable_weights, strict=False)
    )
    return d_loss, g_loss


def unanswered_step(real_images, z, generator, discriminator, d_optimizer, g_optimizer):
    return None  # the notebook's stub


def one_tape_step(real_images, z, generator, discriminator, d_optimizer, g_optimizer):
    with tf.GradientTape() as tape:
        d_fake = discriminator(generator(z, training=True), training=True)
        d_loss = losses.discriminator_loss(discriminator(real_images, training=True), d_fake)
        g_loss = losses.generator_loss(d_fake)
    tape.gradient(d_loss, discriminator.trainable_weights)
    tape.gradient(g_loss, generator.trainable_weights)
    return d_loss, g_loss


@pytest.mark.parametrize("step", [right_step, alternating_step, tf.function(bce_step)])
def test_train_step_check_accepts_a_right_step(capsys, step):
    assert exercises.train_step_problem(step) is None
    exercises.check_train_step(step)
    assert verdict(capsys).startswith("✅ your step moves D by -η∇L_D and G by -η∇L_G")


def swapped_labels(d_real, d_fake):
    return losses.discriminator_loss(d_fake, d_real)


def real_term_only(d_real, d_fake):
    return -tf.reduce_mean(tf.math.log(d_real))


def summed(d_real, d_fake):
    return losses.discriminator_loss(d_real, d_fake) * tf.cast(tf.shape(d_real)[0], tf.float32)


@pytest.mark.parametrize(
    ("step", "message"),
    [
        (unanswered_step, "not answered yet"),
        ("my_train_step", "expected a function, got str"),
        (make_step(g_from="d"), "your step changed G's weights with L_D"),
        (make_step(d_from="g"), "your step changed D's weights with L_G"),
        (make_step(update_d=False), "D was not updated"),
        (make_step(update_g=False), "G was not updated"),
        (
            make_step(d_loss_fn=swapped_labels),
            "D's update does not match L_D: check the labels (real → 1, fake → 0)",
        ),
        (make_step(d_loss_fn=real_term_only), "D's update uses only the real term of L_D"),
        (make_step(d_loss_fn=lambda r, f: -losses.discriminator_loss(r, f)), "D's update has the wrong sign"),
        (
            make_step(g_loss_fn=lambda f: -losses.generator_loss(f)),
            "G's update has the wrong sign: G must make D call its fakes real",
        ),
        (make_step(g_loss_fn=losses.generator_loss_saturating), "saturating loss"),
        (make_step(d_loss_fn=summed), "points the right way but is 8 times one SGD step on L_D"),
        (make_step(fresh_noise=True), "use the real_images and z your function is given"),
        (make_step(returns=lambda d, g: None), "returns None: end it with `return d_loss, g_loss`"),
        (
            make_step(returns=lambda d, g: (d, g, 0.5, 0.5)),
            "must return two numbers, (d_loss, g_loss), got 4 values",
        ),
        (make_step(returns=lambda d, g: d), "must return two numbers, (d_loss, g_loss), got a"),
        (make_step(returns=lambda d, g: (g, d)), "you return (g_loss, d_loss)"),
        (make_step(returns=lambda d, g: (d, tf.zeros(3))), "g_loss you return must be one number"),
        (make_step(returns=lambda d, g: (d * 2, g)), "but on this batch L_D ="),
        (one_tape_step, "non-persistent"),
        (lambda *args: 1 / 0, "your step raised ZeroDivisionError: division by zero"),
        (lambda real_images, z: None, "your step raised TypeError"),
    ],
)
def test_train_step_check_names_each_mistake(capsys, step, message):
    problem = exercises.train_step_problem(step)
    assert problem is not None and message in problem, problem
    exercises.check_train_step(step)
    assert verdict(capsys).startswith("❌")


def test_train_step_check_leaves_no_trace_between_calls():
    """The reference is computed once; a broken step cannot change it for the next check."""

    def vandal(real_images, z, generator, discriminator, d_optimizer, g_optimizer):
        real_images[...] = 0
        z[...] = 0
        return right_step(real_images, z, generator, discriminator, d_optimizer, g_optimizer)

    exercises.train_step_problem(vandal)
    assert exercises.train_step_problem(right_step) is None


def _solution_code(notebook: str, marker: str) -> str:
    """The Python block of the collapsed solution in ``notebook`` that contains ``marker``."""
    cells = json.loads((NOTEBOOKS / notebook).read_text(encoding="utf-8"))["cells"]
    blocks = [
        block
        for cell in cells
        if cell["cell_type"] == "markdown" and "<details>" in "".join(cell["source"])
        for block in re.findall(r"```python\n(.*?)```", "".join(cell["source"]), re.DOTALL)
        if marker in block
    ]
    assert len(blocks) == 1, (notebook, marker)
    return blocks[0]


def test_notebook_04_solutions_pass_their_checks():
    from keras import Input, Sequential
    from keras.layers import Dense, Flatten, Reshape
    from tensorflow import GradientTape

    namespace = {
        "gh": gh,
        "Input": Input,
        "Sequential": Sequential,
        "Dense": Dense,
        "Flatten": Flatten,
        "Reshape": Reshape,
        "GradientTape": GradientTape,
    }
    exec(_solution_code("04_first_gan_mnist.ipynb", "my_generator = Sequential("), namespace)
    assert exercises.chapter_models_problem(namespace["my_generator"], namespace["my_discriminator"]) is None
    exec(_solution_code("04_first_gan_mnist.ipynb", "def my_train_step("), namespace)
    assert exercises.train_step_problem(namespace["my_train_step"]) is None
