package stats

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestPermutationExactHandComputed(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		a, b []float64
		want float64
	}{
		{
			// Pooled {1,2,3,4,5}; a takes 2 of them: C(5,2) = 10 splits. With
			// a's sum s, Diff = s/2 - (15-s)/3 = 5s/6 - 5. Observed a = {3,5},
			// s = 8, Diff = 5/3; |5s/6 - 5| >= 5/3 iff s <= 4 or s >= 8.
			// Pair sums: 3,4,5,6,5,6,7,7,8,9 -> {3,4,8,9}: p = 4/10.
			name: "2 vs 3",
			a:    []float64{5, 3}, b: []float64{1, 4, 2},
			want: 0.4,
		},
		{
			// Pooled {1,2,3,10}; a takes 1: 4 splits with Diff = 4s/3 - 16/3,
			// i.e. -4, -8/3, -4/3, 8 for s = 1, 2, 3, 10. Observed s = 10,
			// Diff = 8 is the only one with |Diff| >= 8: p = 1/4.
			name: "1 vs 3",
			a:    []float64{10}, b: []float64{3, 1, 2},
			want: 0.25,
		},
		{
			// Two constant groups {1,1,1} vs {2,2,2}: of the C(6,3) = 20
			// splits only the observed one and its mirror reach |Diff| = 1:
			// p = 2/20 — the smallest p this design can give.
			name: "constants",
			a:    []float64{1, 1, 1}, b: []float64{2, 2, 2},
			want: 0.1,
		},
		{
			// Equal means: every split is at least as extreme as 0: p = 1.
			name: "no difference",
			a:    []float64{1, 3}, b: []float64{2, 2},
			want: 1,
		},
		{
			// Ties in the pooled values: {0.1,0.2} vs {0.2,0.3}, 6 splits by
			// sum 0.3, 0.3, 0.4, 0.4, 0.5, 0.5 with |Diff| = 0.1, 0.1, 0, 0,
			// 0.1, 0.1 (0.1 + 0.2 is not 0.3 in binary, which the tolerance
			// absorbs): p = 4/6.
			name: "ties",
			a:    []float64{0.1, 0.2}, b: []float64{0.2, 0.3},
			want: 4.0 / 6,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := Compare(tc.a, tc.b, rand.New(rand.NewPCG(1, 1)))
			if !c.PermutationExact || !near(c.PPermutation, tc.want, 1e-15) {
				t.Errorf("PPermutation = %v (exact %v), want %v (exact)", c.PPermutation, c.PermutationExact, tc.want)
			}
		})
	}
}

func TestPermutationMonteCarloAddOne(t *testing.T) {
	t.Parallel()
	// 30 vs 30 fully separated values: none of 999 random splits (out of
	// C(60,30) ≈ 1.2e17) is as extreme as the observed one, so the add-one
	// estimate is exactly (0+1)/(999+1), never 0 (Phipson & Smyth 2010).
	a, b := make([]float64, 30), make([]float64, 30)
	for i := range a {
		a[i], b[i] = 100+float64(i), float64(i)
	}
	c := Settings{PermutationResamples: 999}.Compare(a, b, rand.New(rand.NewPCG(2, 3)))
	if c.PermutationExact || c.PPermutation != 1.0/1000 {
		t.Errorf("PPermutation = %v (exact %v), want 0.001 (Monte Carlo)", c.PPermutation, c.PermutationExact)
	}
}

func TestPermutationMonteCarloMatchesExact(t *testing.T) {
	t.Parallel()
	// The same 7 vs 7 data (C(14,7) = 3,432 splits) by enumeration and by
	// 99,999 random splits: the Monte Carlo p must be within 4 of its
	// standard errors √(p(1-p)/99,999) of the exact p.
	rng := rand.New(rand.NewPCG(4, 5))
	a, b := normalSample(rng, 7, 0.8, 1), normalSample(rng, 7, 0, 1)
	exact := Compare(a, b, rng)
	mc := Settings{ExactPermutationLimit: 1000, PermutationResamples: 99_999}.Compare(a, b, rng)
	if !exact.PermutationExact || mc.PermutationExact {
		t.Fatalf("exact flags %v, %v, want true, false", exact.PermutationExact, mc.PermutationExact)
	}
	se := math.Sqrt(exact.PPermutation * (1 - exact.PPermutation) / 99_999)
	t.Logf("exact p %.5f, Monte Carlo p %.5f (SE %.5f)", exact.PPermutation, mc.PPermutation, se)
	if math.Abs(mc.PPermutation-exact.PPermutation) > 4*se {
		t.Errorf("Monte Carlo p %.5f differs from exact %.5f by more than 4 SE (%.5f)", mc.PPermutation, exact.PPermutation, 4*se)
	}
}

func TestPermutationAgreesWithWelch(t *testing.T) {
	t.Parallel()
	// On normal data the permutation and Welch p values estimate the same
	// thing; they differ by the discreteness and small-sample shape of the
	// permutation distribution and, on the Monte Carlo path, by a sampling
	// error of at most 0.005. Effects from 0 to 1.2 SD spread the p values
	// over (0, 1). Each pair must agree within 0.05 + 0.15·p, and on average
	// within 0.015.
	for _, tc := range []struct {
		name  string
		n     int
		exact bool
	}{
		{"exact 8 vs 8", 8, true},
		{"Monte Carlo 15 vs 15", 15, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			const trials = 60
			rng := rand.New(rand.NewPCG(uint64(tc.n), 99))
			var sumAbs, worst float64
			for i := range trials {
				shift := 1.2 * float64(i%7) / 6
				c := Compare(normalSample(rng, tc.n, shift, 1), normalSample(rng, tc.n, 0, 1), rng)
				if c.PermutationExact != tc.exact {
					t.Fatalf("PermutationExact = %v, want %v", c.PermutationExact, tc.exact)
				}
				d := math.Abs(c.PPermutation - c.PWelch)
				sumAbs += d
				worst = math.Max(worst, d)
				if d > 0.05+0.15*c.PWelch {
					t.Errorf("trial %d: permutation p %.4f vs Welch p %.4f", i, c.PPermutation, c.PWelch)
				}
			}
			t.Logf("mean |p_perm - p_Welch| %.4f, worst %.4f", sumAbs/trials, worst)
			if sumAbs/trials > 0.015 {
				t.Errorf("mean |p_perm - p_Welch| = %.4f, want <= 0.015", sumAbs/trials)
			}
		})
	}
}

func TestBinomialAtMost(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		n, k, limit int
		want        float64
		ok          bool
	}{
		{5, 2, 100, 10, true},
		{20, 10, 200_000, 184_756, true},
		{22, 11, 200_000, 0, false}, // C(22,11) = 705,432
		{60, 30, 200_000, 0, false},
		{31, 30, 200_000, 31, true},
		{4, 0, 1, 1, true},
	} {
		got, ok := binomialAtMost(tc.n, tc.k, tc.limit)
		if got != tc.want || ok != tc.ok {
			t.Errorf("binomialAtMost(%d, %d, %d) = %v, %v, want %v, %v", tc.n, tc.k, tc.limit, got, ok, tc.want, tc.ok)
		}
	}
}
