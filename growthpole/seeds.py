"""Random streams: one SeedSequence per invocation, spawned in the parent.

``replication_seeds(seed, n)`` spawns one child per replication from the root
SeedSequence(seed) in the calling (parent) process. Replication r receives the same child in
every scenario (common random numbers). Inside a replication, named sub-streams are derived
deterministically by extending the child's spawn key (:func:`substream`), so that what one
mechanism draws never shifts another mechanism's stream, and workers need no shared state.
"""

from __future__ import annotations

import numpy as np

#: sub-stream indices inside one replication
INITIAL_STATE, YEARS, COMPETITORS, NATIONAL = 0, 1, 2, 3


def replication_seeds(seed: int, replications: int) -> list[np.random.SeedSequence]:
    """Children of SeedSequence(seed), one per replication (spawned in the parent)."""
    return np.random.SeedSequence(seed).spawn(replications)


def substream(parent: np.random.SeedSequence, *path: int) -> np.random.SeedSequence:
    """A deterministic child of ``parent`` at ``path`` (independent of spawn order)."""
    return np.random.SeedSequence(parent.entropy, spawn_key=(*parent.spawn_key, *path))


def generator(parent: np.random.SeedSequence, *path: int) -> np.random.Generator:
    return np.random.Generator(np.random.PCG64(substream(parent, *path)))


def seed_record(seq: np.random.SeedSequence) -> dict[str, object]:
    """JSON-serialisable description of a SeedSequence (for manifests)."""
    return {"entropy": str(seq.entropy), "spawn_key": list(seq.spawn_key)}


#: spawn keys under the root SeedSequence(seed) itself (not under a replication; replication
#: children have keys (r,) with r < 2**31): draws shared by replication r of every scenario
#: compared under one root seed (growthpole.uncertainty)
PARAMETER_DRAWS = 2**31 + 1  # θ_k, (PARAMETER_DRAWS, k)
COEFFICIENT_DRAWS = 2**31 + 2  # β_j, (COEFFICIENT_DRAWS, j)
UNCERTAINTY_BOOTSTRAP = 2**31 + 3  # the cluster bootstrap of the reports
