"""The package's layout says what is what: the reusable toolkit never depends on the course's teaching aids,
and every module stays reachable as ``gh.<module>``."""

from __future__ import annotations

import ast
import pkgutil
from pathlib import Path

import gan_helpers as gh
from gan_helpers import teaching, toolkit

PACKAGE = Path(gh.__file__).parent


def imported_modules(path: Path) -> set[str]:
    """Every module a source file imports, relative imports resolved to ``gan_helpers.<...>`` names."""
    package = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts[:-1])
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            names.add(module)
            names.update(f"{module}.{alias.name}" for alias in node.names)
    return names


def test_the_toolkit_never_imports_the_teaching_aids():
    offenders = {
        path.name: sorted(m for m in imported_modules(path) if m.startswith("gan_helpers.teaching"))
        for path in (PACKAGE / "toolkit").glob("*.py")
    }
    assert {name: mods for name, mods in offenders.items() if mods} == {}


def test_every_module_is_reachable_as_gh_dot_its_name():
    for package in (toolkit, teaching):
        for info in pkgutil.iter_modules(package.__path__):
            attribute = getattr(gh, info.name, None)
            assert attribute is not None, f"gh.{info.name} is missing: import it in gan_helpers/__init__.py"
            if info.name != "progress":  # gh.progress is the progress-bar function of toolkit.progress
                assert attribute.__name__ == f"{package.__name__}.{info.name}"


def test_no_flat_modules_left_beside_the_two_groups():
    flat = sorted(p.name for p in PACKAGE.glob("*.py") if p.name != "__init__.py")
    assert flat == [], f"put {flat} in gan_helpers/toolkit/ or gan_helpers/teaching/"
