"""``growthpole report RUN_DIR``: figures and a one-page HTML report of a run."""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction) -> None:
    report = subparsers.add_parser(
        "report", help="write RUN_DIR/figures/*.png and RUN_DIR/report.html for a run")
    report.add_argument("run_dir", help="a run directory written by `growthpole run`")
    report.set_defaults(handler=report_command)


def report_command(args: argparse.Namespace) -> int:
    from growthpole.report import build_report

    path = build_report(args.run_dir)
    figures = sorted(p.name for p in (path.parent / "figures").glob("*.png"))
    print(f"figures: {path.parent / 'figures'}/ ({', '.join(figures)})")
    print(f"report: {path}")
    return 0
