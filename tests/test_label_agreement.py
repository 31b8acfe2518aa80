"""Label agreement of a conditional generator (chapter 08): ``metrics.label_agreement`` on hand-made
probability tables, the quality line with and without it, and the noise and labels of ``gh.sampling``
(class grids, label batches)."""

from __future__ import annotations

import numpy as np
import pytest

from gan_helpers.toolkit import metrics, sampling
from gan_helpers.toolkit.evaluation import QualityReport


def table(predicted: list[int], classes: int = 4, confidence: float = 0.7) -> np.ndarray:
    """Probabilities whose most likely class is ``predicted[i]`` for row i (the rest spread evenly)."""
    p = np.full((len(predicted), classes), (1 - confidence) / (classes - 1))
    p[np.arange(len(predicted)), predicted] = confidence
    return p


def test_agreement_overall_per_class_and_confusion_of_a_hand_made_table():
    requested = [0, 0, 0, 0, 1, 1, 2, 2, 2, 2]
    predicted = [
        0,
        0,
        0,
        1,
        1,
        0,
        3,
        3,
        2,
        3,
    ]  # class 0: 3/4, class 1: 1/2, class 2: 1/4, class 3: never asked
    result = metrics.label_agreement(table(predicted), np.array(requested))
    assert result.overall == pytest.approx(5 / 10)
    np.testing.assert_allclose(result.per_class[:3], [3 / 4, 1 / 2, 1 / 4])
    assert np.isnan(result.per_class[3])  # never requested: no share, not 0
    expected = np.zeros((4, 4), int)
    for r, p in zip(requested, predicted, strict=True):
        expected[r, p] += 1
    np.testing.assert_array_equal(result.confusion, expected)
    assert result.confusion.sum() == result.samples == 10
    assert result.worst_class == 2
    assert str(result) == "label agreement 50.0% (10 samples); lowest for 2: 25.0%"


def test_perfect_and_zero_agreement():
    labels = np.array([3, 1, 2, 0, 3])
    perfect = metrics.label_agreement(table(list(labels)), labels)
    assert perfect.overall == 1.0
    np.testing.assert_array_equal(perfect.per_class, np.ones(4))
    np.testing.assert_array_equal(perfect.confusion, np.diag([1, 1, 1, 2]))
    shifted = metrics.label_agreement(table(list((labels + 1) % 4)), labels)
    assert shifted.overall == 0.0 and np.all(shifted.per_class == 0)
    assert np.trace(shifted.confusion) == 0


def test_agreement_uses_the_most_likely_class_not_a_threshold():
    # 40 % for the requested class still agrees when it is the largest; 45 % does not when another has 55 %
    p = np.array([[0.40, 0.30, 0.30], [0.45, 0.55, 0.0]])
    result = metrics.label_agreement(p, np.array([0, 0]))
    assert result.overall == 0.5
    np.testing.assert_array_equal(result.confusion[0], [1, 1, 0])


@pytest.mark.parametrize(
    ("probabilities", "labels", "match"),
    [
        (
            table([0, 1]),
            np.array([0, 1, 2]),
            r"labels must have shape \(2,\), one requested class per sample",
        ),
        (table([0, 1]), np.array([[0], [1]]), r"labels must have shape \(2,\)"),
        (table([0, 1]), np.array([0.0, 1.0]), r"whole class numbers 0\.\.3"),
        (table([0, 1]), np.array([True, False]), r"whole class numbers 0\.\.3"),
        (table([0, 1]), np.array([0, 4]), r"whole class numbers 0\.\.3, got int64 0\.\.4"),
        (table([0, 1]), np.array([-1, 0]), r"whole class numbers 0\.\.3"),
        (np.array([0.5, 0.5]), np.array([0]), r"shape \(n, classes\)"),
        (np.array([[0.5, 0.6], [0.5, 0.5]]), np.array([0, 1]), r"summing to 1"),
        (np.zeros((0, 4)), np.zeros(0, int), r"n >= 1"),
    ],
    ids=[
        "too-many",
        "column",
        "floats",
        "bools",
        "too-large",
        "negative",
        "flat-table",
        "not-probabilities",
        "empty",
    ],
)
def test_bad_inputs_get_clear_errors(probabilities, labels, match):
    with pytest.raises(ValueError, match=match):
        metrics.label_agreement(probabilities, labels)


def report(**extra: object) -> QualityReport:
    return QualityReport(
        "cgan", 9.1, 2.0, 1.4, 10, 0.01, 500, 300, "subset/train/5000", "subset/test/500", **extra
    )


def test_the_quality_line_shows_agreement_only_when_it_was_measured():
    plain = report().line()
    assert "agreement" not in plain
    line = report(agreement=0.91234, worst_agreement=0.7).line()
    assert line == plain + " agreement=0.912 worst_agreement=0.700"


# -- sampling ----------------------------------------------------------------------------------------
def test_class_grid_inputs_hold_the_noise_per_column_and_the_class_per_row():
    z, labels = sampling.class_grid_inputs(per_class=4, num_classes=10, latent_dim=6, seed=1)
    assert z.shape == (40, 6) and labels.shape == (40,)
    assert z.dtype == np.float32 and labels.dtype == np.int32
    grid_z, grid_labels = z.reshape(10, 4, 6), labels.reshape(10, 4)
    np.testing.assert_array_equal(grid_labels, np.repeat(np.arange(10)[:, None], 4, axis=1))  # row r: class r
    for row in grid_z[1:]:
        np.testing.assert_array_equal(row, grid_z[0])  # every row has the same noise in each column
    assert len({tuple(v) for v in grid_z[0]}) == 4  # and the columns differ from each other
    again, _ = sampling.class_grid_inputs(per_class=4, num_classes=10, latent_dim=6, seed=1)
    other, _ = sampling.class_grid_inputs(per_class=4, num_classes=10, latent_dim=6, seed=2)
    np.testing.assert_array_equal(z, again)
    assert not np.allclose(z, other)
    assert abs(float(z.mean())) < 1.0  # standard normal noise, not uniform in [0, 1)


@pytest.mark.parametrize("bad", [0, -2, 2.0, True])
def test_class_grid_inputs_refuse_bad_sizes(bad):
    with pytest.raises(ValueError, match=r"per_class must be a positive integer"):
        sampling.class_grid_inputs(per_class=bad)


def test_label_batch_repeats_one_class_or_checks_a_sequence():
    np.testing.assert_array_equal(sampling.label_batch(7, n=3), [7, 7, 7])
    np.testing.assert_array_equal(sampling.label_batch(np.int64(2), n=2), [2, 2])
    assert sampling.label_batch(4).tolist() == [4]
    np.testing.assert_array_equal(sampling.label_batch([0, 9, 3]), [0, 9, 3])
    assert sampling.label_batch([0, 9, 3]).dtype == np.int32
    np.testing.assert_array_equal(sampling.label_batch([2.0, 1.0], n=2), [2, 1])  # whole floats are fine
    np.testing.assert_array_equal(sampling.label_batch(4, n=2, num_classes=5), [4, 4])


@pytest.mark.parametrize(
    ("labels", "kwargs", "match"),
    [
        (10, {"n": 2}, r"classes 0\.\.9, got values from 10 to 10"),
        (-1, {"n": 2}, r"classes 0\.\.9, got values from -1"),
        (5, {"n": 2, "num_classes": 5}, r"classes 0\.\.4"),
        ([0, 1, 2], {"n": 2}, r"shape \(2,\), one class per image, got \(3,\)"),
        ([0.5, 1.0], {}, r"whole class numbers 0\.\.9"),
        (np.eye(10)[[1, 2]], {}, r"shape \(N,\)"),
        (True, {"n": 2}, r"a class number 0\.\.9 or a sequence of them, got True"),
        ([True, False], {}, r"whole class numbers 0\.\.9, got dtype bool"),
        (None, {"n": 2}, r"a class number 0\.\.9 or a sequence of them, got None"),
        ("7", {"n": 2}, r"a class number 0\.\.9 or a sequence of them, got '7'"),
    ],
    ids=[
        "ten",
        "negative",
        "beyond-num_classes",
        "count",
        "fractions",
        "one-hot",
        "bool",
        "bools",
        "none",
        "string",
    ],
)
def test_label_batch_errors(labels, kwargs, match):
    with pytest.raises(ValueError, match=match):
        sampling.label_batch(labels, **kwargs)
