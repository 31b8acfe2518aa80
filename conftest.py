"""Test-suite settings shared by the unit tests and the notebook runs (nbval).

Everything set in ``os.environ`` here reaches the notebook kernels that nbval starts.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile

# Notebooks run in fast mode under the tests: same code paths, tiny budgets.
os.environ["GAN_COURSE_FAST"] = "1"
# TensorFlow's native log lines are stderr noise; the course needs the TensorFlow backend.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ["KERAS_BACKEND"] = "tensorflow"
# Kernels must keep Jupyter's inline matplotlib backend (an exported Agg would hide figures).
os.environ.pop("MPLBACKEND", None)
# Hermetic runs: artifacts (saved models, checkpoints) go to a fresh folder for this test session, so a run
# never resumes from an earlier run's checkpoints nor reads or overwrites a learner's artifacts/. nbval's
# kernels inherit it; the folder is removed when the session ends. pytest-xdist's workers inherit the
# folder of the process that started them (which removes it), so a notebook finds what an earlier chapter
# saved whichever worker ran that chapter; when it has not run yet, the notebook trains its stand-in.
if "PYTEST_XDIST_WORKER" in os.environ and "GAN_COURSE_ARTIFACTS" in os.environ:
    _ARTIFACTS = os.environ["GAN_COURSE_ARTIFACTS"]
else:
    _ARTIFACTS = tempfile.mkdtemp(prefix="gan-course-test-artifacts-")
    os.environ["GAN_COURSE_ARTIFACTS"] = _ARTIFACTS
    atexit.register(shutil.rmtree, _ARTIFACTS, ignore_errors=True)


def pytest_collectstart(collector) -> None:
    """Compare only what a notebook prints on purpose: never stderr (TensorFlow's logs land there)."""
    if collector.__class__.__name__ == "IPyNbFile":
        collector.skip_compare += ("stderr",)
