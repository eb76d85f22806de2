"""Every uncertainty a published P(top 30) carries, and how much of it each one is.

A scenario's ``uncertainty:`` block (growthpole.scenario.Uncertainty) makes its
replications draw, on top of the agents' Monte Carlo noise and the competitors' shocks:

* **structural parameters** θ_k, k = 0..K-1, resampled by weight from an ABC-SMC posterior
  (growthpole.calibration.posterior, ``growthpole posterior``), the latest regime;
* **lever coefficients** β_j, j = 0..J-1, drawn from their priors in growthpole/levers.yaml
  (effects, in-trend and competitor shares; the unit costs stay at their catalogue values,
  so the fiscal replay of growthpole.fiscal is the same for every draw).

Design [U1]. Replication r uses k = r mod K and j = ⌊r / K⌋ mod J, a balanced crossed
K × J design with n = R / (K J) replications nested in each cell (R must be a multiple of
K J). θ_k comes from SeedSequence(root, spawn_key=(PARAMETER_DRAWS, k)) and β_j from
(COEFFICIENT_DRAWS, j) (growthpole.seeds), keyed on the root seed and not on the scenario:
under common random numbers replication r of every compared scenario runs on the same θ_k
and β_j, so a policy effect is paired within draws. Scenario settings (``parameters:``,
``lever_coefficients:``) override the draws: what a user sets is not uncertain.

Competitors [U2]. Each replication's rank is evaluated against D competitor redraws
(growthpole.ranking.attach_national_rank ``competitor_draw`` d = 0..D-1) on the
replication's own national path, so P(top 30) averages over competitor shocks and their
variance is separable from the agents'.

Decomposition [U3]. The indicator y_{kjrd} = 1[rank ≤ 30] (or a per-replication effect,
without d) follows the balanced random-effects model

    y = μ + a_k + b_j + (ab)_kj + e_r(kj) + ε_d(r)

whose variance components are estimated by the ANOVA method of moments (Searle, Casella &
McCulloch 1992, *Variance Components*, ch. 4): with mean squares MS_A, MS_B, MS_AB, MS_R
(replications within cells) and MS_D (draws within replications),

    σ²_ε = MS_D,   σ²_e = (MS_R − MS_D)/D,   σ²_ab = (MS_AB − MS_R)/(nD),
    σ²_a = (MS_A − MS_AB)/(JnD),   σ²_b = (MS_B − MS_AB)/(KnD),

truncated at 0. Shares are reported as parameters (σ²_a), coefficients (σ²_b), their
interaction (σ²_ab), agents (σ²_e) and competitors (σ²_ε).

Interval [U4]. The interval of the estimate P = mean y is a cluster bootstrap (Davison &
Hinkley 1997, §3.8): parameter draws, coefficient draws and replications within cells are
resampled with replacement, B = 2000 times, from a generator keyed on the root seed; the
percentile interval is reported. It is the estimation uncertainty of P given the finite
numbers of draws; the spread of P across parameter draws (P_k, conditional on θ_k) is
reported beside it as the parameter uncertainty of the probability itself.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from growthpole.errors import ScenarioError
from growthpole.outcomes import TOP
from growthpole.provenance import bytes_sha256
from growthpole.seeds import COEFFICIENT_DRAWS, PARAMETER_DRAWS, UNCERTAINTY_BOOTSTRAP

if TYPE_CHECKING:  # pragma: no cover
    from growthpole.calibration.posterior import Posterior
    from growthpole.parameters import ModelParameters
    from growthpole.scenario import Scenario

BOOTSTRAP = 2000
INTERVAL_MASS = 0.90
COMPONENTS = ("parameters", "coefficients", "interaction", "agents", "competitors")


# ---------------------------------------------------------------------------------------
# the design
# ---------------------------------------------------------------------------------------


def cell_of(replication: int, parameter_draws: int, coefficient_draws: int) -> tuple[int, int]:
    """(k, j) of replication r: k = r mod K, j = ⌊r / K⌋ mod J [U1]."""
    return replication % parameter_draws, (replication // parameter_draws) % coefficient_draws


def check_uncertainty(scenario: Scenario, file: str | None) -> None:
    """One-line ScenarioErrors for an ``uncertainty:`` block that cannot run."""
    block = scenario.uncertainty
    if block is None:
        return
    # R need not fill the K x J design to run (a Mesa model or the page runs one replication);
    # the reports that decompose the variance need it: check_balanced
    if block.posterior is None and block.parameter_draws > 1:
        raise ScenarioError(
            "parameter_draws > 1 needs a posterior to draw from (uncertainty.posterior: a "
            "summary YAML written by `growthpole posterior`)",
            file=file,
            key="uncertainty.parameter_draws",
        )
    if block.lever_coefficients == "catalogue" and block.coefficient_draws > 1:
        raise ScenarioError(
            "coefficient_draws > 1 needs lever_coefficients: prior (the catalogue values are "
            "one point)",
            file=file,
            key="uncertainty.coefficient_draws",
        )
    if block.posterior is not None:
        path = scenario.resolve(block.posterior)
        if not path.is_file():
            raise ScenarioError(
                f"posterior file {path} does not exist", file=file, key="uncertainty.posterior"
            )
        _posterior(str(path), path.stat().st_mtime_ns)  # readable, particles present


def check_balanced(scenario: Scenario, replications: int, *, key: str = "replications") -> None:
    """One-line ScenarioError unless R is a multiple of K x J: the variance decomposition
    [U3] and the cluster bootstrap [U4] need every cell to hold n = R / (KJ) replications."""
    block = scenario.uncertainty
    if block is None:
        return
    cells = block.parameter_draws * block.coefficient_draws
    if replications % cells:
        raise ScenarioError(
            f"replications ({replications}) must be a multiple of parameter_draws x "
            f"coefficient_draws ({block.parameter_draws} x {block.coefficient_draws} = {cells}),"
            f" so that every draw has the same number of replications (docs/model.md §9.1)",
            file=scenario.source_path,
            key=key,
        )


@lru_cache(maxsize=8)
def _posterior(path: str, _mtime: int) -> Posterior:
    from growthpole.calibration.posterior import load_posterior

    return load_posterior(path)


def posterior_of(scenario: Scenario) -> Posterior | None:
    block = scenario.uncertainty
    if block is None or block.posterior is None:
        return None
    path = scenario.resolve(block.posterior)
    return _posterior(str(path), path.stat().st_mtime_ns)


def fingerprint(scenario: Scenario) -> str | None:
    """SHA-256 of the posterior summary and particles a scenario draws from (its content
    hash includes it: a re-estimated posterior is a different run)."""
    posterior = posterior_of(scenario)
    if posterior is None or posterior.source_path is None:
        return None
    return bytes_sha256(
        Path(posterior.source_path).read_bytes(),
        np.ascontiguousarray(posterior.values).tobytes(),
        np.ascontiguousarray(posterior.weights).tobytes(),
    )


def parameter_draw(scenario: Scenario, root_entropy: Any, k: int) -> dict[str, float]:
    """θ_k: one particle resampled by weight, from (PARAMETER_DRAWS, k) of the root."""
    from growthpole.calibration.posterior import draw_parameters

    posterior = posterior_of(scenario)
    if posterior is None:
        return {}
    rng = np.random.default_rng(
        np.random.SeedSequence(root_entropy, spawn_key=(PARAMETER_DRAWS, k))
    )
    return draw_parameters(posterior, rng, 1, regime="latest")[0]


def coefficient_draw(scenario: Scenario, root_entropy: Any, j: int) -> dict[str, float]:
    """β_j: every effect, in-trend and competitor-share coefficient from its prior, from
    (COEFFICIENT_DRAWS, j) of the root (the unit costs keep their catalogue values)."""
    from growthpole.levers import COEFFICIENTS, sample_coefficients

    block = scenario.uncertainty
    if block is None or block.lever_coefficients == "catalogue":
        return {}
    rng = np.random.default_rng(
        np.random.SeedSequence(root_entropy, spawn_key=(COEFFICIENT_DRAWS, j))
    )
    names = [name for name, c in COEFFICIENTS.items() if c.role != "cost"]
    return sample_coefficients(rng, names)


@dataclass(frozen=True)
class ReplicationInput:
    """What replication r of a scenario runs on besides its seed."""

    parameters: ModelParameters
    lever_coefficients: dict[str, float]
    parameter_draw: int
    coefficient_draw: int


def replication_input(
    scenario: Scenario, seed_sequence: np.random.SeedSequence, replication: int
) -> ReplicationInput:
    """The structural parameters and lever coefficients of replication r [U1]: defaults,
    then the posterior draw θ_k (else the scenario's calibration file), then the scenario's
    ``parameters:``; the coefficient draw β_j, then the scenario's ``lever_coefficients:``."""
    from growthpole.parameters import make_parameters

    block = scenario.uncertainty
    if block is None:
        return ReplicationInput(
            scenario.model_parameters(), dict(scenario.lever_coefficients), 0, 0
        )
    k, j = cell_of(replication, block.parameter_draws, block.coefficient_draws)
    root = seed_sequence.entropy  # an int, or a sequence of ints (a Mesa rng's seed)
    drawn = parameter_draw(scenario, root, k)
    if drawn:
        values = {**drawn, **scenario.parameters}
        parameters = make_parameters(values, file=scenario.source_path)
    else:
        parameters = scenario.model_parameters()
    coefficients = {**coefficient_draw(scenario, root, j), **scenario.lever_coefficients}
    return ReplicationInput(parameters, coefficients, k, j)


# ---------------------------------------------------------------------------------------
# the decomposition and the interval
# ---------------------------------------------------------------------------------------


def variance_components(values: np.ndarray) -> dict[str, float]:
    """ANOVA estimates [U3] of the variance components of a balanced array
    ``values[k, j, r, d]`` (K parameter draws, J coefficient draws, n replications per cell,
    D competitor draws), truncated at 0; a factor with one level has component 0."""
    y = np.asarray(values, dtype=float)
    if y.ndim != 4:
        raise ValueError(f"values must be (K, J, n, D), got shape {y.shape}")
    K, J, n, D = y.shape
    grand = y.mean()
    m_k = y.mean(axis=(1, 2, 3))
    m_j = y.mean(axis=(0, 2, 3))
    m_kj = y.mean(axis=(2, 3))
    m_r = y.mean(axis=3)

    def mean_square(total: float, df: int) -> float:
        return total / df if df > 0 else 0.0

    ms_a = mean_square(J * n * D * np.sum((m_k - grand) ** 2), K - 1)
    ms_b = mean_square(K * n * D * np.sum((m_j - grand) ** 2), J - 1)
    interaction = m_kj - m_k[:, None] - m_j[None, :] + grand
    ms_ab = mean_square(n * D * np.sum(interaction**2), (K - 1) * (J - 1))
    ms_r = mean_square(D * np.sum((m_r - m_kj[:, :, None]) ** 2), K * J * (n - 1))
    ms_d = mean_square(float(np.sum((y - m_r[..., None]) ** 2)), K * J * n * (D - 1))
    competitors = ms_d if D > 1 else 0.0
    agents = max((ms_r - competitors) / D, 0.0) if n > 1 else 0.0
    # the term each higher mean square is compared with: the next non-empty one below
    below_ab = ms_r if n > 1 else (competitors if D > 1 else 0.0)
    interaction_var = max((ms_ab - below_ab) / (n * D), 0.0) if K > 1 and J > 1 else 0.0
    below_main = ms_ab if K > 1 and J > 1 else below_ab
    parameters = max((ms_a - below_main) / (J * n * D), 0.0) if K > 1 else 0.0
    coefficients = max((ms_b - below_main) / (K * n * D), 0.0) if J > 1 else 0.0
    return {
        "parameters": float(parameters),
        "coefficients": float(coefficients),
        "interaction": float(interaction_var),
        "agents": float(agents),
        "competitors": float(competitors),
    }


def shares(components: Mapping[str, float]) -> dict[str, float]:
    """Each component's share of their sum (NaN when all are 0)."""
    total = sum(components.values())
    return {
        name: (value / total if total > 0 else float("nan")) for name, value in components.items()
    }


def cluster_bootstrap(
    values: np.ndarray, rng: np.random.Generator, draws: int = BOOTSTRAP
) -> np.ndarray:
    """Bootstrap means of ``values[k, j, r, d]`` [U4]: K, J and the replications within
    each cell resampled with replacement (competitor draws are averaged, not resampled:
    they are exchangeable given the replication)."""
    y = np.asarray(values, dtype=float).mean(axis=3)  # (K, J, n)
    K, J, n = y.shape
    out = np.empty(draws)
    for b in range(draws):
        ks = rng.integers(0, K, K)
        js = rng.integers(0, J, J)
        rs = rng.integers(0, n, (K, J, n))
        cells = y[ks][:, js]  # (K, J, n)
        out[b] = np.take_along_axis(cells, rs, axis=2).mean()
    return out


def design_array(
    per_replication: pd.DataFrame, value: str, parameter_draws: int, coefficient_draws: int
) -> np.ndarray:
    """``per_replication`` (columns replication, competitor_draw, ``value``) as the
    balanced (K, J, n, D) array of [U3]."""
    frame = per_replication.sort_values(["replication", "competitor_draw"])
    replications = np.sort(frame.replication.unique())
    draws = np.sort(frame.competitor_draw.unique())
    R, D = len(replications), len(draws)
    K, J = parameter_draws, coefficient_draws
    if R % (K * J):
        raise ValueError(f"{R} replications are not a multiple of K J = {K * J}")
    n = R // (K * J)
    matrix = frame[value].to_numpy(dtype=float).reshape(R, D)
    out = np.empty((K, J, n, D))
    counts = np.zeros((K, J), dtype=int)
    for index, r in enumerate(replications):
        k, j = cell_of(int(r), K, J)
        out[k, j, counts[k, j]] = matrix[index]
        counts[k, j] += 1
    return out


def _design(scenario: Scenario) -> tuple[int, int, int]:
    block = scenario.uncertainty
    if block is None:
        return 1, 1, 1
    return block.parameter_draws, block.coefficient_draws, block.competitor_draws


def top30_indicators(
    result, years: Sequence[int], competitor_draws: int | None = None
) -> pd.DataFrame:
    """Per replication, competitor draw d and year: 1[Shaoxing's rank ≤ 30] [U2]. Draw 0 is
    the rank the run already carries; draws 1..D-1 re-rank against redrawn competitors."""
    from growthpole.ranking import attach_national_rank

    scenario = result.scenario
    D = competitor_draws or _design(scenario)[2]
    rows = []
    for d in range(D):
        if d == 0 and "national_rank" in result.city_year.columns:
            frame = result.city_year
        else:
            frame = attach_national_rank(
                result.city_year,
                result.seeds,
                scenario.start_year,
                national_information_year=scenario.national_information_year(),
                competitor_draw=d,
            )
        shaoxing = frame[(frame.region == "shaoxing") & frame.year.isin(list(years))]
        rows.append(
            pd.DataFrame(
                {
                    "replication": shaoxing.replication.to_numpy(),
                    "year": shaoxing.year.to_numpy(),
                    "competitor_draw": d,
                    "top30": (shaoxing.national_rank.to_numpy(dtype=float) <= TOP).astype(float),
                }
            )
        )
    return pd.concat(rows, ignore_index=True)


def _interval(boot: np.ndarray) -> tuple[float, float]:
    tail = (1 - INTERVAL_MASS) / 2
    return float(np.quantile(boot, tail)), float(np.quantile(boot, 1 - tail))


def probability_report(result, years: Sequence[int]) -> pd.DataFrame:
    """Per year: P(top 30) with its 90% cluster-bootstrap interval [U4], the 10th-90th
    percentile of P_k across parameter draws, and the variance shares [U3]."""
    K, J, D = _design(result.scenario)
    indicators = top30_indicators(result, years, D)
    rng = np.random.default_rng(
        np.random.SeedSequence(int(result.root_seed), spawn_key=(UNCERTAINTY_BOOTSTRAP,))
    )
    out = []
    for year in years:
        array = design_array(indicators[indicators.year == year], "top30", K, J)
        boot = cluster_bootstrap(array, rng)
        low, high = _interval(boot)
        by_draw = array.mean(axis=(1, 2, 3))
        components = variance_components(array)
        row = {
            "scenario": result.scenario.name,
            "year": int(year),
            "p_top30": float(array.mean()),
            "p_low": low,
            "p_high": high,
            "p_by_parameter_draw_p10": float(np.quantile(by_draw, 0.1)),
            "p_by_parameter_draw_p90": float(np.quantile(by_draw, 0.9)),
            "parameter_draws": K,
            "coefficient_draws": J,
            "replications": int(array.shape[0] * array.shape[1] * array.shape[2]),
            "competitor_draws": D,
        }
        row.update({f"share_{k}": v for k, v in shares(components).items()})
        out.append(row)
    return pd.DataFrame(out)


def effect_report(base, treated, years: Sequence[int]) -> pd.DataFrame:
    """Per year: the effect 100 (GDP_B / GDP_A − 1) of ``treated`` over ``base`` paired by
    replication (same θ_k, β_j and seed), its mean with a 90% cluster-bootstrap interval,
    the 5th-95th percentile band across replications, and the variance shares [U3]."""
    K, J, _ = _design(treated.scenario)
    a = base.shaoxing().set_index(["replication", "year"]).gdp
    b = treated.shaoxing().set_index(["replication", "year"]).gdp
    effect = (100.0 * (b / a - 1.0)).rename("effect").reset_index()
    effect["competitor_draw"] = 0
    rng = np.random.default_rng(
        np.random.SeedSequence(int(treated.root_seed), spawn_key=(UNCERTAINTY_BOOTSTRAP, 1))
    )
    out = []
    for year in years:
        array = design_array(effect[effect.year == year], "effect", K, J)
        low, high = _interval(cluster_bootstrap(array, rng))
        flat = array.reshape(-1)
        row = {
            "scenario": treated.scenario.name,
            "versus": base.scenario.name,
            "year": int(year),
            "effect_percent": float(flat.mean()),
            "mean_low": low,
            "mean_high": high,
            "band_p05": float(np.quantile(flat, 0.05)),
            "band_p95": float(np.quantile(flat, 0.95)),
        }
        components = variance_components(array)
        components.pop("competitors")  # GDP does not depend on the competitors
        row.update({f"share_{k}": v for k, v in shares(components).items()})
        out.append(row)
    return pd.DataFrame(out)


def format_probability(report: pd.DataFrame) -> str:
    lines = [
        "P(top 30) [90% interval of the estimate]; P across parameter draws (p10-p90); "
        "variance shares of the indicator: parameters / coefficients / interaction / agents "
        "/ competitors"
    ]
    for row in report.itertuples():
        parts = " / ".join(
            f"{100 * getattr(row, 'share_' + c):.0f}%"
            if np.isfinite(getattr(row, "share_" + c))
            else "-"
            for c in COMPONENTS
        )
        lines.append(
            f"  {row.scenario:<24} {row.year}  {row.p_top30:.2f} [{row.p_low:.2f}, "
            f"{row.p_high:.2f}]  by θ {row.p_by_parameter_draw_p10:.2f}-"
            f"{row.p_by_parameter_draw_p90:.2f}  {parts}"
        )
    return "\n".join(lines)


def format_effect(report: pd.DataFrame) -> str:
    lines = [
        "GDP effect vs the reference, % (mean [90% interval of the mean]; 5-95% band over "
        "replications; variance shares: parameters / coefficients / interaction / agents)"
    ]
    for row in report.itertuples():
        parts = " / ".join(
            f"{100 * getattr(row, 'share_' + c):.0f}%"
            if np.isfinite(getattr(row, "share_" + c))
            else "-"
            for c in COMPONENTS[:-1]
        )
        lines.append(
            f"  {row.scenario:<24} {row.year}  {row.effect_percent:+.1f} [{row.mean_low:+.1f}, "
            f"{row.mean_high:+.1f}]  band {row.band_p05:+.1f} to {row.band_p95:+.1f}  {parts}"
        )
    return "\n".join(lines)
