#!/usr/bin/env bash
# A single-node SLURM on localhost for the cluster test (make test-cluster).
#   .ci/slurm.sh start   install slurm-wlm + munge (Debian, as root), configure, start daemons
#   .ci/slurm.sh stop    stop the daemons
# Exit status 3 means "cannot run here" (not root, no apt-get): the caller skips with a reason.
set -euo pipefail
STATE=${SLURM_STATE:-/tmp/growthpole-slurm}
action=${1:-start}

# the daemons this script started, by the process ids in their pid files (never by name)
MUNGE_PID=/run/munge/munged.pid
stop_pid_file() {
    local file=$1 pid
    [ -s "$file" ] || return 0
    pid=$(cat "$file")
    if kill "$pid" 2>/dev/null; then
        for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    fi
    rm -f "$file"
}
stop() {
    stop_pid_file "$STATE/slurmd.pid"
    stop_pid_file "$STATE/slurmctld.pid"
    stop_pid_file "$MUNGE_PID"
}

if [ "$action" = stop ]; then stop; exit 0; fi

if [ "$(id -u)" != 0 ]; then echo "not root: cannot install or start SLURM" >&2; exit 3; fi
if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
    command -v apt-get >/dev/null || { echo "no apt-get: cannot install slurm-wlm" >&2; exit 3; }
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq slurm-wlm munge) \
        >/dev/null || { echo "apt-get could not install slurm-wlm munge" >&2; exit 3; }
fi
stop
mkdir -p "$STATE"/{spool,ctld,log} /etc/slurm /etc/munge /run/munge /var/log/munge /var/lib/munge
chown -R munge:munge /etc/munge /run/munge /var/log/munge /var/lib/munge 2>/dev/null || true
if [ ! -s /etc/munge/munge.key ]; then
    dd if=/dev/urandom bs=1 count=1024 of=/etc/munge/munge.key status=none
fi
chown munge:munge /etc/munge/munge.key 2>/dev/null || true
chmod 400 /etc/munge/munge.key
runuser -u munge -- /usr/sbin/munged --force 2>/dev/null || /usr/sbin/munged --force
host=$(hostname -s)
cpus=$(nproc)
memory=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 - 1024 ))
cat > /etc/slurm/slurm.conf <<CONF
# growthpole CI: one node on this machine, no accounting (.ci/slurm.sh)
ClusterName=growthpole-ci
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
StateSaveLocation=$STATE/ctld
SlurmdSpoolDir=$STATE/spool
SlurmctldPidFile=$STATE/slurmctld.pid
SlurmdPidFile=$STATE/slurmd.pid
SlurmctldLogFile=$STATE/log/slurmctld.log
SlurmdLogFile=$STATE/log/slurmd.log
SlurmctldPort=6817
SlurmdPort=6818
MpiDefault=none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$memory State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP OverSubscribe=YES
CONF
/usr/sbin/slurmctld
/usr/sbin/slurmd
for _ in $(seq 1 30); do
    if sinfo -h -o '%T' 2>/dev/null | grep -qE 'idle|mix|alloc'; then
        sinfo; exit 0
    fi
    scontrol update nodename="$host" state=resume >/dev/null 2>&1 || true
    sleep 1
done
echo "SLURM did not come up; logs in $STATE/log" >&2
tail -5 "$STATE"/log/*.log >&2 || true
exit 1
