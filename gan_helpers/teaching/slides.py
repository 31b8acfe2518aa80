"""Slide plans for presenting a course notebook in class (JupyterLab's deck mode, jupyterlab-slideshow).

Every course notebook carries slide metadata (``cell.metadata.slideshow.slide_type``) chosen by the
rules below, so an instructor presses the deck button and gets slides that fit a 1280x720 projector.
The rules, first match wins:

1. The title cell starts a slide.
2. The Setup and Parameters sections (their headings and cells), the Colab install cell and cells
   tagged ``slides-skip`` are skipped: the presenter runs them before class.
3. A markdown cell starting with ``## `` starts a slide, one starting with ``### `` a sub-slide (the
   deck shows sub-slides below their slide: Space walks through them, Right arrow jumps to the next
   section).
4. A code cell longer than :data:`LONG_CODE` lines starts a sub-slide of its own.
5. Any other cell continues the current slide while the slide's estimated height stays within
   :data:`SLIDE_LINES` lines, and otherwise starts a sub-slide. Estimates: a line of code or a non-blank
   line of text is one line, a display formula two, a figure :data:`FIGURE_LINES`, a widget
   :data:`WIDGET_LINES`, a Markdown output (a code listing) its line count, an HTML table a line per row,
   a text output its line count up to 8.
6. A cell tagged ``slides-keep`` keeps the slide type it has (a hand-made choice wins).

A cell that continues its slide gets **no** ``slideshow`` key. nbconvert and RISE read a missing key as
"continue"; jupyterlab-slideshow 0.3.4 hides a cell whose slide type is the string ``"-"``.

Run ``python scripts/slide_plan.py notebooks/*.ipynb`` to apply the plan (``--check`` to list notebooks
whose metadata differs, ``--show`` to print a plan); it calls :func:`main`. ``scripts/refresh_notebooks.py``
re-applies it after every run, since outputs change the heights.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path

LONG_CODE = 25  # lines: a longer code cell gets a sub-slide of its own
SLIDE_LINES = 32  # lines that fit on a 1280x720 slide at JupyterLab's default font size (measured on 01)
FIGURE_LINES = 16  # a matplotlib figure takes about half a slide
WIDGET_LINES = 22  # sliders and their figure
TEXT_OUTPUT_LINES = 8  # at most, for a text output (long ones scroll)
SKIPPED_SECTIONS = ("## Setup", "## Parameters")
SETUP_CODE = ("# Setup", "pip install", "google.colab")


def _check_cell(cell: object, name: str = "cell") -> dict:
    if not isinstance(cell, dict) or "cell_type" not in cell:
        raise ValueError(f"{name} must be a notebook cell, a dict with a 'cell_type'; got {cell!r:.80}")
    return cell


def _check_cells(cells: object) -> Sequence[dict]:
    if isinstance(cells, (str, bytes)) or not isinstance(cells, Sequence):
        raise ValueError(f"cells must be a notebook's cells, a list of dicts; got {type(cells).__name__}")
    for index, cell in enumerate(cells):
        _check_cell(cell, f"cells[{index}]")
    return cells


def _check_notebook(notebook: object) -> dict:
    if not isinstance(notebook, dict) or "cells" not in notebook:
        raise ValueError(
            f"notebook must be a notebook's JSON, a dict with 'cells'; got {type(notebook).__name__}"
        )
    _check_cells(notebook["cells"])
    return notebook


def _source(cell: dict) -> str:
    text = cell.get("source", "")
    return "".join(text) if isinstance(text, list) else text


def _output_lines(cell: dict) -> int:
    total = 0
    for output in cell.get("outputs", []):
        data = output.get("data", {})
        if "application/vnd.jupyter.widget-view+json" in data:
            total += WIDGET_LINES
        elif any(kind.startswith("image/") for kind in data):
            total += FIGURE_LINES
        elif "text/markdown" in data:  # e.g. gh.show_source's code listing: shown whole
            total += len("".join(data["text/markdown"]).splitlines())
        elif "text/html" in data:  # a table: about a line per row
            total += max(2, "".join(data["text/html"]).count("<tr"))
        elif output.get("output_type") == "stream":
            total += min(len("".join(output.get("text", "")).splitlines()), TEXT_OUTPUT_LINES)
        elif "text/plain" in data:
            total += min(len("".join(data["text/plain"]).splitlines()), TEXT_OUTPUT_LINES)
    return total


def cell_height(cell: dict) -> int:
    """A cell's estimated height on a slide, in lines of text: its source (display formulas count two)
    plus its outputs (see the module's rule 5)."""
    text = _source(_check_cell(cell))
    lines = text.splitlines()
    if cell.get("cell_type") == "markdown":  # blank lines between paragraphs take little room
        lines = [line for line in lines if line.strip()]
    return len(lines) + text.count("$$") // 2 + _output_lines(cell)


def slide_type(cell: dict) -> str | None:
    """The slide type a cell carries, or None when it continues its slide (no ``slideshow`` key)."""
    _check_cell(cell)
    return cell.get("metadata", {}).get("slideshow", {}).get("slide_type")


def slide_plan(cells: Sequence[dict]) -> list[str | None]:
    """The slide type of each cell of a notebook (``cells``: the notebook's JSON cells) by the module's
    rules: ``"slide"``, ``"subslide"``, ``"skip"``, or None to continue the current slide."""
    _check_cells(cells)
    plan: list[str | None] = []
    skipping = False
    used = 0
    for index, cell in enumerate(cells):
        text = _source(cell).lstrip()
        markdown = cell["cell_type"] == "markdown"
        tags = cell.get("metadata", {}).get("tags", [])
        if markdown and text.startswith("## "):
            skipping = text.startswith(SKIPPED_SECTIONS)
        if "slides-keep" in tags:
            kind = slide_type(cell)
        elif index == 0:
            kind = "slide"
        elif (
            skipping or "slides-skip" in tags or (cell["cell_type"] == "code" and text.startswith(SETUP_CODE))
        ):
            kind = "skip"
        elif markdown and text.startswith("## "):
            kind = "slide"
        else:
            subsection = markdown and text.startswith("### ")
            long_code = cell["cell_type"] == "code" and len(text.splitlines()) > LONG_CODE
            kind = "subslide" if subsection or long_code or used + cell_height(cell) > SLIDE_LINES else None
        if kind in ("slide", "subslide"):
            used = cell_height(cell)
        elif kind != "skip":
            used += cell_height(cell)
        plan.append(kind)
    return plan


def buried_headings(cells: Sequence[dict]) -> list[tuple[int, str]]:
    """``(cell index, heading)`` for every ``## `` or ``### `` heading that is not on the first line of its
    Markdown cell (outside code fences and ``<details>`` blocks). Slides start at cells, so such a section
    would begin in the middle of the previous slide: give each heading a cell of its own."""
    _check_cells(cells)
    found = []
    for index, cell in enumerate(cells):
        if cell["cell_type"] != "markdown":
            continue
        fence, details = False, 0
        for number, line in enumerate(_source(cell).lstrip().splitlines()):
            if line.lstrip().startswith("```"):
                fence = not fence
            if number and not fence and not details and line.startswith(("## ", "### ")):
                found.append((index, line.strip()))
            details += line.count("<details") - line.count("</details>")
    return found


def mismatches(notebook: dict) -> list[int]:
    """Indices of the cells whose slide metadata differs from :func:`slide_plan` (empty: up to date)."""
    cells = _check_notebook(notebook)["cells"]
    return [
        i
        for i, (cell, kind) in enumerate(zip(cells, slide_plan(cells), strict=True))
        if slide_type(cell) != kind
    ]


def apply_slide_plan(notebook: dict) -> bool:
    """Set every cell's slide metadata in ``notebook`` (its JSON, changed in place) to
    :func:`slide_plan`; return whether anything changed. Only ``metadata.slideshow`` is touched."""
    cells = _check_notebook(notebook)["cells"]
    changed = False
    for cell, kind in zip(cells, slide_plan(cells), strict=True):
        changed |= slide_type(cell) != kind
        metadata = cell.setdefault("metadata", {})
        if kind is None:
            metadata.pop("slideshow", None)
        else:
            metadata["slideshow"] = {"slide_type": kind}
    return changed


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: apply the slide plan to notebooks, ``--check`` them or ``--show`` a plan."""
    parser = argparse.ArgumentParser(description="Set the course's slide metadata on notebooks.")
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--check", action="store_true", help="list notebooks whose metadata differs; exit 1")
    parser.add_argument("--show", action="store_true", help="print each cell's slide type; change nothing")
    args = parser.parse_args(argv)
    stale = []
    for path in args.notebooks:
        if not path.is_file():
            parser.error(f"{path} is not a notebook file")
        notebook = json.loads(path.read_text(encoding="utf-8"))
        if args.show:
            for i, (cell, kind) in enumerate(
                zip(notebook["cells"], slide_plan(notebook["cells"]), strict=True)
            ):
                first = (_source(cell).strip().splitlines() or [""])[0][:70]
                print(f"{i:3d} {kind or '-':9s} {cell['cell_type']:8s} {cell_height(cell):3d}  {first}")
        elif args.check:
            if mismatches(notebook):
                stale.append(path)
        elif apply_slide_plan(notebook):
            # As nbformat writes notebooks: one-space indent, sorted keys, a final newline.
            text = json.dumps(notebook, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
            path.write_text(text, encoding="utf-8")
            print(f"updated {path}")
    for path in stale:
        print(f"slide metadata out of date: {path} (run python scripts/slide_plan.py {path})")
    return 1 if stale else 0
