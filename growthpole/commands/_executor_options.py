"""``--workers``, ``--cluster`` and ``--scheduler`` of the commands that run the calibration's
simulations (``calibrate``, ``backtest``, ``posterior``): one set of options, one executor
(:func:`growthpole.experiments.execute.make_executor`, the one ``sweep`` uses).

Without ``--cluster`` the work runs in this process with ``--workers 1`` (the default) and on
an embedded Dask LocalCluster (127.0.0.1, TLS) with more; ``--scheduler`` uses a running
Dask scheduler instead. No ``register``: not a subcommand."""

from __future__ import annotations

import argparse

from growthpole import validation
from growthpole.experiments.base import Executor
from growthpole.experiments.execute import CLUSTER_KINDS


def add_executor_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--workers",
        type=validation.workers,
        default=1,
        help=f"worker processes, 1-{validation.MAX_WORKERS} (default 1: in this process; "
        f"more: a Dask LocalCluster unless --cluster says otherwise; slurm/pbs: workers to "
        f"request)",
    )
    parser.add_argument(
        "--cluster",
        choices=CLUSTER_KINDS,
        help="serial (in this process; the default with --workers 1), local (a Dask "
        "LocalCluster on 127.0.0.1 over TLS; the default with --workers > 1), slurm or pbs "
        "(dask-jobqueue; docs/cluster.md)",
    )
    parser.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="use an existing Dask scheduler (as for `growthpole sweep`: tcp://HOST:PORT, "
        "tls://HOST:PORT or a scheduler JSON file) instead of starting a cluster",
    )


def cluster_of(args: argparse.Namespace) -> str:
    """The backend the options name: --cluster, else serial for 1 worker, local for more."""
    return args.cluster or ("local" if args.workers > 1 else "serial")


def check_executor_arguments(args: argparse.Namespace) -> None:
    """Refuse a malformed --scheduler before any work (the connection is made later)."""
    if args.scheduler:
        from growthpole.experiments.execute import parse_scheduler

        parse_scheduler(args.scheduler)


def describe_options(args: argparse.Namespace) -> str:
    """One phrase for the command's first line: where the simulations run."""
    if args.scheduler:
        return f"on the Dask scheduler {args.scheduler}"
    cluster = cluster_of(args)
    if cluster == "serial":
        return "in this process (serial)"
    return f"on {args.workers} {cluster} Dask worker(s)"


def executor_from_args(args: argparse.Namespace) -> Executor:
    """The executor of the options (the caller closes it: ``with executor_from_args(a)``)."""
    from growthpole.experiments.execute import make_executor

    return make_executor(cluster_of(args), workers=args.workers, scheduler=args.scheduler)
