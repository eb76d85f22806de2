"""Property-based fuzzing (hypothesis) of the file readers: whatever a researcher writes into a
scenario, sweep or calibration file, or whatever a manifest or checkpoint has been edited into,
growthpole answers with its own GrowthpoleError (one clear line at
the command line) or a valid object, never another exception.

Generated inputs: arbitrary mappings and values, mutations of the shipped scenarios and
sweeps (a key replaced, deleted or added at any depth), YAML-like token soup and raw bytes.
Examples are bounded (max_examples below) and deadline-free (the machine is shared).
"""

from __future__ import annotations

import atexit
import copy
import math
import shutil
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from growthpole.errors import GrowthpoleError
from growthpole.levers import LEVERS, policy_for_year
from growthpole.parameters import PARAMETER_SPECS
from growthpole.scenario import Scenario, build_scenario, load_scenario

from .conftest import ROOT

FUZZ = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
SCENARIO_FILES = sorted((ROOT / "scenarios").glob("*.yaml"))
SWEEP_FILES = sorted((ROOT / "scenarios" / "sweeps").glob("*.yaml"))
SCRATCH = Path(tempfile.mkdtemp(prefix="growthpole-fuzz-"))  # hypothesis forbids tmp_path
atexit.register(shutil.rmtree, SCRATCH, ignore_errors=True)

# ---- strategies ---------------------------------------------------------------------------

KNOWN_KEYS = [k for k in Scenario.model_fields if k != "source_path"]
LEVER_KEYS = sorted(LEVERS)
PARAMETER_KEYS = sorted(PARAMETER_SPECS)

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.integers(min_value=1990, max_value=2070),  # plausible years
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(min_value=0.0, max_value=1.0),  # plausible lever values
    st.text(max_size=20),
    st.sampled_from(
        [
            "2020",
            "1e3",
            "nan",
            "inf",
            "-1",
            "yes",
            "null",
            "~",
            "",
            "a\x00b",
            "/",
            "../baseline.yaml",
            "baseline.yaml",
            ".",
        ]
    ),
)
keys = st.one_of(
    st.sampled_from(KNOWN_KEYS + LEVER_KEYS + PARAMETER_KEYS + ["scale"]),
    st.text(max_size=12),
    st.integers(-5, 2100),
    st.none(),
    st.booleans(),
    st.floats(allow_nan=False),
)
values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(keys, children, max_size=4)
    ),
    max_leaves=12,
)

lever_schedules = st.one_of(
    values, st.dictionaries(st.one_of(st.integers(1990, 2070), keys), scalars, max_size=4)
)
scenario_like = st.fixed_dictionaries(
    {"name": st.one_of(st.just("fuzz"), scalars)},
    optional={
        "start_year": st.one_of(st.integers(1990, 2070), scalars),
        "end_year": st.one_of(st.integers(1990, 2070), scalars),
        "replications": st.one_of(st.integers(-3, 20_000), scalars),
        "seed": st.one_of(st.integers(-3, 2**64), scalars),
        "scale": st.one_of(
            st.fixed_dictionaries(
                {},
                optional={
                    "people_per_agent": st.one_of(st.floats(), scalars),
                    "workers_per_firm_agent": st.one_of(st.floats(), scalars),
                },
            ),
            values,
        ),
        "parameters": st.one_of(
            st.dictionaries(
                st.sampled_from(PARAMETER_KEYS), st.one_of(st.floats(), scalars), max_size=4
            ),
            values,
        ),
        "levers": st.one_of(
            st.dictionaries(st.sampled_from(LEVER_KEYS), lever_schedules, max_size=4), values
        ),
        "calibration": st.one_of(st.none(), st.text(max_size=10), values),
        "force": scalars,
        "description": scalars,
    },
)

YAML_TOKENS = [
    ":",
    ": ",
    "-",
    "- ",
    "&a ",
    "*a",
    "*b",
    "&b ",
    "[",
    "]",
    "{",
    "}",
    ",",
    "\n",
    "  ",
    "\t",
    "name",
    "levers",
    "scale",
    "start_year",
    "end_year",
    "2020",
    "0.1",
    "1e400",
    ".nan",
    "!!python/object:os.system",
    "!!binary",
    "!!set",
    "'",
    '"',
    "? ",
    "|",
    ">",
    "#",
    "%YAML 1.1\n",
    "---\n",
    "...\n",
    "<<: *a",
    "\\",
    "\x00",
    "\ufeff",
    "é",
    "绍兴",
    "integration.trade_cost_cut",
    "{2021: 0.2}",
    "~",
]


def _assert_scenario_or_own_error(call):
    """Run ``call``; it must return a Scenario or raise a GrowthpoleError with one line."""
    try:
        scenario = call()
    except GrowthpoleError as exc:
        line = exc.one_line()
        assert line and "\n" not in line
        return None
    # an accepted scenario must be usable
    assert scenario.end_year > scenario.start_year
    assert len(scenario.content_hash()) == 64
    policy_for_year(scenario.levers, scenario.start_year)
    return scenario


def _mutate(document: object, data: st.DataObject) -> object:
    """Replace, delete or add one entry anywhere in ``document`` (a parsed YAML tree)."""
    document = copy.deepcopy(document)
    paths: list[tuple] = [()]

    def walk(node, path):
        if isinstance(node, dict):
            for k, v in node.items():
                paths.append((*path, k))
                walk(v, (*path, k))
        elif isinstance(node, list):
            for i, v in enumerate(node):
                paths.append((*path, i))
                walk(v, (*path, i))

    walk(document, ())
    path = data.draw(st.sampled_from(paths), label="path")
    action = data.draw(st.sampled_from(["replace", "delete", "add"]), label="action")
    if not path:
        return data.draw(values, label="new document") if action == "replace" else document
    parent = document
    for step in path[:-1]:
        parent = parent[step]
    last = path[-1]
    if action == "replace":
        parent[last] = data.draw(values, label="new value")
    elif action == "delete":
        del parent[last]
    else:
        target = parent[last]
        if isinstance(target, dict):
            target[data.draw(keys, label="new key")] = data.draw(values, label="added value")
        elif isinstance(target, list):
            target.append(data.draw(values, label="appended value"))
        else:
            parent[last] = [target, data.draw(values)]
    return document


def _write(name: str, payload: str | bytes) -> Path:
    path = SCRATCH / name
    if isinstance(payload, bytes):
        path.write_bytes(payload)
    else:
        path.write_text(payload, encoding="utf-8", errors="surrogatepass")
    return path


# ---- scenario files -----------------------------------------------------------------------


@FUZZ
@given(values)
def test_any_parsed_value_builds_or_raises_own_error(data):
    _assert_scenario_or_own_error(lambda: build_scenario(data, source="fuzz.yaml"))


@FUZZ
@given(scenario_like)
def test_scenario_shaped_mappings_build_or_raise_own_error(data):
    _assert_scenario_or_own_error(lambda: build_scenario(data, source="fuzz.yaml"))


@pytest.mark.slow
@pytest.mark.parametrize("path", SCENARIO_FILES, ids=[p.name for p in SCENARIO_FILES])
@settings(FUZZ, max_examples=80)
@given(data=st.data())
def test_mutated_shipped_scenarios_build_or_raise_own_error(path, data):
    original = yaml.safe_load(path.read_text(encoding="utf-8"))
    document = _mutate(original, data)
    _assert_scenario_or_own_error(lambda: build_scenario(document, source=str(path)))


@FUZZ
@given(st.lists(st.sampled_from(YAML_TOKENS), max_size=40).map("".join))
def test_yaml_token_soup_loads_or_raises_own_error(text):
    path = _write("soup.yaml", text.encode("utf-8", errors="surrogatepass"))
    _assert_scenario_or_own_error(lambda: load_scenario(path))


@FUZZ
@given(
    st.one_of(
        st.binary(max_size=200),
        st.text(max_size=200).map(lambda t: t.encode("utf-8", errors="surrogatepass")),
    )
)
def test_arbitrary_bytes_load_or_raise_own_error(payload):
    path = _write("bytes.yaml", payload)
    _assert_scenario_or_own_error(lambda: load_scenario(path))


@settings(max_examples=100, deadline=None)
@given(data=st.data())
def test_dumped_mutations_round_trip_through_files(data):
    """Mutations written as YAML text and read back by load_scenario (the file path)."""
    original = yaml.safe_load(SCENARIO_FILES[0].read_text(encoding="utf-8"))
    document = _mutate(original, data)
    try:
        text = yaml.safe_dump(document, allow_unicode=True)
    except yaml.YAMLError:
        return  # not representable as YAML (cannot come from a file)
    path = _write("mutated.yaml", text)
    _assert_scenario_or_own_error(lambda: load_scenario(path))


def test_valid_scenarios_are_accepted_by_the_fuzz_oracle():
    """The oracle is not vacuous: shipped scenarios pass it and return a Scenario."""
    for path in SCENARIO_FILES:
        assert _assert_scenario_or_own_error(lambda p=path: load_scenario(p)) is not None


def test_floats_in_schedules_are_checked():
    """A property the fuzzers lean on: NaN and infinity never pass as lever values."""
    for bad in (math.nan, math.inf, -math.inf):
        with pytest.raises(GrowthpoleError):
            build_scenario({"name": "x", "levers": {LEVER_KEYS[0]: {2021: bad}}})


# ---- sweep files (growthpole.experiments, when present) -----------------------------------


def _sweep_module():
    return pytest.importorskip(
        "growthpole.experiments.sweep", reason="growthpole.experiments not built yet"
    )


def _assert_sweep_or_own_error(call):
    try:
        call()
    except GrowthpoleError as exc:
        assert "\n" not in exc.one_line()


@pytest.mark.slow
@pytest.mark.parametrize("path", SWEEP_FILES, ids=[p.name for p in SWEEP_FILES])
@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(data=st.data())
def test_mutated_shipped_sweeps_build_or_raise_own_error(path, data):
    sweep = _sweep_module()
    original = yaml.safe_load(path.read_text(encoding="utf-8"))
    document = _mutate(original, data)
    _assert_sweep_or_own_error(lambda: sweep.build_sweep(document, source=str(path)))


@FUZZ
@given(values)
def test_any_parsed_value_builds_a_sweep_or_raises_own_error(data):
    sweep = _sweep_module()
    _assert_sweep_or_own_error(
        lambda: sweep.build_sweep(
            data, source=str(SWEEP_FILES[0] if SWEEP_FILES else "fuzz_sweep.yaml")
        )
    )


@FUZZ
@given(
    st.lists(
        st.sampled_from(
            [*YAML_TOKENS, "factors", "design", "lever", "range", "method: morris", "outcomes"]
        ),
        max_size=40,
    ).map("".join)
)
def test_sweep_token_soup_loads_or_raises_own_error(text):
    sweep = _sweep_module()
    path = _write("soup_sweep.yaml", text.encode("utf-8", errors="surrogatepass"))
    _assert_sweep_or_own_error(lambda: sweep.load_sweep(path))


# ---- calibration specs, run and sweep manifests, checkpoints (issue 20) -------------------

CALIBRATION_SPEC = ROOT / "scenarios" / "calibration" / "history.yaml"
FEWER = settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.function_scoped_fixture,
    ],
)


def _assert_own_error_or_value(call):
    """``call()`` returns, or raises a GrowthpoleError of one line; nothing else escapes."""
    try:
        return call()
    except GrowthpoleError as exc:
        assert "\n" not in exc.one_line()
        return None


@FEWER
@given(data=st.data())
def test_mutated_calibration_spec_builds_or_raises_own_error(data):
    from growthpole.calibration.spec import build_spec

    original = yaml.safe_load(CALIBRATION_SPEC.read_text(encoding="utf-8"))
    document = _mutate(original, data)
    spec = _assert_own_error_or_value(lambda: build_spec(document, source=CALIBRATION_SPEC))
    if spec is not None:  # a valid spec is usable: bounds ordered, names unique
        assert len(set(spec.names)) == len(spec.names)
        for name in spec.names:
            bound = spec.free_parameter(name)
            assert bound.lower < bound.upper


@FEWER
@given(values)
def test_any_parsed_value_builds_a_calibration_spec_or_raises_own_error(data):
    from growthpole.calibration.spec import build_spec

    _assert_own_error_or_value(lambda: build_spec(data, source=CALIBRATION_SPEC))


def _run_manifest() -> dict:
    """The manifest `growthpole run` writes for a small scenario (no model run needed)."""
    import pandas as pd

    from growthpole.runner import RunResult, manifest
    from growthpole.seeds import replication_seeds

    scenario = load_scenario(ROOT / "scenarios" / "baseline.yaml").with_changes(
        replications=2, end_year=2021
    )
    result = RunResult(
        scenario,
        pd.DataFrame(),
        replication_seeds(scenario.seed, 2),
        scenario.model_parameters(),
        root_seed=scenario.seed,
    )
    return manifest(result, complete=True, command=["growthpole", "run"])


RUN_MANIFEST = None


@FEWER
@given(data=st.data())
def test_mutated_run_manifest_is_read_or_refused_with_own_error(data):
    """What `growthpole rerun` and `growthpole report` do with a manifest before any run or
    figure: read it, rebuild the scenario, render the facts."""
    import json

    import pandas as pd

    from growthpole import report, rerun

    global RUN_MANIFEST
    RUN_MANIFEST = RUN_MANIFEST or _run_manifest()
    document = _mutate(RUN_MANIFEST, data)
    path = _write("manifest.json", json.dumps(document, default=str))

    def rebuild():
        recorded = rerun.read_manifest(path)
        return rerun.scenario_from_manifest(recorded, path)

    _assert_own_error_or_value(rebuild)
    document = json.loads(path.read_text(encoding="utf-8"))  # what the report reads
    if isinstance(document, dict):
        summary = pd.DataFrame(
            {
                "year": [2019, 2020],
                "gdp_p05": [1.0, 2.0],
                "gdp_median": [1.5, 2.5],
                "gdp_p95": [2.0, 3.0],
            }
        )

        def render():
            report._check_manifest(document, path)
            return report.render_html(document, summary, [])

        _assert_own_error_or_value(render)


SWEEP_DIRECTORY: Path | None = None
SWEEP_MANIFEST_TEXT = ""


def _stored_sweep() -> Path:
    """A tiny sweep stored once in SCRATCH (serial backend)."""
    from growthpole.experiments.base import SerialExecutor
    from growthpole.experiments.execute import run_sweep
    from growthpole.experiments.sweep import build_sweep

    directory = SCRATCH / "stored_sweep"
    if not (directory / "manifest.json").exists():
        sweep = build_sweep(
            {
                "name": "fuzz",
                "replications": 1,
                "scenario": {
                    "name": "fuzz_base",
                    "start_year": 2019,
                    "end_year": 2020,
                    "seed": 3,
                    "scale": {"people_per_agent": 40000, "workers_per_firm_agent": 10},
                },
                "design": {"method": "grid", "levels": 2},
                "factors": [{"parameter": "rd_return", "range": [0.1, 0.4]}],
                "outcomes": {"regions": ["shaoxing"], "columns": ["gdp"], "years": "all"},
            },
            source=SCRATCH / "fuzz_sweep.yaml",
        )
        run_sweep(sweep, directory, SerialExecutor())
    return directory


@FEWER
@given(data=st.data())
def test_mutated_sweep_manifest_is_checked_or_refused_with_own_error(data):
    """What `growthpole sensitivity`, `discover` and `attribute` check first."""
    import json

    from growthpole.experiments import store

    global SWEEP_DIRECTORY, SWEEP_MANIFEST_TEXT
    if SWEEP_DIRECTORY is None:
        SWEEP_DIRECTORY = _stored_sweep()
        SWEEP_MANIFEST_TEXT = (SWEEP_DIRECTORY / "manifest.json").read_text()
    manifest_path = SWEEP_DIRECTORY / "manifest.json"
    original_text = SWEEP_MANIFEST_TEXT
    document = _mutate(json.loads(original_text), data)
    try:
        manifest_path.write_text(json.dumps(document, default=str))
        checked = _assert_own_error_or_value(lambda: store.read_sweep_for_analysis(SWEEP_DIRECTORY))
        if checked is not None:
            assert isinstance(checked["factors"], list) and checked["factors"]
    finally:
        manifest_path.write_text(original_text)


@FEWER
@given(data=st.data())
def test_mutated_checkpoint_is_loaded_or_refused_with_own_error(data):
    from growthpole.calibration.spec import check_checkpoint

    payload = {
        "version": 1,
        "spec_hash": "x",
        "window": "2005:2019",
        "names": ["tfp_drift", "rd_return"],
        "replications": 2,
        "cache": [
            {"unit": [0.5, 0.25], "moments": [[0.1, 0.2, 0.3], [0.1, 0.2, 0.3]]},
            {"unit": [0.1, 0.9], "moments": None},
        ],
    }
    document = _mutate(payload, data)
    _assert_own_error_or_value(
        lambda: check_checkpoint(
            document, SCRATCH / "checkpoint.json", dimension=2, replications=2, moments=3
        )
    )
