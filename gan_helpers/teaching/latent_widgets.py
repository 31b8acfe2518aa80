"""The latent-direction explorer of chapter 09: sliders that move a noise vector along a few directions and
redraw the generated digit (with the classifier's reading) as they move.

Built like :mod:`gan_helpers.teaching.widgets`: a pure, tested function computes what is shown
(:func:`latent_view`), a pure plotting function draws it (``latent_plots.plot_latent_view``), and
:func:`~gan_helpers.teaching.widgets.explorer` redraws the figure on every slider change. Callbacks never
print. A notebook opened without a running kernel shows the widget as text, so the chapter draws a static
picture of the same directions (``latent_plots.plot_image_table``) beside it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from ..toolkit.checks import check_mapping, check_number, check_numbers
from ..toolkit.latent import move_along
from .latent_plots import plot_latent_view
from .widgets import _STYLE, control_row, explorer

if TYPE_CHECKING:
    import ipywidgets

#: ``render(codes (n, d)) -> images (n, 28, 28, 1)``, e.g. ``lambda z: gh.sampling.generate(G, z=z)``.
Render = Callable[[np.ndarray], np.ndarray]
#: ``classify(images (n, 28, 28, 1) in the generator's scale) -> probabilities (n, classes)``.
Classify = Callable[[np.ndarray], np.ndarray]


@dataclass(frozen=True)
class LatentView:
    """What the explorer shows for one setting of the sliders: the moved ``code`` ``(d,)``, its ``image``
    ``(28, 28, 1)`` and the classifier's ``probabilities`` ``(classes,)`` (``None`` without a classifier)."""

    code: np.ndarray
    image: np.ndarray
    probabilities: np.ndarray | None


def _check_functions(render: object, classify: object) -> None:
    if not callable(render):
        raise TypeError(
            f"render must be a function codes (n, d) -> images (n, H, W[, 1]), got {type(render).__name__}"
        )
    if classify is not None and not callable(classify):
        raise TypeError(
            f"classify must be a function (images -> probabilities) or None, got {type(classify).__name__}"
        )


def latent_view(
    render: Render,
    z: object,
    directions: object,
    amounts: object,
    classify: Classify | None = None,
) -> LatentView:
    """The digit at ``z + Σ amounts[i]·directions[i]`` (``gh.latent.move_along``): ``z`` ``(d,)``,
    ``directions`` ``(k, d)``, ``amounts`` ``(k,)``; ``render`` makes the image, ``classify`` (optional)
    reads it. All zeros shows the digit of ``z`` itself."""
    _check_functions(render, classify)
    code = move_along(z, directions, amounts)
    images = np.asarray(render(code[None, :]))
    if images.ndim < 3 or len(images) != 1:
        raise ValueError(f"render must return one image per code, (1, H, W[, 1]); got shape {images.shape}")
    probabilities = None if classify is None else np.asarray(classify(images))[0]
    return LatentView(code, images[0], probabilities)


def latent_direction_explorer(
    render: Render,
    z: object,
    direction_sets: Mapping[str, object],
    classify: Classify | None = None,
    scale: tuple[float, float] = (-1, 1),
    limit: float = 3.0,
) -> ipywidgets.VBox:
    """Sliders that move the code ``z`` ``(d,)`` along ``k`` directions and redraw the digit live.

    ``direction_sets`` maps a name (e.g. ``"random"``, ``"principal"``) to directions ``(k, d)``, all with
    the same ``k``; a dropdown picks the set and one slider per direction sets its amount in
    ``[-limit, limit]`` (in units of the direction's length, 1 for unit directions). A *reset* button puts
    every slider back to 0. The returned ``VBox`` has ``render()`` (redraw now), ``sliders``, ``choice``
    and ``view()`` (the current :class:`LatentView`), for tests.
    """
    import ipywidgets as w

    _check_functions(render, classify)
    code = check_numbers(z, "z", shape="(d,), one code", ndim=1)
    direction_sets = check_mapping(direction_sets, "direction_sets", "{'random': directions (k, d)}")
    sets = {
        name: check_numbers(vectors, f"direction_sets[{name!r}]", shape=f"(k, {len(code)})", ndim=2).astype(
            np.float32
        )
        for name, vectors in direction_sets.items()
    }
    for name, vectors in sets.items():
        if vectors.shape[1] != len(code):
            raise ValueError(
                f"direction_sets[{name!r}] must have z's {len(code)} entries per direction, got shape "
                f"{vectors.shape}"
            )
    limit = check_number(limit, "limit", low=0, low_open=True)
    counts = {name: vectors.shape[0] if vectors.ndim == 2 else -1 for name, vectors in sets.items()}
    if len(set(counts.values())) != 1 or -1 in counts.values():
        raise ValueError(f"every set must hold the same number k of directions (k, d); got {counts}")
    if not limit > 0:
        raise ValueError(f"limit must be positive, got {limit!r}")
    k = next(iter(counts.values()))
    choice = w.Dropdown(options=list(sets), description="directions", style=_STYLE)
    sliders = [
        w.FloatSlider(
            value=0.0,
            min=-limit,
            max=limit,
            step=0.1,
            description=f"direction {i + 1}",
            continuous_update=False,
            style=_STYLE,
            layout=w.Layout(width="340px"),
        )
        for i in range(k)
    ]
    reset = w.Button(description="reset", icon="undo", layout=w.Layout(width="90px"))

    def view() -> LatentView:
        return latent_view(render, z, sets[choice.value], [s.value for s in sliders], classify)

    def draw():
        current = view()
        moved = ", ".join(f"{s.value:+.1f}" for s in sliders)
        return plot_latent_view(current.image, current.probabilities, scale, title=f"{choice.value}: {moved}")

    box = explorer([choice, *sliders], draw)
    redraw = box.render

    def zero(_: object = None) -> None:
        for slider in sliders:
            slider.unobserve(redraw, names="value")
            slider.value = 0.0
            slider.observe(redraw, names="value")
        redraw()

    reset.on_click(zero)
    # controls on two rows (dropdown and reset, then the sliders) above the figure
    box.children = (control_row([choice, reset]), control_row(sliders), box.children[1])
    box.sliders, box.choice, box.view, box.reset = sliders, choice, view, zero
    return box
