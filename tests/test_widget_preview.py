"""Widgets carry a static, captioned picture for viewers without a kernel, and sliders wide enough to drag.

A fresh clone's notebooks are untrusted, so JupyterLab skips the stored widget views and shows the next
format it trusts; GitHub and nbconvert drop widget views without saved state. These tests check what each
of them then finds: the figure as a PNG with a caption, and a one-line note as text.
"""

from __future__ import annotations

import base64
import importlib
import io
import json
import re
from pathlib import Path
from unittest import mock

import numpy as np
import pytest
from PIL import Image

from gan_helpers.teaching import widget_preview, widgets
from gan_helpers.teaching.widget_preview import PREVIEW_NOTE, WIDGET_VIEW_MIME

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))


def png_size(data: str) -> tuple[int, int]:
    return Image.open(io.BytesIO(base64.b64decode(data))).size


def formatted(box) -> dict:
    """What IPython puts in the notebook when the box is the last expression of a cell: its mime bundle
    with ipywidgets 8, and with ipywidgets 7 (Colab's) what its ``_ipython_display_`` sends."""
    if widget_preview._IPYWIDGETS_7:
        shown = []
        with mock.patch.object(widget_preview, "display", lambda data, raw: shown.append(data)):
            box._ipython_display_()
        return shown[0] if shown else {}
    from IPython.core.formatters import DisplayFormatter

    data, _ = DisplayFormatter().format(box)
    return data


def test_the_display_output_holds_the_view_the_picture_and_the_note():
    box = widgets.optimal_discriminator_explorer(mu_g=1.0, sigma_g=0.5)
    data = formatted(box)
    assert data[WIDGET_VIEW_MIME]["model_id"] == box.model_id  # a live front end still gets the widget
    assert data["text/plain"] == PREVIEW_NOTE
    preview = png_size(data["image/png"])
    figure_only = png_size(box.children[-1].outputs[0]["data"]["image/png"])
    assert preview[0] >= figure_only[0] and preview[1] > figure_only[1] + 20  # the caption sits below
    assert box.preview_figure.texts == []  # the caption is drawn for the picture only


def test_the_caption_names_the_values_the_picture_shows_after_a_move():
    box = widgets.optimal_discriminator_explorer(mu_g=1.0, sigma_g=0.5)
    caption = widget_preview.preview_caption(box.preview_controls)
    assert caption.startswith(PREVIEW_NOTE)
    assert "generator mean μ_g = 1.00" in caption and "generator std σ_g = 0.50" in caption
    before = formatted(box)["image/png"]
    box.preview_controls[0].value = 4.0  # as if the learner moved the slider, then saved the notebook
    assert "generator mean μ_g = 4.00" in widget_preview.preview_caption(box.preview_controls)
    assert formatted(box)["image/png"] != before


def test_readouts_follow_each_control_kind():
    import ipywidgets as w

    assert widget_preview.control_readout(w.FloatLogSlider(1e-3, min=-4, description="lr")) == "lr = 0.001"
    slider = w.FloatLogSlider(value=1e-3, min=-4, description="lr", readout_format=".1e")
    assert widget_preview.control_readout(slider) == "lr = 1.0e-03"
    assert widget_preview.control_readout(w.IntSlider(7, description="steps")) == "steps = 7"
    choice = w.Dropdown(options=[("non-saturating", "ns"), ("saturating", "s")], description="G loss")
    assert widget_preview.control_readout(choice) == "G loss = non-saturating"
    assert widget_preview.control_readout(w.Button(description="Train")) is None
    assert widget_preview.preview_caption([w.Button(description="Train")]) == PREVIEW_NOTE


def test_a_box_without_a_figure_yet_shows_only_the_note():
    box = widgets.ring_experiment(train_now=False)
    data = formatted(box)
    assert data["text/plain"] == PREVIEW_NOTE and "image/png" not in data
    with pytest.raises(TypeError, match="matplotlib Figure"):
        widget_preview.captioned_png(np.zeros((4, 4)), "x")


def test_ipywidgets_7_displays_the_same_formats(monkeypatch):
    """Colab's ipywidgets 7.7 displays widgets through ``_ipython_display_``: the shim sends the same data."""
    import ipywidgets

    monkeypatch.setattr(ipywidgets, "__version__", "7.7.5")
    legacy = importlib.reload(widget_preview)
    try:
        assert hasattr(legacy.PreviewBox, "_ipython_display_")
        box = legacy.PreviewBox([])
        box.preview_figure = widgets.optimal_discriminator_explorer().preview_figure
        shown, announced = [], []
        monkeypatch.setattr(legacy, "display", lambda data, raw: shown.append((data, raw)))
        box._handle_displayed = lambda **kwargs: announced.append(kwargs)  # ipywidgets 7's hook
        box._ipython_display_()
        ((data, raw),) = shown
        assert raw and announced == [{}]
        assert data[WIDGET_VIEW_MIME]["model_id"] == box.model_id
        assert data["text/plain"] == PREVIEW_NOTE and png_size(data["image/png"])[0] > 100
    finally:
        monkeypatch.undo()
        importlib.reload(widget_preview)
    # back to the installed ipywidgets: the shim is there only under ipywidgets 7
    assert ("_ipython_display_" in vars(widget_preview.PreviewBox)) == widget_preview._IPYWIDGETS_7


def test_nbconvert_shows_the_picture_where_no_widget_state_is_saved():
    """What GitHub-style renderers do: without saved widget state, the PNG is the output shown."""
    import nbformat
    from nbconvert import HTMLExporter

    box = widgets.generator_loss_explorer(0.2)
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("gh.widgets.generator_loss_explorer(0.2)")
    cell.outputs = [nbformat.v4.new_output("display_data", data=formatted(box))]
    nb.cells.append(cell)
    html, _ = HTMLExporter().from_notebook_node(nb)
    assert re.search(r'<img[^>]+src="data:image/png;base64,', html)
    assert 'type="application/vnd.jupyter.widget-view+json"' not in html


def test_every_slider_is_wide_enough_to_drag():
    import ipywidgets as w

    boxes = [
        widgets.optimal_discriminator_explorer(),
        widgets.ring_experiment(train_now=False),
        widgets.generator_loss_explorer(),
    ]
    sliders = [
        control
        for box in boxes
        for control in box.preview_controls
        if isinstance(control, w.IntSlider | w.FloatSlider | w.FloatLogSlider)
    ]
    assert len(sliders) >= 8
    for slider in sliders:
        width = slider.layout.width
        assert width == widgets.SLIDER_WIDTH or width.endswith("%"), (slider.description, width)
    assert int(widgets.SLIDER_WIDTH.removesuffix("px")) >= 480  # leaves a track of 250 px or more


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_stored_widget_outputs_carry_the_static_picture(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    assert "widgets" not in nb["metadata"], "refresh with scripts/refresh_notebooks.py: no saved widget state"
    for cell in nb["cells"]:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if WIDGET_VIEW_MIME in data:
                text = data["text/plain"]  # stored as a list of lines
                assert ("".join(text) if isinstance(text, list) else text) == PREVIEW_NOTE, cell["source"]
                assert "image/png" in data, cell["source"]
