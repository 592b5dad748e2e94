package stats

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestCompareDegenerate(t *testing.T) {
	t.Parallel()
	nan, inf := math.NaN(), math.Inf(1)
	// want lists Diff, SE, T, DF, PWelch, HedgesG, DiffCILow, DiffCIHigh, PPermutation.
	for _, tc := range []struct {
		name   string
		a, b   []float64
		na, nb int
		want   [9]float64
	}{
		{"empty a", nil, []float64{1, 2}, 0, 2, [9]float64{nan, nan, nan, nan, nan, nan, nan, nan, nan}},
		{"all NaN b", []float64{1, 2}, []float64{nan, nan}, 2, 0, [9]float64{nan, nan, nan, nan, nan, nan, nan, nan, nan}},
		// One run: only Diff and the permutation p (see the 1 vs 3 hand case).
		{"one value", []float64{10}, []float64{3, 1, 2}, 1, 3, [9]float64{8, nan, nan, nan, nan, nan, nan, nan, 0.25}},
		// Equal constants: no difference, p = 1, g = 0, DF = 3+3-2.
		{"equal constants", []float64{2, 2, 2}, []float64{2, 2, 2}, 3, 3, [9]float64{0, 0, 0, 4, 1, 0, 0, 0, 1}},
		// Different constants: certain difference; the permutation p is
		// 2/C(6,3) = 0.1 (TestPermutationExactHandComputed).
		{"different constants", []float64{1, 1, 1}, []float64{2, 2, 2}, 3, 3, [9]float64{-1, 0, -inf, 4, 0, -inf, -1, -1, 0.1}},
		// One constant group {4,4} vs {1,2,3} (mean 2, variance 1):
		// SE² = 0/2 + 1/3, df = (1/3)²/((1/3)²/2) = nb-1 = 2, t = 2/√(1/3) = 2√3.
		// Pooled variance (1·0 + 2·1)/3 = 2/3, d = 2/√(2/3) = √6, and
		// J(3) = Γ(3/2)/(√(3/2)·Γ(1)) = (√π/2)/√(3/2), so g = J·d = √π.
		// Permutation: a takes 2 of {1,2,3,4,4}, Diff = 5s/6 - 14/3 for sum s;
		// observed s = 8 (Diff 2); |Diff| >= 2 iff s <= 3.2 or s >= 8; of the
		// 10 pair sums 3,4,5,5,5,6,6,7,7,8 that is {3, 8}: p = 2/10.
		{"one constant group", []float64{4, 4}, []float64{1, 2, 3}, 2, 3, [9]float64{2, math.Sqrt(1.0 / 3), 2 * math.Sqrt(3), 2, nan, math.Sqrt(math.Pi), nan, nan, 0.2}},
		// Infinite values are kept and poison what they touch; no panic.
		{"infinite", []float64{1, inf}, []float64{1, 2}, 2, 2, [9]float64{inf, nan, nan, nan, nan, nan, nan, nan, nan}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := Compare(tc.a, tc.b, rand.New(rand.NewPCG(1, 1)))
			got := [9]float64{c.Diff, c.SE, c.T, c.DF, c.PWelch, c.HedgesG, c.DiffCILow, c.DiffCIHigh, c.PPermutation}
			names := [9]string{"Diff", "SE", "T", "DF", "PWelch", "HedgesG", "DiffCILow", "DiffCIHigh", "PPermutation"}
			if c.NA != tc.na || c.NB != tc.nb {
				t.Errorf("NA, NB = %d, %d, want %d, %d", c.NA, c.NB, tc.na, tc.nb)
			}
			for i := range got {
				if math.IsNaN(tc.want[i]) && tc.name == "one constant group" {
					continue // checked below
				}
				if !near(got[i], tc.want[i], 1e-12) {
					t.Errorf("%s = %v, want %v", names[i], got[i], tc.want[i])
				}
			}
		})
	}
	t.Run("one constant group p", func(t *testing.T) {
		t.Parallel()
		// With df = 2 the t distribution has the closed form
		// P(|T| > t) = 1 - t/√(t²+2); at t = 2√3: 1 - 2√3/√14 = 0.074180.
		// The 95% quantile is t(0.975; 2) = 4.302653 (t tables: 4.303).
		c := Compare([]float64{4, 4}, []float64{1, 2, 3}, rand.New(rand.NewPCG(1, 1)))
		if want := 1 - 2*math.Sqrt(3)/math.Sqrt(14); !near(c.PWelch, want, 1e-12) {
			t.Errorf("PWelch = %.8f, want %.8f", c.PWelch, want)
		}
		if half := (c.DiffCIHigh - c.DiffCILow) / 2; !near(half, 4.302653*math.Sqrt(1.0/3), 1e-5) {
			t.Errorf("interval half width %.6f, want %.6f", half, 4.302653*math.Sqrt(1.0/3))
		}
	})
}

func TestCompareDropsNaN(t *testing.T) {
	t.Parallel()
	nan := math.NaN()
	a := []float64{1.2, nan, 3.4, 2.2, 0.7, nan}
	b := []float64{nan, 0.1, 0.5, 1.9}
	clean := Compare([]float64{1.2, 3.4, 2.2, 0.7}, []float64{0.1, 0.5, 1.9}, rand.New(rand.NewPCG(1, 1)))
	got := Compare(a, b, rand.New(rand.NewPCG(1, 1)))
	if got != clean {
		t.Errorf("with NaN: %+v\nwithout:  %+v", got, clean)
	}
	if got.NA != 4 || got.NB != 3 {
		t.Errorf("NA, NB = %d, %d, want 4, 3", got.NA, got.NB)
	}
}

func TestCompareDeterministic(t *testing.T) {
	t.Parallel()
	// 25 vs 25 takes the Monte Carlo path. Same seed -> identical bits; the
	// order of the runs within a group does not change any bit (merged
	// shards equal an unsharded run); another seed changes only the
	// permutation p.
	rng := rand.New(rand.NewPCG(21, 22))
	a, b := normalSample(rng, 25, 0.4, 1), normalSample(rng, 25, 0, 1)
	ra, rb := make([]float64, 25), make([]float64, 25)
	for i, j := range rng.Perm(25) {
		ra[i], rb[i] = a[j], b[j]
	}
	c1 := Compare(a, b, rand.New(rand.NewPCG(5, 5)))
	c2 := Compare(ra, rb, rand.New(rand.NewPCG(5, 5)))
	if c1 != c2 {
		t.Errorf("reordered runs changed the comparison:\n%+v\n%+v", c1, c2)
	}
	if c1.PermutationExact {
		t.Fatalf("25 vs 25 should use Monte Carlo")
	}
	c3 := Compare(a, b, rand.New(rand.NewPCG(5, 6)))
	if c3.PPermutation == c1.PPermutation {
		t.Errorf("another seed gave the same Monte Carlo p %v", c3.PPermutation)
	}
	c3.PPermutation = c1.PPermutation
	if c3 != c1 {
		t.Errorf("the seed changed more than the permutation p:\n%+v\n%+v", c1, c3)
	}
}

func TestSettingsValidate(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		s    Settings
		ok   bool
	}{
		{"zero", Settings{}, true},
		{"default", DefaultSettings(), true},
		{"level 0.9", Settings{Level: 0.9}, true},
		{"level 1", Settings{Level: 1}, false},
		{"level NaN", Settings{Level: math.NaN()}, false},
		{"level negative", Settings{Level: -0.5}, false},
		{"unknown method", Settings{CI: 7}, false},
		{"negative resamples", Settings{PermutationResamples: -1}, false},
		{"negative bootstrap", Settings{BootstrapResamples: -1}, false},
		{"negative limit", Settings{ExactPermutationLimit: -1}, false},
	} {
		if err := tc.s.Validate(); (err == nil) != tc.ok {
			t.Errorf("%s: Validate() = %v, want ok %v", tc.name, err, tc.ok)
		}
	}
}

func TestProgrammerErrorsPanic(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		f    func()
	}{
		{"Compare nil rng", func() { Compare([]float64{1}, []float64{2}, nil) }},
		{"bootstrap nil rng", func() { Settings{CI: PercentileBootstrap}.Describe([]float64{1, 2}, nil) }},
		{"invalid settings", func() { Settings{Level: 2}.Describe([]float64{1, 2}, nil) }},
		{"invalid expectation", func() { Judge(Expectation{Direction: "!"}, Comparison{}, 0.01) }},
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", tc.name)
				}
			}()
			tc.f()
		}()
	}
}
