"""``growthpole discover DIR``: factor boxes where top-30 by 2030 is likely (CART leaves, or
one PRIM box with its peeling trajectory: ``--method prim``)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import cast

from growthpole import validation


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "discover",
        help="scenario discovery: factor ranges where an outcome is likely",
        description="Fit a regression tree to a sweep's per-variant outcome (default: "
        "P(top-30 by 2030)) and report its leaves as boxes of factor ranges with their "
        "density and coverage of the cases of interest; or, with --method prim, peel one "
        "box by PRIM and draw its trajectory of coverage against density.",
    )
    parser.add_argument(
        "--method",
        choices=("cart", "prim"),
        default="cart",
        help="cart: the leaves of a regression tree (default); prim: one box peeled by PRIM "
        "(Friedman & Fisher 1999), its peeling trajectory and feature scores",
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
        help="smallest box, share of variants (default 0.05; prim: the smallest mass)",
    )
    parser.add_argument(
        "--peel-alpha",
        type=validation.number(0, 0.5, low_open=True, high_open=True),
        default=0.05,
        help="prim: share of the box's points peeled per step, in (0, 0.5) (default 0.05)",
    )
    parser.add_argument(
        "--min-coverage",
        type=validation.number(0, 1, low_open=True),
        default=0.5,
        help="prim: the box chosen is the densest on the trajectory with at least this "
        "coverage, in (0, 1] (default 0.5)",
    )
    parser.add_argument("--region", default="shaoxing", help="region of the outcome")
    parser.add_argument(
        "--out", help="output directory (default DIR/discovery/; DIR/prim/ with --method prim)"
    )
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
    if args.method == "prim":
        return _prim(args)
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


def _prim(args: argparse.Namespace) -> int:
    """``--method prim``: the chosen box, the trajectory (CSV and chart), feature scores."""
    from growthpole import plots
    from growthpole.experiments.discovery import prim_discover
    from growthpole.io import WRITTEN_BY, exclusive_directory, write_csv, write_json

    result, table, summary = prim_discover(
        args.directory,
        outcome=args.outcome,
        threshold=args.threshold,
        alpha=args.peel_alpha,
        min_mass=args.min_leaf_share,
        min_coverage=args.min_coverage,
        region=args.region,
    )
    scores = cast(dict[str, float], summary["feature_scores"])
    files = ["prim_box.csv", "prim_trajectory.csv", "variants.csv", "prim.json"]
    files.append("prim_trajectory.png")
    with exclusive_directory(
        Path(args.out) if args.out else Path(args.directory) / "prim", resume=True
    ) as out:
        write_csv(out / "prim_box.csv", result.box_table())
        write_csv(out / "prim_trajectory.csv", result.trajectory)
        write_csv(out / "variants.csv", table)
        write_json(out / "prim.json", summary)
        plots.save_figure(
            plots.prim_trajectory(result.trajectory, chosen=result.chosen),
            out / "prim_trajectory.png",
        )
        write_json(
            out / "manifest.json",
            {
                "written_by": WRITTEN_BY,
                "kind": "growthpole-discovery",
                "method": "prim",
                "sweep": str(args.directory),
                "files": files,
            },
        )
    print(
        f"{summary['outcome']} {summary['direction']} {summary['threshold']:.3g}: "
        f"{summary['cases']} of {summary['variants']} variants are cases of interest"
    )
    chosen = result.trajectory.iloc[result.chosen]
    ranges = "; ".join(
        f"{factor} in [{low:.4g}, {high:.4g}]" for factor, (low, high) in result.box().items()
    )
    print(
        f"PRIM box (step {result.chosen} of {len(result.trajectory) - 1}): coverage "
        f"{chosen.coverage:.2f}, density {chosen.density:.2f}, mass {chosen.mass:.2f}: "
        f"{ranges or 'everything (no peel raised the density at this coverage)'}"
    )
    print("feature scores: " + ", ".join(f"{name} {value:.2f}" for name, value in scores.items()))
    print(f"written: {out}/prim_box.csv, {out}/prim_trajectory.csv, {out}/prim_trajectory.png")
    return 0
