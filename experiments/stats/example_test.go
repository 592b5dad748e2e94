package stats_test

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/dreamsim/dreamsim/experiments/stats"
)

// Example judges two pre-registered expectations of an experiment with six
// seeds per condition: emotional memories are retained better after a night
// with REM than without it, and REM does not change sleep efficiency. One
// run's efficiency is undefined (NaN) and is dropped. The printed numbers
// agree with an independent computation (t tail probabilities by numerical
// integration of the density; all 924 splits of 6 vs 6 enumerated, of which 2
// are as extreme as the observed one: p_perm = 2/924).
func Example() {
	rng := rand.New(rand.NewPCG(2024, 1))

	retentionREM := []float64{0.71, 0.66, 0.74, 0.69, 0.77, 0.72}
	retentionNoREM := []float64{0.58, 0.63, 0.55, 0.61, 0.60, 0.57}
	efficiencyREM := []float64{0.91, 0.89, 0.93, 0.90, math.NaN(), 0.93}
	efficiencyNoREM := []float64{0.90, 0.92, 0.91, 0.89, 0.93, 0.91}

	s := stats.Describe(retentionREM, rng)
	fmt.Printf("retention with REM: n=%d mean=%.3f sd=%.3f 95%% CI [%.3f, %.3f]\n", s.N, s.Mean, s.SD, s.CILow, s.CIHigh)

	retention := stats.Compare(retentionREM, retentionNoREM, rng)
	efficiency := stats.Compare(efficiencyREM, efficiencyNoREM, rng)
	fmt.Printf("retention: diff=%.3f [%.3f, %.3f] g=%.2f t=%.2f df=%.1f p=%.5f p_perm=%.4f\n",
		retention.Diff, retention.DiffCILow, retention.DiffCIHigh, retention.HedgesG,
		retention.T, retention.DF, retention.PWelch, retention.PPermutation)
	fmt.Printf("efficiency: n=%d vs %d diff=%.3f p=%.3f\n", efficiency.NA, efficiency.NB, efficiency.Diff, efficiency.PWelch)

	adjusted := stats.Holm([]float64{retention.PWelch, efficiency.PWelch})
	more := stats.Expectation{Direction: stats.Greater, MinEffect: 0.5}
	same := stats.Expectation{Direction: stats.Equal, EquivalenceMargin: 0.03} // 3 points of efficiency
	fmt.Println("retention >:", stats.Judge(more, retention, adjusted[0]))
	fmt.Println("efficiency =:", stats.Judge(same, efficiency, adjusted[1]),
		fmt.Sprintf("(TOST p=%.4f)", stats.TOST(efficiency, same.Margin(efficiency))))

	// Output:
	// retention with REM: n=6 mean=0.715 sd=0.038 95% CI [0.675, 0.755]
	// retention: diff=0.125 [0.081, 0.169] g=3.39 t=6.37 df=9.3 p=0.00011 p_perm=0.0022
	// efficiency: n=5 vs 6 diff=0.002 p=0.845
	// retention >: pass
	// efficiency =: pass (TOST p=0.0115)
}
