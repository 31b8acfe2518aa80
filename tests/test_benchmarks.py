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
    assert {p.name for p in BENCHMARKS} >= {
        "train_speed.py",
        "dcgan_speed.py",
        "quality.py",
        "applications.py",
    }


def test_the_applications_benchmark_runs_with_tiny_budgets(tmp_path):
    """Chapter 11's benchmark end to end: a stand-in DCGAN of 2 steps, one digit per class, 2 search steps,
    2 translator steps; every figure it promises is printed."""
    script = Path(__file__).resolve().parents[1] / "benchmarks" / "applications.py"
    result = subprocess.run(
        [
            sys.executable,
            str(script),
            "--dcgan",
            str(tmp_path / "missing.keras"),
            "--dcgan-steps",
            "2",
            "--per-class",
            "1",
            "--restarts",
            "1",
            "--steps",
            "2",
            "--translation-steps",
            "2",
            "--extra-l1-weights",
            "--test-digits",
            "20",
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    out = result.stdout
    for kind in ("top_half", "bottom_half", "left_half", "random", "centre_square"):
        assert f"inpainting mask={kind}: agreement damaged=" in out and "search=" in out
    assert "a 2-step stand-in DCGAN" in out
    for name in ("translation input:", "translation L1:", "translation L1x10 + GAN:"):
        assert name in out
    assert "sharpness=" in out and "accuracy=" in out and "confidence=" in out
