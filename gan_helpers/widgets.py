"""Interactive explorers: thin ipywidgets layers over the pure plotting functions.

Each explorer builds sliders and an ``Output`` area that shows the figure a pure function draws
(tested on its own). Callbacks display figures and never print. Works with ipywidgets 7.7 (Colab) and 8.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from matplotlib.figure import Figure

from .plotting import plot_generator_losses, plot_one_dimensional_game
from .theory import DATA_MEAN, DATA_STD, one_dimensional_game

if TYPE_CHECKING:
    import ipywidgets

_STYLE = {"description_width": "initial"}


def _show(fig: Figure) -> None:
    from IPython.display import display

    display(fig)


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

    def draw(mu_g: float, sigma_g: float) -> None:
        _show(plot_one_dimensional_game(one_dimensional_game(mu_g, sigma_g, mu_data, sigma_data)))

    out = w.interactive_output(draw, {"mu_g": mean, "sigma_g": std})
    return w.VBox([w.HBox([mean, std]), out])


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

    def draw(d_fake: float) -> None:
        _show(plot_generator_losses(d_fake))

    out = w.interactive_output(draw, {"d_fake": slider})
    return w.VBox([slider, out])
