"""``growthpole levers``: the policy catalogue."""

from __future__ import annotations

import argparse
import json


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "levers",
        help="print the policy lever catalogue",
        description="Print the policy lever catalogue (every lever by "
        "pillar; --coefficients adds each coefficient's prior "
        "and source, --json gives machine-readable output).",
    )
    parser.add_argument("--json", action="store_true", help="print the catalogue as JSON")
    parser.add_argument("--pillar", help="only this pillar")
    parser.add_argument(
        "--coefficients",
        action="store_true",
        help="one line per coefficient: value, prior and source",
    )
    parser.set_defaults(handler=levers_command)


def levers_command(args: argparse.Namespace) -> int:
    from growthpole.errors import ScenarioError
    from growthpole.levers import CHANNEL_RULES, COEFFICIENTS, OMISSIONS, PILLARS, catalogue_table

    table = catalogue_table()
    if args.pillar:
        if args.pillar not in PILLARS:
            raise ScenarioError(f"unknown pillar; allowed: {', '.join(PILLARS)}", key="--pillar")
        table = [row for row in table if row["pillar"] == args.pillar]
    if args.json:
        rules = {
            name: {"rule": r.rule, "cap": r.cap, "source": r.source.as_dict()}
            for name, r in CHANNEL_RULES.items()
        }
        print(
            json.dumps(
                {"levers": table, "channels": rules, "omissions": OMISSIONS},
                ensure_ascii=False,
                indent=2,
            )
        )
        return 0
    if args.coefficients:
        keys = {row["key"] for row in table}
        for c in COEFFICIENTS.values():
            if c.lever in keys:
                print(f"{c.name} = {c.value:g} ~ {c.prior.describe()}; {c.source.describe()}")
        return 0
    for pillar in PILLARS:
        rows = [row for row in table if row["pillar"] == pillar]
        if not rows:
            continue
        print(f"== {pillar} ({len(rows)} levers)")
        for row in rows:
            low, high = row["range"]
            print(f"  {row['key']}  [{low}, {high}] {row['unit']}; default {row['default']}")
            print(f"      {row['title']}")
            print(f"      mechanisms: {', '.join(row['mechanisms'])}; effect: {row['effect']}")
            print(f"      「{row['clause']}」")
            for c in row["coefficients"]:  # priors and sources (issue 17)
                print(
                    f"      {c['name'].removeprefix(row['key'] + '.')} = {c['value']:g} ~ "
                    f"{COEFFICIENTS[c['name']].prior.describe()}; "
                    f"{COEFFICIENTS[c['name']].source.describe()}"
                )
    if not args.pillar:
        print("== documented omissions")
        for measure, reason in OMISSIONS.items():
            print(f"  {measure}: {reason}")
    return 0
