"""``growthpole discover DIR``: factor boxes where top-30 by 2030 is likely (CART)."""

from __future__ import annotations

import argparse
from pathlib import Path

from growthpole import validation


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "discover",
        help="scenario discovery: factor ranges where an outcome is likely",
        description="Fit a regression tree to a sweep's per-variant outcome (default: "
        "P(top-30 by 2030)) and report its leaves as boxes of factor ranges with their "
        "density and coverage of the cases of interest.",
    )
    parser.add_argument("directory", help="sweep directory written by `growthpole sweep`")
    parser.add_argument(
        "--outcome",
        default="p_top30_by:2030",
        metavar="NAME:YEAR",
        help="outcome (as for `growthpole sensitivity`; default p_top30_by:2030)",
    )
    parser.add_argument(
        "--threshold",
        type=validation.number(),
        help="a variant is a case of interest when "
        "its outcome is >= this (<= for rank; default 0.5 for probabilities, "
        "else the best quartile)",
    )
    parser.add_argument(
        "--max-depth",
        type=validation.integer(1, 10),
        default=3,
        help="tree depth, 1-10 (default 3)",
    )
    parser.add_argument(
        "--min-leaf-share",
        type=validation.number(0, 0.5, low_open=True, high_open=True),
        default=0.05,
        help="smallest box, share of variants (default 0.05)",
    )
    parser.add_argument("--region", default="shaoxing", help="region of the outcome")
    parser.add_argument("--out", help="output directory (default DIR/discovery/)")
    parser.set_defaults(handler=discover_command)


def discover_command(args: argparse.Namespace) -> int:
    from growthpole import plots
    from growthpole.errors import GrowthpoleError
    from growthpole.experiments.discovery import discover
    from growthpole.io import WRITTEN_BY, exclusive_directory, write_csv, write_json

    if not 1 <= args.max_depth <= 10:
        raise GrowthpoleError("--max-depth must be in [1, 10]", key="--max-depth")
    if not 0 < args.min_leaf_share < 0.5:
        raise GrowthpoleError("--min-leaf-share must be in (0, 0.5)", key="--min-leaf-share")
    from growthpole.experiments.store import read_sweep_for_analysis

    read_sweep_for_analysis(args.directory)  # manifest, plan and every part, before any work
    boxes, table, summary = discover(
        args.directory,
        outcome=args.outcome,
        threshold=args.threshold,
        max_depth=args.max_depth,
        min_leaf_share=args.min_leaf_share,
        region=args.region,
    )
    files = ["boxes.csv", "variants.csv", "discovery.json", "boxes.png"]
    with exclusive_directory(
        Path(args.out) if args.out else Path(args.directory) / "discovery", resume=True
    ) as out:
        write_csv(out / "boxes.csv", boxes)
        write_csv(out / "variants.csv", table)
        write_json(out / "discovery.json", summary)
        plots.save_figure(plots.discovery_boxes(boxes, table, summary), out / "boxes.png")
        write_json(
            out / "manifest.json",
            {
                "written_by": WRITTEN_BY,
                "kind": "growthpole-discovery",
                "sweep": str(args.directory),
                "files": files,
            },
        )
    print(
        f"{summary['outcome']} {summary['direction']} {summary['threshold']:.3g}: "
        f"{summary['cases']} of {summary['variants']} variants are cases of interest"
    )
    if summary["cases"] == 0:
        print("no variant reaches the threshold: the boxes below only rank the variants")
    for box, part in boxes.groupby("box", sort=True):
        first = part.iloc[0]
        ranges = (
            "; ".join(
                f"{r.factor} in [{r.lower:.4g}, {r.upper:.4g}]"
                for r in part.itertuples()
                if r.factor != "(none)"
            )
            or "everything"
        )
        print(
            f"box {box}: mean {first['mean']:.3g}, density {first.density:.2f}, coverage "
            f"{first.coverage:.2f}, {first.variants} variants: {ranges}"
        )
    print(f"written: {out}/boxes.csv, {out}/variants.csv, {out}/boxes.png")
    return 0
