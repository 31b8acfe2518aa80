"""Checks that learners run on their exercise answers: they say right or wrong, and why.

Each check is a pure function that finds the first problem with an answer (``None`` when it is right)
plus a thin ``check_*`` wrapper that prints the verdict. Checks print rather than return, so the
verdict is the only thing a learner sees under the cell.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from ..toolkit.data import validate_scale


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
    if images.ndim != 4 or images.shape[1:] != (28, 28, 1):
        return f"expected shape (N, 28, 28, 1), got {images.shape}"
    if images.dtype != np.float32:
        return f"expected dtype float32, got {images.dtype}"
    lo, hi = float(images.min()), float(images.max())
    if not (np.isclose(lo, low, atol=1e-5) and np.isclose(hi, high, atol=1e-5)):
        return (
            f"pixels run from {lo:g} to {hi:g}, but should run from {low:g} to {high:g}; "
            "look at the scale= argument"
        )
    return None


def check_scaled_images(images: object, scale: Sequence[float] = (-1, 1)) -> None:
    """Print whether ``images`` are MNIST digits scaled to ``scale``, and what is off if not."""
    low, high = validate_scale(scale)
    shape = getattr(images, "shape", ())
    count = shape[0] if shape else 0
    feedback(
        scaled_images_problem(images, scale),
        f"{count:,} images of shape (28, 28, 1), pixels in [{low:g}, {high:g}].",
    )


def number_problem(answer: object, expected: float, tolerance: float, what: str) -> str | None:
    """What is wrong with a numeric answer (``None`` when it is within ``tolerance`` of ``expected``)."""
    if answer is None or isinstance(answer, bool):
        return f"{what}: replace None with your number"
    try:
        value = float(answer)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return f"{what}: expected a number, got {type(answer).__name__}"
    if not np.isfinite(value):
        return f"{what}: got {value}, expected a finite number"
    if abs(value - expected) > tolerance:
        direction = "too high" if value > expected else "too low"
        return f"{what}: {value:.4g} is {direction}"
    return None


def check_number(answer: object, expected: float, tolerance: float = 1e-3, what: str = "your answer") -> None:
    """Print whether a numeric answer is within ``tolerance`` of ``expected`` (without revealing it)."""
    problem = number_problem(answer, expected, tolerance, what)
    feedback(problem, "" if problem else f"{what}: {float(answer):.4g} is right.")  # type: ignore[arg-type]


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


def check_perfect_generator(mu_g: object, sigma_g: object) -> None:
    """Print whether the generator N(mu_g, sigma_g²) makes D* = 1/2 everywhere on the 1-D toy."""
    feedback(
        perfect_generator_problem(mu_g, sigma_g),
        "p_g = p_data: D*(x) = 1/2 everywhere and V(D*, G) = -log 4 ≈ -1.386, the game's minimum.",
    )


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


def check_discriminator_loss(fn: object) -> None:
    """Print whether ``fn(d_real, d_fake)`` computes the chapter's L_D from probabilities, and why not."""
    feedback(
        discriminator_loss_problem(fn),
        "your L_D matches the chapter's formula (and Keras's BCE) on every batch.",
    )


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


def check_generator_loss_from_logits(fn: object) -> None:
    """Print whether ``fn(fake_logits)`` computes the non-saturating L_G stably from logits."""
    feedback(
        generator_loss_from_logits_problem(fn),
        "your L_G is right and stays exact even at logit -100, where D(G(z)) underflows to 0.",
    )


def check_choice(
    answer: object,
    expected: str,
    options: Sequence[str],
    why: str,
    hint: str = "look again at the two runs' D(G(z)) curves and samples",
) -> None:
    """Print whether ``answer`` is the ``expected`` one of ``options``, with the reason ``why`` when right
    and ``hint`` when wrong."""
    if answer not in options:
        feedback(f"answer with one of {list(options)} (got {answer!r})", "")
    elif answer != expected:
        feedback(f"{answer!r} is not it: {hint}", "")
    else:
        feedback(None, f"{answer!r}: {why}")


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


def check_ring_run(run: object, min_modes: int = 8, min_quality: float = 0.9) -> None:
    """Print whether a ring run covers ``min_modes`` modes with ``min_quality`` high-quality samples."""
    problem = ring_run_problem(run, min_modes, min_quality)
    success = "" if run is None or problem else f"{run.final}: well done."
    feedback(problem, success)
