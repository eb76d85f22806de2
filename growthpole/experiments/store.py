"""Sweep results on disk: partitioned Parquet, content-addressed runs, a manifest.

Layout of a sweep directory::

    DIR/manifest.json        the sweep (spec, seeds, backend, versions, counts, complete flag)
    DIR/design.parquet       one row per variant: variant, factor values
    DIR/runs.parquet         the plan: one row per run: run_id, variant, replication, factors
    DIR/results/part-<h>.parquet
                             tidy outcome rows of a batch of runs: run_id, variant,
                             replication, factor values, year, region, outcome columns

Every file is written atomically (:mod:`growthpole.io`): a batch file either holds all its
runs or does not exist, so a sweep killed at any instant leaves only whole runs behind. A
part's name ``<h>`` is the SHA-256 prefix of its sorted run ids, so names never collide.
Reading keeps the planned runs only and drops a run stored twice (which the driver never
writes, but a user copying files together could); :func:`stored_run_ids` reports raw counts.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from growthpole.errors import OutputError
from growthpole.io import (
    WRITTEN_BY,
    check_ours_or_empty,
    prepare_output_dir,
    remove_listed_outputs,
    write_json,
    write_parquet,
)
from growthpole.provenance import bytes_sha256

MANIFEST = "manifest.json"
DESIGN = "design.parquet"
RUNS = "runs.parquet"
RESULTS = "results"
KIND = "growthpole-sweep"


def part_files(directory: str | Path) -> list[Path]:
    """The complete result parts (temporary files of interrupted writes are ignored)."""
    results = Path(directory) / RESULTS
    if not results.is_dir():
        return []
    return sorted(results.glob("part-*.parquet"))


def read_manifest(directory: str | Path) -> dict[str, Any] | None:  # the JSON manifest
    path = Path(directory) / MANIFEST
    if not path.is_file():
        return None
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise OutputError(f"cannot read the manifest ({exc})", file=path) from None
    if not isinstance(payload, dict):
        raise OutputError(
            f"corrupt manifest: the top level is a {type(payload).__name__}, not an object",
            file=path,
        )
    return payload


def read_table(
    path: Path, *, columns: list[str] | None = None, required: tuple[str, ...] = ()
) -> pd.DataFrame:
    """A Parquet file of the store, or OutputError naming it (corrupt, truncated, or lacking
    a column the store needs)."""
    try:
        frame = pd.read_parquet(path, columns=columns)
    except Exception as exc:  # pyarrow raises several types for a damaged or odd file
        missing = [c for c in (columns or []) if c not in str(exc)]
        reason = (
            f"lacks column(s) {', '.join(columns or [])}"
            if columns and len(missing) < len(columns)
            else f"corrupt Parquet file ({type(exc).__name__})"
        )
        raise OutputError(
            f"{reason}; delete it (its runs are run again on the next `growthpole sweep`)",
            file=path,
        ) from None
    absent = [c for c in required if c not in frame.columns]
    if absent:
        raise OutputError(
            f"lacks column(s) {', '.join(absent)} that every stored file has; "
            f"delete it (its runs are run again on the next `growthpole sweep`)",
            file=path,
            key=absent[0],
        )
    return frame


def stored_run_ids(directory: str | Path) -> pd.Series:
    """Run id of every run stored in the parts, with repetitions (one entry per stored run)."""
    ids = []
    for path in part_files(directory):
        frame = read_table(path, columns=["run_id"], required=("run_id",))
        ids.append(pd.Series(frame.run_id.unique()))
    if not ids:
        return pd.Series([], dtype=object, name="run_id")
    return pd.concat(ids, ignore_index=True).rename("run_id")


def write_part(directory: str | Path, frame: pd.DataFrame) -> Path:
    """Write one batch of runs atomically; returns the part's path."""
    run_ids = sorted(frame.run_id.unique())
    digest = bytes_sha256("\n".join(run_ids).encode())[:20]
    path = Path(directory) / RESULTS / f"part-{digest}.parquet"
    write_parquet(path, frame.reset_index(drop=True))
    return path


def read_runs(directory: str | Path) -> pd.DataFrame:
    path = Path(directory) / RUNS
    if not path.is_file():
        raise OutputError(
            "not a sweep directory (no runs.parquet); run `growthpole sweep` first", file=directory
        )
    return read_table(path, required=("run_id", "variant", "replication"))


def read_design(directory: str | Path) -> pd.DataFrame:
    path = Path(directory) / DESIGN
    if not path.is_file():
        raise OutputError("not a sweep directory (no design.parquet)", file=directory)
    return read_table(path, required=("variant",))


def read_results(directory: str | Path, *, planned_only: bool = True) -> pd.DataFrame:
    """All stored outcome rows, sorted by (run_id, year, region).

    ``planned_only`` keeps the runs of the directory's current plan (runs.parquet), so runs
    left over from an earlier, different sweep (``--resume`` after editing) are ignored.
    """
    directory = Path(directory)
    parts = part_files(directory)
    if not parts:
        raise OutputError("the sweep directory holds no results yet", file=directory)
    frame = pd.concat(
        [
            read_table(p, required=("run_id", "variant", "replication", "year", "region"))
            for p in parts
        ],
        ignore_index=True,
    )
    if planned_only:
        planned = set(read_runs(directory).run_id)
        frame = frame[frame.run_id.isin(planned)]
    frame = frame.drop_duplicates(["run_id", "year", "region"], keep="first")
    return frame.sort_values(["run_id", "year", "region"], kind="stable").reset_index(drop=True)


def check_sweep_dir(
    directory: str | Path, spec_hash: str, *, resume: bool, overwrite: bool
) -> bool:
    """Every refusal of :func:`prepare_sweep_dir`, without touching the disk (a command
    checks ``--out`` before it starts a cluster). Returns True when stored runs may be
    reused."""
    directory = Path(directory)
    if directory.exists() and not directory.is_dir():
        raise OutputError("output path exists and is not a directory", file=directory)
    check_ours_or_empty(directory)
    manifest = read_manifest(directory) if directory.is_dir() else None
    if manifest is not None and manifest.get("kind") != KIND and not overwrite:
        raise OutputError(
            "directory holds results that are not a sweep; choose another "
            "--out or pass --overwrite",
            file=directory,
        )
    if overwrite:
        return False
    if manifest is None:
        if part_files(directory):
            raise OutputError(
                "directory holds result parts but no manifest.json, so "
                "growthpole cannot tell whose they are; delete the directory "
                "or choose another --out",
                file=directory,
            )
        return False
    if manifest.get("spec_hash") != spec_hash and not resume:
        raise OutputError(
            f"directory holds a different sweep ({manifest.get('sweep_name')}, "
            f"spec {str(manifest.get('spec_hash'))[:12]}); pass --resume to "
            f"reuse the runs both share, or --overwrite to start again",
            file=directory,
        )
    return True


def prepare_sweep_dir(
    directory: str | Path, spec_hash: str, *, resume: bool, overwrite: bool
) -> tuple[Path, bool]:
    """Make ``directory`` ready for a sweep with ``spec_hash``.

    Returns (directory, reusing): ``reusing`` is True when stored runs may be reused.
    A directory holding the same sweep is resumed without asking; one holding a different
    sweep is refused unless ``resume`` (reuse the runs whose ids the new plan shares) or
    ``overwrite`` (delete the files its manifest lists and start again). A directory that
    holds files but no growthpole manifest is always refused. Call it with the
    directory's lock held (growthpole.experiments.execute.locked_sweep_dir) when it may
    delete.
    """
    reusing = check_sweep_dir(directory, spec_hash, resume=resume, overwrite=overwrite)
    directory = Path(directory)
    if overwrite:
        remove_sweep_files(directory)
    return prepare_output_dir(directory, resume=True), reusing


def remove_sweep_files(directory: Path) -> None:
    """Delete the files the directory's growthpole manifest lists (a sweep's: design, runs,
    result parts; a run's: city_year.parquet, summary.csv) and nothing else: a user's file
    in ``results/`` or beside the manifest stays (growthpole.io.remove_listed_outputs)."""
    if not directory.is_dir():
        return
    remove_listed_outputs(directory)


def write_plan(directory: Path, design: pd.DataFrame, runs: pd.DataFrame) -> None:
    write_parquet(directory / DESIGN, design)
    write_parquet(directory / RUNS, runs)


def write_manifest(directory: Path, payload: dict[str, object]) -> None:
    write_json(directory / MANIFEST, {"kind": KIND, "written_by": WRITTEN_BY, **payload})


def read_sweep_for_analysis(directory: str | Path) -> dict[str, Any]:
    """Check a stored sweep before an analysis reads it (``growthpole sensitivity``,
    ``discover``, ``attribute``): its manifest is a growthpole sweep's with well-formed
    factors, seeds and counts, its plan files and every result part are readable and hold
    the columns the analyses use. Returns the manifest; raises OutputError naming the file
    and key otherwise."""
    import math

    directory = Path(directory)
    if not directory.is_dir():
        raise OutputError(
            "not a directory (expected a sweep directory written by `growthpole sweep`)",
            file=directory,
        )
    manifest = read_manifest(directory)
    path = directory / MANIFEST
    if manifest is None:
        raise OutputError(
            "no manifest.json: not a sweep directory written by `growthpole sweep`", file=path
        )
    if manifest.get("kind") != KIND:
        raise OutputError(
            f"not a sweep's manifest (kind {manifest.get('kind')!r}, expected {KIND!r})",
            file=path,
            key="kind",
        )
    factors = manifest.get("factors")
    if not isinstance(factors, list) or not factors:
        raise OutputError("manifest 'factors' must be a non-empty list", file=path, key="factors")
    for i, factor in enumerate(factors):
        if not isinstance(factor, dict) or not isinstance(factor.get("name"), str):
            raise OutputError(
                "each factor must be a mapping with a 'name'", file=path, key=f"factors.{i}"
            )
        bounds: list[Any] = [factor.get("lower"), factor.get("upper")]  # checked next
        if (
            not all(
                isinstance(b, int | float) and not isinstance(b, bool) and math.isfinite(b)
                for b in bounds
            )
            or not bounds[0] <= bounds[1]
        ):
            raise OutputError(
                f"factor bounds must be finite numbers with lower <= upper, got {bounds!r}"[:200],
                file=path,
                key=f"factors.{i}",
            )
    for key in ("replications", "root_seed"):
        value = manifest.get(key)
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise OutputError(
                f"must be a whole number >= 0, got {value!r}"[:200], file=path, key=key
            )
    if not isinstance(manifest.get("design_method", ""), str):
        raise OutputError("must be text", file=path, key="design_method")
    spec = manifest.get("spec")
    if spec is not None and not isinstance(spec, dict):
        raise OutputError("must be a mapping", file=path, key="spec")
    design = read_design(directory)
    names = [f["name"] for f in factors]
    absent = [n for n in names if n not in design.columns]
    if absent:
        raise OutputError(
            f"lacks the factor column(s) {', '.join(absent)} the manifest lists",
            file=directory / DESIGN,
            key=absent[0],
        )
    read_runs(directory)
    for part in part_files(directory):
        read_table(part, required=("run_id", "variant", "replication", "year", "region"))
    return manifest
