package stats

import (
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/stat/distuv"
)

// Summary describes the values of one metric in one condition.
type Summary struct {
	N      int     // number of non-NaN values
	Mean   float64 // sample mean, in the metric's units; NaN when N = 0
	SD     float64 // sample standard deviation (n-1 denominator), in the metric's units; NaN when N < 2
	CILow  float64 // lower end of the confidence interval of the mean (95% by default); NaN when N < 2
	CIHigh float64 // upper end of the confidence interval of the mean; NaN when N < 2
}

// Describe summarises x with DefaultSettings: NaN values are dropped, and the
// 95% confidence interval of the mean is the Student t interval, for which rng
// is not used and may be nil.
func Describe(x []float64, rng *rand.Rand) Summary {
	return DefaultSettings().Describe(x, rng)
}

// Describe summarises x: NaN values are dropped and N counts the rest. The
// interval of the mean has confidence s.Level and is computed by s.CI. The
// PercentileBootstrap method draws from rng, which must then be non-nil; the
// TInterval method draws nothing. With fewer than two values SD and the
// interval are NaN; with a constant sample SD is 0 and the interval is
// [Mean, Mean]. Describe panics if s is invalid or if the bootstrap is asked
// for without a random source.
func (s Settings) Describe(x []float64, rng *rand.Rand) Summary {
	s = s.resolved()
	if s.CI == PercentileBootstrap && rng == nil {
		panic("stats: Describe with PercentileBootstrap needs a non-nil *rand.Rand")
	}
	v := observed(x)
	nan := math.NaN()
	sum := Summary{N: len(v), Mean: nan, SD: nan, CILow: nan, CIHigh: nan}
	mean, variance := meanVariance(v)
	sum.Mean = mean
	if len(v) < 2 {
		return sum
	}
	sum.SD = math.Sqrt(variance)
	switch s.CI {
	case TInterval:
		sum.CILow, sum.CIHigh = tIntervalMean(mean, sum.SD, len(v), s.Level)
	case PercentileBootstrap:
		sum.CILow, sum.CIHigh = bootstrapMeanCI(v, mean, s.Level, s.BootstrapResamples, rng)
	}
	return sum
}

// tIntervalMean returns the Student t interval of a mean from n >= 2 values
// (Student 1908): mean ± t(1-α/2; n-1)·sd/√n.
func tIntervalMean(mean, sd float64, n int, level float64) (lo, hi float64) {
	if !isFinite(mean) || !isFinite(sd) {
		return math.NaN(), math.NaN()
	}
	if sd == 0 {
		return mean, mean
	}
	q := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(n - 1)}.Quantile(upperQuantile(level))
	half := q * sd / math.Sqrt(float64(n))
	return mean - half, mean + half
}
