package stats

import (
	"math"
	"math/rand/v2"
)

// permutationTol is the relative tolerance, in units of the largest centred
// value, within which a split's |difference of means| counts as at least as
// extreme as the observed one. Sums taken in different orders differ by
// rounding (about n·1e-16 relative); without the tolerance a split that ties
// the observed one exactly, including the observed split itself, could be
// missed and the p value come out too small.
const permutationTol = 1e-9

// permutationP returns the two-sided permutation p value of the difference of
// means of the sorted, NaN-free groups x and y (Fisher 1935; Pitman 1937):
// the share of the ways of splitting the pooled values into groups of len(x)
// and len(y) whose |mean difference| is at least the observed one.
//
// When the number of splits C(nx+ny, nx) is at most exactLimit every split is
// enumerated and the p value is exact (the observed split is one of them, so
// p >= 1/C). Otherwise resamples random splits are drawn from rng and
// p = (b+1)/(resamples+1), where b counts splits at least as extreme: the
// add-one estimate is the exact p of the randomised test and never zero
// (Phipson & Smyth 2010). Non-finite data give NaN.
//
// Because the pooled total T is fixed, the difference of means of a split is
// a function of the sum S of its first group alone, S(1/nx + 1/ny) - T/ny,
// so each split costs one sum. Values are centred on the pooled mean first,
// which keeps those sums well conditioned.
func permutationP(x, y []float64, exactLimit, resamples int, rng *rand.Rand) (p float64, exact bool) {
	if !allFinite(x) || !allFinite(y) {
		return math.NaN(), false
	}
	nx, ny := len(x), len(y)
	n := nx + ny
	z := make([]float64, 0, n)
	z = append(z, x...)
	z = append(z, y...)
	var center float64
	for _, v := range z {
		center += v
	}
	center /= float64(n)
	var total, sumX, scale float64
	for i := range z {
		z[i] -= center
		total += z[i]
		scale = math.Max(scale, math.Abs(z[i]))
		if i < nx {
			sumX += z[i]
		}
	}
	wx, wy := 1/float64(nx), 1/float64(ny)
	diff := func(s float64) float64 { return s*(wx+wy) - total*wy }
	threshold := math.Abs(diff(sumX)) - permutationTol*scale

	if splits, ok := binomialAtMost(n, nx, exactLimit); ok {
		return float64(countExtremeSplits(z, nx, diff, threshold)) / splits, true
	}

	// Monte Carlo: a partial Fisher-Yates shuffle puts a uniformly random
	// subset of k values in z[:k]; the smaller group is drawn to halve the
	// work, and its sum gives the other group's as total minus it.
	k := min(nx, ny)
	var b int
	for range resamples {
		var s float64
		for i := range k {
			j := i + rng.IntN(n-i)
			z[i], z[j] = z[j], z[i]
			s += z[i]
		}
		if k != nx {
			s = total - s
		}
		if math.Abs(diff(s)) >= threshold {
			b++
		}
	}
	return float64(b+1) / float64(resamples+1), false
}

// countExtremeSplits enumerates every subset of k values of z and counts
// those whose sum s gives |diff(s)| >= threshold.
func countExtremeSplits(z []float64, k int, diff func(float64) float64, threshold float64) int {
	var count int
	var walk func(start, left int, s float64)
	walk = func(start, left int, s float64) {
		if left == 0 {
			if math.Abs(diff(s)) >= threshold {
				count++
			}
			return
		}
		for i := start; i <= len(z)-left; i++ {
			walk(i+1, left-1, s+z[i])
		}
	}
	walk(0, k, 0)
	return count
}

// binomialAtMost returns C(n, k) and true when it is at most limit, and
// false otherwise, without overflowing for large n.
func binomialAtMost(n, k, limit int) (float64, bool) {
	k = min(k, n-k)
	c := 1.0
	for i := 1; i <= k; i++ {
		// c·(n-k+i)/i is C(n-k+i, i), an integer at every step.
		c = math.Round(c * float64(n-k+i) / float64(i))
		if c > float64(limit) {
			return 0, false
		}
	}
	return c, true
}
