"""The suite's nbval settings catch a changed checked value, and only that.

Each case runs ``python -m pytest`` with this repository's configuration on a tiny notebook, the way
the real suite runs the course notebooks.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output

ROOT = Path(__file__).parents[1]


def run_nbval(tmp_path: Path, stored_stdout: str, stored_stderr: str = "", checked: bool = True) -> int:
    """Store a one-cell notebook with these outputs, run the suite's nbval on it, return the exit code."""
    code = "import os, sys\nprint(6 * 7, os.environ['GAN_COURSE_FAST'])\nprint('log noise', file=sys.stderr)"
    outputs = [new_output("stream", name="stdout", text=stored_stdout)]
    if stored_stderr:
        outputs.append(new_output("stream", name="stderr", text=stored_stderr))
    tags = ["nbval-check-output"] if checked else []
    nb = new_notebook(
        cells=[new_code_cell(code, execution_count=1, outputs=outputs, metadata={"tags": tags})]
    )
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = tmp_path / "probe.ipynb"
    nbformat.write(nb, path)
    # The probe lives outside the repository, so load the root conftest.py explicitly (-p conftest),
    # and start without GAN_COURSE_FAST so that the conftest must be what sets it for the kernel.
    cmd = [sys.executable, "-m", "pytest", "-c", str(ROOT / "pyproject.toml"), "--rootdir", str(ROOT)]
    cmd += ["-p", "conftest", "-q", "-n", "0", str(path)]  # -n 0: one process, no xdist workers
    env = {k: v for k, v in os.environ.items() if k != "GAN_COURSE_FAST"}
    return subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300).returncode


@pytest.mark.parametrize(
    ("stdout", "stderr", "checked", "expected"),
    [
        pytest.param(
            "42 1\n",
            "other noise\n",
            True,
            0,
            id="same value passes, stderr ignored, fast mode reaches kernel",
        ),
        pytest.param("43 1\n", "", True, 1, id="changed checked value fails"),
        pytest.param("43 1\n", "", False, 0, id="unchecked cell only has to run"),
    ],
)
def test_checked_cells_are_compared_and_others_only_run(tmp_path, stdout, stderr, checked, expected):
    assert run_nbval(tmp_path, stdout, stderr, checked) == expected
