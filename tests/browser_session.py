"""What the real-browser test needs: a JupyterLab server of its own and a headless Chromium.

``start_lab`` runs JupyterLab as a child process on 127.0.0.1 (a free port, a random token, its own
settings, workspaces, config and data folders, so neither a learner's settings nor notebooks they trusted
before leak in); ``stop_lab`` shuts its kernels down through the REST API, then ends the server's
process group and any process the server started that is still alive (found by walking ``/proc``, so
exactly these processes, never others with the same name). On Linux the server also gets SIGTERM should
the test's own process die without stopping it (and then stops its kernels itself). ``launch_chromium``
starts Debian's Chromium through Playwright, headless; it ends with Playwright's driver. Every wait is
bounded in time.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Playwright

# Chromium's own background connections (component updates, sync, metrics) go nowhere on a closed
# network and only add noise; --no-sandbox is needed when running as root (as CI does).
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--no-first-run",
    "--no-default-browser-check",
    "--metrics-recording-only",
)

# JupyterLab user settings for a quiet, reproducible page: no news or update toast over the notebook.
LAB_SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
}


def _libc_prctl() -> Callable[..., int] | None:
    """Linux's ``prctl``, looked up once here (not in a forked child), or None elsewhere."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None


_PRCTL = _libc_prctl()
_PR_SET_PDEATHSIG = 1


def _terminate_with_parent() -> None:
    """Run in the server's process before it starts: on Linux, have the kernel send it SIGTERM when the
    process that started it dies (a test run killed outright), so JupyterLab and its kernels still stop."""
    if _PRCTL is not None:
        _PRCTL(_PR_SET_PDEATHSIG, signal.SIGTERM)


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port on ``host`` that nothing listens on right now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def _process_start_time(pid: int) -> str | None:
    """The start time of process ``pid`` from ``/proc`` (to tell it from a later process with the same
    id), or None when it no longer exists or there is no ``/proc``."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # Fields after the command name (which may contain spaces) start after the last ')'.
    return stat.rsplit(")", 1)[1].split()[19]


def descendants(pid: int) -> list[tuple[int, str]]:
    """``(pid, start time)`` of every process below ``pid`` (children, grandchildren, ...), read from
    ``/proc``; empty where there is no ``/proc``."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            parent = int(entry.joinpath("stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(parent, []).append(int(entry.name))
    found: list[tuple[int, str]] = []
    todo = list(children.get(pid, []))
    while todo:
        child = todo.pop()
        start = _process_start_time(child)
        if start is not None:
            found.append((child, start))
        todo.extend(children.get(child, []))
    return found


def _signal_if_same(pid: int, start: str, sig: signal.Signals) -> bool:
    """Send ``sig`` to ``pid`` only if it is still the process that started at ``start``; True if sent."""
    if _process_start_time(pid) != start:
        return False
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, sig)
        return True
    return False


@dataclass
class LabServer:
    """A running JupyterLab server started by :func:`start_lab`."""

    process: subprocess.Popen[bytes]
    url: str
    token: str
    root: Path
    log_path: Path

    def api(self, method: str, path: str, timeout: float = 10.0) -> object:
        """Call the server's REST API (``path`` starts with ``/api/``); the decoded JSON, or None."""
        request = urllib.request.Request(
            self.url + path, method=method, headers={"Authorization": f"token {self.token}"}
        )
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read()
        return json.loads(body) if body else None

    def kernels(self, attempts: int = 5) -> list[dict[str, object]]:
        """The server's running kernels, as ``/api/kernels`` lists them.

        jupyter_server 2.17 answers 500 while a kernel is still starting (its ``last_activity`` is not
        set yet), so a server error is retried a few times, 0.2 s apart.
        """
        for attempt in range(attempts):
            try:
                return list(self.api("GET", "/api/kernels"))  # type: ignore[arg-type]
            except urllib.error.HTTPError as error:
                if error.code < 500 or attempt == attempts - 1:
                    raise
                time.sleep(0.2)
        return []

    def contents(self, path: str, content: bool = True) -> dict[str, object]:
        """The contents API's model of ``path`` (relative to the server's root), with or without its
        ``content`` (for a notebook: the notebook as the server has it saved)."""
        return self.api("GET", f"/api/contents/{urllib.parse.quote(path)}?content={int(content)}")  # type: ignore[return-value]

    def notebook(self, path: str) -> dict[str, object]:
        """The notebook at ``path`` as the server has it saved."""
        return self.contents(path)["content"]  # type: ignore[return-value]

    def shutdown_kernels(self, timeout: float = 20.0) -> None:
        """Shut down every kernel of this server (the way JupyterLab's "Shut Down All" does)."""
        for kernel in self.kernels():
            with contextlib.suppress(urllib.error.URLError, OSError):
                self.api("DELETE", f"/api/kernels/{kernel['id']}", timeout=timeout)

    def log_tail(self, lines: int = 40) -> str:
        """The last ``lines`` lines of the server's log (for error messages)."""
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"


def lab_environment(state_dir: Path, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment for a hermetic JupyterLab: this process's environment with Jupyter's and
    IPython's per-user folders moved under ``state_dir`` (created here, with :data:`LAB_SETTINGS`),
    then ``extra`` on top."""
    folders = {
        "JUPYTER_CONFIG_DIR": "config",
        "JUPYTER_DATA_DIR": "data",  # also where notebook signatures (trust) are kept: none here
        "JUPYTER_RUNTIME_DIR": "runtime",
        "JUPYTERLAB_SETTINGS_DIR": "settings",
        "JUPYTERLAB_WORKSPACES_DIR": "workspaces",
        "IPYTHONDIR": "ipython",
    }
    env = dict(os.environ)
    for name, folder in folders.items():
        (state_dir / folder).mkdir(parents=True, exist_ok=True)
        env[name] = str(state_dir / folder)
    for relative, values in LAB_SETTINGS.items():
        target = state_dir / "settings" / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(values, indent=2))
    env.update(extra or {})
    return env


def start_lab(
    root: Path, state_dir: Path, extra_env: Mapping[str, str] | None = None, timeout: float = 90.0
) -> LabServer:
    """Start JupyterLab serving ``root`` on 127.0.0.1 and wait (at most ``timeout`` seconds) until its
    API answers. Its log goes to ``state_dir / "jupyterlab.log"``. Stop it with :func:`stop_lab`."""
    port, token = free_port(), secrets.token_hex(24)
    env = lab_environment(state_dir, extra_env)
    command = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        "--ip=127.0.0.1",
        f"--port={port}",
        "--ServerApp.port_retries=0",  # fail loudly instead of moving to another port
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root}",
        f"--LabApp.user_settings_dir={env['JUPYTERLAB_SETTINGS_DIR']}",
        f"--LabApp.workspaces_dir={env['JUPYTERLAB_WORKSPACES_DIR']}",
        "--ServerApp.terminals_enabled=False",
        # A safety net should this test's process die without stopping the server: idle kernels are
        # culled and an idle server shuts itself down after 15 minutes.
        "--MappingKernelManager.cull_idle_timeout=900",
        "--MappingKernelManager.cull_interval=60",
        "--ServerApp.shutdown_no_activity_timeout=900",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    log_path = state_dir / "jupyterlab.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command,
            cwd=root,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so it can be stopped as a whole
            preexec_fn=_terminate_with_parent,  # one system call, nothing else, before exec
        )
    server = LabServer(process, f"http://127.0.0.1:{port}", token, root, log_path)
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            raise RuntimeError(
                f"JupyterLab exited with code {process.returncode} before answering:\n{server.log_tail()}"
            )
        try:
            server.api("GET", "/api/status", timeout=2.0)
            return server
        except (urllib.error.URLError, OSError, ValueError):
            pass
        if time.monotonic() > deadline:
            stop_lab(server)
            raise TimeoutError(f"JupyterLab did not answer within {timeout:.0f} s:\n{server.log_tail()}")
        time.sleep(0.2)


def stop_lab(server: LabServer, timeout: float = 20.0) -> None:
    """Stop ``server`` and everything it started: kernels through the API first, then SIGTERM to the
    server's process group (SIGKILL after ``timeout`` seconds), then any process it started that is
    still alive (kernels and their workers run in sessions of their own)."""
    process = server.process
    if process.poll() is None:
        with contextlib.suppress(urllib.error.URLError, OSError, ValueError):
            server.shutdown_kernels(timeout=timeout)
    started = descendants(process.pid)
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=timeout)
    else:
        process.wait()
    left = [(pid, start) for pid, start in started if _signal_if_same(pid, start, signal.SIGTERM)]
    deadline = time.monotonic() + timeout
    while left and time.monotonic() < deadline:
        left = [(pid, start) for pid, start in left if _process_start_time(pid) == start]
        time.sleep(0.1)
    for pid, start in left:
        _signal_if_same(pid, start, signal.SIGKILL)


def launch_chromium(
    playwright: Playwright, executable: str, state_dir: Path | None = None, timeout: float = 60.0
) -> Browser:
    """Debian's Chromium at ``executable``, headless, through Playwright, with a fresh empty profile.

    With ``state_dir``, what Chromium keeps outside its profile (its crash-report folder, caches) goes
    there instead of the user's ``~/.config`` and ``~/.cache``.
    """
    env = None
    if state_dir is not None:
        env = dict(os.environ)
        for name in ("XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
            folder = state_dir / name.lower()
            folder.mkdir(parents=True, exist_ok=True)
            env[name] = str(folder)
    return playwright.chromium.launch(
        executable_path=executable,
        headless=True,
        args=list(CHROMIUM_ARGS),
        env=env,
        timeout=timeout * 1000,
    )
