"""Atomic output: nothing half-written, nothing silently overwritten.

Every file is written to a temporary name in the same directory and renamed into place
(``os.replace`` is atomic on POSIX), so an interrupted run never leaves a file that looks
complete. A run directory that already holds results is refused unless the caller passes
``overwrite`` (replace) or ``resume`` (continue).

growthpole writes only into a new or empty directory or one whose ``manifest.json`` it
wrote (:func:`owned_manifest`), and replaces or deletes only the files that manifest lists.
:func:`exclusive_directory` adds a lock file so that two processes never write into one
directory at the same time.
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


def prepare_output_dir(
    directory: str | Path, *, overwrite: bool = False, resume: bool = False
) -> Path:
    """Create ``directory`` or check it may be used; refuse to clobber results.

    A directory that exists must be empty or hold a manifest growthpole wrote
    (:func:`owned_manifest`), whatever ``overwrite`` says."""
    directory = Path(directory)
    if directory.exists() and not directory.is_dir():
        raise OutputError("output path exists and is not a directory", file=directory)
    check_ours_or_empty(directory)
    holds = [m for m in RESULT_MARKERS if (directory / m).exists()]
    if holds and not (overwrite or resume):
        raise OutputError(
            f"output directory already holds results ({', '.join(holds)}); "
            f"pass --overwrite to replace them or --resume to continue",
            file=directory,
        )
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(
            f"cannot create output directory: {exc.strerror}", file=directory
        ) from None
    if not os.access(directory, os.W_OK):
        raise OutputError("output directory is not writable", file=directory)
    return directory


# ---------------------------------------------------------------------------------------
# ownership: growthpole writes only into new or empty directories or its own
# ---------------------------------------------------------------------------------------

#: every manifest growthpole writes carries ``"written_by": WRITTEN_BY``
WRITTEN_BY = "growthpole"
#: the lock file of an output directory (growthpole.io.exclusive_directory)
LOCK_NAME = ".growthpole.lock"
#: manifests written before ``written_by`` existed are recognised by these keys
_LEGACY_MANIFEST_KEYS = (
    ("scenario_hash", "root_seed", "complete"),
    ("scenario_hashes", "complete"),
)


def owned_manifest(directory: str | Path) -> dict[str, object] | None:
    """The directory's manifest.json if growthpole wrote it, else None (no manifest, not
    JSON, not an object, or not marked as growthpole's)."""
    path = Path(directory) / "manifest.json"
    if not path.is_file():
        return None
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    if not isinstance(payload, dict):
        return None
    if payload.get("written_by") == WRITTEN_BY:
        return payload
    if str(payload.get("kind", "")).startswith("growthpole-"):
        return payload
    if any(all(k in payload for k in keys) for keys in _LEGACY_MANIFEST_KEYS):
        return payload
    return None


def foreign_entries(directory: str | Path) -> list[str]:
    """Names in ``directory`` (a non-growthpole directory) other than growthpole's lock."""
    directory = Path(directory)
    if not directory.is_dir():
        return []
    return sorted(p.name for p in directory.iterdir() if p.name != LOCK_NAME)


def check_ours_or_empty(directory: str | Path) -> None:
    """Refuse a directory that holds files but no growthpole manifest (whatever the flags:
    ``--overwrite`` never deletes what growthpole did not write)."""
    directory = Path(directory)
    if not directory.is_dir() or owned_manifest(directory) is not None:
        return
    entries = foreign_entries(directory)
    if entries:
        shown = ", ".join(entries[:3]) + (", ..." if len(entries) > 3 else "")
        raise OutputError(
            f"directory is not empty ({shown}) and holds no growthpole "
            f"manifest.json; growthpole writes only into a new or empty "
            f"directory or one it wrote itself: choose another --out",
            file=directory,
        )


def listed_files(directory: Path, manifest: dict[str, object]) -> list[Path]:
    """Existing files that ``manifest['files']`` lists (names or glob patterns relative to
    the directory); entries that would leave the directory are ignored."""
    entries = manifest.get("files")
    if not isinstance(entries, list):
        return []
    found: list[Path] = []
    root = directory.resolve()
    for entry in entries:
        if (
            not isinstance(entry, str)
            or not entry
            or entry.startswith("/")
            or ".." in Path(entry).parts
            or "\x00" in entry
        ):
            continue
        for path in sorted(directory.glob(entry)):
            try:
                inside = path.resolve().parent.is_relative_to(root)
            except OSError:
                continue
            if inside and path.is_file() and not path.is_symlink():
                found.append(path)
    return found


def remove_temporaries(directory: Path, names: list[str] | tuple[str, ...]) -> None:
    """Delete temporaries that :func:`atomic_path` left for ``names`` (glob patterns) after a
    SIGKILL: ``.NAME.XXXXXXXX.tmp``, and nothing else."""
    for name in names:
        for tmp in directory.glob(f".{name}.*.tmp"):
            if tmp.is_file():
                tmp.unlink(missing_ok=True)


def safe_component(name: str, *, fallback: str = "unnamed") -> str:
    """``name`` as one safe path component: letters, digits, '_', '-', '.', never starting
    with a dot (so never '.', '..' or hidden), at most 100 characters."""
    cleaned = "".join(c if (c.isalnum() or c in "_-.") else "_" for c in str(name))
    cleaned = cleaned.lstrip(".")[:100]
    return cleaned or fallback


# ---------------------------------------------------------------------------------------
# exclusive output: one writer per directory
# ---------------------------------------------------------------------------------------

_HELD: dict[str, list[int]] = {}  # lock path -> [file descriptor, depth] held by this process


@contextlib.contextmanager
def exclusive_lock(lock_path: str | Path, *, what: str | Path | None = None) -> Iterator[Path]:
    """Hold an exclusive ``fcntl.flock`` on ``lock_path`` (created if missing) for the block.

    A second process is refused at once with :class:`OutputError` (no waiting); nested use
    in the same process is allowed (a command holding the lock calls a writer that takes it
    again). The kernel releases the lock when the process dies, even by SIGKILL, so a
    killed run never leaves a stale lock. The lock file itself stays (deleting it would let
    two processes lock two different files of the same name)."""
    import fcntl

    lock_path = Path(lock_path)
    key = os.path.realpath(lock_path)
    if key in _HELD:
        _HELD[key][1] += 1
        try:
            yield lock_path
        finally:
            _HELD[key][1] -= 1
        return
    try:
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o666 & ~_UMASK)
    except OSError as exc:
        raise OutputError(f"cannot create the lock file: {exc.strerror}", file=lock_path) from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        holder = ""
        try:
            holder = os.pread(fd, 64, 0).decode("ascii", "replace").strip()
        except OSError:
            pass
        os.close(fd)
        by = f" (process {holder})" if holder.isdigit() else ""
        raise OutputError(
            f"another growthpole process{by} is writing here; wait for it to "
            f"finish or choose another output",
            file=what or lock_path,
        ) from None
    try:
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
    except OSError:
        pass
    _HELD[key] = [fd, 1]
    try:
        yield lock_path
    finally:
        del _HELD[key]
        os.close(fd)  # releases the flock


@contextlib.contextmanager
def exclusive_directory(
    directory: str | Path, *, overwrite: bool = False, resume: bool = False
) -> Iterator[Path]:
    """Check ``directory`` (:func:`prepare_output_dir`), create it, lock it
    (:func:`exclusive_lock` on ``DIR/.growthpole.lock``) and check it again under the lock,
    so that a writer that finished between the first check and the lock is not clobbered."""
    directory = prepare_output_dir(directory, overwrite=overwrite, resume=resume)
    with exclusive_lock(directory / LOCK_NAME, what=directory):
        prepare_output_dir(directory, overwrite=overwrite, resume=resume)
        yield directory


def remove_listed_outputs(directory: str | Path) -> list[Path]:
    """``--overwrite``: delete the files the directory's own manifest lists (and the
    temporaries of interrupted writes of those names), then folders they leave empty. Files
    the manifest does not list are kept; a directory without a growthpole manifest is left
    alone. Returns the deleted paths."""
    directory = Path(directory)
    manifest = owned_manifest(directory)
    if manifest is None:
        return []
    removed = []
    for path in listed_files(directory, manifest):
        path.unlink(missing_ok=True)
        removed.append(path)
        remove_temporaries(path.parent, [path.name])
    entries = manifest.get("files")
    for entry in entries if isinstance(entries, list) else []:
        if isinstance(entry, str) and "/" in entry and ".." not in Path(entry).parts:
            folder = directory / Path(entry).parent
            with contextlib.suppress(OSError):
                if folder.is_dir() and not folder.is_symlink():
                    remove_temporaries(folder, [Path(entry).name])
                    folder.rmdir()  # only when empty
    return removed
