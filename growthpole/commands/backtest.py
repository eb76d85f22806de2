"""``growthpole backtest``: rolling-origin forecasts against history and simple benchmarks."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

from growthpole.commands._executor_options import (
    add_executor_arguments,
    check_executor_arguments,
    describe_options,
    executor_from_args,
)
from growthpole.errors import ScenarioError


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "backtest",
        help="calibrate on data up to an origin, forecast, and score against "
        "what was published later, beside random-walk, AR(1) and factor-model benchmarks",
        description="Calibrate on data up to each origin year, forecast the years after it and "
        "score the forecast against what was published later, beside random-walk, AR(1) and "
        "factor-model benchmarks.",
    )
    parser.add_argument(
        "--origin",
        type=int,
        nargs="+",
        required=True,
        help="origin year(s) T: calibrate on 2005:T, forecast T+1..--to",
    )
    parser.add_argument(
        "--to",
        type=int,
        default=2024,
        help="last forecast year (default 2024, the last published year)",
    )
    parser.add_argument(
        "--conditional",
        action="store_true",
        help="given the realised national path (isolates the model's skill relative to the nation)",
    )
    parser.add_argument(
        "--budget", type=int, default=150, help="calibration candidates per origin (default 150)"
    )
    parser.add_argument(
        "--replications", type=int, default=20, help="forecast replications (default 20)"
    )
    add_executor_arguments(parser)  # the calibrations' simulations
    parser.add_argument("--seed", type=int, default=20100101, help="root seed of the forecasts")
    parser.add_argument("--json", help="write forecasts and scores to this JSON file")
    parser.set_defaults(handler=backtest_command)


def backtest_command(args: argparse.Namespace) -> int:
    from growthpole.calibration.backtest import backtest
    from growthpole.io import write_json

    for name, value, low, high in (
        ("--budget", args.budget, 10, 100_000),
        ("--replications", args.replications, 2, 10_000),
    ):
        if not low <= value <= high:
            raise ScenarioError(f"{name} must be between {low} and {high}, got {value}", key=name)
    for origin in args.origin:  # every origin checked before any work
        if not 2008 <= origin < args.to or args.to > 2024:
            raise ScenarioError(
                f"--origin must lie in [2008, {min(args.to, 2024) - 1}] and "
                f"--to be <= 2024 (the window starts in 2005), got origin "
                f"{origin}, to {args.to}",
                key="--origin",
            )
    check_executor_arguments(args)
    results = []
    with executor_from_args(args) as executor:  # one cluster for every origin
        for origin in args.origin:
            print(
                f"backtest from {origin} to {args.to} "
                f"({'conditional on' if args.conditional else 'simulating'} the national "
                f"path; calibration budget {args.budget}, {args.replications} replications, "
                f"calibrating {describe_options(args)})",
                file=sys.stderr,
            )
            result = backtest(
                origin,
                to=args.to,
                conditional=args.conditional,
                budget=args.budget,
                replications=args.replications,
                seed=args.seed,
                executor=executor,
            )
            results.append(result)
            _print_scores(args, origin, result)
    if args.json:
        write_json(Path(args.json), {"backtests": [r.to_json() for r in results]})
        print(f"written: {args.json}")
    return 0


def _print_scores(args: argparse.Namespace, origin: int, result) -> None:
    from growthpole.calibration.backtest import METHOD_TITLES

    print(
        f"\norigin {origin} -> {args.to}"
        f"{' (conditional on the national path)' if args.conditional else ''}"
    )
    print(f"  {'method':<36} {'GDP MAPE':>9} {'90% cover':>9} {'rank MAE':>9} {'Brier':>7}")
    for row in result.scores.itertuples(index=False):
        print(
            f"  {METHOD_TITLES[row.method]:<36} {row.gdp_mape:>9.1%} "
            f"{row.gdp_coverage_90:>9.0%} {row.rank_mae:>9.1f} {row.brier_top30:>7.3f}"
        )
    threshold = result.threshold_scores
    if threshold and np.isfinite(threshold["mape"]):
        print(
            f"  30th-place GDP (competitors): MAPE {threshold['mape']:.1%}, 90% band "
            f"covers {threshold['coverage_90']:.0%}, {threshold['last_year']} median "
            f"{threshold['last_year_error']:+.1%} against the realised value"
        )
