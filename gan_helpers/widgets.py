"""Interactive explorers: thin ipywidgets layers over the pure plotting functions.

Each explorer is a few sliders and an ``Output`` area holding the figure that a pure, tested plotting
function draws. The figure is placed in the ``Output`` widget's ``outputs`` directly (as a PNG), rather
than captured with ``with output: display(...)``: nothing is printed, the first picture is there as soon
as the widget is shown, and notebook runners that capture widget output cannot stall on it.
Works with ipywidgets 7.7 (Colab) and 8.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from matplotlib.figure import Figure

from .plotting import plot_generator_losses, plot_one_dimensional_game
from .theory import DATA_MEAN, DATA_STD, one_dimensional_game

if TYPE_CHECKING:
    import ipywidgets

_STYLE = {"description_width": "initial"}


def figure_output(fig: Figure, dpi: int = 100) -> dict[str, object]:
    """A notebook ``display_data`` output holding ``fig`` as a PNG (what Jupyter would show)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight")
    width, height = fig.get_size_inches() * dpi
    return {
        "output_type": "display_data",
        "data": {
            "image/png": base64.b64encode(buffer.getvalue()).decode("ascii"),
            "text/plain": f"<Figure size {width:.0f}x{height:.0f}>",
        },
        "metadata": {},
    }


def explorer(controls: Sequence[ipywidgets.Widget], draw: Callable[[], Figure]) -> ipywidgets.VBox:
    """Controls above a figure that ``draw()`` redraws whenever a control's value changes.

    Returns a ``VBox``; its ``render()`` attribute redraws on demand (used by tests).
    """
    import ipywidgets as w

    out = w.Output()

    def render(change: object = None) -> None:
        out.outputs = (figure_output(draw()),)

    for control in controls:
        control.observe(render, names="value")
    render()
    box = w.VBox([w.HBox(list(controls)), out])
    box.render = render
    return box


def optimal_discriminator_explorer(
    mu_g: float = 0.0,
    sigma_g: float = 1.5,
    mu_data: float = DATA_MEAN,
    sigma_data: float = DATA_STD,
) -> ipywidgets.VBox:
    """Sliders for the generator's mean and std; shows p_data, p_g, D*(x) and V(D*, G).

    The real data is N(mu_data, sigma_data²); the generator is G(z) = mu_g + sigma_g * z.
    """
    import ipywidgets as w

    mean = w.FloatSlider(
        value=mu_g, min=-2.0, max=8.0, step=0.1, description="generator mean μ_g", style=_STYLE
    )
    std = w.FloatSlider(
        value=sigma_g, min=0.2, max=2.5, step=0.05, description="generator std σ_g", style=_STYLE
    )
    return explorer(
        [mean, std],
        lambda: plot_one_dimensional_game(one_dimensional_game(mean.value, std.value, mu_data, sigma_data)),
    )


def generator_loss_explorer(d_fake: float = 0.05) -> ipywidgets.VBox:
    """A slider for D(G(z)); shows both generator losses and the size of their gradients there."""
    import ipywidgets as w

    slider = w.FloatSlider(
        value=d_fake,
        min=0.001,
        max=0.999,
        step=0.001,
        readout_format=".3f",
        description="D(G(z))",
        continuous_update=False,
        style=_STYLE,
        layout=w.Layout(width="60%"),
    )
    return explorer([slider], lambda: plot_generator_losses(slider.value))
