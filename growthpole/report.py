"""One-page report of a run directory: ``growthpole report RUN_DIR``.

Reads what ``growthpole run`` wrote (``manifest.json``, ``city_year.parquet``,
``summary.csv``) and writes ``RUN_DIR/figures/*.png`` and ``RUN_DIR/report.html``: the
scenario, the facts of the manifest (hash, seeds, versions, commit), the summary table and
the figures with captions a reader can paste into a paper draft. Optional tables in the run
directory add figures: ``attribution.csv`` (the Shapley table ``growthpole attribute`` writes,
or columns ``pillar``, ``contribution``) and ``calibration_fit.csv`` (``moment``,
``observed``, ``simulated``). Every file is written
atomically (growthpole.io); the model never imports this module.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from growthpole.errors import DataError, OutputError
from growthpole.io import write_text

REQUIRED = ("manifest.json", "city_year.parquet", "summary.csv")
#: columns of city_year.parquet the figures draw on (a run writes them all)
CITY_YEAR_COLUMNS = ("replication", "year", "region", "gdp", "gdp_real", "population",
                     "nonmodelled_gdp", "migration_in", "migration_out", "relocations_in",
                     "relocations_out")
#: columns of summary.csv the report's table draws on
SUMMARY_COLUMNS = ("year", "gdp_p05", "gdp_median", "gdp_p95")
#: manifest entries the report shows, and the type each must have when present
MANIFEST_TYPES: dict[str, type | tuple[type, ...]] = {
    "scenario": dict, "versions": dict, "command": list, "scenario_name": str,
    "replications": int, "root_seed": int}
#: entries of the manifest's scenario, and their types when present
SCENARIO_TYPES: dict[str, type | tuple[type, ...]] = {
    "start_year": int, "end_year": int, "scale": dict, "levers": dict,
    "description": (str, type(None)), "name": str}


@dataclass(frozen=True)
class FigureEntry:
    file: str
    title: str
    caption: str


def load_run(run_dir: str | Path) -> tuple[dict, pd.DataFrame, pd.DataFrame]:
    """(manifest, city_year, summary) of a complete run directory; clear errors otherwise."""
    run_dir = Path(run_dir)
    if not run_dir.is_dir():
        raise OutputError("run directory does not exist (make one with `growthpole run`)",
                          file=run_dir)
    for name in REQUIRED:
        if not (run_dir / name).is_file():
            raise DataError(f"missing; a run directory holds {', '.join(REQUIRED)}",
                            file=run_dir / name)
    try:
        manifest = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise DataError(f"not valid JSON ({exc})"[:200], file=run_dir / "manifest.json") from None
    if not isinstance(manifest, dict) or not manifest.get("complete"):
        raise DataError("the run is incomplete ('complete' is not true): rerun it",
                        file=run_dir / "manifest.json", key="complete")
    _check_manifest(manifest, run_dir / "manifest.json")
    try:
        city_year = pd.read_parquet(run_dir / "city_year.parquet")
    except Exception as exc:  # pyarrow raises several types for a damaged file
        text = (str(exc).splitlines() or [type(exc).__name__])[0]
        raise DataError(f"cannot read parquet ({text})"[:200],
                        file=run_dir / "city_year.parquet") from None
    try:
        summary = pd.read_csv(run_dir / "summary.csv")
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise DataError(f"corrupt CSV ({str(exc).splitlines()[0]})"[:200],
                        file=run_dir / "summary.csv") from None
    for file, frame, columns in (("city_year.parquet", city_year, CITY_YEAR_COLUMNS),
                                 ("summary.csv", summary, SUMMARY_COLUMNS)):
        absent = [c for c in columns if c not in frame.columns]
        if absent:
            raise DataError(f"missing column(s) {', '.join(absent)}; `growthpole run` writes "
                            f"{', '.join(columns)}", file=run_dir / file, key=absent[0])
        if frame.empty:
            raise DataError("the table has no rows", file=run_dir / file)
        for column in columns:
            if column != "region" and not pd.api.types.is_numeric_dtype(frame[column]):
                raise DataError(f"column is not numeric ({frame[column].dtype})",
                                file=run_dir / file, key=column)
    if not (city_year.region == "shaoxing").any():
        raise DataError("no row of region 'shaoxing': not a growthpole run's table",
                        file=run_dir / "city_year.parquet", key="region")
    return manifest, city_year, summary


def _check_manifest(manifest: dict, path: Path) -> None:
    """The entries the report shows have the types ``growthpole run`` writes (a hand-edited
    manifest is refused naming the key, not drawn as a traceback)."""
    for table, types, prefix in ((manifest, MANIFEST_TYPES, ""),
                                 (manifest.get("scenario") or {}, SCENARIO_TYPES,
                                  "scenario.")):
        if not isinstance(table, dict):
            continue
        for key, kind in types.items():
            if key not in table:
                continue
            value = table[key]
            if not isinstance(value, kind) or (isinstance(value, bool) and kind is int):
                names = kind.__name__ if isinstance(kind, type) else " or ".join(
                    k.__name__ for k in kind)
                raise DataError(f"must be {names}, got {type(value).__name__} (was the "
                                f"manifest edited?)", file=path, key=prefix + key)
    scenario = manifest.get("scenario") or {}

    def number(value: object) -> bool:
        return isinstance(value, int | float) and not isinstance(value, bool)

    for key, value in (scenario.get("scale") or {}).items():
        if not number(value):
            raise DataError(f"must be a number, got {type(value).__name__}", file=path,
                            key=f"scenario.scale.{key}")
    for lever, value in (scenario.get("levers") or {}).items():
        constant = not isinstance(value, dict)
        schedule = {"0": value} if constant else value
        for year, level in schedule.items():
            if not number(level) or not str(year).lstrip("-").isdigit():
                raise DataError("must be a number or a {year: number} schedule (was the "
                                "manifest edited?)", file=path, key=f"scenario.levers.{lever}")


def make_figures(run_dir: Path, city_year: pd.DataFrame, summary: pd.DataFrame,
                 scenario_name: str) -> list[FigureEntry]:
    """Draw and save every figure the run's tables support; returns what was written."""
    from growthpole import plots

    figures_dir = run_dir / "figures"
    entries: list[FigureEntry] = []
    replications = int(city_year.replication.nunique()) if "replication" in city_year else 1

    def save(fig, file: str, title: str, caption: str) -> None:
        plots.save_figure(fig, figures_dir / file)
        entries.append(FigureEntry(f"figures/{file}", title, caption))

    has_rank = "national_rank" in city_year.columns
    save(plots.gdp_fan(city_year), "gdp_fan.png", "Shaoxing GDP: published and simulated",
         f"Shaoxing GDP (亿元, current prices): published values (data/city_gdp.csv and the "
         f"imported city panel) and the simulated median with 50% and 90% bands across "
         f"{replications} replications of scenario '{scenario_name}'.")
    save(plots.rank_fan(city_year), "rank_fan.png", "Shaoxing's national GDP rank",
         "Published rank of Shaoxing among Chinese cities by GDP (years in which the "
         "national panel is complete) and the simulated rank distribution (competitor cities "
         "from growthpole.ranking, quantiles across replications); dashed: the top-30 "
         "threshold."
         + ("" if has_rank else " This run has no simulated national rank "
            "(no 'national_rank' column): only the history is shown."))
    if has_rank or "p_top30" in summary.columns:
        save(plots.p_top30_by_year({scenario_name: city_year if has_rank else summary}),
             "p_top30.png", "Probability of a top-30 rank",
             "Share of replications in which Shaoxing's simulated national GDP rank is 30 or "
             "better, by year.")
    save(plots.sector_shares(city_year), "sector_shares.png", "GDP by sector",
         "Shares of Shaoxing's real GDP (base-year prices) by sector of the modelled firms, "
         "and the non-modelled part (agriculture, public services, real estate); mean across "
         "replications.")
    save(plots.corridor_map(city_year), "corridor_map.png", "Flows along the corridor",
         "Net migration (万人) and net firm relocations (firm agents) of each region over the "
         "run, mean across replications. The model records gross in- and outflows per region, "
         "not an origin-destination matrix: arrows are net gains (up) or losses (down), not "
         "routes.")
    attribution = run_dir / "attribution.csv"
    if attribution.is_file():
        table = _read_csv(attribution)
        label = str(table["unit"].iloc[0]) if "unit" in table.columns else "contribution"
        if "outcome" in table.columns:  # the Shapley table of `growthpole attribute`
            outcome = next((o for o in table.outcome if str(o).startswith("gdp")),
                           table.outcome.iloc[0])
            table = plots.shapley_waterfall_table(table, outcome)
            label = f"contribution to {outcome} (Shapley value)"
        try:
            figure = plots.attribution_waterfall(table, value_label=label)
        except ValueError as exc:
            raise DataError(str(exc), file=attribution) from None
        save(figure, "attribution.png", "Attribution to policy pillars",
             "Contribution of each policy pillar to the gain of the full strategy over the "
             "baseline (attribution.csv in the run directory: Shapley values over all pillar "
             "coalitions under common random numbers, or a table of pillar contributions).")
    calibration = run_dir / "calibration_fit.csv"
    if calibration.is_file():
        save(plots.calibration_fit(_read_csv(calibration)), "calibration_fit.png",
             "Calibration fit", "Published against simulated calibration moments "
             "(calibration_fit.csv in the run directory).")
    return entries


def _read_csv(path: Path) -> pd.DataFrame:
    try:
        return pd.read_csv(path)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise DataError(f"corrupt CSV ({str(exc).splitlines()[0]})"[:200], file=path) from None


def headline(summary: pd.DataFrame) -> list[str]:
    """Plain sentences about the last year of the summary."""
    last = summary.iloc[-1]
    year = int(last.year)
    lines = [f"Shaoxing GDP in {year}: median {last.gdp_median:,.0f} 亿元 (90% band "
             f"{last.gdp_p05:,.0f}–{last.gdp_p95:,.0f}), current prices."]
    if "p_top30" in summary.columns:
        lines.append(f"P(national rank ≤ 30) in {year}: {last.p_top30:.2f}; median rank "
                     f"{last.rank_median:.0f} (90% band {last.rank_p05:.0f}–"
                     f"{last.rank_p95:.0f}).")
        reached = summary[summary.p_top30 >= 0.5]
        lines.append(f"First year with P(top 30) ≥ 0.5: {int(reached.year.iloc[0])}."
                     if len(reached) else "P(top 30) stays below 0.5 over the whole horizon.")
    else:
        lines.append("No simulated national rank in this run (no national city panel was "
                     "available when it ran): P(top 30) cannot be reported.")
    return lines


def summary_table_html(summary: pd.DataFrame, start_year: int) -> str:
    years = summary.year.astype(int)
    marks = {int(years.iloc[0]), int(years.iloc[-1])} | {
        int(y) for y in years if (y - start_year) % 5 == 0}
    table = summary[years.isin(marks)]
    head = ["year", "GDP median (亿元)", "GDP 90% band (亿元)", "population median (万人)"]
    has_rank = "rank_median" in table.columns
    if has_rank:
        head += ["rank median", "rank 90% band", "P(rank ≤ 30)"]
    rows = []
    for row in table.itertuples(index=False):
        cells = [f"{row.year:.0f}", f"{row.gdp_median:,.0f}",
                 f"{row.gdp_p05:,.0f}–{row.gdp_p95:,.0f}",
                 f"{getattr(row, 'population_median', float('nan')):,.1f}"]
        if has_rank:
            cells += [f"{row.rank_median:.0f}", f"{row.rank_p05:.0f}–{row.rank_p95:.0f}",
                      f"{row.p_top30:.2f}"]
        rows.append("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in cells) + "</tr>")
    header = "<tr>" + "".join(f"<th>{html.escape(h)}</th>" for h in head) + "</tr>"
    return f"<table>{header}{''.join(rows)}</table>"


STYLE = """
body{font-family:'DejaVu Sans','Noto Sans CJK SC',sans-serif;max-width:60rem;margin:2rem auto;
padding:0 1rem;color:#222;line-height:1.45}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #ddd}
table{border-collapse:collapse;font-size:.9rem;margin:.5rem 0}
td,th{border:1px solid #ccc;padding:.25rem .6rem;text-align:right}
th{background:#f3f3f3}td:first-child,th:first-child{text-align:left}
figure{margin:1.5rem 0}figure img{max-width:100%;border:1px solid #eee}
figcaption{font-size:.88rem;color:#444}.facts td{text-align:left}
code{background:#f5f5f5;padding:0 .2rem}
"""


def render_html(manifest: dict, summary: pd.DataFrame, figures: list[FigureEntry]) -> str:
    scenario = manifest.get("scenario", {}) or {}
    name = str(manifest.get("scenario_name", scenario.get("name", "run")))
    start = int(scenario.get("start_year", int(summary.year.min())))
    end = int(scenario.get("end_year", int(summary.year.max())))
    versions = manifest.get("versions", {}) or {}
    facts = [
        ("scenario", name),
        ("scenario file", manifest.get("scenario_file") or "(built in code)"),
        ("scenario hash (SHA-256)", str(manifest.get("scenario_hash", "")) or "—"),
        ("years", f"{start}–{end}"),
        ("replications", manifest.get("replications", "—")),
        ("root seed", manifest.get("root_seed", "—")),
        ("command", " ".join(map(str, manifest.get("command") or [])) or "—"),
        ("agent scale", ", ".join(f"{k} = {v:g}" for k, v in
                                  (scenario.get("scale") or {}).items()) or "—"),
        ("git commit", manifest.get("git_commit") or "unknown"),
        ("versions", ", ".join(f"{k} {v}" for k, v in versions.items()) or "—"),
        ("written at", manifest.get("written_at", "—")),
    ]
    levers = scenario.get("levers") or {}
    lever_rows = "".join(
        f"<tr><td><code>{html.escape(str(k))}</code></td><td>{html.escape(_schedule(v))}</td>"
        "</tr>" for k, v in sorted(levers.items()))
    lever_html = (f"<table class='facts'><tr><th>lever</th><th>value (by year)</th></tr>"
                  f"{lever_rows}</table>" if levers else
                  "<p>No lever set: every policy at its 2019 state (the baseline).</p>")
    facts_html = "".join(f"<tr><th>{html.escape(str(k))}</th><td>{html.escape(str(v))}</td>"
                         f"</tr>" for k, v in facts)
    figures_html = "".join(
        f"<figure><img src='{html.escape(f.file)}' alt='{html.escape(f.title)}'>"
        f"<figcaption><b>Figure {i}. {html.escape(f.title)}.</b> {html.escape(f.caption)}"
        f"</figcaption></figure>" for i, f in enumerate(figures, start=1))
    description = html.escape(str(scenario.get("description", "")).strip())
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>growthpole report: {html.escape(name)}</title><style>{STYLE}</style></head>
<body>
<h1>growthpole: scenario <code>{html.escape(name)}</code></h1>
<p>{description}</p>
<h2>Headline</h2>
<ul>{''.join(f'<li>{html.escape(s)}</li>' for s in headline(summary))}</ul>
<h2>Summary (Shaoxing, across replications)</h2>
{summary_table_html(summary, start)}
<p style="font-size:.85rem;color:#555">GDP in 亿元 (100 million yuan) at current prices;
population in 万人 (10,000 residents). Bands are the 5th–95th percentiles across
replications; the full table is <code>summary.csv</code>.</p>
<h2>Policy levers</h2>
{lever_html}
<h2>Figures</h2>
{figures_html}
<h2>Run facts (manifest.json)</h2>
<table class="facts">{facts_html}</table>
<p style="font-size:.85rem;color:#555">Data sources and vintages: <code>data/README.md</code>.
The model and its assumptions: <code>docs/model.md</code>.</p>
</body></html>
"""


def _schedule(value: object) -> str:
    if isinstance(value, dict):
        return ", ".join(f"from {year}: {v:g}" for year, v in sorted(
            value.items(), key=lambda item: int(item[0])))
    return f"{value:g}" if isinstance(value, int | float) else str(value)


def build_report(run_dir: str | Path) -> Path:
    """Write ``RUN_DIR/figures/*.png`` and ``RUN_DIR/report.html``; returns the HTML path."""
    run_dir = Path(run_dir)
    manifest, city_year, summary = load_run(run_dir)
    name = str(manifest.get("scenario_name", "run"))
    figures = make_figures(run_dir, city_year, summary, name)
    path = run_dir / "report.html"
    write_text(path, render_html(manifest, summary, figures))
    return path
