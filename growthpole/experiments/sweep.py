"""Sweep files: YAML -> a validated :class:`Sweep` -> the table of runs (experiments as data).

A sweep file declares a base scenario, the factors to vary (structural parameters or policy
levers, each with a range or listed values), a design, the replications and the outcomes to
keep::

    name: example
    scenario: ../baseline.yaml          # base scenario file (relative to this file) or a mapping
    scenario_changes: {end_year: 2035}  # optional top-level changes to the base scenario
    replications: 2                     # per variant; replication r uses seed child r
    seed: 20260101                      # root seed (default: the base scenario's seed)
    design: {method: morris, samples: 10, levels: 4, seed: 1}
    factors:
      - lever: integration.hangzhou_travel_time_cut
        range: [0.0, 0.6]
        from_year: 2021                 # a lever factor holds from this year on
      - parameter: rd_return
        range: [0.1, 0.4]
      - pillar: platforms               # scales every platforms lever of the base scenario:
        range: [0.0, 1.0]               # 0 = baseline, 1 = the base scenario's schedules
    outcomes:
      regions: [shaoxing]
      columns: [gdp, national_rank, top30]
      years: [2025, 2030, 2035]         # default: every simulated year

Every problem is one :class:`~growthpole.errors.ScenarioError` line naming the file and key.

A run is (variant v, replication r). Its ``run_id`` is the SHA-256 of its inputs: the base
scenario's content hash (with ``scenario_changes`` applied), the factor definitions, the
variant's index and factor values (the index too, because Morris trajectories may visit a
point twice), the root seed and r, the outcome selection, and the model's fingerprint
(:func:`model_fingerprint`: the model's source files and the data files), so runs of an
older model are never mixed with new ones: after a model change, a sweep directory reports
"a different sweep" and runs again only with ``--resume`` (reusing nothing) or
``--overwrite``.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from growthpole.errors import ScenarioError, input_error
from growthpole.experiments.design import (
    DESIGN_METHODS,
    FactorSpace,
    is_power_of_two,
    sample_design,
    variant_count,
)
from growthpole.levers import COEFFICIENTS, LEVERS, PILLARS
from growthpole.outcomes import OUTCOMES, SWEEP_OUTCOMES
from growthpole.parameters import PARAMETER_SPECS, ModelParameters
from growthpole.provenance import payload_sha256, tree_sha256
from growthpole.scenario import (
    MAX_REPLICATIONS,
    NAME_PATTERN,
    Scenario,
    build_scenario,
    load_scenario,
    read_yaml,
)

#: bump when the meaning of stored rows changes (part of every run id)
STORE_FORMAT = 1
#: columns every stored row has before the factor and outcome columns
KEY_COLUMNS = ("run_id", "variant", "replication")
#: column prefix of pillar-intensity factors
PILLAR_PREFIX = "pillar."
#: a sweep larger than this needs ``force: true``
MAX_RUNS = 1_000_000


class FactorSpec(BaseModel):
    """One factor: a lever, a parameter, a lever coefficient or a pillar intensity, with a
    range or listed values."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    lever: str | None = None
    parameter: str | None = None
    coefficient: str | None = None
    pillar: str | None = None
    range: tuple[float, float] | None = None
    values: tuple[float, ...] | None = Field(None, min_length=1)
    from_year: int | None = None

    @property
    def name(self) -> str:
        if self.pillar:
            return f"{PILLAR_PREFIX}{self.pillar}"
        return str(self.lever or self.parameter or self.coefficient)

    @property
    def kind(self) -> str:
        if self.coefficient:
            return "coefficient"
        return "lever" if self.lever else "pillar" if self.pillar else "parameter"


class DesignSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    method: Literal["grid", "latin_hypercube", "sobol", "saltelli", "morris"]
    samples: int | None = Field(None, ge=1, le=MAX_RUNS)
    levels: int | None = Field(None, ge=2, le=1000)
    seed: int = Field(0, ge=0, lt=2**63)


class OutcomeSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    regions: tuple[str, ...] = ("shaoxing",)
    columns: tuple[str, ...] = ("gdp",)
    years: tuple[int, ...] | Literal["all"] = "all"


class SweepSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    name: str = Field(min_length=1, max_length=100, pattern=NAME_PATTERN)
    description: str = ""
    scenario: str | dict[str, Any]
    scenario_changes: dict[str, Any] = Field(default_factory=dict)
    replications: int = Field(1, ge=1, le=MAX_REPLICATIONS)
    seed: int | None = Field(None, ge=0, lt=2**63)
    design: DesignSpec
    factors: tuple[FactorSpec, ...] = Field(min_length=1)
    outcomes: OutcomeSpec = OutcomeSpec()
    force: bool = False


@dataclass(frozen=True)
class Factor:
    """A validated factor: kind ('lever' or 'parameter'), name, range, optional values."""

    kind: str
    name: str
    lower: float
    upper: float
    values: tuple[float, ...] | None
    from_year: int | None

    def as_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "name": self.name,
            "lower": self.lower,
            "upper": self.upper,
            "values": list(self.values) if self.values is not None else None,
            "from_year": self.from_year,
        }


@dataclass(frozen=True)
class RunTask:
    """Everything one worker needs for one run (picklable; built in the client)."""

    run_id: str
    variant: int
    replication: int
    scenario: Scenario
    parameters: ModelParameters
    seed_sequence: np.random.SeedSequence
    factor_values: tuple[tuple[str, float], ...]
    outcomes: OutcomeSpec


@dataclass(frozen=True)
class Sweep:
    """A validated sweep: base scenario, factors, design matrix, seeds and outcomes."""

    spec: SweepSpec
    source_path: str | None
    base: Scenario
    factors: tuple[Factor, ...]
    design: np.ndarray  # (variants, factors), factors' units
    root_seed: int

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def factor_names(self) -> list[str]:
        return [f.name for f in self.factors]

    @property
    def replications(self) -> int:
        return self.spec.replications

    @property
    def outcomes(self) -> OutcomeSpec:
        return self.spec.outcomes

    @property
    def run_count(self) -> int:
        return len(self.design) * self.replications

    def space(self) -> FactorSpace:
        return FactorSpace(
            tuple(f.name for f in self.factors),
            tuple(f.lower for f in self.factors),
            tuple(f.upper for f in self.factors),
            tuple(f.values for f in self.factors),
        )

    def spec_hash(self) -> str:
        """SHA-256 of what determines the results (base scenario, design, seeds, outcomes)."""
        payload = {
            "base": self.base.content_hash(),
            "model": model_fingerprint(),
            "factors": [f.as_dict() for f in self.factors],
            "design": [[repr(float(v)) for v in row] for row in self.design],
            "replications": self.replications,
            "seed": self.root_seed,
            "outcomes": self.outcomes.model_dump(mode="json"),
            "format": STORE_FORMAT,
        }
        return payload_sha256(payload)

    def manifest_fields(self) -> dict[str, object]:
        """What the manifest records about the sweep itself."""
        from growthpole.seeds import seed_record

        return {
            "spec": self.spec.model_dump(mode="json"),
            "base_scenario": self.base.model_dump(mode="json", exclude={"source_path"}),
            "base_scenario_hash": self.base.content_hash(),
            "model_fingerprint": model_fingerprint(),
            "factors": [f.as_dict() for f in self.factors],
            "design_method": self.spec.design.method,
            "variants": len(self.design),
            "replications": self.replications,
            "root_seed": self.root_seed,
            "seeds": [seed_record(s) for s in self.seeds()],
            "outcomes": self.outcomes.model_dump(mode="json"),
        }

    def design_table(self) -> pd.DataFrame:
        """One row per variant: ``variant`` and the factor values (factors' units)."""
        table = pd.DataFrame(self.design, columns=self.factor_names)
        table.insert(0, "variant", np.arange(len(self.design), dtype=np.int64))
        return table

    def seeds(self) -> list[np.random.SeedSequence]:
        """One SeedSequence child per replication, spawned here (in the client), once."""
        return np.random.SeedSequence(self.root_seed).spawn(self.replications)

    def tasks(self) -> list[RunTask]:
        """Every run of the sweep, variant-major (run ids content-addressed)."""
        seeds = self.seeds()
        base_hash = self.base.content_hash()
        model = model_fingerprint()
        factor_defs = [f.as_dict() for f in self.factors]
        outcome_payload = self.outcomes.model_dump(mode="json")
        tasks = []
        for variant, row in enumerate(self.design):
            scenario = self.variant_scenario(row, variant)
            parameters = scenario.model_parameters()
            values = tuple((f.name, float(v)) for f, v in zip(self.factors, row, strict=True))
            for replication in range(self.replications):
                seed = seeds[replication]
                run_id = payload_sha256(
                    {
                        "base": base_hash,
                        "model": model,
                        "factors": factor_defs,
                        "variant": variant,
                        "values": [repr(v) for _, v in values],
                        "seed": str(seed.entropy),
                        "spawn_key": list(seed.spawn_key),
                        "replication": replication,
                        "outcomes": outcome_payload,
                        "format": STORE_FORMAT,
                    }
                )
                tasks.append(
                    RunTask(
                        run_id,
                        variant,
                        replication,
                        scenario,
                        parameters,
                        seed,
                        values,
                        self.outcomes,
                    )
                )
        return tasks

    def run_table(self, tasks: list[RunTask] | None = None) -> pd.DataFrame:
        """The plan: one row per run (run_id, variant, replication, factor values)."""
        tasks = self.tasks() if tasks is None else tasks
        table = pd.DataFrame(
            {
                "run_id": [t.run_id for t in tasks],
                "variant": np.array([t.variant for t in tasks], dtype=np.int64),
                "replication": np.array([t.replication for t in tasks], dtype=np.int64),
            }
        )
        design = self.design_table()
        return table.merge(design, on="variant", how="left")

    def variant_scenario(self, row: np.ndarray, variant: int = 0) -> Scenario:
        """The base scenario with the factor values of one design row applied."""
        levers = dict(self.base.levers)
        parameters = dict(self.base.parameters)
        coefficients = dict(self.base.lever_coefficients)
        for factor, value in zip(self.factors, row, strict=True):  # pillars first
            if factor.kind == "pillar":
                pillar = factor.name.removeprefix(PILLAR_PREFIX)
                for key, schedule in self.base.levers.items():
                    if LEVERS[key].pillar == pillar:
                        levers[key] = _scaled_schedule(schedule, float(value))
        for factor, value in zip(self.factors, row, strict=True):
            if factor.kind == "pillar":
                continue
            if factor.kind == "parameter":
                parameters[factor.name] = float(value)
            elif factor.kind == "coefficient":
                coefficients[factor.name] = float(value)
            else:
                levers[factor.name] = _lever_schedule(
                    levers.get(factor.name), float(value), factor.from_year or self.base.start_year
                )
        try:
            return self.base.with_changes(
                levers=levers, parameters=parameters, lever_coefficients=coefficients
            )
        except ScenarioError as exc:
            raise ScenarioError(
                f"design variant {variant} is not a valid scenario: {exc.detail}",
                file=self.source_path,
                key=exc.key or "factors",
            ) from None


def _scaled_schedule(
    schedule: float | dict[int, float], intensity: float
) -> float | dict[int, float]:
    """A lever schedule with every value multiplied by ``intensity`` (levers' defaults and
    lower bounds are 0, so intensity 0 is the baseline and 1 the base scenario)."""
    if isinstance(schedule, dict):
        return {int(y): float(v) * intensity for y, v in schedule.items()}
    return float(schedule) * intensity


def _lever_schedule(
    schedule: float | dict[int, float] | None, value: float, from_year: int
) -> dict[int, float]:
    """The base schedule up to ``from_year`` - 1, then ``value`` from ``from_year`` on."""
    if schedule is None:
        return {from_year: value}
    if not isinstance(schedule, dict):
        schedule = {from_year - 1: float(schedule)} if from_year > 0 else {}
    kept = {int(y): float(v) for y, v in schedule.items() if int(y) < from_year}
    kept[from_year] = value
    return kept


#: package parts that cannot change a run's outputs (not part of the model fingerprint)
_NOT_MODEL = ("experiments", "commands", "cli.py", "__main__.py", "app.py", "plots", "report.py")


@functools.lru_cache(maxsize=1)
def model_fingerprint() -> str:
    """SHA-256 of the model's source files and of the data directory's data files."""
    import growthpole
    from growthpole.data import data_dir

    package = Path(growthpole.__file__).resolve().parent
    sources = sorted(
        p for p in package.rglob("*.py") if p.relative_to(package).parts[0] not in _NOT_MODEL
    )
    data = data_dir()
    data_files = sorted(
        p
        for p in data.rglob("*")
        if p.is_file() and p.suffix in (".csv", ".json", ".yaml", ".yml", ".parquet")
    )
    return tree_sha256([(package, sources), (data, data_files)])


# ---------------------------------------------------------------------------------------
# validation
# ---------------------------------------------------------------------------------------


def build_sweep(data: Any, *, source: str | Path | None = None) -> Sweep:
    """Validate a parsed mapping into a :class:`Sweep` (all checks, one error line)."""
    file = str(source) if source is not None else None
    if not isinstance(data, dict):
        raise ScenarioError(
            f"top level must be a mapping of keys to values, got {type(data).__name__}", file=file
        )
    try:
        spec = SweepSpec.model_validate(data)
    except ValidationError as exc:
        parts = [str(p) for p in exc.errors()[0]["loc"]]
        if "range" in parts:  # a wrong-length or non-numeric range: say what a range is
            at = ".".join(parts[: parts.index("range") + 1])
            raise ScenarioError(
                f"range must be [low, high] (two numbers), got {_factor_input(data, parts)!r}"[
                    :300
                ],
                file=file,
                key=at,
            ) from None
        raise input_error(exc, SweepSpec, file=file, what="docs/sweeps.md") from None
    base = _base_scenario(spec, file)
    factors = tuple(_check_factor(i, f, spec, base, file) for i, f in enumerate(spec.factors))
    names = [f.name for f in factors]
    for i, name in enumerate(names):
        if names.index(name) != i:
            raise ScenarioError(f"factor {name!r} is listed twice", file=file, key=f"factors.{i}")
    _check_design(spec, factors, file)
    _check_outcomes(spec, base, file)
    root_seed = base.seed if spec.seed is None else spec.seed
    check_size(spec, factors, file)  # before the design is drawn
    space = FactorSpace(
        tuple(names),
        tuple(f.lower for f in factors),
        tuple(f.upper for f in factors),
        tuple(f.values for f in factors),
    )
    design = sample_design(
        spec.design.method,
        space,
        samples=spec.design.samples,
        levels=spec.design.levels,
        seed=spec.design.seed,
    )
    sweep = Sweep(spec, file, base, factors, design, root_seed)
    # every variant must be a valid scenario (e.g. elasticities summing below 1)
    for variant, row in enumerate(design):
        sweep.variant_scenario(row, variant).model_parameters()
    return sweep


#: memory a planned sweep holds per variant (its scenario) and per run (task, plan row),
#: bytes; measured with tracemalloc on scenarios/sweeps/example.yaml (about 4.6 KB per
#: variant and 0.2-0.4 KB per run) and rounded up
BYTES_PER_VARIANT = 6_000
BYTES_PER_RUN = 1_000
#: a sweep whose plan would take more than this share of the machine's memory is refused,
#: even with force: true
MAX_MEMORY_SHARE = 0.5


def planned_size(spec: SweepSpec, factors: tuple[Factor, ...]) -> tuple[int, int]:
    """(variants, runs) of the sweep, computed exactly (Python integers: a grid of 40
    factors x 1000 levels is counted, not drawn)."""
    import math

    design = spec.design
    if design.method == "grid":
        sizes = [
            len(f.values) if f.values is not None else int(design.levels or 0) for f in factors
        ]
        variants = math.prod(sizes)
    else:
        variants = variant_count(
            design.method, len(factors), samples=design.samples, levels=design.levels
        )
    return variants, variants * spec.replications


def physical_memory_bytes() -> int | None:
    import os

    try:
        return int(os.sysconf("SC_PAGE_SIZE")) * int(os.sysconf("SC_PHYS_PAGES"))
    except (ValueError, OSError, AttributeError):
        return None


def check_size(spec: SweepSpec, factors: tuple[Factor, ...], file: str | None) -> None:
    """Refuse a sweep beyond :data:`MAX_RUNS` runs (unless ``force: true``) or whose plan
    would not fit in memory (whatever ``force`` says), before anything is drawn."""
    variants, runs = planned_size(spec, factors)
    if runs > MAX_RUNS and not spec.force:
        raise ScenarioError(
            f"{runs} runs exceed the safety limit {MAX_RUNS}; set force: true to allow",
            file=file,
            key="design",
        )
    needed = variants * BYTES_PER_VARIANT + runs * BYTES_PER_RUN
    memory = physical_memory_bytes()
    if memory is not None and needed > MAX_MEMORY_SHARE * memory:
        raise ScenarioError(
            f"{variants} variants x {spec.replications} replications = {runs} "
            f"runs would need about {needed / 1e9:.3g} GB to plan, more than "
            f"{MAX_MEMORY_SHARE:.0%} of this machine's {memory / 1e9:.3g} GB; "
            f"split the sweep",
            file=file,
            key="design",
        )


def _factor_input(data: dict, parts: list[str]) -> object:
    """The raw ``factors.N.range`` value of the file, for error messages."""
    try:
        return data["factors"][int(parts[1])]["range"]
    except (KeyError, IndexError, TypeError, ValueError):
        return None


def load_sweep(path: str | Path) -> Sweep:
    """Read and validate a sweep file."""
    return build_sweep(read_yaml(path, what="sweep"), source=path)


def _base_scenario(spec: SweepSpec, file: str | None) -> Scenario:
    if isinstance(spec.scenario, str):
        base_dir = Path(file).parent if file else Path.cwd()
        path = base_dir / spec.scenario
        if not path.is_file():
            raise ScenarioError(
                f"base scenario file {path} does not exist", file=file, key="scenario"
            )
        base = load_scenario(path)
    else:
        base = build_scenario(spec.scenario, source=file)
    if spec.scenario_changes:
        unknown = [
            k for k in spec.scenario_changes if k not in Scenario.model_fields or k == "source_path"
        ]
        if unknown:
            allowed = ", ".join(k for k in Scenario.model_fields if k != "source_path")
            raise ScenarioError(
                f"unknown scenario key; allowed: {allowed}",
                file=file,
                key=f"scenario_changes.{unknown[0]}",
            )
        try:
            base = base.with_changes(**spec.scenario_changes)
        except ScenarioError as exc:
            raise ScenarioError(
                exc.detail,
                file=file,
                key=f"scenario_changes.{exc.key}" if exc.key else "scenario_changes",
            ) from None
    return base


def _check_factor(
    index: int, spec_factor: FactorSpec, spec: SweepSpec, base: Scenario, file: str | None
) -> Factor:
    key = f"factors.{index}"
    given = [
        k
        for k in ("lever", "parameter", "pillar", "coefficient")
        if getattr(spec_factor, k) is not None
    ]
    if len(given) != 1:
        raise ScenarioError(
            "give exactly one of 'lever', 'parameter', 'coefficient' or 'pillar'",
            file=file,
            key=key,
        )
    if spec_factor.pillar is not None:
        if spec_factor.pillar not in PILLARS:
            raise ScenarioError(
                f"unknown pillar {spec_factor.pillar!r}; allowed: {', '.join(PILLARS)}",
                file=file,
                key=f"{key}.pillar",
            )
        if not any(LEVERS[k].pillar == spec_factor.pillar for k in base.levers):
            raise ScenarioError(
                f"the base scenario sets no lever of pillar "
                f"{spec_factor.pillar!r}, so its intensity has nothing to scale",
                file=file,
                key=f"{key}.pillar",
            )
        if spec_factor.from_year is not None:
            raise ScenarioError(
                "from_year applies to lever factors only (a pillar factor "
                "scales the base scenario's schedules)",
                file=file,
                key=f"{key}.from_year",
            )
        lower, upper, unit = 0.0, 1.0, "intensity: share of the base scenario's lever values"
    elif spec_factor.lever is not None:
        lever = LEVERS.get(spec_factor.lever)
        if lever is None:
            raise ScenarioError(
                f"unknown lever {spec_factor.lever!r}; `growthpole levers` lists them",
                file=file,
                key=f"{key}.lever",
            )
        lower, upper, unit = lever.lower, lever.upper, lever.unit
    elif spec_factor.coefficient is not None:
        coefficient = COEFFICIENTS.get(spec_factor.coefficient)
        if coefficient is None:
            raise ScenarioError(
                f"unknown lever coefficient {spec_factor.coefficient!r}; "
                f"`growthpole levers --coefficients` lists them",
                file=file,
                key=f"{key}.coefficient",
            )
        lower, upper = coefficient.prior.support
        if coefficient.role in ("in_trend", "competitor_share"):
            lower, upper = 0.0, 0.999
        unit = f"support of its prior {coefficient.prior.describe()}"
        if spec_factor.from_year is not None:
            raise ScenarioError(
                "from_year applies to levers only (coefficients hold over the whole run)",
                file=file,
                key=f"{key}.from_year",
            )
    else:
        param = PARAMETER_SPECS.get(str(spec_factor.parameter))
        if param is None:
            raise ScenarioError(
                f"unknown parameter {spec_factor.parameter!r}; allowed: "
                f"{', '.join(sorted(PARAMETER_SPECS))}",
                file=file,
                key=f"{key}.parameter",
            )
        lower, upper, unit = param.lower, param.upper, param.unit
        if spec_factor.from_year is not None:
            raise ScenarioError(
                "from_year applies to levers only (parameters hold over the whole run)",
                file=file,
                key=f"{key}.from_year",
            )
    if spec_factor.from_year is not None and not (
        base.start_year <= spec_factor.from_year <= base.end_year
    ):
        raise ScenarioError(
            f"from_year {spec_factor.from_year} is outside the horizon "
            f"{base.start_year}-{base.end_year}",
            file=file,
            key=f"{key}.from_year",
        )
    if (spec_factor.range is None) == (spec_factor.values is None):
        raise ScenarioError(
            "give exactly one of 'range: [low, high]' or 'values: [...]'", file=file, key=key
        )
    if spec_factor.values is not None and spec.design.method != "grid":
        raise ScenarioError(
            f"listed values need design method 'grid'; the "
            f"{spec.design.method} design needs 'range: [low, high]'",
            file=file,
            key=f"{key}.values",
        )
    points = spec_factor.values if spec_factor.values is not None else spec_factor.range
    assert points is not None  # exactly one of the two is given (checked above)
    for value in points:
        if not (lower <= value <= upper) or value != value:
            raise ScenarioError(
                f"{value} is outside the allowed range [{lower}, {upper}] "
                f"({unit}) of {spec_factor.name}",
                file=file,
                key=f"{key}.{'values' if spec_factor.values else 'range'}",
            )
    if spec_factor.range is not None:
        low, high = spec_factor.range
        if not low < high:
            raise ScenarioError(
                f"range must be [low, high] with low < high, got [{low}, {high}]",
                file=file,
                key=f"{key}.range",
            )
    else:
        low, high = min(points), max(points)
    return Factor(
        spec_factor.kind,
        spec_factor.name,
        float(low),
        float(high),
        tuple(float(v) for v in spec_factor.values) if spec_factor.values is not None else None,
        spec_factor.from_year,
    )


def _check_design(spec: SweepSpec, factors: tuple[Factor, ...], file: str | None) -> None:
    design = spec.design
    method = design.method
    if method == "grid":
        if design.samples is not None:
            raise ScenarioError(
                "a grid has no 'samples'; give 'levels' (points per range) or "
                "each factor's 'values'",
                file=file,
                key="design.samples",
            )
        if design.levels is None and any(f.values is None for f in factors):
            raise ScenarioError(
                "a grid over ranges needs 'levels' (points per range, >= 2)",
                file=file,
                key="design.levels",
            )
        return
    if design.samples is None:
        what = {
            "latin_hypercube": "points",
            "sobol": "points (a power of two)",
            "saltelli": "base samples N (a power of two; N x (k + 2) variants)",
            "morris": "trajectories (r x (k + 1) variants)",
        }[method]
        raise ScenarioError(
            f"the {method} design needs 'samples': {what}", file=file, key="design.samples"
        )
    if method in ("sobol", "saltelli") and not is_power_of_two(design.samples):
        raise ScenarioError(
            f"the {method} design needs 'samples' to be a power of two "
            f"(1, 2, 4, 8, ...) for its balance properties, got "
            f"{design.samples}",
            file=file,
            key="design.samples",
        )
    if method == "morris":
        levels = design.levels or 4
        if levels % 2:
            raise ScenarioError(
                f"Morris 'levels' must be even (Morris 1991), got {levels}",
                file=file,
                key="design.levels",
            )
        if design.samples < 2:
            raise ScenarioError(
                "Morris needs at least 2 trajectories for confidence intervals",
                file=file,
                key="design.samples",
            )
    elif design.levels is not None:
        raise ScenarioError(
            f"'levels' applies to grid and morris designs, not {method}",
            file=file,
            key="design.levels",
        )
    assert method in DESIGN_METHODS
    count = variant_count(method, len(factors), samples=design.samples, levels=design.levels)
    if count < 1:
        raise ScenarioError("the design has no variants", file=file, key="design")


def _check_outcomes(spec: SweepSpec, base: Scenario, file: str | None) -> None:
    from growthpole.regions import REGIONS

    outcomes = spec.outcomes
    allowed_regions = [*REGIONS, "shaoxing"]
    for i, region in enumerate(outcomes.regions):
        if region not in allowed_regions:
            raise ScenarioError(
                f"unknown region {region!r}; allowed: {', '.join(allowed_regions)}",
                file=file,
                key=f"outcomes.regions.{i}",
            )
    if not outcomes.regions:
        raise ScenarioError("list at least one region", file=file, key="outcomes.regions")
    if not outcomes.columns:
        raise ScenarioError("list at least one outcome column", file=file, key="outcomes.columns")
    if outcomes.years != "all":
        for i, year in enumerate(outcomes.years):
            if not (base.start_year <= year <= base.end_year):
                raise ScenarioError(
                    f"year {year} is outside the horizon {base.start_year}-{base.end_year}",
                    file=file,
                    key=f"outcomes.years.{i}",
                )
    allowed = allowed_outcome_columns(base)
    for i, column in enumerate(outcomes.columns):
        if column in KEY_COLUMNS or column in ("year", "region"):
            raise ScenarioError(
                f"{column!r} is always stored; list outcome columns only",
                file=file,
                key=f"outcomes.columns.{i}",
            )
        if column not in allowed:
            raise ScenarioError(
                f"unknown outcome column {column!r}; allowed: {', '.join(allowed)}",
                file=file,
                key=f"outcomes.columns.{i}",
            )
    rank_needed = any(c in ("national_rank", "top30") for c in outcomes.columns)
    if rank_needed:
        if ranking_function() is None:
            raise ScenarioError(
                "national_rank and top30 need growthpole.ranking, which is not "
                "available in this installation",
                file=file,
                key="outcomes.columns",
            )
        from growthpole.ranking import default_model

        default_model()  # the national panel must be there (DataError, one line, if not)
        ranked = {"shaoxing", "hangzhou", "ningbo", "shanghai"}
        bad = [r for r in outcomes.regions if r not in ranked]
        if bad:
            raise ScenarioError(
                f"national_rank exists only for {', '.join(sorted(ranked))}; "
                f"region {bad[0]!r} has none",
                file=file,
                key="outcomes.regions",
            )


def allowed_outcome_columns(base: Scenario) -> tuple[str, ...]:
    """The outcome columns a sweep may store: the city-year columns of
    growthpole.outcomes (no model run needed), the ranking's (``national_rank`` and the
    derived ``top30``) only when the ranking module is available. ``base`` is unused: every
    scenario's table has the same columns."""
    del base
    ranked = ranking_function() is not None
    return tuple(
        name for name in SWEEP_OUTCOMES if ranked or OUTCOMES[name].origin not in RANKED_ORIGINS
    )


#: outcome origins that need the ranking module
RANKED_ORIGINS = ("ranking", "derived")


def ranking_function():
    """``growthpole.ranking.attach_national_rank`` if the ranking module exists, else None."""
    try:
        from growthpole.ranking import attach_national_rank
    except ImportError:
        return None
    return attach_national_rank
