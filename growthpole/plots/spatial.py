"""The corridor map: the nine regions at their coordinates with net flows of people
and firms, the inflow from the rest of China, and a schematic outline of Shaoxing."""

from __future__ import annotations

import math

import matplotlib.ticker
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from growthpole.plots.theme import (
    COLOURS,
    _new,
    _note,
    _signed,
    people_unit,
    place_name,
    styled,
)
from growthpole.regions import (
    REGIONS,
    SHAOXING_REGIONS,
)

#: label placement on the corridor map: (longitude, latitude) offsets in degrees from the
#: region's seat, chosen so that labels stay clear of the vertical flow arrows and of each
#: other (the Shaoxing units sit close together); a leader line joins label and dot
LABEL_OFFSETS: dict[str, tuple[float, float]] = {
    "keqiao": (-0.42, 0.05),
    "yuecheng": (-0.45, -0.13),
    "shangyu": (0.2, 0.12),
    "zhuji": (-0.3, -0.12),
    "shengzhou": (0.25, -0.02),
    "xinchang": (0.2, -0.12),
    "hangzhou": (-0.2, 0.2),
    "ningbo": (0.15, -0.15),
    "shanghai": (0.15, -0.12),
}


def net_flows(city_year: pd.DataFrame, years: tuple[int, int]) -> pd.DataFrame:
    """Per region (index: the nine regions): flows summed over the inclusive ``years`` and
    averaged across replications; ``people`` = migration in - out (万人), ``firms`` =
    relocations in - out (firm agents)."""
    columns = ["migration_in", "migration_out", "relocations_in", "relocations_out"]
    rows = city_year[city_year.region.isin(REGIONS) & city_year.year.between(*years)]
    if "replication" not in rows:
        rows = rows.assign(replication=0)
    flows = (
        rows.groupby(["replication", "region"])[columns]
        .sum()
        .groupby("region")
        .mean()
        .reindex(list(REGIONS))
        .fillna(0.0)
    )
    flows["people"] = flows.migration_in - flows.migration_out
    flows["firms"] = flows.relocations_in - flows.relocations_out
    return flows


def shaoxing_outline(coords: pd.DataFrame, pad: float = 0.09) -> np.ndarray:
    """A schematic outline of Shaoxing: the convex hull of its six units' seats, each vertex
    pushed ``pad`` degrees outward from the centroid ((n, 2) lon/lat, closed). Not the
    administrative boundary (the repository ships no boundary geometry)."""
    from scipy.spatial import ConvexHull

    points = coords.loc[list(SHAOXING_REGIONS), ["longitude", "latitude"]].to_numpy(float)
    hull = points[ConvexHull(points).vertices]
    centre = points.mean(axis=0)
    direction = hull - centre
    direction /= np.linalg.norm(direction, axis=1, keepdims=True)
    outline = hull + pad * direction
    return np.vstack([outline, outline[:1]])


def external_inflow(city_year: pd.DataFrame, years: tuple[int, int]) -> pd.Series:
    """Migration from outside the corridor (万人) summed over the inclusive ``years`` and
    averaged across replications: Shaoxing (its six units) and each pole."""
    rows = city_year[city_year.year.between(*years)]
    if "replication" not in rows:
        rows = rows.assign(replication=0)
    if "external_inflow" not in rows:
        return pd.Series(dtype=float)
    sums = rows.groupby(["replication", "region"]).external_inflow.sum().groupby("region").mean()
    return sums.reindex(["shaoxing", *(r for r in REGIONS if r not in SHAOXING_REGIONS)]).fillna(
        0.0
    )


@styled
def corridor_map(
    city_year: pd.DataFrame,
    *,
    coordinates: pd.DataFrame | None = None,
    years: tuple[int, int] | None = None,
    title: str | None = None,
) -> Figure:
    """The nine regions at their coordinates with *net* flows as arrows, on a schematic
    outline of Shaoxing.

    Left: people, 万人: each region's net migration within the corridor (vertical arrows:
    up = gain, green; down = loss, red) and the inflow from the rest of China (purple
    arrows from the west into Shaoxing and into each pole), all on one scale so the largest
    flow is the longest arrow. Right: net firm relocations (firm agents). Flows are summed
    over ``years`` (default: the whole run) and averaged across replications. The model
    records each region's gross in- and outflows, not an origin-destination matrix, so a
    vertical arrow is a region's net gain or loss, not a route. Marker area: GDP in the last
    year.
    """
    if coordinates is None:
        from growthpole.data import REGIONS_SCHEMA, load

        coordinates = load(REGIONS_SCHEMA)
    coords = coordinates.set_index("region_id")[["latitude", "longitude"]].astype(float)
    rows = city_year[city_year.region.isin(REGIONS)]
    first, last = years or (int(rows.year.min()) + 1, int(rows.year.max()))
    flows = net_flows(city_year, (first, last))
    inflow = external_inflow(city_year, (first, last))
    gdp_last = rows[rows.year == last].groupby("region").gdp.mean()
    outline = shaoxing_outline(coords)
    centre: np.ndarray = outline[:-1].mean(axis=0)

    fig, axes = _new(1, 2, figsize=(13.0, 6.2))
    lat0 = math.radians(float(coords.latitude.mean()))
    specs = (
        ("people", f"people: net migration and inflow {first}-{last}, {people_unit()}"),
        ("firms", f"firms: net relocations {first}-{last}, firm agents"),
    )
    lon_min, lon_max = float(coords.longitude.min()), float(coords.longitude.max())
    lat_min, lat_max = float(coords.latitude.min()), float(coords.latitude.max())
    longest = 0.32  # degrees of latitude: the arrow of the largest flow in a panel
    # inflows come from the west (the rest of China); into Shaoxing from the south-west, to
    # the edge of its outline between Zhuji and Shengzhou, clear of the units' labels
    from_west = np.array([-1.0, -0.35]) / math.hypot(1.0, 0.35)
    from_south_west = np.array([-0.45, -0.9]) / math.hypot(0.45, 0.9)
    for ax, (column, subtitle) in zip(axes, specs, strict=True):
        values = flows[column].reindex(REGIONS).fillna(0.0)
        extra = inflow if column == "people" else pd.Series(dtype=float)
        scale = max(
            float(values.abs().max()), float(extra.abs().max()) if len(extra) else 0.0, 1e-9
        )
        ax.fill(
            outline[:, 0],
            outline[:, 1],
            facecolor="#fbe8c8",
            edgecolor="#d08c1e",
            lw=1.0,
            ls="--",
            zorder=0,
            label="Shaoxing (schematic outline: hull of its six units' seats, not the boundary)",
        )
        for pole in ("hangzhou", "ningbo", "shanghai"):
            ax.plot(
                [centre[0], coords.loc[pole, "longitude"]],
                [centre[1], coords.loc[pole, "latitude"]],
                color="#bbbbbb",
                lw=1,
                ls=":",
                zorder=1,
            )
        ax.set_aspect(1.0 / math.cos(lat0))
        ax.set_xlim(lon_min - 0.95, lon_max + 0.55)
        ax.set_ylim(lat_min - 0.35, lat_max + 0.3)
        ax.apply_aspect()
        height_pt = ax.get_position().height * fig.get_figheight() * 72.0
        points_per_degree = height_pt / (ax.get_ylim()[1] - ax.get_ylim()[0])
        size = gdp_last.reindex(REGIONS).fillna(0.0)
        areas = 40 + 600 * np.sqrt(size / max(float(size.max()), 1e-9))  # points²
        ax.scatter(
            coords.loc[list(REGIONS), "longitude"],
            coords.loc[list(REGIONS), "latitude"],
            s=areas,
            c=["#e6a23c" if r in SHAOXING_REGIONS else "#7f8c8d" for r in REGIONS],
            alpha=0.75,
            edgecolors="#333333",
            linewidths=0.6,
            zorder=2,
        )
        for region in REGIONS:
            lon, lat = coords.loc[region, "longitude"], coords.loc[region, "latitude"]
            value = float(values[region])
            length = longest * abs(value) / scale
            radius_pt = math.sqrt(float(areas[region]) / math.pi)
            if abs(value) > 0.0 and length > 0.01:
                # the arrow starts at the marker's edge, its visible length ~ the net flow
                direction = 1.0 if value > 0 else -1.0
                tip = lat + direction * (length + radius_pt / points_per_degree)
                arrow = ax.annotate(
                    "",
                    xy=(lon, tip),
                    xytext=(lon, lat),
                    arrowprops={
                        "arrowstyle": "-|>",
                        "lw": 2.2,
                        "mutation_scale": 14,
                        "shrinkA": radius_pt,
                        "shrinkB": 0,
                        "color": COLOURS["gain"] if value > 0 else COLOURS["loss"],
                    },
                    zorder=3,
                )
                arrow.set_gid(f"flow:{column}:{region}")
            dx, dy = LABEL_OFFSETS[region]
            ax.annotate(
                f"{place_name(region)}\n{_signed(value)}",
                (lon, lat),
                xytext=(lon + dx, lat + dy),
                textcoords="data",
                fontsize=8,
                ha="right" if dx < 0 else "left",
                va="center",
                zorder=4,
                bbox={
                    "boxstyle": "round,pad=0.15",
                    "facecolor": "white",
                    "edgecolor": "none",
                    "alpha": 0.85,
                },
                arrowprops={
                    "arrowstyle": "-",
                    "color": "#888888",
                    "lw": 0.6,
                    "shrinkA": 0,
                    "shrinkB": radius_pt,
                },
            )
        for destination, value in extra.items():
            if value <= 0:
                continue
            if destination == "shaoxing":
                target, radius, heading = centre, 0.2, from_south_west
            else:
                target = coords.loc[destination, ["longitude", "latitude"]].to_numpy(float)
                radius = math.sqrt(float(areas[destination]) / math.pi) / points_per_degree
                heading = from_west
            length = longest * value / scale
            start = target + heading * (length + radius)
            end = target + heading * radius
            arrow = ax.annotate(
                "",
                xy=tuple(end),
                xytext=tuple(start),
                arrowprops={
                    "arrowstyle": "-|>",
                    "lw": 2.6,
                    "mutation_scale": 15,
                    "color": COLOURS["inflow"],
                    "shrinkA": 0,
                    "shrinkB": 0,
                },
                zorder=3,
            )
            arrow.set_gid(f"inflow:people:{destination}")
            into = "Shaoxing" if destination == "shaoxing" else place_name(destination)
            below = destination == "shaoxing"  # under the tail; the poles' above it
            ax.annotate(
                f"{_signed(value)} into {into}\nfrom the rest of China",
                tuple(start),
                xytext=(0, -3) if below else (-3, 3),
                textcoords="offset points",
                fontsize=7.5,
                ha="center" if below else "right",
                va="top" if below else "bottom",
                color=COLOURS["inflow"],
                zorder=4,
            )
        ax.xaxis.set_major_locator(matplotlib.ticker.MultipleLocator(0.5))
        ax.yaxis.set_major_locator(matplotlib.ticker.MultipleLocator(0.5))
        ax.set_xlabel("longitude, degrees east")
        ax.set_ylabel("latitude, degrees north")
        ax.set_title(subtitle, fontsize=10)
        ax.legend(loc="upper left", fontsize=7.5)
    fig.suptitle(title or "The corridor: where people and firms moved", fontweight="bold")
    _note(
        fig,
        "Vertical arrows: net gain (up, green) or loss (down, red) of each region within "
        "the corridor, mean across replications (the model records gross in/out flows "
        "per region, not routes). Purple: migration from the rest of China into Shaoxing "
        "(its six units together) and into each pole, on the same scale. Marker area ~ "
        f"GDP in {last}. Coordinates: data/regions.csv.",
    )
    return fig
