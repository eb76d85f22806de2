#!/usr/bin/env python3
"""Write the backtest table of docs/calibration.md from `growthpole backtest --json` files.

    growthpole backtest --origin 2010 2014 2016 2019 --json runs/backtest_unconditional.json
    growthpole backtest --origin 2010 2014 2016 2019 --conditional \
        --json runs/backtest_conditional.json
    python docs/make_backtest_md.py runs/backtest_unconditional.json runs/backtest_conditional.json

Replaces the text between the markers ``<!-- backtest:begin -->`` and ``<!-- backtest:end -->``
and draws docs/backtest.png (growthpole.plots.backtest_fans).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

DOC = Path(__file__).resolve().parent / "calibration.md"
FIGURE = DOC.parent / "backtest.png"
BEGIN, END = "<!-- backtest:begin -->", "<!-- backtest:end -->"
TITLES = {
    "abm": "agent-based model",
    "random_walk_drift": "random walk with drift",
    "ar1_growth": "AR(1) in growth",
    "factor_model": "factor model (Shaoxing)",
}


def table(payload: dict) -> list[str]:
    lines = [
        "| origin | mode | method | GDP MAPE | 90% band covers | rank MAE | Brier P(top 30) |"
        " years (GDP / rank) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for result in payload["backtests"]:
        mode = "conditional" if result["conditional"] else "unconditional"
        best = min(r["gdp_mape"] for r in result["scores"] if r["method"] != "abm")
        for row in result["scores"]:
            mape = f"{row['gdp_mape']:.1%}"
            if row["method"] == "abm":
                mape = f"**{mape}**" + (" (≤ best benchmark)" if row["gdp_mape"] <= best else "")
            lines.append(
                f"| {result['origin']}→{result['to']} | {mode} | {TITLES[row['method']]} "
                f"| {mape} | {row['gdp_coverage_90']:.0%} | {row['rank_mae']:.1f} | "
                f"{row['brier_top30']:.3f} | {row['gdp_years']} / {row['rank_years']} |"
            )
    return lines


def threshold_table(payloads: list[dict]) -> list[str]:
    lines = [
        "| origin | mode | 30th-place MAPE | 90% band covers | last year | median vs realised |",
        "|---|---|---|---|---|---|",
    ]
    for payload in payloads:
        for result in payload["backtests"]:
            scores = result.get("threshold_scores") or {}
            if not scores or scores.get("mape") is None:
                continue
            mode = "conditional" if result["conditional"] else "unconditional"
            lines.append(
                f"| {result['origin']}→{result['to']} | {mode} | {scores['mape']:.1%} | "
                f"{scores['coverage_90']:.0%} | {scores['last_year']} | "
                f"{scores['last_year_error']:+.1%} |"
            )
    return lines


def main(paths: list[str]) -> int:
    from growthpole.plots import backtest_fans, save_figure

    payloads = [json.loads(Path(path).read_text(encoding="utf-8")) for path in paths]
    lines = ["Shaoxing's GDP and national rank:", ""]
    for payload in payloads:
        lines += [*table(payload), ""]
    lines += [
        "The 30th-place GDP (the competitor model's forecast; model basis; 2022-2024 realised",
        "values completed with model draws of the cities that have not published):",
        "",
        *threshold_table(payloads),
        "",
        f"![backtests]({FIGURE.name})",
        "",
    ]
    save_figure(backtest_fans([b for p in payloads for b in p["backtests"]]), FIGURE)
    print(f"wrote {FIGURE}")
    text = DOC.read_text(encoding="utf-8")
    if BEGIN not in text or END not in text:
        raise SystemExit(f"{DOC}: markers {BEGIN} ... {END} not found")
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    DOC.write_text(head + BEGIN + "\n" + "\n".join(lines) + END + tail, encoding="utf-8")
    print(f"wrote the backtest table into {DOC}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
