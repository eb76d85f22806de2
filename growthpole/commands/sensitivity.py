"""``growthpole sensitivity DIR``: Sobol' or Morris indices of a stored sweep."""

from __future__ import annotations

import argparse
from pathlib import Path

from growthpole import validation


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "sensitivity",
        help="Sobol'/Morris sensitivity indices of a sweep (table + figure)",
        description="Per variant, average each outcome over replications and estimate "
        "SALib sensitivity indices with bootstrap confidence intervals: Sobol' S1/ST for a "
        "saltelli design, Morris mu*/sigma for a morris design, Borgonovo delta otherwise.",
    )
    parser.add_argument("directory", help="sweep directory written by `growthpole sweep`")
    parser.add_argument(
        "--outcome",
        action="append",
        metavar="NAME:YEAR",
        help="outcome (repeatable): COLUMN:YEAR (e.g. gdp:2035), rank:YEAR, "
        "p_top30:YEAR, p_top30_by:YEAR (default: p_top30_by:2030, rank:2030 "
        "and gdp:2035)",
    )
    parser.add_argument("--region", default="shaoxing", help="region of the outcomes")
    parser.add_argument(
        "--resamples",
        type=validation.integer(10, 100_000),
        help="bootstrap resamples, 10-100000 (default 1000 for "
        "Sobol'/Morris, 30 for the slower delta method)",
    )
    parser.add_argument(
        "--conf-level",
        type=validation.number(0.5, 1, high_open=True),
        default=0.95,
        help="confidence level of the intervals (default 0.95)",
    )
    parser.add_argument("--out", help="output directory (default DIR/sensitivity/)")
    parser.set_defaults(handler=sensitivity_command)


def sensitivity_command(args: argparse.Namespace) -> int:
    from growthpole import plots
    from growthpole.errors import GrowthpoleError
    from growthpole.experiments.sensitivity import analyse
    from growthpole.io import WRITTEN_BY, exclusive_directory, write_csv, write_json

    if args.resamples is not None and args.resamples < 10:
        raise GrowthpoleError("--resamples must be >= 10", key="--resamples")
    if not 0.5 <= args.conf_level < 1:
        raise GrowthpoleError("--conf-level must be in [0.5, 1)", key="--conf-level")
    table = analyse(
        args.directory,
        args.outcome,
        region=args.region,
        num_resamples=args.resamples,
        conf_level=args.conf_level,
    )
    files = ["sensitivity.csv", "sensitivity.png"]
    morris = {"mu_star", "sigma"} <= set(table["index"])
    if morris:  # a Morris sweep: the μ*-σ chart beside the bars
        files.append("morris_mu_sigma.png")
    with exclusive_directory(
        Path(args.out) if args.out else Path(args.directory) / "sensitivity", resume=True
    ) as out:
        write_csv(out / "sensitivity.csv", table)
        plots.save_figure(plots.sensitivity_indices(table), out / "sensitivity.png")
        if morris:
            plots.save_figure(plots.morris_mu_sigma(table), out / "morris_mu_sigma.png")
        write_json(
            out / "manifest.json",
            {
                "written_by": WRITTEN_BY,
                "kind": "growthpole-sensitivity",
                "sweep": str(args.directory),
                "files": files,
            },
        )
    shown = table[table["index"].isin(["S1", "ST", "mu_star", "delta", "none"])].copy()
    # the interval printed respects the index's domain (μ* >= 0, shares in [0, 1]), as the
    # charts draw it; sensitivity.csv keeps the bootstrap's normal approximation
    shown["ci"] = "[nan, nan]"
    cut = False
    for index, block in shown.groupby("index"):
        low, high, truncated = plots.index_interval(block, str(index))
        cut = cut or truncated
        shown.loc[block.index, "ci"] = [
            f"[{a:.3g}, {b:.3g}]" for a, b in zip(low, high, strict=True)
        ]
    print(
        shown[["outcome", "factor", "index", "estimate", "ci", "method"]].to_string(
            index=False, float_format=lambda v: f"{v:.3g}"
        )
    )
    if cut:
        print(
            "intervals cut at the index's domain (μ* and σ >= 0, shares in [0, 1]); "
            "sensitivity.csv keeps the bootstrap's normal-approximation ends"
        )
    print("written: " + ", ".join(f"{out}/{name}" for name in files))
    return 0
