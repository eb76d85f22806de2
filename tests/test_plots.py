"""Figures and the run report: what they draw equals what the tables say.

Figures are checked through the numbers they draw (line data, bar heights, arrow
directions) computed by hand from small tables; tests/test_figure_images.py compares key
figures with stored images. Chinese place
names must render with a glyph for every character (no empty boxes), or fall back to English.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
import warnings
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from growthpole import plots
from growthpole.io import write_csv
from growthpole.regions import REGIONS
from growthpole.report import build_report
from growthpole.runner import run_scenario, write_run
from tests.conftest import tiny_scenario
from tests.figure_checks import units_on_numeric_axes as _units_on_numeric_axes


@pytest.fixture(scope="module")
def tiny_run():
    """Two replications of the tiny scenario (shared by the figure tests)."""
    return run_scenario(tiny_scenario(), replications=2)


def _draw(fig) -> list[str]:
    """Render to PNG; return the messages of glyph warnings (missing characters)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig.savefig(io.BytesIO(), format="png")
    return [str(w.message) for w in caught if "missing from font" in str(w.message)]


def _labelled(fig) -> None:
    for ax in fig.axes:
        if not ax.get_visible() or ax.get_label() == "<colorbar>":
            continue
        assert ax.get_xlabel().strip(), f"axes without x label in {fig}"
        assert ax.get_ylabel().strip(), f"axes without y label in {fig}"


# ---- history ------------------------------------------------------------------------------


def test_rank_history_counts_larger_cities_and_skips_thin_years():
    rng = np.random.default_rng(7)
    rows, expected = [], {}
    for year, n_cities in ((2001, 70), (2002, 70), (2003, 12)):
        gdp = rng.uniform(100.0, 1000.0, n_cities)
        own_rank = int(rng.integers(1, n_cities + 1))
        shaoxing_gdp = np.sort(gdp)[::-1][own_rank - 1]  # exactly own_rank - 1 cities larger
        gdp = gdp[gdp != shaoxing_gdp]
        for k, value in enumerate(gdp):
            rows.append((100000 + k, year, value))
        rows.append((330600, year, shaoxing_gdp))
        expected[year] = own_rank
    panel = pd.DataFrame(rows, columns=["city_code", "year", "gdp_100m_cny"])
    history = plots.rank_history(panel)
    assert history.year.tolist() == [2001, 2002]  # 2003 has 12 cities: not a national rank
    assert history["rank"].tolist() == [expected[2001], expected[2002]]
    assert history.n_cities.tolist() == [70, 70]


def test_rank_history_of_the_shipped_panel_matches_the_yearbook_ranks_in_data_readme():
    # data/README.md: Shaoxing's rank in the yearbook cross-section (all ~300 cities), as
    # published in the China City Statistical Yearbook; the shipped top-60 union must give it
    reference = {2000: 28, 2003: 29, 2010: 37, 2015: 36, 2016: 36, 2019: 37, 2021: 36}
    history = plots.rank_history().set_index("year")["rank"]
    for year, rank in reference.items():
        assert int(history[year]) == rank, (year, int(history[year]), rank)


# ---- figures: numbers drawn -----------------------------------------------------------------


def test_gdp_fan_draws_quantiles_and_leaves_gaps_in_history(tiny_run):
    city_year = tiny_run.city_year
    history = pd.DataFrame({"year": [2015, 2016, 2018], "gdp": [100.0, 110.0, 130.0]})
    fig = plots.gdp_fan(city_year, history)
    ax = fig.axes[0]
    lines = {line.get_label(): line for line in ax.get_lines()}
    median = next(v for k, v in lines.items() if k.startswith("simulated median"))
    expected = city_year[city_year.region == "shaoxing"].groupby("year").gdp.median()
    np.testing.assert_allclose(median.get_ydata(), expected.to_numpy(), rtol=1e-12)
    published = next(v for k, v in lines.items() if k.startswith("published"))
    y = np.asarray(published.get_ydata(), dtype=float)
    assert list(published.get_xdata()) == [2015, 2016, 2017, 2018]
    assert np.isnan(y[2]) and y[3] == 130.0  # 2017 unpublished: a gap, not interpolated
    _labelled(fig)


def test_rank_fan_without_rank_says_so_and_with_rank_draws_median(tiny_run):
    history = pd.DataFrame({"year": [2010, 2011], "rank": [37, 36], "n_cities": [300, 300]})
    fig = plots.rank_fan(tiny_run.city_year.drop(columns="national_rank", errors="ignore"), history)
    texts = " ".join(t.get_text() for t in fig.axes[0].texts)
    assert "national_rank" in texts
    city_year = tiny_run.city_year.copy()
    rng = np.random.default_rng(3)
    mask = city_year.region == "shaoxing"
    city_year.loc[mask, "national_rank"] = rng.integers(25, 40, mask.sum())
    fig = plots.rank_fan(city_year, history)
    ax = fig.axes[0]
    assert not any("national_rank" in t.get_text() for t in ax.texts)
    median = next(
        line for line in ax.get_lines() if line.get_label().startswith("simulated median")
    )
    expected = city_year[mask].groupby("year").national_rank.median()
    np.testing.assert_allclose(median.get_ydata(), expected.to_numpy())
    assert ax.yaxis_inverted()  # rank 1 at the top
    assert any(line.get_label().startswith("top-30") for line in ax.get_lines())
    _labelled(fig)


def test_p_top30_is_the_share_of_replications_at_or_above_30(tiny_run):
    city_year = tiny_run.city_year.copy()
    mask = city_year.region == "shaoxing"
    rng = np.random.default_rng(11)
    city_year.loc[mask, "national_rank"] = rng.integers(26, 35, mask.sum())
    summary = pd.DataFrame({"year": [2019, 2020], "p_top30": [0.1, 0.4]})
    no_rank = tiny_run.city_year.drop(columns="national_rank", errors="ignore")
    fig = plots.p_top30_by_year({"a": city_year, "b": summary, "no rank": no_rank})
    lines = fig.axes[0].get_lines()
    assert len(lines) == 2  # the table without a rank is left out
    expected = city_year[mask].groupby("year").national_rank.apply(lambda r: (r <= 30).mean())
    np.testing.assert_allclose(lines[0].get_ydata(), expected.to_numpy())
    np.testing.assert_allclose(lines[1].get_ydata(), [0.1, 0.4])
    _labelled(fig)


def test_sector_shares_sum_to_100_and_match_hand_computation(tiny_run):
    table = plots.sector_share_table(tiny_run.city_year)
    np.testing.assert_allclose(table.sum(axis=1), 100.0, rtol=1e-9)
    rows = tiny_run.city_year.query("region == 'shaoxing' and year == 2022")
    va = [c for c in rows.columns if c.startswith("va_")]
    share = rows.va_services / (rows[va].sum(axis=1) + rows.nonmodelled_gdp) * 100
    assert table.loc[2022, "va_services"] == pytest.approx(share.mean(), rel=1e-9)
    _labelled(plots.sector_shares(tiny_run.city_year))


def test_corridor_map_arrows_point_with_the_net_flow(tiny_run):
    city_year = tiny_run.city_year
    first, last = int(city_year.year.min()) + 1, int(city_year.year.max())
    flows = plots.net_flows(city_year, (first, last))
    rows = city_year[(city_year.region == "keqiao") & city_year.year.between(first, last)]
    by_hand = (
        rows.groupby("replication").migration_in.sum()
        - rows.groupby("replication").migration_out.sum()
    ).mean()
    assert flows.loc["keqiao", "people"] == pytest.approx(by_hand)
    fig = plots.corridor_map(city_year)
    arrows = {
        a.get_gid(): a for ax in fig.axes for a in ax.texts if str(a.get_gid()).startswith("flow:")
    }
    assert arrows, "no flow arrows drawn"
    for gid, arrow in arrows.items():
        _, column, region = gid.split(":")
        direction = np.sign(arrow.xy[1] - arrow.xyann[1])
        assert direction == np.sign(flows.loc[region, column]), gid
    moved = flows[["people", "firms"]].abs().to_numpy() > 0
    assert len(arrows) <= int(moved.sum())
    _labelled(fig)


def test_attribution_waterfall_stacks_contributions():
    rng = np.random.default_rng(5)
    table = pd.DataFrame(
        {"pillar": ["integration", "platforms", "green"], "contribution": rng.normal(0, 0.1, 3)}
    )
    fig = plots.attribution_waterfall(table, value_label="Δ P(top-30) in 2035")
    bars = fig.axes[0].patches
    assert len(bars) == 4
    running = 0.0
    for bar, value in zip(bars[:3], table.contribution, strict=True):
        assert bar.get_y() == pytest.approx(running)
        assert bar.get_height() == pytest.approx(value)
        running += value
    assert bars[3].get_height() == pytest.approx(table.contribution.sum())
    _labelled(fig)
    with pytest.raises(ValueError, match="pillar"):
        plots.attribution_waterfall(pd.DataFrame({"x": [1]}))


def test_calibration_fit_bars_are_relative_deviations():
    table = pd.DataFrame(
        {
            "moment": ["gdp growth", "population"],
            "target": [0.08, 500.0],
            "simulated": [0.06, 550.0],
            "unit": ["1/yr", "万人"],
        }
    )
    fig = plots.calibration_fit(table)
    widths = [bar.get_width() for bar in fig.axes[0].patches]
    np.testing.assert_allclose(widths, [-25.0, 10.0])
    _labelled(fig)
    series = pd.DataFrame(
        {
            "moment": ["gdp"] * 3 + ["pop"] * 3,
            "year": [1, 2, 3] * 2,
            "observed": np.arange(6.0),
            "simulated": np.arange(6.0) + 1,
        }
    )
    _labelled(plots.calibration_fit(series))
    with pytest.raises(ValueError, match="simulated"):
        plots.calibration_fit(pd.DataFrame({"moment": ["a"], "observed": [1.0]}))


def _hindcast_inputs(city_year: pd.DataFrame):
    """A calibration report's hindcast result (growthpole.calibration.report.hindcast) for
    the tiny run, with made-up errors and a three-year rank table."""
    years = sorted(int(y) for y in city_year.year.unique())
    cities = ("shaoxing", "hangzhou")
    result = {
        "last_year": years[-1],
        "replications": 2,
        "cities": {c: {"in_sample_rmspe": 0.05, "out_of_sample_mape": None} for c in cities},
        "national_rank": {
            "available": True,
            "years": [
                {
                    "year": y,
                    "historical": 36,
                    "simulated_median": 30 + k,
                    "simulated_p05": 28 + k,
                    "simulated_p95": 33 + k,
                }
                for k, y in enumerate(years[:3])
            ],
        },
    }
    observed = {c: pd.Series([100.0, 110.0], index=years[:2]) for c in cities}
    return result, observed, (years[0], years[1])


def test_hindcast_draws_each_city_and_the_rank_from_the_report(tiny_run):
    city_year = tiny_run.city_year
    result, observed, window = _hindcast_inputs(city_year)
    fig = plots.hindcast(city_year, result, window=window, observed=observed)
    panels = {ax.get_gid(): ax for ax in fig.axes if ax.get_visible()}
    assert set(panels) == {"hindcast:shaoxing", "hindcast:hangzhou", "hindcast:rank"}
    median = next(
        line
        for line in panels["hindcast:rank"].get_lines()
        if line.get_label() == "simulated median"
    )
    np.testing.assert_allclose(median.get_ydata(), [30, 31, 32])
    gdp = next(
        line
        for line in panels["hindcast:shaoxing"].get_lines()
        if line.get_label() == "simulated median"
    )
    expected = city_year[city_year.region == "shaoxing"].groupby("year").gdp.median()
    np.testing.assert_allclose(gdp.get_ydata(), expected.to_numpy())
    assert "RMSPE in 5.0%" in panels["hindcast:shaoxing"].get_title()
    _units_on_numeric_axes(fig)
    result["national_rank"] = {"available": False}
    fig = plots.hindcast(city_year, result, window=window, observed=observed)
    assert "hindcast:rank" not in {ax.get_gid() for ax in fig.axes if ax.get_visible()}


def test_loss_profiles_draw_the_profile_table():
    profiles = pd.DataFrame(
        {
            "parameter": ["tfp_drift"] * 3 + ["migration_elasticity"] * 3,
            "value": [0.0, 0.01, 0.02, 1.0, 2.0, 3.0],
            "loss": [3.0, 1.0, 2.0, 5.0, 4.0, 6.0],
            "estimate": [0.011] * 3 + [2.1] * 3,
            "unit": ["1/yr"] * 3 + ["-"] * 3,
            "verdict": ["identified"] * 6,
        }
    )
    fig = plots.loss_profiles(profiles)
    first = fig.axes[0]
    loss = next(line for line in first.get_lines() if line.get_label() == "loss")
    np.testing.assert_allclose(loss.get_xdata(), [0.0, 0.01, 0.02])
    np.testing.assert_allclose(loss.get_ydata(), [3.0, 1.0, 2.0])
    estimate = next(line for line in first.get_lines() if line.get_label() == "estimate")
    assert estimate.get_xdata()[0] == pytest.approx(0.011)
    assert "identified" in first.get_title() and "1/yr" in first.get_xlabel()
    # a structural parameter is named by its meaning, with its unit
    assert first.get_xlabel().startswith("tfp drift (g_A)")
    _labelled(fig)
    _units_on_numeric_axes(fig)


# ---- names and fonts ------------------------------------------------------------------------


def test_missing_glyph_check_detects_boxes():
    # negative control: Chinese text with a Latin-only font must raise the glyph warning,
    # otherwise the two tests below could not fail
    with plt.rc_context({"font.family": ["DejaVu Sans"]}):
        fig = plt.figure()
        fig.text(0.5, 0.5, "绍兴市")
        assert _draw(fig)
        plt.close(fig)


@pytest.mark.skipif(
    plots.cjk_font() is None,
    reason="no CJK font installed (Debian: fonts-noto-cjk, `make system-deps`)",
)
def test_chinese_place_names_render_with_a_cjk_font(tiny_run):
    assert plots.place_name("keqiao").startswith("柯桥区")
    for fig in (plots.corridor_map(tiny_run.city_year), plots.gdp_fan(tiny_run.city_year)):
        assert _draw(fig) == []


def test_english_names_when_no_cjk_font(monkeypatch, tiny_run):
    monkeypatch.setattr(plots.theme, "cjk_font", lambda: None)
    assert plots.place_name("keqiao") == "Keqiao"
    assert plots.place_name("shaoxing") == "Shaoxing"
    fig = plots.corridor_map(tiny_run.city_year)
    labels = [t.get_text() for ax in fig.axes for t in ax.texts]
    assert any("Keqiao" in label for label in labels)
    assert all(label.isascii() or "万" in label for label in labels if "\n" in label)
    assert not any(region_zh in " ".join(labels) for region_zh in ("柯桥", "越城", "绍兴"))


# ---- report ---------------------------------------------------------------------------------


def _run_dir(tmp_path: Path, result) -> Path:
    return write_run(result, tmp_path / "run")


@pytest.mark.slow
def test_report_writes_every_figure_it_links(tmp_path, tiny_run, saved_figures):
    run_dir = _run_dir(tmp_path, tiny_run)
    write_csv(
        run_dir / "attribution.csv",
        pd.DataFrame(
            {
                "pillar": ["integration", "platforms"],
                "contribution": [0.1, -0.02],
                "unit": "share of baseline GDP",
            }
        ),
    )
    path = build_report(run_dir)
    html = path.read_text(encoding="utf-8")
    linked = sorted(set(__import__("re").findall(r"src='(figures/[^']+)'", html)))
    written = sorted(f"figures/{p.name}" for p in (run_dir / "figures").glob("*.png"))
    assert linked == written
    assert sorted(f"figures/{name}" for name in saved_figures) == written  # units checked
    assert "figures/attribution.png" in written
    assert ("figures/p_top30.png" in written) == ("national_rank" in tiny_run.city_year)
    for name in written:
        assert (run_dir / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert not list(run_dir.rglob("*.tmp"))
    summary = pd.read_csv(run_dir / "summary.csv")
    last = summary.iloc[-1]
    assert f"{last.gdp_median:,.0f}" in html  # the headline quotes the summary
    assert tiny_run.scenario.content_hash() in html


@pytest.mark.slow
def test_report_attribution_without_a_unit_says_so(tmp_path, tiny_run, saved_figures):
    """A bare attribution table (pillar, contribution) states no unit: the axis says so
    instead of drawing numbers without one (the unit check then fails on it, by design)."""
    run_dir = _run_dir(tmp_path, tiny_run)
    write_csv(
        run_dir / "attribution.csv",
        pd.DataFrame({"pillar": ["integration", "platforms"], "contribution": [0.1, -0.02]}),
    )
    with pytest.raises(AssertionError, match=r"attribution\.csv states no"):
        build_report(run_dir)


@pytest.mark.parametrize("p_top30", [None, [0.0, 0.2, 0.4], [0.1, 0.6, 0.9]])
def test_report_headline_follows_the_summary(p_top30):
    from growthpole.report import headline

    summary = pd.DataFrame(
        {
            "year": [2019, 2020, 2021],
            "gdp_p05": [1.0, 2.0, 3.0],
            "gdp_median": [1.5, 2.5, 3.5],
            "gdp_p95": [2.0, 3.0, 4.0],
        }
    )
    if p_top30 is not None:
        summary = summary.assign(
            p_top30=p_top30, rank_median=[31, 30, 29], rank_p05=[28, 27, 26], rank_p95=[35, 34, 33]
        )
    text = " ".join(headline(summary))
    assert "median 4 亿元" in text and "2021" in text
    if p_top30 is None:
        assert "P(top 30) cannot be reported" in text
    elif max(p_top30) < 0.5:
        assert "stays below 0.5" in text
    else:
        first = summary.year[summary.p_top30 >= 0.5].iloc[0]
        assert f"First year with P(top 30) ≥ 0.5: {first}" in text


@pytest.mark.slow
def test_report_cli_in_process(tmp_path, tiny_run, capsys):
    from growthpole.cli import main

    assert main(["report", str(tmp_path / "nowhere")]) == 2
    error = capsys.readouterr().err.strip().splitlines()
    assert len(error) == 1 and "nowhere" in error[0] and error[0].startswith("growthpole:")
    run_dir = _run_dir(tmp_path, tiny_run)
    manifest = json.loads((run_dir / "manifest.json").read_text())
    (run_dir / "manifest.json").write_text(json.dumps({**manifest, "complete": False}))
    assert main(["report", str(run_dir)]) == 2
    error = capsys.readouterr().err
    assert "complete" in error and "manifest.json" in error
    assert not (run_dir / "report.html").exists()
    (run_dir / "manifest.json").write_text(json.dumps(manifest))
    assert main(["report", str(run_dir)]) == 0
    assert "report.html" in capsys.readouterr().out
    assert (run_dir / "report.html").is_file()


@pytest.mark.slow
def test_report_command_line_entry_point(tmp_path):
    # the installed `python -m growthpole` path (one subprocess): a clear error, status 2
    done = subprocess.run(
        [sys.executable, "-m", "growthpole", "report", str(tmp_path / "x")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1


def test_regions_have_coordinates_for_the_map():
    from growthpole.data import REGIONS_SCHEMA, load

    table = load(REGIONS_SCHEMA).set_index("region_id")
    assert set(REGIONS) <= set(table.index)
    assert table.loc[list(REGIONS), ["latitude", "longitude"]].notna().all().all()


def test_sensitivity_bars_are_the_estimates_largest_on_top():
    rng = np.random.default_rng(9)
    estimates = rng.uniform(0.0, 10.0, 3)
    table = pd.DataFrame(
        {
            "outcome": "gdp:2035",
            "factor": ["a", "b", "c"],
            "index": "mu_star",
            "estimate": estimates,
            "conf_low": estimates - 1,
            "conf_high": estimates + 1,
            "method": "morris",
            "variants": 16,
            "replications": 2,
        }
    )
    fig = plots.sensitivity_indices(table)
    ax = fig.axes[0]
    widths = [bar.get_width() for bar in ax.patches]
    np.testing.assert_allclose(widths, np.sort(estimates))  # drawn bottom (small) to top
    assert [t.get_text() for t in ax.get_yticklabels()] == list(
        np.array(["a", "b", "c"])[np.argsort(estimates)]
    )
    assert plots.gdp_unit() in ax.get_title()
    _labelled(fig)


def test_wilson_interval_matches_scipy_and_covers_the_share():
    from scipy.stats import binomtest

    successes, trials = np.array([0, 3, 10, 20]), np.array([20, 20, 20, 20])
    low, high = plots.wilson_interval(successes, trials)
    for k, n, lo, hi in zip(successes, trials, low, high, strict=True):
        reference = binomtest(int(k), int(n)).proportion_ci(0.95, method="wilson")
        assert (lo, hi) == pytest.approx((reference.low, reference.high), abs=1e-6)
        assert lo <= k / n <= hi


def test_waterfall_from_a_shapley_table_closes_on_the_total_effect():
    rng = np.random.default_rng(2)
    phi = rng.normal(100.0, 50.0, 3)
    shapley = pd.DataFrame(
        {
            "outcome": ["gdp:2030"] * 6,
            "component": [
                "baseline",
                "integration",
                "platforms",
                "green",
                "full_strategy",
                "total_effect",
            ],
            "value": [1000.0, *phi, 1000.0 + phi.sum(), phi.sum()],
            "ci_low": 0.0,
            "ci_high": 500.0,
        }
    )
    fig = plots.attribution_waterfall(shapley)
    bars = fig.axes[0].patches
    np.testing.assert_allclose([b.get_height() for b in bars[:3]], phi)
    assert bars[3].get_height() == pytest.approx(phi.sum())


def test_history_figures_without_readable_data_show_the_simulation(monkeypatch, tmp_path, tiny_run):
    monkeypatch.setenv("GROWTHPOLE_DATA_DIR", str(tmp_path))  # an empty data directory
    fig = plots.gdp_fan(tiny_run.city_year)
    labels = [line.get_label() for line in fig.axes[0].get_lines()]
    assert any(label.startswith("simulated median") for label in labels)
    assert not any(label.startswith("published") for label in labels)
    fig = plots.rank_fan(tiny_run.city_year)
    assert not any(line.get_label().startswith("published") for line in fig.axes[0].get_lines())


# ---- figures an economist would publish (issue 19): units, readable factors, honest axes ----


def _morris_table(conf_width: float = 1.5) -> pd.DataFrame:
    rng = np.random.default_rng(21)
    factors = [
        "innovation.talent_programmes",
        "integration.hangzhou_travel_time_cut",
        "business.tax_fee_cuts",
    ]
    mu = rng.uniform(0.2, 3.0, 3)
    sigma = mu * rng.uniform(0.1, 1.5, 3)
    rows = []
    for factor, m, s in zip(factors, mu, sigma, strict=True):
        rows.append(
            {
                "outcome": "gdp:2035",
                "factor": factor,
                "index": "mu_star",
                "estimate": m,
                "conf_low": m - conf_width,
                "conf_high": m + conf_width,
                "method": "morris",
                "variants": 16,
                "replications": 2,
            }
        )
        rows.append(
            {
                "outcome": "gdp:2035",
                "factor": factor,
                "index": "sigma",
                "estimate": s,
                "conf_low": np.nan,
                "conf_high": np.nan,
                "method": "morris",
                "variants": 16,
                "replications": 2,
            }
        )
    return pd.DataFrame(rows)


@pytest.mark.slow
def test_every_figure_has_units_on_its_numeric_axes(tiny_run):
    city_year = tiny_run.city_year
    waterfall = pd.DataFrame(
        {
            "pillar": ["integration", "platforms", "total"],
            "contribution": [120.0, 80.0, 210.0],
            "outcome": "gdp:2030",
        }
    )
    calibration = pd.DataFrame(
        {
            "moment": ["gdp:shaoxing", "population:shaoxing"],
            "observed": [100.0, 50.0],
            "simulated": [104.0, 47.0],
        }
    )
    figures = [
        plots.gdp_fan(city_year),
        plots.rank_fan(city_year),
        plots.p_top30_by_year({"tiny": city_year}),
        plots.sector_shares(city_year),
        plots.corridor_map(city_year),
        plots.attribution_waterfall(waterfall),
        plots.calibration_fit(calibration),
        plots.sensitivity_indices(_morris_table()),
        plots.morris_mu_sigma(_morris_table()),
    ]
    for fig in figures:
        _units_on_numeric_axes(fig)
        assert _draw(fig) == [], "a character without a glyph (empty box) in the figure"


def test_unit_check_can_fail():
    fig, ax = plt.subplots()
    ax.plot([0, 1], [2, 3])
    ax.set_xlabel("time")
    ax.set_ylabel("output")
    with pytest.raises(AssertionError, match="axis without a unit"):
        _units_on_numeric_axes(fig)
    plt.close(fig)


def test_sensitivity_figure_says_when_an_outcome_is_constant():
    """``growthpole sensitivity`` draws every outcome it analysed: one whose value does not
    change across the variants (index 'none') gets a panel that says so, not an error."""
    table = _morris_table()
    constant = table[table["index"] == "mu_star"].assign(
        outcome="gdp_real:2035", index="none", estimate=np.nan
    )
    fig = plots.sensitivity_indices(pd.concat([table, constant], ignore_index=True))
    titles = [ax.get_title() for ax in fig.axes]
    assert len(titles) == 2 and "real GDP" in titles[1]
    assert any("constant" in t.get_text() for t in fig.axes[1].texts)
    only_constant = plots.sensitivity_indices(constant)
    assert any("constant" in t.get_text() for t in only_constant.axes[0].texts)


def test_sensitivity_titles_are_readable_and_carry_units():
    fig = plots.sensitivity_indices(_morris_table())
    ticks = " ".join(" ".join(t.get_text().split()) for t in fig.axes[0].get_yticklabels())
    assert "innovation.talent_programmes" not in ticks
    assert "thousand-talents" in ticks and "share of the skilled wage" in ticks
    assert "per factor range" in fig.axes[0].get_xlabel()


def test_morris_intervals_stay_in_the_domain_of_mu_star():
    """μ* is a mean of absolute values: an interval drawn below zero would claim the
    impossible. The bootstrap's normal approximation crosses zero here by construction."""
    table = _morris_table(conf_width=5.0)
    assert (table.query("index == 'mu_star'").conf_low < 0).all()  # precondition
    for fig in (plots.sensitivity_indices(table), plots.morris_mu_sigma(table)):
        ax = fig.axes[0]
        lows = [
            segment[:, 0].min()
            for collection in ax.collections
            if hasattr(collection, "get_segments")
            for segment in collection.get_segments()
        ]
        assert lows and min(lows) >= 0.0
        assert ax.get_xlim()[0] >= 0.0
    notes = " ".join(t.get_text() for t in plots.sensitivity_indices(table).texts)
    assert "cut at the index's domain" in notes
    low, high, cut = plots.index_interval(table.query("index == 'mu_star'"), "mu_star")
    assert cut and (low == 0).all() and (high > 0).all()


def test_morris_mu_sigma_places_each_factor_at_its_mu_star_and_sigma():
    table = _morris_table()
    fig = plots.morris_mu_sigma(table)
    ax = fig.axes[0]
    drawn = next(line for line in ax.get_lines() if line.get_marker() == "o")
    mu = table.query("index == 'mu_star'").estimate.to_numpy()
    sigma = table.query("index == 'sigma'").estimate.to_numpy()
    np.testing.assert_allclose(drawn.get_xdata(), mu)
    np.testing.assert_allclose(drawn.get_ydata(), sigma)
    assert "σ" in ax.get_ylabel() and "μ*" in ax.get_xlabel()
    with pytest.raises(ValueError, match="needs 'mu_star' and 'sigma'"):
        plots.morris_mu_sigma(table.query("index == 'mu_star'"))


def test_waterfall_runs_from_zero_even_for_large_contributions():
    # contributions of ~11,000 亿元 each: the axis must still start at zero, not near 11,000
    table = pd.DataFrame(
        {
            "pillar": ["integration", "platforms", "green"],
            "contribution": [11300.0, 11310.0, 11320.0],
            "outcome": "gdp:2030",
        }
    )
    fig = plots.attribution_waterfall(table)
    ax = fig.axes[0]
    assert ax.get_ylim()[0] == 0.0
    assert ax.get_ylim()[1] >= table.contribution.sum()
    assert plots.gdp_unit() in ax.get_ylabel()
    negative = table.assign(contribution=[-50.0, 20.0, 10.0])
    ax = plots.attribution_waterfall(negative, value_label="Δ GDP").axes[0]
    assert ax.get_ylim()[0] < -50.0 and ax.get_ylim()[1] > 0.0
    assert plots.gdp_unit() in ax.get_ylabel()  # the unit is appended to a bare label


def test_corridor_map_draws_the_outline_and_the_inflow_from_outside(tiny_run):
    city_year = tiny_run.city_year
    fig = plots.corridor_map(city_year)
    people = fig.axes[0]
    first, last = int(city_year.year.min()) + 1, int(city_year.year.max())
    inflow = plots.external_inflow(city_year, (first, last))
    rows = city_year[(city_year.region == "shaoxing") & city_year.year.between(first, last)]
    assert inflow["shaoxing"] == pytest.approx(
        rows.groupby("replication").external_inflow.sum().mean()
    )
    arrows = {t.get_gid(): t for t in people.texts if str(t.get_gid()).startswith("inflow:")}
    assert set(arrows) == {f"inflow:people:{r}" for r, v in inflow.items() if v > 0}
    # the largest flow of the panel is the longest arrow: lengths are proportional to values
    lengths = {
        gid.split(":")[2]: np.hypot(*(np.subtract(a.xy, a.xyann))) for gid, a in arrows.items()
    }
    largest = max(lengths, key=lengths.get)
    assert largest == inflow.idxmax()
    from growthpole.data import REGIONS_SCHEMA, load

    coordinates = load(REGIONS_SCHEMA).set_index("region_id")[["latitude", "longitude"]]
    outline = plots.shaoxing_outline(coordinates.astype(float))
    polygons = [p for p in people.patches if p.get_label().startswith("Shaoxing")]
    assert len(polygons) == 1
    np.testing.assert_allclose(polygons[0].get_xy()[: len(outline)], outline)
    texts = [t.get_text() for t in people.texts]
    assert any("rest of China" in t for t in texts)
    # every region's label is joined to its own dot by a leader line
    for region in REGIONS:
        label = next(t for t in people.texts if t.get_text().startswith(plots.place_name(region)))
        assert label.arrow_patch is not None
        np.testing.assert_allclose(
            label.xy, (coordinates.loc[region, "longitude"], coordinates.loc[region, "latitude"])
        )


def test_discovery_chart_draws_every_box_it_lists():
    rng = np.random.default_rng(4)
    table = pd.DataFrame({"a": rng.uniform(0, 1, 60), "b": rng.uniform(0, 1, 60)})
    table["gdp:2030"] = 100 * table.a + 10 * table.b
    table["box"] = np.where(table.a > 0.5, 1, np.where(table.b > 0.5, 2, 3))
    boxes = pd.DataFrame(
        [
            {
                "outcome": "gdp:2030",
                "box": 1,
                "variants": 30,
                "mean": 80.0,
                "density": 0.9,
                "coverage": 0.8,
                "factor": "a",
                "lower": 0.5,
                "upper": 1.0,
            },
            {
                "outcome": "gdp:2030",
                "box": 2,
                "variants": 15,
                "mean": 30.0,
                "density": 0.1,
                "coverage": 0.1,
                "factor": "a",
                "lower": 0.0,
                "upper": 0.5,
            },
            {
                "outcome": "gdp:2030",
                "box": 2,
                "variants": 15,
                "mean": 30.0,
                "density": 0.1,
                "coverage": 0.1,
                "factor": "b",
                "lower": 0.5,
                "upper": 1.0,
            },
            {
                "outcome": "gdp:2030",
                "box": 3,
                "variants": 15,
                "mean": 20.0,
                "density": 0.0,
                "coverage": 0.0,
                "factor": "a",
                "lower": 0.0,
                "upper": 0.5,
            },
            {
                "outcome": "gdp:2030",
                "box": 3,
                "variants": 15,
                "mean": 20.0,
                "density": 0.0,
                "coverage": 0.0,
                "factor": "b",
                "lower": 0.0,
                "upper": 0.5,
            },
        ]
    )
    summary = {
        "outcome": "gdp:2030",
        "threshold": 60.0,
        "direction": ">=",
        "cases": 28,
        "variants": 60,
        "feature_importance": {"a": 0.8, "b": 0.2},
    }
    fig = plots.discovery_boxes(boxes, table, summary)
    drawn = sorted(
        p.get_gid() for ax in fig.axes for p in ax.patches if str(p.get_gid()).startswith("box:")
    )
    assert drawn == ["box:1", "box:2", "box:3"]
    second = next(p for ax in fig.axes for p in ax.patches if p.get_gid() == "box:2")
    assert (
        second.get_x(),
        second.get_y(),
        second.get_width(),
        second.get_height(),
    ) == pytest.approx((0.0, 0.5, 0.5, 0.5))
    _labelled(fig)


def test_prim_trajectory_draws_coverage_against_density():
    trajectory = pd.DataFrame(
        {
            "step": [0, 1, 2],
            "coverage": [1.0, 0.9, 0.6],
            "density": [0.3, 0.5, 0.9],
            "restricted": [0, 1, 2],
        }
    )
    fig = plots.prim_trajectory(trajectory, chosen=2)
    ax = fig.axes[0]
    offsets = ax.collections[0].get_offsets()
    np.testing.assert_allclose(offsets, trajectory[["coverage", "density"]].to_numpy())
    assert "coverage" in ax.get_xlabel() and "density" in ax.get_ylabel()
    _units_on_numeric_axes(fig)


def test_parameter_factors_are_labelled_by_meaning_and_unit():
    """A structural parameter swept as a factor is labelled by its meaning and its unit
    (growthpole.parameters), not by its key; the unit check passes on it and fails on a
    factor the catalogues do not know."""
    table = pd.DataFrame(
        {"rd_return": [0.1, 0.4], "gdp_deflator_inflation": [0.0, 0.02], "gdp:2030": [1.0, 2.0]}
    )
    fig = plots.outcome_by_factor(table, ["rd_return", "gdp_deflator_inflation"], "gdp:2030")
    labels = [" ".join(ax.get_xlabel().split()) for ax in fig.axes if ax.get_visible()]
    assert labels[0].startswith("return of R&D intensity") and "(dimensionless)" in labels[0]
    assert "(unit: 1/yr)" in labels[1]
    assert all(plots.gdp_unit() in ax.get_ylabel() for ax in fig.axes if ax.get_visible())
    _units_on_numeric_axes(fig)
    unknown = plots.outcome_by_factor(
        table.rename(columns={"rd_return": "mystery"}), ["mystery"], "gdp:2030"
    )
    with pytest.raises(AssertionError, match="axis without a unit: 'mystery'"):
        _units_on_numeric_axes(unknown)
    plt.close("all")
