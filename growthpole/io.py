"""Atomic output: nothing half-written, nothing silently overwritten.

Every file is written to a temporary name in the same directory and renamed into place
(``os.replace`` is atomic on POSIX), so an interrupted run never leaves a file that looks
complete. A run directory that already holds results is refused unless the caller passes
``overwrite`` (replace) or ``resume`` (continue).
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pandas as pd

from growthpole.errors import OutputError

RESULT_MARKERS = ("manifest.json", "city_year.parquet", "summary.csv")
_UMASK = os.umask(0)
os.umask(_UMASK)


@contextlib.contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; rename it onto ``path`` on success."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.fchmod(fd, 0o666 & ~_UMASK)  # mkstemp makes 0600; outputs get the usual permissions
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        os.replace(tmp_path, path)
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


def write_text(path: str | Path, text: str) -> None:
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")


def write_json(path: str | Path, payload: object) -> None:
    write_text(path, json.dumps(payload, indent=2, sort_keys=True, ensure_ascii=False) + "\n")


def write_parquet(path: str | Path, frame: pd.DataFrame) -> None:
    with atomic_path(path) as tmp:
        frame.to_parquet(tmp, index=False, engine="pyarrow", compression="zstd")


def write_csv(path: str | Path, frame: pd.DataFrame) -> None:
    with atomic_path(path) as tmp:
        frame.to_csv(tmp, index=False, lineterminator="\n")


def prepare_output_dir(directory: str | Path, *, overwrite: bool = False,
                       resume: bool = False) -> Path:
    """Create ``directory`` or check it may be used; refuse to clobber results."""
    directory = Path(directory)
    if directory.exists() and not directory.is_dir():
        raise OutputError("output path exists and is not a directory", file=directory)
    holds = [m for m in RESULT_MARKERS if (directory / m).exists()]
    if holds and not (overwrite or resume):
        raise OutputError(f"output directory already holds results ({', '.join(holds)}); "
                          f"pass --overwrite to replace them or --resume to continue",
                          file=directory)
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create output directory: {exc.strerror}",
                          file=directory) from None
    if not os.access(directory, os.W_OK):
        raise OutputError("output directory is not writable", file=directory)
    return directory
