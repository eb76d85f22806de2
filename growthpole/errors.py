"""The project's own error types.

Every error a user can cause (a bad scenario file, a missing data file, an output
directory that already holds results) is a :class:`GrowthpoleError`. The command line
prints it as one line naming the file, the key and what is allowed, and exits with
status 2. Anything else escaping is a bug in growthpole, not in the user's input.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any


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


#: parts of a pydantic error location that name a union member or a type, not a key
_TYPE_TAGS = frozenset({"int", "float", "str", "bool", "literal", "list", "dict"})


def _is_type_tag(part: Any) -> bool:
    """A location part that names a union member (``int``, ``dict[int,float]``,
    ``literal['all']``), not a key of the user's file."""
    return isinstance(part, str) and ("[" in part or part in _TYPE_TAGS)


def _fields_at(model: Any, location: tuple[Any, ...]) -> tuple[str, ...]:
    """The keys allowed at ``location`` (the path of the unknown key's parent) of a pydantic
    ``model``: its own fields, or those of the nested model the path leads to (through
    optional, list and mapping fields)."""
    import typing

    from pydantic import BaseModel

    def nested(annotation: Any) -> tuple[Any, int]:
        """(the model inside ``annotation`` or None, how many container levels wrap it)."""
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            return annotation, 0
        origin = typing.get_origin(annotation)
        arguments = typing.get_args(annotation)
        container = origin in (list, tuple, dict, set, frozenset)
        for argument in arguments[1:] if origin is dict else arguments:
            found, depth = nested(argument)
            if found is not None:
                return found, depth + (1 if container else 0)
        return None, 0

    current, skip = model, 0
    for part in location:
        if _is_type_tag(part):
            continue
        if skip:  # a list index or a mapping key
            skip -= 1
            continue
        field = current.model_fields.get(str(part)) if current is not None else None
        if field is None:
            return ()
        current, skip = nested(field.annotation)
    if current is None:
        return ()
    return tuple(name for name in current.model_fields if name != "source_path")


def input_error(
    exc: Any, model: Any, *, file: str | Path | None = None, what: str | None = None
) -> ScenarioError:
    """The one mapping of a pydantic ``ValidationError`` of a user's file to a
    :class:`ScenarioError` (scenario, sweep, calibration spec and posterior settings): the
    first error, its key, and what is allowed there (the keys of the model at that level, the
    values of a literal). ``what`` names the document for the unknown-key hint."""
    error = exc.errors()[0]
    location = tuple(error["loc"])
    key = ".".join(str(p) for p in location if not _is_type_tag(p)) or None
    kind = error["type"]
    shown = short_repr(error.get("input"))
    if kind == "extra_forbidden":
        allowed = ", ".join(_fields_at(model, location[:-1]))
        hint = f" (see {what})" if what else ""
        return ScenarioError(f"unknown key; allowed: {allowed}{hint}", file=file, key=key)
    if kind == "missing":
        return ScenarioError("required key is missing", file=file, key=key)
    if kind == "literal_error":
        expected = (error.get("ctx") or {}).get("expected", "")
        return ScenarioError(f"got {shown}; allowed: {expected}", file=file, key=key)
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return ScenarioError(
            f"must be a mapping of keys to values, got {shown}", file=file, key=key
        )
    return ScenarioError(f"{error['msg']} (got {shown})"[:300], file=file, key=key)


def short_repr(value: Any) -> str:
    """A bounded repr of user input (never walks a whole alias-expanded structure)."""
    import reprlib

    limits = reprlib.Repr()  # Python 3.11: limits are attributes
    limits.maxlevel, limits.maxdict, limits.maxlist, limits.maxset = 3, 4, 4, 4
    limits.maxstring = limits.maxother = 60
    return limits.repr(value)
