package neurons

import (
	"math"
	"strings"
	"testing"
)

func TestRateParamsValidate(t *testing.T) {
	t.Parallel()
	nan, inf := math.NaN(), math.Inf(1)
	cases := []struct {
		name   string
		mutate func(*RateParams)
		want   []string // substrings of the error; nil means valid
	}{
		{"default", func(*RateParams) {}, nil},
		{"no adaptation", func(p *RateParams) { p.AdaptTau, p.AdaptStrength = 0, 0 }, nil},
		{"no noise, zero NoiseTau", func(p *RateParams) { p.NoiseSD, p.NoiseTau = 0, 0 }, nil},
		{"adaptation variable without effect", func(p *RateParams) { p.AdaptStrength = 0 }, nil},
		{"zero value", func(p *RateParams) { *p = RateParams{} }, []string{"Tau = 0", "Gain = 0", "MaxRate = 0"}},
		{"negative Tau", func(p *RateParams) { p.Tau = -1 }, []string{"RateParams.Tau = -1, want a finite time > 0 s"}},
		{"infinite Tau", func(p *RateParams) { p.Tau = inf }, []string{"Tau = +Inf"}},
		{"NaN Gain", func(p *RateParams) { p.Gain = nan }, []string{"Gain = NaN"}},
		{"infinite Threshold", func(p *RateParams) { p.Threshold = -inf }, []string{"Threshold = -Inf, want a finite value"}},
		{"infinite MaxRate", func(p *RateParams) { p.MaxRate = inf }, []string{"MaxRate = +Inf, want finite and > 0"}},
		{"negative AdaptTau", func(p *RateParams) { p.AdaptTau = -0.1 }, []string{"AdaptTau = -0.1"}},
		{"negative AdaptStrength", func(p *RateParams) { p.AdaptStrength = -0.2 }, []string{"AdaptStrength = -0.2, want finite and >= 0"}},
		{"strength without AdaptTau", func(p *RateParams) { p.AdaptTau = 0 }, []string{"AdaptStrength = 0.2, want 0 when AdaptTau = 0"}},
		{"negative NoiseSD", func(p *RateParams) { p.NoiseSD = -1 }, []string{"NoiseSD = -1"}},
		{"noise without NoiseTau", func(p *RateParams) { p.NoiseTau = 0 }, []string{"NoiseTau = 0, want a time > 0 s when NoiseSD > 0"}},
		{"NaN NoiseTau", func(p *RateParams) { p.NoiseTau = nan }, []string{"NoiseTau = NaN"}},
		{"all problems at once", func(p *RateParams) { p.Tau, p.Gain, p.NoiseSD = 0, -1, nan }, []string{"Tau = 0", "Gain = -1", "NoiseSD = NaN"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			p := DefaultRateParams()
			c.mutate(&p)
			err := p.Validate()
			if c.want == nil {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("Validate() = nil, want an error containing %q", c.want)
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("Validate() = %q, want it to contain %q", err, w)
				}
			}
			if _, nerr := NewPopulation(4, p); nerr == nil {
				t.Errorf("NewPopulation accepted invalid params")
			}
		})
	}
}

func TestTransfer(t *testing.T) {
	t.Parallel()
	p := RateParams{Gain: 8, Threshold: 0.5, MaxRate: 20}
	cases := []struct {
		x, want float64
	}{
		{0.5, 10},                        // half activation at the threshold
		{0, 20 / (1 + math.Exp(4))},      // 8*(0 - 0.5) = -4
		{1, 20 / (1 + math.Exp(-4))},     // symmetric point
		{math.Inf(1), 20},                // saturation
		{math.Inf(-1), 0},                // silence
		{-1e6, 0},                        // exp overflows to +Inf, rate 0 (not NaN)
		{1e6, 20},                        // exp underflows to 0
		{0.5 + math.Log(3)/8, 20 * 0.75}, // exp(-log 3) = 1/3
	}
	for _, c := range cases {
		if got := p.Transfer(c.x); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("Transfer(%v) = %v, want %v", c.x, got, c.want)
		}
	}
}

func TestMaxStep(t *testing.T) {
	t.Parallel()
	cases := []struct {
		tau, adaptTau, want float64
	}{
		{0.05, 0.3, 0.05},
		{0.05, 0.01, 0.01},
		{0.05, 0, 0.05}, // no adaptation: only Tau limits
	}
	for _, c := range cases {
		p := RateParams{Tau: c.tau, AdaptTau: c.adaptTau}
		if got := p.MaxStep(); got != c.want {
			t.Errorf("MaxStep() with Tau %v, AdaptTau %v = %v, want %v", c.tau, c.adaptTau, got, c.want)
		}
	}
}

// TestSteadyStateSolvesFixedPoint checks SteadyState against its defining
// equation r = f(drive - AdaptStrength*r) and against the no-adaptation case
// r = f(drive).
func TestSteadyStateSolvesFixedPoint(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		gain     float64
		strength float64
		drive    float64
	}{
		{"no adaptation", 8, 0, 0.7},
		{"default adaptation", 8, 0.2, 0.7},
		{"strong adaptation", 8, 2, 1.5},
		{"steep sigmoid", 50, 0.5, 0.6},
		{"below threshold", 8, 0.2, -3},
		{"far above threshold", 8, 0.2, 3},
		{"saturated", 8, 0.2, 40},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			p := DefaultRateParams()
			p.Gain, p.AdaptStrength = c.gain, c.strength
			r := p.SteadyState(c.drive)
			if res := r - p.Transfer(c.drive-c.strength*r); math.Abs(res) > 1e-14 {
				t.Errorf("residual r - f(d - g*r) = %g at r = %v, want 0", res, r)
			}
			if c.strength == 0 && math.Abs(r-p.Transfer(c.drive)) > 1e-15 {
				t.Errorf("SteadyState = %v, want f(drive) = %v", r, p.Transfer(c.drive))
			}
			if c.strength > 0 && p.Transfer(c.drive) < 1 && !(r < p.Transfer(c.drive)) {
				t.Errorf("adapted steady state %v not below the unadapted rate %v", r, p.Transfer(c.drive))
			}
		})
	}
	if r := DefaultRateParams().SteadyState(math.NaN()); !math.IsNaN(r) {
		t.Errorf("SteadyState(NaN) = %v, want NaN", r)
	}
}
