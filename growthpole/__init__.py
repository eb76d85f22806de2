"""growthpole: an agent-based model (Mesa) of firms, talent and development platforms in
Shaoxing's six county-level units and the Hangzhou-Ningbo-Shanghai corridor.

Quick use::

    from growthpole import load_scenario, run_scenario
    result = run_scenario(load_scenario("scenarios/baseline.yaml"), replications=5)
    result.city_year          # one row per replication, year and region
"""

from importlib import metadata

try:
    __version__ = metadata.version("growthpole")
except metadata.PackageNotFoundError:  # pragma: no cover - source tree without install
    __version__ = "0.0.0"

from growthpole.errors import GrowthpoleError
from growthpole.scenario import Scenario, build_scenario, load_scenario


def run_scenario(*args, **kwargs):
    """See :func:`growthpole.runner.run_scenario`."""
    from growthpole.runner import run_scenario as _run

    return _run(*args, **kwargs)


__all__ = [
    "GrowthpoleError",
    "Scenario",
    "__version__",
    "build_scenario",
    "load_scenario",
    "run_scenario",
]
