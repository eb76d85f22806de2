"""``growthpole posterior``: a Bayesian (ABC-SMC) posterior over the calibration's free
parameters, checkpointed in SQLite and resumable, serial or on Dask."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from growthpole.errors import ScenarioError

DEFAULT_SETTINGS = Path("scenarios") / "calibration" / "posterior.yaml"
CLUSTERS = ("serial", "local", "slurm", "pbs")


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
    parser.add_argument(
        "--workers",
        type=int,
        default=1,
        help="Dask worker processes on this machine (default 1: serial, in this process)",
    )
    parser.add_argument(
        "--cluster",
        choices=CLUSTERS,
        help="serial, local (a Dask "
        "LocalCluster on 127.0.0.1; the default with --workers > 1), slurm "
        "or pbs (docs/cluster.md)",
    )
    parser.add_argument("--scheduler", help="address or scheduler file of a running Dask scheduler")
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

    if args.workers < 1 or args.workers > 256:
        raise ScenarioError(
            f"--workers must be between 1 and 256, got {args.workers}", key="--workers"
        )
    settings, spec = load_settings(args.settings, window=args.window)
    out = (
        Path(args.out)
        if args.out
        else (Path(args.settings).parent / f"posterior_{spec.start}_{spec.end}.yaml")
    )
    check_outputs(out, resume=args.resume, overwrite=args.overwrite)
    cluster = args.cluster or ("local" if args.workers > 1 else "serial")
    print(
        f"posterior {settings.name}: spec {spec.name}, window {spec.window}, "
        f"{len(spec.names)} free parameters, {settings.population} particles, at most "
        f"{settings.generations} generations and {settings.max_simulations} model runs; "
        f"{cluster if not args.scheduler else args.scheduler}",
        file=sys.stderr,
    )
    executor = None
    client = None
    if args.scheduler or cluster != "serial":
        from growthpole.experiments.execute import make_executor

        executor = make_executor(cluster, workers=args.workers, scheduler=args.scheduler)
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
        if executor is not None:
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
