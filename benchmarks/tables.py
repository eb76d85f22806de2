"""The Markdown tables of docs/performance.md ("Whole runs") from a benchmarks/run.py JSON.

    python benchmarks/tables.py [benchmarks/latest.json]

Prints the targets table (measured wall clock, CPU time, lower bound, practical limit, Mesa
reference, verdicts), the workloads table and the profile of a default-scale run, to paste
into the document after a full run.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from profile_run import format_table  # noqa: E402

RUNS = "{:.1f} runs/s"
SECONDS = "{:.0f} s"
LABELS = {
    "runs_per_second_2_cores_2019_2035": ("≥ 100 runs/s on 2 cores, 2019 → 2035", RUNS),
    "runs_per_second_2_cores_2005_2019": ("≥ 100 runs/s on 2 cores, 2005 → 2019", RUNS),
    "agent_steps_per_s_1M": ("full step at 1M agents ≥ 40 M agent-steps/s", "{:.3g}"),
    "calibration_20000_simulations_seconds_2_cores": (
        "20,000 calibration simulations ≤ 900 s on 2 cores",
        SECONDS,
    ),
    "posterior_predictive_1000_draws_seconds_2_cores": (
        "1,000-draw posterior predictive, 2 scenarios, ≤ 60 s on 2 cores",
        SECONDS,
    ),
    "sweep_efficiency_2_workers": ("sweep efficiency at 2 workers ≥ 0.90", "{:.2f}"),
    "speedup_vs_mesa_reference_100k": ("(issue #8) core step ≥ 30x Mesa at 100k", "{:.1f}x"),
    "agent_steps_per_s_100k": ("(issue #8) ≥ 10 M agent-steps/s at 100k", "{:.3g}"),
    "peak_memory_mb_1M": ("(issue #8) 1M agents within 2 GB", "{:.0f} MB"),
}


def number(template: str, value: object) -> str:
    return "–" if value is None else template.format(value)


def targets_table(report: dict) -> str:
    rows = [
        "| target | wall clock | CPU time | lower bound | practical limit | Mesa reference "
        "(4 of 13) | verdict (wall / CPU) |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, (label, template) in LABELS.items():  # the JSON's keys are sorted
        row = report["targets"][name]
        cpu_verdict = {None: "–", True: "met", False: "not met"}[row["met_cpu_time"]]
        rows.append(
            f"| {label} | {number(template, row['measured'])} | "
            f"{number(template, row['cpu_time'])} | {number(template, row['lower_bound'])} | "
            f"{number(template, row['practical_limit'])} | "
            f"{number(template, row['mesa_reference'])} | "
            f"{'met' if row['met'] else 'not met'} / {cpu_verdict} |"
        )
    return "\n".join(rows)


def workloads_table(report: dict) -> str:
    rows = ["| workload | 1 core | 2 cores |", "|---|---|---|"]
    for key, label in (("2019", "runs 2019 → 2035"), ("2005", "runs 2005 → 2019")):
        one, two = report["runs_1_core"][key], report["runs_2_cores"][key]
        rows.append(
            f"| {label} | {one['runs_per_second']:.2f} runs/s wall, "
            f"{one['runs_per_second_if_cores_free']:.2f} from CPU "
            f"({one['cpu_seconds_per_run']:.3f} s per run) | "
            f"{two['runs_per_second']:.2f} wall, {two['runs_per_second_if_cores_free']:.2f} "
            f"from CPU ({two['cpu_seconds_per_run']:.3f} s per run) |"
        )
    sizes = {k: report["sizes"][k] for k in ("10k", "100k", "1M")}
    rows.append(
        "| full step 10k / 100k / 1M, M agent-steps/s (wall; CPU) | "
        + " / ".join(f"{sizes[k]['agent_steps_per_s'] / 1e6:.2f}" for k in sizes)
        + "; "
        + " / ".join(f"{sizes[k]['agent_steps_per_cpu_s'] / 1e6:.2f}" for k in sizes)
        + " | – |"
    )
    one, two = report["calibration"]["workers_1"], report["calibration"]["workers_2"]
    rows.append(
        f"| calibration | {one['simulations']} simulations: "
        f"{one['simulations_per_second']:.2f}/s ({one['cpu_seconds_per_simulation']:.3f} CPU s "
        f"each); 20,000 in {one['projected_seconds_20000']:.0f} s | {two['simulations']} "
        f"simulations: {two['simulations_per_second']:.2f}/s wall, "
        f"{two['simulations_per_second_if_cores_free']:.2f}/s from CPU "
        f"({two['cpu_seconds_per_simulation']:.3f} s each); 20,000 in "
        f"{two['projected_seconds_20000']:.0f} s wall, "
        f"{two['projected_seconds_20000_if_cores_free']:.0f} s from CPU (start-up "
        f"{two['executor_startup_seconds']:.1f} s) |"
    )
    one, two = (
        report["posterior_predictive"]["workers_1"],
        report["posterior_predictive"]["workers_2"],
    )
    rows.append(
        f"| posterior predictive | {one['seconds_per_draw']:.3f} s per draw, "
        f"{one['fixed_seconds']:.2f} s fixed; 1,000 draws {one['projected_seconds_1000']:.0f} s "
        f"| {two['seconds_per_draw']:.3f} s per draw wall, {two['cpu_seconds_per_draw']:.3f} "
        f"CPU s; {two['fixed_seconds']:.2f} s fixed, start-up "
        f"{two['executor_startup_seconds']:.1f} s; 1,000 draws "
        f"{two['projected_seconds_1000_with_startup']:.0f} s wall, "
        f"{two['projected_seconds_1000_if_cores_free']:.0f} s from CPU |"
    )
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    path = Path(argv[0]) if argv else HERE / "latest.json"
    report = json.loads(path.read_text(encoding="utf-8"))
    machine = report["machine"]
    print(f"load {machine['load_average_at_start']} -> {machine.get('load_average_at_end')}")
    print(targets_table(report), end="\n\n")
    print(workloads_table(report), end="\n\n")
    print(format_table(report["profile"]["2019"]), end="\n\n")
    print(report.get("phase_seconds"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
