"""Run independent training jobs side by side, one per CPU core, in separate Python processes.

Small models (the ring's GANs have 18,000 weights) cannot keep two cores busy from one process: each
TensorFlow operation is too small to split. Several seeds of one experiment are independent, so
running them in separate processes uses the cores a laptop has (measured on a 2-core CPU: 1.6 times
the runs per minute). Every job seeds itself, so the results are the same numbers, bit for bit, as
running the jobs one after another.

``GAN_COURSE_WORKERS=1`` (or ``workers=1``) runs every job in this process, one after another. The
workers stay alive between calls, so only the first call pays for starting them (each imports
TensorFlow); :func:`shutdown_workers` ends them.
"""

from __future__ import annotations

import atexit
import multiprocessing
import os
import pickle
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from typing import Any, TypeVar

from .checks import check_count, check_number

T = TypeVar("T")

#: Environment variable that sets the number of worker processes (1 = run jobs in this process).
WORKERS_ENV = "GAN_COURSE_WORKERS"

#: At most this many workers by default: each holds its own TensorFlow (about half a gigabyte).
MAX_DEFAULT_WORKERS = 4

#: Starting a worker costs about 8 s on a laptop CPU (it imports TensorFlow), so by default jobs that
#: together take less than this many seconds run in this process.
MIN_PARALLEL_SECONDS = 40.0


def available_cores() -> int:
    """The CPU cores this process may use (respects CPU affinity where the system reports it)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS and Windows have no sched_getaffinity
        return os.cpu_count() or 1


def default_workers(jobs: int, estimated_seconds: float | None = None) -> int:
    """How many processes to use for ``jobs`` independent jobs that would take about
    ``estimated_seconds`` one after another (``None``: unknown, assumed long).

    ``GAN_COURSE_WORKERS`` when it is set; otherwise 1 when there are fewer than 2 jobs, when they are
    estimated to take less than :data:`MIN_PARALLEL_SECONDS` in all and no workers are running yet
    (starting them would cost more than it saves), or when a GPU is visible (the GPU already runs each
    job in parallel, and processes would compete for its memory); else one per available core, at most
    :data:`MAX_DEFAULT_WORKERS` and at most ``jobs``.
    """
    jobs = check_count(jobs, "jobs (how many)", minimum=0)
    if estimated_seconds is not None:
        estimated_seconds = check_number(estimated_seconds, "estimated_seconds (or None)", low=0)
    setting = os.environ.get(WORKERS_ENV, "").strip()
    if setting:
        if not setting.isdigit() or int(setting) < 1:
            raise ValueError(
                f"{WORKERS_ENV} must be a whole number of processes of at least 1, got {setting!r}; "
                f"unset it to let the course choose, or set it to 1 to run jobs one after another"
            )
        return int(setting)
    if jobs < 2 or _gpu_visible():
        return 1
    if estimated_seconds is not None and estimated_seconds < MIN_PARALLEL_SECONDS:
        return min(_POOL[0], jobs) if _POOL is not None else 1  # workers already started cost nothing
    return max(1, min(available_cores(), MAX_DEFAULT_WORKERS, jobs))


def _gpu_visible() -> bool:
    import tensorflow as tf

    return bool(tf.config.list_physical_devices("GPU"))


@contextmanager
def _quiet_tensorflow_in_children() -> Iterator[None]:
    """Spawned workers copy this environment: hide TensorFlow's start-up log lines in them (they would
    otherwise be printed into the notebook) unless the learner chose a log level."""
    chosen = os.environ.get("TF_CPP_MIN_LOG_LEVEL")
    if chosen is None:
        os.environ["TF_CPP_MIN_LOG_LEVEL"] = "2"
    try:
        yield
    finally:
        if chosen is None:
            os.environ.pop("TF_CPP_MIN_LOG_LEVEL", None)


def run_in_processes(
    function: Callable[..., T],
    jobs: Sequence[Mapping[str, Any]],
    workers: int | None = None,
    on_done: Callable[[int], None] | None = None,
    estimated_seconds: float | None = None,
) -> list[T]:
    """Call ``function(**job)`` for every job and return the results in the order of ``jobs``.

    - ``function``: a function defined at the top level of a module (worker processes import it by
      name; a lambda or a function defined in a notebook cannot be sent to them).
    - ``jobs``: one mapping of keyword arguments per call; their values must be picklable.
    - ``workers``: processes to use; ``None`` lets :func:`default_workers` choose (from the number of
      jobs and ``estimated_seconds``, their total time one after another). With 1, every call runs
      here, one after another, exactly as a plain loop would.
    - ``on_done(index)``: called in this process as each job finishes (e.g. to advance a progress bar).

    A job's exception is raised here with its message; the other jobs are stopped. If a worker dies
    (e.g. out of memory) the error says so and how to run the jobs one at a time instead.
    """
    if not callable(function):
        raise TypeError(f"function must be callable, got {type(function).__name__}")
    if jobs is None or isinstance(jobs, (str, bytes, Mapping)) or not hasattr(jobs, "__iter__"):
        raise TypeError(
            f"jobs must be a sequence of mappings of keyword arguments (e.g. [{{'seed': 0}}]), got {jobs!r}"
        )
    jobs = list(jobs)
    bad = [i for i, job in enumerate(jobs) if not isinstance(job, Mapping)]
    if bad:
        raise TypeError(
            f"each job must be a mapping of keyword arguments (e.g. {{'seed': 0}}); job {bad[0]} is a "
            f"{type(jobs[bad[0]]).__name__}"
        )
    if workers is None:
        workers = default_workers(len(jobs), estimated_seconds)
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise ValueError(f"workers must be a whole number of at least 1 (or None to choose), got {workers!r}")
    workers = min(workers, max(1, len(jobs)))

    if workers == 1:
        results = []
        for index, job in enumerate(jobs):
            results.append(function(**job))
            if on_done is not None:
                on_done(index)
        return results

    try:
        pickle.dumps(function)
    except (pickle.PicklingError, AttributeError, TypeError) as why:
        raise TypeError(
            f"{getattr(function, '__qualname__', function)!r} cannot be sent to worker processes ({why}); "
            "define it at the top level of a module, or pass workers=1"
        ) from None

    results: list[Any] = [None] * len(jobs)
    with _quiet_tensorflow_in_children():  # workers start at the first submit
        executor = _executor(workers)
        try:
            futures = {executor.submit(function, **job): index for index, job in enumerate(jobs)}
            for future in as_completed(futures):
                results[futures[future]] = future.result()  # a job's exception is raised here
                if on_done is not None:
                    on_done(futures[future])
        except BaseException as error:  # a job's error, Ctrl-C or a dead worker: stop every worker now
            shutdown_workers(terminate=True)
            if isinstance(error, BrokenProcessPool):
                raise RuntimeError(
                    f"a worker process died before finishing its job ({error}). Either the machine ran out "
                    "of memory, or a script started jobs when it was imported: workers import the script "
                    'that started them, so put its code under `if __name__ == "__main__":`. To run the '
                    f"jobs one at a time in this process instead, pass workers=1 or set {WORKERS_ENV}=1"
                ) from error
            raise
    return results


#: The worker processes, kept between calls (starting one costs seconds): (number of workers, executor).
_POOL: tuple[int, ProcessPoolExecutor] | None = None


def _executor(workers: int) -> ProcessPoolExecutor:
    """A pool of at least ``workers`` processes, the previous call's when it is large enough."""
    global _POOL
    if _POOL is not None and _POOL[0] < workers:  # a larger pool serves a smaller call as it is
        shutdown_workers()
    if _POOL is None:
        context = multiprocessing.get_context("spawn")  # fork is unsafe once TensorFlow has started threads
        _POOL = (workers, ProcessPoolExecutor(max_workers=workers, mp_context=context))
    return _POOL[1]


def shutdown_workers(terminate: bool = False) -> None:
    """End the worker processes kept by :func:`run_in_processes` (each holds memory for its own
    TensorFlow); the next call starts new ones. With ``terminate``, jobs still running are stopped at
    once instead of being waited for. Called automatically when Python exits."""
    global _POOL
    if _POOL is None:
        return
    executor, _POOL = _POOL[1], None
    if terminate:
        executor.shutdown(wait=False, cancel_futures=True)
        # The executor has no public way to stop jobs already running; end their processes.
        for process in list((getattr(executor, "_processes", None) or {}).values()):
            process.terminate()
    else:
        executor.shutdown(wait=True, cancel_futures=True)


atexit.register(shutdown_workers)
