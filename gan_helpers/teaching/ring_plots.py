"""Figures for the ring of Gaussians (chapter 05): samples over the data, modes over time, gradient
traces and remedy comparisons. Every function returns a closed matplotlib ``Figure`` (Jupyter shows it
when it is the cell's last value) or draws on an ``Axes`` it is given."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Circle

from ..toolkit.checks import check_count, check_items, check_mapping, check_numbers
from ..toolkit.palette import D_COLOR, DATA_COLOR, G_COLOR, NON_SATURATING_COLOR, SATURATING_COLOR
from .diagnostics import GradientTrace
from .ring_experiments import RING, RingRun, SettingsSummary, mode_shares
from .ring_metrics import RingCoverage
from .toy2d import ring_centers

LIMIT = 3.0  # the plots show [-3, 3] x [-3, 3]


def _runs(runs: object) -> dict[str, RingRun]:
    """``runs`` checked to be ``{name: RingRun}``."""
    runs = check_mapping(runs, "runs", "{'name': train_on_ring(...)}")
    check_items(runs, "runs", RingRun, "train_on_ring(...)", mapping=True)
    return runs


def _points(points: object, name: str = "points") -> np.ndarray:
    """Points of the plane ``(n, 2)`` (NaN or infinite ones, from a diverged generator, are kept)."""
    points = check_numbers(points, name, shape="(n, 2)", finite=False, allow_empty=True)
    if points.ndim != 2 or points.shape[1:] != (2,):
        raise ValueError(f"{name} must have shape (n, 2), got {points.shape}")
    return points


def draw_ring(ax: Axes, points: np.ndarray | None = None, title: str | None = None) -> None:
    """Draw the ring's modes on ``ax`` (a green disc of radius 3 std, the high-quality zone, around
    each centre, drawn larger so it stays visible) and, if given, generated ``points`` ``(n, 2)``."""
    if not isinstance(ax, Axes):
        raise TypeError(f"ax must be a matplotlib Axes, got {type(ax).__name__}")
    if points is not None:
        points = _points(points)
    for x, y in ring_centers(RING["modes"], RING["radius"]):
        ax.add_patch(Circle((x, y), 0.12, color=DATA_COLOR, alpha=0.35, lw=0))
        ax.plot(x, y, "+", color=DATA_COLOR, ms=6, mew=1.5)
    if points is not None:
        finite = np.all(np.isfinite(points), axis=1)
        ax.scatter(points[finite, 0], points[finite, 1], s=2, color=G_COLOR, alpha=0.35, lw=0)
    ax.set_xlim(-LIMIT, LIMIT)
    ax.set_ylim(-LIMIT, LIMIT)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    if title:
        ax.set_title(title, fontsize=9)


def coverage_label(coverage: RingCoverage) -> str:
    """Short text for a plot title: modes covered and high-quality share."""
    if not isinstance(coverage, RingCoverage):
        raise TypeError(
            f"coverage must be a RingCoverage (from ring_coverage), got {type(coverage).__name__}"
        )
    return f"{coverage.modes_covered}/{coverage.modes} modes, {coverage.high_quality_share:.0%} good"


def plot_ring_data(points: np.ndarray) -> Figure:
    """Real ring samples ``(n, 2)`` as a whole (left) and one mode up close (right)."""
    points = check_numbers(points, "points", shape="(n, 2)")
    if points.ndim != 2 or points.shape[1:] != (2,):
        raise ValueError(f"points must have shape (n, 2), got {points.shape}")
    fig, (ax_all, ax_zoom) = plt.subplots(1, 2, figsize=(9, 4.3))
    draw_ring(ax_all, None, f"{len(points):,} samples from the ring")
    ax_all.scatter(points[:, 0], points[:, 1], s=2, color="#333333", alpha=0.4, lw=0)
    std = RING["std"]
    ax_zoom.scatter(points[:, 0], points[:, 1], s=4, color="#333333", alpha=0.5, lw=0)
    ax_zoom.add_patch(Circle((RING["radius"], 0), 3 * std, fill=False, color=DATA_COLOR, lw=2))
    ax_zoom.set_xlim(RING["radius"] - 5 * std, RING["radius"] + 5 * std)
    ax_zoom.set_ylim(-5 * std, 5 * std)
    ax_zoom.set_aspect("equal")
    ax_zoom.set_title(f"the mode at (2, 0) up close; circle: 3 std = {3 * std:g}", fontsize=9)
    fig.tight_layout()
    plt.close(fig)
    return fig


def plot_snapshots(runs: Mapping[str, RingRun], columns: int = 6) -> Figure:
    """One row per run: its generated samples at ``columns`` evenly spaced records, with the metrics."""
    runs = _runs(runs)
    columns = check_count(columns, "columns", minimum=1)
    fig, axes = plt.subplots(len(runs), columns, figsize=(2.1 * columns, 2.6 * len(runs)), squeeze=False)
    for row, (name, run) in zip(axes, runs.items(), strict=True):
        picks = np.linspace(0, len(run.steps) - 1, columns).round().astype(int)
        for col, (ax, i) in enumerate(zip(row, picks, strict=True)):
            draw_ring(ax, run.samples[i], f"step {run.steps[i]:,}\n{coverage_label(run.coverage[i])}")
            if col == 0:
                ax.set_ylabel(name, fontsize=10)
    fig.tight_layout(h_pad=1.6)  # room between a row's frames and the two-line titles of the next row
    plt.close(fig)
    return fig


def plot_mode_shares(runs: Mapping[str, RingRun]) -> Figure:
    """For each run, a heat map of the share of samples nearest to each mode (rows; however far away,
    so it shows where the generator is aiming) over training (columns): a bright cell that jumps
    between rows is a generator hopping from mode to mode."""
    runs = _runs(runs)
    fig, axes = plt.subplots(len(runs), 1, figsize=(10, 1.9 * len(runs) + 0.4), squeeze=False)
    image = None
    for ax, (name, run) in zip(axes[:, 0], runs.items(), strict=True):
        shares = np.stack([mode_shares(p, high_quality_only=False) for p in run.samples], axis=1)
        steps = np.asarray(run.steps)
        image = ax.imshow(
            shares,
            aspect="auto",
            cmap="magma",
            vmin=0,
            vmax=1,
            interpolation="nearest",
            extent=(steps[0], steps[-1], RING["modes"] - 0.5, -0.5),
        )
        ax.set_yticks(range(RING["modes"]))
        ax.set_ylabel("mode", fontsize=9)
        ax.tick_params(labelsize=8)
        ax.set_title(name, fontsize=10, loc="left")
    axes[-1, 0].set_xlabel("training step")
    fig.tight_layout()
    fig.colorbar(image, ax=axes[:, 0], shrink=0.9, pad=0.01, label="share of samples nearest")
    plt.close(fig)
    return fig


def plot_training_curves(runs: Mapping[str, RingRun]) -> Figure:
    """Losses (left) and D's average outputs on real and generated points (right), one row per run."""
    runs = _runs(runs)
    fig, axes = plt.subplots(len(runs), 2, figsize=(11, 2.6 * len(runs)), squeeze=False)
    for (ax_loss, ax_d), (name, run) in zip(axes, runs.items(), strict=True):
        steps = run.steps[1:]
        ax_loss.plot(steps, run.history["d_loss"], color=D_COLOR, label="L_D")
        ax_loss.plot(steps, run.history["g_loss"], color=NON_SATURATING_COLOR, label="L_G")
        ax_loss.set_title(f"{name}: losses", fontsize=10)
        ax_d.plot(steps, run.history["d_real"], color=DATA_COLOR, label="D(x), real")
        ax_d.plot(steps, run.history["d_fake"], color=G_COLOR, label="D(G(z)), generated")
        ax_d.axhline(0.5, color="#555555", lw=1, ls=":")
        ax_d.set_ylim(0, 1)
        ax_d.set_title(f"{name}: D's average verdict", fontsize=10)
        for ax in (ax_loss, ax_d):
            ax.legend(fontsize=8, loc="upper right")
            ax.grid(alpha=0.3)
    for ax in axes[-1]:
        ax.set_xlabel("training step")
    fig.tight_layout()
    plt.close(fig)
    return fig


def plot_gradient_trace(trace: GradientTrace, title: str = "") -> Figure:
    """The generator's gradient norm under both losses (log scale, left) and D(G(z)) (right) while D
    alone trains against a frozen generator."""
    if not isinstance(trace, GradientTrace):
        raise TypeError(
            f"trace must be a GradientTrace (from generator_gradient_trace), got {type(trace).__name__}"
        )
    fig, (ax_g, ax_d) = plt.subplots(1, 2, figsize=(11, 3.5))
    ax_g.semilogy(trace.d_steps, trace.saturating, color=SATURATING_COLOR, lw=2, label="saturating")
    ax_g.semilogy(
        trace.d_steps, trace.non_saturating, color=NON_SATURATING_COLOR, lw=2, label="non-saturating"
    )
    ax_g.set_xlabel("discriminator updates (generator frozen)")
    ax_g.set_title("size of the generator's gradient", fontsize=10)
    ax_g.legend(fontsize=9)
    ax_g.grid(alpha=0.3, which="both")
    ax_d.plot(trace.d_steps, trace.d_fake, color=G_COLOR, lw=2)
    ax_d.set_ylim(0, 1)
    ax_d.set_xlabel("discriminator updates (generator frozen)")
    ax_d.set_title("D(G(z)): how much D believes the fakes", fontsize=10)
    ax_d.grid(alpha=0.3)
    if title:
        fig.suptitle(title, fontsize=11)
    fig.tight_layout()
    plt.close(fig)
    return fig


def plot_settings_comparison(summaries: Sequence[SettingsSummary]) -> Figure:
    """Horizontal bars (mean, with a line for ± one std over seeds) of modes covered and high-quality
    share at the end of training, one bar per setting."""
    summaries = check_items(summaries, "summaries", SettingsSummary, "compare_settings(...)")
    names = [s.name for s in summaries]
    y = np.arange(len(names))
    fig, (ax_modes, ax_good) = plt.subplots(1, 2, figsize=(11, 0.5 * len(names) + 1.4), sharey=True)
    ax_modes.barh(
        y,
        [s.modes_mean for s in summaries],
        xerr=[s.modes_std for s in summaries],
        color=NON_SATURATING_COLOR,
        alpha=0.85,
        capsize=3,
    )
    ax_good.barh(
        y,
        [s.quality_mean for s in summaries],
        xerr=[s.quality_std for s in summaries],
        color=DATA_COLOR,
        alpha=0.85,
        capsize=3,
    )
    for ax, means, stds, fmt in (
        (ax_modes, [s.modes_mean for s in summaries], [s.modes_std for s in summaries], "{:.1f}"),
        (ax_good, [s.quality_mean for s in summaries], [s.quality_std for s in summaries], "{:.0%}"),
    ):
        right = RING["modes"] if ax is ax_modes else 1.0
        for i, (mean, std) in enumerate(zip(means, stds, strict=True)):
            ax.text(mean + std + 0.015 * right, i, fmt.format(mean), va="center", color="#222222", fontsize=9)
        ax.grid(alpha=0.3, axis="x")
    ax_modes.set_yticks(y, names)
    ax_modes.invert_yaxis()
    ax_modes.set_xlim(0, RING["modes"])
    ax_good.set_xlim(0, 1)
    runs = len(summaries[0].runs)
    ax_modes.set_title(f"modes covered at the end (mean ± std, {runs} seeds)", fontsize=10)
    ax_good.set_title("share of high-quality samples at the end", fontsize=10)
    fig.tight_layout()
    plt.close(fig)
    return fig


def plot_run_summary(run: RingRun) -> Figure:
    """One run at a glance: the final samples over the ring (left), modes covered and the share of
    high-quality samples over training (middle, right)."""
    if not isinstance(run, RingRun):
        raise TypeError(f"run must be a RingRun (from train_on_ring), got {type(run).__name__}")
    fig, (ax_ring, ax_modes, ax_good) = plt.subplots(
        1, 3, figsize=(12, 3.7), gridspec_kw={"width_ratios": (1, 1.25, 1.25)}
    )
    draw_ring(ax_ring, run.samples[-1], f"after {run.steps[-1]:,} steps: {coverage_label(run.final)}")
    ax_modes.plot(run.steps, [c.modes_covered for c in run.coverage], color=NON_SATURATING_COLOR, lw=2)
    ax_modes.set_ylim(-0.3, RING["modes"] + 0.3)
    ax_modes.set_title("modes covered", fontsize=10)
    ax_good.plot(run.steps, [c.high_quality_share for c in run.coverage], color=DATA_COLOR, lw=2)
    ax_good.set_ylim(0, 1)
    ax_good.set_title("share of high-quality samples", fontsize=10)
    for ax in (ax_modes, ax_good):
        ax.set_xlabel("training step")
        ax.grid(alpha=0.3)
    fig.tight_layout()
    plt.close(fig)
    return fig
