"""Rolling-origin backtests (growthpole.calibration.backtest): the scores by hand, the
forecasts read nothing published after the origin, and the command line."""

from __future__ import annotations

import shutil
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from growthpole.calibration.backtest import backtest, realised_series, score

from .conftest import ROOT

FIXED = {"tfp_drift": -0.035, "entry_rate": 0.07, "exit_rate": 0.07}


def test_scores_by_hand():
    forecasts = pd.DataFrame(
        {
            "method": ["m", "m", "m"],
            "year": [2020, 2021, 2022],
            "gdp_median": [110.0, 90.0, 100.0],
            "gdp_p05": [100.0, 80.0, 90.0],
            "gdp_p95": [120.0, 95.0, 110.0],
            "gdp_realised": [100.0, 100.0, np.nan],
            "rank_median": [30.0, 35.0, 28.0],
            "rank_realised": [32.0, 35.0, 29.0],
            "p_top30": [0.5, 0.0, 1.0],
        }
    )
    row = score(forecasts).iloc[0]
    assert row.gdp_mape == pytest.approx(0.10)  # |110/100-1|, |90/100-1|; 2022 unpublished
    assert row.gdp_coverage_90 == pytest.approx(0.5)  # 100 in [100,120]; 100 not in [80,95]
    assert row.rank_mae == pytest.approx((2 + 0 + 1) / 3)
    assert row.brier_top30 == pytest.approx((0.25 + 0.0 + 0.0) / 3)  # realised top30: no, no, yes
    assert (row.gdp_years, row.rank_years) == (2, 3)


def test_realised_series_is_the_published_record():
    realised = realised_series(2024).set_index("year")
    assert realised.loc[2019, "rank"] == 37 and realised.loc[2021, "rank"] == 36
    assert realised.loc[2019, "rank_source"] == "panel"
    assert np.isnan(realised.loc[2022, "gdp"])  # unpublished: a gap, never filled
    assert realised.loc[2024, "gdp"] == pytest.approx(8368.6)
    # the post-census 2024 figure is brought to the model's pre-census basis
    assert realised.loc[2024, "gdp_model_basis"] < realised.loc[2024, "gdp"]


def _corrupt_after(directory, year):
    for name, column in (
        ("city_gdp.csv", "gdp_100m_cny"),
        ("corridor_indicators.csv", "value"),
        ("county_gdp.csv", "value"),
        ("national_accounts.csv", "value"),
    ):
        frame = pd.read_csv(directory / name, dtype=str, keep_default_na=False)
        later = pd.to_numeric(frame.year).to_numpy() > year
        frame.loc[later, column] = (pd.to_numeric(frame.loc[later, column]) * 1.7).map(repr)
        frame.to_csv(directory / name, index=False)


@pytest.mark.slow
def test_an_unconditional_forecast_reads_nothing_after_its_origin(tmp_path, monkeypatch):
    """Same forecasts (every method) when every figure published after the origin is
    corrupted; only the realised columns change."""
    clean = backtest(2016, to=2019, replications=3, parameters=FIXED).forecasts
    directory = tmp_path / "data"
    shutil.copytree(ROOT / "data", directory, ignore=shutil.ignore_patterns("imported"))
    _corrupt_after(directory, 2016)
    monkeypatch.setenv("GROWTHPOLE_DATA_DIR", str(directory))
    dirty = backtest(2016, to=2019, replications=3, parameters=FIXED).forecasts
    forecast_columns = ["gdp_median", "gdp_p05", "gdp_p95", "rank_median", "p_top30"]
    pd.testing.assert_frame_equal(clean[forecast_columns], dirty[forecast_columns])
    assert not np.allclose(clean.gdp_realised, dirty.gdp_realised)


@pytest.mark.slow
def test_a_conditional_forecast_does_read_the_realised_national_path():
    unconditional = backtest(2016, to=2019, replications=3, parameters=FIXED).forecasts
    conditional = backtest(
        2016, to=2019, replications=3, parameters=FIXED, conditional=True
    ).forecasts
    abm = unconditional.method == "abm"
    assert not np.allclose(unconditional[abm].gdp_median, conditional[abm].gdp_median)


@pytest.mark.slow
def test_backtest_command_rejects_an_origin_outside_the_window():
    proc = subprocess.run(
        [sys.executable, "-m", "growthpole", "backtest", "--origin", "2006"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "--origin" in proc.stderr


def test_thirtieth_place_scores_by_hand():
    from growthpole.calibration.backtest import score_threshold

    threshold = pd.DataFrame(
        {
            "year": [2020, 2021, 2022, 2023],
            "thirtieth_median": [110.0, 95.0, 100.0, 120.0],
            "thirtieth_p05": [100.0, 90.0, 90.0, 101.0],
            "thirtieth_p95": [120.0, 99.0, 110.0, 130.0],
            "thirtieth_realised": [100.0, 100.0, np.nan, 100.0],
        }
    )
    scores = score_threshold(threshold)
    assert scores["mape"] == pytest.approx((0.10 + 0.05 + 0.20) / 3)  # 2022 unrealised
    assert scores["coverage_90"] == pytest.approx(1 / 3)  # 100 in [100,120] only
    assert scores["last_year"] == 2023 and scores["last_year_error"] == pytest.approx(0.20)


@pytest.mark.slow
def test_the_thirtieth_place_forecast_is_shared_by_methods_and_ranks_them_on_one_basis():
    """The 30th-place forecast does not depend on the method, and a benchmark whose GDP
    equals the 30th-place draw of its replication ranks 30th or 31st (its own rank is
    computed on the same published basis as the rivals, post-census years included)."""
    result = backtest(2021, to=2024, replications=4, parameters=FIXED)
    threshold = result.threshold.set_index("year")
    assert list(threshold.index) == [2022, 2023, 2024]
    assert (threshold.thirtieth_p05 <= threshold.thirtieth_median).all()
    assert (threshold.thirtieth_median <= threshold.thirtieth_p95).all()
    # realised 30th place: 2023 and 2024 are completed partial years on the model basis
    assert threshold.rank_source.tolist() == ["completed"] * 3
    assert np.isfinite(result.threshold_scores["last_year_error"])
    # the benchmarks' realised Shaoxing GDP sits below the 30th place in every year, and so
    # does every median forecast of a method ranked above 30
    forecasts = result.forecasts.merge(result.threshold[["year", "thirtieth_median"]], on="year")
    below = forecasts[forecasts.gdp_p95 < 0.97 * forecasts.thirtieth_median]
    assert len(below) and (below.rank_median > 30).all()


def test_backtest_figure_draws_every_origin_and_the_published_values():
    from growthpole.plots import backtest_fans

    payload = backtest(2019, to=2021, replications=3, parameters=FIXED).to_json()
    fig = backtest_fans([payload])
    top, bottom = fig.axes[:2]
    medians = {tuple(np.round(line.get_ydata(), 6)) for line in top.get_lines()}
    abm = pd.DataFrame(payload["forecasts"]).query("method == 'abm'")
    assert tuple(np.round(abm.gdp_median.to_numpy(), 6)) in medians
    published = {tuple(np.round(line.get_ydata(), 6)) for line in top.get_lines()}
    assert tuple(np.round(abm.gdp_realised.to_numpy(), 6)) in published  # 2020, 2021
    thresholds = {tuple(np.round(line.get_ydata(), 6)) for line in bottom.get_lines()}
    median = pd.DataFrame(payload["threshold"]).thirtieth_median.to_numpy()
    assert tuple(np.round(median, 6)) in thresholds
    assert "origin 2019" in top.get_title()
