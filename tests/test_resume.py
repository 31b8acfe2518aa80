"""Training that survives a kill: a run SIGKILLed after a checkpoint resumes from it and ends with
exactly the numbers of an uninterrupted run, and a kill inside a save leaves the previous checkpoint
loadable. The kills are real: the runs are separate processes (``tests/resume_job.py``)."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import keras
import numpy as np
import pytest
import tensorflow as tf
from keras import layers

import gan_helpers as gh
from gan_helpers.toolkit.checkpoints import GANCheckpoint
from gan_helpers.toolkit.training import GAN
from tests import resume_job

SEED = 3
CHECKPOINT_STEP = 60  # the kill comes after this checkpoint ...
PAUSE_AT = 61  # ... at the first report after it (step 65: five steps per execution)


def names_latest(directory: Path, name: str) -> bool:
    """Whether the ``checkpoint`` state file in ``directory`` names ``name`` as the latest checkpoint."""
    state = directory / "checkpoint"
    return state.is_file() and f'model_checkpoint_path: "{name}"' in state.read_text()


def wait_for(condition: Callable[[], bool], job: subprocess.Popen, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        if job.poll() is not None:
            _, err = job.communicate()
            raise AssertionError(f"the job ended ({job.returncode}) before it was killed:\n{err[-3000:]}")
        time.sleep(0.05)
    raise AssertionError(f"the job did not get there within {seconds} s")


def assert_same(expected: dict[str, np.ndarray], actual: dict[str, np.ndarray], names: list[str]) -> None:
    for name in names:
        assert expected[name].shape == actual[name].shape, name
        assert np.array_equal(expected[name], actual[name]), f"{name} differs"


def state_names(results: dict[str, np.ndarray]) -> list[str]:
    names = [n for n in results if n.split("/")[0] in ("g", "d", "g_opt", "d_opt")] + ["rng"]
    assert len(names) > 10  # both networks and both optimizers are in
    return names


# --- real processes, real kills -------------------------------------------------------------------------


def test_a_run_killed_after_a_checkpoint_resumes_to_the_uninterrupted_runs_numbers(tmp_path):
    run_dir, out = tmp_path / "killed", tmp_path / "killed.npz"
    # the uninterrupted run and the one to be killed side by side (two cores), then the resumed one
    uninterrupted = resume_job.launch(
        tmp_path / "uninterrupted", tmp_path / "uninterrupted.npz", "--seed", str(SEED)
    )
    try:
        job = resume_job.launch(run_dir, out, "--seed", str(SEED), "--pause-at", str(PAUSE_AT))
        try:
            paused = tmp_path / "killed.paused"
            wait_for(lambda: names_latest(run_dir, f"ckpt-{CHECKPOINT_STEP}") and paused.is_file(), job, 90)
            os.kill(job.pid, signal.SIGKILL)
            job.communicate(timeout=30)
        finally:
            resume_job.stop(job)
        reference = resume_job.finish(uninterrupted, tmp_path / "uninterrupted.npz")
    finally:
        resume_job.stop(uninterrupted)
    assert job.returncode == -signal.SIGKILL
    assert int(paused.read_text()) == CHECKPOINT_STEP + 5  # it had trained past its last checkpoint
    assert not out.exists()
    assert reference["start"] == 0 and int(reference["losses"][-1, 0]) == resume_job.TOTAL_STEPS

    resumed = resume_job.run_to_end(run_dir, out, "--seed", str(SEED))
    assert resumed["start"] == CHECKPOINT_STEP and bool(resumed["exact_resume"])
    # the end of training: weights, optimizer slots and step counters, the random generator's state
    assert_same(reference, resumed, state_names(reference))
    # the losses logged after the resume, and samples from fixed noise and from the generator's noise
    after = reference["losses"][reference["losses"][:, 0] > CHECKPOINT_STEP]
    assert len(after) == (resume_job.TOTAL_STEPS - CHECKPOINT_STEP) // resume_job.STEPS_PER_EXECUTION
    assert np.array_equal(after, resumed["losses"])
    assert_same(reference, resumed, ["samples", "fresh_samples"])


def test_a_kill_inside_a_save_leaves_the_previous_checkpoint_loadable(tmp_path):
    run_dir, out = tmp_path / "run", tmp_path / "run.npz"
    job = resume_job.launch(run_dir, out, "--seed", str(SEED), "--die-in-save-at", "40", "--dump-states")
    try:
        _, err = job.communicate(timeout=resume_job.TIMEOUT)
    finally:
        resume_job.stop(job)
    assert job.returncode == -signal.SIGKILL, err[-3000:]
    # it died at the worst moment: checkpoint 40's files are complete, the state file still names 20
    assert (run_dir / "ckpt-40.index").is_file() and list(run_dir.glob("ckpt-40.data-*"))
    assert names_latest(run_dir, "ckpt-20") and not out.exists()

    gan = resume_job.build_gan(SEED)  # freshly initialised: every number below comes from the checkpoint
    checkpoint = GANCheckpoint.from_gan(gan, run_dir)
    assert checkpoint.restore() == 20
    saved = resume_job.load(tmp_path / "state-20.npz")  # what the job held right after saving step 20
    assert_same(saved, resume_job.state_of(gan), state_names(saved))


# --- the pieces, in this process ------------------------------------------------------------------------


def tiny_gan(seed: int = 0) -> GAN:
    keras.utils.set_random_seed(seed)
    g = keras.Sequential(
        [keras.Input((4,)), layers.Dense(16, activation="sigmoid"), layers.Reshape((4, 4, 1))]
    )
    d = keras.Sequential([keras.Input((4, 4, 1)), layers.Flatten(), layers.Dense(1)])
    gan = GAN(g, d, d_output="logits", seed=seed)
    gan.compile()
    return gan


def tiny_dataset(seed: int = 0) -> tf.data.Dataset:
    images = np.random.default_rng(0).random((40, 4, 4, 1)).astype("float32")
    return gh.make_dataset(images, batch_size=8, seed=seed).repeat()


def test_the_random_generator_is_saved_and_restored(tmp_path):
    gan = tiny_gan()
    gan.fit(tiny_dataset(), epochs=1, steps_per_epoch=3, verbose=0)
    checkpoint = GANCheckpoint.from_gan(gan, tmp_path)
    checkpoint.save(3)
    saved_state = gan.rng.state.numpy().copy()
    next_noise = gan.sample_noise(5).numpy()

    other = tiny_gan(seed=1)  # another seed: another generator state until the restore
    assert not np.array_equal(other.rng.state.numpy(), saved_state)
    again = GANCheckpoint.from_gan(other, tmp_path)
    assert again.restore() == 3 and again.exact_resume
    assert np.array_equal(other.rng.state.numpy(), saved_state)
    assert np.array_equal(other.sample_noise(5).numpy(), next_noise)


def test_a_checkpoint_without_a_generator_state_loads_with_a_note(tmp_path):
    gan = tiny_gan()
    gan.fit(tiny_dataset(), epochs=1, steps_per_epoch=3, verbose=0)
    old = GANCheckpoint(gan.generator, gan.discriminator, gan.g_optimizer, gan.d_optimizer, tmp_path)
    assert not old.exact_resume
    old.save(3)  # as the course saved them before: no rng

    other = tiny_gan(seed=1)
    fresh_state = other.rng.state.numpy().copy()
    checkpoint = GANCheckpoint.from_gan(other, tmp_path)
    with pytest.warns(UserWarning, match=r"without the state of the GAN's random generator.*not repeat"):
        assert checkpoint.restore() == 3
    assert not checkpoint.exact_resume
    for a, b in zip(gan.generator.get_weights(), other.generator.get_weights(), strict=True):
        assert np.array_equal(a, b)
    assert np.array_equal(other.rng.state.numpy(), fresh_state)  # nothing to restore it from
    with pytest.raises(TypeError, match=r"rng=gan.rng"):
        GANCheckpoint(gan.generator, gan.discriminator, gan.g_optimizer, gan.d_optimizer, tmp_path, rng=7)


def test_a_save_at_the_latest_checkpoints_step_does_not_rewrite_its_files(tmp_path):
    gan = tiny_gan()
    checkpoint = GANCheckpoint.from_gan(gan, tmp_path)
    first = checkpoint.save(3)
    files = sorted(tmp_path.glob("ckpt-3.*"))
    before = [(p.stat().st_ino, p.stat().st_mtime_ns) for p in files]
    time.sleep(0.01)
    assert checkpoint.save(3) == first  # what CheckpointEveryEpoch does when training ends
    assert [(p.stat().st_ino, p.stat().st_mtime_ns) for p in files] == before
    assert checkpoint.save(4).endswith("ckpt-4") and len(checkpoint.manager.checkpoints) == 2


def test_a_checkpoint_whose_files_are_gone_is_explained(tmp_path):
    gan = tiny_gan()
    GANCheckpoint.from_gan(gan, tmp_path).save(2)
    for path in tmp_path.glob("ckpt-2.*"):
        path.unlink()
    with pytest.raises(ValueError, match=r"names ckpt-2 as the latest checkpoint, but its files are missing"):
        GANCheckpoint.from_gan(tiny_gan(), tmp_path).restore()


def test_skip_seen_batches_continues_the_data_where_it_stopped(tmp_path):
    gan = tiny_gan()
    gan.fit(tiny_dataset(seed=5), epochs=1, steps_per_epoch=7, verbose=0)  # 7 batches: past one pass of 5
    GANCheckpoint.from_gan(gan, tmp_path).save(7)
    expected = [batch.numpy() for batch in tiny_dataset(seed=5).take(10)][7:]

    other = tiny_gan()
    checkpoint = GANCheckpoint.from_gan(other, tmp_path)
    with pytest.raises(RuntimeError, match=r"restore\(\)"):
        checkpoint.skip_seen_batches(tiny_dataset(seed=5))
    assert checkpoint.restore() == 7 and checkpoint.batches_seen == 7
    rest = [batch.numpy() for batch in checkpoint.skip_seen_batches(tiny_dataset(seed=5)).take(3)]
    assert all(np.array_equal(a, b) for a, b in zip(expected, rest, strict=True))
    images = np.zeros((16, 4, 4, 1), "float32")
    with pytest.raises(ValueError, match=r"ends after 2 batches.*repeat"):
        checkpoint.skip_seen_batches(gh.make_dataset(images, batch_size=8, seed=5))
    with pytest.raises(TypeError, match=r"tf\.data\.Dataset"):
        checkpoint.skip_seen_batches(images)


def test_from_gan_needs_a_compiled_gan(tmp_path):
    keras.utils.set_random_seed(0)
    g = keras.Sequential(
        [keras.Input((4,)), layers.Dense(16, activation="sigmoid"), layers.Reshape((4, 4, 1))]
    )
    d = keras.Sequential([keras.Input((4, 4, 1)), layers.Flatten(), layers.Dense(1)])
    with pytest.raises(ValueError, match=r"gan.compile"):
        GANCheckpoint.from_gan(GAN(g, d, d_output="logits", seed=0), tmp_path)
    with pytest.raises(TypeError, match=r"gan_helpers GAN"):
        GANCheckpoint.from_gan(g, tmp_path)
