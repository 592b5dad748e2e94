package stats

import (
	"math"
	"math/rand/v2"
)

// normalSample returns n draws from N(mu, sd²).
func normalSample(rng *rand.Rand, n int, mu, sd float64) []float64 {
	x := make([]float64, n)
	for i := range x {
		x[i] = mu + sd*rng.NormFloat64()
	}
	return x
}

// near reports whether got is within tol of want, treating two NaNs and two
// equal infinities as equal.
func near(got, want, tol float64) bool {
	if math.IsNaN(want) {
		return math.IsNaN(got)
	}
	if math.IsInf(want, 0) {
		return got == want
	}
	return math.Abs(got-want) <= tol
}

// binomialBand returns the interval p0 ± k·√(p0(1-p0)/n), the tolerance of a
// rate estimated from n independent trials whose true rate is p0.
func binomialBand(p0 float64, n int, k float64) (lo, hi float64) {
	sd := math.Sqrt(p0 * (1 - p0) / float64(n))
	return p0 - k*sd, p0 + k*sd
}
