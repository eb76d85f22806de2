"""Columnar (struct-of-arrays) state of the agents.

Each agent kind keeps its attributes in NumPy arrays owned by the model. Rows are stable:
an agent's row never moves while it lives, its ``ids`` entry is unique over the run, and
``alive`` masks rows of agents that exited (rows are reused only by :meth:`AgentTable.add`
after compaction, which remaps nothing observable because ids are carried along). Rules in
:mod:`growthpole.mechanisms` are vectorised functions of these arrays.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

import numpy as np

from growthpole.regions import N_REGIONS, N_SECTORS


class AgentTable:
    """A growable table of equally long NumPy columns with ids and an alive mask."""

    #: column name -> dtype; subclasses define it
    schema: ClassVar[dict[str, np.dtype]] = {}

    def __init__(self, capacity: int = 1024) -> None:
        capacity = max(int(capacity), 16)
        self.ids = np.full(capacity, -1, dtype=np.int64)
        self.alive = np.zeros(capacity, dtype=bool)
        self.columns: dict[str, np.ndarray] = {
            name: np.zeros(capacity, dtype=dtype) for name, dtype in self.schema.items()
        }
        self.size = 0  # rows in use (alive or dead); rows >= size are free
        self.next_id = 0

    # -- access ------------------------------------------------------------------------
    def __getattr__(self, name: str) -> np.ndarray:
        columns = self.__dict__.get("columns")
        if columns is not None and name in columns:
            return columns[name][: self.size]
        raise AttributeError(name)

    @property
    def live(self) -> np.ndarray:
        """Boolean mask over the used rows of agents that are alive."""
        return self.alive[: self.size]

    @property
    def count(self) -> int:
        return int(self.live.sum())

    def row_of(self, agent_id: int) -> int:
        """The row of ``agent_id`` (alive, or exited and not yet compacted), by binary search:
        ids are issued in increasing order and neither :meth:`add` nor :meth:`compact`
        reorders rows, so ``ids[:size]`` is always sorted (O(log n), no index to keep)."""
        ids = self.ids[: self.size]
        row = int(np.searchsorted(ids, agent_id))
        if row == self.size or ids[row] != agent_id:
            raise KeyError(agent_id)
        return row

    # -- mutation ----------------------------------------------------------------------
    def add(self, n: int, **values: np.ndarray | float) -> np.ndarray:
        """Append ``n`` agents; returns their rows. Missing columns are zero."""
        if n <= 0:
            return np.zeros(0, dtype=np.int64)
        self._reserve(self.size + n)
        rows = np.arange(self.size, self.size + n)
        self.ids[rows] = np.arange(self.next_id, self.next_id + n)
        self.alive[rows] = True
        for name, value in values.items():
            self.columns[name][rows] = value
        self.size += n
        self.next_id += n
        return rows

    def remove(self, rows: np.ndarray) -> None:
        """Mark agents as exited (their rows keep their last values until compaction)."""
        self.alive[rows] = False

    def compact(self) -> None:
        """Drop dead rows (keeps ids; call between steps, never inside a mechanism)."""
        keep = np.flatnonzero(self.alive[: self.size])
        n = len(keep)
        self.ids[:n] = self.ids[keep]
        self.alive[:n] = True
        self.alive[n : self.size] = False
        for column in self.columns.values():
            column[:n] = column[keep]
        self.ids[n : self.size] = -1
        self.size = n

    def _reserve(self, needed: int) -> None:
        capacity = len(self.ids)
        if needed <= capacity:
            return
        new_capacity = max(needed, 2 * capacity)
        self.ids = _grow(self.ids, new_capacity, -1)
        self.alive = _grow(self.alive, new_capacity, False)
        for name in self.columns:
            self.columns[name] = _grow(self.columns[name], new_capacity, 0)

    def nbytes(self) -> int:
        return int(
            self.ids.nbytes + self.alive.nbytes + sum(c.nbytes for c in self.columns.values())
        )


def _grow(array: np.ndarray, capacity: int, fill: object) -> np.ndarray:
    out = np.full(capacity, fill, dtype=array.dtype)
    out[: len(array)] = array
    return out


class FirmTable(AgentTable):
    """Firm agents; one agent stands for a group of real firms of one sector in one place.

    Columns (units): region (index), platform (index or -1), sector (index), log_tfp (log of
    Hicks-neutral TFP, base-year prices), capital (亿元), skilled and unskilled (persons
    employed), land_mu (亩), emission_intensity (emissions per 亿元 VA, relative units),
    digital (1 if transformed), clustered (1 if inside a dyeing/chemical cluster), age
    (years), value_added (亿元/yr, real), profit (亿元/yr, real), low_efficiency (1 if in the
    bottom of the 亩均 evaluation this year).
    """

    schema: ClassVar[dict[str, np.dtype]] = {
        "region": np.dtype(np.int16),
        "platform": np.dtype(np.int16),
        "sector": np.dtype(np.int16),
        "log_tfp": np.dtype(np.float64),
        "capital": np.dtype(np.float64),
        "skilled": np.dtype(np.float64),
        "unskilled": np.dtype(np.float64),
        "land_mu": np.dtype(np.float64),
        "emission_intensity": np.dtype(np.float64),
        "digital": np.dtype(np.int8),
        "clustered": np.dtype(np.int8),
        "age": np.dtype(np.int32),
        "value_added": np.dtype(np.float64),
        "profit": np.dtype(np.float64),
        "low_efficiency": np.dtype(np.int8),
    }


class TalentTable(AgentTable):
    """Talent agents; one agent stands for ``people_per_agent`` residents of one skill.

    Columns: region (index of residence), skill (0 unskilled, 1 skilled), moves (number of
    moves so far).
    """

    schema: ClassVar[dict[str, np.dtype]] = {
        "region": np.dtype(np.int16),
        "skill": np.dtype(np.int8),
        "moves": np.dtype(np.int16),
    }


class PlatformTable(AgentTable):
    """Development platforms (开发区, 新区, 万亩千亿 platforms, science cities, towns, parks).

    Columns: region (index), kind (index into PLATFORM_KINDS), capacity_mu (亩 available to
    firms), used_mu (亩 occupied), base_capacity_mu (亩 in the base year), full_capacity_mu
    (亩 when fully developed), sector_mask (bit i set if sector i is a focus), opening_year,
    subsidy (share of VA), star (rating 0-5).
    """

    schema: ClassVar[dict[str, np.dtype]] = {
        "region": np.dtype(np.int16),
        "kind": np.dtype(np.int16),
        "capacity_mu": np.dtype(np.float64),
        "used_mu": np.dtype(np.float64),
        "base_capacity_mu": np.dtype(np.float64),
        "full_capacity_mu": np.dtype(np.float64),
        "sector_mask": np.dtype(np.int32),
        "opening_year": np.dtype(np.int32),
        "subsidy": np.dtype(np.float64),
        "star": np.dtype(np.float64),
    }


@dataclass
class RegionState:
    """Region-level state and base-year calibration targets (arrays of length N_REGIONS)."""

    base_gdp: np.ndarray  # 亿元, current prices of the base year
    base_population: np.ndarray  # 万人
    base_hours: np.ndarray  # (N, N) travel hours
    nonmodelled_gdp: np.ndarray  # 亿元/yr, real (base-year prices)
    rd_intensity: np.ndarray  # R&D spending / VA (share), base
    #: ĝ_ω,r: the non-modelled component's real growth relative to the nation, 1/yr, from
    #: data (growthpole.inputs.nonmodelled_component, docs/model.md §5.10)
    nonmodelled_trend: np.ndarray = field(default_factory=lambda: np.zeros(N_REGIONS))
    amenity: np.ndarray = field(default_factory=lambda: np.zeros((2, N_REGIONS)))
    housing_base: np.ndarray = field(default_factory=lambda: np.ones(N_REGIONS))
    external_access: np.ndarray = field(default_factory=lambda: np.zeros(N_REGIONS))
    base_market_access: np.ndarray = field(default_factory=lambda: np.ones(N_REGIONS))
    firm_gdp_last: np.ndarray = field(default_factory=lambda: np.zeros(N_REGIONS))
    base_firm_gdp: np.ndarray = field(default_factory=lambda: np.ones(N_REGIONS))
    wages: np.ndarray = field(default_factory=lambda: np.ones((2, N_REGIONS)))
    market_access: np.ndarray = field(default_factory=lambda: np.ones(N_REGIONS))
    hours: np.ndarray = field(default_factory=lambda: np.zeros((N_REGIONS, N_REGIONS)))
    """(N, N) effective travel hours this year (mechanisms/market_access.py)."""
    #: (year, base travel hours from that year on): published links that open after the
    #: start year (data/travel_times.csv rows with a later year), in year order
    hours_schedule: tuple[tuple[int, np.ndarray], ...] = ()
    emissions: np.ndarray = field(default_factory=lambda: np.zeros(N_REGIONS))
    migration_in: np.ndarray = field(default_factory=lambda: np.zeros(N_REGIONS))
    migration_out: np.ndarray = field(default_factory=lambda: np.zeros(N_REGIONS))
    external_inflow: np.ndarray = field(default_factory=lambda: np.zeros(N_REGIONS))
    entries: np.ndarray = field(default_factory=lambda: np.zeros(N_REGIONS))
    exits: np.ndarray = field(default_factory=lambda: np.zeros(N_REGIONS))
    relocations_in: np.ndarray = field(default_factory=lambda: np.zeros(N_REGIONS))
    relocations_out: np.ndarray = field(default_factory=lambda: np.zeros(N_REGIONS))
    enclave_workers: float = 0.0
    commuting_fundamental: np.ndarray = field(default_factory=lambda: np.zeros((2, N_REGIONS)))
    """(skill, workplace) b^s_w of the commuting logit (mechanisms/labour.py), base year."""
    commuters_in: np.ndarray = field(default_factory=lambda: np.zeros(N_REGIONS))
    """persons working in the region who live in another (this year)."""
    commuters_out: np.ndarray = field(default_factory=lambda: np.zeros(N_REGIONS))
    """persons living in the region who work in another (this year)."""
    city_commuters_in: np.ndarray = field(default_factory=lambda: np.zeros(N_REGIONS))
    """persons working in the region who live in another city."""
    city_commuters_out: np.ndarray = field(default_factory=lambda: np.zeros(N_REGIONS))
    """persons living in the region who work in another city."""
    place_log_tfp: np.ndarray = field(default_factory=lambda: np.zeros(N_REGIONS))
    """ln A^P_r: the productivity of the place (base-year level plus the pole premia since),
    which a firm has while it is located there and leaves behind when it relocates."""
    firm_location_fundamental: np.ndarray = field(default_factory=lambda: np.zeros(N_REGIONS))
    """a^F_k of the relocation logit: set in the base year so that expected relocation flows
    are zero (mechanisms/relocation.py)."""
    land_quota_mu: np.ndarray = field(default_factory=lambda: np.full(N_REGIONS, np.inf))
    """construction land available to firms and platforms this year (亩; mechanisms/land.py)."""
    base_land_mu: np.ndarray = field(default_factory=lambda: np.zeros(N_REGIONS))
    """land used by firms and platform capacity in the base year (亩)."""


@dataclass
class WorldState:
    """Everything the mechanisms read and write in one replication."""

    year: int
    start_year: int
    people_per_agent: float
    firms: FirmTable
    talent: TalentTable
    platforms: PlatformTable
    regions: RegionState
    regions_base_employment: np.ndarray = field(
        default_factory=lambda: np.zeros((N_REGIONS, N_SECTORS))
    )
    """(N_REGIONS, N_SECTORS) same-sector employment in the base year (persons)."""
    base_emission_intensity: np.ndarray = field(default_factory=lambda: np.ones(N_SECTORS))
    polluting_sector: np.ndarray = field(default_factory=lambda: np.zeros(N_SECTORS, bool))
    land_rent_per_mu: np.ndarray = field(default_factory=lambda: np.zeros(N_REGIONS))
    """亿元 per mu per year."""
    inflow_skilled_share: float = 0.2
    """skilled share of the declared inflow from the rest of China."""
    price_level: float = 1.0
    fixed_cost_base: np.ndarray = field(default_factory=lambda: np.zeros(N_REGIONS))
    """overhead per firm agent in the base year (亿元/yr), by region."""
    base_wages: np.ndarray = field(default_factory=lambda: np.ones((2, N_REGIONS)))
    """wages in the base year (亿元 per worker), to index overheads."""
    base_firm_counts: np.ndarray = field(default_factory=lambda: np.ones(N_REGIONS))
    """live firm agents per region in the base year (crowding reference)."""
    reference_margin: float = 0.0
    """value-added-weighted mean profit margin in the base year (exit and entry reference)."""
    entry_seed_mask: float = 0.05
    """entry rate of a (region, sector) cell without incumbents, relative to one incumbent."""
    fallback_log_tfp: np.ndarray = field(default_factory=lambda: np.zeros((N_REGIONS, N_SECTORS)))
    """log TFP of entrants in cells without incumbents (the region's base-year shift)."""
    fallback_capital: np.ndarray = field(default_factory=lambda: np.ones((N_REGIONS, N_SECTORS)))
    """capital (亿元) of entrants' reference in cells without incumbents."""
    """GDP deflator relative to the base year."""
