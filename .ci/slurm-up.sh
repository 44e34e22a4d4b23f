#!/usr/bin/env bash
# Starts a real single-node Slurm cluster (Debian's slurmctld, slurmd, munge) on this machine for the
# sweep tests: configuration, state and logs in one temporary folder, the node on loopback only
# (127.0.0.1), no systemd, no cgroups. Installs the packages first when they are missing (as root).
# Writes what it started to $DROPACT_SLURM_DIR/env (default /tmp/dropact-slurm/env):
#   SLURM_CONF=...  and the pids of the daemons it started; .ci/slurm-down.sh stops exactly those.
# Idempotent: when that cluster is already up it only says so. Never two clusters at once: ports
# 6817/6818 and /run/munge belong to one.
set -euo pipefail

STATE="${DROPACT_SLURM_DIR:-/tmp/dropact-slurm}"
ENV_FILE="$STATE/env"
CONF="$STATE/slurm.conf"

say() { echo "slurm-up: $*" >&2; }
die() { say "error: $*"; exit 1; }
alive() { [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null; }

# Already up?
if [ -f "$ENV_FILE" ]; then
    # shellcheck disable=SC1090
    . "$ENV_FILE"
    if alive "${SLURMCTLD_PID:-}" && alive "${SLURMD_PID:-}" \
        && SLURM_CONF="$CONF" timeout 20 sinfo -h -o %T 2>/dev/null | grep -qx idle; then
        say "already up (SLURM_CONF=$CONF)"
        exit 0
    fi
    say "stale state in $STATE: stopping what it recorded first"
    "$(dirname "$0")/slurm-down.sh"
fi

# Install what is missing.
need=()
for tool in slurmctld slurmd sbatch squeue scontrol sinfo munged munge unmunge; do
    command -v "$tool" >/dev/null 2>&1 || need+=("$tool")
done
if [ "${#need[@]}" -gt 0 ]; then
    [ "$(id -u)" -eq 0 ] || die "missing ${need[*]} and not root: install slurmctld slurmd slurm-client munge first"
    command -v apt-get >/dev/null 2>&1 || die "missing ${need[*]} and no apt-get to install slurmctld slurmd slurm-client munge"
    say "installing slurmctld slurmd slurm-client munge (missing: ${need[*]})"
    made_policy=0
    if [ ! -e /usr/sbin/policy-rc.d ]; then
        # Keep the packages from starting their own daemons: this script starts what it needs.
        printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
        chmod 755 /usr/sbin/policy-rc.d
        made_policy=1
    fi
    export DEBIAN_FRONTEND=noninteractive
    if ! apt-get install -y --no-install-recommends slurmctld slurmd slurm-client munge >"/tmp/dropact-slurm-apt.log" 2>&1; then
        apt-get update >>"/tmp/dropact-slurm-apt.log" 2>&1 || true
        apt-get install -y --no-install-recommends slurmctld slurmd slurm-client munge >>"/tmp/dropact-slurm-apt.log" 2>&1 \
            || { tail -n 20 /tmp/dropact-slurm-apt.log >&2; [ "$made_policy" -eq 1 ] && rm -f /usr/sbin/policy-rc.d; die "apt-get install failed (log: /tmp/dropact-slurm-apt.log)"; }
    fi
    [ "$made_policy" -eq 1 ] && rm -f /usr/sbin/policy-rc.d
    for tool in slurmctld slurmd sbatch squeue scontrol sinfo munged munge unmunge; do
        command -v "$tool" >/dev/null 2>&1 || die "still missing $tool after installing"
    done
fi
[ "$(id -u)" -eq 0 ] || die "slurmd must run as root here (SlurmUser=root): run this script as root"

# Ports must be free: one cluster per machine.
if command -v ss >/dev/null 2>&1 && ss -ltnH '( sport = :6817 or sport = :6818 )' | grep -q .; then
    die "ports 6817/6818 are in use: another Slurm runs here (stop it first)"
fi

mkdir -p "$STATE/ctld-state" "$STATE/d-spool"
: > "$ENV_FILE.partial"

# munge: a key, the socket folder, munged as user munge (unless one already answers).
MUNGED_PID=""
if echo ok | munge 2>/dev/null | unmunge >/dev/null 2>&1; then
    say "using the munged already running"
else
    if [ ! -s /etc/munge/munge.key ]; then
        mkdir -p /etc/munge
        dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 status=none
        chown munge:munge /etc/munge/munge.key
        chmod 400 /etc/munge/munge.key
    fi
    mkdir -p /run/munge && chown munge:munge /run/munge && chmod 755 /run/munge
    start-stop-daemon --start --background --make-pidfile --pidfile "$STATE/munged.pid" \
        --chuid munge --exec "$(command -v munged)" -- -F --force
    MUNGED_PID="$(cat "$STATE/munged.pid")"
    echo "MUNGED_PID=$MUNGED_PID" >> "$ENV_FILE.partial"
    for _ in $(seq 50); do
        echo ok | munge 2>/dev/null | unmunge >/dev/null 2>&1 && break
        sleep 0.2
    done
    echo ok | munge 2>/dev/null | unmunge >/dev/null 2>&1 || { mv "$ENV_FILE.partial" "$ENV_FILE"; "$(dirname "$0")/slurm-down.sh"; die "munged did not come up"; }
fi

cpus="$(nproc)"
mem_mib="$(awk '/^MemTotal:/ { printf "%d", $2 / 1024 - 1024 }' /proc/meminfo)"
[ "$mem_mib" -gt 512 ] || mem_mib=512
cat > "$CONF" <<CONF
# Written by .ci/slurm-up.sh: a single-node test cluster on loopback.
ClusterName=dropact-test
SlurmctldHost=localhost
SlurmctldPort=6817
SlurmdPort=6818
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
# A requeued job may start again after cred_expire + 1 seconds (default 120): short here so that the
# requeue test (a task that outlives its time limit) finishes in minutes.
AuthInfo=cred_expire=10
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
ReturnToService=2
MpiDefault=none
MailProg=/bin/true
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc=$STATE/jobcomp.txt
MinJobAge=3600
StateSaveLocation=$STATE/ctld-state
SlurmdSpoolDir=$STATE/d-spool
SlurmctldPidFile=$STATE/slurmctld.slurm.pid
SlurmdPidFile=$STATE/slurmd.slurm.pid
SlurmctldLogFile=$STATE/slurmctld.log
SlurmdLogFile=$STATE/slurmd.log
NodeName=localhost NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem_mib State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF

export SLURM_CONF="$CONF"
start-stop-daemon --start --background --make-pidfile --pidfile "$STATE/slurmctld.pid" \
    --exec "$(command -v slurmctld)" -- -D -i -f "$CONF"
SLURMCTLD_PID="$(cat "$STATE/slurmctld.pid")"
echo "SLURMCTLD_PID=$SLURMCTLD_PID" >> "$ENV_FILE.partial"
start-stop-daemon --start --background --make-pidfile --pidfile "$STATE/slurmd.pid" \
    --exec "$(command -v slurmd)" -- -D -N localhost -f "$CONF"
SLURMD_PID="$(cat "$STATE/slurmd.pid")"
echo "SLURMD_PID=$SLURMD_PID" >> "$ENV_FILE.partial"
{ echo "SLURM_CONF=$CONF"; cat "$ENV_FILE.partial"; } > "$ENV_FILE"
rm -f "$ENV_FILE.partial"

for _ in $(seq 120); do
    state="$(timeout 10 sinfo -h -o %T 2>/dev/null || true)"
    [ "$state" = "idle" ] && { say "up: node idle, SLURM_CONF=$CONF (state in $STATE)"; exit 0; }
    alive "$SLURMCTLD_PID" || break
    alive "$SLURMD_PID" || break
    sleep 0.5
done
say "the node never became idle (sinfo said: '${state:-nothing}'); last log lines:"
tail -n 15 "$STATE/slurmctld.log" "$STATE/slurmd.log" >&2 2>/dev/null || true
"$(dirname "$0")/slurm-down.sh"
exit 1
