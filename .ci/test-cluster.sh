#!/usr/bin/env bash
# make test-cluster: `growthpole sweep --cluster slurm` on a real single-node SLURM.
# Starts SLURM on localhost (.ci/slurm.sh: installs slurm-wlm + munge from Debian as root),
# runs tests/test_cluster_slurm.py (the sweep through dask-jobqueue equals the LocalCluster
# one; a worker job cancelled with scancel mid-sweep loses and duplicates nothing), and stops
# the daemons whatever happens. Where SLURM cannot run (not root, no apt-get) it prints
# "skipped: <reason>" and exits 0.
set -uo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-.venv/bin/python}
log=$(mktemp)
.ci/slurm.sh start >"$log" 2>&1
status=$?
if [ "$status" = 3 ]; then
    echo "skipped: make test-cluster: $(tail -1 "$log")"
    rm -f "$log"
    exit 0
fi
if [ "$status" != 0 ]; then
    cat "$log" >&2
    rm -f "$log"
    echo "make test-cluster: SLURM did not start" >&2
    exit 1
fi
rm -f "$log"
trap '.ci/slurm.sh stop' EXIT
GROWTHPOLE_TEST_CLUSTER=slurm "$PYTHON" -m pytest -q -m cluster -rs --durations=5 \
    tests/test_cluster_slurm.py "$@"
