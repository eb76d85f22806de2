"""Executing sweeps: the unit of work, the Dask backends and the sweep driver.

The unit of work is :func:`execute_run`: one (variant, replication) through
:func:`growthpole.runner.simulate` (a pure function of scenario, parameters and the
replication's SeedSequence), plus the national rank when the sweep keeps it, reduced to the
sweep's tidy outcome rows.

Backends (all :class:`~growthpole.experiments.base.Executor`):

- ``serial``: in-process (the reference).
- ``local`` (default): an embedded ``dask.distributed.LocalCluster`` of worker *processes*
  (one thread each) bound to 127.0.0.1; the dashboard only when asked for, on localhost.
- an existing scheduler by address (``--scheduler tcp://host:8786``).
- ``slurm`` / ``pbs``: ``dask_jobqueue.SLURMCluster`` / ``PBSCluster`` configured from the
  Dask configuration (``~/.config/dask/jobqueue.yaml``; docs/cluster.md).

The driver (:func:`run_sweep`) spawns the seeds once in the client, skips the runs whose
``run_id`` is already stored, keeps a bounded window of tasks in flight, writes completed runs
in atomic Parquet batches and a manifest. When a Dask worker dies, the scheduler re-runs its
tasks elsewhere; the client accepts each run id once, so every run is stored exactly once.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from growthpole.errors import GrowthpoleError, OutputError
from growthpole.experiments import store
from growthpole.experiments.base import Executor, SerialExecutor
from growthpole.experiments.sweep import RunTask, Sweep, ranking_function
from growthpole.io import LOCK_NAME, exclusive_lock, prepare_output_dir
from growthpole.outcomes import TOP
from growthpole.validation import MAX_WORKERS

CLUSTER_KINDS = ("local", "serial", "slurm", "pbs")
#: completed runs are written at least this often (seconds) ...
FLUSH_SECONDS = 10.0
#: ... or when this many runs wait to be written
MAX_BATCH_RUNS = 2000
#: Dask settings of the workers growthpole starts (environment variable for others:
#: DASK_DISTRIBUTED__WORKER__PROFILE__ENABLED=False)
WORKER_CONFIG = {"distributed.worker.profile.enabled": False}


# ---------------------------------------------------------------------------------------
# the unit of work
# ---------------------------------------------------------------------------------------


def execute_run(task: RunTask) -> pd.DataFrame:
    """One run -> its tidy outcome rows (run_id, variant, replication, factors, year,
    region, outcome columns). Pure: the same task always gives the same rows."""
    from growthpole.runner import simulate

    frame = simulate(
        task.scenario, task.seed_sequence, replication=task.replication, parameters=task.parameters
    )
    outcomes = task.outcomes
    columns = list(outcomes.columns)
    if any(c in ("national_rank", "top30") for c in columns) and "national_rank" not in frame:
        attach = ranking_function()
        frame = attach(frame, {task.replication: task.seed_sequence}, task.scenario.start_year)
    rows = frame[frame.region.isin(list(outcomes.regions))]
    if outcomes.years != "all":
        rows = rows[rows.year.isin(list(outcomes.years))]
    rows = rows.sort_values(["year", "region"], kind="stable")
    n = len(rows)
    out: dict[str, Any] = {
        "run_id": np.full(n, task.run_id, dtype=object),
        "variant": np.full(n, task.variant, dtype=np.int64),
        "replication": np.full(n, task.replication, dtype=np.int64),
    }
    for name, value in task.factor_values:
        out[name] = np.full(n, value, dtype=np.float64)
    out["year"] = rows.year.to_numpy(dtype=np.int64)
    out["region"] = rows.region.to_numpy(dtype=object)
    for column in columns:
        if column == "top30":
            out[column] = rows.national_rank.to_numpy(dtype=np.int64) <= TOP
        elif column == "national_rank":
            out[column] = rows.national_rank.to_numpy(dtype=np.int64)
        else:
            out[column] = rows[column].to_numpy()
    return pd.DataFrame(out)


# ---------------------------------------------------------------------------------------
# Dask backends
# ---------------------------------------------------------------------------------------

#: most runs in one Dask task
MAX_CHUNK = 16
#: the driver checks the cluster this often while waiting for results (seconds)
POLL_SECONDS = 2.0
#: a cluster with no worker at all for this long stops the sweep with an error (seconds);
#: a lost worker's tasks are resubmitted by the scheduler long before (a nanny restarts a
#: killed worker process within a few seconds)
LOST_CLUSTER_SECONDS = 120.0


def dask_allowed_failures() -> int:
    import dask

    return int(dask.config.get("distributed.scheduler.allowed-failures", 3))


def _run_chunk(function: Callable[[Any], Any], items: list[Any]) -> list[Any]:
    """Worker side: one task runs a chunk of items in order."""
    return [function(item) for item in items]


class DaskExecutor(Executor):
    """Runs tasks on a ``dask.distributed`` cluster through a client.

    Items are grouped into chunks of consecutive items, one Dask task per chunk
    (:meth:`chunk_size_for`). At most ``window`` tasks are in flight (so a sweep of a
    million runs never holds a million pickled scenarios); finished tasks are released at
    once. Worker loss is handled
    by the scheduler (the task is recomputed on another worker, up to
    ``distributed.scheduler.allowed-failures`` deaths per task).
    """

    def __init__(
        self,
        client: Any,
        *,
        cluster: Any | None = None,
        name: str = "dask",
        window: int | None = None,
        owns_client: bool = True,
        dashboard: bool = False,
        chunk_size: int | None = None,
        lost_seconds: float | None = None,
    ) -> None:
        self.client = client
        self.lost_seconds = LOST_CLUSTER_SECONDS if lost_seconds is None else lost_seconds
        self.chunk_size = chunk_size
        self.dashboard = dashboard
        self.cluster = cluster
        self.name = name
        self.window = window
        self.owns_client = owns_client

    @property
    def workers(self) -> int:
        try:
            return len(self.client.scheduler_info(n_workers=-1)["workers"])
        except TypeError:  # older distributed: no n_workers argument
            return len(self.client.scheduler_info()["workers"])

    def describe(self) -> dict[str, object]:
        info = {
            "backend": self.name,
            "workers": self.workers,
            "scheduler": self.client.scheduler.address,
        }
        if self.dashboard:
            info["dashboard"] = getattr(self.client, "dashboard_link", None)
        return info

    def share(self, value: Any) -> Any:
        """``value`` scattered to every worker once (broadcast, not hashed): a Future that
        the scheduler resolves in each task that carries it, so a large shared object (a
        calibration :class:`~growthpole.calibration.objective.Problem`) is not pickled
        into every task. Keep the Future while tasks use it; a worker that joins later
        fetches it from a peer."""
        try:  # a nanny restarting the cluster's only worker takes a few seconds
            self.client.wait_for_workers(1, timeout=self.lost_seconds)
        except TimeoutError:
            raise GrowthpoleError(
                f"the Dask cluster has had no worker for {self.lost_seconds:.0f} s (all "
                f"were lost); completed work is kept: run the same command again to resume",
                key="--workers",
            ) from None
        [future] = self.client.scatter([value], broadcast=True, hash=False)
        return future

    def chunk_size_for(self, count: int) -> int:
        """Runs per Dask task: ``chunk_size`` if set, else enough to amortise the per-task
        cost (serialising a scenario and a result, ~20 ms measured) while leaving at least
        8 tasks per worker for load balancing; at most :data:`MAX_CHUNK`."""
        if self.chunk_size:
            return self.chunk_size
        return max(1, min(MAX_CHUNK, count // (8 * max(self.workers, 1))))

    def map_unordered(
        self,
        function: Callable[[Any], Any],
        items: Sequence[Any],
        *,
        keys: Sequence[str] | None = None,
    ) -> Iterator[tuple[int, Any]]:
        from distributed import wait

        size = self.chunk_size_for(len(items))
        chunks = [
            list(range(start, min(start + size, len(items))))
            for start in range(0, len(items), size)
        ]
        window = self.window or max(16, 4 * max(self.workers, 1))
        position: dict[str, list[int]] = {}
        next_chunk = 0

        def submit(number: int):
            members = chunks[number]
            key = f"{keys[members[0]]}-x{len(members)}" if keys is not None else None
            future = self.client.submit(
                _run_chunk, function, [items[i] for i in members], key=key, pure=False
            )
            position[future.key] = members
            return future

        in_flight = set()
        while next_chunk < len(chunks) and next_chunk < window:
            in_flight.add(submit(next_chunk))
            next_chunk += 1
        without_workers_since: float | None = None
        try:
            while in_flight:
                try:
                    done, _ = wait(
                        list(in_flight), timeout=POLL_SECONDS, return_when="FIRST_COMPLETED"
                    )
                except TimeoutError:  # distributed.wait raises instead of returning
                    done = set()
                if not done:
                    # the scheduler resubmits the tasks of a lost worker; only a cluster
                    # left with no worker at all can wait forever, so bound that wait
                    if self.workers == 0:
                        without_workers_since = without_workers_since or time.monotonic()
                        if time.monotonic() - without_workers_since > self.lost_seconds:
                            raise GrowthpoleError(
                                f"the Dask cluster has had no worker for "
                                f"{self.lost_seconds:.0f} s (all were lost); completed runs "
                                f"are stored: run the same command again to resume",
                                key="--workers",
                            )
                    else:
                        without_workers_since = None
                    continue
                for future in done:
                    in_flight.discard(future)
                    members = position.pop(future.key)
                    try:
                        results = future.result()
                    except Exception as exc:
                        if type(exc).__name__ == "KilledWorker":
                            raise GrowthpoleError(
                                f"a task killed its Dask worker "
                                f"{dask_allowed_failures() + 1} times (distributed.scheduler."
                                f"allowed-failures); completed runs are stored: run the same "
                                f"command again to resume ({exc})".replace("\n", " ")[:400],
                                key="--workers",
                            ) from None
                        raise
                    future.release()
                    if next_chunk < len(chunks):
                        in_flight.add(submit(next_chunk))
                        next_chunk += 1
                    yield from zip(members, results, strict=True)
        finally:
            for future in list(in_flight):
                future.cancel()

    def close(self) -> None:
        if self.owns_client:
            self.client.close()
        if self.cluster is not None:
            self.cluster.close()


#: hosts that are this machine (a scheduler there may be reached without TLS)
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1", "[::1]")
_ADDRESS = re.compile(
    r"^(?:(?P<scheme>[a-z]+)://)?(?P<host>\[[0-9a-fA-F:]+\]|[A-Za-z0-9_.\-]+)"
    r":(?P<port>[0-9]{1,5})/?$"
)


def dashboard_address(text: str) -> str:
    """``--dashboard`` value -> host:port. A bare port (``8787`` or ``:8787``) binds to
    127.0.0.1, never to every interface; a host must be given explicitly to listen
    elsewhere."""
    value = str(text).strip()
    host, _, port = value.rpartition(":")
    if not port.isdigit() or not 0 <= int(port) <= 65535 or "/" in value or " " in value:
        raise GrowthpoleError(
            f"--dashboard must be PORT or HOST:PORT with a port in 0-65535, got {text!r}",
            key="--dashboard",
        )
    return f"{host or '127.0.0.1'}:{int(port)}"


def parse_scheduler(text: str) -> dict[str, str]:
    """``--scheduler`` value -> ``{"address": ...}`` or ``{"scheduler_file": ...}``, checked
    before anything starts: an address ``[tcp|tls]://HOST:PORT`` (or ``HOST:PORT``), or
    the JSON file of ``dask scheduler --scheduler-file`` holding an ``address``. A scheduler
    on another machine must use ``tls://`` with the user's Dask TLS settings
    (:func:`check_remote_security`)."""
    value = str(text).strip()
    path = Path(value)
    looks_like_file = value.endswith((".json", ".yaml", ".yml")) or (
        os.sep in value and "://" not in value
    )
    if looks_like_file or path.is_file():
        if not path.is_file():
            raise GrowthpoleError(
                "scheduler file does not exist (expected an address such "
                "as tcp://127.0.0.1:8786, or the JSON file of `dask "
                "scheduler --scheduler-file`)",
                file=value,
                key="--scheduler",
            )
        try:
            payload = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            raise GrowthpoleError(
                f"scheduler file is not JSON ({type(exc).__name__}); "
                f"expected the file `dask scheduler --scheduler-file` "
                f"writes",
                file=value,
                key="--scheduler",
            ) from None
        address = payload.get("address") if isinstance(payload, dict) else None
        if not isinstance(address, str):
            raise GrowthpoleError(
                "scheduler file has no 'address' text entry", file=value, key="address"
            )
        _check_address(address, where=value)
        return {"scheduler_file": str(path)}
    _check_address(value, where=None)
    return {"address": value}


def _check_address(address: str, *, where: str | None) -> None:
    match = _ADDRESS.match(address)
    if match is None or not 1 <= int(match.group("port")) <= 65535:
        raise GrowthpoleError(
            f"not a scheduler address: {address!r}; expected "
            f"tcp://HOST:PORT or tls://HOST:PORT (port 1-65535), or a "
            f"scheduler JSON file",
            file=where,
            key="--scheduler",
        )
    scheme = match.group("scheme") or "tcp"
    if scheme not in ("tcp", "tls"):
        raise GrowthpoleError(
            f"scheduler protocol {scheme}:// is not supported; use tcp:// or tls://",
            file=where,
            key="--scheduler",
        )
    if match.group("host") not in LOOPBACK_HOSTS:
        check_remote_security(address, scheme, where=where)


def check_remote_security(address: str, scheme: str, *, where: str | None = None) -> None:
    """A scheduler on another machine runs growthpole's code only over TLS with the user's
    credentials (Dask configuration ``distributed.comm.tls.*``: ca-file, client cert and
    key; docs/cluster.md): otherwise anyone on the network could impersonate it."""
    from distributed.security import Security

    if scheme != "tls":
        raise GrowthpoleError(
            f"a scheduler on another machine ({address}) must use tls:// "
            f"with your Dask TLS settings (distributed.comm.tls.ca-file, "
            f"distributed.comm.tls.client.cert/key); see docs/cluster.md",
            file=where,
            key="--scheduler",
        )
    security = Security()
    # Security sets its tls_* slots from the Dask configuration at run time, unseen by mypy
    ca_file = security.tls_ca_file  # type: ignore[attr-defined]
    client_cert = security.tls_client_cert  # type: ignore[attr-defined]
    if not (ca_file and client_cert):
        raise GrowthpoleError(
            "a tls:// scheduler needs your Dask TLS settings: set "
            "distributed.comm.tls.ca-file and distributed.comm.tls.client."
            "cert/key in the Dask configuration (docs/cluster.md)",
            file=where,
            key="--scheduler",
        )


def cluster_security() -> Any:
    """Fresh TLS credentials for an embedded cluster (``Security.temporary()``: a
    self-signed CA and certificate in memory, never written to disk or a manifest). The
    scheduler, the workers and growthpole's client hold them; any other client is refused
    at the TLS handshake."""
    from distributed.security import Security

    try:
        return Security.temporary()
    except ImportError:
        raise GrowthpoleError(
            "the embedded Dask cluster uses TLS and needs the "
            "`cryptography` package: pip install cryptography",
            key="--cluster",
        ) from None


def local_cluster(
    workers: int | None = None, *, dashboard: str | None = None, security: Any | None = None
) -> Any:
    """An embedded LocalCluster: worker processes (one thread each) on 127.0.0.1, over TLS
    with temporary credentials (:func:`cluster_security`): a client of another user or
    process that reads the address cannot submit code. The dashboard serves on 127.0.0.1
    unless ``dashboard`` names another host."""
    import dask
    from distributed import LocalCluster

    workers = workers or os.cpu_count() or 1
    security = security or cluster_security()
    # Dask's statistical profiler samples every worker thread every 10 ms; measured here it
    # adds ~50% CPU per run (0.17 s vs 0.11 s), so workers run without it (WORKER_CONFIG).
    # The scheduler always serves HTTP (health, metrics; the dashboard when bokeh is
    # installed): on localhost, on a free port unless a dashboard address is asked for.
    dashboard = dashboard_address(dashboard) if dashboard else "127.0.0.1:0"
    with dask.config.set(WORKER_CONFIG):
        return LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            protocol="tls://",
            security=security,
            dashboard_address=dashboard,
            silence_logs=logging.ERROR,
        )


def check_workers(workers: int | None) -> None:
    """--workers in [1, :data:`MAX_WORKERS`] (None: one per core)."""
    if workers is not None and not 1 <= workers <= MAX_WORKERS:
        raise GrowthpoleError(
            f"--workers must be between 1 and {MAX_WORKERS}, got {workers}", key="--workers"
        )


def make_executor(
    cluster: str = "local",
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    dashboard: str | None = None,
) -> Executor:
    """Build the backend named on the command line."""
    check_workers(workers)
    if scheduler:
        from distributed import Client

        target = parse_scheduler(scheduler)
        try:
            if "scheduler_file" in target:
                client = Client(scheduler_file=target["scheduler_file"], timeout="15s")
            else:
                client = Client(target["address"], timeout="15s")
        except Exception as exc:  # OSError, TimeoutError, TLS and protocol errors
            text = " ".join(str(exc).split())[:200]
            raise GrowthpoleError(
                f"cannot connect to the Dask scheduler at {scheduler}: "
                f"{type(exc).__name__}: {text}",
                key="--scheduler",
            ) from None
        return DaskExecutor(client, name="dask-scheduler")
    if cluster == "serial":
        return SerialExecutor()
    if cluster == "local":
        from distributed import Client

        local = local_cluster(workers, dashboard=dashboard)
        return DaskExecutor(
            Client(local), cluster=local, name="dask-local", dashboard=dashboard is not None
        )
    if cluster in ("slurm", "pbs"):
        return _jobqueue_executor(cluster, workers)
    raise GrowthpoleError(
        f"unknown cluster {cluster!r}; allowed: {', '.join(CLUSTER_KINDS)}", key="--cluster"
    )


def _jobqueue_executor(kind: str, workers: int | None) -> Executor:
    try:
        import dask_jobqueue
    except ImportError:
        raise GrowthpoleError(
            f"--cluster {kind} needs dask-jobqueue: pip install 'growthpole[cluster]'",
            key="--cluster",
        ) from None
    import shutil

    from distributed import Client

    submit = {"slurm": "sbatch", "pbs": "qsub"}[kind]
    if shutil.which(submit) is None:
        raise GrowthpoleError(
            f"--cluster {kind} submits worker jobs with {submit}, which is not "
            f"on PATH here; run on the cluster's login node (docs/cluster.md)",
            key="--cluster",
        )
    import dask

    cluster_class = {"slurm": dask_jobqueue.SLURMCluster, "pbs": dask_jobqueue.PBSCluster}[kind]
    try:
        with dask.config.set(WORKER_CONFIG):
            cluster = cluster_class(  # cores, memory, queue, walltime...: jobqueue.yaml
                job_script_prologue=[
                    *dask.config.get(f"jobqueue.{kind}.job-script-prologue", default=[]),
                    "export DASK_DISTRIBUTED__WORKER__PROFILE__ENABLED=False",
                ]
            )
    except (ValueError, TypeError) as exc:
        raise GrowthpoleError(
            f"--cluster {kind}: {exc}; configure jobqueue.{kind} in "
            f"~/.config/dask/jobqueue.yaml (docs/cluster.md)",
            key="--cluster",
        ) from None
    print(f"worker job script ({kind}):\n{cluster.job_script()}", file=sys.stderr)
    cluster.scale(workers or 1)  # workers, not jobs: jobs = workers / processes per job
    return DaskExecutor(Client(cluster), cluster=cluster, name=f"dask-{kind}")


# ---------------------------------------------------------------------------------------
# the sweep driver
# ---------------------------------------------------------------------------------------


@dataclass
class SweepReport:
    """What one invocation did."""

    directory: Path
    planned: int
    already_stored: int
    executed: int
    elapsed_seconds: float
    parts_written: int

    @property
    def runs_per_second(self) -> float:
        return self.executed / self.elapsed_seconds if self.elapsed_seconds > 0 else 0.0


def run_sweep(
    sweep: Sweep | Any,
    directory: str | Path,
    executor: Executor,
    *,
    resume: bool = False,
    overwrite: bool = False,
    progress: bool = False,
    flush_seconds: float = FLUSH_SECONDS,
    batch_runs: int = MAX_BATCH_RUNS,
    function: Callable[[RunTask], pd.DataFrame] = execute_run,
    command: list[str] | None = None,
) -> SweepReport:
    """Run the sweep's missing runs on ``executor`` and store them in ``directory``.

    ``sweep`` is a :class:`~growthpole.experiments.sweep.Sweep` or any plan with the same
    methods (``name``, ``source_path``, ``spec_hash()``, ``tasks()``, ``run_table(tasks)``,
    ``design_table()``, ``manifest_fields()``), e.g. the pillar coalitions of
    :mod:`growthpole.experiments.attribution`.

    ``function`` is the unit of work (default :func:`execute_run`; tests pass wrappers that
    misbehave on purpose). Completed runs are written at least every ``flush_seconds`` or
    ``batch_runs`` runs, and on any interruption (exception, Ctrl-C) before it propagates.
    """
    spec_hash = sweep.spec_hash()
    with locked_sweep_dir(directory) as directory:
        directory, _ = store.prepare_sweep_dir(
            directory, spec_hash, resume=resume, overwrite=overwrite
        )
        return _run_sweep_locked(
            sweep,
            directory,
            executor,
            spec_hash,
            progress=progress,
            flush_seconds=flush_seconds,
            batch_runs=batch_runs,
            function=function,
            command=command,
        )


@contextlib.contextmanager
def locked_sweep_dir(directory: str | Path) -> Iterator[Path]:
    """Create ``directory`` (new, empty or growthpole's own: growthpole.io) and hold its lock
    file for the block, so a second sweep, run or attribution writing there is refused;
    nothing in it is deleted or replaced before the lock is held."""
    created = not Path(directory).exists()
    directory = prepare_output_dir(directory, resume=True)
    try:
        with exclusive_lock(directory / LOCK_NAME, what=directory):
            yield directory
    except BaseException:
        # a command that failed before writing anything leaves no directory behind
        if created and [p.name for p in directory.iterdir()] == [LOCK_NAME]:
            (directory / LOCK_NAME).unlink(missing_ok=True)
            with contextlib.suppress(OSError):
                directory.rmdir()
        raise


def _run_sweep_locked(
    sweep: Any,
    directory: Path,
    executor: Executor,
    spec_hash: str,
    *,
    progress: bool,
    flush_seconds: float,
    batch_runs: int,
    function: Callable[[RunTask], pd.DataFrame],
    command: list[str] | None,
) -> SweepReport:
    tasks = sweep.tasks()
    runs = sweep.run_table(tasks)
    planned_ids = set(runs.run_id)
    if len(planned_ids) != len(tasks):
        raise OutputError(
            "two runs of the sweep share a run_id (a design repeats a point "
            "and replication); this is a bug",
            file=sweep.source_path,
            key="design",
        )
    stored = set(store.stored_run_ids(directory)) & planned_ids
    todo = [t for t in tasks if t.run_id not in stored]
    started = datetime.now(UTC)
    base_manifest = _manifest(sweep, spec_hash, executor, command, started)
    # the manifest first: a directory never holds growthpole files without one
    store.write_manifest(
        directory,
        {
            **base_manifest,
            "complete": False,
            "runs_planned": len(tasks),
            "runs_stored": len(stored),
        },
    )
    store.write_plan(directory, sweep.design_table(), runs)
    clock = time.perf_counter()
    buffer: list[pd.DataFrame] = []
    seen: set[str] = set(stored)
    parts = 0
    last_flush = time.perf_counter()

    def flush() -> None:
        nonlocal parts, last_flush, buffer
        if buffer:
            store.write_part(directory, pd.concat(buffer, ignore_index=True))
            parts += 1
            buffer = []
        last_flush = time.perf_counter()

    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(
            total=len(tasks),
            initial=len(stored),
            desc=sweep.name,
            unit="run",
            file=sys.stderr,
            mininterval=0.5,
            smoothing=0.1,
        )
    executed = 0
    try:
        for index, rows in executor.map_unordered(
            function, todo, keys=[f"run-{t.run_id}" for t in todo]
        ):
            run_id = todo[index].run_id
            if run_id in seen:  # a backend delivered a run twice: keep the first
                continue
            seen.add(run_id)
            buffer.append(rows)
            executed += 1
            if bar is not None:
                bar.update(1)
            if len(buffer) >= batch_runs or time.perf_counter() - last_flush >= flush_seconds:
                flush()
    finally:
        flush()
        if bar is not None:
            bar.close()
    elapsed = time.perf_counter() - clock
    stored_now = set(store.stored_run_ids(directory)) & planned_ids
    complete = stored_now == planned_ids
    store.write_manifest(
        directory,
        {
            **base_manifest,
            "complete": complete,
            "runs_planned": len(tasks),
            "runs_stored": len(stored_now),
            "runs_executed": executed,
            "elapsed_seconds": round(elapsed, 3),
            "runs_per_second": round(executed / elapsed, 3) if elapsed > 0 else None,
            "finished_at": datetime.now(UTC).isoformat(timespec="seconds"),
        },
    )
    return SweepReport(directory, len(tasks), len(stored), executed, elapsed, parts)


def _manifest(
    plan: Any, spec_hash: str, executor: Executor, command: list[str] | None, started: datetime
) -> dict[str, object]:
    from growthpole.runner import git_commit, package_versions

    return {
        "sweep_name": plan.name,
        "sweep_file": plan.source_path,
        "spec_hash": spec_hash,
        **plan.manifest_fields(),
        "executor": executor.describe(),
        "versions": package_versions(),
        "git_commit": git_commit(),
        "command": command or sys.argv,
        "started_at": started.isoformat(timespec="seconds"),
        "files": [store.DESIGN, store.RUNS, f"{store.RESULTS}/part-*.parquet"],
    }
