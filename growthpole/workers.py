"""A process pool that survives a killed worker.

``multiprocessing.Pool.map`` waits forever when one of its worker processes is killed
(SIGKILL, the kernel's out-of-memory killer): the task it held is never answered.
:class:`ResilientPool` runs on :class:`concurrent.futures.ProcessPoolExecutor`, which notices
a dead worker at once (``BrokenProcessPool``); the pool is then rebuilt and only the tasks
without a result are submitted again. After :data:`MAX_RESTARTS` rebuilds within one
``map`` the command stops with a one-line :class:`~growthpole.errors.GrowthpoleError`, so a
lost worker never hangs a command.

Results do not depend on which process computed them (every task is a pure function of its
arguments, seeds included), so a resubmitted task gives the same bytes.
"""

from __future__ import annotations

import multiprocessing
import signal
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from growthpole.errors import GrowthpoleError

#: pool rebuilds allowed within one map() before the command stops
MAX_RESTARTS = 3


def _start_worker(initializer: Callable[..., None] | None, initargs: tuple[Any, ...]) -> None:
    """Worker start: the default SIGTERM action (a forked worker inherits the command's
    handler, which raises ``Terminated`` and printed a traceback for every worker that
    :meth:`ResilientPool.close` stopped), then the caller's initializer."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if initializer is not None:
        initializer(*initargs)


class ResilientPool:
    """``workers`` processes, each initialised with ``initializer(*initargs)``."""

    def __init__(
        self,
        workers: int,
        *,
        initializer: Callable[..., None] | None = None,
        initargs: tuple[Any, ...] = (),
        what: str = "worker",
    ) -> None:
        self.workers = workers
        self.initializer = initializer
        self.initargs = initargs
        self.what = what
        self.restarts = 0  # rebuilds over the pool's life (reported by callers)
        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
        self._context = multiprocessing.get_context(method)
        self._executor: ProcessPoolExecutor | None = self._start()

    def _start(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            self.workers,
            mp_context=self._context,
            initializer=_start_worker,
            initargs=(self.initializer, self.initargs),
        )

    def pids(self) -> list[int]:
        """Process ids of the live workers (tests kill one)."""
        executor = self._executor
        processes = getattr(executor, "_processes", None) or {}
        return [p.pid for p in processes.values() if p.is_alive()]

    def map(self, function: Callable[[Any], Any], tasks: Sequence[Any]) -> list[Any]:
        """``[function(t) for t in tasks]`` in order, on the workers."""
        results: list[Any] = [None] * len(tasks)
        pending = list(range(len(tasks)))
        for attempt in range(MAX_RESTARTS + 1):
            if self._executor is None:
                self._executor = self._start()
            futures = {}
            try:
                futures = {self._executor.submit(function, tasks[i]): i for i in pending}
                for future in as_completed(futures):
                    index = futures[future]
                    results[index] = future.result()
                    pending.remove(index)
                return results
            except BrokenProcessPool:
                for future in futures:
                    future.cancel()
                self._executor.shutdown(wait=False, cancel_futures=True)
                self._executor = None
                if attempt == MAX_RESTARTS:
                    break
                self.restarts += 1
                print(
                    f"growthpole: a {self.what} process died; restarting the pool and "
                    f"resubmitting {len(pending)} unfinished task(s) "
                    f"({attempt + 1} of {MAX_RESTARTS})",
                    file=sys.stderr,
                    flush=True,
                )
        raise GrowthpoleError(
            f"{self.what} processes died {MAX_RESTARTS + 1} times in one "
            f"batch (killed, or out of memory?); finished work is kept: "
            f"run the same command again with --resume",
            key="--workers",
        )

    def close(self) -> None:
        """Stop at once: pending tasks are cancelled, running workers terminated (as
        ``multiprocessing.Pool.terminate``), so Ctrl-C does not wait for a batch."""
        executor, self._executor = self._executor, None
        if executor is None:
            return
        processes = list((getattr(executor, "_processes", None) or {}).values())
        executor.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            if process.is_alive():
                process.terminate()
        for process in processes:
            process.join(timeout=10)
