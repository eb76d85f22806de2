"""The outcome registry (growthpole/outcomes.py): declared once, and what the model, sweeps,
the report and the rest use."""

from __future__ import annotations

import ast

import numpy as np
import pytest

from growthpole.outcomes import (
    EMPLOYMENT_WEIGHTED,
    MODEL_COLUMNS,
    OUTCOMES,
    SWEEP_OUTCOMES,
    TOP,
    unit_of,
)
from growthpole.regions import SHAOXING_REGIONS

from .conftest import ROOT, tiny_scenario


def test_the_model_records_exactly_the_registered_columns_in_order():
    from growthpole.model import GrowthPoleModel

    model = GrowthPoleModel(tiny_scenario(end_year=2020), np.random.SeedSequence(3))
    frame = model.run()
    assert tuple(model.records[0]) == MODEL_COLUMNS
    assert tuple(frame.columns) == ("replication", *MODEL_COLUMNS)


def test_the_ranking_adds_its_registered_column():
    from growthpole.runner import run_scenario

    frame = run_scenario(tiny_scenario(end_year=2020, replications=1)).city_year
    ranked = [o.name for o in OUTCOMES.values() if o.origin == "ranking"]
    assert tuple(frame.columns) == ("replication", *MODEL_COLUMNS, *ranked)


def test_the_shaoxing_row_sums_or_weights_its_units_as_registered():
    """Hand computation: each model column of the shaoxing row is the sum of the six units,
    or their employment-weighted mean for the EMPLOYMENT_WEIGHTED ones."""
    from growthpole.runner import run_scenario

    frame = run_scenario(tiny_scenario(end_year=2021, replications=2)).city_year
    units = frame[frame.region.isin(SHAOXING_REGIONS)]
    shaoxing = frame[frame.region == "shaoxing"].set_index(["replication", "year"])
    for name in MODEL_COLUMNS[2:]:
        grouped = units.groupby(["replication", "year"])
        if name in EMPLOYMENT_WEIGHTED:
            expected = grouped.apply(
                lambda b, name=name: float(np.sum(b[name] * b.employment) / b.employment.sum())
            )
        else:
            expected = grouped[name].sum()
        np.testing.assert_allclose(
            shaoxing[name].to_numpy(), expected.loc[shaoxing.index].to_numpy(), rtol=1e-9
        )
    assert set(EMPLOYMENT_WEIGHTED) == {
        "wage_skilled",
        "wage_unskilled",
        "market_access",
        "digital_share",
    }


def test_sweeps_read_their_outcome_columns_from_the_registry(monkeypatch):
    """No model run decides what a sweep may store (the first version ran a year to find
    out): with simulate broken, the allowed columns are still the registry's."""
    from growthpole import runner
    from growthpole.experiments.sweep import allowed_outcome_columns

    def broken(*args, **kwargs):
        raise AssertionError("allowed_outcome_columns ran the model")

    monkeypatch.setattr(runner, "simulate", broken)
    assert allowed_outcome_columns(tiny_scenario()) == SWEEP_OUTCOMES
    assert "top30" in SWEEP_OUTCOMES and "replication" not in SWEEP_OUTCOMES


def test_every_outcome_has_a_unit_and_a_meaning():
    for outcome in OUTCOMES.values():
        assert outcome.unit and outcome.meaning, outcome
    assert unit_of("gdp") == "亿元/yr"
    with pytest.raises(KeyError, match="allowed: replication"):
        unit_of("gdp_per_capita")


def test_the_report_needs_only_registered_columns():
    from growthpole.report import CITY_YEAR_COLUMNS

    assert set(CITY_YEAR_COLUMNS) <= set(OUTCOMES)


def _thirties(path) -> list[str]:
    """Places in a module where the number 30 is a rank threshold: ``TOP = 30``-style
    assignments and comparisons with the literal 30."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and "TOP" in t.id for t in node.targets
        ):
            if isinstance(node.value, ast.Constant) and node.value.value == 30:
                found.append(f"{path.name}:{node.lineno} assigns 30")
        if isinstance(node, ast.Compare):
            for part in (node.left, *node.comparators):
                if isinstance(part, ast.Constant) and part.value == 30:
                    found.append(f"{path.name}:{node.lineno} compares with 30")
    return found


def test_the_top_30_threshold_is_defined_once():
    offenders = [
        hit
        for path in sorted((ROOT / "growthpole").rglob("*.py"))
        if path.name != "outcomes.py"
        for hit in _thirties(path)
    ]
    assert offenders == [], offenders
    assert TOP == 30


def test_the_threshold_scan_can_fail(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("TOP = 30\nok = rank <= 30\n", encoding="utf-8")
    assert len(_thirties(bad)) == 2
