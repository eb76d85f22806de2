"""The outcomes, declared once (EMA Workbench's "outcomes as data").

Every column of the city-year table (:meth:`growthpole.model.GrowthPoleModel.city_year`,
docs/model.md §9) is one :class:`Outcome` here, in the table's order: its unit, what it
measures, which step produces it, and how the ``shaoxing`` row combines the six county-level
units. The threshold of the research question, :data:`TOP` (China's top 30 cities by GDP),
lives here too, with the derived outcome ``top30``.

Who reads it:

* the model (``city_year``: which columns are employment-weighted on the Shaoxing row);
* sweeps (the outcome columns a sweep file may name, checked without running the model);
* the ranking, the comparison, the sensitivity analysis, the uncertainty decomposition and
  the backtest (:data:`TOP`);
* the report (the columns its figures need) and docs/model.md §9 (a generated table).

``tests/test_outcomes.py`` checks that the model records exactly these columns, in this
order, and that nothing else defines the number 30.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from growthpole.regions import SECTORS

#: the threshold of the research question: China's top 30 cities by GDP
TOP = 30


@dataclass(frozen=True)
class Outcome:
    """One column of the city-year table (or a quantity derived from it)."""

    name: str
    meaning: str
    unit: str
    #: how the ``shaoxing`` row combines its six units: summed, employment-weighted mean,
    #: a key, or not defined on the units (the national rank: cities only)
    shaoxing: Literal["key", "sum", "employment-weighted", "city"] = "sum"
    #: model: recorded by the model each year; ranking: added by run_scenario
    #: (growthpole.ranking); derived: computed from another outcome where it is used
    origin: Literal["key", "model", "ranking", "derived"] = "model"


def _outcomes() -> tuple[Outcome, ...]:
    keys = (
        Outcome("replication", "replication index r (its SeedSequence child)", "—", "key", "key"),
        Outcome("year", "calendar year (the base year included)", "—", "key", "key"),
        Outcome("region", "region (six units, three poles) or 'shaoxing'", "—", "key", "key"),
    )
    model = (
        Outcome("gdp", "GDP, current prices (P_t × gdp_real)", "亿元/yr"),
        Outcome("gdp_real", "firm value added + non-modelled GDP", "亿元/yr, base-year prices"),
        Outcome("firm_value_added", "value added of the firm agents", "亿元/yr, base-year prices"),
        Outcome("nonmodelled_gdp", "GDP not produced by firm agents", "亿元/yr, base-year prices"),
        Outcome("population", "residents", "万人"),
        Outcome("talent_skilled", "skilled residents", "万人"),
        Outcome("firm_agents", "live firm agents (not firms)", "count"),
        Outcome(
            "employment",
            "workers by workplace (incl. commuters and enclave workers)",
            "万人",
        ),
        Outcome("capital", "capital stock of the firm agents", "亿元, base-year prices"),
        Outcome(
            "wage_skilled",
            "skilled wage",
            "元 per worker-year, base-year prices",
            "employment-weighted",
        ),
        Outcome(
            "wage_unskilled",
            "unskilled wage",
            "元 per worker-year, base-year prices",
            "employment-weighted",
        ),
        Outcome(
            "market_access",
            "relative market-access index",
            "1 in the base year",
            "employment-weighted",
        ),
        Outcome(
            "emissions",
            "Σ e_i Y_i",
            "relative units (1 per 亿元 VA of a clean sector at base)",
        ),
        Outcome(
            "migration_in",
            "gross moves into the region (for shaoxing: moves between units included)",
            "万人/yr",
        ),
        Outcome("migration_out", "gross moves out of the region", "万人/yr"),
        Outcome("external_inflow", "inflow from the rest of China", "万人/yr"),
        Outcome(
            "commuters_in",
            "workers working in the region who live in another region ([C1]-[C2], §7.6)",
            "万人",
        ),
        Outcome("commuters_out", "residents working in another region", "万人"),
        Outcome(
            "city_commuters_in",
            "commuters in across a city boundary (Shaoxing's six units are one city)",
            "万人",
        ),
        Outcome("city_commuters_out", "commuters out across a city boundary", "万人"),
        Outcome("firm_entries", "entries (incl. major projects)", "firm agents/yr"),
        Outcome("firm_exits", "exits (incl. 亩均 exits)", "firm agents/yr"),
        Outcome("relocations_in", "relocations in (incl. cluster moves)", "firm agents/yr"),
        Outcome("relocations_out", "relocations out", "firm agents/yr"),
        Outcome("platform_land_used_mu", "land used in development platforms", "亩"),
        Outcome(
            "digital_share",
            "share of firm agents digitally transformed",
            "share",
            "employment-weighted",
        ),
        *(
            Outcome(f"va_{sector}", f"value added of {sector}", "亿元/yr, base-year prices")
            for sector in SECTORS
        ),
    )
    ranking = (
        Outcome(
            "national_rank",
            "national GDP rank (§7.15) on the shaoxing, hangzhou, ningbo and shanghai rows",
            "rank (1 = largest)",
            "city",
            "ranking",
        ),
        Outcome(
            "top30",
            f"1 when national_rank <= {TOP} (the research question), else 0",
            "indicator, 0-1",
            "city",
            "derived",
        ),
    )
    return (*keys, *model, *ranking)


#: name -> outcome, in the city-year table's column order
OUTCOMES: dict[str, Outcome] = {o.name: o for o in _outcomes()}
#: the columns the model records each year (GrowthPoleModel.records), in order
MODEL_COLUMNS: tuple[str, ...] = (
    "year",
    "region",
    *(o.name for o in OUTCOMES.values() if o.origin == "model"),
)
#: columns averaged with employment weights on the shaoxing row (the rest are summed)
EMPLOYMENT_WEIGHTED: tuple[str, ...] = tuple(
    o.name for o in OUTCOMES.values() if o.shaoxing == "employment-weighted"
)
#: outcome columns a sweep may store (everything but the keys)
SWEEP_OUTCOMES: tuple[str, ...] = tuple(o.name for o in OUTCOMES.values() if o.origin != "key")


def unit_of(name: str) -> str:
    """The unit of an outcome column (KeyError naming the allowed ones otherwise)."""
    try:
        return OUTCOMES[name].unit
    except KeyError:
        raise KeyError(f"unknown outcome {name!r}; allowed: {', '.join(OUTCOMES)}") from None
