"""The course's notebook conventions (COURSE.md, "Notebook anatomy"), as checks a test can run.

``notebook_problems(path)`` returns a list of plain-English problems; empty means the notebook
follows the conventions. Used by ``tests/test_notebook_anatomy.py`` and
``scripts/refresh_notebooks.py``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat

from gan_helpers import course, slides

CHECK_TAG = "nbval-check-output"
PARAMETERS_TAG = "parameters"
MAX_BYTES = 3_000_000
# An absolute machine path (/home/..., /usr/lib/..., C:\Users\...), a site-packages path or a memory address.
MACHINE_DETAIL = re.compile(
    r"((?<![\w:./])/(?:home|root|usr|tmp|opt|work|var|Users|content)/[\w.+-]+|site-packages|"
    r"[A-Z]:\\\\Users|0x[0-9a-fA-F]{8,})"
)
RELATIVE_NOTEBOOK_LINK = re.compile(r"\]\((?!https?://)([\w./-]+\.ipynb)(?:#[\w-]*)?\)")


def _text(source: str | list[str]) -> str:
    return "".join(source) if isinstance(source, list) else source


def _output_text(output: dict) -> str:
    parts = [_text(output.get("text", ""))]
    for key in ("text/plain", "text/markdown", "text/html"):
        parts.append(_text(output.get("data", {}).get(key, "")))
    return "\n".join(parts)


def notebook_problems(path: Path) -> list[str]:
    """Every way the notebook at ``path`` breaks the course's conventions."""
    name = path.name
    problems: list[str] = []
    by_name = {c.filename: c for c in course.CHAPTERS}
    if name not in by_name:
        expected = ", ".join(c.filename for c in course.CHAPTERS)
        problems.append(f"file name {name!r} is not in the course map (gan_helpers/course.py): {expected}")
    raw = path.read_bytes()
    if len(raw) > MAX_BYTES:
        problems.append(
            f"{len(raw) / 1e6:.1f} MB on disk; keep stored outputs under {MAX_BYTES / 1e6:.0f} MB"
        )
    try:
        nb = nbformat.reads(raw.decode("utf-8"), as_version=4)
        nbformat.validate(nb)
    except Exception as err:  # any parse or schema error is a problem to report, not to crash on
        return [*problems, f"not a valid notebook: {err}"]

    if nb.metadata.get("kernelspec", {}).get("name") != "python3":
        problems.append("kernelspec must be 'python3' (so it opens the same way in JupyterLab and Colab)")

    cells = nb.cells
    if not cells or cells[0].cell_type != "markdown":
        return [*problems, "the first cell must be Markdown: title, summary, Colab badge, time"]
    for index, heading in slides.buried_headings(json.loads(raw)["cells"]):
        problems.append(
            f"cell {index}: the heading {heading[:60]!r} is not at the top of its Markdown cell; start a new "
            "cell with it (slides start at cells)"
        )
    stale_slides = slides.mismatches(json.loads(raw))
    if stale_slides:
        problems.append(
            f"slide metadata of cells {stale_slides[:5]} differs from the course's slide plan: run "
            f"python scripts/slide_plan.py notebooks/{name}"
        )
    intro = _text(cells[0].source)
    if not intro.lstrip().startswith("# "):
        problems.append("the first cell must start with a '# ' title")
    badge = course.colab_badge_markdown(name)
    if badge not in intro:
        problems.append(f"the first cell must hold the Colab badge for this file: {badge}")
    for phrase in ("What you will learn", "CPU", "GPU"):
        if phrase not in intro:
            problems.append(f"the first cell must say {phrase!r} (what you learn, time on a CPU and a GPU)")

    code = [c for c in cells if c.cell_type == "code"]
    if not code:
        return [*problems, "the notebook has no code cells"]
    setup = _text(code[0].source)
    for needle in (
        '"google.colab" in sys.modules',
        course.pip_install_target(),
        "import gan_helpers as gh",
        "gh.setup(",
    ):
        if needle not in setup:
            problems.append(f"the first code cell (setup) must contain {needle!r}")

    tags = [set(c.metadata.get("tags", [])) for c in code]
    params = [i for i, t in enumerate(tags) if PARAMETERS_TAG in t]
    if len(params) != 1:
        problems.append(f"exactly one code cell must be tagged {PARAMETERS_TAG!r}; found {len(params)}")
    elif params[0] != 1:
        problems.append("the Parameters cell must be the code cell right after the setup cell")
    elif not _text(code[1].source).lstrip().startswith("# Parameters"):
        problems.append("the Parameters cell must start with a '# Parameters' comment")
    if not any(CHECK_TAG in t for t in tags):
        problems.append(f"no code cell is tagged {CHECK_TAG!r}: nothing this notebook computes is checked")

    executed = [c for c in code if _text(c.source).strip()]
    counts = [c.execution_count for c in executed]
    if counts != list(range(1, len(executed) + 1)):
        problems.append(
            f"execution counts are {counts}, not 1..{len(executed)}: "
            "refresh it with a full top-to-bottom run (see CONTRIBUTING.md)"
        )

    for i, cell in enumerate(code):
        for out in cell.get("outputs", []):
            where = f"code cell {i} (execution count {cell.execution_count})"
            if out.output_type == "error":
                problems.append(f"{where} stores an error: {out.get('ename')}: {out.get('evalue')}")
            text = _output_text(out)
            if out.get("name") == "stderr" and re.search(r"warning|traceback", text, re.IGNORECASE):
                first = text.strip().splitlines()[0][:120]
                problems.append(f"{where} stores a warning or traceback on stderr: {first}")
            found = MACHINE_DETAIL.search(text)
            if found:
                problems.append(f"{where} shows a machine path or memory address: {found.group(0)!r}")

    folder = path.parent
    for cell in cells:
        if cell.cell_type != "markdown":
            continue
        for target in RELATIVE_NOTEBOOK_LINK.findall(_text(cell.source)):
            if not (folder / target).exists():
                problems.append(f"a Markdown link points to {target!r}, which does not exist (yet)")

    chapter = by_name.get(name)
    if chapter is not None and chapter.number + 1 < len(course.CHAPTERS):
        nxt = course.CHAPTERS[chapter.number + 1].filename
        last_md = next((c for c in reversed(cells) if c.cell_type == "markdown"), None)
        if (folder / nxt).exists() and (last_md is None or f"]({nxt})" not in _text(last_md.source)):
            problems.append(f"the last Markdown cell must link to the next notebook, {nxt}")
    return problems


def load_json(path: Path) -> dict:
    """The notebook at ``path`` as plain JSON (for tests that build broken variants)."""
    return json.loads(path.read_text(encoding="utf-8"))
