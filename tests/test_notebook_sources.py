"""A notebook that shows a helper's source (``gh.show_source(...)``) must show the code that runs today.

Each stored output of a ``show_source`` cell is compared with what
``gan_helpers.teaching.source.source_markdown`` produces now for the same objects. The names in the call
are resolved by attribute lookup: ``gh.training.GAN.train_step`` on the ``gan_helpers`` package, and a name
the notebook imported (``from gan_helpers.toolkit.training import GAN``, then ``GAN.train_step``) through the
module it was imported from. A failure means the helper changed after the notebook was last refreshed:
refresh that notebook.
"""

from __future__ import annotations

import ast
import difflib
import importlib
import json
from pathlib import Path

import pytest

from gan_helpers.teaching.source import source_markdown

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
SHOW_SOURCE = {"show_source"}  # gh.show_source, gh.source.show_source, or show_source imported by name


def _text(source: str | list[str]) -> str:
    return "".join(source) if isinstance(source, list) else source


def _parse(code: str) -> ast.Module | None:
    """The cell's code as Python, magics and shell lines blanked; ``None`` if it does not parse."""
    lines = ["" if line.lstrip().startswith(("%", "!")) else line for line in code.splitlines()]
    try:
        return ast.parse("\n".join(lines))
    except SyntaxError:
        return None


def _dotted(node: ast.expr) -> list[str] | None:
    """``gh.training.GAN.train_step`` as ``["gh", "training", "GAN", "train_step"]``; ``None`` otherwise."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    return [node.id, *reversed(parts)]


def _imports(cells: list[dict]) -> dict[str, tuple[str, str | None]]:
    """Names bound by the notebook's imports from gan_helpers: name -> (module, attribute or None)."""
    bound: dict[str, tuple[str, str | None]] = {}
    for cell in cells:
        tree = _parse(_text(cell["source"])) if cell["cell_type"] == "code" else None
        for node in ast.walk(tree) if tree else ():
            if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "gan_helpers":
                for alias in node.names:
                    bound[alias.asname or alias.name] = (node.module, alias.name)  # type: ignore[assignment]
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name.split(".")[0] == "gan_helpers":
                        if alias.asname:
                            bound[alias.asname] = (alias.name, None)
                        else:
                            bound["gan_helpers"] = ("gan_helpers", None)
    bound.setdefault("gh", ("gan_helpers", None))
    return bound


def resolve(parts: list[str], bound: dict[str, tuple[str, str | None]]) -> object:
    """The object that ``parts`` (a dotted name from a notebook) names, looked up as the notebook would."""
    head, *rest = parts
    if head not in bound:
        raise LookupError(
            f"{'.'.join(parts)}: {head!r} is not gan_helpers nor imported from it in the notebook"
        )
    module_name, attribute = bound[head]
    obj: object = importlib.import_module(module_name)
    if attribute is not None:
        obj = (
            getattr(obj, attribute)
            if hasattr(obj, attribute)
            else importlib.import_module(f"{module_name}.{attribute}")
        )
    for name in rest:
        obj = getattr(obj, name)
    return obj


def _show_source_calls(tree: ast.Module) -> list[ast.Call]:
    calls = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = _dotted(node.func)
            if name and name[-1] in SHOW_SOURCE:
                calls.append(node)
    return calls


def show_source_cells() -> list[tuple[str, int, int | None, list[list[str]], dict, list[dict]]]:
    """(notebook name, cell index, execution count, dotted names shown, imports, stored outputs) for every
    code cell that calls show_source."""
    found = []
    for path in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        for index, cell in enumerate(cells):
            if cell["cell_type"] != "code" or "show_source" not in _text(cell["source"]):
                continue
            tree = _parse(_text(cell["source"]))
            calls = _show_source_calls(tree) if tree else []
            if not calls:
                continue
            names = [_dotted(arg) for call in calls for arg in call.args]
            bound = _imports(cells[: index + 1])
            found.append(
                (path.name, index, cell.get("execution_count"), names, bound, cell.get("outputs", []))
            )
    return found


CELLS = show_source_cells()
IDS = [f"{name}-cell{index}" for name, index, *_ in CELLS]


def _shown_markdown(outputs: list[dict]) -> list[str]:
    return [_text(out["data"]["text/markdown"]) for out in outputs if "text/markdown" in out.get("data", {})]


def test_the_show_source_cells_are_found():
    """Guards the parser: the course shows sources in notebooks 02, 03, 04, 06 and 07."""
    notebooks = {name[:2] for name, *_ in CELLS}
    assert {"02", "04", "07"} <= notebooks, notebooks
    assert all(names and all(names) for _, _, _, names, _, _ in CELLS), "show_source takes plain dotted names"


@pytest.mark.parametrize(("notebook", "index", "count", "names", "bound", "outputs"), CELLS, ids=IDS)
def test_every_shown_name_resolves(notebook, index, count, names, bound, outputs):
    for parts in names:
        try:
            obj = resolve(parts, bound)
        except (LookupError, AttributeError, ImportError) as err:
            pytest.fail(
                f"{notebook}, cell {index}: gh.show_source names {'.'.join(parts)}, which is gone: {err}"
            )
        assert callable(obj) or isinstance(obj, type), (
            f"{notebook}, cell {index}: {'.'.join(parts)} is {obj!r}"
        )


@pytest.mark.parametrize(("notebook", "index", "count", "names", "bound", "outputs"), CELLS, ids=IDS)
def test_stored_source_matches_todays_code(notebook, index, count, names, bound, outputs):
    shown = ", ".join(".".join(parts) for parts in names)
    refresh = f"refresh with python scripts/refresh_notebooks.py notebooks/{notebook}"
    where = f"{notebook}, cell {index} (execution count {count}), gh.show_source({shown})"
    try:
        expected = source_markdown(*(resolve(parts, bound) for parts in names))
    except (LookupError, AttributeError, ImportError) as err:
        pytest.fail(f"{where}: a shown name does not resolve ({err}); fix the cell, then {refresh}")
    stored = _shown_markdown(outputs)
    if not stored:
        pytest.fail(f"{where} has no stored output: {refresh}")
    if stored != [expected]:
        diff = "\n".join(
            list(
                difflib.unified_diff(
                    stored[0].splitlines(),
                    expected.splitlines(),
                    "stored in the notebook",
                    "the code today",
                    lineterm="",
                )
            )[:40]
        )
        pytest.fail(
            f"{where} shows a stale source: the stored output is not what source_markdown produces for "
            f"today's code, so the notebook shows code that no longer runs; {refresh}\n{diff}",
            pytrace=False,
        )


def test_names_resolve_through_the_module_the_notebook_imports_from():
    from gan_helpers.toolkit import augment, training

    cells = [
        {
            "cell_type": "code",
            "source": "%pip install x\nfrom gan_helpers.toolkit.training import GAN as Trainer",
        },
        {"cell_type": "code", "source": "import gan_helpers.toolkit.augment as aug"},
    ]
    bound = _imports(cells)
    assert resolve(["Trainer", "train_step"], bound) is training.GAN.train_step
    assert resolve(["aug", "RandomShift", "__call__"], bound) is augment.RandomShift.__call__
    assert resolve(["gh", "training", "GAN", "train_step"], bound) is training.GAN.train_step
    with pytest.raises(LookupError, match="not gan_helpers nor imported"):
        resolve(["np", "mean"], bound)
