"""The municipal budget: what the strategy's measures cost Shaoxing and what they buy.

Shaoxing's general public budget (一般公共预算) revenue and expenditure are transcribed in
``data/fiscal.csv`` with a source per row. Each lever's cost record (growthpole/levers.yaml,
``cost:``) says how it is paid from that budget:

* ``capital``: coefficient (亿元 per unit) x the increase of the lever's trend-adjusted value,
  paid in the year of the increase (platform development, links, treatment plants);
* ``per_unit_year``: coefficient (亿元 a year per unit) x the trend-adjusted value (talent
  money, programme budgets; an event lever pays in its year);
* ``va_share``: coefficient (the budget's share) x the value x Shaoxing's value added of the
  targeted sectors in the previous year, at current prices (subsidies, tax cuts);
* ``none``: regulatory measures with no budget cost.

The trend-adjusted value is ``value x (1 - in_trend)``: the part of a measure the 2019-policy
baseline already carries (and pays for) is not a cost of the scenario; the competitor share
does not reduce the cost (Shaoxing pays for its measures whether or not its competitors have
them). Costs of year t are valued on the economy of year t-1 (the last one recorded), so the
model can check them before the year's policy is set.

A scenario's ``budget: {binding: true, lever_share: s}`` makes the budget binding: the room in
year t is ``s`` x the general budget expenditure (data/fiscal.csv for a published year, else
the expenditure/GDP ratio of the latest published year x the previous year's simulated GDP),
and in a year whose costs exceed the room every costly lever is delivered pro rata
(:class:`BudgetTracker`): flow measures at ``room / cost`` of their scheduled value, capital
measures advancing ``room / cost`` of the way from last year's delivered level to the
schedule. Not modelled: government-fund (land) revenue and LGFV borrowing, which finance much
public investment in practice; the binding option treats all costs as general-budget costs.

Units: 亿元 (100 million yuan), current prices.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd

from growthpole.errors import DataError
from growthpole.levers import LEVERS, PILLARS, coefficient_values, scheduled_values
from growthpole.regions import N_SHAOXING, REGIONS, SECTORS

FISCAL_FILE = "fiscal.csv"
FISCAL_COLUMNS = ("city_code", "city", "year", "item", "value_100m_cny", "vintage", "source")
SHAOXING_CODE = 330600
EXPENDITURE = "general_budget_expenditure"
REVENUE = "general_budget_revenue"


# ---------------------------------------------------------------------------------------
# data
# ---------------------------------------------------------------------------------------


@cache
def fiscal_table() -> pd.DataFrame:
    """data/fiscal.csv (DataError naming the file when missing or malformed)."""
    from growthpole.data import data_dir

    path = data_dir() / FISCAL_FILE
    try:
        table = pd.read_csv(path)
    except (OSError, ValueError) as exc:
        raise DataError(f"cannot read the budget table: {exc}", file=path) from None
    missing = [c for c in FISCAL_COLUMNS if c not in table.columns]
    if missing:
        raise DataError(
            f"missing columns {missing}; expected {', '.join(FISCAL_COLUMNS)}", file=path
        )
    if table.source.isna().any() or (table.value_100m_cny <= 0).any():
        raise DataError("every row needs a positive value and a source", file=path)
    return table


def published(item: str) -> dict[int, float]:
    """Year -> Shaoxing's published value of ``item`` (亿元)."""
    table = fiscal_table()
    rows = table[(table.city_code == SHAOXING_CODE) & (table.item == item)]
    return {int(y): float(v) for y, v in zip(rows.year, rows.value_100m_cny, strict=True)}


@cache
def expenditure_ratio() -> tuple[int, float]:
    """(year, general budget expenditure / GDP) of the latest published year with both."""
    from growthpole.data import data_dir

    spending = published(EXPENDITURE)
    gdp = pd.read_csv(data_dir() / "city_gdp.csv")
    gdp = gdp[gdp.city_code == SHAOXING_CODE]
    for year in sorted(spending, reverse=True):
        values = gdp.loc[gdp.year == year, "gdp_100m_cny"]
        if len(values):
            return year, spending[year] / float(values.iloc[0])
    raise DataError(
        "no year with both general budget expenditure and GDP for Shaoxing",
        file=data_dir() / FISCAL_FILE,
    )


def budget_expenditure(year: int, previous_gdp: float) -> float:
    """General budget expenditure in ``year`` (亿元): published, else ratio x GDP_{t-1}."""
    spending = published(EXPENDITURE)
    if year in spending:
        return spending[year]
    return expenditure_ratio()[1] * previous_gdp


# ---------------------------------------------------------------------------------------
# the economy the costs are valued on
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Economy:
    """Shaoxing in one year (the six units summed), current prices, 亿元."""

    gdp: float
    value_added: tuple[float, ...]
    """by sector (growthpole.regions.SECTORS)"""


def economy_from_arrays(gdp: np.ndarray, gdp_real: np.ndarray, sector_va: np.ndarray) -> Economy:
    """From per-unit arrays of the six Shaoxing units in REGIONS order: GDP (current),
    GDP (base prices) and firm value added (base prices, units x sectors)."""
    price = float(gdp[0] / gdp_real[0]) if gdp_real[0] else 1.0
    return Economy(
        float(np.sum(gdp)),
        tuple(float(np.sum(sector_va[:, k])) * price for k in range(len(SECTORS))),
    )


def economy_from_record(record: Mapping[str, np.ndarray]) -> Economy:
    """From one year's record of GrowthPoleModel (arrays over REGIONS)."""
    units = slice(0, N_SHAOXING)
    sector_va = np.column_stack([record[f"va_{s}"][units] for s in SECTORS])
    return economy_from_arrays(record["gdp"][units], record["gdp_real"][units], sector_va)


def economies_from_frame(frame: pd.DataFrame) -> dict[int, Economy]:
    """Year -> Economy of one replication's city-year table (the six unit rows)."""
    out = {}
    units = list(REGIONS[:N_SHAOXING])
    rows = frame[frame.region.isin(units)]
    for year, block in rows.groupby("year", sort=True):
        block = block.set_index("region").loc[units]
        sector_va = block[[f"va_{s}" for s in SECTORS]].to_numpy()
        out[int(year)] = economy_from_arrays(
            block.gdp.to_numpy(), block.gdp_real.to_numpy(), sector_va
        )
    return out


# ---------------------------------------------------------------------------------------
# costs and the binding budget
# ---------------------------------------------------------------------------------------


def lever_cost(
    key: str, value: float, previous: float, economy: Economy, coefficients: Mapping[str, float]
) -> float:
    """Cost (亿元) of one lever in a year: ``value`` and ``previous`` are its delivered values
    this year and last year (lever units, before the trend adjustment)."""
    lever = LEVERS[key]
    record = lever.cost
    if record.basis == "none" or record.coefficient is None:
        return 0.0
    trend = 1.0 - coefficients.get(f"{key}.in_trend", 0.0)
    unit_cost = coefficients[record.coefficient]
    if record.basis == "capital":
        return unit_cost * max(0.0, value - previous) * trend
    if record.basis == "per_unit_year":
        return unit_cost * value * trend
    value_added = sum(economy.value_added[k] for k in record.sectors)
    return unit_cost * value * trend * value_added


@dataclass
class YearBudget:
    """One year's costs by lever, the room and the scale applied (1 = nothing held back)."""

    year: int
    costs: dict[str, float]
    expenditure: float
    room: float
    scale: float


class BudgetTracker:
    """Delivered lever values and their costs, year by year (binding or not)."""

    def __init__(self, scenario) -> None:
        self.scenario = scenario
        budget = scenario.budget
        self.binding = bool(budget is not None and budget.binding)
        self.lever_share = budget.lever_share if budget is not None else 0.10
        self.coefficients = coefficient_values(scenario.lever_coefficients)
        self.delivered = scheduled_values(scenario.levers, scenario.start_year, scenario.start_year)
        self.years: list[YearBudget] = []

    def step(self, year: int, economy: Economy) -> dict[str, float]:
        """Lever values delivered in ``year`` (the schedule, scaled pro rata when a binding
        budget is exceeded); records the year's costs. ``economy``: the year before."""
        scheduled = scheduled_values(self.scenario.levers, year, self.scenario.start_year)
        previous = self.delivered
        costs = {
            key: lever_cost(key, value, previous.get(key, 0.0), economy, self.coefficients)
            for key, value in scheduled.items()
        }
        total = sum(costs.values())
        # the budget data are read only when something is scheduled (a baseline run does not
        # depend on data/fiscal.csv)
        expenditure = budget_expenditure(year, economy.gdp) if scheduled else float("nan")
        room = self.lever_share * expenditure
        scale = 1.0
        delivered = dict(scheduled)
        if self.binding and total > room:
            scale = room / total
            for key, value in scheduled.items():
                if LEVERS[key].cost.basis == "none":
                    continue
                if LEVERS[key].cost.basis == "capital":
                    before = previous.get(key, 0.0)
                    delivered[key] = before + scale * (value - before) if value > before else value
                else:
                    delivered[key] = scale * value
            costs = {
                key: lever_cost(
                    key, delivered[key], previous.get(key, 0.0), economy, self.coefficients
                )
                for key in scheduled
            }
        self.delivered = {k: v for k, v in delivered.items() if v != 0.0}
        self.years.append(YearBudget(year, costs, expenditure, room, scale))
        return self.delivered


def replay(scenario, frame: pd.DataFrame) -> list[YearBudget]:
    """The budget of one replication, replayed from its city-year table (the same numbers the
    model used when the budget was binding)."""
    economies = economies_from_frame(frame)
    tracker = BudgetTracker(scenario)
    for year in range(scenario.start_year + 1, scenario.end_year + 1):
        tracker.step(year, economies[year - 1])
    return tracker.years


def fiscal_costs(scenario, city_year: pd.DataFrame) -> pd.DataFrame:
    """Long table: replication, year, pillar, lever, cost_100m_cny (levers with a cost)."""
    rows = []
    for replication, frame in city_year.groupby("replication", sort=True):
        for budget in replay(scenario, frame):
            for key, cost in budget.costs.items():
                if cost:
                    rows.append((int(replication), budget.year, LEVERS[key].pillar, key, cost))
    return pd.DataFrame(rows, columns=["replication", "year", "pillar", "lever", "cost_100m_cny"])


def fiscal_summary(scenario, city_year: pd.DataFrame) -> pd.DataFrame:
    """Per year: mean cost by pillar across replications, the total, the budget expenditure
    and the total as a share of it, and the scale a binding budget applied (亿元)."""
    costs = fiscal_costs(scenario, city_year)
    replications = city_year.replication.nunique()
    years = list(range(scenario.start_year + 1, scenario.end_year + 1))
    table = pd.DataFrame({"year": years})
    for pillar in PILLARS:
        block = costs[costs.pillar == pillar].groupby("year").cost_100m_cny.sum()
        table[f"cost_{pillar}"] = [float(block.get(y, 0.0)) / replications for y in years]
    table["cost_total"] = table[[f"cost_{p}" for p in PILLARS]].sum(axis=1)
    budgets = [replay(scenario, frame) for _, frame in city_year.groupby("replication")]
    table["expenditure"] = [
        float(np.mean([b[i].expenditure for b in budgets])) for i in range(len(years))
    ]
    table["cost_share_of_expenditure"] = table.cost_total / table.expenditure
    table["budget_scale"] = [
        float(np.mean([b[i].scale for b in budgets])) for i in range(len(years))
    ]
    return table


def gdp_per_yuan(scenario, base: pd.DataFrame, treated: pd.DataFrame) -> dict[str, float]:
    """GDP gained per yuan spent: per replication (common random numbers), the sum over the
    horizon of Shaoxing's GDP difference (current prices) divided by the sum of the
    scenario's fiscal costs; median and 5%/95% quantiles across replications, and the totals
    (亿元, means across replications)."""

    def shaoxing(frame: pd.DataFrame) -> pd.Series:
        rows = frame[(frame.region == "shaoxing") & (frame.year > scenario.start_year)]
        return rows.groupby("replication").gdp.sum()

    gained = shaoxing(treated) - shaoxing(base)
    costs = fiscal_costs(scenario, treated).groupby("replication").cost_100m_cny.sum()
    costs = costs.reindex(gained.index, fill_value=0.0)
    out = {"gdp_gained_total": float(gained.mean()), "cost_total": float(costs.mean())}
    if (costs > 0).all():
        ratio = gained / costs
        out.update(
            gdp_per_yuan_median=float(ratio.median()),
            gdp_per_yuan_p05=float(ratio.quantile(0.05)),
            gdp_per_yuan_p95=float(ratio.quantile(0.95)),
        )
    return out


def format_fiscal(summary: pd.DataFrame, per_yuan: Mapping[str, float] | None = None) -> str:
    """Printed fiscal report: cost by pillar at five-year marks, total and share of the
    budget, and the GDP gained per yuan when a baseline was compared."""
    lines = [
        "Fiscal cost of the measures (亿元 a year, current prices, mean across replications)",
        f"{'year':>6} "
        + " ".join(f"{p[:10]:>10}" for p in PILLARS)
        + f" {'total':>8} {'% budget':>9} {'scale':>6}",
    ]
    years = summary.year.to_numpy()
    marks = [y for y in years if (y - years[0]) % 5 == 0 or y == years[-1]]
    for row in summary[summary.year.isin(marks)].itertuples(index=False):
        cells = " ".join(f"{getattr(row, f'cost_{p}'):>10.1f}" for p in PILLARS)
        lines.append(
            f"{row.year:>6} {cells} {row.cost_total:>8.1f} "
            f"{100 * row.cost_share_of_expenditure:>8.1f}% {row.budget_scale:>6.2f}"
        )
    total = float(summary.cost_total.sum())
    lines.append(f"total over {years[0]}-{years[-1]}: {total:.0f}亿元")
    if per_yuan:
        if "gdp_per_yuan_median" in per_yuan:
            lines.append(
                f"GDP gained per yuan spent: {per_yuan['gdp_per_yuan_median']:.2f} "
                f"[{per_yuan['gdp_per_yuan_p05']:.2f}, "
                f"{per_yuan['gdp_per_yuan_p95']:.2f}] (median [90% band] across "
                f"replications; GDP gained {per_yuan['gdp_gained_total']:.0f}亿元 "
                f"for {per_yuan['cost_total']:.0f}亿元)"
            )
        else:
            lines.append("GDP gained per yuan: the scenario spends nothing in some replication")
    return "\n".join(lines)
