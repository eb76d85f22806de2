"""Panel import (tidy and CSMAR formats), the one-source-per-year ranking panel, and
`growthpole data check` against the reference panel in ../shared/reference-data.

Tests on the reference read it where it lies (never copied into the project) and skip with
a reason when it is absent.
"""

from __future__ import annotations

import re
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from growthpole import data as data_module
from growthpole.errors import DataError
from growthpole.panel import (
    compare_panels,
    historical_rank,
    load_panel,
    national_years,
    ranking_panel,
    read_panel,
)
from growthpole.regions import SHAOXING_CITY_CODE

from .conftest import REFERENCE_PANEL, ROOT, needs_reference

REFERENCE_RANKS = REFERENCE_PANEL.parent / "csmar_city_gdp_top60_rank_by_year.csv"

CSMAR_HEADER = (
    '"Sgnyea","Ctnm_en","Ctnm_id","Cttyp_en","Prvcnm_id","Prvcnm_en","Gdpct01","Gdpct02"\n'
)


def cli(*args, env=None):
    return subprocess.run(
        [sys.executable, "-m", "growthpole", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
        env=env,
    )


# ---- formats ------------------------------------------------------------------------------


def test_csmar_export_and_tidy_format_read_the_same(tmp_path):
    csmar = tmp_path / "CRE_Gdpct.csv"
    csmar.write_text(
        CSMAR_HEADER
        + '"统计年度","城市名称","城市代码","","","","地区生产总值",""\n'  # description row
        + '"2002","Shaoxing(city) ","330600","City","330000","Zhejiang","928.1500",""\n'
        + '"2002","Hangzhou(city)","330100","City","330000","Zhejiang","1781.8300",""\n'
        + '"2002","Chengdu(city)","510100","City","510000","Sichuan","",""\n'  # gap
        + '"2002","Nowhere","520100","City","520000","Guizhou","0.0000",""\n',  # coded 0
        encoding="utf-8",
    )
    tidy = tmp_path / "tidy.csv"
    tidy.write_text(
        "year,city_en,city_code,gdp_100m_cny\n2002,Shaoxing(city),330600,928.15\n"
        "2002,Hangzhou(city),330100,1781.83\n",
        encoding="utf-8",
    )
    from_csmar = load_panel(csmar)
    from_tidy = load_panel(tidy)
    assert len(from_csmar) == 2  # the empty and the zero GDP are gaps, not values
    assert from_csmar.city.tolist() == ["Shaoxing(city)", "Hangzhou(city)"]
    pd.testing.assert_frame_equal(
        from_csmar[["city_code", "year", "gdp_100m_cny"]].reset_index(drop=True),
        from_tidy[["city_code", "year", "gdp_100m_cny"]].reset_index(drop=True),
    )


def test_a_panel_without_gdp_names_the_accepted_columns(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("year,city_code,value\n2002,330600,928.15\n", encoding="utf-8")
    with pytest.raises(DataError, match="Gdpct01") as info:
        read_panel(path)
    assert str(path) in str(info.value)


def test_a_bad_value_names_file_row_and_column(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(
        "year,city_code,gdp_100m_cny\n2002,330600,928.15\n2003,33060,1.0\n", encoding="utf-8"
    )
    with pytest.raises(DataError, match=r"row 3.*outside") as info:
        load_panel(path)
    assert "city_code" in str(info.value)


@needs_reference
def test_the_reference_in_csmar_names_imports_identically(tmp_path):
    """The reference file renamed back to CSMAR's own CRE_Gdpct columns reads the same."""
    tidy = pd.read_csv(REFERENCE_PANEL, dtype=str, keep_default_na=False)
    csmar = tidy.rename(
        columns={
            "year": "Sgnyea",
            "city_en": "Ctnm_en",
            "city_code": "Ctnm_id",
            "gdp_100m_cny": "Gdpct01",
        }
    )
    path = tmp_path / "CRE_Gdpct.csv"
    csmar.to_csv(path, index=False)
    a, b = load_panel(REFERENCE_PANEL), load_panel(path)
    assert len(a) > 9000
    pd.testing.assert_frame_equal(
        a[["city_code", "year", "gdp_100m_cny"]], b[["city_code", "year", "gdp_100m_cny"]]
    )


# ---- the ranking panel --------------------------------------------------------------------


def test_each_year_of_the_ranking_panel_has_one_source_and_one_vintage():
    panel = ranking_panel()
    assert (panel.groupby("year").origin.nunique() == 1).all()
    assert (panel.groupby("year").vintage.nunique() == 1).all()
    assert not panel.duplicated(["city_code", "year"]).any()
    # the shipped panel alone: the yearbook cross-section in every year 2000-2021
    assert set(panel.origin) == {"project"}
    assert national_years(panel) == list(range(2000, 2022))
    assert (panel[panel.year <= 2021].vintage == "yearbook").all()


def test_the_top_60_union_determines_shaoxing_rank_in_every_national_year():
    """Shaoxing's rank is exact when every city above it is in the panel. The panel holds
    the top-60 union; so in each national year Shaoxing must rank <= 60 among >= 60 cities,
    and the top 60 of each year must be made of cities that are in the panel every year
    (no city enters the union from below in the middle of the window)."""
    panel = ranking_panel()
    national = national_years(panel)
    ranks = historical_rank(panel[panel.year.isin(national)], SHAOXING_CITY_CODE)
    assert ranks.year.tolist() == national
    assert (ranks["rank"] <= 60).all() and (ranks.cities >= 60).all()
    assert ranks.set_index("year").loc[2021, "rank"] == 36  # yearbook 2021: 36th
    union = set(panel.city_code)
    for year in national:
        top = panel[panel.year == year].nlargest(60, "gdp_100m_cny").city_code
        assert set(top) <= union


@needs_reference
def test_shaoxing_rank_2000_2021_equals_the_reference_every_year():
    expected = pd.read_csv(REFERENCE_RANKS)
    expected = (
        expected[(expected.city_code == SHAOXING_CITY_CODE) & expected.year.between(2000, 2021)]
        .set_index("year")
        .national_rank
    )
    ours = historical_rank(ranking_panel(), SHAOXING_CITY_CODE).set_index("year")["rank"]
    years = list(range(2000, 2022))
    assert len(expected) == len(years)
    assert ours.reindex(years).tolist() == expected.reindex(years).tolist()
    # and from the full reference cross-section itself (all ~300 cities)
    full = historical_rank(
        load_panel(REFERENCE_PANEL).astype(
            {"city_code": "int64", "year": "int64", "gdp_100m_cny": float}
        ),
        SHAOXING_CITY_CODE,
    )
    assert ours.reindex(years).tolist() == full.set_index("year")["rank"].reindex(years).tolist()


@needs_reference
def test_every_yearbook_row_equals_the_reference_export():
    """The rows data/build_city_panel.py transcribed are the export's values, exactly."""
    reference = load_panel(REFERENCE_PANEL)
    shipped = data_module.load(data_module.CITY_GDP)
    transcribed = shipped[shipped.source.str.startswith("China City Statistical Yearbook")]
    assert len(transcribed) > 1700
    agreement = compare_panels(transcribed, reference, tolerance=1e-12)
    assert agreement.overlapping == len(transcribed)
    assert agreement.within == agreement.overlapping


@pytest.mark.slow
def test_an_imported_panel_replaces_the_shipped_one_year_by_year(tmp_path, monkeypatch):
    import shutil

    from growthpole.panel import import_panel

    directory = tmp_path / "data"
    shutil.copytree(ROOT / "data", directory, ignore=shutil.ignore_patterns("imported"))
    monkeypatch.setenv("GROWTHPOLE_DATA_DIR", str(directory))
    shipped = ranking_panel()
    panel = tmp_path / "panel.csv"
    panel.write_text(
        "year,city_code,gdp_100m_cny\n1999,330600,800.0\n2010,330600,9999.0\n", encoding="utf-8"
    )
    import_panel(panel)
    mixed = ranking_panel()
    assert set(mixed[mixed.year == 2010].origin) == {"imported"}
    assert mixed[mixed.year == 2010].gdp_100m_cny.tolist() == [9999.0]
    assert set(mixed[mixed.year == 1999].origin) == {"imported"}  # extends
    untouched = mixed[~mixed.year.isin([1999, 2010])].reset_index(drop=True)
    expected = shipped[shipped.year != 2010].reset_index(drop=True)
    pd.testing.assert_frame_equal(untouched, expected)
    env = {**__import__("os").environ, "GROWTHPOLE_DATA_DIR": str(directory)}
    proc = cli("data", "check", env=env)
    assert proc.returncode == 0, proc.stderr
    assert "2010: 1 imported cities (0 not shipped)" in proc.stdout
    assert "1 of 1 common values changed" in proc.stdout


@pytest.mark.parametrize(
    "body, message",
    [
        ("year,city_code,gdp_100m_cny\n2002,330600,-5\n", "negative"),
        ("year,city_code,gdp_100m_cny\n", "no (city, year) GDP value"),
    ],
)
def test_a_bad_import_is_refused_and_keeps_the_previous_panel(tmp_path, monkeypatch, body, message):
    from growthpole.panel import import_panel

    directory = tmp_path / "data"
    monkeypatch.setenv("GROWTHPOLE_DATA_DIR", str(directory))
    good = tmp_path / "good.csv"
    good.write_text("year,city_code,gdp_100m_cny\n2002,330600,928.15\n", encoding="utf-8")
    target, _ = import_panel(good)
    before = target.read_bytes()
    bad = tmp_path / "bad.csv"
    bad.write_text(body, encoding="utf-8")
    with pytest.raises(DataError, match=re.escape(message)):
        import_panel(bad, overwrite=True)
    assert target.read_bytes() == before


def test_compare_panels_counts_by_hand():
    ours = pd.DataFrame(
        {
            "city_code": [1, 1, 2, 3],
            "year": [2000, 2001, 2000, 2000],
            "gdp_100m_cny": [100.0, 101.5, 50.0, 7.0],
        }
    )
    theirs = pd.DataFrame(
        {"city_code": [1, 1, 2], "year": [2000, 2001, 2000], "gdp_100m_cny": [100.9, 100.0, 50.0]}
    )
    agreement = compare_panels(ours, theirs, tolerance=0.01)
    assert (agreement.overlapping, agreement.within) == (3, 2)
    assert np.isclose(agreement.worst.relative_difference.iloc[0], 0.015)


# ---- the command line ---------------------------------------------------------------------


@needs_reference
def test_data_check_reports_agreement_and_ranks():
    proc = cli("data", "check", "--reference", REFERENCE_PANEL)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "shipped file data/city_gdp.csv alone" in out
    assert "2021  36 (project" in out
    assert "equal in 22 of 22 years" in out


@pytest.mark.slow
def test_data_check_on_the_shipped_panel_reports_national_and_partial_years():
    proc = cli("data", "check")
    assert proc.returncode == 0, proc.stderr
    assert "national years (complete to rank 60): 2000-2021" in proc.stdout
    assert "2019  37 (project" in proc.stdout
    assert "2024 bulletin-preliminary" in proc.stdout


@pytest.mark.slow
def test_data_check_with_a_missing_reference_is_one_line_exit_2(tmp_path):
    proc = cli("data", "check", "--reference", tmp_path / "missing.csv")
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "missing.csv" in proc.stderr


def test_import_refuses_to_overwrite_without_the_flag(tmp_path, monkeypatch):
    from growthpole.panel import import_panel

    directory = tmp_path / "data"
    monkeypatch.setenv("GROWTHPOLE_DATA_DIR", str(directory))
    panel = tmp_path / "panel.csv"
    panel.write_text("year,city_code,gdp_100m_cny\n2002,330600,928.15\n", encoding="utf-8")
    target, rows = import_panel(panel)
    assert rows == 1 and target == directory / "imported" / "city_gdp_imported.csv"
    with pytest.raises(DataError, match="--overwrite"):
        import_panel(panel)
    panel.write_text("year,city_code,gdp_100m_cny\n2002,330600,930.0\n", encoding="utf-8")
    import_panel(panel, overwrite=True)
    assert load_panel(target).gdp_100m_cny.tolist() == [930.0]
