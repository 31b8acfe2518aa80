"""Slide mode in a real browser (issue 14): a course notebook presented with jupyterlab-slideshow.

jupyterlab-slideshow presents the notebook inside JupyterLab itself ("deck" mode), so the figures and
the live ipywidgets of the notebook's own kernel stay on its slides. (jupyterlab-rise 0.43.1 was tried
too: its slideshow is a separate page built on JupyterLab 4.3, where the widget manager of JupyterLab
4.6 fails to load, so a widget cell shows only its stored static picture.)

The test serves a copy of notebook 01 in fast mode, runs all its cells, starts the deck from the
notebook toolbar's deck button, and checks, in a 1280x720 window (a projector):

1. the first slide is the notebook's title;
2. Right arrow (next slide) brings section 1 with its diagram: an output <img> of nonzero size, on
   screen;
3. Space (next fragment, sub-slide or slide) reaches the sub-slide "Your turn", where the live widget
   is on screen: its sliders and its figure; a slider moved with the keyboard redraws the figure;
4. no uncaught error in the page.

Screenshots go to ``test-output/slides/``. Skipped, saying what to install, where Chromium, the
``playwright`` package or ``jupyterlab-slideshow`` is missing. The notebook is presented with the slide
metadata it stores (the course's slide plan, :mod:`gan_helpers.teaching.slides`: section titles as
slides, "###" as sub-slides, setup and parameters skipped).
"""

from __future__ import annotations

import importlib.util
import json
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from gan_helpers import slides

from .browser_session import LabServer
from .test_browser import (  # noqa: F401  (browser and chromium are fixtures used by name)
    NOTEBOOKS,
    ROOT,
    browser,
    chromium,
    course_lab,
    open_notebook,
    poll,
    readout,
    run_all,
    slider,
)

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Locator, Page

pytestmark = pytest.mark.browser

NOTEBOOK = "01_what_is_a_gan.ipynb"
OUTPUT = ROOT / "test-output" / "slides"
PROJECTOR = {"width": 1280, "height": 720}
MAX_STEPS = 12  # Space presses allowed to reach the widget's sub-slide
STEP_TIMEOUT = 10.0  # seconds for the deck to show the next step
STILL = 1.0  # seconds without change after which a step counts as done

# An element is "on screen" when it has a size, lies inside the window (at least ``share`` of its
# height) and is what the browser hits at a point inside it (not hidden behind or faded out).
ON_SCREEN = """(e, share) => {
  const r = e.getBoundingClientRect();
  if (!(r.width > 0 && r.height > 0) || !e.checkVisibility({opacityProperty: true, visibilityProperty: true}))
    return false;
  const shown = Math.min(r.bottom, innerHeight) - Math.max(r.top, 0);
  if (r.left < 0 || r.right > innerWidth || shown < share * r.height) return false;
  const y = Math.max(r.top, 0) + Math.min(shown, r.height) / 2;
  const hit = document.elementFromPoint(r.left + r.width / 2, y);
  return !!hit && (hit === e || e.contains(hit) || hit.contains(e));
}"""


@pytest.fixture(scope="module")
def slideshow(chromium: str) -> None:  # noqa: F811
    """jupyterlab-slideshow, or a skip that says what to install."""
    if importlib.util.find_spec("jupyterlab_slideshow") is None:
        pytest.skip(
            "slide test needs jupyterlab-slideshow: `python -m pip install -r requirements.txt` "
            "(or `python -m pip install jupyterlab-slideshow`)"
        )


@pytest.fixture(scope="module")
def lab(slideshow: None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LabServer]:
    """JupyterLab in fast mode on a copy of the notebook (with its stored slide metadata), stopped
    afterwards."""
    notebook = json.loads((NOTEBOOKS / NOTEBOOK).read_text(encoding="utf-8"))
    planned = [slides.slide_type(cell) for cell in notebook["cells"]]
    assert planned.count("slide") >= 5, "the notebook carries no slide plan (gan_helpers.teaching.slides)"
    with course_lab(tmp_path_factory.mktemp("slides"), [NOTEBOOK]) as server:
        yield server


def on_screen(locator: Locator, share: float = 0.9) -> bool:
    """True when ``locator``'s first element is on screen (see :data:`ON_SCREEN`)."""
    return locator.count() > 0 and bool(locator.first.evaluate(ON_SCREEN, share))


def shown_cells(page: Page) -> list[str]:
    """The first line of every cell the deck shows now (for messages)."""
    return page.locator(".jp-Notebook .jp-Cell").evaluate_all(
        f"(cells) => cells.filter(c => ({ON_SCREEN})(c, 0.01))"
        ".map(c => (c.innerText || '').trim().split('\\n')[0].slice(0, 60))"
    )


def step(page: Page, key: str, name: str) -> None:
    """Press ``key`` in the deck and wait until the shown cells stop changing; screenshot ``name``."""
    before = shown_cells(page)
    page.keyboard.press(key)
    pressed = time.monotonic()
    seen: list[list[str]] = []

    def settled() -> bool:
        # Stable for three polls, and changed (a step onto a cell already on screen changes nothing
        # visible: then stable for STILL seconds is enough).
        seen.append(shown_cells(page))
        stable = len(seen) >= 3 and seen[-1] == seen[-2] == seen[-3]
        return stable and (seen[-1] != before or time.monotonic() - pressed > STILL)

    poll(settled, STEP_TIMEOUT, f"the deck to settle after {key}", interval=0.15)
    page.screenshot(path=OUTPUT / f"{name}.png")


def start_deck(page: Page) -> None:
    """Make the first cell active, then start the deck with the notebook toolbar's deck button."""
    page.locator(".jp-Notebook .jp-Cell").first.locator(".jp-InputPrompt").first.click()
    page.keyboard.press("Escape")  # command mode
    page.locator('.jp-NotebookPanel-toolbar [data-jp-item-name="deck"] button').first.click()
    poll(
        lambda: page.evaluate("() => document.body.dataset.jpDeckMode") == "presenting",
        STEP_TIMEOUT,
        "the deck to start",
    )
    page.wait_for_timeout(500)  # the deck lays out the first slide
    page.screenshot(path=OUTPUT / "1-first-slide.png")


@pytest.mark.timeout(300)
def test_notebook_as_slides(lab: LabServer, browser: Browser) -> None:  # noqa: F811
    OUTPUT.mkdir(parents=True, exist_ok=True)
    for old in OUTPUT.glob("*.png"):
        old.unlink()
    context = browser.new_context(viewport=PROJECTOR)
    context.set_default_timeout(30_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)[:300]))
    timings: dict[str, float] = {}
    try:
        started = time.monotonic()
        open_notebook(page, lab, NOTEBOOK)
        run_all(page, lab)
        timings["open_and_run"] = time.monotonic() - started

        start_deck(page)
        assert shown_cells(page)[:1] == ["01 · What is a GAN?"], f"first slide shows {shown_cells(page)}"

        # Next slide: section 1 and its diagram.
        step(page, "ArrowRight", "2-next-slide")
        cells = shown_cells(page)
        assert any(c.startswith("1. Two players") for c in cells), f"after Right the deck shows {cells}"
        figures = [  # a figure a cell displayed (not one inside a widget)
            image
            for image in page.locator(".jp-OutputArea-output.jp-RenderedImage img").all()
            if on_screen(image, share=0.75) and not image.evaluate("i => !!i.closest('.jupyter-widgets')")
        ]
        assert figures, f"no figure on screen on slide '1. Two players' (cells shown: {cells})"
        assert figures[0].evaluate("i => i.complete && i.naturalWidth > 0"), "the figure has no pixels"

        # Space through fragments and sub-slides until the live widget is on screen.
        widget = page.locator(".jp-OutputArea-output .jupyter-widgets.widget-vbox").first
        for number in range(MAX_STEPS):
            if on_screen(widget.locator(".widget-slider"), share=1.0):
                break
            step(page, "Space", f"3-space-{number + 1:02d}")
        else:
            pytest.fail(f"no widget on screen after {MAX_STEPS} x Space; the deck shows {shown_cells(page)}")
        figure = widget.locator(".widget-output img").first
        assert on_screen(figure, share=0.75), "the widget's sliders are on screen but not its figure"

        # The widget is live: a slider moved with the keyboard redraws the figure.
        control = slider(widget, "generator mean")
        value, picture = readout(control), figure.get_attribute("src")
        control.locator(".noUi-handle").first.focus()
        page.keyboard.press("ArrowRight")
        poll(lambda: figure.get_attribute("src") != picture, 30.0, "the figure to redraw")
        assert readout(control) != value, "the slider did not move"
        assert on_screen(widget.locator(".widget-slider"), share=1.0), "moving the slider left the slide"
        page.screenshot(path=OUTPUT / "4-widget-moved.png")
        timings["total"] = time.monotonic() - started
        timings["space_presses"] = number
    finally:
        context.close()
        (OUTPUT / "timings.json").parent.mkdir(parents=True, exist_ok=True)
        (OUTPUT / "timings.json").write_text(json.dumps({k: round(v, 1) for k, v in timings.items()}) + "\n")
    assert not errors, f"errors in the page: {errors}"
