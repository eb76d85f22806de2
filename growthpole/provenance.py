"""Hashes of what determines a result: the one place growthpole computes a digest.

Every content hash (scenario, calibration spec, posterior settings, sweep and attribution
plans, run ids and keys), every file hash of a manifest and the data fingerprint are
SHA-256 through these functions, so that two records of the same thing agree and a record
can be checked by hand (``sha256sum``; ``json.dumps(payload, sort_keys=True,
separators=(",", ":"))`` for payloads).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

#: read files in blocks of this many bytes (a city-year table may be hundreds of MB)
BLOCK_BYTES = 1 << 20


def canonical_json(
    payload: object, *, compact: bool = True, default: Callable[[Any], Any] | None = None
) -> str:
    """The payload as JSON with sorted keys; ``compact``: no spaces after separators
    (``compact=False`` is the form of the first run keys, kept so that their keys, and the
    resumable parts named by them, stay valid)."""
    separators = (",", ":") if compact else None
    return json.dumps(payload, sort_keys=True, separators=separators, default=default)


def payload_sha256(
    payload: object, *, compact: bool = True, default: Callable[[Any], Any] | None = None
) -> str:
    """SHA-256 (hex) of :func:`canonical_json` of ``payload``."""
    return bytes_sha256(canonical_json(payload, compact=compact, default=default).encode())


def bytes_sha256(*chunks: bytes) -> str:
    """SHA-256 (hex) of the concatenated ``chunks``."""
    digest = hashlib.sha256()
    for chunk in chunks:
        digest.update(chunk)
    return digest.hexdigest()


def file_sha256(path: Path) -> str:
    """SHA-256 (hex) of a file's bytes, read in blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(BLOCK_BYTES), b""):
            digest.update(block)
    return digest.hexdigest()


def tree_sha256(roots_and_files: list[tuple[Path, list[Path]]]) -> str:
    """SHA-256 (hex) of files named by their path relative to their root, in the given
    order: the relative path's bytes, then the file's bytes, for each file."""
    digest = hashlib.sha256()
    for root, files in roots_and_files:
        for path in files:
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def data_fingerprint() -> dict[str, str]:
    """SHA-256 of every data file the model reads (data/*.csv and the imported panel),
    keyed by its path relative to the data directory: what a manifest records."""
    from growthpole.data import data_dir, imported_panel_path

    directory = data_dir()
    files = sorted(directory.glob("*.csv")) if directory.is_dir() else []
    imported = imported_panel_path()
    if imported.is_file():
        files.append(imported)
    return {str(p.relative_to(directory)): file_sha256(p) for p in files}
