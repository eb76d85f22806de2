"""The project's own error types.

Every error a user can cause (a bad scenario file, a missing data file, an output
directory that already holds results) is a :class:`GrowthpoleError`. The command line
prints it as one line naming the file, the key and what is allowed, and exits with
status 2. Anything else escaping is a bug in growthpole, not in the user's input.
"""

from __future__ import annotations

from pathlib import Path


class GrowthpoleError(Exception):
    """A user-facing error: one line, naming the file, the key and what is allowed."""

    exit_status = 2

    def __init__(self, message: str, *, file: str | Path | None = None, key: str | None = None):
        self.file = str(file) if file is not None else None
        self.key = key
        self.detail = message
        super().__init__(self.one_line())

    def one_line(self) -> str:
        parts = []
        if self.file:
            parts.append(self.file)
        if self.key:
            parts.append(f"key '{self.key}'")
        prefix = ": ".join(parts)
        text = f"{prefix}: {self.detail}" if prefix else self.detail
        return " ".join(text.split())


class ScenarioError(GrowthpoleError):
    """A scenario, sweep or calibration file is malformed or out of range."""


class DataError(GrowthpoleError):
    """A data file is missing, corrupt or fails its schema."""


class OutputError(GrowthpoleError):
    """An output location cannot be used (e.g. it already holds results)."""


class ModelInvariantError(GrowthpoleError):
    """The simulation broke one of its invariants (NaN, negative stock, people not conserved)."""
