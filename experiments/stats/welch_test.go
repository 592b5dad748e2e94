package stats

import (
	"math"
	"math/rand/v2"
	"testing"
)

// studentTTwoSidedP integrates the Student t density with Simpson's rule to
// get 2·P(T_ν > |t|), independently of the incomplete beta function behind
// distuv.StudentsT.
func studentTTwoSidedP(t, nu float64) float64 {
	lg1, _ := math.Lgamma((nu + 1) / 2)
	lg2, _ := math.Lgamma(nu / 2)
	c := math.Exp(lg1-lg2) / math.Sqrt(nu*math.Pi)
	f := func(x float64) float64 { return c * math.Pow(1+x*x/nu, -(nu+1)/2) }
	const steps = 20_000
	h := math.Abs(t) / steps
	s := f(0) + f(math.Abs(t))
	for i := 1; i < steps; i++ {
		w := 2.0
		if i%2 == 1 {
			w = 4
		}
		s += w * f(float64(i)*h)
	}
	return 1 - 2*s*h/3
}

func TestWelchHandComputed(t *testing.T) {
	t.Parallel()
	// a = {1,2,3,4,5}: mean 3, variance (4+1+0+1+4)/4 = 2.5.
	// b = {2,4,6}:     mean 4, variance (4+0+4)/2   = 4.
	// Diff = -1; SE² = 2.5/5 + 4/3 = 11/6, SE = √(11/6) = 1.3540064;
	// t = -1/√(11/6) = -√(6/11) = -0.73854895;
	// df = (11/6)² / ((1/2)²/4 + (4/3)²/2) = (121/36)/(1/16 + 8/9)
	//    = (121/36)(144/137) = 484/137 = 3.5328467.
	// Pooled variance (4·2.5 + 2·4)/6 = 3, so PooledSD = √3.
	a := []float64{1, 2, 3, 4, 5}
	b := []float64{2, 4, 6}
	c := Compare(a, b, rand.New(rand.NewPCG(1, 1)))
	wantT := -math.Sqrt(6.0 / 11)
	wantDF := 484.0 / 137
	wantP := studentTTwoSidedP(wantT, wantDF)
	for _, f := range []struct {
		name      string
		got, want float64
	}{
		{"Diff", c.Diff, -1},
		{"SE", c.SE, math.Sqrt(11.0 / 6)},
		{"T", c.T, wantT},
		{"DF", c.DF, wantDF},
		{"PWelch", c.PWelch, wantP},
		{"PooledSD", c.PooledSD, math.Sqrt(3)},
	} {
		if !near(f.got, f.want, 1e-9) {
			t.Errorf("%s = %.12g, want %.12g", f.name, f.got, f.want)
		}
	}
	// The interval must be symmetric about Diff and its half width must be
	// the t quantile at which the two-sided p (by integration) is 0.05.
	half := (c.DiffCIHigh - c.DiffCILow) / 2
	if !near((c.DiffCIHigh+c.DiffCILow)/2, -1, 1e-12) {
		t.Errorf("interval [%g, %g] not centred on -1", c.DiffCILow, c.DiffCIHigh)
	}
	if p := studentTTwoSidedP(half/c.SE, wantDF); !near(p, 0.05, 1e-8) {
		t.Errorf("interval half width %g gives two-sided p %g, want 0.05", half, p)
	}
	if c.NA != 5 || c.NB != 3 {
		t.Errorf("NA, NB = %d, %d, want 5, 3", c.NA, c.NB)
	}
}

func TestWelchPublished(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name          string
		a, b          []float64
		t, df, p      float64
		ciLow, ciHigh float64
		tolT, tolDF   float64
		tolP, tolCI   float64
	}{
		{
			// Student's sleep data (Cushny & Peebles 1905; Student 1908),
			// extra hours of sleep under drug 1 and drug 2, as shipped in R
			// (datasets::sleep). R's t.test(extra ~ group, data = sleep)
			// prints t = -1.8608, df = 17.776, p-value = 0.07939 and
			// 95 percent confidence interval -3.3654832 0.2054832; the same
			// t, df and p are quoted in the afex documentation
			// (compare.2.vectors example: -1.861, 17.78, 0.07939).
			name: "sleep",
			a:    []float64{0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0},
			b:    []float64{1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4},
			t:    -1.8608, df: 17.776, p: 0.07939,
			ciLow: -3.3654832, ciHigh: 0.2054832,
			tolT: 5e-5, tolDF: 5e-4, tolP: 5e-6, tolCI: 5e-8,
		},
		{
			// Exam scores with and without a prep booklet, Statology's
			// "Welch's t-test in R" example: t = 2.2361, df = 14.354,
			// p-value = 0.04171, 95 percent confidence interval
			// 0.3048395 13.8618272.
			name: "booklet",
			a:    []float64{90, 85, 88, 89, 94, 91, 79, 83, 87, 88, 91, 90},
			b:    []float64{67, 90, 71, 95, 88, 83, 72, 66, 75, 86, 93, 84},
			t:    2.2361, df: 14.354, p: 0.04171,
			ciLow: 0.3048395, ciHigh: 13.8618272,
			tolT: 5e-5, tolDF: 5e-4, tolP: 5e-6, tolCI: 5e-7,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := Settings{SkipPermutation: true}.Compare(tc.a, tc.b, nil)
			if !near(c.T, tc.t, tc.tolT) {
				t.Errorf("T = %.6f, want %.4f", c.T, tc.t)
			}
			if !near(c.DF, tc.df, tc.tolDF) {
				t.Errorf("DF = %.6f, want %.3f", c.DF, tc.df)
			}
			if !near(c.PWelch, tc.p, tc.tolP) {
				t.Errorf("PWelch = %.7f, want %.5f", c.PWelch, tc.p)
			}
			if !near(c.DiffCILow, tc.ciLow, tc.tolCI) || !near(c.DiffCIHigh, tc.ciHigh, tc.tolCI) {
				t.Errorf("interval [%.8f, %.8f], want [%.7f, %.7f]", c.DiffCILow, c.DiffCIHigh, tc.ciLow, tc.ciHigh)
			}
		})
	}
}

func TestWelchIntervalCoverage(t *testing.T) {
	t.Parallel()
	// 2,000 fixed-seed pairs of groups with unequal sizes and variances,
	// n = 8 from N(0, 1) and n = 15 from N(0, 3²): the 95% Welch interval
	// of the difference must cover the true difference 0 in 95% ± 3.5
	// binomial SDs (±1.7 points) of them.
	const trials = 2000
	rng := rand.New(rand.NewPCG(11, 12))
	var covered int
	for range trials {
		c := Settings{SkipPermutation: true}.Compare(normalSample(rng, 8, 0, 1), normalSample(rng, 15, 0, 3), nil)
		if c.DiffCILow <= 0 && 0 <= c.DiffCIHigh {
			covered++
		}
	}
	rate := float64(covered) / trials
	lo, hi := binomialBand(0.95, trials, 3.5)
	t.Logf("Welch 95%% interval coverage %.4f (band [%.4f, %.4f])", rate, lo, hi)
	if rate < lo || rate > hi {
		t.Errorf("coverage %.4f outside [%.4f, %.4f]", rate, lo, hi)
	}
}
