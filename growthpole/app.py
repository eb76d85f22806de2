"""Interactive page: lever sliders and live charts (Mesa SolaraViz; never imported by the
model).

Run it as ``solara run growthpole/app.py`` (a browser page) or, in Jupyter::

    from growthpole.app import page
    page

The sliders (sidebar, "Levers") set a handful of headline levers of the policy catalogue
(growthpole.levers); each shows its current value and unit above a full-width track (a
long inline label once squeezed a track to 0 px). *Reset* builds a new :class:`LeverModel`
from them, *Step* / *Play* advance one year at a time, and the charts redraw: Shaoxing's GDP
against the published series, its national rank (when the run carries one) and the flows of
people and firms along the corridor.

:class:`LeverModel` is the adapter SolaraViz needs: a :class:`~growthpole.model.GrowthPoleModel`
built from a scenario with those levers. The slider values live in one reactive dict per
browser session, handed to SolaraViz as a fixed model parameter (``settings``), so *Reset*
rebuilds the model with the values the sliders show. It lives here, not in model.py, so the
model stays UI-free. The scenario is ``scenarios/baseline.yaml`` (or
``$GROWTHPOLE_APP_SCENARIO``) at the scenario's own agent scale, the CLI's, and seed ``s``
is replication 0 of ``growthpole run SCENARIO --seed s``: the page shows the CLI's numbers.

Offline machines need Solara's browser bundles cached once (``make solara-assets``); the
page is served by ``make app`` (``solara run growthpole/app.py``).
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import cast

import pandas as pd
import solara

# Mesa 3.3's ComponentsView trips Solara's hook linter (a use_state after an early return that
# never happens once components are given); the message is about Mesa's code, not ours
warnings.filterwarnings(
    "ignore", message=r".*`use_state` found despite early return", category=UserWarning
)
from mesa.visualization import SolaraViz  # noqa: E402

from growthpole import plots  # noqa: E402
from growthpole.errors import GrowthpoleError  # noqa: E402
from growthpole.levers import LEVERS  # noqa: E402
from growthpole.model import GrowthPoleModel  # noqa: E402
from growthpole.scenario import Scenario, build_scenario, load_scenario  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
#: slider name (a keyword of LeverModel) -> (lever key of the catalogue, short label)
SLIDERS: dict[str, tuple[str, str]] = {
    "hangzhou_travel_time_cut": (
        "integration.hangzhou_travel_time_cut",
        "融杭 Hangzhou travel time cut (share)",
    ),
    "ningbo_travel_time_cut": (
        "integration.ningbo_travel_time_cut",
        "联甬 Ningbo travel time cut (share)",
    ),
    "shanghai_travel_time_cut": (
        "integration.shanghai_travel_time_cut",
        "接沪 Shanghai travel time cut (share)",
    ),
    "talent_programmes": (
        "innovation.talent_programmes",
        "Talent programmes (subsidy, share of wage)",
    ),
    "xinchang_experience": ("innovation.xinchang_experience", "Extra R&D, 新昌经验 (share of VA)"),
    "mu_efficiency_reform": (
        "industry.mu_efficiency_reform",
        "亩均论英雄 land-efficiency reform (0-1)",
    ),
    "tax_fee_cuts": ("business.tax_fee_cuts", "Tax and fee cuts (share of VA)"),
}
SLIDER_LEVERS: dict[str, str] = {name: key for name, (key, _) in SLIDERS.items()}


def base_scenario() -> Scenario:
    """The scenario the sliders modify (``$GROWTHPOLE_APP_SCENARIO`` or the baseline)."""
    path = os.environ.get("GROWTHPOLE_APP_SCENARIO", str(ROOT / "scenarios" / "baseline.yaml"))
    if Path(path).is_file():
        return load_scenario(path)
    return build_scenario({"name": "baseline"})


def scenario_from_sliders(
    base: Scenario, values: dict[str, float], *, seed: int, scale: dict[str, float] | None = None
) -> Scenario:
    """``base`` with the slider levers set to constant values over the horizon (a lever at
    its catalogue default is left as the base scenario has it), at ``scale`` (default: the
    base scenario's, as the command line runs it)."""
    levers = dict(base.levers)
    for name, value in values.items():
        key = SLIDER_LEVERS[name]
        if float(value) != LEVERS[key].default or key in levers:
            levers[key] = float(value)
    return base.with_changes(
        name=f"{base.name}-app",
        levers=levers,
        replications=1,
        seed=seed,
        scale=scale or base.scale.model_dump(),
    )


class LeverModel(GrowthPoleModel):
    """A GrowthPoleModel whose headline levers are keyword arguments (for SolaraViz).

    ``settings``: the page's reactive dict of slider values (or a plain dict); its values
    override the keywords, so SolaraViz's *Reset* picks up what the sliders show."""

    def __init__(
        self,
        hangzhou_travel_time_cut: float = 0.0,
        ningbo_travel_time_cut: float = 0.0,
        shanghai_travel_time_cut: float = 0.0,
        talent_programmes: float = 0.0,
        xinchang_experience: float = 0.0,
        mu_efficiency_reform: float = 0.0,
        tax_fee_cuts: float = 0.0,
        seed: int = 1,
        scenario: Scenario | None = None,
        settings: object = None,
    ) -> None:
        values = {
            "hangzhou_travel_time_cut": hangzhou_travel_time_cut,
            "ningbo_travel_time_cut": ningbo_travel_time_cut,
            "shanghai_travel_time_cut": shanghai_travel_time_cut,
            "talent_programmes": talent_programmes,
            "xinchang_experience": xinchang_experience,
            "mu_efficiency_reform": mu_efficiency_reform,
            "tax_fee_cuts": tax_fee_cuts,
            "seed": seed,
        }
        # a solara reactive dict of the sliders (its .value) or a plain slider -> value dict
        chosen = cast(Mapping[str, float], getattr(settings, "value", settings) or {})
        unknown = set(chosen) - set(values)
        if unknown:
            raise ValueError(f"unknown slider(s) {sorted(unknown)}; allowed: {sorted(values)}")
        values.update(chosen)
        seed = int(values.pop("seed"))
        scenario = scenario_from_sliders(scenario or base_scenario(), values, seed=seed)
        super().__init__(scenario, seed=seed)

    def step(self) -> None:
        """One year; at the scenario's end year a further press does nothing (``running``
        is already False)."""
        if self.year >= self.scenario.end_year:
            self.running = False
            return
        super().step()

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

            table = attach_national_rank(table, {0: self.seed_sequence}, self.scenario.start_year)
        except (ImportError, GrowthpoleError):  # no national panel: charts say so
            pass
        self._table_cache = (self.year, table)
        return table


def slider_specs() -> dict[str, dict]:
    """Slider specifications from the lever catalogue (range, unit, title), and the seed."""
    params: dict[str, dict] = {}
    for name, (key, label) in SLIDERS.items():
        lever = LEVERS[key]
        params[name] = {
            "type": "SliderFloat",
            "value": float(lever.default),
            "min": float(lever.lower),
            "max": float(lever.upper),
            "step": round((lever.upper - lever.lower) / 20, 6),
            "label": label,
            "unit": lever.unit,
        }
    params["seed"] = {
        "type": "SliderInt",
        "value": 1,
        "min": 1,
        "max": 999,
        "step": 1,
        "label": "random seed",
        "unit": "replication 0 of run --seed",
    }
    return params


def default_settings() -> dict[str, float]:
    """Slider name -> its starting value (the lever's catalogue default; seed 1)."""
    return {name: spec["value"] for name, spec in slider_specs().items()}


def model_params(settings: object) -> dict[str, object]:
    """What SolaraViz re-creates the model with on *Reset*: the page's slider values."""
    return {"settings": settings}


def format_value(value: float) -> str:
    """A slider value as the page prints it (up to 4 significant digits)."""
    return f"{float(value):.4g}"


@solara.component
def LeverSliders(settings: solara.Reactive[dict]) -> None:
    """The lever sliders: label and current value above a full-width track, per slider."""
    specs = slider_specs()
    with solara.Card("Levers (press RESET to apply)"):
        for name, spec in specs.items():

            def change(value: float, name: str = name) -> None:
                settings.set({**settings.value, name: value})

            value = settings.value[name]
            slider = solara.SliderInt if spec["type"] == "SliderInt" else solara.SliderFloat
            with solara.Column(
                gap="0px",
                classes=["lever", f"lever-{name}"],
                style={"width": "100%", "min-width": "240px"},
            ):
                solara.Markdown(f"**{spec['label']}**")
                solara.Text(f"{format_value(value)} ({spec['unit']})", classes=["lever-value"])
                slider(
                    "",
                    value=value,
                    min=spec["min"],
                    max=spec["max"],
                    step=spec["step"],
                    on_value=change,
                    thumb_label=True,
                )


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
    return _show(
        plots.gdp_fan(
            model.table(),
            _gdp_history(),
            title=f"{plots.place_name('shaoxing')}: GDP (simulated to {model.year}) and published",
        )
    )


def rank_chart(model: LeverModel) -> solara.Element:
    """National rank: published history, and the simulated rank when the run has one."""
    return _show(plots.rank_fan(model.table(), _rank_history()))


def flows_chart(model: LeverModel) -> solara.Element:
    """Net flows of people and firms per region since the start."""
    table = model.table()
    if table.year.nunique() < 2:
        return solara.Markdown(
            "**Flows along the corridor**: press *Step* or *Play*: flows "
            "appear after the first simulated year."
        )
    return _show(plots.corridor_map(table))


def status(model: LeverModel) -> solara.Element:
    """Year, Shaoxing GDP and the levers in force."""
    table = model.table()
    row = table[(table.region == "shaoxing") & (table.year == model.year)].iloc[0]
    levers = (
        ", ".join(
            f"`{k}` = {v:g}"
            for k, v in sorted(model.scenario.levers.items())
            if isinstance(v, int | float)
        )
        or "none (baseline)"
    )
    rank = (
        f", national rank {row.national_rank:.0f}"
        if "national_rank" in table.columns and pd.notna(row.get("national_rank"))
        else " (no simulated national rank: no national city panel imported)"
    )
    return solara.Markdown(
        f"### Year {model.year}\nShaoxing GDP **{row.gdp:,.0f} 亿元** (100 million yuan, "
        f"current prices), population {row.population:,.1f} 万人 (10,000 people){rank}."
        f"\n\nLevers: {levers}. "
        f"Scale: one talent agent = {model.scenario.scale.people_per_agent:,.0f} people.\n\n"
        f"*Set the levers, press RESET to rebuild the model with them, then STEP (one year) "
        f"or ▶ (run to {model.scenario.end_year}).*"
    )


def make_page(model: LeverModel | None = None, settings: object = None):
    """The SolaraViz element (one per call: each notebook cell or server session)."""
    settings = settings if settings is not None else solara.reactive(default_settings())
    model = model or LeverModel(settings=settings)
    return SolaraViz(
        model,
        components=[status, gdp_chart, rank_chart, flows_chart],
        model_params=model_params(settings),
        name="growthpole: Shaoxing's growth pole",
        play_interval=300,
    )


@solara.component
def Page():
    """Entry point of ``solara run growthpole/app.py``: the lever sliders in the sidebar,
    and SolaraViz (controls, charts) built with the same reactive slider values."""
    settings = solara.use_reactive(default_settings())
    model = solara.use_memo(lambda: LeverModel(settings=settings.value), dependencies=[])
    with solara.Column(style={"width": "100%"}) as main:
        with solara.Sidebar():
            LeverSliders(settings)
        make_page(model, settings)
    return main


page = Page()
