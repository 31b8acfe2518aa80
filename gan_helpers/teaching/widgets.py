"""Interactive explorers: thin ipywidgets layers over the pure plotting functions.

Each explorer is a few sliders and an ``Output`` area holding the figure that a pure, tested plotting
function draws. The figure is placed in the ``Output`` widget's ``outputs`` directly (as a PNG), rather
than captured with ``with output: display(...)``: nothing is printed, the first picture is there as soon
as the widget is shown, and notebook runners that capture widget output cannot stall on it.
The box is a :class:`~gan_helpers.teaching.widget_preview.PreviewBox`: where no kernel runs it (a fresh
clone, GitHub), its output shows the figure as a static picture with a "run the cell" caption.
Sliders are :data:`SLIDER_WIDTH` wide so that their tracks can be moved with a mouse.
Works with ipywidgets 7.7 (Colab) and 8.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from matplotlib.figure import Figure

from ..toolkit.checks import check_count, check_items, check_number
from .game_plots import plot_generator_losses, plot_one_dimensional_game
from .theory import DATA_MEAN, DATA_STD, one_dimensional_game

if TYPE_CHECKING:
    import ipywidgets

_STYLE = {"description_width": "initial"}
SLIDER_WIDTH = "500px"  # leaves a track of 270 px or more beside the description and the readout (measured)


def figure_output(fig: Figure, dpi: int = 100) -> dict[str, object]:
    """A notebook ``display_data`` output holding ``fig`` as a PNG (what Jupyter would show)."""
    if not isinstance(fig, Figure):
        raise TypeError(f"fig must be a matplotlib Figure, got {type(fig).__name__}")
    dpi = check_count(dpi, "dpi", minimum=10, maximum=1000)
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


def check_controls(controls: object, name: str = "controls") -> list[ipywidgets.Widget]:
    """``controls`` as a non-empty list of ipywidgets, else a ``TypeError``/``ValueError`` saying so."""
    import ipywidgets as w

    return check_items(controls, name, w.Widget, "ipywidgets, e.g. [ipywidgets.FloatSlider(...)]")


def widen_sliders(controls: Sequence[ipywidgets.Widget]) -> None:
    """Give every slider in ``controls`` without a width of its own :data:`SLIDER_WIDTH` (in place)."""
    import ipywidgets as w

    controls = check_controls(controls)
    sliders = (w.IntSlider, w.FloatSlider, w.FloatLogSlider, w.IntRangeSlider, w.FloatRangeSlider)
    for control in controls:
        if isinstance(control, sliders) and not control.layout.width:
            control.layout.width = SLIDER_WIDTH


def control_row(controls: Sequence[ipywidgets.Widget]) -> ipywidgets.HBox:
    """Controls side by side, wrapping onto the next line where the output area is too narrow."""
    import ipywidgets as w

    return w.HBox(check_controls(controls), layout=w.Layout(flex_flow="row wrap", align_items="center"))


def explorer(controls: Sequence[ipywidgets.Widget], draw: Callable[[], Figure]) -> ipywidgets.VBox:
    """Controls above a figure that ``draw()`` redraws whenever a control's value changes.

    Returns a :class:`~gan_helpers.teaching.widget_preview.PreviewBox`; its ``render()`` attribute
    redraws on demand (used by tests), and its display output carries the current figure as a static
    picture for viewers without a kernel.
    """
    import ipywidgets as w

    from .widget_preview import PreviewBox

    controls = check_controls(controls)
    if not callable(draw):
        raise TypeError(
            f"draw must be a function that returns a matplotlib Figure, got {type(draw).__name__}"
        )
    widen_sliders(controls)
    out = w.Output()
    box = PreviewBox([control_row(controls), out])
    box.preview_controls = list(controls)

    def render(change: object = None) -> None:
        fig = draw()
        out.outputs = (figure_output(fig),)
        box.preview_figure = fig

    for control in controls:
        control.observe(render, names="value")
    render()
    box.render = render
    return box


def optimal_discriminator_explorer(
    mu_g: float = 0.0,
    sigma_g: float = 1.5,
    mu_data: float = DATA_MEAN,
    sigma_data: float = DATA_STD,
) -> ipywidgets.VBox:
    """Sliders for the generator's mean and std; shows p_data, p_g, D*(x) and V(D*, G).

    The real data is N(mu_data, sigma_data²); the generator is G(z) = mu_g + sigma_g * z. ``mu_g`` must
    be within the slider's range -2..8 and ``sigma_g`` within 0.2..2.5.
    """
    import ipywidgets as w

    mu_g = check_number(mu_g, "mu_g (the slider's range)", low=-2.0, high=8.0)
    sigma_g = check_number(sigma_g, "sigma_g (the slider's range)", low=0.2, high=2.5)
    mu_data = check_number(mu_data, "mu_data")
    sigma_data = check_number(sigma_data, "sigma_data", low=0, low_open=True)

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
    """A slider for D(G(z)) (from 0.001 to 0.999); shows both generator losses and the size of their
    gradients there."""
    import ipywidgets as w

    d_fake = check_number(d_fake, "d_fake, D(G(z)) (the slider's range)", low=0.001, high=0.999)

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


def ring_experiment(steps: int = 2000, seed: int = 0, train_now: bool = True) -> ipywidgets.VBox:
    """Chapter 05's experiment: pick the generator loss, both learning rates, Adam's beta_1, the real
    label, instance noise, the number of steps and the seed; press *Train* to train a fresh GAN on the
    ring (a few seconds) and see its samples over the ring and the two metrics.

    With ``train_now`` it trains once with the starting values so a result shows at once (in presenter
    mode, a run recorded with the same values is shown instead, and the status line says so). The returned
    ``VBox`` has ``train()`` (what the button does), ``status`` (an HTML line) and ``last_run``.
    """
    import contextlib
    import html
    import io

    import ipywidgets as w

    from .ring_experiments import RingSettings, train_on_ring
    from .ring_plots import plot_run_summary
    from .widget_preview import PreviewBox

    steps = check_count(steps, "steps (the slider's range)", minimum=200, maximum=8000)
    seed = check_count(seed, "seed", minimum=0, maximum=10_000)
    if not isinstance(train_now, bool):
        raise TypeError(f"train_now must be True or False, got {train_now!r}")

    def lr_slider(description: str) -> w.FloatLogSlider:
        return w.FloatLogSlider(
            value=1e-3,
            base=10,
            min=-4,
            max=-1,
            step=0.25,
            description=description,
            readout_format=".1e",
            style=_STYLE,
        )

    loss = w.Dropdown(
        options=[("non-saturating", "non_saturating"), ("saturating", "saturating")],
        value="non_saturating",
        description="G loss",
        style=_STYLE,
    )
    d_lr, g_lr = lr_slider("D learning rate"), lr_slider("G learning rate")
    beta_1 = w.Dropdown(options=[0.0, 0.5, 0.9], value=0.9, description="Adam beta_1", style=_STYLE)
    real_label = w.FloatSlider(value=1.0, min=0.7, max=1.0, step=0.05, description="real label", style=_STYLE)
    noise = w.FloatSlider(value=0.0, min=0.0, max=0.5, step=0.05, description="instance noise", style=_STYLE)
    step_count = w.IntSlider(value=steps, min=200, max=8000, step=200, description="steps", style=_STYLE)
    seed_box = w.BoundedIntText(
        value=seed, min=0, max=10_000, description="seed", style=_STYLE, layout=w.Layout(width="140px")
    )
    button = w.Button(description="Train", button_style="primary", icon="play")
    status = w.HTML()
    out = w.Output()

    def train(_: object = None) -> None:
        button.disabled = True
        status.value = "training..."
        try:
            settings = RingSettings(
                g_loss=loss.value,
                d_lr=float(d_lr.value),
                g_lr=float(g_lr.value),
                beta_1=float(beta_1.value),
                real_label=float(real_label.value),
                instance_noise=float(noise.value),
                steps=int(step_count.value),
            )
            record_every = next(k for k in (100, 50, 40, 25, 20, 10, 5, 1) if settings.steps % k == 0)
            with contextlib.redirect_stdout(io.StringIO()) as said:  # a callback never prints into the cell
                run = train_on_ring(settings, seed=int(seed_box.value), record_every=record_every)
        except Exception as err:  # shown in the widget: a callback cannot raise to the learner
            status.value = f"<b>Could not train:</b> {html.escape(str(err))}"
            return
        finally:
            button.disabled = False
        box.last_run = run
        box.preview_figure = plot_run_summary(run)
        out.outputs = (figure_output(box.preview_figure),)
        origin = "; recorded, presenter mode" if said.getvalue().startswith("Presenter mode") else ""
        result = html.escape(str(run.final))
        status.value = f"<b>{result}</b> in {run.seconds:.1f} s (seed {run.seed}{origin})"

    button.on_click(train)
    controls = [loss, beta_1, seed_box, d_lr, g_lr, real_label, noise, step_count]
    widen_sliders(controls)
    box = PreviewBox(
        [
            control_row([loss, beta_1, seed_box]),
            control_row([d_lr, g_lr]),
            control_row([real_label, noise, step_count]),
            control_row([button, status]),
            out,
        ]
    )
    box.preview_controls = controls
    box.train, box.status, box.last_run = train, status, None
    if train_now:
        train()
    return box
