"""``growthpole data import`` and ``growthpole data check``."""

from __future__ import annotations

import argparse
from pathlib import Path


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "data",
        help="import a city GDP panel; check data/",
        description="Import a city GDP panel (`data import`) or "
        "check data/ against a reference (`data check`).",
    )
    sub = parser.add_subparsers(dest="data_command", metavar="SUBCOMMAND", required=True)
    imp = sub.add_parser(
        "import",
        help="import a city GDP panel (tidy or CSMAR export)",
        description="Import a city GDP panel (tidy or CSMAR export).",
    )
    imp.add_argument("path", help="CSV file of the panel")
    imp.add_argument("--overwrite", action="store_true", help="replace an earlier import")
    imp.set_defaults(handler=import_command)
    check = sub.add_parser(
        "check",
        help="agreement of the city GDP panel with a reference, "
        "and Shaoxing's national rank by year",
        description="Check the agreement of the city GDP panel with a "
        "reference, and print Shaoxing's national rank by year.",
    )
    check.add_argument("--reference", help="reference city GDP panel (tidy or CSMAR export)")
    check.add_argument(
        "--tolerance",
        type=float,
        default=0.01,
        help="relative tolerance of agreement (default 0.01 = 1%%)",
    )
    check.set_defaults(handler=check_command)


def import_command(args: argparse.Namespace) -> int:
    from growthpole.panel import import_panel

    target, rows = import_panel(Path(args.path), overwrite=args.overwrite)
    print(f"imported {rows} (city, year) rows into {target}")
    return 0


def _years_text(years: list[int]) -> str:
    """Compact year ranges: [2000, 2001, 2002, 2005] -> '2000-2002, 2005'."""
    if not years:
        return "none"
    parts, start, previous = [], years[0], years[0]
    for year in [*years[1:], None]:
        if year is not None and year == previous + 1:
            previous = year
            continue
        parts.append(str(start) if start == previous else f"{start}-{previous}")
        if year is not None:
            start = previous = year
    return ", ".join(parts)


def check_command(args: argparse.Namespace) -> int:
    from growthpole import data as data_module
    from growthpole.errors import ScenarioError
    from growthpole.outcomes import TOP
    from growthpole.panel import (
        compare_panels,
        historical_rank,
        imported_panel,
        load_panel,
        national_years,
        published_rank,
        ranking_panel,
    )
    from growthpole.regions import SHAOXING_CITY_CODE

    if not 0 < args.tolerance < 1:
        raise ScenarioError("--tolerance must lie in (0, 1)", key="tolerance")
    reference = None
    if args.reference:  # read first: a bad reference fails before any report is printed
        reference = load_panel(Path(args.reference))
        reference = reference.astype({"city_code": "int64", "year": "int64", "gdp_100m_cny": float})
    panel = ranking_panel()
    project = data_module.load(data_module.CITY_GDP)
    imported = imported_panel()
    project_file = data_module.data_dir() / data_module.CITY_GDP.file
    print("Ranking panel (one source and one vintage per year):")
    for origin, label in (
        ("imported", f"imported panel {data_module.imported_panel_path()}"),
        ("project", f"shipped file {project_file}"),
    ):
        years = sorted(int(y) for y in panel.loc[panel.origin == origin, "year"].unique())
        if years:
            print(f"  {label}: {_years_text(years)}")
    national = national_years(panel)
    print(f"  national years (complete to rank 60): {_years_text(national)}")
    partial = sorted(set(int(y) for y in panel.year.unique()) - set(national))
    partial = [y for y in partial if not national or y > national[0]]
    print(f"  partial years (realised where published, the rest simulated): {_years_text(partial)}")
    if imported is not None:
        _print_import_changes(project, imported)

    if reference is not None:
        print(
            f"\nAgreement with {args.reference} (overlapping (city, year) values within "
            f"{args.tolerance:.0%}):"
        )
        comparisons = [("ranking panel", panel), ("shipped file data/city_gdp.csv alone", project)]
        if imported is not None:
            comparisons.append(("imported panel alone", imported))
        for label, ours in comparisons:
            agreement = compare_panels(ours, reference, tolerance=args.tolerance)
            print(
                f"  {label:<52} {agreement.within:>6}/{agreement.overlapping:<6} = "
                f"{agreement.share:6.1%}"
            )
        worst = compare_panels(panel, reference, tolerance=args.tolerance).worst
        worst = worst[worst.relative_difference.abs() > args.tolerance]
        if len(worst):
            print("  largest differences of the ranking panel (vintages: see data/README.md):")
            for row in worst.itertuples(index=False):
                print(
                    f"    {row.city_code} {row.year}: ours {row.gdp_100m_cny_ours:.2f}, "
                    f"reference {row.gdp_100m_cny_reference:.2f} "
                    f"({row.relative_difference:+.1%})"
                )

    national_panel = panel[panel.year.isin(national)]
    ours_rank = historical_rank(national_panel, SHAOXING_CITY_CODE).set_index("year")
    origin_of_year = panel.groupby("year").origin.first()
    reference_rank = (
        historical_rank(reference, SHAOXING_CITY_CODE).set_index("year")
        if reference is not None
        else None
    )
    years = sorted(
        set(ours_rank.index) | (set(reference_rank.index) if reference_rank is not None else set())
    )
    print(
        f"\nShaoxing ({SHAOXING_CITY_CODE}) national GDP rank in the national years "
        f"(1 + cities with higher GDP that year):"
    )
    header = f"  {'year':>4}  {'ranking panel':<30}"
    if reference_rank is not None:
        header += f"  {'reference':<16}  same"
    print(header)
    same = compared = 0
    for year in years:
        if year in ours_rank.index:
            row = ours_rank.loc[year]
            ours_text = f"{int(row['rank'])} ({origin_of_year[year]}, {int(row.cities)} cities)"
        else:
            ours_text = "n/a (not a national year)"
        line = f"  {year:>4}  {ours_text:<30}"
        if reference_rank is not None:
            if year in reference_rank.index:
                ref = reference_rank.loc[year]
                line += f"  {int(ref['rank'])} ({int(ref.cities)} cities)".ljust(18)
                if year in ours_rank.index:
                    compared += 1
                    equal = int(ours_rank.loc[year, "rank"]) == int(ref["rank"])
                    same += equal
                    line += "  yes" if equal else "  NO"
            else:
                line += "  —"
        print(line)
    if reference_rank is not None:
        print(f"  equal in {same} of {compared} years ranked in both")

    everything = project.assign(origin="project")
    print("\nPartial years: Shaoxing's rank among the published figures of one vintage")
    print(
        "  (worst case: every missing contender above Shaoxing; contenders had >= 85% of "
        "Shaoxing's GDP in the last national year)"
    )
    for year in partial:
        for vintage in sorted(
            everything.loc[everything.year.astype(int) == year, "vintage"].unique()
        ):
            report = published_rank(everything, year, str(vintage), SHAOXING_CITY_CODE)
            if report is None:
                continue
            if report.cities < TOP:  # a few restated figures: no cross-section to rank in
                print(f"  {year} {vintage}: {report.cities} cities (too few to rank)")
                continue
            if report.thirtieth_gdp != report.thirtieth_gdp:
                thirtieth = "n/a (< 30 cities)"
            elif report.exact_thirtieth:
                thirtieth = f"{report.thirtieth_gdp:.1f}"
            else:
                thirtieth = (
                    f"between {report.thirtieth_gdp:.1f} and {report.thirtieth_gdp_upper:.1f}"
                )
            own = (
                "Shaoxing not found in this vintage"
                if report.rank is None
                else f"Shaoxing {report.shaoxing_gdp:.1f}, rank {report.rank} (worst case "
                f"{report.rank_if_missing_above})"
            )
            print(f"  {year} {vintage}: {report.cities} cities; {own}; 30th-city GDP {thirtieth}")
            print(f"    contenders present: {', '.join(report.contenders_present) or 'none'}")
            print(f"    contenders missing: {', '.join(report.contenders_missing) or 'none'}")
    if partial:
        _print_completed_partial_years(panel, partial, SHAOXING_CITY_CODE)
    return 0


def _print_import_changes(project, imported) -> None:
    """What the imported panel changes in the shipped one, year by year."""
    shipped = project.astype({"city_code": "int64", "year": "int64", "gdp_100m_cny": float})
    new = imported.astype({"city_code": "int64", "year": "int64", "gdp_100m_cny": float})
    print("  the imported panel replaces the shipped rows in the years it holds:")
    for year in sorted(new.year.unique()):
        ours = (
            shipped[shipped.year == year]
            .drop_duplicates("city_code")
            .set_index("city_code")
            .gdp_100m_cny
        )
        theirs = (
            new[new.year == year].drop_duplicates("city_code").set_index("city_code").gdp_100m_cny
        )
        common = ours.index.intersection(theirs.index)
        changed = int((abs(theirs[common] / ours[common] - 1) > 1e-9).sum())
        added = len(theirs.index.difference(ours.index))
        dropped = len(ours.index.difference(theirs.index))
        print(
            f"    {year}: {len(theirs)} imported cities ({added} not shipped), {len(ours)} "
            f"shipped ({dropped} dropped), {changed} of {len(common)} common values changed"
        )


def _print_completed_partial_years(panel, partial, city_code) -> None:
    """Shaoxing's published figure ranked against the published competitors plus the
    competitor model's conditional draws of the missing ones (growthpole.ranking)."""
    from growthpole.ranking import complete_partial_years

    table = complete_partial_years(panel, partial, city_code)
    if table.empty:
        return
    print(
        f"\nPartial years completed by the competitor model ({table.attrs['draws']} draws of "
        f"the missing cities, seed {table.attrs['seed']}; median [90% band]):"
    )
    for row in table.itertuples(index=False):
        line = (
            f"  {row.year}: 30th-city GDP {row.thirtieth_median:.0f} "
            f"[{row.thirtieth_p05:.0f}, {row.thirtieth_p95:.0f}]"
        )
        if row.own_gdp == row.own_gdp:
            line += (
                f"; Shaoxing's published {row.own_gdp:.1f} ranks {row.rank_median:.0f} "
                f"[{row.rank_p05:.0f}, {row.rank_p95:.0f}]"
            )
        print(line)
