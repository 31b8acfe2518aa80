"""Inpainting by latent search (notebook 11): masks, the objective, the search against generators whose
answer is known in closed form, and the nearest-known-pixels baseline against a brute-force loop."""

from __future__ import annotations

import keras
import numpy as np
import pytest
import tensorflow as tf

from gan_helpers.toolkit import inpainting as ip

DIM = 8


def linear_generator(weights: np.ndarray) -> keras.Model:
    """G(z) = W z reshaped to a 28x28 image: the search's answer is known exactly."""
    model = keras.Sequential(
        [
            keras.Input((weights.shape[1],)),
            keras.layers.Dense(784, use_bias=False),
            keras.layers.Reshape((28, 28, 1)),
        ]
    )
    model.layers[0].set_weights([weights.T.astype("float32")])
    return model


@pytest.fixture
def linear():
    rng = np.random.default_rng(0)
    weights = rng.uniform(-0.1, 0.1, (784, DIM))
    return weights, linear_generator(weights)


# --- masks ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("side", "missing_rows", "missing_cols"),
    [
        ("top", slice(0, 14), slice(None)),
        ("bottom", slice(14, 28), slice(None)),
        ("left", slice(None), slice(0, 14)),
        ("right", slice(None), slice(14, 28)),
    ],
)
def test_half_masks_hide_the_named_half(side, missing_rows, missing_cols):
    mask = ip.half_mask(side)
    assert mask.shape == (28, 28, 1) and mask.dtype == np.float32
    expected = np.ones((28, 28, 1), np.float32)
    expected[missing_rows, missing_cols] = 0
    np.testing.assert_array_equal(mask, expected)
    assert ip.known_share(mask) == 0.5


def test_square_mask_hides_exactly_the_square():
    mask = ip.square_mask(top=3, left=5, side=4)
    assert mask.sum() == 784 - 16
    assert np.all(mask[3:7, 5:9] == 0) and mask[2, 5, 0] == 1 and mask[3, 9, 0] == 1
    centre = ip.make_mask("centre_square", square=12)
    assert np.all(centre[8:20, 8:20] == 0) and centre.sum() == 784 - 144


@pytest.mark.parametrize("missing", [0.0, 0.25, 0.75, 0.9])
def test_random_masks_hide_the_asked_share(missing):
    mask = ip.random_mask(missing, seed=3)
    assert (mask == 0).sum() == round(missing * 784)
    assert set(np.unique(mask)) <= {0.0, 1.0}


def test_random_masks_follow_their_seed_and_differ_per_image():
    np.testing.assert_array_equal(ip.random_mask(0.5, seed=1), ip.random_mask(0.5, seed=1))
    assert not np.array_equal(ip.random_mask(0.5, seed=1), ip.random_mask(0.5, seed=2))
    batch = ip.mask_batch("random", 5, seed=0, missing=0.75)
    assert batch.shape == (5, 28, 28, 1)
    np.testing.assert_allclose(ip.known_share(batch), 0.25, atol=1 / 784)
    assert len({m.tobytes() for m in batch}) == 5
    tops = ip.mask_batch("top_half", 3)
    assert tops.shape == (3, 28, 28, 1) and np.all(tops == tops[0])


@pytest.mark.parametrize(
    ("call", "words"),
    [
        (lambda: ip.make_mask("bottom"), "kind must be one of"),
        (lambda: ip.half_mask("middle"), "side must be one of"),
        (lambda: ip.random_mask(1.0), "some must stay known"),
        (lambda: ip.random_mask("half"), "share of pixels"),
        (lambda: ip.square_mask(20, 0, 10), "top must be in 0..18"),
        (lambda: ip.square_mask(0, 0, 2.5), "whole number"),
        (lambda: ip.mask_batch("top_half", 0), "n must be in"),
    ],
)
def test_bad_mask_requests_say_what_to_pass(call, words):
    with pytest.raises(ValueError, match=words):
        call()


def test_apply_mask_and_blend_keep_the_known_pixels():
    rng = np.random.default_rng(1)
    images = rng.uniform(-1, 1, (2, 28, 28, 1)).astype("float32")
    generated = rng.uniform(-1, 1, (2, 28, 28, 1)).astype("float32")
    masks = ip.mask_batch("left_half", 2)
    damaged = ip.apply_mask(images, masks, fill=-1.0)
    np.testing.assert_array_equal(damaged[:, :, 14:], images[:, :, 14:])
    assert np.all(damaged[:, :, :14] == -1.0)
    mixed = ip.blend(images, generated, masks)
    np.testing.assert_array_equal(mixed[:, :, 14:], images[:, :, 14:])
    np.testing.assert_array_equal(mixed[:, :, :14], generated[:, :, :14])


@pytest.mark.parametrize(
    ("masks", "words"),
    [
        (np.ones((3, 28, 28, 1)), "images' shape"),
        (np.full((28, 28, 1), 0.5), "only 0"),
        (np.zeros((28, 28, 1)), "no known pixel"),
    ],
)
def test_bad_masks_are_refused(masks, words):
    with pytest.raises(ValueError, match=words):
        ip.apply_mask(np.zeros((2, 28, 28, 1), "float32"), masks)


# --- the objective -------------------------------------------------------------------------------------


def test_masked_mse_counts_only_the_known_pixels():
    rng = np.random.default_rng(2)
    images = rng.uniform(-1, 1, (3, 28, 28, 1)).astype("float32")
    generated = rng.uniform(-1, 1, (3, 28, 28, 1)).astype("float32")
    masks = ip.mask_batch("random", 3, seed=4, missing=0.6)
    for i in range(3):
        known = masks[i, ..., 0] == 1
        by_hand = np.mean((generated[i, ..., 0][known] - images[i, ..., 0][known]) ** 2)
        assert ip.masked_mse(generated, images, masks)[i] == pytest.approx(by_hand, rel=1e-5)


@pytest.mark.parametrize("prior", ["shell", "gaussian", None])
def test_the_objective_matches_a_hand_computation(prior):
    rng = np.random.default_rng(3)
    images = rng.uniform(-1, 1, (4, 28, 28, 1)).astype("float32")
    generated = rng.uniform(-1, 1, (4, 28, 28, 1)).astype("float32")
    masks = ip.mask_batch("random", 4, seed=1, missing=0.5)
    codes = rng.standard_normal((4, 100)).astype("float32") * [[0.5], [1.0], [1.5], [0.0]]
    logits = rng.standard_normal((4, 1)).astype("float32")
    got = ip.inpainting_objective(
        tf.constant(generated),
        tf.constant(images),
        tf.constant(masks),
        tf.constant(codes),
        prior=prior,
        prior_weight=0.3,
        realism_logits=tf.constant(logits),
        realism_weight=0.2,
    ).numpy()
    match = ip.masked_mse(generated, images, masks)
    lengths = np.linalg.norm(codes, axis=1)
    penalty = {"shell": (lengths / 10 - 1) ** 2, "gaussian": lengths**2 / 100, None: 0.0}[prior]
    realism = np.log1p(np.exp(-logits[:, 0]))  # -log sigmoid(l)
    np.testing.assert_allclose(got, match + 0.3 * penalty + 0.2 * realism, rtol=1e-5)


def test_the_realism_term_falls_as_the_discriminator_is_fooled():
    zeros = tf.zeros((3, 28, 28, 1))
    codes = tf.zeros((3, 4))
    logits = tf.constant([[-3.0], [0.0], [3.0]])  # "fake" ... "real"
    values = ip.inpainting_objective(zeros, zeros, tf.ones((3, 28, 28, 1)), codes, None, 0.0, logits, 1.0)
    assert np.all(np.diff(values.numpy()) < 0)


# --- the search ----------------------------------------------------------------------------------------


def test_the_search_finds_the_code_of_a_linear_generator(linear):
    _, generator = linear
    rng = np.random.default_rng(5)
    true_codes = rng.standard_normal((3, DIM)).astype("float32")
    images = np.asarray(generator(true_codes)).copy()
    masks = ip.mask_batch("random", 3, seed=2, missing=0.75)
    damaged = ip.apply_mask(images, masks, fill=0.0) + (1 - masks) * 5.0  # garbage where unknown
    result = ip.latent_search(
        generator, damaged, masks, restarts=2, steps=400, learning_rate=0.05, prior=None, scale=None, seed=1
    )
    np.testing.assert_allclose(result.codes, true_codes, atol=2e-3)
    np.testing.assert_allclose(result.images, images, atol=1e-3)  # the missing pixels are recovered too
    assert result.match.max() < 1e-5


def test_with_a_gaussian_prior_the_search_finds_the_ridge_solution(linear):
    """Only 5 known pixels for 8 unknowns: without a prior any code on a 3-D plane fits. With the
    Gaussian prior λ‖z‖²/d the unique minimiser of (1/k)‖A z - b‖² + (λ/d)‖z‖² is ridge regression's
    z* = (AᵀA/k + (λ/d) I)⁻¹ Aᵀb/k."""
    weights, generator = linear
    rng = np.random.default_rng(6)
    image = np.asarray(generator(rng.standard_normal((1, DIM)).astype("float32")))
    mask = np.zeros((1, 28, 28, 1), np.float32)
    known = rng.choice(784, 5, replace=False)
    mask.reshape(-1)[known] = 1
    a, b, k, lam = weights[known], image.reshape(-1)[known], len(known), 0.05
    ridge = np.linalg.solve(a.T @ a / k + lam / DIM * np.eye(DIM), a.T @ b / k)
    with_prior = ip.latent_search(
        generator,
        image,
        mask,
        restarts=3,
        steps=1500,
        learning_rate=0.02,
        prior="gaussian",
        prior_weight=lam,
        scale=None,
        seed=0,
    )
    np.testing.assert_allclose(with_prior.codes[0], ridge, atol=5e-3)
    without = ip.latent_search(
        generator, image, mask, restarts=3, steps=1500, learning_rate=0.02, prior=None, scale=None, seed=0
    )
    assert without.match[0] < 1e-6  # it fits the known pixels at least as well ...
    assert np.linalg.norm(without.codes[0] - ridge) > 0.1  # ... with another code: the prior decided


def test_the_shell_prior_keeps_codes_at_the_typical_length(linear):
    _, generator = linear
    image = np.zeros((1, 28, 28, 1), np.float32)  # matched best by z = 0, the centre the prior avoids
    mask = ip.make_mask("top_half")
    result = ip.latent_search(
        generator,
        image,
        mask,
        restarts=2,
        steps=600,
        learning_rate=0.05,
        prior="shell",
        prior_weight=1.0,
        scale=None,
    )
    assert np.linalg.norm(result.codes[0]) == pytest.approx(np.sqrt(DIM), rel=0.05)


def test_each_image_keeps_its_best_restart(linear):
    _, generator = linear
    images = np.asarray(generator(np.random.default_rng(7).standard_normal((2, DIM)).astype("float32")))
    result = ip.latent_search(generator, images, ip.make_mask("left_half"), restarts=3, steps=5, scale=None)
    assert result.codes.shape == (2, DIM) and result.images.shape == (2, 28, 28, 1)
    assert result.history.shape == (5, 2, 3) and result.restart_objectives.shape == (2, 3)
    np.testing.assert_array_equal(result.best_restart, result.restart_objectives.argmin(axis=1))
    np.testing.assert_allclose(result.objective, result.restart_objectives.min(axis=1))
    np.testing.assert_allclose(np.asarray(generator(result.codes)), result.images, atol=1e-6)


def test_small_batches_give_the_same_search(linear):
    _, generator = linear
    images = np.asarray(generator(np.random.default_rng(8).standard_normal((3, DIM)).astype("float32")))
    kwargs = dict(restarts=2, steps=20, scale=None, seed=3)
    whole = ip.latent_search(generator, images, ip.make_mask("top_half"), batch_size=1024, **kwargs)
    split = ip.latent_search(generator, images, ip.make_mask("top_half"), batch_size=4, **kwargs)
    np.testing.assert_allclose(split.codes, whole.codes, atol=1e-5)


def test_the_realism_term_uses_the_discriminator(linear):
    _, generator = linear
    critic = keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Flatten(), keras.layers.Dense(1)])
    critic.layers[-1].set_weights([np.full((784, 1), 0.05, "float32"), np.zeros(1, "float32")])
    images = np.zeros((1, 28, 28, 1), np.float32)
    kwargs = dict(restarts=1, steps=100, prior=None, scale=None, seed=0)
    plain = ip.latent_search(generator, images, ip.make_mask("top_half"), **kwargs)
    judged = ip.latent_search(
        generator, images, ip.make_mask("top_half"), discriminator=critic, realism_weight=1.0, **kwargs
    )
    # D's logit is 0.05 * (sum of pixels): the realism term pushes the generated ink up
    assert judged.images.sum() > plain.images.sum() + 1.0
    with pytest.raises(ValueError, match="needs the discriminator"):
        ip.latent_search(generator, images, ip.make_mask("top_half"), realism_weight=1.0, scale=None)


def test_a_conditional_generator_searches_with_the_given_labels():
    z_in, label_in = keras.Input((DIM,)), keras.Input((), dtype="int32")
    offsets = keras.layers.Embedding(10, 784)(label_in)
    image = keras.layers.Reshape((28, 28, 1))(keras.layers.Dense(784, use_bias=False)(z_in) + offsets)
    generator = keras.Model([z_in, label_in], image)
    target = np.asarray(generator([np.zeros((1, DIM), "float32"), np.array([3])]))
    found = ip.latent_search(
        generator,
        target,
        ip.make_mask("top_half"),
        restarts=1,
        steps=300,
        prior=None,
        scale=None,
        labels=[3],
    )
    assert found.match[0] < 1e-4
    with pytest.raises(ValueError, match="needs labels"):
        ip.latent_search(generator, target, ip.make_mask("top_half"), scale=None)


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        (dict(restarts=0), "restarts must be in"),
        (dict(steps=2.5), "steps must be a whole number"),
        (dict(learning_rate=-0.1), "learning_rate must be > 0"),
        (dict(prior="l2"), "prior must be one of"),
        (dict(prior_weight=float("nan")), "finite number"),
        (dict(labels=[1]), "drop labels"),
    ],
)
def test_bad_search_settings_are_refused(linear, kwargs, words):
    _, generator = linear
    with pytest.raises(ValueError, match=words):
        ip.latent_search(generator, np.zeros((1, 28, 28, 1), "float32"), ip.make_mask("top_half"), **kwargs)


def test_images_outside_the_generators_range_are_refused(linear):
    _, generator = linear
    with pytest.raises(ValueError, match=r"\[-1, 1\]"):
        ip.latent_search(generator, np.full((1, 28, 28, 1), 255.0, "float32"), ip.make_mask("top_half"))


# --- the baseline --------------------------------------------------------------------------------------


def test_nearest_known_pixels_matches_a_brute_force_search():
    rng = np.random.default_rng(9)
    references = rng.uniform(-1, 1, (40, 28, 28, 1)).astype("float32")
    images = rng.uniform(-1, 1, (7, 28, 28, 1)).astype("float32")
    masks = ip.mask_batch("random", 7, seed=5, missing=0.7)
    found = ip.nearest_known_pixels(images, masks, references, chunk=3)
    for i in range(7):
        known = masks[i, ..., 0] == 1
        distances = [np.mean((r[..., 0][known] - images[i, ..., 0][known]) ** 2) for r in references]
        assert found.indices[i] == int(np.argmin(distances))
        assert found.distances[i] == pytest.approx(min(distances), rel=1e-4)
    np.testing.assert_array_equal(found.images, references[found.indices])


def test_nearest_known_pixels_ignores_the_missing_pixels():
    rng = np.random.default_rng(10)
    references = rng.uniform(-1, 1, (5, 28, 28, 1)).astype("float32")
    query = references[2:3].copy()
    mask = ip.make_mask("bottom_half")
    query[:, 14:] = -references[2:3, 14:]  # the missing half is wrong: it must not matter
    found = ip.nearest_known_pixels(query, mask, references)
    assert found.indices[0] == 2 and found.distances[0] == pytest.approx(0.0, abs=1e-6)
