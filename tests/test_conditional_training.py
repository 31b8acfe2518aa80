"""The course's trainer as a *conditional* GAN (``GAN(..., num_classes=...)``, notebook 08).

1. Reference step: one ``train_step`` with plain SGD moves D by exactly ``-lr * dL_D/dθ_D`` and G by
   ``-lr * dL_G/dθ_G``, both computed here with Keras's BCE, where D judges the real batch *with its own
   labels* (target 1) and fakes generated *for the same labels* (target 0), and G's loss uses those fakes.
   The same check run on a trainer broken on purpose (labels reversed for D, D told nothing, fakes made
   for other or random labels, the real batch judged with other labels than the fakes, the batch's labels
   reordered) must fail: this proves the reference test sees label mix-ups, not only that weights moved.
2. Learning direction: on a 1-D toy whose mean depends on the class (class 0 at -3, class 1 at +3),
   G's conditional means move to the right class means, and a trainer that makes each fake for the
   other class than D judges it as sends them the wrong way.
3. Label validation: every way to hand labels wrongly gets a ``ValueError`` that says what was expected.
4. ``GAN.generate`` with labels.
"""

from __future__ import annotations

from dataclasses import dataclass

import keras
import numpy as np
import pytest
import tensorflow as tf
from keras import layers

from gan_helpers.toolkit import models
from gan_helpers.toolkit.augment import RandomShift
from gan_helpers.toolkit.training import GAN
from tests.reference_steps import bce, copy_of

LATENT, BATCH, LR, CLASSES = 3, 6, 0.5, 3
# Every class present, not a palindrome, not sorted: reversing or rolling it changes most labels.
LABELS = np.array([0, 2, 1, 1, 0, 2], dtype="int32")


# -- tiny conditional models -------------------------------------------------------------------------
def one_hot(label: keras.KerasTensor, classes: int) -> keras.KerasTensor:
    return layers.CategoryEncoding(classes, output_mode="one_hot")(label)


def tiny_generator(classes: int = CLASSES) -> keras.Model:
    """[z (3,), label] -> Dense(16, sigmoid) of concat(z, one_hot) -> (4, 4, 1)."""
    z = keras.Input((LATENT,))
    label = keras.Input((), dtype="int32")
    x = layers.Concatenate()([z, one_hot(label, classes)])
    x = layers.Dense(16, activation="sigmoid")(x)
    return keras.Model([z, label], layers.Reshape((4, 4, 1))(x))


def tiny_discriminator(conditioning: str, logits: bool, classes: int = CLASSES) -> keras.Model:
    """[x (4, 4, 1), label] -> one score; the label enters by concat (one-hot next to the pixels) or by
    projection (score + embed(label)·h)."""
    x = keras.Input((4, 4, 1))
    label = keras.Input((), dtype="int32")
    flat = layers.Flatten()(x)
    if conditioning == "concat":
        h = layers.Dense(5, activation="tanh")(layers.Concatenate()([flat, one_hot(label, classes)]))
        score = layers.Dense(1, activation=None if logits else "sigmoid")(h)
    else:
        h = layers.Dense(5, activation="tanh")(flat)
        score = layers.Add()(
            [layers.Dense(1)(h), layers.Dot(axes=1)([layers.Embedding(classes, 5)(label), h])]
        )
        if not logits:
            score = layers.Activation("sigmoid")(score)
    return keras.Model([x, label], score)


# -- the reference step ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Case:
    conditioning: str = "concat"
    update: str = "simultaneous"
    d_output: str = "logits"
    real_label: float = 1.0
    instance_noise: float = 0.0
    shift: int = 0
    jit_compile: bool = False

    def __str__(self) -> str:
        return (
            "-".join(
                f"{k}={v}" for k, v in self.__dict__.items() if v != Case.__dataclass_fields__[k].default
            )
            or "default"
        )


CASES = [
    Case(conditioning=c, update=u) for c in ("concat", "projection") for u in ("simultaneous", "alternating")
] + [
    Case(d_output="probability"),
    Case(conditioning="projection", update="alternating", d_output="probability"),
    Case(conditioning="projection", real_label=0.9, instance_noise=0.3, shift=1),
    Case(conditioning="concat", update="alternating", real_label=0.9, instance_noise=0.3, shift=1),
    Case(conditioning="projection", update="alternating", instance_noise=0.2, jit_compile=True),
]


def sgd(weights: list[keras.Variable], grads: list[object]) -> list[np.ndarray]:
    return [
        w.numpy() - LR * tf.convert_to_tensor(g).numpy()  # an Embedding's gradient is IndexedSlices
        for w, g in zip(weights, grads, strict=True)
    ]


def reference_step(
    g: keras.Model,
    d: keras.Model,
    real: np.ndarray,
    labels: np.ndarray,
    rng: tf.random.Generator,
    case: Case,
    shift: RandomShift | None,
) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Trainable weights of (G, D) after one SGD step of a conditional GAN, from Keras's BCE on copies:
    L_D = BCE(real_label, D(real, y)) + BCE(0, D(G(z, y), y)); L_G from D(G(z, y), y); y = the batch's
    labels, the same for real images, for making the fakes and for judging them."""
    logits = case.d_output == "logits"
    g_copy, d_copy = copy_of(g), copy_of(d)
    real, y = tf.constant(real), tf.constant(labels)
    xla = (lambda fn: tf.function(fn, jit_compile=True)) if case.jit_compile else (lambda fn: fn)
    z = xla(lambda: rng.normal((len(labels), g.inputs[0].shape[1])))()

    def view(samples: tf.Tensor) -> tf.Tensor:
        def draw(s: tf.Tensor) -> tf.Tensor:
            if shift is not None:
                s = shift(s, rng)
            if case.instance_noise > 0:
                s = s + case.instance_noise * rng.normal(tf.shape(s))
            return s

        return xla(draw)(samples)

    def g_loss_of(d_fake: tf.Tensor) -> tf.Tensor:
        return bce(1.0, d_fake, logits)  # non-saturating: -E[log D(G(z, y), y)]

    with tf.GradientTape(persistent=True) as tape:
        fake = g_copy([z, y], training=True)
        d_real = d_copy([view(real), y], training=True)
        d_fake = d_copy([view(fake), y], training=True)
        l_d = bce(case.real_label, d_real, logits) + bce(0.0, d_fake, logits)
        l_g = g_loss_of(d_fake)
    d_after = sgd(d_copy.trainable_weights, tape.gradient(l_d, d_copy.trainable_weights))
    if case.update == "alternating":
        d_updated = copy_of(d)
        for w, value in zip(d_updated.trainable_weights, d_after, strict=True):
            w.assign(value)
        with tf.GradientTape() as tape:
            fake = g_copy([z, y], training=True)
            l_g = g_loss_of(d_updated([view(fake), y], training=True))
    g_after = sgd(g_copy.trainable_weights, tape.gradient(l_g, g_copy.trainable_weights))
    return g_after, d_after


def trainable(model: keras.Model) -> list[np.ndarray]:
    return [w.numpy() for w in model.trainable_weights]


def assert_weights(actual: list[np.ndarray], expected: list[np.ndarray], before: list[np.ndarray]) -> None:
    for a, e, b in zip(actual, expected, before, strict=True):
        np.testing.assert_allclose(a, e, rtol=1e-5, atol=1e-6)
        assert not np.allclose(e, b)  # the step really moved these weights


def conditional_gan(g: keras.Model, d: keras.Model, case: Case, classes: int = CLASSES) -> GAN:
    gan = GAN(
        g,
        d,
        d_output=case.d_output,
        update=case.update,
        real_label=case.real_label,
        instance_noise=case.instance_noise,
        augment=RandomShift(case.shift) if case.shift else None,
        num_classes=classes,
        seed=3,
    )
    gan.compile(
        d_optimizer=keras.optimizers.SGD(LR),
        g_optimizer=keras.optimizers.SGD(LR),
        jit_compile=case.jit_compile,
    )
    return gan


def run_step_against_reference(case: Case) -> None:
    keras.utils.set_random_seed(0)
    g, d = tiny_generator(), tiny_discriminator(case.conditioning, case.d_output == "logits")
    gan = conditional_gan(g, d, case)
    real = np.random.default_rng(1).random((BATCH, 4, 4, 1)).astype("float32")
    g_before, d_before = trainable(g), trainable(d)
    rng = gan.clone_rng()
    g_expected, d_expected = reference_step(g, d, real, LABELS, rng, case, gan.augment)

    gan.train_on_batch(real, LABELS)

    assert_weights(trainable(d), d_expected, d_before)
    assert_weights(trainable(g), g_expected, g_before)
    np.testing.assert_array_equal(gan.rng.state.numpy(), rng.state.numpy())  # the same draws, in order


@pytest.mark.parametrize("case", CASES, ids=str)
def test_one_sgd_step_equals_the_reference_with_labels_shared_by_real_and_fake(case):
    run_step_against_reference(case)


@pytest.mark.parametrize(
    ("conditioning", "update"), [("concat", "simultaneous"), ("projection", "alternating")]
)
def test_the_course_builders_step_equals_the_reference(conditioning, update):
    """The shipped builders (narrow: base_filters=2): conv layers, batch normalisation, 10 classes."""
    keras.utils.set_random_seed(0)
    g = models.build_conditional_generator(latent_dim=4, num_classes=10, base_filters=2)
    d = models.build_conditional_discriminator(conditioning, num_classes=10, base_filters=2)
    case = Case(conditioning=conditioning, update=update)
    gan = conditional_gan(g, d, case, classes=10)
    real = np.random.default_rng(1).uniform(-1, 1, (8, 28, 28, 1)).astype("float32")
    labels = np.array([3, 9, 0, 3, 7, 1, 5, 2], dtype="int32")
    g_before, d_before = trainable(g), trainable(d)
    rng = gan.clone_rng()
    g_expected, d_expected = reference_step(g, d, real, labels, rng, case, None)

    gan.train_on_batch(real, labels)

    # (a class never in the batch keeps its embedding row; the matrix as a whole moves)
    for actual, expected, before in (
        (trainable(d), d_expected, d_before),
        (trainable(g), g_expected, g_before),
    ):
        for a, e, b in zip(actual, expected, before, strict=True):
            np.testing.assert_allclose(a, e, rtol=1e-4, atol=1e-5)
            assert not np.allclose(e, b)


# -- the reference test sees label mix-ups -----------------------------------------------------------
def _reverse(labels: tf.Tensor) -> tf.Tensor:
    return tf.reverse(labels, [0])


def _other_class(labels: tf.Tensor) -> tf.Tensor:
    return (labels + 1) % CLASSES


def break_d_reversed(monkeypatch: pytest.MonkeyPatch) -> None:
    """D judges real and fake with the batch's labels in reverse order."""
    original = GAN._discriminate
    monkeypatch.setattr(GAN, "_discriminate", lambda self, s, y: original(self, s, _reverse(y)))


def break_d_told_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    """D always hears class 0 (labels dropped for D)."""
    original = GAN._discriminate
    monkeypatch.setattr(GAN, "_discriminate", lambda self, s, y: original(self, s, tf.zeros_like(y)))


def break_fakes_for_other_labels(monkeypatch: pytest.MonkeyPatch) -> None:
    """G makes each fake for another class than the one D then judges it as."""
    original = GAN._generate
    monkeypatch.setattr(
        GAN, "_generate", lambda self, z, y, training: original(self, z, _other_class(y), training)
    )


def break_fakes_for_random_labels(monkeypatch: pytest.MonkeyPatch) -> None:
    """G makes the fakes for random labels (D judges them with the real batch's labels)."""
    original = GAN._generate

    def generate(self, z, y, training):
        random = tf.random.stateless_uniform(tf.shape(y), (7, 7), 0, CLASSES, dtype="int32")
        return original(self, z, random, training)

    monkeypatch.setattr(GAN, "_generate", generate)


def break_real_judged_with_shuffled_labels(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fakes are judged with the labels they were made for, but the real batch with its labels shuffled
    (the first D call of each step is the real batch)."""
    original_step, original_d = GAN.train_step, GAN._discriminate
    calls = {"n": 0}

    def train_step(self, data):
        calls["n"] = 0
        return original_step(self, data)

    def discriminate(self, samples, labels):
        calls["n"] += 1
        return original_d(self, samples, _reverse(labels) if calls["n"] == 1 else labels)

    monkeypatch.setattr(GAN, "train_step", train_step)
    monkeypatch.setattr(GAN, "_discriminate", discriminate)


def break_batch_labels_lost(monkeypatch: pytest.MonkeyPatch) -> None:
    """The batch's labels are replaced by a sorted copy before the step uses them."""
    original = GAN._batch

    def batch(self, data):
        real, labels = original(self, data)
        return real, tf.sort(labels)

    monkeypatch.setattr(GAN, "_batch", batch)


BREAKS = [
    break_d_reversed,
    break_d_told_nothing,
    break_fakes_for_other_labels,
    break_fakes_for_random_labels,
    break_real_judged_with_shuffled_labels,
    break_batch_labels_lost,
]


@pytest.mark.parametrize("conditioning", ["concat", "projection"])
@pytest.mark.parametrize("brk", BREAKS, ids=lambda b: b.__name__.removeprefix("break_"))
def test_the_reference_step_fails_for_a_trainer_that_mixes_up_labels(monkeypatch, brk, conditioning):
    brk(monkeypatch)
    with pytest.raises(AssertionError):
        run_step_against_reference(Case(conditioning=conditioning))


# -- learning direction ------------------------------------------------------------------------------
CLASS_MEANS = np.array([-3.0, 3.0], dtype="float32")


def toy_conditional_gan(seed: int) -> GAN:
    """G(z, c) = w z + a_c + b, started at G = z for both classes; D a small MLP on [x, one_hot(c)]."""
    keras.utils.set_random_seed(seed)
    z, label = keras.Input((1,)), keras.Input((), dtype="int32")
    hot = layers.CategoryEncoding(2, output_mode="one_hot")(label)
    g_out = layers.Dense(1, name="g")(layers.Concatenate()([z, hot]))
    generator = keras.Model([z, label], g_out)
    generator.get_layer("g").set_weights([np.array([[1.0], [0.0], [0.0]], "float32"), np.zeros(1, "float32")])
    x, d_label = keras.Input((1,)), keras.Input((), dtype="int32")
    d_hot = layers.CategoryEncoding(2, output_mode="one_hot")(d_label)
    h = layers.Concatenate()([x, d_hot])
    h = layers.Dense(32, activation="leaky_relu")(h)
    h = layers.Dense(32, activation="leaky_relu")(h)
    discriminator = keras.Model([x, d_label], layers.Dense(1)(h))
    return GAN(generator, discriminator, d_output="logits", num_classes=2, seed=seed)


def class_data(seed: int, batch: int = 128) -> tf.data.Dataset:
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 2, 20 * batch).astype("int32")
    samples = (CLASS_MEANS[labels] + 0.5 * rng.standard_normal(len(labels))).astype("float32")[:, None]
    ds = tf.data.Dataset.from_tensor_slices((samples, labels))
    return ds.shuffle(len(labels), seed=seed).batch(batch, drop_remainder=True).repeat()


def conditional_means(gan: GAN) -> np.ndarray:
    z = np.random.default_rng(99).standard_normal((1000, 1)).astype("float32")
    return np.array([gan.generate(z=z, labels=c).mean() for c in (0, 1)])


def trained_means(seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    gan = toy_conditional_gan(seed)
    gan.compile(
        d_optimizer=keras.optimizers.Adam(1e-2, beta_1=0.5),
        g_optimizer=keras.optimizers.Adam(2e-2, beta_1=0.5),
        steps_per_execution=50,
    )
    before = conditional_means(gan)
    gan.fit(class_data(seed), epochs=1, steps_per_epoch=300, verbose=0)
    return before, conditional_means(gan)


def test_training_moves_each_class_of_the_generator_to_its_own_data_mean():
    before, after = trained_means()
    assert np.all(np.abs(before - CLASS_MEANS) > 2.5)  # both classes start near 0
    error = np.abs(after - CLASS_MEANS)
    assert np.all(error < 0.75), f"G's class means are {after.round(2)}, the data's {CLASS_MEANS}"


def test_a_trainer_that_makes_fakes_for_the_other_class_sends_the_classes_the_wrong_way(monkeypatch):
    """The toy tells a conditional trainer from a broken one: when each fake is made for the other class
    than the one D judges it as, G's class 0 is pushed toward +3 and class 1 toward -3. (Telling D the
    other class for real AND fake samples alike is only a renaming of the classes, and learns right.)"""
    original = GAN._generate
    monkeypatch.setattr(GAN, "_generate", lambda self, z, y, training: original(self, z, 1 - y, training))
    _, after = trained_means()
    assert after[0] > 0 > after[1], f"G's class means are {after.round(2)}"


# -- label validation --------------------------------------------------------------------------------
def small_cgan(conditioning: str = "projection") -> GAN:
    """The tiny conditional models above, for 10 classes (fast to trace)."""
    keras.utils.set_random_seed(0)
    gan = GAN(
        tiny_generator(10),
        tiny_discriminator(conditioning, logits=True, classes=10),
        d_output="logits",
        num_classes=10,
        seed=0,
    )
    gan.compile()
    return gan


@pytest.fixture
def cgan() -> GAN:
    """A fresh small conditional GAN for each test (a GAN whose step refused a batch while being traced
    cannot train again, see test_a_gan_trains_after_refusing_a_dataset)."""
    return small_cgan()


IMAGES = np.zeros((8, 4, 4, 1), "float32")
GOOD = np.arange(8, dtype="int32")


@pytest.mark.parametrize(
    ("labels", "match"),
    [
        (np.array([0, 1, 2, 3, 4, 5, 6, -1]), r"classes 0\.\.9, got values from -1"),
        (np.array([0, 1, 2, 3, 4, 5, 6, 10]), r"classes 0\.\.9, got values from 0 to 10"),
        (np.array([0, 1, 2, 3, 4, 5, 6, 2.5]), r"whole class numbers 0\.\.9"),
        (np.array([True, False] * 4), r"whole class numbers 0\.\.9, got dtype bool"),
        (
            np.eye(10, dtype="int32")[GOOD],
            r"shape \(N,\), one class number per image, got \(8, 10\); one-hot labels\? pass labels\.argmax",
        ),
    ],
    ids=["minus-one", "ten", "fractions", "bools", "one-hot"],
)
def test_bad_array_labels_are_refused_by_fit(cgan, labels, match):
    with pytest.raises(ValueError, match=match):
        cgan.fit(IMAGES, labels, batch_size=4, verbose=0)


def dataset(*parts: np.ndarray) -> tf.data.Dataset:
    return tf.data.Dataset.from_tensor_slices(parts if len(parts) > 1 else parts[0]).batch(4)


@pytest.mark.parametrize(
    ("labels", "match"),
    [
        (
            GOOD.astype("float32") + 0.5,
            r"labels must be integers \(class numbers 0\.\.9\), got dtype float32",
        ),
        (GOOD % 2 == 0, r"labels must be integers .* got dtype bool"),
        (
            np.eye(10, dtype="int32")[GOOD],
            r"shape \(batch,\).*one-hot labels\? pass labels\.argmax\(axis=1\)",
        ),
    ],
    ids=["fractions", "bools", "one-hot"],
)
def test_bad_dataset_labels_are_refused_by_the_step(cgan, labels, match):
    with pytest.raises(ValueError, match=match):
        cgan.fit(dataset(IMAGES, labels), verbose=0)


@pytest.mark.parametrize(
    ("conditioning", "bad", "match"),
    [("concat", -1, "class numbers >= 0"), ("projection", 10, "class numbers below 10")],
)
def test_out_of_range_dataset_labels_stop_the_step(conditioning, bad, match):
    """A dataset is not checked up front; the step's assertions stop it (not under XLA). The projection
    D's embedding lookup may fail first on the same labels (the assertion does not guard it), with
    TensorFlow's own message."""
    labels = GOOD.copy()
    labels[5] = bad
    if conditioning == "projection":
        match = rf"{match}|indices\[\d\] = {bad} is not in \[0, 10\)"
    with pytest.raises(tf.errors.InvalidArgumentError, match=match):
        small_cgan(conditioning).fit(dataset(IMAGES, labels), verbose=0)


def test_images_without_labels_are_refused(cgan):
    with pytest.raises(
        ValueError, match=r"\(images, labels\) pairs, but got images only.*fit\(images, labels\)"
    ):
        cgan.fit(IMAGES, batch_size=4, verbose=0)
    with pytest.raises(ValueError, match=r"\(images, labels\) pairs, but the dataset gives images only"):
        cgan.fit(dataset(IMAGES), verbose=0)
    with pytest.raises(ValueError, match=r"\(images, labels\) pairs, but got images only"):
        cgan.train_on_batch(IMAGES)


def test_images_and_labels_as_one_tuple_train_or_are_refused_up_front(cgan):
    try:
        cgan.fit((IMAGES, GOOD), batch_size=4, epochs=1, verbose=0)
    except ValueError as error:
        # acceptable only if fit refuses the tuple itself and says how to pass the labels
        assert "fit(images, labels)" in str(error) and "images only" not in str(error)


@pytest.mark.parametrize(
    "refused",
    [
        lambda gan: gan.fit(dataset(IMAGES, GOOD.astype("float32")), verbose=0),
        lambda gan: gan.train_on_batch(IMAGES),
    ],
    ids=["float-dataset-labels", "train_on_batch-images-only"],
)
def test_a_gan_trains_after_refusing_a_dataset(cgan, refused):
    """A learner who fixes the labels and runs the fit cell again must not have to rebuild the GAN."""
    with pytest.raises(ValueError, match="labels"):
        refused(cgan)
    history = cgan.fit(dataset(IMAGES, GOOD), verbose=0).history
    assert np.isfinite(history["d_loss"][-1])


def test_good_array_labels_train(cgan):
    history = cgan.fit(IMAGES, GOOD.astype("int64"), batch_size=4, epochs=1, verbose=0).history
    assert np.isfinite(history["d_loss"][-1])


def test_conditional_models_need_num_classes_and_unconditional_ones_refuse_it():
    cg = models.build_conditional_generator(latent_dim=4, num_classes=10, base_filters=2)
    cd = models.build_conditional_discriminator("concat", num_classes=10, base_filters=2)
    ug = models.build_dcgan_generator(latent_dim=4, base_filters=2)
    ud = models.build_dcgan_discriminator(base_filters=2)
    for g, d, who in (
        (cg, cd, "generator and discriminator take"),
        (cg, ud, "generator takes"),
        (ug, cd, "discriminator takes"),
    ):
        with pytest.raises(ValueError, match=rf"the {who} labels as a second input.*pass num_classes=10"):
            GAN(g, d, d_output="logits")
    with pytest.raises(
        ValueError, match=r"num_classes=10 makes a conditional GAN, but the generator takes 1 input"
    ):
        GAN(ug, ud, d_output="logits", num_classes=10)
    with pytest.raises(
        ValueError, match=r"but the discriminator takes 1 input\(s\); it must take two, \[samples, labels\]"
    ):
        GAN(cg, ud, d_output="logits", num_classes=10)
    for bad in (1, 2.5, True, "10"):
        with pytest.raises(ValueError, match=r"num_classes must be an integer >= 2"):
            GAN(cg, cd, d_output="logits", num_classes=bad)


# -- generate ----------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def course_cgan() -> GAN:
    """The course's conditional DCGAN, narrow (base_filters=2), untrained: enough to test generate."""
    keras.utils.set_random_seed(0)
    return GAN(
        models.build_conditional_generator(latent_dim=4, num_classes=10, base_filters=2),
        models.build_conditional_discriminator("projection", num_classes=10, base_filters=2),
        d_output="logits",
        num_classes=10,
        seed=0,
    )


def test_generate_with_labels(course_cgan):
    z = np.random.default_rng(0).standard_normal((5, 4)).astype("float32")
    assert course_cgan.generate(6, labels=3).shape == (6, 28, 28, 1)
    np.testing.assert_array_equal(
        course_cgan.generate(z=z, labels=7), course_cgan.generate(z=z, labels=[7] * 5)
    )
    same = course_cgan.generate(z=z, labels=[0, 1, 2, 3, 4])
    np.testing.assert_array_equal(
        same, course_cgan.generate(z=z, labels=[0, 1, 2, 3, 4])
    )  # (z, label) decides
    z_one = np.repeat(z[:1], 10, axis=0)
    per_class = course_cgan.generate(z=z_one, labels=np.arange(10))
    distances = np.abs(per_class[:, None] - per_class[None, :]).reshape(10, 10, -1).max(axis=-1)
    assert np.all(distances[~np.eye(10, dtype=bool)] > 1e-4)  # one z, ten labels: ten different images


def test_generate_refuses_missing_or_bad_labels(course_cgan):
    with pytest.raises(
        ValueError, match=r"this generator is conditional: say which digits to draw with labels=7"
    ):
        course_cgan.generate(3)
    with pytest.raises(ValueError, match=r"classes 0\.\.9, got values from 10"):
        course_cgan.generate(3, labels=10)
    with pytest.raises(ValueError, match=r"shape \(3,\)"):
        course_cgan.generate(3, labels=[1, 2])
    with pytest.raises(ValueError, match=r"class number 0\.\.9 or a sequence of them, got True"):
        course_cgan.generate(3, labels=True)


def test_an_unconditional_gan_refuses_labels():
    gan = GAN(
        models.build_dcgan_generator(latent_dim=4, base_filters=2),
        models.build_dcgan_discriminator(base_filters=2),
        d_output="logits",
    )
    assert gan.generate(2).shape == (2, 28, 28, 1)
    with pytest.raises(ValueError, match=r"this generator is unconditional.*drop labels="):
        gan.generate(2, labels=3)
