"""The year's schedule: every step of one simulated year, in order, with its random stream and
the switch that turns it off. This is the one place the order of a year is defined
(docs/model.md §3): the model steps it, and the benchmarks, the mechanism-level lever tests
and the reliability tests take parts of it with :meth:`Schedule.select` or add a step with
:meth:`Schedule.inserted`, never a hand-written order.

A year of :class:`~growthpole.model.GrowthPoleModel` is: policy channels and the price level
of the year (the model's own, since they read the scenario and the budget), then
``SCHEDULE.run_year(context)``:

1. ``reset_flows``: the year's flows (entries, exits, moves, migrants, commuters) set to 0;
2. the thirteen mechanisms of docs/model.md §7, each on its own random stream;
3. ``settle_labour``, ``settle_production``: labour allocated and production recomputed so
   that the recorded value added reflects this year's investment, entry, exit, relocation
   and migration (switched off with ``production``);
4. ``nonmodelled_growth``: the non-modelled part of GDP grows on its data trend (§5.10);
5. ``emissions``: emissions of the year's output.

then the invariant checks and the record (the model's).

Random streams. Mechanism ``m`` draws from the spawn key ``(1, t - t0, stream)`` of the
replication (``context.rng``) and ``(1, t - t0, stream, 1)`` (``context.keyed``), with the
``stream`` index declared on its step. The indices are frozen identifiers, not positions: a
step moved or added keeps every other step's draws (common random numbers across schedule
experiments as across scenarios). Settle steps reuse the generator of the mechanism they
repeat (``context.rng`` caches it per year), so they add no stream.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from growthpole.mechanisms import (
    digital,
    environment,
    firms,
    labour,
    land,
    migration,
    production,
    productivity,
    relocation,
)
from growthpole.mechanisms import market_access as market_access_mechanism
from growthpole.mechanisms import platforms as platform_mechanism
from growthpole.mechanisms.base import StepContext

#: the phases of a year, in order (docs/model.md §3 items 1-5)
PHASES = ("prepare", "mechanism", "settle")


@dataclass(frozen=True)
class Step:
    """One step of the year.

    name: the step's name (for a mechanism, its §7 section and its switch).
    function: ``function(context)`` updates ``context.state`` in place.
    phase: ``prepare``, ``mechanism`` (a §7 submodel) or ``settle``.
    stream: index of the step's random stream in the year's seed (None: draws nothing, or
        reuses the stream of the mechanism it repeats).
    switch: the switch that turns the step off (``context.on(switch)``); None: always runs.
    """

    name: str
    function: Callable[[StepContext], object]
    phase: str = "mechanism"
    stream: int | None = None
    switch: str | None = None

    def __post_init__(self) -> None:
        if self.phase not in PHASES:
            raise ValueError(f"step {self.name}: phase {self.phase!r}; allowed: {PHASES}")


class Schedule:
    """The ordered steps of a year (immutable; :meth:`select` and :meth:`inserted` return
    new schedules)."""

    def __init__(self, steps: tuple[Step, ...]) -> None:
        names = [step.name for step in steps]
        if len(set(names)) != len(names):
            raise ValueError(f"step names repeat: {names}")
        streams = [step.stream for step in steps if step.stream is not None]
        if len(set(streams)) != len(streams):
            raise ValueError(f"stream indices repeat: {streams}")
        self.steps = tuple(steps)
        self._streams = {step.name: step.stream for step in steps if step.stream is not None}

    def __iter__(self) -> Iterator[Step]:
        return iter(self.steps)

    def __len__(self) -> int:
        return len(self.steps)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(step.name for step in self.steps)

    @property
    def mechanisms(self) -> tuple[Step, ...]:
        """The §7 submodels, in order."""
        return tuple(step for step in self.steps if step.phase == "mechanism")

    @property
    def switches(self) -> tuple[str, ...]:
        """Every switch a step of this schedule reads, in order of first use."""
        return tuple(dict.fromkeys(s.switch for s in self.steps if s.switch is not None))

    @property
    def streams(self) -> dict[str, int]:
        """Stream name (the step's name) -> index, for :class:`StepContext`."""
        return dict(self._streams)

    def stream(self, name: str) -> int:
        """The random-stream index of step ``name``."""
        try:
            return self._streams[name]
        except KeyError:
            raise KeyError(
                f"no random stream named {name!r}; streams: {sorted(self._streams)}"
            ) from None

    def select(self, *names: str) -> Schedule:
        """The steps ``names``, in the schedule's order (not the order given)."""
        unknown = set(names) - set(self.names)
        if unknown:
            raise KeyError(f"unknown step(s) {sorted(unknown)}; steps: {self.names}")
        return Schedule(tuple(step for step in self.steps if step.name in names))

    def inserted(self, step: Step, *, after: str) -> Schedule:
        """This schedule with ``step`` right after the step ``after``."""
        if after not in self.names:
            raise KeyError(f"unknown step {after!r}; steps: {self.names}")
        position = self.names.index(after) + 1
        return Schedule((*self.steps[:position], step, *self.steps[position:]))

    def run_year(self, context: StepContext) -> None:
        """Run every step whose switch is on, in order, on ``context``."""
        for step in self.steps:
            if step.switch is None or context.on(step.switch):
                step.function(context)


#: the region flows of a year (RegionState columns), zero at the start of each year
FLOWS = (
    "entries",
    "exits",
    "relocations_in",
    "relocations_out",
    "migration_in",
    "migration_out",
    "external_inflow",
)


def reset_flows(context: StepContext) -> None:
    """The year's flows (docs/model.md §2, flow variables) set to zero."""
    regions = context.state.regions
    for name in FLOWS:
        getattr(regions, name)[:] = 0.0


def grow_nonmodelled(context: StepContext) -> None:
    """Z_r(t) = Z_r(t-1) [e^{g_t} (1 + ĝ_ω,r)(1 + δ_ω) + Δg_r(t)] (docs/model.md §3 item 4,
    §5.10): ĝ_ω,r the data trend (RegionState.nonmodelled_trend), δ_ω the parameter
    ``nonmodelled_growth_deviation``, already multiplied by the nation's e^{g_t}
    (parameters.on_national_path), Δg_r the lever channel ``nonmodelled_growth_add``."""
    regions = context.state.regions
    grow = (1.0 + context.params.nonmodelled_growth_deviation) * (
        1.0 + regions.nonmodelled_trend
    ) - 1.0
    regions.nonmodelled_gdp = regions.nonmodelled_gdp * (
        1.0 + grow + context.policy.nonmodelled_growth_add
    )


def record_emissions(context: StepContext) -> None:
    """Em_r = Σ_{i∈r} e_i Y_i of the settled production (docs/model.md §3 item 5)."""
    context.state.regions.emissions = environment.emissions(context)


#: the year (docs/model.md §3). Stream indices are those of the first version's order, kept
#: so that outputs are byte-identical.
SCHEDULE = Schedule(
    (
        Step("reset_flows", reset_flows, phase="prepare"),
        Step("platforms", platform_mechanism.update_platforms, stream=0, switch="platforms"),
        Step(
            "market_access",
            market_access_mechanism.update_market_access,
            stream=1,
            switch="market_access",
        ),
        Step("productivity", productivity.update_productivity, stream=2, switch="productivity"),
        Step("digital", digital.adopt_digital, stream=3, switch="digital"),
        Step("environment", environment.upgrade_environment, stream=4, switch="environment"),
        Step("labour", labour.allocate_labour, stream=5, switch="labour"),
        Step("production", production.produce, stream=6, switch="production"),
        Step("investment", firms.invest, stream=7, switch="investment"),
        Step("land", land.evaluate_land_efficiency, stream=8, switch="land"),
        Step("exit", firms.exit_firms, stream=9, switch="exit"),
        Step("entry", firms.enter_firms, stream=10, switch="entry"),
        Step("relocation", relocation.relocate_firms, stream=11, switch="relocation"),
        Step("migration", migration.migrate, stream=12, switch="migration"),
        # production after entry/exit/relocation/migration so that the year's GDP reflects
        # them; it runs even when `labour` is off (the first allocation is what `labour`
        # switches)
        Step("settle_labour", labour.allocate_labour, phase="settle", switch="production"),
        Step("settle_production", production.produce, phase="settle", switch="production"),
        Step("nonmodelled_growth", grow_nonmodelled, phase="settle"),
        Step("emissions", record_emissions, phase="settle"),
    )
)

#: switches of sub-terms inside mechanisms (not steps): spillovers and agglomeration in
#: productivity, commuting in labour, the national path in the parameters
SUB_TERM_SWITCHES = ("spillovers", "agglomeration", "commuting", "national_path")
#: every switch a reduction test may set
SWITCHABLE = (*SCHEDULE.switches, *SUB_TERM_SWITCHES)
