"""Issue 19, item 5 ("Commands"): every subcommand describes itself, `run --workers` uses
the shared Dask executor with byte-identical outputs, `report` reads run, compare and sweep
directories, `attribute` states its run count and time first, `calibrate --budget` bounds
the whole run."""

from __future__ import annotations

import argparse
import hashlib
import re
import subprocess
import sys

import numpy as np
import pytest
import yaml

from growthpole.cli import build_parser, main

from .conftest import ROOT


def cli(*args, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "growthpole", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd or ROOT,
        timeout=600,
    )


def write_tiny(path, **changes):
    data = {
        "name": "tiny_commands",
        "start_year": 2019,
        "end_year": 2023,
        "replications": 4,
        "seed": 11,
        "scale": {"people_per_agent": 20000, "workers_per_firm_agent": 10},
    }
    data.update(changes)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def sha256(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


# ---- help -----------------------------------------------------------------------------------


def _subcommands(parser, prefix=()):
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {a.dest: a.help for a in action._choices_actions}
            for name, sub in action.choices.items():
                yield (*prefix, name), helps.get(name), sub
                yield from _subcommands(sub, (*prefix, name))


SUBCOMMANDS = [path for path, _, _ in _subcommands(build_parser())]


def test_the_subcommand_list_is_complete():
    names = {path[0] for path in SUBCOMMANDS}
    modules = {  # _name.py: a helper of several commands (_executor_options), not one
        p.stem
        for p in (ROOT / "growthpole" / "commands").glob("*.py")
        if not p.stem.startswith("_")
    }
    assert modules - {"run"} <= names, modules - names  # run.py also registers validate
    assert {"run", "validate", "report", "calibrate", "attribute", ("data", "import")} & (
        names | set(SUBCOMMANDS)
    )


def test_top_level_help_lists_every_subcommand_with_a_line(capsys):
    with pytest.raises(SystemExit) as info:
        main(["--help"])
    assert info.value.code == 0
    text = capsys.readouterr().out
    assert "%%" not in text
    for path, help_text, _ in _subcommands(build_parser()):
        if len(path) > 1:
            continue
        assert help_text and help_text.strip(), path
        assert re.search(rf"^\s+{re.escape(path[0])}\b", text, re.M), path


@pytest.mark.parametrize("path", SUBCOMMANDS, ids=[" ".join(p) for p in SUBCOMMANDS])
def test_each_subcommand_help_has_a_description(path, capsys):
    with pytest.raises(SystemExit) as info:
        main([*path, "--help"])
    assert info.value.code == 0
    text = capsys.readouterr().out
    assert "%%" not in text, text
    # argparse prints: usage block, blank line, description, blank line, arguments
    blocks = [b.strip() for b in text.split("\n\n")]
    assert blocks[0].startswith("usage:")
    description = blocks[1]
    assert description and not description.startswith(("positional arguments", "options")), text
    assert description.endswith("."), description


# ---- run --workers ---------------------------------------------------------------------------


@pytest.mark.slow
def test_run_workers_gives_the_bytes_of_a_serial_run(tmp_path):
    scenario = write_tiny(tmp_path / "s.yaml")
    outputs = {}
    for label, extra in (("serial", ()), ("1", ("--workers", "1")), ("2", ("--workers", "2"))):
        out = tmp_path / f"run-{label}"
        proc = cli("run", scenario, "--out", out, *extra)
        assert proc.returncode == 0, proc.stderr
        outputs[label] = {name: sha256(out / name) for name in ("city_year.parquet", "summary.csv")}
        manifest = yaml.safe_load((out / "manifest.json").read_text())
        if extra:  # the replications ran on the Dask executor sweep uses
            assert manifest["executor"]["backend"] == "dask-local"
            assert manifest["executor"]["workers"] == int(extra[1])
        else:
            assert "executor" not in manifest
    assert outputs["1"] == outputs["2"] == outputs["serial"]


@pytest.mark.slow
@pytest.mark.parametrize("value", ["0", "-3", "x"])
def test_run_workers_bad_value_is_one_line_exit_2(tmp_path, value):
    scenario = write_tiny(tmp_path / "s.yaml")
    out = tmp_path / "run"
    proc = cli("run", scenario, "--out", out, "--workers", value)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "--workers" in lines[0], proc.stderr
    assert not out.exists()


# ---- attribute -------------------------------------------------------------------------------


def _count_simulations(monkeypatch, capsys, log):
    """Count growthpole.runner.simulate calls; log the stderr printed before each."""
    import growthpole.runner as runner

    real = runner.simulate

    def counted(*args, **kwargs):
        log.append(("simulate", capsys.readouterr().err))
        return real(*args, **kwargs)

    monkeypatch.setattr(runner, "simulate", counted)


def _stderr(log, capsys):
    return "".join(text for _, text in log) + capsys.readouterr().err


@pytest.mark.slow
def test_attribute_states_its_run_count_and_time_before_running(
    tmp_path, monkeypatch, capsys, saved_figures
):
    scenario = write_tiny(
        tmp_path / "strategy.yaml",
        replications=2,
        levers={
            "integration.trade_cost_cut": {2020: 0.1},
            "platforms.binhai_new_area": {2020: 0.5},
        },
    )
    out = tmp_path / "attribution"
    log = []
    _count_simulations(monkeypatch, capsys, log)
    code = main(
        ["attribute", str(scenario), "--year", "2023", "--cluster", "serial", "--out", str(out)]
    )
    assert code == 0
    simulations = sum(1 for kind, _ in log if kind == "simulate")
    err = _stderr(log, capsys)
    count = re.search(r"(\d+) coalitions x (\d+) replications = (\d+) runs", err)
    assert count, err
    assert int(count.group(1)) * int(count.group(2)) == int(count.group(3))
    plan = re.search(r"plan: (\d+) simulations to run; about (\d+) s on (\d+) worker", err)
    assert plan, err
    assert int(plan.group(1)) == int(count.group(3)) == simulations == 4 * 2
    # the count came before the first simulation, the time estimate before the second
    assert "= 8 runs" in log[0][1] and "plan:" not in log[0][1]
    assert "plan: 8 simulations" in "".join(text for _, text in log[:2])

    # run again: everything is stored, the plan says so and nothing is simulated
    log.clear()
    assert (
        main(
            ["attribute", str(scenario), "--year", "2023", "--cluster", "serial", "--out", str(out)]
        )
        == 0
    )
    err = _stderr(log, capsys)
    assert not log and "plan: 8 runs, all already stored: 0 simulations" in err, err
    assert saved_figures.count("attribution.png") == 2  # each checked for units when saved


# ---- report DIR: run, compare, sweep ------------------------------------------------------

PNG = b"\x89PNG\r\n\x1a\n"


def _report(capsys, directory):
    code = main(["report", str(directory)])
    out = capsys.readouterr()
    return code, out.out, out.err


def _figures(directory):
    files = sorted((directory / "figures").glob("*.png"))
    assert files and all(p.read_bytes().startswith(PNG) for p in files)
    return {p.name for p in files}


@pytest.mark.slow
def test_report_of_a_run_directory(tmp_path, capsys, saved_figures):
    scenario = write_tiny(tmp_path / "s.yaml", replications=2)
    out = tmp_path / "run"
    assert main(["run", str(scenario), "--out", str(out)]) == 0
    capsys.readouterr()
    code, stdout, err = _report(capsys, out)
    assert code == 0, err
    assert "run directory" in stdout
    assert {"gdp_fan.png", "rank_fan.png"} <= _figures(out)
    assert sorted(saved_figures) == sorted(_figures(out))  # each checked for units
    assert "tiny_commands" in (out / "report.html").read_text(encoding="utf-8")


def test_report_of_a_compare_directory(tmp_path, capsys, saved_figures):
    a = write_tiny(tmp_path / "a.yaml", name="base_a", replications=3)
    b = write_tiny(
        tmp_path / "b.yaml",
        name="strategy_b",
        replications=3,
        levers={"integration.trade_cost_cut": {2020: 0.2}},
    )
    out = tmp_path / "cmp"
    assert main(["compare", str(a), str(b), "--out", str(out)]) == 0
    capsys.readouterr()
    code, stdout, err = _report(capsys, out)
    assert code == 0, err
    assert "compare directory" in stdout
    assert {"gdp_medians.png", "gdp_difference.png"} <= _figures(out)
    assert sorted(saved_figures) == sorted(_figures(out))  # each checked for units
    text = (out / "report.html").read_text(encoding="utf-8")
    assert "base_a" in text and "strategy_b" in text
    # the difference table shows the values of difference.csv at the five-year marks
    import pandas as pd

    difference = pd.read_csv(out / "difference.csv")
    last = difference[difference.year == difference.year.max()].iloc[0]
    assert format(last.gdp_difference_mean, ",.4g") in text


def test_report_of_a_sweep_directory(tmp_path, capsys, saved_figures):
    from growthpole.experiments.base import SerialExecutor
    from growthpole.experiments.execute import run_sweep
    from growthpole.experiments.sweep import build_sweep

    sweep = build_sweep(
        {
            "name": "tiny-report-sweep",
            "scenario": {
                "name": "tiny",
                "start_year": 2019,
                "end_year": 2023,
                "seed": 5,
                "scale": {"people_per_agent": 20000, "workers_per_firm_agent": 10},
            },
            "replications": 1,
            "seed": 3,
            "design": {"method": "grid", "levels": 2},
            "factors": [
                {
                    "lever": "integration.hangzhou_travel_time_cut",
                    "range": [0.0, 0.6],
                    "from_year": 2020,
                },
                {"parameter": "rd_return", "range": [0.1, 0.4]},
            ],
            "outcomes": {"regions": ["shaoxing"], "columns": ["gdp", "population"], "years": "all"},
        }
    )
    out = tmp_path / "sweep"
    run_sweep(sweep, out, SerialExecutor())
    code, stdout, err = _report(capsys, out)
    assert code == 0, err
    assert "sweep directory" in stdout
    assert "outcome_1.png" in _figures(out)
    assert sorted(saved_figures) == sorted(_figures(out))  # each checked for units
    text = (out / "report.html").read_text(encoding="utf-8")
    assert "tiny-report-sweep" in text and "grid" in text
    assert text.count("<tr>") >= 4 + 1  # the variant table lists the 4 variants


@pytest.mark.slow
def test_report_of_a_sweep_shows_the_analyses_run_on_it(tmp_path, capsys, saved_figures):
    """After `sensitivity`, `discover` and `discover --method prim` on a sweep, its report
    draws their charts from their output files (units checked as each is saved)."""
    from tests.test_sweeps import inert_and_price_sweep

    directory = inert_and_price_sweep(
        tmp_path / "sweep", {"method": "latin_hypercube", "samples": 40, "seed": 8}
    )
    for extra in ((), ("--method", "prim")):
        assert main(["discover", str(directory), "--outcome", "gdp:2023", *extra]) == 0
    assert main(["sensitivity", str(directory), "--outcome", "gdp:2023", "--resamples", "20"]) == 0
    capsys.readouterr()
    saved_figures.clear()
    code, _, err = _report(capsys, directory)
    assert code == 0, err
    drawn = _figures(directory)
    assert {"sensitivity.png", "discovery_boxes.png", "prim_trajectory.png"} <= drawn
    assert sorted(saved_figures) == sorted(drawn)
    text = (directory / "report.html").read_text(encoding="utf-8")
    for title in ("Sensitivity indices", "CART boxes", "PRIM peeling trajectory"):
        assert title in text, title
    # a plain sweep's report draws none of them
    plain = inert_and_price_sweep(
        tmp_path / "plain", {"method": "latin_hypercube", "samples": 8, "seed": 8}
    )
    assert _report(capsys, plain)[0] == 0
    assert not {"sensitivity.png", "discovery_boxes.png", "prim_trajectory.png"} & _figures(plain)


def test_report_of_an_incomplete_sweep_is_one_line(tmp_path, capsys):
    import json

    directory = tmp_path / "sweep"
    directory.mkdir()
    (directory / "manifest.json").write_text(
        json.dumps({"kind": "growthpole-sweep", "written_by": "growthpole", "complete": False})
    )
    code, _, err = _report(capsys, directory)
    assert code == 2 and len(err.strip().splitlines()) == 1, err
    assert not (directory / "report.html").exists()


@pytest.mark.parametrize("manifest", [{"kind": "something-else"}, {"hello": 1}, None])
def test_report_of_a_directory_of_unknown_kind_is_one_line(tmp_path, capsys, manifest):
    import json

    directory = tmp_path / "odd"
    directory.mkdir()
    if manifest is not None:
        (directory / "manifest.json").write_text(json.dumps(manifest))
    code, _, err = _report(capsys, directory)
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and str(directory) in lines[0], err
    assert (
        "run directory" in lines[0]
        and "compare directory" in lines[0]
        and "sweep directory" in lines[0]
    )
    assert not (directory / "report.html").exists() and not (directory / "figures").exists()


def test_comparison_and_sweep_figures_carry_units():
    import pandas as pd

    from growthpole import plots

    comparison = pd.DataFrame(
        {
            "year": [2020, 2021] * 2,
            "scenario": ["a", "a", "b", "b"],
            "gdp_median": [1.0, 2.0, 1.5, 2.5],
        }
    )
    fig = plots.scenario_gdp_medians(comparison)
    assert plots.gdp_unit() in fig.axes[0].get_ylabel()
    assert len(fig.axes[0].get_lines()) == 2
    difference = pd.DataFrame(
        {
            "year": [2020, 2021],
            "scenario_a": "a",
            "scenario_b": "b",
            "gdp_difference_mean": [0.5, 0.5],
            "ci_lower": [0.1, 0.2],
            "ci_upper": [0.9, 0.8],
        }
    )
    fig = plots.paired_difference(difference)
    assert plots.gdp_unit() in fig.axes[0].get_ylabel()
    table = pd.DataFrame(
        {"variant": [0, 1], "lever.integration.trade_cost_cut": [0.0, 0.2], "gdp:2030": [1.0, 2.0]}
    )
    fig = plots.outcome_by_factor(table, ["lever.integration.trade_cost_cut"], "gdp:2030")
    assert plots.gdp_unit() in fig.axes[0].get_ylabel()


# ---- calibrate --budget ---------------------------------------------------------------------


def _calibration_spec(path, **changes):
    data = {
        "name": "budget-check",
        "window": "2016:2019",
        "replications": 2,
        "seed": 11,
        "scale": {"people_per_agent": 20000, "workers_per_firm_agent": 10},
        "parameters": {
            "tfp_drift": {"lower": 0.0, "upper": 0.04},
            "gdp_deflator_inflation": {"lower": -0.02, "upper": 0.04},
        },
        "fixed": {"tfp_shock_sd": 0.0},
        "targets": [
            {"kind": "gdp", "city": "shaoxing"},
            {"kind": "real_growth", "city": "shaoxing"},
        ],
        "search": {"budget": 2000, "population_per_parameter": 2, "polish_share": 0.25},
        "diagnostics": {
            "profile_points": 5,
            "bootstrap_resamples": 8,
            "bootstrap_evaluations": 6,
            "hindcast_replications": 4,
        },
    }
    data.update(changes)
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def _count_model_runs(monkeypatch, capsys, log):
    """Every simulation of a calibration (candidates and hindcast) steps the model through
    growthpole.calibration.objective.run_with_regimes; log stderr before the first."""
    from growthpole.calibration import objective

    real = objective.run_with_regimes

    def counted(*args, **kwargs):
        log.append(capsys.readouterr().err if not log else "")
        return real(*args, **kwargs)

    monkeypatch.setattr(objective, "run_with_regimes", counted)


_PLAN = re.compile(
    r"plan: --budget (\d+) covers the whole run: search <= (\d+) evaluations "
    r"\((\d+) simulations, search budget (\d+)\), then diagnostics <= (\d+) "
    r"evaluations \((\d+) simulations.*the hindcast (\d+) simulations; at most "
    r"(\d+) simulations in all \((\d+) per evaluation\)"
)


@pytest.mark.slow
@pytest.mark.parametrize("budget", [12, 30])
def test_calibrate_budget_bounds_the_whole_run(
    tmp_path, monkeypatch, capsys, budget, saved_figures
):
    spec = _calibration_spec(tmp_path / "spec.yaml")
    out = tmp_path / "cal.yaml"
    log: list[str] = []
    _count_model_runs(monkeypatch, capsys, log)
    code = main(["calibrate", str(spec), "--budget", str(budget), "--out", str(out)])
    err = (log[0] if log else "") + capsys.readouterr().err
    assert code == 0, err
    match = _PLAN.search(log[0])  # the plan line came before the first simulation
    assert match, err
    (total, search, _, search_budget, diagnostics, _, hindcast, simulations, per) = map(
        int, match.groups()
    )
    assert total == budget and per == 2
    assert search + diagnostics + -(-hindcast // per) <= budget  # in evaluations
    assert simulations == (search + diagnostics) * per + hindcast
    assert len(log) <= simulations  # what ran is within the plan ...
    assert len(log) <= budget * per  # ... and within the budget
    # the spec's diagnostics (8 x 7 + 2 x 5 = 66 evaluations) do not fit: the plan says what
    # it reduced, and the report records the plan
    assert "reduced from" in log[0]
    report = yaml.safe_load((tmp_path / "cal.report.json").read_text(encoding="utf-8"))
    assert report["evaluations"]["plan"]["simulations"] == simulations
    used = report["evaluations"]["search"] + report["evaluations"]["diagnostics"]
    assert used <= search + diagnostics and search_budget >= 4
    assert saved_figures, "calibrate drew no figure"  # each checked for units when saved


@pytest.mark.slow
def test_calibrate_without_budget_states_what_runs_after_the_search(tmp_path, monkeypatch, capsys):
    spec = _calibration_spec(
        tmp_path / "spec.yaml",
        search={"budget": 8, "population_per_parameter": 2, "polish_share": 0.25},
        diagnostics={
            "profile_points": 2,
            "bootstrap_resamples": 1,
            "bootstrap_evaluations": 2,
            "hindcast_replications": 2,
        },
    )
    log: list[str] = []
    _count_model_runs(monkeypatch, capsys, log)
    assert main(["calibrate", str(spec), "--out", str(tmp_path / "cal.yaml")]) == 0
    err = log[0] + capsys.readouterr().err
    match = re.search(
        r"plan: search <= (\d+) evaluations.*then diagnostics <= (\d+) "
        r"evaluations.*bootstrap (\d+), profiles (\d+)\) and the hindcast (\d+) "
        r"simulations; at most (\d+) simulations",
        log[0],
    )
    assert match, err
    search, diagnostics, bootstrap, profiles, hindcast, simulations = map(int, match.groups())
    assert (bootstrap, profiles, hindcast) == (1 * (2 + 1), 2 * 2, 2)
    assert search == 9  # max(budget 8, initial population 4 x 1 generation... ) + end point
    assert 0 < len(log) <= simulations == (search + diagnostics) * 2 + hindcast


def test_calibrate_budget_below_the_smallest_run_is_one_line(tmp_path, capsys):
    spec = _calibration_spec(
        tmp_path / "spec.yaml", search={"budget": 100, "population_per_parameter": 10}
    )  # initial population 20
    out = tmp_path / "cal.yaml"
    assert main(["calibrate", str(spec), "--budget", "10", "--out", str(out)]) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and "--budget" in lines[0] and "allowed: --budget >= 22" in lines[0]
    assert not out.exists() and not list(tmp_path.glob("*.lock"))


# ---- sensitivity: the μ*-σ chart and intervals in the index's domain -------------------------


@pytest.mark.slow
def test_sensitivity_of_a_morris_sweep_writes_the_mu_sigma_chart(tmp_path, capsys, saved_figures):
    import pandas as pd

    from tests.test_sweeps import inert_and_price_sweep

    directory = inert_and_price_sweep(
        tmp_path / "sweep", {"method": "morris", "samples": 4, "levels": 4, "seed": 3}
    )
    assert main(["sensitivity", str(directory), "--outcome", "gdp:2023", "--resamples", "50"]) == 0
    out = directory / "sensitivity"
    assert saved_figures == ["sensitivity.png", "morris_mu_sigma.png"]  # units checked
    manifest = yaml.safe_load((out / "manifest.json").read_text())
    assert "morris_mu_sigma.png" in manifest["files"]
    assert (out / "morris_mu_sigma.png").read_bytes()[:4] == b"\x89PNG"
    assert "morris_mu_sigma.png" in capsys.readouterr().out
    assert set(pd.read_csv(out / "sensitivity.csv")["index"]) >= {"mu_star", "sigma"}


def test_sensitivity_prints_intervals_within_the_index_domain(tmp_path, monkeypatch, capsys):
    """μ* is a mean of absolute values: the printed interval is cut at zero (as the charts
    draw it) and the cut is said; the CSV keeps the bootstrap's ends."""
    import pandas as pd

    import growthpole.experiments.sensitivity as sensitivity

    rows = []
    for factor, mu in (("innovation.talent_programmes", 2.0), ("business.tax_fee_cuts", 0.4)):
        for index, estimate, low, high in (
            ("mu_star", mu, mu - 3.0, mu + 3.0),
            ("sigma", mu / 2, np.nan, np.nan),
        ):
            rows.append(
                {
                    "outcome": "gdp:2030",
                    "factor": factor,
                    "index": index,
                    "estimate": estimate,
                    "conf_low": low,
                    "conf_high": high,
                    "method": "morris",
                    "variants": 12,
                    "replications": 2,
                }
            )
    table = pd.DataFrame(rows)
    monkeypatch.setattr(sensitivity, "analyse", lambda *args, **kwargs: table)
    assert main(["sensitivity", str(tmp_path), "--out", str(tmp_path / "s")]) == 0
    printed = capsys.readouterr().out
    assert "[0, 5]" in printed and "[0, 3.4]" in printed  # cut at zero, upper ends kept
    assert "[-1" not in printed and "[-2.6" not in printed
    assert "intervals cut at the index's domain" in printed
    stored = pd.read_csv(tmp_path / "s" / "sensitivity.csv")
    assert (stored.query("index == 'mu_star'").conf_low < 0).all()
