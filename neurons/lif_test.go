package neurons

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

func newLIF(t testing.TB, n int, p LIFParams) *LIF {
	t.Helper()
	l, err := NewLIF(n, p)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// TestLIFRate checks the interspike interval of noise-free neurons under
// constant drive against the analytic period 1/Rate = Refractory +
// TauM*ln((Vinf - VReset)/(Vinf - VThresh)): every interval must be the same
// whole number of steps, within [1/Rate, 1/Rate + 2 dt).
func TestLIFRate(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name       string
		drive      float64 // mV
		refractory float64 // s
		dt         float64 // s
	}{
		{"just above threshold", 20.5, 0.002, 0.0001},
		{"moderate", 30, 0.002, 0.0001},
		{"strong", 60, 0.002, 0.0001},
		{"no refractory period", 30, 0, 0.0001},
		{"coarse step", 30, 0.002, 0.0005},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			p := DefaultLIFParams()
			p.Refractory = c.refractory
			l := newLIF(t, 3, p)
			period := 1 / p.Rate(c.drive)
			var spikes []int
			for k := range int(2 / c.dt) {
				if n := l.Step(c.dt, c.drive, nil); n > 0 {
					if n != 3 {
						t.Fatalf("step %d: %d of 3 identical neurons spiked", k, n)
					}
					spikes = append(spikes, k)
				}
			}
			if len(spikes) < 3 {
				t.Fatalf("%d spikes in 2 s, want a regular train (period %v s)", len(spikes), period)
			}
			isi := spikes[2] - spikes[1]
			for k := 2; k < len(spikes); k++ {
				if d := spikes[k] - spikes[k-1]; d != isi {
					t.Fatalf("interval %d is %d steps, want %d like the others", k, d, isi)
				}
			}
			if got := float64(isi) * c.dt; got < period-1e-12 || got >= period+2*c.dt {
				t.Errorf("interspike interval %v s, want in [%v, %v)", got, period, period+2*c.dt)
			}
		})
	}
	// Drive 30 mV: Vinf = -40 mV, (Vinf - VReset)/(Vinf - VThresh) = 20/10,
	// period 2 ms + 20 ms * ln 2.
	if got, want := DefaultLIFParams().Rate(30), 1/(0.002+0.02*math.Ln2); math.Abs(got-want) > 1e-12 {
		t.Errorf("Rate(30) = %v Hz, want %v", got, want)
	}
	if r := DefaultLIFParams().Rate(20); r != 0 {
		t.Errorf("Rate at threshold = %v, want 0", r)
	}
}

// TestLIFSubthresholdExact checks that below threshold V follows
// Vinf + (EL - Vinf) exp(-t/TauM) at the grid times even with dt = TauM,
// where forward Euler would jump straight to Vinf: the update is exact.
func TestLIFSubthresholdExact(t *testing.T) {
	t.Parallel()
	p := DefaultLIFParams()
	l := newLIF(t, 2, p)
	const drive = 15.0 // mV: Vinf = -55 mV, below the -50 mV threshold
	vInf := p.EL + drive
	for _, dt := range []float64{p.TauM, p.TauM / 7} {
		l.Reset(nil)
		for k := 1; k <= 20; k++ {
			if n := l.Step(dt, drive, nil); n != 0 {
				t.Fatalf("dt %v: %d spikes below threshold", dt, n)
			}
			want := vInf + (p.EL-vInf)*math.Exp(-float64(k)*dt/p.TauM)
			if got := l.V()[1]; math.Abs(got-want) > 1e-12 {
				t.Fatalf("dt %v, step %d: V = %v mV, want %v", dt, k, got, want)
			}
		}
	}
}

// TestLIFRefractory checks that after a spike V stays at VReset for exactly
// Refractory/dt steps, however strong the drive, and then integrates again.
func TestLIFRefractory(t *testing.T) {
	t.Parallel()
	p := DefaultLIFParams() // Refractory 2 ms
	l := newLIF(t, 1, p)
	const dt, drive = 0.0001, 1e5 // mV: crosses threshold in one step (1 - exp(-dt/TauM) = 0.005)
	if n := l.Step(dt, drive, nil); n != 1 {
		t.Fatalf("first step: %d spikes, want 1", n)
	}
	for k := 1; k <= 20; k++ { // 2 ms / 0.1 ms
		if n := l.Step(dt, drive, nil); n != 0 || l.V()[0] != p.VReset {
			t.Fatalf("refractory step %d: %d spikes, V = %v, want 0 spikes at VReset %v", k, n, l.V()[0], p.VReset)
		}
	}
	if n := l.Step(dt, drive, nil); n != 1 || !l.Spiked()[0] {
		t.Errorf("step after the refractory period: %d spikes, want 1", n)
	}
}

// TestLIFNoiseDrivenFiring checks fluctuation-driven firing: with the mean
// input below threshold, neurons fire only with noise, and the same seed
// gives the same spike train.
func TestLIFNoiseDrivenFiring(t *testing.T) {
	t.Parallel()
	run := func(sd float64, seed uint64) (int, []float64) {
		p := DefaultLIFParams()
		p.NoiseSD = sd
		l := newLIF(t, 20, p)
		rng := rand.New(rand.NewPCG(seed, 1))
		l.Reset(rng)
		total := 0
		for range 10000 { // 1 s
			total += l.Step(0.0001, 15, rng)
		}
		return total, append([]float64(nil), l.V()...)
	}
	if n, _ := run(0, 1); n != 0 {
		t.Errorf("%d spikes without noise below threshold, want 0", n)
	}
	n1, v1 := run(5, 1)
	n2, v2 := run(5, 1)
	if n1 == 0 {
		t.Errorf("no spikes with 5 mV noise 5 mV below threshold")
	}
	if n1 != n2 {
		t.Errorf("same seed gave %d and %d spikes", n1, n2)
	}
	for i := range v1 {
		if math.Float64bits(v1[i]) != math.Float64bits(v2[i]) {
			t.Errorf("neuron %d: same seed gave V %v and %v", i, v1[i], v2[i])
		}
	}
}

func TestLIFNonFinite(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		drive float64
		inRef bool // step while refractory
		want  string
	}{
		{"finite", 25, false, ""},
		{"NaN drive", math.NaN(), false, "v[0]"},
		{"infinite drive", math.Inf(1), false, "v[0]"},
		{"negative infinite drive", math.Inf(-1), false, "v[0]"},
		{"infinite drive while refractory", math.Inf(1), true, "v[0]"},
	}
	for _, c := range cases {
		l := newLIF(t, 2, DefaultLIFParams())
		if c.inRef {
			if l.Step(0.0001, 1e5, nil) != 2 { // spike: now refractory
				t.Fatalf("%s: no spike under a huge drive", c.name)
			}
		}
		l.Step(0.0001, c.drive, nil)
		if v, bad := l.NonFinite(); v != c.want || bad != (c.want != "") {
			t.Errorf("%s: NonFinite() = %q, %v, want %q", c.name, v, bad, c.want)
		}
	}
	l := newLIF(t, 3, DefaultLIFParams())
	l.noise[2] = math.NaN()
	if v, _ := l.NonFinite(); v != "noise[2]" {
		t.Errorf("NonFinite() = %q, want noise[2]", v)
	}
}

func TestLIFParamsValidate(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		mutate func(*LIFParams)
		want   []string
	}{
		{"default", func(*LIFParams) {}, nil},
		{"with noise", func(p *LIFParams) { p.NoiseSD = 2 }, nil},
		{"zero value", func(p *LIFParams) { *p = LIFParams{} }, []string{"TauM = 0", "VThresh = 0, want above VReset = 0 mV"}},
		{"threshold below reset", func(p *LIFParams) { p.VThresh = -65 }, []string{"VThresh = -65, want above VReset = -60 mV"}},
		{"negative refractory", func(p *LIFParams) { p.Refractory = -0.001 }, []string{"Refractory = -0.001"}},
		{"NaN rest", func(p *LIFParams) { p.EL = math.NaN() }, []string{"EL = NaN, want a finite potential in mV"}},
		{"noise without time constant", func(p *LIFParams) { p.NoiseSD, p.NoiseTau = 1, 0 }, []string{"NoiseTau = 0, want a time > 0 s when NoiseSD > 0"}},
	}
	for _, c := range cases {
		p := DefaultLIFParams()
		c.mutate(&p)
		err := p.Validate()
		if c.want == nil {
			if err != nil {
				t.Errorf("%s: Validate() = %v, want nil", c.name, err)
			}
			continue
		}
		if err == nil {
			t.Errorf("%s: Validate() = nil, want %q", c.name, c.want)
			continue
		}
		for _, s := range c.want {
			if !strings.Contains(err.Error(), s) {
				t.Errorf("%s: Validate() = %q, want it to contain %q", c.name, err, s)
			}
		}
		if _, err := NewLIF(2, p); err == nil {
			t.Errorf("%s: NewLIF accepted invalid params", c.name)
		}
	}
	if _, err := NewLIF(0, DefaultLIFParams()); err == nil {
		t.Errorf("NewLIF(0, ...) returned no error")
	}
	l := newLIF(t, 2, DefaultLIFParams())
	mustPanic(t, "LIF step with dt 0", func() { l.Step(0, 0, nil) })
	mustPanic(t, "LIF StepInputs with wrong length", func() { l.StepInputs(0.001, []float64{1}, nil) })
}

func TestLIFStepDoesNotAllocate(t *testing.T) {
	p := DefaultLIFParams()
	p.NoiseSD = 3
	l := newLIF(t, 64, p)
	rng := rand.New(rand.NewPCG(1, 2))
	drives := make([]float64, 64)
	if n := testing.AllocsPerRun(100, func() { l.Step(0.0001, 25, rng) }); n != 0 {
		t.Errorf("Step allocates %v times per call, want 0", n)
	}
	if n := testing.AllocsPerRun(100, func() { l.StepInputs(0.0001, drives, rng) }); n != 0 {
		t.Errorf("StepInputs allocates %v times per call, want 0", n)
	}
}
