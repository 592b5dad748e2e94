package stats

import (
	"math"
	"math/rand/v2"
)

// Comparison holds the difference between the means of two groups of runs,
// a (a condition) and b (its control). Units are those of the metric unless
// stated otherwise.
type Comparison struct {
	NA, NB int // number of non-NaN values in a and b

	Diff                  float64 // mean(a) - mean(b); NaN when either group is empty
	DiffCILow, DiffCIHigh float64 // confidence interval of Diff (95% by default), Welch-Satterthwaite t interval; NaN when NA < 2 or NB < 2
	SE                    float64 // standard error of Diff, √(var(a)/NA + var(b)/NB); NaN when NA < 2 or NB < 2
	PooledSD              float64 // pooled SD, √(((NA-1)var(a) + (NB-1)var(b))/(NA+NB-2)); NaN when NA < 2 or NB < 2

	HedgesG float64 // Diff/PooledSD times the exact bias correction J(NA+NB-2) (Hedges & Olkin 1985), dimensionless; ±Inf for different constant groups, 0 for equal ones

	T      float64 // Welch's t = Diff/SE (Welch 1947); ±Inf for different constant groups
	DF     float64 // Welch-Satterthwaite degrees of freedom (Satterthwaite 1946); NA+NB-2 when both groups are constant
	PWelch float64 // two-sided p of Welch's t test; 1 for equal constant groups, 0 for different ones

	PPermutation     float64 // two-sided permutation p of |Diff| (Phipson & Smyth 2010 when Monte Carlo); NaN when a group is empty, data are infinite or Settings.SkipPermutation
	PermutationExact bool    // whether PPermutation enumerated every split of the pooled values rather than sampling them
}

// Compare compares a with b using DefaultSettings. NaN values are dropped.
// rng must be non-nil; it is drawn from only when the permutation test is too
// large to enumerate (more than 200,000 splits, e.g. 11 vs 11 runs).
func Compare(a, b []float64, rng *rand.Rand) Comparison {
	return DefaultSettings().Compare(a, b, rng)
}

// Compare compares the mean of a with the mean of b: Welch's t test with its
// t interval of the difference at confidence s.Level, Hedges' g, and a
// two-sided permutation test. NaN values are dropped and NA, NB count the
// rest. rng must be non-nil unless s.SkipPermutation is set; Compare panics
// otherwise, and on invalid s. The result is a deterministic function of the
// multisets of values in a and b and of the state of rng.
//
// Degenerate data never panic. An empty group makes everything NaN. A group
// of one value leaves Diff and PPermutation defined and the variance-based
// fields NaN. Two constant groups have SE = 0, DF = NA+NB-2 and the interval
// [Diff, Diff]; equal constants give T = 0, PWelch = 1 and HedgesG = 0, and
// different constants give T = ±Inf, PWelch = 0 and HedgesG = ±Inf (the
// difference is certain for the data at hand, and infinitely many SDs wide).
func (s Settings) Compare(a, b []float64, rng *rand.Rand) Comparison {
	s = s.resolved()
	if rng == nil && !s.SkipPermutation {
		panic("stats: Compare needs a non-nil *rand.Rand")
	}
	x, y := observed(a), observed(b)
	nan := math.NaN()
	c := Comparison{
		NA: len(x), NB: len(y),
		Diff: nan, DiffCILow: nan, DiffCIHigh: nan, SE: nan, PooledSD: nan,
		HedgesG: nan, T: nan, DF: nan, PWelch: nan, PPermutation: nan,
	}
	if len(x) == 0 || len(y) == 0 {
		return c
	}
	ma, va := meanVariance(x)
	mb, vb := meanVariance(y)
	c.Diff = ma - mb
	if !s.SkipPermutation {
		c.PPermutation, c.PermutationExact = permutationP(x, y, s.ExactPermutationLimit, s.PermutationResamples, rng)
	}
	if len(x) < 2 || len(y) < 2 {
		return c
	}
	w := welch(c.Diff, va, vb, len(x), len(y), s.Level)
	c.SE, c.T, c.DF, c.PWelch, c.DiffCILow, c.DiffCIHigh = w.se, w.t, w.df, w.p, w.lo, w.hi
	c.PooledSD, c.HedgesG = hedgesG(c.Diff, va, vb, len(x), len(y))
	return c
}
