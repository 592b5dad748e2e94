package neurons

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// TestOUStationaryStatistics runs long fixed-seed OU trajectories and checks
// the stationary variance SD^2 and the autocorrelation exp(-lag/Tau) within
// four standard errors. The standard errors are those of an AR(1) sequence
// with coefficient phi = exp(-dt/Tau), which the sampled OU process is
// exactly: Var(s^2) = 2 SD^4 (1+phi^2) / (N (1-phi^2)) and Bartlett's formula
// Var(rho_k) = [(1+phi^2)(1-phi^2k)/(1-phi^2) - 2k phi^2k] / N.
// The case with dt = 2*Tau would fail an Euler-Maruyama update (negative
// correlation, variance off by far more than the tolerance) and passes only
// because the update is exact (Gillespie 1996).
func TestOUStationaryStatistics(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		tau, sd float64
		dt      float64
		n       int
		lags    []int // in steps
	}{
		{"fine steps", 0.02, 1.5, 0.001, 1_000_000, []int{1, 10, 20, 40}},
		{"dt = Tau/2", 0.01, 0.05, 0.005, 400_000, []int{1, 2, 4}},
		{"dt = 2 Tau", 0.01, 3, 0.02, 200_000, []int{1, 2}},
	}
	for k, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			rng := rand.New(rand.NewPCG(7, uint64(k)))
			o := OU{Tau: c.tau, SD: c.sd}
			o.Stationary(rng)
			x := make([]float64, c.n)
			for i := range x {
				x[i] = o.Step(c.dt, rng)
			}
			phi := math.Exp(-c.dt / c.tau)
			n := float64(c.n)
			mean, variance := meanVar(x)
			if se := c.sd * math.Sqrt(1/(n*(1-phi)*(1-phi))); math.Abs(mean) > 4*se {
				// Var(mean) of AR(1) is SD^2 (1+phi)/(N(1-phi)) <= SD^2/(N(1-phi)^2).
				t.Errorf("mean = %g, want 0 within %g", mean, 4*se)
			}
			want := c.sd * c.sd
			se := want * math.Sqrt(2*(1+phi*phi)/(n*(1-phi*phi)))
			if math.Abs(variance-want) > 4*se {
				t.Errorf("variance = %g, want %g within 4 SE = %g", variance, want, 4*se)
			}
			for _, lag := range c.lags {
				rho := autocorr(x, mean, variance, lag)
				want := math.Exp(-float64(lag) * c.dt / c.tau)
				p2k := math.Pow(phi, 2*float64(lag))
				se := math.Sqrt(((1+phi*phi)*(1-p2k)/(1-phi*phi) - 2*float64(lag)*p2k) / n)
				if math.Abs(rho-want) > 4*se {
					t.Errorf("autocorrelation at lag %g s = %g, want exp(-lag/Tau) = %g within 4 SE = %g",
						float64(lag)*c.dt, rho, want, 4*se)
				}
			}
		})
	}
}

// TestOUStepIsExactUpdate checks one step against the closed form of the
// transition X' = mu X + SD sqrt(1-mu^2) z with the same normal draw z, and
// that changing dt, Tau or SD between steps is taken into account.
func TestOUStepIsExactUpdate(t *testing.T) {
	t.Parallel()
	o := OU{Tau: 0.01, SD: 2, X: 0.7}
	rng := rand.New(rand.NewPCG(3, 4))
	twin := rand.New(rand.NewPCG(3, 4))
	for _, s := range []struct{ dt, tau, sd float64 }{
		{0.001, 0.01, 2}, {0.001, 0.01, 2}, {0.004, 0.01, 2}, {0.004, 0.03, 2}, {0.004, 0.03, 0.5},
	} {
		o.Tau, o.SD = s.tau, s.sd
		mu := math.Exp(-s.dt / s.tau)
		want := mu*o.X + s.sd*math.Sqrt(1-mu*mu)*twin.NormFloat64()
		if got := o.Step(s.dt, rng); math.Abs(got-want) > 1e-15 {
			t.Errorf("Step(%v) with Tau %v, SD %v = %v, want %v", s.dt, s.tau, s.sd, got, want)
		}
	}
}

func TestOUSilentDrawsNothing(t *testing.T) {
	t.Parallel()
	o := OU{Tau: 0.01, X: 1}
	o.Step(0.01, nil) // must not touch the nil rng
	if want := math.Exp(-1); math.Abs(o.X-want) > 1e-16 {
		t.Errorf("silent OU decayed to %v, want %v", o.X, want)
	}
	o.Stationary(nil)
	if o.X != 0 {
		t.Errorf("Stationary with SD 0 gave %v, want 0", o.X)
	}
}

func TestOUDeterminism(t *testing.T) {
	t.Parallel()
	run := func(seed uint64) float64 {
		rng := rand.New(rand.NewPCG(seed, 0))
		o := OU{Tau: 0.01, SD: 1}
		o.Stationary(rng)
		for range 10_000 {
			o.Step(0.001, rng)
		}
		return o.X
	}
	if a, b := run(1), run(1); math.Float64bits(a) != math.Float64bits(b) {
		t.Errorf("same seed gave %v and %v", a, b)
	}
	if a, b := run(1), run(2); a == b {
		t.Errorf("different seeds gave the same value %v", a)
	}
}

func TestOUValidate(t *testing.T) {
	t.Parallel()
	cases := []struct {
		o    OU
		want string // "" means valid
	}{
		{OU{Tau: 0.01, SD: 1}, ""},
		{OU{Tau: 0.01}, ""},
		{OU{SD: 1}, "OU.Tau = 0"},
		{OU{Tau: math.Inf(1), SD: 1}, "OU.Tau = +Inf"},
		{OU{Tau: 0.01, SD: -1}, "OU.SD = -1"},
		{OU{Tau: 0.01, SD: math.NaN()}, "OU.SD = NaN"},
	}
	for _, c := range cases {
		err := c.o.Validate()
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%+v: Validate() = %v, want nil", c.o, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%+v: Validate() = %v, want an error containing %q", c.o, err, c.want)
		}
	}
	mustPanic(t, "Step with Tau 0", func() { (&OU{SD: 1}).Step(0.001, rand.New(rand.NewPCG(1, 1))) })
	mustPanic(t, "Step with dt 0", func() { (&OU{Tau: 1, SD: 1}).Step(0, rand.New(rand.NewPCG(1, 1))) })
}

func TestOUStepDoesNotAllocate(t *testing.T) {
	o := OU{Tau: 0.01, SD: 1}
	rng := rand.New(rand.NewPCG(1, 2))
	if n := testing.AllocsPerRun(100, func() { o.Step(0.001, rng) }); n != 0 {
		t.Errorf("OU.Step allocates %v times per call, want 0", n)
	}
}

// meanVar returns the sample mean and the sample variance (divisor n) of x.
func meanVar(x []float64) (mean, variance float64) {
	for _, v := range x {
		mean += v
	}
	mean /= float64(len(x))
	for _, v := range x {
		variance += (v - mean) * (v - mean)
	}
	return mean, variance / float64(len(x))
}

// autocorr returns the sample autocorrelation of x at the given lag.
func autocorr(x []float64, mean, variance float64, lag int) float64 {
	s := 0.0
	for i := lag; i < len(x); i++ {
		s += (x[i] - mean) * (x[i-lag] - mean)
	}
	return s / float64(len(x)) / variance
}

// mustPanic fails the test if f does not panic.
func mustPanic(t *testing.T, name string, f func()) {
	t.Helper()
	defer func() {
		if recover() == nil {
			t.Errorf("%s did not panic", name)
		}
	}()
	f()
}
