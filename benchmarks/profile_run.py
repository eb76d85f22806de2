"""Where the time of a default-scale run goes: each step of the schedule and the fixed costs.

    python benchmarks/profile_run.py [--start 2019] [--repeats 20] [--cprofile]

A run is ``GrowthPoleModel(scenario, seed).run()`` on scenarios/baseline.yaml (what
``runner.simulate`` does), with the model's schedule (growthpole/schedule.py) rebuilt step by
step around a timer, and the model's own fixed costs (building the model, the policy of the
year, the year's parameters, the invariant checks, compacting the firm table, the record of
the year, Mesa's DataCollector, the city-year table) timed by wrapping them in this process
only (nothing in growthpole/ is edited). Each component is the sum of its wall seconds over
``repeats`` runs in one warm process, divided by ``repeats``: seconds per run. ``other`` is
the run's wall time minus every timed component (the Python of the model's step, building
the StepContext and the year's seed, the loop). Three hot spots are also timed inside those
components (``within:*``, not added to the sum): the commuting fixed point
(labour.commuting_equilibrium, in every labour allocation and in the build), the base
year's spatial-equilibrium calibration and the lever-coefficient prior draws
(levers.sample_coefficients). The timers add ≈0.2 µs per call (≈1,200 calls per run), well
under 1% of a run.

``--cprofile`` prints the 25 functions with the largest own time (cProfile, which slows
every Python call and so inflates small calls; the step table is the figure to quote).
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import io
import json
import pstats
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from vectorised_core import baseline_scenario  # noqa: E402


class Timers:
    """Seconds and calls per label."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)

    def wrap(self, label: str, function: Callable) -> Callable:
        seconds, calls, clock = self.seconds, self.calls, time.perf_counter

        def timed(*args, **kwargs):
            started = clock()
            try:
                return function(*args, **kwargs)
            finally:
                seconds[label] += clock() - started
                calls[label] += 1

        timed.__wrapped__ = function
        return timed


def timed_schedule(timers: Timers):
    """The model's schedule with every step's function timed under ``step:<name>``."""
    from growthpole.schedule import SCHEDULE, Schedule, Step

    return Schedule(
        tuple(
            Step(
                step.name,
                timers.wrap(f"step:{step.name}", step.function),
                phase=step.phase,
                stream=step.stream,
                switch=step.switch,
            )
            for step in SCHEDULE
        )
    )


@contextlib.contextmanager
def timed_fixed_costs(timers: Timers) -> Iterator[None]:
    """Wrap the model's fixed per-run and per-year costs (restored on exit)."""
    import mesa

    import growthpole.initialisation as initialisation_module
    import growthpole.levers as levers_module
    import growthpole.mechanisms.labour as labour_module
    import growthpole.model as model_module
    import growthpole.uncertainty as uncertainty_module
    from growthpole.state import AgentTable

    patches = [
        (model_module, "initial_state", "build:initial_state"),
        (uncertainty_module, "replication_input", "build:replication_input"),
        (model_module.national_module, "national_path", "build:national_path"),
        (model_module, "policy_for_year", "year:policy_for_year"),
        (model_module.GrowthPoleModel, "year_parameters", "year:year_parameters"),
        (model_module.GrowthPoleModel, "_people_by_region", "year:people_by_region"),
        (model_module.GrowthPoleModel, "_check", "year:invariant_checks"),
        (model_module.GrowthPoleModel, "_record", "year:record"),
        (AgentTable, "compact", "year:compact_tables"),
        (mesa.DataCollector, "collect", "year:datacollector"),
        (model_module.GrowthPoleModel, "city_year", "run:city_year"),
        # inside the components above (not added to the run's sum): the hot spots
        (labour_module, "commuting_equilibrium", "within:commuting_equilibrium"),
        (
            initialisation_module,
            "calibrate_spatial_equilibrium",
            "within:calibrate_spatial_equilibrium",
        ),
        (levers_module, "sample_coefficients", "within:sample_coefficients"),
    ]
    originals = []
    try:
        for owner, name, label in patches:
            original = owner.__dict__[name] if isinstance(owner, type) else getattr(owner, name)
            originals.append((owner, name, original))
            setattr(owner, name, timers.wrap(label, original))
        yield
    finally:
        for owner, name, original in reversed(originals):
            setattr(owner, name, original)


def profile(start_year: int = 2019, repeats: int = 20) -> dict[str, object]:
    """Seconds per run by component (mean over ``repeats`` warm runs), with shares."""
    from growthpole.model import GrowthPoleModel

    scenario = baseline_scenario().model_copy(update={"start_year": start_year})
    if start_year < 2019:
        scenario = scenario.model_copy(update={"end_year": 2019})

    def one_run(schedule) -> float:
        timed_before = top_level_sum()
        started = time.perf_counter()
        model = GrowthPoleModel(
            scenario, np.random.SeedSequence(scenario.seed), schedule=schedule, replication=0
        )
        build = time.perf_counter() - started
        # what the model's build spent outside every timed component (the first record,
        # policy and DataCollector call of the build are counted under their own labels)
        timers.seconds["build:other"] += build - (top_level_sum() - timed_before)
        model.run()
        return time.perf_counter() - started

    timers = Timers()

    def top_level_sum() -> float:
        return sum(v for k, v in timers.seconds.items() if not k.startswith("within:"))

    with timed_fixed_costs(timers):
        schedule = timed_schedule(timers)
        one_run(schedule)  # warm: imports, Numba cache, posterior file
        timers.seconds.clear()
        timers.calls.clear()
        total, cpu = 0.0, time.process_time()
        for _ in range(repeats):
            total += one_run(schedule)
        cpu = time.process_time() - cpu
    per_run = {label: seconds / repeats for label, seconds in timers.seconds.items()}
    # no top-level component nests inside another; within:* are parts of them
    top_level = {k: v for k, v in per_run.items() if not k.startswith("within:")}
    within = {k: v for k, v in per_run.items() if k.startswith("within:")}
    run_seconds = total / repeats
    top_level["other"] = run_seconds - sum(top_level.values())
    ordered = dict(sorted(top_level.items(), key=lambda item: -item[1]))
    return {
        "scenario": f"scenarios/baseline.yaml, {start_year} -> {scenario.end_year}, "
        "default scale, replication 0",
        "repeats": repeats,
        "run_seconds": run_seconds,
        "run_cpu_seconds": cpu / repeats,
        "years": scenario.end_year - start_year,
        "seconds_per_run": ordered,
        "share": {k: v / run_seconds for k, v in ordered.items()},
        "within_seconds_per_run": within,
        "within_share": {k: v / run_seconds for k, v in within.items()},
        "calls_per_run": {k: v / repeats for k, v in timers.calls.items()},
        "mechanism_steps_seconds": sum(v for k, v in ordered.items() if k.startswith("step:")),
    }


def cprofile_text(start_year: int = 2019, repeats: int = 10, lines: int = 25) -> str:
    from growthpole.runner import simulate

    scenario = baseline_scenario().model_copy(update={"start_year": start_year})
    simulate(scenario, np.random.SeedSequence(1))
    profiler = cProfile.Profile()
    profiler.enable()
    for replication in range(repeats):
        simulate(scenario, np.random.SeedSequence(replication))
    profiler.disable()
    buffer = io.StringIO()
    pstats.Stats(profiler, stream=buffer).sort_stats("tottime").print_stats(lines)
    return buffer.getvalue()


def format_table(result: dict[str, object]) -> str:
    rows = ["| component | ms per run | share |", "|---|---|---|"]
    ordered = sorted(result["seconds_per_run"].items(), key=lambda item: -item[1])
    for label, seconds in ordered:
        rows.append(f"| `{label}` | {seconds * 1e3:.2f} | {result['share'][label]:.1%} |")
    rows.append(f"| **run** | **{result['run_seconds'] * 1e3:.2f}** | 100% |")
    for label, seconds in result.get("within_seconds_per_run", {}).items():
        share = result["within_share"][label]
        rows.append(
            f"| (of which, across components) `{label}` | {seconds * 1e3:.2f} | {share:.1%} |"
        )
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--start", type=int, default=2019, help="start year (2019 or 2005)")
    parser.add_argument("--repeats", type=int, default=20, help="runs timed (warm process)")
    parser.add_argument("--cprofile", action="store_true", help="also print cProfile's top 25")
    args = parser.parse_args(argv)
    result = profile(args.start, args.repeats)
    print(format_table(result))
    print(json.dumps(result, indent=2), file=sys.stderr)
    if args.cprofile:
        print(cprofile_text(args.start))
    return 0


if __name__ == "__main__":
    sys.exit(main())
