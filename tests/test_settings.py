"""Fast mode, budgets, seeds, the backend guard and quiet TensorFlow start-up."""

from __future__ import annotations

import os
import random
import types

import numpy as np
import pytest

import gan_helpers as gh
from gan_helpers import settings


@pytest.mark.parametrize("value", ["1", "true", "YES", " on "])
def test_fast_mode_on(monkeypatch, value):
    monkeypatch.setenv("GAN_COURSE_FAST", value)
    assert gh.is_fast()
    assert gh.budget(full=3000, fast=20) == 20


@pytest.mark.parametrize("value", ["0", "", "false", "off"])
def test_fast_mode_off(monkeypatch, value):
    monkeypatch.setenv("GAN_COURSE_FAST", value)
    assert not gh.is_fast()
    assert gh.budget(full=3000, fast=20) == 3000


def test_fast_mode_off_when_unset(monkeypatch):
    monkeypatch.delenv("GAN_COURSE_FAST", raising=False)
    assert gh.budget(full=(28, 28), fast=(8, 8)) == (28, 28)


def test_fast_mode_typo_is_an_error_that_names_the_valid_values(monkeypatch):
    monkeypatch.setenv("GAN_COURSE_FAST", "fsat")
    with pytest.raises(ValueError, match=r"GAN_COURSE_FAST='fsat'.*use 1"):
        gh.is_fast()


def test_budget_accepts_int_and_float_together_but_not_other_mixtures(monkeypatch):
    monkeypatch.setenv("GAN_COURSE_FAST", "1")
    assert gh.budget(full=2e-4, fast=1) == 1
    with pytest.raises(TypeError, match="same kind"):
        gh.budget(full=100, fast="100")


def test_the_suite_runs_in_fast_mode():
    # conftest.py sets it for the notebook kernels too
    assert os.environ["GAN_COURSE_FAST"] == "1"


def test_seed_everything_makes_python_numpy_and_tensorflow_repeatable():
    import tensorflow as tf

    def draw():
        return random.random(), np.random.rand(), float(tf.random.uniform(()))

    gh.seed_everything(7)
    first = draw()
    gh.seed_everything(7)
    assert draw() == first
    gh.seed_everything(8)
    assert draw() != first


@pytest.mark.parametrize("bad", [-1, 2**32, 1.5, "42", True])
def test_seed_must_be_a_small_non_negative_integer(bad):
    with pytest.raises(ValueError, match="seed must be an integer"):
        gh.seed_everything(bad)


def test_backend_guard_sets_tensorflow_before_keras_is_imported(monkeypatch):
    monkeypatch.delitem(__import__("sys").modules, "keras", raising=False)
    monkeypatch.setenv("KERAS_BACKEND", "jax")
    settings.ensure_tensorflow_backend()
    assert os.environ["KERAS_BACKEND"] == "tensorflow"


def test_backend_guard_refuses_a_keras_already_loaded_with_another_backend(monkeypatch):
    fake_keras = types.SimpleNamespace(backend=types.SimpleNamespace(backend=lambda: "jax"))
    monkeypatch.setitem(__import__("sys").modules, "keras", fake_keras)
    with pytest.raises(RuntimeError, match=r"'jax' backend.*Restart the kernel"):
        settings.ensure_tensorflow_backend()


def test_native_stderr_is_silenced_only_inside_the_block(capfd):
    with settings.native_stderr_silenced():
        os.write(2, b"native chatter\n")
    os.write(2, b"after the block\n")
    err = capfd.readouterr().err
    assert "native chatter" not in err
    assert "after the block" in err


def test_setup_prints_one_summary_line(capsys, monkeypatch):
    monkeypatch.setenv("GAN_COURSE_FAST", "1")
    summary = gh.setup(seed=3)
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1
    line = out[0]
    import keras
    import tensorflow as tf

    assert f"TensorFlow {tf.__version__}" in line
    assert f"Keras {keras.__version__}" in line
    assert "CPU" in line or "GPU" in line
    assert "fast mode on" in line and "seed 3" in line
    assert str(summary) == line
    assert keras.backend.backend() == "tensorflow"


def test_setup_can_be_quiet(capsys):
    gh.setup(seed=0, verbose=False)
    assert capsys.readouterr().out == ""
