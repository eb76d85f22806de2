"""The policy catalogue: every measure of the source document as a lever, read from data.

The catalogue lives in ``growthpole/levers.yaml`` (package data), not in code. Each
:class:`Lever` has a YAML key (``pillar.measure``), a unit, an allowed range, a default (its
value under the policies as they stood in 2019, the baseline), the mechanisms it acts
through, the verbatim Chinese clause of the source document it models, and its *effects*:
declarative records (:class:`EffectRecord`) naming a channel of
:class:`~growthpole.policy.PolicyChannels`, the regions and sectors it touches and a
coefficient. Every coefficient (:class:`Coefficient`) has a prior distribution
(:class:`Prior`) and a source (:class:`Source`: a paper and its estimate, a programme
evaluation, a public record, or the flag ``judgement`` with one line of reasoning). The
calibration engine (issue 16) updates these priors; scenarios set coefficients with
``lever_coefficients: {name: value}`` and sweeps vary them with ``coefficient:`` factors.

How a scheduled value reaches the channels (issue 17):

1. **Relative to the baseline trend and to competitors.** The effective value is
   ``value x (1 - in_trend) x (1 - competitor_share)``. ``in_trend`` is the share of the
   scheduled post-2019 intensity that the 2005-2019 calibrated trend already carries forward
   (measures under way before the base year); ``competitor_share`` is the share of a national
   or provincial measure the typical top-30 competitor also got: only Shaoxing's increment over
   the typical competitor moves its rank. Both are coefficients with priors.
2. **Contributions.** Each effect adds ``coefficient x transform(effective value)`` to the
   cells (region, sector, pair) of its channel.
3. **Combination without stacking beyond the evidence.** The contributions on one channel
   cell are summed and combined by the channel's documented rule (``channels:`` in the data
   file, :func:`growthpole.policy.combine`): ``saturating`` channels move by
   ``cap x tanh(sum / cap)`` (diminishing returns, never beyond the cap the evidence
   supports), ``clip`` channels are bounded physically, costs and counts add.

Measures that have no economic channel the model can represent are listed in
:data:`OMISSIONS` with the reason.

Schedules: in a scenario, ``levers: {key: value}`` or ``levers: {key: {year: value, ...}}``;
the value holds from its year until the next scheduled year (step function); before the first
scheduled year the default applies.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, cast

import numpy as np
import yaml

from growthpole.errors import DataError, ScenarioError
from growthpole.policy import CHANNEL_KINDS, PolicyChannels, combine
from growthpole.regions import (
    EMERGING_SECTORS,
    N_REGIONS,
    N_SECTORS,
    N_SHAOXING,
    POLLUTING_SECTORS,
    REGION_INDEX,
    REGIONS,
    SECTOR_INDEX,
    SECTORS,
    TRADITIONAL_SECTORS,
)

LEVER_FILE = Path(__file__).with_name("levers.yaml")

PILLARS: tuple[str, ...] = (
    "integration",
    "platforms",
    "industry_upgrade",
    "innovation_talent",
    "green",
    "business_environment",
)
SCOPES: tuple[str, ...] = ("local", "provincial", "national")
SOURCE_KINDS: tuple[str, ...] = ("paper", "evaluation", "record", "judgement")
PRIOR_FAMILIES: dict[str, tuple[str, ...]] = {
    "normal": ("mean", "sd"),
    "lognormal": ("median", "sigma"),
    "beta": ("a", "b"),
    "uniform": ("low", "high"),
}
COST_BASES: tuple[str, ...] = ("none", "capital", "per_unit_year", "va_share")
#: roles of a lever's coefficients (the suffix of the coefficient name)
INCREMENT_ROLES: tuple[str, ...] = ("in_trend", "competitor_share")
SECTOR_GROUPS: dict[str, tuple[str, ...]] = {
    "all": SECTORS,
    "emerging": EMERGING_SECTORS,
    "traditional": TRADITIONAL_SECTORS,
    "polluting": POLLUTING_SECTORS,
    "manufacturing": tuple(s for s in SECTORS if s not in ("services", "digital_economy")),
}
TRANSFORMS: tuple[str, ...] = ("linear", "log1p")
INTENSITY = "intensity (0 = as in 2019, 1 = fully implemented)"


# ---------------------------------------------------------------------------------------
# records
# ---------------------------------------------------------------------------------------


@cache
def _frozen_distribution(family: str, parameters: tuple[tuple[str, float], ...]):
    """The frozen scipy.stats distribution of a prior family and its parameters."""
    from scipy import stats

    p = dict(parameters)
    if family == "normal":
        return stats.norm(loc=p["mean"], scale=p["sd"])
    if family == "lognormal":
        return stats.lognorm(s=p["sigma"], scale=p["median"])
    if family == "beta":
        return stats.beta(p["a"], p["b"])
    return stats.uniform(loc=p["low"], scale=p["high"] - p["low"])


@cache
def _variate_rule(family: str, parameters: tuple[tuple[str, float], ...]):
    """(family, shape parameters, scale, loc) of a prior, as 0-d arrays in the dtypes that
    scipy.stats' ``rvs`` gives them after its argument checks (the defaults loc=0 and
    scale=1 are integers there), so that ``Prior.sample`` reproduces ``rvs`` exactly."""
    p = dict(parameters)
    zero, one = np.asarray(0), np.asarray(1)
    if family == "normal":
        return family, (), np.asarray(p["sd"]), np.asarray(p["mean"])
    if family == "lognormal":
        return family, (np.asarray(p["sigma"]),), np.asarray(p["median"]), zero
    if family == "beta":
        return family, (np.asarray(p["a"]), np.asarray(p["b"])), one, zero
    return family, (), np.asarray(p["high"] - p["low"]), np.asarray(p["low"])


@dataclass(frozen=True)
class Prior:
    """A prior distribution of one coefficient (scipy.stats under the hood)."""

    family: str
    parameters: tuple[tuple[str, float], ...]

    @property
    def params(self) -> dict[str, float]:
        return dict(self.parameters)

    def distribution(self):
        """The frozen scipy.stats distribution (built once per prior and process: building
        the ~155 frozen distributions of a replication's coefficient draw was 28.6% of a
        default-scale run, docs/performance.md; a frozen distribution holds no state that
        a draw changes, so sharing it leaves every draw the same)."""
        return _frozen_distribution(self.family, self.parameters)

    def sample(self, rng: np.random.Generator, size: int | None = None) -> np.ndarray | float:
        """Draws from the prior, the same values and generator state as
        ``self.distribution().rvs(size=size, random_state=rng)``.

        scipy's ``rvs`` spends ~40 us a call checking and broadcasting its arguments before
        it makes the one Generator call below; a replication's coefficient draw makes ~155
        such calls. The rule is scipy's own (``_rvs`` of norm, lognorm, beta and uniform,
        then ``vals * scale + loc``), and tests/test_levers.py checks it bit for bit,
        including the generator's final state.
        """
        kind, shape_parameters, scale, loc = _variate_rule(self.family, self.parameters)
        shape = () if size is None else (int(size),)
        if kind == "normal":
            unit = rng.standard_normal(shape)
        elif kind == "lognormal":
            unit = np.exp(shape_parameters[0] * rng.standard_normal(shape))
        elif kind == "beta":
            unit = rng.beta(shape_parameters[0], shape_parameters[1], shape)
        else:
            unit = rng.uniform(0.0, 1.0, shape)
        return unit * scale + loc

    def logpdf(self, value: float) -> float:
        return float(self.distribution().logpdf(value))

    def interval(self, mass: float = 0.9) -> tuple[float, float]:
        low, high = self.distribution().interval(mass)
        return float(low), float(high)

    @property
    def support(self) -> tuple[float, float]:
        low, high = self.distribution().support()
        return float(low), float(high)

    def describe(self) -> str:
        args = ", ".join(f"{k}={_number(v)}" for k, v in self.parameters)
        return f"{self.family}({args})"

    def as_dict(self) -> dict[str, object]:
        return {"family": self.family, **self.params}


@dataclass(frozen=True)
class Source:
    """Where a coefficient comes from."""

    kind: str
    ref: str | None = None
    estimate: str | None = None
    note: str | None = None
    motivated_by: str | None = None

    def citation(self) -> str | None:
        """Full citation of ``ref`` (or of ``motivated_by`` for a judgement)."""
        key = self.ref or self.motivated_by
        return REFERENCES.get(key) if key else None

    def describe(self) -> str:
        """One line: the kind, the reference key and the estimate or the reasoning."""
        if self.kind == "judgement":
            tail = f" (motivated by {self.motivated_by})" if self.motivated_by else ""
            return f"judgement: {self.note}{tail}"
        return f"{self.kind} {self.ref}: {self.estimate}"

    def as_dict(self) -> dict[str, object]:
        out: dict[str, object] = {"kind": self.kind}
        for name in ("ref", "estimate", "note", "motivated_by"):
            value = getattr(self, name)
            if value is not None:
                out[name] = value
        citation = self.citation()
        if citation:
            out["citation"] = citation
        return out


@dataclass(frozen=True)
class Coefficient:
    """One number of the catalogue that calibration can update."""

    name: str
    lever: str
    role: str
    """``effect``, ``in_trend``, ``competitor_share`` or ``cost``"""
    value: float
    prior: Prior
    source: Source
    unit: str = ""

    def as_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "lever": self.lever,
            "role": self.role,
            "value": self.value,
            "prior": self.prior.as_dict(),
            "source": self.source.as_dict(),
            "unit": self.unit,
        }


@dataclass(frozen=True)
class EffectRecord:
    """How one unit of a lever changes one channel."""

    name: str
    channel: str
    coefficient: str
    """the coefficient's full name, ``<lever>.<effect name>``"""
    regions: tuple[int, ...] = ()
    sectors: tuple[int, ...] = ()
    pairs: tuple[tuple[int, int], ...] = ()
    platform_kind: str | None = None
    transform: str = "linear"

    def describe(self, value: float) -> str:
        """Readable note: channel, cells and the coefficient's value."""
        where = []
        if self.pairs:
            poles = sorted({REGIONS[b] for _, b in self.pairs})
            units = [REGIONS[a] for a, _ in self.pairs]
            scope = "Shaoxing" if len(units) == N_SHAOXING else "/".join(units)
            where.append(f"{scope}<->{'/'.join(poles)}")
        elif self.regions and CHANNEL_KINDS[self.channel][1] in ("regions", "regions_sectors"):
            names = [REGIONS[r] for r in self.regions]
            where.append(
                "Shaoxing"
                if len(names) == N_SHAOXING and names == list(REGIONS[:N_SHAOXING])
                else "/".join(names)
            )
        if self.sectors and len(self.sectors) < N_SECTORS:
            where.append("sectors " + "/".join(SECTORS[s] for s in self.sectors))
        if self.platform_kind:
            where.append(f"platform {self.platform_kind}")
        x = "log(1 + value)" if self.transform == "log1p" else "value"
        kind, _ = CHANNEL_KINDS[self.channel]
        sign = "+" if value >= 0 else "-"
        term = (
            f"x (1 {sign} {_number(abs(value))} {x})"
            if kind == "multiplicative"
            else f"{sign} {_number(abs(value))} {x}"
        )
        return f"{self.channel}" + (f" [{', '.join(where)}]" if where else "") + f" {term}"


@dataclass(frozen=True)
class CostRecord:
    """What a lever costs the municipal general public budget (growthpole.fiscal).

    ``capital``: coefficient 亿元 per unit increase of the lever's (trend-adjusted) value,
    paid in the year of the increase; ``per_unit_year``: coefficient 亿元 per unit of value
    per year; ``va_share``: coefficient x value x Shaoxing's value added of ``sectors``
    (current prices) per year; ``none``: no budget cost (``note`` says why)."""

    basis: str
    coefficient: str | None = None
    sectors: tuple[int, ...] = ()
    unit: str = ""
    note: str | None = None


@dataclass(frozen=True)
class Lever:
    """One policy measure a scenario can switch on, scale and schedule."""

    key: str
    pillar: str
    title: str
    unit: str
    lower: float
    upper: float
    default: float
    mechanisms: tuple[str, ...]
    clause: str
    effects: tuple[EffectRecord, ...]
    scope: str = "local"
    """``local`` (Shaoxing's own), ``provincial`` or ``national`` (every city got it)"""
    since: int | None = None
    """year the measure got under way, when before the base year"""
    cost: CostRecord = field(default_factory=lambda: CostRecord("none"))
    event: bool = False
    """an event lever acts only in the years its schedule names (a bare number: the first
    simulated year), e.g. a count of projects starting that year; others hold their value."""

    @property
    def effect_note(self) -> str:
        """How one unit changes the channels (generated from the records)."""
        values = default_coefficients()
        parts = [effect.describe(values[effect.coefficient]) for effect in self.effects]
        shares = [
            f"(1 - {role} {_number(values[f'{self.key}.{role}'])})"
            for role in INCREMENT_ROLES
            if f"{self.key}.{role}" in values
        ]
        note = "; ".join(parts)
        if shares:
            note += f"; effective value = value x {' x '.join(shares)}"
        return note

    def coefficient_names(self) -> list[str]:
        return [name for name, c in COEFFICIENTS.items() if c.lever == self.key]

    def as_dict(self) -> dict[str, Any]:
        """The lever as a JSON document (``growthpole levers --json``)."""
        return {
            "key": self.key,
            "pillar": self.pillar,
            "title": self.title,
            "unit": self.unit,
            "range": [self.lower, self.upper],
            "default": self.default,
            "mechanisms": list(self.mechanisms),
            "clause": self.clause,
            "scope": self.scope,
            "since": self.since,
            "event": self.event,
            "effect": self.effect_note,
            "effects": [
                {"name": e.name, "channel": e.channel, "coefficient": e.coefficient}
                for e in self.effects
            ],
            "cost": {
                "basis": self.cost.basis,
                "coefficient": self.cost.coefficient,
                "unit": self.cost.unit,
                "note": self.cost.note,
            },
            "coefficients": [COEFFICIENTS[name].as_dict() for name in self.coefficient_names()],
        }


@dataclass(frozen=True)
class ChannelRule:
    """How the levers on one channel combine (docs/levers.md, "Combination rules")."""

    channel: str
    kind: str
    index: str
    rule: str
    cap: float | None
    source: Source


# ---------------------------------------------------------------------------------------
# loading and validating the data file
# ---------------------------------------------------------------------------------------


def _number(value: float) -> str:
    return f"{value:g}"


def _fail(message: str, key: str) -> DataError:
    return DataError(message, file=LEVER_FILE, key=key)


def _prior(data: object, key: str) -> Prior:
    if not isinstance(data, Mapping) or len(data) != 1:
        raise _fail(
            f"a prior is one mapping {{family: {{parameters}}}}; families: "
            f"{', '.join(PRIOR_FAMILIES)}",
            key,
        )
    family, params = next(iter(data.items()))
    if family not in PRIOR_FAMILIES or not isinstance(params, Mapping):
        raise _fail(f"unknown prior family {family!r}; allowed: {', '.join(PRIOR_FAMILIES)}", key)
    names = PRIOR_FAMILIES[family]
    if set(params) != set(names):
        raise _fail(f"{family} prior needs exactly {', '.join(names)}", key)
    values = {n: float(params[n]) for n in names}
    positive = {
        "normal": ("sd",),
        "lognormal": ("median", "sigma"),
        "beta": ("a", "b"),
        "uniform": (),
    }[family]
    if (
        any(not math.isfinite(v) for v in values.values())
        or any(values[n] <= 0 for n in positive)
        or (family == "uniform" and values["high"] <= values["low"])
    ):
        raise _fail(f"invalid {family} prior parameters {values}", key)
    return Prior(family, tuple((n, values[n]) for n in names))


def _source(data: object, key: str, references: Mapping[str, str]) -> Source:
    if not isinstance(data, Mapping) or data.get("kind") not in SOURCE_KINDS:
        raise _fail(f"a source needs kind: one of {', '.join(SOURCE_KINDS)}", key)
    source = Source(
        kind=data["kind"],
        ref=data.get("ref"),
        estimate=data.get("estimate"),
        note=data.get("note"),
        motivated_by=data.get("motivated_by"),
    )
    if source.kind == "judgement":
        if not source.note or "\n" in source.note:
            raise _fail("a judgement needs its reasoning in one line (note)", key)
    elif not source.ref or not source.estimate:
        raise _fail(f"a {source.kind} source needs ref (a key of references) and estimate", key)
    for name in ("ref", "motivated_by"):
        ref = getattr(source, name)
        if ref is not None and ref not in references:
            raise _fail(f"{name} {ref!r} is not a key of references", key)
    return source


def _coefficient(data: object, name: str, lever: str, role: str, references) -> Coefficient:
    if not isinstance(data, Mapping) or "value" not in data or "prior" not in data:
        raise _fail("a coefficient needs value, prior and source", name)
    value = float(data["value"])
    prior = _prior(data["prior"], f"{name}.prior")
    source = _source(data.get("source"), f"{name}.source", references)
    low, high = prior.support
    if not (math.isfinite(value) and low <= value <= high):
        raise _fail(f"value {value} is outside the support of its prior {prior.describe()}", name)
    return Coefficient(name, lever, role, value, prior, source, str(data.get("unit", "")))


def _regions(names: object, key: str) -> tuple[int, ...]:
    if names is None or names == "shaoxing":
        return tuple(range(N_SHAOXING))
    if not isinstance(names, list) or not all(n in REGION_INDEX for n in names):
        raise _fail(f"regions must be 'shaoxing' or a list of {', '.join(REGIONS)}", key)
    return tuple(REGION_INDEX[n] for n in names)


def _sectors(names: object, key: str) -> tuple[int, ...]:
    if names is None:
        return tuple(range(N_SECTORS))
    if isinstance(names, str):
        if names not in SECTOR_GROUPS:
            raise _fail(f"unknown sector group {names!r}; allowed: {', '.join(SECTOR_GROUPS)}", key)
        names = list(SECTOR_GROUPS[names])
    if not isinstance(names, list) or not all(n in SECTOR_INDEX for n in names):
        raise _fail(
            f"sectors must be a group ({', '.join(SECTOR_GROUPS)}) or a list of "
            f"{', '.join(SECTORS)}",
            key,
        )
    return tuple(SECTOR_INDEX[n] for n in names)


def _effect(data: Mapping, lever: str, index: int, references, coefficients) -> EffectRecord:
    key = f"{lever}.effects[{index}]"
    name = data.get("name")
    channel = data.get("channel")
    if not name or channel not in CHANNEL_KINDS:
        raise _fail(
            f"an effect needs a name and a channel of PolicyChannels; allowed: "
            f"{', '.join(CHANNEL_KINDS)}",
            key,
        )
    full = f"{lever}.{name}"
    if full in coefficients:
        raise _fail("duplicate effect name", full)
    coefficients[full] = _coefficient(
        {**data, "value": data.get("coefficient")}, full, lever, "effect", references
    )
    _, cells = CHANNEL_KINDS[channel]
    pairs: tuple[tuple[int, int], ...] = ()
    if cells == "pairs":
        spec = data.get("pairs")
        if not isinstance(spec, Mapping) or spec.get("pole") not in REGION_INDEX:
            raise _fail("a pair channel needs pairs: {pole: <region>, units: [...]}", key)
        units = _regions(spec.get("units"), f"{key}.pairs.units")
        pairs = tuple((u, REGION_INDEX[spec["pole"]]) for u in units)
    platform_kind = None
    if cells == "platform":
        platform_kind = data.get("kind")
        from growthpole.mechanisms.platforms import KIND_NAMES

        if platform_kind not in KIND_NAMES:
            raise _fail(f"platform kind must be one of {', '.join(KIND_NAMES)}", key)
    transform = data.get("transform", "linear")
    if transform not in TRANSFORMS:
        raise _fail(f"transform must be one of {', '.join(TRANSFORMS)}", key)
    return EffectRecord(
        name=name,
        channel=channel,
        coefficient=full,
        regions=_regions(data.get("regions"), f"{key}.regions"),
        sectors=_sectors(data.get("sectors"), f"{key}.sectors"),
        pairs=pairs,
        platform_kind=platform_kind,
        transform=transform,
    )


def _cost(data: object, lever: str, references, coefficients) -> CostRecord:
    key = f"{lever}.cost"
    if not isinstance(data, Mapping) or data.get("basis") not in COST_BASES:
        raise _fail(f"cost needs basis: one of {', '.join(COST_BASES)}", key)
    basis = data["basis"]
    if basis == "none":
        source = _source(data.get("source"), f"{key}.source", references)
        return CostRecord("none", note=source.note)
    name = f"{lever}.cost"
    coefficients[name] = _coefficient(
        {**data, "value": data.get("coefficient")}, name, lever, "cost", references
    )
    sectors = _sectors(data.get("sectors"), f"{key}.sectors") if basis == "va_share" else ()
    return CostRecord(basis, name, sectors, str(data.get("unit", "")))


@cache
def _catalogue() -> tuple[
    dict[str, Lever],
    dict[str, Coefficient],
    dict[str, ChannelRule],
    dict[str, str],
    dict[str, str],
    int,
]:
    """Read and validate growthpole/levers.yaml once (DataError on the first fault)."""
    try:
        data = yaml.safe_load(LEVER_FILE.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise DataError(f"cannot read the lever catalogue: {exc}", file=LEVER_FILE) from None
    if not isinstance(data, Mapping) or data.get("format") != 1:
        raise DataError("the lever catalogue must be a mapping with format: 1", file=LEVER_FILE)
    references = {str(k): " ".join(str(v).split()) for k, v in data["references"].items()}
    rules = {}
    for channel, spec in data["channels"].items():
        if channel not in CHANNEL_KINDS:
            raise _fail("not a field of PolicyChannels", f"channels.{channel}")
        kind, index = CHANNEL_KINDS[channel]
        if spec.get("kind") != kind or spec.get("index") != index:
            raise _fail(
                f"kind/index must be {kind}/{index} (growthpole.policy.CHANNEL_KINDS)",
                f"channels.{channel}",
            )
        if spec.get("rule") not in ("saturating", "clip", "sum", "count"):
            raise _fail("rule must be saturating, clip, sum or count", f"channels.{channel}.rule")
        cap = spec.get("cap")
        if spec["rule"] in ("saturating", "clip") and not (
            isinstance(cap, int | float) and cap > 0
        ):
            raise _fail("a saturating or clip rule needs a positive cap", f"channels.{channel}.cap")
        rules[channel] = ChannelRule(
            channel,
            kind,
            index,
            spec["rule"],
            None if cap is None else float(cap),
            _source(spec.get("source"), f"channels.{channel}.source", references),
        )
    missing = set(CHANNEL_KINDS) - set(rules)
    if missing:
        raise _fail(f"channels without a combination rule: {sorted(missing)}", "channels")
    levers: dict[str, Lever] = {}
    coefficients: dict[str, Coefficient] = {}
    base_year = int(data["base_year"])
    for entry in data["levers"]:
        key = entry.get("key")
        if not key or key in levers:
            raise _fail("every lever needs a unique key", f"levers.{key}")
        if entry.get("pillar") not in PILLARS:
            raise _fail(f"pillar must be one of {', '.join(PILLARS)}", f"{key}.pillar")
        scope = entry.get("scope", "local")
        if scope not in SCOPES:
            raise _fail(f"scope must be one of {', '.join(SCOPES)}", f"{key}.scope")
        since = entry.get("since")
        if scope != "local" and "competitor_share" not in entry:
            raise _fail(
                "a provincial or national measure needs competitor_share", f"{key}.competitor_share"
            )
        if since is not None and int(since) < base_year and "in_trend" not in entry:
            raise _fail(f"a measure under way before {base_year} needs in_trend", f"{key}.in_trend")
        for role in INCREMENT_ROLES:
            if role in entry:
                name = f"{key}.{role}"
                coefficients[name] = _coefficient(entry[role], name, key, role, references)
                if not 0.0 <= coefficients[name].value < 1.0:
                    raise _fail("a share must lie in [0, 1)", name)
        effects = tuple(
            _effect(e, key, i, references, coefficients)
            for i, e in enumerate(entry.get("effects") or ())
        )
        if not effects:
            raise _fail("a lever needs at least one effect", f"{key}.effects")
        low, high = (float(x) for x in entry["range"])
        levers[key] = Lever(
            key=key,
            pillar=entry["pillar"],
            title=str(entry["title"]),
            unit=str(entry["unit"]),
            lower=low,
            upper=high,
            default=float(entry.get("default", 0.0)),
            mechanisms=tuple(entry["mechanisms"]),
            clause=str(entry["clause"]),
            effects=effects,
            scope=scope,
            since=None if since is None else int(since),
            cost=_cost(entry.get("cost"), key, references, coefficients),
            event=bool(entry.get("event", False)),
        )
    omissions = {str(k): str(v) for k, v in (data.get("omissions") or {}).items()}
    return levers, coefficients, rules, references, omissions, base_year


LEVERS: dict[str, Lever]
COEFFICIENTS: dict[str, Coefficient]
CHANNEL_RULES: dict[str, ChannelRule]
REFERENCES: dict[str, str]
OMISSIONS: dict[str, str]
BASE_YEAR: int
LEVERS, COEFFICIENTS, CHANNEL_RULES, REFERENCES, OMISSIONS, BASE_YEAR = _catalogue()


@cache
def _default_coefficients() -> tuple[tuple[str, float], ...]:
    return tuple((name, c.value) for name, c in COEFFICIENTS.items())


def default_coefficients() -> dict[str, float]:
    """Coefficient name -> its catalogue value (the prior's central value)."""
    return dict(_default_coefficients())


def coefficient_values(overrides: Mapping[str, float] | None = None) -> dict[str, float]:
    """Catalogue values with ``overrides`` (validated by :func:`validate_coefficients`)."""
    values = default_coefficients()
    if overrides:
        values.update({k: float(v) for k, v in overrides.items()})
    return values


def validate_coefficients(
    overrides: Mapping[str, object], *, file: str | None = None, section: str = "lever_coefficients"
) -> None:
    """Check names and values of coefficient overrides; ScenarioError on the first fault."""
    for name, value in overrides.items():
        coefficient = COEFFICIENTS.get(name)
        where = f"{section}.{name}"
        if coefficient is None:
            lever = str(name).rsplit(".", 1)[0]
            known = [n for n in COEFFICIENTS if n.startswith(lever + ".")]
            hint = (
                f"; {lever} has {', '.join(known)}"
                if known
                else "; `growthpole levers --coefficients` lists them"
            )
            raise ScenarioError(f"unknown lever coefficient{hint}", file=file, key=where)
        if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
            raise ScenarioError(f"must be a number, got {value!r}", file=file, key=where)
        low, high = coefficient.prior.support
        if not (low <= float(value) <= high) or not math.isfinite(float(value)):
            raise ScenarioError(
                f"{value} is outside the support [{low}, {high}] of its prior "
                f"{coefficient.prior.describe()}",
                file=file,
                key=where,
            )
        if coefficient.role in INCREMENT_ROLES and not 0.0 <= float(value) < 1.0:
            raise ScenarioError("a share must lie in [0, 1)", file=file, key=where)


def validate_levers(
    levers: Mapping[str, object], start_year: int, end_year: int, *, file: str | None = None
) -> None:
    """Check lever names, schedule years and values; raise ScenarioError on the first fault."""
    for key, schedule in levers.items():
        lever = LEVERS.get(key)
        if lever is None:
            close = [k for k in LEVERS if k.split(".")[-1] == str(key).split(".")[-1]]
            hint = f"; did you mean {close[0]}?" if close else "; `growthpole levers` lists them"
            raise ScenarioError(f"unknown lever{hint}", file=file, key=f"levers.{key}")
        items = schedule.items() if isinstance(schedule, Mapping) else [(None, schedule)]
        for year, value in items:
            where = f"levers.{key}" + (f".{year}" if year is not None else "")
            if year is not None and not (start_year <= int(year) <= end_year):
                raise ScenarioError(
                    f"year {year} is outside the horizon {start_year}-{end_year}",
                    file=file,
                    key=where,
                )
            if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
                raise ScenarioError(
                    f"must be a number in [{lever.lower}, {lever.upper}] "
                    f"({lever.unit}), got {value!r}",
                    file=file,
                    key=where,
                )
            if not (lever.lower <= float(value) <= lever.upper):
                raise ScenarioError(
                    f"{value} is outside the allowed range [{lever.lower}, "
                    f"{lever.upper}] ({lever.unit})",
                    file=file,
                    key=where,
                )


# ---------------------------------------------------------------------------------------
# schedules -> values -> channels
# ---------------------------------------------------------------------------------------


def lever_value(schedule: float | Mapping[int, float] | None, year: int, default: float) -> float:
    """Value of a step-function schedule in ``year``."""
    if schedule is None:
        return default
    if not isinstance(schedule, Mapping):
        return float(schedule)
    value = default
    for scheduled_year in sorted(schedule):
        if int(scheduled_year) <= year:
            value = float(schedule[scheduled_year])
    return value


def scheduled_values(
    levers: Mapping[str, float | Mapping[int, float]], year: int, start_year: int | None = None
) -> dict[str, float]:
    """Lever key -> its scheduled value in ``year`` (non-zero values only). Event levers act
    only in the years their schedule names (a bare number: in ``start_year + 1``)."""
    values = {}
    for key, lever in LEVERS.items():
        schedule = levers.get(key)
        if lever.event:
            if isinstance(schedule, Mapping):
                # a schedule as read from YAML may still have str year keys
                by_year = cast(Mapping[int | str, float], schedule)
                value = float(by_year.get(year, by_year.get(str(year), 0.0)))
            elif schedule is not None and start_year is not None and year == start_year + 1:
                value = float(schedule)
            else:
                value = 0.0
        else:
            value = lever_value(schedule, year, lever.default)
        if value != 0.0:
            values[key] = value
    return values


def trend_factor(key: str, coefficients: Mapping[str, float]) -> float:
    """1 - in_trend: the part of a scheduled value that is new relative to the trend."""
    return 1.0 - coefficients.get(f"{key}.in_trend", 0.0)


def competitor_factor(key: str, coefficients: Mapping[str, float]) -> float:
    """1 - competitor_share: Shaoxing's increment over the typical competitor."""
    return 1.0 - coefficients.get(f"{key}.competitor_share", 0.0)


def effective_value(key: str, value: float, coefficients: Mapping[str, float]) -> float:
    """value x (1 - in_trend) x (1 - competitor_share)."""
    return value * trend_factor(key, coefficients) * competitor_factor(key, coefficients)


def channel_contributions(
    values: Mapping[str, float], coefficients: Mapping[str, float]
) -> dict[str, object]:
    """Channel -> summed contributions (an array of cells, a float, or platform kind -> float)
    of the levers with the given (scheduled) values. Channels no lever touches are absent."""
    sums: dict[str, object] = {}
    for key, value in values.items():
        lever = LEVERS[key]
        effective = effective_value(key, value, coefficients)
        for effect in lever.effects:
            x = math.log1p(effective) if effect.transform == "log1p" else effective
            amount = coefficients[effect.coefficient] * x
            _, index = CHANNEL_KINDS[effect.channel]
            # the channel's kind fixes the type of its sum: float, kind -> float or array
            if index == "scalar":
                sums[effect.channel] = cast(float, sums.get(effect.channel, 0.0)) + amount
            elif index == "platform":
                block = cast(dict[str, float], sums.setdefault(effect.channel, {}))
                kind = effect.platform_kind
                assert kind is not None  # a platform effect names its kind (checked on load)
                block[kind] = block.get(kind, 0.0) + amount
            else:
                array = cast(np.ndarray | None, sums.get(effect.channel))
                if array is None:
                    shape = {
                        "pairs": (N_REGIONS, N_REGIONS),
                        "regions": (N_REGIONS,),
                        "sectors": (N_SECTORS,),
                        "regions_sectors": (N_REGIONS, N_SECTORS),
                    }[index]
                    array = sums[effect.channel] = np.zeros(shape)
                if index == "pairs":
                    for a, b in effect.pairs:
                        array[a, b] += amount
                        array[b, a] += amount
                elif index == "regions":
                    array[list(effect.regions)] += amount
                elif index == "sectors":
                    array[list(effect.sectors)] += amount
                else:
                    array[np.ix_(effect.regions, effect.sectors)] += amount
    return sums


def policy_from_values(
    values: Mapping[str, float], coefficients: Mapping[str, float] | None = None
) -> PolicyChannels:
    """Channels given lever values (key -> value in the lever's unit; absent = 0)."""
    coefficients = coefficient_values() if coefficients is None else coefficients
    channels = PolicyChannels()
    for channel, total in channel_contributions(values, coefficients).items():
        rule = CHANNEL_RULES[channel]
        setattr(channels, channel, combine(total, rule.kind, rule.rule, rule.cap))
    return channels


def policy_for_year(
    levers: Mapping[str, float | Mapping[int, float]],
    year: int,
    start_year: int | None = None,
    *,
    coefficients: Mapping[str, float] | None = None,
    values: Mapping[str, float] | None = None,
) -> PolicyChannels:
    """Channels in ``year`` given the scenario's lever schedules (unset levers: default) and
    coefficient overrides. ``values`` (lever -> value) replaces the schedules, e.g. the values
    a binding budget lets through (growthpole.fiscal.BudgetTracker)."""
    if values is None:
        values = scheduled_values(levers, year, start_year)
    return policy_from_values(values, coefficient_values(coefficients))


def catalogue_table() -> list[dict[str, Any]]:
    """The catalogue as data (``growthpole levers --json``)."""
    return [lever.as_dict() for lever in LEVERS.values()]


def coefficient_table() -> list[dict[str, object]]:
    """Every coefficient with its value, prior and source."""
    return [c.as_dict() for c in COEFFICIENTS.values()]


# ---------------------------------------------------------------------------------------
# for the calibration engine (issue 16): draws from and densities of the priors
# ---------------------------------------------------------------------------------------


def sample_coefficients(
    rng: np.random.Generator, names: list[str] | None = None
) -> dict[str, float]:
    """One draw of the named coefficients (default: all) from their priors; increment
    shares are kept in [0, 1). Pass the result as a scenario's ``lever_coefficients``."""
    out = {}
    for name in names if names is not None else list(COEFFICIENTS):
        coefficient = COEFFICIENTS[name]
        value = float(coefficient.prior.sample(rng))
        if coefficient.role in INCREMENT_ROLES:
            value = min(value, 0.999)
        out[name] = value
    return out


def log_prior(values: Mapping[str, float]) -> float:
    """Sum of the prior log densities of the given coefficient values (independent priors)."""
    return float(sum(COEFFICIENTS[name].prior.logpdf(float(v)) for name, v in values.items()))
