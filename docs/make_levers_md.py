"""Generate the reference tables of the documentation from the code, so docs never drift.

Writes
  docs/parameters.md  structural parameters (growthpole.parameters.PARAMETER_SPECS) and the
                      assumed constants named in the modules, with their current values;
  docs/levers.md      the policy catalogue (growthpole.levers.LEVERS, OMISSIONS), with the
                      channels each lever actually changes (computed by applying its effect);
and refreshes the generated blocks of docs/model.md (between ``<!-- BEGIN GENERATED: x -->``
and ``<!-- END GENERATED: x -->``) and of docs/calibration.md (the shipped calibration
reports, ``calibration_START_END``).

Usage:  .venv/bin/python docs/make_levers_md.py           (rewrite the files)
        .venv/bin/python docs/make_levers_md.py --check   (exit 1 if any file is out of date)

tests/test_docs.py regenerates everything in memory and compares with the files.
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib
import re
import sys
import textwrap
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
PARAMETERS_MD = DOCS / "parameters.md"
LEVERS_MD = DOCS / "levers.md"
MODEL_MD = DOCS / "model.md"
CALIBRATION_MD = DOCS / "calibration.md"
CALIBRATION_DIR = ROOT / "scenarios" / "calibration"
REGENERATE = ".venv/bin/python docs/make_levers_md.py"

if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

from growthpole.io import write_text  # noqa: E402
from growthpole.levers import (  # noqa: E402
    CHANNEL_RULES,
    COEFFICIENTS,
    LEVER_FILE,
    LEVERS,
    OMISSIONS,
    PILLARS,
    REFERENCES,
    policy_from_values,
)
from growthpole.parameters import PARAMETER_SPECS  # noqa: E402
from growthpole.policy import PolicyChannels  # noqa: E402

#: assumed constants named in the modules: (module, name, meaning, unit, status).
#: Values are read from the code when the tables are generated (a renamed or removed
#: constant makes generation fail, which tests/test_docs.py reports).
CONSTANTS: tuple[tuple[str, str, str, str, str], ...] = (
    (
        "growthpole.geography",
        "ROAD_DETOUR",
        "road km per great-circle km (circuity) for travel times without a published value",
        "1",
        "assumed",
    ),
    (
        "growthpole.geography",
        "ROAD_SPEED_KMH",
        "average door-to-door expressway speed",
        "km/h",
        "assumed",
    ),
    (
        "growthpole.geography",
        "TERMINAL_HOURS",
        "access/egress time of an inter-city trip",
        "h",
        "assumed",
    ),
    (
        "growthpole.geography",
        "INTERNAL_HOURS",
        "average travel time within one region (diagonal of the travel-time matrix)",
        "h",
        "assumed",
    ),
    (
        "growthpole.geography",
        "EARTH_RADIUS_KM",
        "Earth radius for great-circle distances",
        "km",
        "physical constant",
    ),
    (
        "growthpole.initialisation",
        "EXTERNAL_DEMAND_SHARE",
        "base-year share of each region's market access coming from outside the corridor",
        "1",
        "assumed",
    ),
    (
        "growthpole.inputs",
        "DEFAULT_RD_INTENSITY",
        "R&D/GDP of a city with no published value in data/corridor_indicators.csv",
        "1",
        "assumed (Zhejiang ≈ 0.025)",
    ),
    (
        "growthpole.inputs",
        "NONMODELLED_TREND_YEARS",
        "years of published primary shares and growth behind the non-modelled trend (§5.4)",
        "yr",
        "judgement: the calibration window's length (2005-2019)",
    ),
    ("growthpole.mechanisms.platforms", "MU_PER_KM2", "亩 per km²", "亩/km²", "unit conversion"),
    (
        "growthpole.mechanisms.platforms",
        "FREE_LAND_TIE_WEIGHT",
        "weight of a platform's free-land share in its rank for an entrant (breaks ties only)",
        "1",
        "assumed: below the smallest difference of star ratings",
    ),
    (
        "growthpole.mechanisms.environment",
        "UPGRADE_INTENSITY_CUT",
        "cut of emission intensity by an environmental upgrade",
        "1",
        "assumed",
    ),
    (
        "growthpole.mechanisms.environment",
        "STANDARD_PENALTY",
        "perceived cost per unit of emission standard in the upgrade decision",
        "share of VA",
        "assumed",
    ),
    (
        "growthpole.mechanisms.environment",
        "DECISION_NOISE",
        "scale of the logistic noise of the upgrade decision",
        "share of VA",
        "assumed",
    ),
    (
        "growthpole.mechanisms.production",
        "AGGLOMERATION_OFFSET",
        "E_0 in the agglomeration index G = (E + E_0)/(E_base + E_0)",
        "persons",
        "assumed",
    ),
    (
        "growthpole.mechanisms.firms",
        "ENTRANT_CAPITAL_SHARE",
        "entrants' capital relative to the geometric-mean capital of incumbents of their cell",
        "1",
        "assumed",
    ),
    (
        "growthpole.mechanisms.firms",
        "ENTRY_PROFIT_SENSITIVITY",
        "ξ_e: entry response to the cell's profit margin",
        "1",
        "assumed",
    ),
    (
        "growthpole.mechanisms.firms",
        "YOUNG_FIRM_AGE",
        "age below which a firm is 'young' (young-firm exit multiplier)",
        "yr",
        "assumed",
    ),
    (
        "growthpole.mechanisms.firms",
        "MAJOR_PROJECT_CAPITAL",
        "capital of one major IC project firm agent",
        "亿元 (base-year prices)",
        "assumed",
    ),
    (
        "growthpole.mechanisms.relocation",
        "PRESSURE_CONSIDERATION",
        "extra probability of reconsidering location under 亩均 or cluster pressure",
        "1/yr",
        "assumed",
    ),
    (
        "growthpole.mechanisms.labour",
        "EQUILIBRIUM_TOLERANCE",
        "max |Δ ln L| at which the commuting fixed point [C1]-[C2] stops",
        "1",
        "numerical",
    ),
    (
        "growthpole.mechanisms.labour",
        "EQUILIBRIUM_ITERATIONS",
        "cap on the iterations of the commuting fixed point",
        "1",
        "numerical",
    ),
    (
        "growthpole.mechanisms.labour",
        "EQUILIBRIUM_DAMPING",
        "initial weight of a step of the "
        "commuting fixed point in ln L (halved whenever the residual grows)",
        "1",
        "numerical",
    ),
    (
        "growthpole.mechanisms.labour",
        "MIN_EQUILIBRIUM_DAMPING",
        "floor of the adaptive weight of the commuting fixed point",
        "1",
        "numerical",
    ),
    (
        "growthpole.mechanisms.labour",
        "MIN_WORKERS",
        "floor on workers of a skill at a workplace that keeps log wages finite",
        "persons",
        "numerical",
    ),
)


# ---------------------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------------------


def cell(value: object) -> str:
    """A Markdown table cell: pipes escaped, line breaks removed."""
    text = str(value).replace("\n", " ").replace("|", "\\|")
    return re.sub(r"\s+", " ", text).strip()


def number(value: float) -> str:
    """Compact number formatting (no spurious digits)."""
    if isinstance(value, bool):
        return str(value)
    if float(value).is_integer():
        return str(int(value)) if abs(value) < 1e15 else f"{value:g}"
    return f"{value:g}"


def parameter_status(source: str) -> str:
    """Status of a parameter from its source text: calibrated, assumed, data or cited."""
    head = source.strip().lower()
    for status in ("calibrated", "assumed", "data"):
        if head.startswith(status):
            return status
    return "cited estimate"


#: the model's modules (what "used in" scans; tools such as calibration are not the model)
MODEL_MODULES = (
    "model.py",
    "initialisation.py",
    "inputs.py",
    "schedule.py",
    "geography.py",
    "policy.py",
    "mechanisms/*.py",
)


def parameter_users() -> dict[str, list[str]]:
    """Model modules that read each parameter (``.name`` attribute access)."""
    package = ROOT / "growthpole"
    paths = sorted({p for pattern in MODEL_MODULES for p in package.glob(pattern)})
    sources = {str(p.relative_to(package)): p.read_text(encoding="utf-8") for p in paths}
    return {
        name: [
            module
            for module, text in sources.items()
            if re.search(r"\." + re.escape(name) + r"\b", text)
        ]
        for name in PARAMETER_SPECS
    }


def channels_changed(lever_key: str) -> list[str]:
    """PolicyChannels fields that differ from neutral after applying the lever at its upper
    bound (what the lever really does, computed from its effect records)."""
    lever = LEVERS[lever_key]
    neutral, channels = PolicyChannels(), policy_from_values({lever_key: lever.upper})
    changed = []
    for field in dataclasses.fields(PolicyChannels):
        before, after = getattr(neutral, field.name), getattr(channels, field.name)
        if isinstance(after, dict):
            changed += [f"{field.name}[{k}]" for k in sorted(after) if after[k] != before.get(k)]
        elif not np.array_equal(np.asarray(before), np.asarray(after)):
            changed.append(field.name)
    return changed


# ---------------------------------------------------------------------------------------
# tables
# ---------------------------------------------------------------------------------------


def parameter_table() -> str:
    users = parameter_users()
    lines = [
        "| symbol | key | meaning | unit | default | range | status | source | used in |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name, spec in PARAMETER_SPECS.items():
        lines.append(
            "| "
            + " | ".join(
                cell(x)
                for x in (
                    spec.symbol,
                    f"`{name}`",
                    spec.meaning,
                    spec.unit,
                    number(spec.default),
                    f"[{number(spec.lower)}, {number(spec.upper)}]",
                    parameter_status(spec.source),
                    spec.source,
                    ", ".join(users[name]) or "(unused)",
                )
            )
            + " |"
        )
    return "\n".join(lines)


def constants_table() -> str:
    lines = ["| module | constant | value | meaning | unit | status |", "|---|---|---|---|---|---|"]
    for module_name, name, meaning, unit, status in CONSTANTS:
        value = getattr(importlib.import_module(module_name), name)
        lines.append(
            "| "
            + " | ".join(
                cell(x)
                for x in (
                    module_name.removeprefix("growthpole."),
                    f"`{name}`",
                    number(value),
                    meaning,
                    unit,
                    status,
                )
            )
            + " |"
        )
    from growthpole.scenario import Scale
    from growthpole.state import WorldState

    seed_mask = next(
        f.default for f in dataclasses.fields(WorldState) if f.name == "entry_seed_mask"
    )
    lines.append(
        "| "
        + " | ".join(
            cell(x)
            for x in (
                "state.WorldState",
                "`entry_seed_mask`",
                number(seed_mask),
                "entry rate of a (region, "
                "sector) cell without incumbents, relative to a cell with one",
                "1",
                "assumed",
            )
        )
        + " |"
    )
    for field_name, field in Scale.model_fields.items():
        lines.append(
            "| "
            + " | ".join(
                cell(x)
                for x in (
                    "scenario.Scale",
                    f"`{field_name}`",
                    number(field.default),
                    f"{field.description} (scenario `scale:` default)",
                    "1",
                    "resolution choice",
                )
            )
            + " |"
        )
    return "\n".join(lines)


def platform_kinds_table() -> str:
    from growthpole.mechanisms.platforms import PLATFORM_KINDS

    lines = ["| platform kind | subsidy (share of VA) | star rating |", "|---|---|---|"]
    for kind, (subsidy, star) in PLATFORM_KINDS.items():
        lines.append(f"| `{kind}` | {number(subsidy)} | {number(star)} |")
    return "\n".join(lines)


def sector_mix_table() -> str:
    from growthpole.initialisation import SECTOR_MIX
    from growthpole.regions import REGIONS, SECTORS

    lines = ["| region | " + " | ".join(SECTORS) + " |", "|---|" + "---|" * len(SECTORS)]
    for region in REGIONS:
        lines.append(
            f"| {region} | " + " | ".join(number(SECTOR_MIX[region][s]) for s in SECTORS) + " |"
        )
    return "\n".join(lines)


def parameters_markdown() -> str:
    counts: dict[str, int] = {}
    for spec in PARAMETER_SPECS.values():
        status = parameter_status(spec.source)
        counts[status] = counts.get(status, 0) + 1
    tally = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
    return f"""# Parameters and assumed constants

*Generated by `docs/make_levers_md.py` from `growthpole/parameters.py` (PARAMETER_SPECS) and
the constants of the modules. Do not edit by hand: run `{REGENERATE}`.*

## Structural parameters

{len(PARAMETER_SPECS)} parameters ({tally}). *Status* is read from the source text: a
**cited estimate** is a value from the literature or official statistics, **assumed** a
modelling choice, **data** computed from data/, **calibrated** a parameter meant to be
estimated by `growthpole calibrate` (until a calibration file is shipped and named in a
scenario's `calibration:` key, the default below is a starting guess, not an estimate). The
*range* is enforced when a scenario overrides a value and bounds calibration. *Used in* lists
the model modules (model.py, geography.py, policy.py, mechanisms/) that read the parameter.
Equations: [model.md](model.md).

{parameter_table()}

Derived: β = β_s + β_u (labour elasticity) and α + β (returns to scale per firm agent, must be
< 1; scenarios violating it are rejected).

## Assumed constants in the modules

Named constants that are not (yet) structural parameters: fixed in code, not varied by
calibration or sensitivity analysis unless promoted to PARAMETER_SPECS.

{constants_table()}

### Platform kinds (`mechanisms/platforms.py`, PLATFORM_KINDS, assumed)

{platform_kinds_table()}

### Initial sector mix of firm agents (`initialisation.py`, SECTOR_MIX, assumed)

Shares of firm agents by sector in each region at initialisation (rows are renormalised to
sum to one).

{sector_mix_table()}
"""


def lever_rows(pillar: str) -> list[str]:
    rows = []
    for lever in LEVERS.values():
        if lever.pillar != pillar:
            continue
        changed = ", ".join(f"`{c}`" for c in channels_changed(lever.key)) or "(none)"
        origin = lever.scope + (f", since {lever.since}" if lever.since else "")
        rows.append(
            "| "
            + " | ".join(
                cell(x)
                for x in (
                    f"`{lever.key}`",
                    lever.title,
                    lever.unit,
                    f"[{number(lever.lower)}, {number(lever.upper)}]",
                    origin,
                    ", ".join(lever.mechanisms),
                    lever.effect_note,
                    changed,
                    lever.clause,
                )
            )
            + " |"
        )
    return rows


def coefficient_rows(pillar: str) -> list[str]:
    rows = []
    for c in COEFFICIENTS.values():
        if LEVERS[c.lever].pillar != pillar:
            continue
        low, high = c.prior.interval(0.9)
        source = c.source
        kind = source.kind if source.kind != "judgement" else "**judgement**"
        text = source.note if source.kind == "judgement" else (f"{source.estimate} [{source.ref}]")
        if source.kind == "judgement" and source.motivated_by:
            text += f" (motivated by [{source.motivated_by}])"
        rows.append(
            "| "
            + " | ".join(
                cell(x)
                for x in (
                    f"`{c.name}`",
                    c.role,
                    number(c.value),
                    c.prior.describe(),
                    f"[{low:.3g}, {high:.3g}]",
                    kind,
                    text,
                )
            )
            + " |"
        )
    return rows


def channel_rule_rows() -> list[str]:
    rows = []
    for rule in CHANNEL_RULES.values():
        text = (
            rule.source.note
            if rule.source.kind == "judgement"
            else (f"{rule.source.estimate} [{rule.source.ref}]")
        )
        kind = rule.source.kind if rule.source.kind != "judgement" else "**judgement**"
        rows.append(
            "| "
            + " | ".join(
                cell(x)
                for x in (
                    f"`{rule.channel}`",
                    rule.kind,
                    rule.index,
                    rule.rule,
                    "-" if rule.cap is None else number(rule.cap),
                    kind,
                    text,
                )
            )
            + " |"
        )
    return rows


LEVER_POSTERIOR = CALIBRATION_DIR / "lever_posterior_2020_2024.yaml"
LEVER_POSTERIOR_SETTINGS = CALIBRATION_DIR / "lever_posterior.yaml"
TABLE_HEADER = (
    "| parameter | role | prior | prior median [5%, 95%] | posterior median [5%, 95%] | "
    "posterior sd / prior sd | Δ log GDP 2024 over the prior range, % | verdict |\n"
    "|---|---|---|---|---|---|---|---|"
)


def _truncated_quantiles(name: str, lower: float, upper: float, qs=(0.5, 0.05, 0.95)):
    """Quantiles of a prior truncated to [lower, upper]: the catalogue prior of a lever
    coefficient, or the settings' (normal or uniform) prior of a structural nuisance."""
    from scipy import stats

    from growthpole.calibration.posterior import load_settings

    if name in COEFFICIENTS:
        base = COEFFICIENTS[name].prior.distribution()
        family = COEFFICIENTS[name].prior.describe()
    else:
        settings, _ = load_settings(LEVER_POSTERIOR_SETTINGS)
        prior = settings.priors.get(name)
        if prior is None or prior.distribution == "uniform":
            base, family = stats.uniform(lower, upper - lower), "uniform"
        else:
            base = stats.norm(prior.mean, prior.sd)
            family = f"normal(mean={number(prior.mean)}, sd={number(prior.sd)})"
    low, high = base.cdf(lower), base.cdf(upper)
    return family, [float(base.ppf(low + q * (high - low))) for q in qs]


def posterior_section() -> str:
    """The prior-vs-posterior table of the 2020-2024 lever posterior (issue 17, item 5),
    from the shipped summary ``scenarios/calibration/lever_posterior_2020_2024.yaml``."""
    import yaml

    if not LEVER_POSTERIOR.is_file():
        return (
            "## Posteriors: 2020-2024\n\nNo lever posterior is shipped "
            f"(`{LEVER_POSTERIOR.relative_to(ROOT)}` is absent): the tables show priors only."
        )
    summary = yaml.safe_load(LEVER_POSTERIOR.read_text(encoding="utf-8"))
    jacobian = summary["identification"].get("jacobian", {})
    by_moment = jacobian.get("moments_by_parameter", {})
    gdp_2024 = by_moment.get("gdp:shaoxing:2024", {})
    rows = []
    coefficient_moves = []
    identified = []
    for name, block in summary["parameters"].items():
        lower, upper = float(block["prior"]["lower"]), float(block["prior"]["upper"])
        family, (median, p05, p95) = _truncated_quantiles(name, lower, upper)
        ratio = summary["identification"]["parameters"][name]["posterior_sd_over_prior_sd"]
        move = gdp_2024.get(name)
        if name in COEFFICIENTS and move is not None:
            coefficient_moves.append(abs(move))
        if block["identification"] == "identified by data":
            identified.append(name)
        role = "coefficient" if name in COEFFICIENTS else "nuisance (structural)"
        rows.append(
            f"| `{name}` | {role} | {family} | {number(median)} [{number(p05)}, "
            f"{number(p95)}] | {number(block['median'])} [{number(block['p05'])}, "
            f"{number(block['p95'])}] | {number(ratio)} | "
            f"{'' if move is None else f'{100 * move:+.2f}'} | {block['identification']} |"
        )
    tolerance = summary["tolerance"]
    runs = summary["evaluations"]["model_runs_abc"]
    coefficients = [n for n in summary["parameters"] if n in COEFFICIENTS]
    identified_coefficients = [n for n in identified if n in COEFFICIENTS]
    largest = 100 * max(coefficient_moves) if coefficient_moves else float("nan")
    zero = [n for n in coefficients if gdp_2024.get(n) == 0.0]
    ridges = len(jacobian.get("ridges", []))
    zero_text = (
        " The coefficients "
        + ", ".join(f"`{n}`" for n in zero)
        + " move nothing at all by 2024 (their measures act through channels that do not "
        "bind in 2020-2024, e.g. platform land capacity that no firm needs yet)."
        if zero
        else ""
    )
    narrowed = [
        n for n in coefficients if summary["parameters"][n]["identification"].startswith("narrowed")
    ]
    ess, particles = summary["effective_sample_size"], summary["particles"]
    parts = [
        f"**Reading.** {len(identified_coefficients)} of the {len(coefficients)} coefficients "
        "are identified by the 2020-2024 data"
        + (
            f" ({', '.join(f'`{n}`' for n in identified_coefficients)})."
            if identified_coefficients
            else "."
        )
    ]
    if narrowed:
        parts.append(
            f"{len(narrowed)} narrowed without evidence: their posterior is narrower than "
            "the prior, but a one-prior-sd move changes the loss by less than the noise floor, "
            "so the narrowing is Monte Carlo noise of the common random numbers, not data."
        )
    if tolerance["final_epsilon"] > 10 * tolerance["noise_floor_or_tolerance"]:
        parts.append(
            f"The ABC stopped by {tolerance['stopped_by']} at ε "
            f"{tolerance['final_epsilon'] / tolerance['noise_floor_or_tolerance']:.0f} times "
            "the noise floor: the intervals are wider than those of a run converged to the "
            "floor (conservative)."
        )
    if ess < 0.1 * particles:
        parts.append(
            f"The particle weights are degenerate (effective sample size {ess} of "
            f"{particles}): the posterior quantiles rest on a handful of particles and are "
            "not reliable intervals."
        )
    parts.append(
        f"Across its whole prior range no coefficient moves 2024 GDP by more than "
        f"{largest:.2f}%, while Shaoxing's 2020-2024 TFP drift, estimated at "
        f"{number(summary['parameters']['tfp_drift']['median'])}/yr against "
        f"{number(_truncated_quantiles('tfp_drift', -0.06, 0.04)[1][0])} in the prior, "
        "absorbs the gap between the 2019-policy path and the published 2024 GDP."
        + zero_text
        + f" The moment Jacobian has {ridges} ridge direction(s) the data cannot see."
    )
    if not identified_coefficients:
        parts.append(
            "The measures carried out in 2020-2024 are too small, in the model, for five "
            "years of city GDP to tell their effects from the priors: the posterior is not "
            "evidence for or against the catalogue's coefficients, and the scenarios keep "
            "drawing from the priors (`lever_coefficients: prior`). What would identify them: "
            "outcomes closer to each channel than city GDP (platform output and land use, "
            "commuting flows, firm exit rates in 2020-2022) and the years after 2024."
        )
    else:
        parts.append(
            "The scenarios still draw every coefficient from its prior "
            "(`lever_coefficients: prior`): drawing the identified ones from this posterior "
            "would condition the projections on the 2020-2024 drift as well."
        )
    reading = "\n".join(textwrap.fill(p, 92) for p in parts)
    return f"""## Posteriors: what 2020-2024 says about the coefficients

*Generated from `{LEVER_POSTERIOR.relative_to(ROOT)}` (written {summary["date"]} by
`growthpole posterior {LEVER_POSTERIOR_SETTINGS.relative_to(ROOT)} --out
{LEVER_POSTERIOR.relative_to(ROOT)} --workers 2`).*

The engine is the structural posterior's (ABC-SMC with pyabc, docs/calibration.md,
"Posterior"), on the spec `scenarios/calibration/{summary["spec"]}`: the measures of
`scenarios/as_implemented_2020_2024.yaml` run from 2019 with the structural parameters of
`calibrated_2005_2019.yaml`, and Shaoxing's published GDP of 2020, 2021, 2023 and 2024 (2024
moved to the model's pre-census basis; 2022 is not in data/) and its real growth of 2021
update the effect coefficients of those measures. Their priors are the catalogue's,
truncated to the central 99.8%. Shaoxing's 2020-2024 TFP drift is estimated beside them as a
nuisance: the 2005-2019 calibration carries Shaoxing's relative decline forward and in
2020-2024 it reversed, and without a free drift the ABC would lay that reversal on the
measures. The increment shares (in_trend, competitor_share) stay at their catalogue values
(they multiply the effects, so the GDP path cannot tell them apart), and every other
coefficient has no 2020-2024 evidence and keeps its prior.

{summary["particles"]} particles (effective sample size {summary["effective_sample_size"]}),
{len(summary["generations"])} generations, {runs:,} model runs; stopped by
{tolerance["stopped_by"]} at ε = {number(tolerance["final_epsilon"])} (noise floor
{number(tolerance["noise_floor_or_tolerance"])}).

{TABLE_HEADER}
{chr(10).join(rows)}

*Δ log GDP 2024* is the moment Jacobian at the posterior median (common random numbers,
central differences): the change of Shaoxing's simulated 2024 log GDP, in percent, when the
parameter moves across its whole prior range (its bounds). A verdict of *identified by data*
needs a posterior sd below {summary["identification"]["identified_share"]} of the prior sd.

{reading}
"""


def levers_markdown() -> str:
    counts = {p: sum(lever.pillar == p for lever in LEVERS.values()) for p in PILLARS}
    sections = []
    for pillar in PILLARS:
        sections.append(
            f"## {pillar} ({counts[pillar]} levers)\n\n"
            "| key | title | unit | range | scope | mechanisms | effect | "
            "channels changed | clause (verbatim) |\n"
            "|---|---|---|---|---|---|---|---|---|\n"
            + "\n".join(lever_rows(pillar))
            + "\n\nCoefficients: value, prior, its 90% interval and source.\n\n"
            "| coefficient | role | value | prior | 90% prior interval | source | "
            "estimate or reasoning |\n|---|---|---|---|---|---|---|\n"
            + "\n".join(coefficient_rows(pillar))
        )
    nonzero = [lever.key for lever in LEVERS.values() if lever.default != 0.0]
    defaults_sentence = (
        "Every default is 0: the policy as it stood in 2019, under which all policy channels "
        "are neutral."
        if not nonzero
        else "Defaults are the policy as it stood in 2019; levers with a non-zero default: "
        + ", ".join(f"`{k}`" for k in nonzero)
        + "."
    )
    omissions = "\n".join(
        f"| {cell(name)} | {cell(reason)} |" for name, reason in OMISSIONS.items()
    )
    tally: dict[str, int] = {}
    for c in COEFFICIENTS.values():
        tally[c.source.kind] = tally.get(c.source.kind, 0) + 1
    tally_text = ", ".join(f"{n} {kind}" for kind, n in sorted(tally.items()))
    references = "\n".join(f"- **{key}**: {cell(text)}" for key, text in REFERENCES.items())
    data_file = LEVER_FILE.relative_to(ROOT)
    return f"""# Policy levers

*Generated by `docs/make_levers_md.py` from `{data_file}` (read by `growthpole/levers.py`).
Do not edit by hand: edit the data file and run `{REGENERATE}`.*

{len(LEVERS)} levers in {len(PILLARS)} pillars, {len(COEFFICIENTS)} coefficients
({tally_text}). A scenario sets a lever with
`levers: {{key: value}}` (the whole horizon) or `levers: {{key: {{year: value, ...}}}}` (a step
function: the default applies before the first scheduled year, each value holds until the
next scheduled year). {defaults_sentence}

## How a lever reaches the economy

Every lever's effect is data: a record per channel in `{data_file}` with the regions,
sectors or pairs it touches and a coefficient, and every coefficient has a **prior** (family
and parameters) and a **source**: a paper and its estimate, a public record, or the flag
**judgement** with one line of reasoning (and the reference that motivates it). Coefficients
are set like structural parameters (`lever_coefficients: {{name: value}}` in a scenario),
swept (`coefficient:` factors of a sweep file) and calibrated; `growthpole levers
--coefficients` prints them.

1. **Relative to the baseline trend and to competitors.** The effective value of a
   scheduled value is `value x (1 - in_trend) x (1 - competitor_share)`. *in_trend* is the
   share of the scheduled post-2019 intensity that the 2005-2019 calibrated trend already
   carries forward: measures under way before the base year (column *scope*, "since") are in
   the baseline trend and are not counted again. *competitor_share* is the share of a
   national or provincial measure that the typical top-30 competitor also got (减税降费,
   证照分离, 最多跑一次, 亩均论英雄, ...): only Shaoxing's increment over the typical
   competitor moves its rank. The baseline scenario is therefore *the 2019 policy trend*:
   policies as they stood in 2019, with the continuation of measures already under way and
   the national and provincial measures every competitor also gets.
2. **Contributions.** Each effect adds `coefficient x transform(effective value)` to the cells
   of its channel (relative change for a multiplicative channel, level for an additive one).
3. **Combination rules.** The contributions on one channel cell are summed and combined by the
   channel's rule (table below; `growthpole/policy.py`, `combine`): *saturating* channels move
   by `cap x tanh(sum / cap)`, close to the sum while it is small against the cap, each further
   lever adding less, never beyond the cap that the evidence supports for the whole package;
   *clip* channels are bounded physically; costs (compliance, standards) and counts add.
   `tests/test_levers.py` checks that every lever at its upper bound together cannot move a
   capped channel beyond its cap.
4. **Cost.** Each lever's `cost` record says what it costs the municipal general public
   budget (`growthpole/fiscal.py`, `data/fiscal.csv`); every run reports the cost by pillar and
   year, `compare` the GDP gained per yuan, and `budget: {{binding: true}}` makes the budget
   binding.

Columns of the lever tables: *mechanisms* is the catalogue's declaration (mechanism families,
not exactly the step names of the year's `SCHEDULE`: `firms` = investment, exit, entry;
`geography` = the travel-time matrix; `gdp` = the non-modelled GDP component); *effect* is
generated from the records with the catalogue's coefficient values; *channels changed* is
**computed** by applying the lever at its upper bound to neutral `PolicyChannels`
(growthpole/policy.py) and listing the fields that change. Unless the effect says otherwise a
lever acts on Shaoxing's six units only (two scalar channels, `upgrade_subsidy` and
`digital_gain_multiplier`, are applied by the mechanisms in all nine regions: see model.md,
"Where the code differs"). How channels enter the equations: [model.md](model.md), section
"Policy".

## Combination rules

| channel | kind | cells | rule | cap | source | estimate or reasoning |
|---|---|---|---|---|---|---|
{chr(10).join(channel_rule_rows())}

{(chr(10) * 2).join(sections)}

## Documented omissions

Measures of the source document the model does not represent as levers, with the reason.

| measure | why it is not a lever |
|---|---|
{omissions}

## References

{references}

{posterior_section()}
"""


# ---------------------------------------------------------------------------------------
# model.md generated blocks
# ---------------------------------------------------------------------------------------


def outcomes_table() -> str:
    """The city-year columns of growthpole/outcomes.py (docs/model.md §9)."""
    from growthpole.outcomes import OUTCOMES

    origin = {
        "key": "key",
        "model": "model, every year",
        "ranking": "run_scenario (growthpole.ranking), not simulate",
        "derived": "derived where used (sweeps, P(top 30))",
    }
    rows = [
        f"| `{o.name}` | {cell(o.meaning)} | {cell(o.unit)} | {o.shaoxing} | {origin[o.origin]} |"
        for o in OUTCOMES.values()
    ]
    return (
        "| column | meaning | unit | shaoxing row | produced by |\n|---|---|---|---|---|\n"
        + "\n".join(rows)
    )


def generated_blocks() -> dict[str, str]:
    """Name -> content of the generated blocks of docs/model.md."""
    return {
        "parameters": parameter_table(),
        "constants": constants_table(),
        "platform_kinds": platform_kinds_table(),
        "sector_mix": sector_mix_table(),
        "outcomes": outcomes_table(),
    }


BLOCK = re.compile(
    r"(?P<begin><!-- BEGIN GENERATED: (?P<name>[a-z0-9_]+) -->)\n(?P<body>.*?)\n?"
    r"(?P<end><!-- END GENERATED: (?P=name) -->)",
    re.DOTALL,
)


def refresh_model_md(text: str, blocks: dict[str, str] | None = None) -> str:
    """``text`` with every generated block replaced by its current content; a block name the
    generator does not know raises KeyError."""
    blocks = generated_blocks() if blocks is None else blocks
    return BLOCK.sub(
        lambda m: m.group("begin") + "\n" + blocks[m.group("name")] + "\n" + m.group("end"), text
    )


def calibration_blocks() -> dict[str, str]:
    """Name -> content of the generated blocks of docs/calibration.md: one per shipped
    calibration report (``scenarios/calibration/calibrated_START_END.report.json``), rendered
    by :func:`growthpole.calibration.report.report_markdown`."""
    import json

    from growthpole.calibration.report import report_markdown

    blocks = {}
    for path in sorted(CALIBRATION_DIR.glob("calibrated_*.report.json")):
        name = path.name.removesuffix(".report.json").replace("calibrated_", "calibration_")
        blocks[name] = report_markdown(json.loads(path.read_text(encoding="utf-8")))
    return blocks


def expected_files() -> dict[Path, str]:
    """Every generated file with the content it should have now."""
    files = {PARAMETERS_MD: parameters_markdown(), LEVERS_MD: levers_markdown()}
    if MODEL_MD.is_file():
        files[MODEL_MD] = refresh_model_md(MODEL_MD.read_text(encoding="utf-8"))
    if CALIBRATION_MD.is_file():
        files[CALIBRATION_MD] = refresh_model_md(
            CALIBRATION_MD.read_text(encoding="utf-8"), calibration_blocks()
        )
    return files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check", action="store_true", help="do not write; exit 1 when a file is out of date"
    )
    args = parser.parse_args(argv)
    stale = []
    for path, content in expected_files().items():
        current = path.read_text(encoding="utf-8") if path.is_file() else None
        if current == content:
            continue
        stale.append(path)
        if not args.check:
            write_text(path, content)  # atomic
    verb = "out of date" if args.check else "rewritten"
    for path in stale:
        print(f"{path.relative_to(ROOT)}: {verb}")
    return 1 if (args.check and stale) else 0


if __name__ == "__main__":
    raise SystemExit(main())
