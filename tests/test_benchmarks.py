"""The benchmark scripts stay runnable: each one starts and explains itself with --help."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

BENCHMARKS = sorted((Path(__file__).resolve().parents[1] / "benchmarks").glob("*.py"))


@pytest.mark.parametrize("script", BENCHMARKS, ids=lambda p: p.name)
def test_benchmark_scripts_start_and_describe_themselves(script):
    result = subprocess.run(
        [sys.executable, str(script), "--help"], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "usage:" in result.stdout and "python benchmarks/" in result.stdout


def test_there_are_the_three_benchmarks():
    assert {p.name for p in BENCHMARKS} >= {"train_speed.py", "dcgan_speed.py", "quality.py"}
