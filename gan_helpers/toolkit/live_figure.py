"""A matplotlib figure that redraws in place in Jupyter while a loop runs (throttled)."""

from __future__ import annotations

import time
from collections.abc import Callable

import matplotlib.pyplot as plt
from matplotlib.figure import Figure

from .settings import is_fast


def in_notebook() -> bool:
    """True inside a Jupyter kernel (JupyterLab, Colab, nbclient), where figures can update in place."""
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and hasattr(shell, "kernel")


class LiveFigure:
    """A matplotlib figure redrawn in place in Jupyter while a training loop runs.

    ``draw(fig, *args)`` redraws the figure from the loop's current state. ``update(*args)`` calls it
    at most every ``min_interval`` seconds, and less often when drawing is slow, so that redrawing
    takes at most about ``max_share`` of the loop's time. ``finish(*args)`` always draws the final state.

    With ``live=False`` (the default in fast mode and outside Jupyter) only ``finish`` draws: one
    static figure at the end.
    """

    def __init__(
        self,
        fig: Figure,
        draw: Callable[..., None],
        min_interval: float = 1.0,
        max_share: float = 0.1,
        live: bool | None = None,
    ) -> None:
        if min_interval < 0 or not 0 < max_share <= 1:
            raise ValueError("min_interval must be >= 0 and max_share in (0, 1]")
        self.fig, self.draw = fig, draw
        self.min_interval, self.max_share = min_interval, max_share
        self.live = (in_notebook() and not is_fast()) if live is None else live
        self.redraws = 0
        self.seconds_drawing = 0.0
        self._handle = None
        self._next_time = 0.0
        plt.close(fig)  # shown through display() only, never twice

    def _show(self) -> None:
        if not in_notebook():
            return
        from IPython.display import display

        if self._handle is None:
            self._handle = display(self.fig, display_id=True)
        else:
            self._handle.update(self.fig)

    def _render(self, *args: object) -> None:
        start = time.perf_counter()
        self.draw(self.fig, *args)
        self._show()
        spent = time.perf_counter() - start
        self.redraws += 1
        self.seconds_drawing += spent
        self._next_time = time.perf_counter() + max(self.min_interval, spent / self.max_share)

    def update(self, *args: object) -> bool:
        """Redraw now if live and due; returns whether it redrew."""
        if not self.live or time.perf_counter() < self._next_time:
            return False
        self._render(*args)
        return True

    def finish(self, *args: object) -> Figure:
        """Draw the final state (always), show it, and return the figure."""
        self._render(*args)
        return self.fig
