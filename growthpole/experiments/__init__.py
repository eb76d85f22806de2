"""Experiments: sweeps declared as data, executed on swappable backends, stored as Parquet.

The layout follows the EMA Workbench split (experiments are data; execution backends are
swapped without touching the model) and black-it's one-folder-per-swappable-part habit:

- :mod:`~growthpole.experiments.design`: samples of factor values (full grid, Latin
  hypercube, Sobol sequence, Saltelli and Morris designs).
- :mod:`~growthpole.experiments.sweep`: the sweep YAML file -> a validated :class:`Sweep`
  -> a table of runs (variant x replication), each with a content-addressed ``run_id``.
- :mod:`~growthpole.experiments.base`: the executor interface; :mod:`.execute`: the serial
  and Dask (local cluster, existing scheduler, SLURM/PBS via dask-jobqueue) backends and the
  sweep driver.
- :mod:`~growthpole.experiments.store`: partitioned Parquet results and the manifest.
- :mod:`~growthpole.experiments.sensitivity`, :mod:`.attribution`, :mod:`.discovery`:
  Sobol/Morris indices, Shapley attribution over policy pillars, scenario discovery boxes.
"""
