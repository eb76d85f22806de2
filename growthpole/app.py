"""Interactive page: lever sliders and live charts (Mesa SolaraViz; never imported by the
model).

Run it as ``solara run growthpole/app.py`` (a browser page) or, in Jupyter::

    from growthpole.app import page
    page

The sliders set a handful of headline levers of the policy catalogue (growthpole.levers);
*Reset* builds a new :class:`LeverModel` from them, *Step* / *Play* advance one year at a
time, and the charts redraw: Shaoxing's GDP against the published series, its national rank
(when the run carries one) and the net flows of people and firms along the corridor.

:class:`LeverModel` is the adapter SolaraViz needs (it re-creates the model with the slider
values as keyword arguments): a :class:`~growthpole.model.GrowthPoleModel` built from a
scenario with those levers. It lives here, not in model.py, so the model stays UI-free.
The scenario is ``scenarios/baseline.yaml`` (or ``$GROWTHPOLE_APP_SCENARIO``) at a coarser
agent scale so that a year steps in well under a second.
"""

from __future__ import annotations

import os
import warnings
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import solara

# Mesa 3.3's ComponentsView trips Solara's hook linter (a use_state after an early return that
# never happens once components are given); the message is about Mesa's code, not ours
warnings.filterwarnings("ignore", message=r".*`use_state` found despite early return",
                        category=UserWarning)
from mesa.visualization import SolaraViz  # noqa: E402

from growthpole import plots  # noqa: E402
from growthpole.errors import GrowthpoleError  # noqa: E402
from growthpole.levers import LEVERS  # noqa: E402
from growthpole.model import GrowthPoleModel  # noqa: E402
from growthpole.scenario import Scenario, build_scenario, load_scenario  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
#: slider name (a keyword of LeverModel) -> (lever key of the catalogue, short label)
SLIDERS: dict[str, tuple[str, str]] = {
    "hangzhou_travel_time_cut": ("integration.hangzhou_travel_time_cut",
                                 "融杭 Hangzhou travel time cut (share)"),
    "ningbo_travel_time_cut": ("integration.ningbo_travel_time_cut",
                               "联甬 Ningbo travel time cut (share)"),
    "shanghai_travel_time_cut": ("integration.shanghai_travel_time_cut",
                                 "接沪 Shanghai travel time cut (share)"),
    "talent_programmes": ("innovation.talent_programmes",
                          "Talent programmes (subsidy, share of wage)"),
    "xinchang_experience": ("innovation.xinchang_experience",
                            "Extra R&D, 新昌经验 (share of VA)"),
    "mu_efficiency_reform": ("industry.mu_efficiency_reform",
                             "亩均论英雄 land-efficiency reform (0-1)"),
    "tax_fee_cuts": ("business.tax_fee_cuts", "Tax and fee cuts (share of VA)"),
}
SLIDER_LEVERS: dict[str, str] = {name: key for name, (key, _) in SLIDERS.items()}
#: agent resolution of the page: coarser than the baseline so that stepping stays quick
APP_SCALE = {"people_per_agent": 10000.0, "workers_per_firm_agent": 25.0}


def base_scenario() -> Scenario:
    """The scenario the sliders modify (``$GROWTHPOLE_APP_SCENARIO`` or the baseline)."""
    path = os.environ.get("GROWTHPOLE_APP_SCENARIO", str(ROOT / "scenarios" / "baseline.yaml"))
    if Path(path).is_file():
        return load_scenario(path)
    return build_scenario({"name": "baseline"})


def scenario_from_sliders(base: Scenario, values: dict[str, float], *, seed: int,
                          scale: dict[str, float] | None = None) -> Scenario:
    """``base`` with the slider levers set to constant values over the horizon (a lever at
    its catalogue default is left as the base scenario has it)."""
    levers = dict(base.levers)
    for name, value in values.items():
        key = SLIDER_LEVERS[name]
        if float(value) != LEVERS[key].default or key in levers:
            levers[key] = float(value)
    return base.with_changes(name=f"{base.name}-app", levers=levers, replications=1, seed=seed,
                             scale=scale or APP_SCALE)


class LeverModel(GrowthPoleModel):
    """A GrowthPoleModel whose headline levers are keyword arguments (for SolaraViz)."""

    def __init__(self, hangzhou_travel_time_cut: float = 0.0,
                 ningbo_travel_time_cut: float = 0.0, shanghai_travel_time_cut: float = 0.0,
                 talent_programmes: float = 0.0, xinchang_experience: float = 0.0,
                 mu_efficiency_reform: float = 0.0, tax_fee_cuts: float = 0.0,
                 seed: int = 1, scenario: Scenario | None = None) -> None:
        values = {"hangzhou_travel_time_cut": hangzhou_travel_time_cut,
                  "ningbo_travel_time_cut": ningbo_travel_time_cut,
                  "shanghai_travel_time_cut": shanghai_travel_time_cut,
                  "talent_programmes": talent_programmes,
                  "xinchang_experience": xinchang_experience,
                  "mu_efficiency_reform": mu_efficiency_reform,
                  "tax_fee_cuts": tax_fee_cuts}
        scenario = scenario_from_sliders(scenario or base_scenario(), values, seed=int(seed))
        super().__init__(scenario, np.random.SeedSequence(int(seed)))
        self.running = self.year < scenario.end_year

    def step(self) -> None:
        """One year; stops (``running = False``) at the scenario's end year."""
        if self.year >= self.scenario.end_year:
            self.running = False
            return
        super().step()
        self.running = self.year < self.scenario.end_year

    def table(self) -> pd.DataFrame:
        """The city-year table so far (what the charts draw), with Shaoxing's national rank
        from the competitor model (growthpole.ranking, this replication's COMPETITORS
        stream) when the national panel is available."""
        cached = getattr(self, "_table_cache", None)
        if cached is not None and cached[0] == self.year:  # four charts, one table per year
            return cached[1]
        table = self.city_year()
        try:
            from growthpole.ranking import attach_national_rank

            table = attach_national_rank(table, {0: self.seed_sequence},
                                         self.scenario.start_year)
        except (ImportError, GrowthpoleError):  # no national panel: charts say so
            pass
        self._table_cache = (self.year, table)
        return table


def model_params() -> dict[str, dict]:
    """SolaraViz slider specifications from the lever catalogue (range, unit, title)."""
    params: dict[str, dict] = {}
    for name, (key, label) in SLIDERS.items():
        lever = LEVERS[key]
        params[name] = {"type": "SliderFloat", "value": float(lever.default),
                        "min": float(lever.lower), "max": float(lever.upper),
                        "step": round((lever.upper - lever.lower) / 20, 6),
                        "label": label}
    params["seed"] = {"type": "SliderInt", "value": 1, "min": 1, "max": 999, "step": 1,
                      "label": "random seed"}
    return params


@lru_cache(maxsize=1)
def _rank_history() -> pd.DataFrame:
    return plots.rank_history()


@lru_cache(maxsize=1)
def _gdp_history() -> pd.DataFrame:
    return plots.published_gdp()


def _show(fig) -> solara.Element:
    return solara.FigureMatplotlib(fig, format="png")


def gdp_chart(model: LeverModel) -> solara.Element:
    """Shaoxing GDP so far against the published series."""
    return _show(plots.gdp_fan(model.table(), _gdp_history(),
                               title=f"{plots.place_name('shaoxing')}: GDP (simulated to "
                                     f"{model.year}) and published"))


def rank_chart(model: LeverModel) -> solara.Element:
    """National rank: published history, and the simulated rank when the run has one."""
    return _show(plots.rank_fan(model.table(), _rank_history()))


def flows_chart(model: LeverModel) -> solara.Element:
    """Net flows of people and firms per region since the start."""
    table = model.table()
    if table.year.nunique() < 2:
        return solara.Markdown("**Flows along the corridor**: press *Step* or *Play*: flows "
                               "appear after the first simulated year.")
    return _show(plots.corridor_map(table))


def status(model: LeverModel) -> solara.Element:
    """Year, Shaoxing GDP and the levers in force."""
    table = model.table()
    row = table[(table.region == "shaoxing") & (table.year == model.year)].iloc[0]
    levers = ", ".join(f"`{k}` = {v:g}" for k, v in sorted(model.scenario.levers.items())
                       if isinstance(v, int | float)) or "none (baseline)"
    rank = (f", national rank {row.national_rank:.0f}"
            if "national_rank" in table.columns and pd.notna(row.get("national_rank"))
            else " (no simulated national rank: no national city panel imported)")
    return solara.Markdown(
        f"### Year {model.year}\nShaoxing GDP **{row.gdp:,.0f} 亿元** (current prices), "
        f"population {row.population:,.1f} 万人{rank}.\n\nLevers: {levers}. "
        f"Scale: one talent agent = {model.scenario.scale.people_per_agent:,.0f} people.\n\n"
        f"*Set the levers, press RESET to rebuild the model with them, then STEP (one year) "
        f"or ▶ (run to {model.scenario.end_year}).*")


def make_page(model: LeverModel | None = None):
    """The SolaraViz element (one per call: each notebook cell or server session)."""
    model = model or LeverModel()
    return SolaraViz(model, components=[status, gdp_chart, rank_chart, flows_chart],
                     model_params=model_params(), name="growthpole: Shaoxing's growth pole",
                     play_interval=300)


@solara.component
def Page():
    """Entry point of ``solara run growthpole/app.py``."""
    model = solara.use_memo(LeverModel, dependencies=[])
    return make_page(model)


page = Page()
