"""What every mechanism is: a vectorised function of (state, parameters, policy, rng).

A mechanism reads the columnar :class:`~growthpole.state.WorldState`, the structural
:class:`~growthpole.parameters.ModelParameters`, this year's
:class:`~growthpole.policy.PolicyChannels` and its own random generator, and updates the
state in place. Mechanisms never loop over agents in Python and never import Mesa, so each
can be tested alone. :class:`StepContext` bundles the inputs; ``context.rng(name)`` gives the
generator of one mechanism in one year, spawned from the replication's SeedSequence so that
a change in one mechanism's draws never shifts another's stream (common random numbers
across scenarios).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from growthpole.mechanisms.keyed import KeyedStream
from growthpole.parameters import ModelParameters
from growthpole.policy import PolicyChannels
from growthpole.regions import N_REGIONS, N_SECTORS
from growthpole.state import WorldState


@dataclass
class StepContext:
    """Inputs of one year's step."""

    state: WorldState
    params: ModelParameters
    policy: PolicyChannels
    year_seed: np.random.SeedSequence
    switches: dict[str, bool] = field(default_factory=dict)
    #: stream name -> index (the schedule's, :attr:`growthpole.schedule.Schedule.streams`);
    #: None: the default schedule's
    streams: Mapping[str, int] | None = None
    _rngs: dict[str, np.random.Generator] = field(default_factory=dict)
    _keyed: dict[str, KeyedStream] = field(default_factory=dict)
    _talent_counts: tuple[tuple, np.ndarray] | None = None

    def rng(self, name: str) -> np.random.Generator:
        """The generator of mechanism ``name`` in this year (independent streams)."""
        if name not in self._rngs:
            index = self._stream(name)
            child = np.random.SeedSequence(
                self.year_seed.entropy, spawn_key=(*self.year_seed.spawn_key, index)
            )
            self._rngs[name] = np.random.Generator(np.random.PCG64(child))
        return self._rngs[name]

    def keyed(self, name: str) -> KeyedStream:
        """The id-keyed stream of mechanism ``name`` in this year (see mechanisms/keyed.py):
        an agent's draw depends on its id only, so it is the same in every scenario."""
        if name not in self._keyed:  # a stream is a pure function of its key: build it once
            index = self._stream(name)
            self._keyed[name] = KeyedStream(
                np.random.SeedSequence(
                    self.year_seed.entropy, spawn_key=(*self.year_seed.spawn_key, index, 1)
                )
            )
        return self._keyed[name]

    def _stream(self, name: str) -> int:
        if self.streams is None:
            return stream_index(name)
        if name not in self.streams:
            raise KeyError(f"no random stream named {name!r}; streams: {sorted(self.streams)}")
        return self.streams[name]

    def talent_counts(self) -> np.ndarray:
        """:func:`talent_counts` of the state's talent table, counted once per step: labour
        supply (twice a year) and migration read it, and migration, the only mechanism that
        moves or adds talent agents, updates it exactly (:meth:`set_talent_counts`). The cache
        is dropped if the table's rows, ids or live count change behind its back; a mechanism
        that moves talent agents between regions must call :meth:`set_talent_counts` (or
        set ``_talent_counts = None``). Returns a copy."""
        talent = self.state.talent
        key = self._talent_key(talent)
        if self._talent_counts is None or self._talent_counts[0] != key:
            self._talent_counts = (key, talent_counts(talent))
        return self._talent_counts[1].copy()

    def set_talent_counts(self, counts: np.ndarray) -> None:
        """Record the (2, N_REGIONS) talent counts after a mechanism changed them."""
        self._talent_counts = (self._talent_key(self.state.talent), counts.copy())

    @staticmethod
    def _talent_key(talent) -> tuple:
        return (
            id(talent),
            id(talent.columns["region"]),
            talent.size,
            talent.next_id,
            int(np.count_nonzero(talent.live)),
        )

    def on(self, mechanism: str) -> bool:
        """Whether a mechanism is switched on (reduction tests switch some off)."""
        return self.switches.get(mechanism, True)


def stream_index(name: str) -> int:
    """The random-stream index of mechanism ``name``, declared on its step of the year's
    schedule (growthpole/schedule.py, imported here when first needed: the schedule imports
    the mechanisms)."""
    from growthpole.schedule import SCHEDULE

    return SCHEDULE.stream(name)


class Mechanism(Protocol):
    def __call__(self, context: StepContext) -> None: ...


def region_sum(
    values: np.ndarray,
    region: np.ndarray,
    weights_mask: np.ndarray | None = None,
    n: int = N_REGIONS,
) -> np.ndarray:
    """Σ over agents by region (np.bincount), optionally only over a mask."""
    if weights_mask is not None:
        values = np.where(weights_mask, values, 0.0)
    return np.bincount(region, weights=values, minlength=n)[:n].astype(float, copy=False)


def talent_counts(talent) -> np.ndarray:
    """(2, N_REGIONS) live talent agents by skill (row: 0 unskilled, 1 skilled) and region,
    as floats (hot path: called several times a year over every talent agent).

    The 18 cells are counted with one comparison pass each over an int8 cell code rather
    than np.bincount: talent rows are grouped by region (initialisation repeats regions), and
    bincount's scattered increments of the same few bins stall on such runs (measured ~1.7x
    slower at 100k agents; docs/performance.md). Counts are exact either way."""
    cell = talent.region.astype(np.int8)  # region < N_REGIONS, skill in {0, 1}: cell < 18
    cell += talent.skill * np.int8(N_REGIONS)
    live = talent.live
    if not live.all():
        cell[~live] = -1
    counts = np.empty(2 * N_REGIONS)
    for code in range(2 * N_REGIONS):  # 18 cells: a loop over cells, not agents
        counts[code] = np.count_nonzero(cell == code)
    return counts.reshape(2, N_REGIONS)


def region_sector_sum(
    values: np.ndarray, region: np.ndarray, sector: np.ndarray, mask: np.ndarray | None = None
) -> np.ndarray:
    """(N_REGIONS, N_SECTORS) sums by region and sector."""
    if mask is not None:
        values = np.where(mask, values, 0.0)
    flat = region.astype(np.int64) * N_SECTORS + sector
    # float even with no rows (np.bincount of an empty array with weights returns int64)
    return (
        np.bincount(flat, weights=values, minlength=N_REGIONS * N_SECTORS)
        .astype(float, copy=False)
        .reshape(N_REGIONS, N_SECTORS)
    )


def gumbel_noise(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    """Standard Gumbel draws from the same uniforms as ``rng.gumbel(size=shape)``.

    NumPy's generator draws G = -ln(-ln(1 - U)) one value at a time (random_gumbel in
    numpy/random/src/distributions: U = next_double, 1 - U == 1 rejected and redrawn); this
    draws the uniforms in one call, applies the same rejection and takes the logarithms
    vectorised, about 3-4x faster (docs/performance.md). The values equal rng.gumbel's to
    within 2 ulp (NumPy's SIMD log against the C library's), so choices are the same unless
    two alternatives tie to 1e-15.
    """
    n = math.prod(shape)  # not np.prod: ~10 µs a call for a tuple
    uniform = rng.random(n)
    rejected = uniform == 0.0
    while rejected.any():  # probability 2^-53 per draw: keep the stream exactly as NumPy's
        uniform = np.concatenate([uniform[~rejected], rng.random(int(rejected.sum()))])
        rejected = uniform == 0.0
    return (0.0 - np.log(-np.log(1.0 - uniform))).reshape(shape)


def gumbel_choice(utility: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Multinomial-logit choice: argmax of utility + Gumbel(0,1) noise, row-wise
    (McFadden 1974). ``-inf`` utilities are never chosen."""
    noise = gumbel_noise(rng, utility.shape)
    noise += utility  # in place: same sums as utility + noise, one temporary fewer
    return np.argmax(noise, axis=1)
