"""Notebook 10's exercises, checked by id: right answers pass, known mistakes are named without giving the
answer away, and the numbers the checks expect are computed here independently (an optimal matching, a
critic with every weight at the clip)."""

from __future__ import annotations

import keras
import numpy as np
import pytest
from scipy.stats import wasserstein_distance

from gan_helpers.teaching.exercises import check, exercise_problem


def verdict(capsys) -> str:
    return capsys.readouterr().out.strip()


def w1_sorted(a, b):
    return float(np.mean(np.abs(np.sort(a) - np.sort(b))))


def test_sorting_is_the_exact_w1_in_one_dimension():
    """The reference the check uses agrees with scipy's 1-D Wasserstein distance."""
    rng = np.random.default_rng(0)
    a, b = rng.standard_normal(250), rng.exponential(1.0, 250)
    assert w1_sorted(a, b) == pytest.approx(wasserstein_distance(a, b), rel=1e-9)


def test_a_right_w1_passes(capsys):
    assert exercise_problem("10.1", w1_sorted) is None
    check("10.1", w1_sorted)
    assert verdict(capsys).startswith("✅")


@pytest.mark.parametrize(
    ("fn", "words"),
    [
        (lambda a, b: np.mean(np.abs(a - b)), "sort both"),
        (lambda a, b: abs(a.mean() - b.mean()), "shifted copy"),
        (lambda a, b: np.mean((np.sort(a) - np.sort(b)) ** 2), "squares"),
        (lambda a, b: None, "returns None"),
        (lambda a, b: 1 / 0, "ZeroDivisionError"),
        (None, "write the function"),
    ],
)
def test_w1_mistakes_are_named(fn, words):
    assert words in exercise_problem("10.1", fn)


def clipped_critic_slope(c: float) -> float:
    """The 1-D critic of notebook 10 (1 -> 64 -> 64 -> 1, ReLU) with every weight at +c and zero biases:
    all units active for x > 0, so f'(x) is the largest slope clipping allows."""
    critic = keras.Sequential(
        [
            keras.Input((1,)),
            keras.layers.Dense(64, "relu"),
            keras.layers.Dense(64, "relu"),
            keras.layers.Dense(1),
        ]
    )
    for layer in critic.layers:
        kernel, bias = layer.get_weights()
        layer.set_weights([np.full_like(kernel, c), np.zeros_like(bias)])
    x = np.array([[1.0], [2.0]], "float32")
    f = critic(x).numpy()[:, 0]
    return float(f[1] - f[0])


def test_the_clipping_bound_is_the_slope_of_a_critic_at_the_clip(capsys):
    slope = clipped_critic_slope(0.01)
    assert exercise_problem("10.2", slope) is None
    check("10.2", slope)
    assert verdict(capsys).startswith("✅")


@pytest.mark.parametrize(("answer", "words"), [(0.01, "one weight"), (64 * 0.01**2, "layer is missing")])
def test_clipping_bound_mistakes_are_named(answer, words):
    problem = exercise_problem("10.2", answer)
    assert words in problem and "0.0041" not in problem


def test_right_wasserstein_losses_pass(capsys):
    def losses(real, fake):
        return np.mean(fake) - np.mean(real), -np.mean(fake)

    assert exercise_problem("10.3", losses) is None
    check("10.3", losses)
    assert verdict(capsys).startswith("✅")


@pytest.mark.parametrize(
    ("fn", "words"),
    [
        (lambda r, f: (np.mean(r) - np.mean(f), -np.mean(f)), "critic's loss has the wrong sign"),
        (lambda r, f: (np.mean(f) + np.mean(r), -np.mean(f)), "difference"),
        (lambda r, f: (np.mean(f) - np.mean(r), np.mean(f)), "generator's loss has the wrong sign"),
        (lambda r, f: (np.mean(f) - np.mean(r), np.mean(r) - np.mean(f)), "does not depend on G"),
        (lambda r, f: (f - r, -f), "one number"),
        (lambda r, f: (None, None), "still None"),
    ],
)
def test_wasserstein_loss_mistakes_are_named(fn, words):
    assert words in exercise_problem("10.3", fn)
