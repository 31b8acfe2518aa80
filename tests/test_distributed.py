"""The trainer under ``tf.distribute``: one code path, the global batch split across replicas, losses
scaled by each replica's share, the same random draws as one device.

``tests/distributed_job.py`` runs in a process of its own (TensorFlow's CPU must be split into two logical
devices before it starts): each case trains the same small GAN for 5 global batches on one device and
under ``MirroredStrategy`` over two logical CPUs. Same seeds and same global batches must give the same
weights and the same logged losses within ``TOLERANCE``, well below what a training step moves them. Two
deliberately broken trainers (each replica's loss unscaled; each replica drawing its own noise) must fail
the same comparison, so the test can tell a wrong trainer from a right one.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

JOB = Path(__file__).with_name("distributed_job.py")
CASES = ("logits", "alternating", "wgan_gp", "conditional")  # see distributed_job.py
BROKEN = ("broken_unscaled", "broken_streams")
# Float32 sums in another order differ by a few units in the last place; one SGD step moves the weights
# by about 0.05-0.2 here.
TOLERANCE = 1e-5


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, object]]:
    out = tmp_path_factory.mktemp("distributed") / "results.json"
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", "CUDA_VISIBLE_DEVICES": ""}
    done = subprocess.run(
        [sys.executable, str(JOB), str(out), *CASES, *BROKEN],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(out.read_text())


@pytest.mark.parametrize("case", CASES)
def test_two_replicas_train_as_one_device(results: dict[str, dict[str, object]], case: str) -> None:
    result = results[case]
    assert result["replicas"] == 2
    # Training moved the weights by far more than the tolerance, so equality means something.
    assert result["max_weight_change"] > 100 * TOLERANCE
    assert result["max_weight_difference"] < TOLERANCE, (
        f"{case}: the weights after 5 steps on two replicas differ from one device's by "
        f"{result['max_weight_difference']:.2e}"
    )
    one, two = result["one_device"], result["two_replicas"]
    assert one.keys() == two.keys()
    for name in one:
        assert two[name] == pytest.approx(one[name], rel=TOLERANCE, abs=TOLERANCE), name


def test_the_logged_metrics_include_each_kind(results: dict[str, dict[str, object]]) -> None:
    """The cases cover the gradient norms (summed over replicas), the penalty and the conditional GAN."""
    assert {"d_grad_norm", "g_grad_norm"} <= set(results["logits"]["one_device"])
    assert "gradient_penalty" in results["wgan_gp"]["one_device"]
    assert {"d_loss", "g_loss", "d_real", "d_fake"} <= set(results["conditional"]["two_replicas"])


@pytest.mark.parametrize("case", BROKEN)
def test_a_broken_trainer_fails_the_comparison(results: dict[str, dict[str, object]], case: str) -> None:
    assert results[case]["max_weight_difference"] > 1000 * TOLERANCE
