"""Calibration spec files: YAML -> a frozen, validated :class:`CalibrationSpec`.

A spec declares *what* is estimated and *against what*: the free parameters with their
search bounds and starting values (bounds must lie within the parameter's plausible range
in :data:`growthpole.parameters.PARAMETER_SPECS`), parameters held fixed, the target moments
with their weights, the fitting window, the replications per candidate (common random
numbers: the same replication seeds for every candidate), the agent scale used while
searching and the sizes of the search and of the diagnostics. Every problem is one
:class:`~growthpole.errors.ScenarioError` naming the file, the key and what is allowed.

Example (scenarios/calibration/history.yaml holds the shipped one)::

    name: history
    window: "2005:2019"
    replications: 4
    parameters:
      tfp_drift: {lower: 0.0, upper: 0.06, default: 0.02}
    targets:
      - {kind: gdp, city: shaoxing, weight: 4}
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from growthpole.errors import ScenarioError, input_error
from growthpole.parameters import PARAMETER_SPECS, REGIME_PARAMETERS, make_parameters
from growthpole.provenance import payload_sha256
from growthpole.scenario import (
    FIRST_YEAR,
    LAST_YEAR,
    NAME_PATTERN,
    Scale,
    Scenario,
    load_scenario,
    read_yaml,
)

TARGET_KINDS = ("gdp", "real_growth", "secondary_share", "population")


class FreeParameter(BaseModel):
    """Search bounds and starting value of one free parameter (in the parameter's unit).

    A lever coefficient (a name of :data:`growthpole.levers.COEFFICIENTS`) may omit its
    bounds and default: they are then its prior's central 99.8% and its catalogue value
    (:func:`coefficient_bounds`)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    lower: float | None = None
    upper: float | None = None
    default: float | None = None


@dataclass(frozen=True)
class Bounds:
    """The resolved bounds and starting value of one estimated value (its unit)."""

    lower: float
    upper: float
    default: float | None = None


class Target(BaseModel):
    """One target: a moment kind for one city, with its weight in the loss."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    kind: Literal["gdp", "real_growth", "secondary_share", "population"]
    city: Literal["shaoxing", "hangzhou", "ningbo", "shanghai"]
    weight: float = Field(1.0, ge=0.0, le=1000.0)

    @property
    def label(self) -> str:
        return f"{self.kind}:{self.city}"


class SearchSettings(BaseModel):
    """Sizes of the global search (differential evolution) and the local polish."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    budget: int = Field(
        2000,
        ge=4,
        le=1_000_000,
        description="model evaluations (candidates) of global search + polish",
    )
    population_per_parameter: int = Field(
        5,
        ge=2,
        le=50,
        description="differential-evolution population per free parameter (scipy's popsize)",
    )
    polish_share: float = Field(
        0.15, ge=0.0, le=0.9, description="share of the budget kept for the local polish"
    )
    polish_method: Literal["Nelder-Mead", "Powell"] = "Nelder-Mead"
    seed: int = Field(1, ge=0, lt=2**32, description="seed of the optimiser's own draws")


class DiagnosticSettings(BaseModel):
    """Sizes of the report's diagnostics (evaluations beyond the search budget)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    profile_points: int = Field(
        9, ge=0, le=101, description="points of each parameter's loss profile"
    )
    bootstrap_resamples: int = Field(8, ge=0, le=1000)
    bootstrap_evaluations: int = Field(
        20, ge=1, le=10_000, description="local-search evaluations per resample"
    )
    hindcast_replications: int = Field(10, ge=1, le=1000)
    hindcast_scale: Scale | None = Field(
        None,
        description="also run the hindcast at this scale (the scenarios' scale) to "
        "check that the calibration scale fits the moments equally",
    )


class Regimes(BaseModel):
    """A structural break: from ``break_year`` on, ``parameters`` take separate values
    (estimated as extra free parameters ``name@break_year`` with the same bounds)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    break_year: int
    parameters: list[str]


class CalibrationSpec(BaseModel):
    """A validated, immutable calibration spec."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    name: str = Field(min_length=1, max_length=100, pattern=NAME_PATTERN)
    description: str = ""
    window: str = Field("2005:2019", description="fitting window START:END (calendar years)")
    replications: int = Field(4, ge=1, le=200)
    seed: int = Field(20050101, ge=0, lt=2**63, description="root seed of the replications")
    scale: Scale = Scale(people_per_agent=10000.0, workers_per_firm_agent=25.0)
    parameters: dict[str, FreeParameter]
    fixed: dict[str, float] = Field(default_factory=dict)
    targets: list[Target]
    regimes: Regimes | None = None
    scenario: str | None = Field(
        None,
        description="path (relative to the spec) of a policy scenario whose levers run in "
        "the window; its calibration file and parameters are the base beneath `fixed:`, "
        "and lever coefficients of its levers may be free parameters (issue 17)",
    )
    search: SearchSettings = SearchSettings()
    diagnostics: DiagnosticSettings = DiagnosticSettings()
    source_path: str | None = Field(None, exclude=True)

    @field_validator("window", mode="before")
    @classmethod
    def _window_text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int) else value

    @property
    def start(self) -> int:
        return parse_window(self.window)[0]

    @property
    def end(self) -> int:
        return parse_window(self.window)[1]

    @property
    def names(self) -> tuple[str, ...]:
        """Names of the estimated values: the free parameters, then ``name@YEAR`` for the
        values after a regime break."""
        late = (
            ()
            if self.regimes is None
            else tuple(f"{n}@{self.regimes.break_year}" for n in self.regimes.parameters)
        )
        return (*self.parameters, *late)

    def free_parameter(self, name: str) -> Bounds:
        """Bounds of an estimated value (``name@YEAR`` shares ``name``'s); a lever
        coefficient's omitted bounds and default are filled from its prior."""
        base = name.split("@")[0]
        free = self.parameters[base]
        if base not in PARAMETER_SPECS:  # a lever coefficient: the prior fills what is omitted
            lower, upper, default = coefficient_bounds(base)
            return Bounds(
                lower if free.lower is None else free.lower,
                upper if free.upper is None else free.upper,
                default if free.default is None else free.default,
            )
        if free.lower is None or free.upper is None:
            raise ScenarioError(
                "a structural parameter needs lower and upper bounds",
                file=self.source_path,
                key=f"parameters.{base}",
            )
        return Bounds(free.lower, free.upper, free.default)

    @property
    def coefficient_names(self) -> tuple[str, ...]:
        """The free parameters that are lever coefficients (the rest are structural)."""
        return tuple(n for n in self.parameters if n not in PARAMETER_SPECS)

    def policy_scenario(self) -> Scenario | None:
        """The ``scenario:`` file read and validated (None without one)."""
        if self.scenario is None:
            return None
        base = Path(self.source_path).parent if self.source_path else Path.cwd()
        return load_scenario(base / self.scenario)

    def content_hash(self) -> str:
        """SHA-256 of the canonical JSON of what determines the calibration."""
        payload = self.model_dump(mode="json", exclude={"source_path"})
        scenario = self.policy_scenario()
        if scenario is not None:  # the levers run in the window are part of the problem
            payload["scenario_hash"] = scenario.content_hash()
        return payload_sha256(payload)

    def with_changes(self, **changes: Any) -> CalibrationSpec:
        data = self.model_dump(exclude={"source_path"})
        for key, value in changes.items():
            if isinstance(value, dict) and isinstance(data.get(key), dict):
                data[key] = {**data[key], **value}
            else:
                data[key] = value
        return build_spec(data, source=self.source_path)


def parse_window(text: str, *, file: str | None = None, key: str = "window") -> tuple[int, int]:
    """``"2005:2019"`` -> (2005, 2019); ScenarioError naming the key otherwise."""
    parts = str(text).split(":")
    try:
        start, end = (int(p) for p in parts)
    except ValueError:
        raise ScenarioError(
            f"must be START:END with two calendar years (e.g. 2005:2019), got {text!r}",
            file=file,
            key=key,
        ) from None
    if not (FIRST_YEAR <= start < end <= LAST_YEAR):
        raise ScenarioError(
            f"window {start}:{end} must satisfy {FIRST_YEAR} <= START < END <= {LAST_YEAR}",
            file=file,
            key=key,
        )
    return start, end


#: prior mass outside the default bounds of a free lever coefficient (half on each side)
COEFFICIENT_TAIL = 0.002


def coefficient_bounds(name: str) -> tuple[float, float, float]:
    """(lower, upper, default) of a free lever coefficient when the spec omits them: the
    central 1 - COEFFICIENT_TAIL of its prior (growthpole/levers.yaml), and its value."""
    from growthpole.levers import COEFFICIENTS

    coefficient = COEFFICIENTS[name]
    lower, upper = coefficient.prior.interval(1.0 - COEFFICIENT_TAIL)
    return lower, upper, coefficient.value


def build_spec(data: Any, *, source: str | Path | None = None) -> CalibrationSpec:
    """Validate a parsed mapping into a :class:`CalibrationSpec` (one error line)."""
    file = str(source) if source is not None else None
    if not isinstance(data, dict):
        raise ScenarioError(
            f"top level must be a mapping of keys to values, got {type(data).__name__}", file=file
        )
    try:
        spec = CalibrationSpec.model_validate({**data, "source_path": file})
    except ValidationError as exc:
        raise input_error(exc, CalibrationSpec, file=file, what="docs/calibration.md") from None
    _check_spec(spec, file)
    return spec


def _check_spec(spec: CalibrationSpec, file: str | None) -> None:
    parse_window(spec.window, file=file)
    if not spec.parameters:
        raise ScenarioError("at least one free parameter is required", file=file, key="parameters")
    scenario = _check_scenario(spec, file)
    for name in spec.parameters:
        key = f"parameters.{name}"
        meta = PARAMETER_SPECS.get(name)
        if meta is None:
            _check_coefficient(spec, name, scenario, file)
            continue
        free = spec.parameters[name]
        if free.lower is None or free.upper is None:
            raise ScenarioError(
                "a structural parameter needs lower and upper bounds", file=file, key=key
            )
        _check_bounds(
            spec,
            name,
            Bounds(free.lower, free.upper, free.default),
            (meta.lower, meta.upper),
            f"{meta.unit}, the plausible range in parameters.py",
            file,
        )
    make_parameters(dict(spec.fixed), file=file, prefix="fixed")
    if spec.regimes is not None and spec.coefficient_names:
        raise ScenarioError(
            "regimes and free lever coefficients cannot be combined (a coefficient has one "
            "value over the window)",
            file=file,
            key="regimes",
        )
    if spec.regimes is not None:
        start, end = parse_window(spec.window, file=file)
        if not (start < spec.regimes.break_year <= end):
            raise ScenarioError(
                f"break_year {spec.regimes.break_year} must lie in the window "
                f"({start} < break_year <= {end})",
                file=file,
                key="regimes.break_year",
            )
        if not spec.regimes.parameters or len(set(spec.regimes.parameters)) != len(
            spec.regimes.parameters
        ):
            raise ScenarioError(
                "must list one or more distinct free parameters",
                file=file,
                key="regimes.parameters",
            )
        for name in spec.regimes.parameters:
            if name not in REGIME_PARAMETERS:
                raise ScenarioError(
                    f"{name!r} cannot change at a break; allowed: {', '.join(REGIME_PARAMETERS)}",
                    file=file,
                    key="regimes.parameters",
                )
            if name not in spec.parameters:
                raise ScenarioError(
                    f"{name!r} must also be a free parameter", file=file, key="regimes.parameters"
                )
    if not spec.targets:
        raise ScenarioError("at least one target is required", file=file, key="targets")
    seen: set[str] = set()
    for index, target in enumerate(spec.targets):
        if target.label in seen:
            raise ScenarioError(
                f"duplicate target {target.label}", file=file, key=f"targets.{index}"
            )
        seen.add(target.label)
    if not any(t.weight > 0 for t in spec.targets):
        raise ScenarioError("at least one target needs a positive weight", file=file, key="targets")


def _check_scenario(spec: CalibrationSpec, file: str | None) -> Scenario | None:
    """The ``scenario:`` of a spec: a file that exists, validates, starts in the window's
    first year and runs at least to its end."""
    if spec.scenario is None:
        return None
    base = Path(file).parent if file else Path.cwd()
    path = base / spec.scenario
    if not path.is_file():
        raise ScenarioError(
            f"scenario file {path} does not exist (paths are relative to the spec)",
            file=file,
            key="scenario",
        )
    scenario = load_scenario(path)
    start, end = parse_window(spec.window, file=file)
    if scenario.start_year != start or scenario.end_year < end:
        raise ScenarioError(
            f"the scenario runs {scenario.start_year}-{scenario.end_year}; the window "
            f"{start}:{end} must start in its start year and end by its end year",
            file=file,
            key="scenario",
        )
    return scenario


def _check_coefficient(
    spec: CalibrationSpec, name: str, scenario: Scenario | None, file: str | None
) -> None:
    """A free lever coefficient: a catalogue name, of a lever the scenario switches on (else
    the data cannot see it), with bounds inside its prior's support."""
    from growthpole.levers import COEFFICIENTS

    key = f"parameters.{name}"
    coefficient = COEFFICIENTS.get(name)
    if coefficient is None:
        raise ScenarioError(
            f"unknown parameter; allowed: a structural parameter "
            f"({', '.join(sorted(PARAMETER_SPECS))}) or a lever coefficient "
            f"(`growthpole levers --coefficients`)",
            file=file,
            key=key,
        )
    if coefficient.role == "cost":
        raise ScenarioError(
            "a unit cost is not identified by outcome data; allowed: effect, in_trend and "
            "competitor_share coefficients",
            file=file,
            key=key,
        )
    if scenario is None or coefficient.lever not in scenario.levers:
        raise ScenarioError(
            f"lever {coefficient.lever} is not switched on by the spec's scenario, so the "
            f"data cannot see this coefficient; add `scenario:` with that lever",
            file=file,
            key=key,
        )
    _check_bounds(
        spec,
        name,
        spec.free_parameter(name),
        coefficient.prior.support,
        f"the support of the prior {coefficient.prior.describe()}",
        file,
    )


def _check_bounds(
    spec: CalibrationSpec,
    name: str,
    bounds: Bounds,
    allowed: tuple[float, float],
    what: str,
    file: str | None,
) -> None:
    """A free parameter's bounds inside ``allowed`` (``what`` names where they come from),
    its default inside its bounds, and not also fixed."""
    key = f"parameters.{name}"
    low, high = allowed
    if not (low <= bounds.lower < bounds.upper <= high):
        raise ScenarioError(
            f"bounds [{bounds.lower}, {bounds.upper}] must satisfy {low} <= lower < upper "
            f"<= {high} ({what})",
            file=file,
            key=key,
        )
    if bounds.default is not None and not (bounds.lower <= bounds.default <= bounds.upper):
        raise ScenarioError(
            f"default {bounds.default} is outside the bounds [{bounds.lower}, {bounds.upper}]",
            file=file,
            key=f"{key}.default",
        )
    if name in spec.fixed:
        raise ScenarioError(
            "a parameter cannot be both free and fixed", file=file, key=f"fixed.{name}"
        )


def load_spec(
    path: str | Path, *, window: str | None = None, budget: int | None = None
) -> CalibrationSpec:
    """Read and validate a spec file; ``window``/``budget`` override the file's values."""
    data = read_yaml(path, what="calibration spec")
    if isinstance(data, dict):
        data = dict(data)
        if window is not None:
            parse_window(window, file=str(path), key="--window")
            data["window"] = window
        if budget is not None:
            if budget < 4:
                raise ScenarioError(
                    f"--budget must be >= 4 evaluations, got {budget}",
                    file=path,
                    key="search.budget",
                )
            data["search"] = {**(data.get("search") or {}), "budget": budget}
    return build_spec(data, source=path)


def check_checkpoint(
    payload: Any, path: str | Path, *, dimension: int, replications: int, moments: int | None
) -> None:
    """A calibration checkpoint read from JSON has the shape
    :meth:`~growthpole.calibration.objective.EvaluationStore.save` writes: an object whose
    ``cache`` lists entries ``{unit: [P numbers in [0, 1]], moments: null or R rows of M
    numbers}``. Anything else (truncated, edited, another program's JSON) is one
    :class:`~growthpole.errors.OutputError` naming the file and the entry; ``--overwrite``
    starts over. ``moments`` None: any row length, the same in every entry."""
    import math

    from growthpole.errors import OutputError

    hint = "; pass --overwrite to start the calibration over"
    if not isinstance(payload, dict):
        raise OutputError(
            f"corrupt checkpoint: the top level is a {type(payload).__name__}, not an object{hint}",
            file=path,
        )
    cache = payload.get("cache", [])
    if not isinstance(cache, list):
        raise OutputError(
            f"corrupt checkpoint: 'cache' must be a list{hint}", file=path, key="cache"
        )

    def numbers(values: Any, length: int | None, *, unit: bool) -> bool:  # None: no list fits
        if not isinstance(values, list) or len(values) != length:
            return False
        for value in values:
            if not isinstance(value, int | float) or isinstance(value, bool):
                return False
            if unit and not (math.isfinite(value) and 0.0 <= value <= 1.0):
                return False
        return True

    for i, entry in enumerate(cache):
        where = f"cache.{i}"
        if not isinstance(entry, dict) or "unit" not in entry or "moments" not in entry:
            raise OutputError(
                f"corrupt checkpoint: each cache entry is an object with 'unit' "
                f"and 'moments'{hint}",
                file=path,
                key=where,
            )
        if not numbers(entry["unit"], dimension, unit=True):
            raise OutputError(
                f"corrupt checkpoint: 'unit' must be {dimension} numbers in [0, 1]{hint}",
                file=path,
                key=f"{where}.unit",
            )
        rows = entry["moments"]
        if rows is None:
            continue
        if moments is None and isinstance(rows, list) and rows and isinstance(rows[0], list):
            moments = len(rows[0])
        if (
            not isinstance(rows, list)
            or len(rows) != replications
            or not all(numbers(row, moments, unit=False) for row in rows)
        ):
            raise OutputError(
                f"corrupt checkpoint: 'moments' must be null or {replications} "
                f"rows of {moments or 'M'} numbers{hint}",
                file=path,
                key=f"{where}.moments",
            )


def check_checkpoint_file(path: str | Path, spec: CalibrationSpec) -> None:
    """``growthpole calibrate --resume``: the checkpoint beside ``--out`` is JSON of the shape
    :func:`check_checkpoint` describes, for this spec's free parameters and replications
    (checked before any work; the evaluation store checks the spec hash again)."""

    from growthpole.errors import OutputError

    path = Path(path)
    if not path.is_file():
        return  # calibrate() says "--resume: no checkpoint to resume from"
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise OutputError(f"cannot read checkpoint: {exc}", file=path) from None
    if not isinstance(payload, dict):
        check_checkpoint(payload, path, dimension=0, replications=0, moments=None)
    names = payload.get("names")
    if not isinstance(names, list):
        raise OutputError(
            "corrupt checkpoint: 'names' must be the list of free parameters; "
            "pass --overwrite to start the calibration over",
            file=path,
            key="names",
        )
    check_checkpoint(
        payload, path, dimension=len(names), replications=spec.replications, moments=None
    )
