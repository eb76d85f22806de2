"""`growthpole sweep --cluster slurm` on a real scheduler (`make test-cluster`).

.ci/test-cluster.sh starts a single-node SLURM on localhost (.ci/slurm.sh), sets
GROWTHPOLE_TEST_CLUSTER=slurm and runs this file; without that variable every test here
skips with its reason (the normal `make test` deselects the ``cluster`` marker anyway).

1. The sweep through dask-jobqueue (worker jobs submitted with sbatch) gives the same result
   table, row for row, as the embedded LocalCluster.
2. One of the two worker jobs is cancelled with scancel mid-sweep: the sweep still finishes,
   and every planned run is stored exactly once, with the same rows as the LocalCluster.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
import yaml

from growthpole.experiments import store
from growthpole.experiments.sweep import load_sweep

pytestmark = [
    pytest.mark.cluster,
    pytest.mark.skipif(
        os.environ.get("GROWTHPOLE_TEST_CLUSTER") != "slurm",
        reason="needs a running SLURM: `make test-cluster` starts one",
    ),
]

JOB_NAME = "growthpole-ci-worker"
#: default-scale runs 2019 -> 2035 (about 0.07 s each on a free core)
SCENARIO = {"name": "cluster-test", "start_year": 2019, "end_year": 2035, "seed": 777}


def sweep_data(name: str, replications: int) -> dict:
    return {
        "name": name,
        "scenario": SCENARIO,
        "replications": replications,
        "seed": 31,
        "design": {"method": "grid", "levels": 4},
        "factors": [
            {
                "lever": "integration.hangzhou_travel_time_cut",
                "range": [0.0, 0.6],
                "from_year": 2021,
            },
            {"parameter": "rd_return", "range": [0.1, 0.4]},
        ],
        "outcomes": {
            "regions": ["shaoxing", "hangzhou"],
            "columns": ["gdp", "gdp_real", "population"],
            "years": "all",
        },
    }


@pytest.fixture(scope="module")
def dask_config(tmp_path_factory) -> Path:
    """A jobqueue.yaml for the CI node: one single-threaded worker per 1-core job, talking
    over the loopback interface."""
    directory = tmp_path_factory.mktemp("dask-config")
    logs = directory / "logs"
    logs.mkdir()
    config = {
        "jobqueue": {
            "slurm": {
                "name": JOB_NAME,
                "cores": 1,
                "processes": 1,
                "memory": "2GB",
                "walltime": "00:15:00",
                "queue": "debug",
                "interface": "lo",
                "local-directory": str(directory / "worker-space"),
                "log-directory": str(logs),
                "death-timeout": 60,
                "job-script-prologue": ["export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1"],
            }
        }
    }
    (directory / "jobqueue.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    return directory


def write_sweep(directory: Path, data: dict) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{data['name']}.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def sweep_command(path: Path, out: Path, cluster: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "growthpole",
        "sweep",
        str(path),
        "--cluster",
        cluster,
        "--workers",
        "2",
        "--out",
        str(out),
        "--flush-seconds",
        "1",
    ]


def environment(dask_config: Path) -> dict[str, str]:
    return {**os.environ, "DASK_CONFIG": str(dask_config), "PYTHONUNBUFFERED": "1"}


def worker_jobs(states: str = "R") -> list[str]:
    """Job ids of this test's worker jobs in the given SLURM states (R: running)."""
    out = subprocess.run(
        ["squeue", "-h", "-n", JOB_NAME, "-t", states, "-o", "%i"],
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.split()


def job_state(job: str) -> str:
    """SLURM state of a job ("" once SLURM has forgotten it)."""
    out = subprocess.run(
        ["squeue", "-h", "-j", job, "-t", "all", "-o", "%T"],
        capture_output=True,
        text=True,
        check=False,
    )
    return out.stdout.strip()


def local_table(path: Path, out: Path) -> pd.DataFrame:
    subprocess.run(sweep_command(path, out, "local"), check=True, capture_output=True)
    return store.read_results(out)


def check_every_run_once(path: Path, out: Path) -> pd.DataFrame:
    sweep = load_sweep(path)
    planned = {task.run_id for task in sweep.tasks()}
    stored = store.stored_run_ids(out)
    assert stored.is_unique, "a run was stored twice"
    assert set(stored) == planned, f"{len(planned - set(stored))} runs lost"
    table = store.read_results(out, planned_only=False)
    years = SCENARIO["end_year"] - SCENARIO["start_year"] + 1
    assert len(table) == len(planned) * years * 2  # no row lost or written twice
    manifest = store.read_manifest(out)
    assert manifest["complete"] is True
    assert manifest["executor"]["backend"] == "dask-slurm"
    return table


@pytest.fixture(autouse=True)
def no_leftover_jobs():
    yield
    jobs = worker_jobs("PD,R,CF")
    if jobs:
        subprocess.run(["scancel", *jobs], check=False)


def test_slurm_sweep_equals_the_local_cluster(tmp_path, dask_config):
    path = write_sweep(tmp_path, sweep_data("cluster-equal", replications=4))  # 64 runs
    reference = local_table(path, tmp_path / "local")
    out = tmp_path / "slurm"
    done = subprocess.run(
        sweep_command(path, out, "slurm"),
        env=environment(dask_config),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "#SBATCH" in done.stderr  # the generated worker job script was printed
    assert "dask-slurm" in done.stdout
    table = check_every_run_once(path, out)
    pd.testing.assert_frame_equal(
        table.sort_values(["run_id", "year", "region"], ignore_index=True),
        reference,
        check_exact=True,
    )


def test_cancelled_worker_job_loses_and_duplicates_nothing(tmp_path, dask_config):
    path = write_sweep(tmp_path, sweep_data("cluster-cancel", replications=12))  # 192 runs
    out = tmp_path / "slurm"
    log = (tmp_path / "sweep.log").open("w")
    process = subprocess.Popen(
        sweep_command(path, out, "slurm"),
        env=environment(dask_config),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 180
        # mid-sweep: both worker jobs running and some runs already stored
        while process.poll() is None and not (len(worker_jobs()) == 2 and store.part_files(out)):
            assert time.monotonic() < deadline, "the worker jobs did not start"
            time.sleep(0.2)
        assert process.poll() is None, "the sweep finished before a worker job was cancelled"
        stored_before = len(store.stored_run_ids(out))
        victim = worker_jobs()[0]
        subprocess.run(["scancel", victim], check=True)
        assert process.wait(timeout=300) == 0, (tmp_path / "sweep.log").read_text()[-3000:]
    finally:
        if process.poll() is None:
            process.kill()
        log.close()
    planned = load_sweep(path).run_count
    assert 0 < stored_before < planned
    assert job_state(victim) in ("CANCELLED", "")
    table = check_every_run_once(path, out)
    reference = local_table(path, tmp_path / "local")
    pd.testing.assert_frame_equal(
        table.sort_values(["run_id", "year", "region"], ignore_index=True),
        reference,
        check_exact=True,
    )


def test_sbatch_is_reachable():
    """The scheduler the other tests rely on answers (a clearer failure than a timeout)."""
    assert shutil.which("sbatch") and shutil.which("scancel")
    out = subprocess.run(["sinfo", "-h", "-o", "%T"], capture_output=True, text=True, check=False)
    assert out.returncode == 0 and out.stdout.split(), out.stderr
