"""Importing a user's city GDP panel (e.g. a licensed CSMAR export or a yearbook panel).

The imported panel is stored, checked, in ``data/imported/`` (git-ignored: licensed data
stay on the user's machine) in the schema of data/city_gdp.csv, and the model uses it where
data/city_gdp.csv has no value (:func:`growthpole.data.active_city_panel`).

Accepted inputs: the tidy format of the reference panel (``year, city_code, gdp_100m_cny``
and optionally ``city_en``/``city``), or CSMAR's own export names (see CSMAR_COLUMNS).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from growthpole import data as data_module
from growthpole.errors import DataError
from growthpole.io import write_csv

#: CSMAR CRE_Gdpct export column -> tidy name
CSMAR_COLUMNS = {"Sgnyea": "year", "Ctnm": "city", "Ctcd": "city_code", "Gdp0101": "gdp_100m_cny"}


def read_panel(path: Path) -> pd.DataFrame:
    """Read a panel in either accepted format into the city_gdp.csv schema."""
    if not path.is_file():
        raise DataError("panel file does not exist", file=path)
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError,
            ValueError) as exc:
        raise DataError(f"corrupt CSV: {str(exc).splitlines()[0]}", file=path) from None
    raw = raw.rename(columns={k: v for k, v in CSMAR_COLUMNS.items() if k in raw.columns})
    if "city" not in raw.columns:
        raw["city"] = raw.get("city_en", raw.get("city_code", ""))
    needed = ("year", "city_code", "gdp_100m_cny")
    missing = [c for c in needed if c not in raw.columns]
    if missing:
        raise DataError(f"missing column(s) {', '.join(missing)}; expected the tidy format "
                        f"(year, city_code, gdp_100m_cny) or CSMAR names "
                        f"({', '.join(CSMAR_COLUMNS)})", file=path)
    frame = pd.DataFrame({
        "city_code": raw.city_code.str.strip(),
        "city": raw.city.astype(str).str.strip(),
        "year": raw.year.str.strip(),
        "gdp_100m_cny": raw.gdp_100m_cny.str.strip(),
        "vintage": raw.get("vintage", pd.Series("yearbook", index=raw.index)),
        "source": raw.get("source", pd.Series(f"imported from {path.name}", index=raw.index)),
    })
    # empty GDP cells are gaps, not zeros: drop them (never fill)
    frame = frame[frame.gdp_100m_cny != ""]
    numeric = pd.to_numeric(frame.gdp_100m_cny, errors="coerce")
    frame = frame[~(numeric <= 0)]  # CSMAR codes some missing values as 0
    return frame.reset_index(drop=True)


def import_panel(path: Path, *, overwrite: bool = False) -> tuple[Path, int]:
    frame = read_panel(path)
    checked = data_module.check_frame(frame, data_module.CITY_GDP, path)
    target = data_module.imported_panel_path()
    if target.exists() and not overwrite:
        raise DataError("a panel was already imported; pass --overwrite to replace it",
                        file=target)
    write_csv(target, frame.loc[checked.index])
    return target, len(checked)


