"""The strategy as implemented in 2020-2024 against what was published (issue 17, item 7)."""

from __future__ import annotations

import numpy as np
import pytest

from growthpole.calibration.backtest import realised_series
from growthpole.runner import run_scenario
from growthpole.scenario import load_scenario

from .conftest import ROOT


@pytest.mark.slow
@pytest.mark.xfail(
    strict=True,
    reason="issue 17 item 7, open: the as-implemented scenario's 2024 band "
    "(20 replications over the 2005-2019 posterior and the lever priors) is 6,823-7,365 "
    "亿元 with median 7,096 on the model's pre-census basis, against the published 8,368.6 "
    "(8,030 on that basis): 12% short. The dated 2020-24 measures add 0.1% over the "
    "2019-policy baseline (7,086), and the posterior carries Shaoxing's 2005-2019 decline "
    "relative to the nation forward while it reversed in 2020-2024 (rank 37 to 33). "
    "strict: the mark must go when the model passes",
)
def test_as_implemented_band_covers_the_published_2024_gdp():
    scenario = load_scenario(ROOT / "scenarios" / "as_implemented_2020_2024.yaml")
    result = run_scenario(scenario)
    shaoxing = result.city_year.query("region == 'shaoxing' and year == 2024").gdp
    low, high = np.quantile(shaoxing, [0.05, 0.95])
    published = realised_series(2024).set_index("year").gdp_model_basis[2024]
    assert low <= published <= high, (low, published, high)
