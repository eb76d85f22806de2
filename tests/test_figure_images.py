"""Image comparison of key figures against stored baselines (tests/baseline_images/).

Each figure is drawn from a fixed synthetic table (no simulation: a change of the model does
not move the picture, only a change of the drawing does), with English place names and
matplotlib's bundled DejaVu fonts (no CJK font, so the picture does not depend on the
machine's fonts), saved as ``growthpole report`` saves it (plots.save_figure), and compared
with matplotlib's own image comparison (RMS of grey levels, 0-255) within
:data:`TOLERANCE`. A changed input must move the picture beyond it, so the comparison can
fail.

A deliberate change of a figure: re-create the baselines with
``GROWTHPOLE_UPDATE_BASELINES=1 python -m pytest tests/test_figure_images.py`` and look at
the new PNGs before committing them.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.testing.compare import compare_images

from growthpole import plots
from growthpole.regions import REGIONS, SHAOXING_REGIONS

BASELINES = Path(__file__).resolve().parent / "baseline_images"
#: RMS difference (0-255 grey levels) within which a rendering equals its baseline. The same
#: matplotlib wheel (which bundles its freetype) renders it at 0.0; shrinking only the external
#: inflow arrows of the corridor map moves it by about 2.3, so 1.0 catches that
TOLERANCE = 1.0
UPDATE = os.environ.get("GROWTHPOLE_UPDATE_BASELINES") == "1"


def synthetic_city_year(inflow_scale: float = 1.0) -> pd.DataFrame:
    """A city-year table of two replications, 2019-2025, for the nine regions and the
    Shaoxing aggregate: the columns the corridor map reads, from a fixed generator."""
    rng = np.random.Generator(np.random.PCG64(19))
    rows = []
    for replication in (0, 1):
        for year in range(2019, 2026):
            for i, region in enumerate((*REGIONS, "shaoxing")):
                pole = region not in SHAOXING_REGIONS and region != "shaoxing"
                rows.append(
                    {
                        "replication": replication,
                        "year": year,
                        "region": region,
                        "gdp": (20000.0 if pole else 900.0 + 80 * i) * 1.05 ** (year - 2019),
                        "migration_in": float(rng.uniform(1.0, 4.0)),
                        "migration_out": float(rng.uniform(1.0, 4.0)),
                        "relocations_in": float(rng.integers(0, 6)),
                        "relocations_out": float(rng.integers(0, 6)),
                        "external_inflow": inflow_scale
                        * float(rng.uniform(20.0, 30.0) if region != "shaoxing" else 0.0),
                    }
                )
    table = pd.DataFrame(rows)
    shaoxing = table.region == "shaoxing"
    units = table[table.region.isin(SHAOXING_REGIONS)].groupby(["replication", "year"])
    inflow = units.external_inflow.sum()
    keys = pd.MultiIndex.from_frame(table.loc[shaoxing, ["replication", "year"]])
    table.loc[shaoxing, "external_inflow"] = inflow.reindex(keys).to_numpy()
    return table


def waterfall_table(contributions=(120.0, 80.0, 210.0)) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "pillar": ["integration", "platforms", "total"],
            "contribution": list(contributions),
            "outcome": "gdp:2030",
        }
    )


def morris_table(spread: float = 1.0) -> pd.DataFrame:
    factors = {
        "innovation.talent_programmes": (2.4, 1.1),
        "integration.hangzhou_travel_time_cut": (1.6, 2.0),
        "business.tax_fee_cuts": (0.5, 0.2),
    }
    rows = []
    for factor, (mu, sigma) in factors.items():
        for index, estimate in (("mu_star", mu * spread), ("sigma", sigma * spread)):
            rows.append(
                {
                    "outcome": "gdp:2035",
                    "factor": factor,
                    "index": index,
                    "estimate": estimate,
                    "conf_low": estimate - 0.8 if index == "mu_star" else np.nan,
                    "conf_high": estimate + 0.8 if index == "mu_star" else np.nan,
                    "method": "morris",
                    "variants": 16,
                    "replications": 2,
                }
            )
    return pd.DataFrame(rows)


FIGURES: dict[str, tuple[Callable[[], object], Callable[[], object]]] = {
    # name: (the figure, the figure of a changed input)
    "corridor_map": (
        lambda: plots.corridor_map(synthetic_city_year()),
        lambda: plots.corridor_map(synthetic_city_year(inflow_scale=0.3)),
    ),
    "attribution_waterfall": (
        lambda: plots.attribution_waterfall(waterfall_table()),
        lambda: plots.attribution_waterfall(waterfall_table((120.0, -80.0, 50.0))),
    ),
    "morris_mu_sigma": (
        lambda: plots.morris_mu_sigma(morris_table()),
        lambda: plots.morris_mu_sigma(morris_table(spread=1.6)),
    ),
}


@pytest.fixture
def english(monkeypatch):
    """English place names and the bundled fonts: the picture does not depend on fonts
    installed on the machine."""
    monkeypatch.setattr(plots.theme, "cjk_font", lambda: None)
    assert not plots.theme.use_cjk()


def _render(build, path: Path) -> Path:
    fig = build()
    plots.save_figure(fig, path)
    plt.close(fig)
    return path


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_figure_matches_its_stored_baseline(name, english, tmp_path):
    build, changed = FIGURES[name]
    baseline = BASELINES / f"{name}.png"
    actual = _render(build, tmp_path / f"{name}.png")
    if UPDATE:
        BASELINES.mkdir(exist_ok=True)
        shutil.copyfile(actual, baseline)
    assert baseline.is_file(), f"no baseline {baseline}: run with GROWTHPOLE_UPDATE_BASELINES=1"
    difference = compare_images(str(baseline), str(actual), tol=TOLERANCE)
    assert difference is None, difference
    # the comparison can fail: a changed input is beyond the tolerance of the baseline
    moved = _render(changed, tmp_path / f"{name}-changed.png")
    message = compare_images(str(baseline), str(moved), tol=TOLERANCE)
    assert message is not None and "did not match" in message, message
