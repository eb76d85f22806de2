"""The executor interface: how runs are carried out, swappable without touching the model.

An :class:`Executor` maps a picklable module-level function over picklable items and yields
``(index, result)`` pairs as they complete, in any order (EMA Workbench's evaluator idea,
black-it's one-file ``base.py`` per swappable part). Seeds never come from the executor:
every item carries the SeedSequence spawned for it in the client, so any backend, any
number of workers and any completion order give the same results.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Sequence
from typing import Any


class Executor(ABC):
    """Runs ``function(item)`` for each item; yields ``(index, result)`` as runs complete."""

    #: short backend name recorded in manifests ('serial', 'dask-local', ...)
    name: str = "executor"

    @property
    @abstractmethod
    def workers(self) -> int:
        """Number of worker processes (or threads) currently available."""

    @abstractmethod
    def map_unordered(
        self,
        function: Callable[[Any], Any],
        items: Sequence[Any],
        *,
        keys: Sequence[str] | None = None,
    ) -> Iterator[tuple[int, Any]]:
        """Apply ``function`` to every item; yield ``(position in items, result)``.

        Each item is delivered exactly once; an exception raised by ``function`` propagates
        to the caller (after which the iterator is finished). ``keys`` (unique strings) name
        the tasks for backends that track them (Dask task keys)."""

    def share(self, value: Any) -> Any:
        """``value`` for many tasks, sent to the workers once: put the returned handle in
        the items (anywhere in a tuple, list or dict) and the task receives ``value``.
        In-process the handle is ``value`` itself; Dask scatters it to every worker
        (:meth:`DaskExecutor.share <growthpole.experiments.execute.DaskExecutor.share>`)."""
        return value

    def describe(self) -> dict[str, object]:
        """What the manifest records about the backend."""
        return {"backend": self.name, "workers": self.workers}

    def close(self) -> None:
        """Release the backend's resources (clusters the executor started)."""
        return None

    def __enter__(self) -> Executor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class SerialExecutor(Executor):
    """In-process, one run after another: the reference every parallel backend must equal."""

    name = "serial"

    @property
    def workers(self) -> int:
        return 1

    def map_unordered(
        self,
        function: Callable[[Any], Any],
        items: Sequence[Any],
        *,
        keys: Sequence[str] | None = None,
    ) -> Iterator[tuple[int, Any]]:
        for index, item in enumerate(items):
            yield index, function(item)
