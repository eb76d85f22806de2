"""The year's schedule (growthpole/schedule.py): one definition of the order, frozen stream
indices, switches honoured, and the model stepping exactly it."""

from __future__ import annotations

import dataclasses
import re

import numpy as np
import pandas as pd
import pytest

from growthpole.model import GrowthPoleModel
from growthpole.schedule import SCHEDULE, SWITCHABLE, Schedule, Step

from .conftest import tiny_scenario


def run(schedule: Schedule = SCHEDULE, **kwargs) -> pd.DataFrame:
    return GrowthPoleModel(
        tiny_scenario(), np.random.SeedSequence(11), schedule=schedule, **kwargs
    ).run()


def test_a_step_added_first_leaves_every_draw_unchanged():
    """Streams are declared on their steps, not taken from positions: a step that draws from
    its own new stream, inserted before every mechanism, changes no output (if the indices
    were positions, every later mechanism would read another stream)."""
    seen = []

    def probe(context):
        seen.append(context.rng("probe").uniform())
        context.keyed("probe").uniform(np.arange(3))

    schedule = SCHEDULE.inserted(Step("probe", probe, stream=99), after="reset_flows")
    assert schedule.names[1] == "probe" and schedule.stream("migration") == SCHEDULE.stream(
        "migration"
    )
    pd.testing.assert_frame_equal(run(schedule), run())
    assert len(seen) == 6 and len(set(seen)) == 6  # it ran once a year, on a fresh stream


def test_removing_a_step_is_switching_it_off():
    """A schedule without `migration` and the full schedule with the `migration` switch off
    give the same run: run_year honours the step's switch and nothing else depends on the
    step's presence."""
    without = Schedule(tuple(step for step in SCHEDULE if step.name != "migration"))
    pd.testing.assert_frame_equal(run(without), run(switches={"migration": False}))
    off = run(switches={"migration": False})
    assert (off.migration_in == 0).all() and (off.migration_out == 0).all()
    assert not run().migration_in.eq(0).all()


def test_the_settle_steps_make_the_recorded_output():
    """Without the settle steps the recorded GDP is the first production's, before the year's
    entry, exit, relocation and migration: it differs from the scheduled year's."""
    settle = {"settle_labour", "settle_production"}
    unsettled = Schedule(tuple(step for step in SCHEDULE if step.name not in settle))
    assert not np.allclose(run(unsettled).gdp, run().gdp)


def test_select_keeps_the_schedule_order_and_names_what_is_allowed():
    assert SCHEDULE.select("migration", "labour", "reset_flows").names == (
        "reset_flows",
        "labour",
        "migration",
    )
    with pytest.raises(KeyError, match=r"unknown step.*'nonsense'.*steps:"):
        SCHEDULE.select("labour", "nonsense")
    with pytest.raises(KeyError, match="no random stream named 'nonsense'"):
        SCHEDULE.stream("nonsense")


def test_a_schedule_rejects_repeated_names_and_streams():
    step = SCHEDULE.steps[1]
    with pytest.raises(ValueError, match="step names repeat"):
        Schedule((step, step))
    with pytest.raises(ValueError, match="stream indices repeat"):
        Schedule((step, Step("other", step.function, stream=step.stream)))
    with pytest.raises(ValueError, match="phase 'later'"):
        Step("late", step.function, phase="later")


def test_every_switch_of_a_step_is_accepted_and_unknown_ones_are_refused():
    assert set(SCHEDULE.switches) <= set(SWITCHABLE)
    with pytest.raises(ValueError, match="unknown mechanism switch"):
        GrowthPoleModel(tiny_scenario(), np.random.SeedSequence(1), switches={"nonsense": 0})


def test_a_parameter_regime_is_the_parameters_swapped_before_its_first_year():
    """``parameter_regimes={2022: late}`` equals stepping to 2021 and swapping
    ``model.params`` by hand (the calibration's former way of expressing a break), and
    differs from no break; a regime equal to the base parameters changes nothing."""
    scenario = tiny_scenario()
    base = GrowthPoleModel(scenario, np.random.SeedSequence(5))
    late = dataclasses.replace(base.params, tfp_drift=base.params.tfp_drift + 0.02)
    declared = GrowthPoleModel(
        scenario, np.random.SeedSequence(5), parameter_regimes={2022: late}
    ).run()
    by_hand = GrowthPoleModel(scenario, np.random.SeedSequence(5))
    while by_hand.year < scenario.end_year:
        if by_hand.year + 1 >= 2022:
            by_hand.params = late
        by_hand.step()
    pd.testing.assert_frame_equal(declared, by_hand.city_year())
    plain = base.run()
    early = plain[plain.year < 2022].reset_index(drop=True)
    pd.testing.assert_frame_equal(declared[declared.year < 2022].reset_index(drop=True), early)
    assert not np.allclose(declared[declared.year >= 2022].gdp, plain[plain.year >= 2022].gdp)
    same = GrowthPoleModel(
        scenario, np.random.SeedSequence(5), parameter_regimes={2022: base.params}
    ).run()
    pd.testing.assert_frame_equal(same, plain)


def test_bad_parameter_regimes_and_switches_of_a_custom_schedule():
    """A regime year outside the simulated years, or a value that is not ModelParameters,
    is refused naming what is allowed; a custom step's own switch is accepted."""
    scenario = tiny_scenario()
    params = GrowthPoleModel(scenario, np.random.SeedSequence(1)).params
    for regimes in ({2019: params}, {2026: params}, {2022: {"tfp_drift": 0.01}}):
        with pytest.raises(
            ValueError, match=r"parameter_regimes: .*allowed: a year in 2020\.\.2025"
        ):
            GrowthPoleModel(scenario, np.random.SeedSequence(1), parameter_regimes=regimes)
    probe = Step("probe", lambda context: None, switch="probe")
    schedule = SCHEDULE.inserted(probe, after="migration")
    model = GrowthPoleModel(
        scenario, np.random.SeedSequence(1), schedule=schedule, switches={"probe": False}
    )
    assert model.switches == {"probe": False}


def test_a_regime_declared_in_the_scenario_is_the_model_api_regime():
    """``parameter_regimes:`` in a scenario gives the same run, byte for byte, as the same
    break passed to the model; breaks are cumulative; bad breaks name their key."""
    from growthpole.errors import ScenarioError

    declared = tiny_scenario(
        end_year=2023, parameter_regimes={2021: {"tfp_drift": 0.01}, 2022: {"exit_rate": 0.09}}
    )
    plain = declared.with_changes(parameter_regimes={})
    seed = np.random.SeedSequence(5)
    base = plain.model_parameters()
    first = base.replace(tfp_drift=0.01)
    by_api = GrowthPoleModel(
        plain, seed, parameter_regimes={2021: first, 2022: first.replace(exit_rate=0.09)}
    ).run()
    by_scenario = GrowthPoleModel(declared, seed).run()
    pd.testing.assert_frame_equal(by_api, by_scenario)
    assert not by_scenario.gdp.equals(GrowthPoleModel(plain, seed).run().gdp)
    assert declared.content_hash() != plain.content_hash()
    for regimes, key in (
        ({2019: {"tfp_drift": 0.01}}, "parameter_regimes.2019"),
        ({2021: {"migration_wage_weight": 1.0}}, "parameter_regimes.2021.migration_wage_weight"),
        ({2021: {"tfp_drift": 9.0}}, "parameter_regimes.2021"),
        ({2021: {}}, "parameter_regimes.2021"),
    ):
        with pytest.raises(ScenarioError, match=re.escape(f"key '{key}")):
            tiny_scenario(end_year=2023, parameter_regimes=regimes)
