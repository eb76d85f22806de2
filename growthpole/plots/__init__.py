"""Figures of runs, sweeps and calibrations (matplotlib; never imported by the model).

The one presentation layer: the CLI commands, ``growthpole report``, the calibration report,
the app and the notebooks draw every chart with these functions; experiments and analyses
return tables only (tests/test_plots_layer.py fails on a figure drawn anywhere else).

Every function takes the project's tables (``city_year`` of a run, ``summary.csv``, sweep
and attribution tables, the published city panel) and returns a :class:`matplotlib.figure.
Figure`; nothing here runs the model. Axes carry units (GDP in 亿元 = 100 million yuan,
people in 万人 = 10,000 people). Place names are Chinese when a CJK font (Noto Sans CJK,
Debian's ``fonts-noto-cjk``) is found and English otherwise, so no label renders as empty
boxes (:func:`cjk_font`).

By subject (each re-exported here: ``from growthpole import plots; plots.gdp_fan(...)``):

- :mod:`~growthpole.plots.theme`: fonts, place names, units, outcome and factor labels,
  colours, :func:`style`, :func:`styled` and :func:`save_figure`;
- :mod:`~growthpole.plots.forecast`: :func:`gdp_fan`, :func:`rank_fan` (with the top-30
  line), :func:`p_top30_by_year`, :func:`sector_shares`, and the published history they
  draw, :func:`rank_history` (national rank from growthpole.panel's ranking panel, only
  years with a complete national panel) and :func:`published_gdp`; nothing is
  interpolated: a year without a published value is a gap in the line;
- :mod:`~growthpole.plots.spatial`: :func:`corridor_map`, the nine regions at their
  coordinates with net flows of people and firms as arrows;
- :mod:`~growthpole.plots.attribution`: :func:`attribution_waterfall`, the share of a gain
  owed to each policy pillar (Shapley values of growthpole.experiments.attribution, or any
  pillar/contribution table);
- :mod:`~growthpole.plots.calibration`: :func:`calibration_fit` (published against
  simulated moments), :func:`hindcast`, :func:`loss_profiles` and :func:`backtest_fans`;
- :mod:`~growthpole.plots.sensitivity`: :func:`sensitivity_indices` (Morris / Sobol' /
  delta), :func:`morris_mu_sigma` and :func:`outcome_by_factor`;
- :mod:`~growthpole.plots.discovery`: :func:`discovery_boxes` and :func:`prim_trajectory`;
- :mod:`~growthpole.plots.compare`: :func:`scenario_gdp_medians` and
  :func:`paired_difference`.
"""

from __future__ import annotations

from growthpole.outcomes import TOP
from growthpole.plots.attribution import (
    attribution_waterfall,
    shapley_waterfall_table,
)
from growthpole.plots.calibration import (
    MOMENT_TITLES,
    MOMENT_UNITS,
    backtest_fans,
    calibration_fit,
    hindcast,
    loss_profiles,
)
from growthpole.plots.compare import (
    paired_difference,
    scenario_gdp_medians,
)
from growthpole.plots.discovery import (
    discovery_boxes,
    prim_trajectory,
)
from growthpole.plots.forecast import (
    SECTOR_LABELS,
    gdp_fan,
    p_top30_by_year,
    published_gdp,
    rank_fan,
    rank_history,
    sector_share_table,
    sector_shares,
    wilson_interval,
)
from growthpole.plots.sensitivity import (
    INDEX_LABELS,
    NON_NEGATIVE_INDICES,
    SHARE_INDICES,
    index_interval,
    morris_mu_sigma,
    outcome_by_factor,
    sensitivity_indices,
)
from growthpole.plots.spatial import (
    LABEL_OFFSETS,
    corridor_map,
    external_inflow,
    net_flows,
    shaoxing_outline,
)
from growthpole.plots.theme import (
    CHINESE_NAMES,
    COLOURS,
    ENGLISH_NAMES,
    GDP_UNIT,
    LATIN_UNITS,
    OUTCOME_LABELS,
    PEOPLE_UNIT,
    PILLAR_LABELS,
    cjk_font,
    factor_label,
    gdp_unit,
    latin_text,
    outcome_label,
    outcome_unit,
    people_unit,
    place_name,
    save_figure,
    style,
    styled,
    use_cjk,
)

__all__ = [
    "CHINESE_NAMES",
    "COLOURS",
    "ENGLISH_NAMES",
    "GDP_UNIT",
    "INDEX_LABELS",
    "LABEL_OFFSETS",
    "LATIN_UNITS",
    "MOMENT_TITLES",
    "MOMENT_UNITS",
    "NON_NEGATIVE_INDICES",
    "OUTCOME_LABELS",
    "PEOPLE_UNIT",
    "PILLAR_LABELS",
    "SECTOR_LABELS",
    "SHARE_INDICES",
    "TOP",
    "attribution_waterfall",
    "backtest_fans",
    "calibration_fit",
    "cjk_font",
    "corridor_map",
    "discovery_boxes",
    "external_inflow",
    "factor_label",
    "gdp_fan",
    "gdp_unit",
    "hindcast",
    "index_interval",
    "latin_text",
    "loss_profiles",
    "morris_mu_sigma",
    "net_flows",
    "outcome_by_factor",
    "outcome_label",
    "outcome_unit",
    "p_top30_by_year",
    "paired_difference",
    "people_unit",
    "place_name",
    "prim_trajectory",
    "published_gdp",
    "rank_fan",
    "rank_history",
    "save_figure",
    "scenario_gdp_medians",
    "sector_share_table",
    "sector_shares",
    "sensitivity_indices",
    "shaoxing_outline",
    "shapley_waterfall_table",
    "style",
    "styled",
    "use_cjk",
    "wilson_interval",
]
