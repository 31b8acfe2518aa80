"""A small GAN training run in its own process, for the resume, kill and determinism tests.

Run as a script it trains notebook 04's way, scaled down: a tiny dense GAN on random 4x4 images, XLA,
several steps per execution, a checkpoint every epoch, resuming from the latest checkpoint in ``--dir``
if there is one (and skipping the batches already trained on). At the end it writes what the tests
compare to ``--out`` (a ``.npz``): every weight, both optimizers' variables, the random generator's state,
the logged losses and samples::

    python tests/resume_job.py --dir DIR --out OUT.npz [--seed 3]
        [--pause-at STEP]        # stop at the first report at or after STEP and wait to be killed
        [--die-in-save-at STEP]  # SIGKILL itself inside the save of checkpoint STEP, after its files
                                 # are written and before the ``checkpoint`` file names it
        [--dump-states]          # also write state-<step>.npz beside OUT after every epoch's checkpoint
        [--seeds 5,3]            # run several seeds one after another in this process (fresh folders
                                 # under --dir); OUT then holds each one's results under "<seed>/<name>"

The tests start it with :func:`launch` (then :func:`finish`, or a kill and :func:`stop`) or
:func:`run_to_end`.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
TOTAL_STEPS = 120
STEPS_PER_EPOCH = 20
STEPS_PER_EXECUTION = 5
BATCH_SIZE = 16
LATENT = 8
#: Seconds any job may take before the tests give up on it (they take a few).
TIMEOUT = 120.0


def training_images() -> np.ndarray:
    """The data: 200 random 4x4 images ``(200, 4, 4, 1)`` in [0, 1], the same in every run (12 batches
    of 16 per pass, the last 8 images dropped, so passes and epochs do not line up)."""
    return np.random.default_rng(0).random((200, 4, 4, 1)).astype("float32")


def build_gan(seed: int):  # -> gan_helpers.toolkit.training.GAN
    """A compiled tiny GAN whose weights, noise and data order all follow ``seed``."""
    import keras
    from keras import layers

    from gan_helpers.toolkit.training import GAN

    keras.utils.set_random_seed(seed)
    generator = keras.Sequential(
        [
            keras.Input((LATENT,)),
            layers.Dense(32, activation="relu"),
            layers.Dense(16, activation="sigmoid"),
            layers.Reshape((4, 4, 1)),
        ]
    )
    discriminator = keras.Sequential(
        [keras.Input((4, 4, 1)), layers.Flatten(), layers.Dense(32, activation="relu"), layers.Dense(1)]
    )
    gan = GAN(generator, discriminator, d_output="logits", seed=seed)
    gan.compile(
        d_optimizer=keras.optimizers.Adam(1e-3, beta_1=0.5),
        g_optimizer=keras.optimizers.Adam(1e-3, beta_1=0.5),
        jit_compile=True,
        steps_per_execution=STEPS_PER_EXECUTION,
    )
    return gan


def state_of(gan) -> dict[str, np.ndarray]:
    """Everything training depends on, by name: weights, optimizer variables, random generator state."""
    state = {}
    for prefix, variables in (
        ("g", gan.generator.weights),
        ("d", gan.discriminator.weights),
        ("g_opt", gan.g_optimizer.variables),
        ("d_opt", gan.d_optimizer.variables),
    ):
        for i, variable in enumerate(variables):
            state[f"{prefix}/{i}"] = np.array(variable.numpy())
    state["rng"] = np.array(gan.rng.state.numpy())
    return state


def _save_npz(path: Path, arrays: dict[str, np.ndarray]) -> None:
    tmp = path.with_name(f".{path.name}.tmp.npz")
    np.savez(tmp, **arrays)
    os.replace(tmp, path)


def _die_inside_save_of(step: int) -> None:
    """Make this process SIGKILL itself when TensorFlow is about to name checkpoint ``step`` the latest:
    its data and index files are written, the ``checkpoint`` state file still names the previous one."""
    from tensorflow.python.checkpoint import checkpoint_management

    original = checkpoint_management.update_checkpoint_state_internal

    def update_or_die(*args: object, **kwargs: object) -> object:
        path = kwargs.get("model_checkpoint_path", args[1] if len(args) > 1 else "")
        if Path(str(path)).name == f"ckpt-{step}":
            os.kill(os.getpid(), signal.SIGKILL)
        return original(*args, **kwargs)

    checkpoint_management.update_checkpoint_state_internal = update_or_die


def train(directory: Path, seed: int, out: Path, pause_at: int | None = None, dump_states: bool = False):
    """One run, notebook 04's way: restore (or start), skip the seen batches, fit what is left."""
    import keras

    import gan_helpers as gh
    from gan_helpers.toolkit.callbacks import CheckpointEveryEpoch
    from gan_helpers.toolkit.checkpoints import GANCheckpoint

    gan = build_gan(seed)
    checkpoint = GANCheckpoint.from_gan(gan, directory, max_to_keep=10)
    start = checkpoint.restore()
    dataset = gh.make_dataset(training_images(), batch_size=BATCH_SIZE, seed=seed).repeat()
    dataset = checkpoint.skip_seen_batches(dataset)
    losses: list[list[float]] = []

    class Record(keras.callbacks.Callback):
        def on_train_batch_end(self, batch: int, logs: dict | None = None) -> None:
            logs = logs or {}
            step = int(self.model.g_optimizer.iterations.numpy())
            losses.append([step] + [float(logs[k]) for k in ("d_loss", "g_loss", "d_real", "d_fake")])
            if pause_at is not None and step >= pause_at:
                # Trained past the last checkpoint: wait here for the test's SIGKILL.
                marker = out.parent / f"{out.stem}.paused"
                marker.with_suffix(".tmp").write_text(str(step))
                os.replace(marker.with_suffix(".tmp"), marker)  # the test sees it whole or not at all
                time.sleep(TIMEOUT)
                os._exit(3)  # nobody killed us: the test fails on this exit code

        def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
            if dump_states:  # after CheckpointEveryEpoch (earlier in the list) saved this step
                step = int(self.model.g_optimizer.iterations.numpy())
                _save_npz(out.parent / f"state-{step}.npz", state_of(self.model))

    epochs = checkpoint.remaining_epochs(TOTAL_STEPS, STEPS_PER_EPOCH)
    if epochs:
        gan.fit(
            dataset,
            epochs=epochs,
            steps_per_epoch=STEPS_PER_EPOCH,
            callbacks=[CheckpointEveryEpoch(checkpoint), Record()],
            verbose=0,
        )
    results = state_of(gan)
    results["start"] = np.array(start)
    results["exact_resume"] = np.array(checkpoint.exact_resume)
    results["losses"] = np.array(losses, dtype="float64").reshape(-1, 5)
    z = np.random.default_rng(1).standard_normal((6, LATENT)).astype("float32")
    results["samples"] = np.asarray(gan.generate(z=z))
    results["fresh_samples"] = np.asarray(gan.generate(6))  # noise drawn from gan.rng
    return results


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--seeds", type=str, default=None)
    parser.add_argument("--pause-at", type=int, default=None)
    parser.add_argument("--die-in-save-at", type=int, default=None)
    parser.add_argument("--dump-states", action="store_true")
    args = parser.parse_args(argv)
    if args.die_in_save_at is not None:
        _die_inside_save_of(args.die_in_save_at)
    if args.seeds:
        arrays = {}
        for seed in (int(s) for s in args.seeds.split(",")):
            results = train(args.dir / f"seed-{seed}", seed, args.out)
            arrays.update({f"{seed}/{name}": value for name, value in results.items()})
    else:
        arrays = train(args.dir, args.seed, args.out, args.pause_at, args.dump_states)
    _save_npz(args.out, arrays)


# --- for the tests ----------------------------------------------------------------------------------------


def _command(directory: Path, out: Path, *options: str) -> list[str]:
    return [
        sys.executable,
        str(Path(__file__).resolve()),
        "--dir",
        str(directory),
        "--out",
        str(out),
        *options,
    ]


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        PYTHONPATH=os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep),
        KERAS_BACKEND="tensorflow",
        TF_CPP_MIN_LOG_LEVEL="2",
        CUDA_VISIBLE_DEVICES="",  # the tests are about CPUs
    )
    return env


def launch(directory: Path, out: Path, *options: str) -> subprocess.Popen:
    """Start a job and return at once (the caller must wait for it or kill it)."""
    return subprocess.Popen(
        _command(directory, out, *options),
        cwd=ROOT,
        env=_environment(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def stop(job: subprocess.Popen) -> None:
    """Kill a job if it is still running, and collect it."""
    if job.poll() is None:
        job.kill()
        job.communicate()


def finish(job: subprocess.Popen, out: Path) -> dict[str, np.ndarray]:
    """Wait for a job started by :func:`launch` to end (within :data:`TIMEOUT`; killed if it does not) and
    return what it wrote to ``out``."""
    try:
        _, err = job.communicate(timeout=TIMEOUT)
    finally:
        stop(job)
    if job.returncode != 0:
        raise AssertionError(f"the job exited with {job.returncode}:\n{err[-3000:]}")
    return load(out)


def run_to_end(directory: Path, out: Path, *options: str) -> dict[str, np.ndarray]:
    """Run a job to its end and return what it wrote to ``out``."""
    return finish(launch(directory, out, *options), out)


def load(path: Path) -> dict[str, np.ndarray]:
    """The arrays of a ``.npz`` written by a job."""
    with np.load(path) as data:
        return {name: data[name] for name in data.files}


if __name__ == "__main__":
    main()
