"""Chapter 10's first picture: why the Jensen-Shannon divergence gives a generator no direction when its
samples and the data do not overlap, while the Wasserstein-1 distance does. A pure plotting function
(tested directly) and a slider explorer over it."""

from __future__ import annotations

from typing import TYPE_CHECKING

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from ..toolkit.checks import check_number
from ..toolkit.palette import D_COLOR, DATA_COLOR, G_COLOR, NON_SATURATING_COLOR
from .theory import distances_for_shifts, uniform_pdf
from .widgets import _STYLE, explorer

if TYPE_CHECKING:
    import ipywidgets

#: the range of generator shifts the figure's curves cover, and the data's width
MAX_SHIFT, WIDTH = 3.0, 0.5


def plot_js_vs_w1(shift: float, width: float = WIDTH, max_shift: float = MAX_SHIFT) -> Figure:
    """Two panels. Left: the data, uniform on [0, ``width``], and the generator, the same shape moved by
    ``shift``. Right: JS(p_data, p_g) in nats and W1(p_data, p_g) for every shift in
    [-``max_shift``, ``max_shift``], with the current one marked. ``shift`` must lie in that range."""
    width = check_number(width, "width", low=0, low_open=True)
    max_shift = check_number(max_shift, "max_shift", low=0, low_open=True)
    if (
        isinstance(shift, bool)
        or not isinstance(shift, (int, float, np.integer, np.floating))
        or not np.isfinite(shift)
        or abs(shift) > max_shift
    ):
        raise ValueError(f"shift must be a number in [-{max_shift:g}, {max_shift:g}], got {shift!r}")
    curves = distances_for_shifts(np.linspace(-max_shift, max_shift, 241), width)
    here = distances_for_shifts(np.array([shift]), width)
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 3.4), gridspec_kw={"width_ratios": (1, 1.3)})
    x = np.linspace(-max_shift - 0.5, max_shift + width + 0.5, 2001)
    left.fill_between(x, uniform_pdf(x, 0.0, width), color=DATA_COLOR, alpha=0.5, label="data $p_{data}$")
    p_g = uniform_pdf(x, shift, width)
    left.fill_between(x, p_g, color=G_COLOR, alpha=0.5, label=r"generator $p_\theta$")
    left.set_ylim(0, 1.35 / width)
    left.set_xlabel("x")
    left.set_title(f"θ = {shift:+.2f}: JS = {here.js[0]:.3f} nats, W1 = {here.w1[0]:.2f}", fontsize=10)
    left.legend(fontsize=8, loc="upper left")
    right.plot(curves.shifts, curves.js, color=D_COLOR, label="JS divergence (nats)")
    right.plot(curves.shifts, curves.w1, color=NON_SATURATING_COLOR, label="Wasserstein-1 distance")
    right.axhline(np.log(2), color=D_COLOR, lw=1, ls=":", label="log 2")
    right.axvspan(-width, width, color="#999999", alpha=0.15, label="supports overlap")
    right.plot([shift], [here.js[0]], "o", color=D_COLOR)
    right.plot([shift], [here.w1[0]], "o", color=NON_SATURATING_COLOR)
    right.set_xlabel("generator shift θ")
    right.set_title("flat JS gives no gradient; W1 always points to the data", fontsize=10)
    right.legend(fontsize=8, loc="upper center", ncol=2)
    right.set_ylim(0, max_shift * 1.25)
    fig.tight_layout()
    plt.close(fig)
    return fig


def js_w1_explorer(shift: float = 2.0, width: float = WIDTH) -> ipywidgets.VBox:
    """A slider for the generator's shift θ over :func:`plot_js_vs_w1`. Works with ipywidgets 7.7 and 8."""
    shift = check_number(shift, "shift", low=-MAX_SHIFT, high=MAX_SHIFT)
    width = check_number(width, "width", low=0, low_open=True)
    import ipywidgets as w

    slider = w.FloatSlider(
        value=shift, min=-MAX_SHIFT, max=MAX_SHIFT, step=0.05, description="generator shift θ", style=_STYLE
    )
    return explorer([slider], lambda: plot_js_vs_w1(slider.value, width))
