"""The toolkit's argument checks: each returns the checked value or raises a ``ValueError`` (``TypeError`` for
a value of the wrong kind of object) whose message names the argument, says what was expected and shows
what was given, before NumPy or TensorFlow can fail deep inside with a message about something else.

Images, labels and pixel ranges have their own checks in :mod:`gan_helpers.data` (``check_images``,
``check_picture``, ``check_labels``, ``validate_scale``); these are for everything else: whole numbers, real
numbers in a range, option names, arrays of numbers, ``{name: value}`` dicts and lists of course results.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping, Sequence

import numpy as np

#: Marks "no original value given" for :func:`dtype_problem`.
_ARRAY = object()
#: What each refused kind of array element is called in messages.
_KINDS = {"b": "True/False values", "c": "complex numbers", "O": "Python objects", "U": "text", "S": "bytes"}


def _span(low: float | None, high: float | None, low_open: bool, high_open: bool) -> str:
    if low is not None and high is not None:
        return f"in {'(' if low_open else '['}{low:g}, {high:g}{')' if high_open else ']'}"
    if low is not None:
        return f"{'>' if low_open else '>='} {low:g}"
    if high is not None:
        return f"{'<' if high_open else '<='} {high:g}"
    return ""


def check_count(value: object, name: str, minimum: int = 1, maximum: int | None = None) -> int:
    """``value`` as an ``int`` if it is a whole number (not ``True``/``False``) from ``minimum`` to
    ``maximum`` (``None``: no upper limit)."""
    span = f"from {minimum} to {maximum}" if maximum is not None else f">= {minimum}"
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (numbers.Integral, np.integer)):
        raise ValueError(f"{name} must be a whole number {span}, got {value!r}")
    if value < minimum or (maximum is not None and value > maximum):
        raise ValueError(f"{name} must be a whole number {span}, got {value}")
    return int(value)


def check_number(
    value: object,
    name: str,
    low: float | None = None,
    high: float | None = None,
    low_open: bool = False,
    high_open: bool = False,
) -> float:
    """``value`` as a ``float`` if it is a finite real number (not ``True``/``False``, text or complex) within
    ``[low, high]`` (an open end with ``low_open``/``high_open``; ``None``: unbounded)."""
    span = _span(low, high, low_open, high_open)
    expected = f"{name} must be a finite number{' ' + span if span else ''}"
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (numbers.Real, np.floating, np.integer)):
        raise ValueError(f"{expected}, got {value!r}")
    number = float(value)
    too_low = low is not None and (number <= low if low_open else number < low)
    too_high = high is not None and (number >= high if high_open else number > high)
    if not math.isfinite(number) or too_low or too_high:
        raise ValueError(f"{expected}, got {value!r}")
    return number


def check_option(value: object, name: str, choices: Sequence[object]) -> object:
    """``value`` if it is one of ``choices`` (an option name), else a ``ValueError`` listing them."""
    if isinstance(value, (str, type(None), bool, numbers.Number)) and value in choices:
        return value
    listed = ", ".join(repr(c) for c in choices)
    raise ValueError(f"{name} must be one of {listed}, got {value!r}")


def check_mapping(value: object, name: str, example: str) -> dict:
    """``value`` as a ``dict`` if it is a non-empty mapping (e.g. ``{name: array}`` for a plot), else a
    ``TypeError``/``ValueError``; ``example`` shows what one looks like, e.g. ``"{'lerp': norms}"``."""
    if not isinstance(value, Mapping):
        raise TypeError(f"{name} must be a dict such as {example}, got {type(value).__name__}")
    if not value:
        raise ValueError(f"{name} is empty (got {value!r}): expected at least one entry, such as {example}")
    return dict(value)


def check_items(values: object, name: str, kind: type, source: str, mapping: bool = False) -> list:
    """``values`` as a non-empty list of ``kind`` objects (``source`` says where they come from, e.g.
    ``"train_on_ring(...)"``); with ``mapping``, a dict of them is accepted too (its values are returned).
    A ``TypeError``/``ValueError`` names the argument and what was given otherwise."""
    expected = f"{'a dict or ' if mapping else ''}a list of {kind.__name__} (from {source})"
    if mapping and isinstance(values, Mapping):
        items = list(values.values())
    elif isinstance(values, (list, tuple)):
        items = list(values)
    else:
        raise TypeError(f"{name} must be {expected}, got {type(values).__name__}")
    if not items:
        raise ValueError(
            f"{name} is empty (got {values!r}): expected at least one {kind.__name__} (from {source})"
        )
    for item in items:
        if not isinstance(item, kind):
            raise TypeError(f"{name} must be {expected}, got an item of type {type(item).__name__}")
    return items


def dtype_problem(array: np.ndarray, given: object = _ARRAY) -> str | None:
    """Why ``array``'s elements are not real numbers (``None`` when they are): text, complex numbers,
    True/False values or Python objects. ``given``, the value ``array`` was made from, is named instead
    when it was not an array or a sequence at all (e.g. ``None`` or a string)."""
    kind = _KINDS.get(array.dtype.kind)
    if kind is None:
        return None
    if (
        given is not _ARRAY
        and not isinstance(given, (np.ndarray, list, tuple))
        and not hasattr(given, "numpy")
    ):
        text = repr(given)
        return f"{type(given).__name__} {text if len(text) <= 40 else text[:37] + '...'}"
    return f"{kind} (dtype {array.dtype})"


def check_numbers(
    values: object,
    name: str,
    shape: str = "(n, ...)",
    ndim: int | Sequence[int] | None = None,
    allow_empty: bool = False,
    finite: bool = True,
) -> np.ndarray:
    """``values`` (a NumPy array, a tensor, a list or a number) as a float64 array, after checking its
    elements are real numbers (not text, complex numbers, True/False or Python objects), its number of axes
    is ``ndim`` (one of them, when several; ``None``: any), it is not empty (unless ``allow_empty``) and,
    with ``finite``, holds no NaN or infinity. ``shape`` says in messages what was expected, e.g.
    ``"(n, d)"``.
    """
    if callable(getattr(values, "numpy", None)) and not isinstance(values, np.ndarray):
        values = values.numpy()
    if values is None or isinstance(values, (str, bytes, dict, set)):
        raise TypeError(f"{name} must be an array of numbers of shape {shape}, got {type(values).__name__}")
    try:
        array = np.asarray(values)
    except ValueError:  # ragged nested lists
        raise ValueError(
            f"{name} must be an array of numbers of shape {shape}, got a ragged sequence"
        ) from None
    problem = dtype_problem(array, values)
    if problem:
        raise ValueError(f"{name} must hold real numbers, shape {shape}; got {problem}")
    allowed = (ndim,) if isinstance(ndim, int) else ndim
    if allowed is not None and array.ndim not in allowed:
        raise ValueError(f"{name} must have shape {shape}, got shape {array.shape}")
    if array.size == 0 and not allow_empty:
        raise ValueError(f"{name} is empty (shape {array.shape}): expected at least one value, shape {shape}")
    array = array.astype(np.float64)
    if finite:
        bad = int(array.size - np.count_nonzero(np.isfinite(array)))
        if bad:
            raise ValueError(f"{name} must be finite numbers, got {bad:,} NaN or infinite value(s)")
    return array
