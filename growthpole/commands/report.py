"""``growthpole report DIR``: figures and a one-page HTML report of a run, a comparison or
a sweep (the kind is read from DIR/manifest.json)."""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction) -> None:
    report = subparsers.add_parser(
        "report",
        help="write DIR/figures/*.png and DIR/report.html for a run, compare or sweep directory",
        description="Write DIR/figures/*.png and DIR/report.html for a run directory "
        "(`growthpole run`), a compare directory (`growthpole compare --out`) or a sweep "
        "directory (`growthpole sweep`, `growthpole attribute`); the kind is read from "
        "DIR/manifest.json.",
    )
    report.add_argument("run_dir", metavar="DIR", help="a run, compare or sweep directory")
    report.set_defaults(handler=report_command)


def report_command(args: argparse.Namespace) -> int:
    from growthpole.report import build_any_report

    kind, path = build_any_report(args.run_dir)
    figures = sorted(p.name for p in (path.parent / "figures").glob("*.png"))
    print(f"{kind} directory: {path.parent}")
    print(f"figures: {path.parent / 'figures'}/ ({', '.join(figures)})")
    print(f"report: {path}")
    return 0
