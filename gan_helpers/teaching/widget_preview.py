"""Explorer widgets that still show a picture where no kernel runs them.

A widget is live only while its kernel runs. A notebook opened from a fresh clone is *untrusted*, so
JupyterLab does not draw the stored widget views and falls back to the next output format it trusts;
GitHub and nbconvert show a stored widget only with saved widget state, and then as an empty script tag.
So :class:`PreviewBox` adds two formats to the widget's display output:

- ``image/png``: the explorer's figure at the values it was shown with, with a caption drawn into the
  picture that names those values and says "run the cell to use the controls";
- ``text/plain``: that one-line note (also what plain-text viewers and nbval see).

A live front end still prefers the widget view (JupyterLab ranks it first). Works with ipywidgets 8
(``_repr_mimebundle_``) and 7.7 as on Colab (``_ipython_display_``).
"""

from __future__ import annotations

import base64
import io
import textwrap
from collections.abc import Sequence

import ipywidgets as w
from IPython.display import display
from matplotlib.figure import Figure

from ..toolkit.checks import check_count, check_items

PREVIEW_NOTE = "Static picture: run the cell to use the controls."
WIDGET_VIEW_MIME = "application/vnd.jupyter.widget-view+json"
_CAPTION_STYLE = {"boxstyle": "round,pad=0.5", "facecolor": "#f4f4f4", "edgecolor": "#bbbbbb"}
_IPYWIDGETS_7 = int(w.__version__.split(".")[0]) < 8


def control_readout(control: w.Widget) -> str | None:
    """``"description = value"`` as the control shows it, or ``None`` for buttons, labels and outputs."""
    if not isinstance(control, w.Widget):
        raise TypeError(
            f"control must be an ipywidget (a slider, a dropdown, ...), got {type(control).__name__}"
        )
    if isinstance(control, w.Button | w.HTML | w.Label | w.Output) or not hasattr(control, "value"):
        return None
    name = getattr(control, "description", "") or type(control).__name__
    if isinstance(control, w.Dropdown | w.ToggleButtons | w.RadioButtons):
        shown = str(control.label)
    else:
        try:
            shown = format(control.value, getattr(control, "readout_format", ""))
        except (TypeError, ValueError):
            shown = str(control.value)
    return f"{name} = {shown}"


def preview_caption(controls: Sequence[w.Widget]) -> str:
    """The caption drawn under a static picture: :data:`PREVIEW_NOTE`, then the controls' values."""
    controls = check_items(controls, "controls", w.Widget, "ipywidgets, e.g. [ipywidgets.FloatSlider(...)]")
    readouts = [text for text in map(control_readout, controls) if text]
    return f"{PREVIEW_NOTE} Shown here at {', '.join(readouts)}." if readouts else PREVIEW_NOTE


def captioned_png(fig: Figure, caption: str, dpi: int = 100) -> bytes:
    """``fig`` as PNG bytes with ``caption`` in a grey box under it; ``fig`` itself is left unchanged."""
    if not isinstance(fig, Figure):
        raise TypeError(f"fig must be a matplotlib Figure, got {type(fig).__name__}")
    if not isinstance(caption, str):
        raise TypeError(f"caption must be text, got {type(caption).__name__}")
    dpi = check_count(dpi, "dpi", minimum=10, maximum=1000)
    characters_per_line = max(40, int(fig.get_size_inches()[0] * dpi / 6.5))
    text = fig.text(
        0.5,
        -0.02,
        textwrap.fill(caption, characters_per_line),
        ha="center",
        va="top",
        fontsize=10,
        color="#333333",
        bbox=_CAPTION_STYLE,
    )
    buffer = io.BytesIO()
    try:
        fig.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight")
    finally:
        text.remove()
    return buffer.getvalue()


class PreviewBox(w.VBox):
    """A ``VBox`` explorer whose display output also carries a static, captioned picture.

    Set ``preview_figure`` to the figure the box shows (the explorers do on every redraw) and
    ``preview_controls`` to the controls whose values the caption names.
    """

    def __init__(self, children: Sequence[w.Widget] = (), **kwargs: object) -> None:
        super().__init__(children=list(children), **kwargs)
        self.preview_figure: Figure | None = None
        self.preview_controls: list[w.Widget] = []

    def static_preview(self) -> dict[str, str]:
        """The formats shown where the widget cannot run: ``text/plain`` and, with a figure, ``image/png``."""
        data = {"text/plain": PREVIEW_NOTE}
        if self.preview_figure is not None:
            caption = preview_caption(self.preview_controls) if self.preview_controls else PREVIEW_NOTE
            png = captioned_png(self.preview_figure, caption)
            data["image/png"] = base64.b64encode(png).decode("ascii")
        return data

    def _repr_mimebundle_(self, **kwargs: object) -> dict[str, object] | None:
        data = super()._repr_mimebundle_(**kwargs)
        if data is None:  # a closed widget has no view
            return None
        return {**data, **self.static_preview()}

    if _IPYWIDGETS_7:  # ipywidgets 7 displays widgets through _ipython_display_, not _repr_mimebundle_

        def _ipython_display_(self, **kwargs: object) -> None:
            if self._view_name is None:
                return
            view = {"version_major": 2, "version_minor": 0, "model_id": self._model_id}
            display({WIDGET_VIEW_MIME: view, **self.static_preview()}, raw=True)
            self._handle_displayed(**kwargs)
