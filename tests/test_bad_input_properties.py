"""Bad input everywhere (issue 15): every public ``gan_helpers`` function that takes arrays, tensors, sizes or
option names refuses wrong shapes, ranks, dtypes, ranges, NaN/inf, empty arrays and unknown option names with
a ``ValueError``/``TypeError`` raised by a check in gan_helpers, whose message names the argument, says what
was expected and shows what was given; never a deep NumPy/TensorFlow/Keras error, never a silent result.

The table below knows one valid call per function. For each argument it lists (``tests/bad_inputs.py``) the
kinds of bad value that apply, and hypothesis draws the details (which axis, which element becomes NaN, which
out-of-range value, which typo). Every example replaces ONE argument of the valid call at a time, for every
argument and every kind. Functions that take no such input, or whose inputs are legitimately anything, are in
:data:`EXCLUDED` with the reason; :func:`test_every_public_function_has_a_decision` fails for a new public
function that is in neither.
"""

from __future__ import annotations

import functools
import inspect
import math
import re
import types
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import matplotlib.pyplot as plt
import numpy as np
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

import gan_helpers as gh
from gan_helpers.toolkit import (
    data,
    images,
    inpainting,
    latent,
    losses,
    metrics,
    models,
    sampling,
    translation,
)

from .bad_inputs import (
    array,
    count,
    flag,
    number,
    of_type,
    option,
    pair,
    refusal_problem,
    shape_pattern,
    type_pattern,
    value_pattern,
    values,
)

EXAMPLES = 4  # every example tries every argument and every kind of mistake once


# --- what the valid calls need, built once ---------------------------------------------------------------


class Env:
    """Small inputs and tiny models for the valid calls, each built on first use."""

    @functools.cached_property
    def mnist(self) -> data.MNIST:
        return gh.load_mnist(source="subset", verbose=False)

    @functools.cached_property
    def x01(self) -> np.ndarray:
        return self.mnist.images[:6]

    @functools.cached_property
    def x11(self) -> np.ndarray:
        return self.x01 * 2 - 1

    @functools.cached_property
    def labels(self) -> np.ndarray:
        return self.mnist.labels[:6]

    @functools.cached_property
    def raw(self) -> np.ndarray:
        return np.rint(self.x01[..., 0] * 255).astype(np.uint8)

    @functools.cached_property
    def generator(self):
        return models.build_dcgan_generator(latent_dim=8, base_filters=2)

    @functools.cached_property
    def discriminator(self):
        return models.build_dcgan_discriminator(base_filters=2)

    @functools.cached_property
    def conditional_generator(self):
        return models.build_conditional_generator(latent_dim=8, base_filters=2)

    @functools.cached_property
    def critic(self):
        return models.build_ring_discriminator(hidden=4)

    @functools.cached_property
    def translator(self):
        return translation.build_translator(base_filters=2)

    @functools.cached_property
    def probabilities(self) -> np.ndarray:
        p = np.random.default_rng(0).random((6, 10)) + 0.01
        return p / p.sum(axis=1, keepdims=True)

    @functools.cached_property
    def codes(self) -> np.ndarray:
        return np.random.default_rng(1).standard_normal((6, 8))

    @functools.cached_property
    def masks(self) -> np.ndarray:
        return inpainting.mask_batch("top_half", 6)

    @functools.cached_property
    def ring_generator(self):
        return models.build_ring_generator(2, 4)

    @functools.cached_property
    def rng(self):
        import tensorflow as tf

        return tf.random.Generator.from_seed(0)

    @functools.cached_property
    def gan(self) -> gh.training.GAN:
        return gh.training.GAN(self.ring_generator, self.critic, d_output="logits")

    @functools.cached_property
    def agreement(self) -> metrics.LabelAgreement:
        return metrics.label_agreement(self.probabilities, self.labels)

    @functools.cached_property
    def trace(self) -> types.SimpleNamespace:  # what a LabelAgreementTrace holds after training
        return types.SimpleNamespace(steps=[10, 20], agreements=[self.agreement, self.agreement])

    @functools.cached_property
    def game(self):
        return gh.one_dimensional_game(0.0, 1.0)

    @functools.cached_property
    def ring_points(self) -> np.ndarray:
        return gh.toy2d.sample_ring(20, seed=0)

    @functools.cached_property
    def reading(self):
        return latent.predictions_along_path(self.probabilities)

    def render(self, codes: np.ndarray) -> np.ndarray:
        """A stand-in generator for the latent widgets: codes (n, d) -> images (n, 28, 28, 1) in [-1, 1]."""
        return np.tanh(np.resize(np.asarray(codes, np.float32), (len(codes), 28 * 28)).reshape(-1, 28, 28, 1))


@pytest.fixture(scope="module")
def env() -> Env:
    return Env()


def _classify(batch: np.ndarray) -> np.ndarray:
    p = np.full((len(batch), 10), 0.01)
    p[:, 0] = 0.91
    return p


# --- the table -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One public function, one valid call (``valid(env)`` gives its keyword arguments) and, for each
    argument tried, its spec of bad values. ``names`` gives, per argument, a regex of the words a message
    may use for it (default: its own name). ``run_valid=False`` for calls that would train or spawn processes
    (their checks run before any of that)."""

    fn: Callable[..., object]
    valid: Callable[[Env], dict[str, object]]
    bad: Mapping[str, Callable[[object], dict]]
    names: Mapping[str, str] = field(default_factory=dict)
    run_valid: bool = True
    call: Callable[[Callable[..., object], dict[str, object]], object] | None = None
    label: str = ""

    @property
    def key(self) -> str:
        return _key(self.fn)

    @property
    def id(self) -> str:
        return self.key + (f"[{self.label}]" if self.label else "")

    def run(self, kwargs: dict[str, object]) -> object:
        return self.call(self.fn, kwargs) if self.call else self.fn(**kwargs)


def _key(fn: Callable[..., object]) -> str:
    return f"{fn.__module__.rsplit('.', 1)[-1]}.{fn.__name__}"


def _given(value: object) -> str:
    return value_pattern(value)


@functools.lru_cache(maxsize=1)
def _chapter_gan() -> gh.training.GAN:
    """Notebook 04's MLP GAN, built once: the kind of GAN presenter mode fills with a shipped generator."""
    return gh.recipes.mlp_gan()


def _slider() -> object:
    """A small slider for the widget helpers' valid calls."""
    import ipywidgets

    return ipywidgets.FloatSlider(value=0.5, min=0, max=1, description="x")


def _given_or_type(value: object) -> str:
    """The value, its type, or (for a list, tuple or dict) any element's, key's or inner value's: how a
    message may show a bad value inside a container."""

    def shown(item: object) -> list[str]:
        if isinstance(item, np.ndarray):
            return [type_pattern(item), shape_pattern(item.shape)]
        return [type_pattern(item), value_pattern(item)]

    parts = shown(value)
    if isinstance(value, dict):
        parts += [value_pattern(k) for k in value]
        inner = list(value.values())
    elif isinstance(value, (list, tuple)):
        inner = list(value)
    else:
        inner = []
    for item in inner:
        parts += shown(item)
        if isinstance(item, dict):
            parts += [value_pattern(k) for k in item] + [p for v in item.values() for p in shown(v)]
        elif isinstance(item, (list, tuple)):
            parts += [p for v in item for p in shown(v)]
    return "|".join(f"(?:{p})" for p in parts if p)


def _given_or_shape(value: object) -> str:
    """The value itself, or the shape it has as an array (a list of the wrong length shows as its shape)."""
    return value_pattern(value) + "|" + shape_pattern(np.shape(value))


IMAGES01 = array(ranks=(4,), axes=(1, 3), low=0, high=1, dtypes=("str", "complex", "object", "bool", "int"))
IMAGES11 = array(ranks=(4,), axes=(1, 3), low=-1, high=1, dtypes=("str", "complex", "object", "bool", "int"))
ANY_IMAGES = array(ranks=(4,), axes=(), dtypes=("str", "complex", "object", "bool", "int"))
SAME_IMAGES = array(ranks=(4,), axes=(1, 3), dtypes=("str", "complex", "object", "bool", "int"))
PROBABILITIES = array(ranks=(2,), axes=(), low=0, high=1)
CODES = array(ranks=(2,), axes=())
CODE = array(ranks=(1,), axes=())
LABELS = array(ranks=(1,), axes=(), low=0, high=9, dtypes=("str", "complex", "object", "bool"))
SCALE = pair()
POSITIVE = number(low=0, low_open=True)
MODEL = of_type("a keras.Model", ["generator", 3, None, np.zeros((2, 8), np.float32)])
CLASSIFY = of_type("a function", ["classify", 3, np.zeros((2, 10))])
RECORD = of_type("a record", ["subset/train/4000", 3, {"source": "subset"}])  # None is valid: no record
NUMBERS = ("str", "complex", "object", "bool")  # wrong dtypes where any real numbers (even ints) are fine
SAME_NUMBERS = array(ranks=(4,), axes=(1, 3), dtypes=NUMBERS)  # any numbers, shaped like the other argument
CLASSES = array(ranks=(1,), axes=(), low=0)  # class numbers >= 0, any number of classes
MASKS = array(ranks=(3, 4), axes=(1,), low=0, high=1, dtypes=("str", "complex", "object"))  # bools are 0/1

TOOLKIT: list[Row] = [
    # data
    Row(data.validate_scale, lambda e: {"scale": (0, 1)}, {"scale": SCALE}),
    Row(
        data.check_images,
        lambda e: {"images": e.x01, "scale": (0, 1), "tolerance": 1e-3},
        {"images": IMAGES01, "scale": pair(none_ok=True), "tolerance": number(low=0)},
    ),
    Row(
        data.check_labels,
        lambda e: {"labels": e.labels, "count": 6, "classes": 10},
        # no labels for no images is fine (count says how many there must be)
        {
            "labels": array(ranks=(1,), axes=(), low=0, high=9, skip=("empty",)),
            "count": count(0, none_ok=True),
            "classes": count(1, none_ok=True),
        },
    ),
    Row(
        data.scale_pixels,
        lambda e: {"raw": e.raw, "scale": (-1, 1)},
        # empty in, empty out is a correct result for an element-wise map
        {
            "raw": array(
                ranks=(3, 4),
                axes=(),
                low=0,
                high=255,
                dtypes=("str", "complex", "object", "bool"),
                skip=("empty",),
            ),
            "scale": SCALE,
        },
        names={"raw": "raw|pixels|images"},
    ),
    Row(
        data.held_out_split,
        lambda e: {"labels": np.repeat(np.arange(3), 4), "per_class": 2},
        {"labels": array(ranks=(1,), axes=(), low=0), "per_class": count(1)},
    ),
    Row(data.check_record, lambda e: {"trained_on": e.mnist.record}, {"trained_on": RECORD}),
    Row(
        data.check_full_mnist,
        lambda e: {"timeout": 0.5},
        {"timeout": POSITIVE},
        run_valid=False,  # it may reach for the network
    ),
    Row(
        data.subset_split_indices,
        lambda e: {"labels": np.repeat(np.arange(10), 101)},
        {"labels": array(ranks=(1,), axes=(), low=0, high=9)},
    ),
    Row(
        data.load_mnist,
        lambda e: {"source": "subset", "verbose": False, "scale": (0, 1), "split": "test", "timeout": 3.0},
        {
            "source": option(*data.MNIST_SOURCES),
            "split": option(*data.MNIST_SPLITS),
            "scale": SCALE,
            "timeout": POSITIVE,
        },
        run_valid=False,  # the fixture loads MNIST once
    ),
    Row(
        data.describe_source,
        lambda e: {"used": "subset", "count": 6, "scale": (0, 1), "split": "train", "labels": e.labels},
        {
            "used": option("keras", "subset"),
            "count": count(1),
            "scale": SCALE,
            "split": option(*data.MNIST_SPLITS),
            "labels": array(ranks=(1,), axes=(), low=0, high=9, none_ok=True),
        },
    ),
    Row(
        data.make_dataset,
        lambda e: {"images": e.x01, "labels": e.labels, "batch_size": 2},
        {
            "images": ANY_IMAGES,
            # labels: only their shape is checked; make_dataset's source is shown in notebook 03, so checking
            # their dtype and values waits for that notebook's refresh (see SHOWN_IN_NOTEBOOKS)
            "labels": array(ranks=(1,), axes=(), dtypes=(), skip=("nan",), none_ok=True),
            "batch_size": count(1),
        },
    ),
    # images
    Row(
        images.tile_images,
        lambda e: {"images": e.x01, "ncols": 3, "pad": 1, "pad_value": 0.0},
        {
            "images": array(ranks=(3, 4), axes=(3,), dtypes=("str", "complex", "object", "bool")),
            "ncols": count(1),
            "pad": count(0),
            "pad_value": number(),
        },
    ),
    Row(
        images.plot_image_grid,
        lambda e: {
            "images": e.x11,
            "labels": list(range(6)),
            "ncols": 3,
            "scale": (-1, 1),
            "cell_inches": 0.3,
        },
        {
            "images": array(
                ranks=(3, 4), axes=(3,), low=-1, high=1, dtypes=("str", "complex", "object", "bool")
            ),
            "labels": values("length", [[1, 2], "ab"], lambda v: f"{len(v)} labels"),
            "ncols": count(1),
            "scale": SCALE,
            "cell_inches": POSITIVE,
        },
    ),
    Row(
        images.to_uint8_grid,
        lambda e: {"images": e.x01, "scale": (0, 1), "ncols": 3},
        {
            "images": array(
                ranks=(3, 4), axes=(3,), low=0, high=1, dtypes=("str", "complex", "object", "bool")
            ),
            "scale": SCALE,
            "ncols": count(1),
        },
    ),
    Row(
        images.save_gif,
        lambda e: {
            "frames": [np.zeros((4, 5), np.uint8)] * 2,
            "path": e.tmp / "a.gif",
            "fps": 2.0,
            "upscale": 1,
        },
        {
            "frames": array(
                ranks=(3,), axes=(), low=0, high=255, dtypes=("str", "complex", "object", "bool")
            ),
            "fps": POSITIVE,
            "upscale": count(1),
        },
        names={"frames": "frames?"},
    ),
    # losses
    *[
        Row(
            fn,
            lambda e: {"d_real": e.probabilities[:, :1], "d_fake": e.probabilities[:, 1:2]},
            {
                "d_real": array(axes=(), low=0, high=1, skip=("rank",), tensor=True),
                "d_fake": array(axes=(), low=0, high=1, skip=("rank",), tensor=True),
            },
        )
        for fn in (losses.discriminator_loss, losses.minimax_value)
    ],
    *[
        Row(
            fn,
            lambda e: {"d_fake": e.probabilities[:, :1]},
            {"d_fake": array(axes=(), low=0, high=1, skip=("rank",), tensor=True)},
        )
        for fn in (losses.generator_loss, losses.generator_loss_saturating)
    ],
    *[
        Row(
            fn,
            lambda e: {"real_logits": e.codes[:, :1], "fake_logits": e.codes[:, 1:2]},
            {
                "real_logits": array(axes=(), skip=("rank",), tensor=True),
                "fake_logits": array(axes=(), skip=("rank",), tensor=True),
            },
            names={"real_logits": "logits", "fake_logits": "logits"},  # "the logits" in a shown source
        )
        for fn in (losses.discriminator_loss_from_logits, losses.minimax_value_from_logits)
    ],
    *[
        Row(
            fn,
            lambda e: {"fake_logits": e.codes[:, :1]},
            {"fake_logits": array(axes=(), skip=("rank",), tensor=True)},
            names={"fake_logits": "logits"},
        )
        for fn in (losses.generator_loss_from_logits, losses.generator_loss_saturating_from_logits)
    ],
    Row(
        losses.critic_loss,
        lambda e: {"real_scores": e.codes[:, :1], "fake_scores": e.codes[:, 1:2]},
        {
            "real_scores": array(axes=(), skip=("rank",), tensor=True),
            "fake_scores": array(axes=(), skip=("rank",), tensor=True),
        },
    ),
    Row(
        losses.critic_generator_loss,
        lambda e: {"fake_scores": e.codes[:, :1]},
        {"fake_scores": array(axes=(), skip=("rank",), tensor=True)},
    ),
    Row(
        losses.gradient_penalty,
        lambda e: {
            "critic": e.critic,
            "real": e.codes[:, :2],
            "fake": e.codes[:, 2:4],
            "epsilon": np.full((6, 1), 0.5),
        },
        {
            "critic": of_type("a critic", ["critic", 3, None]),
            "real": array(ranks=(2,), tensor=True),
            "fake": array(ranks=(2,), tensor=True),
            "epsilon": array(ranks=(2,), tensor=True),  # (tests/test_wgan_gp.py also tries weights outside)
        },
    ),
    Row(
        losses.generator_loss_curves,
        lambda e: {"d_fake": np.linspace(0.1, 0.9, 5)},
        {"d_fake": array(ranks=(1,), axes=(), low=0, high=1)},
    ),
    # metrics
    Row(
        metrics.classifier_score,
        lambda e: {"probabilities": e.probabilities},
        {"probabilities": PROBABILITIES},
    ),
    Row(
        metrics.class_coverage,
        lambda e: {"probabilities": e.probabilities, "fair_share": 0.5},
        {"probabilities": PROBABILITIES, "fair_share": number(low=0, high=1, low_open=True)},
    ),
    Row(
        metrics.label_agreement,
        lambda e: {"probabilities": e.probabilities, "labels": e.labels},
        {"probabilities": PROBABILITIES, "labels": LABELS},
    ),
    Row(
        metrics.frechet_distance,
        lambda e: {"features_a": e.codes, "features_b": e.codes[::-1]},
        {"features_a": array(ranks=(2,)), "features_b": array(ranks=(2,))},
        names={"features_a": "features|first", "features_b": "features|second"},
    ),
    Row(
        metrics.nearest_neighbours,
        lambda e: {"queries": e.x01[:2], "references": e.x01, "chunk": 2},
        {
            "queries": array(ranks=(2, 3, 4), axes=(), dtypes=NUMBERS),
            "references": array(ranks=(4,), axes=(1, 3), dtypes=NUMBERS),
            "chunk": count(1),
        },
    ),
    # sampling
    Row(sampling.latent_size, lambda e: {"generator": e.generator}, {"generator": MODEL}),
    Row(
        sampling.label_batch,
        lambda e: {"labels": 3, "n": 4, "num_classes": 10},
        {
            "labels": values("class", [10, -1, 2.5, "3", None, [1, 2], True], _given_or_shape),
            "n": count(1, none_ok=True),
            "num_classes": count(1),
        },
    ),
    Row(
        sampling.label_batch,
        lambda e: {"labels": e.labels, "n": 6},
        {"labels": LABELS},
        label="array",
    ),
    Row(
        sampling.generate,
        lambda e: {"generator": e.generator, "n": 2, "seed": 0},
        {"generator": MODEL, "n": count(1), "labels": values("labels", [3, [0, 1]], lambda v: "uncondition")},
    ),
    Row(
        sampling.generate,
        lambda e: {
            "generator": e.conditional_generator,
            "z": e.codes[:2],
            "labels": [1, 2],
            "num_classes": 10,
        },
        {"z": array(ranks=(2,), axes=(1,)), "labels": LABELS, "num_classes": count(1)},
        label="conditional",
    ),
    Row(
        sampling.class_grid_inputs,
        lambda e: {"per_class": 2, "num_classes": 3, "latent_dim": 4},
        {"per_class": count(1), "num_classes": count(1), "latent_dim": count(1)},
    ),
    # latent
    *[
        Row(
            fn,
            lambda e: {"z0": e.codes[0], "z1": e.codes[1], "t": np.linspace(0, 1, 3)},
            # t empty gives an empty path: a correct result for an element-wise map
            {
                "z0": CODE,
                "z1": array(ranks=(1,), axes=(0,)),
                "t": array(ranks=(0, 1), axes=(), low=0, high=1, skip=("empty",)),
            },
        )
        for fn in (latent.lerp, latent.slerp)
    ],
    Row(
        latent.angle_between,
        lambda e: {"z0": e.codes[0], "z1": e.codes[1]},
        {"z0": CODE, "z1": array(ranks=(1,), axes=(0,))},
    ),
    Row(
        latent.interpolation_path,
        lambda e: {"z0": e.codes[0], "z1": e.codes[1], "steps": 3, "method": "lerp"},
        {
            "z0": CODE,
            "z1": array(ranks=(1,), axes=(0,)),
            "steps": count(2),
            "method": option(*latent.METHODS),
        },
    ),
    Row(
        latent.walk,
        lambda e: {"anchors": e.codes[:3], "steps_per_leg": 2, "method": "slerp"},
        {"anchors": CODES, "steps_per_leg": count(1), "method": option(*latent.METHODS)},
    ),
    Row(latent.expected_norm, lambda e: {"dim": 8}, {"dim": count(1)}),
    Row(latent.path_norms, lambda e: {"path": e.codes}, {"path": CODES}),
    Row(
        latent.principal_directions,
        lambda e: {"codes": e.codes, "k": 2},
        {"codes": CODES, "k": count(1, maximum=5)},
    ),
    Row(
        latent.output_directions,
        lambda e: {"codes": e.codes, "outputs": e.x01, "k": 2},
        {"codes": CODES, "outputs": array(min_rank=1, axes=(0,)), "k": count(1, maximum=5)},
    ),
    Row(
        latent.random_directions,
        lambda e: {"k": 2, "dim": 4},
        {"k": count(1, maximum=4), "dim": count(1)},
    ),
    Row(
        latent.move_along,
        lambda e: {"z": e.codes[0], "directions": e.codes[1:3], "amounts": [0.5, -1.0]},
        {"z": CODE, "directions": array(ranks=(2,)), "amounts": array(ranks=(0, 1), axes=(0,))},
    ),
    Row(
        latent.attribute_vector,
        lambda e: {"with_codes": e.codes[:3], "without_codes": e.codes[3:]},
        {"with_codes": CODES, "without_codes": array(ranks=(2,))},
    ),
    Row(
        latent.rescale_norms,
        lambda e: {"codes": e.codes, "norm": 2.0},
        {"codes": array(ranks=(1, 2), axes=()), "norm": POSITIVE},
    ),
    Row(
        latent.predictions_along_path,
        lambda e: {"probabilities": e.probabilities},
        {"probabilities": PROBABILITIES},
    ),
    Row(
        latent.step_distances,
        lambda e: {"images": e.x11},
        {"images": array(min_rank=2, axes=(), dtypes=NUMBERS)},
    ),
    # inpainting
    Row(
        inpainting.half_mask,
        lambda e: {"side": "top", "size": 6},
        {"side": option("top", "bottom", "left", "right"), "size": count(2)},
    ),
    Row(
        inpainting.square_mask,
        lambda e: {"top": 1, "left": 1, "side": 2, "size": 6},
        {
            "top": count(0, maximum=4),
            "left": count(0, maximum=4),
            "side": count(1, maximum=6),
            "size": count(2),
        },
    ),
    Row(
        inpainting.random_mask,
        lambda e: {"missing": 0.5, "size": 6},
        {"missing": number(low=0, high=1, high_open=True), "size": count(2)},
    ),
    Row(
        inpainting.make_mask,
        lambda e: {"kind": "centre_square", "size": 6, "square": 2},
        {"kind": option(*inpainting.MASK_KINDS), "size": count(2), "square": count(1, maximum=6)},
    ),
    Row(
        inpainting.mask_batch,
        lambda e: {"kind": "random", "n": 2, "size": 6, "missing": 0.5},
        {
            "kind": option(*inpainting.MASK_KINDS),
            "n": count(1),
            "size": count(2),
            "missing": number(low=0, high=1, high_open=True),
        },
    ),
    Row(
        inpainting.apply_mask,
        lambda e: {"images": e.x11, "masks": e.masks, "fill": -1.0},
        {"images": ANY_IMAGES, "masks": MASKS, "fill": number()},
    ),
    Row(
        inpainting.blend,
        lambda e: {"images": e.x11, "generated": e.x11[::-1], "masks": e.masks},
        {"images": ANY_IMAGES, "generated": SAME_IMAGES, "masks": MASKS},
    ),
    Row(
        inpainting.known_share,
        lambda e: {"masks": e.masks},
        {"masks": array(ranks=(3, 4), axes=(), low=0, high=1, dtypes=("str", "complex", "object"))},
    ),
    Row(
        inpainting.masked_mse,
        lambda e: {"generated": e.x11[::-1], "images": e.x11, "masks": e.masks},
        {"generated": SAME_IMAGES, "images": ANY_IMAGES, "masks": MASKS},
    ),
    Row(
        inpainting.inpainting_objective,
        lambda e: {
            "generated": e.x11[::-1],
            "images": e.x11,
            "masks": e.masks,
            "codes": e.codes,
            "prior": "shell",
            "prior_weight": 0.1,
        },
        # only prior is checked: the source is shown in notebook 11 (see SHOWN_IN_NOTEBOOKS)
        {"prior": option(*inpainting.PRIORS, none_ok=True)},
    ),
    Row(
        inpainting.latent_search,
        lambda e: {
            "generator": e.generator,
            "images": e.x11[:2],
            "masks": e.masks[0],
            "restarts": 2,
            "steps": 2,
            "learning_rate": 0.1,
            "prior": "gaussian",
            "batch_size": 4,
        },
        {
            "generator": MODEL,
            "images": IMAGES11,
            "masks": MASKS,
            "restarts": count(1),
            "steps": count(1),
            "learning_rate": POSITIVE,
            "prior": option(*inpainting.PRIORS, none_ok=True),
            "prior_weight": number(low=0),
            "realism_weight": number(low=0),
            "scale": pair(none_ok=True),
            "batch_size": count(1),
        },
        run_valid=False,  # an optimisation (its checks come first)
    ),
    Row(
        inpainting.nearest_known_pixels,
        lambda e: {"images": e.x11[:2], "masks": e.masks[:2], "references": e.x11, "chunk": 2},
        {"images": ANY_IMAGES, "masks": MASKS, "references": SAME_IMAGES, "chunk": count(1)},
    ),
    Row(
        inpainting.balanced_indices,
        lambda e: {"labels": np.repeat(np.arange(3), 3), "per_class": 2},
        {"labels": LABELS, "per_class": count(1)},
    ),
    Row(
        inpainting.inpainting_study,
        lambda e: {
            "generator": e.generator,
            "images": e.x11[:2],
            "labels": e.labels[:2],
            "references": e.x11,
            "classify": _classify,
            "kinds": ("top_half",),
            "restarts": 1,
            "steps": 1,
        },
        {
            "generator": MODEL,
            "images": IMAGES11,
            "labels": LABELS,
            "references": IMAGES11,
            "classify": CLASSIFY,
            "kinds": values(
                "option", [("top",), "top_half", (3,)], lambda v: _given(v[0] if isinstance(v, tuple) else v)
            ),
            "restarts": count(1),
            "steps": count(1),
            "learning_rate": POSITIVE,
            "prior": option(*inpainting.PRIORS, none_ok=True),
            "fill": number(),
        },
        run_valid=False,  # a latent search
    ),
    # translation
    *[
        Row(
            fn,
            lambda e: {"images": e.x11, "factor": 2},
            {
                "images": array(ranks=(4,), axes=(), dtypes=("str", "complex", "object", "bool", "int")),
                "factor": count(1),
            },
        )
        for fn in (translation.downsample, translation.degrade)
    ],
    *[
        Row(
            fn,
            lambda e: {"images": e.x11, "factor": 2},
            {
                "images": values(
                    "shape", [np.zeros((2, 29, 28, 1), np.float32)], lambda v: shape_pattern(v.shape)
                )
            },
            label="odd size",
        )
        for fn in (translation.downsample, translation.degrade)
    ],
    Row(
        translation.upsample_nearest,
        lambda e: {"images": e.x11, "factor": 2},
        {"images": ANY_IMAGES, "factor": count(1)},
    ),
    *[
        Row(fn, lambda e: {"base_filters": 2, "size": 8}, {"base_filters": count(1), "size": count(4)})
        for fn in (translation.build_translator, translation.build_patch_discriminator)
    ],
    Row(
        translation.l1_loss,
        lambda e: {"targets": e.x11, "outputs": e.x11[::-1]},
        {
            "targets": array(ranks=(4,), axes=(1, 3), tensor=True),
            "outputs": array(ranks=(4,), axes=(1, 3), tensor=True),
        },
    ),
    Row(
        translation.train_translator,
        lambda e: {
            "targets": e.x11,
            "steps": 1,
            "adversarial": False,
            "base_filters": 2,
            "batch_size": 2,
            "log_every": 1,
            "factor": 2,
        },
        {
            "targets": IMAGES11,
            "steps": count(1),
            "batch_size": count(1, maximum=6),
            "l1_weight": number(low=0),
            "factor": count(1),
            "log_every": count(1),
            "base_filters": count(1),
        },
        run_valid=False,  # training
    ),
    Row(
        translation.translate,
        lambda e: {"translator": e.translator, "inputs": e.x11, "batch_size": 4},
        {"translator": MODEL, "inputs": IMAGES11, "batch_size": count(1)},
    ),
    Row(translation.sharpness, lambda e: {"images": e.x11}, {"images": ANY_IMAGES}),
    Row(
        translation.mean_absolute_error,
        lambda e: {"outputs": e.x11, "targets": e.x11[::-1]},
        {"outputs": ANY_IMAGES, "targets": SAME_IMAGES},
    ),
    Row(
        translation.score_translations,
        lambda e: {"outputs": e.x11, "targets": e.x11[::-1], "labels": e.labels, "classify": _classify},
        {"outputs": IMAGES11, "targets": IMAGES11, "labels": LABELS, "classify": CLASSIFY},
    ),
    # models
    Row(models.build_chapter_generator, lambda e: {"latent_dim": 4}, {"latent_dim": count(1)}),
    Row(models.build_chapter_discriminator, lambda e: {"logits": True}, {"logits": flag()}),
    Row(
        models.build_dcgan_generator,
        lambda e: {"latent_dim": 4, "base_filters": 1},
        {"latent_dim": count(1), "base_filters": count(1)},
    ),
    *[
        Row(fn, lambda e: {"base_filters": 1}, {"base_filters": count(1)})
        for fn in (models.build_dcgan_discriminator, models.build_dcgan_critic)
    ],
    Row(
        models.build_conditional_generator,
        lambda e: {"latent_dim": 4, "num_classes": 3, "base_filters": 1},
        {"latent_dim": count(1), "num_classes": count(1), "base_filters": count(1)},
    ),
    Row(
        models.build_conditional_discriminator,
        lambda e: {"conditioning": "concat", "num_classes": 3, "base_filters": 1},
        {"conditioning": option(*models.CONDITIONINGS), "num_classes": count(1), "base_filters": count(1)},
    ),
    Row(models.takes_labels, lambda e: {"model": e.conditional_generator}, {"model": MODEL}),
    Row(
        models.build_ring_generator,
        lambda e: {"latent_dim": 2, "hidden": 4},
        {"latent_dim": count(1), "hidden": count(1)},
    ),
    Row(
        models.build_ring_discriminator,
        lambda e: {"hidden": 4, "minibatch_std": True},
        {"hidden": count(1), "minibatch_std": flag()},
    ),
    Row(models.describe, lambda e: {"model": e.critic}, {"model": MODEL}),
    # settings, training, checkpoints, processes, environment
    Row(
        gh.settings.budget,
        lambda e: {"full": 10, "fast": 2},
        {"fast": values("type", ["2", None, [2]], lambda v: type(v).__name__)},
    ),
    Row(
        gh.settings.budget,
        lambda e: {"full": 10, "fast": 2, "presenter": 5},
        {"presenter": values("type", ["5", None, [5]], lambda v: type(v).__name__)},
        label="presenter",
    ),
    Row(
        gh.settings.seed_everything,
        lambda e: {"seed": 3},
        {"seed": values("range", [-1, 2**32, 2.5, "3", True, None, math.nan], lambda v: _given(v))},
    ),
    Row(
        gh.settings.setup,
        lambda e: {"seed": 3, "verbose": False},
        {"seed": values("range", [-1, 2**32, 2.5, "3", True, None], lambda v: _given(v))},
    ),
    Row(
        gh.training.default_optimizer,
        lambda e: {"learning_rate": 1e-3, "beta_1": 0.5},
        {"learning_rate": POSITIVE, "beta_1": number(low=0, high=1, high_open=True)},
    ),
    Row(gh.training.last_activation, lambda e: {"model": e.critic}, {"model": MODEL}),
    Row(
        gh.checkpoints.save_model,
        lambda e: {"model": e.critic, "path": e.tmp / "critic.keras"},
        {"model": MODEL, "path": values("path", ["critic.h5", 3, None])},
    ),
    Row(
        gh.checkpoints.save_models,
        lambda e: {
            "generator": e.critic,
            "discriminator": e.critic,
            "directory": e.tmp / "models",
            "trained_on": e.mnist.record,
        },
        {
            "generator": MODEL,
            "discriminator": MODEL,
            "trained_on": RECORD,
            "directory": values("path", [3, None]),
        },
    ),
    Row(
        gh.processes.default_workers,
        lambda e: {"jobs": 3, "estimated_seconds": 10.0},
        {"jobs": count(0), "estimated_seconds": number(low=0, none_ok=True)},
    ),
    Row(
        gh.processes.run_in_processes,
        lambda e: {"function": latent.expected_norm, "jobs": [{"dim": 2}], "workers": 1},
        {
            "function": of_type("a function", ["f", 3, None]),
            "jobs": values("type", [[3], "jobs", None, [("dim", 2)]], lambda v: _given(v) + "|int|tuple"),
            "workers": count(1, none_ok=True),
        },
        names={"jobs": "jobs?"},
    ),
    Row(
        gh.environment.format_report,
        lambda e: {"rows": [("Python", "3.11"), ("NumPy", "2.0")]},
        {
            "rows": values(
                "type", ["rows", [("a",)], [3], None], lambda v: _given(v[0] if isinstance(v, list) else v)
            )
        },
    ),
    Row(
        gh.environment.summarize_environment,
        lambda e: {"seed": 1},
        {"seed": values("type", ["1", 2.5, -1], lambda v: _given(v))},
    ),
    Row(
        gh.environment.package_version,
        lambda e: {"name": "numpy"},
        {"name": values("type", [3, None, ""], lambda v: _given(v))},
    ),
    Row(
        gh.course.colab_url,
        lambda e: {"notebook_filename": "00_start_here.ipynb"},
        {
            "notebook_filename": values(
                "option", ["00_start_here", "notebooks/00_start_here.ipynb", 3, None], lambda v: _given(v)
            )
        },
        names={"notebook_filename": "notebook.?file.?name"},
    ),
    Row(
        gh.course.colab_badge_markdown,
        lambda e: {"notebook_filename": "00_start_here.ipynb"},
        {"notebook_filename": values("option", ["00_start_here", 3, None], lambda v: _given(v))},
        names={"notebook_filename": "notebook.?file.?name"},
    ),
    Row(
        gh.course.chapter,
        lambda e: {"number": 1},
        {"number": values("range", [99, -1, "1", 2.5, True, None], lambda v: _given(v))},
    ),
    Row(
        gh.source.source_markdown,
        lambda e: {"functions": (latent.expected_norm,)},
        {"functions": values("type", [(), (3,), ("expected_norm",)], lambda v: _given(v[0]) if v else "")},
        names={"functions": "functions?"},
        call=lambda fn, kw: fn(*kw["functions"]),
    ),
]


# --- the teaching aids ----------------------------------------------------------------------------------

T = gh  # the teaching modules, reached as gh.<module>
RESULT = of_type("a course result", ["run", 3, None, [3]])  # RingRun, SettingsSummary, LabelAgreement, ...
GRID = array(ranks=(1,), axes=(0,))  # a 1-D grid and the densities sampled on it (same length)
POINTS = array(ranks=(2,), axes=(1,))  # points of the plane (n, 2)


def _ring_settings():
    return T.ring_experiments.RingSettings(steps=4, batch_size=8)


TEACHING: list[Row] = [
    Row(
        T.conditional_plots.plot_class_rows,
        lambda e: {"images": e.x11, "per_class": 3, "scale": (-1, 1), "row_labels": ["a", "b"]},
        {
            "images": array(ranks=(3, 4), axes=(3,), low=-1, high=1, dtypes=NUMBERS),
            "per_class": count(1),
            "scale": SCALE,
            "row_labels": values("length", [["a"], "abc"], lambda v: f"{len(v)} row labels"),
        },
    ),
    Row(
        T.conditional_plots.plot_label_agreement,
        lambda e: {"agreements": {"m": e.agreement}, "targets": (0.9, 0.8), "confusion_of": "m"},
        {
            "agreements": values("type", [{"m": 3}, [3], "m", None, {}], _given_or_type),
            "targets": values("range", [(2, 0.5), (0.5, math.nan), "ab", None, (0.5,)], _given),
            "confusion_of": values("option", ["n", 3], _given),
        },
    ),
    Row(
        T.conditional_plots.plot_agreement_trace,
        lambda e: {"traces": {"m": e.trace}, "targets": (0.9, 0.8), "ceiling": 0.95},
        {
            "traces": values("type", [{"m": 3}, [3], "m", None, {}], _given_or_type),
            "targets": values("range", [(2, 0.5), (0.5, math.nan), "ab", None, (0.5,)], _given),
            "ceiling": number(low=0, high=1, none_ok=True),
        },
    ),
    *[
        Row(
            fn,
            lambda e: {"generator": e.conditional_generator, "digit": 3, "count": 2, "seed": 1},
            {
                "generator": MODEL,
                "digit": count(0, maximum=9),
                "count": count(1, maximum=100),
                "seed": count(0),
            },
            names={"generator": "generator|model"},
        )
        for fn in (T.conditional_widgets.digit_grid, T.conditional_widgets.plot_digit_grid)
    ],
    Row(
        T.conditional_widgets.digit_picker,
        lambda e: {"generator": e.conditional_generator, "count": 2, "seed": 1},
        {"generator": MODEL, "count": count(1, maximum=100), "seed": count(0)},
        names={"generator": "generator|model"},
        run_valid=False,  # a widget
    ),
    Row(
        T.conv_diagrams.transposed_conv2d,
        lambda e: {"x": np.ones((3, 3)), "kernel": np.ones((2, 2)), "stride": 2},
        {"x": array(ranks=(2,), axes=()), "kernel": array(ranks=(2,), axes=()), "stride": count(1)},
    ),
    Row(
        T.conv_diagrams.overlap_counts,
        lambda e: {"size": 3, "kernel": 2, "stride": 2},
        {"size": count(1), "kernel": count(1), "stride": count(1)},
    ),
    Row(
        T.conv_diagrams.checkerboard_share,
        lambda e: {"images": e.x11},
        {"images": array(ranks=(3, 4), axes=(), dtypes=NUMBERS)},
    ),
    Row(
        T.conv_diagrams.checkerboard_share,
        lambda e: {"images": e.x11},
        {"images": values("shape", [np.zeros((2, 29, 28, 1))], lambda v: shape_pattern(v.shape))},
        label="odd size",
    ),
    Row(
        T.conv_diagrams.plot_transposed_convolution,
        lambda e: {"kernel": 3, "stride": 2},
        {"kernel": count(1), "stride": count(1)},
    ),
    Row(
        T.conv_diagrams.plot_generator_shapes,
        lambda e: {"shapes": [("z", (1, 1, 100)), ("7x7", (7, 7, 8))]},
        {
            "shapes": values(
                "type", [[], "shapes", [("z", (1, 1))], [("z", (7, -7, 8))], [3], None], _given_or_type
            )
        },
    ),
    Row(T.critics_1d.build_critic_1d, lambda e: {"hidden": 4}, {"hidden": count(1)}),
    Row(
        T.critics_1d.fit_critic_1d,
        lambda e: {"constraint": "penalty", "steps": 1, "batch_size": 4},
        {
            "constraint": option(*T.critics_1d.CONSTRAINTS),
            "shift": number(low=0, low_open=True),
            "width": number(low=0, low_open=True),
            "steps": count(1),
            "clip": POSITIVE,
            "penalty": POSITIVE,
            "learning_rate": number(low=0, high=1, low_open=True),
            "batch_size": count(1),
        },
        run_valid=False,  # training
    ),
    Row(T.critics_1d.plot_critics_1d, lambda e: {"fits": []}, {"fits": RESULT}, run_valid=False),
    Row(
        T.diagnostics.generator_gradient_trace,
        lambda e: {
            "generator": e.generator,
            "discriminator": e.discriminator,
            "real": e.x11,
            "d_steps": 1,
            "record_every": 1,
            "batch_size": 2,
            "d_lr": 1e-3,
        },
        {
            "generator": MODEL,
            "discriminator": MODEL,
            "real": SAME_NUMBERS,
            "d_steps": count(1),
            "record_every": count(1),
            "batch_size": count(1, maximum=6),
            "d_lr": POSITIVE,
        },
        run_valid=False,  # training
    ),
    Row(
        T.diagnostics.sample_diversity,
        lambda e: {"samples": e.x11, "reference": e.x11[::-1], "pairs": 10},
        {
            "samples": array(min_rank=1, axes=(), dtypes=NUMBERS),
            "reference": array(min_rank=1, axes=(), dtypes=NUMBERS),
            "pairs": count(1),
        },
    ),
    Row(
        T.diagnostics.template_class_shares,
        lambda e: {"samples": e.x11[:2], "images": e.x11, "labels": e.labels},
        {"samples": SAME_NUMBERS, "images": array(ranks=(4,), axes=(1,), dtypes=NUMBERS), "labels": CLASSES},
    ),
    Row(
        T.diagnostics.class_mean_images,
        lambda e: {"images": e.x11, "labels": e.labels},
        {"images": array(ranks=(4,), axes=(), dtypes=NUMBERS), "labels": CLASSES},
    ),
    Row(
        T.diagnostics.nearest_mean_shares,
        lambda e: {"samples": e.x11[:2], "means": e.x11[:3].reshape(3, -1)},
        {"samples": array(min_rank=2, axes=(1,), dtypes=NUMBERS), "means": array(ranks=(2,), dtypes=NUMBERS)},
    ),
    Row(
        T.diagrams.plot_timeline,
        lambda e: {"milestones": T.milestones.MILESTONES[:2]},
        {"milestones": values("type", [[], "GAN", [3], None], _given_or_type)},
    ),
    Row(
        T.exercises.exercise_problem,
        lambda e: {"exercise_id": "no-such-exercise"},
        {"exercise_id": values("option", ["no-such-exercise", 3, None], _given)},
        run_valid=False,
    ),
    Row(
        T.exercises.check,
        lambda e: {"exercise_id": "no-such-exercise"},
        {"exercise_id": values("option", ["no-such-exercise", 3, None], _given)},
        run_valid=False,
    ),
    Row(T.game_plots.plot_one_dimensional_game, lambda e: {"game": e.game}, {"game": RESULT}),
    Row(
        T.game_plots.plot_games_side_by_side,
        lambda e: {"games": [e.game, e.game], "titles": ["a", "b"]},
        {
            "games": values("type", [[3], "games", None, []], _given_or_type),
            "titles": values("length", [["a"], "ab", None], _given_or_type),
        },
    ),
    Row(
        T.game_plots.plot_generator_losses,
        lambda e: {"d_fake": 0.3},
        {"d_fake": number(low=0, high=1, low_open=True, high_open=True, none_ok=True)},
    ),
    Row(
        T.game_plots.draw_one_dimensional_training,
        lambda e: {
            "fig": plt.figure(),
            "x": e.game.x[::100],
            "p_data": e.game.p_data[::100],
            "samples": np.linspace(-1, 1, 7),
            "d_curve": e.game.d_star[::100],
            "history": {k: [1.0, 2.0] for k in T.game_plots.TRAINING_HISTORY_KEYS},
        },
        {
            "fig": of_type("a Figure", ["fig", None, 3]),
            "x": GRID,
            "p_data": array(ranks=(1,), axes=(0,), low=0),
            "samples": array(ranks=(1,), axes=()),
            "d_curve": array(ranks=(1,), axes=(0,), low=0, high=1),
            "history": values("type", [{"step": [1]}, "history", None], _given_or_type),
        },
    ),
    Row(
        T.game_plots.plot_generator_path,
        lambda e: {"mu_path": [0.0, 1.0], "sigma_path": [1.0, 0.9], "mu_data": 4.0, "sigma_data": 0.75},
        {
            "mu_path": array(ranks=(1,), axes=(0,)),
            "sigma_path": array(ranks=(1,), axes=(0,), low=0),
            "mu_data": number(),
            "sigma_data": POSITIVE,
        },
        run_valid=False,  # maps the game's value over 4,050 generators (about a second)
    ),
    Row(
        T.inpainting_plots.masked_picture,
        lambda e: {"image": e.x11[0], "mask": e.masks[0], "scale": (-1, 1)},
        {
            "image": array(ranks=(2, 3), axes=(0,), low=-1, high=1, dtypes=NUMBERS),
            "mask": array(ranks=(2, 3), axes=(1,), low=0, high=1, dtypes=("str", "complex", "object")),
            "scale": SCALE,
        },
    ),
    Row(
        T.inpainting_plots.plot_inpainting_table,
        lambda e: {
            "damaged": e.x11[:2],
            "masks": e.masks[:2],
            "columns": {"original": e.x11[:2]},
            "row_labels": ["a", "b"],
            "scale": (-1, 1),
            "cell_inches": 0.3,
        },
        {
            "damaged": array(ranks=(4,), axes=(1,), low=-1, high=1, dtypes=NUMBERS),
            "masks": MASKS,
            "columns": values(
                "type", [{"original": "x"}, "original", None, {"o": np.zeros((2, 28, 28))}], _given_or_type
            ),
            "row_labels": values("length", [["a"], "abc"], lambda v: f"{len(v)} row labels"),
            "scale": SCALE,
            "cell_inches": POSITIVE,
        },
    ),
    Row(
        T.inpainting_plots.plot_agreement_by_mask,
        lambda e: {"agreement": {"top": {"a": 0.5, "b": 0.7}}, "reference": 0.9},
        {
            "agreement": values(
                "type",
                [{}, {"top": {"a": 1.5}}, {"top": {"a": math.nan}}, {"top": 3}, "top", None],
                _given_or_type,
            ),
            "reference": number(low=0, high=1, none_ok=True),
        },
    ),
    Row(
        T.inpainting_plots.plot_search_history,
        lambda e: {"history": np.random.default_rng(0).random((5, 2, 3)), "labels": ["a", "b"]},
        {"history": array(ranks=(3,), axes=()), "labels": values("length", [["a"], "abc"], _given_or_type)},
    ),
    Row(
        T.inpainting_widgets.chooser_mask,
        lambda e: {"kind": "square", "top": 2, "left": 2, "side": 4, "missing": 0.5},
        # top and left outside the image are moved inside, as sliders can ask for
        {
            "kind": option(*T.inpainting_widgets.CHOOSER_KINDS),
            "top": values("type", [2.5, "3", True, None], _given),
            "left": values("type", [2.5, "3", True, None], _given),
            "side": count(1, maximum=28),
            "missing": number(low=0, high=1, high_open=True),
        },
    ),
    Row(
        T.inpainting_widgets.inpainting_view,
        lambda e: {
            "generator": e.generator,
            "image": e.x11[0],
            "mask": e.masks[0],
            "classify": _classify,
            "restarts": 1,
            "steps": 1,
            "learning_rate": 0.1,
        },
        {
            "generator": MODEL,
            "image": array(ranks=(2, 3), axes=(2,), low=-1, high=1, dtypes=(*NUMBERS, "int")),
            "mask": MASKS,
            "classify": CLASSIFY,
            "restarts": count(1),
            "steps": count(1),
            "learning_rate": POSITIVE,
        },
        run_valid=False,  # a latent search
    ),
    Row(
        T.inpainting_widgets.plot_inpainting_view, lambda e: {"views": []}, {"views": RESULT}, run_valid=False
    ),
    *[
        Row(
            fn,
            lambda e: {"generator": e.generator, "image": e.x11[0], "classify": _classify, "steps": 1},
            {
                "generator": MODEL,
                "image": array(ranks=(2, 3), axes=(2,), low=-1, high=1, dtypes=(*NUMBERS, "int")),
                "classify": CLASSIFY,
                "steps": count(1),
            },
            run_valid=False,
        )  # latent searches
        for fn in (T.inpainting_widgets.plot_chooser_gallery,)
    ],
    Row(
        T.inpainting_widgets.mask_chooser,
        lambda e: {"generator": e.generator, "images": e.x11[:2], "classify": _classify, "steps": 1},
        {"generator": MODEL, "images": IMAGES11, "classify": CLASSIFY, "steps": count(1)},
        run_valid=False,  # a widget and latent searches
    ),
    Row(
        T.latent_plots.plot_image_table,
        lambda e: {
            "images": e.x11.reshape(2, 3, 28, 28, 1),
            "row_labels": ["a", "b"],
            "scale": (-1, 1),
            "cell_inches": 0.3,
        },
        {
            "images": array(ranks=(4, 5), axes=(4,), low=-1, high=1, dtypes=NUMBERS),
            "scale": SCALE,
            "row_labels": values("length", [["a"], "abc"], lambda v: f"{len(v)} row labels"),
            "cell_inches": POSITIVE,
        },
    ),
    Row(
        T.latent_plots.plot_path_norms,
        lambda e: {"t": np.linspace(0, 1, 4), "norms": {"lerp": np.ones(4)}, "typical": 2.0, "spread": 0.5},
        {
            "t": array(ranks=(1,), axes=(), low=0, high=1),
            "norms": values(
                "type",
                [{"lerp": np.ones(3)}, {"lerp": "x"}, {"lerp": [np.nan] * 4}, "lerp", None, {}],
                _given_or_type,
            ),
            "typical": number(low=0, none_ok=True),
            "spread": number(low=0, none_ok=True),
        },
    ),
    Row(
        T.latent_plots.plot_path_predictions,
        lambda e: {
            "images": e.x11,
            "probabilities": e.probabilities,
            "reading": e.reading,
            "scale": (-1, 1),
            "show_every": 2,
        },
        {
            "images": array(ranks=(3, 4), axes=(), low=-1, high=1, dtypes=NUMBERS),
            "probabilities": PROBABILITIES,
            "reading": RESULT,
            "scale": SCALE,
            "show_every": count(1),
        },
    ),
    Row(
        T.latent_plots.plot_variance_shares,
        lambda e: {"shares": {"z": [0.5, 0.3]}},
        {
            "shares": values(
                "type",
                [{"z": [1.5]}, {"z": [math.nan]}, {"z": "x"}, {"z": []}, "z", None, {}],
                _given_or_type,
            )
        },
    ),
    Row(
        T.latent_plots.plot_latent_view,
        lambda e: {"image": e.x11[0], "probabilities": e.probabilities[0], "scale": (-1, 1)},
        {
            "image": array(ranks=(2, 3), axes=(), low=-1, high=1, dtypes=NUMBERS),
            "probabilities": array(ranks=(1, 2), axes=(), low=0, high=1, none_ok=True),
            "scale": SCALE,
        },
    ),
    Row(
        T.latent_widgets.latent_view,
        lambda e: {
            "render": e.render,
            "z": e.codes[0],
            "directions": e.codes[1:3],
            "amounts": [0.5, 1.0],
            "classify": _classify,
        },
        {
            "render": CLASSIFY,
            "z": CODE,
            "directions": array(ranks=(2,)),
            "amounts": array(ranks=(0, 1), axes=(0,)),
            "classify": of_type("a function or None", ["classify", 3]),
        },
    ),
    Row(
        T.latent_widgets.latent_direction_explorer,
        lambda e: {
            "render": e.render,
            "z": e.codes[0],
            "direction_sets": {"pca": e.codes[1:3]},
            "classify": _classify,
            "scale": (-1, 1),
            "limit": 3.0,
        },
        {
            "render": CLASSIFY,
            "z": CODE,
            "direction_sets": values(
                "type", [{"pca": np.ones((2, 3))}, {"pca": "x"}, "pca", None, {}], _given_or_type
            ),
            "classify": of_type("a function or None", ["classify", 3]),
            "scale": SCALE,
            "limit": POSITIVE,
        },
        run_valid=False,  # a widget
    ),
    Row(
        T.mnist_experiments.train_chapter_gan,
        lambda e: {
            "images": e.x01,
            "labels": e.labels,
            "name": "run",
            "steps": 2,
            "record_every": 1,
            "batch_size": 2,
            "n_samples": 2,
        },
        {
            "images": IMAGES01,
            "labels": LABELS,
            "steps": count(1),
            "d_lr": POSITIVE,
            "g_lr": POSITIVE,
            "beta_1": number(low=0, high=1, high_open=True),
            "g_loss": option("non_saturating", "saturating"),
            "record_every": count(1),
            "batch_size": count(1, maximum=6),
            "n_samples": count(1),
        },
        run_valid=False,  # training
    ),
    Row(
        T.mnist_experiments.train_chapter_gans,
        lambda e: {
            "images": e.x01,
            "labels": e.labels,
            "variants": {"a": {}},
            "steps": 2,
            "workers": 1,
            "record_every": 1,
            "batch_size": 2,
            "n_samples": 2,
        },
        {
            "variants": values("type", [{"a": 3}, {"a": {"typo_setting": 1}}, "a", None, {}], _given_or_type),
            "steps": count(1),
            "workers": count(1, none_ok=True),
        },
        run_valid=False,  # training
    ),
    *[
        Row(fn, lambda e: {"runs": []}, {"runs": RESULT}, run_valid=False)
        for fn in (T.mnist_experiments.plot_mnist_runs, T.mnist_experiments.plot_class_history)
    ],
    Row(
        T.ring_experiments.ring_coverage_or_diverged,
        lambda e: {"points": e.ring_points},
        # NaN or infinite points are a diverged generator, which it counts as covering nothing
        {"points": array(ranks=(2,), axes=(1,), skip=("nan",))},
    ),
    Row(
        T.ring_experiments.ring_dataset,
        lambda e: {"batch_size": 4, "seed": 0, "pool": 16},
        {"batch_size": count(1, maximum=16), "pool": count(1)},
    ),
    Row(
        T.ring_experiments.train_on_ring,
        lambda e: {
            "settings": _ring_settings(),
            "seed": 0,
            "record_every": 2,
            "n_samples": 10,
            "latent_dim": 2,
        },
        {
            "settings": RESULT,
            "record_every": count(1, maximum=4),
            "n_samples": count(1),
            "latent_dim": count(1),
        },
        run_valid=False,  # training
    ),
    Row(T.ring_experiments.summarize, lambda e: {"name": "a", "runs": []}, {"runs": RESULT}, run_valid=False),
    Row(
        T.ring_experiments.compare_settings,
        lambda e: {
            "named_settings": {"a": _ring_settings()},
            "seeds": [0],
            "progress": False,
            "workers": 1,
            "record_every": 2,
            "n_samples": 10,
            "latent_dim": 2,
        },
        {
            "named_settings": values("type", [{"a": 3}, "a", None, {}], _given_or_type),
            "seeds": values("type", [[], "0", None, [-1], [0.5]], _given_or_type),
            "workers": count(1, none_ok=True),
            "record_every": count(1, maximum=4),
            "n_samples": count(1),
            "latent_dim": count(1),
        },
        names={"named_settings": "settings", "seeds": "seeds?"},
        run_valid=False,  # training
    ),
    # NaN or infinite points (a diverged generator) count for no mode
    Row(
        T.ring_experiments.mode_shares,
        lambda e: {"points": e.ring_points, "high_quality_only": False},
        {"points": array(ranks=(2,), axes=(1,), skip=("nan",)), "high_quality_only": flag()},
    ),
    *[
        Row(
            fn,
            lambda e: {"samples": e.ring_points, "modes": 8, "radius": 2.0, "std": 0.02, "threshold": 3.0},
            {
                "samples": POINTS,
                "modes": count(1),
                "radius": POSITIVE,
                "std": POSITIVE,
                "threshold": POSITIVE,
            },
        )
        for fn in (T.ring_metrics.nearest_ring_mode, T.ring_metrics.ring_coverage)
    ],
    Row(
        T.ring_metrics.mean_and_std, lambda e: {"values": [1.0, 2.0]}, {"values": array(ranks=(1,), axes=())}
    ),
    Row(
        T.ring_plots.draw_ring,
        lambda e: {"ax": plt.figure().add_subplot(), "points": e.ring_points},
        # NaN or infinite points (a diverged generator) are left out; no points draw the ring alone
        {
            "ax": of_type("Axes", ["ax", None, 3]),
            "points": array(ranks=(2,), axes=(1,), none_ok=True, skip=("nan", "empty")),
        },
    ),
    Row(T.ring_plots.plot_ring_data, lambda e: {"points": e.ring_points}, {"points": POINTS}),
    *[
        Row(fn, lambda e, name=name: {name: None}, {name: RESULT}, run_valid=False)
        for fn, name in (
            (T.ring_plots.coverage_label, "coverage"),
            (T.ring_plots.plot_snapshots, "runs"),
            (T.ring_plots.plot_mode_shares, "runs"),
            (T.ring_plots.plot_training_curves, "runs"),
            (T.ring_plots.plot_gradient_trace, "trace"),
            (T.ring_plots.plot_settings_comparison, "summaries"),
            (T.ring_plots.plot_run_summary, "run"),
            (T.wgan_experiments.w1_trace, "run"),
            (T.wgan_experiments.plot_final_samples, "summaries"),
            (T.wgan_experiments.plot_race, "records"),
            (T.wgan_experiments.plot_race_samples, "records"),
        )
    ],
    # (trace is checked too, after run: a RingRun costs a training run to make)
    Row(
        T.wgan_experiments.plot_w1_trace,
        lambda e: {"run": None, "trace": None},
        {"run": RESULT},
        run_valid=False,
    ),
    Row(
        T.wgan_experiments.race,
        lambda e: {
            "name": "a",
            "gan": e.gan,
            "dataset": None,
            "steps": 2,
            "chunk": 1,
            "judge": None,
            "z": e.codes,
        },
        {"gan": MODEL, "steps": count(1), "chunk": count(1), "judge": RESULT},
        names={"gan": "gan|model"},
        run_valid=False,  # training
    ),
    *[
        Row(
            fn,
            lambda e: {"sources": [latent.expected_norm]},
            {"sources": values("type", [(), (3,), ("x",)], lambda v: _given(v[0]) if v else "")},
            names={"sources": "functions?"},
            call=lambda fn, kw: fn(*kw["sources"]),
        )
        for fn in (T.source.show_source,)
    ],
    Row(
        T.theory.gaussian_pdf,
        lambda e: {"x": np.linspace(-1, 1, 5), "mean": 0.0, "std": 1.0},
        {"x": array(min_rank=0, axes=(), skip=("empty",)), "mean": number(), "std": POSITIVE},
    ),
    Row(
        T.theory.optimal_discriminator,
        lambda e: {"p_data": e.game.p_data[::100], "p_g": e.game.p_g[::100]},
        {"p_data": array(ranks=(1,), axes=(0,), low=0), "p_g": array(ranks=(1,), axes=(0,), low=0)},
    ),
    Row(
        T.theory.game_value,
        lambda e: {
            "x": e.game.x[::100],
            "p_data": e.game.p_data[::100],
            "p_g": e.game.p_g[::100],
            "d": e.game.d_star[::100],
        },
        {
            "x": GRID,
            "p_data": array(ranks=(1,), axes=(0,), low=0),
            "p_g": array(ranks=(1,), axes=(0,), low=0),
            "d": array(ranks=(1,), axes=(0,), low=0, high=1),
        },
    ),
    *[
        Row(
            fn,
            lambda e: {"x": e.game.x[::100], "p": e.game.p_data[::100], "q": e.game.p_g[::100]},
            {"x": GRID, "p": array(ranks=(1,), axes=(0,), low=0), "q": array(ranks=(1,), axes=(0,), low=0)},
        )
        for fn in (T.theory.kl_divergence, T.theory.js_divergence, T.theory.wasserstein_1d)
    ],
    Row(
        T.theory.uniform_pdf,
        lambda e: {"x": np.linspace(-1, 1, 5), "start": 0.0, "width": 0.5},
        {"x": array(min_rank=0, axes=(), skip=("empty",)), "start": number(), "width": POSITIVE},
    ),
    Row(
        T.theory.distances_for_shifts,
        lambda e: {"shifts": np.linspace(0, 2, 3), "width": 0.5},
        {"shifts": array(ranks=(1,), axes=()), "width": POSITIVE},
    ),
    Row(
        T.theory.one_dimensional_game,
        lambda e: {
            "mu_g": 0.0,
            "sigma_g": 1.0,
            "mu_data": 4.0,
            "sigma_data": 0.75,
            "x": np.linspace(-5, 8, 50),
        },
        {
            "mu_g": number(),
            "sigma_g": POSITIVE,
            "mu_data": number(),
            "sigma_data": POSITIVE,
            "x": array(ranks=(1,), axes=(), none_ok=True),
        },
    ),
    Row(T.toy2d.ring_centers, lambda e: {"modes": 4, "radius": 1.0}, {"modes": count(1), "radius": POSITIVE}),
    Row(
        T.toy2d.sample_ring,
        lambda e: {"n": 5, "modes": 4, "radius": 1.0, "std": 0.1},
        {"n": count(1), "modes": count(1), "radius": POSITIVE, "std": POSITIVE},
    ),
    Row(
        T.translation_plots.plot_translation_table,
        lambda e: {"rows": {"input": e.x11[:2], "target": e.x11[2:4]}, "count": 2, "captions": ["a", "b"]},
        {
            "rows": values(
                "type",
                [{}, {"a": "x"}, {"a": np.full((2, 28, 28, 1), 3.0)}, {"a": np.zeros((2, 5))}, "rows", None],
                _given_or_type,
            ),
            "count": count(1),
            "captions": values("length", [["a"], "abc"], _given_or_type),
        },
    ),
    Row(
        T.translation_plots.plot_sharpness,
        lambda e: {"values": {"a": [0.1, 0.2], "b": [0.3]}},
        {"values": values("type", [{}, {"a": "x"}, {"a": [math.nan]}, {"a": []}, "a", None], _given_or_type)},
    ),
    Row(
        T.translation_plots.plot_translation_losses,
        lambda e: {"histories": {"L1": {"l1": [0.5, 0.4]}}, "every": 10},
        {
            "histories": values(
                "type",
                [{}, {"L1": {"l1": "x"}}, {"L1": 3}, {"L1": {"loss": [0.5]}}, "L1", None],
                _given_or_type,
            ),
            "every": count(1),
        },
    ),
    Row(
        T.wasserstein_plots.plot_js_vs_w1,
        lambda e: {"shift": 1.0, "width": 0.5, "max_shift": 2.0},
        {"shift": number(low=-2, high=2), "width": POSITIVE, "max_shift": POSITIVE},
    ),
    Row(
        T.widgets.optimal_discriminator_explorer,
        lambda e: {"mu_g": 0.0, "sigma_g": 1.5, "mu_data": 4.0, "sigma_data": 0.75},
        {
            "mu_g": number(low=-2, high=8),
            "sigma_g": number(low=0.2, high=2.5),
            "mu_data": number(),
            "sigma_data": POSITIVE,
        },
        run_valid=False,  # a widget
    ),
    Row(
        T.widgets.generator_loss_explorer,
        lambda e: {"d_fake": 0.05},
        {"d_fake": number(low=0.001, high=0.999)},
        names={"d_fake": r"d_fake|D\(G\(z\)\)"},
        run_valid=False,
    ),
    Row(
        T.widgets.ring_experiment,
        lambda e: {"steps": 200, "seed": 0, "train_now": False},
        {"steps": count(200, 8000), "seed": count(0, 10_000), "train_now": flag()},
        run_valid=False,
    ),
    Row(
        T.widgets.figure_output,
        lambda e: {"fig": plt.figure(figsize=(1, 1)), "dpi": 50},
        {"fig": of_type("Figure"), "dpi": count(10, 1000)},
    ),
    Row(
        T.widgets.explorer,
        lambda e: {"controls": [_slider()], "draw": lambda: plt.figure(figsize=(1, 1))},
        {"controls": of_type("ipywidgets"), "draw": of_type("function", ["draw", 3, None])},
        run_valid=False,
    ),
    Row(T.widgets.check_controls, lambda e: {"controls": [_slider()]}, {"controls": of_type("ipywidgets")}),
    Row(T.widgets.control_row, lambda e: {"controls": [_slider()]}, {"controls": of_type("ipywidgets")}),
    Row(T.widgets.widen_sliders, lambda e: {"controls": [_slider()]}, {"controls": of_type("ipywidgets")}),
    Row(
        T.widget_preview.control_readout,
        lambda e: {"control": _slider()},
        {"control": of_type("ipywidget", ["slider", 3, None, np.zeros(2)])},
    ),
    Row(
        T.widget_preview.preview_caption,
        lambda e: {"controls": [_slider()]},
        {"controls": of_type("ipywidgets")},
    ),
    Row(
        T.widget_preview.captioned_png,
        lambda e: {"fig": plt.figure(figsize=(1, 1)), "caption": "note", "dpi": 50},
        {"fig": of_type("Figure"), "caption": of_type("text", [3, None, ["a"]]), "dpi": count(10, 1000)},
    ),
    Row(
        T.wasserstein_plots.js_w1_explorer,
        lambda e: {"shift": 1.0, "width": 0.5},
        {"shift": number(low=-3, high=3), "width": POSITIVE},
        run_valid=False,  # a widget
    ),
    Row(
        T.wgan_experiments.ring_methods,
        lambda e: {"steps": None},
        {"steps": values("type", [{"wgan": 3}, "steps", 3], _given_or_type)},
    ),
    Row(
        T.wgan_experiments.race_contenders,
        lambda e: {"base_filters": 1, "seed": 0},
        {"base_filters": count(1)},
        run_valid=False,
    ),
    Row(
        T.wgan_experiments.exact_w1,
        lambda e: {"a": e.ring_points[:5], "b": e.ring_points[5:10]},
        {"a": POINTS, "b": array(ranks=(2,))},
    ),
]


# --- the toolkit's own checks, the recipes and the classes learners call ---------------------------------


def _first_cell_or_type(value: object) -> str:
    """What a message about a bad list of cells shows: the bad first cell, or the wrong type."""
    return re.escape(repr(value[0])) if isinstance(value, list) else type_pattern(value)


MORE: list[Row] = [
    *(
        Row(fn, lambda e: {"name": "mlp_gan"}, {"name": option(*gh.presenter.SHIPPED)})
        for fn in (
            gh.presenter.model_card,
            gh.presenter.load_generator,
            gh.presenter.notice,
            gh.presenter.training_record,
            gh.presenter.stand_in,
        )
    ),
    Row(gh.settings.use_mixed_precision, lambda e: {"enabled": False}, {"enabled": option("auto")}),
    *(
        Row(
            fn,
            lambda e: {"cells": [{"cell_type": "markdown", "source": "# T"}]},
            {"cells": values("cells", [None, "x", [1], [{}]], _first_cell_or_type)},
        )
        for fn in (gh.slides.slide_plan, gh.slides.buried_headings)
    ),
    *(
        Row(
            fn,
            lambda e: {"notebook": {"cells": []}},
            {"notebook": values("notebook", [None, [], "x", {"cells": 3}])},
        )
        for fn in (gh.slides.mismatches, gh.slides.apply_slide_plan)
    ),
    *(
        Row(
            fn,
            lambda e: {"cell": {"cell_type": "code", "source": ""}},
            {"cell": values("cell", [None, "x", {}])},
        )
        for fn in (gh.slides.cell_height, gh.slides.slide_type)
    ),
    *(
        Row(
            fn,
            lambda e: {"kind": "ring", "key": {"seed": 0}},
            {
                "kind": option(*gh.recorded_runs.KINDS),
                "key": values("key", [None, {}, "seed", {"z": np.zeros(2)}], _given_or_type),
            },
        )
        for fn in (gh.recorded_runs.run_id, gh.recorded_runs.find_run)
    ),
    Row(
        gh.recorded_runs.save_run,
        lambda e: {
            "kind": "ring",
            "key": {"seed": 0},
            "arrays": {"steps": np.arange(3)},
            "seconds": 1.5,
            "summary": "3/8 modes covered",
            "extra": {"images": 5000},
        },
        {
            "kind": option(*gh.recorded_runs.KINDS),
            "key": values("key", [None, {}, "seed", {"z": np.zeros(2)}], _given_or_type),
            "arrays": values("arrays", [None, {}, "steps", {"steps": [1, 2]}], _given_or_type),
            "seconds": number(low=0),
            "summary": values("summary", [None, "", 3], _given),
            "extra": values("extra", ["images", 3], _given_or_type),
        },
    ),
    Row(
        gh.recorded_runs.load_run,
        lambda e: {"name": next(iter(gh.recorded_runs.recorded_runs()))},
        {"name": values("name", [None, "", 3, "ring-0000000000000000"], _given)},
    ),
    Row(
        gh.recorded_runs.notice,
        lambda e: {
            "what": "35 recorded ring runs",
            "seconds": 200.0,
            "count": 35,
            "trained_here": 0,
            "detail": "4,000 steps",
        },
        {
            "what": values("what", [None, "", 3], _given),
            "seconds": number(low=0),
            "count": count(1),
            "trained_here": count(0),
            "detail": values("detail", [None, 3], type_pattern),
        },
    ),
    Row(
        gh.recorded_runs.pack_history,
        lambda e: {"history": {"d_loss": [0.7, 0.6]}},
        {"history": values("history", [None, {}, "d_loss", 3], _given_or_type)},
    ),
    Row(
        gh.recorded_runs.unpack_history,
        lambda e: {"arrays": {"history.d_loss": np.array([0.7, 0.6])}},
        {"arrays": values("type", [None, "history.d_loss", 3], type_pattern)},
    ),
    Row(
        gh.recorded_runs.many,
        lambda e: {"count": 3, "noun": "ring run"},
        {"count": count(0), "noun": values("noun", [None, "", 3], _given)},
    ),
    Row(
        gh.presenter.use_shipped_generator,
        lambda e: {"gan": _chapter_gan(), "name": "mlp_gan"},
        {
            "gan": values("type", [3, None, "mlp_gan"], lambda v: type(v).__name__),
            "name": option(*gh.presenter.SHIPPED),
        },
    ),
    Row(
        gh.checks.check_count,
        lambda e: {"value": 3, "name": "n", "minimum": 1, "maximum": 5},
        {"value": count(1, maximum=5)},
        names={"value": r"\bn\b"},
    ),
    Row(
        gh.checks.check_number,
        lambda e: {"value": 0.5, "name": "share", "low": 0, "high": 1},
        {"value": number(low=0, high=1)},
        names={"value": "share"},
    ),
    Row(
        gh.checks.check_option,
        lambda e: {"value": "a", "name": "kind", "choices": ("a", "b")},
        {"value": option("a", "b")},
        names={"value": "kind"},
    ),
    Row(
        gh.checks.check_numbers,
        lambda e: {"values": e.codes, "name": "codes", "shape": "(n, d)", "ndim": 2},
        {"values": array(ranks=(2,), axes=())},
        names={"values": "codes"},
    ),
    Row(
        gh.checks.check_mapping,
        lambda e: {"value": {"a": 1}, "name": "shares", "example": "{'z': shares}"},
        {"value": values("type", [{}, "a", None, [("a", 1)]], _given_or_type)},
        names={"value": "shares"},
    ),
    Row(
        gh.checks.check_items,
        lambda e: {"values": [e.agreement], "name": "results", "kind": metrics.LabelAgreement, "source": "x"},
        {"values": values("type", [[], "a", None, [3], (e for e in ())], _given_or_type)},
        names={"values": "results"},
    ),
    Row(
        data.check_picture,
        lambda e: {"image": e.x01[0], "scale": (0, 1)},
        {
            "image": array(ranks=(2, 3), axes=(2,), low=0, high=1, dtypes=(*NUMBERS, "int")),
            "scale": pair(none_ok=True),
        },
    ),
    Row(
        inpainting.check_masks,
        lambda e: {"masks": e.masks},
        {"masks": array(min_rank=0, axes=(), low=0, high=1, dtypes=("str", "complex", "object"))},
    ),
    Row(
        gh.evaluation.benchmark_samples,
        lambda e: {"generator": e.generator, "scale": (-1.0, 1.0), "seed": 1},
        {"generator": MODEL, "scale": pair()},
    ),
    Row(
        gh.evaluation.balanced_halves,
        lambda e: {"labels": np.repeat(np.arange(3), 4), "seed": 0},
        {"labels": array(ranks=(1,), axes=(), low=0)},
    ),
    Row(
        gh.recipes.mlp_gan,
        lambda e: {"d_output": "logits", "g_loss": "saturating", "augment_pixels": 1},
        {
            "d_output": option(*gh.training.D_OUTPUTS),
            "g_loss": option(*gh.training.G_LOSSES),
            "augment_pixels": count(0),
        },
        run_valid=False,  # builds the chapter's models
    ),
    Row(
        gh.recipes.train_mlp_gan,
        lambda e: {"images": e.mnist.images[:128], "steps": 1, "augment_pixels": 0, "d_output": "logits"},
        {
            "images": IMAGES01,
            "steps": count(1),
            "augment_pixels": count(0),
            "d_output": option(*gh.training.D_OUTPUTS),
            "trained_on": RECORD,
        },
        run_valid=False,  # training
    ),
    Row(gh.recipes.dcgan, lambda e: {"base_filters": 1}, {"base_filters": count(1)}, run_valid=False),
    Row(
        gh.recipes.train_dcgan,
        lambda e: {"images": e.mnist.images[:128], "steps": 1, "base_filters": 1},
        {"images": IMAGES01, "steps": count(1), "base_filters": count(1), "trained_on": RECORD},
        run_valid=False,  # training
    ),
    Row(
        gh.recipes.wgan_gp,
        lambda e: {"base_filters": 1, "d_steps": 2},
        {"base_filters": count(1), "d_steps": count(1)},
        run_valid=False,
    ),
    Row(
        gh.recipes.conditional_gan,
        lambda e: {"conditioning": "concat", "base_filters": 1},
        {"conditioning": option(*models.CONDITIONINGS), "base_filters": count(1)},
        run_valid=False,
    ),
    Row(
        gh.recipes.train_conditional_gan,
        lambda e: {"data": e.mnist, "steps": 1, "conditioning": "concat", "base_filters": 1},
        {
            "data": values("type", [(np.zeros((2, 28, 28, 1)), np.zeros(2)), "mnist", None], _given_or_type),
            "steps": count(1),
            "conditioning": option(*models.CONDITIONINGS),
            "base_filters": count(1),
        },
        run_valid=False,  # training
    ),
]

# --- classes learners call directly: their constructors' options and main methods (beyond the functions) ---

CLASS_ROWS: list[Row] = [
    Row(
        gh.augment.RandomShift,
        lambda e: {"pixels": 2, "background": -1.0},
        {"pixels": count(0), "background": number()},
    ),
    Row(
        gh.augment.RandomShift,
        lambda e: {"images": e.x11, "rng": e.rng},
        # only the rank is checked: __call__'s source is shown in notebook 07 (see SHOWN_IN_NOTEBOOKS)
        {"images": array(ranks=(4,), axes=(), dtypes=(), tensor=True, skip=("nan", "empty", "type"))},
        call=lambda fn, kw: fn(1)(kw["images"], kw["rng"]),
        label="call",
    ),
    Row(
        gh.training.GAN,
        lambda e: {
            "generator": e.ring_generator,
            "discriminator": e.critic,
            "d_output": "logits",
            "g_loss": "saturating",
            "real_label": 0.9,
            "instance_noise": 0.1,
            "update": "alternating",
            "d_steps": 2,
        },
        {
            "generator": MODEL,
            "discriminator": MODEL,
            "d_output": option(*gh.training.D_OUTPUTS),
            "g_loss": option(*gh.training.G_LOSSES),
            "real_label": number(low=0.5, high=1, low_open=True),
            "instance_noise": number(low=0),
            "update": option(*gh.training.UPDATES),
            "d_steps": count(1),
            "gradient_penalty": number(low=0),
            "num_classes": count(2, none_ok=True),
            "augment": of_type("a callable or None", ["shift", 3]),
            "latent_dim": count(1, none_ok=True),
        },
    ),
    Row(
        gh.training.GAN,
        lambda e: {"gan": e.gan, "n": 3},
        {"n": count(1), "labels": values("labels", [3, [0, 1, 2]], lambda v: "uncondition")},
        call=lambda fn, kw: kw["gan"].generate(**{k: v for k, v in kw.items() if k != "gan"}),
        label="generate",
    ),
    Row(
        gh.training.GAN,
        lambda e: {"gan": e.gan, "z": e.codes[:, :2]},
        {"z": array(ranks=(2,), axes=(1,))},
        call=lambda fn, kw: kw["gan"].generate(**{k: v for k, v in kw.items() if k != "gan"}),
        label="generate z",
    ),
]

TABLE: list[Row] = TOOLKIT + TEACHING + MORE + CLASS_ROWS

# --- functions without array, size or option input, or whose input is legitimately anything --------------

_NO_INPUT = "takes no argument (or only switches), so there is no bad input to give"
_LEARNER_ANSWER = (
    "checks a learner's answer: any value is a legitimate, perhaps wrong, answer, and what is wrong with it "
    "is returned (or shown) as text for the learner rather than raised"
)
_FILE_PATH = (
    "takes a file or folder path: any text is a possible name, and a missing or unreadable file raises "
    "FileNotFoundError/ValueError naming the path (tests/test_resume.py, test_training_data_records.py)"
)

#: Arguments whose checks wait for a notebook refresh: these functions' source is shown in a notebook
#: (gh.show_source), and tests/test_notebook_sources.py requires the stored output to match today's code.
SHOWN_IN_NOTEBOOKS: dict[str, str] = {
    "losses.discriminator_loss": "real_label (any number is used as given); notebook 02",
    "losses.discriminator_loss_from_logits": "real_label, and the message says 'the logits'; notebook 02",
    "losses.generator_loss_from_logits": "the message says 'the logits'; notebook 02",
    "data.make_dataset": "labels' dtype and values (only their shape is checked); notebook 03",
    "augment.RandomShift.__call__": "images' dtype, NaN, empty batch, rng's type; notebook 07",
    "inpainting.inpainting_objective": "every argument but prior (shapes, dtypes, NaN, weights); notebook 11",
}

EXCLUDED: dict[str, str] = {
    # no input
    "settings.is_fast": _NO_INPUT + " (a bad GAN_COURSE_FAST value is tested in tests/test_settings.py)",
    "settings.is_presenter": _NO_INPUT + " (a bad GAN_COURSE_PRESENTER value: tests/test_presenter.py)",
    "settings.ensure_tensorflow_backend": _NO_INPUT,
    "recorded_runs.recording_notebook": _NO_INPUT
    + " (a bad GAN_COURSE_RECORD_RUNS: tests/test_recorded_runs.py)",
    "recorded_runs.recorded_runs": _NO_INPUT,
    "settings.quiet_logs": _NO_INPUT,
    "settings.native_stderr_silenced": _NO_INPUT,
    "settings.import_tensorflow_quietly": _NO_INPUT,
    "environment.in_colab": _NO_INPUT,
    "environment.gpu_names": _NO_INPUT,
    "environment.device_description": _NO_INPUT,
    "environment.environment_report": _NO_INPUT,
    "processes.available_cores": _NO_INPUT,
    "processes.shutdown_workers": _NO_INPUT + " (terminate: any true value terminates, as in Python)",
    "live_figure.in_notebook": _NO_INPUT,
    "course.repository_url": _NO_INPUT,
    "course.pip_install_target": _NO_INPUT,
    "diagrams.plot_gan_diagram": _NO_INPUT,
    "conditional_plots.plot_conditioning_diagram": _NO_INPUT,
    "reference_classifier.build_classifier": _NO_INPUT + " (only a seed)",
    # anything goes
    "progress.progress": "wraps any iterable, as tqdm does; desc and total are only shown",
    # file paths
    "checkpoints.artifacts_dir": "takes folder names: any text is a valid name (a subfolder is made)",
    "checkpoints.load_training_record": _FILE_PATH,
    "checkpoints.load_model": _FILE_PATH,
    "checkpoints.saved_keras_version": _FILE_PATH + "; it returns None for anything unreadable, by design",
    "reference_classifier.load_reference_classifier": _FILE_PATH,
    "reference_classifier.model_card": _FILE_PATH,
    "presenter.file_sha256": _FILE_PATH,
    "slides.main": "the command line: argparse refuses bad arguments and a missing file with a usage line "
    "(tests/test_slide_plan.py)",
    # a learner's answers
    "exercises.feedback": _LEARNER_ANSWER,
    "exercises.scaled_images_problem": _LEARNER_ANSWER,
    "exercises.perfect_generator_problem": _LEARNER_ANSWER,
    "exercises.discriminator_loss_problem": _LEARNER_ANSWER,
    "exercises.generator_loss_from_logits_problem": _LEARNER_ANSWER,
    "exercises.ring_run_problem": _LEARNER_ANSWER,
    "exercises.agreement_function_problem": _LEARNER_ANSWER,
    "exercises.w1_sorting_problem": _LEARNER_ANSWER,
    "exercises.critic_losses_problem": _LEARNER_ANSWER,
    "exercises.masked_mse_function_problem": _LEARNER_ANSWER,
    "exercises.chapter_models_problem": _LEARNER_ANSWER,
    "exercises.check_chapter_models": _LEARNER_ANSWER,
    "exercises.train_step_problem": _LEARNER_ANSWER,
    "exercises.check_train_step": _LEARNER_ANSWER,
    "checks.dtype_problem": "describes what is wrong with an array's elements (returns text, None when "
    "fine); "
    "the checks that raise are tested through every function that uses them",
}


# --- the tests -------------------------------------------------------------------------------------------


def _public_functions() -> dict[str, Callable[..., object]]:
    """``gh.<name>`` functions and ``gh.<module>.<function>`` for the modules gan_helpers exposes: public
    (no leading underscore), defined in that module, with a docstring."""
    found: dict[str, Callable[..., object]] = {}
    for name in gh.__all__:
        obj = getattr(gh, name)
        if isinstance(obj, types.ModuleType):
            for fn_name, fn in vars(obj).items():
                if (
                    not fn_name.startswith("_")
                    and inspect.isfunction(fn)
                    and fn.__module__ == obj.__name__
                    and fn.__doc__
                ):
                    found[_key(fn)] = fn
        elif inspect.isfunction(obj):
            found[_key(obj)] = obj
    return found


def test_every_public_function_has_a_decision():
    public = set(_public_functions())
    tabled = {row.key for row in TABLE if row not in CLASS_ROWS}
    assert not tabled & set(EXCLUDED), f"both tested and excluded: {sorted(tabled & set(EXCLUDED))}"
    undecided = public - tabled - set(EXCLUDED)
    assert not undecided, (
        f"public functions with no bad-input decision: {sorted(undecided)}; add a row to TABLE (a valid call "
        "and the bad values that apply) or an entry to EXCLUDED with the reason"
    )
    stale = (tabled | set(EXCLUDED)) - public
    assert not stale, f"entries for functions that are not public (any more): {sorted(stale)}"


def _valid(row: Row, env: Env, tmp_path) -> dict[str, object]:
    env.tmp = tmp_path
    return row.valid(env)


@pytest.mark.parametrize("row", [r for r in TABLE if r.run_valid], ids=lambda r: r.id)
def test_the_valid_call_works(row, env, tmp_path):
    """The baseline: the table's valid call runs, so each refusal below is about the one bad argument."""
    try:
        row.run(_valid(row, env, tmp_path))
    finally:
        plt.close("all")


@pytest.mark.parametrize("row", TABLE, ids=lambda r: r.id)
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    phases=(Phase.explicit, Phase.generate),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(draw=st.data())
def test_bad_input_is_refused_clearly(row, env, tmp_path, draw):
    valid = _valid(row, env, tmp_path)
    problems = []
    for param, spec in row.bad.items():
        names = row.names.get(param, param)
        for kind, strategy in spec(valid.get(param)).items():
            bad = draw.draw(strategy, label=f"{param} ({kind})")
            kwargs = {**valid, param: bad.value}
            problem = refusal_problem(lambda kwargs=kwargs: row.run(kwargs), names, bad)
            plt.close("all")
            if problem:
                problems.append(f"{param}={bad!r}: {problem}")
    assert not problems, f"{row.id} accepted or muddled bad input:\n  " + "\n  ".join(problems)
