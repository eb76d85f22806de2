"""Experimental designs: the factor values of every variant of a sweep.

A design is a matrix ``X`` (variants x factors) in the factors' own units. Methods:

``grid``
    Full factorial grid: each factor's listed ``values`` (or ``levels`` evenly spaced points
    of its range), all combinations (``itertools.product`` order, first factor slowest).
``latin_hypercube``
    ``samples`` points of a Latin hypercube (McKay, Beckman & Conover 1979) via
    :class:`scipy.stats.qmc.LatinHypercube`, scaled to the ranges.
``sobol``
    ``samples`` points (a power of two) of a scrambled Sobol' low-discrepancy sequence
    (Sobol' 1967; Owen scrambling) via :class:`scipy.stats.qmc.Sobol`: space filling, for
    exploration and scenario discovery.
``saltelli``
    Saltelli's (2002, 2010) cross-sampling design for first- and total-order Sobol' indices,
    ``samples`` x (k + 2) variants (``SALib.sample.sobol``, second-order terms off).
``morris``
    ``samples`` Morris (1991) one-at-a-time trajectories on a ``levels``-level grid,
    ``samples`` x (k + 1) variants (``SALib.sample.morris``, Campolongo et al. 2007).

Every stochastic design takes an explicit integer ``seed``: the same sweep file always
yields the same design, which is what makes run ids content-addressed and resumable.
"""

from __future__ import annotations

import itertools
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

DESIGN_METHODS: tuple[str, ...] = ("grid", "latin_hypercube", "sobol", "saltelli", "morris")
#: methods whose variants SALib can turn into sensitivity indices (growthpole sensitivity)
SENSITIVITY_METHODS: dict[str, str] = {"saltelli": "sobol", "morris": "morris"}


@dataclass(frozen=True)
class FactorSpace:
    """Names, ranges and (for grids) listed values of a design's factors."""

    names: tuple[str, ...]
    lower: tuple[float, ...]
    upper: tuple[float, ...]
    values: tuple[tuple[float, ...] | None, ...]

    @property
    def dimension(self) -> int:
        return len(self.names)

    def problem(self) -> dict[str, object]:
        """The SALib ``problem`` dictionary."""
        return {
            "num_vars": self.dimension,
            "names": list(self.names),
            "bounds": [[lo, hi] for lo, hi in zip(self.lower, self.upper, strict=True)],
        }


def is_power_of_two(n: int) -> bool:
    return n >= 1 and (n & (n - 1)) == 0


def variant_count(
    method: str,
    dimension: int,
    *,
    samples: int | None,
    levels: int | None,
    grid_sizes: Sequence[int] = (),
) -> int:
    """How many variants a design has (before replications)."""
    if method == "grid":
        return int(np.prod(grid_sizes)) if grid_sizes else 1
    if method == "saltelli":
        return _samples(samples) * (dimension + 2)
    if method == "morris":
        return _samples(samples) * (dimension + 1)
    return _samples(samples)


def _samples(samples: int | None) -> int:
    """``samples`` of a method that needs it (the sweep file's checks require it there)."""
    if samples is None:
        raise TypeError("this design method needs samples")
    return int(samples)


def sample_design(
    method: str,
    space: FactorSpace,
    *,
    samples: int | None = None,
    levels: int | None = None,
    seed: int = 0,
) -> np.ndarray:
    """The design matrix (variants x factors), in the factors' units."""
    k = space.dimension
    lower = np.asarray(space.lower, dtype=float)
    upper = np.asarray(space.upper, dtype=float)
    if method == "grid":
        axes = []
        for i in range(k):
            listed = space.values[i]
            if listed is not None:
                axes.append(np.asarray(listed, dtype=float))
            else:
                axes.append(np.linspace(lower[i], upper[i], int(levels or 2)))
        rows = list(itertools.product(*axes))
        return np.asarray(rows, dtype=float).reshape(len(rows), k)
    if method == "latin_hypercube":
        from scipy.stats import qmc

        unit = qmc.LatinHypercube(d=k, rng=np.random.default_rng(seed)).random(_samples(samples))
        return lower + unit * (upper - lower)
    if method == "sobol":
        from scipy.stats import qmc

        sampler = qmc.Sobol(d=k, scramble=True, rng=np.random.default_rng(seed))
        unit = sampler.random_base2(int(np.log2(_samples(samples))))
        return lower + unit * (upper - lower)
    if method == "saltelli":
        from SALib.sample import sobol as saltelli_sample

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return np.asarray(
                saltelli_sample.sample(
                    space.problem(), _samples(samples), calc_second_order=False, seed=seed
                ),
                dtype=float,
            )
    if method == "morris":
        from SALib.sample import morris as morris_sample

        return np.asarray(
            morris_sample.sample(
                space.problem(), _samples(samples), num_levels=int(levels or 4), seed=seed
            ),
            dtype=float,
        )
    raise ValueError(f"unknown design method {method!r}; allowed: {', '.join(DESIGN_METHODS)}")
