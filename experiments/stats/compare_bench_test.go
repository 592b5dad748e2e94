package stats

import (
	"math/rand/v2"
	"testing"
)

// benchmarkCompare times Compare on n vs n normal runs with settings s.
func benchmarkCompare(b *testing.B, n int, s Settings) {
	rng := rand.New(rand.NewPCG(1, 2))
	x, y := normalSample(rng, n, 0.5, 1), normalSample(rng, n, 0, 1)
	b.ResetTimer()
	for range b.N {
		s.Compare(x, y, rng)
	}
}

// Exact permutation: C(12,6) = 924 splits.
func BenchmarkCompareSmall(b *testing.B) { benchmarkCompare(b, 6, Settings{}) }

// Exact permutation at the default limit: C(20,10) = 184,756 splits.
func BenchmarkCompareMed(b *testing.B) { benchmarkCompare(b, 10, Settings{}) }

// Monte Carlo permutation: 9,999 random splits of 30 vs 30.
func BenchmarkCompareLarge(b *testing.B) { benchmarkCompare(b, 30, Settings{}) }

// Welch and Hedges only, 30 vs 30.
func BenchmarkCompareNoPermutation(b *testing.B) {
	benchmarkCompare(b, 30, Settings{SkipPermutation: true})
}

// Percentile bootstrap with 10,000 resamples of 30 values.
func BenchmarkDescribeBootstrap(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	x := normalSample(rng, 30, 0, 1)
	s := Settings{CI: PercentileBootstrap}
	b.ResetTimer()
	for range b.N {
		s.Describe(x, rng)
	}
}
