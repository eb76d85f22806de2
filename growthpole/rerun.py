"""Run directories that survive interruption, and exact re-runs from a manifest.

:func:`run_to_directory` is what ``growthpole run`` does. It writes

1. ``manifest.json`` with ``complete: false`` (scenario dump and hash, parameters, seeds,
   versions, commit, SHA-256 of the data files);
2. one ``parts/replication_NNNNN.parquet`` per replication as soon as it is computed, each
   written to a temporary name and renamed (growthpole.io.atomic_path), so a part that
   exists is whole;
3. ``city_year.parquet`` and ``summary.csv`` assembled from all replications (atomically);
4. ``manifest.json`` again with ``complete: true`` and the SHA-256 of the outputs; then the
   parts are deleted.

An interrupted run (Ctrl-C, SIGTERM, a crash, a full disk) therefore never leaves a
``city_year.parquet`` beside a manifest saying ``complete: true`` unless every replication
is in it. ``growthpole run SCENARIO --out DIR --resume`` keeps the parts already written
(only if the manifest records the same scenario hash and parameters) and computes the rest;
because replication r always draws from the r-th child of the root SeedSequence, the
resumed ``city_year.parquet`` is byte-identical to an uninterrupted run's.

:func:`rerun` rebuilds the scenario and parameters recorded in a manifest, runs them again
into a fresh directory and compares ``city_year.parquet`` byte for byte (``growthpole
rerun RUN_DIR``: exit status 0 when identical, 1 when different).
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from growthpole.errors import GrowthpoleError, OutputError
from growthpole.io import (
    exclusive_directory,
    remove_listed_outputs,
    remove_temporaries,
    write_json,
    write_parquet,
)
from growthpole.parameters import ModelParameters, make_parameters
from growthpole.provenance import data_fingerprint, file_sha256, payload_sha256
from growthpole.scenario import Scenario, build_scenario

MANIFEST = "manifest.json"
CITY_YEAR = "city_year.parquet"
SUMMARY = "summary.csv"
PARTS = "parts"


def run_key(scenario: Scenario, parameters: ModelParameters, *, drawn: bool = False) -> str:
    """12 hex digits naming what a replication's table depends on (scenario hash, effective
    parameters, whether replications drew their own from the uncertainty block): a part
    written by another scenario or parameter set has another key."""
    record: dict[str, Any] = {
        "scenario_hash": scenario.content_hash(),
        "parameters": parameters.as_dict(),
    }
    if drawn:  # absent otherwise: the keys of earlier runs
        record["parameters_drawn"] = True
    return payload_sha256(record, compact=False, default=str)[:12]


def part_path(directory: Path, replication: int, key: str) -> Path:
    """Where replication ``replication``'s table waits until the run is assembled; ``key``
    (:func:`run_key`) says which scenario and parameters wrote it."""
    return directory / PARTS / f"replication_{replication:05d}-{key}.parquet"


_PART_NAME = re.compile(r"^replication_(\d{5})(?:-([0-9a-f]{12}))?\.parquet$")


def read_manifest(path: Path) -> dict[str, Any]:
    """A run manifest, or OutputError naming the file and what is wrong."""
    if path.is_dir():
        path = path / MANIFEST
    if not path.is_file():
        raise OutputError("no manifest.json: not a growthpole run directory", file=path)
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise OutputError(f"corrupt manifest (not JSON: {exc})", file=path) from None
    if not isinstance(payload, dict):
        raise OutputError("corrupt manifest (top level is not an object)", file=path)
    for key in ("scenario", "parameters", "root_seed", "replications", "complete"):
        if key not in payload:
            raise OutputError("manifest lacks a required entry", file=path, key=key)
    for key in ("scenario", "parameters"):
        if not isinstance(payload[key], dict):
            raise OutputError(
                f"manifest '{key}' must be a mapping, got {type(payload[key]).__name__}",
                file=path,
                key=key,
            )
    for key in ("root_seed", "replications"):
        value = payload[key]
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise OutputError(
                f"manifest '{key}' must be a whole number >= 0, got {value!r}"[:200],
                file=path,
                key=key,
            )
    if not isinstance(payload["complete"], bool):
        raise OutputError(
            f"manifest 'complete' must be true or false, got {payload['complete']!r}"[:200],
            file=path,
            key="complete",
        )
    for key, kind in (
        ("scenario_hash", str),
        ("files_sha256", dict),
        ("versions", dict),
        ("data_sha256", dict),
    ):
        if payload.get(key) is not None and not isinstance(payload[key], kind):
            raise OutputError(
                f"manifest '{key}' must be a {kind.__name__}, got {type(payload[key]).__name__}",
                file=path,
                key=key,
            )
    return payload


@dataclass
class DirectoryRun:
    """What :func:`run_to_directory` did."""

    directory: Path
    result: Any  # growthpole.runner.RunResult
    reused: int = 0  # replications taken from parts of an interrupted run
    already_complete: bool = False


def run_to_directory(
    scenario: Scenario,
    directory: str | Path,
    *,
    overwrite: bool = False,
    resume: bool = False,
    parameters: ModelParameters | None = None,
    progress: bool = False,
    command: Sequence[str] | None = None,
    executor: Any = None,
) -> DirectoryRun:
    """Run ``scenario`` into ``directory`` so that an interruption loses nothing finished.

    The directory is locked for the whole run (growthpole.io.exclusive_directory): a second
    process writing into it is refused. ``executor``: run the replications on it
    (growthpole.experiments, e.g. the Dask executor of ``run --workers``); default serial."""
    with exclusive_directory(directory, overwrite=overwrite, resume=resume) as locked:
        return _run_locked(
            scenario,
            locked,
            overwrite=overwrite,
            resume=resume,
            parameters=parameters,
            progress=progress,
            command=command,
            executor=executor,
        )


def _run_locked(
    scenario: Scenario,
    directory: Path,
    *,
    overwrite: bool,
    resume: bool,
    parameters: ModelParameters | None,
    progress: bool,
    command: Sequence[str] | None,
    executor: Any = None,
) -> DirectoryRun:
    from growthpole.runner import RUN_FILES, RunResult, manifest, run_scenario, write_results

    manifest_path = directory / MANIFEST
    explicit = parameters
    parameters = parameters or scenario.model_parameters()
    key = run_key(scenario, parameters, drawn=explicit is None and scenario.uncertainty is not None)
    completed: dict[int, pd.DataFrame] = {}
    if resume and manifest_path.exists():
        recorded = read_manifest(manifest_path)
        _check_same_run(recorded, scenario, parameters, manifest_path)
        if recorded.get("complete") is True and (directory / CITY_YEAR).is_file():
            city_year = _read_parquet(directory / CITY_YEAR)
            from growthpole.seeds import replication_seeds

            seeds = replication_seeds(scenario.seed, scenario.replications)
            result = RunResult(
                scenario,
                city_year,
                seeds,
                parameters,
                root_seed=scenario.seed,
                explicit_parameters=not recorded.get("parameters_drawn", False),
            )
            return DirectoryRun(
                directory, result, reused=scenario.replications, already_complete=True
            )
        completed = _load_parts(directory, scenario.replications, key)
    elif resume and any((directory / name).exists() for name in (CITY_YEAR, SUMMARY)):
        raise OutputError(
            "cannot resume: results without a manifest.json; pass --overwrite to replace them",
            file=directory,
        )
    else:
        if overwrite:
            remove_listed_outputs(directory)  # only what the old manifest lists
        _remove_parts(directory)  # parts of another run
    _remove_stray_temporaries(directory)

    extra: dict[str, object] = {"data_sha256": data_fingerprint(), "run_key": key}
    from growthpole.seeds import replication_seeds

    placeholder = RunResult(
        scenario,
        pd.DataFrame(),
        replication_seeds(scenario.seed, scenario.replications),
        parameters,
        root_seed=scenario.seed,
        extra=extra,
    )
    write_json(
        manifest_path,
        manifest(placeholder, complete=False, command=list(command) if command else None),
    )
    for name in RUN_FILES:  # an old complete-looking file must not survive
        (directory / name).unlink(missing_ok=True)

    def keep(replication: int, frame: pd.DataFrame) -> None:
        write_parquet(part_path(directory, replication, key), frame)

    if executor is not None:
        extra["executor"] = executor.describe()
    result = run_scenario(
        scenario,
        parameters=explicit,
        progress=progress,
        completed=completed,
        on_replication=keep,
        executor=executor,
    )
    result.extra.update(extra)
    result.extra["replications_resumed"] = len(completed)
    write_results(result, directory, command=list(command) if command else None)
    _remove_parts(directory)
    return DirectoryRun(directory, result, reused=len(completed))


def _check_same_run(
    recorded: dict[str, Any], scenario: Scenario, parameters: ModelParameters, path: Path
) -> None:
    if recorded.get("scenario_hash") != scenario.content_hash():
        raise OutputError(
            f"holds a run of a different scenario (recorded hash "
            f"{str(recorded.get('scenario_hash'))[:12]}..., this one "
            f"{scenario.content_hash()[:12]}...); pass --overwrite to replace it",
            file=path,
            key="scenario_hash",
        )
    if recorded.get("parameters") != parameters.as_dict():
        raise OutputError(
            "holds a run with different parameters; pass --overwrite to replace it",
            file=path,
            key="parameters",
        )


def _read_parquet(path: Path) -> pd.DataFrame:
    try:
        return pd.read_parquet(path)
    except Exception as exc:  # pyarrow raises several types for a damaged file
        raise OutputError(
            f"corrupt Parquet file ({type(exc).__name__}); delete it and resume again", file=path
        ) from None


def _load_parts(directory: Path, replications: int, key: str) -> dict[int, pd.DataFrame]:
    """The parts of an interrupted run of the same scenario and parameters (``key``); a part
    of any other run refuses the resume (it would mix two scenarios)."""
    completed: dict[int, pd.DataFrame] = {}
    folder = directory / PARTS
    if not folder.is_dir():
        return completed
    for path in sorted(folder.iterdir()):
        match = _PART_NAME.match(path.name)
        if match is None:
            continue  # not a part (a temporary, or a file growthpole did not write)
        r, part_key = int(match.group(1)), match.group(2)
        if part_key is not None and part_key != key:
            raise OutputError(
                f"part was written by another scenario or parameter set (run "
                f"key {part_key}, this run {key}); refusing to mix them: pass "
                f"--overwrite to start again",
                file=path,
                key="run_key",
            )
        if r >= replications:
            raise OutputError(
                f"part holds replication {r}, beyond this run's {replications} "
                f"replications; refusing to mix runs: pass --overwrite",
                file=path,
                key="replications",
            )
        frame = _read_parquet(path)
        if "replication" not in frame.columns or set(frame.replication.unique()) != {r}:
            raise OutputError(
                f"part does not hold replication {r}; delete it and resume again",
                file=path,
                key="replication",
            )
        if r in completed:
            raise OutputError(
                f"replication {r} is stored twice; delete one and resume again",
                file=path,
                key="replication",
            )
        completed[r] = frame
    return completed


def _remove_parts(directory: Path) -> None:
    """Delete the parts growthpole wrote (and their temporaries); ``parts/`` itself only if
    nothing else is left in it."""
    folder = directory / PARTS
    if not folder.is_dir() or folder.is_symlink():
        return
    for path in folder.iterdir():
        if _PART_NAME.match(path.name) and path.is_file():
            path.unlink(missing_ok=True)
    remove_temporaries(folder, ["replication_*.parquet"])
    try:
        folder.rmdir()
    except OSError:
        pass  # the user keeps something there: leave it


def _remove_stray_temporaries(directory: Path) -> None:
    """Temporaries a killed process (SIGKILL) could not remove; never complete files, and
    never temporaries of names growthpole does not write."""
    remove_temporaries(directory, [MANIFEST, CITY_YEAR, SUMMARY])
    if (directory / PARTS).is_dir():
        remove_temporaries(directory / PARTS, ["replication_*.parquet"])


# ---------------------------------------------------------------------------------------
# rerun
# ---------------------------------------------------------------------------------------


@dataclass
class RerunReport:
    """The outcome of :func:`rerun`: ``identical`` and the lines that explain it."""

    identical: bool
    original: Path
    reproduced: Path | None  # None when the reproduction went to a temporary directory
    lines: list[str] = field(default_factory=list)


def scenario_from_manifest(
    recorded: dict[str, Any], path: Path
) -> tuple[Scenario, ModelParameters | None, list[str]]:
    """The scenario and parameters a manifest records (recorded parameters are the
    effective ones, so a calibration file need not exist any more). A run whose replications
    drew their parameters from a posterior ([U1], ``parameters_drawn``) gives None: the rerun
    draws them again, from the posterior file the scenario names (relative to the recorded
    scenario file, whose fingerprint is in the scenario hash)."""
    notes: list[str] = []
    data = recorded["scenario"]
    if not isinstance(data, dict):
        raise OutputError("manifest 'scenario' is not a mapping", file=path, key="scenario")
    data = dict(data)
    calibration = data.get("calibration")
    drawn = recorded.get("parameters_drawn") is True
    source = path
    if drawn and recorded.get("scenario_file"):
        source = Path(str(recorded["scenario_file"]))  # the posterior path is relative to it
    try:
        original = build_scenario(data, source=source) if not calibration else None
        if calibration:
            data["calibration"] = None
        scenario = build_scenario(data, source=source)
        if not isinstance(recorded["parameters"], dict):
            raise OutputError("manifest 'parameters' is not a mapping", file=path, key="parameters")
        parameters = make_parameters(recorded["parameters"], file=str(path))
    except GrowthpoleError as exc:
        raise OutputError(
            f"manifest records an invalid scenario ({exc.detail})", file=path, key=exc.key
        ) from None
    if original is not None:
        same = original.content_hash() == recorded.get("scenario_hash")
        notes.append(
            "scenario hash: "
            + (
                "matches the manifest"
                if same
                else "DIFFERS from the manifest (was the manifest edited?)"
            )
        )
    else:
        notes.append(
            f"scenario hash: not re-derived (calibrated from {calibration}; the "
            f"manifest's recorded parameters are used)"
        )
    if int(recorded["root_seed"]) != scenario.seed:
        raise OutputError(
            f"root_seed {recorded['root_seed']} differs from the scenario's seed {scenario.seed}",
            file=path,
            key="root_seed",
        )
    if int(recorded["replications"]) != scenario.replications:
        raise OutputError(
            f"replications {recorded['replications']} differs from the "
            f"scenario's {scenario.replications}",
            file=path,
            key="replications",
        )
    return scenario, (None if drawn else parameters), notes


def rerun(
    run_dir: str | Path, *, out: str | Path | None = None, progress: bool = False
) -> RerunReport:
    """Re-run a run directory from its manifest and compare ``city_year.parquet`` bytes.

    ``out``: where the reproduction is written (default: a temporary directory, deleted
    afterwards)."""
    from growthpole.runner import git_commit, package_versions

    run_dir = Path(run_dir)
    if not run_dir.is_dir():
        raise OutputError(
            "not a directory (expected a run directory holding manifest.json)", file=run_dir
        )
    manifest_path = run_dir / MANIFEST
    recorded = read_manifest(manifest_path)
    if recorded["complete"] is not True:
        raise OutputError(
            "the run is incomplete (complete: false); finish it with `growthpole "
            "run SCENARIO --out RUN_DIR --resume`",
            file=manifest_path,
            key="complete",
        )
    original_file = run_dir / CITY_YEAR
    if not original_file.is_file():
        raise OutputError(
            "city_year.parquet is missing although the manifest says complete", file=run_dir
        )
    scenario, parameters, notes = scenario_from_manifest(recorded, manifest_path)
    temporary = out is None
    target = Path(tempfile.mkdtemp(prefix="growthpole-rerun-")) if out is None else Path(out)
    try:
        run_to_directory(
            scenario,
            target,
            parameters=parameters,
            progress=progress,
            command=["growthpole", "rerun", str(run_dir)],
        )
        reproduced_file = target / CITY_YEAR
        original_hash, reproduced_hash = file_sha256(original_file), file_sha256(reproduced_file)
        identical = original_hash == reproduced_hash
        lines = [
            f"{CITY_YEAR}: "
            + ("byte-identical" if identical else "DIFFERENT")
            + f" (sha256 {original_hash[:16]} original, {reproduced_hash[:16]} rerun)"
        ]
        recorded_hash = (recorded.get("files_sha256") or {}).get(CITY_YEAR)
        if recorded_hash and recorded_hash != original_hash:
            lines.append(
                f"note: the original {CITY_YEAR} no longer matches the hash its "
                f"manifest recorded (edited after the run?)"
            )
        if not identical:
            lines.extend(_describe_difference(original_file, reproduced_file))
        lines.extend(notes)
        lines.extend(
            _environment_differences(recorded, package_versions(), git_commit(), data_fingerprint())
        )
        return RerunReport(identical, original_file, None if temporary else reproduced_file, lines)
    finally:
        if temporary:
            shutil.rmtree(target, ignore_errors=True)


def _describe_difference(original: Path, reproduced: Path) -> list[str]:
    a, b = _read_parquet(original), _read_parquet(reproduced)
    if a.shape != b.shape or list(a.columns) != list(b.columns):
        return [
            f"shape/columns differ: {a.shape} {list(a.columns)[:6]}... vs {b.shape} "
            f"{list(b.columns)[:6]}..."
        ]
    lines = []
    for column in a.columns:
        x, y = a[column], b[column]
        if x.dtype != y.dtype:
            lines.append(f"column {column}: dtype {x.dtype} vs {y.dtype}")
        elif pd.api.types.is_numeric_dtype(x):
            xv = x.to_numpy(dtype=float, na_value=np.nan)
            yv = y.to_numpy(dtype=float, na_value=np.nan)
            unequal = ~((xv == yv) | (np.isnan(xv) & np.isnan(yv)))
            if unequal.any():
                diff = (
                    np.nanmax(np.abs(xv[unequal] - yv[unequal]))
                    if np.isfinite(xv[unequal] - yv[unequal]).any()
                    else float("nan")
                )
                lines.append(
                    f"column {column}: {int(unequal.sum())} values differ (max "
                    f"absolute difference {diff:.6g})"
                )
        elif not x.equals(y):
            lines.append(f"column {column}: {int((x != y).sum())} values differ")
    return lines or ["values equal; the files differ in encoding or metadata only"]


def _environment_differences(
    recorded: dict[str, Any], versions: dict[str, str], commit: str | None, data: dict[str, str]
) -> list[str]:
    lines = []
    old_versions = recorded.get("versions") or {}
    changed = [
        f"{k} {old_versions[k]} -> {v}"
        for k, v in versions.items()
        if k in old_versions and old_versions[k] != v
    ]
    lines.append("versions: " + ("same as recorded" if not changed else "; ".join(changed)))
    old_commit = recorded.get("git_commit")
    if old_commit != commit:
        lines.append(
            f"git commit: recorded {str(old_commit)[:12]}, now {str(commit)[:12]} "
            f"(uncommitted edits are not tracked)"
        )
    else:
        lines.append("git commit: same as recorded (uncommitted edits are not tracked)")
    old_data = recorded.get("data_sha256")
    if old_data is None:
        lines.append("data files: not recorded by this manifest")
    else:
        changed_files = sorted(
            k for k in set(old_data) | set(data) if old_data.get(k) != data.get(k)
        )
        lines.append(
            "data files: "
            + ("same as recorded" if not changed_files else "changed: " + ", ".join(changed_files))
        )
    return lines
