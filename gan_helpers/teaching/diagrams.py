"""Drawings that explain rather than measure: the GAN diagram and the history timeline.

Figures use only Latin text: matplotlib's default font has no Chinese glyphs on most machines.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import FancyBboxPatch

from ..toolkit.checks import check_items
from .milestones import MILESTONES, Milestone

_G_COLOR, _D_COLOR, _DATA_COLOR, _FAKE_COLOR = "#4C72B0", "#C44E52", "#55A868", "#DD8452"


def _box(
    ax: Axes, xy: tuple[float, float], text: str, color: str, width: float = 2.2, height: float = 0.9
) -> None:
    x, y = xy
    ax.add_patch(
        FancyBboxPatch(
            (x - width / 2, y - height / 2),
            width,
            height,
            boxstyle="round,pad=0.08",
            facecolor=color,
            edgecolor="none",
            alpha=0.9,
        )
    )
    ax.text(x, y, text, ha="center", va="center", color="white", fontsize=10, fontweight="bold")


def _arrow(
    ax: Axes, start: tuple[float, float], end: tuple[float, float], text: str = "", style: str = "-|>"
) -> None:
    ax.annotate(
        "",
        xy=end,
        xytext=start,
        arrowprops={"arrowstyle": style, "color": "#333333", "lw": 1.6, "shrinkA": 4, "shrinkB": 4},
    )
    if text:
        ax.text((start[0] + end[0]) / 2, (start[1] + end[1]) / 2 + 0.25, text, ha="center", fontsize=8.5)


def plot_gan_diagram() -> Figure:
    """The GAN at a glance: noise -> G -> fake sample -> D <- real sample; D's verdict feeds both losses."""
    fig, ax = plt.subplots(figsize=(10, 4.2))
    ax.set_xlim(0, 12.5)
    ax.set_ylim(0, 5)
    ax.set_axis_off()
    _box(ax, (1.2, 1.3), "noise z\n~ N(0, I)", "#8C8C8C", width=1.8)
    _box(ax, (4.0, 1.3), "Generator G", _G_COLOR)
    _box(ax, (6.9, 1.3), "fake sample\nG(z)", _FAKE_COLOR, width=2.0)
    _box(ax, (6.9, 3.7), "real sample\nx ~ p_data", _DATA_COLOR, width=2.0)
    _box(ax, (9.6, 2.5), "Discriminator D", _D_COLOR, width=2.4)
    _arrow(ax, (2.1, 1.3), (2.9, 1.3))
    _arrow(ax, (5.1, 1.3), (5.9, 1.3))
    _arrow(ax, (7.9, 1.5), (8.9, 2.2))
    _arrow(ax, (7.9, 3.5), (8.9, 2.8))
    ax.text(11.0, 2.5, "D(.) = probability\nthat the input\nis real", ha="left", va="center", fontsize=9)
    ax.text(
        9.6,
        4.55,
        "D learns to say 1 for real, 0 for fake:  L_D = -E[log D(x)] - E[log(1 - D(G(z)))]",
        ha="center",
        fontsize=9,
        color=_D_COLOR,
    )
    ax.text(
        4.0,
        0.2,
        "G learns to make D say 1 for its fakes:  L_G = -E[log D(G(z))]",
        ha="center",
        fontsize=9,
        color=_G_COLOR,
    )
    ax.set_title("A generative adversarial network: the counterfeiter (G) and the police (D)", fontsize=11)
    fig.tight_layout()
    plt.close(fig)
    return fig


def plot_timeline(milestones: Sequence[Milestone] = MILESTONES) -> Figure:
    """A timeline of GAN milestones, one labelled tick per milestone, alternating above and below."""
    milestones = check_items(milestones, "milestones", Milestone, "gh.milestones.MILESTONES")
    fig, ax = plt.subplots(figsize=(12, 4.6))
    years = [m.year for m in milestones]
    lo, hi = min(years) - 0.6, max(years) + 0.6
    ax.hlines(0, lo, hi, color="#555555", lw=2)
    seen: dict[int, int] = {}
    for i, m in enumerate(milestones):
        k = seen.get(m.year, 0)
        seen[m.year] = k + 1
        x = m.year + 0.28 * k
        up = i % 2 == 0
        height = (1.0 + 0.55 * (k % 3)) * (1 if up else -1)
        color = "#7F7F7F" if m.diffusion else _G_COLOR
        ax.vlines(x, 0, height, color=color, lw=1)
        ax.plot(x, 0, "o", color=color, ms=6)
        ax.text(
            x,
            height + (0.08 if up else -0.08),
            f"{m.name}\n({m.year})",
            ha="center",
            va="bottom" if up else "top",
            fontsize=8.5,
            fontweight="bold",
            color=color,
            zorder=3,  # labels sit above the stems of neighbouring milestones, on a white card
            bbox={"facecolor": "white", "edgecolor": "none", "pad": 1.0},
        )
    ax.set_xlim(lo - 0.3, hi + 0.6)
    ax.set_ylim(-2.9, 2.9)
    ax.set_axis_off()
    ax.set_title(
        "From the first GAN to the diffusion era (grey: diffusion models, which overtook GANs for images)",
        fontsize=11,
    )
    fig.tight_layout()
    plt.close(fig)
    return fig
