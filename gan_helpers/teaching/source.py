"""Show a helper's source code in the notebook, so the learner reads exactly what runs."""

from __future__ import annotations

import inspect
from collections.abc import Callable


def source_markdown(*functions: Callable) -> str:
    """The source code of ``functions`` as one fenced Python block of Markdown."""
    if not functions:
        raise ValueError("pass at least one function")
    blocks = []
    for fn in functions:
        try:
            blocks.append(inspect.getsource(fn).rstrip())
        except (TypeError, OSError) as err:
            raise ValueError(f"cannot show the source of {fn!r}: {err}") from None
    return "```python\n" + "\n\n\n".join(blocks) + "\n```"


def show_source(*functions: Callable) -> None:
    """Display the source code of ``functions`` as highlighted code in the notebook."""
    from IPython.display import Markdown, display

    display(Markdown(source_markdown(*functions)))
