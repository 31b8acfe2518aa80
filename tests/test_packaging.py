"""gan_helpers installs in Colab without touching Colab's TensorFlow or pulling in JupyterLab."""

from __future__ import annotations

import re
from pathlib import Path

import tomllib

ROOT = Path(__file__).parents[1]


def requirement_names(lines: list[str]) -> set[str]:
    return {re.split(r"[<>=!~\[; @]", line.strip(), maxsplit=1)[0].lower() for line in lines if line.strip()}


def test_package_dependencies_leave_tensorflow_and_jupyterlab_to_the_environment():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    names = requirement_names(project["dependencies"])
    assert not names & {"tensorflow", "tensorflow-cpu", "keras", "jupyterlab", "notebook"}
    assert {"numpy", "matplotlib", "ipywidgets", "mlxtend"} <= names
    # Colab ships ipywidgets 7.7: the package must accept it
    assert "ipywidgets>=7.7" in project["dependencies"]
    assert project["requires-python"] == ">=3.10"


def test_requirements_pin_the_course_stack_and_install_the_package():
    lines = [
        line.split("#")[0].strip()
        for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()
        if line.split("#")[0].strip()
    ]
    assert "-e ." in lines
    pinned = {line.split("==")[0].lower() for line in lines if "==" in line}
    assert {"tensorflow", "keras", "jupyterlab", "ipywidgets", "nbval", "pytest", "mlxtend"} <= pinned


def test_environment_yml_wraps_requirements_instead_of_repeating_them():
    text = (ROOT / "environment.yml").read_text(encoding="utf-8")
    assert "-r requirements.txt" in text
    assert "tensorflow" not in text.lower()


def test_ci_runs_exactly_the_readme_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "python -m pytest" in readme
    assert ci.strip().splitlines()[-1] == "python -m pytest"
    assert "pip install -r requirements.txt" in ci and "set -euo pipefail" in ci
