"""``growthpole data import`` and ``growthpole data check``."""

from __future__ import annotations

import argparse
from pathlib import Path


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("data", help="import a city GDP panel; check data/")
    sub = parser.add_subparsers(dest="data_command", metavar="SUBCOMMAND", required=True)
    imp = sub.add_parser("import", help="import a city GDP panel (tidy or CSMAR export)")
    imp.add_argument("path", help="CSV file of the panel")
    imp.add_argument("--overwrite", action="store_true", help="replace an earlier import")
    imp.set_defaults(handler=import_command)


def import_command(args: argparse.Namespace) -> int:
    from growthpole.panel import import_panel

    target, rows = import_panel(Path(args.path), overwrite=args.overwrite)
    print(f"imported {rows} (city, year) rows into {target}")
    return 0
