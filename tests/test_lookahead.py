"""No look-ahead: a run or calibration whose information date is year T reads only data of
years <= T (issue 16). The test corrupts every published row of a year after T and checks
that what the loaders return for an information date T is unchanged; a loader that reads a
later year makes it fail."""

from __future__ import annotations

import shutil

import numpy as np
import pandas as pd
import pytest

from growthpole import data as data_module
from growthpole.calibration.moments import MomentSet
from growthpole.calibration.spec import Target
from growthpole.inputs import data_inputs, nonmodelled_component

from .conftest import ROOT

#: files with a year column and the numeric column to corrupt
YEARLY_FILES = {
    "city_gdp.csv": "gdp_100m_cny",
    "corridor_indicators.csv": "value",
    "county_gdp.csv": "value",
    "travel_times.csv": "minutes",
}


def _copy_with_future_corrupted(tmp_path, information_year: int):
    directory = tmp_path / f"data-{information_year}"
    shutil.copytree(ROOT / "data", directory, ignore=shutil.ignore_patterns("imported"))
    for name, column in YEARLY_FILES.items():
        frame = pd.read_csv(directory / name, dtype=str, keep_default_na=False)
        years = pd.to_numeric(frame.year, errors="coerce")
        later = (years > information_year).to_numpy(dtype=bool)
        values = pd.to_numeric(frame[column])
        # halve travel times, multiply everything else by 3: any read of them shows
        factor = 0.5 if name == "travel_times.csv" else 3.0
        frame.loc[later, column] = (values[later] * factor).map(repr)
        frame.to_csv(directory / name, index=False)
    return directory


def _inputs(start_year: int, information_year: int):
    base, hours, rd, platforms, schedule = data_inputs(start_year, information_year)
    targets = [
        Target(kind=kind, city=city)
        for kind in ("gdp", "real_growth", "population")
        for city in ("shaoxing", "hangzhou")
    ]
    moments = MomentSet.build(targets, start_year, information_year)
    nonmodelled = nonmodelled_component(start_year, information_year)
    return (
        nonmodelled.share,
        nonmodelled.growth,
        nonmodelled.growth_standard_error,
        base.gdp,
        base.population,
        hours,
        rd,
        [sorted(p.items()) for p in platforms],
        [(y, m) for y, m in schedule],
        moments.observed,
    )


def _assert_same(first, second):
    for a, b in zip(first, second, strict=True):
        if isinstance(a, np.ndarray):
            np.testing.assert_array_equal(a, b)
        else:
            assert len(a) == len(b)
            for x, y in zip(a, b, strict=True):
                if isinstance(x, tuple) and isinstance(x[1], np.ndarray):
                    assert x[0] == y[0]
                    np.testing.assert_array_equal(x[1], y[1])
                else:
                    assert x == y


@pytest.mark.slow
@pytest.mark.parametrize(
    "start_year, information_year", [(2005, 2010), (2005, 2014), (2010, 2016), (2005, 2019)]
)
def test_loaders_read_nothing_published_after_the_information_date(
    tmp_path, monkeypatch, start_year, information_year
):
    clean = _inputs(start_year, information_year)
    monkeypatch.setenv(
        "GROWTHPOLE_DATA_DIR", str(_copy_with_future_corrupted(tmp_path, information_year))
    )
    _assert_same(clean, _inputs(start_year, information_year))


def test_the_corruption_is_seen_without_an_information_date(tmp_path, monkeypatch):
    """The check can fail: with no information date the 2005 start reads the 2024 county
    shares, so corrupting years after 2019 changes the base year."""
    clean = data_inputs(2005)[0].gdp
    monkeypatch.setenv("GROWTHPOLE_DATA_DIR", str(_copy_with_future_corrupted(tmp_path, 2019)))
    assert not np.array_equal(clean, data_inputs(2005)[0].gdp)


def test_a_start_after_the_information_date_is_refused():
    with pytest.raises(data_module.DataError, match="information date"):
        data_module.base_year(2019, information_year=2014)
