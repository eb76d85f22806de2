"""Panel import (tidy and CSMAR formats), the one-source-per-year ranking panel, and
`growthpole data check` against the reference panel in ../shared/reference-data.

Tests on the reference read it where it lies (never copied into the project) and skip with
a reason when it is absent.
"""

from __future__ import annotations

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

from .conftest import REFERENCE_PANEL, ROOT

REFERENCE_RANKS = REFERENCE_PANEL.parent / "csmar_city_gdp_top60_rank_by_year.csv"
needs_reference = pytest.mark.skipif(
    not REFERENCE_PANEL.is_file(),
    reason=f"reference panel not present at {REFERENCE_PANEL} (../shared/reference-data)")
needs_import = pytest.mark.skipif(
    not data_module.imported_panel_path().is_file(),
    reason="no national panel imported (run `growthpole data import "
           "../shared/reference-data/csmar_city_gdp_1990_2021.csv`; `make test` does it)")

CSMAR_HEADER = ('"Sgnyea","Ctnm_en","Ctnm_id","Cttyp_en","Prvcnm_id","Prvcnm_en","Gdpct01",'
                '"Gdpct02"\n')


def cli(*args, env=None):
    return subprocess.run([sys.executable, "-m", "growthpole", *map(str, args)],
                          capture_output=True, text=True, cwd=ROOT, timeout=300, env=env)


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
        encoding="utf-8")
    tidy = tmp_path / "tidy.csv"
    tidy.write_text("year,city_en,city_code,gdp_100m_cny\n2002,Shaoxing(city),330600,928.15\n"
                    "2002,Hangzhou(city),330100,1781.83\n", encoding="utf-8")
    from_csmar = load_panel(csmar)
    from_tidy = load_panel(tidy)
    assert len(from_csmar) == 2  # the empty and the zero GDP are gaps, not values
    assert from_csmar.city.tolist() == ["Shaoxing(city)", "Hangzhou(city)"]
    pd.testing.assert_frame_equal(
        from_csmar[["city_code", "year", "gdp_100m_cny"]].reset_index(drop=True),
        from_tidy[["city_code", "year", "gdp_100m_cny"]].reset_index(drop=True))


def test_a_panel_without_gdp_names_the_accepted_columns(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("year,city_code,value\n2002,330600,928.15\n", encoding="utf-8")
    with pytest.raises(DataError, match="Gdpct01") as info:
        read_panel(path)
    assert str(path) in str(info.value)


def test_a_bad_value_names_file_row_and_column(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("year,city_code,gdp_100m_cny\n2002,330600,928.15\n2003,33060,1.0\n",
                    encoding="utf-8")
    with pytest.raises(DataError, match=r"row 3.*outside") as info:
        load_panel(path)
    assert "city_code" in str(info.value)


@needs_reference
def test_the_reference_in_csmar_names_imports_identically(tmp_path):
    """The reference file renamed back to CSMAR's own CRE_Gdpct columns reads the same."""
    tidy = pd.read_csv(REFERENCE_PANEL, dtype=str, keep_default_na=False)
    csmar = tidy.rename(columns={"year": "Sgnyea", "city_en": "Ctnm_en", "city_code": "Ctnm_id",
                                 "gdp_100m_cny": "Gdpct01"})
    path = tmp_path / "CRE_Gdpct.csv"
    csmar.to_csv(path, index=False)
    a, b = load_panel(REFERENCE_PANEL), load_panel(path)
    assert len(a) > 9000
    pd.testing.assert_frame_equal(a[["city_code", "year", "gdp_100m_cny"]],
                                  b[["city_code", "year", "gdp_100m_cny"]])


# ---- the ranking panel --------------------------------------------------------------------

@needs_import
def test_each_year_of_the_ranking_panel_has_one_source():
    panel = ranking_panel()
    origins = panel.groupby("year").origin.nunique()
    assert (origins == 1).all()
    imported_years = set(panel.loc[panel.origin == "imported", "year"])
    project = data_module.load(data_module.CITY_GDP)
    # project rows survive exactly in the years the imported panel does not cover
    kept = project[~project.year.astype(int).isin(imported_years)]
    assert (panel.origin == "project").sum() == len(kept)
    assert set(national_years(panel)) <= imported_years


@needs_reference
@needs_import
def test_shaoxing_rank_2000_2021_equals_the_reference_every_year():
    expected = pd.read_csv(REFERENCE_RANKS)
    expected = expected[(expected.city_code == SHAOXING_CITY_CODE)
                        & expected.year.between(2000, 2021)].set_index("year").national_rank
    ours = historical_rank(ranking_panel(), SHAOXING_CITY_CODE).set_index("year")["rank"]
    years = list(range(2000, 2022))
    assert len(expected) == len(years)
    assert ours.reindex(years).tolist() == expected.reindex(years).tolist()


@needs_reference
@needs_import
def test_agreement_with_the_reference_within_one_percent():
    reference = load_panel(REFERENCE_PANEL)
    active = compare_panels(ranking_panel(), reference)
    assert active.overlapping > 9000
    assert active.share >= 0.95
    # the project's own compilation alone: 85.4% at the time of writing (data/README.md §8,
    # vintage differences); reported by `growthpole data check`, held here above 75%
    own = compare_panels(data_module.load(data_module.CITY_GDP), reference)
    assert own.overlapping >= 50
    assert 0.75 <= own.share < 1.0


def test_compare_panels_counts_by_hand():
    ours = pd.DataFrame({"city_code": [1, 1, 2, 3], "year": [2000, 2001, 2000, 2000],
                         "gdp_100m_cny": [100.0, 101.5, 50.0, 7.0]})
    theirs = pd.DataFrame({"city_code": [1, 1, 2], "year": [2000, 2001, 2000],
                           "gdp_100m_cny": [100.9, 100.0, 50.0]})
    agreement = compare_panels(ours, theirs, tolerance=0.01)
    assert (agreement.overlapping, agreement.within) == (3, 2)
    assert np.isclose(agreement.worst.relative_difference.iloc[0], 0.015)


# ---- the command line ---------------------------------------------------------------------

@needs_reference
@needs_import
def test_data_check_reports_agreement_and_ranks():
    proc = cli("data", "check", "--reference", REFERENCE_PANEL)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "project file data/city_gdp.csv alone" in out
    assert "2021  36 (imported" in out
    assert "equal in 32 of 32 years" in out


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
