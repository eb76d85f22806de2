"""Scenario files: what is accepted, and that every fault is one clear ScenarioError."""

from __future__ import annotations

import pytest

from growthpole.errors import ScenarioError
from growthpole.scenario import build_scenario, load_scenario

from .conftest import ROOT

BASE = {"name": "t", "start_year": 2019, "end_year": 2030}


def test_shipped_baseline_validates():
    scenario = load_scenario(ROOT / "scenarios" / "baseline.yaml")
    assert scenario.name == "baseline"
    assert scenario.end_year > scenario.start_year


@pytest.mark.parametrize(
    ("changes", "key", "fragment"),
    [
        ({"colour": "red"}, "colour", "unknown key"),
        ({"scale": {"people_per_agent": 100, "agents": 3}}, "scale.agents", "unknown key"),
        ({"end_year": 2010}, "end_year", "after start_year"),
        ({"replications": 0}, "replications", "greater than or equal"),
        ({"replications": "many"}, "replications", "valid integer"),
        ({"replications": 10**6}, "replications", "safety limit"),
        ({"parameters": {"tfp_drift": 5.0}}, "parameters.tfp_drift", "outside the allowed range"),
        ({"parameters": {"no_such": 1.0}}, "parameters.no_such", "unknown parameter"),
        ({"levers": {"no.such_lever": 1}}, "levers.no.such_lever", "unknown lever"),
        (
            {"levers": {"integration.hangzhou_travel_time_cut": 0.9}},
            "levers.integration.hangzhou_travel_time_cut",
            "outside the allowed range",
        ),
        (
            {"levers": {"integration.hangzhou_travel_time_cut": {2050: 0.2}}},
            "levers.integration.hangzhou_travel_time_cut.2050",
            "outside the horizon",
        ),
    ],
)
def test_bad_scenarios_name_the_key(changes, key, fragment):
    with pytest.raises(ScenarioError) as info:
        build_scenario({**BASE, **changes}, source="s.yaml")
    message = str(info.value)
    assert message.startswith("s.yaml")
    assert f"key '{key}'" in message
    assert fragment in message
    assert "\n" not in message


def test_forced_sizes_are_allowed():
    scenario = build_scenario({**BASE, "replications": 20_000, "force": True})
    assert scenario.replications == 20_000


def test_malformed_yaml_names_the_line(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("name: x\nstart_year: [2019\n")
    with pytest.raises(ScenarioError, match=r"bad.yaml: malformed YAML: line \d+"):
        load_scenario(path)


def test_alias_bomb_is_refused(tmp_path):
    lines = ["a: &a [1, 2, 3, 4, 5, 6, 7, 8, 9]"]
    for i in range(1, 9):
        prev = chr(ord("a") + i - 1)
        cur = chr(ord("a") + i)
        lines.append(f"{cur}: &{cur} [{', '.join(['*' + prev] * 9)}]")
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(ScenarioError, match="alias"):
        load_scenario(path)


def test_lever_schedule_is_a_step_function():
    from growthpole.levers import lever_value

    schedule = {2021: 0.2, 2025: 0.5}
    values = [lever_value(schedule, y, 0.0) for y in (2020, 2021, 2024, 2025, 2030)]
    assert values == [0.0, 0.2, 0.2, 0.5, 0.5]


def test_content_hash_changes_with_content():
    a = build_scenario(BASE)
    b = build_scenario({**BASE, "seed": 1})
    assert a.content_hash() == build_scenario(BASE).content_hash()
    assert a.content_hash() != b.content_hash()
