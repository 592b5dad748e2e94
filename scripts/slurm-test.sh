#!/usr/bin/env bash
# Integration test of the Slurm job array (issue 7): installs Debian's
# slurm-wlm and munge, starts munged, slurmctld and slurmd on localhost
# (no systemd: the daemons are started directly), submits the job script
# that `simulate slurm` writes for experiments/testdata/tiny.toml, waits for
# the array and the dependent merge job by polling squeue, checks that the
# merged results.csv, stats.csv and expectations.csv are byte-identical to
# an unsharded local run, and stops the daemons it started (on any exit).
#
# Slurm runs from a private configuration (SLURM_CONF in a temporary
# folder, its own ports and state), so the test never touches a cluster's
# /etc/slurm; an already running munged is used as it is and left alone.
# It needs root and apt-get, and skips (exit 0) with a message where Slurm
# cannot be installed. Set KEEP=1 to keep the temporary folder.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:/usr/local/go/bin:/usr/sbin:/sbin"

TASKS=${TASKS:-5}         # array tasks for tiny.toml's 12 runs
TIMEOUT_S=${TIMEOUT_S:-120} # the jobs take a few seconds; this is a guard

say() { echo "slurm-test: $*"; }
now_ms() { echo $(($(date +%s%N) / 1000000)); }
since() { local d=$(($(now_ms) - $1)); echo "$((d / 1000)).$((d % 1000 / 100))"; } # seconds, one decimal
skip() { say "SKIP: $*"; exit 0; }

# --- install -------------------------------------------------------------
need_install() {
	for c in sbatch squeue scontrol sinfo slurmctld slurmd munged munge unmunge; do
		command -v "$c" >/dev/null 2>&1 || return 0
	done
	return 1
}
if need_install; then
	[ "$(id -u)" = 0 ] || skip "Slurm is not installed and installing it needs root"
	command -v apt-get >/dev/null 2>&1 || skip "Slurm is not installed and there is no apt-get to install it"
	say "installing slurm-wlm and munge with apt-get"
	apt_install() { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends slurm-wlm munge >/dev/null 2>&1; }
	# apt's attempt to start the services fails where there is no init
	# system; that is harmless, the binaries are what we need.
	apt_install || { apt-get update -qq >/dev/null 2>&1 && apt_install; } || true
	need_install && skip "could not install slurm-wlm and munge with apt-get (no network or no such packages)"
fi
[ "$(id -u)" = 0 ] || skip "starting slurmd needs root"

T=$(mktemp -d /tmp/dreamsim-slurm-test.XXXXXX)
chmod 0755 "$T"
export SLURM_CONF="$T/slurm.conf"
started_munged=""
cleanup() {
	set +e
	if [ -f "$T/slurmctld.pid" ] || [ -f "$T/slurmd.pid" ]; then
		scontrol shutdown >/dev/null 2>&1
		for _ in $(seq 50); do
			alive=""
			for f in "$T/slurmctld.pid" "$T/slurmd.pid"; do
				[ -f "$f" ] && kill -0 "$(cat "$f")" 2>/dev/null && alive=1
			done
			[ -z "$alive" ] && break
			sleep 0.2
		done
		for f in "$T/slurmctld.pid" "$T/slurmd.pid"; do
			[ -f "$f" ] && kill -0 "$(cat "$f")" 2>/dev/null && kill "$(cat "$f")"
		done
	fi
	if [ -n "$started_munged" ] && [ -f /run/munge/munged.pid ]; then
		kill "$(cat /run/munge/munged.pid)" 2>/dev/null
	fi
	if [ -n "${KEEP:-}" ]; then say "kept $T"; else rm -rf "$T"; fi
}
trap cleanup EXIT
fail() {
	say "FAIL: $*" >&2
	for f in "$T"/slurmctld.log "$T"/slurmd.log "$T"/cluster.shards/logs/*; do
		[ -f "$f" ] || continue
		echo "--- $f (last lines)" >&2
		tail -n 20 "$f" >&2
	done
	exit 1
}

# --- start the daemons ----------------------------------------------------
t0=$(now_ms)
if munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
	say "using the munged already running"
else
	[ -f /etc/munge/munge.key ] || fail "munge is installed but /etc/munge/munge.key is missing"
	mkdir -p /run/munge && chown munge:munge /run/munge && chmod 0755 /run/munge
	runuser -u munge -- /usr/sbin/munged || fail "munged did not start"
	started_munged=1
	munge -n | unmunge >/dev/null || fail "munge does not work"
fi

cpus=$(nproc)
mem=$(( $(free -m | awk '/^Mem:/ {print $2}') * 9 / 10 ))
cat >"$SLURM_CONF" <<EOF
ClusterName=dreamsimtest
SlurmctldHost=localhost
SlurmctldPort=16817
SlurmdPort=16818
SlurmUser=root
AuthType=auth/munge
CredType=cred/munge
MpiDefault=none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
StateSaveLocation=$T/slurmctld
SlurmdSpoolDir=$T/slurmd
SlurmctldPidFile=$T/slurmctld.pid
SlurmdPidFile=$T/slurmd.pid
SlurmctldLogFile=$T/slurmctld.log
SlurmdLogFile=$T/slurmd.log
NodeName=localhost NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP
SchedulerParameters=batch_sched_delay=0,sched_min_interval=0
EOF
mkdir -p "$T/slurmctld" "$T/slurmd"
slurmctld -f "$SLURM_CONF" || fail "slurmctld did not start"
slurmd -f "$SLURM_CONF" -N localhost || fail "slurmd did not start"
for _ in $(seq 100); do
	state=$(sinfo -h -o %T 2>/dev/null || true)
	[ "$state" = idle ] && break
	sleep 0.2
done
[ "$state" = idle ] || fail "the node is not idle (sinfo says '${state:-nothing}')"
say "slurmctld and slurmd up in $(since "$t0") s ($cpus CPUs, $mem MB)"

# --- the experiment, locally and on the cluster ---------------------------
go build -o "$T/simulate" ./cmd/simulate
config=experiments/testdata/tiny.toml
"$T/simulate" -config "$config" -out "$T/local" -quiet >/dev/null 2>"$T/local.log" || { cat "$T/local.log" >&2; fail "the local run failed"; }
"$T/simulate" slurm -config "$config" -out "$T/cluster" -tasks "$TASKS" -time 10:00 -mem 500M -write "$T/job.sh" 2>/dev/null
(cd "$T" && bash job.sh) >"$T/submit.log" 2>&1 || { cat "$T/submit.log" >&2; fail "submitting the job script failed"; }
ids=$(sed -n 's/^dreamsim: submitted job array \([0-9]*\) .* merge job \([0-9]*\)$/\1,\2/p' "$T/submit.log")
[ -n "$ids" ] || { cat "$T/submit.log" >&2; fail "no job ids in the submission's output"; }
say "submitted array and merge jobs $ids"
t1=$(now_ms)
deadline=$(( $(date +%s) + TIMEOUT_S ))
while [ -n "$(squeue -h -j "$ids" 2>/dev/null)" ]; do
	[ "$(date +%s)" -lt "$deadline" ] || { squeue -j "$ids" >&2; fail "the jobs did not finish in $TIMEOUT_S s"; }
	sleep 0.25
done
say "array and merge finished in $(since "$t1") s"
merge=${ids#*,}
scontrol show job "$merge" 2>/dev/null | grep -q 'JobState=COMPLETED' || fail "the merge job did not complete: $(scontrol show job "$merge" 2>&1 | grep -o 'JobState=[A-Z_]*' || true)"

# --- checks -------------------------------------------------------------
for i in $(seq 0 $((TASKS - 1))); do
	m="$T/cluster.shards/shard-$i-of-$TASKS/manifest.json"
	grep -q "\"shard\": \"$i/$TASKS\"" "$m" 2>/dev/null || fail "shard $i: $m does not say shard $i/$TASKS"
done
for f in results.csv stats.csv expectations.csv; do
	cmp "$T/local/$f" "$T/cluster/$f" || { diff "$T/local/$f" "$T/cluster/$f" | head -20 >&2; fail "$f of the cluster run differs from the local run"; }
done
say "PASS: $TASKS array tasks merged equal the unsharded run (results.csv, stats.csv, expectations.csv byte-identical)"
