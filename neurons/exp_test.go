package neurons

import (
	"math"
	"math/rand/v2"
	"testing"
)

// ulpDiff returns |a - b| in units of the spacing of float64 values at b.
func ulpDiff(a, b float64) float64 {
	if a == b {
		return 0
	}
	ulp := math.Nextafter(math.Abs(b), math.Inf(1)) - math.Abs(b)
	return math.Abs(a-b) / ulp
}

// TestExpAccuracy compares exp with math.Exp over the finite range, densely
// near zero (where the sigmoids spend their time), around the table's
// sub-interval boundaries, and at the special values.
func TestExpAccuracy(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 2))
	ranges := []struct {
		lo, hi float64
		n      int
	}{
		{-745, 710, 500_000},
		{-40, 40, 500_000},
		{-1e-3, 1e-3, 100_000},
		{700, 710, 50_000},   // near overflow and the fallback bound
		{-745, -700, 50_000}, // subnormal results and the fallback bound
	}
	worst, worstX := 0.0, 0.0
	for _, r := range ranges {
		for range r.n {
			x := r.lo + (r.hi-r.lo)*rng.Float64()
			if d := ulpDiff(exp(x), math.Exp(x)); d > worst {
				worst, worstX = d, x
			}
		}
	}
	// Boundaries of the 2^(j/64) sub-intervals, where r is largest.
	for k := -64 * 30; k <= 64*30; k++ {
		x := (float64(k) + 0.5) * math.Ln2 / 64
		for _, y := range []float64{math.Nextafter(x, -1e9), x, math.Nextafter(x, 1e9)} {
			if d := ulpDiff(exp(y), math.Exp(y)); d > worst {
				worst, worstX = d, y
			}
		}
	}
	// exp is within 1.23 ulp of the true value and math.Exp within 1.59 ulp
	// (see exp's documentation), so they may differ by up to 2.82 ulp.
	if worst > 3 {
		t.Errorf("exp differs from math.Exp by %v ulp at x = %v, want <= 3", worst, worstX)
	}
	t.Logf("largest difference from math.Exp: %.2f ulp at x = %v", worst, worstX)

	for _, x := range []float64{0, math.Copysign(0, -1), 1, -1, 709, -707, 709.78, 710, -745.2, -746, math.Inf(1), math.Inf(-1)} {
		if got, want := exp(x), math.Exp(x); got != want && ulpDiff(got, want) > 3 {
			t.Errorf("exp(%v) = %v, want %v", x, got, want)
		}
	}
	if exp(0) != 1 {
		t.Errorf("exp(0) = %v, want 1", exp(0))
	}
	if !math.IsNaN(exp(math.NaN())) {
		t.Errorf("exp(NaN) is not NaN")
	}
}
