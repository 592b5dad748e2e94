// Command wilsoncowan runs dreamsim's side of the Brian2 peer benchmark: five
// coupled Wilson-Cowan populations (shared/bench-wilson-cowan.md) simulated
// for 60 s with forward Euler at dt = 0.1 ms, E recorded every 1 ms.
//
// Usage:
//
//	wilsoncowan [-seed 1] [-out traj.bin|traj.csv] [-e0 e0.txt] [-duration 60] [-dt 1e-4] [-record 1e-3]
//
// The initial E_i are drawn uniformly from [0, 0.1) with the seed, and -e0
// writes them (one per line, full precision) so that Brian2 can start from
// the same state. -out writes the recorded trajectory: a name ending in .csv
// gives a CSV with a header (t_s, E0, ..., E4); any other name gives raw
// little-endian float64 values, sample-major (sample 0: E0..E4, sample 1:
// ...), with no header. Sample k is E at t = k * record, taken before the
// step at that time, as Brian2's StateMonitor does. The program prints its
// own timings on standard output.
package main

import "os"

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }
