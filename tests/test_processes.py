"""Independent jobs run side by side in worker processes: same results in the same order as a plain
loop, errors raised with their message, a dead worker reported with what to do."""

from __future__ import annotations

import numpy as np
import pytest

from gan_helpers.teaching import ring_experiments
from gan_helpers.teaching.ring_experiments import RingSettings, compare_settings, train_on_ring
from gan_helpers.toolkit import processes
from gan_helpers.toolkit.processes import default_workers, run_in_processes
from tests import process_jobs

TINY = RingSettings(steps=40, batch_size=32)


def test_results_come_back_in_the_order_of_the_jobs_even_when_later_jobs_finish_first():
    jobs = [{"x": x, "delay": 1.0 if x == 0 else 0.0} for x in range(5)]
    finished = []
    results = run_in_processes(process_jobs.square_after, jobs, workers=2, on_done=finished.append)
    assert results == [(x, x * x) for x in range(5)]
    assert sorted(finished) == list(range(5)) and finished[0] != 0  # the slow first job finished later
    assert results == run_in_processes(process_jobs.square_after, jobs, workers=1)


def test_one_worker_runs_in_this_process_so_any_callable_works():
    seen = []
    assert run_in_processes(lambda x: seen.append(x) or -x, [{"x": 1}, {"x": 2}], workers=1) == [-1, -2]
    assert seen == [1, 2]


def test_a_jobs_error_is_raised_here_with_its_message():
    with pytest.raises(ValueError, match="job 2 refuses to run"):
        run_in_processes(process_jobs.fail_on, [{"x": x, "bad": 2} for x in range(6)], workers=2)


def test_a_dead_worker_is_reported_with_what_to_do():
    with pytest.raises(RuntimeError, match=r"worker process died.*workers=1.*GAN_COURSE_WORKERS=1"):
        run_in_processes(process_jobs.die, [{}, {}], workers=2)


def test_workers_start_quiet_unless_a_log_level_was_chosen(monkeypatch):
    monkeypatch.delenv("TF_CPP_MIN_LOG_LEVEL", raising=False)
    processes.shutdown_workers()  # workers copy the environment when they start
    jobs = [{"name": "TF_CPP_MIN_LOG_LEVEL"}] * 2
    assert run_in_processes(process_jobs.worker_environment, jobs, workers=2) == ["2", "2"]
    import os

    assert "TF_CPP_MIN_LOG_LEVEL" not in os.environ  # this process's environment is left as it was
    monkeypatch.setenv("TF_CPP_MIN_LOG_LEVEL", "0")
    processes.shutdown_workers()
    assert run_in_processes(process_jobs.worker_environment, jobs, workers=2) == ["0", "0"]
    processes.shutdown_workers()


def test_workers_are_kept_for_the_next_call_until_shut_down():
    processes.shutdown_workers()
    first = set(run_in_processes(process_jobs.worker_pid, [{}] * 4, workers=2))
    assert len(first) == 2
    assert set(run_in_processes(process_jobs.worker_pid, [{}] * 4, workers=2)) == first  # no new start-up
    processes.shutdown_workers()
    assert processes._POOL is None
    assert set(run_in_processes(process_jobs.worker_pid, [{}] * 4, workers=2)).isdisjoint(first)
    processes.shutdown_workers()


def test_bad_arguments_get_clear_errors():
    with pytest.raises(TypeError, match="top level of a module"):
        run_in_processes(lambda: 1, [{}, {}], workers=2)
    with pytest.raises(TypeError, match="mapping of keyword arguments"):
        run_in_processes(process_jobs.square_after, [(1, 0.0)], workers=1)
    with pytest.raises(TypeError, match="callable"):
        run_in_processes("square", [{}])
    for bad in (0, -1, True, "2", 1.5):
        with pytest.raises(ValueError, match="workers must be a whole number"):
            run_in_processes(process_jobs.square_after, [{"x": 1, "delay": 0}], workers=bad)
    assert run_in_processes(process_jobs.square_after, [], workers=2) == []


def test_the_default_uses_the_cores_only_when_it_pays(monkeypatch):
    monkeypatch.delenv(processes.WORKERS_ENV, raising=False)
    monkeypatch.setattr(processes, "_POOL", None)  # no workers running yet
    monkeypatch.setattr(processes, "_gpu_visible", lambda: False)
    monkeypatch.setattr(processes, "available_cores", lambda: 8)
    assert default_workers(1) == 1
    assert default_workers(10, estimated_seconds=processes.MIN_PARALLEL_SECONDS / 2) == 1
    assert default_workers(10, estimated_seconds=600) == processes.MAX_DEFAULT_WORKERS
    assert default_workers(3) == 3
    monkeypatch.setattr(processes, "_POOL", (2, None))  # workers already running: short jobs use them
    assert default_workers(10, estimated_seconds=1) == 2 and default_workers(1, estimated_seconds=1) == 1
    monkeypatch.setattr(processes, "_POOL", None)
    monkeypatch.setattr(processes, "available_cores", lambda: 2)
    assert default_workers(10) == 2
    monkeypatch.setattr(processes, "_gpu_visible", lambda: True)
    assert default_workers(10, estimated_seconds=600) == 1
    monkeypatch.setenv(processes.WORKERS_ENV, "3")
    assert default_workers(1) == 3
    for bad in ("0", "two", "-1"):
        monkeypatch.setenv(processes.WORKERS_ENV, bad)
        with pytest.raises(ValueError, match="GAN_COURSE_WORKERS must be a whole number"):
            default_workers(10)


def test_ring_runs_in_workers_are_the_same_numbers_bit_for_bit(monkeypatch):
    settings = {"plain": TINY, "β1 0.5": TINY.changed(beta_1=0.5)}
    ring_experiments._RUNS.clear()
    options = {"progress": False, "record_every": 20, "n_samples": 60}
    side_by_side = compare_settings(settings, [0, 1], workers=2, **options)
    ring_experiments._RUNS.clear()
    one_by_one = compare_settings(settings, [0, 1], workers=1, **options)
    for a, b in zip(side_by_side, one_by_one, strict=True):
        assert a.name == b.name
        for run_a, run_b in zip(a.runs, b.runs, strict=True):
            assert run_a.seed == run_b.seed and run_a.settings == run_b.settings
            np.testing.assert_array_equal(run_a.samples[-1], run_b.samples[-1])
            assert run_a.history == run_b.history
    assert not np.array_equal(side_by_side[0].runs[0].samples[-1], side_by_side[0].runs[1].samples[-1])


def test_mnist_runs_side_by_side_are_the_same_as_one_after_another():
    from gan_helpers.teaching.mnist_experiments import train_chapter_gans
    from gan_helpers.toolkit.data import load_mnist

    images, labels = load_mnist(source="subset", scale=(0, 1), verbose=False)
    images, labels = images[:256], labels[:256]
    variants = {"recipe": {}, "D 10x faster": {"d_lr": 2e-3}}
    options = {"steps": 20, "record_every": 10, "n_samples": 4}
    side_by_side = train_chapter_gans(images, labels, variants, workers=2, **options)
    one_by_one = train_chapter_gans(images, labels, variants, workers=1, **options)
    assert list(side_by_side) == list(variants)
    for name in variants:
        a, b = side_by_side[name], one_by_one[name]
        assert a.name == name and a.settings == b.settings
        np.testing.assert_array_equal(a.samples, b.samples)
        np.testing.assert_array_equal(a.class_history, b.class_history)
        assert a.history == b.history
    assert side_by_side["recipe"].history != side_by_side["D 10x faster"].history
    with pytest.raises(ValueError, match=r"pixels in \[0, 1\]"):
        train_chapter_gans(images * 2 - 1, labels, variants, workers=2, **options)  # refused before starting
    with pytest.raises(ValueError, match="dict of settings"):
        train_chapter_gans(images, labels, {"a": 2e-3}, **options)


def test_a_run_made_before_is_reused_and_a_setting_named_twice_is_trained_once(monkeypatch):
    ring_experiments._RUNS.clear()
    first = train_on_ring(TINY, seed=5, record_every=20, n_samples=60)
    assert train_on_ring(TINY, seed=5, record_every=20, n_samples=60) is first
    fresh = train_on_ring(TINY, seed=5, record_every=20, n_samples=60, reuse=False)  # trained, remembered
    assert fresh is not first
    np.testing.assert_array_equal(fresh.samples[-1], first.samples[-1])  # deterministic on a CPU

    trained = []
    real_train = ring_experiments._train

    def counting(settings, seed, **others):
        trained.append((settings, seed))
        return real_train(settings, seed, **others)

    monkeypatch.setattr(ring_experiments, "_train", counting)
    summaries = compare_settings(
        {"a": TINY, "the same as a": TINY}, [5, 6], progress=False, workers=1, record_every=20, n_samples=60
    )
    assert trained == [(TINY, 6)]  # seed 5 was remembered; seed 6 is trained once for both names
    assert summaries[0].runs[0] is fresh and summaries[0].runs[1] is summaries[1].runs[1]
