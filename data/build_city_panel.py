#!/usr/bin/env python3
"""Transcribe the yearbook city GDP of 2000-2021 into data/city_gdp.csv (the national panel).

The national rank of Shaoxing needs, every year, the GDP of every city that could stand above
it. This script transcribes, from the China City Statistical Yearbook figures as exported by
CSMAR (table CRE_Gdpct, field Gdpct01 "GDP", 亿元, current prices, whole city 全市), the values of

* every city that was in the national top 60 in any year 2000-2021 (rank over all units of
  the export in that year), and
* the cities ranked 61-72 in 2021 (the candidates for the top 60 in 2022-2024, the years
  that data/build_data.py transcribes from the cities' own bulletins), and
* the four corridor cities (Shaoxing, Hangzhou, Ningbo, Shanghai), which are in the first
  set anyway,

for every year 2000-2021 the export holds a positive value. An empty or zero cell of the
export is a gap: no row is written (CSMAR codes some missing values as 0). Nothing is
filled or interpolated. The export's other columns and other cities are not copied.

Why the top-60 union suffices for a rank: a city above Shaoxing in year Y has a smaller rank
than Shaoxing's; Shaoxing ranked 28-38 in 2000-2021, so every city above it that year was in
that year's top 60 and is in the union. Shaoxing's rank computed from this file therefore
equals its rank in the full yearbook cross-section (tests/test_data.py checks both, the
second only where the export is present).

The rows this script writes carry the vintage ``yearbook`` and a ``source`` that starts with
:data:`SOURCE_PREFIX`; data/build_data.py writes every other row of city_gdp.csv (the hand
transcriptions of bulletins) and keeps these, and this script keeps those. Either can be
re-run without the other.

Run (once, on a machine that has the export):
    python3 data/build_city_panel.py [PATH_TO_CSMAR_CRE_Gdpct_EXPORT.csv]
The default path is the project machines' reference copy,
../shared/reference-data/csmar_city_gdp_1990_2021.csv (a tidy rename of the export's columns:
year, city_code, gdp_100m_cny, ...). A CSMAR export with its own column names (Sgnyea,
Ctnm_id, Gdpct01) is accepted too.
"""

from __future__ import annotations

import csv
import os
import sys
from collections import defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_EXPORT = os.path.join(
    HERE, "..", "..", "shared", "reference-data", "csmar_city_gdp_1990_2021.csv"
)
FIRST_YEAR, LAST_YEAR = 2000, 2021
TOP = 60
#: cities ranked TOP+1 .. EXTRA_UP_TO in LAST_YEAR are kept as top-60 candidates for 2022-2024
EXTRA_UP_TO = 72
CORRIDOR = ("330600", "330100", "330200", "310000")
SOURCE_PREFIX = "China City Statistical Yearbook"
EXPORT_CITATION = (
    "GitHub eileenCHEN-9/PhD_2022_2025, data/raw_data/statistics/CRE_Gdpct.csv, "
    "commit f20bcc5e60189da7c99eb185c8b981f116b07af9 (blob 11b3684f)"
)
HEADER = ["city_code", "city", "year", "gdp_100m_cny", "vintage", "source"]

#: Chinese names of the cities the script keeps (administrative names, 民政部 code list);
#: the export carries English names only.
CITY_NAMES = {
    "110000": "北京市",
    "120000": "天津市",
    "130100": "石家庄市",
    "130200": "唐山市",
    "130400": "邯郸市",
    "130600": "保定市",
    "130900": "沧州市",
    "140100": "太原市",
    "150200": "包头市",
    "150600": "鄂尔多斯市",
    "210100": "沈阳市",
    "210200": "大连市",
    "210300": "鞍山市",
    "220100": "长春市",
    "220200": "吉林市",
    "230100": "哈尔滨市",
    "230600": "大庆市",
    "310000": "上海市",
    "320100": "南京市",
    "320200": "无锡市",
    "320300": "徐州市",
    "320400": "常州市",
    "320500": "苏州市",
    "320600": "南通市",
    "320700": "连云港市",
    "320800": "淮安市",
    "320900": "盐城市",
    "321000": "扬州市",
    "321100": "镇江市",
    "321200": "泰州市",
    "321300": "宿迁市",
    "330100": "杭州市",
    "330200": "宁波市",
    "330300": "温州市",
    "330400": "嘉兴市",
    "330500": "湖州市",
    "330600": "绍兴市",
    "330700": "金华市",
    "331000": "台州市",
    "340100": "合肥市",
    "340200": "芜湖市",
    "350100": "福州市",
    "350200": "厦门市",
    "350500": "泉州市",
    "350600": "漳州市",
    "360100": "南昌市",
    "360400": "九江市",
    "360700": "赣州市",
    "370100": "济南市",
    "370200": "青岛市",
    "370300": "淄博市",
    "370500": "东营市",
    "370600": "烟台市",
    "370700": "潍坊市",
    "370800": "济宁市",
    "370900": "泰安市",
    "371000": "威海市",
    "371300": "临沂市",
    "371400": "德州市",
    "371500": "聊城市",
    "371600": "滨州市",
    "371700": "菏泽市",
    "410100": "郑州市",
    "410300": "洛阳市",
    "411300": "南阳市",
    "420100": "武汉市",
    "420500": "宜昌市",
    "420600": "襄阳市",
    "430100": "长沙市",
    "430400": "衡阳市",
    "430600": "岳阳市",
    "430700": "常德市",
    "440100": "广州市",
    "440300": "深圳市",
    "440400": "珠海市",
    "440500": "汕头市",
    "440600": "佛山市",
    "440700": "江门市",
    "440900": "茂名市",
    "441300": "惠州市",
    "441900": "东莞市",
    "442000": "中山市",
    "450100": "南宁市",
    "500000": "重庆市",
    "510100": "成都市",
    "520100": "贵阳市",
    "520300": "遵义市",
    "530100": "昆明市",
    "610100": "西安市",
    "610800": "榆林市",
    "620100": "兰州市",
    "650100": "乌鲁木齐市",
}


def read_export(path: str) -> dict[int, dict[str, float]]:
    """{year: {city_code: GDP (亿元)}} of the export's positive values, 1990-2021."""
    by_year: dict[int, dict[str, float]] = defaultdict(dict)
    with open(path, encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        fields = reader.fieldnames or []
        year_key = "year" if "year" in fields else "Sgnyea"
        code_key = "city_code" if "city_code" in fields else "Ctnm_id"
        gdp_key = "gdp_100m_cny" if "gdp_100m_cny" in fields else "Gdpct01"
        for row in reader:
            year, code, value = row[year_key].strip(), row[code_key].strip(), row[gdp_key].strip()
            if not year.isdigit() or not value:
                continue  # description rows of a CSMAR export; empty cells are gaps
            gdp = float(value)
            if gdp > 0:  # zeros are CSMAR's missing values
                by_year[int(year)][code] = gdp
    return by_year


def kept_cities(by_year: dict[int, dict[str, float]]) -> set[str]:
    """The top-60 union of FIRST_YEAR..LAST_YEAR, the 61-72 of LAST_YEAR, the corridor."""
    kept = set(CORRIDOR)
    for year in range(FIRST_YEAR, LAST_YEAR + 1):
        ordered = sorted(by_year[year].items(), key=lambda item: -item[1])
        limit = EXTRA_UP_TO if year == LAST_YEAR else TOP
        kept.update(code for code, _ in ordered[:limit])
    return kept


def citation(year: int) -> str:
    return (
        f"{SOURCE_PREFIX} (中国城市统计年鉴), GDP 地区生产总值 全市 of {year}, 亿元, "
        f"current prices, in the edition compiled by CSMAR China Regional Economy table "
        f"CRE_Gdpct field Gdpct01 (for some cities and years a later yearbook's restatement "
        f"after an economic census); export read at {EXPORT_CITATION}"
    )


def yearbook_rows(by_year: dict[int, dict[str, float]]) -> list[list[str]]:
    rows = []
    for code in sorted(kept_cities(by_year)):
        if code not in CITY_NAMES:
            raise SystemExit(f"no Chinese name for city {code}: add it to CITY_NAMES")
        for year in range(FIRST_YEAR, LAST_YEAR + 1):
            value = by_year[year].get(code)
            if value is not None:
                rows.append(
                    [code, CITY_NAMES[code], str(year), repr(value), "yearbook", citation(year)]
                )
    return rows


def merge_into_city_gdp(rows: list[list[str]], *, owned) -> None:
    """Rewrite data/city_gdp.csv: the existing rows that ``owned`` rejects, plus ``rows``;
    sorted by (city_code, year, vintage). Written to a temporary file, then renamed."""
    path = os.path.join(HERE, "city_gdp.csv")
    kept: list[list[str]] = []
    if os.path.exists(path):
        with open(path, encoding="utf-8") as handle:
            reader = csv.reader(handle)
            if next(reader, None) != HEADER:
                raise SystemExit(f"{path}: unexpected header (expected {','.join(HEADER)})")
            kept = [row for row in reader if not owned(row)]
    new_keys = {(r[0], r[2], r[4]) for r in rows}
    displaced = [r for r in kept if (r[0], r[2], r[4]) in new_keys]
    if displaced:  # the same figure from another printing of the same vintage
        print(f"{len(displaced)} existing rows of the same (city, year, vintage) replaced")
        kept = [r for r in kept if (r[0], r[2], r[4]) not in new_keys]
    merged = sorted(kept + rows, key=lambda r: (r[0], int(r[2]), r[4]))
    keys = [(r[0], r[2], r[4]) for r in merged]
    duplicates = {k for k in keys if keys.count(k) > 1}
    if duplicates:
        raise SystemExit(f"duplicate (city_code, year, vintage) rows: {sorted(duplicates)[:5]}")
    temporary = path + ".tmp"
    with open(temporary, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(merged)
    os.replace(temporary, path)


def is_yearbook_export_row(row: list[str]) -> bool:
    return row[4] == "yearbook" and row[5].startswith(SOURCE_PREFIX)


def main(argv: list[str]) -> int:
    path = argv[1] if len(argv) > 1 else DEFAULT_EXPORT
    if not os.path.exists(path):
        print(f"{path}: no CSMAR CRE_Gdpct export there; pass its path", file=sys.stderr)
        return 2
    by_year = read_export(path)
    rows = yearbook_rows(by_year)
    merge_into_city_gdp(rows, owned=is_yearbook_export_row)
    cities = {r[0] for r in rows}
    print(f"wrote {len(rows)} yearbook rows ({len(cities)} cities, {FIRST_YEAR}-{LAST_YEAR})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
