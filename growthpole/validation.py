"""Command-line values, checked before any work.

Every numeric option of every command is parsed by one of these ``argparse`` types, so a
value out of its range (``--workers 100000``, ``--workers -2``, ``--flush-seconds nan``,
``--seed -1``) is refused by the parser itself: one line ``growthpole CMD: error: argument
--workers: ...`` and exit status 2, before any file is read, any directory created or any
cluster started. Limits that depend on other flags (``--replications`` beyond the safety
limit needs ``--force``) stay in the commands; sizes that depend on the input files (design
size, memory estimate) are checked by the loaders before any run starts.
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable

#: upper bound of --workers of every command (worker processes on one machine or cluster)
MAX_WORKERS = 256
#: upper bound of seeds (NumPy SeedSequence entropy accepts any int >= 0; 2**63 keeps them
#: within a signed 64-bit integer in Parquet and JSON readers)
MAX_SEED = 2**63 - 1


def integer(low: int | None = None, high: int | None = None) -> Callable[[str], int]:
    """An ``argparse`` type: a whole number in [low, high]."""

    def parse(text: str) -> int:
        try:
            value = int(str(text).strip(), 10)
        except ValueError:
            raise argparse.ArgumentTypeError(f"must be a whole number, got {text!r}") from None
        if (low is not None and value < low) or (high is not None and value > high):
            raise argparse.ArgumentTypeError(f"must be {_range_text(low, high)}, got {value}")
        return value

    parse.__name__ = "integer"
    return parse


def number(
    low: float | None = None,
    high: float | None = None,
    *,
    low_open: bool = False,
    high_open: bool = False,
) -> Callable[[str], float]:
    """An ``argparse`` type: a finite number in [low, high] (ends open when asked); NaN and
    infinities are refused."""

    def parse(text: str) -> float:
        try:
            value = float(str(text).strip())
        except ValueError:
            raise argparse.ArgumentTypeError(f"must be a number, got {text!r}") from None
        if not math.isfinite(value):
            raise argparse.ArgumentTypeError(f"must be a finite number, got {text!r}")
        below = low is not None and (value <= low if low_open else value < low)
        above = high is not None and (value >= high if high_open else value > high)
        if below or above:
            left = "(" if low_open else "["
            right = ")" if high_open else "]"
            interval = (
                f"in {left}{_g(low)}, {_g(high)}{right}"
                if low is not None and high is not None
                else _range_text(low, high)
            )
            raise argparse.ArgumentTypeError(f"must be {interval}, got {text}")
        return value

    parse.__name__ = "number"
    return parse


def _g(value: float | None) -> str:
    if value is None:
        return "-inf"
    if float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    return f"{value:g}"


def _range_text(low: float | None, high: float | None) -> str:
    if low is not None and high is not None:
        return f"between {_g(low)} and {_g(high)}"
    if low is not None:
        return f">= {_g(low)}"
    if high is not None:
        return f"<= {_g(high)}"
    return "a number"


workers = integer(1, MAX_WORKERS)
seed = integer(0, MAX_SEED)
