"""Comparing scenarios under common random numbers.

:func:`compare_scenarios` runs every scenario with the *same* root seed and the same number
of replications, so replication r of each scenario draws from the same SeedSequence child
(growthpole.seeds): the initial economy, every year's shocks and the competitor cities are
identical across scenarios, and what differs between replication r of A and of B is the
policy alone. The root seed and the replication count are those of the first scenario (or
the caller's overrides); a scenario whose own seed differs is run with the shared one.

Outputs
-------
:func:`side_by_side`: per year and scenario, Shaoxing's GDP median (亿元, current prices)
across replications and, when the run carries ``national_rank`` (growthpole.ranking), the
median national rank and P(rank <= 30).

:func:`paired_differences`: per year and scenario B (each scenario after the first, A),
the difference in Shaoxing GDP B - A paired by replication, d_r = GDP_B,r - GDP_A,r, its mean
d̄ and the 95% paired t confidence interval

    d̄ ± t_{0.975, n-1} s_d / sqrt(n),      s_d the sample std. dev. of d_r, n replications

(Student's t interval for the mean of the paired differences; pairing removes the common
noise, which is why common random numbers make small policy effects detectable). With one
replication the interval is undefined (NaN). No interval is given for the difference in
P(top-30): a difference of proportions over a few dozen replications has no useful t
interval; each scenario's P(top-30) is reported side by side instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from growthpole.errors import ScenarioError
from growthpole.outcomes import TOP
from growthpole.runner import RunResult, run_scenario
from growthpole.scenario import Scenario

CONFIDENCE = 0.95


@dataclass
class Comparison:
    """Results of scenarios run under common random numbers."""

    results: list[RunResult]
    seed: int
    replications: int
    notes: list[str] = field(default_factory=list)

    @property
    def names(self) -> list[str]:
        return [result.scenario.name for result in self.results]


def check_distinct_names(scenarios: Sequence[Scenario]) -> None:
    """The printed table and comparison.csv label scenarios by name: two files of one name
    would be indistinguishable (``growthpole compare`` refuses them before any run)."""
    seen: dict[str, Scenario] = {}
    for scenario in scenarios:
        if scenario.name in seen:
            earlier = seen[scenario.name]
            raise ScenarioError(
                f"scenario name {scenario.name!r} is also the name of "
                f"{earlier.source_path or 'another scenario'}; compared scenarios need "
                f"distinct names (they label the columns and rows)",
                file=scenario.source_path,
                key="name",
            )
        seen[scenario.name] = scenario


def check_comparable(scenarios: Sequence[Scenario]) -> None:
    """Scenarios compared under common random numbers must share the horizon and the agent
    resolution (otherwise replication r does not face the same draws); raise ScenarioError
    naming the offending file and key."""
    if len(scenarios) < 2:
        raise ScenarioError("compare needs at least two scenario files")
    first = scenarios[0]
    for other in scenarios[1:]:
        where = other.source_path or other.name
        for key in ("start_year", "end_year"):
            if getattr(other, key) != getattr(first, key):
                raise ScenarioError(
                    f"{key} {getattr(other, key)} differs from {getattr(first, key)} in "
                    f"{first.source_path or first.name}; compared scenarios must share the "
                    f"horizon",
                    file=where,
                    key=key,
                )
        if other.uncertainty != first.uncertainty:
            raise ScenarioError(
                f"uncertainty design {_design_text(other)} differs from {_design_text(first)} "
                f"in {first.source_path or first.name}; replication r must run on the same "
                f"parameter and coefficient draws in every compared scenario",
                file=where,
                key="uncertainty",
            )
        if other.scale != first.scale:
            raise ScenarioError(
                f"agent resolution {other.scale.model_dump()} differs from "
                f"{first.scale.model_dump()} in {first.source_path or first.name}; common "
                f"random numbers need the same scale",
                file=where,
                key="scale",
            )


def _design_text(scenario: Scenario) -> str:
    block = scenario.uncertainty
    return "none" if block is None else str(block.model_dump())


def compare_scenarios(
    scenarios: Sequence[Scenario],
    *,
    replications: int | None = None,
    seed: int | None = None,
    progress: bool = False,
) -> Comparison:
    """Run every scenario with the same root seed and replication count (default: the first
    scenario's) and return the results in order."""
    check_comparable(scenarios)
    first = scenarios[0]
    seed = first.seed if seed is None else int(seed)
    replications = first.replications if replications is None else int(replications)
    notes = []
    for scenario in scenarios:
        if scenario.seed != seed:
            notes.append(
                f"{scenario.source_path or scenario.name}: seed {scenario.seed} "
                f"overridden by the shared seed {seed} (common random numbers)"
            )
        if scenario.replications != replications:
            notes.append(
                f"{scenario.source_path or scenario.name}: {replications} "
                f"replications (file says {scenario.replications})"
            )
    results = [
        run_scenario(scenario, replications=replications, seed=seed, progress=progress)
        for scenario in scenarios
    ]
    return Comparison(results, seed, replications, notes)


def _shaoxing_wide(result: RunResult, column: str) -> pd.DataFrame:
    """(year x replication) table of a Shaoxing column."""
    shaoxing = result.shaoxing()
    return shaoxing.pivot(index="year", columns="replication", values=column).sort_index()


def side_by_side(comparison: Comparison) -> pd.DataFrame:
    """One row per (year, scenario): gdp_median (亿元, current prices), and rank_median and
    p_top30 when the runs carry national_rank."""
    rows = []
    for result in comparison.results:
        shaoxing = result.shaoxing()
        grouped = shaoxing.groupby("year")
        frame = pd.DataFrame({"gdp_median": grouped.gdp.median()})
        if "national_rank" in shaoxing.columns:
            frame["rank_median"] = grouped.national_rank.median()
            frame["p_top30"] = grouped.national_rank.apply(
                lambda ranks: float((ranks <= TOP).mean())
            )
        frame.insert(0, "scenario", result.scenario.name)
        rows.append(frame.reset_index())
    return pd.concat(rows, ignore_index=True)


def paired_t_interval(
    differences: np.ndarray, confidence: float = CONFIDENCE
) -> tuple[float, float, float, float]:
    """(mean, standard error, lower, upper) of the paired t interval for the mean of
    ``differences`` (one per replication). NaN bounds when fewer than two values."""
    values = np.asarray(differences, dtype=float)
    n = len(values)
    mean = float(values.mean()) if n else float("nan")
    if n < 2:
        return mean, float("nan"), float("nan"), float("nan")
    se = float(values.std(ddof=1) / np.sqrt(n))
    half = float(stats.t.ppf(0.5 + confidence / 2.0, n - 1)) * se
    return mean, se, mean - half, mean + half


def paired_differences(comparison: Comparison, confidence: float = CONFIDENCE) -> pd.DataFrame:
    """Per year and scenario B: Shaoxing GDP B - A paired by replication (亿元, current
    prices), its standard error and the paired t confidence interval; also relative to A's
    mean (percent)."""
    base_result = comparison.results[0]
    base = _shaoxing_wide(base_result, "gdp")
    rows = []
    for result in comparison.results[1:]:
        other = _shaoxing_wide(result, "gdp")
        difference = other - base  # aligned on year and replication
        for year, values in difference.iterrows():
            values = values.to_numpy(dtype=float)
            mean, se, lower, upper = paired_t_interval(values, confidence)
            base_mean = float(base.loc[year].mean())
            rows.append(
                {
                    "year": int(year),
                    "scenario_a": base_result.scenario.name,
                    "scenario_b": result.scenario.name,
                    "replications": len(values),
                    "gdp_difference_mean": mean,
                    "gdp_difference_se": se,
                    "ci_lower": lower,
                    "ci_upper": upper,
                    "gdp_difference_percent": 100.0 * mean / base_mean,
                    "excludes_zero": bool(lower > 0 or upper < 0),
                }
            )
    return pd.DataFrame(rows)


def marks(years: Sequence[int], start_year: int) -> list[int]:
    """Five-year marks from the start year, plus the first and last year."""
    years = sorted(int(y) for y in years)
    return sorted({years[0], years[-1]} | {y for y in years if (y - start_year) % 5 == 0})


def format_comparison(
    comparison: Comparison, table: pd.DataFrame, differences: pd.DataFrame
) -> str:
    """The printed report: side by side at five-year marks, then B - A with its interval."""
    start = comparison.results[0].scenario.start_year
    years = marks(table.year.unique(), start)
    has_rank = "rank_median" in table.columns
    names = comparison.names
    width = max(12, *(len(n) for n in names))
    lines = [
        f"Common random numbers: root seed {comparison.seed}, "
        f"{comparison.replications} replications per scenario (replication r shares "
        f"its stream across scenarios)"
    ]
    lines += [f"note: {note}" for note in comparison.notes]
    lines.append("")
    lines.append(
        "Shaoxing GDP median (亿元, current prices)"
        + (
            "; national rank median; P(rank <= 30)"
            if has_rank
            else "; national rank not available in these runs"
        )
    )
    header = f"{'year':>6}"
    for name in names:
        header += f" {name[:width]:>{width}}"
        if has_rank:
            header += f" {'rank':>5} {'P(top30)':>8}"
    lines.append(header)
    indexed = table.set_index(["year", "scenario"])
    for year in years:
        line = f"{year:>6}"
        for name in names:
            row = indexed.loc[(year, name)]
            line += f" {row.gdp_median:>{width}.0f}"
            if has_rank:
                line += f" {row.rank_median:>5.0f} {row.p_top30:>8.2f}"
        lines.append(line)
    lines.append("")
    level = round(100 * CONFIDENCE)
    lines.append(
        f"Shaoxing GDP difference B - A (亿元, current prices), paired by replication, "
        f"mean [{level}% paired t interval]; A = {names[0]}"
    )
    lines.append(f"{'year':>6} {'B':>{width}} {'mean':>9} {'lower':>9} {'upper':>9} {'% of A':>7}")
    for row in differences[differences.year.isin(years)].itertuples(index=False):
        if row.gdp_difference_mean == 0 and row.gdp_difference_se == 0:
            flag = "  (identical)"
        else:
            flag = "" if row.excludes_zero else "  (includes 0)"
        lines.append(
            f"{row.year:>6} {row.scenario_b[:width]:>{width}} "
            f"{row.gdp_difference_mean:>9.1f} {row.ci_lower:>9.1f} "
            f"{row.ci_upper:>9.1f} {row.gdp_difference_percent:>6.2f}%{flag}"
        )
    lines += ["", fiscal_report(comparison)]
    return "\n".join(lines)


def fiscal_report(comparison: Comparison) -> str:
    """Each scenario B's fiscal cost by pillar and year and its GDP gained per yuan against
    the first scenario A (growthpole.fiscal), paired by replication."""
    from growthpole.fiscal import fiscal_summary, format_fiscal, gdp_per_yuan

    base = comparison.results[0]
    blocks = []
    for result in comparison.results[1:]:
        summary = fiscal_summary(result.scenario, result.city_year)
        per_yuan = gdp_per_yuan(result.scenario, base.city_year, result.city_year)
        blocks.append(
            f"{result.scenario.name} (B) against {base.scenario.name} (A): "
            + format_fiscal(summary, per_yuan)
        )
    return "\n\n".join(blocks)


def report_years(scenario: Scenario) -> list[int]:
    """The years the uncertainty reports cover: 2024, 2030 and the end year, where inside the
    horizon (the README's headline years)."""
    years = {y for y in (2024, 2030) if scenario.start_year < y <= scenario.end_year}
    return sorted(years | {scenario.end_year})


def uncertainty_reports(
    comparison: Comparison,
) -> tuple[pd.DataFrame | None, pd.DataFrame | None]:
    """P(top 30) with its interval and variance shares per scenario, and each later
    scenario's GDP effect over the first with its interval, band and shares
    (growthpole.uncertainty; the fiscal cost is in :func:`format_comparison`)."""
    from growthpole.uncertainty import effect_report, probability_report

    first = comparison.results[0]
    years = report_years(first.scenario)
    probability = None
    if "national_rank" in first.city_year.columns:
        probability = pd.concat(
            [probability_report(result, years) for result in comparison.results],
            ignore_index=True,
        )
    effect = None
    if comparison.replications >= 2:
        effect = pd.concat(
            [effect_report(first, result, years) for result in comparison.results[1:]],
            ignore_index=True,
        )
    return probability, effect
