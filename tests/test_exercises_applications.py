"""Notebook 11's exercises, checked by id: right answers pass with an explanation, known mistakes are named
without giving the answer away, and the masked-MSE function is checked against an independent loop."""

from __future__ import annotations

import math

import numpy as np
import pytest

from gan_helpers.teaching.exercises import EXERCISES, check, exercise_problem


def loop_masked_mse(generated, images, masks):
    """The answer written independently: a loop over images, NumPy boolean indexing of the known pixels."""
    return np.array(
        [np.mean((g[m == 1] - x[m == 1]) ** 2) for g, x, m in zip(generated, images, masks, strict=True)]
    )


def test_a_right_masked_mse_passes(capsys):
    assert exercise_problem("11.1", loop_masked_mse) is None
    check("11.1", loop_masked_mse)
    assert capsys.readouterr().out.startswith("✅")


@pytest.mark.parametrize(
    ("wrong", "words"),
    [
        (lambda g, x, m: ((g - x) ** 2 * m).reshape(len(g), -1).mean(axis=1), "all 784 pixels"),
        (lambda g, x, m: loop_masked_mse(g, x, 1 - m), "mask is 1 where the pixel is known"),
        (lambda g, x, m: ((g - x) ** 2).reshape(len(g), -1).mean(axis=1), "mask is not used"),
        (lambda g, x, m: loop_masked_mse(g, x, m).mean(), "one number per image"),
        (lambda g, x, m: None, "not answered yet"),
        (lambda g, x, m: 1 / 0, "ZeroDivisionError"),
    ],
)
def test_masked_mse_mistakes_are_named(wrong, words):
    assert words in exercise_problem("11.1", wrong)


def test_the_block_count_is_checked_by_enumeration():
    count = sum(1 for block in range(2**16) if bin(block).count("1") == 8)  # every 4x4 black-and-white block
    assert count == math.comb(16, 8)
    assert exercise_problem("11.2", count) is None
    assert "every black-and-white block" in exercise_problem("11.2", 2**16)
    assert "12,870" not in exercise_problem("11.2", 100)


def test_the_l1_minimiser_is_found_by_a_grid_search():
    values = np.linspace(0, 1, 1001)
    expected_l1 = 0.3 * np.abs(1 - values) + 0.7 * np.abs(values)
    best = float(values[np.argmin(expected_l1)])
    assert exercise_problem("11.3", best) is None
    squared = 0.3 * (1 - values) ** 2 + 0.7 * values**2
    assert "median" in exercise_problem("11.3", float(values[np.argmin(squared)]))


@pytest.mark.parametrize("exercise_id", ["11.1", "11.2", "11.3"])
def test_unanswered_exercises_say_so(exercise_id):
    assert "not answered yet" in exercise_problem(exercise_id, None)
    assert exercise_id in EXERCISES
