"""Colab detection, the one-line summary and the environment report."""

from __future__ import annotations

import sys

from gan_helpers import environment
from gan_helpers.toolkit.environment import EnvironmentSummary


def test_colab_is_detected_from_its_environment_variable(monkeypatch):
    monkeypatch.delitem(sys.modules, "google.colab", raising=False)
    monkeypatch.delenv("COLAB_RELEASE_TAG", raising=False)
    assert not environment.in_colab()
    monkeypatch.setenv("COLAB_RELEASE_TAG", "release-colab-20261101")
    assert environment.in_colab()


def test_summary_line_reads_well():
    s = EnvironmentSummary("2.20.0", "3.13.0", "GPU: Tesla T4", colab=True, fast_mode=False, seed=42)
    assert str(s) == "TensorFlow 2.20.0 | Keras 3.13.0 | GPU: Tesla T4 | Colab | fast mode off | seed 42"
    s = EnvironmentSummary("2.21.0", "3.15.1", "CPU (2 cores)", colab=False, fast_mode=True, seed=None)
    assert str(s) == "TensorFlow 2.21.0 | Keras 3.15.1 | CPU (2 cores) | local | fast mode on"


def test_device_is_the_cpu_here_and_names_its_cores(monkeypatch):
    monkeypatch.setattr(environment, "gpu_names", lambda: [])
    assert environment.device_description().startswith("CPU (")
    monkeypatch.setattr(environment, "gpu_names", lambda: ["Tesla T4", "Tesla T4"])
    assert environment.device_description() == "GPU: Tesla T4 (+1 more)"


def test_report_lists_the_versions_that_matter():
    rows = dict(environment.environment_report())
    for key in ("Python", "Device", "Keras backend", "tensorflow", "keras", "numpy", "mlxtend"):
        assert key in rows
    assert rows["Keras backend"] == "tensorflow"
    assert rows["mlxtend"] != "not installed"
    assert environment.package_version("surely-not-a-package-xyz") == "not installed"


def test_report_is_aligned_text():
    text = environment.format_report([("a", "1"), ("longer", "2")])
    assert text.splitlines() == ["a       1", "longer  2"]
