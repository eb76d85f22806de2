"""The documentation cannot drift from the code.

docs/parameters.md, docs/levers.md and the generated blocks of docs/model.md are regenerated
in memory by docs/make_levers_md.py and compared with the files; every parameter, lever,
omission, step of the year's SCHEDULE, named constant and output column must be documented.
When a test here fails after a code change, run ``.venv/bin/python docs/make_levers_md.py``
and, for docs/model.md's prose, update the section named in the message.
"""

from __future__ import annotations

import ast
import importlib.util
import inspect
import re
from pathlib import Path

import numpy as np
import pytest

from growthpole.levers import LEVERS, OMISSIONS
from growthpole.model import GrowthPoleModel
from growthpole.parameters import PARAMETER_SPECS
from growthpole.schedule import SCHEDULE, SWITCHABLE

from .conftest import tiny_scenario

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
REGENERATE = "run `.venv/bin/python docs/make_levers_md.py`"


@pytest.fixture(scope="module")
def generator():
    """docs/make_levers_md.py as a module (docs/ is not a package)."""
    spec = importlib.util.spec_from_file_location("make_levers_md", DOCS / "make_levers_md.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def model_md() -> str:
    return (DOCS / "model.md").read_text(encoding="utf-8")


def test_generated_files_are_up_to_date(generator):
    expected = generator.expected_files()
    assert set(expected) == {
        DOCS / "parameters.md",
        DOCS / "levers.md",
        DOCS / "model.md",
        DOCS / "calibration.md",
    }
    stale = [
        path.name
        for path, content in expected.items()
        if not path.is_file() or path.read_text(encoding="utf-8") != content
    ]
    assert not stale, f"out of date with the code: {', '.join(stale)}; {REGENERATE}"


def test_every_generated_block_is_present_in_model_md(generator, model_md):
    names = [m.group("name") for m in generator.BLOCK.finditer(model_md)]
    assert sorted(names) == sorted(generator.generated_blocks()), (
        "docs/model.md must hold each generated block exactly once"
    )


def test_a_stale_block_is_detected_and_refreshed(generator, model_md):
    """The comparison can fail: a changed number inside a block is restored by refreshing."""
    match = re.search(r"(\| `capital_elasticity` \|[^\n]*?\| )0\.4( \|)", model_md)
    assert match, "the parameter block of docs/model.md lost the capital_elasticity row"
    corrupted = model_md.replace(match.group(0), match.group(1) + "0.55" + match.group(2))
    assert corrupted != model_md
    assert generator.refresh_model_md(corrupted) == generator.refresh_model_md(model_md)
    with pytest.raises(KeyError):
        generator.refresh_model_md(
            "<!-- BEGIN GENERATED: nonsense -->\nx\n<!-- END GENERATED: nonsense -->"
        )


def test_every_parameter_is_documented(model_md):
    parameters_md = (DOCS / "parameters.md").read_text(encoding="utf-8")
    for name, spec in PARAMETER_SPECS.items():
        row = re.search(
            rf"^\| {re.escape(spec.symbol)} \| `{name}` \|.*$", parameters_md, re.MULTILINE
        )
        assert row, f"parameter {name} ({spec.symbol}) missing from docs/parameters.md"
        assert f"`{name}`" in model_md, f"parameter {name} missing from docs/model.md"


def test_every_lever_clause_and_omission_is_documented():
    levers_md = (DOCS / "levers.md").read_text(encoding="utf-8")
    for key, lever in LEVERS.items():
        rows = [line for line in levers_md.splitlines() if line.startswith(f"| `{key}` |")]
        assert len(rows) == 1, f"lever {key} must have exactly one row in docs/levers.md"
        assert lever.clause.replace("|", "\\|") in rows[0], f"clause of {key} not verbatim"
    for name in OMISSIONS:
        assert name.replace("|", "\\|") in levers_md, f"omission {name!r} missing"


def test_schedule_table_matches_the_schedule(model_md):
    """The schedule table of §3 lists SCHEDULE's steps: same names, phases, modules,
    functions, streams, switches, order."""
    rows = re.findall(
        r"^\s*\| (\d+) \| `(\w+)` \| (\w+) \| (\S+) `(\w+)` \| (\S+) \| (\S+) \| (\S+) \|$",
        model_md,
        re.MULTILINE,
    )
    documented = [row[1:] for row in rows]
    assert [int(row[0]) for row in rows] == list(range(1, len(SCHEDULE) + 1))
    sections = {step.name: f"7.{i}" for i, step in enumerate(SCHEDULE.mechanisms, 1)}
    actual = []
    for step in SCHEDULE:
        module = inspect.getmodule(step.function).__name__.removeprefix("growthpole.")
        actual.append(
            (
                step.name,
                step.phase,
                module.replace(".", "/") + ".py",
                step.function.__name__,
                "–" if step.stream is None else str(step.stream),
                "–" if step.switch is None else f"`{step.switch}`",
                sections.get(step.name, "3"),
            )
        )
    assert documented == actual, "docs/model.md §3 schedule table differs from SCHEDULE"


def test_every_mechanism_has_a_submodel_section(model_md):
    headings = re.findall(r"^### 7\.\d+ `(\w+)`", model_md, re.MULTILINE)
    assert headings == [step.name for step in SCHEDULE.mechanisms], (
        "docs/model.md §7 must have one submodel section per mechanism of SCHEDULE, in order"
    )
    for switch in SWITCHABLE:
        assert f"`{switch}`" in model_md, f"switch {switch} not mentioned in docs/model.md"


def test_every_named_constant_is_documented(generator):
    """Module-level numeric constants of the model modules are in the constants table."""
    package = ROOT / "growthpole"
    found = set()
    for path in sorted(
        {
            *package.glob("mechanisms/*.py"),
            package / "model.py",
            package / "initialisation.py",
            package / "inputs.py",
            package / "geography.py",
        }
    ):
        module = "growthpole." + str(path.relative_to(package))[:-3].replace("/", ".")
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            targets = (
                node.targets
                if isinstance(node, ast.Assign)
                else [node.target]
                if isinstance(node, ast.AnnAssign)
                else []
            )
            value = getattr(node, "value", None)
            if isinstance(value, ast.UnaryOp):
                value = value.operand
            numeric = (
                isinstance(value, ast.Constant)
                and isinstance(value.value, int | float)
                and not isinstance(value.value, bool)
            )
            found |= {
                (module, t.id)
                for t in targets
                if numeric and isinstance(t, ast.Name) and t.id.isupper()
            }
    documented = {(module, name) for module, name, *_ in generator.CONSTANTS}
    assert found - documented == set(), "constants missing from docs/make_levers_md.CONSTANTS"
    assert documented - found == set(), "CONSTANTS lists names the modules no longer define"


def test_every_output_column_is_documented(model_md):
    """Each city_year column the model records has a row in §9 (va_<sector> as a family)."""
    model = GrowthPoleModel(tiny_scenario(end_year=2020), check_invariants=False)
    columns = set(model.run().columns) | {"national_rank"}
    section = model_md.split("## 9. Observation", 1)[1].split("\n## ", 1)[0]
    missing = sorted(
        c
        for c in columns
        if f"`{c}`" not in section and not (c.startswith("va_") and "`va_<sector>`" in section)
    )
    assert not missing, f"docs/model.md §9 lacks output column(s) {missing}"


# ---- the initialisation claims of docs/model.md §5 hold in the code -------------------------


@pytest.fixture(scope="module")
def base_model():
    return GrowthPoleModel(tiny_scenario(), check_invariants=False)


def test_capital_starts_on_the_balanced_growth_path(base_model):
    """§5.8-5.9: every agent starts at q_r K* with K* = α Y / (r + δ) and
    q_r = ψ e^g / (ψ + e^{g/(1-α)} - 1), g = g_A + g_A^r + ρ R_r (relative tolerance 1e-9)."""
    from growthpole.mechanisms.productivity import drift_by_region

    state, params = base_model.state, base_model.initial_parameters
    firms = state.firms
    g = np.maximum(drift_by_region(params) + params.rd_return * state.regions.rd_intensity, 0)
    psi = params.investment_adjustment
    ratio = psi * np.exp(g) / (psi + np.expm1(g / (1 - params.capital_elasticity)))
    desired = (
        ratio[firms.region.astype(np.int64)]
        * params.capital_elasticity
        * firms.value_added
        / (params.interest_rate + params.depreciation_rate)
    )
    assert firms.count > 0
    assert np.any(ratio < 1.0)  # the shipped calibration has trend growth
    np.testing.assert_allclose(firms.capital[firms.live], desired[firms.live], rtol=1e-9)


def test_land_rent_is_the_documented_closed_form(base_model):
    """§5.10: ρ^L_r = l (r + δ) / (ℓ α q_r) in every region."""
    from growthpole.mechanisms.productivity import balanced_growth_capital_ratio

    params = base_model.initial_parameters
    ratio = balanced_growth_capital_ratio(params, base_model.state.regions.rd_intensity)
    expected = (
        params.land_rent_share
        * (params.interest_rate + params.depreciation_rate)
        / (params.land_mu_per_capital * params.capital_elasticity * ratio)
    )
    np.testing.assert_allclose(base_model.state.land_rent_per_mu, expected, rtol=1e-9)


def test_external_access_is_the_documented_share(base_model):
    """§5.11: X_r / MA_r^base = EXTERNAL_DEMAND_SHARE and M_r(t0) = 1."""
    from growthpole.initialisation import EXTERNAL_DEMAND_SHARE

    regions = base_model.state.regions
    np.testing.assert_allclose(
        regions.external_access / regions.base_market_access, EXTERNAL_DEMAND_SHARE, rtol=1e-12
    )
    np.testing.assert_array_equal(regions.market_access, 1.0)


def test_amenities_balance_the_documented_logit_flows(base_model):
    """§5.12: with the amenities, expected logit flows leave each skill's base population
    unchanged (relative tolerance 1e-8), computed from the equations as written."""
    from growthpole.regions import N_REGIONS

    state, params = base_model.state, base_model.params
    regions, talent = state.regions, state.talent
    cost = params.moving_cost_per_hour * regions.base_hours + params.moving_fixed_cost
    np.fill_diagonal(cost, 0.0)
    for skill in (0, 1):
        counts = (
            np.bincount(talent.region[talent.live & (talent.skill == skill)], minlength=N_REGIONS)
            * state.people_per_agent
        )
        utility = (
            params.migration_wage_weight * np.log(regions.wages[skill]) + regions.amenity[skill]
        )  # h_j = 1 in the base year
        weights = np.exp(utility[None, :] - cost)
        flows = counts @ (weights / weights.sum(axis=1, keepdims=True))
        np.testing.assert_allclose(flows, counts, rtol=1e-8)


def test_every_policy_channel_is_documented(model_md):
    """§8 says where every PolicyChannels field enters the equations."""
    import dataclasses

    from growthpole.policy import PolicyChannels

    section = model_md.split("## 8. Policy", 1)[1].split("\n## ", 1)[0]
    missing = [f.name for f in dataclasses.fields(PolicyChannels) if f"`{f.name}" not in section]
    assert not missing, f"docs/model.md §8 lacks policy channel(s) {missing}"


# ---- the ODD covers what the code runs (issue 15) --------------------------------------------

#: an equation tag of docs/model.md and of the module docstrings: [C1], [T3], [R2], ...
EQUATION_TAG = re.compile(r"\[([A-Z]\d+)\]")
PACKAGE = ROOT / "growthpole"
#: the modules whose ``params.<name>`` reads are the model's parameters
MODEL_MODULES = (
    *sorted((PACKAGE / "mechanisms").glob("*.py")),
    PACKAGE / "model.py",
    PACKAGE / "initialisation.py",
    PACKAGE / "inputs.py",
    PACKAGE / "schedule.py",
    PACKAGE / "geography.py",
)


def parameters_read(paths=MODEL_MODULES) -> dict[str, set[str]]:
    """name -> modules, for every ``params.<name>`` / ``<x>.params.<name>`` read (ast)."""
    read: dict[str, set[str]] = {}
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Attribute):
                continue
            owner = node.value
            if (isinstance(owner, ast.Name) and owner.id == "params") or (
                isinstance(owner, ast.Attribute) and owner.attr == "params"
            ):
                read.setdefault(node.attr, set()).add(path.name)
    return read


def test_every_parameter_the_mechanisms_read_is_in_the_odd(model_md):
    """A ``params.x`` read by a mechanism is a PARAMETER_SPECS entry (or a property derived
    from them) with its row, symbol and name, in the parameter table of docs/model.md."""
    from growthpole.parameters import ModelParameters

    derived = {name for name, value in vars(ModelParameters).items() if isinstance(value, property)}
    read = parameters_read()
    assert len(read) > 40  # the walk finds the reads (a broken walk would pass vacuously)
    unknown = sorted(set(read) - set(PARAMETER_SPECS) - derived)
    assert not unknown, f"mechanisms read parameters outside PARAMETER_SPECS: {unknown}"
    for name in sorted(set(read) & set(PARAMETER_SPECS)):
        symbol = PARAMETER_SPECS[name].symbol
        assert re.search(rf"^\| {re.escape(symbol)} \| `{name}` \|", model_md, re.MULTILINE), (
            f"{name} ({symbol}), read in {sorted(read[name])}, has no row in docs/model.md"
        )


def test_the_parameter_walk_sees_a_new_read(tmp_path):
    """Power: a module reading an undeclared parameter is reported by the walk."""
    module = tmp_path / "mechanism.py"
    module.write_text(
        "def f(context):\n    return context.params.undeclared_rate\n", encoding="utf-8"
    )
    assert parameters_read([module]) == {"undeclared_rate": {"mechanism.py"}}


def _functions_by_module() -> dict[str, tuple[str, set[str]]]:
    """module stem -> (source, names of the functions it defines) over growthpole/."""
    modules = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        names = {
            node.name
            for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        }
        modules[str(path.relative_to(PACKAGE))[:-3].replace("/", ".")] = (source, names)
    return modules


def equation_tag_problems(text: str, modules: dict[str, tuple[str, set[str]]]) -> list[str]:
    """Problems with the equation tags of an ODD ``text`` (empty if none):

    - a tag of the code (a module docstring) that the ODD does not state;
    - a tag of the ODD that no module carries;
    - a tag whose paragraphs in the ODD (each paragraph holding it and the one after)
      name no function (```name``` or ```module.name```) defined in a module carrying it."""
    odd_tags = set(EQUATION_TAG.findall(text))
    code_tags: dict[str, set[str]] = {}
    for module, (source, _names) in modules.items():
        for tag in EQUATION_TAG.findall(source):
            code_tags.setdefault(tag, set()).add(module)
    problems = [
        f"[{tag}] is in {sorted(code_tags[tag])} but not in docs/model.md"
        for tag in sorted(set(code_tags) - odd_tags)
    ]
    problems += [
        f"[{tag}] is in docs/model.md but in no module" for tag in sorted(odd_tags - set(code_tags))
    ]
    paragraphs = re.split(r"\n\s*\n", text)
    for tag in sorted(odd_tags & set(code_tags)):
        window = " ".join(
            paragraphs[i] + " " + (paragraphs[i + 1] if i + 1 < len(paragraphs) else "")
            for i, paragraph in enumerate(paragraphs)
            if f"[{tag}]" in paragraph
        )
        named = re.findall(r"`([A-Za-z_][\w.]*)`", window)
        carriers = code_tags[tag]

        if not any(_defines(reference, carriers, modules) for reference in named):
            problems.append(
                f"[{tag}]: docs/model.md names no function of {sorted(carriers)} "
                f"next to it (named: {sorted(set(named))[:8]})"
            )
    return problems


def _defines(reference: str, carriers: set[str], modules: dict[str, tuple[str, set[str]]]) -> bool:
    """True if ``reference`` (``name`` or ``module.name``) is a function of a carrier."""
    *prefix, function = reference.split(".")
    return any(
        function in modules[m][1] and (not prefix or m.split(".")[-1] == prefix[-1])
        for m in carriers
    )


def test_every_equation_tag_names_a_function_that_exists(model_md):
    modules = _functions_by_module()
    assert len(set(EQUATION_TAG.findall(model_md))) >= 10  # the tags are found at all
    problems = equation_tag_problems(model_md, modules)
    assert not problems, "\n".join(problems)


def test_the_equation_tag_check_can_fail(model_md):
    """Power: a tag with no function, a tag the code lacks and a code tag the ODD lacks
    are each reported."""
    modules = _functions_by_module()
    corrupted = model_md + "\n\n$$x = 1\\qquad\\text{[C9]}$$\n\n(`no_such_function`)\n"
    assert any("[C9]" in p for p in equation_tag_problems(corrupted, modules))
    labour_source, labour_functions = modules["mechanisms.labour"]
    renamed = {
        **modules,
        "mechanisms.labour": (
            labour_source,
            labour_functions
            - {
                "commuting_shares",
                "boundary_cost",
                "commuting_equilibrium",
                "region_log_scale",
                "workplace_log_wages",
                "allocate_labour",
                "calibrate_workplace_fundamentals",
            },
        ),
    }
    assert any(p.startswith("[C1]:") for p in equation_tag_problems(model_md, renamed))
    assert any(
        "[C3] is in" in p
        for p in equation_tag_problems(model_md.replace("[C3]", "[C-three]"), modules)
    )
