package stats

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestTOST(t *testing.T) {
	t.Parallel()
	// With 2 df the t distribution has F(t) = 1/2 + t/(2√(t²+2)).
	// Diff 0.1, SE 0.2, margin 0.5: t = 3 gives P(T > 3) = 1/2 - 3/(2√11) =
	// 0.047733; t = -2 gives F(-2) = 1/2 - 1/√6 = 0.091752. TOST p is the
	// larger one.
	c := Comparison{Diff: 0.1, SE: 0.2, DF: 2}
	if got, want := TOST(c, 0.5), 0.5-1/math.Sqrt(6); !near(got, want, 1e-12) {
		t.Errorf("TOST = %.10f, want %.10f", got, want)
	}
	if got := TOST(c, 0); got < 0.5 {
		t.Errorf("TOST with a zero margin = %g, want >= 0.5", got)
	}
	for _, bad := range []float64{-1, math.NaN()} {
		if got := TOST(c, bad); !math.IsNaN(got) {
			t.Errorf("TOST(margin %v) = %g, want NaN", bad, got)
		}
	}

	// Duality: equivalence at α = 0.05 holds exactly when the 90% Welch
	// interval lies inside (-Δ, Δ) (Schuirmann 1987).
	rng := rand.New(rand.NewPCG(13, 14))
	s := Settings{Level: 0.90, SkipPermutation: true}
	for i := range 300 {
		c := s.Compare(normalSample(rng, 12, 0.3*rng.NormFloat64(), 1), normalSample(rng, 9, 0, 1.5), nil)
		margin := 0.2 + rng.Float64()
		inside := -margin < c.DiffCILow && c.DiffCIHigh < margin
		if p := TOST(c, margin); (p < 0.05) != inside {
			t.Errorf("case %d: TOST p %.6f but 90%% interval [%.4f, %.4f] vs margin %.4f", i, p, c.DiffCILow, c.DiffCIHigh, margin)
		}
	}
}
