"""Mesa agents as views onto the model's columnar state.

``Firm``, ``Talent`` and ``Platform`` are :class:`mesa.Agent` subclasses whose attributes
read and write rows of the model's NumPy tables (growthpole.state). They are built on demand
by :meth:`GrowthPoleModel.firm_agents` and friends, for inspection in notebooks and the app,
and never on the hot path: the model's step runs on the arrays. A view holds the agent's
stable id and finds its row on access, so it stays valid across compaction and reports
``alive = False`` once the agent has exited.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

import mesa

from growthpole.regions import REGIONS, SECTORS, SKILLS

if TYPE_CHECKING:
    from growthpole.model import GrowthPoleModel
    from growthpole.state import AgentTable


class _ArrayView(mesa.Agent):
    """Base class: attribute access goes to the row of ``agent_id`` in ``table``."""

    table_name: ClassVar[str] = ""
    fields: ClassVar[tuple[str, ...]] = ()

    def __init__(self, model: GrowthPoleModel, agent_id: int) -> None:
        super().__init__(model)
        object.__setattr__(self, "agent_id", int(agent_id))

    @property
    def _table(self) -> AgentTable:
        return getattr(self.model.state, self.table_name)

    def _row(self) -> int:
        return self._table.row_of(self.agent_id)

    @property
    def alive(self) -> bool:
        try:
            return bool(self._table.alive[self._row()])
        except KeyError:
            return False

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


class Firm(_ArrayView):
    """A firm agent (a group of real firms of one sector in one place)."""

    table_name = "firms"
    fields = ("region", "platform", "sector", "log_tfp", "capital", "skilled", "unskilled",
              "land_mu", "emission_intensity", "digital", "clustered", "age", "value_added",
              "profit", "low_efficiency")

    @property
    def region_name(self) -> str:
        return REGIONS[self.region]

    @property
    def sector_name(self) -> str:
        return SECTORS[self.sector]


class Talent(_ArrayView):
    """A talent agent (people_per_agent residents of one skill)."""

    table_name = "talent"
    fields = ("region", "skill", "moves")

    @property
    def region_name(self) -> str:
        return REGIONS[self.region]

    @property
    def skill_name(self) -> str:
        return SKILLS[self.skill]


class Platform(_ArrayView):
    """A development platform."""

    table_name = "platforms"
    fields = ("region", "kind", "capacity_mu", "used_mu", "base_capacity_mu",
              "full_capacity_mu", "sector_mask", "opening_year", "subsidy", "star")

    @property
    def region_name(self) -> str:
        return REGIONS[self.region]
