#!/usr/bin/env bash
# peer.sh: dreamsim versus Brian2 on the five-population Wilson-Cowan
# benchmark of shared/bench-wilson-cowan.md (GitHub issue 9, "Peer").
#
# It installs Debian's python3-brian if Brian2 is missing (needs root), builds
# and runs bench/wilsoncowan, runs bench/brian2_wc.py in numpy, cython (cold
# and warm cache) and cpp_standalone modes from the same initial state, checks
# that every Brian2 trajectory agrees with dreamsim's (bench/compare_traj.py)
# and only then prints one table of wall-clock times and ratios.
#
# Every time is a whole process timed from outside (wall clock). The
# cpp_standalone binary alone is the compiled program that Brian2 generated
# and built, run directly in its project folder as Brian2's device.run does
# (without Python, code generation and compilation). dreamsim and that binary
# are timed as the median of five runs each (dreamsim's build is not timed);
# Brian2's own modes run once each, as they take seconds to minutes.
#
# Usage: bench/peer.sh [seed]     (KEEP=1 keeps the work folder)
set -euo pipefail

seed=${1:-1}
py=/usr/bin/python3
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")

if ! "$py" -c 'import brian2' 2>/dev/null; then
	echo "peer.sh: installing python3-brian" >&2
	apt-get update
	DEBIAN_FRONTEND=noninteractive apt-get install -y python3-brian
fi

work=$(mktemp -d /tmp/peer.XXXXXX)
if [[ "${KEEP:-0}" != 1 ]]; then
	trap 'rm -rf "$work"' EXIT
else
	echo "peer.sh: work folder $work" >&2
fi

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
# timed LOG CMD...: runs CMD with its output in LOG and prints its wall time.
timed() {
	local log=$1 t0 t1
	shift
	t0=$(now)
	"$@" >"$log" 2>&1 || { echo "peer.sh: failed: $* (see $log)" >&2; cat "$log" >&2; exit 1; }
	t1=$(now)
	elapsed "$t0" "$t1"
}
field() { sed -n "s/^$1=//p" "$2" | tail -1; }

echo "peer.sh: building dreamsim's benchmark" >&2
(cd "$root" && go build -o "$work/wilsoncowan" ./bench/wilsoncowan)

echo "peer.sh: running dreamsim (5 runs)" >&2
go_times=()
for k in 1 2 3 4 5; do
	go_times+=("$(timed "$work/go.log" "$work/wilsoncowan" -seed "$seed" -out "$work/go.bin" -e0 "$work/e0.txt")")
done
t_go=$(printf '%s\n' "${go_times[@]}" | sort -g | sed -n 3p)
cat "$work/go.log" >&2

brian() { # brian MODE OUT [extra args]
	local mode=$1 out=$2
	shift 2
	"$py" "$here/brian2_wc.py" --mode "$mode" --e0 "$work/e0.txt" --out "$out" "$@"
}
echo "peer.sh: running Brian2 numpy" >&2
t_np=$(timed "$work/numpy.log" brian numpy "$work/numpy.bin")
echo "peer.sh: running Brian2 cython (cold cache, then warm)" >&2
t_cy_cold=$(timed "$work/cython_cold.log" brian cython "$work/cython_cold.bin" --cython-cache "$work/cython-cache")
t_cy=$(timed "$work/cython.log" brian cython "$work/cython.bin" --cython-cache "$work/cython-cache")
echo "peer.sh: running Brian2 cpp_standalone" >&2
t_cpp=$(timed "$work/cpp.log" brian cpp_standalone "$work/cpp.bin" --build-dir "$work/cpp-build")
t_build=$(field build_seconds "$work/cpp.log")
t_bin_run=$(field brian2_run_seconds "$work/cpp.log")
# The compiled binary alone, run directly as Brian2's device.run does
# (./main in the project folder), median of five like dreamsim.
bin_times=()
for k in 1 2 3 4 5; do
	bin_times+=("$(cd "$work/cpp-build" && timed "$work/cpp_bin.log" ./main)")
done
t_bin=$(printf '%s\n' "${bin_times[@]}" | sort -g | sed -n 3p)

echo "peer.sh: checking that the trajectories agree" >&2
agree=1
for m in numpy cython_cold cython cpp; do
	printf '%-12s ' "$m"
	"$py" "$here/compare_traj.py" "$work/go.bin" "$work/$m.bin" || agree=0
done
if [[ $agree != 1 ]]; then
	echo "peer.sh: trajectories disagree; timings are not comparable" >&2
	exit 1
fi

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", a / b }'; }
echo
echo "Wilson-Cowan peer benchmark: 5 populations, 60 s simulated, dt 0.1 ms, E every 1 ms; seed $seed"
echo "machine: $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1); $(date -u +%Y-%m-%dT%H:%MZ)"
echo "brian2 $("$py" -c 'import brian2; print(brian2.__version__)' 2>/dev/null), $(go version | cut -d' ' -f3)"
echo
printf '| %-58s | %9s | %13s |\n' "mode" "wall s" "x dreamsim"
printf '| %-58s | %9s | %13s |\n' "---" "---:" "---:"
row() { printf '| %-58s | %9.3f | %13s |\n' "$1" "$2" "$(ratio "$2" "$t_go")"; }
row "dreamsim (Go), whole process, median of 5" "$t_go"
row "brian2 numpy, whole process" "$t_np"
row "brian2 cython, whole process, cold cache (compiles)" "$t_cy_cold"
row "brian2 cython, whole process, warm cache" "$t_cy"
row "brian2 cpp_standalone, whole process" "$t_cpp"
row "brian2 cpp_standalone, build alone (codegen+compile)" "$t_build"
row "brian2 cpp_standalone, compiled binary alone, median of 5" "$t_bin"
row "brian2 cpp_standalone, binary's own reported run time" "$t_bin_run"
echo
target() { # target NAME BRIAN_TIME FACTOR
	local r met
	r=$(ratio "$2" "$t_go")
	met=$(awk -v r="$r" -v f="$3" 'BEGIN { print (r >= f) ? "met" : "NOT met" }')
	echo "target: dreamsim >= ${3}x faster than $1: ${r}x, $met"
}
target "cpp_standalone binary alone" "$t_bin" 5
target "cpp_standalone whole process" "$t_cpp" 20
target "numpy whole process" "$t_np" 100
