"""Shared fixtures: small scenarios that run in well under a second."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from growthpole.scenario import build_scenario

ROOT = Path(__file__).resolve().parent.parent
#: the project machines' reference folder (never needed: the tests that compare against it
#: skip without it). GROWTHPOLE_SHARED points elsewhere; .ci/run first points it at a
#: missing folder, so that the suite is proven on a bare machine
SHARED = Path(os.environ.get("GROWTHPOLE_SHARED", ROOT.parent / "shared"))
REFERENCE_PANEL = SHARED / "reference-data" / "csmar_city_gdp_1990_2021.csv"
_skip_without_reference = pytest.mark.skipif(
    not REFERENCE_PANEL.is_file(),
    reason=f"comparison with the reference panel, absent at {REFERENCE_PANEL} "
    f"(this project's machines only; GROWTHPOLE_SHARED)",
)


def needs_reference(test):
    """Mark a test that compares against the reference folder: marker ``reference``
    (`make test-reference` runs these alone), skipped with its reason where it is absent."""
    return pytest.mark.reference(_skip_without_reference(test))


def tiny_scenario(**changes):
    """A small scenario: coarse agents, short horizon."""
    data = {
        "name": "tiny",
        "start_year": 2019,
        "end_year": 2025,
        "replications": 2,
        "seed": 12345,
        "scale": {"people_per_agent": 20000, "workers_per_firm_agent": 10},
    }
    data.update(changes)
    return build_scenario(data)


@pytest.fixture
def tiny():
    return tiny_scenario()


@pytest.fixture
def seed_sequence():
    return np.random.SeedSequence(2024)


@pytest.fixture
def saved_figures(monkeypatch):
    """Every figure `growthpole report` saves, checked for units on its numeric axes as it
    is written (tests.figure_checks, the rule of the figure tests); the names saved."""
    from growthpole import plots
    from tests.figure_checks import units_on_numeric_axes

    real = plots.save_figure
    saved = []

    def checked(fig, path):
        units_on_numeric_axes(fig)
        saved.append(Path(path).name)
        return real(fig, path)

    monkeypatch.setattr(plots, "save_figure", checked)
    return saved
