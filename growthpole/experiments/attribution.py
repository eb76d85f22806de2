"""Policy attribution: each pillar's Shapley share of a strategy's effect.

The strategy's levers are grouped into pillars by their catalogue entry
(``growthpole.levers.LEVERS[key].pillar``, not the key's prefix: e.g.
``platforms.rd_enclaves`` belongs to innovation_talent). For k pillars, each of the 2^k
coalitions S is run: the strategy's scenario with only the levers of the pillars in S (the
others at their 2019 defaults, i.e. the baseline). Replication r of every coalition uses the
same seed child r (common random numbers), so coalition differences are not noise.

Shapley (1953) value of pillar i in replication r, for an outcome v_r(S)::

    phi_i,r = sum_{S subset of N without i} |S|! (k - |S| - 1)! / k! * (v_r(S + i) - v_r(S))

It satisfies efficiency exactly: sum_i phi_i,r = v_r(N) - v_r(empty) (the strategy's whole
effect over the baseline), and gives interaction effects to the pillars equally. The table
reports the mean over replications (the Shapley value of the mean outcome, by linearity) and
its standard error across replications; the interval is mean +- 1.96 standard errors (normal
approximation, paired by common random numbers).
"""

from __future__ import annotations

from dataclasses import dataclass
from math import factorial
from pathlib import Path

import numpy as np
import pandas as pd

from growthpole.errors import OutputError, ScenarioError
from growthpole.experiments import store
from growthpole.experiments.sweep import (
    STORE_FORMAT,
    OutcomeSpec,
    RunTask,
    model_fingerprint,
    ranking_function,
)
from growthpole.levers import LEVERS, PILLARS
from growthpole.provenance import payload_sha256
from growthpole.scenario import Scenario

PREFIX = "pillar."
#: more pillars than this would mean more than 2^10 coalitions per replication
MAX_PILLARS = 10
Z95 = 1.959963984540054


def shapley_values(values: np.ndarray) -> np.ndarray:
    """Shapley values of a game given on all coalitions.

    ``values[..., m]`` is v(S) for the coalition whose members are the set bits of m
    (player i is bit i); the last axis has length 2^k. Returns (..., k)."""
    values = np.asarray(values, dtype=float)
    size = values.shape[-1]
    k = size.bit_length() - 1
    if 2**k != size:
        raise ValueError(f"last axis must have length 2^k, got {size}")
    masks = np.arange(size)
    members = np.array([bin(m).count("1") for m in masks])
    weights = np.array(
        [factorial(s) * factorial(k - s - 1) / factorial(k) if s < k else 0.0 for s in members]
    )
    phi = np.zeros((*values.shape[:-1], k))
    for i in range(k):
        without = masks[(masks >> i) & 1 == 0]
        gains = values[..., without | (1 << i)] - values[..., without]
        phi[..., i] = (gains * weights[without]).sum(axis=-1)
    return phi


def strategy_pillars(scenario: Scenario) -> tuple[str, ...]:
    """The pillars of the scenario's levers, in the catalogue's pillar order."""
    present = {LEVERS[key].pillar for key in scenario.levers}
    return tuple(p for p in PILLARS if p in present)


@dataclass(frozen=True)
class AttributionPlan:
    """The 2^k coalition runs of a strategy, as a plan :func:`run_sweep` can execute."""

    scenario: Scenario
    pillars: tuple[str, ...]
    replications: int
    root_seed: int
    outcomes: OutcomeSpec

    @property
    def name(self) -> str:
        return f"attribution-{self.scenario.name}"

    @property
    def source_path(self) -> str | None:
        return self.scenario.source_path

    @property
    def coalitions(self) -> int:
        return 2 ** len(self.pillars)

    def coalition_scenario(self, mask: int) -> Scenario:
        chosen = {p for i, p in enumerate(self.pillars) if (mask >> i) & 1}
        levers = {k: v for k, v in self.scenario.levers.items() if LEVERS[k].pillar in chosen}
        return self.scenario.with_changes(levers=levers)

    def seeds(self) -> list[np.random.SeedSequence]:
        return np.random.SeedSequence(self.root_seed).spawn(self.replications)

    def spec_hash(self) -> str:
        return _plan_sha256(
            {
                "scenario": self.scenario.content_hash(),
                "model": model_fingerprint(),
                "pillars": self.pillars,
                "replications": self.replications,
                "seed": self.root_seed,
                "outcomes": self.outcomes.model_dump(mode="json"),
                "format": STORE_FORMAT,
                "plan": "attribution",
            }
        )

    def design_table(self) -> pd.DataFrame:
        masks = np.arange(self.coalitions, dtype=np.int64)
        table = pd.DataFrame({"variant": masks})
        for i, pillar in enumerate(self.pillars):
            table[PREFIX + pillar] = ((masks >> i) & 1).astype(np.float64)
        return table

    def tasks(self) -> list[RunTask]:
        seeds = self.seeds()
        full_hash = self.scenario.content_hash()
        model = model_fingerprint()
        outcomes = self.outcomes.model_dump(mode="json")
        tasks = []
        for mask in range(self.coalitions):
            scenario = self.coalition_scenario(mask)
            parameters = scenario.model_parameters()
            values = tuple((PREFIX + p, float((mask >> i) & 1)) for i, p in enumerate(self.pillars))
            for r in range(self.replications):
                seed = seeds[r]
                run_id = _plan_sha256(
                    {
                        "scenario": full_hash,
                        "model": model,
                        "pillars": self.pillars,
                        "coalition": mask,
                        "seed": str(seed.entropy),
                        "spawn_key": list(seed.spawn_key),
                        "replication": r,
                        "outcomes": outcomes,
                        "format": STORE_FORMAT,
                    }
                )
                tasks.append(
                    RunTask(run_id, mask, r, scenario, parameters, seed, values, self.outcomes)
                )
        return tasks

    def run_table(self, tasks: list[RunTask]) -> pd.DataFrame:
        table = pd.DataFrame(
            {
                "run_id": [t.run_id for t in tasks],
                "variant": np.array([t.variant for t in tasks], dtype=np.int64),
                "replication": np.array([t.replication for t in tasks], dtype=np.int64),
            }
        )
        return table.merge(self.design_table(), on="variant", how="left")

    def manifest_fields(self) -> dict[str, object]:
        from growthpole.seeds import seed_record

        return {
            "plan": "attribution",
            "scenario": self.scenario.model_dump(mode="json", exclude={"source_path"}),
            "scenario_hash": self.scenario.content_hash(),
            "model_fingerprint": model_fingerprint(),
            "pillars": list(self.pillars),
            "pillar_levers": {
                p: sorted(k for k in self.scenario.levers if LEVERS[k].pillar == p)
                for p in self.pillars
            },
            "design_method": "coalitions",
            "factors": [
                {
                    "kind": "pillar",
                    "name": PREFIX + p,
                    "lower": 0.0,
                    "upper": 1.0,
                    "values": [0.0, 1.0],
                    "from_year": None,
                }
                for p in self.pillars
            ],
            "variants": self.coalitions,
            "replications": self.replications,
            "root_seed": self.root_seed,
            "seeds": [seed_record(s) for s in self.seeds()],
            "outcomes": self.outcomes.model_dump(mode="json"),
        }


def _plan_sha256(payload: object) -> str:
    return payload_sha256(payload, default=list)


def make_plan(
    scenario: Scenario, *, replications: int | None = None, seed: int | None = None
) -> AttributionPlan:
    """The coalition plan of a strategy scenario (validated)."""
    pillars = strategy_pillars(scenario)
    if not pillars:
        raise ScenarioError(
            "the scenario sets no levers: there is nothing to attribute",
            file=scenario.source_path,
            key="levers",
        )
    if len(pillars) > MAX_PILLARS:
        raise ScenarioError(
            f"{len(pillars)} pillars would need 2^{len(pillars)} coalitions; at most {MAX_PILLARS}",
            file=scenario.source_path,
            key="levers",
        )
    columns = ("gdp", "national_rank") if ranking_function() is not None else ("gdp",)
    outcomes = OutcomeSpec(regions=("shaoxing",), columns=columns, years="all")
    return AttributionPlan(
        scenario,
        pillars,
        replications or scenario.replications,
        scenario.seed if seed is None else seed,
        outcomes,
    )


def attribute(directory: str | Path, *, year: int = 2030) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Shapley table and coalition-value table of a completed attribution directory.

    Shapley table: outcome, component ('baseline', each pillar, 'full_strategy'), value
    (outcome for baseline/full; Shapley value for pillars), std_error, ci_low, ci_high,
    share_of_effect (pillar's share of full - baseline)."""
    from growthpole.experiments.sensitivity import parse_outcome, run_outcomes, variant_outcomes

    directory = Path(directory)
    manifest = store.read_sweep_for_analysis(directory)  # every file checked first
    pillars = manifest.get("pillars")
    if not isinstance(pillars, list) or not all(isinstance(p, str) for p in pillars):
        raise OutputError(
            "manifest 'pillars' must be a list of pillar names (is this an attribution directory?)",
            file=Path(directory) / store.MANIFEST,
            key="pillars",
        )
    results = store.read_results(directory)
    outcomes = [f"gdp:{year}"]
    if "national_rank" in results.columns:
        outcomes += [f"rank:{year}", f"p_top30_by:{year}"]
    variant_outcomes(directory, outcomes)  # checks completeness and the outcome names
    definitions = [parse_outcome(o, results) for o in outcomes]
    per_run = run_outcomes(results, definitions, "shaoxing")
    replications = int(per_run.replication.max()) + 1
    size = 2 ** len(pillars)
    rows, coalition_rows = [], []
    for d in definitions:
        game = np.full((replications, size), np.nan)
        game[per_run.replication.to_numpy(), per_run.variant.to_numpy()] = per_run[d.name]
        phi = shapley_values(game)
        baseline, full = game[:, 0], game[:, -1]
        effect = float(full.mean() - baseline.mean())
        for component, series in (("baseline", baseline),):
            rows.append(_row(d.name, component, series, effect, share=False))
        for i, pillar in enumerate(pillars):
            rows.append(_row(d.name, pillar, phi[:, i], effect, share=True))
        rows.append(_row(d.name, "full_strategy", full, effect, share=False))
        rows.append(_row(d.name, "total_effect", full - baseline, effect, share=True))
        for mask in range(size):
            coalition_rows.append(
                {
                    "outcome": d.name,
                    "coalition": mask,
                    "pillars": "+".join(p for i, p in enumerate(pillars) if (mask >> i) & 1)
                    or "(baseline)",
                    "mean": float(game[:, mask].mean()),
                    "std_error": _se(game[:, mask]),
                }
            )
    table = pd.DataFrame(rows)
    # a probability's normal-approximation interval is clipped to [0, 1]
    levels = table.outcome.str.startswith("p_") & table.component.isin(
        ["baseline", "full_strategy"]
    )
    table.loc[levels, ["ci_low", "ci_high"]] = table.loc[levels, ["ci_low", "ci_high"]].clip(
        0.0, 1.0
    )
    table["replications"] = replications
    return table, pd.DataFrame(coalition_rows)


def _se(series: np.ndarray) -> float:
    return float(series.std(ddof=1) / np.sqrt(len(series))) if len(series) > 1 else np.nan


def _row(
    outcome: str, component: str, series: np.ndarray, effect: float, *, share: bool
) -> dict[str, object]:
    mean, se = float(series.mean()), _se(series)
    return {
        "outcome": outcome,
        "component": component,
        "value": mean,
        "std_error": se,
        "ci_low": mean - Z95 * se,
        "ci_high": mean + Z95 * se,
        "share_of_effect": mean / effect if share and effect != 0 else np.nan,
    }
