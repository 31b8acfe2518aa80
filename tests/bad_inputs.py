"""Bad values for the property test of ``tests/test_bad_input_properties.py``, as hypothesis strategies, and
the check that a refusal is a clear one.

A *spec* says what kind of argument a parameter takes (an array, a count, a number in a range, an option
name, a model, ...); given the argument of a valid call it returns, for each kind of mistake that applies
(wrong rank, wrong trailing shape, wrong dtype, out of range, NaN/inf, empty, unknown option, wrong type),
a strategy of :class:`Bad` values. Each :class:`Bad` carries a regular expression for how the error message
must show what was given (the bad shape, dtype, value or type).
"""

from __future__ import annotations

import math
import re
import sys
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from hypothesis import strategies as st

import gan_helpers

PACKAGE_DIR = str(Path(gan_helpers.__file__).resolve().parent)

#: words that say what was expected ("must be", "expected", "one of", "at least", ...)
EXPECTED = re.compile(
    r"must|expect|should|needs?\b|one of|at least|at most|between|only|whole number|positive|\bfinite|"
    r"\bin \[|\bin \(|\buse\b|\bpass\b|\bgive\b|\btry\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Bad:
    """One bad argument: the value, a short description for reports and a regex for how the message must
    show what was given."""

    value: object
    kind: str
    given: str

    def __repr__(self) -> str:  # hypothesis prints this for a failing example
        return f"<{self.kind}: {_short(self.value)}>"


#: a spec: the argument of a valid call -> one strategy of bad values per kind of mistake
Spec = Callable[[object], dict[str, st.SearchStrategy[Bad]]]


def _short(value: object) -> str:
    if isinstance(value, np.ndarray):
        return f"array{value.shape} {value.dtype}"
    if hasattr(value, "shape") and hasattr(value, "dtype"):
        return f"{type(value).__name__}{tuple(value.shape)} {value.dtype}"
    text = repr(value)
    return text if len(text) < 60 else text[:57] + "..."


def _either(*patterns: str) -> str:
    return "|".join(f"(?:{p})" for p in patterns if p)


def shape_pattern(shape: Sequence[int]) -> str:
    """A regex for a shape as Python prints a tuple, e.g. ``(3, 28, 28)`` or ``(0,)``."""
    shape = tuple(int(d) for d in shape)
    inner = r",\s*".join(str(d) for d in shape) + ("," if len(shape) == 1 else "")
    return r"\(" + inner + r"\)"


def value_pattern(value: object) -> str:
    """A regex for a scalar as messages show it: ``repr``, ``str`` or ``:g``/``:.3g`` formatted."""
    texts = {repr(value), str(value)}
    if isinstance(value, float) and not isinstance(value, bool):
        texts |= {f"{value:g}", f"{value:.3g}"}
    return _either(*(re.escape(t) for t in texts))


def type_pattern(value: object) -> str:
    """A regex for a wrong-type value: its type's name or its repr."""
    return _either(re.escape(type(value).__name__), re.escape(repr(value)), r"\(\)")


NAN_PATTERN = r"nan|inf"
EMPTY_PATTERN = r"empty|\(0,|\(0\)|\bgot 0\b|\b0 [a-z]+s\b|no [a-z ]+ at all|\bnone\b"
DTYPE_PATTERNS = {
    "str": r"<U|str|unicode",
    "complex": r"complex",
    "object": r"object|dict|NoneType",
    "bool": r"bool",
    "int": r"int|uint8",
}


def _as_numpy(value: object) -> np.ndarray:
    if not isinstance(value, np.ndarray) and callable(getattr(value, "numpy", None)):
        return np.asarray(value.numpy())
    return np.asarray(value)


def _fixed(value: object, kind: str, given: str) -> st.SearchStrategy[Bad]:
    return st.just(Bad(value, kind, given))


# --- arrays ----------------------------------------------------------------------------------------------


def array(
    *,
    ranks: Sequence[int] | None = None,
    min_rank: int | None = None,
    axes: Sequence[int] = (-1,),
    low: float | None = None,
    high: float | None = None,
    dtypes: Sequence[str] = ("str", "complex", "object", "bool"),
    skip: Sequence[str] = (),
    tensor: bool = False,
    none_ok: bool = False,
) -> Spec:
    """Bad versions of an array argument.

    - ``ranks``: the numbers of axes the function accepts (default: the valid argument's); a bad one is
      made by dropping trailing axes or adding axes of length 1; ``min_rank``: any number from this one up;
    - ``axes``: axes whose length the function fixes (default the last; ``()``: none), made 1 or 2 longer;
    - ``low``/``high``: the documented value range (``None``: any); a value outside it is put in;
    - ``dtypes``: wrong dtypes to try (``"int"`` for integer pixels where floats are needed);
    - ``skip``: kinds that are legitimate for this argument (e.g. ``"empty"`` for an element-wise map);
    - ``tensor``: also pass the bad arrays as TensorFlow tensors (for functions that take tensors);
    - ``none_ok``: ``None`` is a valid value (an optional argument).
    """

    def spec(valid: object) -> dict[str, st.SearchStrategy[Bad]]:
        v = _as_numpy(valid)
        allowed = set(ranks) if ranks is not None else {v.ndim}
        kinds: dict[str, st.SearchStrategy[Bad]] = {}

        def wrap(strategy: st.SearchStrategy[Bad]) -> st.SearchStrategy[Bad]:
            if not tensor:
                return strategy
            return st.tuples(strategy, st.booleans()).map(lambda pair: _maybe_tensor(*pair))

        if min_rank is not None:
            bad_ranks = list(range(min_rank))
        else:
            bad_ranks = sorted(set(range(0, max(allowed | {v.ndim}) + 3)) - allowed)
        if bad_ranks and "rank" not in skip:
            kinds["rank"] = wrap(st.sampled_from(bad_ranks).map(lambda r: _with_rank(v, r)))
        if axes and v.ndim and "shape" not in skip:
            kinds["shape"] = wrap(
                st.tuples(st.sampled_from(list(axes)), st.sampled_from([1, 2])).map(
                    lambda pair: _longer(v, *pair)
                )
            )
        if dtypes and "dtype" not in skip:
            kinds["dtype"] = st.sampled_from(list(dtypes)).map(lambda d: _with_dtype(v, d))
        if "nan" not in skip:
            kinds["nan"] = wrap(
                st.tuples(st.integers(0, max(v.size - 1, 0)), st.sampled_from([np.nan, np.inf, -np.inf])).map(
                    lambda pair: _with_value(v, *pair, kind="nan", given=NAN_PATTERN)
                )
            )
        if v.ndim and "empty" not in skip:
            empty = v[:0]
            kinds["empty"] = wrap(_fixed(empty, "empty", _either(EMPTY_PATTERN, shape_pattern(empty.shape))))
        outside = []
        steps = (1.0, 3.0) if np.issubdtype(v.dtype, np.integer) else (0.5, 1.0)
        if high is not None:
            outside += [high + d for d in (*steps, 254.0 if high <= 1 else 10.0)]
        if low is not None:
            outside += [low - d for d in (*steps, 3.0)]
        if outside and "range" not in skip:
            kinds["range"] = wrap(
                st.tuples(st.integers(0, max(v.size - 1, 0)), st.sampled_from(outside)).map(
                    lambda pair: _with_value(v, *pair, kind="range", given=value_pattern(float(pair[1])))
                )
            )
        if "type" not in skip:
            kinds["type"] = st.sampled_from(["images", {"a": 1}] + ([] if none_ok else [None])).map(
                lambda x: Bad(x, "type", type_pattern(x))
            )
        return kinds

    return spec


def _maybe_tensor(bad: Bad, as_tensor: bool) -> Bad:
    if not as_tensor or not isinstance(bad.value, np.ndarray) or bad.value.dtype == object:
        return bad
    import tensorflow as tf

    return Bad(tf.constant(bad.value), bad.kind + " (tensor)", bad.given)


def _with_rank(v: np.ndarray, rank: int) -> Bad:
    if rank < v.ndim:
        out = v[(Ellipsis,) + (0,) * (v.ndim - rank)] if rank else v.reshape(-1)[0]
        out = np.asarray(out)
    else:
        out = v.reshape(v.shape + (1,) * (rank - v.ndim))
    return Bad(out, f"rank {rank}", _either(shape_pattern(out.shape), rf"\b{rank}[- ]?(d|D|axes|axis)\b"))


def _longer(v: np.ndarray, axis: int, extra: int) -> Bad:
    axis = axis % v.ndim
    index = [slice(None)] * v.ndim
    index[axis] = slice(0, 1)
    piece = np.repeat(v[tuple(index)], extra, axis=axis)
    out = np.concatenate([v, piece], axis=axis)
    return Bad(out, f"axis {axis} {out.shape[axis]} long", shape_pattern(out.shape))


def _with_dtype(v: np.ndarray, dtype: str) -> Bad:
    if dtype == "str":
        out = np.full(v.shape, "x")
    elif dtype == "complex":
        out = v.astype(np.complex128) + 1j
    elif dtype == "object":
        out = np.empty(v.shape, dtype=object)
        out.fill(None)
    elif dtype == "bool":
        out = np.zeros(v.shape, dtype=bool)
        out.flat[::2] = True
    elif dtype == "int":
        out = np.rint(v * 255).clip(0, 255).astype(np.uint8)
    else:
        raise ValueError(dtype)
    return Bad(out, f"dtype {out.dtype}", DTYPE_PATTERNS[dtype])


def _with_value(v: np.ndarray, index: int, value: float, kind: str, given: str) -> Bad:
    if np.issubdtype(v.dtype, np.integer) and math.isfinite(value) and value == int(value):
        out = v.astype(np.int64, copy=True)  # a class number out of range stays a whole number
    else:
        out = v.astype(np.float64 if v.dtype.itemsize > 4 else np.float32, copy=True)
    out.flat[index] = value
    return Bad(out, f"{kind} {value:g}", given)


# --- scalars, options and objects ------------------------------------------------------------------------


def _values(
    kind: str, values: Sequence[object], given: Callable[[object], str] = value_pattern
) -> st.SearchStrategy:
    return st.sampled_from(list(values)).map(lambda x: Bad(x, f"{kind} {x!r}", given(x)))


def count(minimum: int = 1, maximum: int | None = None, none_ok: bool = False) -> Spec:
    """A whole number ``minimum..maximum``: bad are smaller (or larger), fractional, text, bool, NaN."""

    def spec(valid: object) -> dict[str, st.SearchStrategy[Bad]]:
        out_of_range = [minimum - 1, minimum - 3] + ([maximum + 1] if maximum is not None else [])
        return {
            "range": _values("range", out_of_range),
            "type": _values("type", [2.5, "3", True, math.nan] + ([] if none_ok else [None])),
        }

    return spec


def number(
    low: float | None = None,
    high: float | None = None,
    low_open: bool = False,
    high_open: bool = False,
    none_ok: bool = False,
) -> Spec:
    """A real number in ``[low, high]`` (open ends with ``low_open``/``high_open``): bad are numbers outside,
    NaN and infinity, text, bool and complex numbers."""

    def spec(valid: object) -> dict[str, st.SearchStrategy[Bad]]:
        outside: list[float] = [math.nan]
        if low is not None:
            outside += [low - 1.0, low - 0.5] + ([float(low)] if low_open else [])
            outside += [-math.inf]
        if high is not None:
            outside += [high + 1.0, high + 0.5] + ([float(high)] if high_open else []) + [math.inf]
        if low is None and high is None:
            outside += [math.inf, -math.inf]
        return {
            "range": _values("range", outside),
            "type": _values("type", ["0.5", True, 1 + 1j] + ([] if none_ok else [None])),
        }

    return spec


def option(*choices: object, none_ok: bool = False) -> Spec:
    """An option name out of ``choices``: bad are typos, other cases, empty text, numbers."""

    def spec(valid: object) -> dict[str, st.SearchStrategy[Bad]]:
        text = str(valid if valid is not None else choices[0])
        typos = [text + "_typo", text.upper() if text.upper() != text else text.title(), "", " " + text, 1]
        typos = [t for t in typos if t not in choices]
        return {"option": _values("option", typos + ([] if none_ok else [None]))}

    return spec


def pair(none_ok: bool = False) -> Spec:
    """A pixel range ``(low, high)``: bad are reversed, empty, NaN or infinite ends, text, one number."""

    def spec(valid: object) -> dict[str, st.SearchStrategy[Bad]]:
        bad = [(1, 0), (0, 0), (0, math.nan), (-math.inf, 1), "01", 5, (0, 1, 2), (True, 2)]
        return {"range": _values("range", bad + ([] if none_ok else [None]))}

    return spec


def of_type(what: str, wrong: Sequence[object] | None = None) -> Spec:
    """An object of some kind (``what``: a model, a record, a callable, ...): bad are values of other types
    (``wrong``; by default ``what`` itself as text, a number, ``None`` and an array)."""

    def spec(valid: object) -> dict[str, st.SearchStrategy[Bad]]:
        bad = list(wrong) if wrong is not None else [what, 3, None, np.zeros((2, 2), np.float32)]
        return {"type": _values("type", bad, type_pattern)}

    return spec


def flag() -> Spec:
    """A ``True``/``False`` switch: bad are words that read as the opposite (any non-empty text is true)."""

    def spec(valid: object) -> dict[str, st.SearchStrategy[Bad]]:
        return {"type": _values("type", ["no", "False", "yes", None])}

    return spec


def values(kind: str, bad: Sequence[object], given: Callable[[object], str] = type_pattern) -> Spec:
    """Fixed bad values for an argument with its own rules (e.g. a list of name/value pairs)."""

    def spec(valid: object) -> dict[str, st.SearchStrategy[Bad]]:
        return {kind: _values(kind, bad, given)}

    return spec


# --- the check -------------------------------------------------------------------------------------------


def refusal_problem(call: Callable[[], object], names: str, bad: Bad) -> str | None:
    """``None`` if ``call()`` refuses ``bad`` clearly, else what is wrong: it returned (a silent result),
    raised something other than ``ValueError``/``TypeError``, raised from inside NumPy/TensorFlow/Keras
    rather than from a check in gan_helpers, or its message does not name the argument (``names``, a
    regex), what was expected and what was given."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            call()
    except (ValueError, TypeError) as err:
        message = str(err)
        tb = sys.exc_info()[2]
        while tb.tb_next is not None:
            tb = tb.tb_next
        where = tb.tb_frame.f_code.co_filename
        if not str(Path(where).resolve()).startswith(PACKAGE_DIR):
            where = f"{where}:{tb.tb_lineno}"
            return f"raised {type(err).__name__} from {where} (not a gan_helpers check): {message}"
        missing = [
            what
            for what, pattern in (("the argument", names), ("what was expected", EXPECTED.pattern))
            if not re.search(pattern, message, re.IGNORECASE)
        ]
        if not re.search(bad.given, message, re.IGNORECASE):
            missing.append(f"what was given (/{bad.given}/)")
        if missing:
            return f"{type(err).__name__} without {', '.join(missing)}: {message}"
        return None
    except Exception as err:  # any other exception is the finding
        return f"raised {type(err).__module__}.{type(err).__name__}: {str(err)[:300]}"
    return "returned a result (silently accepted)"
