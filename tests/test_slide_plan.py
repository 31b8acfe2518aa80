"""The slide plan's rules (gan_helpers.teaching.slides) on small made-up notebooks, and on the course's."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gan_helpers.teaching import slides

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))


def md(text: str, **metadata: object) -> dict:
    return {"cell_type": "markdown", "metadata": dict(metadata), "source": text}


def code(text: str, outputs: list | None = None, **metadata: object) -> dict:
    return {"cell_type": "code", "metadata": dict(metadata), "source": text, "outputs": outputs or []}


FIGURE = {"output_type": "display_data", "data": {"image/png": "...", "text/plain": "<Figure>"}}
WIDGET = {
    "output_type": "display_data",
    "data": {"application/vnd.jupyter.widget-view+json": {}, "image/png": "...", "text/plain": "VBox"},
}


def test_the_rules_in_order():
    cells = [
        md("# 01 · Title\n\nsummary"),
        md("## Setup"),
        code("# Setup: in Colab, install ...\nimport gan_helpers as gh"),
        md("## Parameters"),
        code("STEPS = 10", tags=["parameters"]),
        md("## 1. A section"),
        code("gh.plot()", [FIGURE]),  # 1 + 16 lines: fits under the heading
        md("### Your turn"),
        code("gh.widget()", [WIDGET]),  # 1 + 22 lines: fits under the sub-heading
        code("\n".join(f"x = {i}" for i in range(26))),  # longer than LONG_CODE: a sub-slide
        md("Some text."),  # continues
        code("a = 1", [FIGURE]),
        code("b = 2", [FIGURE]),  # overflows the sub-slide: a new one
        md("A note for the notebook only.", tags=["slides-skip"]),
        md("## Summary"),
    ]
    assert slides.slide_plan(cells) == [
        "slide",
        "skip",
        "skip",
        "skip",
        "skip",
        "slide",
        None,
        "subslide",
        None,
        "subslide",
        None,
        "subslide",
        "subslide",
        "skip",
        "slide",
    ]


def test_a_hand_made_choice_is_kept_and_heights_count_outputs():
    kept = md("## 2. Kept", slideshow={"slide_type": "fragment"}, tags=["slides-keep"])
    assert slides.slide_plan([md("# T"), kept]) == ["slide", "fragment"]
    listing = {"output_type": "display_data", "data": {"text/markdown": "```\n" + "x\n" * 40 + "```"}}
    assert slides.cell_height(code("gh.show_source(f)", [listing])) == 1 + 42
    assert slides.cell_height(md("one\n\ntwo\n$$x$$")) == 3 + 1  # blank lines free, display maths 2


def test_apply_sets_types_and_leaves_continuations_without_a_key():
    notebook = {"cells": [md("# T"), code("x = 1", slideshow={"slide_type": "-"}), md("## 1. S")]}
    assert slides.mismatches(notebook) == [0, 1, 2]
    assert slides.apply_slide_plan(notebook) is True
    assert [c["metadata"].get("slideshow") for c in notebook["cells"]] == [
        {"slide_type": "slide"},
        None,  # jupyterlab-slideshow 0.3.4 hides a cell marked "-": continuation means no key
        {"slide_type": "slide"},
    ]
    assert slides.mismatches(notebook) == []
    assert slides.apply_slide_plan(notebook) is False


def test_the_command_line_checks_and_applies(tmp_path, capsys):
    path = tmp_path / "n.ipynb"
    path.write_text(json.dumps({"cells": [md("# T"), md("## 1. S")], "metadata": {}}))
    assert slides.main(["--check", str(path)]) == 1
    assert "out of date" in capsys.readouterr().out
    assert slides.main([str(path)]) == 0
    assert slides.main(["--check", str(path)]) == 0
    with pytest.raises(SystemExit):
        slides.main([str(tmp_path / "missing.ipynb")])


@pytest.mark.parametrize("bad", [None, "cells", [{"source": "no type"}], [1, 2]])
def test_bad_cells_are_refused(bad):
    with pytest.raises(ValueError, match="cells"):
        slides.slide_plan(bad)
    with pytest.raises(ValueError, match="notebook"):
        slides.mismatches(bad)
    with pytest.raises(ValueError, match="cells"):
        slides.mismatches({"cells": bad})


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_course_notebook_carries_a_slide_plan(path):
    notebook = json.loads(path.read_text(encoding="utf-8"))
    types = [slides.slide_type(c) for c in notebook["cells"]]
    assert types[0] == "slide" and types.count("slide") >= 5
    assert "-" not in types  # would be hidden by the slideshow
    assert slides.mismatches(notebook) == []
