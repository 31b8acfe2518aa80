"""Recorded training runs for presenter mode: notebooks 05 and 10 without their minutes of training.

Notebook 05 trains about fifty small GANs on the ring and four MLP GANs on MNIST; notebook 10 trains fifteen
ring GANs and races two DCGANs. That is 6-7 minutes each on a laptop CPU, and no single generator could stand
in for it. So the full-mode refresh of the course's stored outputs records every run these notebooks train:

    python scripts/refresh_notebooks.py --record-runs notebooks/05_training_dynamics.ipynb

sets :data:`RECORD_ENV_VAR` to the notebook's name, and :func:`save_run` (called by ``train_on_ring``,
``compare_settings``, ``train_chapter_gans`` and ``race``) writes each run it trains to
``gan_helpers/assets/runs/<notebook>/``: one ``.npz`` file of arrays per run, and an ``index.json`` that lists
every run with its key (the arguments that define it), the file's SHA-256, its training seconds and a
one-line summary, plus the versions and the date of the recording.

In presenter mode (``GAN_COURSE_PRESENTER=1``) those functions call :func:`find_run` before training: a run
with exactly the same key is loaded instead, and the cell prints one line saying so (:func:`notice`). Any
other run (a changed setting, fast mode's short budgets) trains as usual. Because the recordings are the very
runs the stored outputs show, a notebook in presenter mode prints the same numbers as its stored outputs.

What a recording keeps is what the notebooks show, smaller where nothing is lost to the eye: samples in
float16, a ring run trained inside ``compare_settings`` only the first :data:`COMPARISON_POINTS` of its
points per record, a race only its first :data:`RACE_IMAGES` final images, and no generator weights.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import platform
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from ..toolkit.checks import check_count, check_mapping, check_number, check_option
from ..toolkit.settings import is_fast, is_presenter

#: the environment variable that switches recording on; its value names the notebook being refreshed
RECORD_ENV_VAR = "GAN_COURSE_RECORD_RUNS"
#: where the recordings live, one folder per notebook
RUNS_DIR = Path(__file__).resolve().parent.parent / "assets" / "runs"
#: what can be recorded: a ring run, a chapter-05 MNIST run, a chapter-10 race
KINDS = ("ring", "mnist", "race")
#: points kept per record of a ring run trained inside ``compare_settings`` (its figures use final metrics)
COMPARISON_POINTS = 500
#: final images kept per race (plot_race_samples shows 36)
RACE_IMAGES = 100
INDEX = "index.json"

_REFRESH = "python scripts/refresh_notebooks.py --record-runs notebooks/{notebook}.ipynb"


def _check_kind(kind: object) -> str:
    return str(check_option(kind, "kind (of recorded run)", KINDS))


def _check_text(value: object, name: str, example: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise TypeError(f"{name} must be a non-empty string such as {example!r}, got {value!r}")
    return value


def _canonical(key: object) -> str:
    if not isinstance(key, Mapping) or not key:
        raise TypeError(f"key must be a non-empty dict of the run's defining arguments, got {key!r}")
    try:
        return json.dumps(key, sort_keys=True, separators=(",", ":"), allow_nan=False)
    except (TypeError, ValueError) as err:
        raise TypeError(
            f"key must hold only JSON values (numbers, strings, booleans, lists, dicts), got {key!r}: {err}"
        ) from err


def run_id(kind: str, key: Mapping[str, Any]) -> str:
    """The name a run is recorded under: ``"<kind>-<16 hex digits>"``, from a hash of its ``key`` (a dict of
    the JSON values that define the run, e.g. its settings and seed)."""
    kind = _check_kind(kind)
    return f"{kind}-{hashlib.sha256(_canonical(key).encode()).hexdigest()[:16]}"


def recording_notebook() -> str | None:
    """The notebook whose runs are being recorded (the value of :data:`RECORD_ENV_VAR`), or ``None``.

    Raises ``ValueError`` when recording is asked for in fast or presenter mode (a recording must be a
    full-mode run), or when the value is not a plain notebook name such as ``05_training_dynamics``."""
    name = os.environ.get(RECORD_ENV_VAR, "").strip()
    if not name:
        return None
    if "/" in name or "\\" in name or name.startswith(".") or name.endswith(".ipynb"):
        raise ValueError(
            f"{RECORD_ENV_VAR}={name!r} must be a notebook's name without folder or suffix, e.g. "
            "05_training_dynamics"
        )
    if is_fast() or is_presenter():
        raise ValueError(
            f"{RECORD_ENV_VAR} is set in fast or presenter mode, but recordings must be full-mode runs: "
            "unset GAN_COURSE_FAST and GAN_COURSE_PRESENTER, or unset the recording"
        )
    return name


def _read_index(folder: Path) -> dict[str, Any]:
    path = folder / INDEX
    if not path.is_file():
        return {"notebook": folder.name, "runs": {}}
    try:
        index = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as err:
        raise ValueError(
            f"{path} is not readable JSON ({err}): reinstall gan_helpers, or record the runs again with "
            f"`{_REFRESH.format(notebook=folder.name)}`"
        ) from err
    if not isinstance(index, dict) or not isinstance(index.get("runs"), dict):
        raise ValueError(f"{path} is not an index of recorded runs (no 'runs' table)")
    return index


def _write_atomically(path: Path, data: bytes) -> None:
    part = path.with_name(path.name + ".part")
    part.write_bytes(data)
    os.replace(part, path)


def save_run(
    kind: str,
    key: Mapping[str, Any],
    arrays: Mapping[str, np.ndarray],
    seconds: float,
    summary: str,
    extra: Mapping[str, Any] | None = None,
) -> Path | None:
    """Record one freshly trained run when recording is on (see :func:`recording_notebook`); otherwise do
    nothing and return ``None``.

    ``arrays`` (name -> NumPy array, saved as given) go to ``<kind>-<hash>.npz`` in the notebook's folder;
    the index gets the run's ``key``, the file's SHA-256, ``seconds`` (its training time) and ``summary``
    (one line, e.g. its final coverage), plus any JSON values in ``extra`` (e.g. how many digits it saw).
    Each file is written whole before it replaces the old one. Returns the ``.npz`` path."""
    name = run_id(kind, key)  # checks both
    arrays = check_mapping(arrays, "arrays", "{'steps': np.array([100, 200])}")
    for field, value in arrays.items():
        if not isinstance(field, str) or not isinstance(value, np.ndarray):
            raise TypeError(f"arrays must map names to NumPy arrays, got {field!r}: {type(value).__name__}")
    seconds = check_number(seconds, "seconds (training time)", low=0)
    summary = _check_text(summary, "summary", "5/8 modes covered")
    if extra is not None and not isinstance(extra, Mapping):
        raise TypeError(
            f"extra must be a dict such as {{'images': 5000}} or None, got {type(extra).__name__}"
        )
    extra = dict(extra or {})
    notebook = recording_notebook()
    if notebook is None:
        return None
    folder = RUNS_DIR / notebook
    folder.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **{k: np.asarray(v) for k, v in arrays.items()})
    data = buffer.getvalue()
    path = folder / f"{name}.npz"
    _write_atomically(path, data)
    index = _read_index(folder)
    index.update(notebook=notebook, recorded=date.today().isoformat(), **_versions())
    index["runs"][name] = {
        "kind": kind,
        "key": json.loads(_canonical(key)),
        "file": path.name,
        "sha256": hashlib.sha256(data).hexdigest(),
        "seconds": round(float(seconds), 3),
        "summary": str(summary),
        **extra,
    }
    index["runs"] = dict(sorted(index["runs"].items()))
    _write_atomically(folder / INDEX, (json.dumps(index, indent=1, ensure_ascii=False) + "\n").encode())
    return path


def _versions() -> dict[str, Any]:
    import keras
    import tensorflow as tf

    return {
        "versions": {"tensorflow": tf.__version__, "keras": keras.__version__, "numpy": np.__version__},
        "machine": f"{platform.machine()}, {os.cpu_count()} CPU cores, {platform.system()}",
    }


def pack_history(history: Mapping[str, Any]) -> dict[str, np.ndarray]:
    """A run's logged metrics (name -> one value per record) as arrays named ``history.<name>``, for
    :func:`save_run`; :func:`unpack_history` reverses it."""
    history = check_mapping(history, "history", "{'d_loss': [0.7, 0.6]}")
    return {f"history.{name}": np.asarray(values, np.float64) for name, values in history.items()}


def unpack_history(arrays: Mapping[str, np.ndarray]) -> dict[str, list[float]]:
    """The logged metrics :func:`pack_history` stored among a recording's ``arrays``, as lists of floats."""
    if not isinstance(arrays, Mapping):
        raise TypeError(f"arrays must be a recording's dict of arrays, got {type(arrays).__name__}")
    return {
        name.removeprefix("history."): [float(v) for v in values]
        for name, values in arrays.items()
        if name.startswith("history.")
    }


def recorded_runs() -> dict[str, tuple[Path, dict[str, Any]]]:
    """Every recorded run: run id -> (its notebook's folder, its index entry)."""
    found: dict[str, tuple[Path, dict[str, Any]]] = {}
    if RUNS_DIR.is_dir():
        for folder in sorted(p for p in RUNS_DIR.iterdir() if p.is_dir() and not p.name.startswith(".")):
            for name, entry in _read_index(folder)["runs"].items():
                found[name] = (folder, entry)
    return found


def load_run(name: str) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
    """Load recorded run ``name`` (a :func:`run_id`), after checking its file against the index's SHA-256:
    returns its arrays and its index entry. Raises ``ValueError`` for an unknown run and for a missing or
    damaged file, saying how to get it back."""
    name = _check_text(name, "name (of a recorded run)", "ring-0a8cb97b9fa95860")
    runs = recorded_runs()
    if name not in runs:
        raise ValueError(
            f"name must be one of the {len(runs)} recorded runs listed in {RUNS_DIR}/*/{INDEX}, got {name!r}"
        )
    folder, entry = runs[name]
    path = folder / entry["file"]
    fix = f"reinstall gan_helpers, or record the runs again with `{_REFRESH.format(notebook=folder.name)}`"
    if not path.is_file():
        raise ValueError(f"the recorded run {name} is missing ({path}): {fix}")
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest != entry.get("sha256"):
        raise ValueError(
            f"{path} does not match its index (SHA-256 {digest[:12]}..., the index says "
            f"{str(entry.get('sha256'))[:12]}...): the file was changed or damaged; {fix}"
        )
    with np.load(io.BytesIO(data), allow_pickle=False) as npz:
        arrays = {k: npz[k] for k in npz.files}
    return arrays, entry


def find_run(kind: str, key: Mapping[str, Any]) -> tuple[dict[str, np.ndarray], dict[str, Any]] | None:
    """In presenter mode, the recording of the run with exactly this ``key`` (its arrays and index entry),
    or ``None`` when there is none; outside presenter mode always ``None`` (learners train their own)."""
    name = run_id(kind, key)
    if not is_presenter():
        return None
    if name not in recorded_runs():
        return None
    return load_run(name)


def _duration(seconds: float) -> str:
    return f"{seconds:.0f} s" if seconds < 100 else f"{seconds / 60:.1f} min"


def notice(what: str, seconds: float, count: int = 1, trained_here: int = 0, detail: str = "") -> str:
    """The one line a presenter-mode cell prints when it shows recorded runs, e.g. ``Presenter mode: using
    32 recorded ring runs instead of training them here (6.4 min of training in all when the course's
    outputs were made). Set GAN_COURSE_PRESENTER=0 to train them yourself.`` ``what`` names the runs shown
    (``"32 recorded ring runs"``, ``"the recorded run of seed 0"``), ``count`` how many they are,
    ``seconds`` their training time in all, ``trained_here`` how many others had no recording and are
    trained, and ``detail`` anything to say first in the parentheses (e.g. ``"600 steps on 4,000 training
    digits"``)."""
    what = _check_text(what, "what", "35 recorded ring runs")
    seconds = check_number(seconds, "seconds", low=0)
    count = check_count(count, "count", minimum=1)
    trained_here = check_count(trained_here, "trained_here", minimum=0)
    if not isinstance(detail, str):
        raise TypeError(f"detail must be a string such as '600 steps', got {type(detail).__name__}")
    them = "it" if count == 1 and not trained_here else "them"
    in_all = " in all" if count > 1 else ""
    spent = f"{_duration(seconds)} of training{in_all} when the course's outputs were made"
    about = f"({detail}; {spent})" if detail else f"({spent})"
    if trained_here:
        line = f"Presenter mode: using {what} {about}; training the other {trained_here} here"
        line += " (no recording has their settings)"
    else:
        line = f"Presenter mode: using {what} instead of training {them} here {about}"
    return f"{line}. Set GAN_COURSE_PRESENTER=0 to train {them} yourself."


def many(count: int, noun: str) -> str:
    """``"35 recorded ring runs"`` or ``"1 recorded ring run"``: ``count`` and ``noun`` (singular) for
    :func:`notice`."""
    count = check_count(count, "count", minimum=0)
    noun = _check_text(noun, "noun", "ring run")
    return f"{count:,} recorded {noun}{'' if count == 1 else 's'}"
