"""Module-level jobs for tests/test_processes.py: worker processes import them by name (and this
module imports nothing heavy, so workers start in a fraction of a second)."""

from __future__ import annotations

import os
import signal
import time


def square_after(x: int, delay: float) -> tuple[int, int]:
    """``(x, x * x)`` after sleeping ``delay`` seconds (so later jobs can finish first)."""
    time.sleep(delay)
    return x, x * x


def fail_on(x: int, bad: int) -> int:
    """``x``, or a ValueError when ``x == bad``."""
    if x == bad:
        raise ValueError(f"job {x} refuses to run")
    time.sleep(0.05)
    return x


def die() -> None:
    """End this worker process at once, as the kernel's out-of-memory killer would."""
    os.kill(os.getpid(), signal.SIGKILL)


def worker_environment(name: str) -> str | None:
    """The worker process's value of the environment variable ``name``."""
    return os.environ.get(name)


def worker_pid(delay: float = 0.2) -> int:
    """The worker process's id (after ``delay`` seconds, so that both workers get a job)."""
    time.sleep(delay)
    return os.getpid()
