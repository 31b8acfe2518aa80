"""Refresh the stored outputs of course notebooks with a full-mode, top-to-bottom run.

    python scripts/refresh_notebooks.py                      # every notebook, in course order
    python scripts/refresh_notebooks.py notebooks/00_start_here.ipynb
    python scripts/refresh_notebooks.py --fast --dry-run     # quick smoke run, nothing written

Each notebook runs in a fresh kernel from this Python environment, with ``notebooks/`` as the working
directory, full mode (``GAN_COURSE_FAST`` unset) unless ``--fast``. The notebook file is replaced only
when the run succeeds, so a failed run never leaves a half-refreshed notebook. The course's anatomy
checks run afterwards and are printed. The slide metadata is re-planned from the new outputs
(``gan_helpers.teaching.slides``).

``--record-runs`` also records every run the notebook trains (ring runs, MNIST runs, races) into
``gan_helpers/assets/runs/<notebook>/`` for presenter mode (``gan_helpers.teaching.recorded_runs``),
replacing that notebook's previous recordings only when the run succeeds. Use it for 05 and 10.

``--set-repository`` rewrites every notebook's Colab badge and install line to match
``gan_helpers.teaching.course.REPOSITORY`` (after a fork) without running anything.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from nbconvert.preprocessors import CoalesceStreamsPreprocessor  # noqa: E402

from gan_helpers import course, recorded_runs, slides  # noqa: E402
from tests.notebook_anatomy import notebook_problems  # noqa: E402

CellTimes = list[tuple[float, int, str]]


def execute(
    path: Path, fast: bool, timeout: int, record: bool = False
) -> tuple[nbformat.NotebookNode, CellTimes]:
    """Run the notebook top to bottom in a fresh kernel; return it with its new outputs, and the code
    cells' run times as ``(seconds, cell index, first line)``, slowest first. With ``record``, the runs it
    trains are recorded for presenter mode (``GAN_COURSE_RECORD_RUNS`` set to the notebook's name)."""
    nb = nbformat.read(path, as_version=4)
    env_before = dict(os.environ)
    os.environ.pop("MPLBACKEND", None)
    os.environ.pop(recorded_runs.RECORD_ENV_VAR, None)
    if record:
        os.environ[recorded_runs.RECORD_ENV_VAR] = path.stem
    os.environ["TF_CPP_MIN_LOG_LEVEL"] = "2"
    if fast:
        os.environ["GAN_COURSE_FAST"] = "1"
    else:
        os.environ.pop("GAN_COURSE_FAST", None)
    try:
        client = NotebookClient(
            nb,
            timeout=timeout,
            kernel_name="python3",
            resources={"metadata": {"path": str(path.parent)}},
            record_timing=True,  # read below, then removed from the stored notebook
            shutdown_kernel="immediate",
            # No saved widget state: with it, GitHub and nbconvert render each widget as an empty
            # script tag; without it they show the static picture the course's widgets store beside
            # their view (gan_helpers.teaching.widget_preview), as JupyterLab does for a fresh clone.
            store_widget_state=False,
        )
        nb.metadata.pop("widgets", None)  # state from an older refresh would describe dead models
        client.execute()
    finally:
        os.environ.clear()
        os.environ.update(env_before)
    timings = []
    for index, cell in enumerate(nb.cells):
        execution = cell.metadata.pop("execution", None)
        if execution and "shell.execute_reply" in execution and "iopub.execute_input" in execution:
            seconds = (
                datetime.fromisoformat(execution["shell.execute_reply"].replace("Z", "+00:00"))
                - datetime.fromisoformat(execution["iopub.execute_input"].replace("Z", "+00:00"))
            ).total_seconds()
            first_line = next((line for line in cell.source.splitlines() if line.strip()), "")
            timings.append((seconds, index, first_line[:70]))
    nb = tidy_streams(nb)
    slides.apply_slide_plan(nb)  # the new outputs' heights decide what fits on a slide
    return nb, sorted(timings, reverse=True)


def set_aside_recordings(name: str) -> Path | None:
    """Move notebook ``name``'s recorded runs out of the way before it records new ones; returns where
    they went (``None`` if it had none). :func:`finish_recordings` deletes or restores them."""
    folder = recorded_runs.RUNS_DIR / name
    if not folder.exists():
        return None
    aside = folder.with_name(f".{name}.previous")
    shutil.rmtree(aside, ignore_errors=True)
    folder.rename(aside)
    return aside


def finish_recordings(name: str, aside: Path | None, keep_new: bool) -> str:
    """Keep the new recordings (and drop the old ones) or put the old ones back; returns a summary line."""
    folder = recorded_runs.RUNS_DIR / name
    if not keep_new:
        shutil.rmtree(folder, ignore_errors=True)
        if aside is not None:
            aside.rename(folder)
        return "recordings: previous ones kept"
    if aside is not None:
        shutil.rmtree(aside)
    files = sorted(folder.glob("*.npz")) if folder.is_dir() else []
    size = sum(f.stat().st_size for f in files)
    return f"recordings: {len(files)} runs, {size / 1e6:.1f} MB in gan_helpers/assets/runs/{name}/"


def tidy_streams(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Merge consecutive stdout/stderr outputs and keep only the final state of lines redrawn with
    ``\r`` (progress bars): what Jupyter shows, stored once instead of in hundreds of pieces."""
    CoalesceStreamsPreprocessor().preprocess(nb, {})
    return nb


def write_atomically(nb: nbformat.NotebookNode, path: Path) -> None:
    """Write next to the target, then rename over it: the old file survives any failure."""
    with tempfile.NamedTemporaryFile(
        "w", dir=path.parent, suffix=".ipynb", delete=False, encoding="utf-8"
    ) as f:
        nbformat.write(nb, f)
        tmp = Path(f.name)
    tmp.chmod(0o644)  # NamedTemporaryFile creates 0600; notebooks are ordinary readable files
    tmp.replace(path)


def set_repository(path: Path) -> bool:
    """Point the notebook's Colab badge and install line at ``course.REPOSITORY``; True if it changed."""
    text = path.read_text(encoding="utf-8")
    new = re.sub(
        r"https://colab\.research\.google\.com/github/[\w.-]+/[\w.-]+/blob/[\w.-]+/notebooks/[\w.-]+\.ipynb",
        course.colab_url(path.name),
        text,
    )
    new = re.sub(
        r"gan-helpers @ git\+https://github\.com/[\w.-]+/[\w.-]+?\.git@[\w.-]+",
        course.pip_install_target(),
        new,
    )
    if new != text:
        path.write_text(new, encoding="utf-8")
    return new != text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("notebooks", nargs="*", type=Path, help="notebooks to refresh (default: all)")
    parser.add_argument("--fast", action="store_true", help="run in fast mode (for a smoke test)")
    parser.add_argument("--dry-run", action="store_true", help="run but do not write the notebooks")
    parser.add_argument("--timeout", type=int, default=1800, help="seconds allowed per cell (default 1800)")
    parser.add_argument("--slowest", type=int, default=6, help="print this many slowest cells (default 6)")
    parser.add_argument("--set-repository", action="store_true", help="only rewrite badges and install lines")
    parser.add_argument(
        "--record-runs", action="store_true", help="record the runs each notebook trains, for presenter mode"
    )
    args = parser.parse_args(argv)
    if args.record_runs and (args.fast or args.dry_run):
        parser.error("--record-runs needs a full-mode run that is written (no --fast, no --dry-run)")

    paths = args.notebooks or sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    missing = [p for p in paths if not p.is_file()]
    if missing:
        parser.error(f"no such notebook: {', '.join(map(str, missing))}")
    if args.set_repository:
        for path in paths:
            print(f"{path.name}: {'updated' if set_repository(path) else 'already right'}")
        return 0

    failed = 0
    for path in paths:
        start = time.perf_counter()
        print(f"{path.name}: running in {'fast' if args.fast else 'full'} mode ...", flush=True)
        aside = set_aside_recordings(path.stem) if args.record_runs else None
        try:
            nb, timings = execute(
                path.resolve(), fast=args.fast, timeout=args.timeout, record=args.record_runs
            )
        except BaseException as err:
            if args.record_runs:
                print(f"{path.name}: {finish_recordings(path.stem, aside, keep_new=False)}")
            if not isinstance(err, CellExecutionError):
                raise
            failed += 1
            print(f"{path.name}: FAILED, file left unchanged\n{str(err)[:3000]}")
            continue
        if args.record_runs:
            print(f"{path.name}: {finish_recordings(path.stem, aside, keep_new=True)}")
        seconds = time.perf_counter() - start
        for cell_seconds, index, first_line in timings[: args.slowest]:
            print(f"  {cell_seconds:6.1f} s  cell {index:>2}: {first_line}")
        if args.dry_run:
            print(f"{path.name}: ran in {seconds:.0f} s (dry run, not written)")
            continue
        write_atomically(nb, path)
        problems = notebook_problems(path)
        print(f"{path.name}: refreshed in {seconds:.0f} s, {path.stat().st_size / 1e3:.0f} kB")
        for p in problems:
            print(f"  convention problem: {p}")
        failed += bool(problems)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
