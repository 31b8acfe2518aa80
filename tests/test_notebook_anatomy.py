"""Every notebook follows the course's anatomy; and the checker catches each kind of breakage."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from gan_helpers import course, slides
from tests.notebook_anatomy import notebook_problems

NOTEBOOKS = sorted((Path(__file__).parents[1] / "notebooks").glob("*.ipynb"))


def test_the_course_has_its_start_here_notebook():
    assert "00_start_here.ipynb" in [p.name for p in NOTEBOOKS]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_follows_the_course_anatomy(path):
    assert notebook_problems(path) == []


def good_notebook(name: str = "00_start_here.ipynb") -> nbformat.NotebookNode:
    """The smallest notebook that follows every convention."""
    setup = (
        "import sys\n"
        'if "google.colab" in sys.modules:\n'
        f'    %pip install -q "{course.pip_install_target()}"\n'
        "import gan_helpers as gh\n"
        "env = gh.setup(seed=42)"
    )
    cells = [
        new_markdown_cell(
            f"# Title\n\n{course.colab_badge_markdown(name)}\n\n**What you will learn:** x\n\n"
            "**Time:** 1 minute on a CPU, less on a GPU."
        ),
        new_code_cell(setup, execution_count=1, outputs=[new_output("stream", name="stdout", text="ok\n")]),
        new_code_cell(
            "# Parameters\nSTEPS = gh.budget(full=10, fast=1)",
            execution_count=2,
            metadata={"tags": ["parameters"]},
        ),
        new_code_cell(
            "print(1 + 1)",
            execution_count=3,
            metadata={"tags": ["nbval-check-output"]},
            outputs=[new_output("stream", name="stdout", text="2\n")],
        ),
        new_markdown_cell("## Summary"),
    ]
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nb


def problems_of(
    tmp_path: Path, nb: nbformat.NotebookNode, name: str = "00_start_here.ipynb", plan_slides: bool = True
) -> list[str]:
    """The checker's problems with ``nb``, written as ``name``; its slide plan is applied first (as the
    refresh script does) unless ``plan_slides`` is False."""
    if plan_slides:
        slides.apply_slide_plan(nb)
    path = tmp_path / name
    nbformat.write(nb, path)
    return notebook_problems(path)


def test_a_notebook_that_follows_the_conventions_has_no_problems(tmp_path):
    assert problems_of(tmp_path, good_notebook()) == []


def test_stale_slides_and_a_heading_inside_a_cell_are_caught(tmp_path):
    nb = good_notebook()
    assert any("slide plan" in p for p in problems_of(tmp_path, nb, plan_slides=False))
    nb = good_notebook()
    nb.cells.insert(4, new_markdown_cell("Some text.\n\n## 2. A section\n\nMore."))
    problems = problems_of(tmp_path, nb)
    assert any("'## 2. A section' is not at the top of its Markdown cell" in p for p in problems), problems


def test_a_stored_error_output_is_caught(tmp_path):
    nb = good_notebook()
    nb.cells[3].outputs.append(new_output("error", ename="ValueError", evalue="boom", traceback=[]))
    assert any("stores an error: ValueError: boom" in p for p in problems_of(tmp_path, nb))


def test_a_stored_warning_is_caught(tmp_path):
    nb = good_notebook()
    nb.cells[3].outputs.append(new_output("stream", name="stderr", text="UserWarning: careful\n"))
    assert any("warning or traceback" in p for p in problems_of(tmp_path, nb))


@pytest.mark.parametrize(
    "leak", ["/home/ada/course/notebooks", "<object at 0x7f3a2b1c9d40>", "site-packages/keras"]
)
def test_machine_paths_and_addresses_in_outputs_are_caught(tmp_path, leak):
    nb = good_notebook()
    nb.cells[3].outputs[0]["text"] = f"{leak}\n"
    assert any("machine path or memory address" in p for p in problems_of(tmp_path, nb))


def test_a_badge_pointing_at_another_file_is_caught(tmp_path):
    nb = good_notebook(name="01_what_is_a_gan.ipynb")
    assert any("Colab badge" in p for p in problems_of(tmp_path, nb, name="00_start_here.ipynb"))


def test_the_setup_cell_must_install_in_colab_and_call_setup(tmp_path):
    nb = good_notebook()
    nb.cells[1].source = "import gan_helpers as gh"
    found = problems_of(tmp_path, nb)
    assert any("google.colab" in p for p in found) and any("gh.setup(" in p for p in found)


def test_exactly_one_parameters_cell(tmp_path):
    nb = good_notebook()
    nb.cells[3].metadata["tags"].append("parameters")
    assert any(
        "exactly one code cell must be tagged 'parameters'; found 2" in p for p in problems_of(tmp_path, nb)
    )


def test_at_least_one_checked_cell(tmp_path):
    nb = good_notebook()
    nb.cells[3].metadata["tags"] = []
    assert any("nbval-check-output" in p for p in problems_of(tmp_path, nb))


def test_execution_counts_must_show_a_top_to_bottom_run(tmp_path):
    nb = good_notebook()
    nb.cells[2].execution_count, nb.cells[3].execution_count = 3, 2
    assert any("execution counts are [1, 3, 2]" in p for p in problems_of(tmp_path, nb))
    nb.cells[2].execution_count = None
    assert any("execution counts" in p for p in problems_of(tmp_path, nb))


def test_file_names_follow_the_course_map(tmp_path):
    nb = good_notebook(name="13_extra.ipynb")
    assert any("not in the course map" in p for p in problems_of(tmp_path, nb, name="13_extra.ipynb"))


def test_dead_links_to_notebooks_are_caught(tmp_path):
    nb = good_notebook()
    nb.cells[-1].source = "Next: [What is a GAN?](01_what_is_a_gan.ipynb)"
    assert any("does not exist" in p for p in problems_of(tmp_path, nb))


def test_the_last_cell_links_to_the_next_notebook_when_it_exists(tmp_path):
    nbformat.write(good_notebook("01_what_is_a_gan.ipynb"), tmp_path / "01_what_is_a_gan.ipynb")
    nb = good_notebook()
    assert any("link to the next notebook" in p for p in problems_of(tmp_path, nb))
    nb.cells[-1].source = "Next: [What is a GAN?](01_what_is_a_gan.ipynb)"
    assert problems_of(tmp_path, nb) == []
