"""Chapter 08's teaching aids: the conditioning diagram, the class-row grid, the label-agreement figure and
the digit picker (its drawing function tested directly, its widget without printing)."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.patches import Rectangle
from matplotlib.text import Text

import gan_helpers as gh
from gan_helpers import conditional_plots, conditional_widgets

LATENT = 8


@pytest.fixture(scope="module")
def generator():
    gh.seed_everything(0)
    return gh.models.build_conditional_generator(latent_dim=LATENT, base_filters=2)


def texts(fig) -> str:
    """Every piece of text in a figure, joined (titles, labels, tick labels, legend, annotations)."""
    return "\n".join(t.get_text() for t in fig.findobj(Text))


# --- digit_grid: the function behind the widget ---------------------------------------------------------


def test_digit_grid_shape_range_and_seed(generator):
    grid = conditional_widgets.digit_grid(generator, 3, 5, seed=1)
    assert grid.shape == (5, 28, 28, 1)
    assert grid.min() >= -1 and grid.max() <= 1  # tanh
    np.testing.assert_array_equal(grid, conditional_widgets.digit_grid(generator, 3, 5, seed=1))
    assert not np.allclose(grid, conditional_widgets.digit_grid(generator, 3, 5, seed=2))


def test_digit_grid_uses_the_seeds_noise_for_any_digit(generator):
    z = np.random.default_rng(4).standard_normal((6, LATENT)).astype("float32")
    for digit in (0, 7):
        expected = gh.sampling.generate(generator, z=z, labels=[digit] * 6)
        np.testing.assert_allclose(conditional_widgets.digit_grid(generator, digit, 6, seed=4), expected)
    # the label matters: same noise, another digit, another picture
    assert not np.allclose(
        conditional_widgets.digit_grid(generator, 0, 6, seed=4),
        conditional_widgets.digit_grid(generator, 7, 6, seed=4),
    )
    # more samples keep the first ones (the slider adds samples, it does not redraw them)
    np.testing.assert_allclose(
        conditional_widgets.digit_grid(generator, 7, 9, seed=4)[:6],
        conditional_widgets.digit_grid(generator, 7, 6, seed=4),
        atol=1e-6,
    )


@pytest.mark.parametrize(
    ("digit", "count", "seed", "message"),
    [
        (10, 4, 0, "0..9"),
        (-1, 4, 0, "0..9"),
        (2.0, 4, 0, "one whole number"),
        ([1, 2], 2, 0, "one whole number"),
        (True, 4, 0, "one whole number"),
        (3, 0, 0, "between 1 and 100"),
        (3, 101, 0, "between 1 and 100"),
        (3, 2.5, 0, "whole number of samples"),
        (3, 4, -1, "seed must be"),
    ],
)
def test_digit_grid_refuses_bad_input(generator, digit, count, seed, message):
    with pytest.raises(ValueError, match=message):
        conditional_widgets.digit_grid(generator, digit, count, seed=seed)


def test_digit_grid_refuses_an_unconditional_generator():
    unconditional = gh.models.build_dcgan_generator(latent_dim=LATENT, base_filters=2)
    with pytest.raises(ValueError, match="unconditional"):
        conditional_widgets.digit_grid(unconditional, 3, 4)
    with pytest.raises(ValueError, match="unconditional"):
        conditional_widgets.digit_picker(unconditional)


def test_plot_digit_grid_shows_the_samples_tiled(generator):
    fig = conditional_widgets.plot_digit_grid(generator, 5, 10, seed=3)
    (ax,) = fig.axes
    assert "10 samples of the digit 5" in ax.get_title() and "seed 3" in ax.get_title()
    shown = ax.images[0].get_array()
    expected = gh.tile_images(conditional_widgets.digit_grid(generator, 5, 10, seed=3), ncols=8, pad_value=-1)
    np.testing.assert_allclose(shown, expected)


def test_digit_picker_redraws_on_every_control_without_printing(generator, capsys):
    import ipywidgets as w

    box = conditional_widgets.digit_picker(generator, count=4, seed=2)
    out = box.children[-1]
    assert isinstance(out, w.Output) and len(out.outputs) == 1  # a picture before anyone touches it
    assert isinstance(box.digit, w.ToggleButtons) and list(box.digit.options) == list(range(10))
    assert (box.count.min, box.count.max, box.count.value) == (1, 64, 4)

    def picture() -> str:
        return out.outputs[0]["data"]["image/png"]

    seen = [picture()]
    box.digit.value = 8
    seen.append(picture())
    box.count.value = 9
    seen.append(picture())
    box.new_noise.click()  # the button moves to the next seed
    assert box.seed.value == 3
    seen.append(picture())
    assert len(set(seen)) == 4
    assert len(out.outputs) == 1
    assert capsys.readouterr().out == ""  # widget callbacks never print
    with pytest.raises(ValueError, match="between 1 and 64"):
        conditional_widgets.digit_picker(generator, count=65)


# --- figures ---------------------------------------------------------------------------------------------


def test_conditioning_diagram_has_three_titled_panels_with_the_shapes():
    fig = conditional_plots.plot_conditioning_diagram()
    assert [ax.get_title() for ax in fig.axes] == [
        "(a) conditional generator",
        "(b) concat discriminator",
        "(c) projection discriminator",
    ]
    generator_text, concat_text, projection_text = (
        "\n".join(t.get_text() for t in ax.texts) for ax in fig.axes
    )
    assert "(100)" in generator_text and "(10)" in generator_text and "(110)" in generator_text
    assert "28×28×11" in concat_text and "28×28×10" in concat_text
    assert "(3136)" in projection_text and "embed(y)·h" in projection_text
    assert "logit = w·h + b + embed(y)·h" in projection_text


def test_class_rows_one_labelled_row_per_class(generator):
    z, labels = gh.sampling.class_grid_inputs(3, latent_dim=LATENT)
    images = gh.sampling.generate(generator, z=z, labels=labels)
    fig = conditional_plots.plot_class_rows(images, 3, title="ten digits")
    (ax,) = fig.axes
    assert [t.get_text() for t in ax.get_yticklabels()] == [str(d) for d in range(10)]
    assert ax.get_xlabel() == "same noise in each column"
    assert ax.get_title() == "ten digits"
    np.testing.assert_allclose(ax.images[0].get_array(), gh.tile_images(images, ncols=3, pad_value=-1))
    assert ax.images[0].get_clim() == (-1.0, 1.0)

    grey = np.repeat(np.linspace(0, 1, 2), 6)[:, None, None] * np.ones((12, 28, 28))  # (N, H, W) works too
    fig = conditional_plots.plot_class_rows(grey, 6, scale=(0, 1), row_labels=["even", "odd"])
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["even", "odd"]
    assert fig.axes[0].get_title() == ""


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"per_class": 5}, "whole number of rows"),
        ({"per_class": 0}, "per_class"),
        ({"per_class": 3, "row_labels": ["a"]}, "1 row labels for 4 rows"),
        ({"per_class": 3, "scale": (0, 1)}, r"pixels in \[0, 1\]"),
    ],
)
def test_class_rows_refuses_bad_layouts(kwargs, message):
    images = np.linspace(-1, 1, 12 * 28 * 28).reshape(12, 28, 28, 1).astype("float32")
    with pytest.raises(ValueError, match=message):
        conditional_plots.plot_class_rows(images, **kwargs)


def agreement(accuracy: float, seed: int) -> gh.metrics.LabelAgreement:
    """A LabelAgreement from a made-up classifier that is right about ``accuracy`` of the time."""
    rng = np.random.default_rng(seed)
    labels = np.repeat(np.arange(10), 30)
    right = rng.random(len(labels)) < accuracy
    predicted = np.where(right, labels, rng.integers(0, 10, len(labels)))
    return gh.metrics.label_agreement(np.eye(10)[predicted], labels)


def test_label_agreement_bars_targets_legend_and_confusion():
    models = {"projection": agreement(0.95, 0), "concat": agreement(0.7, 1)}
    fig = conditional_plots.plot_label_agreement(models)
    assert len(fig.axes) == 2
    ax_bars, ax_conf = fig.axes
    bars = [p for p in ax_bars.patches if isinstance(p, Rectangle)]
    assert len(bars) == 20
    np.testing.assert_allclose([b.get_height() for b in bars[:10]], models["projection"].per_class)
    np.testing.assert_allclose([b.get_height() for b in bars[10:]], models["concat"].per_class)
    assert ax_bars.get_ylim() == (0.0, 1.0)
    assert sorted(line.get_ydata()[0] for line in ax_bars.lines) == [0.85, 0.95]
    legend = [t.get_text() for t in ax_bars.get_legend().get_texts()]
    for name, value in models.items():
        assert any(t.startswith(f"{name}: overall {100 * value.overall:.1f}%") for t in legend), legend
    assert "overall target 95%" in legend and "per-class target 85%" in legend
    # the confusion matrix of the first model, its counts written in the cells (row = requested)
    assert "projection" in ax_conf.get_title()
    cells = {(round(t.get_position()[1]), round(t.get_position()[0])): t.get_text() for t in ax_conf.texts}
    confusion = models["projection"].confusion
    assert cells == {(r, c): str(confusion[r, c]) for r in range(10) for c in range(10)}
    np.testing.assert_array_equal(ax_conf.images[0].get_array(), confusion)
    assert ax_conf.get_ylabel() == "requested class" and ax_conf.get_xlabel() == "predicted class"


def test_label_agreement_options_and_errors():
    one = agreement(0.9, 2)
    fig = conditional_plots.plot_label_agreement({"a": one, "b": agreement(0.5, 3)}, confusion_of="b")
    assert "b" in fig.axes[1].get_title()
    fig = conditional_plots.plot_label_agreement({"only": one}, targets=(0.9, 0.8))
    assert "overall target 90%" in texts(fig) and "per-class target 80%" in texts(fig)
    with pytest.raises(ValueError, match="at least one model"):
        conditional_plots.plot_label_agreement({})
    with pytest.raises(ValueError, match="LabelAgreement"):
        conditional_plots.plot_label_agreement({"a": 0.9})
    with pytest.raises(ValueError, match="not one of the models"):
        conditional_plots.plot_label_agreement({"a": one}, confusion_of="z")
    with pytest.raises(ValueError, match="between 0 and 1"):
        conditional_plots.plot_label_agreement({"a": one}, targets=(95, 85))
