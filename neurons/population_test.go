package neurons

import (
	"math"
	"math/rand/v2"
	"testing"
)

// quiet returns parameters without noise and without adaptation.
func quiet() RateParams {
	p := DefaultRateParams()
	p.NoiseSD, p.AdaptTau, p.AdaptStrength = 0, 0, 0
	return p
}

func newPop(t testing.TB, n int, p RateParams) *Population {
	t.Helper()
	pop, err := NewPopulation(n, p)
	if err != nil {
		t.Fatal(err)
	}
	return pop
}

// TestRelaxationTimeConstant steps a noise-free, non-adapting population from
// rest under a constant drive d. The exact solution is
// r(t) = f(d) (1 - exp(-t/Tau)). The test fits the decay rate of
// log(1 - r/f(d)) by least squares through the origin and requires the fitted
// time constant to equal Tau within dt/Tau relative error (forward Euler's
// effective time constant is -dt/log(1 - dt/Tau) = Tau (1 - dt/(2 Tau) + ...)).
// It also checks every step against the closed form of the Euler recursion,
// r_n = f(d) (1 - (1 - dt/Tau)^n), which pins down the scheme itself.
func TestRelaxationTimeConstant(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name      string
		tau, dt   float64
		drive     float64
		threshold float64
	}{
		{"default Tau, dt = Tau/1000", 0.05, 0.00005, 0.7, 0.5},
		{"default Tau, dt = Tau/50", 0.05, 0.001, 0.7, 0.5},
		{"fast unit", 0.01, 0.0001, 1.2, 0.5},
		{"slow unit, weak drive", 2, 0.01, 0.1, 0.5},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			p := quiet()
			p.Tau, p.Threshold = c.tau, c.threshold
			pop := newPop(t, 3, p)
			target := p.Transfer(c.drive)
			steps := int(math.Round(3 * c.tau / c.dt))
			var sty, stt, maxErr float64
			for n := 1; n <= steps; n++ {
				pop.Step(c.dt, c.drive, nil)
				r := pop.Rates()[1]
				tn := float64(n) * c.dt
				euler := target * (1 - math.Pow(1-c.dt/c.tau, float64(n)))
				if math.Abs(r-euler) > 1e-12*target {
					t.Fatalf("step %d: rate %v, want Euler closed form %v", n, r, euler)
				}
				y := math.Log(1 - r/target)
				sty += tn * y
				stt += tn * tn
				maxErr = math.Max(maxErr, math.Abs(r-target*(1-math.Exp(-tn/c.tau))))
			}
			tauFit := -stt / sty
			if rel := math.Abs(tauFit-c.tau) / c.tau; rel > c.dt/c.tau {
				t.Errorf("fitted time constant %v, want Tau = %v within %v (relative error %v)", tauFit, c.tau, c.dt/c.tau, rel)
			}
			// The global error of forward Euler is at most exp(-1) f dt/(2 Tau).
			if maxErr > target*c.dt/c.tau {
				t.Errorf("max |r - f(1-exp(-t/Tau))| = %v, want <= %v", maxErr, target*c.dt/c.tau)
			}
		})
	}
}

// TestFixedPointWithAdaptation runs noise-free populations with adaptation
// to their steady state and checks it against the fixed point r* solving
// r* = f(drive - AdaptStrength*r*), with a* = r*, and against the
// no-adaptation rate f(drive), which adaptation must lower.
func TestFixedPointWithAdaptation(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		drive    float64
		strength float64
		adaptTau float64
	}{
		{"no adaptation", 0.6, 0, 0},
		{"default adaptation", 0.6, 0.2, 0.3},
		{"strong fast adaptation", 1.0, 1.5, 0.1},
		{"weak drive", 0.2, 0.2, 0.3},
		{"saturating drive", 3, 0.5, 0.5},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			p := quiet()
			p.AdaptStrength, p.AdaptTau = c.strength, c.adaptTau
			pop := newPop(t, 4, p)
			dt := 0.001
			// 40 of the slowest time constant: the distance to the fixed
			// point shrinks by far more than the 1e-10 tolerance.
			steps := int(40 * math.Max(p.Tau, c.adaptTau) / dt)
			for range steps {
				pop.Step(dt, c.drive, nil)
			}
			want := p.SteadyState(c.drive)
			if res := want - p.Transfer(c.drive-c.strength*want); math.Abs(res) > 1e-14 {
				t.Fatalf("SteadyState is not a fixed point: residual %g", res)
			}
			for i, r := range pop.Rates() {
				if math.Abs(r-want) > 1e-10 {
					t.Errorf("rate[%d] = %v, want fixed point %v", i, r, want)
				}
				if a := pop.adapt[i]; c.adaptTau > 0 && math.Abs(a-want) > 1e-10 {
					t.Errorf("adapt[%d] = %v, want the steady rate %v", i, a, want)
				}
			}
			if c.strength > 0 && !(want < p.Transfer(c.drive)) {
				t.Errorf("adapted rate %v not below unadapted %v", want, p.Transfer(c.drive))
			}
		})
	}
}

// TestAdaptationTimeCourse checks the adaptation variable against its
// analytic response when it does not feed back (AdaptStrength = 0): for a
// unit starting at rest under constant drive, r(t) = f(1 - e^(-t/Tau)) and
//
//	a(t) = f [1 - (AdaptTau e^(-t/AdaptTau) - Tau e^(-t/Tau)) / (AdaptTau - Tau)].
func TestAdaptationTimeCourse(t *testing.T) {
	t.Parallel()
	cases := []struct {
		tau, adaptTau, dt float64
	}{
		{0.05, 0.3, 0.00005},
		{0.02, 1, 0.0001},
		{0.05, 0.06, 0.00005}, // nearly equal time constants
	}
	for _, c := range cases {
		p := quiet()
		p.Tau, p.AdaptTau = c.tau, c.adaptTau
		pop := newPop(t, 1, p)
		drive := 0.8
		f := p.Transfer(drive)
		steps := int(3 * c.adaptTau / c.dt)
		maxErr := 0.0
		for n := 1; n <= steps; n++ {
			pop.Step(c.dt, drive, nil)
			tn := float64(n) * c.dt
			want := f * (1 - (c.adaptTau*math.Exp(-tn/c.adaptTau)-c.tau*math.Exp(-tn/c.tau))/(c.adaptTau-c.tau))
			maxErr = math.Max(maxErr, math.Abs(pop.adapt[0]-want))
		}
		// First-order global error: a few dt/Tau relative to f.
		if tol := 2 * f * c.dt / c.tau; maxErr > tol {
			t.Errorf("Tau %v AdaptTau %v: max |a - analytic| = %v, want <= %v", c.tau, c.adaptTau, maxErr, tol)
		}
	}
}

// TestRateNoiseVarianceLinearRegime drives units at the sigmoid's inflection
// point (f” = 0 there) with weak noise, so the rate is a linear filter of
// the OU noise. The exact stationary variance of the discrete linear system
// r' = (1-k) r + k f' n, n' = mu n + ..., with k = dt/Tau, is
//
//	Var r = k^2 f'^2 NoiseSD^2 (1 + (1-k) mu) / ((1 - (1-k)^2)(1 - (1-k) mu)),
//
// whose dt -> 0 limit is f'^2 NoiseSD^2 NoiseTau / (NoiseTau + Tau). The
// tolerance is four standard errors over independent units plus 0.5% for the
// cubic term of the sigmoid ((Gain*NoiseSD)^2 = 0.0016). It also checks the
// noise variance NoiseSD^2 and that units are uncorrelated.
func TestRateNoiseVarianceLinearRegime(t *testing.T) {
	t.Parallel()
	p := quiet()
	p.NoiseSD, p.NoiseTau = 0.005, 0.01
	drive := p.Threshold
	const units, dt, burn, steps = 8, 0.0005, 2000, 400_000
	pop := newPop(t, units, p)
	rng := rand.New(rand.NewPCG(11, 12))
	pop.Reset(rng)
	for range burn {
		pop.Step(dt, drive, rng)
	}
	var sr, srr, sn, snn, s01 [units]float64
	for range steps {
		pop.Step(dt, drive, rng)
		for i, r := range pop.Rates() {
			sr[i] += r
			srr[i] += r * r
			sn[i] += pop.noise[i]
			snn[i] += pop.noise[i] * pop.noise[i]
		}
		s01[0] += pop.rate[0] * pop.rate[1]
	}
	n := float64(steps)
	varR, varN := 0.0, 0.0
	for i := range units {
		mr, mn := sr[i]/n, sn[i]/n
		varR += srr[i]/n - mr*mr
		varN += snn[i]/n - mn*mn
	}
	varR /= units
	varN /= units

	k := dt / p.Tau
	a := 1 - k
	mu := math.Exp(-dt / p.NoiseTau)
	fp := p.Gain * p.MaxRate / 4
	want := k * k * fp * fp * p.NoiseSD * p.NoiseSD * (1 + a*mu) / ((1 - a*a) * (1 - a*mu))
	// Effective number of independent samples: total duration over twice
	// the integral correlation time (at most Tau + NoiseTau), times units.
	nEff := units * n * dt / (2 * (p.Tau + p.NoiseTau))
	tol := want * (4*math.Sqrt(2/nEff) + 0.005)
	if math.Abs(varR-want) > tol {
		t.Errorf("rate variance %g, want %g within %g", varR, want, tol)
	}
	wantN := p.NoiseSD * p.NoiseSD
	nEffN := units * n * dt / (2 * p.NoiseTau)
	if tolN := wantN * 4 * math.Sqrt(2/nEffN); math.Abs(varN-wantN) > tolN {
		t.Errorf("noise variance %g, want NoiseSD^2 = %g within %g", varN, wantN, tolN)
	}
	m0, m1 := sr[0]/n, sr[1]/n
	corr := (s01[0]/n - m0*m1) / varR
	if tolC := 4 / math.Sqrt(nEff/units); math.Abs(corr) > tolC {
		t.Errorf("correlation between units 0 and 1 = %v, want 0 within %v", corr, tolC)
	}
}

// TestNoiseStepIsExactOU checks the noise update of one step against the
// exact OU transition with the same normal draws, taken in unit order.
func TestNoiseStepIsExactOU(t *testing.T) {
	t.Parallel()
	p := DefaultRateParams()
	pop := newPop(t, 5, p)
	pop.Reset(rand.New(rand.NewPCG(5, 5)))
	before := append([]float64(nil), pop.noise...)
	const dt = 0.002
	rng := rand.New(rand.NewPCG(9, 9))
	twin := rand.New(rand.NewPCG(9, 9))
	pop.Step(dt, 0.5, rng)
	mu := math.Exp(-dt / p.NoiseTau)
	for i, n0 := range before {
		want := mu*n0 + p.NoiseSD*math.Sqrt(1-mu*mu)*twin.NormFloat64()
		if math.Abs(pop.noise[i]-want) > 1e-15 {
			t.Errorf("noise[%d] = %v, want %v", i, pop.noise[i], want)
		}
	}
}

// TestPopulationDeterminism checks that the same seed gives the same bits,
// that a different seed does not, that Reset followed by the same run
// reproduces a fresh population, and that StepInputs with a uniform drive
// equals Step.
func TestPopulationDeterminism(t *testing.T) {
	t.Parallel()
	p := DefaultRateParams()
	run := func(pop *Population, seed uint64, inputs bool) []float64 {
		rng := rand.New(rand.NewPCG(seed, 99))
		pop.Reset(rng)
		drives := make([]float64, pop.Len())
		for k := range 2000 {
			d := 0.3 + 0.5*math.Sin(float64(k)/100)
			if inputs {
				for i := range drives {
					drives[i] = d
				}
				pop.StepInputs(0.001, drives, rng)
			} else {
				pop.Step(0.001, d, rng)
			}
		}
		return append([]float64(nil), pop.Rates()...)
	}
	pop := newPop(t, 16, p)
	a := run(newPop(t, 16, p), 1, false)
	b := run(pop, 1, false)
	c := run(pop, 1, false) // same population, after Reset
	d := run(newPop(t, 16, p), 1, true)
	e := run(newPop(t, 16, p), 2, false)
	for i := range a {
		if math.Float64bits(a[i]) != math.Float64bits(b[i]) {
			t.Errorf("unit %d: same seed gave %v and %v", i, a[i], b[i])
		}
		if math.Float64bits(a[i]) != math.Float64bits(c[i]) {
			t.Errorf("unit %d: rerun after Reset gave %v, want %v", i, c[i], a[i])
		}
		if math.Float64bits(a[i]) != math.Float64bits(d[i]) {
			t.Errorf("unit %d: StepInputs with uniform drive gave %v, Step %v", i, d[i], a[i])
		}
	}
	same := 0
	for i := range a {
		if a[i] == e[i] {
			same++
		}
	}
	if same > 0 {
		t.Errorf("seeds 1 and 2 gave %d identical unit rates", same)
	}
	// Units are distinct: each draws its own noise.
	if a[0] == a[1] {
		t.Errorf("units 0 and 1 have the same rate %v under noise", a[0])
	}
}

// TestStepInputsPerUnit checks that each unit follows its own drive.
func TestStepInputsPerUnit(t *testing.T) {
	t.Parallel()
	p := quiet()
	pop := newPop(t, 3, p)
	drives := []float64{0, 0.5, 1}
	for range 2000 { // 40 Tau
		pop.StepInputs(0.001, drives, nil)
	}
	for i, d := range drives {
		if want := p.Transfer(d); math.Abs(pop.Rates()[i]-want) > 1e-12 {
			t.Errorf("rate[%d] = %v, want f(%v) = %v", i, pop.Rates()[i], d, want)
		}
	}
	if want := (p.Transfer(0) + p.Transfer(0.5) + p.Transfer(1)) / 3; math.Abs(pop.Mean()-want) > 1e-12 {
		t.Errorf("Mean() = %v, want %v", pop.Mean(), want)
	}
}

// TestNonFinite checks that NonFinite names the first bad variable, that a
// NaN or infinite drive shows up in the rates (rather than being hidden by
// the saturating sigmoid), and that a NaN propagates from adaptation to rate.
func TestNonFinite(t *testing.T) {
	t.Parallel()
	nan, inf := math.NaN(), math.Inf(1)
	cases := []struct {
		name string
		act  func(pop *Population, rng *rand.Rand)
		want string
	}{
		{"finite", func(pop *Population, rng *rand.Rand) { pop.Step(0.001, 1e300, rng) }, ""},
		{"NaN drive", func(pop *Population, rng *rand.Rand) { pop.Step(0.001, nan, rng) }, "rate[0]"},
		{"infinite drive", func(pop *Population, rng *rand.Rand) { pop.Step(0.001, inf, rng) }, "rate[0]"},
		{"negative infinite drive", func(pop *Population, rng *rand.Rand) { pop.Step(0.001, -inf, rng) }, "rate[0]"},
		{"one unit's drive", func(pop *Population, rng *rand.Rand) {
			pop.StepInputs(0.001, []float64{0, 0, 0, inf, 0}, rng)
		}, "rate[3]"},
		{"injected adaptation", func(pop *Population, _ *rand.Rand) { pop.adapt[2] = inf }, "adapt[2]"},
		{"adaptation NaN propagates to rate", func(pop *Population, rng *rand.Rand) {
			pop.adapt[4] = nan
			pop.Step(0.001, 0.5, rng)
		}, "rate[4]"},
		{"injected noise", func(pop *Population, _ *rand.Rand) { pop.noise[1] = -inf }, "noise[1]"},
		{"rate before noise", func(pop *Population, _ *rand.Rand) { pop.noise[0], pop.rate[2] = nan, nan }, "rate[2]"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			pop := newPop(t, 5, DefaultRateParams())
			rng := rand.New(rand.NewPCG(1, 1))
			pop.Reset(rng)
			c.act(pop, rng)
			v, bad := pop.NonFinite()
			if v != c.want || bad != (c.want != "") {
				t.Errorf("NonFinite() = %q, %v, want %q, %v", v, bad, c.want, c.want != "")
			}
		})
	}
}

func TestPopulationPanics(t *testing.T) {
	t.Parallel()
	pop := newPop(t, 4, DefaultRateParams()) // MaxStep 0.05 s
	rng := rand.New(rand.NewPCG(1, 1))
	mustPanic(t, "dt = 0", func() { pop.Step(0, 0, rng) })
	mustPanic(t, "dt < 0", func() { pop.Step(-0.001, 0, rng) })
	mustPanic(t, "dt NaN", func() { pop.Step(math.NaN(), 0, rng) })
	mustPanic(t, "dt > MaxStep", func() { pop.Step(0.051, 0, rng) })
	mustPanic(t, "wrong drive length", func() { pop.StepInputs(0.001, make([]float64, 3), rng) })
	pop.Step(0.05, 0, rng) // dt = MaxStep is allowed
	if _, err := NewPopulation(0, DefaultRateParams()); err == nil {
		t.Errorf("NewPopulation(0, ...) returned no error")
	}
}

func TestResetState(t *testing.T) {
	t.Parallel()
	p := DefaultRateParams()
	pop := newPop(t, 2000, p)
	rng := rand.New(rand.NewPCG(4, 4))
	for range 100 {
		pop.Step(0.001, 1, rng)
	}
	pop.Reset(rng)
	for i := range pop.rate {
		if pop.rate[i] != 0 || pop.adapt[i] != 0 {
			t.Fatalf("unit %d after Reset: rate %v, adapt %v, want 0, 0", i, pop.rate[i], pop.adapt[i])
		}
	}
	// The noise is drawn from N(0, NoiseSD^2): check its variance over the
	// 2000 independent units within 4 standard errors (SE = sqrt(2/n) relative).
	_, v := meanVar(pop.noise)
	if want := p.NoiseSD * p.NoiseSD; math.Abs(v-want) > 4*want*math.Sqrt(2.0/2000) {
		t.Errorf("noise variance after Reset = %v, want %v", v, want)
	}
	pop.Reset(nil)
	if _, v := meanVar(pop.noise); v != 0 {
		t.Errorf("Reset(nil) left noise variance %v, want 0", v)
	}
}

func TestPopulationStepDoesNotAllocate(t *testing.T) {
	pop := newPop(t, 64, DefaultRateParams())
	rng := rand.New(rand.NewPCG(1, 2))
	pop.Reset(rng)
	drives := make([]float64, 64)
	if n := testing.AllocsPerRun(100, func() { pop.Step(0.001, 0.5, rng) }); n != 0 {
		t.Errorf("Step allocates %v times per call, want 0", n)
	}
	if n := testing.AllocsPerRun(100, func() { pop.StepInputs(0.001, drives, rng) }); n != 0 {
		t.Errorf("StepInputs allocates %v times per call, want 0", n)
	}
	if n := testing.AllocsPerRun(100, func() { pop.NonFinite() }); n != 0 {
		t.Errorf("NonFinite allocates %v times per call on a finite state, want 0", n)
	}
}
