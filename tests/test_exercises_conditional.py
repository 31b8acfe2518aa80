"""Exercise 08.2: the learner writes label agreement; the check compares it with the course's metric on
hidden tables and names the usual mistakes."""

from __future__ import annotations

import numpy as np
import pytest

from gan_helpers.teaching.exercises import check, exercise_problem


def right(probabilities, labels):
    correct = probabilities.argmax(axis=1) == labels
    per_class = [correct[labels == c].mean() if (labels == c).any() else np.nan for c in range(10)]
    return correct.mean(), np.array(per_class)


def precision_instead(probabilities, labels):
    predicted = probabilities.argmax(axis=1)
    correct = predicted == labels
    per_class = [correct[predicted == c].mean() if (predicted == c).any() else np.nan for c in range(10)]
    return correct.mean(), np.array(per_class)


def percent(probabilities, labels):
    overall, per_class = right(probabilities, labels)
    return 100 * overall, per_class


def argmax_over_classes_axis0(probabilities, labels):
    correct = probabilities.argmax(axis=0)[: len(labels) % 10] == 0
    return float(np.mean(correct)) if correct.size else 0.5, right(probabilities, labels)[1]


def zero_for_missing_class(probabilities, labels):
    overall, per_class = right(probabilities, labels)
    return overall, np.nan_to_num(per_class, nan=0.0)


def skeleton(probabilities, labels):
    return None, None


def only_overall(probabilities, labels):
    return right(probabilities, labels)[0]


def crashes(probabilities, labels):
    raise KeyError("oops")


def test_a_right_agreement_function_passes(capsys):
    assert exercise_problem("08.2", right) is None
    check("08.2", right)
    assert capsys.readouterr().out.startswith("✅")


@pytest.mark.parametrize(
    ("fn", "words"),
    [
        (None, "not answered yet"),
        (skeleton, "not answered yet"),
        (precision_instead, "asked for"),
        (percent, "percentage"),
        (argmax_over_classes_axis0, "argmax over axis 1"),
        (zero_for_missing_class, "NaN exactly for the classes never asked for"),
        (only_overall, "two things"),
        (crashes, "KeyError"),
        ("agreement", "must be a function"),
    ],
)
def test_wrong_agreement_functions_are_told_what_is_wrong(fn, words):
    problem = exercise_problem("08.2", fn)
    assert problem is not None and words in problem


def test_the_check_does_not_let_the_learner_change_the_hidden_tables():
    def scribbles(probabilities, labels):
        result = right(probabilities, labels)
        probabilities[:] = 0
        labels[:] = 0
        return result

    assert exercise_problem("08.2", scribbles) is None
