"""``growthpole attribute STRATEGY.yaml``: Shapley shares of the strategy's pillars."""

from __future__ import annotations

import argparse
import functools
import sys
import time
from pathlib import Path

from growthpole import validation
from growthpole.experiments.execute import CLUSTER_KINDS


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "attribute",
        help="Shapley attribution of a strategy's effect to its policy pillars",
        description="Run the strategy with every subset of its pillars (2^k coalitions, "
        "common random numbers) and split its effect on Shaoxing's GDP and rank in YEAR "
        "among the pillars by Shapley values (table + waterfall chart).",
    )
    parser.add_argument(
        "scenario", help="strategy scenario YAML (e.g. scenarios/full_strategy.yaml)"
    )
    parser.add_argument(
        "--year",
        type=validation.integer(2000, 2060),
        default=2030,
        help="outcome year (default 2030)",
    )
    parser.add_argument("--replications", type=int, help="override the scenario's replications")
    parser.add_argument("--seed", type=validation.seed, help="override the scenario's root seed")
    parser.add_argument(
        "--workers",
        type=validation.workers,
        help=f"worker processes, 1-{validation.MAX_WORKERS} (default: one per core)",
    )
    parser.add_argument(
        "--scheduler", metavar="ADDRESS", help="existing Dask scheduler (as for `growthpole sweep`)"
    )
    parser.add_argument(
        "--cluster",
        choices=CLUSTER_KINDS,
        default="local",
        help="execution backend (as for `growthpole sweep`)",
    )
    parser.add_argument("--out", help="output directory (default runs/attribution/<name>/)")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument(
        "--resume", action="store_true", help="reuse stored runs of a different plan in --out"
    )
    mode.add_argument("--overwrite", action="store_true", help="delete stored runs first")
    parser.set_defaults(handler=attribute_command)


def attribute_command(args: argparse.Namespace) -> int:
    from growthpole import plots
    from growthpole.errors import ScenarioError
    from growthpole.experiments.attribution import attribute, make_plan
    from growthpole.experiments.execute import (
        execute_run,
        locked_sweep_dir,
        make_executor,
        parse_scheduler,
        run_sweep,
    )
    from growthpole.experiments.store import check_sweep_dir, stored_run_ids
    from growthpole.io import safe_component, write_csv
    from growthpole.scenario import MAX_REPLICATIONS, load_scenario

    if args.scheduler:
        parse_scheduler(args.scheduler)  # before anything is read, created or started
    overrides = {}
    if args.replications is not None:
        if not 1 <= args.replications <= MAX_REPLICATIONS:
            raise ScenarioError(
                f"--replications must be in [1, {MAX_REPLICATIONS}]",
                file=args.scenario,
                key="replications",
            )
        overrides["replications"] = args.replications
    if args.seed is not None:
        overrides["seed"] = args.seed
    scenario = load_scenario(args.scenario, **overrides)
    if not scenario.start_year < args.year <= scenario.end_year:
        raise ScenarioError(
            f"--year {args.year} is outside the horizon "
            f"{scenario.start_year + 1}-{scenario.end_year}",
            file=args.scenario,
            key="end_year",
        )
    plan = make_plan(scenario)
    out = (
        Path(args.out) if args.out else Path("runs") / "attribution" / safe_component(scenario.name)
    )
    runs = plan.coalitions * plan.replications
    check_sweep_dir(out, plan.spec_hash(), resume=args.resume, overwrite=args.overwrite)
    stored = set() if args.overwrite else set(stored_run_ids(out))
    with locked_sweep_dir(out):
        todo = [t for t in plan.tasks() if args.overwrite or t.run_id not in stored]
        print(
            f"{scenario.name}: {len(plan.pillars)} pillars ({', '.join(plan.pillars)}) -> "
            f"{plan.coalitions} coalitions x {plan.replications} replications = {runs} "
            f"runs -> {out}/",
            file=sys.stderr,
        )
        function, pilot_seconds = execute_run, None
        if todo:  # time one run (kept as the first result: no simulation is wasted)
            started = time.perf_counter()
            rows = execute_run(todo[0])
            pilot_seconds = time.perf_counter() - started
            function = functools.partial(_pilot_or_run, todo[0].run_id, rows)
        executor = make_executor(
            args.cluster if todo else "serial",
            workers=args.workers,
            scheduler=args.scheduler if todo else None,
        )
        with executor:
            print(
                plan_line(runs, len(todo), pilot_seconds, executor.workers),
                file=sys.stderr,
                flush=True,
            )
            report = run_sweep(
                plan,
                out,
                executor,
                resume=args.resume,
                overwrite=args.overwrite,
                progress=True,
                function=function,
                command=["growthpole", *sys.argv[1:]],
            )
        table, coalitions = attribute(out, year=args.year)
        write_csv(out / "attribution.csv", table)
        write_csv(out / "coalitions.csv", coalitions)
        plots.save_figure(plots.attribution_waterfall(table), out / "attribution.png")
    print(
        f"{report.executed} runs executed, {report.already_stored} already stored "
        f"({report.runs_per_second:.1f} runs/s)"
    )
    shown = table.assign(
        interval=table.apply(lambda r: f"[{r.ci_low:.4g}, {r.ci_high:.4g}]", axis=1)
    )
    print(
        shown[["outcome", "component", "value", "interval", "share_of_effect"]].to_string(
            index=False, float_format=lambda v: f"{v:.4g}"
        )
    )
    print(f"written: {out}/attribution.csv, {out}/coalitions.csv, {out}/attribution.png")
    return 0


def plan_line(runs: int, todo: int, pilot_seconds: float | None, workers: int) -> str:
    """The line printed before the runs start: how many simulations, and how long."""
    if not todo:
        return f"plan: {runs} runs, all already stored: 0 simulations to run"
    stored = f" ({runs - todo} already stored)" if todo < runs else ""
    assert pilot_seconds is not None  # runs to do: the pilot ran (run_attribution)
    workers = max(workers, 1)
    estimate = pilot_seconds * (todo - 1) / workers  # the pilot is the first of them
    return (
        f"plan: {todo} simulations to run{stored}; about {_duration(estimate)} on "
        f"{workers} worker(s) (estimate: one pilot run took {pilot_seconds:.2f} s; "
        f"cluster start-up not included)"
    )


def _duration(seconds: float) -> str:
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 5400:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


def _pilot_or_run(pilot_id: str, pilot_rows, task):
    """The unit of work of ``attribute``: the pilot run's rows (already computed in the
    client) for its run id, :func:`~growthpole.experiments.execute.execute_run` otherwise."""
    from growthpole.experiments.execute import execute_run

    if task.run_id == pilot_id:
        return pilot_rows
    return execute_run(task)
