#!/usr/bin/env bash
# Stops the test cluster that .ci/slurm-up.sh started: TERM to slurmd, slurmctld and munged (only the
# munged it started itself), by the pids in $DROPACT_SLURM_DIR/env, in that order, waiting for each;
# then removes that state folder. Does nothing when there is no such state.
set -uo pipefail

STATE="${DROPACT_SLURM_DIR:-/tmp/dropact-slurm}"
ENV_FILE="$STATE/env"
[ -f "$ENV_FILE" ] || [ -f "$ENV_FILE.partial" ] || { echo "slurm-down: nothing to stop ($ENV_FILE not found)" >&2; exit 0; }

SLURMD_PID="" SLURMCTLD_PID="" MUNGED_PID=""
# shellcheck disable=SC1090
[ -f "$ENV_FILE" ] && . "$ENV_FILE"
# shellcheck disable=SC1090
[ -f "$ENV_FILE.partial" ] && . "$ENV_FILE.partial"

stop() {
    local name="$1" pid="$2"
    [ -n "$pid" ] || return 0
    kill -0 "$pid" 2>/dev/null || return 0
    kill -TERM "$pid" 2>/dev/null
    for _ in $(seq 100); do
        kill -0 "$pid" 2>/dev/null || { echo "slurm-down: stopped $name ($pid)" >&2; return 0; }
        sleep 0.1
    done
    echo "slurm-down: $name ($pid) ignored TERM for 10 s: KILL" >&2
    kill -KILL "$pid" 2>/dev/null
}

stop slurmd "$SLURMD_PID"
stop slurmctld "$SLURMCTLD_PID"
stop munged "$MUNGED_PID"
rm -rf "$STATE"
exit 0
