"""Regions in space: travel times, market access weights and integration as time/cost cuts.

Travel time between regions (hours) is the fastest *published* time in data/travel_times.csv
where one exists; otherwise it is derived from the regions' coordinates (data/regions.csv):

    t_rs = ROAD_DETOUR * d_rs / ROAD_SPEED_KMH + TERMINAL_HOURS        (r != s)

with d_rs the great-circle distance in km. Within a region t_rr = INTERNAL_HOURS. The
derivation constants are assumptions stated here and in docs/model.md.

The 融杭联甬接沪 levers act by multiplying these times (PolicyChannels.travel_time_factor).
"""

from __future__ import annotations

import numpy as np

from growthpole.data import published_travel_minutes, region_coordinates
from growthpole.regions import N_REGIONS, REGION_INDEX

EARTH_RADIUS_KM = 6371.0
ROAD_DETOUR = 1.3  # road km per great-circle km (assumed; typical circuity in eastern China)
ROAD_SPEED_KMH = 80.0  # average door-to-door expressway speed (assumed)
TERMINAL_HOURS = 0.25  # access/egress time of an inter-city trip (assumed)
INTERNAL_HOURS = 0.3  # average travel time within one region (assumed)


def great_circle_km(coords: np.ndarray) -> np.ndarray:
    """(N, N) great-circle distances in km from (N, 2) latitude/longitude in degrees."""
    lat = np.radians(coords[:, 0])[:, None]
    lon = np.radians(coords[:, 1])[:, None]
    dlat = lat - lat.T
    dlon = lon - lon.T
    h = np.sin(dlat / 2) ** 2 + np.cos(lat) * np.cos(lat.T) * np.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))


def base_travel_hours(
    coords: np.ndarray | None = None, published: list[tuple[str, str, float]] | None = None
) -> np.ndarray:
    """(N_REGIONS, N_REGIONS) symmetric travel times in hours (see module docstring)."""
    if coords is None:
        coords = region_coordinates()
    hours = ROAD_DETOUR * great_circle_km(coords) / ROAD_SPEED_KMH + TERMINAL_HOURS
    np.fill_diagonal(hours, INTERNAL_HOURS)
    if published is None:
        table = published_travel_minutes()
        published = [
            (o, d, float(m))
            for o, d, m in zip(table.origin, table.destination, table.minutes, strict=True)
        ]
    for origin, destination, minutes in published:
        a, b = REGION_INDEX[origin], REGION_INDEX[destination]
        if a == b:
            continue
        fastest = min(hours[a, b], minutes / 60.0)
        hours[a, b] = hours[b, a] = fastest
    return hours


def effective_travel_hours(base_hours: np.ndarray, factor: np.ndarray) -> np.ndarray:
    """Travel times after integration policies (element-wise factor, diagonal untouched)."""
    hours = base_hours * factor
    np.fill_diagonal(hours, np.diag(base_hours))
    return hours


def gravity_weights(hours: np.ndarray, trade_cost_per_hour: np.ndarray | float) -> np.ndarray:
    """Iceberg gravity weights exp(-κ t_rs) (Head & Mayer 2014): the share of a unit of
    demand in s that reaches a producer in r after trade costs."""
    return np.exp(-np.asarray(trade_cost_per_hour) * hours)


def market_access(
    gdp: np.ndarray,
    hours: np.ndarray,
    trade_cost_per_hour: np.ndarray | float,
    external: np.ndarray,
) -> np.ndarray:
    """Market access MA_r = Σ_s GDP_s exp(-κ t_rs) + external_r (Harris 1954; Redding &
    Venables 2004). ``external`` is the region's access to demand outside the corridor."""
    assert hours.shape == (N_REGIONS, N_REGIONS)
    return gravity_weights(hours, trade_cost_per_hour) @ gdp + external
