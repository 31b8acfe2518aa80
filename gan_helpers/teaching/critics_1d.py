"""Chapter 10's second picture: what a Wasserstein critic learns, on the 1-D example of the first one.

The data are uniform on [0, width], the generator's samples the same shape moved by ``shift``. The best
1-Lipschitz critic is a straight line of slope -1 across the gap (higher where the data are), and its
estimate E[f(real)] - E[f(fake)] equals W1 = |shift|. :func:`fit_critic_1d` trains a small critic three
ways - with no constraint, with WGAN's weight clipping and with WGAN-GP's gradient penalty - so the notebook
can show which one finds that line; :func:`plot_critics_1d` draws the result.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import keras
import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf
from matplotlib.figure import Figure

from ..toolkit.checks import check_count, check_items, check_number
from ..toolkit.losses import critic_loss, gradient_penalty
from ..toolkit.palette import D_COLOR, DATA_COLOR, G_COLOR, NON_SATURATING_COLOR
from .theory import uniform_pdf

#: how a critic is kept (or not) from growing without bound
CONSTRAINTS = ("none", "clipping", "penalty")
_TITLES = {"none": "no constraint", "clipping": "weight clipping", "penalty": "gradient penalty"}


@dataclass(frozen=True)
class CriticFit1D:
    """One critic trained on the 1-D example.

    - ``grid`` ``(n,)`` and ``scores`` ``(n,)``: the critic f(x) on a grid covering both supports.
    - ``estimates`` ``(steps,)``: E[f(real)] - E[f(fake)] on each step's batch, before the update (the
      critic's estimate of W1, up to the Lipschitz constant it really has).
    - ``slope``: the mean of |f'(x)| over the gap between the supports (1 for the best 1-Lipschitz critic).
    - ``true_w1``: |shift|, the exact distance.
    """

    constraint: str
    shift: float
    width: float
    grid: np.ndarray
    scores: np.ndarray
    estimates: np.ndarray
    slope: float
    true_w1: float

    @property
    def final_estimate(self) -> float:
        """The mean of the last tenth of the estimates (the batches make single values noisy)."""
        tail = max(1, len(self.estimates) // 10)
        return float(np.mean(self.estimates[-tail:]))


def build_critic_1d(hidden: int = 64) -> keras.Sequential:
    """A small critic for 1-D points: ``(batch, 1)`` -> Dense(hidden, relu) -> Dense(hidden, relu)
    -> Dense(1), one score per point (no sigmoid).

    The last layer starts at zero, so the critic starts flat and the loss alone picks which way it slopes.
    (In one dimension the gradient penalty would otherwise trap a critic that starts sloping the wrong way:
    to turn round, its slope must pass through 0, where the penalty is at its largest. In more dimensions
    the gradient can turn without shrinking, so image critics need no such care.)"""
    hidden = check_count(hidden, "hidden")
    return keras.Sequential(
        [
            keras.Input(shape=(1,)),
            keras.layers.Dense(hidden, activation="relu"),
            keras.layers.Dense(hidden, activation="relu"),
            keras.layers.Dense(1, kernel_initializer="zeros"),
        ],
        name="critic_1d",
    )


def fit_critic_1d(
    constraint: str,
    shift: float = 2.0,
    width: float = 0.5,
    steps: int = 1000,
    clip: float = 0.01,
    penalty: float = 10.0,
    learning_rate: float = 1e-3,
    batch_size: int = 256,
    seed: int = 0,
) -> CriticFit1D:
    """Train a fresh :func:`build_critic_1d` to separate data uniform on [0, ``width``] from generator
    samples uniform on [``shift``, ``shift + width``] (the generator stays fixed), by minimising
    E[f(fake)] - E[f(real)] with Adam for ``steps`` steps, and:

    - ``constraint="none"``: nothing else (the scores can grow without bound);
    - ``"clipping"``: after every step each weight is clipped to [-``clip``, ``clip``] (WGAN, 2017);
    - ``"penalty"``: ``penalty`` times :func:`gan_helpers.losses.gradient_penalty` is added to the loss,
      with interpolation weights drawn uniformly in [0, 1] per pair (WGAN-GP, 2017).

    ``shift`` must exceed ``width`` (disjoint supports: the case where JS is stuck at log 2).
    Takes a few seconds on a CPU. Returns a :class:`CriticFit1D`.
    """
    if constraint not in CONSTRAINTS:
        raise ValueError(f"constraint must be one of {CONSTRAINTS}, got {constraint!r}")
    width = check_number(width, "width", low=0, low_open=True)
    shift = check_number(shift, "shift", low=0, low_open=True)
    if shift <= width:
        raise ValueError(
            f"shift must exceed width (disjoint supports), got shift={shift:g} and width={width:g}: "
            "move the generator further, e.g. shift=2"
        )
    steps, batch_size = check_count(steps, "steps"), check_count(batch_size, "batch_size")
    clip = check_number(clip, "clip", low=0, low_open=True)
    penalty = check_number(penalty, "penalty", low=0, low_open=True)
    learning_rate = check_number(learning_rate, "learning_rate", low=0, low_open=True, high=1)

    keras.utils.set_random_seed(seed)
    critic = build_critic_1d()
    optimizer = keras.optimizers.Adam(learning_rate)
    rng = tf.random.Generator.from_seed(seed)

    @tf.function
    def step() -> tf.Tensor:
        real = rng.uniform((batch_size, 1), 0.0, width)
        fake = rng.uniform((batch_size, 1), shift, shift + width)
        epsilon = rng.uniform((batch_size, 1))
        with tf.GradientTape() as tape:
            real_scores, fake_scores = critic(real, training=True), critic(fake, training=True)
            loss = critic_loss(real_scores, fake_scores)
            if constraint == "penalty":
                loss += penalty * gradient_penalty(critic, real, fake, epsilon)
        weights = critic.trainable_weights
        optimizer.apply_gradients(zip(tape.gradient(loss, weights), weights, strict=True))
        if constraint == "clipping":
            for weight in critic.trainable_weights:
                weight.assign(tf.clip_by_value(weight, -clip, clip))
        return tf.reduce_mean(real_scores) - tf.reduce_mean(fake_scores)

    estimates = np.array([float(step()) for _ in range(steps)])
    grid = np.linspace(-0.5, shift + width + 0.5, 401)
    scores = critic(grid[:, None].astype("float32"), training=False).numpy()[:, 0]
    gap = (grid >= width) & (grid <= shift)
    slope = float(np.mean(np.abs(np.gradient(scores, grid)[gap])))
    return CriticFit1D(constraint, shift, width, grid, scores, estimates, slope, true_w1=abs(shift))


def plot_critics_1d(fits: Sequence[CriticFit1D]) -> Figure:
    """One panel per fit: the two supports shaded and the critic f(x) (its own scale on the right,
    shifted so that f = 0 at the data's centre), titled with its slope across the gap; then a last panel
    with every critic's estimate over the training steps against the true W1."""
    fits = check_items(fits, "fits", CriticFit1D, "fit_critic_1d(...)")
    fig, axes = plt.subplots(1, len(fits) + 1, figsize=(3.6 * (len(fits) + 1), 3.3))
    for ax, fit in zip(axes[:-1], fits, strict=True):
        ax.fill_between(fit.grid, uniform_pdf(fit.grid, 0.0, fit.width), color=DATA_COLOR, alpha=0.35)
        ax.fill_between(fit.grid, uniform_pdf(fit.grid, fit.shift, fit.width), color=G_COLOR, alpha=0.35)
        ax.set_yticks([])
        ax.set_xlabel("x")
        right = ax.twinx()
        centre = np.interp(fit.width / 2, fit.grid, fit.scores)
        right.plot(fit.grid, fit.scores - centre, color=D_COLOR, lw=2)
        right.tick_params(labelsize=8)
        ax.set_title(f"{_TITLES[fit.constraint]}\nslope across the gap {fit.slope:.3g}", fontsize=10)
    last = axes[-1]
    for i, fit in enumerate(fits):
        color = (D_COLOR, G_COLOR, NON_SATURATING_COLOR, DATA_COLOR)[i % 4]
        last.plot(fit.estimates, color=color, lw=1, label=_TITLES[fit.constraint])
    last.axhline(fits[0].true_w1, color="black", ls=":", lw=1, label=f"true W1 = {fits[0].true_w1:g}")
    last.set_yscale("symlog", linthresh=0.01)
    top = max(float(np.max(fit.estimates)) for fit in fits)
    last.set_ylim(min(0.0, *(float(np.min(fit.estimates)) for fit in fits)), max(10.0, 3 * top))
    last.set_xlabel("critic step")
    last.set_title("E f(real) - E f(fake)", fontsize=10)
    last.legend(fontsize=7, loc="upper left")
    axes[0].text(0.02, 0.03, "data", color=DATA_COLOR, transform=axes[0].transAxes, fontsize=8)
    axes[0].text(0.98, 0.03, "generator", color=G_COLOR, transform=axes[0].transAxes, ha="right", fontsize=8)
    fig.tight_layout()
    plt.close(fig)
    return fig
