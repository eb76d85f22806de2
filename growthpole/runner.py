"""Running scenarios: replications, seeds, outputs.

:func:`simulate` is the model as a pure function of (scenario, parameters, replication
seed): it returns the replication's city-year table. :func:`run_scenario` spawns one
SeedSequence child per replication in the parent (replication r gets the same child in every
scenario: common random numbers) and stacks the tables. :func:`write_run` writes a run
directory atomically: ``city_year.parquet``, ``summary.csv``, ``manifest.json``.
"""

from __future__ import annotations

import platform
import subprocess
import sys
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from growthpole.fiscal import FISCAL_FILE
from growthpole.io import WRITTEN_BY, exclusive_directory, write_csv, write_json, write_parquet
from growthpole.model import GrowthPoleModel
from growthpole.outcomes import TOP
from growthpole.parameters import ModelParameters
from growthpole.rerun import CITY_YEAR, MANIFEST, SUMMARY
from growthpole.scenario import Scenario
from growthpole.seeds import replication_seeds, seed_record

if TYPE_CHECKING:
    from growthpole.experiments.base import Executor

SUMMARY_QUANTILES = (0.05, 0.5, 0.95)
#: the result files of a run directory, beside manifest.json (written by write_results)
RUN_FILES = (CITY_YEAR, SUMMARY, FISCAL_FILE)


def simulate(
    scenario: Scenario,
    seed_sequence: np.random.SeedSequence,
    *,
    replication: int = 0,
    parameters: ModelParameters | None = None,
    switches: Mapping[str, bool] | None = None,
) -> pd.DataFrame:
    """One replication: the city-year table (pure function of its arguments)."""
    model = GrowthPoleModel(
        scenario, seed_sequence, parameters=parameters, switches=switches, replication=replication
    )
    return model.run()


@dataclass
class RunResult:
    """Stacked outputs of a scenario's replications."""

    scenario: Scenario
    city_year: pd.DataFrame
    seeds: list[np.random.SeedSequence]
    parameters: ModelParameters
    root_seed: int = 0
    extra: dict[str, object] = field(default_factory=dict)
    #: True when every replication ran on ``parameters``; False when each took its own draw
    #: of the scenario's ``uncertainty:`` block ([U1]) and ``parameters`` is the point value
    explicit_parameters: bool = True

    def shaoxing(self) -> pd.DataFrame:
        return self.city_year[self.city_year.region == "shaoxing"]


def _replication_task(
    task: tuple[Scenario, np.random.SeedSequence, int, ModelParameters | None],
) -> pd.DataFrame:
    """Worker side of :func:`run_scenario` on an executor: one replication's table."""
    scenario, seed_sequence, replication, parameters = task
    return simulate(scenario, seed_sequence, replication=replication, parameters=parameters)


def run_scenario(
    scenario: Scenario,
    *,
    replications: int | None = None,
    seed: int | None = None,
    parameters: ModelParameters | None = None,
    progress: bool = False,
    completed: Mapping[int, pd.DataFrame] | None = None,
    on_replication: Callable[[int, pd.DataFrame], None] | None = None,
    executor: Executor | None = None,
) -> RunResult:
    """Run all replications, serially or on ``executor`` (growthpole.experiments: the Dask
    executor ``growthpole sweep`` uses); the seeds are spawned here in the parent and the
    tables stacked in replication order, so any executor gives the same bytes.

    ``completed`` maps replication -> its :func:`simulate` table already computed (a resumed
    run, growthpole.rerun); ``on_replication(r, table)`` is called after each new one (in
    completion order on an executor)."""
    replications = replications or scenario.replications
    seed = scenario.seed if seed is None else seed
    # an explicit parameter set runs every replication on it; without one, each replication
    # takes its own (the posterior draw of an `uncertainty:` block, [U1]) and the scenario's
    # point parameters are what the result records
    explicit = parameters
    parameters = parameters or scenario.model_parameters()
    seeds = replication_seeds(seed, replications)
    done: dict[int, pd.DataFrame] = {
        r: completed[r] for r in range(replications) if completed is not None and r in completed
    }
    todo = [r for r in range(replications) if r not in done]
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(
            total=replications,
            initial=len(done),
            desc=scenario.name,
            unit="rep",
            file=sys.stderr,
            mininterval=0.5,
            delay=2.0,
        )
    results: Iterator[tuple[int, pd.DataFrame]]
    if executor is None:
        results = (
            (i, simulate(scenario, seeds[r], replication=r, parameters=explicit))
            for i, r in enumerate(todo)
        )
    else:
        results = executor.map_unordered(
            _replication_task, [(scenario, seeds[r], r, explicit) for r in todo]
        )
    try:
        for index, frame in results:
            r = todo[index]
            if r in done:  # a backend delivered a replication twice: keep the first
                continue
            if on_replication is not None:
                on_replication(r, frame)
            done[r] = frame
            if bar is not None:
                bar.update(1)
    finally:
        if bar is not None:
            bar.close()
    city_year = pd.concat([done[r] for r in range(replications)], ignore_index=True)
    from growthpole.ranking import attach_national_rank  # competitor model, COMPETITORS stream

    city_year = attach_national_rank(
        city_year,
        seeds,
        scenario.start_year,
        national_information_year=scenario.national_information_year(),
    )
    drawn = explicit is None and scenario.uncertainty is not None
    return RunResult(
        scenario, city_year, seeds, parameters, root_seed=seed, explicit_parameters=not drawn
    )


def summarise(result: RunResult) -> pd.DataFrame:
    """Per year: Shaoxing GDP quantiles across replications (亿元, current prices), and
    every other summary column the ranking adds (rank band, P(rank <= 30))."""
    shaoxing = result.shaoxing()
    grouped = shaoxing.groupby("year").gdp
    summary = pd.DataFrame(
        {
            "year": sorted(shaoxing.year.unique()),
            "gdp_p05": grouped.quantile(SUMMARY_QUANTILES[0]).to_numpy(),
            "gdp_median": grouped.quantile(SUMMARY_QUANTILES[1]).to_numpy(),
            "gdp_p95": grouped.quantile(SUMMARY_QUANTILES[2]).to_numpy(),
            "population_median": shaoxing.groupby("year").population.median().to_numpy(),
        }
    )
    if "national_rank" in shaoxing.columns:
        ranks = shaoxing.groupby("year").national_rank
        summary["rank_p05"] = ranks.quantile(0.05).to_numpy()
        summary["rank_median"] = ranks.median().to_numpy()
        summary["rank_p95"] = ranks.quantile(0.95).to_numpy()
        summary["p_top30"] = ranks.apply(lambda r: float((r <= TOP).mean())).to_numpy()
    return summary


def format_summary(summary: pd.DataFrame, start_year: int) -> str:
    """The printed table: five-year marks (and the first and last year)."""
    years = summary.year.to_numpy()
    marks = sorted(
        {int(years[0]), int(years[-1])} | {int(y) for y in years if (y - start_year) % 5 == 0}
    )
    table = summary[summary.year.isin(marks)]
    lines = ["Shaoxing GDP (亿元, current prices): median [90% band] across replications"]
    header = f"{'year':>6} {'median':>10} {'p05':>10} {'p95':>10}"
    has_rank = "rank_median" in table.columns
    if has_rank:
        header += f" {'rank':>6} {'rank 90%':>11} {'P(top30)':>9}"
    lines.append(header)
    for row in table.itertuples(index=False):
        line = f"{row.year:>6} {row.gdp_median:>10.0f} {row.gdp_p05:>10.0f} {row.gdp_p95:>10.0f}"
        if has_rank:
            band = f"{row.rank_p05:.0f}-{row.rank_p95:.0f}"
            line += f" {row.rank_median:>6.0f} {band:>11} {row.p_top30:>9.2f}"
        lines.append(line)
    return "\n".join(lines)


def git_commit() -> str | None:
    root = Path(__file__).resolve().parent.parent
    try:
        out = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None if out.returncode == 0 else None


def package_versions() -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for name in ("growthpole", "numpy", "scipy", "pandas", "mesa", "pyarrow", "pydantic", "pyyaml"):
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "missing"
    return versions


def manifest(
    result: RunResult, *, complete: bool, command: list[str] | None = None
) -> dict[str, object]:
    scenario = result.scenario
    return {
        "written_by": WRITTEN_BY,
        "scenario_name": scenario.name,
        "scenario_file": scenario.source_path,
        "scenario_hash": scenario.content_hash(),
        "scenario": scenario.model_dump(mode="json", exclude={"source_path"}),
        "parameters": result.parameters.as_dict(),
        **_draws(result),
        "root_seed": result.root_seed,
        "replications": len(result.seeds),
        "seeds": [seed_record(s) for s in result.seeds],
        "versions": package_versions(),
        "git_commit": git_commit(),
        "command": command or sys.argv,
        "written_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "complete": complete,
        "files": list(RUN_FILES),
        **result.extra,
    }


def _draws(result: RunResult) -> dict[str, object]:
    """Manifest keys of a run whose replications drew their own inputs ([U1]): which
    posterior particle draw k and coefficient draw j each replication ran on."""
    block = result.scenario.uncertainty
    if result.explicit_parameters or block is None:
        return {}
    from growthpole.uncertainty import cell_of

    cells = [
        list(cell_of(r, block.parameter_draws, block.coefficient_draws))
        for r in range(len(result.seeds))
    ]
    return {"parameters_drawn": True, "replication_draws": cells}


def write_results(result: RunResult, directory: Path, *, command: list[str] | None = None) -> None:
    """The one writer of a run's results, into a directory the caller holds locked
    (growthpole.io.exclusive_directory): ``city_year.parquet``, ``summary.csv`` and
    ``fiscal.csv``, each atomically, then ``manifest.json`` with ``complete: true``, the data
    fingerprint and the outputs' SHA-256, last. :func:`write_run` and ``growthpole run``
    (growthpole.rerun.run_to_directory) both end with it."""
    from growthpole.fiscal import fiscal_summary  # cost by pillar and year (issue 17)
    from growthpole.provenance import data_fingerprint, file_sha256

    write_parquet(directory / CITY_YEAR, result.city_year)
    write_csv(directory / SUMMARY, summarise(result))
    write_csv(directory / FISCAL_FILE, fiscal_summary(result.scenario, result.city_year))
    result.extra.setdefault("data_sha256", data_fingerprint())
    result.extra["files_sha256"] = {name: file_sha256(directory / name) for name in RUN_FILES}
    write_json(directory / MANIFEST, manifest(result, complete=True, command=command))


def write_run(
    result: RunResult,
    directory: str | Path,
    *,
    overwrite: bool = False,
    command: list[str] | None = None,
) -> Path:
    """Write a computed run into a directory: the manifest with ``complete: false`` first,
    then :func:`write_results` (the manifest says ``complete: true`` last)."""
    with exclusive_directory(directory, overwrite=overwrite) as directory:
        write_json(directory / MANIFEST, manifest(result, complete=False, command=command))
        write_results(result, directory, command=command)
    return directory
