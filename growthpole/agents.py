"""Mesa agents as views onto the model's columnar state, and the registry that keeps
``model.agents`` in step with it.

``Firm``, ``Talent`` and ``Platform`` are :class:`mesa.Agent` subclasses whose attributes
read and write rows of the model's NumPy tables (growthpole.state). The model's step runs on
the arrays and never touches a view, so the hot path stays columnar.

:class:`AgentViews` is the lazy side: whenever Mesa code reads ``model.agents``,
``model.agents_by_type`` or ``model.agent_types`` (a DataCollector with agent reporters,
SolaraViz, a user's loop), the registry compares the live ids of each table with the views
it holds (one NumPy set difference per table), registers one view for each agent that
appeared since the last read and removes (Mesa ``Agent.remove``) the view of each agent that
exited. A view is therefore registered once for the agent's whole life, keeps its Mesa
``unique_id``, and ``model.agents`` holds exactly the live agents. Nothing of this runs
unless someone reads the agents.

A view holds the agent's stable table id (``agent_id``) and finds its row on access by binary
search (ids are strictly increasing along the rows of a table: rows are appended with new
ids and compaction keeps their order). Reading or writing an attribute of an agent that has
exited raises :class:`AgentExitedError`, which says which agent and since when.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

import mesa
import numpy as np

from growthpole.regions import REGIONS, SECTORS, SKILLS

if TYPE_CHECKING:
    from growthpole.model import GrowthPoleModel
    from growthpole.state import AgentTable


class AgentExitedError(LookupError):
    """The view's agent is no longer in the model (a firm exited or was closed)."""


class _ArrayView(mesa.Agent):
    """Base class: attribute access goes to the row of ``agent_id`` in ``table``."""

    table_name: ClassVar[str] = ""
    agent_kind: ClassVar[str] = ""
    fields: ClassVar[tuple[str, ...]] = ()

    def __init__(self, model: GrowthPoleModel, agent_id: int) -> None:
        super().__init__(model)
        object.__setattr__(self, "agent_id", int(agent_id))
        object.__setattr__(self, "exited_by", None)

    @property
    def _table(self) -> AgentTable:
        return getattr(self.model.state, self.table_name)

    def _find_row(self) -> int | None:
        """Row of this agent if it is alive, else None (:meth:`AgentTable.row_of`)."""
        table = self._table
        try:
            row = table.row_of(self.agent_id)
        except KeyError:
            return None
        return row if table.alive[row] else None

    def _row(self) -> int:
        row = self._find_row()
        if row is None:
            when = (
                f" (it had exited by the year {self.exited_by})"
                if self.exited_by is not None
                else ""
            )
            raise AgentExitedError(
                f"{self.agent_kind} agent {self.agent_id} (Mesa unique_id {self.unique_id}) "
                f"has exited the model{when}: its view no longer reads any state. "
                f"model.agents holds the live agents only; check view.alive before reading "
                f"a kept view."
            )
        return row

    @property
    def alive(self) -> bool:
        return self._find_row() is not None

    def __getattr__(self, name: str):
        if name in type(self).fields:
            return self._table.columns[name][self._row()].item()
        raise AttributeError(name)

    def __setattr__(self, name: str, value) -> None:
        if name in type(self).fields:
            self._table.columns[name][self._row()] = value
        else:
            super().__setattr__(name, value)

    def as_dict(self) -> dict[str, object]:
        return {"id": self.agent_id, **{f: getattr(self, f) for f in type(self).fields}}

    def step(self) -> None:  # pragma: no cover - the model steps the arrays, not agents
        raise RuntimeError("growthpole agents are views; step the model, not the agents")

    def __repr__(self) -> str:
        state = "alive" if self.alive else "exited"
        return f"<{type(self).__name__} {self.agent_id} ({state})>"


class Firm(_ArrayView):
    """A firm agent (a group of real firms of one sector in one place).

    Attributes (units, as in :class:`growthpole.state.FirmTable`): capital 亿元, skilled and
    unskilled persons employed, land_mu 亩, value_added and profit 亿元/yr (real), age years."""

    table_name = "firms"
    agent_kind = "firm"
    fields = (
        "region",
        "platform",
        "sector",
        "log_tfp",
        "capital",
        "skilled",
        "unskilled",
        "land_mu",
        "emission_intensity",
        "digital",
        "clustered",
        "age",
        "value_added",
        "profit",
        "low_efficiency",
    )

    @property
    def region_name(self) -> str:
        return REGIONS[self.region]

    @property
    def sector_name(self) -> str:
        return SECTORS[self.sector]


class Talent(_ArrayView):
    """A talent agent (people_per_agent residents of one skill)."""

    table_name = "talent"
    agent_kind = "talent"
    fields = ("region", "skill", "moves")

    @property
    def region_name(self) -> str:
        return REGIONS[self.region]

    @property
    def skill_name(self) -> str:
        return SKILLS[self.skill]


class Platform(_ArrayView):
    """A development platform (land in 亩)."""

    table_name = "platforms"
    agent_kind = "platform"
    fields = (
        "region",
        "kind",
        "capacity_mu",
        "used_mu",
        "base_capacity_mu",
        "full_capacity_mu",
        "sector_mask",
        "opening_year",
        "subsidy",
        "star",
    )

    @property
    def region_name(self) -> str:
        return REGIONS[self.region]


#: view classes in registration order (firms, then talent, then platforms)
VIEW_CLASSES: tuple[type[_ArrayView], ...] = (Firm, Talent, Platform)


class AgentViews:
    """One Mesa view per live agent, registered with the model once and removed on exit.

    :meth:`sync` brings the registry in line with the tables; the model calls it whenever
    its Mesa agent collections are read. It costs one set difference per table when nothing
    changed, and a Python loop over the agents that entered or exited since the last read
    (never over all agents, and never inside the model's step)."""

    def __init__(self, model: GrowthPoleModel) -> None:
        self.model = model
        self.views: dict[str, dict[int, _ArrayView]] = {c.table_name: {} for c in VIEW_CLASSES}
        self.known: dict[str, np.ndarray] = {
            c.table_name: np.zeros(0, np.int64) for c in VIEW_CLASSES
        }
        self._synced: tuple | None = None

    def _version(self) -> tuple:
        state = self.model.state
        tables = tuple(
            (t.size, t.next_id, t.count) for t in (state.firms, state.talent, state.platforms)
        )
        return (self.model.year, self.model.steps, tables)

    def sync(self) -> None:
        version = self._version()
        if version == self._synced:
            return
        for view_class in VIEW_CLASSES:
            name = view_class.table_name
            table = getattr(self.model.state, name)
            live_ids = table.ids[: table.size][table.live]
            known = self.known[name]
            views = self.views[name]
            for agent_id in np.setdiff1d(known, live_ids, assume_unique=True).tolist():
                view = views.pop(agent_id)
                object.__setattr__(view, "exited_by", self.model.year)
                view.remove()
            for agent_id in np.setdiff1d(live_ids, known, assume_unique=True).tolist():
                views[agent_id] = view_class(self.model, agent_id)
            self.known[name] = np.sort(live_ids)
        self._synced = self._version()

    def of_kind(self, view_class: type[_ArrayView], limit: int | None = None) -> list:
        """The registered views of one class in id order (at most ``limit``)."""
        self.sync()
        views = self.views[view_class.table_name]
        ids = self.known[view_class.table_name][:limit]
        return [views[int(i)] for i in ids]
