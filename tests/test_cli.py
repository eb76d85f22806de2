"""The command line end to end on a tiny scenario."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest
import yaml

from .conftest import ROOT


def write_tiny(path, **changes):
    data = {
        "name": "tiny_cli",
        "start_year": 2019,
        "end_year": 2023,
        "replications": 2,
        "seed": 7,
        "scale": {"people_per_agent": 20000, "workers_per_firm_agent": 10},
    }
    data.update(changes)
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    return path


def cli(*args, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "growthpole", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd or ROOT,
        timeout=300,
    )


@pytest.mark.slow
def test_run_writes_a_complete_run_directory(tmp_path):
    scenario = write_tiny(tmp_path / "s.yaml")
    out = tmp_path / "run"
    proc = cli("run", scenario, "--out", out)
    assert proc.returncode == 0, proc.stderr
    assert "Shaoxing GDP" in proc.stdout
    frame = pd.read_parquet(out / "city_year.parquet")
    assert set(frame.replication) == {0, 1}
    assert {"gdp", "population", "region", "year"} <= set(frame.columns)
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["complete"] is True
    assert len(manifest["seeds"]) == 2
    assert len(manifest["scenario_hash"]) == 64
    summary = pd.read_csv(out / "summary.csv")
    assert list(summary.year) == [2019, 2020, 2021, 2022, 2023]


@pytest.mark.slow
def test_run_refuses_to_overwrite_results(tmp_path):
    scenario = write_tiny(tmp_path / "s.yaml")
    out = tmp_path / "run"
    assert cli("run", scenario, "--out", out).returncode == 0
    again = cli("run", scenario, "--out", out)
    assert again.returncode == 2
    assert "already holds results" in again.stderr
    assert "Traceback" not in again.stderr
    assert cli("run", scenario, "--out", out, "--overwrite").returncode == 0


@pytest.mark.slow
def test_validate_reports_file_key_and_allowed(tmp_path):
    scenario = write_tiny(tmp_path / "s.yaml", colour="red")
    proc = cli("validate", scenario)
    assert proc.returncode == 2
    line = proc.stderr.strip()
    assert "\n" not in line
    assert str(scenario) in line and "'colour'" in line and "allowed:" in line


@pytest.mark.slow
def test_levers_json_covers_every_pillar():
    proc = cli("levers", "--json")
    assert proc.returncode == 0
    catalogue = json.loads(proc.stdout)
    pillars = {row["pillar"] for row in catalogue["levers"]}
    assert pillars == {
        "integration",
        "platforms",
        "industry_upgrade",
        "innovation_talent",
        "green",
        "business_environment",
    }
    assert all(row["clause"] for row in catalogue["levers"])
