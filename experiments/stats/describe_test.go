package stats

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestDescribeHandComputed(t *testing.T) {
	t.Parallel()
	// x = {1,2,3,4,5}: mean 3, SD √2.5 = 1.5811388, SE = √(2.5/5) = √0.5.
	// t(0.975; 4) = 2.776 (NIST/SEMATECH e-Handbook of Statistical Methods,
	// table 1.3.6.7.2), so the 95% interval is 3 ± 2.776·0.70711 =
	// 3 ± 1.9629 = [1.0371, 4.9629] to the table's four digits.
	s := Describe([]float64{4, 2, 5, 1, 3}, nil)
	if s.N != 5 || s.Mean != 3 || !near(s.SD, math.Sqrt(2.5), 1e-15) {
		t.Errorf("N, Mean, SD = %d, %g, %g, want 5, 3, %g", s.N, s.Mean, s.SD, math.Sqrt(2.5))
	}
	if !near(s.CILow, 3-2.776*math.Sqrt(0.5), 5e-4) || !near(s.CIHigh, 3+2.776*math.Sqrt(0.5), 5e-4) {
		t.Errorf("interval [%.5f, %.5f], want [1.0371, 4.9629] ± 5e-4", s.CILow, s.CIHigh)
	}
}

func TestDescribeDegenerate(t *testing.T) {
	t.Parallel()
	nan, inf := math.NaN(), math.Inf(1)
	for _, tc := range []struct {
		name string
		x    []float64
		want Summary
	}{
		{"nil", nil, Summary{0, nan, nan, nan, nan}},
		{"empty", []float64{}, Summary{0, nan, nan, nan, nan}},
		{"all NaN", []float64{nan, nan}, Summary{0, nan, nan, nan, nan}},
		{"one value", []float64{2.5}, Summary{1, 2.5, nan, nan, nan}},
		{"one value and NaN", []float64{nan, 2.5, nan}, Summary{1, 2.5, nan, nan, nan}},
		// NaN dropped: {1, 3} has mean 2, SD √2, and the interval
		// 2 ± t(0.975; 1)·√2/√2 = 2 ± 12.706 (t table value 12.706).
		{"NaN dropped", []float64{1, nan, 3}, Summary{2, 2, math.Sqrt2, 2 - 12.7062047, 2 + 12.7062047}},
		// A constant sample (including three 0.1s, whose sum is not 0.3)
		// has SD 0 and a zero-width interval at its value.
		{"constant", []float64{0.1, 0.1, 0.1}, Summary{3, 0.1, 0, 0.1, 0.1}},
		{"infinite", []float64{1, inf}, Summary{2, inf, nan, nan, nan}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			for _, m := range []CIMethod{TInterval, PercentileBootstrap} {
				got := Settings{CI: m}.Describe(tc.x, rand.New(rand.NewPCG(1, 2)))
				want := tc.want
				if m == PercentileBootstrap && tc.name == "NaN dropped" {
					// Two values: resample means are 1, 2 or 3 with
					// probabilities 1/4, 1/2, 1/4, so the 2.5% and 97.5%
					// quantiles of 10,000 of them are 1 and 3.
					want.CILow, want.CIHigh = 1, 3
				}
				if got.N != want.N || !near(got.Mean, want.Mean, 1e-15) || !near(got.SD, want.SD, 1e-15) ||
					!near(got.CILow, want.CILow, 1e-6) || !near(got.CIHigh, want.CIHigh, 1e-6) {
					t.Errorf("%v: Describe(%v) = %+v, want %+v", m, tc.x, got, want)
				}
			}
		})
	}
}

func TestDescribeCoverage(t *testing.T) {
	t.Parallel()
	// 1,000 fixed-seed samples of n = 20 from N(0, 1). The t interval is
	// exact under normality, so its coverage of 0 must be 95% within 3
	// binomial SDs (√(0.95·0.05/1000) = 0.0069): [0.929, 0.971], inside the
	// brief's 93-97% up to rounding.
	//
	// The percentile bootstrap is about the z interval with the n-denominator
	// SD, mean ± 1.96·√(19/20)·s/√20, so its expected coverage is
	// P(|t₁₉| < 1.9104) = 0.929 (Hesterberg 2015, "narrowness bias"); it
	// must lie within 3 SDs of that, and its intervals must be narrower than
	// the t intervals by about 1.9104/2.0930 = 0.913 on average.
	const samples, n = 1000, 20
	rng := rand.New(rand.NewPCG(7, 8))
	boot := Settings{CI: PercentileBootstrap, BootstrapResamples: 2000}
	var coverT, coverB int
	var ratio float64
	for range samples {
		x := normalSample(rng, n, 0, 1)
		st := Describe(x, nil)
		sb := boot.Describe(x, rng)
		if st.CILow <= 0 && 0 <= st.CIHigh {
			coverT++
		}
		if sb.CILow <= 0 && 0 <= sb.CIHigh {
			coverB++
		}
		ratio += (sb.CIHigh - sb.CILow) / (st.CIHigh - st.CILow)
	}
	rateT, rateB := float64(coverT)/samples, float64(coverB)/samples
	ratio /= samples
	t.Logf("coverage t %.3f, bootstrap %.3f; width ratio bootstrap/t %.3f", rateT, rateB, ratio)
	if lo, hi := binomialBand(0.95, samples, 3); rateT < lo || rateT > hi {
		t.Errorf("t interval coverage %.3f outside [%.3f, %.3f]", rateT, lo, hi)
	}
	if lo, hi := binomialBand(0.929, samples, 3); rateB < lo || rateB > hi {
		t.Errorf("bootstrap coverage %.3f outside [%.3f, %.3f]", rateB, lo, hi)
	}
	if ratio < 0.89 || ratio > 0.94 {
		t.Errorf("bootstrap/t width ratio %.3f, want 0.913 ± 0.025", ratio)
	}
}

func TestDescribeDeterministic(t *testing.T) {
	t.Parallel()
	// Same seed, same bytes; the order of the values does not matter.
	x := []float64{0.3, 1.7, -0.4, 2.2, math.NaN(), 0.9, 1.1}
	y := []float64{1.1, math.NaN(), 2.2, 0.9, -0.4, 0.3, 1.7}
	s := Settings{CI: PercentileBootstrap}
	a := s.Describe(x, rand.New(rand.NewPCG(9, 9)))
	b := s.Describe(y, rand.New(rand.NewPCG(9, 9)))
	if a != b {
		t.Errorf("bootstrap summaries differ: %+v vs %+v", a, b)
	}
	c := s.Describe(x, rand.New(rand.NewPCG(9, 10)))
	if c.CILow == a.CILow && c.CIHigh == a.CIHigh {
		t.Errorf("a different seed gave the identical bootstrap interval %+v", c)
	}
}

func TestQuantileSorted(t *testing.T) {
	t.Parallel()
	// Hyndman & Fan type 7 on {10, 20, 30, 40, 50}: h = 4p.
	x := []float64{10, 20, 30, 40, 50}
	for _, tc := range []struct{ p, want float64 }{
		{0, 10}, {0.25, 20}, {0.5, 30}, {0.1, 14}, {0.975, 49}, {1, 50},
	} {
		if got := quantileSorted(x, tc.p); !near(got, tc.want, 1e-12) {
			t.Errorf("quantile(%g) = %g, want %g", tc.p, got, tc.want)
		}
	}
}
