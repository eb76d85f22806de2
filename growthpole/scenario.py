"""Scenario files: YAML -> a frozen, typed :class:`Scenario`.

A scenario declares an experiment as data (EMA Workbench style): the horizon, the number of
replications, the root seed, the agent resolution, structural parameter overrides and the
policy levers with their schedules. Files are read with ``yaml.safe_load`` only; every
problem is reported as one :class:`~growthpole.errors.ScenarioError` line naming the file,
the key and what is allowed.

Lever schedules are step functions of the year: ``{2021: 0.2, 2025: 0.5}`` means the lever's
baseline default until 2020, 0.2 from 2021 to 2024 and 0.5 from 2025 on. A bare number means
that value over the whole horizon.
"""

from __future__ import annotations

import os
from collections.abc import Hashable
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from growthpole.errors import ScenarioError, input_error, short_repr
from growthpole.parameters import ModelParameters, make_parameters
from growthpole.provenance import payload_sha256

FIRST_YEAR = 2000
LAST_YEAR = 2060
MAX_REPLICATIONS = 10_000
#: names of scenarios, sweeps and calibration specs: one safe path component (they name
#: default output directories), never starting with a dot (so never '.' or '..')
NAME_PATTERN = r"^[A-Za-z0-9_\-][A-Za-z0-9_.\-]*$"
MAX_AGENTS_HINT = 5_000_000
MAX_FILE_BYTES = 2_000_000


class Scale(BaseModel):
    """Agent resolution: how many real people / workers one agent stands for."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    people_per_agent: float = Field(
        2000.0, ge=1.0, le=1e7, description="resident people represented by one talent agent"
    )
    workers_per_firm_agent: float = Field(
        10.0, ge=1.0, le=1e5, description="talent agents per firm agent at start"
    )


class Budget(BaseModel):
    """The municipal budget the strategy's measures are paid from (growthpole.fiscal)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    binding: bool = Field(
        False,
        description="scale the costly levers down pro rata in years their cost exceeds the room",
    )
    lever_share: float = Field(
        0.10,
        gt=0.0,
        le=1.0,
        description="share of the general "
        "public budget expenditure available to the measures each year",
    )


class Uncertainty(BaseModel):
    """Which uncertainties the replications carry besides the agents' Monte Carlo noise
    and the competitors' (growthpole.uncertainty; docs/model.md, "Uncertainty").

    Replication r runs on structural draw k = r mod K and coefficient draw
    j = floor(r / K) mod J (a balanced crossed design, replications nested in its cells)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    posterior: str | None = Field(
        None,
        description="path (relative to the scenario file) of a posterior summary YAML "
        "(`growthpole posterior`): the structural parameters are drawn from it",
    )
    parameter_draws: int = Field(
        1, ge=1, le=10_000, description="K: distinct structural parameter draws"
    )
    lever_coefficients: Literal["catalogue", "prior"] = Field(
        "catalogue",
        description="catalogue: the coefficients' central values; prior: drawn from their "
        "priors (growthpole/levers.yaml)",
    )
    coefficient_draws: int = Field(
        1, ge=1, le=10_000, description="J: distinct lever-coefficient draws"
    )
    competitor_draws: int = Field(
        1,
        ge=1,
        le=100,
        description="D: competitor redraws per replication when P(top 30) is estimated",
    )


class Scenario(BaseModel):
    """A validated, immutable scenario."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1, max_length=100, pattern=NAME_PATTERN)
    description: str = ""
    start_year: int = Field(2019, ge=FIRST_YEAR, le=LAST_YEAR)
    end_year: int = Field(2035, ge=FIRST_YEAR, le=LAST_YEAR)
    replications: int = Field(20, ge=1)
    seed: int = Field(20200101, ge=0, lt=2**63)
    scale: Scale = Scale()
    calibration: str | None = Field(
        None, description="path (relative to the scenario file) of a calibrated parameter YAML"
    )
    parameters: dict[str, float] = Field(default_factory=dict)
    parameter_regimes: dict[int, dict[str, float]] = Field(
        default_factory=dict,
        description="regime breaks: first simulated year -> parameter changes from that year "
        "on (cumulative; only parameters the mechanisms read every year, "
        "growthpole.parameters.REGIME_PARAMETERS)",
    )
    levers: dict[str, float | dict[int, float]] = Field(default_factory=dict)
    lever_coefficients: dict[str, float] = Field(
        default_factory=dict,
        description="lever coefficient name -> value (growthpole.levers."
        "COEFFICIENTS; `growthpole levers --coefficients`)",
    )
    budget: Budget | None = Field(None, description="the municipal budget (binding or not)")
    uncertainty: Uncertainty | None = Field(
        None, description="parameter and lever-coefficient draws (growthpole.uncertainty)"
    )
    force: bool = Field(False, description="allow sizes beyond the safety limits")
    information_year: int | None = Field(
        None,
        ge=FIRST_YEAR,
        le=LAST_YEAR,
        description="read only data published for years <= this (no look-ahead; backtests "
        "and calibrations set it to their origin or window end); None: all data",
    )
    source_path: str | None = Field(None, exclude=True)

    @field_validator("levers", mode="before")
    @classmethod
    def _levers_mapping(cls, value: Any) -> Any:
        if value is None:
            return {}
        return value

    def model_parameters(self) -> ModelParameters:
        """Structural parameters: defaults, then the calibration file, then overrides."""
        values: dict[str, float] = {}
        if self.calibration:
            values.update(
                load_calibrated_parameters(
                    self.resolve(self.calibration), scenario_file=self.source_path
                )
            )
        values.update(self.parameters)
        return make_parameters(values, file=self.source_path)

    condition_on_national_path: bool = Field(
        False,
        description="take the realised national path (growthpole/national.py) also "
        "after information_year: a backtest conditional on the nation",
    )

    def national_information_year(self) -> int | None:
        """The information date of the national path: None (all realised years) when the
        run is conditional on the national path, else :attr:`information_year`."""
        return None if self.condition_on_national_path else self.information_year

    def resolve(self, relative: str) -> Path:
        base = Path(self.source_path).parent if self.source_path else Path.cwd()
        return (base / relative).resolve()

    @property
    def years(self) -> range:
        return range(self.start_year, self.end_year + 1)

    def content_hash(self) -> str:
        """SHA-256 of the scenario's canonical JSON (what determines the run)."""
        payload = self.model_dump(mode="json", exclude={"source_path"})
        for optional in (
            "lever_coefficients",
            "budget",
            "uncertainty",
            "parameter_regimes",
        ):  # absent: the hash of earlier runs
            if not payload.get(optional):
                payload.pop(optional, None)
        if self.calibration:
            payload["calibration_values"] = load_calibrated_parameters(
                self.resolve(self.calibration), scenario_file=self.source_path
            )
        if self.uncertainty is not None and self.uncertainty.posterior:
            from growthpole.uncertainty import fingerprint

            payload["posterior_hash"] = fingerprint(self)
        return payload_sha256(payload)

    def with_changes(self, **changes: Any) -> Scenario:
        """A validated copy with some top-level fields changed."""
        data = self.model_dump(exclude={"source_path"})
        data.update(changes)
        return build_scenario(data, source=self.source_path)


def build_scenario(data: Any, *, source: str | os.PathLike[str] | None = None) -> Scenario:
    """Validate a parsed mapping into a :class:`Scenario` (all checks, one error line)."""
    file = str(source) if source is not None else None
    if data is None:
        raise ScenarioError(
            "the file is empty; a scenario is a mapping with at least "
            "'name' (see scenarios/baseline.yaml)",
            file=file,
        )
    if not isinstance(data, dict):
        raise ScenarioError(
            f"top level must be a mapping of keys to values, got {type(data).__name__}", file=file
        )
    _check_shapes(data, file)
    try:
        scenario = Scenario.model_validate({**data, "source_path": file})
    except ValidationError as exc:
        raise input_error(exc, Scenario, file=file) from None
    _check_scenario(scenario, file)
    return scenario


def _check_shapes(data: dict[Any, Any], file: str | None) -> None:
    """Shape checks pydantic would report obscurely (union of number / schedule, key types)."""
    for key in data:
        if not isinstance(key, str):
            allowed = ", ".join(k for k in Scenario.model_fields if k != "source_path")
            raise ScenarioError(
                f"top-level key {short_repr(key)} is not text; allowed: {allowed}",
                file=file,
                key=str(key),
            )
    for section in ("parameters", "levers", "lever_coefficients"):
        block = data.get(section)
        if block is None:
            continue
        if not isinstance(block, dict):
            raise ScenarioError(
                f"must be a mapping of {section[:-1]} names to values, got {type(block).__name__}",
                file=file,
                key=section,
            )
        for name, value in block.items():
            if not isinstance(name, str):
                raise ScenarioError(
                    f"{section[:-1]} name {short_repr(name)} is not text",
                    file=file,
                    key=f"{section}.{name}",
                )
            if section != "levers" or not isinstance(value, dict):
                if isinstance(value, bool) or not isinstance(value, int | float):
                    shape = (
                        "a number"
                        if section != "levers"
                        else ("a number or a {year: number} schedule")
                    )
                    raise ScenarioError(
                        f"must be {shape}, got {short_repr(value)}",
                        file=file,
                        key=f"{section}.{name}",
                    )
                continue
            for year, entry in value.items():
                if isinstance(year, bool) or not isinstance(year, int):
                    raise ScenarioError(
                        f"schedule year {short_repr(year)} is not a whole year; a "
                        f"schedule maps years to numbers",
                        file=file,
                        key=f"levers.{name}",
                    )
                if isinstance(entry, bool) or not isinstance(entry, int | float):
                    raise ScenarioError(
                        f"must be a number, got {short_repr(entry)}",
                        file=file,
                        key=f"levers.{name}.{year}",
                    )


def _check_regimes(scenario: Scenario, file: str | None) -> None:
    """``parameter_regimes``: years in start+1..end (the first simulated year of a regime),
    names that may change at a break, values in their plausible ranges."""
    from growthpole.parameters import REGIME_PARAMETERS

    values = dict(scenario.parameters)
    for year, changes in sorted(scenario.parameter_regimes.items()):
        key = f"parameter_regimes.{year}"
        if not scenario.start_year < year <= scenario.end_year:
            raise ScenarioError(
                f"a regime starts in a simulated year: {scenario.start_year + 1}.."
                f"{scenario.end_year}, got {year}",
                file=file,
                key=key,
            )
        if not changes:
            raise ScenarioError("a regime changes at least one parameter", file=file, key=key)
        for name in changes:
            if name not in REGIME_PARAMETERS:
                raise ScenarioError(
                    f"{name!r} cannot change at a break; allowed: {', '.join(REGIME_PARAMETERS)}",
                    file=file,
                    key=f"{key}.{name}",
                )
        values.update(changes)
        make_parameters(values, file=file, prefix=key)


def _check_scenario(scenario: Scenario, file: str | None) -> None:
    from growthpole.levers import validate_coefficients, validate_levers

    if scenario.end_year <= scenario.start_year:
        raise ScenarioError(
            f"end_year ({scenario.end_year}) must be after start_year ({scenario.start_year})",
            file=file,
            key="end_year",
        )
    if scenario.replications > MAX_REPLICATIONS and not scenario.force:
        raise ScenarioError(
            f"{scenario.replications} replications exceed the safety limit "
            f"{MAX_REPLICATIONS}; set force: true to allow",
            file=file,
            key="replications",
        )
    if scenario.scale.people_per_agent < 50 and not scenario.force:
        raise ScenarioError(
            f"{scenario.scale.people_per_agent} people per agent would create "
            f"more than {MAX_AGENTS_HINT:,} agents; use >= 50 or set force: true",
            file=file,
            key="scale.people_per_agent",
        )
    make_parameters(dict(scenario.parameters), file=file)
    _check_regimes(scenario, file)
    if scenario.calibration:
        if "\x00" in scenario.calibration:
            raise ScenarioError(
                "a file path cannot contain a NUL character", file=file, key="calibration"
            )
        path = scenario.resolve(scenario.calibration)
        if not path.is_file():
            raise ScenarioError(
                f"calibration file {path} does not exist", file=file, key="calibration"
            )
        load_calibrated_parameters(path, scenario_file=file)
    validate_levers(scenario.levers, scenario.start_year, scenario.end_year, file=file)
    validate_coefficients(scenario.lever_coefficients, file=file)
    if scenario.uncertainty is not None:
        from growthpole.uncertainty import check_uncertainty

        check_uncertainty(scenario, file)


def read_yaml(path: str | os.PathLike[str], *, what: str = "scenario") -> Any:
    """Read a YAML file safely: size-limited, ``safe_load`` only, clear errors."""
    path = Path(path)
    if not path.exists():
        raise ScenarioError(f"{what} file does not exist", file=path)
    if not path.is_file():
        raise ScenarioError(f"{what} path is not a file", file=path)
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise ScenarioError(
            f"file is {size} bytes; {what} files are limited to {MAX_FILE_BYTES} bytes", file=path
        )
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ScenarioError(
            f"not UTF-8 text ({exc.reason} at byte {exc.start})", file=path
        ) from None
    try:
        loader = _LimitedLoader(text)
        try:
            data = loader.get_single_data()
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ScenarioError(f"malformed YAML: {where}{problem}", file=path) from None
    except RecursionError:
        raise ScenarioError("malformed YAML: nesting too deep", file=path) from None
    except (TypeError, ValueError) as exc:  # e.g. a set or a mapping used as a mapping key
        raise ScenarioError(f"malformed YAML: {exc}", file=path) from None
    return data


class _LimitedLoader(yaml.SafeLoader):
    """``SafeLoader`` that refuses alias expansion bombs ("billion laughs"): more than
    ``max_aliases`` aliases, a document whose aliases would expand to more than
    ``max_expanded_nodes`` nodes, and recursive aliases."""

    max_aliases = 100
    max_expanded_nodes = 1_000_000

    def construct_document(self, node: yaml.Node) -> Any:
        self._check_expansion(node)
        return super().construct_document(node)

    def _check_expansion(self, root: yaml.Node) -> None:
        sizes: dict[int, int] = {}
        active: set[int] = set()

        def size(node: yaml.Node) -> int:
            key = id(node)
            if key in sizes:
                return sizes[key]
            if key in active:
                raise yaml.YAMLError(
                    f"recursive YAML alias (line {node.start_mark.line + 1}): "
                    f"refusing an infinitely nested document"
                )
            active.add(key)
            total = 1
            if isinstance(node, yaml.SequenceNode):
                total += sum(size(child) for child in node.value)
            elif isinstance(node, yaml.MappingNode):
                total += sum(size(k) + size(v) for k, v in node.value)
            active.discard(key)
            if total > self.max_expanded_nodes:
                raise yaml.YAMLError(
                    f"aliases expand to more than {self.max_expanded_nodes:,} "
                    f"values (line {node.start_mark.line + 1}): refusing a "
                    f"possible alias bomb"
                )
            sizes[key] = total
            return total

        size(root)

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._alias_count = 0

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            self._alias_count += 1
            if self._alias_count > self.max_aliases:
                mark = self.peek_event().start_mark
                raise yaml.YAMLError(
                    f"more than {self.max_aliases} YAML aliases (line "
                    f"{mark.line + 1}): refusing a possible alias bomb"
                )
        return super().compose_node(parent, index)

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Hashable, Any]:
        """Refuse duplicate keys (PyYAML silently keeps the last one)."""
        if isinstance(node, yaml.MappingNode):
            seen: dict[object, int] = {}
            for key_node, _ in node.value:
                if not isinstance(key_node, yaml.ScalarNode) or key_node.tag.endswith(":merge"):
                    continue
                key = self.construct_object(key_node)
                if key in seen:
                    raise yaml.constructor.ConstructorError(
                        None,
                        None,
                        f"duplicate key {key!r} (first on line {seen[key]})",
                        key_node.start_mark,
                    )
                seen[key] = key_node.start_mark.line + 1
        return super().construct_mapping(node, deep=deep)


def load_scenario(path: str | os.PathLike[str], **overrides: Any) -> Scenario:
    """Read and validate a scenario file; ``overrides`` replace top-level keys."""
    data = read_yaml(path)
    if isinstance(data, dict):
        data = {**data, **{k: v for k, v in overrides.items() if v is not None}}
    return build_scenario(data, source=path)


def load_calibrated_parameters(
    path: str | Path, *, scenario_file: str | None = None
) -> dict[str, float]:
    """Read the ``parameters`` mapping of a calibrated-parameter YAML written by
    ``growthpole calibrate``."""
    data = read_yaml(path, what="calibration")
    if not isinstance(data, dict) or not isinstance(data.get("parameters"), dict):
        raise ScenarioError(
            "calibration file must hold a 'parameters' mapping", file=path, key="parameters"
        )
    values = data["parameters"]
    make_parameters(values, file=str(path))
    return {str(k): float(v) for k, v in values.items()}
