"""The course in a real browser (issue 15): JupyterLab 4 in Debian's Chromium, driven by Playwright.

For notebooks 01, 02 and 05, as a learner with a fresh clone would: open the notebook (never opened or
trusted before, so stored widget views cannot be rendered) and check that the widget cell shows its
static picture; run all cells from the *Run* menu and wait for the kernel; check that no output is an
error; move a slider with the keyboard and then with the mouse and check that the figure's pixels change.
Screenshots of each step go to ``test-output/browser/``, with the measured times and slider track widths
in ``measurements.json``.

One JupyterLab server (presenter mode, as an instructor runs the course in class, on a temporary copy of the
notebooks) and one headless Chromium serve the three notebooks; both are stopped at the end, with exactly the
processes they started. Presenter mode changes nothing in 01 and 02, which then run their full-mode path as
quickly as in fast mode; 05 shows its recorded runs (``gan_helpers.teaching.recorded_runs``), so its *Run All*
takes about 20 s instead of minutes, while the ring widget still trains live (its full 2,000 steps) after
each move. Every notebook's fast-mode path is run by nbval. The test is
skipped, saying what to install, where Chromium (Debian's ``chromium``) or the ``playwright`` Python
package is missing; ``.ci/run`` installs both. ``GAN_COURSE_BROWSER_NOTEBOOKS=/some/folder`` points it at
another folder of notebooks (e.g. hand-edited copies, to try a check).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import shutil
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pytest
from PIL import Image

from .browser_session import LabServer, launch_chromium, start_lab, stop_lab

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Locator, Page

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = Path(os.environ.get("GAN_COURSE_BROWSER_NOTEBOOKS", ROOT / "notebooks"))
OUTPUT = ROOT / "test-output" / "browser"
VIEWPORT = {"width": 1366, "height": 900}  # a common laptop screen
RUN_ALL_TIMEOUT = 300.0  # seconds for one notebook's "Run All Cells"
REDRAW_TIMEOUT = 60.0  # seconds for a figure to change after a control moved (05 trains first)
CHANGED_PIXELS = 0.001  # a redrawn figure differs from the old one in more than this share of pixels
MIN_TRACK_WIDTH = 250  # pixels: a slider track a learner can drag with a mouse (about 2.5 px per step of 100)

pytestmark = pytest.mark.browser


@dataclass(frozen=True)
class WidgetCase:
    """How to exercise one notebook's widget: the cell that shows it and the controls to move."""

    notebook: str
    call: str  # text in the source of the cell that displays the widget
    keyboard_slider: str  # label of the slider moved with the keyboard
    key: str  # the key pressed `presses` times on it
    presses: int
    mouse_slider: str  # label of the slider dragged with the mouse
    drag_to: float  # where on its track (0 = left end, 1 = right end) the handle is dropped
    train_button: str | None = None  # a button to press after each move (the figure waits for it)


CASES = [
    WidgetCase(
        "01_what_is_a_gan.ipynb",
        call="optimal_discriminator_explorer(",
        keyboard_slider="generator mean",
        key="ArrowRight",
        presses=10,  # 0.0 -> 1.0
        mouse_slider="generator std",
        drag_to=0.15,  # 1.5 -> about 0.55
    ),
    WidgetCase(
        "02_loss_functions.ipynb",
        call="generator_loss_explorer(",
        keyboard_slider="D(G(z))",
        key="ArrowRight",
        presses=10,  # 0.050 -> 0.060 (one redraw per key: the slider has continuous_update=False)
        mouse_slider="D(G(z))",
        drag_to=0.5,
    ),
    # The ring experiment's sliders only set up the next run: its figure changes when *Train* has
    # trained a new GAN (a few seconds). The keyboard raises the instance noise and the mouse lowers the
    # real label (the settings of a run that was not recorded, so it trains live); each
    # move is followed by a click on Train, and the figure must change after each.
    WidgetCase(
        "05_training_dynamics.ipynb",
        call="ring_experiment(",
        keyboard_slider="instance noise",
        key="ArrowRight",
        presses=2,  # 0.0 -> 0.1
        mouse_slider="real label",
        drag_to=0.3,  # 1.0 -> about 0.8
        train_button="Train",
    ),
]


# -- fixtures: one server, one browser ------------------------------------------------------------------


@pytest.fixture(scope="module")
def chromium() -> str:
    """The Chromium executable, or a skip that says what to install."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        pytest.skip(
            "browser test needs the Python package playwright: `python -m pip install -r requirements.txt` "
            "(or `python -m pip install playwright`; no `playwright install`: the test uses the system's "
            "Chromium, Debian's package `chromium`)"
        )
    executable = shutil.which("chromium")
    if executable is None:
        pytest.skip("browser test needs Chromium: install Debian's package with `apt-get install chromium`")
    return executable


@contextlib.contextmanager
def course_lab(base: Path, notebooks: Iterable[str], mode: str = "fast") -> Iterator[LabServer]:
    """JupyterLab in ``mode`` (``"fast"`` or ``"presenter"``), with its own artifacts folder, on copies of
    ``notebooks`` under ``base``; stopped afterwards."""
    root = base / "notebooks"
    root.mkdir()
    for name in notebooks:
        # A fresh clone's notebooks are plain files that no JupyterLab has opened or trusted.
        shutil.copyfile(NOTEBOOKS / name, root / name)
    if mode not in ("fast", "presenter"):
        raise ValueError(f"mode must be 'fast' or 'presenter', got {mode!r}")
    extra = {
        "GAN_COURSE_FAST": "1" if mode == "fast" else "0",
        "GAN_COURSE_PRESENTER": "1" if mode == "presenter" else "0",
        "GAN_COURSE_ARTIFACTS": str(base / "artifacts"),
    }
    server = start_lab(root, base / "jupyter", extra)
    try:
        yield server
    finally:
        stop_lab(server)


@pytest.fixture(scope="module")
def lab(chromium: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LabServer]:
    """JupyterLab in presenter mode on a temporary copy of the three notebooks, stopped afterwards."""
    notebooks = [case.notebook for case in CASES]
    with course_lab(tmp_path_factory.mktemp("browser"), notebooks, mode="presenter") as server:
        yield server


@pytest.fixture(scope="module")
def browser(chromium: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    """Headless Chromium through Playwright, closed afterwards."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chrome = launch_chromium(playwright, chromium, tmp_path_factory.mktemp("chromium"))
        try:
            yield chrome
        finally:
            chrome.close()


@pytest.fixture(scope="module")
def measurements() -> Iterator[dict[str, dict[str, object]]]:
    """What the test measured (times, track widths), written to ``measurements.json`` at the end."""
    found: dict[str, dict[str, object]] = {}
    yield found
    if found:
        OUTPUT.mkdir(parents=True, exist_ok=True)
        (OUTPUT / "measurements.json").write_text(json.dumps(found, indent=2) + "\n")


# -- small helpers ----------------------------------------------------------------------------------------


def poll(condition: Callable[[], object], timeout: float, what: str, interval: float = 0.1) -> object:
    """``condition()``'s first truthy value, checked every ``interval`` s; TimeoutError after ``timeout``."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"waited {timeout:.0f} s for {what}")
        time.sleep(interval)


def bring_into_view(locator: Locator, page: Page, timeout: float = 20.0) -> None:
    """Scroll ``locator`` to the top of the viewport and wait until it stays there for 0.3 s: JupyterLab
    lays out cells as they come into view (content-visibility) and typesets their formulas later, which
    moves everything below them, so one scroll may land short."""
    height = page.viewport_size["height"] if page.viewport_size else VIEWPORT["height"]
    tops: list[float] = []

    def settled() -> bool:
        top = locator.evaluate("e => e.getBoundingClientRect().top")
        if not 0 <= top < height / 2:
            locator.evaluate("e => e.scrollIntoView({block: 'start'})")
            tops.clear()
            return False
        tops.append(top)
        return len(tops) >= 4 and len(set(tops[-4:])) == 1

    poll(settled, timeout, "the cell to come into view and stay there")


def pixels(locator: Locator) -> np.ndarray:
    """A screenshot of ``locator`` as an RGB array (what is on the screen, not the image file)."""
    return np.asarray(Image.open(io.BytesIO(locator.screenshot(animations="disabled"))).convert("RGB"))


def changed_share(before: np.ndarray, after: np.ndarray) -> float:
    """The share of pixels that differ (1.0 when the sizes differ)."""
    if before.shape != after.shape:
        return 1.0
    return float(np.any(before != after, axis=-1).mean())


def kernel_idle(lab: LabServer) -> bool:
    """True when every kernel of the server reports itself idle."""
    kernels = lab.kernels()
    return bool(kernels) and all(k.get("execution_state") == "idle" for k in kernels)


def settle(lab: LabServer, figure: Locator, timeout: float = REDRAW_TIMEOUT) -> None:
    """Wait until the kernel is idle and the figure's image no longer changes (three polls in a row)."""
    seen: list[str] = []

    def steady() -> bool:
        source = (figure.get_attribute("src", timeout=5000) or "") if kernel_idle(lab) else ""
        seen.append(source)
        return len(seen) >= 3 and seen[-1] != "" and seen[-1] == seen[-2] == seen[-3]

    poll(steady, timeout, "the kernel to finish redrawing", interval=0.15)


def wait_for_new_pixels(figure: Locator, before: np.ndarray, timeout: float = REDRAW_TIMEOUT) -> float:
    """Poll screenshots of ``figure`` until they differ from ``before``; the share changed (0 if never)."""
    deadline = time.monotonic() + timeout
    share = 0.0
    while time.monotonic() < deadline:
        with contextlib.suppress(Exception):  # the image is being replaced: try again
            share = changed_share(before, pixels(figure))
        if share > CHANGED_PIXELS:
            return share
        time.sleep(0.1)
    return share


def prompts(page: Page) -> list[str]:
    """The input prompts of the notebook's code cells, e.g. ``["[1]:", "[*]:", "[ ]:"]``."""
    return page.evaluate(
        "() => Array.from(document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputPrompt'))"
        ".map(e => e.textContent.trim())"
    )


def open_notebook(page: Page, lab: LabServer, name: str) -> None:
    """Open ``name`` as a learner would (its own fresh workspace) and wait for its kernel to be idle,
    accepting the default kernel if JupyterLab asks for one."""
    workspace = Path(name).stem
    page.goto(f"{lab.url}/lab/workspaces/{workspace}/tree/{name}?token={lab.token}")
    page.locator(".jp-Notebook .jp-Cell").first.wait_for(timeout=60_000)
    indicator = page.locator(".jp-NotebookPanel .jp-Notebook-ExecutionIndicator").first
    dialog_accept = page.locator(".jp-Dialog .jp-mod-accept")

    def ready() -> bool:
        if dialog_accept.count() and dialog_accept.first.is_visible():
            dialog_accept.first.click()  # "Select Kernel": keep the default, Python 3
        return indicator.get_attribute("data-status") == "idle" and kernel_idle(lab)

    poll(ready, 60.0, "the notebook's kernel to start", interval=0.2)


def run_all(page: Page, lab: LabServer) -> None:
    """Run > Run All Cells, then wait until every cell has run and the kernel is idle."""
    page.locator(".lm-MenuBar-item").filter(
        has=page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$"))
    ).click()
    page.locator(".lm-Menu-item").filter(
        has=page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$"))
    ).click()
    poll(lambda: "[*]:" in prompts(page), 30.0, "the cells to be queued")

    calm: list[bool] = []

    def finished() -> bool:
        calm.append("[*]:" not in prompts(page) and kernel_idle(lab))
        return len(calm) >= 2 and calm[-1] and calm[-2]

    poll(finished, RUN_ALL_TIMEOUT, "Run All Cells to finish", interval=0.5)


def save(page: Page, lab: LabServer, name: str) -> dict[str, object]:
    """Save the notebook with Ctrl+S and return it as the server stored it."""
    before = lab.contents(name, content=False)["last_modified"]
    page.locator(".jp-NotebookPanel .jp-Notebook").first.focus()
    page.keyboard.press("Escape")  # command mode
    page.keyboard.press("Control+s")
    poll(
        lambda: lab.contents(name, content=False)["last_modified"] != before,
        30.0,
        "the notebook to be saved",
        interval=0.2,
    )
    return lab.notebook(name)


def slider(widget: Locator, label: str) -> Locator:
    """The ipywidgets slider in ``widget`` whose description contains ``label``."""
    found = widget.locator(".widget-slider").filter(has=widget.page.locator(".widget-label", has_text=label))
    assert found.count() == 1, f"expected one slider labelled {label!r}, found {found.count()}"
    return found


def readout(slider: Locator) -> str:
    """The value a slider shows beside its track."""
    return slider.locator(".widget-readout").first.inner_text().strip()


def widget_cell(page: Page, lab: LabServer, case: WidgetCase) -> Locator:
    """The code cell that displays ``case``'s widget, scrolled into view.

    JupyterLab creates a cell's editor only when the cell first comes into view, so the cell is found by
    its position in the notebook file and then checked by its source once it is shown.
    """
    from playwright.sync_api import expect

    cells = lab.notebook(case.notebook)["cells"]  # type: ignore[index]
    index = [i for i, cell in enumerate(cells) if case.call in "".join(cell["source"])]
    assert len(index) == 1, f"expected one cell calling {case.call!r} in {case.notebook}, found {len(index)}"
    cell = page.locator(".jp-Notebook .jp-Cell").nth(index[0])
    bring_into_view(cell, page)
    expect(cell.locator(".jp-InputArea-editor")).to_contain_text(case.call)
    return cell


def press_button(widget: Locator, text: str) -> None:
    """Click the widget's button labelled ``text``."""
    widget.locator("button.jupyter-button", has_text=text).first.click()


def check_opened(page: Page, lab: LabServer, case: WidgetCase, record: dict[str, object]) -> list[str]:
    """Step 1, the notebook as a fresh clone opens it: the widget cell shows a picture (the stored static
    PNG; an untrusted notebook cannot render the stored widget view), not the widget's ``VBox(...`` text.
    Returns the problems found."""
    output = widget_cell(page, lab, case).locator(".jp-Cell-outputArea")
    stem = Path(case.notebook).stem
    page.screenshot(path=OUTPUT / f"{stem}-1-opened.png")
    output.screenshot(path=OUTPUT / f"{stem}-1-opened-output.png")
    images = output.locator("img")

    def shown() -> list[int]:
        return images.evaluate_all(
            "imgs => imgs.filter(i => i.checkVisibility() && i.complete).map(i => i.naturalWidth)"
        )

    pictures = shown()
    if images.count() and not any(pictures):
        with contextlib.suppress(TimeoutError):  # an image is there: give it a moment to decode
            pictures = poll(lambda: [w for w in shown() if w > 0], 10.0, "the static picture to load")
    texts = [t.strip() for t in output.locator(".jp-OutputArea-output").all_inner_texts()]
    record["opened_output"] = {"picture_widths": pictures, "texts": [t[:80] for t in texts]}
    problems = []
    if not any(width > 0 for width in pictures):
        problems.append(f"opened, not run: the cell calling {case.call!r} shows no picture, only {texts}")
    if any(t.startswith("VBox(") for t in texts):
        problems.append("opened, not run: the widget cell shows the widget's text 'VBox(...'")
    return problems


def check_run_all(page: Page, lab: LabServer, case: WidgetCase, record: dict[str, object]) -> list[str]:
    """Step 2: Run All Cells; every code cell runs and no output is an error. Returns the problems."""
    started = time.monotonic()
    run_all(page, lab)
    record["run_all_seconds"] = round(time.monotonic() - started, 1)
    problems = []
    not_run = [p for p in prompts(page) if not p.strip("[]:").isdigit()]
    if not_run:
        problems.append(f"after Run All, {len(not_run)} code cells have not run: {not_run}")
    # JupyterLab 4 renders an error's traceback with the stderr renderer, like a stream to stderr (which
    # TensorFlow writes to, and is allowed): look for a traceback in the page, and for error outputs in
    # the notebook as JupyterLab saves it.
    tracebacks = page.locator(
        '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]', has_text="Traceback"
    )
    if tracebacks.count():
        problems.append(f"a traceback is shown: {tracebacks.first.inner_text()[:500]}")
    saved = save(page, lab, case.notebook)
    errors = [
        f"{output.get('ename')}: {output.get('evalue')}"
        for cell in saved["cells"]  # type: ignore[union-attr]
        for output in cell.get("outputs", [])
        if output.get("output_type") == "error"
    ]
    if errors:
        problems.append(f"error outputs after Run All: {errors}")
    return problems


def check_redraw(
    lab: LabServer,
    figure: Locator,
    control: Locator,
    move: Callable[[], None],
    what: str,
    screenshot: Path,
) -> tuple[dict[str, object], list[str]]:
    """Step 3: ``move()`` a control; the figure's pixels must change. Returns what was measured (the
    readout before and after, the share of changed pixels, the seconds) and the problems."""
    started = time.monotonic()
    before, value = pixels(figure), readout(control)
    move()
    share = wait_for_new_pixels(figure, before)
    settle(lab, figure)
    figure.page.screenshot(path=screenshot)
    measured = {
        "from": value,
        "to": readout(control),
        "changed_pixels": round(share, 4),
        "seconds": round(time.monotonic() - started, 1),
    }
    problems = [] if share > CHANGED_PIXELS else [f"the figure did not change after {what}"]
    return measured, problems


@pytest.mark.timeout(600)
@pytest.mark.parametrize("case", CASES, ids=[c.notebook[:2] for c in CASES])
def test_notebook_in_a_real_browser(
    case: WidgetCase,
    lab: LabServer,
    browser: Browser,
    measurements: dict[str, dict[str, object]],
) -> None:
    OUTPUT.mkdir(parents=True, exist_ok=True)
    stem = Path(case.notebook).stem
    for old in OUTPUT.glob(f"{stem}-*.png"):
        old.unlink()
    record: dict[str, object] = {}
    measurements[case.notebook] = record
    problems: list[str] = []  # failed checks are collected, so that every step still runs

    context = browser.new_context(viewport=VIEWPORT)
    context.set_default_timeout(30_000)
    page = context.new_page()
    begun = time.monotonic()
    try:
        started = time.monotonic()
        open_notebook(page, lab, case.notebook)
        record["open_seconds"] = round(time.monotonic() - started, 1)
        problems += check_opened(page, lab, case, record)
        ran = check_run_all(page, lab, case, record)
        problems += ran
        if ran:  # the widget cell may not have run: nothing to move
            page.screenshot(path=OUTPUT / f"{stem}-2-ran.png")
            pytest.fail("\n".join(problems))

        # The live widget: its figure, and sliders wide enough to drag.
        cell = widget_cell(page, lab, case)
        widget = cell.locator(".jp-Cell-outputArea .jupyter-widgets.widget-vbox").first
        figure = widget.locator(".widget-output img").first
        figure.wait_for(state="visible")
        settle(lab, figure)
        bring_into_view(cell, page)
        page.screenshot(path=OUTPUT / f"{stem}-2-ran.png")
        tracks = widget.locator(".widget-slider").evaluate_all(
            "sliders => sliders.map(s => [s.querySelector('.widget-label')?.textContent ?? '',"
            " Math.round(s.querySelector('.noUi-target').getBoundingClientRect().width)])"
        )
        record["slider_track_widths"] = dict(tracks)
        narrow = {label: width for label, width in tracks if width < MIN_TRACK_WIDTH}
        if narrow:
            problems.append(f"slider tracks narrower than {MIN_TRACK_WIDTH} px: {narrow}")
        if case.train_button and not widget.get_by_text("recorded, presenter mode").count():
            problems.append("the ring widget's first run is not the recorded one (presenter mode)")

        keyboard = slider(widget, case.keyboard_slider)

        def press_keys() -> None:
            keyboard.locator(".noUi-handle").first.focus()
            for _ in range(case.presses):
                page.keyboard.press(case.key)
            if case.train_button:
                press_button(widget, case.train_button)

        record["keyboard"], found = check_redraw(
            lab,
            figure,
            keyboard,
            press_keys,
            f"{case.presses} x {case.key} on {case.keyboard_slider!r}",
            OUTPUT / f"{stem}-3-keyboard.png",
        )
        problems += found

        mouse = slider(widget, case.mouse_slider)

        def drag() -> None:
            grip = mouse.locator(".noUi-handle").first.bounding_box()
            track = mouse.locator(".noUi-target").first.bounding_box()
            assert grip and track, f"the slider {case.mouse_slider!r} is not on the screen"
            y = grip["y"] + grip["height"] / 2
            page.mouse.move(grip["x"] + grip["width"] / 2, y)
            page.mouse.down()
            page.mouse.move(track["x"] + case.drag_to * track["width"], y, steps=12)
            page.mouse.up()
            if case.train_button:
                press_button(widget, case.train_button)

        record["mouse"], found = check_redraw(
            lab, figure, mouse, drag, f"dragging {case.mouse_slider!r}", OUTPUT / f"{stem}-4-mouse.png"
        )
        problems += found
        failed = widget.get_by_text("Could not train")
        if failed.count():
            problems.append(f"the widget reports: {failed.first.inner_text()}")
        record["total_seconds"] = round(time.monotonic() - begun, 1)
    except Exception as error:
        with contextlib.suppress(Exception):
            page.screenshot(path=OUTPUT / f"{stem}-failed.png")
        if problems:
            raise AssertionError("\n".join([*problems, f"then the test stopped: {error}"])) from error
        raise
    finally:
        context.close()
        with contextlib.suppress(Exception):  # a failure here must not hide the test's own
            lab.shutdown_kernels()  # free the CPU for the next notebook
    assert not problems, "\n".join(problems)
