package stats

import (
	"math"
	"slices"

	"gonum.org/v1/gonum/stat"
)

// observed returns a sorted copy of x without its NaN values. NaN marks a
// metric undefined in a run and is dropped everywhere in this package; the
// sort makes every result independent of the order of the runs, so merged
// shards reproduce an unsharded experiment bit for bit.
func observed(x []float64) []float64 {
	v := make([]float64, 0, len(x))
	for _, xi := range x {
		if !math.IsNaN(xi) {
			v = append(v, xi)
		}
	}
	slices.Sort(v)
	return v
}

// allFinite reports whether no value of x is ±Inf or NaN.
func allFinite(x []float64) bool {
	for _, v := range x {
		if !isFinite(v) {
			return false
		}
	}
	return true
}

// meanVariance returns the mean and the unbiased (n-1) variance of the
// sorted values v by the corrected two-pass algorithm of gonum's
// stat.MeanVariance. The variance is NaN for fewer than two values and the
// mean is NaN for none. A constant sample returns its value and a variance of
// exactly zero: summing and dividing would otherwise leave rounding noise
// (three times 0.1 has mean 0.10000000000000002 and a variance near 1e-34),
// hiding the degenerate case from the tests that must treat it specially.
func meanVariance(v []float64) (mean, variance float64) {
	switch {
	case len(v) == 0:
		return math.NaN(), math.NaN()
	case len(v) == 1:
		return v[0], math.NaN()
	case v[0] == v[len(v)-1] && isFinite(v[0]):
		return v[0], 0
	}
	mean, variance = stat.MeanVariance(v, nil)
	if variance < 0 {
		// The correction term can round a constant sample to -0 or a tiny
		// negative value; a variance is never negative.
		variance = 0
	}
	return mean, variance
}
