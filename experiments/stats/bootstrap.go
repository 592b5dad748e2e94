package stats

import (
	"math"
	"math/rand/v2"
	"slices"
)

// bootstrapMeanCI returns the percentile bootstrap interval of the mean of
// the sorted values v (Efron 1979; Efron & Tibshirani 1993, ch. 13): it draws
// resamples of len(v) values with replacement from rng and returns the
// (1-level)/2 and 1-(1-level)/2 quantiles of their means. Each resample mean
// is accumulated as mean + Σ(v_i - mean)/n so that a constant sample gives
// exactly [mean, mean]. Non-finite data give a NaN interval.
func bootstrapMeanCI(v []float64, mean, level float64, resamples int, rng *rand.Rand) (lo, hi float64) {
	if !allFinite(v) {
		return math.NaN(), math.NaN()
	}
	n := len(v)
	dev := make([]float64, n)
	for i, vi := range v {
		dev[i] = vi - mean
	}
	means := make([]float64, resamples)
	for r := range means {
		var s float64
		for range n {
			s += dev[rng.IntN(n)]
		}
		means[r] = mean + s/float64(n)
	}
	slices.Sort(means)
	return quantileSorted(means, (1-level)/2), quantileSorted(means, upperQuantile(level))
}

// quantileSorted returns the p quantile of the sorted values x by linear
// interpolation between order statistics, definition 7 of Hyndman & Fan
// (1996) and the default of R and NumPy: h = (n-1)p, q = x[⌊h⌋] +
// (h-⌊h⌋)(x[⌊h⌋+1] - x[⌊h⌋]).
func quantileSorted(x []float64, p float64) float64 {
	h := float64(len(x)-1) * p
	i := int(math.Floor(h))
	if i >= len(x)-1 {
		return x[len(x)-1]
	}
	return x[i] + (h-float64(i))*(x[i+1]-x[i])
}
