"""One-page reports: ``growthpole report DIR`` for a run, a compare or a sweep directory.

The kind is read from ``DIR/manifest.json`` (:func:`directory_kind`): a run directory
(``growthpole run``), a compare directory (``growthpole compare --out``: comparison.csv,
difference.csv) or a sweep directory (``growthpole sweep``, ``growthpole attribute``).
Each report is ``DIR/figures/*.png`` and ``DIR/report.html``; any other directory is a
one-line error.

For a run directory:

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
CITY_YEAR_COLUMNS = (
    "replication",
    "year",
    "region",
    "gdp",
    "gdp_real",
    "population",
    "nonmodelled_gdp",
    "migration_in",
    "migration_out",
    "relocations_in",
    "relocations_out",
)
#: columns of summary.csv the report's table draws on
SUMMARY_COLUMNS = ("year", "gdp_p05", "gdp_median", "gdp_p95")
#: manifest entries the report shows, and the type each must have when present
MANIFEST_TYPES: dict[str, type | tuple[type, ...]] = {
    "scenario": dict,
    "versions": dict,
    "command": list,
    "scenario_name": str,
    "replications": int,
    "root_seed": int,
}
#: entries of the manifest's scenario, and their types when present
SCENARIO_TYPES: dict[str, type | tuple[type, ...]] = {
    "start_year": int,
    "end_year": int,
    "scale": dict,
    "levers": dict,
    "description": (str, type(None)),
    "name": str,
}


@dataclass(frozen=True)
class FigureEntry:
    file: str
    title: str
    caption: str


def load_run(run_dir: str | Path) -> tuple[dict, pd.DataFrame, pd.DataFrame]:
    """(manifest, city_year, summary) of a complete run directory; clear errors otherwise."""
    run_dir = Path(run_dir)
    if not run_dir.is_dir():
        raise OutputError(
            "run directory does not exist (make one with `growthpole run`)", file=run_dir
        )
    for name in REQUIRED:
        if not (run_dir / name).is_file():
            raise DataError(
                f"missing; a run directory holds {', '.join(REQUIRED)}", file=run_dir / name
            )
    try:
        manifest = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise DataError(f"not valid JSON ({exc})"[:200], file=run_dir / "manifest.json") from None
    if not isinstance(manifest, dict) or not manifest.get("complete"):
        raise DataError(
            "the run is incomplete ('complete' is not true): rerun it",
            file=run_dir / "manifest.json",
            key="complete",
        )
    _check_manifest(manifest, run_dir / "manifest.json")
    try:
        city_year = pd.read_parquet(run_dir / "city_year.parquet")
    except Exception as exc:  # pyarrow raises several types for a damaged file
        text = (str(exc).splitlines() or [type(exc).__name__])[0]
        raise DataError(
            f"cannot read parquet ({text})"[:200], file=run_dir / "city_year.parquet"
        ) from None
    try:
        summary = pd.read_csv(run_dir / "summary.csv")
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise DataError(
            f"corrupt CSV ({str(exc).splitlines()[0]})"[:200], file=run_dir / "summary.csv"
        ) from None
    for file, frame, columns in (
        ("city_year.parquet", city_year, CITY_YEAR_COLUMNS),
        ("summary.csv", summary, SUMMARY_COLUMNS),
    ):
        absent = [c for c in columns if c not in frame.columns]
        if absent:
            raise DataError(
                f"missing column(s) {', '.join(absent)}; `growthpole run` writes "
                f"{', '.join(columns)}",
                file=run_dir / file,
                key=absent[0],
            )
        if frame.empty:
            raise DataError("the table has no rows", file=run_dir / file)
        for column in columns:
            if column != "region" and not pd.api.types.is_numeric_dtype(frame[column]):
                raise DataError(
                    f"column is not numeric ({frame[column].dtype})",
                    file=run_dir / file,
                    key=column,
                )
    if not (city_year.region == "shaoxing").any():
        raise DataError(
            "no row of region 'shaoxing': not a growthpole run's table",
            file=run_dir / "city_year.parquet",
            key="region",
        )
    return manifest, city_year, summary


def _check_manifest(manifest: dict, path: Path) -> None:
    """The entries the report shows have the types ``growthpole run`` writes (a hand-edited
    manifest is refused naming the key, not drawn as a traceback)."""
    for table, types, prefix in (
        (manifest, MANIFEST_TYPES, ""),
        (manifest.get("scenario") or {}, SCENARIO_TYPES, "scenario."),
    ):
        if not isinstance(table, dict):
            continue
        for key, kind in types.items():
            if key not in table:
                continue
            value = table[key]
            if not isinstance(value, kind) or (isinstance(value, bool) and kind is int):
                names = (
                    kind.__name__
                    if isinstance(kind, type)
                    else " or ".join(k.__name__ for k in kind)
                )
                raise DataError(
                    f"must be {names}, got {type(value).__name__} (was the manifest edited?)",
                    file=path,
                    key=prefix + key,
                )
    scenario = manifest.get("scenario") or {}

    def number(value: object) -> bool:
        return isinstance(value, int | float) and not isinstance(value, bool)

    for key, value in (scenario.get("scale") or {}).items():
        if not number(value):
            raise DataError(
                f"must be a number, got {type(value).__name__}",
                file=path,
                key=f"scenario.scale.{key}",
            )
    for lever, value in (scenario.get("levers") or {}).items():
        constant = not isinstance(value, dict)
        schedule = {"0": value} if constant else value
        for year, level in schedule.items():
            if not number(level) or not str(year).lstrip("-").isdigit():
                raise DataError(
                    "must be a number or a {year: number} schedule (was the manifest edited?)",
                    file=path,
                    key=f"scenario.levers.{lever}",
                )


def make_figures(
    run_dir: Path, city_year: pd.DataFrame, summary: pd.DataFrame, scenario_name: str
) -> list[FigureEntry]:
    """Draw and save every figure the run's tables support; returns what was written."""
    from growthpole import plots

    figures_dir = run_dir / "figures"
    entries: list[FigureEntry] = []
    replications = int(city_year.replication.nunique()) if "replication" in city_year else 1

    def save(fig, file: str, title: str, caption: str) -> None:
        plots.save_figure(fig, figures_dir / file)
        entries.append(FigureEntry(f"figures/{file}", title, caption))

    has_rank = "national_rank" in city_year.columns
    save(
        plots.gdp_fan(city_year),
        "gdp_fan.png",
        "Shaoxing GDP: published and simulated",
        f"Shaoxing GDP (亿元, current prices): published values (data/city_gdp.csv and the "
        f"imported city panel) and the simulated median with 50% and 90% bands across "
        f"{replications} replications of scenario '{scenario_name}'.",
    )
    save(
        plots.rank_fan(city_year),
        "rank_fan.png",
        "Shaoxing's national GDP rank",
        "Published rank of Shaoxing among Chinese cities by GDP (years in which the "
        "national panel is complete) and the simulated rank distribution (competitor cities "
        "from growthpole.ranking, quantiles across replications); dashed: the top-30 "
        "threshold."
        + (
            ""
            if has_rank
            else " This run has no simulated national rank "
            "(no 'national_rank' column): only the history is shown."
        ),
    )
    if has_rank or "p_top30" in summary.columns:
        save(
            plots.p_top30_by_year({scenario_name: city_year if has_rank else summary}),
            "p_top30.png",
            "Probability of a top-30 rank",
            "Share of replications in which Shaoxing's simulated national GDP rank is 30 or "
            "better, by year.",
        )
    save(
        plots.sector_shares(city_year),
        "sector_shares.png",
        "GDP by sector",
        "Shares of Shaoxing's real GDP (base-year prices) by sector of the modelled firms, "
        "and the non-modelled part (agriculture, public services, real estate); mean across "
        "replications.",
    )
    save(
        plots.corridor_map(city_year),
        "corridor_map.png",
        "Flows along the corridor",
        "Net migration (万人) and net firm relocations (firm agents) of each region over the "
        "run, mean across replications. The model records gross in- and outflows per region, "
        "not an origin-destination matrix: arrows are net gains (up) or losses (down), not "
        "routes.",
    )
    attribution = run_dir / "attribution.csv"
    if attribution.is_file():
        table = _read_csv(attribution)
        # the axis names the unit the table states; a bare table (pillar, contribution)
        # says that it states none rather than draw a number without a unit
        label = (
            f"contribution, {table['unit'].iloc[0]}"
            if "unit" in table.columns
            else "contribution (attribution.csv states no unit: add a 'unit' column)"
        )
        if "outcome" in table.columns:  # the Shapley table of `growthpole attribute`
            outcome = next(
                (o for o in table.outcome if str(o).startswith("gdp")), table.outcome.iloc[0]
            )
            table = plots.shapley_waterfall_table(table, outcome)
            label = f"contribution to {outcome} (Shapley value)"
        try:
            figure = plots.attribution_waterfall(table, value_label=label)
        except ValueError as exc:
            raise DataError(str(exc), file=attribution) from None
        save(
            figure,
            "attribution.png",
            "Attribution to policy pillars",
            "Contribution of each policy pillar to the gain of the full strategy over the "
            "baseline (attribution.csv in the run directory: Shapley values over all pillar "
            "coalitions under common random numbers, or a table of pillar contributions).",
        )
    calibration = run_dir / "calibration_fit.csv"
    if calibration.is_file():
        save(
            plots.calibration_fit(_read_csv(calibration)),
            "calibration_fit.png",
            "Calibration fit",
            "Published against simulated calibration moments "
            "(calibration_fit.csv in the run directory).",
        )
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
    lines = [
        f"Shaoxing GDP in {year}: median {last.gdp_median:,.0f} 亿元 (90% band "
        f"{last.gdp_p05:,.0f}–{last.gdp_p95:,.0f}), current prices."
    ]
    if "p_top30" in summary.columns:
        lines.append(
            f"P(national rank ≤ 30) in {year}: {last.p_top30:.2f}; median rank "
            f"{last.rank_median:.0f} (90% band {last.rank_p05:.0f}–"
            f"{last.rank_p95:.0f})."
        )
        reached = summary[summary.p_top30 >= 0.5]
        lines.append(
            f"First year with P(top 30) ≥ 0.5: {int(reached.year.iloc[0])}."
            if len(reached)
            else "P(top 30) stays below 0.5 over the whole horizon."
        )
    else:
        lines.append(
            "No simulated national rank in this run (no national city panel was "
            "available when it ran): P(top 30) cannot be reported."
        )
    return lines


def summary_table_html(summary: pd.DataFrame, start_year: int) -> str:
    years = summary.year.astype(int)
    marks = {int(years.iloc[0]), int(years.iloc[-1])} | {
        int(y) for y in years if (y - start_year) % 5 == 0
    }
    table = summary[years.isin(marks)]
    head = ["year", "GDP median (亿元)", "GDP 90% band (亿元)", "population median (万人)"]
    has_rank = "rank_median" in table.columns
    if has_rank:
        head += ["rank median", "rank 90% band", "P(rank ≤ 30)"]
    rows = []
    for row in table.itertuples(index=False):
        cells = [
            f"{row.year:.0f}",
            f"{row.gdp_median:,.0f}",
            f"{row.gdp_p05:,.0f}–{row.gdp_p95:,.0f}",
            f"{getattr(row, 'population_median', float('nan')):,.1f}",
        ]
        if has_rank:
            cells += [
                f"{row.rank_median:.0f}",
                f"{row.rank_p05:.0f}–{row.rank_p95:.0f}",
                f"{row.p_top30:.2f}",
            ]
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
        (
            "agent scale",
            ", ".join(f"{k} = {v:g}" for k, v in (scenario.get("scale") or {}).items()) or "—",
        ),
        ("git commit", manifest.get("git_commit") or "unknown"),
        ("versions", ", ".join(f"{k} {v}" for k, v in versions.items()) or "—"),
        ("written at", manifest.get("written_at", "—")),
    ]
    levers = scenario.get("levers") or {}
    lever_rows = "".join(
        f"<tr><td><code>{html.escape(str(k))}</code></td><td>{html.escape(_schedule(v))}</td></tr>"
        for k, v in sorted(levers.items())
    )
    lever_html = (
        f"<table class='facts'><tr><th>lever</th><th>value (by year)</th></tr>{lever_rows}</table>"
        if levers
        else "<p>No lever set: every policy at its 2019 state (the baseline).</p>"
    )
    facts_html = "".join(
        f"<tr><th>{html.escape(str(k))}</th><td>{html.escape(str(v))}</td></tr>" for k, v in facts
    )
    figures_html = "".join(
        f"<figure><img src='{html.escape(f.file)}' alt='{html.escape(f.title)}'>"
        f"<figcaption><b>Figure {i}. {html.escape(f.title)}.</b> {html.escape(f.caption)}"
        f"</figcaption></figure>"
        for i, f in enumerate(figures, start=1)
    )
    description = html.escape(str(scenario.get("description", "")).strip())
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>growthpole report: {html.escape(name)}</title><style>{STYLE}</style></head>
<body>
<h1>growthpole: scenario <code>{html.escape(name)}</code></h1>
<p>{description}</p>
<h2>Headline</h2>
<ul>{"".join(f"<li>{html.escape(s)}</li>" for s in headline(summary))}</ul>
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
        return ", ".join(
            f"from {year}: {v:g}"
            for year, v in sorted(value.items(), key=lambda item: int(item[0]))
        )
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


# ---------------------------------------------------------------------------------------
# what kind of directory: a run, a comparison or a sweep (detected from the manifest)
# ---------------------------------------------------------------------------------------

#: the kinds of directory ``growthpole report`` reads, and what writes each
KINDS = {
    "run": "`growthpole run`",
    "compare": "`growthpole compare --out`",
    "sweep": "`growthpole sweep` or `growthpole attribute`",
}
COMPARE_KIND = "growthpole-compare"
#: run manifests carry no 'kind'; any of these entries identifies one
RUN_KEYS = ("scenario_hash", "root_seed", "replications", "complete")
_ALLOWED = "; report reads " + ", ".join(f"a {k} directory ({v})" for k, v in KINDS.items())


def directory_kind(directory: str | Path) -> str:
    """'run', 'compare' or 'sweep', from the directory's manifest.json; an OutputError
    naming the directory (or its manifest) and the kinds allowed otherwise."""
    directory = Path(directory)
    if not directory.is_dir():
        raise OutputError("does not exist or is not a directory" + _ALLOWED, file=directory)
    path = directory / "manifest.json"
    if not path.is_file():
        raise OutputError(
            "no manifest.json: not a directory growthpole wrote" + _ALLOWED, file=directory
        )
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise DataError(f"not valid JSON ({exc})"[:200], file=path) from None
    if not isinstance(manifest, dict):
        raise DataError("not a JSON object: not a manifest growthpole wrote", file=path)
    kind = manifest.get("kind")
    if kind == COMPARE_KIND:
        return "compare"
    from growthpole.experiments.store import KIND as SWEEP_KIND

    if kind == SWEEP_KIND:
        return "sweep"
    if kind is None and (
        any(key in manifest for key in RUN_KEYS) or (directory / "city_year.parquet").exists()
    ):
        return "run"  # a damaged run is then refused by load_run, naming what is wrong
    shown = f"kind {kind!r}" if kind is not None else "no 'kind' and not a run's entries"
    raise OutputError(f"unknown kind of directory ({shown})" + _ALLOWED, file=path, key="kind")


def build_any_report(directory: str | Path) -> tuple[str, Path]:
    """Detect the directory's kind and write its report; returns (kind, report.html)."""
    kind = directory_kind(directory)
    builder = {"run": build_report, "compare": build_compare_report, "sweep": build_sweep_report}[
        kind
    ]
    return kind, builder(directory)


def _page(title: str, heading: str, body: str) -> str:
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{html.escape(title)}</title><style>{STYLE}</style></head>
<body>
<h1>{heading}</h1>
{body}
<p style="font-size:.85rem;color:#555">Data sources and vintages: <code>data/README.md</code>.
The model and its assumptions: <code>docs/model.md</code>.</p>
</body></html>
"""


def _facts_html(facts: list[tuple[str, object]]) -> str:
    rows = "".join(
        f"<tr><th>{html.escape(str(k))}</th><td>{html.escape(str(v))}</td></tr>" for k, v in facts
    )
    return f"<table class='facts'>{rows}</table>"


def _figures_html(figures: list[FigureEntry]) -> str:
    return "".join(
        f"<figure><img src='{html.escape(f.file)}' alt='{html.escape(f.title)}'>"
        f"<figcaption><b>Figure {i}. {html.escape(f.title)}.</b> {html.escape(f.caption)}"
        f"</figcaption></figure>"
        for i, f in enumerate(figures, start=1)
    )


def _table_html(frame: pd.DataFrame, formats: dict[str, str] | None = None) -> str:
    formats = formats or {}

    def cell(column: str, value: object) -> str:
        if isinstance(value, float):
            if value != value:  # NaN
                return "—"
            return format(value, formats.get(column, ",.4g"))
        return str(value)

    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    rows = "".join(
        "<tr>"
        + "".join(
            f"<td>{html.escape(cell(c, v))}</td>" for c, v in zip(frame.columns, row, strict=True)
        )
        + "</tr>"
        for row in frame.itertuples(index=False)
    )
    return f"<table><tr>{head}</tr>{rows}</table>"


def _environment_facts(manifest: dict) -> list[tuple[str, object]]:
    versions = manifest.get("versions")
    if not isinstance(versions, dict):
        versions = {}
    command = manifest.get("command")
    return [
        ("command", " ".join(map(str, command)) if isinstance(command, list) else "—"),
        ("git commit", manifest.get("git_commit") or "unknown"),
        ("versions", ", ".join(f"{k} {v}" for k, v in versions.items()) or "—"),
    ]


def _check_columns(
    frame: pd.DataFrame,
    columns: tuple[str, ...],
    path: Path,
    writer: str,
    numeric: tuple[str, ...] = (),
) -> None:
    absent = [c for c in columns if c not in frame.columns]
    if absent:
        raise DataError(
            f"missing column(s) {', '.join(absent)}; {writer} writes {', '.join(columns)}",
            file=path,
            key=absent[0],
        )
    if frame.empty:
        raise DataError("the table has no rows", file=path)
    for column in numeric:
        if column in frame.columns and not pd.api.types.is_numeric_dtype(frame[column]):
            raise DataError(f"column is not numeric ({frame[column].dtype})", file=path, key=column)


# ---- compare directories -----------------------------------------------------------------

COMPARE_FILES = ("manifest.json", "comparison.csv", "difference.csv")
COMPARISON_COLUMNS = ("year", "scenario", "gdp_median")
DIFFERENCE_COLUMNS = (
    "year",
    "scenario_a",
    "scenario_b",
    "replications",
    "gdp_difference_mean",
    "ci_lower",
    "ci_upper",
    "gdp_difference_percent",
)


def load_compare(directory: str | Path) -> tuple[dict, pd.DataFrame, pd.DataFrame]:
    """(manifest, comparison, difference) of a complete compare directory."""
    directory = Path(directory)
    for name in COMPARE_FILES:
        if not (directory / name).is_file():
            raise DataError(
                f"missing; a compare directory holds {', '.join(COMPARE_FILES)}",
                file=directory / name,
            )
    try:
        manifest = json.loads((directory / "manifest.json").read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise DataError(f"not valid JSON ({exc})"[:200], file=directory / "manifest.json") from None
    if not isinstance(manifest, dict) or manifest.get("complete") is not True:
        raise DataError(
            "the comparison is incomplete ('complete' is not true): run it again",
            file=directory / "manifest.json",
            key="complete",
        )
    writer = "`growthpole compare --out`"
    comparison = _read_csv(directory / "comparison.csv")
    _check_columns(
        comparison,
        COMPARISON_COLUMNS,
        directory / "comparison.csv",
        writer,
        ("year", "gdp_median", "rank_median", "p_top30"),
    )
    difference = _read_csv(directory / "difference.csv")
    _check_columns(
        difference,
        DIFFERENCE_COLUMNS,
        directory / "difference.csv",
        writer,
        (
            "year",
            "replications",
            "gdp_difference_mean",
            "ci_lower",
            "ci_upper",
            "gdp_difference_percent",
        ),
    )
    return manifest, comparison, difference


def _five_year_marks(years: pd.Series) -> list[int]:
    values = sorted(int(y) for y in years.unique())
    return sorted({values[0], values[-1]} | {y for y in values if (y - values[0]) % 5 == 0})


def build_compare_report(directory: str | Path) -> Path:
    """``DIR/figures/*.png`` and ``DIR/report.html`` of a compare directory."""
    from growthpole import plots

    directory = Path(directory)
    manifest, comparison, difference = load_compare(directory)
    names = list(dict.fromkeys(comparison.scenario.astype(str)))
    replications = manifest.get("replications", "—")
    figures: list[FigureEntry] = []

    def save(fig, file: str, title: str, caption: str) -> None:
        plots.save_figure(fig, directory / "figures" / file)
        figures.append(FigureEntry(f"figures/{file}", title, caption))

    save(
        plots.scenario_gdp_medians(comparison),
        "gdp_medians.png",
        "Shaoxing GDP by scenario",
        f"Median across {replications} replications of Shaoxing's GDP (亿元, current prices) "
        f"in each scenario, under common random numbers (comparison.csv).",
    )
    save(
        plots.paired_difference(difference),
        "gdp_difference.png",
        "GDP difference from the reference scenario",
        f"Shaoxing's GDP in each scenario B minus the reference A ({names[0]}), paired by "
        f"replication (亿元, current prices), with the 95% paired t interval of the mean "
        f"(difference.csv).",
    )
    if "p_top30" in comparison.columns:
        tables = {
            name: rows[["year", "p_top30"]]
            for name, rows in comparison.groupby("scenario", sort=False)
        }
        save(
            plots.p_top30_by_year(tables),
            "p_top30.png",
            "Probability of a top-30 rank",
            "Share of replications in which Shaoxing's simulated national GDP rank is 30 or "
            "better, by year and scenario.",
        )
    marks = _five_year_marks(comparison.year)
    wide = comparison[comparison.year.isin(marks)]
    value_columns = [c for c in ("gdp_median", "rank_median", "p_top30") if c in wide.columns]
    side = wide.pivot(index="year", columns="scenario", values=value_columns)
    side.columns = [f"{scenario}: {column}" for column, scenario in side.columns]
    side = side.reset_index()
    diff = difference[difference.year.isin(marks)][
        [
            "year",
            "scenario_b",
            "scenario_a",
            "gdp_difference_mean",
            "ci_lower",
            "ci_upper",
            "gdp_difference_percent",
        ]
    ]
    files = manifest.get("scenario_files")
    facts = [
        ("scenarios", ", ".join(names)),
        ("scenario files", ", ".join(map(str, files)) if isinstance(files, list) else "—"),
        ("root seed (shared)", manifest.get("root_seed", "—")),
        ("replications per scenario", replications),
        *_environment_facts(manifest),
    ]
    notes = manifest.get("notes")
    if not isinstance(notes, list):
        notes = []
    body = (
        "<h2>Side by side (Shaoxing, medians across replications)</h2>"
        + _table_html(
            side,
            {c: ",.0f" for c in side.columns if "gdp" in c}
            | {c: ".2f" for c in side.columns if "p_top30" in c},
        )
        + "<p style='font-size:.85rem;color:#555'>GDP in 亿元 (100 million yuan) at current "
        "prices; rank among Chinese cities by GDP; P(top 30) the share of replications "
        "ranked 30 or better. The full table is <code>comparison.csv</code>.</p>"
        + "<h2>Difference B − A (paired by replication)</h2>"
        + _table_html(diff, {"gdp_difference_percent": ".2f"})
        + "<p style='font-size:.85rem;color:#555'>GDP difference in 亿元, current prices; "
        "ci_lower/ci_upper: 95% paired t interval; percent of A's mean. The full table is "
        "<code>difference.csv</code>.</p>"
        + "".join(f"<p>Note: {html.escape(str(n))}</p>" for n in notes)
        + "<h2>Figures</h2>"
        + _figures_html(figures)
        + "<h2>Comparison facts (manifest.json)</h2>"
        + _facts_html(facts)
    )
    path = directory / "report.html"
    write_text(
        path,
        _page(
            f"growthpole report: compare {', '.join(names)}",
            f"growthpole: comparison of <code>{html.escape(names[0])}</code> "
            f"with {len(names) - 1} scenario(s)",
            body,
        ),
    )
    return path


# ---- sweep directories -------------------------------------------------------------------

#: most outcome-by-factor figures a sweep report draws (one per outcome)
MAX_SWEEP_OUTCOMES = 3
#: variants listed in the report's table (sorted by the first outcome)
SWEEP_TABLE_ROWS = 20


def _sweep_analyses(directory: Path, save) -> None:
    """The charts of the analyses already run on the sweep, from their own output files:
    ``growthpole sensitivity`` (DIR/sensitivity/), ``discover`` (DIR/discovery/) and
    ``discover --method prim`` (DIR/prim/), drawn by the functions those commands use."""
    from growthpole import plots

    sensitivity = directory / "sensitivity" / "sensitivity.csv"
    if sensitivity.is_file():
        table = _read_csv(sensitivity)
        try:
            save(
                plots.sensitivity_indices(table),
                "sensitivity.png",
                "Sensitivity indices",
                "The indices of `growthpole sensitivity` (sensitivity/sensitivity.csv), "
                "intervals cut at each index's domain.",
            )
            if {"mu_star", "sigma"} <= set(table["index"]):
                save(
                    plots.morris_mu_sigma(table),
                    "morris_mu_sigma.png",
                    "Morris μ*-σ",
                    "Each factor at its Morris μ* (mean absolute elementary effect) and σ "
                    "(their spread): far right = important, high σ/μ* = non-linear or "
                    "interacting (sensitivity/sensitivity.csv).",
                )
        except (ValueError, KeyError) as exc:
            raise DataError(str(exc), file=sensitivity) from None
    discovery = directory / "discovery"
    if all((discovery / f).is_file() for f in ("boxes.csv", "variants.csv", "discovery.json")):
        try:
            summary = json.loads((discovery / "discovery.json").read_text(encoding="utf-8"))
            figure = plots.discovery_boxes(
                _read_csv(discovery / "boxes.csv"), _read_csv(discovery / "variants.csv"), summary
            )
        except (ValueError, KeyError) as exc:
            raise DataError(str(exc), file=discovery / "boxes.csv") from None
        save(
            figure,
            "discovery_boxes.png",
            "Scenario discovery (CART boxes)",
            f"Every box of `growthpole discover` for {summary.get('outcome', 'the outcome')} "
            f"{summary.get('direction', '')} {summary.get('threshold', '')} "
            "(discovery/boxes.csv), with its density and coverage.",
        )
    trajectory = directory / "prim" / "prim_trajectory.csv"
    prim = directory / "prim" / "prim.json"
    if trajectory.is_file() and prim.is_file():
        try:
            summary = json.loads(prim.read_text(encoding="utf-8"))
            figure = plots.prim_trajectory(
                _read_csv(trajectory), chosen=int(summary["chosen_step"])
            )
        except (ValueError, KeyError) as exc:
            raise DataError(str(exc), file=trajectory) from None
        save(
            figure,
            "prim_trajectory.png",
            "Scenario discovery (PRIM peeling trajectory)",
            "Coverage against density of each box along the peel of `growthpole discover "
            "--method prim` (prim/prim_trajectory.csv); the chosen box marked.",
        )


def build_sweep_report(directory: str | Path) -> Path:
    """``DIR/figures/*.png`` and ``DIR/report.html`` of a sweep (or attribution) directory:
    per-variant outcomes against each factor, the Shapley waterfall when the directory
    holds ``attribution.csv``, and the charts of the sensitivity and discovery analyses
    already run on it (DIR/sensitivity/, DIR/discovery/, DIR/prim/)."""
    from growthpole import plots
    from growthpole.experiments.sensitivity import variant_outcomes
    from growthpole.experiments.store import read_sweep_for_analysis

    directory = Path(directory)
    manifest = read_sweep_for_analysis(directory)
    table, outcomes = variant_outcomes(directory)  # refuses an incomplete sweep
    factors = [str(f["name"]) for f in manifest["factors"]]
    name = str(manifest.get("sweep_name", directory.name))
    figures: list[FigureEntry] = []

    def save(fig, file: str, title: str, caption: str) -> None:
        plots.save_figure(fig, directory / "figures" / file)
        figures.append(FigureEntry(f"figures/{file}", title, caption))

    replications = manifest.get("replications", "—")
    for i, outcome in enumerate(outcomes[:MAX_SWEEP_OUTCOMES], start=1):
        save(
            plots.outcome_by_factor(table, factors, outcome),
            f"outcome_{i}.png",
            plots.outcome_label(outcome),
            f"{plots.outcome_label(outcome)} in each of the {len(table)} design variants "
            f"(mean over {replications} replications) against each factor of the sweep.",
        )
    attribution = directory / "attribution.csv"
    if attribution.is_file():
        shapley = _read_csv(attribution)
        if "outcome" in shapley.columns:
            outcome = next(
                (o for o in shapley.outcome if str(o).startswith("gdp")), shapley.outcome.iloc[0]
            )
            try:
                figure = plots.attribution_waterfall(
                    plots.shapley_waterfall_table(shapley, outcome),
                    value_label=f"contribution to {outcome} (Shapley value)",
                )
            except (ValueError, KeyError) as exc:
                raise DataError(str(exc), file=attribution) from None
            save(
                figure,
                "attribution.png",
                "Attribution to policy pillars",
                "Shapley value of each pillar: its average contribution to the strategy's "
                "effect over all pillar coalitions, under common random numbers "
                "(attribution.csv, written by `growthpole attribute`).",
            )
    _sweep_analyses(directory, save)
    factor_rows = pd.DataFrame(
        [
            {
                "factor": plots.factor_label(str(f["name"]), width=80),
                "kind": f.get("kind", "—"),
                "lower": f.get("lower"),
                "upper": f.get("upper"),
                "from year": f.get("from_year") if f.get("from_year") is not None else "—",
            }
            for f in manifest["factors"]
        ]
    )
    spread = pd.DataFrame(
        [
            {
                "outcome": plots.outcome_label(o),
                "lowest": float(table[o].min()),
                "median": float(table[o].median()),
                "highest": float(table[o].max()),
                "variant of the highest": int(table.variant[table[o].idxmax()]),
            }
            for o in outcomes
        ]
    )
    shown = table.sort_values(
        outcomes[0], ascending=outcomes[0].startswith("rank"), kind="stable"
    ).head(SWEEP_TABLE_ROWS)
    shown = shown[["variant", *factors, *outcomes]]
    facts = [
        ("sweep", name),
        ("sweep file", manifest.get("sweep_file") or "(built in code)"),
        ("spec hash (SHA-256)", manifest.get("spec_hash", "—")),
        ("design", manifest.get("design_method", "—")),
        ("variants", manifest.get("variants", len(table))),
        ("replications per variant", replications),
        (
            "runs planned / stored",
            f"{manifest.get('runs_planned', '—')} / {manifest.get('runs_stored', '—')}",
        ),
        ("root seed", manifest.get("root_seed", "—")),
        ("executor", json.dumps(manifest.get("executor", "—"), ensure_ascii=False)),
        *_environment_facts(manifest),
    ]
    body = (
        f"<p>{html.escape(str((manifest.get('spec') or {}).get('description', '')))}</p>"
        + "<h2>Factors</h2>"
        + _table_html(factor_rows)
        + "<h2>Outcomes across the design (Shaoxing, means over replications)</h2>"
        + _table_html(spread)
        + f"<h2>Variants ({len(shown)} of {len(table)}, by {html.escape(outcomes[0])})</h2>"
        + _table_html(shown)
        + "<p style='font-size:.85rem;color:#555'>GDP in 亿元 (100 million yuan) at current "
        "prices; rank among Chinese cities by GDP; P(…) shares of replications. "
        "Per-run rows: <code>results/part-*.parquet</code>; the design: "
        "<code>design.parquet</code>.</p>"
        + "<h2>Figures</h2>"
        + _figures_html(figures)
        + "<h2>Sweep facts (manifest.json)</h2>"
        + _facts_html(facts)
    )
    path = directory / "report.html"
    write_text(
        path,
        _page(
            f"growthpole report: sweep {name}",
            f"growthpole: sweep <code>{html.escape(name)}</code>",
            body,
        ),
    )
    return path
