"""``growthpole compare A.yaml B.yaml [...]``: scenarios side by side under common random
numbers, and the difference B - A in Shaoxing's GDP with a paired confidence interval
(growthpole.compare)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from growthpole import validation
from growthpole.errors import ScenarioError
from growthpole.scenario import MAX_REPLICATIONS, load_scenario


def register(subparsers: argparse._SubParsersAction) -> None:
    compare = subparsers.add_parser(
        "compare",
        help="compare scenarios under common random numbers",
        description="Run every scenario with the same root seed and replication count (the "
        "first file's unless --seed/--replications), so that replication r shares its random "
        "stream across scenarios; print Shaoxing's GDP median, national rank median and "
        "P(top-30) side by side at five-year marks, and the GDP difference of each later "
        "scenario B from the first A, paired by replication, with a 95% paired t interval.",
    )
    compare.add_argument(
        "scenarios",
        nargs="+",
        metavar="SCENARIO",
        help="scenario YAML files; the first is the reference A",
    )
    compare.add_argument(
        "--replications", type=int, help="replications per scenario (default: the first file's)"
    )
    compare.add_argument(
        "--seed", type=validation.seed, help="shared root seed (default: the first file's)"
    )
    compare.add_argument(
        "--out", help="write comparison.csv, difference.csv and manifest.json to this directory"
    )
    compare.add_argument(
        "--overwrite", action="store_true", help="replace existing results in --out"
    )
    compare.add_argument(
        "--force", action="store_true", help="allow replications beyond the safety limit"
    )
    compare.set_defaults(handler=compare_command)


def compare_command(args: argparse.Namespace) -> int:
    from growthpole.compare import check_comparable, check_distinct_names

    if len(args.scenarios) < 2:
        raise ScenarioError("compare needs at least two scenario files (A and B)", key="SCENARIO")
    if args.replications is not None:
        if args.replications < 2:
            raise ScenarioError(
                "--replications must be >= 2 (a paired interval needs two)", key="--replications"
            )
        if args.replications > MAX_REPLICATIONS and not args.force:
            raise ScenarioError(
                f"--replications {args.replications} exceeds the safety limit "
                f"{MAX_REPLICATIONS}; pass --force to allow",
                key="--replications",
            )
    scenarios = [load_scenario(path) for path in args.scenarios]
    check_comparable(scenarios)  # before any replication runs
    check_distinct_names(scenarios)
    if args.replications is None and scenarios[0].replications < 2:
        raise ScenarioError(
            "the reference scenario has 1 replication; a paired interval "
            "needs >= 2 (pass --replications)",
            file=args.scenarios[0],
            key="replications",
        )
    from growthpole.uncertainty import check_balanced

    if args.replications is not None:
        check_balanced(scenarios[0], args.replications, key="--replications")
    else:
        check_balanced(scenarios[0], scenarios[0].replications)
    if not args.out:
        _compare(args, scenarios, None)
        return 0
    from growthpole.io import exclusive_directory

    with exclusive_directory(Path(args.out), overwrite=args.overwrite) as out:  # refuse early
        _compare(args, scenarios, out)
    return 0


def _compare(args: argparse.Namespace, scenarios: list, out: Path | None) -> None:
    from growthpole.compare import (
        compare_scenarios,
        format_comparison,
        paired_differences,
        side_by_side,
        uncertainty_reports,
    )
    from growthpole.uncertainty import format_effect, format_probability

    comparison = compare_scenarios(
        scenarios, replications=args.replications, seed=args.seed, progress=sys.stderr.isatty()
    )
    table = side_by_side(comparison)
    differences = paired_differences(comparison)
    print(format_comparison(comparison, table, differences))
    probability, effect = uncertainty_reports(comparison)
    if probability is not None:
        print()
        print(format_probability(probability))
    if effect is not None:
        print()
        print(format_effect(effect))
    if out is not None:
        from growthpole.io import WRITTEN_BY, remove_listed_outputs, write_csv, write_json
        from growthpole.runner import git_commit, package_versions

        if args.overwrite:
            remove_listed_outputs(out)  # only the files the old manifest lists
        write_csv(out / "comparison.csv", table)
        write_csv(out / "difference.csv", differences)
        files = ["comparison.csv", "difference.csv"]
        if probability is not None:
            write_csv(out / "p_top30.csv", probability)
            files.append("p_top30.csv")
        if effect is not None:
            write_csv(out / "effect.csv", effect)
            files.append("effect.csv")
        write_json(
            out / "manifest.json",
            {
                "written_by": WRITTEN_BY,
                "kind": "growthpole-compare",
                "command": ["growthpole", "compare", *sys.argv[2:]],
                "scenario_files": list(args.scenarios),
                "scenario_hashes": [s.content_hash() for s in scenarios],
                "root_seed": comparison.seed,
                "replications": comparison.replications,
                "notes": comparison.notes,
                "files": files,
                "versions": package_versions(),
                "git_commit": git_commit(),
                "complete": True,
            },
        )
        print(f"written: {out}/")
