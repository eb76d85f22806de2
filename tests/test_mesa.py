"""GrowthPoleModel as a Mesa user drives it: constructor conventions (a scenario path or a
Scenario, ``seed=``/``rng=``, lever keywords), ``model.agents`` (one view per live agent,
registered once, removed on exit), ``running`` and the built-in datacollector, and Mesa's own
tools: ``mesa.batch_run`` and a DataCollector with agent reporters across firm exits.

Runs are tiny (20,000 people per talent agent, a few years) so the file runs in seconds.
"""

from __future__ import annotations

from pathlib import Path

import mesa
import numpy as np
import pandas as pd
import pytest

from growthpole.agents import AgentExitedError, Firm, Platform, Talent
from growthpole.errors import ScenarioError
from growthpole.model import MODEL_REPORTERS, GrowthPoleModel
from growthpole.runner import simulate
from growthpole.scenario import load_scenario
from growthpole.seeds import replication_seeds

ROOT = Path(__file__).resolve().parent.parent
BASELINE = str(ROOT / "scenarios" / "baseline.yaml")
TINY = {"people_per_agent": 20000, "end_year": 2022}


def tiny_model(**keywords) -> GrowthPoleModel:
    return GrowthPoleModel(BASELINE, **{**TINY, **keywords})


# ---- constructor ---------------------------------------------------------------------------


def test_path_and_seed_give_the_runner_replication_of_that_seed():
    """GrowthPoleModel(path, seed=s, replication=r) is replication r of `run --seed s`."""
    model = tiny_model(seed=11, replication=1)
    model.run()
    spec = load_scenario(BASELINE).with_changes(
        end_year=2022, scale={"people_per_agent": 20000, "workers_per_firm_agent": 10}
    )
    expected = simulate(spec, replication_seeds(11, 2)[1], replication=1)
    pd.testing.assert_frame_equal(model.city_year(), expected)
    assert model.scenario.end_year == 2022 and model.scenario.scale.people_per_agent == 20000


def test_seedless_models_differ_and_rng_generators_reproduce():
    first, second = tiny_model(end_year=2020), tiny_model(end_year=2020)
    assert first.seed_sequence.entropy != second.seed_sequence.entropy
    a = tiny_model(end_year=2020, rng=np.random.default_rng(5))
    b = tiny_model(end_year=2020, rng=np.random.default_rng(5))
    pd.testing.assert_frame_equal(a.run(), b.run())
    assert (
        tiny_model(end_year=2020, rng=3).seed_sequence.spawn_key
        == tiny_model(end_year=2020, seed=3).seed_sequence.spawn_key
    )
    with pytest.raises(ValueError, match="not seed and rng"):
        tiny_model(seed=1, rng=2)


def test_lever_keywords_reach_the_scenario_with_dot_or_double_underscore():
    model = tiny_model(seed=1, **{"innovation.talent_programmes": 0.5}, business__tax_fee_cuts=0.01)
    assert model.scenario.levers["innovation.talent_programmes"] == 0.5
    assert model.scenario.levers["business.tax_fee_cuts"] == 0.01


def test_unknown_keyword_and_out_of_range_lever_are_scenario_errors():
    with pytest.raises(ScenarioError, match=r"key 'talent'.*allowed: a lever key"):
        tiny_model(seed=1, talent=0.5)
    with pytest.raises(ScenarioError, match=r"innovation\.talent_programmes"):
        tiny_model(seed=1, **{"innovation.talent_programmes": 99.0})
    with pytest.raises(ScenarioError, match="scenario must be a Scenario or the path"):
        GrowthPoleModel(42, seed=1)


def test_running_turns_false_at_the_end_year_and_stepping_past_it_is_refused():
    model = tiny_model(seed=2)
    steps = 0
    while model.running:
        model.step()
        steps += 1
    assert (steps, model.year, model.steps) == (3, 2022, 3)
    with pytest.raises(ScenarioError, match=r"key 'end_year'.*ends in 2022"):
        model.step()
    assert model.year == 2022


# ---- agents --------------------------------------------------------------------------------


def _live_counts(model: GrowthPoleModel) -> dict[type, int]:
    state = model.state
    return {Firm: state.firms.count, Talent: state.talent.count, Platform: state.platforms.count}


def test_agents_hold_one_view_per_live_agent_registered_once():
    model = tiny_model(seed=4)
    counts = _live_counts(model)
    assert len(model.agents) == sum(counts.values())
    assert {kind: len(model.agents_by_type[kind]) for kind in counts} == counts
    first = model.firm_agents()
    assert [id(v) for v in model.firm_agents()] == [id(v) for v in first]  # same objects
    assert len(model.agents) == sum(counts.values())  # a second read adds nothing
    unique_ids = [agent.unique_id for agent in model.agents]
    assert len(set(unique_ids)) == len(unique_ids)
    before = {v.agent_id: v.unique_id for v in first}
    model.step()
    model.step()
    assert len(model.agents) == sum(_live_counts(model).values())
    kept = {v.agent_id: v.unique_id for v in model.firm_agents() if v.agent_id in before}
    assert kept and all(before[i] == u for i, u in kept.items())  # survivors keep their id


def test_the_hot_path_builds_no_views():
    model = tiny_model(seed=4)
    model.run()
    assert len(model._agents) == 0  # Mesa's hard references: nothing registered
    assert len(model.agents) == sum(_live_counts(model).values())


def test_view_of_an_exited_firm_says_so_and_leaves_model_agents():
    model = tiny_model(seed=5, end_year=2025)
    views = {v.agent_id: v for v in model.firm_agents()}
    model.run()
    live = set(model.state.firms.ids[: model.state.firms.size][model.state.firms.live].tolist())
    exited = [v for i, v in views.items() if i not in live]
    assert exited, "precondition: some firm agents exit by 2025 at this scale"
    registered = set(model.agents)
    view = exited[0]
    assert not view.alive and view not in registered
    with pytest.raises(AgentExitedError, match=f"firm agent {view.agent_id} .*has exited") as err:
        _ = view.capital
    assert not isinstance(err.value, KeyError)
    with pytest.raises(AgentExitedError):
        view.capital = 1.0
    survivor = next(v for i, v in views.items() if i in live)
    row = int(
        np.flatnonzero(model.state.firms.ids[: model.state.firms.size] == survivor.agent_id)[0]
    )
    assert survivor in registered and survivor.capital == model.state.firms.capital[row]


def test_datacollector_agent_reporter_runs_across_exits():
    model = tiny_model(
        seed=5,
        end_year=2025,
        agenttype_reporters={Firm: {"capital": "capital", "value_added": lambda a: a.value_added}},
    )
    model.run()
    frame = model.datacollector.get_agenttype_vars_dataframe(Firm)
    city = model.city_year()
    regions = city[city.region != "shaoxing"]
    exits = regions.groupby("year").firm_exits.sum()
    assert exits.iloc[1:].sum() > 0, "precondition: firms exit during the run"
    # one row per live firm agent at every collection (step 0 = the base year)
    rows_per_step = frame.groupby(level="Step").size()
    firms_per_year = regions.groupby("year").firm_agents.sum()
    np.testing.assert_array_equal(rows_per_step.to_numpy(), firms_per_year.to_numpy())
    assert frame.capital.notna().all() and (frame.capital > 0).all()
    # the reporter reads the table: the last step's capital is the live firms' capital
    last = frame.xs(model.steps, level="Step")
    np.testing.assert_allclose(
        np.sort(last.capital.to_numpy()), np.sort(model.state.firms.capital[model.state.firms.live])
    )
    # an agent that exited never reappears after its last row
    steps_of = frame.reset_index().groupby("AgentID").Step.agg(["min", "max", "count"])
    assert ((steps_of["max"] - steps_of["min"] + 1) == steps_of["count"]).all()
    assert (steps_of["max"] < model.steps).any()


def test_model_reporters_equal_the_city_year_table():
    model = tiny_model(seed=6)
    model.run()
    reported = model.datacollector.get_model_vars_dataframe()
    assert list(reported.columns) == list(MODEL_REPORTERS)
    shaoxing = model.city_year().query("region == 'shaoxing'").reset_index(drop=True)
    np.testing.assert_array_equal(reported.year.to_numpy(), shaoxing.year.to_numpy())
    for name, column in (
        ("shaoxing_gdp", "gdp"),
        ("shaoxing_population", "population"),
        ("shaoxing_firm_agents", "firm_agents"),
    ):
        np.testing.assert_allclose(
            reported[name].to_numpy(), shaoxing[column].to_numpy(), rtol=1e-12
        )


# ---- Mesa's batch_run ----------------------------------------------------------------------


def test_batch_run_iterations_differ_and_stop_at_the_end_year():
    results = pd.DataFrame(
        mesa.batch_run(
            GrowthPoleModel,
            {"scenario": BASELINE, **TINY, "innovation.talent_programmes": [0.0, 0.5]},
            iterations=3,
            data_collection_period=1,
            display_progress=False,
        )
    )
    assert results.RunId.nunique() == 6
    horizon = TINY["end_year"] - 2019
    for _, run in results.groupby("RunId"):
        # Mesa's batch_run reports collections 0 .. steps-1; steps == horizon means the
        # model stopped on `running`, not on max_steps (1000)
        assert run.Step.max() == horizon - 1
        np.testing.assert_array_equal(run.year.to_numpy(), 2019 + run.Step.to_numpy())
    last = results[results.Step == horizon - 1]
    for _, runs in last.groupby("innovation.talent_programmes"):
        assert runs.shaoxing_gdp.nunique() == 3  # the three iterations differ
    base_year = results[results.Step == 0]
    # all start from the same base-year data (firm value added is calibrated to it)
    np.testing.assert_allclose(base_year.shaoxing_gdp, base_year.shaoxing_gdp.iloc[0], rtol=1e-9)
