"""Figures for the 1-D game of chapters 01 and 02: p_data, p_g and D*(x); the generator losses and their
gradients; a 1-D GAN while it trains; the generator's path over the map of the game's value."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from ..toolkit.checks import check_number, check_numbers
from ..toolkit.losses import generator_loss_curves
from ..toolkit.palette import D_COLOR, DATA_COLOR, G_COLOR, NON_SATURATING_COLOR, SATURATING_COLOR
from .theory import DATA_MEAN, DATA_STD, OneDimensionalGame, one_dimensional_game


def _check_game(game: object, name: str = "game") -> None:
    if not isinstance(game, OneDimensionalGame):
        raise TypeError(
            f"{name} must be a OneDimensionalGame (from gh.one_dimensional_game), got {type(game).__name__}"
        )


def plot_one_dimensional_game(game: OneDimensionalGame, title: str | None = None) -> Figure:
    """Draw p_data, p_g and the optimal discriminator D*(x) of a :class:`OneDimensionalGame`.

    Densities on the left axis; D*(x) on the right axis, from 0 to 1, with the 1/2 line. The title
    gives V(D*, G) and JSD(p_data || p_g) (in nats).
    """
    _check_game(game)
    fig, ax = plt.subplots(figsize=(9, 4))
    _draw_one_dimensional_game(ax, game)
    ax.set_title(
        title
        or f"V(D*, G) = {game.value:.3f}  (minimum -log 4 = -1.386)    JSD(p_data || p_g) = {game.jsd:.3f}",
        fontsize=10,
    )
    fig.tight_layout()
    plt.close(fig)
    return fig


def _draw_one_dimensional_game(
    ax: Axes, game: OneDimensionalGame, xlim: tuple[float, float] = (-3, 10)
) -> None:
    ax.fill_between(game.x, game.p_data, color=DATA_COLOR, alpha=0.35, label="p_data (real)")
    ax.fill_between(game.x, game.p_g, color=G_COLOR, alpha=0.35, label="p_g (generator)")
    ax.set_xlim(*xlim)
    ax.set_ylim(0, max(1.05 * float(max(game.p_data.max(), game.p_g.max())), 0.6))
    ax.set_xlabel("x")
    ax.set_ylabel("density")
    twin = ax.twinx()
    twin.plot(game.x, game.d_star, color=D_COLOR, lw=2, label="D*(x)")
    twin.axhline(0.5, color=D_COLOR, lw=1, ls=":")
    twin.set_ylim(-0.02, 1.02)
    twin.set_ylabel("D*(x) = P(real | x)", color=D_COLOR)
    handles = ax.get_legend_handles_labels()[0] + twin.get_legend_handles_labels()[0]
    ax.legend(handles=handles, loc="upper left", fontsize=9)


def plot_games_side_by_side(games: Sequence[OneDimensionalGame], titles: Sequence[str]) -> Figure:
    """Several 1-D games next to each other (e.g. a poor generator and a perfect one)."""
    for name, values in (("games", games), ("titles", titles)):
        if not isinstance(values, (list, tuple)):
            raise TypeError(f"{name} must be a list, got {type(values).__name__}")
    if not games:
        raise ValueError(f"games is empty: expected at least one OneDimensionalGame, got {games!r}")
    for game in games:
        _check_game(game, "games")
    if len(games) != len(titles) or not games:
        raise ValueError(
            f"expected as many titles as games (at least one), got {len(games)} and {len(titles)}"
        )
    fig, axes = plt.subplots(1, len(games), figsize=(6 * len(games), 3.8), squeeze=False)
    for ax, game, title in zip(axes[0], games, titles, strict=True):
        _draw_one_dimensional_game(ax, game)
        ax.set_title(f"{title}\nV(D*, G) = {game.value:.3f}, JSD = {game.jsd:.3f}", fontsize=10)
    fig.tight_layout()
    plt.close(fig)
    return fig


def plot_generator_losses(d_fake: float | None = None) -> Figure:
    """Both generator losses (left) and the size of their gradients (right) against D(G(z)).

    ``d_fake`` in (0, 1), if given, is marked on both panels with the values at that point.
    The x-axis is logarithmic, so the region where D confidently rejects fakes (D(G(z)) near 0) is visible.
    """
    if d_fake is not None:
        d_fake = check_number(
            d_fake, "d_fake (strictly between 0 and 1)", low=0, high=1, low_open=True, high_open=True
        )
    d = np.logspace(-4, np.log10(0.9999), 400)
    curves = generator_loss_curves(d)
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4))
    left.plot(d, curves["saturating"], color=SATURATING_COLOR, lw=2, label="saturating:  log(1 - D(G(z)))")
    left.plot(
        d, curves["non_saturating"], color=NON_SATURATING_COLOR, lw=2, label="non-saturating:  -log D(G(z))"
    )
    left.set_ylabel("generator loss (G minimises it)")
    right.plot(d, np.abs(curves["saturating_grad"]), color=SATURATING_COLOR, lw=2, label="saturating")
    right.plot(
        d, np.abs(curves["non_saturating_grad"]), color=NON_SATURATING_COLOR, lw=2, label="non-saturating"
    )
    right.set_ylabel("|d loss / d logit|  (how hard G is pushed)")
    right.set_ylim(0, 1.05)
    for ax in (left, right):
        ax.set_xscale("log")
        ax.set_xlabel("D(G(z)): how real D finds the fake")
        ax.axvspan(1e-4, 0.05, color="#cccccc", alpha=0.35, lw=0)
        ax.grid(alpha=0.3)
    left.text(
        1.3e-4, left.get_ylim()[1] * 0.05, "D confidently\nrejects the fakes\n(early training)", fontsize=8
    )
    if d_fake is not None:
        point = generator_loss_curves(np.array([d_fake]))
        for ax, keys in (
            (left, ("saturating", "non_saturating")),
            (right, ("saturating_grad", "non_saturating_grad")),
        ):
            ax.axvline(d_fake, color="#333333", lw=1, ls="--")
            for key, color in zip(keys, (SATURATING_COLOR, NON_SATURATING_COLOR), strict=True):
                value = float(point[key][0])
                shown = abs(value) if ax is right else value
                ax.plot([d_fake], [shown], "o", color=color, ms=7)
                ax.annotate(
                    f"{shown:.3f}", (d_fake, shown), textcoords="offset points", xytext=(6, 4), fontsize=8
                )
        fig.suptitle(f"At D(G(z)) = {d_fake:.3f}", fontsize=11)
    left.legend(fontsize=9, loc="upper right")
    right.legend(fontsize=9, loc="lower left")  # clear of the crossing at D(G(z)) = 1/2
    fig.tight_layout()
    plt.close(fig)
    return fig


# --- a 1-D GAN while it trains ---------------------------------------------------------------------

TRAINING_HISTORY_KEYS = ("step", "d_loss", "g_loss", "d_real", "d_fake")


def draw_one_dimensional_training(
    fig: Figure,
    x: np.ndarray,
    p_data: np.ndarray,
    samples: np.ndarray,
    d_curve: np.ndarray,
    history: dict[str, list[float]],
) -> None:
    """Redraw the three panels of a 1-D GAN's training view into ``fig`` (cleared first).

    Left: p_data, a histogram of generator ``samples`` and D(x) on the grid ``x`` (``d_curve``).
    Right, top: mean D(x) on real and generated samples per step, with 1/2 dotted.
    Right, bottom: L_D and L_G per step, with their equilibrium values 2 log 2 and log 2 dotted.
    ``history`` has lists under ``step``, ``d_loss``, ``g_loss``, ``d_real``, ``d_fake``.
    """
    if not isinstance(fig, Figure):
        raise TypeError(f"fig must be a matplotlib Figure, got {type(fig).__name__}")
    x = check_numbers(x, "x", shape="(n,), the grid", ndim=1)
    for name, values, high in (("p_data", p_data, None), ("d_curve", d_curve, 1)):
        values = check_numbers(values, name, shape=f"{x.shape}, on the grid x")
        if values.shape != x.shape or values.min() < 0 or (high is not None and values.max() > high):
            raise ValueError(
                f"{name} must be {'probabilities in [0, 1]' if high else 'a density (>= 0)'} on the grid x, "
                "shape "
                f"{x.shape}; got shape {values.shape} with values from {values.min():g} to {values.max():g}"
            )
    p_data, d_curve = np.asarray(p_data, np.float64), np.asarray(d_curve, np.float64)
    samples = check_numbers(samples, "samples", shape="(n,)", ndim=1)
    if not isinstance(history, dict):
        raise TypeError(f"history must be a dict of lists, got {type(history).__name__}")
    missing = [k for k in TRAINING_HISTORY_KEYS if k not in history]
    if missing:
        raise ValueError(f"history is missing {missing}; expected keys {TRAINING_HISTORY_KEYS}")
    fig.clear()
    grid = fig.add_gridspec(2, 2, width_ratios=(1.4, 1))
    dist = fig.add_subplot(grid[:, 0])
    probs = fig.add_subplot(grid[0, 1])
    loss = fig.add_subplot(grid[1, 1], sharex=probs)

    dist.fill_between(x, p_data, color=DATA_COLOR, alpha=0.35, label="p_data (real)")
    dist.hist(
        samples, bins=60, range=(x[0], x[-1]), density=True, color=G_COLOR, alpha=0.55, label="G(z) samples"
    )
    dist.set_xlim(x[0], x[-1])
    dist.set_ylim(0, 1.25 * float(p_data.max()))
    dist.set_xlabel("x")
    dist.set_ylabel("density")
    twin = dist.twinx()
    twin.plot(x, d_curve, color=D_COLOR, lw=2, label="D(x)")
    twin.axhline(0.5, color=D_COLOR, lw=1, ls=":")
    twin.set_ylim(-0.02, 1.02)
    twin.set_ylabel("D(x)", color=D_COLOR)
    handles = dist.get_legend_handles_labels()[0] + twin.get_legend_handles_labels()[0]
    dist.legend(handles=handles, loc="upper left", fontsize=8)
    step = history["step"][-1] if history["step"] else 0
    dist.set_title(f"step {int(step)}: mean {np.mean(samples):.2f}, std {np.std(samples):.2f}", fontsize=10)

    steps = history["step"]
    probs.plot(steps, history["d_real"], color=DATA_COLOR, label="D(x), real")
    probs.plot(steps, history["d_fake"], color=G_COLOR, label="D(G(z)), fake")
    probs.axhline(0.5, color="#555555", lw=1, ls=":")
    probs.set_ylim(0, 1)
    probs.set_ylabel("mean output of D")
    probs.legend(fontsize=8, loc="lower right")
    loss.plot(steps, history["d_loss"], color=D_COLOR, label="L_D")
    loss.plot(steps, history["g_loss"], color=NON_SATURATING_COLOR, label="L_G")
    loss.axhline(2 * np.log(2), color=D_COLOR, lw=1, ls=":")
    loss.axhline(np.log(2), color=NON_SATURATING_COLOR, lw=1, ls=":")
    loss.set_xlabel("training step")
    loss.set_ylabel("loss")
    loss.legend(fontsize=8, loc="upper right")
    fig.tight_layout()


def plot_generator_path(
    mu_path: Sequence[float],
    sigma_path: Sequence[float],
    mu_data: float = DATA_MEAN,
    sigma_data: float = DATA_STD,
) -> Figure:
    """The generator's (mean, std) during training, over the map of V(D*, G) for every Gaussian generator.

    Darker is lower V: the game's minimum, -log 4, sits at (mu_data, sigma_data), marked with a star.
    """
    mu_path = check_numbers(mu_path, "mu_path", shape="(steps,)", ndim=1)
    sigma_path = check_numbers(sigma_path, "sigma_path", shape="(steps,)", ndim=1)
    if len(mu_path) != len(sigma_path):
        raise ValueError(
            "mu_path and sigma_path must be of the same length, got shapes "
            f"{mu_path.shape} and {sigma_path.shape}"
        )
    if sigma_path.min() <= 0:
        raise ValueError(f"sigma_path must be standard deviations > 0, got values from {sigma_path.min():g}")
    mu_data = check_number(mu_data, "mu_data")
    sigma_data = check_number(sigma_data, "sigma_data", low=0, low_open=True)
    mus = np.linspace(-2.0, 8.0, 81)
    sigmas = np.linspace(0.05, 2.5, 50)
    values = np.array([[one_dimensional_game(m, s, mu_data, sigma_data).value for m in mus] for s in sigmas])
    fig, ax = plt.subplots(figsize=(8, 4.5))
    filled = ax.contourf(mus, sigmas, values, levels=20, cmap="viridis")
    fig.colorbar(filled, ax=ax, label="V(D*, G) = -log 4 + 2 JSD")
    ax.plot(mu_path, sigma_path, color="white", lw=1.5, label="generator during training")
    ax.plot(mu_path[0], sigma_path[0], "o", color="white", ms=7, label="start")
    ax.plot(mu_path[-1], sigma_path[-1], "s", color="#DD8452", ms=7, label="end")
    ax.plot(mu_data, sigma_data, "*", color="#C44E52", ms=15, label="p_g = p_data")
    ax.set_xlabel("generator mean μ_g")
    ax.set_ylabel("generator std σ_g")
    ax.legend(fontsize=8, loc="upper left")
    ax.set_title("Where the generator went, on the map of the game's value", fontsize=10)
    fig.tight_layout()
    plt.close(fig)
    return fig
