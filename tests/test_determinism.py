"""Determinism on a CPU: two separate processes that train with the same seed produce the same losses,
weights and samples, bit for bit (what is and is not deterministic on GPUs: the notes at the top of
``gan_helpers/toolkit/checkpoints.py``)."""

from __future__ import annotations

import numpy as np

from tests import resume_job


def test_two_processes_with_the_same_seed_train_the_same_gan_bit_for_bit(tmp_path):
    # The two processes run side by side; the second trains another seed first, so the test also shows
    # that a run's numbers depend on its seed only, not on what its process did before.
    jobs = [
        resume_job.launch(tmp_path / "a", tmp_path / "a.npz", "--seeds", "3"),
        resume_job.launch(tmp_path / "b", tmp_path / "b.npz", "--seeds", "5,3"),
    ]
    try:
        first, second = (
            resume_job.finish(job, tmp_path / f"{name}.npz") for job, name in zip(jobs, "ab", strict=True)
        )
    finally:
        for job in jobs:
            resume_job.stop(job)
    names = sorted(name for name in first if name.startswith("3/"))
    assert {"3/losses", "3/samples", "3/fresh_samples", "3/rng", "3/g/0", "3/d_opt/0"} <= set(names)
    for name in names:
        assert np.array_equal(first[name], second[name]), f"{name} differs between the two processes"
    losses = first["3/losses"]
    assert losses.shape == (resume_job.TOTAL_STEPS // resume_job.STEPS_PER_EXECUTION, 5)
    assert np.isfinite(losses).all() and len(np.unique(losses[:, 1])) > 1  # it trained
    # and the seed matters, so the comparison above could fail
    for name in ("losses", "samples", "fresh_samples", "g/0"):
        assert not np.array_equal(second[f"3/{name}"], second[f"5/{name}"]), name
