package stats

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestHedgesGHandComputed(t *testing.T) {
	t.Parallel()
	// a = {1,2,3,4,5} (mean 3, variance 2.5), b = {2,4,6} (mean 4, variance 4).
	// Pooled variance (4·2.5 + 2·4)/(5+3-2) = 18/6 = 3, so d = -1/√3.
	// J(6) = Γ(3)/(√3·Γ(5/2)) = 2/(√3·(3/4)√π) = 8/(3√(3π)) = 0.86862700,
	// g = J·d = -8/(9√π) = -0.50150191.
	c := Compare([]float64{1, 2, 3, 4, 5}, []float64{2, 4, 6}, rand.New(rand.NewPCG(1, 1)))
	want := -8 / (9 * math.Sqrt(math.Pi))
	if !near(c.HedgesG, want, 1e-12) {
		t.Errorf("HedgesG = %.10f, want %.10f", c.HedgesG, want)
	}
	// Swapping the groups flips the sign only.
	r := Compare([]float64{2, 4, 6}, []float64{1, 2, 3, 4, 5}, rand.New(rand.NewPCG(1, 1)))
	if r.HedgesG != -c.HedgesG {
		t.Errorf("swapped HedgesG = %.10f, want %.10f", r.HedgesG, -c.HedgesG)
	}
}

func TestHedgesJ(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		m, want, tol float64
	}{
		// J(2) = Γ(1)/(1·Γ(1/2)) = 1/√π.
		{2, 1 / math.Sqrt(math.Pi), 1e-14},
		// J(6) = 8/(3√(3π)), see TestHedgesGHandComputed.
		{6, 8 / (3 * math.Sqrt(3*math.Pi)), 1e-14},
		// Hedges' approximation 1 - 3/(4m-1) is accurate to O(m⁻²): within
		// 1e-4 at m = 38 (20 vs 20 runs) and 1e-6 at m = 398.
		{38, 1 - 3.0/(4*38-1), 1e-4},
		{398, 1 - 3.0/(4*398-1), 1e-6},
	} {
		if got := hedgesJ(tc.m); !near(got, tc.want, tc.tol) {
			t.Errorf("J(%g) = %.10f, want %.10f ± %g", tc.m, got, tc.want, tc.tol)
		}
	}
}

func TestHedgesGUnbiased(t *testing.T) {
	t.Parallel()
	// The point of J: over 4,000 fixed-seed pairs of n = 5 from N(1, 1) and
	// N(0, 1) (true δ = 1), the mean of g is within 3 standard errors of 1,
	// while the uncorrected d = g/J overestimates δ by the factor 1/J(8) =
	// 1.108. The exact variance of d (Hedges 1981) at m = 8, ñ = 2.5, δ = 1
	// is (m/(m-2))(1/ñ + δ²) - δ²/J² = 0.64, so SD(g) = J·0.80 = 0.72 and
	// 3 SE = 3·0.72/√4000 = 0.034.
	const trials = 4000
	rng := rand.New(rand.NewPCG(5, 6))
	var sumG, sumD float64
	for range trials {
		c := Settings{SkipPermutation: true}.Compare(normalSample(rng, 5, 1, 1), normalSample(rng, 5, 0, 1), nil)
		sumG += c.HedgesG
		sumD += c.HedgesG / hedgesJ(8)
	}
	meanG, meanD := sumG/trials, sumD/trials
	t.Logf("mean g %.4f, mean uncorrected d %.4f (true 1)", meanG, meanD)
	if math.Abs(meanG-1) > 0.034 {
		t.Errorf("mean g = %.4f, want 1 ± 0.034", meanG)
	}
	if meanD < 1.06 {
		t.Errorf("mean uncorrected d = %.4f, expected the known upward bias (about 1.10)", meanD)
	}
}
