"""Every notebook's setup cell, run as Colab would run it: a stand-in ``google.colab`` module, ``pip``
replaced by a recorder, and ``gan_helpers`` not installed yet (``importlib.util.find_spec`` says so).

Checked: the exact install command (this repository's address from ``gh.course``, quiet, with the Python
of the kernel, nothing upgraded: TensorFlow, Keras and ipywidgets are not dependencies of gan-helpers); that
nothing is installed outside Colab or when gan_helpers is already there; that a failed install stops with
one clear line (not a traceback) that names the repository and pip's reason; and that the GPU (or how to
get one) is printed.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import json
import re
import subprocess
import sys
import types
from pathlib import Path

import pytest
from IPython.core.interactiveshell import InteractiveShell

import gan_helpers as gh
from gan_helpers import course, environment, settings

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def setup_cell(path: Path) -> str:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return "".join(next(c for c in cells if c["cell_type"] == "code")["source"])


class Pip:
    """Stands in for ``subprocess.run``: records each command and answers with ``returncode``/``stderr``."""

    def __init__(self, returncode: int = 0, stderr: str = "") -> None:
        self.commands: list[list[str]] = []
        self.returncode, self.stderr = returncode, stderr

    def __call__(self, command, **kwargs):
        self.commands.append(list(command))
        assert kwargs == {"capture_output": True, "text": True}
        return subprocess.CompletedProcess(command, self.returncode, stdout="", stderr=self.stderr)


@pytest.fixture
def colab(monkeypatch):
    """A Colab-like session: ``google.colab`` importable, gan_helpers "not installed", pip recorded."""
    google = types.ModuleType("google")
    google.colab = types.ModuleType("google.colab")
    monkeypatch.setitem(sys.modules, "google", google)
    monkeypatch.setitem(sys.modules, "google.colab", google.colab)
    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *args: None if name == "gan_helpers" else real_find_spec(name, *args),
    )
    pip = Pip()
    monkeypatch.setattr(subprocess, "run", pip)
    return pip


def test_every_notebook_has_the_same_setup_cell():
    cells = {path.name: setup_cell(path) for path in NOTEBOOKS}
    assert len(set(cells.values())) == 1, "the setup cells differ: " + ", ".join(cells)


@pytest.mark.parametrize("path", NOTEBOOKS[:1], ids=lambda p: p.name)  # the cells are identical (above)
def test_in_colab_the_cell_installs_from_this_repository_and_reports_the_device(path, colab, capsys):
    exec(compile(setup_cell(path), path.name, "exec"), {})
    target = course.pip_install_target()
    assert colab.commands == [[sys.executable, "-m", "pip", "install", "-q", target]]
    assert target == f"gan-helpers @ git+https://github.com/{course.REPOSITORY}.git@main"
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("TensorFlow ") and "| Colab |" in lines[0]
    device = environment.device_description()
    assert f"| {device} |" in lines[0]  # the GPU's name on a GPU runtime
    if device.startswith("CPU"):
        assert lines[1] == settings.COLAB_GPU_HINT


def test_the_install_keeps_colabs_tensorflow_keras_and_ipywidgets():
    # pip leaves installed packages alone unless a requirement forces a change: gan-helpers must not name
    # TensorFlow or Keras at all, and must accept Colab's ipywidgets 7.7.
    requires = importlib.metadata.requires("gan-helpers")  # what pip reads when it installs gan-helpers
    names = {re.split(r"[<>=!~ ;\[]", dep, maxsplit=1)[0].lower() for dep in requires}
    assert not names & {"tensorflow", "tensorflow-cpu", "keras", "tf-keras"}
    ipywidgets = next(dep for dep in requires if dep.startswith("ipywidgets"))
    assert ipywidgets.replace(" ", "") in {"ipywidgets>=7.7", "ipywidgets>=7.7.0"}


def test_nothing_is_installed_outside_colab_or_when_already_installed(colab):
    cell = setup_cell(NOTEBOOKS[0])
    sys.modules.pop("google.colab")
    exec(compile(cell, "setup", "exec"), {})
    assert colab.commands == []
    sys.modules["google.colab"] = types.ModuleType("google.colab")
    importlib.util.find_spec = lambda name, *args: object()  # gan_helpers found: installed earlier
    exec(compile(cell, "setup", "exec"), {})
    assert colab.commands == []


def test_a_failed_install_stops_with_one_clear_line_not_a_traceback(colab, capsys):
    colab.returncode = 1
    colab.stderr = (
        "  error: subprocess-exited-with-error\n"
        "ERROR: Could not clone https://github.com/gan-course/gan-course.git: Could not resolve host\n"
    )
    shell = InteractiveShell.instance()
    try:
        result = shell.run_cell(setup_cell(NOTEBOOKS[0]))
    finally:
        InteractiveShell.clear_instance()
    error = result.error_in_exec
    assert type(error).__name__ == "SetupError"
    shown = error._render_traceback_()
    assert len(shown) == 1
    message = shown[0]
    assert message.startswith("SetupError: could not install gan_helpers from git+https://github.com/")
    assert "Could not resolve host" in message and "Colab session is online" in message
    assert "run this cell again" in message
    assert "Traceback" not in capsys.readouterr().out  # IPython showed the message, not the frames
    assert "gh" not in shell.user_ns  # stopped before importing the helpers


def test_the_gpu_hint_only_appears_in_colab_without_a_gpu(monkeypatch, capsys):
    monkeypatch.setattr(environment, "in_colab", lambda: False)
    gh.setup(seed=1)
    assert settings.COLAB_GPU_HINT not in capsys.readouterr().out
    monkeypatch.setattr(environment, "in_colab", lambda: True)
    monkeypatch.setattr(environment, "device_description", lambda: "GPU: Tesla T4")
    gh.setup(seed=1)
    out = capsys.readouterr().out
    assert "GPU: Tesla T4 | Colab" in out and settings.COLAB_GPU_HINT not in out
