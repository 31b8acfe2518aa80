"""Notebook 09's exercises, checked by id: right answers pass with an explanation, known mistakes are named
without giving the answer away, and the answer that depends on the learner's codes is computed from them."""

from __future__ import annotations

import math

import numpy as np
import pytest

from gan_helpers.teaching.exercises import EXERCISES, check, exercise_problem
from gan_helpers.toolkit import latent


def verdict(capsys) -> str:
    return capsys.readouterr().out.strip()


def test_the_lerp_midpoint_exercise_matches_a_measured_midpoint(capsys):
    z0, z1 = np.zeros(100), np.zeros(100)
    z0[0], z1[1] = 10.0, 10.0  # orthogonal, length 10
    measured = float(np.linalg.norm(latent.lerp(z0, z1, 0.5)))
    assert exercise_problem("09.1", measured) is None
    check("09.1", measured)
    assert verdict(capsys).startswith("✅")


@pytest.mark.parametrize(
    ("answer", "words"),
    [(10.0, "slerp"), (5.0, "right triangle"), (10 * math.sqrt(2), "half of it"), (6.0, "too low")],
)
def test_the_lerp_midpoint_exercise_names_the_mistake(answer, words):
    problem = exercise_problem("09.1", answer)
    assert words in problem and "7.07" not in problem


def half_variance_count(codes: np.ndarray) -> int:
    """The answer computed independently: eigenvalues of the sample covariance, largest first."""
    eigenvalues = np.sort(np.linalg.eigvalsh(np.cov(codes, rowvar=False)))[::-1]
    return int(np.argmax(np.cumsum(eigenvalues) / eigenvalues.sum() >= 0.5) + 1)


@pytest.mark.parametrize("seed", [0, 1])
def test_the_half_variance_exercise_is_computed_from_the_learners_codes(capsys, seed):
    codes = np.random.default_rng(seed).standard_normal((500, 100))
    right = half_variance_count(codes)
    assert 30 < right < 50  # isotropic noise: about half of the 100 directions, a few fewer
    assert exercise_problem("09.2", right, codes=codes) is None
    check("09.2", right, codes=codes)
    out = verdict(capsys)
    assert out.startswith("✅") and f"{right} of 100 directions" in out
    assert "add one" in exercise_problem("09.2", right - 1, codes=codes)
    assert "no favourite" in exercise_problem("09.2", 1, codes=codes)
    assert "too high" in exercise_problem("09.2", right + 5, codes=codes)


def test_a_strongly_stretched_set_needs_one_direction():
    codes = np.random.default_rng(2).standard_normal((400, 10)) * np.r_[10.0, np.ones(9)]
    assert exercise_problem("09.2", 1, codes=codes) is None


def test_the_half_variance_exercise_needs_the_codes():
    with pytest.raises(TypeError, match="codes=codes"):
        exercise_problem("09.2", 40)


def test_the_mean_of_codes_exercise_matches_a_measurement():
    means = np.random.default_rng(3).standard_normal((2_000, 25, 100)).mean(axis=1)
    measured = float(np.linalg.norm(means, axis=1).mean())
    assert exercise_problem("09.3", measured) is None
    assert "cancel" in exercise_problem("09.3", 10.0)
    assert "√n" in exercise_problem("09.3", 0.4)


@pytest.mark.parametrize("exercise_id", ["09.1", "09.2", "09.3"])
def test_unanswered_exercises_say_so(exercise_id):
    context = {"codes": np.random.default_rng(0).standard_normal((200, 100))} if exercise_id == "09.2" else {}
    assert "not answered yet" in exercise_problem(exercise_id, None, **context)
    assert exercise_id in EXERCISES
