"""LabelAgreementTrace (notebook 08): label agreement measured while a conditional GAN trains, at the
right steps, on the generator's images mapped to [0, 1], and the generator kept at a chosen step
reproduces exactly the images judged there."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

from gan_helpers.teaching.conditional_plots import plot_agreement_trace
from gan_helpers.toolkit import metrics
from gan_helpers.toolkit.callbacks import LabelAgreementTrace
from gan_helpers.toolkit.training import GAN
from tests.test_conditional_training import CLASSES, LATENT, tiny_discriminator, tiny_generator


class RecordingJudge:
    """Stands in for gh.evaluation.Judge: keeps every batch it is shown and reads each image as the
    class whose third of the pixel range its mean falls in."""

    def __init__(self) -> None:
        self.seen: list[np.ndarray] = []

    def label_agreement(self, images: np.ndarray, labels: np.ndarray) -> metrics.LabelAgreement:
        self.seen.append(np.array(images))
        read = np.clip((images.mean(axis=(1, 2, 3)) * CLASSES).astype(int), 0, CLASSES - 1)
        return metrics.label_agreement(np.eye(CLASSES)[read], labels)


def conditional_gan() -> GAN:
    gan = GAN(
        tiny_generator(),
        tiny_discriminator("projection", logits=True),
        d_output="logits",
        num_classes=CLASSES,
        seed=0,
    )
    gan.compile()
    return gan


def data(n: int = 24) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    return rng.uniform(-1, 1, (n, 4, 4, 1)).astype("float32"), np.arange(n) % CLASSES


Z = np.random.default_rng(1).standard_normal((6, LATENT)).astype("float32")
ASKED = np.array([0, 1, 2, 0, 1, 2])


def test_agreement_is_measured_at_the_start_and_after_every_epoch_on_images_in_0_1():
    gan, judge = conditional_gan(), RecordingJudge()
    trace = LabelAgreementTrace(judge, Z, ASKED, scale=(-1, 1), keep_weights_at=(2,))
    images, labels = data()
    gan.fit(images, labels, batch_size=6, epochs=3, steps_per_epoch=2, callbacks=[trace], verbose=0)
    assert trace.steps == [0, 2, 4, 6]
    assert len(trace.agreements) == 4 and all(isinstance(a, metrics.LabelAgreement) for a in trace.agreements)
    # the generator ends in a sigmoid (0, 1); scale (-1, 1) maps its pixels p to (p + 1) / 2 in (0.5, 1)
    assert all(seen.min() >= 0.5 and seen.max() <= 1.0 for seen in judge.seen)
    final = (np.asarray(gan.generate(z=Z, labels=ASKED)) + 1) / 2
    np.testing.assert_allclose(judge.seen[-1], final, rtol=1e-6)
    expected = judge.label_agreement(final, ASKED)
    np.testing.assert_array_equal(trace.agreements[-1].confusion, expected.confusion)
    # the copy kept at step 2 draws exactly what was judged at step 2, and differs from the final G
    at_two = np.asarray(trace.generator_at(2)([Z, ASKED], training=False))
    np.testing.assert_allclose((at_two + 1) / 2, judge.seen[1], rtol=1e-6)
    assert not np.allclose(judge.seen[1], judge.seen[-1])
    with pytest.raises(ValueError, match=r"no weights kept at step 4 \(kept: \[2\]\)"):
        trace.generator_at(4)


def test_bad_inputs_get_clear_errors():
    judge = RecordingJudge()
    with pytest.raises(TypeError, match="Judge"):
        LabelAgreementTrace(object(), Z, ASKED)
    with pytest.raises(ValueError, match=r"z must be \(N, latent_dim\) and labels \(N,\)"):
        LabelAgreementTrace(judge, Z, ASKED[:3])
    with pytest.raises(ValueError, match="class_grid_inputs"):
        LabelAgreementTrace(judge, Z[0], ASKED[:1])
    with pytest.raises(ValueError, match="high > low"):
        LabelAgreementTrace(judge, Z, ASKED, scale=(1, -1))
    from tests.test_training import tiny_models  # an unconditional GAN

    unconditional = GAN(*tiny_models(), seed=0)
    unconditional.compile()
    with pytest.raises(ValueError, match="conditional GAN"):
        unconditional.fit(
            np.zeros((6, 4, 4, 1), "float32"),
            epochs=1,
            callbacks=[LabelAgreementTrace(judge, Z, ASKED)],
            verbose=0,
        )


def test_the_trace_plot_draws_overall_and_worst_per_model_with_targets_and_ceiling():
    gan, judge = conditional_gan(), RecordingJudge()
    trace = LabelAgreementTrace(judge, Z, ASKED)
    images, labels = data()
    gan.fit(images, labels, batch_size=6, epochs=2, steps_per_epoch=2, callbacks=[trace], verbose=0)
    fig = plot_agreement_trace({"a": trace, "b": trace}, ceiling=0.988)
    assert fig.number not in plt.get_fignums()  # closed: a notebook shows it once, as the cell's result
    lines = fig.axes[0].get_lines()
    assert len(lines) == 2 * 2 + 3  # overall and worst per model, two targets, the ceiling
    np.testing.assert_allclose(lines[0].get_ydata(), [a.overall for a in trace.agreements])
    np.testing.assert_allclose(lines[1].get_ydata(), [np.nanmin(a.per_class) for a in trace.agreements])
    assert "real digits 98.8%" in [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    plt.close(fig)
    with pytest.raises(ValueError, match="has measured"):
        plot_agreement_trace({"untrained": LabelAgreementTrace(judge, Z, ASKED)})
    with pytest.raises(ValueError, match="at least one model"):
        plot_agreement_trace({})
