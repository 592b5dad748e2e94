package neurons

import (
	"fmt"
	"math/rand/v2"
	"strconv"
)

// Population is a group of N firing-rate units that share one RateParams;
// each unit has its own rate, adaptation and noise state. The equations are
// those documented on RateParams.
//
// Step and StepInputs advance the population by dt seconds as follows; every
// right-hand side is evaluated on the state at the start of the step, t:
//
//	x_i(t)    = drive_i + n_i(t) - AdaptStrength*a_i(t)
//	r_i(t+dt) = r_i(t) + dt/Tau      * (f(x_i(t)) - r_i(t))
//	a_i(t+dt) = a_i(t) + dt/AdaptTau * (r_i(t) - a_i(t))
//	n_i(t+dt) = mu*n_i(t) + NoiseSD*sqrt(1 - mu^2)*z_i,  mu = exp(-dt/NoiseTau)
//
// This is the Euler-Maruyama scheme for the joint system (r, a, n) in which
// the noise, whose equation is linear, is advanced with its exact transition
// law (Gillespie 1996) instead of its Euler-Maruyama approximation. Rate and
// adaptation have no diffusion term of their own, so for them Euler-Maruyama
// is forward Euler with the noise held at its start-of-step value. The z_i
// are drawn from rng in unit order, one per unit and step, and only when
// NoiseSD > 0. The drive is taken as constant over the step.
//
// Each unit draws its own noise, so units differ only through their noise
// and their per-unit drive. A Population is not safe for concurrent use.
type Population struct {
	params  RateParams
	maxStep float64 // s, the largest dt Step accepts

	rate  []float64 // r_i, in units of MaxRate
	adapt []float64 // a_i, in units of MaxRate
	noise []float64 // n_i, input units
	z     []float64 // scratch: the sigmoid exponentials of a step

	// Cached Ornstein-Uhlenbeck coefficients for the last dt.
	cDt, mu, kick float64
}

// NewPopulation returns a population of n units with parameters p, at rest:
// every rate, adaptation and noise value is zero. It returns an error if n < 1
// or p is invalid.
func NewPopulation(n int, p RateParams) (*Population, error) {
	if n < 1 {
		return nil, fmt.Errorf("neurons: population size %d, want >= 1", n)
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return &Population{
		params:  p,
		maxStep: p.MaxStep(),
		rate:    make([]float64, n),
		adapt:   make([]float64, n),
		noise:   make([]float64, n),
		z:       make([]float64, n),
	}, nil
}

// Len returns the number of units.
func (p *Population) Len() int { return len(p.rate) }

// Params returns the parameters of the population.
func (p *Population) Params() RateParams { return p.params }

// Reset returns the population to rest: every rate and adaptation value is
// zero, and each unit's noise is drawn from its stationary distribution
// N(0, NoiseSD^2) so that the noise is stationary from the first step. With a
// nil rng, or when NoiseSD is zero, the noise is set to zero instead and
// nothing is drawn; the state is then the one NewPopulation returns.
func (p *Population) Reset(rng *rand.Rand) {
	clear(p.rate)
	clear(p.adapt)
	if rng == nil || p.params.NoiseSD == 0 {
		clear(p.noise)
		return
	}
	for i := range p.noise {
		p.noise[i] = p.params.NoiseSD * rng.NormFloat64()
	}
}

// Step advances every unit by dt seconds under the same external drive (in
// input units), with the scheme documented on Population. rng may be nil
// when NoiseSD is zero. Step does not allocate.
//
// Step panics if dt is not in (0, Params().MaxStep()], a programmer error
// that would otherwise make forward Euler oscillate or diverge. A non-finite
// drive makes the rates NaN (instead of being clipped by the saturating
// sigmoid), so that NonFinite reports it.
func (p *Population) Step(dt, drive float64, rng *rand.Rand) {
	p.step(dt, drive, nil, rng)
}

// StepInputs is Step with a drive per unit: unit i receives drive[i]. It
// panics if len(drive) differs from Len.
func (p *Population) StepInputs(dt float64, drive []float64, rng *rand.Rand) {
	if len(drive) != len(p.rate) {
		panic(fmt.Sprintf("neurons: StepInputs got %d drives for %d units", len(drive), len(p.rate)))
	}
	p.step(dt, 0, drive, rng)
}

// step implements Step (drives == nil) and StepInputs.
func (p *Population) step(dt, drive float64, drives []float64, rng *rand.Rand) {
	if !(dt > 0) || dt > p.maxStep {
		panic(fmt.Sprintf("neurons: Population step dt = %v s, want 0 < dt <= MaxStep() = %v s (the smallest of Tau and AdaptTau)", dt, p.maxStep))
	}
	par := &p.params
	kr := dt / par.Tau
	ka, g := 0.0, 0.0
	if par.AdaptTau > 0 {
		ka, g = dt/par.AdaptTau, par.AdaptStrength
	}
	noisy := par.NoiseSD > 0
	if noisy && dt != p.cDt {
		p.mu, p.kick = ouCoefficients(dt, par.NoiseTau, par.NoiseSD)
		p.cDt = dt
	}
	gain, th, maxRate := par.Gain, par.Threshold, par.MaxRate
	mu, kick := p.mu, p.kick

	rate, adapt, noise, z := p.rate, p.adapt[:len(p.rate)], p.noise[:len(p.rate)], p.z[:len(p.rate)]
	if drives != nil {
		drives = drives[:len(rate)]
	}
	// First pass: the sigmoid arguments, and the adaptation and noise
	// updates, which need only start-of-step values.
	for i, r := range rate {
		d := drive
		if drives != nil {
			d = drives[i]
		}
		a, n := adapt[i], noise[i]
		x := d + n - g*a
		// x - x is 0 for finite x and NaN for an infinite one: it carries a
		// non-finite input into the rate, where the saturating sigmoid would
		// hide it.
		z[i] = -gain*(x-th) + (x - x)
		adapt[i] = a + ka*(r-a)
		if noisy {
			noise[i] = mu*n + kick*rng.NormFloat64()
		}
	}
	expSlice(z)
	for i, r := range rate {
		rate[i] = r + kr*(maxRate/(1+z[i])-r)
	}
}

// Mean returns the mean rate over the units.
func (p *Population) Mean() float64 {
	s := 0.0
	for _, r := range p.rate {
		s += r
	}
	return s / float64(len(p.rate))
}

// Rates returns the rates of the units, in the units of MaxRate. The slice is
// a read-only view of the population's state: the caller must not modify it,
// and the next Step, StepInputs or Reset overwrites it. Copy it to keep it.
func (p *Population) Rates() []float64 { return p.rate }

// NonFinite reports the first state variable that is NaN or infinite, named
// as "rate[i]", "adapt[i]" or "noise[i]" (checked in that order, each in unit
// order), and whether there is one. It returns "", false for a finite state.
func (p *Population) NonFinite() (variable string, bad bool) {
	for _, v := range []struct {
		name string
		x    []float64
	}{{"rate", p.rate}, {"adapt", p.adapt}, {"noise", p.noise}} {
		if i := firstNonFinite(v.x); i >= 0 {
			return v.name + "[" + strconv.Itoa(i) + "]", true
		}
	}
	return "", false
}

// firstNonFinite returns the index of the first NaN or infinite element of x,
// or -1 if there is none.
func firstNonFinite(x []float64) int {
	for i, v := range x {
		// v - v is NaN exactly when v is NaN or infinite.
		if v-v != 0 {
			return i
		}
	}
	return -1
}
