"""Checks that learners run on their exercise answers: they say right or wrong, and why.

Each check is a pure ``*_problem`` function that finds the first problem with an answer (``None`` when
it is right); :func:`check` prints the verdict, so the verdict is the only thing a learner sees under the
cell.

Notebooks check their exercises by id, so that no answer is visible in the notebook:
``gh.exercises.check("04.3", small_noise_params)``. The answers, the hints shown after a wrong answer and
the explanations shown after a right one live in :data:`EXERCISES`. Answers that depend on the learner's
data are computed from what the cell passes, e.g. ``check("03.2", batches_per_epoch, images=images)``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from ..toolkit.data import check_images, validate_scale


def feedback(problem: str | None, success: str) -> None:
    """Print ``✅ success`` when ``problem`` is ``None``, else ``❌ problem``."""
    print(f"✅ {success}" if problem is None else f"❌ {problem}")


def scaled_images_problem(images: object, scale: Sequence[float] = (-1, 1)) -> str | None:
    """What is wrong with an answer that should be MNIST images scaled to ``scale`` (``None``: right).

    A right answer is a float32 array ``(N, 28, 28, 1)`` whose smallest value is ``scale[0]`` and
    largest ``scale[1]`` (MNIST has pure black and pure white pixels).
    """
    low, high = validate_scale(scale)
    if not isinstance(images, np.ndarray):
        return f"expected a NumPy array, got {type(images).__name__}"
    try:  # the toolkit's image check: shape, floats, no NaN (any pixel range here, judged below)
        check_images(images, scale=None)
    except ValueError as err:
        return str(err)
    if images.dtype != np.float32:
        return f"expected dtype float32, got {images.dtype}"
    lo, hi = float(images.min()), float(images.max())
    if not (np.isclose(lo, low, atol=1e-5) and np.isclose(hi, high, atol=1e-5)):
        return (
            f"pixels run from {lo:g} to {hi:g}, but should run from {low:g} to {high:g}; "
            "look at the scale= argument"
        )
    return None


def perfect_generator_problem(mu_g: object, sigma_g: object) -> str | None:
    """What keeps (mu_g, sigma_g) from being the generator that matches the 1-D toy's data exactly."""
    from .theory import DATA_MEAN, DATA_STD, one_dimensional_game

    for name, value in (("mu_g", mu_g), ("sigma_g", sigma_g)):
        if value is None or isinstance(value, bool) or not isinstance(value, (int, float, np.number)):
            return f"{name} must be a number (replace None with your value)"
    if not float(sigma_g) > 0:  # type: ignore[arg-type]
        return f"sigma_g must be positive, got {sigma_g}"
    game = one_dimensional_game(float(mu_g), float(sigma_g))  # type: ignore[arg-type]
    gap = float(np.abs(game.d_star - 0.5).max())
    if gap > 0.02:
        hints = []
        if abs(float(mu_g) - DATA_MEAN) > 0.05:  # type: ignore[arg-type]
            hints.append("where is the real data's peak?")
        if abs(float(sigma_g) - DATA_STD) > 0.01:  # type: ignore[arg-type]
            hints.append("is p_g as wide as p_data?")
        return (
            f"not yet: D* still ranges over [{game.d_star.min():.2f}, {game.d_star.max():.2f}] "
            f"and V(D*, G) = {game.value:.3f}; " + " ".join(hints)
        )
    return None


def _call(fn: Callable[..., object], *args: object) -> tuple[float | None, str | None]:
    """Call a learner's function and turn its result into a float, or return the error message."""
    try:
        out = fn(*args)
    except Exception as err:  # the learner's code may raise anything; report it, don't crash
        return None, f"your function raised {type(err).__name__}: {err}"
    if out is None:
        return None, "your function returned None: did you forget `return`?"
    try:
        return float(np.asarray(out, dtype=np.float64).reshape(())), None
    except (TypeError, ValueError):
        return None, f"your function must return one number (a scalar), got shape {np.shape(out)}"


def discriminator_loss_problem(fn: object) -> str | None:
    """What is wrong with a learner's ``fn(d_real, d_fake) -> L_D`` from probabilities (``None``: right).

    Tries several batches (NumPy float32 arrays of different sizes) and names the usual mistakes:
    a flipped sign, a missing term, log D(G(z)) instead of log(1 - D(G(z))), a sum instead of a mean.
    """
    from ..toolkit.losses import discriminator_loss

    if not callable(fn):
        return f"expected a function, got {type(fn).__name__}"
    rng = np.random.default_rng(0)
    cases = [
        (np.array([0.5], np.float32), np.array([0.5], np.float32)),
        (np.array([0.9, 0.8, 0.7], np.float32), np.array([0.2, 0.1], np.float32)),
        (rng.uniform(0.05, 0.95, 16).astype(np.float32), rng.uniform(0.05, 0.95, 8).astype(np.float32)),
    ]
    for d_real, d_fake in cases:
        got, error = _call(fn, d_real, d_fake)
        if error:
            return error
        want = float(discriminator_loss(d_real, d_fake))
        if np.isclose(got, want, rtol=1e-4, atol=1e-5):
            continue
        real_term = -np.mean(np.log(d_real))
        fake_term = -np.mean(np.log(1 - d_fake))
        diagnoses = [
            (-want, "the sign is flipped: L_D has a minus in front of each expectation"),
            (real_term, "only the real term is there: add -E[log(1 - D(G(z)))]"),
            (fake_term, "only the fake term is there: add -E[log D(x)]"),
            (
                real_term - np.mean(np.log(d_fake)),
                "the fake term uses log D(G(z)); it should be log(1 - D(G(z)))",
            ),
            (
                -np.sum(np.log(d_real)) - np.sum(np.log(1 - d_fake)),
                "you summed; E[...] is a mean over the batch",
            ),
        ]
        for value, message in diagnoses:
            if np.isclose(got, value, rtol=1e-4, atol=1e-5):
                return message
        shown = f"D(x) = {np.round(d_real, 2).tolist()} and D(G(z)) = {np.round(d_fake, 2).tolist()}"
        return f"with {shown} you got {got:.4f}, not {want:.4f}"
    return None


def generator_loss_from_logits_problem(fn: object) -> str | None:
    """What is wrong with a learner's stable ``fn(fake_logits) -> L_G`` (non-saturating, from logits)."""
    from ..toolkit.losses import generator_loss_from_logits

    if not callable(fn):
        return f"expected a function, got {type(fn).__name__}"
    for logits in ([0.0], [-2.0, 1.0, 3.0], [-100.0, 0.0], [100.0, 80.0]):
        arr = np.array(logits, np.float32)
        got, error = _call(fn, arr)
        if error:
            return error
        want = float(generator_loss_from_logits(arr))
        if np.isclose(got, want, rtol=1e-4, atol=1e-4):
            continue
        if not np.isfinite(got):
            return f"with logits {logits} you got {got}: log(sigmoid(l)) underflows; use softplus(-l) instead"
        if np.isclose(got, -want, rtol=1e-4, atol=1e-4):
            return "the sign is flipped: L_G = -E[log D(G(z))] is positive"
        return f"with logits {logits} you got {got:.4f}, not {want:.4f} (the mean of -log sigmoid(l))"
    return None


def ring_run_problem(run: object, min_modes: int = 8, min_quality: float = 0.9) -> str | None:
    """What keeps a ring run (``gan_helpers.ring_experiments.RingRun``) from the goal of covering at
    least ``min_modes`` modes with at least ``min_quality`` high-quality samples, or ``None``."""
    from .ring_experiments import RingRun

    if run is None:
        return "train a run first: set my_settings to a RingSettings(...) and run the cell"
    if not isinstance(run, RingRun):
        return f"expected the result of train_on_ring(...), got {type(run).__name__}"
    final = run.final
    if final.modes_covered < min_modes:
        return (
            f"{final.modes_covered}/{final.modes} modes covered (goal: {min_modes}); the generator still "
            "collapses: look at D's learning rate and beta_1"
        )
    if final.high_quality_share < min_quality:
        return (
            f"all {final.modes_covered} modes covered, but only {final.high_quality_share:.0%} high-quality "
            f"samples (goal: {min_quality:.0%}); points sit between or around the modes: try more steps "
            "or a smaller generator learning rate"
        )
    return None


# --- exercises by id: the answers live here, not in the notebooks ---------------------------------------

_NOT_ANSWERED = "not answered yet"


def _resolve(value: object, context: Mapping[str, object]) -> object:
    """``value``, or ``value(**context)`` when it is a function of what the notebook passed."""
    return value(**context) if callable(value) else value


def _number(answer: object, what: str) -> tuple[float | None, str | None]:
    """The learner's answer as a finite float, or what is wrong with its type."""
    if answer is None:
        return None, f"{what}: {_NOT_ANSWERED} (replace None with your number)"
    if isinstance(answer, (bool, str, bytes)) or not isinstance(answer, (int, float, np.number, np.ndarray)):
        return None, f"{what}: expected a number, got {type(answer).__name__}" + (
            " (remove the quotes)" if isinstance(answer, str) else ""
        )
    if np.ndim(answer) != 0:
        return None, f"{what}: expected one number, got an array of shape {np.shape(answer)}"
    value = float(answer)
    if not math.isfinite(value):
        return None, f"{what}: got {value}, expected a finite number"
    return value, None


@dataclass(frozen=True)
class NumberExercise:
    """An exercise whose answer is a number.

    ``expected`` is the number, or a function of the notebook's context (``images=...``) that computes it;
    ``mistakes`` maps the values of common wrong answers (or a function of the context returning such a
    mapping) to what they reveal; ``hint`` is shown after any other wrong answer and never gives the number
    away; ``explanation`` (text, or a function of the answer and the context) is shown after a right one.
    """

    what: str
    expected: float | Callable[..., float]
    hint: str
    explanation: str | Callable[..., str]
    tolerance: float = 1e-3
    integer: bool = False
    mistakes: Mapping[float, str] | Callable[..., Mapping[float, str]] = field(default_factory=dict)
    needs: tuple[str, ...] = ()

    def problem(self, answer: object, **context: object) -> str | None:
        """What is wrong with ``answer`` (``None``: right)."""
        value, error = _number(answer, self.what)
        if error:
            return error
        expected = float(_resolve(self.expected, context))  # type: ignore[arg-type]
        if abs(value - expected) <= self.tolerance:  # type: ignore[operator]
            return None
        for wrong, message in dict(_resolve(self.mistakes, context)).items():  # type: ignore[call-overload]
            if abs(value - float(wrong)) <= max(self.tolerance, 1e-9 * abs(float(wrong))):  # type: ignore[operator]
                return f"{self.what}: {value:,.6g} is not it: {message}"
        if self.integer and not float(value).is_integer():  # type: ignore[union-attr]
            return f"{self.what}: {value:,.6g} is not a whole number: {self.hint}"
        direction = "too high" if value > expected else "too low"  # type: ignore[operator]
        return f"{self.what}: {value:,.6g} is {direction}. Hint: {self.hint}"

    def success(self, answer: object, **context: object) -> str:
        """The message for a right ``answer``: it is right, and why."""
        explanation = self.explanation
        if callable(explanation):
            explanation = explanation(answer, **context)
        return f"{self.what}: {float(answer):,.6g} is right. {explanation}"  # type: ignore[arg-type]


@dataclass(frozen=True)
class ChoiceExercise:
    """An exercise whose answer is one of ``options`` (strings).

    ``expected`` and ``options`` may be functions of the notebook's context (``runs=...``) when the right
    answer depends on the learner's own results; ``hint`` follows a wrong choice, ``explanation`` (text, or
    a function of the answer and the context) a right one.
    """

    expected: str | Callable[..., str]
    options: Sequence[str] | Callable[..., Sequence[str]]
    hint: str
    explanation: str | Callable[..., str]
    needs: tuple[str, ...] = ()

    def problem(self, answer: object, **context: object) -> str | None:
        """What is wrong with ``answer`` (``None``: right)."""
        options = list(_resolve(self.options, context))  # type: ignore[call-overload]
        if answer is None:
            return f"{_NOT_ANSWERED}: replace None with one of {options}"
        if not isinstance(answer, str):
            return f"answer with one of {options} (a string, in quotes), got {type(answer).__name__}"
        if answer not in options:
            near = [o for o in options if o.lower().strip() == answer.lower().strip()]
            spelled = f" (did you mean {near[0]!r}?)" if near else ""
            return f"{answer!r} is not one of {options}{spelled}"
        if answer != _resolve(self.expected, context):
            return f"{answer!r} is not it: {self.hint}"
        return None

    def success(self, answer: object, **context: object) -> str:
        """The message for a right ``answer``: it is right, and why."""
        explanation = self.explanation
        if callable(explanation):
            explanation = explanation(answer, **context)
        return f"{answer!r} is right: {explanation}"


@dataclass(frozen=True)
class CheckedExercise:
    """An exercise with its own check: ``problem(*answers)`` finds what is wrong (``None``: right) and
    ``success`` (text, or a function of the answers) is shown when it is right."""

    problem_fn: Callable[..., str | None]
    success_message: str | Callable[..., str]
    needs: tuple[str, ...] = ()

    def problem(self, *answers: object, **context: object) -> str | None:
        """What is wrong with ``answers`` (``None``: right)."""
        return self.problem_fn(*answers, **context)

    def success(self, *answers: object, **context: object) -> str:
        """The message for right ``answers``."""
        message = self.success_message
        return message(*answers, **context) if callable(message) else message


Exercise = NumberExercise | ChoiceExercise | CheckedExercise


def _scaled_success(images: object) -> str:
    count = getattr(images, "shape", (0,))[0]
    return f"{count:,} images of shape (28, 28, 1), pixels in [-1, 1]."


def _batches_success(answer: object, images: Sequence[object]) -> str:
    n = len(images)
    return (
        f"{n:,} // 64 = {n // 64:,} whole batches; with drop_remainder=True the last {n % 64} images wait "
        "for the next epoch (in a new order)."
    )


def _ring_run_success(run: object) -> str:
    return f"{run.final}: well done."  # type: ignore[attr-defined]


def _top_class_share(run: object) -> float:
    shares = getattr(run, "class_shares", None)
    if shares is None:
        raise ValueError(
            f"runs must map names to MnistRun results with class_shares, got {type(run).__name__}"
        )
    return float(np.max(shares))


def _most_collapsed(runs: Mapping[str, object]) -> str:
    """The run whose samples fall most into a single digit class (the largest top class share)."""
    if not runs:
        raise ValueError("runs is empty: pass the dictionary of MNIST runs from section 9 (runs=mnist_runs)")
    return max(runs, key=lambda name: _top_class_share(runs[name]))


def _collapse_explanation(answer: object, runs: Mapping[str, object]) -> str:
    run = runs[answer]  # type: ignore[index]
    top = int(np.argmax(run.class_shares))  # type: ignore[attr-defined]
    text = (
        f"{_top_class_share(run):.0%} of its samples are nearest to one digit ({top}), more than in any "
        "other run."
    )
    if "D 10x faster" in str(answer):
        text += (
            " A discriminator that learns much faster keeps rejecting whatever the generator makes, and the "
            "generator escapes to the one kind of digit D currently accepts."
        )
    return text


def _perfect_generator(mu_g: object = None, sigma_g: object = None) -> str | None:
    if mu_g is None and sigma_g is None:
        return f"{_NOT_ANSWERED}: replace None with your mu_g and sigma_g"
    return perfect_generator_problem(mu_g, sigma_g)


def _scaled_minus_one_to_one(images: object) -> str | None:
    if images is None:
        return f"{_NOT_ANSWERED}: replace None with your images (a NumPy array)"
    return scaled_images_problem(images, (-1, 1))


def _ring_run(run: object) -> str | None:
    return ring_run_problem(run, min_modes=8, min_quality=0.85)


def _function_answer(check: Callable[[object], str | None]) -> Callable[[object], str | None]:
    def problem(fn: object) -> str | None:
        return f"{_NOT_ANSWERED}: write the function" if fn is None else check(fn)

    return problem


def agreement_function_problem(fn: object) -> str | None:
    """What is wrong with a learner's ``agreement(probabilities, labels)`` of notebook 08 (``None``: it
    returns the overall label agreement and the per-class agreements, NaN for classes never asked for, on
    hidden test tables)."""
    from gan_helpers.toolkit.metrics import label_agreement  # the course's own, the reference

    if fn is None:
        return f"{_NOT_ANSWERED}: complete the function"
    if not callable(fn):
        return f"agreement must be a function agreement(probabilities, labels), got {type(fn).__name__}"
    rng = np.random.default_rng(8)
    cases = []
    for skipped in (None, 3):  # the second table never asks for a 3
        labels = rng.integers(0, 10, 300)
        if skipped is not None:
            labels[labels == skipped] = (skipped + 1) % 10
        logits = rng.standard_normal((300, 10)) + 2.5 * np.eye(10)[labels] * (rng.random(300) < 0.7)[:, None]
        probabilities = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
        cases.append((probabilities, labels))
    for probabilities, labels in cases:
        try:
            result = fn(probabilities.copy(), labels.copy())
        except Exception as error:  # the learner's code: report any error in words
            return f"agreement raised {type(error).__name__}: {error}"
        if not isinstance(result, tuple) or len(result) != 2:
            return "agreement must return two things: overall, per_class"
        overall, per_class = result
        if overall is None or per_class is None:
            return f"{_NOT_ANSWERED}: compute overall and per_class (they are still None)"
        want = label_agreement(probabilities, labels)
        try:
            overall = float(overall)
            per_class = np.asarray(per_class, dtype=float)
        except (TypeError, ValueError):
            return "overall must be a number and per_class an array of 10 numbers"
        if per_class.shape != (10,):
            return f"per_class must have one number per class, shape (10,), got {per_class.shape}"
        if abs(overall - want.overall) > 1e-9:
            if abs(overall - want.overall * 100) < 1e-6:
                return "overall is a percentage; return a share between 0 and 1"
            return (
                f"overall is {overall:.4f} on a hidden table, expected {want.overall:.4f}: a sample agrees "
                "when the most likely class of its row (argmax over axis 1) equals its label"
            )
        if not np.array_equal(np.isnan(per_class), np.isnan(want.per_class)):
            return (
                "per_class must be NaN exactly for the classes never asked for (no sample has that label), "
                "and a number for every other class"
            )
        predicted = probabilities.argmax(axis=1)
        precision = np.array(
            [(labels[predicted == c] == c).mean() if (predicted == c).any() else np.nan for c in range(10)]
        )
        close = np.allclose(per_class, want.per_class, atol=1e-9, equal_nan=True)
        if not close and np.allclose(per_class, precision, atol=1e-9, equal_nan=True):
            return (
                "per_class divides by how many digits were *read as* each class; agreement per class divides "
                "by how many were *asked for* it (labels == c)"
            )
        if not close:
            return "per_class differs from the share of agreeing samples among those asked for each class"
    return None


def _directions_for_half(codes: object) -> int:
    """How many principal directions of ``codes`` ``(n, d)`` it takes to explain half of their variance."""
    from ..toolkit.latent import principal_directions

    data = np.asarray(codes, dtype=np.float64)
    if data.ndim != 2 or len(data) < 3:
        raise ValueError(f"codes must be the noise codes (n, d) of the cell, got shape {data.shape}")
    share = principal_directions(data, min(len(data) - 1, data.shape[1])).share
    return int(np.searchsorted(np.cumsum(share), 0.5) + 1)


def w1_sorting_problem(fn: object) -> str | None:
    """What is wrong with a learner's ``w1(a, b)`` of notebook 10 (``None``: it returns the Wasserstein-1
    distance between two 1-D samples of equal size on hidden samples whose shapes differ)."""
    if not callable(fn):
        return f"w1 must be a function w1(a, b), got {type(fn).__name__}"
    rng = np.random.default_rng(10)
    cases = [
        (rng.uniform(0, 0.5, 400), rng.uniform(2, 2.5, 400)),  # the notebook's example: W1 = shift
        (rng.standard_normal(300), rng.exponential(1.0, 300)),  # different shapes: not a shift
        (rng.uniform(-1, 1, 200), 0.2 * rng.standard_normal(200)),  # same mean, different spread
    ]
    for a, b in cases:
        want = float(np.mean(np.abs(np.sort(a) - np.sort(b))))
        try:
            got = fn(a.copy(), b.copy())
        except Exception as error:  # the learner's code: report any error in words
            return f"w1 raised {type(error).__name__}: {error}"
        if got is None:
            return f"{_NOT_ANSWERED}: return the distance (the function returns None)"
        try:
            got = float(got)
        except (TypeError, ValueError):
            return f"w1 must return one number, got {type(got).__name__}"
        if abs(got - want) <= 1e-6 * max(1.0, want):
            continue
        if abs(got - float(np.mean(np.abs(a - b)))) < 1e-9:
            return (
                "that pairs the samples in the order they were drawn; the cheapest plan in 1-D pairs the "
                "smallest with the smallest, and so on: sort both first"
            )
        if abs(got - abs(float(a.mean() - b.mean()))) < 1e-9:
            return (
                "the difference of the means equals W1 only when one sample is a shifted copy of the other; "
                "on a hidden pair with different shapes it is too small: move every point, sorted"
            )
        if abs(got - float(np.mean((np.sort(a) - np.sort(b)) ** 2))) < 1e-9:
            return "that squares the distances (the W2 distance, squared); W1 averages |x - y| itself"
        return f"w1 gives {got:.4f} on a hidden pair, expected {want:.4f}"
    return None


def critic_losses_problem(fn: object) -> str | None:
    """What is wrong with a learner's ``wasserstein_losses(real_scores, fake_scores)`` of notebook 10
    (``None``: it returns the critic's and the generator's losses, compared with ``gh.losses`` on hidden
    scores)."""
    from gan_helpers.toolkit.losses import critic_generator_loss, critic_loss

    if not callable(fn):
        return f"wasserstein_losses must be a function of (real_scores, fake_scores), got {type(fn).__name__}"
    rng = np.random.default_rng(11)
    real, fake = rng.normal(1.5, 2.0, (64, 1)), rng.normal(-0.5, 3.0, (64, 1))
    try:
        result = fn(real.copy(), fake.copy())
    except Exception as error:  # the learner's code: report any error in words
        return f"wasserstein_losses raised {type(error).__name__}: {error}"
    if not isinstance(result, tuple) or len(result) != 2:
        return "wasserstein_losses must return two numbers: critic_loss, generator_loss"
    if result[0] is None or result[1] is None:
        return f"{_NOT_ANSWERED}: compute both losses (they are still None)"
    try:
        d_loss, g_loss = float(np.asarray(result[0])), float(np.asarray(result[1]))
    except (TypeError, ValueError):
        return "each loss must be one number (a mean over the batch), not one per sample"
    want_d, want_g = float(critic_loss(real, fake)), float(critic_generator_loss(fake))
    mean_real, mean_fake = float(real.mean()), float(fake.mean())
    if abs(d_loss - want_d) > 1e-5:
        if abs(d_loss + want_d) < 1e-5:
            return (
                "the critic's loss has the wrong sign: minimising it must push real scores *up* and fake "
                "scores down, so it is E[f(fake)] - E[f(real)]"
            )
        if abs(d_loss - (mean_real + mean_fake)) < 1e-5 or abs(d_loss + mean_real + mean_fake) < 1e-5:
            return "the critic's loss is a *difference* of the two mean scores, not their sum"
        return f"the critic's loss is {d_loss:.4f} on hidden scores, expected {want_d:.4f}"
    if abs(g_loss - want_g) > 1e-5:
        if abs(g_loss + want_g) < 1e-5:
            return (
                "the generator's loss has the wrong sign: minimising it must raise the critic's scores of "
                "the fakes, so it is -E[f(fake)]"
            )
        if abs(g_loss - (mean_real - mean_fake)) < 1e-5:
            return (
                "the real term does not depend on G, so it adds nothing to G's gradient: the generator's "
                "loss is -E[f(fake)] alone"
            )
        return f"the generator's loss is {g_loss:.4f} on hidden scores, expected {want_g:.4f}"
    return None


def masked_mse_function_problem(fn: object) -> str | None:
    """What is wrong with a learner's ``masked_mse(generated, images, masks)`` of notebook 11 (``None``: it
    returns, for every image, the mean squared difference over its known pixels, mask 1, on hidden
    tables, as ``gh.inpainting.masked_mse`` does)."""
    from ..toolkit.inpainting import mask_batch, masked_mse

    if fn is None:
        return f"{_NOT_ANSWERED}: complete the function"
    if not callable(fn):
        return f"masked_mse must be a function masked_mse(generated, images, masks), got {type(fn).__name__}"
    rng = np.random.default_rng(11)
    for kind in ("random", "top_half"):
        images = rng.uniform(-1, 1, (5, 28, 28, 1)).astype(np.float32)
        generated = rng.uniform(-1, 1, (5, 28, 28, 1)).astype(np.float32)
        masks = mask_batch(kind, 5, seed=3, missing=0.6)
        try:
            got = fn(generated.copy(), images.copy(), masks.copy())
        except Exception as error:  # the learner's code: report any error in words
            return f"masked_mse raised {type(error).__name__}: {error}"
        if got is None:
            return f"{_NOT_ANSWERED}: return one number per image"
        try:
            got = np.asarray(got, dtype=np.float64).reshape(-1)
        except (TypeError, ValueError):
            return "masked_mse must return numbers, one per image (an array of shape (N,))"
        if got.shape != (5,):
            return f"masked_mse must return one number per image, shape (5,) for 5 images, got {got.shape}"
        want = masked_mse(generated, images, masks)
        if np.allclose(got, want, rtol=1e-4):
            continue
        squared = (generated - images) ** 2
        per_image = squared.reshape(5, -1)
        known = masks.reshape(5, -1)
        if np.allclose(got, (per_image * known).mean(axis=1), rtol=1e-4):
            return "you divided by all 784 pixels; divide by the number of known pixels, masks.sum(...)"
        if np.allclose(got, (per_image * (1 - known)).sum(axis=1) / (1 - known).sum(axis=1), rtol=1e-4):
            return "that measures the missing pixels: the mask is 1 where the pixel is known"
        if np.allclose(got, per_image.mean(axis=1), rtol=1e-4):
            return "the mask is not used: only the known pixels (mask 1) may count"
        return "the values differ from the mean squared difference over each image's known pixels"
    return None


_SCORE_BY_HAND = math.exp((2 * math.log(3 / 2) + math.log(3)) / 3)

#: Every exercise of the course by id, ``"NN.k"``: notebook NN, exercise k.
EXERCISES: dict[str, Exercise] = {
    "00.1": CheckedExercise(_scaled_minus_one_to_one, _scaled_success),
    "01.1": CheckedExercise(
        _perfect_generator,
        "p_g = p_data: D*(x) = 1/2 everywhere and V(D*, G) = -log 4 ≈ -1.386, the game's minimum.",
    ),
    "01.2": NumberExercise(
        what="D*(4)",
        expected=2 / 3,
        tolerance=1e-3,
        hint="at x = 4 both densities are at their centre, where only their 1/σ factors differ; put them in "
        "D* = p_data / (p_data + p_g).",
        mistakes={
            0.5: "D* = 1/2 only where p_data = p_g; at x = 4 the narrow p_data is higher than the wide p_g.",
            1 / 3: "that is p_g's share of the density at x = 4; D* is p_data's share.",
            2.0: "that is the ratio p_data(4) / p_g(4); D* divides p_data by the sum p_data + p_g.",
        },
        explanation="p_data(4) ∝ 1/0.75 and p_g(4) ∝ 1/1.5, so D*(4) = (4/3) / (4/3 + 2/3) = 2/3: the data "
        "is more concentrated at its centre than the wide generator, so D* leans 'real' there.",
    ),
    "02.1": CheckedExercise(
        _function_answer(discriminator_loss_problem),
        "your L_D matches the chapter's formula (and Keras's BCE) on every batch.",
    ),
    "02.2": CheckedExercise(
        _function_answer(generator_loss_from_logits_problem),
        "your L_G is right and stays exact even at logit -100, where D(G(z)) underflows to 0.",
    ),
    "03.1": CheckedExercise(_scaled_minus_one_to_one, _scaled_success),
    "03.2": NumberExercise(
        what="batches per epoch",
        expected=lambda images: len(images) // 64,
        tolerance=0,
        integer=True,
        needs=("images",),
        hint="how many *whole* batches of 64 fit in len(images)?",
        mistakes=lambda images: {
            len(images) / 64: "drop_remainder=True drops the last, incomplete batch: round down "
            "(Python's // divides and rounds down)",
            math.ceil(len(images) / 64): "that counts the last, incomplete batch, which is dropped",
            len(images): "that is the number of images, not of batches of 64",
        },
        explanation=_batches_success,
    ),
    "04.1": CheckedExercise(
        lambda generator=None, discriminator=None: chapter_models_problem(generator, discriminator),
        "both are the chapter's models: G has 114,064 parameters, 100 -> (28, 28, 1); D 100,609, "
        "(28, 28, 1) -> 1.",
    ),
    "04.2": CheckedExercise(
        lambda fn: train_step_problem(fn),
        "your step moves D by -η∇L_D and G by -η∇L_G (checked with plain SGD on a fixed batch and fixed "
        "noise) and returns both losses: the same step as the course's train_step below.",
    ),
    "04.3": NumberExercise(
        what="parameters with latent_dim=10",
        expected=102_544,
        tolerance=0,
        integer=True,
        hint="build it with gh.models.build_chapter_generator(latent_dim=10) and call .count_params(), or "
        "add up n·m + m for each Dense layer (n inputs, m outputs).",
        mistakes={
            114_064: "that is the chapter's generator with latent_dim=100; build one with latent_dim=10.",
            1_408: "that is only the first Dense layer; count the whole generator.",
            11_520: "that is how many parameters fewer it has; give the generator's total.",
        },
        explanation="only the first Dense layer depends on latent_dim: 10·128 + 128 = 1,408 parameters "
        "instead of 12,928, that is 11,520 fewer.",
    ),
    "04.4": ChoiceExercise(
        expected="saturating",
        options=("saturating", "non_saturating"),
        hint="look again at the two gradient sizes the cell printed: which one all but vanished?",
        explanation="its gradient per logit is -D(G(z)), which vanishes as D(G(z)) -> 0 "
        "(non-saturating: -(1 - D(G(z)))).",
    ),
    "05.1": NumberExercise(
        what="the distance after 100 steps",
        expected=(1 + 0.2**2) ** 50,
        tolerance=1e-3,
        hint="each step multiplies the distance by the same factor, sqrt(1 + η²); 100 steps multiply it 100 "
        "times.",
        mistakes={
            (1 + 0.2**2) ** 100: "the factor per step is sqrt(1 + η²), not 1 + η².",
            1 + 100 * 0.2**2: "the growth compounds: multiply by the factor at each step, do not add.",
            (1 + 0.2**2) ** 0.5: "that is one step; the distance grows at each of the 100 steps.",
        },
        explanation="sqrt(1 + 0.2²)^100 = 1.04^50 ≈ 7.107; np.linalg.norm(spiral(0.2, 0.0)[-1]) agrees.",
    ),
    "05.2": CheckedExercise(_ring_run, _ring_run_success),
    "05.3": ChoiceExercise(
        expected=lambda runs: _most_collapsed(runs),
        options=lambda runs: list(runs),
        needs=("runs",),
        hint="look at the class-share bars of section 9: which run has one tall bar?",
        explanation=_collapse_explanation,
    ),
    "06.1": NumberExercise(
        what="the output width",
        expected=16,
        tolerance=0,
        integer=True,
        hint="use section 2's formula for padding='valid': (n - 1)·stride + kernel.",
        mistakes={14: "that is padding='same' (n·stride); with padding='valid' the kernel overhangs."},
        explanation="(7 - 1)·2 + 4 = 16; with padding='same' it would be 7·2 = 14.",
    ),
    "06.2": NumberExercise(
        what="the layer's parameter count",
        expected=5 * 5 * 256 * 128,
        tolerance=0,
        integer=True,
        hint="a transposed convolution has kernel height × kernel width × input channels × output channels "
        "weights; check with gh.models.describe.",
        mistakes={
            5 * 5 * 256 * 128 + 128: "use_bias=False: this layer has no bias.",
            5 * 5 * 128 * 64: "that is width 32; the exercise asks for BASE_FILTERS = 64.",
        },
        explanation="5·5·256·128 = 819,200 weights and no bias: four times the 204,800 of width 32, because "
        "doubling the width doubles both channel counts.",
    ),
    "07.1": NumberExercise(
        what="the score",
        expected=_SCORE_BY_HAND,
        tolerance=1e-3,
        hint="average the three KL terms (log 1/p(c) for each sample), then take exp of the mean.",
        mistakes={
            math.log(_SCORE_BY_HAND): "that is the mean KL, the log of the score: take its exp.",
        },
        explanation="the two class-0 samples each contribute log 1.5, the class-1 sample log 3; "
        "exp((2 log 1.5 + log 3) / 3) ≈ 1.890 (metrics.classifier_score(np.eye(2)[[0, 0, 1]]) agrees).",
    ),
    "07.2": ChoiceExercise(
        expected="nearest neighbours",
        options=("score", "classes", "nearest neighbours"),
        hint="which number only asks whether samples are copies?",
        explanation="new 4s are far from every training digit, exactly like a good generator's samples; the "
        "score (about 1) and the class count (1 of 10) both expose the collapse.",
    ),
    "07.3": NumberExercise(
        what="the Fréchet distance",
        expected=10,
        tolerance=1e-6,
        hint="in 1-D the trace term is σ1² + σ2² - 2·σ1·σ2; add it to the squared gap between the means.",
        mistakes={
            18: "the trace term is σ1² + σ2² - 2·σ1·σ2 (a product of standard deviations), not (σ1² - σ2²)².",
            14: "you left out the -2·(σ1²·σ2²)^(1/2) part of the trace term.",
            math.sqrt(10): "the Fréchet distance as defined here is already squared: no square root.",
        },
        explanation="(1 - 4)² + (2 - 1)² = 9 + 1 = 10.",
    ),
    # -- notebook 08 (conditional GAN) --
    "08.1": NumberExercise(
        what="the first convolution's parameters",
        expected=5 * 5 * 27 * 32 + 32,
        tolerance=0,
        integer=True,
        hint="the convolution sees the image channel plus one channel per class; each of its 32 filters "
        "has 5 x 5 x (input channels) weights and one bias.",
        mistakes={
            5 * 5 * 27 * 32: "each of the 32 filters also has a bias.",
            5 * 5 * 26 * 32 + 32: "the image itself is a channel too: 1 + 26 input channels.",
            5 * 5 * 11 * 32 + 32: "that is section 3's ten-digit discriminator; the letters have 26 classes.",
            5 * 5 * 1 * 32 + 32: "that is an unconditional first layer; add the label channels.",
        },
        explanation="1 + 26 = 27 input channels: 5·5·27·32 + 32 = 21,632, of which 5·5·26·32 = 20,800 only "
        "read the label planes (a projection discriminator adds 26 x 3,136 = 81,536 at its end instead).",
    ),
    "08.2": CheckedExercise(
        _function_answer(agreement_function_problem),
        "your agreement matches gh.metrics.label_agreement on every hidden table, including the NaN of a "
        "class never asked for.",
    ),
    "08.3": ChoiceExercise(
        expected="FD",
        options=("agreement", "score", "FD"),
        hint="ten identical digits are confident and perfectly balanced: which number compares the spread "
        "of generated digits with real ones?",
        explanation="agreement and score only ask whether each digit is confidently the right class; the "
        "Fréchet distance compares the spread of the features with real digits, and one 7 repeated has none.",
    ),
    # -- notebook 09 (latent space) --
    "09.1": NumberExercise(
        what="the length of the midpoint",
        expected=10 / math.sqrt(2),
        tolerance=1e-3,
        hint="the midpoint is (z0 + z1) / 2; for orthogonal codes, Pythagoras gives ‖z0 + z1‖.",
        mistakes={
            10.0: "that is slerp's midpoint; the straight line cuts inside the sphere.",
            5.0: "half of each code, but the halves point in different directions: add them like the sides "
            "of a right triangle.",
            10 * math.sqrt(2): "that is ‖z0 + z1‖; the midpoint is half of it.",
        },
        explanation="‖(z0 + z1)/2‖ = √(10² + 10²)/2 = 10/√2 ≈ 7.071: about 71 % of the length of every code "
        "the generator trained on, far outside the thin shell where 100-d noise lives.",
    ),
    "09.2": NumberExercise(
        what="directions for half the variance",
        expected=lambda codes: _directions_for_half(codes),
        tolerance=0,
        integer=True,
        needs=("codes",),
        hint="np.cumsum of gh.latent.principal_directions(codes, k).share with the largest k allowed; "
        "count how many directions it takes to reach 0.5.",
        mistakes=lambda codes: {
            _directions_for_half(codes) - 1: "one short: that many directions stay below half; add one.",
            1.0: "one direction explains far less than half: noise has no favourite direction.",
        },
        explanation=lambda answer, codes: (
            f"{int(answer)} of {np.shape(codes)[1]} directions: standard normal noise spreads its variance "
            "almost evenly, so about half of the directions are needed for half of it. The generator's "
            "images are different: a few directions carry much of their variation."
        ),
    ),
    "09.3": NumberExercise(
        what="the length of the mean of 25 codes",
        expected=2.0,
        tolerance=0.1,
        hint="the mean of n independent standard normal codes is itself normal, with standard deviation "
        "1/√n in every coordinate; its length is about √d times that.",
        mistakes={
            10.0: "averaging does not keep the length: the independent parts of the codes cancel out.",
            0.4: "that divides by n; independent noise averages down by √n.",
        },
        explanation="each coordinate of the mean has standard deviation 1/√25 = 1/5, so its length is about "
        "√100/5 = 2 (gh.latent.expected_norm(100)/5 ≈ 1.995): a fifth of a typical code. That is why a mean "
        "code must be rescaled to the typical length before the generator sees it.",
    ),
    # -- notebook 10 (WGAN-GP) --
    "10.1": CheckedExercise(
        _function_answer(w1_sorting_problem),
        "your w1 matches the exact distance on every hidden pair, also where the two samples have different "
        "shapes and the same mean. In one dimension the cheapest transport plan never crosses: sorting finds "
        "it in O(n log n). In two or more dimensions no order exists and the plan needs an assignment solver "
        "(gh.wgan_experiments.exact_w1), which is why GANs estimate W1 with a critic instead.",
    ),
    "10.2": NumberExercise(
        what="the largest slope",
        expected=64 * 64 * 0.01**3,
        tolerance=1e-7,
        hint="follow one path of weights: each layer multiplies the slope by at most (its fan-in) x c; the "
        "first layer has fan-in 1, the next two 64 each. ReLU's slope is 0 or 1.",
        mistakes={
            0.01: "that is one weight; the slope multiplies through all three layers.",
            0.01**3: "one path through the network; each unit adds up 64 paths from the layer before.",
            64 * 0.01**2: "one layer is missing: three weight matrices stand between x and f(x).",
            64 * 64 * 0.01: "each of the three layers contributes a factor c, not only one of them.",
        },
        explanation="c · (64 c) · (64 c) = 64² c³ ≈ 0.0041, reached only when every weight sits at ±c with "
        "matching signs. Section 2's clipped critic had a slope of about 0.0011: below the bound, and about "
        "900 times smaller than 1. Its estimate is W1 times that unknown constant, and the optimiser pushes "
        "weights against the clip to get any slope at all.",
    ),
    "10.3": CheckedExercise(
        _function_answer(critic_losses_problem),
        "both losses match gh.losses.critic_loss and gh.losses.critic_generator_loss on hidden scores. "
        "Note what is missing: no log, no sigmoid, no labels. The scores are any real numbers, and only "
        "their difference between real and fake samples matters.",
    ),
    # -- notebook 11 (applications) --
    "11.1": CheckedExercise(
        _function_answer(masked_mse_function_problem),
        "your masked_mse matches gh.inpainting.masked_mse on hidden digits and masks. Dividing by the number "
        "of known pixels (not by all 784) keeps the match term comparable between a digit with half its "
        "pixels missing and one with three quarters missing, so one prior weight suits every mask.",
    ),
    "11.2": NumberExercise(
        what="the number of blocks",
        expected=math.comb(16, 8),
        tolerance=0,
        integer=True,
        hint="a block is 16 pixels; its thumbnail value 0.5 says that exactly 8 of them are ink. In how many "
        "ways can you choose which 8? (math.comb)",
        mistakes={
            2**16: "that counts every black-and-white block; only those with 8 ink pixels average 0.5.",
            8.0: "8 is how many pixels are ink, not in how many ways they can be placed.",
            16.0: "16 is the number of pixels in the block, not the number of arrangements.",
            1.0: "many blocks share that mean: the thumbnail forgets where the ink was.",
        },
        explanation="C(16, 8) = 12,870 different blocks give the same thumbnail pixel, for every one of the "
        "49 pixels. The translator cannot know which one was there; it has to guess a plausible one. An L1 "
        "loss rewards the guess that is least wrong on average, the adversarial term one that looks real.",
    ),
    "11.3": NumberExercise(
        what="the best value under an L1 loss",
        expected=0.0,
        tolerance=0.01,
        hint="the expected L1 error of v is 0.3·|1 - v| + 0.7·|v|; write it for v between 0 and 1 and see "
        "which way it slopes.",
        mistakes={
            0.3: "0.3 is the mean, which minimises the squared error (L2); the absolute error is minimised "
            "by the median.",
            0.5: "halfway is not best: the two outcomes are not equally likely.",
            1.0: "ink is the less likely outcome here (30 %).",
        },
        explanation="0.3·(1 - v) + 0.7·v = 0.3 + 0.4·v is smallest at v = 0: an L1 loss predicts the median, "
        "so a stroke that only 30 % of the plausible digits have is left out entirely (an L2 loss would "
        "draw it grey, at 0.3). Either way the uncertain details of the target are lost; the adversarial "
        "term is what asks for some stroke that looks real.",
    ),
}


def _exercise(exercise_id: object) -> Exercise:
    if exercise_id not in EXERCISES:
        raise ValueError(
            f"no exercise {exercise_id!r}: exercise_id must be one of the exercises {', '.join(EXERCISES)}"
        )
    return EXERCISES[exercise_id]  # type: ignore[index]


def exercise_problem(exercise_id: str, *answers: object, **context: object) -> str | None:
    """What is wrong with the answer(s) to exercise ``exercise_id`` (``"NN.k"``), ``None`` when right.

    ``context`` passes what the right answer depends on (e.g. ``images=images`` for ``"03.2"``,
    ``runs=mnist_runs`` for ``"05.3"``); a missing one raises ``TypeError``.
    """
    exercise = _exercise(exercise_id)
    missing = [name for name in exercise.needs if name not in context]
    if missing:
        needed = ", ".join(f"{name}={name}" for name in missing)
        raise TypeError(
            f"exercise {exercise_id} is checked against your data: call check({exercise_id!r}, ..., {needed})"
        )
    return exercise.problem(*answers, **context)


def check(exercise_id: str, *answers: object, **context: object) -> None:
    """Print whether the answer(s) to exercise ``exercise_id`` are right, with a hint that does not give
    the answer away when wrong, and the explanation when right.

    ``gh.exercises.check("04.2", small_noise_params)``; ``check("03.2", batches_per_epoch, images=images)``.
    """
    problem = exercise_problem(exercise_id, *answers, **context)
    feedback(problem, "" if problem else _exercise(exercise_id).success(*answers, **context))


# --- notebook 04: the chapter's models and the two-tape training step, written by the learner ----------

_STEP_LEARNING_RATE = 0.1
_STEP_BATCH = 8


def _model_problem(
    model: object,
    name: str,
    input_shape: tuple[int, ...],
    output_shape: tuple[int, ...],
    dense: Sequence[tuple[int, str]],
    params: int,
) -> str | None:
    """What keeps ``model`` from being the chapter's ``name`` network (``None``: it is)."""
    import keras

    if not isinstance(model, keras.Model):
        return f"{name}: expected a Keras model, got {type(model).__name__}"
    try:
        got_in, got_out = tuple(model.input_shape)[1:], tuple(model.output_shape)[1:]
    except (AttributeError, ValueError):
        return f"{name}: the model has no declared input; start it with keras.Input(shape={input_shape})"
    if got_in != input_shape:
        return f"{name}: its input has shape {got_in}, expected {input_shape} (keras.Input(shape=...))"
    layers = [layer for layer in model.layers if isinstance(layer, keras.layers.Dense)]
    if len(layers) != len(dense):
        return f"{name}: it has {len(layers)} Dense layers, the chapter's has {len(dense)}"
    for i, (layer, (units, activation)) in enumerate(zip(layers, dense, strict=True), start=1):
        got_act = getattr(layer.activation, "__name__", str(layer.activation))
        if layer.units != units:
            return f"{name}: Dense layer {i} has {layer.units} units, the chapter's has {units}"
        if got_act != activation:
            return f"{name}: Dense layer {i} uses activation {got_act!r}, the chapter's uses {activation!r}"
    if got_out != output_shape:
        return f"{name}: its output has shape {got_out}, expected {output_shape}"
    if model.count_params() != params:
        return f"{name}: {model.count_params():,} parameters, the chapter's has {params:,}"
    return None


def chapter_models_problem(generator: object, discriminator: object) -> str | None:
    """What keeps ``(generator, discriminator)`` from being the chapter's models (``None``: they are).

    G: noise ``(100,)`` -> Dense(128, relu) -> Dense(784, sigmoid) -> ``(28, 28, 1)``, 114,064 parameters;
    D: ``(28, 28, 1)`` -> Dense(128, relu) -> Dense(1, sigmoid) -> ``(1,)``, 100,609 parameters.
    """
    if generator is None and discriminator is None:
        return f"{_NOT_ANSWERED}: build the two models (they are None)"
    return _model_problem(
        generator, "G", (100,), (28, 28, 1), [(128, "relu"), (784, "sigmoid")], 114_064
    ) or _model_problem(discriminator, "D", (28, 28, 1), (1,), [(128, "relu"), (1, "sigmoid")], 100_609)


def check_chapter_models(generator: object, discriminator: object) -> None:
    """Print whether ``generator`` and ``discriminator`` are the chapter's models, and what differs."""
    feedback(chapter_models_problem(generator, discriminator), EXERCISES["04.1"].success())


def _step_models(weights: tuple[tuple[np.ndarray, ...], tuple[np.ndarray, ...]]) -> tuple[object, object]:
    """Fresh chapter models (G, D) holding ``weights``."""
    from ..toolkit.models import build_chapter_discriminator, build_chapter_generator

    generator, discriminator = build_chapter_generator(), build_chapter_discriminator()
    generator.set_weights([w.copy() for w in weights[0]])
    discriminator.set_weights([w.copy() for w in weights[1]])
    return generator, discriminator


def _flat(arrays: Sequence[object]) -> np.ndarray:
    return np.concatenate([np.asarray(a, np.float64).ravel() for a in arrays])


@lru_cache(maxsize=1)
def _train_step_reference() -> dict[str, object]:
    """The fixed case the learner's step runs on (known weights, a real batch, noise) and, computed
    independently with Keras's BCE and one plain SGD step, the weight changes of the right step and of the
    usual wrong ones, flattened: ``d:*`` for D's weights, ``g:*`` for G's."""
    import keras
    import tensorflow as tf

    rng = np.random.default_rng(2024)
    from ..toolkit.models import build_chapter_discriminator, build_chapter_generator

    shapes = (
        [w.shape for w in build_chapter_generator().get_weights()],
        [w.shape for w in build_chapter_discriminator().get_weights()],
    )
    weights = tuple(tuple(rng.normal(0.0, 0.05, s).astype(np.float32) for s in group) for group in shapes)
    real = rng.uniform(0.0, 1.0, (_STEP_BATCH, 28, 28, 1)).astype(np.float32)
    z = rng.standard_normal((_STEP_BATCH, 100)).astype(np.float32)
    generator, discriminator = _step_models(weights)
    bce = keras.losses.BinaryCrossentropy()
    ones, zeros = np.ones((_STEP_BATCH, 1), np.float32), np.zeros((_STEP_BATCH, 1), np.float32)
    g_vars, d_vars = generator.trainable_weights, discriminator.trainable_weights
    with tf.GradientTape(persistent=True) as tape:
        d_real = discriminator(real, training=True)
        d_fake = discriminator(generator(z, training=True), training=True)
        d_loss = bce(ones, d_real) + bce(zeros, d_fake)  # L_D = -E[log D(x)] - E[log(1 - D(G(z)))]
        g_loss = bce(ones, d_fake)  # L_G = -E[log D(G(z))]
        losses = {
            "d:right": (d_loss, d_vars),
            "d:swapped labels": (bce(zeros, d_real) + bce(ones, d_fake), d_vars),
            "d:real term only": (bce(ones, d_real), d_vars),
            "d:fake term only": (bce(zeros, d_fake), d_vars),
            "d:with L_G": (g_loss, d_vars),
            "g:right": (g_loss, g_vars),
            "g:with L_D": (d_loss, g_vars),
            "g:saturating": (-bce(zeros, d_fake), g_vars),  # E[log(1 - D(G(z)))]
        }
    step = {
        key: -_STEP_LEARNING_RATE * _flat(tape.gradient(loss, wrt)) for key, (loss, wrt) in losses.items()
    }
    del tape
    # The alternating order is right too: G's gradient measured through the already-updated D.
    updated_d = [w + delta for w, delta in zip(weights[1], _split(step["d:right"], shapes[1]), strict=True)]
    generator, discriminator = _step_models((weights[0], tuple(updated_d)))
    with tf.GradientTape() as tape:
        g_after = bce(ones, discriminator(generator(z, training=True), training=True))
    step["g:alternating"] = -_STEP_LEARNING_RATE * _flat(tape.gradient(g_after, generator.trainable_weights))
    return {
        "weights": weights,
        "real": real,
        "z": z,
        "d_loss": float(d_loss),
        "g_loss": float(g_loss),
        "g_loss_alternating": float(g_after),
        "step": step,
    }


def _split(flat: np.ndarray, shapes: Sequence[tuple[int, ...]]) -> list[np.ndarray]:
    out, start = [], 0
    for shape in shapes:
        size = int(np.prod(shape))
        out.append(flat[start : start + size].reshape(shape).astype(np.float32))
        start += size
    return out


def _same_step(got: np.ndarray, want: np.ndarray, rtol: float = 2e-3) -> bool:
    return bool(np.linalg.norm(got - want) <= rtol * np.linalg.norm(want) + 1e-9)


def _update_problem(delta: np.ndarray, step: Mapping[str, np.ndarray], net: str) -> str | None:
    """What is wrong with the change ``delta`` of network ``net`` ("d" or "g") (``None``: right)."""
    name, loss = ("D", "L_D") if net == "d" else ("G", "L_G")
    right = step[f"{net}:right"]
    if not np.any(delta):
        optimizer, model = ("d_optimizer", "discriminator") if net == "d" else ("g_optimizer", "generator")
        return (
            f"{name} was not updated: apply {optimizer} to the gradient of {loss} with respect to "
            f"{model}.trainable_weights (the {model} passed to your function)"
        )
    if _same_step(delta, right) or (net == "g" and _same_step(delta, step["g:alternating"])):
        return None
    if net == "d":
        diagnoses = [
            ("d:with L_G", "your step changed D's weights with L_G: D's gradient must come from L_D"),
            ("d:swapped labels", "D's update does not match L_D: check the labels (real → 1, fake → 0)"),
            ("d:real term only", "D's update uses only the real term of L_D: add -E[log(1 - D(G(z)))]"),
            ("d:fake term only", "D's update uses only the fake term of L_D: add -E[log D(x)]"),
        ]
    else:
        diagnoses = [
            ("g:with L_D", "your step changed G's weights with L_D: G's gradient must come from L_G"),
            (
                "g:saturating",
                "G's update follows the saturating loss E[log(1 - D(G(z)))]; the chapter's L_G is "
                "-E[log D(G(z))] (gh.losses.generator_loss)",
            ),
        ]
    for key, message in diagnoses:
        if _same_step(delta, step[key]):
            return message
    if _same_step(delta, -right):
        if net == "d":
            return f"D's update has the wrong sign: it raises {loss} instead of lowering it"
        return (
            "G's update has the wrong sign: G must make D call its fakes real "
            "(minimize L_G = -E[log D(G(z))])"
        )
    cosine = float(delta @ right / (np.linalg.norm(delta) * np.linalg.norm(right)))
    if cosine > 0.999:
        ratio = float(np.linalg.norm(delta) / np.linalg.norm(right))
        return (
            f"{name}'s update points the right way but is {ratio:.3g} times one SGD step on {loss}: apply "
            "the optimizer once per step, to the gradient of the mean loss over the batch"
        )
    formula = "-E[log D(x)] - E[log(1 - D(G(z)))]" if net == "d" else "-E[log D(G(z))]"
    return (
        f"{name}'s update does not match one step on {loss} = {formula}: use the real_images and z your "
        "function is given (no new noise), the optimizer passed in, and the gradient of "
        f"{loss} with respect to {name}'s own weights"
    )


def _returned_losses_problem(
    out: object, d_loss: float, g_loss: float, g_loss_alternating: float | None = None
) -> str | None:
    """What is wrong with what the step returned (``None``: the pair ``(L_D, L_G)`` before the update, or
    ``(L_D, L_G through the updated D)`` for the alternating order)."""
    if out is None:
        return "your step updates both networks right but returns None: end it with `return d_loss, g_loss`"
    if not isinstance(out, (tuple, list)) or len(out) != 2:
        size = f"{len(out)} values" if isinstance(out, (tuple, list)) else f"a {type(out).__name__}"
        return f"your step must return two numbers, (d_loss, g_loss), got {size}"
    values = []
    for label, value in zip(("d_loss", "g_loss"), out, strict=True):
        try:
            values.append(float(np.asarray(value, np.float64).reshape(())))
        except (TypeError, ValueError):
            return f"the {label} you return must be one number (a scalar), got shape {np.shape(value)}"
    for right_g in (g_loss, g_loss_alternating):
        if right_g is not None and np.allclose(values, [d_loss, right_g], rtol=1e-3, atol=1e-5):
            return None
    if np.allclose(values, [g_loss, d_loss], rtol=1e-3, atol=1e-5):
        return "you return (g_loss, d_loss): return d_loss first, then g_loss"
    return (
        f"you return d_loss = {values[0]:.4f}, g_loss = {values[1]:.4f}, but on this batch "
        f"L_D = {d_loss:.4f} and L_G = {g_loss:.4f} (computed before the update)"
    )


def train_step_problem(fn: object) -> str | None:
    """What is wrong with a learner's two-tape step (``None``: right).

    ``fn(real_images, z, generator, discriminator, d_optimizer, g_optimizer)`` must move D by one optimizer
    step on the chapter's L_D (D's weights only), G by one step on the non-saturating L_G (G's weights only),
    and return ``(d_loss, g_loss)``. It runs on the chapter's models with known weights, a fixed real batch
    ``(8, 28, 28, 1)``, fixed noise ``(8, 100)`` and plain SGD, and each network's change is compared with
    ``-lr * gradient`` computed independently (Keras's BCE); the alternating order (G's gradient through the
    updated D) is accepted too. The usual mistakes are named.
    """
    import keras

    if fn is None:
        return f"{_NOT_ANSWERED}: write my_train_step"
    if not callable(fn):
        return f"expected a function, got {type(fn).__name__}"
    case = _train_step_reference()
    generator, discriminator = _step_models(case["weights"])  # type: ignore[arg-type]
    before_g, before_d = _flat(generator.get_weights()), _flat(discriminator.get_weights())
    d_optimizer = keras.optimizers.SGD(_STEP_LEARNING_RATE)
    g_optimizer = keras.optimizers.SGD(_STEP_LEARNING_RATE)
    try:
        real, z = case["real"].copy(), case["z"].copy()  # type: ignore[attr-defined]
        out = fn(real, z, generator, discriminator, d_optimizer, g_optimizer)
    except Exception as err:  # the learner's code may raise anything; report it, don't crash
        text = str(err).strip()
        message = f"your step raised {type(err).__name__}: {text.splitlines()[0] if text else ''}"
        if "non-persistent" in text:
            message += " (use two tapes, one per loss: `with tf.GradientTape() as d_tape, "
            message += "tf.GradientTape() as g_tape:`)"
        return message
    delta_g = _flat(generator.get_weights()) - before_g
    delta_d = _flat(discriminator.get_weights()) - before_d
    if out is None and not np.any(delta_g) and not np.any(delta_d):
        return f"{_NOT_ANSWERED}: my_train_step returns None and changes neither network"
    step = case["step"]
    return (
        _update_problem(delta_d, step, "d")  # type: ignore[arg-type]
        or _update_problem(delta_g, step, "g")  # type: ignore[arg-type]
        or _returned_losses_problem(out, case["d_loss"], case["g_loss"], case["g_loss_alternating"])  # type: ignore[arg-type]
    )


def check_train_step(fn: object) -> None:
    """Print whether ``fn(real_images, z, generator, discriminator, d_optimizer, g_optimizer)`` is the
    chapter's two-tape training step, and if not, what is wrong in plain words."""
    feedback(train_step_problem(fn), EXERCISES["04.2"].success(fn))
