"""Reliability (issue 9): every bad input is one clear line with exit status 2, an interrupted
run loses nothing finished and leaves nothing that looks complete, the model's invariant
guards name year, region and quantity, a run can be reproduced from its manifest, and the
package never loads user files unsafely.

docs/reliability.md tabulates the cases below; keep the two in step.
"""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from growthpole import model as model_module
from growthpole.errors import ModelInvariantError, OutputError
from growthpole.experiments import store
from growthpole.io import write_parquet
from growthpole.provenance import bytes_sha256
from growthpole.regions import REGION_INDEX
from growthpole.schedule import SCHEDULE, Step

from .conftest import ROOT, tiny_scenario

TINY = {
    "name": "tiny_rel",
    "start_year": 2019,
    "end_year": 2021,
    "replications": 1,
    "seed": 11,
    "scale": {"people_per_agent": 20000, "workers_per_firm_agent": 10},
}


def cli(*args, env=None, cwd=None, timeout=300):
    environment = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "growthpole", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd or ROOT,
        env=environment,
        timeout=timeout,
    )


def write_yaml(path: Path, **changes) -> Path:
    data = {**TINY, **changes}
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def assert_clear_error(proc, *fragments):
    """Exit 2, exactly one line on stderr starting 'growthpole: error:', no traceback,
    and every fragment (file name, key, what is allowed) in that line."""
    assert proc.returncode == 2, (proc.returncode, proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    line = lines[0]
    assert line.startswith("growthpole: error: "), line
    for fragment in fragments:
        assert fragment in line, (fragment, line)
    return line


def alias_bomb(levels: int = 12, width: int = 9) -> str:
    """'Billion laughs': each level is a list of ``width`` aliases of the previous one."""
    lines = ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, levels):
        refs = ", ".join([f"*l{level - 1}"] * width)
        lines.append(f"l{level}: &l{level} [{refs}]")
    lines.append("name: bomb")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------------------
# 1. bad scenario files: one line naming file, key (or line) and what is allowed; exit 2
# ---------------------------------------------------------------------------------------

# (case id, file text or a mapping of changes to TINY, fragments the one line must hold)
SCENARIO_CASES = [
    ("malformed_yaml", "name: x\nstart_year: [2019\n", ["malformed YAML", "line 3"]),
    ("tab_indentation", "name: x\nscale:\n\tpeople_per_agent: 5\n", ["malformed YAML", "line"]),
    ("duplicate_key", "name: x\nname: y\n", ["duplicate key 'name'", "first on line 1"]),
    ("unknown_key", {"colour": "red"}, ["key 'colour'", "unknown key", "allowed: name"]),
    (
        "unknown_nested_key",
        {"scale": {"agents": 3}},
        ["key 'scale.agents'", "allowed: people_per_agent"],
    ),
    ("missing_name", "start_year: 2019\n", ["key 'name'", "required key is missing"]),
    ("wrong_type", {"seed": "abc"}, ["key 'seed'", "valid integer"]),
    (
        "wrong_type_mapping",
        {"scale": 5},
        ["key 'scale'", "must be a mapping of keys to values, got 5"],
    ),
    ("out_of_range", {"replications": 0}, ["key 'replications'", "greater than or equal to 1"]),
    (
        "year_out_of_range",
        {"start_year": 1900},
        ["key 'start_year'", "greater than or equal to 2000"],
    ),
    (
        "parameter_out_of_range",
        {"parameters": {"exit_rate": 5.0}},
        ["key 'parameters.exit_rate'", "outside the allowed range"],
    ),
    (
        "unknown_parameter",
        {"parameters": {"tfp_dirft": 0.01}},
        ["key 'parameters.tfp_dirft'", "unknown parameter; allowed:"],
    ),
    (
        "nan_parameter",
        "name: x\nparameters: {exit_rate: .nan}\n",
        ["key 'parameters.exit_rate'", "outside the allowed range"],
    ),
    (
        "end_before_start",
        {"start_year": 2025, "end_year": 2020},
        ["key 'end_year'", "must be after start_year"],
    ),
    (
        "unknown_lever",
        {"levers": {"integration.teleport": 0.1}},
        ["key 'levers.integration.teleport'", "unknown lever", "growthpole levers"],
    ),
    (
        "unknown_region_in_lever",
        {"levers": {"integration.atlantis_hangzhou_same_city": 1}},
        ["key 'levers.integration.atlantis_hangzhou_same_city'", "unknown lever"],
    ),
    (
        "lever_out_of_range",
        {"levers": {"integration.trade_cost_cut": 7}},
        ["key 'levers.integration.trade_cost_cut'", "allowed range [0.0, 0.5]"],
    ),
    (
        "lever_outside_horizon",
        {"levers": {"integration.trade_cost_cut": {2030: 0.1}}},
        ["key 'levers.integration.trade_cost_cut.2030'", "outside the horizon 2019-2021"],
    ),
    (
        "lever_year_not_a_year",
        {"levers": {"integration.trade_cost_cut": {"soon": 0.1}}},
        ["key 'levers.integration.trade_cost_cut'", "not a whole year"],
    ),
    (
        "lever_wrong_type",
        {"levers": {"integration.trade_cost_cut": "lots"}},
        ["key 'levers.integration.trade_cost_cut'", "a number or a {year: number} schedule"],
    ),
    (
        "lever_nan",
        "name: x\nend_year: 2021\nlevers: {integration.trade_cost_cut: .nan}\n",
        ["key 'levers.integration.trade_cost_cut'", "must be a number in [0.0, 0.5]"],
    ),
    ("levers_not_mapping", {"levers": [1, 2]}, ["key 'levers'", "must be a mapping"]),
    (
        "absurd_replications",
        {"replications": 10**6},
        ["key 'replications'", "safety limit 10000", "force: true"],
    ),
    (
        "absurd_scale",
        {"scale": {"people_per_agent": 1}},
        ["key 'scale.people_per_agent'", "force: true"],
    ),
    (
        "missing_calibration",
        {"calibration": "no_such_calibration.yaml"},
        ["key 'calibration'", "does not exist"],
    ),
    ("alias_bomb", alias_bomb(), ["malformed YAML", "alias bomb", "line"]),
    (
        "alias_bomb_few_aliases",
        alias_bomb(levels=30, width=2),
        ["malformed YAML", "alias bomb", "line"],
    ),
    ("recursive_alias", "a: &a [*a]\n", ["malformed YAML", "recursive YAML alias"]),
    (
        "too_many_aliases",
        "a: &a x\nb: [" + ", ".join(["*a"] * 101) + "]\n",
        ["malformed YAML", "more than 100 YAML aliases", "alias bomb"],
    ),
    (
        "python_tag",
        "!!python/object/apply:os.system ['echo pwned']\n",
        ["malformed YAML", "could not determine a constructor"],
    ),
    ("empty_file", "", ["the file is empty", "'name'"]),
    ("top_level_list", "- a\n- b\n", ["top level must be a mapping"]),
    ("nul_byte", "name: x\n\x00\n", ["malformed YAML", "unacceptable character"]),
]


def _scenario_file(tmp_path: Path, case: str, content) -> Path:
    path = tmp_path / f"{case}.yaml"
    if isinstance(content, dict):
        write_yaml(path, **content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def cli_in_process(capsys, *args):
    """``growthpole.cli.main`` (what ``python -m growthpole`` calls) in this process: the
    same parsing, handlers and error printing, without a 0.7 s interpreter start per case.
    :func:`test_entry_point_matches_in_process_cli` checks a sample through a real
    subprocess."""
    from growthpole.cli import main

    status = main([str(a) for a in args])
    captured = capsys.readouterr()
    return subprocess.CompletedProcess(args, status, captured.out, captured.err)


@pytest.mark.parametrize(
    ("case", "content", "fragments"), SCENARIO_CASES, ids=[c[0] for c in SCENARIO_CASES]
)
def test_bad_scenario_is_one_clear_line(tmp_path, capsys, case, content, fragments):
    path = _scenario_file(tmp_path, case, content)
    assert_clear_error(cli_in_process(capsys, "validate", path), str(path), *fragments)


ENTRY_POINT_SAMPLE = (
    "malformed_yaml",
    "unknown_key",
    "lever_outside_horizon",
    "alias_bomb",
    "empty_file",
)


@pytest.mark.slow
@pytest.mark.parametrize("case", ENTRY_POINT_SAMPLE)
def test_entry_point_matches_in_process_cli(tmp_path, capsys, case):
    """Through a real ``python -m growthpole`` subprocess: same status, same one line."""
    content, fragments = next((c[1], c[2]) for c in SCENARIO_CASES if c[0] == case)
    path = _scenario_file(tmp_path, case, content)
    proc = cli("validate", path)
    line = assert_clear_error(proc, str(path), *fragments)
    assert line == cli_in_process(capsys, "validate", path).stderr.strip()


def test_run_refuses_the_same_faults_as_validate(tmp_path, capsys):
    path = write_yaml(tmp_path / "s.yaml", levers={"integration.trade_cost_cut": {2030: 0.1}})
    proc = cli_in_process(capsys, "run", path, "--out", tmp_path / "out")
    assert_clear_error(proc, str(path), "levers.integration.trade_cost_cut.2030", "horizon")
    assert not (tmp_path / "out").exists()


def test_absurd_replications_on_the_command_line_need_force(tmp_path, capsys):
    path = write_yaml(tmp_path / "s.yaml")
    proc = cli_in_process(capsys, "run", path, "--replications", 10**6, "--out", tmp_path / "out")
    assert_clear_error(proc, str(path), "key 'replications'", "safety limit", "--force")


@pytest.mark.parametrize("case", ["directory", "missing", "non_utf8", "too_large"])
def test_unusable_scenario_paths(tmp_path, capsys, case):
    if case == "directory":
        path, fragment = tmp_path, "not a file"
    elif case == "missing":
        path, fragment = tmp_path / "nope.yaml", "does not exist"
    elif case == "too_large":
        path, fragment = tmp_path / "huge.yaml", "limited to 2000000 bytes"
        path.write_text("name: x\n" + "# padding\n" * 250_000)
    else:
        path, fragment = tmp_path / "latin1.yaml", "not UTF-8"
        path.write_bytes("name: caf\xe9\n".encode("latin-1"))
    assert_clear_error(cli_in_process(capsys, "validate", path), str(path), fragment)


@pytest.mark.slow
def test_debug_shows_the_traceback(tmp_path, capsys):
    path = write_yaml(tmp_path / "s.yaml", colour="red")
    for proc in (
        cli("--debug", "validate", path),
        cli_in_process(capsys, "validate", path, "--debug"),
    ):
        assert proc.returncode == 2
        assert "Traceback" in proc.stderr and "ScenarioError" in proc.stderr
        assert proc.stderr.strip().splitlines()[-1].startswith("growthpole: error: ")


@pytest.mark.slow
def test_python_tag_is_never_executed(tmp_path):
    marker = tmp_path / "pwned"
    path = tmp_path / "evil.yaml"
    path.write_text(f"!!python/object/apply:os.system ['touch {marker}']\n")
    assert cli("validate", path).returncode == 2
    assert not marker.exists()


# ---------------------------------------------------------------------------------------
# 1b. bad data files (GROWTHPOLE_DATA_DIR points at a broken copy of data/)
# ---------------------------------------------------------------------------------------


def _break_missing(d):
    (d / "travel_times.csv").unlink()
    return "travel_times.csv", ["data file is missing"]


def _break_corrupt(d):
    (d / "regions.csv").write_text('region_id,name_zh\n"yuecheng,unterminated\n')
    return "regions.csv", ["corrupt CSV"]


def _break_missing_column(d):
    frame = pd.read_csv(d / "regions.csv", dtype=str, keep_default_na=False)
    frame.drop(columns=["latitude"]).to_csv(d / "regions.csv", index=False)
    return "regions.csv", ["missing column(s) latitude", "expected region_id"]


def _break_nan(d):
    frame = pd.read_csv(d / "city_gdp.csv", dtype=str, keep_default_na=False)
    frame.loc[1, "gdp_100m_cny"] = "nan"
    frame.to_csv(d / "city_gdp.csv", index=False)
    return "city_gdp.csv", ["key 'gdp_100m_cny'", "row 3", "'nan' is not a finite number"]


def _break_unknown_region(d):
    frame = pd.read_csv(d / "travel_times.csv", dtype=str, keep_default_na=False)
    frame.loc[0, "origin"] = "atlantis"
    frame.to_csv(d / "travel_times.csv", index=False)
    return "travel_times.csv", [
        "key 'origin'",
        "row 2",
        "'atlantis' is not allowed",
        "allowed: yuecheng",
    ]


def _break_unknown_sector(d):
    frame = pd.read_csv(d / "platforms.csv", dtype=str, keep_default_na=False)
    frame.loc[0, "sector_focus"] = "electronics_ic;warp_drives"
    frame.to_csv(d / "platforms.csv", index=False)
    return "platforms.csv", [
        "key 'sector_focus'",
        "row 2",
        "unknown sector 'warp_drives'",
        "allowed: textiles_dyeing",
    ]


def _break_out_of_range(d):
    frame = pd.read_csv(d / "travel_times.csv", dtype=str, keep_default_na=False)
    frame.loc[0, "minutes"] = "-5"
    frame.to_csv(d / "travel_times.csv", index=False)
    return "travel_times.csv", ["key 'minutes'", "row 2", "outside [1.0, 2000.0]"]


def _break_non_utf8(d):
    (d / "regions.csv").write_bytes((d / "regions.csv").read_text().encode("gb18030"))
    return "regions.csv", ["not UTF-8"]


def _break_empty(d):
    (d / "platforms.csv").write_text("")
    return "platforms.csv", ["the file is empty", "expected a header row platform_id"]


DATA_FAULTS = [
    _break_missing,
    _break_corrupt,
    _break_missing_column,
    _break_nan,
    _break_unknown_region,
    _break_unknown_sector,
    _break_out_of_range,
    _break_non_utf8,
    _break_empty,
]


@pytest.mark.slow
@pytest.mark.parametrize("breaker", DATA_FAULTS, ids=[f.__name__[7:] for f in DATA_FAULTS])
def test_bad_data_file_is_one_clear_line(tmp_path, breaker):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data, ignore=shutil.ignore_patterns("*.py", "*.md"))
    name, fragments = breaker(data)
    scenario = write_yaml(tmp_path / "s.yaml")
    proc = cli("run", scenario, "--out", tmp_path / "out", env={"GROWTHPOLE_DATA_DIR": str(data)})
    assert_clear_error(proc, str(data / name), *fragments)
    assert not (tmp_path / "out" / "city_year.parquet").exists()


# ---------------------------------------------------------------------------------------
# 1c. output locations
# ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def finished_run(tmp_path_factory):
    """One complete tiny run directory (and its scenario file) shared by several tests."""
    base = tmp_path_factory.mktemp("finished")
    scenario = write_yaml(base / "s.yaml", replications=2)
    out = base / "run"
    proc = cli("run", scenario, "--out", out)
    assert proc.returncode == 0, proc.stderr
    return scenario, out


@pytest.mark.slow
def test_existing_results_are_refused(finished_run, capsys):
    scenario, out = finished_run
    before = (out / "city_year.parquet").read_bytes()
    assert_clear_error(
        cli_in_process(capsys, "run", scenario, "--out", out),
        str(out),
        "already holds results",
        "--overwrite",
        "--resume",
    )
    assert (out / "city_year.parquet").read_bytes() == before


def test_overwrite_and_resume_exclude_each_other(finished_run, capsys):
    scenario, out = finished_run
    proc = cli_in_process(capsys, "run", scenario, "--out", out, "--overwrite", "--resume")
    assert_clear_error(proc, str(out), "exclude each other")


def test_resume_refuses_a_different_scenario(finished_run, tmp_path, capsys):
    _, out = finished_run
    other = write_yaml(tmp_path / "other.yaml", replications=2, seed=99)
    assert_clear_error(
        cli_in_process(capsys, "run", other, "--out", out, "--resume"),
        str(out / "manifest.json"),
        "key 'scenario_hash'",
        "different scenario",
        "--overwrite",
    )


def test_resume_of_a_complete_run_does_nothing(finished_run, capsys):
    scenario, out = finished_run
    before = (out / "city_year.parquet").read_bytes()
    proc = cli_in_process(capsys, "run", scenario, "--out", out, "--resume")
    assert proc.returncode == 0, proc.stderr
    assert "already complete" in proc.stdout
    assert (out / "city_year.parquet").read_bytes() == before


def test_output_path_is_a_file(tmp_path, capsys):
    scenario = write_yaml(tmp_path / "s.yaml")
    target = tmp_path / "a_file"
    target.write_text("x")
    assert_clear_error(
        cli_in_process(capsys, "run", scenario, "--out", target), str(target), "not a directory"
    )


def test_output_parent_is_a_file(tmp_path, capsys):
    scenario = write_yaml(tmp_path / "s.yaml")
    (tmp_path / "a_file").write_text("x")
    target = tmp_path / "a_file" / "run"
    assert_clear_error(
        cli_in_process(capsys, "run", scenario, "--out", target),
        str(target),
        "cannot create output directory",
    )


@pytest.mark.skipif(
    hasattr(os, "geteuid") and os.geteuid() == 0, reason="root ignores directory permissions"
)
def test_unwritable_output_directory(tmp_path, capsys):
    scenario = write_yaml(tmp_path / "s.yaml")
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        proc = cli_in_process(capsys, "run", scenario, "--out", locked)
        assert_clear_error(proc, str(locked), "not writable")
    finally:
        locked.chmod(0o755)


def test_unwritable_output_directory_as_any_user(tmp_path, capsys, monkeypatch):
    """The same refusal where root would ignore permissions: os.access reports the
    directory read-only, as it does for an ordinary user on a directory they cannot write."""
    import growthpole.io as io_module

    scenario = write_yaml(tmp_path / "s.yaml")
    target = tmp_path / "readonly"
    target.mkdir()
    real_access = os.access
    monkeypatch.setattr(
        io_module.os,
        "access",
        lambda path, mode: (
            False if Path(path) == target and mode == os.W_OK else real_access(path, mode)
        ),
    )
    proc = cli_in_process(capsys, "run", scenario, "--out", target)
    assert_clear_error(proc, str(target), "output directory is not writable")
    assert not list(target.iterdir())


def test_full_disk_is_one_line_and_leaves_nothing_complete(tmp_path, monkeypatch, capsys):
    """An OSError while writing (here: ENOSPC half-way through city_year.parquet) is one
    line, exit 2; the partial file is removed; the manifest says complete: false."""
    from growthpole.cli import main

    scenario = write_yaml(tmp_path / "s.yaml", replications=2)
    out = tmp_path / "run"
    real = pd.DataFrame.to_parquet

    def fail_on_final(self, path, *args, **kwargs):
        if Path(path).name.startswith(".city_year.parquet"):
            Path(path).write_bytes(b"PAR1 half a file")
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        return real(self, path, *args, **kwargs)

    monkeypatch.setattr(pd.DataFrame, "to_parquet", fail_on_final)
    status = main(["run", str(scenario), "--out", str(out)])
    err = capsys.readouterr().err.strip()
    assert status == 2
    assert len(err.splitlines()) == 1 and "No space left on device" in err
    assert not (out / "city_year.parquet").exists()
    assert not list(out.glob(".*.tmp"))
    assert json.loads((out / "manifest.json").read_text())["complete"] is False
    monkeypatch.setattr(pd.DataFrame, "to_parquet", real)
    assert main(["run", str(scenario), "--out", str(out), "--resume"]) == 0
    assert "2 kept from the interrupted run" in capsys.readouterr().out


# ---------------------------------------------------------------------------------------
# 3. nothing lost: interruption, resume, byte-identical results
# ---------------------------------------------------------------------------------------


def _looks_complete(directory: Path) -> bool:
    manifest = directory / "manifest.json"
    return manifest.exists() and json.loads(manifest.read_text()).get("complete") is True


def test_interrupted_run_resumes_to_identical_bytes(tmp_path, monkeypatch):
    from growthpole import rerun as rerun_module
    from growthpole import runner

    scenario = tiny_scenario(replications=5, end_year=2021)
    real = runner.simulate
    calls: list[int] = []

    def interrupt_at_two(scenario, seed_sequence, *, replication=0, **kwargs):
        if replication == 2:
            raise KeyboardInterrupt  # Ctrl-C during the third replication
        calls.append(replication)
        return real(scenario, seed_sequence, replication=replication, **kwargs)

    out = tmp_path / "interrupted"
    monkeypatch.setattr(runner, "simulate", interrupt_at_two)
    with pytest.raises(KeyboardInterrupt):
        rerun_module.run_to_directory(scenario, out)
    assert not (out / "city_year.parquet").exists()
    assert not _looks_complete(out)
    key = rerun_module.run_key(scenario, scenario.model_parameters())
    assert sorted(p.name for p in (out / "parts").iterdir()) == [
        f"replication_00000-{key}.parquet",
        f"replication_00001-{key}.parquet",
    ]
    with pytest.raises(OutputError, match="already holds results"):
        rerun_module.run_to_directory(scenario, out)  # neither --overwrite nor --resume

    calls.clear()

    def counting(scenario, seed_sequence, *, replication=0, **kwargs):
        calls.append(replication)
        return real(scenario, seed_sequence, replication=replication, **kwargs)

    monkeypatch.setattr(runner, "simulate", counting)
    done = rerun_module.run_to_directory(scenario, out, resume=True)
    assert calls == [2, 3, 4] and done.reused == 2
    assert _looks_complete(out) and not (out / "parts").exists()

    fresh = tmp_path / "fresh"
    rerun_module.run_to_directory(scenario, fresh)
    assert (out / "city_year.parquet").read_bytes() == (fresh / "city_year.parquet").read_bytes()
    assert (out / "summary.csv").read_bytes() == (fresh / "summary.csv").read_bytes()
    frame = pd.read_parquet(out / "city_year.parquet")
    assert sorted(frame.replication.unique()) == [0, 1, 2, 3, 4]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("signum", "status", "word"),
    [(signal.SIGTERM, 143, "terminated"), (signal.SIGINT, 130, "interrupted")],
    ids=["SIGTERM", "SIGINT"],
)
def test_signal_during_replications_leaves_nothing_complete(tmp_path, signum, status, word):
    """A real process sent SIGTERM (or Ctrl-C's SIGINT) half-way: exit 143 (130), no
    city_year.parquet, no temporaries, manifest complete: false; --resume keeps the parts
    and finishes (checked after SIGTERM)."""
    scenario = write_yaml(tmp_path / "s.yaml", replications=60, end_year=2020)
    out = tmp_path / "run"
    process = subprocess.Popen(
        [sys.executable, "-m", "growthpole", "run", str(scenario), "--out", str(out)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        if len(list((out / "parts").glob("replication_*.parquet"))) >= 2:
            break
        time.sleep(0.02)
    assert process.poll() is None, "the run finished before it could be interrupted"
    process.send_signal(signum)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == status, stderr
    assert word in stderr and "Traceback" not in stderr
    assert not (out / "city_year.parquet").exists()
    assert not _looks_complete(out)
    assert not list(out.rglob(".*.tmp"))
    kept = len(list((out / "parts").glob("replication_*.parquet")))
    assert 2 <= kept < 60
    if signum != signal.SIGTERM:
        return
    proc = cli("run", scenario, "--out", out, "--resume")
    assert proc.returncode == 0, proc.stderr
    assert f"({kept} kept from the interrupted run)" in proc.stdout
    assert _looks_complete(out)
    frame = pd.read_parquet(out / "city_year.parquet")
    assert sorted(frame.replication.unique()) == list(range(60))


def test_corrupt_part_is_reported_on_resume(tmp_path, monkeypatch):
    from growthpole import rerun as rerun_module
    from growthpole import runner

    scenario = tiny_scenario(replications=3, end_year=2021)
    real = runner.simulate

    def interrupt_at_two(scenario, seed_sequence, *, replication=0, **kwargs):
        if replication == 2:
            raise KeyboardInterrupt
        return real(scenario, seed_sequence, replication=replication, **kwargs)

    out = tmp_path / "run"
    monkeypatch.setattr(runner, "simulate", interrupt_at_two)
    with pytest.raises(KeyboardInterrupt):
        rerun_module.run_to_directory(scenario, out)
    part = rerun_module.part_path(
        out, 1, rerun_module.run_key(scenario, scenario.model_parameters())
    )
    part.write_bytes(b"not parquet")
    with pytest.raises(OutputError, match="corrupt Parquet file") as info:
        rerun_module.run_to_directory(scenario, out, resume=True)
    assert str(part) in str(info.value)


# ---------------------------------------------------------------------------------------
# 4. numerical guards: ModelInvariantError names year, region and quantity
# ---------------------------------------------------------------------------------------


def _first_firm_in(context, region):
    firms = context.state.firms
    return np.flatnonzero(firms.live & (firms.region == REGION_INDEX[region]))[0]


def _nan_capital(context):
    if context.state.year == 2021:
        context.state.firms.capital[_first_firm_in(context, "keqiao")] = np.nan


def _infinite_tfp(context):
    if context.state.year == 2020:
        context.state.firms.log_tfp[_first_firm_in(context, "hangzhou")] = np.inf


def _negative_land(context):
    if context.state.year == 2022:
        context.state.firms.land_mu[_first_firm_in(context, "zhuji")] = -1.0


def _nan_region_stock(context):
    if context.state.year == 2020:
        context.state.regions.nonmodelled_gdp[REGION_INDEX["ningbo"]] = np.nan


def _lose_people(context):
    if context.state.year == 2023:
        talent = context.state.talent
        rows = np.flatnonzero(talent.live & (talent.region == REGION_INDEX["shangyu"]))[:3]
        talent.remove(rows)


@pytest.mark.parametrize(
    ("injector", "fragments"),
    [
        (_nan_capital, ["year 2021", "region keqiao", "capital", "not finite"]),
        (_infinite_tfp, ["year 2020", "region hangzhou", "log_tfp", "not finite"]),
        (_negative_land, ["year 2022", "region zhuji", "negative", "land_mu"]),
        (_nan_region_stock, ["year 2020", "region ningbo", "nonmodelled_gdp"]),
        # conservation is checked over all regions (migration moves people between them)
        (_lose_people, ["year 2023", "region shangyu", "people not conserved"]),
    ],
    ids=["nan_capital", "inf_tfp", "negative_land", "nan_region_stock", "people_lost"],
)
def test_invariant_guards_name_year_region_quantity(injector, fragments):
    schedule = SCHEDULE.inserted(Step("inject_fault", injector), after="migration")
    model = model_module.GrowthPoleModel(
        tiny_scenario(), np.random.SeedSequence(3), schedule=schedule
    )
    with np.errstate(all="ignore"), pytest.raises(ModelInvariantError) as info:
        model.run()
    message = str(info.value)
    for fragment in fragments:
        assert fragment in message, (fragment, message)


def test_guards_stay_quiet_without_a_fault():
    """The same scenario and seed without the injected fault runs to the end (so the guards
    above fire because of the fault, not because the model is broken)."""
    schedule = SCHEDULE.inserted(Step("inject_fault", lambda context: None), after="migration")
    frame = model_module.GrowthPoleModel(
        tiny_scenario(), np.random.SeedSequence(3), schedule=schedule
    ).run()
    assert frame.year.max() == 2025 and np.isfinite(frame.gdp).all()


# ---------------------------------------------------------------------------------------
# 5. reproducibility: manifest contents and `growthpole rerun`
# ---------------------------------------------------------------------------------------


@pytest.mark.slow
def test_manifest_records_what_a_rerun_needs(finished_run):
    from growthpole.provenance import file_sha256

    _, out = finished_run
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["complete"] is True
    assert len(manifest["scenario_hash"]) == 64
    assert manifest["scenario"]["seed"] == TINY["seed"] == manifest["root_seed"]
    assert [s["spawn_key"] for s in manifest["seeds"]] == [[0], [1]]
    assert {"python", "numpy", "pandas", "mesa", "growthpole"} <= set(manifest["versions"])
    assert "git_commit" in manifest
    assert manifest["files_sha256"]["city_year.parquet"] == file_sha256(out / "city_year.parquet")
    assert manifest["data_sha256"]["city_gdp.csv"] == file_sha256(ROOT / "data" / "city_gdp.csv")


@pytest.mark.slow
def test_rerun_reproduces_and_detects_a_difference(tmp_path):
    scenario = write_yaml(tmp_path / "s.yaml", end_year=2020)
    out = tmp_path / "run"
    assert cli("run", scenario, "--out", out).returncode == 0
    scenario.unlink()  # the manifest alone must suffice
    same = cli("rerun", out)
    assert same.returncode == 0, same.stdout + same.stderr
    assert "IDENTICAL" in same.stdout and "byte-identical" in same.stdout
    assert "scenario hash: matches the manifest" in same.stdout

    frame = pd.read_parquet(out / "city_year.parquet")
    frame.loc[frame.index[-1], "gdp"] *= 1.01
    write_parquet(out / "city_year.parquet", frame)
    kept = tmp_path / "reproduction"
    different = cli("rerun", out, "--out", kept)
    assert different.returncode == 1, different.stdout + different.stderr
    assert "DIFFERENT" in different.stdout
    assert "column gdp: 1 values differ" in different.stdout
    assert "no longer matches the hash its manifest recorded" in different.stdout
    assert _looks_complete(kept)


@pytest.mark.parametrize("case", ["no_manifest", "corrupt_manifest", "incomplete", "not_dir"])
def test_rerun_of_an_unusable_directory(tmp_path, capsys, case):
    target = tmp_path / "run"
    target.mkdir()
    fragments = []
    if case == "no_manifest":
        fragments = [str(target / "manifest.json"), "not a growthpole run directory"]
    elif case == "corrupt_manifest":
        (target / "manifest.json").write_text("{not json")
        fragments = [str(target / "manifest.json"), "corrupt manifest"]
    elif case == "incomplete":
        (target / "manifest.json").write_text(
            json.dumps(
                {
                    "scenario": TINY,
                    "parameters": {},
                    "root_seed": 11,
                    "replications": 1,
                    "complete": False,
                }
            )
        )
        fragments = [str(target / "manifest.json"), "key 'complete'", "--resume"]
    else:
        target = tmp_path / "file"
        target.write_text("x")
        fragments = [str(target), "not a directory"]
    assert_clear_error(cli_in_process(capsys, "rerun", target), *fragments)


# ---------------------------------------------------------------------------------------
# 6. safe defaults
# ---------------------------------------------------------------------------------------

UNSAFE = {
    "yaml.load without SafeLoader": re.compile(r"\byaml\.(load|load_all|unsafe_load|full_load)\("),
    "an unsafe YAML Loader": re.compile(r"Loader\s*=\s*yaml\.(Unsafe|Full)?Loader\b"),
    "eval/exec": re.compile(r"(?<![\w.])(eval|exec)\("),
    "pickle": re.compile(
        r"\b(pickle|cloudpickle|dill|joblib)\.loads?\(|read_pickle\(|"
        r"allow_pickle\s*=\s*True"
    ),
    "shell=True": re.compile(r"shell\s*=\s*True"),
}


#: loads that read no file and no user input, each with its reason
TRUSTED = {
    (
        "growthpole/calibration/posterior.py",
        "cloudpickle.loads(payload)",
    ): "the parent's own pyabc sampling closure, sent once per generation to its own Dask "
    "workers (Dask serialises every task this way); never read from a file",
}


def test_package_has_no_unsafe_loading():
    offences = []
    for path in sorted((ROOT / "growthpole").rglob("*.py")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            code = line.split("#", 1)[0]
            for what, pattern in UNSAFE.items():
                trusted = any(
                    str(path.relative_to(ROOT)) == file and fragment in code
                    for file, fragment in TRUSTED
                )
                if pattern.search(code) and not trusted:
                    offences.append(f"{path.relative_to(ROOT)}:{number}: {what}: {line.strip()}")
    assert not offences, "\n".join(offences)


def test_the_unsafe_patterns_would_be_caught():
    """The grep above can fail: each pattern matches the code it is meant to forbid."""
    samples = {
        "yaml.load without SafeLoader": "data = yaml.load(text)",
        "an unsafe YAML Loader": "Loader=yaml.Loader",
        "eval/exec": "value = eval(expression)",
        "pickle": "obj = pickle.load(handle)",
        "shell=True": "subprocess.run(cmd, shell=True)",
    }
    for what, sample in samples.items():
        assert UNSAFE[what].search(sample), what
    assert not UNSAFE["eval/exec"].search("frame.eval('a + b')")


def test_yaml_reader_is_a_safe_loader():
    from growthpole.scenario import _LimitedLoader

    assert issubclass(_LimitedLoader, yaml.SafeLoader)


@pytest.mark.slow
def test_dask_cluster_binds_to_localhost_over_tls():
    """The embedded cluster's scheduler, workers and dashboard listen on 127.0.0.1 only, over
    TLS, and a client without its credentials cannot connect (checked on a running cluster,
    not on the source text)."""
    from distributed import Client

    from growthpole.experiments import execute

    with execute.local_cluster(1) as cluster:
        assert cluster.scheduler_address.startswith("tls://127.0.0.1:")
        workers = cluster.scheduler_info["workers"]
        assert workers and all(address.startswith("tls://127.0.0.1:") for address in workers)
        assert cluster.dashboard_link.startswith("http://127.0.0.1:")
        # a client with other TLS credentials (another user's, another process's) is refused
        with pytest.raises((OSError, TimeoutError)):
            Client(cluster.scheduler_address, security=execute.cluster_security(), timeout="3s")


def test_rerun_of_a_calibrated_run_needs_only_the_manifest(tmp_path):
    """The manifest records the effective parameters, so a rerun reproduces a calibrated run
    after its calibration file is gone; and the calibrated value really was used."""
    from growthpole.rerun import rerun, run_to_directory
    from growthpole.scenario import load_scenario

    (tmp_path / "calibrated.yaml").write_text("parameters: {exit_rate: 0.031}\n")
    path = write_yaml(tmp_path / "s.yaml", end_year=2020, calibration="calibrated.yaml")
    out = tmp_path / "run"
    run_to_directory(load_scenario(path), out)
    assert json.loads((out / "manifest.json").read_text())["parameters"]["exit_rate"] == 0.031
    (tmp_path / "calibrated.yaml").unlink()
    path.unlink()
    report = rerun(out)
    assert report.identical, report.lines
    assert any("not re-derived" in line for line in report.lines)


def test_resumable_writer_matches_the_plain_writer(tmp_path):
    """Writing through per-replication parts changes no byte of city_year.parquet compared
    with run_scenario + write_run (the parts round-trip exactly)."""
    from growthpole.rerun import run_to_directory
    from growthpole.runner import RUN_FILES, run_scenario, write_run

    scenario = tiny_scenario(replications=3, end_year=2021)
    write_run(run_scenario(scenario), tmp_path / "plain")
    run_to_directory(scenario, tmp_path / "parts")
    plain, parts = _tree(tmp_path / "plain"), _tree(tmp_path / "parts")
    # one writer (runner.write_results): the same files, the same result bytes, and both
    # manifests list every file with its hash
    lock = {".growthpole.lock"}  # the directory lock file (growthpole.io)
    assert set(plain) - lock == set(parts) - lock == {"manifest.json", *RUN_FILES}
    for name in RUN_FILES:
        assert plain[name] == parts[name], name
    for tree in (plain, parts):
        recorded = json.loads(tree["manifest.json"])
        assert recorded["complete"] is True and recorded["files"] == list(RUN_FILES)
        assert recorded["files_sha256"] == {name: bytes_sha256(tree[name]) for name in RUN_FILES}
        assert recorded["data_sha256"]


# =======================================================================================
# issue 20: nothing lost, nobody in
# =======================================================================================


def _tree(directory: Path) -> dict[str, bytes]:
    """Every file below ``directory`` with its bytes (the disk "as it was")."""
    return {
        str(p.relative_to(directory)): p.read_bytes()
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


def _user_directory(path: Path) -> Path:
    path.mkdir()
    (path / "paper.tex").write_text("\\section{Results}\n")
    (path / ".notes.tmp").write_text("my temporary notes\n")  # looks like a temporary
    return path


# ---- 1. never destroy what growthpole did not write ---------------------------------


@pytest.mark.parametrize(
    "flags", [(), ("--overwrite",), ("--resume",)], ids=["plain", "overwrite", "resume"]
)
def test_run_refuses_a_directory_it_did_not_write(tmp_path, capsys, flags):
    scenario = write_yaml(tmp_path / "s.yaml")
    user = _user_directory(tmp_path / "mine")
    before = _tree(user)
    proc = cli_in_process(capsys, "run", scenario, "--out", user, *flags)
    assert_clear_error(
        proc, str(user), "not empty", "no growthpole manifest.json", "choose another --out"
    )
    assert _tree(user) == before


def test_overwrite_deletes_only_the_files_the_manifest_lists(finished_run, tmp_path, capsys):
    scenario, original = finished_run
    out = tmp_path / "run"
    shutil.copytree(original, out)
    (out / "notes.txt").write_text("mine\n")
    (out / ".draft.tmp").write_text("mine too\n")
    (out / "parts").mkdir()
    (out / "parts" / "keep.csv").write_text("a,b\n")
    assert cli_in_process(capsys, "run", scenario, "--out", out, "--overwrite").returncode == 0
    assert (out / "notes.txt").read_text() == "mine\n"
    assert (out / ".draft.tmp").read_text() == "mine too\n"
    assert (out / "parts" / "keep.csv").read_text() == "a,b\n"
    assert _looks_complete(out)


def test_scenario_named_dot_dot_is_refused_and_writes_nothing(tmp_path, capsys, monkeypatch):
    work = tmp_path / "work"
    work.mkdir()
    scenario = write_yaml(tmp_path / "dots.yaml", name="..")
    monkeypatch.chdir(work)
    proc = cli_in_process(capsys, "run", scenario)
    assert_clear_error(proc, "key 'name'", "should match pattern")
    assert list(work.iterdir()) == [] and not (tmp_path / "manifest.json").exists()


@pytest.mark.parametrize(
    ("name", "component"),
    [
        ("..", "unnamed"),
        (".", "unnamed"),
        ("../../etc", "_.._etc"),
        ("a/b", "a_b"),
        (".hidden", "hidden"),
        ("绍兴", "绍兴"),
        ("ok-name_1.2", "ok-name_1.2"),
    ],
)
def test_names_become_one_safe_path_component(name, component):
    from growthpole.io import safe_component

    assert safe_component(name) == component
    assert "/" not in component and not component.startswith(".")


def test_sweep_overwrite_keeps_a_users_file_in_results(tmp_path, capsys):
    sweep_file = _tiny_sweep_file(tmp_path)
    out = tmp_path / "sweep"
    assert (
        cli_in_process(capsys, "sweep", sweep_file, "--out", out, "--cluster", "serial").returncode
        == 0
    )
    (out / "results" / "important.csv").write_text("keep me\n")
    (out / "notes.md").write_text("keep me too\n")
    proc = cli_in_process(
        capsys, "sweep", sweep_file, "--out", out, "--cluster", "serial", "--overwrite"
    )
    assert proc.returncode == 0, proc.stderr
    assert (out / "results" / "important.csv").read_text() == "keep me\n"
    assert (out / "notes.md").read_text() == "keep me too\n"
    assert len(store.stored_run_ids(out)) == 2


def test_sweep_refuses_a_directory_it_did_not_write(tmp_path, capsys):
    sweep_file = _tiny_sweep_file(tmp_path)
    user = _user_directory(tmp_path / "mine")
    before = _tree(user)
    for flags in ((), ("--overwrite",), ("--resume",)):
        proc = cli_in_process(
            capsys, "sweep", sweep_file, "--out", user, "--cluster", "serial", *flags
        )
        assert_clear_error(proc, str(user), "not empty", "no growthpole manifest.json")
    assert _tree(user) == before


def test_compare_refuses_a_directory_it_did_not_write(tmp_path, capsys):
    a = write_yaml(tmp_path / "a.yaml", name="a", replications=2)
    b = write_yaml(tmp_path / "b.yaml", name="b", replications=2)
    user = _user_directory(tmp_path / "mine")
    before = _tree(user)
    proc = cli_in_process(capsys, "compare", a, b, "--out", user, "--overwrite")
    assert_clear_error(proc, str(user), "not empty")
    assert _tree(user) == before


def test_calibrate_overwrite_replaces_only_a_calibrated_file(tmp_path, capsys):
    spec = ROOT / "scenarios" / "calibration" / "history.yaml"
    mine = tmp_path / "mine.yaml"
    mine.write_text("parameters: {tfp_drift: 0.01}  # my own file\n")
    proc = cli_in_process(capsys, "calibrate", spec, "--out", mine, "--overwrite")
    assert_clear_error(proc, str(mine), "not written by `growthpole calibrate`")
    assert mine.read_text() == "parameters: {tfp_drift: 0.01}  # my own file\n"


def test_stray_temporaries_of_other_names_survive_a_resume(tmp_path):
    """Only growthpole's own temporaries (`.city_year.parquet.XXXX.tmp`, ...) are cleaned."""
    from growthpole import rerun as rerun_module

    scenario = tiny_scenario(replications=2, end_year=2021)
    out = tmp_path / "run"
    rerun_module.run_to_directory(scenario, out)
    ours = out / ".city_year.parquet.abcd1234.tmp"
    theirs = out / ".notes.tmp"
    ours.write_bytes(b"half")
    theirs.write_text("mine")
    rerun_module.run_to_directory(scenario, out, overwrite=True)
    assert not ours.exists() and theirs.read_text() == "mine"


# ---- 2. exclusive output -------------------------------------------------------------


def _hold_lock(lock_path: str, ready, release) -> None:
    from growthpole.io import exclusive_lock

    with exclusive_lock(lock_path):
        ready.set()
        release.wait(60)


@pytest.mark.slow
def test_a_second_writer_is_refused_while_the_lock_is_held(tmp_path, capsys):
    import multiprocessing

    from growthpole.io import LOCK_NAME

    scenario = write_yaml(tmp_path / "s.yaml")
    out = tmp_path / "run"
    out.mkdir()
    context = multiprocessing.get_context("spawn")
    ready, release = context.Event(), context.Event()
    holder = context.Process(target=_hold_lock, args=(str(out / LOCK_NAME), ready, release))
    holder.start()
    try:
        assert ready.wait(60)
        proc = cli_in_process(capsys, "run", scenario, "--out", out)
        assert_clear_error(proc, str(out), "another growthpole process", f"(process {holder.pid})")
        assert not (out / "manifest.json").exists()
    finally:
        release.set()
        holder.join(60)
    assert cli_in_process(capsys, "run", scenario, "--out", out).returncode == 0


@pytest.mark.slow
def test_two_concurrent_runs_into_one_directory_cannot_both_succeed(tmp_path):
    """Two real `growthpole run` processes started together into one --out: exactly one
    exits 0; the other exits 2 with one line (locked, or the winner's results exist)."""
    scenario = write_yaml(tmp_path / "s.yaml", replications=6, end_year=2021)
    out = tmp_path / "run"
    command = [sys.executable, "-m", "growthpole", "run", str(scenario), "--out", str(out)]
    processes = [
        subprocess.Popen(
            command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    outputs = [p.communicate(timeout=300) for p in processes]
    statuses = sorted(p.returncode for p in processes)
    assert statuses == [0, 2], outputs
    loser = outputs[[p.returncode for p in processes].index(2)][1]
    assert len(loser.strip().splitlines()) == 1 and "Traceback" not in loser
    assert ("another growthpole process" in loser) or ("already holds results" in loser)
    frame = pd.read_parquet(out / "city_year.parquet")
    assert sorted(frame.replication.unique()) == list(range(6))


@pytest.mark.slow
def test_lock_is_released_when_the_holder_is_killed(tmp_path):
    """flock dies with its process: a SIGKILLed run leaves no stale lock."""
    scenario = write_yaml(tmp_path / "s.yaml", replications=60, end_year=2020)
    out = tmp_path / "run"
    process = subprocess.Popen(
        [sys.executable, "-m", "growthpole", "run", str(scenario), "--out", str(out)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        if list((out / "parts").glob("replication_*.parquet")):
            break
        time.sleep(0.02)
    assert process.poll() is None, "the run finished before it could be killed"
    process.kill()
    process.communicate(timeout=60)
    proc = cli("run", scenario, "--out", out, "--resume")
    assert proc.returncode == 0, proc.stderr
    assert _looks_complete(out)


def test_resume_refuses_parts_of_another_scenario(tmp_path):
    """Parts are named by the scenario+parameters key: parts of scenario A found when
    resuming scenario B (e.g. after two writers raced before locks existed) refuse the
    resume instead of being mixed into B's city_year.parquet."""
    from growthpole import rerun as rerun_module
    from growthpole import runner

    a = tiny_scenario(replications=3, end_year=2021, name="a")
    b = tiny_scenario(replications=3, end_year=2021, name="b", seed=999)
    out = tmp_path / "run"
    real = runner.simulate

    def interrupt_at_two(scenario, seed_sequence, *, replication=0, **kwargs):
        if replication == 2:
            raise KeyboardInterrupt
        return real(scenario, seed_sequence, replication=replication, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(runner, "simulate", interrupt_at_two)
        with pytest.raises(KeyboardInterrupt):
            rerun_module.run_to_directory(b, out)
        foreign = rerun_module.part_path(out, 0, rerun_module.run_key(a, a.model_parameters()))
        write_parquet(foreign, real(a, np.random.SeedSequence(1), replication=0))
    with pytest.raises(OutputError, match="refusing to mix") as info:
        rerun_module.run_to_directory(b, out, resume=True)
    assert str(foreign) in str(info.value) and not (out / "city_year.parquet").exists()


@pytest.mark.slow
def test_second_sweep_into_a_locked_directory_is_refused(tmp_path, capsys):
    import multiprocessing

    from growthpole.io import LOCK_NAME

    sweep_file = _tiny_sweep_file(tmp_path)
    out = tmp_path / "sweep"
    out.mkdir()
    context = multiprocessing.get_context("spawn")
    ready, release = context.Event(), context.Event()
    holder = context.Process(target=_hold_lock, args=(str(out / LOCK_NAME), ready, release))
    holder.start()
    try:
        assert ready.wait(60)
        proc = cli_in_process(
            capsys, "sweep", sweep_file, "--out", out, "--cluster", "serial", "--overwrite"
        )
        assert_clear_error(proc, str(out), "another growthpole process")
        assert sorted(p.name for p in out.iterdir()) == [LOCK_NAME]
    finally:
        release.set()
        holder.join(60)


# ---- 3. one validation layer: every bad input, one line, exit 2, disk unchanged -----

TINY_SWEEP = {
    "name": "tiny-sweep",
    "scenario": "s.yaml",
    "replications": 1,
    "design": {"method": "grid", "levels": 2},
    "factors": [
        {"lever": "integration.hangzhou_travel_time_cut", "range": [0.0, 0.5], "from_year": 2020}
    ],
    "outcomes": {"regions": ["shaoxing"], "columns": ["gdp"], "years": "all"},
}


def _tiny_sweep_file(directory: Path, **changes) -> Path:
    write_yaml(directory / "s.yaml")
    path = directory / "sweep.yaml"
    path.write_text(yaml.safe_dump({**TINY_SWEEP, **changes}), encoding="utf-8")
    return path


SWEEP_FLAG_CASES = [
    ("workers_huge", ("--workers", "100000"), ["--workers", "between 1 and 256", "100000"]),
    ("workers_negative", ("--workers", "-2"), ["--workers", "between 1 and 256", "-2"]),
    ("flush_nan", ("--flush-seconds", "nan"), ["--flush-seconds", "finite", "nan"]),
    ("flush_negative", ("--flush-seconds", "-1"), ["--flush-seconds", "in [0, 86400]"]),
    ("batch_zero", ("--batch-runs", "0"), ["--batch-runs", "between 1 and 1000000"]),
    (
        "scheduler_not_address",
        ("--scheduler", "not an address"),
        ["key '--scheduler'", "not a scheduler address"],
    ),
    (
        "scheduler_bad_port",
        ("--scheduler", "tcp://127.0.0.1:99999"),
        ["key '--scheduler'", "port 1-65535"],
    ),
    (
        "scheduler_remote_plain",
        ("--scheduler", "tcp://192.0.2.1:8786"),
        ["key '--scheduler'", "must use tls://"],
    ),
    (
        "scheduler_remote_tls_without_settings",
        ("--scheduler", "tls://192.0.2.1:8786"),
        ["key '--scheduler'", "needs your Dask TLS settings"],
    ),
    (
        "scheduler_file_missing",
        ("--scheduler", "nope/scheduler.json"),
        ["key '--scheduler'", "scheduler file does not exist"],
    ),
    ("dashboard_bad_port", ("--dashboard", "99999"), ["key '--dashboard'", "0-65535"]),
]


def _argparse_or_own_error(proc, fragments):
    """Exit 2, one line, no traceback: the parser's ``growthpole CMD: error: argument ...``
    or the project's ``growthpole: error: ...``."""
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("growthpole"), lines[0]
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])


@pytest.mark.parametrize(
    ("case", "flags", "fragments"), SWEEP_FLAG_CASES, ids=[c[0] for c in SWEEP_FLAG_CASES]
)
def test_bad_sweep_flags_are_one_line_and_create_nothing(tmp_path, capsys, case, flags, fragments):
    sweep_file = _tiny_sweep_file(tmp_path)
    out = tmp_path / "out"
    try:
        proc = cli_in_process(capsys, "sweep", sweep_file, "--out", out, *flags)
    except SystemExit as exc:  # argparse exits from inside main()
        captured = capsys.readouterr()
        proc = subprocess.CompletedProcess(flags, exc.code, captured.out, captured.err)
    _argparse_or_own_error(proc, fragments)
    assert not out.exists()


def test_scheduler_file_that_is_not_json(tmp_path, capsys):
    sweep_file = _tiny_sweep_file(tmp_path)
    scheduler = tmp_path / "scheduler.json"
    scheduler.write_text("not json {")
    proc = cli_in_process(
        capsys, "sweep", sweep_file, "--out", tmp_path / "out", "--scheduler", scheduler
    )
    assert_clear_error(proc, str(scheduler), "key '--scheduler'", "not JSON")
    assert not (tmp_path / "out").exists()


def test_remote_tls_scheduler_with_a_ca_file_but_no_client_cert(tmp_path):
    """The CA alone is not enough: the one-line error, not an AttributeError (mypy found
    the check reading Security.tls_cert, an attribute distributed's Security lacks)."""
    import dask

    from growthpole.errors import GrowthpoleError
    from growthpole.experiments.execute import check_remote_security

    ca_file = tmp_path / "ca.pem"
    ca_file.write_text("")
    with (
        dask.config.set({"distributed.comm.tls.ca-file": str(ca_file)}),
        pytest.raises(GrowthpoleError, match="needs your Dask TLS settings"),
    ):
        check_remote_security("tls://192.0.2.1:8786", "tls")


def test_attribute_with_a_bad_scheduler_address(tmp_path, capsys):
    proc = cli_in_process(
        capsys,
        "attribute",
        ROOT / "scenarios" / "full_strategy.yaml",
        "--out",
        tmp_path / "out",
        "--scheduler",
        "tcp://nowhere",
    )
    assert_clear_error(proc, "key '--scheduler'", "not a scheduler address")
    assert not (tmp_path / "out").exists()


OTHER_FLAG_CASES = [
    ("calibrate", ("--workers", "100000"), "--workers"),
    ("calibrate", ("--budget", "2"), "--budget"),
    ("run", ("--seed", "-1"), "--seed"),
    ("compare", ("--seed", "-5"), "--seed"),
    ("attribute", ("--workers", "0"), "--workers"),
    ("attribute", ("--year", "3000"), "--year"),
    ("sensitivity", ("--conf-level", "nan"), "--conf-level"),
    ("sensitivity", ("--resamples", "5"), "--resamples"),
    ("discover", ("--threshold", "inf"), "--threshold"),
    ("discover", ("--min-leaf-share", "0.5"), "--min-leaf-share"),
]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("command", "flags", "option"),
    OTHER_FLAG_CASES,
    ids=[f"{c[0]}{c[1][0]}" for c in OTHER_FLAG_CASES],
)
def test_bad_values_of_every_command_are_refused_by_the_parser(tmp_path, command, flags, option):
    target = {
        "calibrate": ROOT / "scenarios" / "calibration" / "history.yaml",
        "run": ROOT / "scenarios" / "baseline.yaml",
        "attribute": ROOT / "scenarios" / "full_strategy.yaml",
    }.get(command, tmp_path)
    extra = (ROOT / "scenarios" / "baseline.yaml",) if command == "compare" else ()
    proc = (
        cli(command, target, *extra, *flags, "--out", tmp_path / "out")
        if command not in ("sensitivity", "discover")
        else cli(command, target, *flags, "--out", tmp_path / "out")
    )
    _argparse_or_own_error(proc, [f"argument {option}"])
    assert not (tmp_path / "out").exists()


def test_sizes_are_checked_before_the_design_is_drawn(tmp_path, capsys):
    """A grid of 1000^3 variants (force: true) is refused by its memory estimate, a Morris
    design of a million trajectories by the run limit, both without drawing the design."""
    from growthpole.experiments import sweep as sweep_module

    grid = _tiny_sweep_file(
        tmp_path,
        force=True,
        design={"method": "grid", "levels": 1000},
        factors=[
            {"lever": "integration.hangzhou_travel_time_cut", "range": [0.0, 0.5]},
            {"lever": "industry.emerging_industries", "range": [0.0, 0.05]},
            {"lever": "innovation.talent_programmes", "range": [0.0, 0.5]},
        ],
    )
    drawn = []
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sweep_module, "sample_design", lambda *a, **k: drawn.append(a))
        proc = cli_in_process(capsys, "sweep", grid, "--out", tmp_path / "out")
        assert_clear_error(
            proc, str(grid), "key 'design'", "1000000000 runs", "GB", "split the sweep"
        )
        morris = _tiny_sweep_file(
            tmp_path, design={"method": "morris", "samples": 1000000, "levels": 4}
        )
        proc = cli_in_process(capsys, "sweep", morris, "--out", tmp_path / "out")
        assert_clear_error(proc, "key 'design'", "2000000 runs exceed the safety limit")
    assert drawn == [] and not (tmp_path / "out").exists()


@pytest.fixture(scope="module")
def stored_sweep(tmp_path_factory):
    base = tmp_path_factory.mktemp("stored_sweep")
    sweep_file = _tiny_sweep_file(base)
    out = base / "sweep"
    proc = cli("sweep", sweep_file, "--out", out, "--cluster", "serial")
    assert proc.returncode == 0, proc.stderr
    return sweep_file, out


def _corrupt_part(directory: Path) -> None:
    store.part_files(directory)[0].write_bytes(b"PAR1 not really")


def _part_without_run_id(directory: Path) -> None:
    part = store.part_files(directory)[0]
    pd.read_parquet(part).drop(columns="run_id").to_parquet(part)


def _no_manifest(directory: Path) -> None:
    (directory / "manifest.json").unlink()


def _manifest_not_json(directory: Path) -> None:
    (directory / "manifest.json").write_text("{ not json")


def _manifest_list(directory: Path) -> None:
    (directory / "manifest.json").write_text("[1, 2]")


def _factors_not_list(directory: Path) -> None:
    manifest = json.loads((directory / "manifest.json").read_text())
    manifest["factors"] = {"a": 1}
    (directory / "manifest.json").write_text(json.dumps(manifest))


def _text_seed(directory: Path) -> None:
    manifest = json.loads((directory / "manifest.json").read_text())
    manifest["root_seed"] = "forty-two"
    (directory / "manifest.json").write_text(json.dumps(manifest))


STORE_FAULTS = [
    ("corrupt_part", _corrupt_part, ["results/part-", "corrupt Parquet file"]),
    ("part_without_run_id", _part_without_run_id, ["key 'run_id'", "lacks column"]),
    ("no_manifest", _no_manifest, ["no manifest.json"]),
    ("manifest_not_json", _manifest_not_json, ["manifest.json", "cannot read the manifest"]),
    ("manifest_list", _manifest_list, ["manifest.json", "top level is a list"]),
    ("factors_not_list", _factors_not_list, ["key 'factors'", "non-empty list"]),
    ("text_seed", _text_seed, ["key 'root_seed'", "whole number"]),
]


@pytest.mark.slow
@pytest.mark.parametrize("command", ["sensitivity", "discover"])
@pytest.mark.parametrize(
    ("case", "breaker", "fragments"), STORE_FAULTS, ids=[c[0] for c in STORE_FAULTS]
)
def test_analyses_of_a_damaged_sweep_are_one_line(
    stored_sweep, tmp_path, capsys, command, case, breaker, fragments
):
    _, original = stored_sweep
    directory = tmp_path / "sweep"
    shutil.copytree(original, directory)
    breaker(directory)
    before = _tree(directory)
    proc = cli_in_process(capsys, command, directory)
    assert_clear_error(proc, *fragments)
    assert _tree(directory) == before


def test_sweep_resume_over_a_corrupt_part_is_one_line(stored_sweep, tmp_path, capsys):
    sweep_file, original = stored_sweep
    directory = tmp_path / "sweep"
    shutil.copytree(original, directory)
    _corrupt_part(directory)
    proc = cli_in_process(capsys, "sweep", sweep_file, "--out", directory, "--cluster", "serial")
    assert_clear_error(proc, "results/part-", "corrupt Parquet file", "delete it")


def _drop_year(run: Path) -> None:
    path = run / "city_year.parquet"
    pd.read_parquet(path).drop(columns="year").to_parquet(path)


def _empty_city_year(run: Path) -> None:
    path = run / "city_year.parquet"
    pd.read_parquet(path).iloc[:0].to_parquet(path)


def _edit_manifest(change):
    def edit(run: Path) -> None:
        manifest = json.loads((run / "manifest.json").read_text())
        change(manifest)
        (run / "manifest.json").write_text(json.dumps(manifest))

    return edit


REPORT_FAULTS = [
    ("no_year", _drop_year, ["city_year.parquet", "key 'year'", "missing column"]),
    ("empty_city_year", _empty_city_year, ["city_year.parquet", "no rows"]),
    (
        "scale_is_a_list",
        _edit_manifest(lambda m: m["scenario"].update(scale=[1, 2])),
        ["manifest.json", "key 'scenario.scale'", "must be dict"],
    ),
    (
        "replications_text",
        _edit_manifest(lambda m: m.update(replications="two")),
        ["manifest.json", "key 'replications'", "must be int"],
    ),
    (
        "levers_a_list",
        _edit_manifest(lambda m: m["scenario"].update(levers=[1])),
        ["manifest.json", "key 'scenario.levers'"],
    ),
    (
        "scenario_a_list",
        _edit_manifest(lambda m: m.update(scenario=[1])),
        ["manifest.json", "key 'scenario'"],
    ),
]


@pytest.mark.parametrize(
    ("case", "breaker", "fragments"), REPORT_FAULTS, ids=[c[0] for c in REPORT_FAULTS]
)
def test_report_of_a_damaged_run_is_one_line(
    finished_run, tmp_path, capsys, case, breaker, fragments
):
    _, original = finished_run
    run = tmp_path / "run"
    shutil.copytree(original, run)
    breaker(run)
    proc = cli_in_process(capsys, "report", run)
    assert_clear_error(proc, *fragments)
    assert not (run / "report.html").exists()


RERUN_FAULTS = [
    ("text_seed", lambda m: m.update(root_seed="abc"), "key 'root_seed'"),
    ("null_replications", lambda m: m.update(replications=None), "key 'replications'"),
    ("parameters_a_list", lambda m: m.update(parameters=[1, 2]), "key 'parameters'"),
    ("scenario_a_list", lambda m: m.update(scenario=["a"]), "key 'scenario'"),
    ("complete_text", lambda m: m.update(complete="yes"), "key 'complete'"),
    ("versions_a_list", lambda m: m.update(versions=[]), "key 'versions'"),
]


@pytest.mark.parametrize(
    ("case", "change", "fragment"), RERUN_FAULTS, ids=[c[0] for c in RERUN_FAULTS]
)
def test_rerun_of_a_tampered_manifest_is_one_line(
    finished_run, tmp_path, capsys, case, change, fragment
):
    _, original = finished_run
    run = tmp_path / "run"
    shutil.copytree(original, run)
    _edit_manifest(change)(run)
    proc = cli_in_process(capsys, "rerun", run)
    assert_clear_error(proc, "manifest.json", fragment)


def test_compare_two_files_of_one_scenario_name(tmp_path, capsys):
    a = write_yaml(tmp_path / "a.yaml", replications=2)
    b = write_yaml(tmp_path / "b.yaml", replications=2, seed=5)
    proc = cli_in_process(capsys, "compare", a, b)
    assert_clear_error(proc, str(b), "key 'name'", "distinct names")


CHECKPOINT_FAULTS = [
    ("not_json", "{ truncated", "cannot read checkpoint"),
    ("a_list", "[1, 2, 3]", "top level is a list"),
    ("cache_not_list", None, "'cache' must be a list"),
    ("unit_out_of_cube", None, "numbers in [0, 1]"),
    ("moments_ragged", None, "rows of"),
]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("case", "text", "message"), CHECKPOINT_FAULTS, ids=[c[0] for c in CHECKPOINT_FAULTS]
)
def test_calibrate_resume_on_a_corrupt_checkpoint_is_one_line(
    tmp_path, capsys, case, text, message
):
    """A checkpoint really written by `growthpole calibrate` (stopped early), then damaged."""
    from growthpole.calibration import calibrate, checkpoint_path
    from growthpole.calibration.objective import Interrupted
    from growthpole.calibration.spec import build_spec

    spec_data = yaml.safe_load((ROOT / "scenarios" / "calibration" / "history.yaml").read_text())
    spec_data.update(
        replications=1,
        search={"budget": 8, "population_per_parameter": 2},
        diagnostics={"bootstrap_resamples": 0, "profile_points": 0},
    )
    spec_data["scale"] = {"people_per_agent": 40000, "workers_per_firm_agent": 10}
    spec_path = tmp_path / "spec.yaml"
    spec_path.write_text(yaml.safe_dump(spec_data, sort_keys=False))
    spec = build_spec(spec_data, source=spec_path)
    out = tmp_path / "calibrated.yaml"
    with pytest.raises(Interrupted):
        calibrate(spec, out, stop_after=1, write=False, checkpoint_seconds=0.0)
    checkpoint = checkpoint_path(out)
    payload = json.loads(checkpoint.read_text())
    if text is None:
        if case == "cache_not_list":
            payload["cache"] = {"a": 1}
        elif case == "unit_out_of_cube":
            payload["cache"][0]["unit"][0] = 7.0
        else:
            payload["cache"][0]["moments"] = [[1.0], [2.0, 3.0]]
        text = json.dumps(payload)
    checkpoint.write_text(text)
    proc = cli_in_process(capsys, "calibrate", spec_path, "--out", out, "--resume")
    assert_clear_error(proc, str(checkpoint), message)


# ---- 4. no hangs: a killed worker is replaced and its work resubmitted ---------------


def _children(pid: int) -> list[int]:
    """Child processes of ``pid``, started from any of its threads (Dask's nannies start
    their workers from the event-loop thread)."""
    children = []
    for path in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            children += [int(c) for c in path.read_text().split()]
        except OSError:  # the thread ended
            continue
    return sorted(set(children))


def _dask_workers(pid: int) -> list[int]:
    """The Dask worker processes a command's embedded LocalCluster spawned (its nannies run
    in the command's process; a worker is a multiprocessing ``spawn_main`` child)."""
    workers = []
    for child in _children(pid):
        try:
            cmdline = Path(f"/proc/{child}/cmdline").read_bytes()
        except OSError:
            continue
        if b"spawn_main" in cmdline:
            workers.append(child)
    return workers


def _cpu_ticks(pid: int) -> int:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    return int(fields[11]) + int(fields[12])  # utime + stime


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux /proc")
def test_calibrate_survives_a_sigkilled_dask_worker(tmp_path):
    """SIGKILL one Dask worker of a real `growthpole calibrate --workers 2` while it
    simulates: the nanny starts a new worker, the scheduler runs the lost tasks again,
    the calibration finishes (exit 0) and its checkpoint is byte-identical to a serial
    calibration's (the calibration runs on the shared executor, growthpole.experiments)."""
    from growthpole.calibration import calibrate, checkpoint_path
    from growthpole.calibration.spec import build_spec

    spec_data = yaml.safe_load((ROOT / "scenarios" / "calibration" / "history.yaml").read_text())
    spec_data.update(
        replications=2,
        search={"budget": 30, "population_per_parameter": 2},
        diagnostics={"bootstrap_resamples": 0, "profile_points": 0},
    )
    spec_data["scale"] = {"people_per_agent": 40000, "workers_per_firm_agent": 10}
    spec_path = tmp_path / "spec.yaml"
    spec_path.write_text(yaml.safe_dump(spec_data, sort_keys=False))
    out = tmp_path / "calibrated.yaml"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "growthpole",
            "calibrate",
            str(spec_path),
            "--out",
            str(out),
            "--workers",
            "2",
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 180
    workers: list[int] = []
    victim = None
    while time.monotonic() < deadline and process.poll() is None and victim is None:
        workers = _dask_workers(process.pid)
        if len(workers) == 2:
            started = {w: _cpu_ticks(w) for w in workers}
            time.sleep(0.5)
            # past its start-up (imports: ~1.5 s of CPU) and still computing: simulating
            busy = [w for w in workers if _cpu_ticks(w) >= 200 and _cpu_ticks(w) - started[w] >= 15]
            victim = busy[0] if busy else None
        else:
            time.sleep(0.2)
    assert victim is not None, "the calibration started no busy Dask worker"
    os.kill(victim, signal.SIGKILL)
    replaced = False  # the nanny starts a new worker process in the killed one's place
    while process.poll() is None and not replaced:
        replaced = bool(set(_dask_workers(process.pid)) - set(workers))
        time.sleep(0.1)
    stdout, stderr = process.communicate(timeout=600)
    assert process.returncode == 0, stderr
    assert replaced, "no worker replaced the killed one before the calibration ended"
    assert out.is_file() and "loss" in stdout
    assert "on 2 local Dask worker(s)" in stderr
    serial = tmp_path / "serial.yaml"
    calibrate(build_spec(spec_data, source=spec_path), serial, write=False)
    assert checkpoint_path(out).read_bytes() == checkpoint_path(serial).read_bytes()


# ---- 5. a locked-down scheduler -------------------------------------------------------


def test_foreign_client_cannot_use_the_embedded_cluster():
    """The embedded LocalCluster speaks TLS with temporary credentials: growthpole's client
    runs tasks; a client without them (plain, or with other certificates) is refused."""
    pytest.importorskip("cryptography")
    from distributed import Client
    from distributed.security import Security

    from growthpole.experiments.execute import local_cluster

    cluster = local_cluster(1)
    try:
        address = cluster.scheduler_address
        assert address.startswith("tls://127.0.0.1:")
        with Client(cluster) as own:
            assert own.submit(int, "41").result(timeout=60) == 41
        for security in (None, Security.temporary()):
            with pytest.raises(Exception) as info:
                foreign = Client(address, timeout="5s", security=security)
                foreign.submit(int, "1").result(timeout=10)
                foreign.close()
            assert (
                "ssl" in str(info.value).lower()
                or "tls" in str(info.value).lower()
                or "certificate" in str(info.value).lower()
                or "closed" in str(info.value).lower()
                or "timed out" in str(info.value).lower()
            ), info.value
    finally:
        cluster.close()


@pytest.mark.parametrize(
    ("given", "bound"),
    [
        ("8787", "127.0.0.1:8787"),
        (":8787", "127.0.0.1:8787"),
        ("127.0.0.1:9000", "127.0.0.1:9000"),
        ("0.0.0.0:8787", "0.0.0.0:8787"),
    ],
)
def test_dashboard_binds_to_localhost_unless_a_host_is_given(given, bound):
    from growthpole.experiments.execute import dashboard_address

    assert dashboard_address(given) == bound


@pytest.mark.slow
def test_sweep_manifest_records_no_secrets(tmp_path, capsys):
    """A sweep on the embedded TLS cluster: the manifest names the backend and address but
    holds no certificate or key."""
    pytest.importorskip("cryptography")
    sweep_file = _tiny_sweep_file(tmp_path)
    out = tmp_path / "sweep"
    proc = cli_in_process(capsys, "sweep", sweep_file, "--out", out, "--workers", "1")
    assert proc.returncode == 0, proc.stderr
    text = (out / "manifest.json").read_text()
    manifest = json.loads(text)
    assert manifest["executor"]["scheduler"].startswith("tls://127.0.0.1:")
    for secret in ("BEGIN", "PRIVATE KEY", "CERTIFICATE", "tls_key", "tls_cert"):
        assert secret not in text


def test_every_test_named_in_the_issue_20_tables_exists():
    """docs/reliability.md's issue-20 tables name their tests; each must exist (and each
    parametrised case id in brackets must be one of the test's ids)."""
    text = (ROOT / "docs" / "reliability.md").read_text(encoding="utf-8")
    section = text[text.index("## Every command") : text.index("## Fuzzing")]
    sources = "".join(
        (ROOT / "tests" / name).read_text(encoding="utf-8")
        for name in ("test_reliability.py", "test_sweeps.py", "test_commands.py")
    )
    defined = set(re.findall(r"^def (test_\w+)", sources, flags=re.MULTILINE))
    named = set(re.findall(r"\b(test_\w+)", section)) - {
        "test_reliability",
        "test_sweeps",
        "test_commands",
    }
    assert len(named) >= 30
    assert named <= defined, sorted(named - defined)
    case_ids = {
        c[0]
        for c in SWEEP_FLAG_CASES + STORE_FAULTS + REPORT_FAULTS + RERUN_FAULTS + CHECKPOINT_FAULTS
    } | {f"{c[0]}{c[1][0]}" for c in OTHER_FLAG_CASES}
    for cell in re.findall(r"^\| [^|]*?\[([\w\-/]+)\]", section, flags=re.MULTILINE):
        for case in cell.split("/"):
            if case not in ("plain", "overwrite", "resume", "CASE-sensitivity"):
                assert case in case_ids, case
