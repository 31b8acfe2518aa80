"""Progress bars for training loops (tqdm), as text that also reads well in a stored notebook."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import TypeVar

from tqdm import tqdm

T = TypeVar("T")


# delay: the bar first appears after half a second, below anything the loop's first step displays
# (a live figure), rather than as a stray "0 %" line above it.
def _style() -> dict[str, object]:
    return {"file": sys.stdout, "mininterval": 0.5, "ncols": 100, "delay": 0.5}


def progress(iterable: Iterable[T], desc: str = "", total: int | None = None) -> Iterable[T]:
    """Wrap ``iterable`` in a tqdm progress bar written to stdout.

    A text bar rather than tqdm's notebook widget: it updates in place in JupyterLab, Colab and
    terminals alike, and a notebook saved after the run shows the bar's final state (a widget would
    show its first state, 0 %, to anyone reading the notebook without running it).
    """
    return tqdm(iterable, desc=desc, total=total, **_style())


def progress_bar(total: int, desc: str = "") -> tqdm:
    """A progress bar advanced by hand with ``bar.update(n)`` (e.g. from a Keras callback); same style."""
    return tqdm(total=total, desc=desc, **_style())
