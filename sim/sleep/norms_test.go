package sleep

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// norm is one healthy young-adult norm of SCIENCE.md (Carskadon & Dement
// 2011; Ohayon et al. 2004; Kurth et al. 2010) measured on a night.
type norm struct {
	name  string
	value func(Stats) float64
	ok    func(float64) bool
}

func between(lo, hi float64) func(float64) bool {
	return func(v float64) bool { return v >= lo && v <= hi }
}

// lastFullREM returns the REM period of the last cycle not truncated by
// lights-on (NaN if none): a truncated REM period says nothing of its
// natural length.
func lastFullREM(s Stats) float64 {
	for i := len(s.Cycles) - 1; i >= 0; i-- {
		if !s.Cycles[i].Truncated {
			return s.Cycles[i].REMMin
		}
	}
	return math.NaN()
}

func firstREM(s Stats) float64 {
	if len(s.Cycles) == 0 {
		return math.NaN()
	}
	return s.Cycles[0].REMMin
}

// largestThird returns 1 if third k holds strictly more than each other
// third ("mostly in the first/last third": the plurality of the three).
func largestThird(t [3]float64, k int) float64 {
	for j := range t {
		if j != k && t[j] >= t[k] {
			return 0
		}
	}
	return 1
}

func share(t [3]float64, k int) float64 { return t[k] / (t[0] + t[1] + t[2]) }

var youngAdultNorms = []norm{
	{"REM % of TST", func(s Stats) float64 { return 100 * s.StageFrac[R] }, between(19, 25)},
	{"N3 % of TST", func(s Stats) float64 { return 100 * s.StageFrac[N3] }, between(13, 23)},
	{"N2 % of TST", func(s Stats) float64 { return 100 * s.StageFrac[N2] }, between(45, 58)},
	{"N2 largest stage", func(s Stats) float64 {
		f := s.StageFrac
		return b2f(f[N2] > f[N1] && f[N2] > f[N3] && f[N2] > f[R])
	}, between(1, 1)},
	{"N1 % of TST", func(s Stats) float64 { return 100 * s.StageFrac[N1] }, between(0, 6)},
	{"cycles", func(s Stats) float64 { return float64(len(s.Cycles)) }, between(4, 6)},
	{"mean cycle min", func(s Stats) float64 { return s.MeanCycleMin }, between(87, 110)},
	{"REM latency min", func(s Stats) float64 { return s.REMLatencyMin }, between(60, 100)},
	{"sleep efficiency %", func(s Stats) float64 { return 100 * s.SleepEfficiency }, between(85, 100)},
	{"N3 first third largest", func(s Stats) float64 { return largestThird(s.N3ThirdMin, 0) }, between(1, 1)},
	{"REM last third largest", func(s Stats) float64 { return largestThird(s.REMThirdMin, 2) }, between(1, 1)},
	{"last full REM period min", lastFullREM, between(20, 40)},
	{"first REM < last full REM", func(s Stats) float64 { return b2f(firstREM(s) < lastFullREM(s)) }, between(1, 1)},
	{"awakenings per h of sleep", func(s Stats) float64 { return float64(s.Awakenings) / (s.TSTMin / 60) }, between(0, 10)},
}

// extra statistics logged with the distribution but not judged.
var youngAdultExtras = []norm{
	{"TST min", func(s Stats) float64 { return s.TSTMin }, nil},
	{"SOL min", func(s Stats) float64 { return s.SOLMin }, nil},
	{"WASO min", func(s Stats) float64 { return s.WASOMin }, nil},
	{"final wake min", func(s Stats) float64 { return s.FinalWakeMin }, nil},
	{"awakenings", func(s Stats) float64 { return float64(s.Awakenings) }, nil},
	{"first REM period min", firstREM, nil},
	{"N3 share in first third %", func(s Stats) float64 { return 100 * share(s.N3ThirdMin, 0) }, nil},
	{"REM share in last third %", func(s Stats) float64 { return 100 * share(s.REMThirdMin, 2) }, nil},
	{"trailing incomplete cycle min", func(s Stats) float64 { return s.TrailingMin }, nil},
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// normReport generates nights for the seeds and returns the number of nights
// meeting every norm and a table of the distribution of each statistic with
// the failures of each norm.
func normReport(t testing.TB, p ModelParams, seeds []uint64) (pass int, table string) {
	vals := make([][]float64, len(youngAdultNorms)+len(youngAdultExtras))
	fails := make([]int, len(youngAdultNorms))
	var failSeeds []string
	for _, seed := range seeds {
		h, err := Generate(p, rand.New(rand.NewPCG(seed, 0)))
		if err != nil {
			t.Fatal(err)
		}
		s := Analyze(h)
		all := true
		var why []string
		for i, nm := range youngAdultNorms {
			v := nm.value(s)
			vals[i] = append(vals[i], v)
			if !nm.ok(v) {
				fails[i]++
				all = false
				why = append(why, fmt.Sprintf("%s=%.4g", nm.name, v))
			}
		}
		for i, nm := range youngAdultExtras {
			vals[len(youngAdultNorms)+i] = append(vals[len(youngAdultNorms)+i], nm.value(s))
		}
		if all {
			pass++
		} else {
			failSeeds = append(failSeeds, fmt.Sprintf("seed %d: %s", seed, strings.Join(why, ", ")))
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%-30s %8s %8s %8s %6s\n", "statistic", "min", "median", "max", "fails")
	for i, v := range vals {
		v = slices.Clone(v)
		slices.SortFunc(v, func(a, b float64) int {
			switch {
			case a < b || (math.IsNaN(a) && !math.IsNaN(b)):
				return -1
			case a > b || (math.IsNaN(b) && !math.IsNaN(a)):
				return 1
			}
			return 0
		})
		name, f := "", "-"
		if i < len(youngAdultNorms) {
			name = youngAdultNorms[i].name
			f = fmt.Sprint(fails[i])
		} else {
			name = youngAdultExtras[i-len(youngAdultNorms)].name
		}
		fmt.Fprintf(&b, "%-30s %8.4g %8.4g %8.4g %6s\n", name, v[0], median(v), v[len(v)-1], f)
	}
	fmt.Fprintf(&b, "nights meeting every norm: %d of %d\n", pass, len(seeds))
	for _, f := range failSeeds {
		fmt.Fprintln(&b, f)
	}
	return pass, b.String()
}

func median(sorted []float64) float64 {
	n := len(sorted)
	if n%2 == 1 {
		return sorted[n/2]
	}
	return (sorted[n/2-1] + sorted[n/2]) / 2
}

func seedRange(lo, hi uint64) []uint64 {
	var s []uint64
	for i := lo; i <= hi; i++ {
		s = append(s, i)
	}
	return s
}

// TestGenerateMeetsNorms checks that the model clock with default
// parameters lands in the healthy young-adult norms on at least 45 of the
// seeds 1..50, and logs the distribution of every statistic.
func TestGenerateMeetsNorms(t *testing.T) {
	t.Parallel()
	pass, table := normReport(t, DefaultModelParams(), seedRange(1, 50))
	t.Logf("model clock, default parameters, seeds 1..50:\n%s", table)
	if pass < 45 {
		t.Errorf("%d of 50 nights meet every norm, want >= 45", pass)
	}
}

// newRand returns the generator the tests use for a seed.
func newRand(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 0)) }
