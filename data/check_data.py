#!/usr/bin/env python3
"""Quality checks for data/*.csv and comparison with the reference panel (read-only).

Prints a report; exit code 1 on a hard failure (duplicate keys, non-positive GDP, bad vintage).
The reference folder is used ONLY for comparison, never as a source.
"""

import csv
import os
import sys
from collections import defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
REF = os.path.join(HERE, "..", "..", "shared", "reference-data", "csmar_city_gdp_1990_2021.csv")
VINTAGES = {"yearbook", "bulletin-preliminary", "census-revised"}


def read(name):
    with open(os.path.join(HERE, name), encoding="utf-8") as f:
        return list(csv.DictReader(f))


def main():
    fail = False
    rows = read("city_gdp.csv")
    assert list(rows[0].keys()) == [
        "city_code",
        "city",
        "year",
        "gdp_100m_cny",
        "vintage",
        "source",
    ]
    seen = set()
    for r in rows:
        k = (r["city_code"], int(r["year"]))
        if k in seen:
            print("DUPLICATE", k)
            fail = True
        seen.add(k)
        if not float(r["gdp_100m_cny"]) > 0:
            print("NON-POSITIVE", k)
            fail = True
        if r["vintage"] not in VINTAGES:
            print("BAD VINTAGE", k, r["vintage"])
            fail = True
        if not r["source"].strip():
            print("NO SOURCE", k)
            fail = True
    # year-on-year jumps (consecutive years only)
    by_city = defaultdict(dict)
    for r in rows:
        by_city[r["city_code"]][int(r["year"])] = (float(r["gdp_100m_cny"]), r["vintage"])
    print("== year-on-year nominal changes > 35% (consecutive years present) ==")
    for c, d in sorted(by_city.items()):
        for y in sorted(d):
            if y - 1 in d:
                g = d[y][0] / d[y - 1][0] - 1
                if abs(g) > 0.35:
                    print(f"  FLAG {c} {y - 1}->{y}: {g:+.1%} ({d[y - 1][1]} -> {d[y][1]})")
    print(
        f"city_gdp rows: {len(rows)}, cities: {len(by_city)}, years: {min(k[1] for k in seen)}-{max(k[1] for k in seen)}"
    )

    # other files: key uniqueness
    for name, key in [
        ("corridor_indicators.csv", ("city_code", "year", "indicator")),
        ("county_gdp.csv", ("region_code", "year", "indicator")),
        ("regions.csv", ("region_id",)),
        ("platforms.csv", ("platform_id",)),
        ("travel_times.csv", ("origin", "destination", "mode", "year")),
    ]:
        rr = read(name)
        ks = [tuple(r[k] for k in key) for r in rr]
        dups = {k for k in ks if ks.count(k) > 1}
        if dups:
            print("DUPLICATE KEYS in", name, sorted(dups)[:5])
            fail = True
        if any(not r["source"].strip() for r in rr):
            print("EMPTY SOURCE in", name)
            fail = True
        print(f"{name}: {len(rr)} rows")

    # comparison with reference
    if os.path.exists(REF):
        ref = {}
        with open(REF, encoding="utf-8") as f:
            for r in csv.DictReader(f):
                if r["gdp_100m_cny"]:
                    ref[(r["city_code"], int(r["year"]))] = float(r["gdp_100m_cny"])
        over = [(k, v) for k, v in ((k, by_city[k[0]][k[1]][0]) for k in seen) if k in ref]
        within = [k for k, v in over if abs(v / ref[k] - 1) <= 0.01]
        print(
            f"== reference comparison: {len(over)} overlapping (city, year); {len(within)} within 1% "
            f"({(len(within) / len(over) if over else 0):.1%}) =="
        )
        for k, v in sorted(over):
            d = v / ref[k] - 1
            if abs(d) > 0.01:
                print(
                    f"  DIFF {k[0]} {k[1]}: ours {v} ({by_city[k[0]][k[1]][1]}) vs ref {ref[k]} ({d:+.2%})"
                )
        # agreement by vintage and for the four corridor cities (diagnostic only)
        by_v = defaultdict(lambda: [0, 0])
        for k, v in over:
            vint = by_city[k[0]][k[1]][1]
            by_v[vint][0] += 1
            by_v[vint][1] += abs(v / ref[k] - 1) <= 0.01
        print(
            "== agreement within 1% by vintage: "
            + "; ".join(f"{vint} {w}/{n}" for vint, (n, w) in sorted(by_v.items()))
            + " =="
        )
        for c in ("330600", "330100", "330200", "310000"):
            oc = [(k, v) for k, v in over if k[0] == c]
            wc = sum(1 for k, v in oc if abs(v / ref[k] - 1) <= 0.01)
            print(f"   corridor {c}: {wc}/{len(oc)} within 1%")
        # Shaoxing rank per year
        print("== Shaoxing (330600) national rank: ours (among cities in our file) vs reference ==")
        ref_years = defaultdict(dict)
        for (c, y), v in ref.items():
            ref_years[y][c] = v
        for y in sorted({k[1] for k in seen}):
            ours = {c: d[y][0] for c, d in by_city.items() if y in d}
            r_ours = (
                (1 + sum(1 for c, v in ours.items() if v > ours["330600"]))
                if "330600" in ours
                else None
            )
            rv = ref_years.get(y, {})
            r_ref = (
                (1 + sum(1 for c, v in rv.items() if v > rv["330600"])) if "330600" in rv else None
            )
            print(f"  {y}: ours={r_ours} (n={len(ours)})  ref={r_ref} (n={len(rv)})")
    return 1 if fail else 0


if __name__ == "__main__":
    sys.exit(main())
