"""How long each notebook takes top to bottom, in presenter, fast or full mode.

    python benchmarks/notebook_times.py                          # presenter mode, every notebook
    python benchmarks/notebook_times.py --mode fast
    python benchmarks/notebook_times.py --mode presenter notebooks/06_dcgan.ipynb --artifacts artifacts

Each notebook runs in a fresh kernel from this Python environment (as ``scripts/refresh_notebooks.py``
runs them; nothing is written back). Presenter mode is ``GAN_COURSE_PRESENTER=1``: the long training
cells load the generators shipped in ``gan_helpers/assets/``. By default the notebooks share one new,
empty artifacts folder, as on a fresh clone run in course order (so notebook 07 finds what 04 and 06
saved in this run); ``--artifacts`` gives another. Prints one line per notebook, its slowest cells, and
whether it stayed under ``--limit`` seconds (60: an instructor's budget per notebook in class).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT))

from refresh_notebooks import execute  # noqa: E402

MODES = ("presenter", "fast", "full")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("notebooks", nargs="*", type=Path, help="notebooks to time (default: all)")
    parser.add_argument("--mode", choices=MODES, default="presenter")
    parser.add_argument("--artifacts", type=Path, help="artifacts folder to use (default: a new empty one)")
    parser.add_argument("--limit", type=float, default=60.0, help="seconds a notebook should stay under")
    parser.add_argument("--slowest", type=int, default=3, help="print this many slowest cells")
    args = parser.parse_args(argv)

    paths = args.notebooks or sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    missing = [p for p in paths if not p.is_file()]
    if missing:
        parser.error(f"no such notebook: {', '.join(map(str, missing))}")
    artifacts = args.artifacts or Path(tempfile.mkdtemp(prefix="gan-course-times-"))
    saved_env = dict(os.environ)
    os.environ["GAN_COURSE_ARTIFACTS"] = str(artifacts.resolve())
    os.environ["GAN_COURSE_PRESENTER"] = "1" if args.mode == "presenter" else "0"
    over, total = [], 0.0
    try:
        for path in paths:
            start = time.perf_counter()
            _, timings = execute(path.resolve(), fast=args.mode == "fast", timeout=1800)
            seconds = time.perf_counter() - start
            total += seconds
            mark = "" if seconds < args.limit else f"  <- over {args.limit:.0f} s"
            over += [path.name] if mark else []
            print(f"{path.name}: {seconds:.0f} s in {args.mode} mode{mark}", flush=True)
            for cell_seconds, index, first_line in timings[: args.slowest]:
                print(f"  {cell_seconds:6.1f} s  cell {index:>2}: {first_line}", flush=True)
    finally:
        os.environ.clear()
        os.environ.update(saved_env)
        if args.artifacts is None:
            shutil.rmtree(artifacts, ignore_errors=True)
    print(f"total: {total / 60:.1f} min, {len(paths)} notebooks; over {args.limit:.0f} s: {over or 'none'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
