"""Sensitivity indices of a stored sweep (SALib), with bootstrap confidence intervals.

Per variant, an outcome is averaged over its replications (which share their random streams
across variants: common random numbers), then SALib estimates, according to the design:

``saltelli`` -> Sobol' indices (Sobol' 2001; Saltelli et al. 2010 estimators): first order
    S1 (share of the outcome's variance explained by the factor alone) and total order ST
    (including all its interactions).
``morris`` -> elementary effects (Morris 1991; Campolongo et al. 2007): mu* (mean absolute
    effect, in the outcome's unit per factor range), mu and sigma.
any other design (latin_hypercube, sobol, grid) -> Borgonovo's moment-independent delta and
    a first-order S1 estimate from the given sample (Plischke, Borgonovo & Smith 2013).

Confidence intervals are SALib's bootstrap (``num_resamples`` resamples; SALib turns the
bootstrap standard deviation into a normal-approximation half width at ``conf_level``),
reported as [estimate - half width, estimate + half width]. Default resamples: 1000 for
Sobol' and Morris (milliseconds), 30 for delta (each resample re-estimates kernel densities:
about 1 s per resample for 64 variants x 6 factors on this machine).

Outcome names (``--outcome``): ``COLUMN:YEAR`` is the mean of a stored column in YEAR
(e.g. ``gdp:2035``, 亿元 current prices); ``rank:YEAR`` the mean national rank;
``p_top30:YEAR`` the share of replications ranked <= 30 in YEAR; ``p_top30_by:YEAR`` the share
that reach rank <= 30 in at least one year up to YEAR.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from growthpole.errors import OutputError, ScenarioError
from growthpole.experiments import store
from growthpole.outcomes import TOP

#: default bootstrap resamples of Borgonovo's delta (slow: kernel densities per resample)
DELTA_RESAMPLES = 30


@dataclass(frozen=True)
class OutcomeDefinition:
    kind: str  # 'column', 'rank', 'p_top30', 'p_top30_by'
    column: str
    year: int

    @property
    def name(self) -> str:
        return f"{self.kind if self.kind != 'column' else self.column}:{self.year}"


def parse_outcome(text: str, results: pd.DataFrame) -> OutcomeDefinition:
    """``gdp:2035``, ``rank:2030``, ``p_top30:2030``, ``p_top30_by:2030`` -> definition."""
    name, sep, year_text = text.partition(":")
    if not sep or not year_text.strip().isdigit():
        raise ScenarioError(
            f"outcome {text!r} must be NAME:YEAR, e.g. gdp:2035 or p_top30_by:2030", key="--outcome"
        )
    year = int(year_text)
    years = sorted(int(y) for y in results.year.unique())
    if year not in years:
        raise ScenarioError(
            f"outcome {text!r}: the sweep stored years {years[0]}-{years[-1]} "
            f"({len(years)} years), not {year}",
            key="--outcome",
        )
    if name in ("rank", "p_top30", "p_top30_by"):
        if "national_rank" not in results.columns and "top30" not in results.columns:
            raise ScenarioError(
                f"outcome {text!r} needs the national rank: list national_rank "
                f"in the sweep file's outcomes.columns",
                key="--outcome",
            )
        if name == "rank" and "national_rank" not in results.columns:
            raise ScenarioError(
                "outcome 'rank' needs national_rank among the stored columns", key="--outcome"
            )
        return OutcomeDefinition(name, "national_rank", year)
    reserved = {"run_id", "variant", "replication", "year", "region"}
    if name not in results.columns or name in reserved:
        stored = [c for c in results.columns if c not in reserved]
        raise ScenarioError(
            f"outcome {text!r}: no stored column {name!r}; stored: "
            f"{', '.join(stored)}; or rank, p_top30, p_top30_by",
            key="--outcome",
        )
    return OutcomeDefinition("column", name, year)


def default_outcomes(results: pd.DataFrame) -> list[str]:
    """P(top-30 by 2030) and the mean rank in 2030 when ranks are stored, and GDP in 2035
    (2030 and 2035 replaced by the last stored year when the sweep ends earlier)."""
    years = sorted(int(y) for y in results.year.unique())
    chosen = []
    if "national_rank" in results.columns or "top30" in results.columns:
        target = 2030 if 2030 in years else years[-1]
        chosen.append(f"p_top30_by:{target}")
        if "national_rank" in results.columns:
            chosen.append(f"rank:{target}")
    if "gdp" in results.columns:
        chosen.append(f"gdp:{2035 if 2035 in years else years[-1]}")
    if not chosen:
        column = next(
            c
            for c in results.columns
            if c not in ("run_id", "variant", "replication", "year", "region")
        )
        chosen.append(f"{column}:{years[-1]}")
    return chosen


def _top(frame: pd.DataFrame) -> pd.Series:
    if "top30" in frame.columns:
        return frame.top30.astype(bool)
    return frame.national_rank.astype("int64") <= TOP


def run_outcomes(
    results: pd.DataFrame, definitions: list[OutcomeDefinition], region: str
) -> pd.DataFrame:
    """One row per run (run_id, variant, replication) with one column per outcome."""
    rows = results[results.region == region]
    if rows.empty:
        raise ScenarioError(
            f"the sweep stored no rows for region {region!r}; stored: "
            f"{', '.join(sorted(results.region.unique()))}",
            key="--region",
        )
    runs = rows[["run_id", "variant", "replication"]].drop_duplicates("run_id")
    runs = runs.set_index("run_id")
    for d in definitions:
        if d.kind == "p_top30_by":
            early = rows[rows.year <= d.year]
            value = _top(early).groupby(early.run_id).any().astype(float)
        else:
            at = rows[rows.year == d.year].set_index("run_id")
            if d.kind == "p_top30":
                value = _top(at).astype(float)
            else:
                value = at[d.column].astype(float)
        runs[d.name] = value.reindex(runs.index).to_numpy()
    return runs.reset_index()


def variant_outcomes(
    directory: str | Path, outcomes: list[str] | None = None, *, region: str = "shaoxing"
) -> tuple[pd.DataFrame, list[str]]:
    """Per variant: factor values and each outcome averaged over replications.

    Refuses an incomplete sweep (every planned run must be stored)."""
    directory = Path(directory)
    results = store.read_results(directory)
    runs = store.read_runs(directory)
    missing = set(runs.run_id) - set(results.run_id)
    if missing:
        raise OutputError(
            f"the sweep is incomplete: {len(missing)} of {len(runs)} runs "
            f"missing; run `growthpole sweep` again to finish it",
            file=directory,
        )
    definitions = [parse_outcome(o, results) for o in (outcomes or default_outcomes(results))]
    per_run = run_outcomes(results, definitions, region)
    names = [d.name for d in definitions]
    means = per_run.groupby("variant")[names].mean()
    design = store.read_design(directory).set_index("variant")
    table = design.join(means, how="left").reset_index()
    table["replications"] = per_run.groupby("variant").size().reindex(table.variant).to_numpy()
    return table, names


def analyse(
    directory: str | Path,
    outcomes: list[str] | None = None,
    *,
    region: str = "shaoxing",
    num_resamples: int | None = None,
    conf_level: float = 0.95,
) -> pd.DataFrame:
    """Sensitivity indices of every outcome: a tidy table (outcome, factor, index, estimate,
    conf_low, conf_high, method)."""
    directory = Path(directory)
    manifest = store.read_sweep_for_analysis(directory)  # every file checked first
    method = str(manifest.get("design_method", ""))
    table, names = variant_outcomes(directory, outcomes, region=region)
    factors = [f["name"] for f in manifest.get("factors", [])]
    bounds = [[f["lower"], f["upper"]] for f in manifest.get("factors", [])]
    problem = {"num_vars": len(factors), "names": factors, "bounds": bounds}
    X = table[factors].to_numpy(dtype=float)
    seed = int(manifest.get("root_seed", 0)) % (2**32)
    if num_resamples is None:
        num_resamples = 1000 if method in ("saltelli", "morris") else DELTA_RESAMPLES
    rows = []
    for name in names:
        Y = table[name].to_numpy(dtype=float)
        if not np.isfinite(Y).all():
            raise OutputError(f"outcome {name} is missing for some variants", file=directory)
        constant = bool(np.ptp(Y) == 0)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if constant:
                indices = {}
                analysis = "none (outcome constant across variants)"
            elif method == "saltelli":
                from SALib.analyze import sobol

                result = sobol.analyze(
                    problem,
                    Y,
                    calc_second_order=False,
                    num_resamples=num_resamples,
                    conf_level=conf_level,
                    seed=seed,
                )
                indices = {
                    "S1": (result["S1"], result["S1_conf"]),
                    "ST": (result["ST"], result["ST_conf"]),
                }
                analysis = "sobol"
            elif method == "morris":
                from SALib.analyze import morris

                levels = int((manifest.get("spec", {}).get("design", {}) or {}).get("levels") or 4)
                result = morris.analyze(
                    problem,
                    X,
                    Y,
                    num_resamples=num_resamples,
                    conf_level=conf_level,
                    num_levels=levels,
                    seed=seed,
                )
                zero = np.zeros(len(factors))
                indices = {
                    "mu_star": (np.asarray(result["mu_star"]), np.asarray(result["mu_star_conf"])),
                    "mu": (np.asarray(result["mu"]), zero * np.nan),
                    "sigma": (np.asarray(result["sigma"]), zero * np.nan),
                }
                analysis = "morris"
            else:
                from SALib.analyze import delta

                result = delta.analyze(
                    problem, X, Y, num_resamples=num_resamples, conf_level=conf_level, seed=seed
                )
                key = "delta" if "delta" in result else "delta_raw"  # SALib >= 1.5: raw
                estimates = np.asarray(result[key], dtype=float)
                if not np.isfinite(estimates).all():
                    raise OutputError(
                        f"the {method} design has too few variants "
                        f"({len(Y)}) for Borgonovo's delta; use at least ~50 "
                        f"points, or a saltelli or morris design",
                        file=directory,
                    )
                indices = {
                    "delta": (estimates, np.asarray(result[f"{key}_conf"])),
                    "S1": (result["S1"], result["S1_conf"]),
                }
                analysis = "delta"
        if constant:
            for factor in factors:
                rows.append(
                    {
                        "outcome": name,
                        "factor": factor,
                        "index": "none",
                        "estimate": np.nan,
                        "conf_low": np.nan,
                        "conf_high": np.nan,
                        "method": analysis,
                        "outcome_mean": float(Y.mean()),
                    }
                )
            continue
        for index, (estimate, half) in indices.items():
            for i, factor in enumerate(factors):
                rows.append(
                    {
                        "outcome": name,
                        "factor": factor,
                        "index": index,
                        "estimate": float(estimate[i]),
                        "conf_low": float(estimate[i] - half[i]),
                        "conf_high": float(estimate[i] + half[i]),
                        "method": analysis,
                        "outcome_mean": float(Y.mean()),
                    }
                )
    frame = pd.DataFrame(rows)
    frame["variants"] = len(table)
    frame["replications"] = int(manifest.get("replications", 0))
    frame["conf_level"] = conf_level
    frame["resamples"] = num_resamples
    return frame
