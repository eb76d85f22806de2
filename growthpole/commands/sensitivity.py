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
    with exclusive_directory(
        Path(args.out) if args.out else Path(args.directory) / "sensitivity", resume=True
    ) as out:
        write_csv(out / "sensitivity.csv", table)
        plots.save_figure(plots.sensitivity_indices(table), out / "sensitivity.png")
        write_json(
            out / "manifest.json",
            {
                "written_by": WRITTEN_BY,
                "kind": "growthpole-sensitivity",
                "sweep": str(args.directory),
                "files": ["sensitivity.csv", "sensitivity.png"],
            },
        )
    shown = table[table["index"].isin(["S1", "ST", "mu_star", "delta", "none"])]
    with_ci = shown.assign(
        ci=shown.apply(lambda r: f"[{r.conf_low:.3g}, {r.conf_high:.3g}]", axis=1)
    )
    print(
        with_ci[["outcome", "factor", "index", "estimate", "ci", "method"]].to_string(
            index=False, float_format=lambda v: f"{v:.3g}"
        )
    )
    print(f"written: {out}/sensitivity.csv, {out}/sensitivity.png")
    return 0
