"""Policy channels: the effective policy variables the mechanisms read each year.

Levers (:mod:`growthpole.levers`) are what a researcher sets in a scenario; channels are
what the economy feels. Each lever adds to one or more channels with a documented
coefficient; several levers may act on the same channel (e.g. 最多跑一次 and 证照分离 both
raise the firm entry rate). Their contributions on one channel cell are summed and combined
by the channel's documented rule (:func:`combine`; the rule and cap of each channel are data,
``channels:`` in growthpole/levers.yaml), so that a package of levers cannot move a channel
beyond what the evidence supports. At every lever's default value the channels are
*neutral*: the model then reproduces the economy under the policies as they stood in 2019.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from growthpole.regions import N_REGIONS, N_SECTORS, N_SHAOXING


def _ones_regions() -> np.ndarray:
    return np.ones(N_REGIONS)


def _zeros_regions() -> np.ndarray:
    return np.zeros(N_REGIONS)


@dataclass
class PolicyChannels:
    """Effective policy variables for one year. Regions are indexed as
    :data:`growthpole.regions.REGIONS`, sectors as :data:`growthpole.regions.SECTORS`."""

    # geography / market access (geography.py, mechanisms/market_access.py)
    travel_time_factor: np.ndarray = field(default_factory=lambda: np.ones((N_REGIONS, N_REGIONS)))
    """multiplier (<=1) on the travel time between region pairs."""
    trade_cost_factor: float = 1.0
    """multiplier (<=1) on the iceberg trade cost per hour for Shaoxing's pairs."""
    same_city_commuting: np.ndarray = field(
        default_factory=lambda: np.zeros((N_REGIONS, N_REGIONS))
    )
    """extra commuting share between same-city-zone pairs (share of workers, symmetric)."""
    external_market_access: np.ndarray = field(default_factory=_ones_regions)
    """multiplier on a region's access to markets outside the corridor (exports, trade zones)."""
    # platforms (mechanisms/platforms.py)
    platform_development: dict[str, float] = field(default_factory=dict)
    """platform kind -> development intensity in [0, 1] beyond its 2019 state."""
    platform_quality: float = 0.0
    """utility bonus of platforms in firm location choice (star rating, integration)."""
    # firms (mechanisms/firms.py, mechanisms/relocation.py)
    regulation_cost_cut: np.ndarray = field(default_factory=_zeros_regions)
    """cut of red-tape cost, as a share of value added."""
    entry_multiplier: np.ndarray = field(default_factory=lambda: np.ones((N_REGIONS, N_SECTORS)))
    exit_multiplier: np.ndarray = field(default_factory=_ones_regions)
    young_firm_exit_multiplier: np.ndarray = field(default_factory=_ones_regions)
    capital_cost_factor: np.ndarray = field(default_factory=_ones_regions)
    """multiplier on the cost of capital (financing access, credit information)."""
    profit_tax_cut: np.ndarray = field(default_factory=_zeros_regions)
    """taxes and fees cut, as a share of value added."""
    investment_speed: np.ndarray = field(default_factory=_ones_regions)
    """multiplier on the speed of capital adjustment (standard land, commitment system)."""
    sector_subsidy: np.ndarray = field(default_factory=lambda: np.zeros((N_REGIONS, N_SECTORS)))
    """subsidy to value added by region and sector (share), e.g. emerging industries."""
    leading_firm_tfp: float = 0.0
    """annual log TFP growth bonus of the top decile of Shaoxing firms (雄鹰行动)."""
    major_projects: int = 0
    """large IC/electronics projects starting this year (one large firm agent each)."""
    # productivity (mechanisms/productivity.py)
    rd_intensity_add: np.ndarray = field(default_factory=lambda: np.zeros((N_REGIONS, N_SECTORS)))
    """additional R&D spending, share of value added."""
    research_institutes: np.ndarray = field(default_factory=lambda: np.zeros(N_SECTORS))
    """industry research institutes in Shaoxing, per sector (0..n)."""
    spillover_time_factor: np.ndarray = field(default_factory=_ones_regions)
    """multiplier on the travel time that knowledge crosses (R&D enclaves, tech market)."""
    absorptive_capacity: np.ndarray = field(default_factory=_ones_regions)
    """multiplier on the catch-up rate toward the poles."""
    agglomeration_multiplier: float = 1.0
    """multiplier on the agglomeration elasticity for Shaoxing (链长制 chains)."""
    # digital and traditional-industry upgrading (mechanisms/digital.py)
    digital_adoption_multiplier: np.ndarray = field(default_factory=lambda: np.ones(N_SECTORS))
    digital_gain_multiplier: float = 1.0
    upgrade_subsidy: float = 0.0
    """share of the adoption cost of transformation paid by government."""
    # environment (mechanisms/environment.py)
    compliance_cost: np.ndarray = field(default_factory=lambda: np.zeros(N_SECTORS))
    """environmental compliance cost in Shaoxing, share of value added, by sector."""
    emission_standard: float = 0.0
    """required cut of emission intensity for polluting firms (share)."""
    cluster_concentration: float = 0.0
    """push of dyeing/chemical firms into designated clusters (印染组团, 化工园区), 0..1."""
    # land (mechanisms/land.py)
    land_efficiency_pressure: float = 0.0
    """intensity of the 亩均论英雄 evaluation, 0..1."""
    # people (mechanisms/migration.py, mechanisms/labour.py)
    amenity_add: np.ndarray = field(default_factory=_zeros_regions)
    """amenity utility added (culture, tourism, environment, night economy)."""
    skilled_subsidy: np.ndarray = field(default_factory=_zeros_regions)
    """talent subsidy, in units of log wage, for skilled people choosing the region."""
    enclave_share: float = 0.0
    """share of enclave hosts' skilled workers available to Shaoxing firms."""
    housing_cost_factor: np.ndarray = field(default_factory=_ones_regions)
    # non-modelled GDP (model.py)
    nonmodelled_growth_add: np.ndarray = field(default_factory=_zeros_regions)
    """additional real growth of non-firm GDP (agriculture, tourism)."""

    @staticmethod
    def shaoxing_mask() -> np.ndarray:
        mask = np.zeros(N_REGIONS, dtype=bool)
        mask[:N_SHAOXING] = True
        return mask


#: channel -> (kind, index). kind: ``multiplicative`` channels are neutral at 1 and levers
#: contribute relative changes (channel = 1 + combined); ``additive`` channels are neutral at
#: 0 (channel = combined). index: the cells a contribution lands on.
CHANNEL_KINDS: dict[str, tuple[str, str]] = {
    "travel_time_factor": ("multiplicative", "pairs"),
    "trade_cost_factor": ("multiplicative", "scalar"),
    "same_city_commuting": ("additive", "pairs"),
    "external_market_access": ("multiplicative", "regions"),
    "platform_development": ("additive", "platform"),
    "platform_quality": ("additive", "scalar"),
    "regulation_cost_cut": ("additive", "regions"),
    "entry_multiplier": ("multiplicative", "regions_sectors"),
    "exit_multiplier": ("multiplicative", "regions"),
    "young_firm_exit_multiplier": ("multiplicative", "regions"),
    "capital_cost_factor": ("multiplicative", "regions"),
    "profit_tax_cut": ("additive", "regions"),
    "investment_speed": ("multiplicative", "regions"),
    "sector_subsidy": ("additive", "regions_sectors"),
    "leading_firm_tfp": ("additive", "scalar"),
    "major_projects": ("additive", "scalar"),
    "rd_intensity_add": ("additive", "regions_sectors"),
    "research_institutes": ("additive", "sectors"),
    "spillover_time_factor": ("multiplicative", "regions"),
    "absorptive_capacity": ("multiplicative", "regions"),
    "agglomeration_multiplier": ("multiplicative", "scalar"),
    "digital_adoption_multiplier": ("multiplicative", "sectors"),
    "digital_gain_multiplier": ("multiplicative", "scalar"),
    "upgrade_subsidy": ("additive", "scalar"),
    "compliance_cost": ("additive", "sectors"),
    "emission_standard": ("additive", "scalar"),
    "cluster_concentration": ("additive", "scalar"),
    "land_efficiency_pressure": ("additive", "scalar"),
    "amenity_add": ("additive", "regions"),
    "skilled_subsidy": ("additive", "regions"),
    "enclave_share": ("additive", "scalar"),
    "housing_cost_factor": ("multiplicative", "regions"),
    "nonmodelled_growth_add": ("additive", "regions"),
}

RULES: tuple[str, ...] = ("saturating", "clip", "sum", "count")


def combine_total(total, rule: str, cap: float | None):
    """The combined move of a channel cell from the sum of its levers' contributions.

    ``saturating``: cap x tanh(total / cap): close to the sum while it is small against the
    cap, each further lever adding less (diminishing returns), never beyond the cap;
    ``clip``: the sum, bounded to [-cap, cap] (physical bounds); ``sum``: the sum (costs add);
    ``count``: the sum rounded to a whole number. Works on floats and arrays; a zero total
    gives exactly zero under every rule."""
    if rule == "saturating":
        return (
            cap * np.tanh(np.asarray(total) / cap)
            if np.ndim(total)
            else (float(cap * np.tanh(total / cap)))
        )
    if rule == "clip":
        assert cap is not None  # the catalogue gives every clip rule its cap (levers.py)
        return np.clip(total, -cap, cap) if np.ndim(total) else float(min(max(total, -cap), cap))
    if rule == "count":
        return round(total)
    return total


def combine(total, kind: str, rule: str, cap: float | None):
    """Channel value from the summed contributions: multiplicative channels 1 + combined,
    additive channels the combined value; platform channels are combined per kind."""
    if isinstance(total, dict):
        return {k: combine(v, kind, rule, cap) for k, v in total.items()}
    combined = combine_total(total, rule, cap)
    if kind == "multiplicative":
        return 1.0 + combined
    return combined
