"""The swappable parts of a calibration, as small abstract interfaces (black-it style).

* :class:`MomentKind`: one kind of target (GDP level, real growth, a sector share, ...):
  how to read its observed values from data/ and how to compute the same quantity from a
  simulated path, both expressed in the *moment space* in which errors are measured (logs
  for levels, fractions for rates and shares), so that errors of different kinds are
  commensurable (~ relative errors).
* :class:`SearchMethod`: a minimiser of a batch loss over the unit cube.

Concrete kinds live in :mod:`growthpole.calibration.moments`, the SciPy searches in
:mod:`growthpole.calibration.optimise`.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class SimulatedPaths:
    """One replication's yearly outputs needed by the moments.

    ``years``: (T,) calendar years; every other array is (T, C) over :data:`CITIES` (Shaoxing
    the sum of its six units): ``gdp`` 亿元 current prices, ``gdp_real`` 亿元 base-year prices,
    ``population`` 万人 resident, ``industry_va`` 亿元 base-year prices (value added of the
    industrial sectors).
    """

    years: np.ndarray
    gdp: np.ndarray
    gdp_real: np.ndarray
    population: np.ndarray
    industry_va: np.ndarray


#: cities whose history the calibration can target (the corridor of the model)
CITIES: tuple[str, ...] = ("shaoxing", "hangzhou", "ningbo", "shanghai")


class MomentKind(ABC):
    """A kind of target moment."""

    #: identifier used in spec files (``kind:``)
    name: str = ""
    #: what the error means (for the report)
    error_unit: str = ""

    @abstractmethod
    def observed(self, city: str, years: Sequence[int]) -> dict[int, float]:
        """Observed values in moment space, for the ``years`` the data hold (may be empty)."""

    @abstractmethod
    def simulated(self, paths: SimulatedPaths, city: str, years: Sequence[int]) -> np.ndarray:
        """Simulated values in moment space for ``years`` (each must be in ``paths.years``)."""

    def to_natural(self, value: float) -> float:
        """Moment-space value back to the data's unit (for tables and figures)."""
        return float(value)


@dataclass(frozen=True)
class SearchResult:
    """Best point found (unit-cube coordinates) and its loss."""

    unit: np.ndarray
    loss: float
    evaluations: int
    message: str


BatchLoss = Callable[[list[np.ndarray]], np.ndarray]


class SearchMethod(ABC):
    """Minimise ``batch_loss`` over the unit cube [0, 1]^P within ``budget`` evaluations."""

    name: str = ""

    @abstractmethod
    def minimise(
        self,
        batch_loss: BatchLoss,
        dimension: int,
        budget: int,
        *,
        start: np.ndarray | None = None,
        seed: int = 0,
    ) -> SearchResult:
        """Run the search; ``batch_loss`` maps a list of unit vectors to their losses."""
