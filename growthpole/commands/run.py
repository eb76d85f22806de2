"""``growthpole run`` and ``growthpole validate``."""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path

from growthpole import validation
from growthpole.errors import OutputError, ScenarioError
from growthpole.scenario import MAX_REPLICATIONS, load_scenario


def register(subparsers: argparse._SubParsersAction) -> None:
    run = subparsers.add_parser(
        "run",
        help="run a scenario's replications and write a run directory",
        description="Run a scenario's replications (serially, or on "
        "the shared Dask executor with --workers) and write a run "
        "directory.",
    )
    run.add_argument("scenario", help="scenario YAML file")
    run.add_argument("--replications", type=int, help="override the scenario's replications")
    run.add_argument("--seed", type=validation.seed, help="override the scenario's root seed")
    run.add_argument("--out", help="run directory (default runs/<scenario name>/)")
    run.add_argument("--overwrite", action="store_true", help="replace existing results")
    run.add_argument(
        "--resume",
        action="store_true",
        help="continue an interrupted run in --out: replications already written "
        "are kept (same scenario and parameters only)",
    )
    run.add_argument("--force", action="store_true", help="allow sizes beyond safety limits")
    run.add_argument(
        "--people-per-agent",
        type=float,
        help="override scale.people_per_agent (residents per talent agent)",
    )
    run.add_argument(
        "--workers-per-firm-agent",
        type=float,
        help="override scale.workers_per_firm_agent (talent agents per firm agent)",
    )
    run.add_argument(
        "--workers",
        type=validation.workers,
        help=f"run the replications on the Dask executor of `growthpole sweep` "
        f"(an embedded LocalCluster) with this many worker processes, "
        f"1-{validation.MAX_WORKERS} (default: serially in this process); the "
        f"output is byte-identical for any number",
    )
    run.set_defaults(handler=run_command)

    validate = subparsers.add_parser(
        "validate",
        help="check a scenario file",
        description="Check scenario files: one line per file, 'ok' "
        "or the file, key and what is allowed.",
    )
    validate.add_argument("scenario", nargs="+", help="scenario YAML file(s)")
    validate.set_defaults(handler=validate_command)


def run_command(args: argparse.Namespace) -> int:
    from growthpole.rerun import run_to_directory
    from growthpole.runner import format_summary, summarise

    overrides = {}
    if args.replications is not None:
        if args.replications < 1:
            raise ScenarioError(
                "--replications must be >= 1", file=args.scenario, key="replications"
            )
        if args.replications > MAX_REPLICATIONS and not args.force:
            raise ScenarioError(
                f"--replications {args.replications} exceeds the safety limit "
                f"{MAX_REPLICATIONS}; pass --force to allow",
                file=args.scenario,
                key="replications",
            )
        overrides["replications"] = args.replications
    if args.seed is not None:
        overrides["seed"] = args.seed
    if args.force:
        overrides["force"] = True
    scenario = load_scenario(args.scenario, **overrides)
    scale = {
        name: value
        for name, value in (
            ("people_per_agent", args.people_per_agent),
            ("workers_per_firm_agent", args.workers_per_firm_agent),
        )
        if value is not None
    }
    if scale:  # validated like the file's scale (range, safety limit)
        scenario = scenario.with_changes(scale={**scenario.scale.model_dump(), **scale})
    from growthpole.io import prepare_output_dir, safe_component

    out = Path(args.out) if args.out else Path("runs") / safe_component(scenario.name)

    if args.overwrite and args.resume:
        raise OutputError("--overwrite and --resume exclude each other", file=out)
    prepare_output_dir(out, overwrite=args.overwrite, resume=args.resume)  # refuse early
    # per-replication parts, then city_year.parquet; manifest complete: true last
    with _executor(args.workers, scenario.replications) as executor:
        done = run_to_directory(
            scenario,
            out,
            overwrite=args.overwrite,
            resume=args.resume,
            progress=sys.stderr.isatty(),
            command=sys.argv,
            executor=executor,
        )
    result = done.result
    print(
        f"{scenario.name}: {scenario.replications} replications, "
        f"{scenario.start_year}-{scenario.end_year}"
        + (" (already complete; nothing to do)" if done.already_complete else "")
        + (
            f" ({done.reused} kept from the interrupted run)"
            if done.reused and not done.already_complete
            else ""
        )
    )
    print(format_summary(summarise(result), scenario.start_year))
    from growthpole.fiscal import fiscal_summary, format_fiscal

    print(format_fiscal(fiscal_summary(scenario, result.city_year)))
    block = scenario.uncertainty
    cells = 1 if block is None else block.parameter_draws * block.coefficient_draws
    if "national_rank" in result.city_year.columns and scenario.replications % cells == 0:
        from growthpole.compare import report_years
        from growthpole.uncertainty import format_probability, probability_report

        print(format_probability(probability_report(result, report_years(scenario))))
    print(f"written: {out}/")
    return 0


@contextlib.contextmanager
def _executor(workers: int | None, replications: int) -> Iterator[object | None]:
    """None (serial) without --workers; else the shared Dask executor
    (growthpole.experiments.execute.make_executor), at most one worker per replication."""
    if workers is None:
        yield None
        return
    from growthpole.experiments.execute import make_executor

    with make_executor("local", workers=min(workers, replications)) as executor:
        yield executor


def validate_command(args: argparse.Namespace) -> int:
    for path in args.scenario:
        scenario = load_scenario(path)
        print(
            f"{path}: ok ({scenario.name}, {scenario.start_year}-{scenario.end_year}, "
            f"{scenario.replications} replications, {len(scenario.levers)} levers set)"
        )
    return 0
