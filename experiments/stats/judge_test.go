package stats

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestJudgeRules(t *testing.T) {
	t.Parallel()
	nan, inf := math.NaN(), math.Inf(1)
	gt := Expectation{Direction: Greater}
	lt := Expectation{Direction: Less}
	eq := Expectation{Direction: Equal}
	// A comparison with a standard error, for "=": DF = 30, PooledSD = 1
	// (default margin 0.5).
	cmp := func(diff, g, se float64) Comparison {
		return Comparison{Diff: diff, HedgesG: g, SE: se, DF: 30, PooledSD: 1}
	}
	for _, tc := range []struct {
		name string
		e    Expectation
		c    Comparison
		pAdj float64
		want Verdict
	}{
		{"> significant above", gt, cmp(1, 0.8, 0.3), 0.01, Pass},
		{"> significant above, below MinEffect", Expectation{Direction: Greater, MinEffect: 0.5}, cmp(1, 0.3, 0.3), 0.01, Inconclusive},
		{"> significant above, at MinEffect", Expectation{Direction: Greater, MinEffect: 0.5}, cmp(1, 0.5, 0.3), 0.01, Pass},
		{"> not significant", gt, cmp(1, 0.8, 0.3), 0.2, Inconclusive},
		{"> p equal to alpha", gt, cmp(1, 0.8, 0.3), 0.05, Inconclusive},
		{"> significant below", gt, cmp(-1, -0.8, 0.3), 0.01, Fail},
		{"> significant below, tiny effect still fails", Expectation{Direction: Greater, MinEffect: 2}, cmp(-1, -0.1, 0.3), 0.01, Fail},
		{"> below, not significant", gt, cmp(-1, -0.8, 0.3), 0.2, Inconclusive},
		{"> NaN p", gt, cmp(1, 0.8, 0.3), nan, Inconclusive},
		{"> NaN g with MinEffect", Expectation{Direction: Greater, MinEffect: 0.2}, cmp(1, nan, 0.3), 0.01, Inconclusive},
		{"> stricter alpha", Expectation{Direction: Greater, Alpha: 0.01}, cmp(1, 0.8, 0.3), 0.02, Inconclusive},
		{"> constant groups apart", Expectation{Direction: Greater, MinEffect: 2}, Comparison{Diff: 1, HedgesG: inf, SE: 0, DF: 4}, 0, Pass},
		{"< significant below", lt, cmp(-1, -0.8, 0.3), 0.01, Pass},
		{"< significant above", lt, cmp(1, 0.8, 0.3), 0.01, Fail},
		{"< below MinEffect", Expectation{Direction: Less, MinEffect: 1}, cmp(-1, -0.8, 0.3), 0.01, Inconclusive},
		// "=": TOST with Δ = 0.5 PooledSD = 0.5. Diff 0.1, SE 0.1:
		// t = (0.1+0.5)/0.1 = 6 and (0.1-0.5)/0.1 = -4 on 30 df, p ≈ 2e-4.
		{"= equivalent", eq, cmp(0.1, 0.1, 0.1), 0.4, Pass},
		// SE 0.3: (0.1-0.5)/0.3 = -1.33, one-sided p ≈ 0.096: not shown.
		{"= too noisy", eq, cmp(0.1, 0.1, 0.3), 0.74, Inconclusive},
		// Significant and beyond the margin.
		{"= significant beyond margin", eq, cmp(1, 1, 0.1), 1e-6, Fail},
		// Significant but inside the margin: TOST (0.3-0.5)/0.1 = -2, p ≈ 0.027.
		{"= significant but equivalent", eq, cmp(0.3, 0.3, 0.1), 0.003, Pass},
		// Significant, beyond the margin by the point estimate, TOST fails.
		{"= significant, just beyond", eq, cmp(0.6, 0.6, 0.2), 0.01, Fail},
		// A raw margin of 2 metric units overrides the SD margin.
		{"= raw margin", Expectation{Direction: Equal, EquivalenceMargin: 2}, cmp(1, 1, 0.1), 1e-6, Pass},
		// A margin of 0.2 SD: TOST (0.1-0.2)/0.1 = -1, p ≈ 0.16.
		{"= SD margin", Expectation{Direction: Equal, EquivalenceMarginSD: 0.2}, cmp(0.1, 0.1, 0.1), 0.4, Inconclusive},
		// Equal constants: the default margin is 0 SD = 0 and cannot be
		// shown; a raw margin can.
		{"= equal constants, SD margin", eq, Comparison{Diff: 0, SE: 0, DF: 4, PooledSD: 0}, 1, Inconclusive},
		{"= equal constants, raw margin", Expectation{Direction: Equal, EquivalenceMargin: 0.1}, Comparison{Diff: 0, SE: 0, DF: 4, PooledSD: 0}, 1, Pass},
		{"= different constants", eq, Comparison{Diff: -1, SE: 0, DF: 4, PooledSD: 0, HedgesG: -inf}, 0, Fail},
		{"= too few runs", eq, Comparison{Diff: 1, SE: nan, DF: nan, PooledSD: nan}, nan, Inconclusive},
	} {
		if got := Judge(tc.e, tc.c, tc.pAdj); got != tc.want {
			t.Errorf("%s: Judge = %s, want %s", tc.name, got, tc.want)
		}
	}
}

func TestJudgeErrorRates(t *testing.T) {
	t.Parallel()
	fast := Settings{SkipPermutation: true}
	rate := func(trials int, draw func(*rand.Rand) Comparison, pOf func(Comparison) float64, e Expectation, seed uint64) map[Verdict]float64 {
		rng := rand.New(rand.NewPCG(seed, seed+1))
		counts := map[Verdict]float64{}
		for range trials {
			c := draw(rng)
			counts[Judge(e, c, pOf(c))]++
		}
		for v := range counts {
			counts[v] /= float64(trials)
		}
		return counts
	}
	welchP := func(c Comparison) float64 { return c.PWelch }
	check := func(t *testing.T, what string, got, want float64, trials int) {
		t.Helper()
		lo, hi := binomialBand(want, trials, 3.5)
		t.Logf("%s: %.4f (expected %.4f, band [%.4f, %.4f])", what, got, want, lo, hi)
		if got < lo || got > hi {
			t.Errorf("%s = %.4f outside [%.4f, %.4f]", what, got, lo, hi)
		}
	}

	t.Run("null, Welch", func(t *testing.T) {
		t.Parallel()
		// 4,000 null datasets, 20 vs 20 from N(0, 1). A two-sided test at
		// α = 0.05 rejects 5%, half in each direction: false pass 2.5%,
		// false fail 2.5% (bands ±3.5 binomial SD).
		const trials = 4000
		r := rate(trials, func(rng *rand.Rand) Comparison {
			return fast.Compare(normalSample(rng, 20, 0, 1), normalSample(rng, 20, 0, 1), nil)
		}, welchP, Expectation{Direction: Greater}, 31)
		check(t, "false pass rate", r[Pass], 0.025, trials)
		check(t, "false fail rate", r[Fail], 0.025, trials)
		check(t, "non-inconclusive rate", r[Pass]+r[Fail], 0.05, trials)
	})

	t.Run("null, exact permutation", func(t *testing.T) {
		t.Parallel()
		// 2,000 null datasets, 6 vs 6 (924 splits, each |Diff| shared by a
		// split and its mirror, so p ∈ {2k/924}): the largest p below 0.05
		// is 46/924, so the exact test rejects 46/924 = 4.98% of nulls.
		const trials = 2000
		r := rate(trials, func(rng *rand.Rand) Comparison {
			return Compare(normalSample(rng, 6, 0, 1), normalSample(rng, 6, 0, 1), rng)
		}, func(c Comparison) float64 { return c.PPermutation }, Expectation{Direction: Less}, 41)
		check(t, "non-inconclusive rate", r[Pass]+r[Fail], 46.0/924, trials)
	})

	t.Run("power", func(t *testing.T) {
		t.Parallel()
		// 1,000 datasets, 20 vs 20, true δ = 1.2 SD, MinEffect 0.5. The
		// two-sided t test has power ≈ 0.95 (noncentrality 1.2·√10 = 3.79
		// against a critical value of 2.02); pass must reach 0.90 and fail
		// (the opposite sign, significant) must essentially never happen.
		const trials = 1000
		r := rate(trials, func(rng *rand.Rand) Comparison {
			return fast.Compare(normalSample(rng, 20, 1.2, 1), normalSample(rng, 20, 0, 1), nil)
		}, welchP, Expectation{Direction: Greater, MinEffect: 0.5}, 51)
		t.Logf("pass %.3f, fail %.3f, inconclusive %.3f", r[Pass], r[Fail], r[Inconclusive])
		if r[Pass] < 0.90 || r[Fail] > 0.002 {
			t.Errorf("pass %.3f (want >= 0.90), fail %.3f (want <= 0.002)", r[Pass], r[Fail])
		}
	})

	t.Run("equivalence size", func(t *testing.T) {
		t.Parallel()
		// 4,000 datasets, 100 vs 100, true difference exactly at the raw
		// margin 0.5 (SD 1): non-equivalence is true, and TOST may claim
		// equivalence in at most α = 5% of them. At the boundary it does so
		// in about α, provided the other one-sided test nearly always
		// rejects: here it needs Diff > -0.5 + 1.653·0.141 = -0.27 while Diff
		// is centred at 0.5 with SE 0.141 (5.4 SE away). With 20 vs 20 runs
		// (SE 0.316) the 90% interval, 1.07 wide, cannot fit in the 1.0 wide
		// margin and the rate collapses far below α (0.008 measured), which
		// tests nothing.
		const trials = 4000
		r := rate(trials, func(rng *rand.Rand) Comparison {
			return fast.Compare(normalSample(rng, 100, 0.5, 1), normalSample(rng, 100, 0, 1), nil)
		}, welchP, Expectation{Direction: Equal, EquivalenceMargin: 0.5}, 61)
		check(t, "false equivalence rate", r[Pass], 0.05, trials)
	})

	t.Run("equivalence power", func(t *testing.T) {
		t.Parallel()
		// 1,000 datasets with no true difference and the default margin of
		// 0.5 pooled SD. With 100 vs 100 runs (SE 0.141, t(0.95; 198) =
		// 1.653) equivalence needs |Diff| < 0.5 - 1.653·0.141 = 0.266, which
		// happens with probability 2Φ(0.266/0.141) - 1 = 0.94; pass must
		// reach 0.85. With 20 vs 20 runs the same margin is nearly
		// unattainable (0.5 - 1.686·0.316 < 0): logged for the record, as is
		// the false-fail rate under exact equality, which is about α (a
		// significant Diff at n = 20 is already larger than 0.5 SD).
		const trials = 1000
		for _, n := range []int{100, 20} {
			r := rate(trials, func(rng *rand.Rand) Comparison {
				return fast.Compare(normalSample(rng, n, 0, 1), normalSample(rng, n, 0, 1), nil)
			}, welchP, Expectation{Direction: Equal}, 71)
			t.Logf("n = %d per group: pass %.3f, fail %.3f, inconclusive %.3f", n, r[Pass], r[Fail], r[Inconclusive])
			if n == 100 && r[Pass] < 0.85 {
				t.Errorf("equivalence power at n = 100 is %.3f, want >= 0.85", r[Pass])
			}
			if n == 20 && r[Pass] > 0.05 {
				t.Errorf("equivalence power at n = 20 is %.3f, expected near 0", r[Pass])
			}
		}
	})
}

func TestExpectationValidate(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		e    Expectation
		ok   bool
	}{
		{">", Expectation{Direction: Greater}, true},
		{"< with all fields", Expectation{Direction: Less, Alpha: 0.01, MinEffect: 0.3}, true},
		{"= raw", Expectation{Direction: Equal, EquivalenceMargin: 0.2}, true},
		{"empty direction", Expectation{}, false},
		{"unknown direction", Expectation{Direction: ">="}, false},
		{"alpha 1", Expectation{Direction: Greater, Alpha: 1}, false},
		{"alpha NaN", Expectation{Direction: Greater, Alpha: math.NaN()}, false},
		{"negative effect", Expectation{Direction: Greater, MinEffect: -0.1}, false},
		{"infinite margin", Expectation{Direction: Equal, EquivalenceMargin: math.Inf(1)}, false},
		{"negative SD margin", Expectation{Direction: Equal, EquivalenceMarginSD: -1}, false},
	} {
		if err := tc.e.Validate(); (err == nil) != tc.ok {
			t.Errorf("%s: Validate() = %v, want ok %v", tc.name, err, tc.ok)
		}
	}
}
