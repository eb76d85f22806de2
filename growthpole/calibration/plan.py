"""What a calibration will simulate, stated before any work, and a budget for the whole run.

``growthpole calibrate`` prints :meth:`CalibrationPlan.line` before the first simulation:
the most model evaluations (candidates, each ``replications`` simulations) the search may
use, how many the diagnostics use after it (bootstrap re-estimates and loss profiles) and
the simulations of the out-of-sample hindcast, with the total. The bounds are enforced:
:func:`growthpole.calibration.optimise.search` gives the evaluation store a ceiling for
every phase after the global search, so a local search that would go beyond it stops at
its best point so far.

The bounds, for D free parameters, population p = ``population_per_parameter`` x D and
search budget b (``search.budget``):

* global search (differential evolution): p x (g + 1) with g = max(0, floor(b (1 -
  polish_share) / p) - 1) generations (scipy evaluates the initial population and g
  generations; never more);
* polish: the rest of the budget plus the evaluation of its end point, so the search uses at
  most max(b, p (g + 1)) + 1 evaluations;
* bootstrap: ``bootstrap_resamples`` x (``bootstrap_evaluations`` + 1) (a local search per
  resample, from a cached point);
* profiles: D x ``profile_points``;
* hindcast: ``hindcast_replications`` simulations (twice when ``hindcast_scale`` differs
  from the search scale).

:func:`fit_to_budget` turns a budget for the whole run (``--budget N``: N evaluations,
the hindcast's simulations counted in evaluations of ``replications`` simulations) into a
spec: the diagnostics get at most half of N (reduced, in this order and each stated:
bootstrap resamples, profile points, hindcast replications, the scale check), the search
the rest.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

from growthpole.errors import ScenarioError

#: share of a whole-run --budget the diagnostics (and hindcast) may take at most
DIAGNOSTIC_SHARE = 0.5


@dataclass(frozen=True)
class CalibrationPlan:
    """Upper bounds on what a calibration of a spec evaluates and simulates."""

    dimension: int
    replications: int
    search_budget: int
    search: int  # evaluations of global search + polish, at most
    bootstrap: int  # evaluations of the bootstrap re-estimates, at most
    profiles: int  # evaluations of the loss profiles
    hindcast_simulations: int
    whole_run_budget: int | None = None
    notes: tuple[str, ...] = ()

    @property
    def diagnostics(self) -> int:
        return self.bootstrap + self.profiles

    @property
    def evaluations(self) -> int:
        return self.search + self.diagnostics

    @property
    def simulations(self) -> int:
        return self.evaluations * self.replications + self.hindcast_simulations

    def line(self) -> str:
        r = self.replications
        budget = (
            f"--budget {self.whole_run_budget} covers the whole run: "
            if self.whole_run_budget is not None
            else ""
        )
        text = (
            f"plan: {budget}search <= {self.search} evaluations ({self.search * r} "
            f"simulations, search budget {self.search_budget}), then diagnostics <= "
            f"{self.diagnostics} evaluations ({self.diagnostics * r} simulations: "
            f"bootstrap {self.bootstrap}, profiles {self.profiles}) and the hindcast "
            f"{self.hindcast_simulations} simulations; at most {self.simulations} "
            f"simulations in all ({r} per evaluation)"
        )
        if self.notes:
            text += "; " + "; ".join(self.notes)
        return text

    def as_dict(self) -> dict[str, object]:
        payload = asdict(self)
        payload["notes"] = list(self.notes)
        payload.update(
            diagnostics=self.diagnostics, evaluations=self.evaluations, simulations=self.simulations
        )
        return payload


def global_bound(spec, budget: int | None = None) -> int:
    """Evaluations of the differential evolution at the search budget (exact upper bound)."""
    dimension = len(spec.names)
    budget = spec.search.budget if budget is None else budget
    population = spec.search.population_per_parameter * dimension
    global_budget = round(budget * (1.0 - spec.search.polish_share))
    generations = max(0, global_budget // population - 1)
    return population * (generations + 1)


def search_bound(spec, budget: int | None = None) -> int:
    """Evaluations of global search + polish at the search budget, at most."""
    budget = spec.search.budget if budget is None else budget
    return max(budget, global_bound(spec, budget)) + 1


def bootstrap_bound(spec) -> int:
    d = spec.diagnostics
    return d.bootstrap_resamples * (d.bootstrap_evaluations + 1)


def hindcast_simulations(spec) -> int:
    d = spec.diagnostics
    extra = d.hindcast_scale is not None and d.hindcast_scale != spec.scale
    return d.hindcast_replications * (2 if extra else 1)


def plan(
    spec, *, whole_run_budget: int | None = None, notes: tuple[str, ...] = ()
) -> CalibrationPlan:
    """The bounds of a calibration of ``spec`` as it stands."""
    return CalibrationPlan(
        dimension=len(spec.names),
        replications=spec.replications,
        search_budget=spec.search.budget,
        search=search_bound(spec),
        bootstrap=bootstrap_bound(spec),
        profiles=len(spec.names) * spec.diagnostics.profile_points,
        hindcast_simulations=hindcast_simulations(spec),
        whole_run_budget=whole_run_budget,
        notes=notes,
    )


def _hindcast_evaluations(spec) -> int:
    return math.ceil(hindcast_simulations(spec) / spec.replications)


def _diagnostic_cost(spec) -> int:
    return (
        bootstrap_bound(spec)
        + len(spec.names) * spec.diagnostics.profile_points
        + _hindcast_evaluations(spec)
    )


def fit_to_budget(spec, total: int):
    """``(spec, plan)`` whose whole run (search, diagnostics, hindcast) uses at most
    ``total`` evaluations; ScenarioError naming --budget when even the smallest search and
    hindcast do not fit."""
    smallest = search_bound(spec, 4) + math.ceil(1 / spec.replications)
    if total < smallest:
        raise ScenarioError(
            f"--budget {total} cannot cover this spec's smallest run: the search needs at "
            f"least {search_bound(spec, 4)} evaluations (the initial differential-evolution "
            f"population is {spec.search.population_per_parameter} x {len(spec.names)} "
            f"parameters) and the hindcast 1; allowed: --budget >= {smallest}",
            file=spec.source_path,
            key="--budget",
        )
    # the diagnostics take at most half, and leave the smallest search its room (>= 1 left
    # for the hindcast's one replication, since total >= smallest)
    allowance = min(int(total * DIAGNOSTIC_SHARE), total - search_bound(spec, 4))
    d = spec.diagnostics
    notes: list[str] = []
    changes: dict[str, object] = {}

    def current():
        return spec.model_copy(update={"diagnostics": d.model_copy(update=changes)})

    def reduce(field: str, lowest: int, label: str) -> None:
        start = getattr(d, field)
        value = start
        while value > lowest and _diagnostic_cost(current()) > allowance:
            value -= 1
            changes[field] = value
        if value != start:
            notes.append(f"{label} reduced from {start} to {value} to fit the budget")

    reduce("bootstrap_resamples", 0, "bootstrap resamples")
    reduce("profile_points", 0, "profile points")
    reduce("hindcast_replications", 1, "hindcast replications")
    if _diagnostic_cost(current()) > allowance and d.hindcast_scale is not None:
        changes["hindcast_scale"] = None
        notes.append("the hindcast at the scenarios' scale skipped to fit the budget")
    fitted = current()
    room = total - _diagnostic_cost(fitted)
    budget = 4
    high = max(room, 4)
    while budget < high:  # the largest search budget whose bound fits the room
        middle = (budget + high + 1) // 2
        if search_bound(fitted, middle) <= room:
            budget = middle
        else:
            high = middle - 1
    fitted = fitted.model_copy(
        update={"search": fitted.search.model_copy(update={"budget": budget})}
    )
    return fitted, plan(fitted, whole_run_budget=total, notes=tuple(notes))
