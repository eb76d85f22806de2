"""Rolling-origin backtests: calibrate on data up to an origin T, forecast, compare with what
was published later, beside simple benchmarks on the same years (issue 16; docs/calibration.md).

Protocol (fixed before looking at the results, and the same for every origin):

1. **Calibrate** the spec (scenarios/calibration/history.yaml) on the window 2005:T with the
   method of simulated moments (:func:`growthpole.calibration.calibrate`, ``write=False``).
   Everything it reads is published for years <= T (the scenario's ``information_year``).
2. **Forecast** from the published state of year T: the model starts in T with the
   calibrated parameters, ``information_year = T``; competitors come from the competitor
   model fitted on the panel's years <= T. *Unconditional*: the national path after T is
   simulated from the national accounts <= T. *Conditional* (``conditional=True``): the
   realised national path is given, which isolates the model's skill relative to the nation.
3. **Benchmarks** for Shaoxing's GDP, on the same years, replications and competitor draws:
   a random walk with drift in log GDP, an AR(1) in log growth, and the competitor factor
   model applied to Shaoxing itself (its own trend and loading on the national factor).
4. **Scores**, over the forecast years that have a published value: the GDP MAPE of the
   median, the coverage of the 90% band, the mean absolute error of the median rank, and the
   Brier score of P(rank <= 30); and for the 30th-place GDP (the competitors' forecast, the
   same for every method), its MAPE, band coverage and last-year error.

Realised values: Shaoxing's GDP from the ranking panel (2022 is unpublished: left out); the
realised rank and the 30th-city GDP in national years from the panel itself, in partial
years (2022-2024) from :func:`growthpole.ranking.complete_partial_years` (the published
figures plus model draws of the missing cities), stated as such. The model's GDP is on the
pre-census basis of its calibration data; published figures of years on the 5th-census
basis are brought to it with the census revision (a measurement conversion, not a forecast
input).
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from growthpole import seeds as seeds_module
from growthpole.data import CENSUS_5_YEAR, census_5_revision
from growthpole.errors import ScenarioError
from growthpole.outcomes import TOP
from growthpole.regions import SHAOXING_CITY_CODE

if TYPE_CHECKING:
    from growthpole.calibration.spec import CalibrationSpec
    from growthpole.experiments.base import Executor

#: first year of every calibration window
WINDOW_START = 2005
#: the rank the headline is about
#: central band of the forecasts
BAND = (0.05, 0.95)
METHODS = ("abm", "random_walk_drift", "ar1_growth", "factor_model")
METHOD_TITLES = {
    "abm": "agent-based model",
    "random_walk_drift": "random walk with drift",
    "ar1_growth": "AR(1) in growth",
    "factor_model": "competitor factor model (Shaoxing)",
}


@dataclass
class BacktestResult:
    """Forecasts (one row per method and year) and scores (one row per method)."""

    origin: int
    to: int
    conditional: bool
    forecasts: pd.DataFrame
    scores: pd.DataFrame
    parameters: dict[str, float] = field(default_factory=dict)
    #: the 30th-place GDP forecast by year (model basis) and its realised value
    threshold: pd.DataFrame = field(default_factory=pd.DataFrame)
    threshold_scores: dict[str, float] = field(default_factory=dict)

    def to_json(self) -> dict[str, object]:
        """JSON-ready dict (missing values as null)."""

        def records(frame: pd.DataFrame) -> list[dict[str, object]]:
            return frame.astype(object).where(frame.notna(), None).to_dict(orient="records")

        return {
            "origin": self.origin,
            "to": self.to,
            "conditional": self.conditional,
            "parameters": self.parameters,
            "forecasts": records(self.forecasts),
            "scores": records(self.scores),
            "threshold": records(self.threshold),
            "threshold_scores": self.threshold_scores,
        }


def realised_series(to: int) -> pd.DataFrame:
    """Shaoxing's published GDP, rank and the 30th-city GDP by year (<= ``to``), with the
    GDP on the pre-census basis (column ``gdp_model_basis``) for comparison with the model."""
    from growthpole.panel import historical_rank, national_years, ranking_panel
    from growthpole.ranking import complete_partial_years

    panel = ranking_panel()
    national = national_years(panel)
    own = panel[panel.city_code == SHAOXING_CITY_CODE].set_index("year")
    ranks = historical_rank(panel[panel.year.isin(national)], SHAOXING_CITY_CODE)
    ranks = ranks.set_index("year")["rank"]
    thirtieth = {
        int(y): float(np.sort(b.gdp_100m_cny.to_numpy())[::-1][TOP - 1])
        for y, b in panel[panel.year.isin(national)].groupby("year")
    }
    partial = [y for y in range(max(national) + 1, to + 1)]
    completed = complete_partial_years(panel, partial).set_index("year")
    revision = census_5_revision()[0]
    rows = []
    for year in range(WINDOW_START, to + 1):
        gdp = float(own.gdp_100m_cny.get(year, np.nan))
        basis = bool(own.census_5_basis.get(year, year > CENSUS_5_YEAR))
        rank = float(ranks.get(year, completed.rank_median.get(year, np.nan)))
        third = thirtieth.get(year, float(completed.thirtieth_median.get(year, np.nan)))
        shift = np.exp(-revision) if basis else 1.0
        rows.append(
            (
                year,
                gdp,
                gdp * shift,
                rank,
                third * shift,
                "panel" if year in national else "completed",
            )
        )
    return pd.DataFrame(
        rows,
        columns=["year", "gdp", "gdp_model_basis", "rank", "thirtieth_model_basis", "rank_source"],
    )


def _calibrate(
    origin: int, spec_path: Path, budget: int, executor: Executor | None
) -> tuple[dict[str, float], CalibrationSpec]:
    from growthpole.calibration import calibrate
    from growthpole.calibration.spec import load_spec

    spec = load_spec(spec_path, window=f"{WINDOW_START}:{origin}", budget=budget)
    # the point estimate only: the report's diagnostics (profiles, bootstrap) are not scored
    spec = spec.with_changes(diagnostics={"profile_points": 0, "bootstrap_resamples": 0})
    with tempfile.TemporaryDirectory() as scratch:
        summary = calibrate(
            spec, Path(scratch) / "calibrated.yaml", executor=executor, write=False, overwrite=True
        )
    return {**dict(spec.fixed), **summary["values"]}, spec


def _benchmark_paths(
    history: pd.Series,
    origin: int,
    years: Sequence[int],
    seeds: Sequence[np.random.SeedSequence],
    national: np.ndarray,
    loading: tuple[float, float, float] | None,
    factor_history: pd.Series,
) -> dict[str, np.ndarray]:
    """(R, len(years)) GDP draws of the three benchmarks, from Shaoxing's published log
    GDP up to ``origin`` (window WINDOW_START-1 .. origin)."""
    from growthpole.ranking import estimate_ar1, estimate_city

    log_gdp = np.log(
        history[(history.index >= WINDOW_START - 1) & (history.index <= origin)].sort_index()
    )
    growth = np.diff(log_gdp.to_numpy())
    horizon = np.arange(1, len(years) + 1)
    rng = [seeds_module.generator(s, seeds_module.COMPETITORS, 7) for s in seeds]
    shocks = np.stack([g.standard_normal((4, len(years))) for g in rng])  # (R, 4, H)
    start = float(log_gdp.iloc[-1])
    out: dict[str, np.ndarray] = {}
    # random walk with drift: y_{T+h} = y_T + h d + sd * cumulative shocks
    drift, sd = float(growth.mean()), float(growth.std(ddof=1))
    out["random_walk_drift"] = np.exp(
        start + drift * horizon + sd * np.cumsum(shocks[:, 0], axis=1)
    )
    # AR(1) in growth
    constant, phi, innovation = estimate_ar1(growth, intercept=True)
    g = np.full(len(seeds), growth[-1])
    level = np.full(len(seeds), start)
    path = np.empty((len(seeds), len(years)))
    for h in range(len(years)):
        g = constant + phi * g + innovation * shocks[:, 1, h]
        level = level + g
        path[:, h] = level
    out["ar1_growth"] = np.exp(path)
    # the competitor factor model applied to Shaoxing: g = alpha + beta f + u, with the
    # factor on the national path when the model has a national loading
    factor = factor_history.reindex(log_gdp.index[1:]).to_numpy(dtype=float)
    alpha, beta, rho, sigma = estimate_city(growth, factor)
    level = np.full(len(seeds), start)
    deviation = np.zeros(len(seeds))
    for h in range(len(years)):
        if loading is not None:
            a, b, loading_sd = loading
            f = a + b * national[:, h] + loading_sd * shocks[:, 2, h]
        else:
            f = np.full(len(seeds), np.nanmean(factor[-5:]))
        deviation = rho * deviation + sigma * shocks[:, 3, h]
        level = level + alpha + beta * f + deviation
        path[:, h] = level
    out["factor_model"] = np.exp(path)
    return out


def backtest(
    origin: int,
    *,
    to: int = 2024,
    conditional: bool = False,
    budget: int = 150,
    replications: int = 20,
    seed: int = 20100101,
    executor: Executor | None = None,
    spec_path: str | Path = Path("scenarios") / "calibration" / "history.yaml",
    parameters: dict[str, float] | None = None,
) -> BacktestResult:
    """Calibrate on 2005:``origin``, forecast ``origin``+1 .. ``to``, score (module docs).

    ``executor``: runs the calibration's simulations (the shared executor,
    :func:`~growthpole.experiments.execute.make_executor`; None: serial, in this process).
    ``parameters``: skip the calibration and forecast with these (tests)."""
    from growthpole.national import national_path
    from growthpole.panel import ranking_panel
    from growthpole.parameters import make_parameters
    from growthpole.ranking import attach_national_rank, fit_competitor_model, rank_among
    from growthpole.runner import simulate
    from growthpole.scenario import build_scenario

    if not WINDOW_START + 3 <= origin < to:
        raise ScenarioError(
            f"--origin must lie in [{WINDOW_START + 3}, {to - 1}] (the window "
            f"starts in {WINDOW_START}), got {origin}",
            key="--origin",
        )
    if to > 2024:
        raise ScenarioError(f"--to must be <= 2024 (the last published year), got {to}", key="--to")
    spec: CalibrationSpec | None = None
    if parameters is None:
        parameters, spec = _calibrate(origin, Path(spec_path), budget, executor)
    params = make_parameters(parameters)
    scale = (
        spec.scale.model_dump()
        if spec is not None
        else {"people_per_agent": 2000, "workers_per_firm_agent": 10}
    )
    scenario = build_scenario(
        {
            "name": f"backtest-{origin}",
            "start_year": origin,
            "end_year": to,
            "replications": replications,
            "seed": seed,
            "scale": scale,
            "levers": {},
            "information_year": origin,
            "condition_on_national_path": conditional,
        }
    )
    seeds = seeds_module.replication_seeds(seed, replications)
    frames = [
        simulate(scenario, seeds[r], replication=r, parameters=params) for r in range(replications)
    ]
    city_year = pd.concat(frames, ignore_index=True)
    panel = ranking_panel()
    known = panel[panel.year <= origin]
    competitors = fit_competitor_model(known, fit_last_year=origin)
    national_year = None if conditional else origin
    ranked = attach_national_rank(
        city_year,
        seeds,
        origin,
        use_history=False,
        national_information_year=national_year,
        model=competitors,
    )
    years = list(range(origin + 1, to + 1))
    shaoxing = ranked[ranked.region == "shaoxing"]
    gdp = shaoxing.pivot_table(index="replication", columns="year", values="gdp")[years]
    rank = shaoxing.pivot_table(index="replication", columns="year", values="national_rank")[years]
    # the competitors of the same replications, for the benchmarks' ranks
    generators = [seeds_module.generator(s, seeds_module.COMPETITORS) for s in seeds]
    span = list(range(int(competitors.history_years[0]) + 1, to + 1))
    nominal = np.stack(
        [national_path(s, span, information_year=national_year).sum(axis=1) for s in seeds]
    )
    national = {y: nominal[:, k] for k, y in enumerate(span)}
    from growthpole.ranking import simulate_competitors

    rivals = simulate_competitors(
        competitors, years, generators, history_until=origin, national=national
    )
    corridor_rows = ranked[ranked.region.isin(["hangzhou", "ningbo", "shanghai"])]
    corridor = np.stack(
        [
            corridor_rows[corridor_rows.region == r]
            .pivot_table(index="replication", columns="year", values="gdp")[years]
            .to_numpy()
            for r in ("hangzhou", "ningbo", "shanghai")
        ],
        axis=2,
    )
    # every city on the published basis of its year (post-census from 2023/2024 on), as
    # attach_national_rank does for the model's corridor
    shift = np.exp(competitors.basis_shift(years))  # (Y,)
    rivals = np.concatenate([rivals, corridor * shift[None, :, None]], axis=2)
    # the 30th-place GDP: the 30th largest of everyone but Shaoxing (Shaoxing below 30th
    # in every realised year), back on the model's basis for comparison with realised_series
    ordered = -np.sort(-np.where(np.isfinite(rivals), rivals, -np.inf), axis=2)
    thirtieth = ordered[:, :, TOP - 1] / shift[None, :]
    history = panel[panel.city_code == SHAOXING_CITY_CODE].set_index("year").gdp_100m_cny
    factor = pd.Series(competitors.factor, index=competitors.history_years)
    benchmark = _benchmark_paths(
        history,
        origin,
        years,
        seeds,
        nominal[:, [span.index(y) for y in years]],
        competitors.national_loading,
        factor,
    )
    draws = {"abm": gdp.to_numpy(dtype=float), **benchmark}
    realised = realised_series(to).set_index("year")
    rows = []
    for method, values in draws.items():
        ranks = (
            rank.to_numpy(dtype=float)
            if method == "abm"
            else rank_among(values * shift[None, :], rivals).astype(float)
        )
        for k, year in enumerate(years):
            low, mid, high = np.quantile(values[:, k], [BAND[0], 0.5, BAND[1]])
            rank_low, rank_mid, rank_high = np.quantile(ranks[:, k], [BAND[0], 0.5, BAND[1]])
            rows.append(
                {
                    "method": method,
                    "year": year,
                    "gdp_median": mid,
                    "gdp_p05": low,
                    "gdp_p95": high,
                    "gdp_realised": realised.gdp_model_basis[year],
                    "rank_median": rank_mid,
                    "rank_p05": rank_low,
                    "rank_p95": rank_high,
                    "rank_realised": realised["rank"][year],
                    "p_top30": float(np.mean(ranks[:, k] <= TOP)),
                    "rank_source": realised.rank_source[year],
                }
            )
    forecasts = pd.DataFrame(rows)
    low, mid, high = np.quantile(thirtieth, [BAND[0], 0.5, BAND[1]], axis=0)
    threshold = pd.DataFrame(
        {
            "year": years,
            "thirtieth_median": mid,
            "thirtieth_p05": low,
            "thirtieth_p95": high,
            "thirtieth_realised": [realised.thirtieth_model_basis[y] for y in years],
            "rank_source": [realised.rank_source[y] for y in years],
        }
    )
    return BacktestResult(
        origin,
        to,
        conditional,
        forecasts,
        score(forecasts),
        {k: float(v) for k, v in parameters.items()},
        threshold,
        score_threshold(threshold),
    )


def score_threshold(threshold: pd.DataFrame) -> dict[str, float]:
    """The 30th-place GDP forecast: MAPE of the median, coverage of the 90% band, and the
    error of the median in the last year (the issue's target: 2024 from data <= 2021
    within 5%), over the years with a realised value."""
    known = threshold.dropna(subset=["thirtieth_realised"])
    if known.empty:
        return {"mape": float("nan"), "coverage_90": float("nan"), "last_year_error": float("nan")}
    error = known.thirtieth_median / known.thirtieth_realised - 1.0
    inside = (known.thirtieth_realised >= known.thirtieth_p05) & (
        known.thirtieth_realised <= known.thirtieth_p95
    )
    return {
        "mape": float(np.abs(error).mean()),
        "coverage_90": float(inside.mean()),
        "last_year": int(known.year.iloc[-1]),
        "last_year_error": float(error.iloc[-1]),
    }


def score(forecasts: pd.DataFrame) -> pd.DataFrame:
    """Per method: MAPE of the median GDP, coverage of the 90% GDP band, mean absolute
    error of the median rank, Brier score of P(top 30), over the years with a published
    value (GDP) or a realised rank."""
    rows = []
    for method, block in forecasts.groupby("method", sort=False):
        gdp = block.dropna(subset=["gdp_realised"])
        ranked = block.dropna(subset=["rank_realised"])
        error = np.abs(gdp.gdp_median / gdp.gdp_realised - 1.0)
        inside = (gdp.gdp_realised >= gdp.gdp_p05) & (gdp.gdp_realised <= gdp.gdp_p95)
        outcome = (ranked.rank_realised <= TOP).astype(float)
        rows.append(
            {
                "method": method,
                "gdp_mape": float(error.mean()),
                "gdp_coverage_90": float(inside.mean()),
                "rank_mae": float(np.abs(ranked.rank_median - ranked.rank_realised).mean()),
                "brier_top30": float(((ranked.p_top30 - outcome) ** 2).mean()),
                "gdp_years": len(gdp),
                "rank_years": len(ranked),
            }
        )
    return pd.DataFrame(rows)
