"""The non-modelled part of GDP comes from data (issue 15, item 3; docs/model.md §5.4): its
base-year share is the published primary share, its growth the trend of that share plus the
city's growth over the nation's. Reduction tests against hand computations on the rows of
data/corridor_indicators.csv, the base-year identity in a model run, and the error a gap
gives."""

from __future__ import annotations

import shutil

import numpy as np
import pandas as pd
import pytest

from growthpole import data as data_module
from growthpole.inputs import NONMODELLED_TREND_YEARS, estimate_nonmodelled_component
from growthpole.model import GrowthPoleModel
from growthpole.national import national_history
from growthpole.regions import REGION_INDEX, SHAOXING_REGIONS

from .conftest import ROOT, tiny_scenario

SHAOXING = 330600


def _rows(indicator: str, code: int, first: int, last: int) -> pd.DataFrame:
    table = pd.read_csv(ROOT / "data" / "corridor_indicators.csv")
    rows = table[
        (table.city_code == code)
        & (table.indicator == indicator)
        & (table.year >= first)
        & (table.year <= last)
    ]
    return rows.sort_values("year")


@pytest.mark.parametrize("information_year", [2014, 2019])
def test_the_trend_is_the_share_slope_plus_the_relative_growth_by_hand(information_year):
    """ln(1 + ĝ_ω) = slope of ln(share) on year (numpy.polyfit) + mean of ln(1 + g_city)
    - g_nation over the 15 years ending at the information date, for Shaoxing."""
    component = estimate_nonmodelled_component(2005, information_year)
    first = information_year - NONMODELLED_TREND_YEARS + 1
    shares = _rows("primary_share_pct", SHAOXING, first, information_year)
    assert shares.year.max() == information_year  # Shaoxing publishes a share every such year
    slope = np.polyfit(shares.year.to_numpy(float), np.log(shares.value.to_numpy() / 100), 1)[0]
    nation = national_history(information_year)
    by_year = dict(zip(nation.years.tolist(), nation.real.tolist(), strict=True))
    growth = _rows("real_gdp_growth_pct", SHAOXING, first, information_year)
    growth = growth[growth.year.isin(list(by_year))]
    relative = np.log1p(growth.value.to_numpy() / 100) - [by_year[y] for y in growth.year]
    expected = np.expm1(slope + relative.mean())
    for region in SHAOXING_REGIONS:
        assert component.growth[REGION_INDEX[region]] == pytest.approx(expected, rel=1e-12)
    assert component.window == (first, information_year)
    share_2005 = _rows("primary_share_pct", SHAOXING, 2005, 2005).value.iloc[0] / 100
    assert component.share[REGION_INDEX["keqiao"]] == pytest.approx(share_2005, rel=1e-15)


def test_the_standard_error_combines_the_slope_and_the_mean(monkeypatch):
    """se = sqrt(se_slope² + (sd/√n)²): the OLS slope's standard error from numpy.polyfit's
    covariance (scaled by the residual variance, n - 2 degrees of freedom)."""
    component = estimate_nonmodelled_component(2005, 2019)
    shares = _rows("primary_share_pct", SHAOXING, 2005, 2019)
    x, y = shares.year.to_numpy(float), np.log(shares.value.to_numpy() / 100)
    _coefficients, covariance = np.polyfit(x, y, 1, cov="unscaled")
    residuals = y - np.polyval(np.polyfit(x, y, 1), x)
    slope_se = np.sqrt(covariance[0, 0] * residuals @ residuals / (len(x) - 2))
    nation = national_history(2019)
    by_year = dict(zip(nation.years.tolist(), nation.real.tolist(), strict=True))
    growth = _rows("real_gdp_growth_pct", SHAOXING, 2005, 2019)
    relative = np.log1p(growth.value.to_numpy() / 100) - [by_year[y] for y in growth.year]
    expected = np.hypot(slope_se, relative.std(ddof=1) / np.sqrt(len(relative)))
    assert component.growth_standard_error[0] == pytest.approx(expected, rel=1e-10)


def test_the_base_year_splits_gdp_into_the_primary_share_and_the_firm_sector(seed_sequence):
    """Z_r(t0) = ω_c GDP_r(t0) and firm value added = (1 - ω_c) GDP_r(t0), so the base-year
    non-modelled share of real GDP is the published primary share (Shaoxing 2019: 3.6%)."""
    scenario = tiny_scenario()
    model = GrowthPoleModel(scenario, seed_sequence)
    frame = model.run()
    first = frame[frame.year == scenario.start_year].set_index("region")
    component = estimate_nonmodelled_component(scenario.start_year, scenario.information_year)
    for region in ("keqiao", "zhuji", "hangzhou", "shanghai"):
        share = first.nonmodelled_gdp[region] / first.gdp_real[region]
        assert share == pytest.approx(component.share[REGION_INDEX[region]], rel=1e-9)
    assert component.share[REGION_INDEX["yuecheng"]] == pytest.approx(0.036)


def test_a_city_without_primary_shares_is_a_data_error(tmp_path, monkeypatch):
    directory = tmp_path / "data"
    shutil.copytree(ROOT / "data", directory, ignore=shutil.ignore_patterns("imported"))
    table = pd.read_csv(directory / "corridor_indicators.csv", dtype=str, keep_default_na=False)
    drop = (table.city_code == "330100") & (table.indicator == "primary_share_pct")
    table[~drop].to_csv(directory / "corridor_indicators.csv", index=False)
    monkeypatch.setenv("GROWTHPOLE_DATA_DIR", str(directory))
    with pytest.raises(data_module.DataError, match="primary_share_pct for city 330100"):
        estimate_nonmodelled_component(2019, 2019)


def test_too_few_years_of_growth_for_the_trend_is_a_data_error(tmp_path, monkeypatch):
    directory = tmp_path / "data"
    shutil.copytree(ROOT / "data", directory, ignore=shutil.ignore_patterns("imported"))
    table = pd.read_csv(directory / "corridor_indicators.csv", dtype=str, keep_default_na=False)
    growth = (table.city_code == "330600") & (table.indicator == "real_gdp_growth_pct")
    keep = ~growth | table.year.isin(["2018", "2019"])
    table[keep].to_csv(directory / "corridor_indicators.csv", index=False)
    monkeypatch.setenv("GROWTHPOLE_DATA_DIR", str(directory))
    with pytest.raises(data_module.DataError, match="2 years of real_gdp_growth_pct"):
        estimate_nonmodelled_component(2019, 2019)
