"""``growthpole calibrate``: fit structural parameters to history, with a hindcast."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from growthpole import validation
from growthpole.commands._executor_options import (
    add_executor_arguments,
    check_executor_arguments,
    describe_options,
    executor_from_args,
)
from growthpole.errors import OutputError

DEFAULT_SPEC = Path("scenarios") / "calibration" / "history.yaml"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "calibrate",
        help="fit structural parameters to history (method of simulated "
        "moments) and validate out of sample",
        description="Fit structural parameters to history by the method of simulated moments "
        "(global search + local polish), then run the diagnostics (bootstrap, loss profiles) "
        "and an out-of-sample hindcast. A plan line printed before any work states how many "
        "simulations each part will use; --budget bounds the whole run.",
    )
    parser.add_argument(
        "spec",
        nargs="?",
        default=str(DEFAULT_SPEC),
        help=f"calibration spec YAML (default {DEFAULT_SPEC})",
    )
    parser.add_argument(
        "--window", help="fitting window START:END, e.g. 2005:2019 (default: the spec's)"
    )
    parser.add_argument(
        "--budget",
        type=validation.integer(4, 1_000_000),
        help="model evaluations (candidates, each `replications` "
        "simulations) for the whole run: search, diagnostics and hindcast; "
        "the diagnostics get at most half (reduced, as the plan line says), "
        "4-1000000 (default: the spec's search budget, plus the spec's "
        "diagnostics after it)",
    )
    add_executor_arguments(parser)
    parser.add_argument(
        "--out",
        help="calibrated parameter YAML to write (default "
        "calibrated_START_END.yaml beside the spec); its report is written "
        "beside it",
    )
    parser.add_argument(
        "--resume",
        action="store_true",
        help="continue an interrupted calibration from its checkpoint",
    )
    parser.add_argument(
        "--overwrite",
        action="store_true",
        help="replace an existing calibrated file (and discard a checkpoint unless --resume)",
    )
    parser.set_defaults(handler=calibrate_command)


def calibrate_command(args: argparse.Namespace) -> int:
    from growthpole.calibration.plan import fit_to_budget, plan
    from growthpole.calibration.spec import load_spec
    from growthpole.io import exclusive_lock

    check_executor_arguments(args)
    spec = load_spec(args.spec, window=args.window)
    if args.budget is not None:
        spec, plan_ = fit_to_budget(spec, args.budget)  # before any file is touched
    else:
        plan_ = plan(spec)
    out = (
        Path(args.out)
        if args.out
        else (Path(args.spec).parent / f"calibrated_{spec.start}_{spec.end}.yaml")
    )
    if out.is_dir():
        raise OutputError(
            "--out is a directory; it names the calibrated parameter YAML to write", file=out
        )
    if out.exists() and args.overwrite and not _written_by_calibrate(out):
        raise OutputError(
            "exists and was not written by `growthpole calibrate` (its first "
            "line says so); --overwrite replaces only calibrated files: choose "
            "another --out",
            file=out,
        )
    out.parent.mkdir(parents=True, exist_ok=True)
    with exclusive_lock(out.with_name(f".{out.name}.lock"), what=out):
        return _calibrate(args, spec, out, plan_)


#: the first line of every calibrated file (growthpole.calibration.report)
CALIBRATED_HEADER = "# Calibrated structural parameters written by `growthpole calibrate`"


def _written_by_calibrate(path: Path) -> bool:
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            return handle.readline().startswith(CALIBRATED_HEADER)
    except OSError:
        return False


def _calibrate(args: argparse.Namespace, spec, out: Path, plan) -> int:
    from growthpole.calibration import calibrate, checkpoint_path
    from growthpole.calibration.spec import check_checkpoint_file

    if args.resume:
        check_checkpoint_file(checkpoint_path(out), spec)  # before any work
    print(
        f"calibrating {spec.name}: window {spec.window}, {len(spec.names)} free parameters, "
        f"search budget {spec.search.budget} evaluations x {spec.replications} "
        f"replications, {describe_options(args)}",
        file=sys.stderr,
    )
    print(plan.line(), file=sys.stderr, flush=True)
    with executor_from_args(args) as executor:
        summary = calibrate(
            spec,
            out,
            executor=executor,
            resume=args.resume,
            overwrite=args.overwrite,
            progress=True,
            plan=plan,
        )
    report = summary["report"]
    info = summary["evaluations"]
    print(
        f"{spec.name} {spec.window}: loss {summary['loss']:.5g} after {info['search']} search "
        f"+ {info['diagnostics']} diagnostic evaluations "
        f"({info['evaluations_per_minute']:.0f}/min, {info['wall_seconds']:.0f} s)"
    )
    for row in report["parameters"]:
        band = ""
        if "bootstrap_p05" in row:
            band = f" [{row['bootstrap_p05']:.4g}, {row['bootstrap_p95']:.4g}]"
        print(f"  {row['name']:<24} {row['estimate']:>10.4g}{band}  {row['identification']}")
    for name, verdict in report["targets"].items():
        value = verdict.get("value", verdict.get("max_abs_error"))
        met = {True: "met", False: "NOT met", None: "not assessed"}[verdict["met"]]
        shown = (
            "n/a"
            if value is None
            else (f"{100 * value:.2f}%" if "rank" not in name else f"{value:g}")
        )
        print(f"  target {name}: {shown} -> {met}")
    print(f"written: {out} and {out.stem}.report.json (+ figures) beside it")
    return 0
