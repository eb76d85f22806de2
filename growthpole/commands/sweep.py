"""``growthpole sweep SWEEP.yaml``: run a sweep file's runs on Dask (or serially)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from growthpole import validation
from growthpole.experiments.execute import CLUSTER_KINDS


def register(subparsers: argparse._SubParsersAction) -> None:
    sweep = subparsers.add_parser(
        "sweep",
        help="run a sweep file (factors x design x replications) on Dask",
        description="Run every (variant, replication) of a sweep file and store tidy outcome "
        "rows as Parquet parts with a manifest. Runs already stored (same run_id) are not run "
        "again, so repeating the command resumes an interrupted sweep.",
    )
    sweep.add_argument("sweep", help="sweep YAML file (see docs/sweeps.md)")
    sweep.add_argument(
        "--workers",
        type=validation.workers,
        help=f"worker processes, 1-{validation.MAX_WORKERS} (local: default "
        f"one per core; slurm/pbs: workers to request)",
    )
    sweep.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="use an existing Dask scheduler "
        "(an address such as tcp://127.0.0.1:8786, or the JSON file of "
        "`dask scheduler --scheduler-file`) instead of starting a cluster; one "
        "on another machine needs tls:// and your Dask TLS settings",
    )
    sweep.add_argument(
        "--cluster",
        choices=CLUSTER_KINDS,
        default="local",
        help="local: embedded LocalCluster over TLS (default); serial: "
        "in-process, no Dask; slurm/pbs: dask-jobqueue (docs/cluster.md)",
    )
    sweep.add_argument(
        "--dashboard",
        metavar="ADDRESS",
        nargs="?",
        const="127.0.0.1:8787",
        help="local cluster: serve the Dask dashboard on ADDRESS (PORT binds "
        "127.0.0.1; default 127.0.0.1:8787; needs bokeh)",
    )
    sweep.add_argument("--out", help="sweep directory (default runs/sweeps/<sweep name>/)")
    mode = sweep.add_mutually_exclusive_group()
    mode.add_argument(
        "--resume",
        action="store_true",
        help="reuse the stored runs the sweep shares with a different sweep stored in --out",
    )
    mode.add_argument("--overwrite", action="store_true", help="delete the stored sweep first")
    sweep.add_argument(
        "--flush-seconds",
        type=validation.number(0, 86400),
        default=10.0,
        help="write completed runs at least this often (0-86400 s, default 10)",
    )
    sweep.add_argument(
        "--batch-runs",
        type=validation.integer(1, 1_000_000),
        default=2000,
        help="... or when this many runs wait to be written (default 2000)",
    )
    sweep.set_defaults(handler=sweep_command)


def sweep_command(args: argparse.Namespace) -> int:
    from growthpole.experiments.execute import (
        dashboard_address,
        locked_sweep_dir,
        make_executor,
        parse_scheduler,
    )
    from growthpole.experiments.store import check_sweep_dir, stored_run_ids
    from growthpole.experiments.sweep import load_sweep
    from growthpole.io import safe_component

    # every check before anything is created or started
    if args.scheduler:
        parse_scheduler(args.scheduler)
    if args.dashboard:
        dashboard_address(args.dashboard)
    sweep = load_sweep(args.sweep)
    out = Path(args.out) if args.out else Path("runs") / "sweeps" / safe_component(sweep.name)
    check_sweep_dir(out, sweep.spec_hash(), resume=args.resume, overwrite=args.overwrite)
    planned = {t.run_id for t in sweep.tasks()}
    missing = args.overwrite or bool(planned - set(stored_run_ids(out)))  # reads every part
    cluster = args.cluster if missing else "serial"  # start no cluster when nothing is missing
    with locked_sweep_dir(out):
        print(
            f"{sweep.name}: {len(sweep.design)} variants ({sweep.spec.design.method}) x "
            f"{sweep.replications} replications = {sweep.run_count} runs -> {out}/",
            file=sys.stderr,
        )
        with make_executor(
            cluster,
            workers=args.workers,
            scheduler=args.scheduler if missing else None,
            dashboard=args.dashboard,
        ) as executor:
            report, info = _run(args, sweep, out, executor)
    if report.executed == 0:
        print(
            f"{report.planned} runs planned, {report.already_stored} already stored, "
            f"0 executed: nothing was missing"
        )
    else:
        print(
            f"{report.planned} runs planned, {report.already_stored} already stored, "
            f"{report.executed} executed in {report.elapsed_seconds:.1f} s "
            f"({report.runs_per_second:.1f} runs/s, {info.get('workers')} workers, "
            f"{info.get('backend')})"
        )
    print(f"written: {report.directory}/")
    return 0


def _run(args: argparse.Namespace, sweep, out: Path, executor):
    from growthpole.experiments.execute import run_sweep

    info = executor.describe()
    if info.get("dashboard"):
        import importlib.util

        note = (
            ""
            if importlib.util.find_spec("bokeh")
            else " (shows only a notice: the dashboard needs `pip install bokeh`)"
        )
        print(f"dashboard: {info['dashboard']}{note}", file=sys.stderr)
    report = run_sweep(
        sweep,
        out,
        executor,
        resume=args.resume,
        overwrite=args.overwrite,
        progress=True,
        flush_seconds=args.flush_seconds,
        batch_runs=args.batch_runs,
        command=["growthpole", *sys.argv[1:]],
    )
    return report, info
