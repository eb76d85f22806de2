"""``growthpole posterior``: a Bayesian (ABC-SMC) posterior over the calibration's free
parameters, checkpointed in SQLite and resumable, serial or on Dask."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from growthpole.commands._executor_options import (
    add_executor_arguments,
    check_executor_arguments,
    describe_options,
    executor_from_args,
)

DEFAULT_SETTINGS = Path("scenarios") / "calibration" / "posterior.yaml"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "posterior",
        help="likelihood-free posterior of the structural parameters (ABC-SMC, "
        "pyabc) with identification diagnostics",
        description="Estimate the likelihood-free posterior of the structural parameters by "
        "ABC-SMC (pyabc) and report identification diagnostics.",
    )
    parser.add_argument(
        "settings",
        nargs="?",
        default=str(DEFAULT_SETTINGS),
        help=f"posterior settings YAML naming the calibration spec (default {DEFAULT_SETTINGS})",
    )
    parser.add_argument("--window", help="fitting window START:END (default: the spec's)")
    parser.add_argument(
        "--out",
        help="posterior summary YAML (default posterior_START_END.yaml "
        "beside the settings); OUT.particles.csv and OUT.db beside it",
    )
    add_executor_arguments(parser)
    parser.add_argument(
        "--resume",
        action="store_true",
        help="continue the run stored in OUT.db (same settings and spec)",
    )
    parser.add_argument(
        "--overwrite", action="store_true", help="replace an existing posterior and its database"
    )
    parser.set_defaults(handler=posterior_command)


def posterior_command(args: argparse.Namespace) -> int:
    from growthpole.calibration.posterior import check_outputs, load_settings, run_posterior

    check_executor_arguments(args)
    settings, spec = load_settings(args.settings, window=args.window)
    out = (
        Path(args.out)
        if args.out
        else (Path(args.settings).parent / f"posterior_{spec.start}_{spec.end}.yaml")
    )
    check_outputs(out, resume=args.resume, overwrite=args.overwrite)
    print(
        f"posterior {settings.name}: spec {spec.name}, window {spec.window}, "
        f"{len(spec.names)} free parameters, {settings.population} particles, at most "
        f"{settings.generations} generations and {settings.max_simulations} model runs; "
        f"{describe_options(args)}",
        file=sys.stderr,
    )
    executor = executor_from_args(args)  # the shared executor; pyabc needs its Dask client
    client = getattr(executor, "client", None)
    try:
        run = run_posterior(
            settings,
            spec,
            out,
            client=client,
            resume=args.resume,
            overwrite=args.overwrite,
            progress=True,
        )
    finally:
        executor.close()
    summary = run.summary
    info = summary["evaluations"]
    tolerance = summary["tolerance"]
    print(
        f"{settings.name} {spec.window}: {len(summary['generations'])} generations, "
        f"{info['model_runs_abc']} model runs, final epsilon {tolerance['final_epsilon']:.4g} "
        f"(floor {tolerance['noise_floor_or_tolerance']:.4g}; {tolerance['stopped_by']}), "
        f"{info.get('model_runs_per_second_this_run', 0):.1f} runs/s this run"
    )
    for name, row in summary["parameters"].items():
        print(
            f"  {name:<28} {row['median']:>10.4g} [{row['p05']:.4g}, {row['p95']:.4g}]  "
            f"{row['identification']}"
        )
    jacobian = summary["identification"].get("jacobian", {})
    for ridge in jacobian.get("ridges", []):
        print("  ridge (data cannot see): " + ", ".join(f"{k} {v:+.2f}" for k, v in ridge.items()))
    print(
        f"written: {run.paths['summary']}, {run.paths['particles'].name} and "
        f"{run.paths['database'].name} beside it"
    )
    return 0
