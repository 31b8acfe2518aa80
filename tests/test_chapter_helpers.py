"""Helpers behind chapters 01-02: plots, the live figure, widgets, exercise checks, source display."""

from __future__ import annotations

import numpy as np
import pytest

import gan_helpers as gh
from gan_helpers import (
    diagrams,
    exercises,
    game_plots,
    live_figure,
    losses,
    milestones,
    source,
    theory,
    widgets,
)


def test_one_dimensional_game_plot_shows_both_densities_and_d_star():
    game = theory.one_dimensional_game(0.0, 1.5)
    fig = game_plots.plot_one_dimensional_game(game)
    main, twin = fig.axes
    assert len(main.collections) == 2  # p_data and p_g, filled
    d_line = twin.lines[0]
    np.testing.assert_allclose(d_line.get_ydata(), game.d_star)
    assert f"{game.value:.3f}" in main.get_title()


def test_side_by_side_needs_a_title_per_game():
    game = theory.one_dimensional_game(1.0, 1.0)
    fig = game_plots.plot_games_side_by_side([game, game], ["a", "b"])
    assert len([ax for ax in fig.axes if ax.get_title()]) == 2
    with pytest.raises(ValueError, match="as many titles"):
        game_plots.plot_games_side_by_side([game], ["a", "b"])


def test_generator_loss_curves_match_the_closed_forms():
    d = np.array([1e-4, 0.01, 0.3, 0.5, 0.97])
    c = losses.generator_loss_curves(d)
    np.testing.assert_allclose(c["saturating"], np.log(1 - d))
    np.testing.assert_allclose(c["non_saturating"], -np.log(d))
    np.testing.assert_allclose(c["saturating_grad"], -d, atol=1e-6)
    np.testing.assert_allclose(c["non_saturating_grad"], -(1 - d), atol=1e-6)
    with pytest.raises(ValueError, match="strictly between 0 and 1"):
        losses.generator_loss_curves(np.array([0.0, 0.5]))


def test_generator_loss_plot_marks_the_chosen_point():
    fig = game_plots.plot_generator_losses(0.01)
    assert "0.010" in fig._suptitle.get_text()
    right = fig.axes[1]
    marked = sorted(
        round(float(line.get_ydata()[0]), 3) for line in right.lines if len(line.get_ydata()) == 1
    )
    assert marked == [0.01, 0.99]
    with pytest.raises(ValueError, match="strictly between"):
        game_plots.plot_generator_losses(1.0)


def test_live_figure_redraws_only_when_due_and_always_at_the_end():
    import matplotlib.pyplot as plt

    fig = plt.figure()
    calls = []
    live = live_figure.LiveFigure(fig, lambda f, step: calls.append(step), min_interval=3600, live=True)
    assert live.update(1) is True  # first update draws at once
    assert live.update(2) is False  # then waits min_interval
    assert live.finish(3) is fig
    assert calls == [1, 3] and live.redraws == 2


def test_live_figure_is_static_when_not_live():
    import matplotlib.pyplot as plt

    calls = []
    live = live_figure.LiveFigure(
        plt.figure(), lambda f, step: calls.append(step), min_interval=0, live=False
    )
    assert not any(live.update(i) for i in range(5))
    live.finish("final")
    assert calls == ["final"]


def test_live_figure_defaults_to_static_outside_a_notebook():
    import matplotlib.pyplot as plt

    assert not live_figure.in_notebook()
    assert live_figure.LiveFigure(plt.figure(), lambda f: None).live is False


def test_explorers_show_a_figure_at_once_and_redraw_when_a_slider_moves(capsys):
    import ipywidgets as w

    box = widgets.optimal_discriminator_explorer(mu_g=1.0, sigma_g=0.5)
    sliders = [c for c in box.children[0].children if isinstance(c, w.FloatSlider)]
    assert [s.value for s in sliders] == [1.0, 0.5]
    out = box.children[1]
    assert isinstance(out, w.Output)
    first = out.outputs[0]["data"]["image/png"]
    sliders[0].value = 4.0  # as if the learner dragged the slider
    assert out.outputs[0]["data"]["image/png"] != first
    assert len(out.outputs) == 1

    box = widgets.generator_loss_explorer(0.2)
    before = box.children[1].outputs[0]["data"]["image/png"]
    box.children[0].children[0].value = 0.9
    assert box.children[1].outputs[0]["data"]["image/png"] != before
    assert capsys.readouterr().out == ""  # widget callbacks never print


def test_figure_output_is_a_png_display_message():
    import base64

    import matplotlib.pyplot as plt

    fig = plt.figure(figsize=(2, 1))
    msg = widgets.figure_output(fig)
    assert msg["output_type"] == "display_data"
    assert base64.b64decode(msg["data"]["image/png"]).startswith(b"\x89PNG")


def test_diagram_and_timeline_draw():
    fig = diagrams.plot_gan_diagram()
    texts = " ".join(t.get_text() for t in fig.axes[0].texts)
    assert "Generator G" in texts and "Discriminator D" in texts and "L_D" in texts
    fig = diagrams.plot_timeline()
    labels = " ".join(t.get_text() for t in fig.axes[0].texts)
    assert all(m.name in labels for m in milestones.MILESTONES)
    with pytest.raises(ValueError, match="at least one"):
        diagrams.plot_timeline([])


def test_milestones_are_in_order():
    years = [m.year for m in milestones.MILESTONES]
    assert years == sorted(years) and years[0] == 2014


def test_source_markdown_is_a_python_block_of_the_real_code():
    md = source.source_markdown(losses.generator_loss)
    assert md.startswith("```python\ndef generator_loss(")
    assert "ops.log" in md and md.endswith("```")
    with pytest.raises(ValueError, match="cannot show the source"):
        source.source_markdown(len)


# --- exercise checks ---------------------------------------------------------------------------------


def test_number_check():
    assert exercises.exercise_problem("01.2", 0.6667) is None  # D*(4) = 2/3
    assert "too high" in exercises.exercise_problem("01.2", 0.7)
    assert "replace None" in exercises.exercise_problem("01.2", None)
    assert "expected a number" in exercises.exercise_problem("01.2", "abc")


def test_perfect_generator_check():
    assert exercises.perfect_generator_problem(theory.DATA_MEAN, theory.DATA_STD) is None
    problem = exercises.perfect_generator_problem(0.0, theory.DATA_STD)
    assert "peak" in problem and "wide" not in problem
    assert "wide" in exercises.perfect_generator_problem(theory.DATA_MEAN, 2.0)
    assert "must be a number" in exercises.perfect_generator_problem(None, 1.0)


def right_d_loss(d_real, d_fake):
    return -np.mean(np.log(d_real)) - np.mean(np.log(1 - d_fake))


@pytest.mark.parametrize(
    ("fn", "message"),
    [
        (lambda r, f: np.mean(np.log(r)) + np.mean(np.log(1 - f)), "sign is flipped"),
        (lambda r, f: -np.mean(np.log(r)), "only the real term"),
        (lambda r, f: -np.mean(np.log(r)) - np.mean(np.log(f)), "uses log D(G(z))"),
        (lambda r, f: -np.sum(np.log(r)) - np.sum(np.log(1 - f)), "summed"),
        (lambda r, f: None, "returned None"),
        (lambda r, f: 1 / 0, "raised ZeroDivisionError"),
        (lambda r, f: np.log(np.concatenate([r, f])), "one number"),
        (lambda r, f: 3.0, "you got 3.0000"),
        ("not a function", "expected a function"),
    ],
)
def test_discriminator_loss_check_names_the_mistake(fn, message):
    assert message in exercises.discriminator_loss_problem(fn)


def test_discriminator_loss_check_accepts_numpy_and_keras_answers(capsys):
    assert exercises.discriminator_loss_problem(right_d_loss) is None
    assert exercises.discriminator_loss_problem(losses.discriminator_loss) is None
    gh.exercises.check("02.1", right_d_loss)
    assert capsys.readouterr().out.startswith("✅")


def test_generator_loss_from_logits_check():
    def stable(logits):
        return np.mean(np.logaddexp(0.0, -logits))

    def naive(logits):
        return -np.mean(np.log(1 / (1 + np.exp(-logits))))

    assert exercises.generator_loss_from_logits_problem(stable) is None
    assert exercises.generator_loss_from_logits_problem(losses.generator_loss_from_logits) is None
    with np.errstate(all="ignore"):
        assert "softplus" in exercises.generator_loss_from_logits_problem(naive)
    assert "sign is flipped" in exercises.generator_loss_from_logits_problem(lambda logits: -stable(logits))


def test_number_check_prints_a_verdict_for_every_kind_of_answer(capsys):
    for answer in (None, "x", 0.5, 2 / 3):
        gh.exercises.check("01.2", answer)  # D*(4) = 2/3
    lines = capsys.readouterr().out.splitlines()
    assert [line[0] for line in lines] == ["❌", "❌", "❌", "✅"]
