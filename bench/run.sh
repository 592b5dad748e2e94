#!/usr/bin/env bash
# run.sh: dreamsim's benchmark table (GitHub issue 9). Every number is a
# ratio of two measurements taken side by side in this one run, because
# the machine is shared and noisy; no absolute time is a target.
#
#   bench/run.sh            everything (the Brian2 peer part takes minutes)
#   bench/run.sh -no-peer   skip the Brian2 comparison
#
# Rows:
#   peer       dreamsim vs Brian2 on the 5-population Wilson-Cowan model (bench/peer.sh)
#   engine     concurrent / sequential executor, ns per tick, default brain, delays 1, 10, 100 ticks
#   night      simulated seconds per wall second at 1-ms and 10-ms ticks
#   sweep      runs per second with 2 workers / with 1 worker: 8 default nights,
#              whole process (figures and report included) and the runs alone
#   generative VAE training GFLOP/s / gonum Dense.Mul GFLOP/s at batch 64
#   memory     peak RSS of a 100-run experiment / of a 1-run experiment
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
cd "$root"
peer=1
[[ "${1:-}" == "-no-peer" ]] && peer=0
work=$(mktemp -d /tmp/dreamsim-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT

echo "# dreamsim benchmarks, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1 /proc/loadavg)"
echo

if [[ $peer == 1 ]]; then
	echo "## peer (bench/peer.sh)"
	"$here/peer.sh" | tail -n 12
	echo
fi

metric() { # metric BENCH_NAME UNIT < go test output
	awk -v name="$1" -v unit="$2" '$1 ~ name { for (i = 2; i < NF; i++) if ($(i+1) == unit) { s += $i; n++ } } END { if (n) printf "%.6g", s / n }'
}

echo "## engine and night (go test -bench, 3 interleaved repetitions)"
go test -run '^$' -bench 'Engine|Night' -benchtime 3x -count 3 ./experiments/ > "$work/engine.txt"
printf "| %-40s | %12s |\n" "measure" "ratio / rate"
printf "| %-40s | %12s |\n" "---" "---:"
for d in 1 10 100; do
	seq=$(metric "Engine/delay=$d/sequential" "ns/tick" < "$work/engine.txt")
	con=$(metric "Engine/delay=$d/concurrent" "ns/tick" < "$work/engine.txt")
	printf "| %-40s | %12s |\n" "concurrent / sequential time, delay $d" "$(awk -v a="$con" -v b="$seq" 'BEGIN { printf "%.2f", a / b }')"
done
for dt in 1ms 10ms; do
	printf "| %-40s | %12s |\n" "simulated s per wall s, dt $dt" "$(metric "Night/dt=$dt" "sim-s/wall-s" < "$work/engine.txt")"
done

echo
echo "## sweep and memory"
go build -o "$work/simulate" ./cmd/simulate
rss_run() { # rss_run ARGS...: runs simulate, prints "wall_s peak_rss_kb"; its stderr goes to $work/stderr
	local t0 t1 pid peak=0 r
	t0=$(date +%s.%N)
	"$work/simulate" -quiet "$@" > /dev/null 2> "$work/stderr" &
	pid=$!
	while kill -0 "$pid" 2>/dev/null; do
		r=$(awk '/VmHWM/ { print $2 }' "/proc/$pid/status" 2>/dev/null || echo 0)
		[[ -n "$r" && "$r" -gt "$peak" ]] && peak=$r
		sleep 0.05
	done
	wait "$pid"
	t1=$(date +%s.%N)
	echo "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }') $peak"
}
runs_s() { # seconds the runs took, from simulate's "N runs done (...) in X s"
	sed -n 's/.* runs done .* in \([0-9.]*\) s$/\1/p' "$work/stderr"
}
# A sweep of 8 default nights (about 1.5 s each): long enough that the
# figures and the report drawn at the end do not dominate.
# Two interleaved repetitions, summed, so that a burst of load from
# elsewhere hits both sides alike.
w1=0 w2=0 r1=0 r2=0
for rep in 1 2; do
	for n in 1 2; do
		rm -rf "$work/s$n"
		read -r w _ < <(rss_run -seeds 8 -workers "$n" -out "$work/s$n")
		r=$(runs_s)
		if [[ $n == 1 ]]; then w1=$(awk -v a="$w1" -v b="$w" 'BEGIN { print a + b }'); r1=$(awk -v a="$r1" -v b="$r" 'BEGIN { print a + b }')
		else w2=$(awk -v a="$w2" -v b="$w" 'BEGIN { print a + b }'); r2=$(awk -v a="$r2" -v b="$r" 'BEGIN { print a + b }'); fi
	done
	cmp -s "$work/s1/results.csv" "$work/s2/results.csv" || { echo "run.sh: results differ between 1 and 2 workers" >&2; exit 1; }
done
printf "| %-40s | %12s |\n" "runs/s, 2 / 1 workers, whole process" "$(awk -v a="$w1" -v b="$w2" 'BEGIN { printf "%.2f", a / b }')"
printf "| %-40s | %12s |\n" "runs/s, 2 / 1 workers, runs alone" "$(awk -v a="$r1" -v b="$r2" 'BEGIN { printf "%.2f", a / b }')"
read -r _ r1 < <(rss_run -seeds 1 -workers 1 -out "$work/m1")
read -r _ r100 < <(rss_run -config experiments/testdata/tiny.toml -seeds 34 -workers 2 -out "$work/m100")
read -r _ rt1 < <(rss_run -config experiments/testdata/tiny.toml -seeds 1 -workers 1 -out "$work/mt1")
printf "| %-40s | %12s |\n" "peak RSS, one default night (MB)" "$(awk -v a="$r1" 'BEGIN { printf "%.0f", a / 1024 }')"
printf "| %-40s | %12s |\n" "peak RSS 102-run / 1-run experiment" "$(awk -v a="$r100" -v b="$rt1" 'BEGIN { printf "%.2f", a / b }')"

echo
echo "## generative (go test -bench Train)"
go test -run '^$' -bench 'Train' -benchtime 100x ./generative/ > "$work/gen.txt"
grep -E '^Benchmark' "$work/gen.txt" | sed 's/^/    /'
