"""``growthpole rerun RUN_DIR``: reproduce a run from its manifest and compare.

Exit status: 0 when the reproduced ``city_year.parquet`` is byte-identical to the original,
1 when it differs (the report says which columns, and which versions, commit or data files
changed since), 2 when RUN_DIR cannot be used (no manifest, incomplete run, corrupt files).
"""

from __future__ import annotations

import argparse
import sys


def register(subparsers: argparse._SubParsersAction) -> None:
    rerun = subparsers.add_parser(
        "rerun",
        help="re-run a run directory from its manifest and report whether "
        "city_year.parquet is byte-identical (exit 0 identical, 1 different)",
        description="Re-run a run directory from its manifest and report whether "
        "city_year.parquet is byte-identical (exit 0 identical, 1 different).",
    )
    rerun.add_argument("run_dir", help="a run directory written by `growthpole run`")
    rerun.add_argument(
        "--out",
        help="keep the reproduction in this directory (default: a "
        "temporary directory, deleted afterwards)",
    )
    rerun.set_defaults(handler=rerun_command)


def rerun_command(args: argparse.Namespace) -> int:
    from growthpole.rerun import rerun

    report = rerun(args.run_dir, out=args.out, progress=sys.stderr.isatty())
    print(f"rerun of {args.run_dir}: " + ("IDENTICAL" if report.identical else "DIFFERENT"))
    for line in report.lines:
        print(f"  {line}")
    if args.out:
        print(f"reproduction written: {args.out}/")
    return 0 if report.identical else 1
