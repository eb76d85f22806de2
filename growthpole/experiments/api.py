"""A small experiments API in EMA Workbench's spirit, without its weight.

Factors are objects, split as EMA splits them: :class:`Uncertainty` (a structural parameter
of the model nobody controls, e.g. the return to R&D) and :class:`Lever` / :class:`PillarLever`
(what the city chooses: a lever of the policy catalogue, or a whole pillar scaled). An
:class:`ExperimentModel` binds them to a base scenario and the outcomes to report;
:func:`perform_experiments` samples a design over them, runs every (variant, replication) on
the same executors as ``growthpole sweep`` (the Dask backends of
:mod:`growthpole.experiments.execute`, or the serial reference) and returns EMA's pair::

    from growthpole.experiments.api import (ExperimentModel, Lever, Uncertainty,
                                            perform_experiments)

    model = ExperimentModel("scenarios/baseline.yaml",
                            uncertainties=[Uncertainty("rd_return", 0.1, 0.4)],
                            levers=[Lever("innovation.talent_programmes", 0.0, 0.5,
                                          from_year=2021)],
                            outcomes=["gdp:2035", "p_top30_by:2030"], replications=2)
    experiments, outcomes = perform_experiments(model, samples=32)

``experiments``: one row per run (``run_id``, ``variant``, ``replication`` and one column per
factor, in the factor's unit); ``experiments.attrs["uncertainties"]`` and ``["levers"]`` name
the two groups. ``outcomes``: the same rows, one column per outcome (units: GDP in 亿元,
ranks in places, probabilities 0-1; growthpole.experiments.sensitivity.parse_outcome).
Nothing here is a second sweep engine: the experiment *is* a sweep (validated by
:func:`growthpole.experiments.sweep.build_sweep`, stored in a sweep directory, run ids
content-addressed), so ``growthpole sensitivity`` and ``discover`` work on its directory, and
:func:`growthpole.experiments.discovery.prim` / ``feature_scores`` on its two tables.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from growthpole.errors import ScenarioError
from growthpole.experiments import store
from growthpole.experiments.base import Executor
from growthpole.experiments.sweep import PILLAR_PREFIX, Sweep, build_sweep
from growthpole.scenario import Scenario


@dataclass(frozen=True)
class Uncertainty:
    """A structural parameter (growthpole.parameters) varied over [lower, upper], or over
    listed ``values``; its unit is the parameter's."""

    name: str
    lower: float
    upper: float
    values: tuple[float, ...] | None = None

    def spec(self) -> dict[str, object]:
        from growthpole.levers import LEVERS

        if self.name in LEVERS:
            raise ScenarioError(
                f"{self.name!r} is a policy lever: declare it as a Lever, not an Uncertainty",
                key="uncertainties",
            )
        return {"parameter": self.name, **_range(self.lower, self.upper, self.values)}

    @property
    def column(self) -> str:
        return self.name


@dataclass(frozen=True)
class Lever:
    """A lever of the policy catalogue (``growthpole levers``) held at one value from
    ``from_year`` on (default: the first simulated year), varied over [lower, upper]."""

    key: str
    lower: float
    upper: float
    from_year: int | None = None
    values: tuple[float, ...] | None = None

    def spec(self) -> dict[str, object]:
        from growthpole.levers import LEVERS

        if self.key not in LEVERS:
            raise ScenarioError(
                f"unknown lever {self.key!r}; `growthpole levers` lists them "
                f"(structural parameters are Uncertainties)",
                key="levers",
            )
        spec = {"lever": self.key, **_range(self.lower, self.upper, self.values)}
        if self.from_year is not None:
            spec["from_year"] = int(self.from_year)
        return spec

    @property
    def column(self) -> str:
        return self.key


@dataclass(frozen=True)
class PillarLever:
    """Every lever of one policy pillar that the base scenario sets, scaled together:
    0 = the baseline, 1 = the base scenario's schedules."""

    pillar: str
    lower: float = 0.0
    upper: float = 1.0

    def spec(self) -> dict[str, object]:
        return {"pillar": self.pillar, "range": [float(self.lower), float(self.upper)]}

    @property
    def column(self) -> str:
        return f"{PILLAR_PREFIX}{self.pillar}"


def _range(lower: float, upper: float, values: tuple[float, ...] | None) -> dict[str, object]:
    if values is not None:
        return {"values": [float(v) for v in values]}
    return {"range": [float(lower), float(upper)]}


@dataclass
class ExperimentModel:
    """The base scenario (a path or a Scenario), the factors and the outcomes (names
    ``kind:year`` as in ``growthpole sensitivity``: gdp, gdp_real, population, rank,
    p_top30, p_top30_by) of region ``region``."""

    scenario: str | os.PathLike[str] | Scenario
    uncertainties: Sequence[Uncertainty] = ()
    levers: Sequence[Lever | PillarLever] = ()
    outcomes: Sequence[str] = ("gdp:2035",)
    replications: int = 1
    seed: int | None = None
    scenario_changes: dict[str, object] = field(default_factory=dict)
    region: str = "shaoxing"
    name: str = "experiments"

    def sweep(
        self,
        *,
        samples: int | None = None,
        method: str = "latin_hypercube",
        levels: int | None = None,
        design_seed: int = 0,
    ) -> Sweep:
        """The sweep this experiment is (validated like a sweep file)."""
        factors = [*self.uncertainties, *self.levers]
        if not factors:
            raise ScenarioError(
                "an experiment needs at least one uncertainty or lever", key="factors"
            )
        for factor in self.uncertainties:
            if not isinstance(factor, Uncertainty):
                raise ScenarioError(
                    f"uncertainties must be Uncertainty objects, got {type(factor).__name__}",
                    key="uncertainties",
                )
        for lever in self.levers:
            if not isinstance(lever, Lever | PillarLever):
                raise ScenarioError(
                    f"levers must be Lever or PillarLever objects, got {type(lever).__name__}",
                    key="levers",
                )
        columns, years = outcome_columns(self.outcomes)
        if isinstance(self.scenario, Scenario):
            base: object = self.scenario.model_dump(mode="json", exclude={"source_path"})
            source = self.scenario.source_path
        else:
            base, source = str(Path(self.scenario).resolve()), None
        design: dict[str, object] = {"method": method, "seed": int(design_seed)}
        if samples is not None:
            design["samples"] = int(samples)
        if levels is not None:
            design["levels"] = int(levels)
        data = {
            "name": self.name,
            "scenario": base,
            "scenario_changes": self.scenario_changes,
            "replications": int(self.replications),
            "design": design,
            "factors": [f.spec() for f in factors],
            "outcomes": {"regions": [self.region], "columns": columns, "years": years},
        }
        if self.seed is not None:
            data["seed"] = int(self.seed)
        return build_sweep(data, source=source)


def outcome_columns(outcomes: Sequence[str]) -> tuple[list[str], list[int] | str]:
    """The stored columns and years the outcome names need (a P(top-30 by year) outcome
    needs every year up to it: all years are kept then)."""
    columns: list[str] = []
    years: set[int] = set()
    every_year = False
    for text in outcomes:
        kind, sep, year = str(text).partition(":")
        if not sep or not year.strip().isdigit():
            raise ScenarioError(
                f"outcome {text!r} must be NAME:YEAR, e.g. gdp:2035", key="outcomes"
            )
        column = {
            "rank": "national_rank",
            "p_top30": "national_rank",
            "p_top30_by": "national_rank",
        }.get(kind, kind)
        if column not in columns:
            columns.append(column)
        years.add(int(year))
        every_year |= kind == "p_top30_by"
    return columns, "all" if every_year else sorted(years)


def perform_experiments(
    model: ExperimentModel,
    samples: int | None = None,
    *,
    method: str = "latin_hypercube",
    levels: int | None = None,
    design_seed: int = 0,
    executor: Executor | None = None,
    workers: int | None = None,
    directory: str | Path | None = None,
    resume: bool = False,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Sample ``samples`` design points over the model's factors, run every (variant,
    replication) and return ``(experiments, outcomes)`` (see the module docstring).

    ``executor``: any :class:`~growthpole.experiments.base.Executor`; default a local Dask
    cluster of ``workers`` processes (the ``growthpole sweep`` default), closed afterwards.
    ``directory``: where the sweep is stored (default: a new temporary directory, named in
    ``experiments.attrs["directory"]``); ``resume`` keeps the runs already stored there.
    """
    from growthpole.experiments.execute import make_executor, run_sweep
    from growthpole.experiments.sensitivity import parse_outcome, run_outcomes

    sweep = model.sweep(samples=samples, method=method, levels=levels, design_seed=design_seed)
    directory = (
        Path(directory)
        if directory is not None
        else Path(tempfile.mkdtemp(prefix="growthpole-experiments-"))
    )
    own = executor is None
    executor = make_executor("local", workers=workers) if executor is None else executor
    try:
        run_sweep(sweep, directory, executor, resume=resume)
    finally:
        if own:
            executor.close()
    results = store.read_results(directory)
    definitions = [parse_outcome(o, results) for o in model.outcomes]
    per_run = run_outcomes(results, definitions, model.region).reset_index()
    design = store.read_design(directory)
    factor_columns = [f.column for f in (*model.uncertainties, *model.levers)]
    experiments = (
        per_run[["run_id", "variant", "replication"]]
        .merge(design[["variant", *factor_columns]], on="variant", how="left")
        .sort_values(["variant", "replication"], kind="stable")
        .reset_index(drop=True)
    )
    outcome_names = [d.name for d in definitions]
    outcomes = (
        per_run.set_index("run_id").loc[experiments.run_id, outcome_names].reset_index(drop=True)
    )
    experiments.attrs.update(
        {
            "uncertainties": [f.column for f in model.uncertainties],
            "levers": [f.column for f in model.levers],
            "directory": str(directory),
        }
    )
    return experiments, outcomes
