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
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from growthpole.calibration.base import CITIES
from growthpole.errors import ScenarioError
from growthpole.parameters import PARAMETER_SPECS, make_parameters
from growthpole.provenance import payload_sha256
from growthpole.scenario import FIRST_YEAR, LAST_YEAR, NAME_PATTERN, Scale, read_yaml

TARGET_KINDS = ("gdp", "real_growth", "secondary_share", "population")


class FreeParameter(BaseModel):
    """Search bounds and starting value of one free parameter (in the parameter's unit)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
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


#: parameters read afresh by the mechanisms every year, which may therefore change value at a
#: regime break (the deflator too: the price level is cumulative, P_t = P_{t-1} (1 + π_t), in
#: model.py; not migration_wage_weight: base-year amenities are solved for migration
#: equilibrium under it; not initial-condition parameters either)
REGIME_PARAMETERS = (
    "tfp_drift",
    "hangzhou_tfp_premium",
    "ningbo_tfp_premium",
    "shanghai_tfp_premium",
    "rd_return",
    "spillover_rate",
    "nonmodelled_growth",
    "entry_rate",
    "exit_rate",
    "external_inflow_rate",
    "tfp_shock_sd",
    "agglomeration_elasticity",
    "gdp_deflator_inflation",
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

    def free_parameter(self, name: str) -> FreeParameter:
        """Bounds of an estimated value (``name@YEAR`` shares ``name``'s)."""
        return self.parameters[name.split("@")[0]]

    def content_hash(self) -> str:
        """SHA-256 of the canonical JSON of what determines the calibration."""
        payload = self.model_dump(mode="json", exclude={"source_path"})
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


def _format_loc(loc: tuple[Any, ...]) -> str:
    return ".".join(str(p) for p in loc if p not in ("int", "float", "literal"))


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
        err = exc.errors()[0]
        key = _format_loc(err["loc"])
        if err["type"] == "extra_forbidden":
            raise ScenarioError(
                "unknown key; see docs/calibration.md for the keys allowed", file=file, key=key
            ) from None
        if err["type"] == "missing":
            raise ScenarioError("required key is missing", file=file, key=key) from None
        if err["type"] == "literal_error" and key.endswith("kind"):
            raise ScenarioError(
                f"unknown target kind {err.get('input')!r}; allowed: {', '.join(TARGET_KINDS)}",
                file=file,
                key=key,
            ) from None
        if err["type"] == "literal_error" and key.endswith("city"):
            raise ScenarioError(
                f"unknown city {err.get('input')!r}; allowed: {', '.join(CITIES)}",
                file=file,
                key=key,
            ) from None
        raise ScenarioError(
            f"{err['msg']} (got {err.get('input')!r})"[:300], file=file, key=key or None
        ) from None
    _check_spec(spec, file)
    return spec


def _check_spec(spec: CalibrationSpec, file: str | None) -> None:
    parse_window(spec.window, file=file)
    if not spec.parameters:
        raise ScenarioError("at least one free parameter is required", file=file, key="parameters")
    for name, free in spec.parameters.items():
        key = f"parameters.{name}"
        meta = PARAMETER_SPECS.get(name)
        if meta is None:
            raise ScenarioError(
                f"unknown parameter; allowed: {', '.join(sorted(PARAMETER_SPECS))}",
                file=file,
                key=key,
            )
        if not (meta.lower <= free.lower < free.upper <= meta.upper):
            raise ScenarioError(
                f"bounds [{free.lower}, {free.upper}] must satisfy {meta.lower} "
                f"<= lower < upper <= {meta.upper} ({meta.unit}, the plausible "
                f"range in parameters.py)",
                file=file,
                key=key,
            )
        if free.default is not None and not (free.lower <= free.default <= free.upper):
            raise ScenarioError(
                f"default {free.default} is outside the bounds [{free.lower}, {free.upper}]",
                file=file,
                key=f"{key}.default",
            )
        if name in spec.fixed:
            raise ScenarioError(
                "a parameter cannot be both free and fixed", file=file, key=f"fixed.{name}"
            )
    make_parameters(dict(spec.fixed), file=file, prefix="fixed")
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
