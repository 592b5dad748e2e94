package neurons

import (
	"math"
)

// RateParams holds the parameters shared by every unit of a Population.
//
// Each unit i has a rate r, an adaptation variable a and an input noise n,
// and follows (Wilson & Cowan 1972 rate dynamics, with the adaptation model of
// Benda & Herz 2003 and Ornstein-Uhlenbeck input noise):
//
//	Tau      dr/dt = -r + f(drive + n - AdaptStrength*a)
//	AdaptTau da/dt = -a + r
//	NoiseTau dn    = -n dt + NoiseSD*sqrt(2*NoiseTau) dW
//	f(x) = MaxRate / (1 + exp(-Gain*(x - Threshold)))
//
// Start from DefaultRateParams. The zero value is not valid: Tau, Gain and
// MaxRate must be positive. Zero AdaptTau and AdaptStrength mean no
// adaptation, and zero NoiseSD means no noise.
type RateParams struct {
	// Tau is the rate time constant in seconds; default 0.05 s. It sits
	// between the membrane time constant (10-20 ms) and the NMDA gating time
	// constant (100 ms) that sets the slow time scale of recurrent cortical
	// populations (Wong & Wang 2006, J Neurosci 26:1314), and it lets a
	// region step with 10-ms ticks at five Euler steps per Tau. Must be > 0.
	Tau float64

	// Gain is the slope parameter of the sigmoid, in 1/(input unit); default 8.
	// With Threshold 0.5 it maps the normalised drive range [0, 1] onto almost
	// the whole output range: f(0) = 0.018*MaxRate (near silent without drive)
	// and f(1) = 0.982*MaxRate. This is a modelling choice for normalised
	// units, not a measured value. Must be > 0.
	Gain float64

	// Threshold is the half-activation input, in input units; default 0.5.
	// Any finite value is allowed.
	Threshold float64

	// MaxRate is the saturation rate; default 1, so rates are normalised
	// activities in [0, 1]. Setting it in Hz makes every rate in Hz (and
	// AdaptStrength then has units of input units per Hz). Must be finite and > 0.
	MaxRate float64

	// AdaptTau is the spike-frequency adaptation time constant in seconds;
	// default 0.3 s, inside the range from tens of milliseconds to seconds
	// of the adaptation currents reviewed by Benda & Herz (2003, Neural
	// Comput 15:2523). Zero means no adaptation (AdaptStrength must then be
	// zero too). Must be >= 0.
	AdaptTau float64

	// AdaptStrength is the input subtracted per unit of adaptation, in input
	// units per unit rate; default 0.2, so a unit firing at MaxRate for long
	// loses 0.2 input units of drive (a fifth of the normalised drive
	// range). Zero means no adaptation. Must be >= 0.
	AdaptStrength float64

	// NoiseSD is the stationary standard deviation of the Ornstein-Uhlenbeck
	// input noise, in input units; default 0.05 (5% of the normalised drive
	// range). Zero means no noise, and then no random numbers are drawn.
	// Must be >= 0.
	NoiseSD float64

	// NoiseTau is the correlation time of the input noise in seconds; default
	// 0.01 s, close to the 10.5-ms inhibitory background conductance of
	// Destexhe et al. (2001, Neuroscience 107:13), who modelled synaptic
	// background input as Ornstein-Uhlenbeck processes. Must be > 0 when
	// NoiseSD > 0; ignored (and may be zero) when NoiseSD is zero.
	NoiseTau float64
}

// DefaultRateParams returns the default rate parameters. Each field's
// documentation gives its default and the reason for it.
func DefaultRateParams() RateParams {
	return RateParams{
		Tau:           0.05,
		Gain:          8,
		Threshold:     0.5,
		MaxRate:       1,
		AdaptTau:      0.3,
		AdaptStrength: 0.2,
		NoiseSD:       0.05,
		NoiseTau:      0.01,
	}
}

// Validate returns an error describing every invalid field of p (joined with
// errors.Join), naming the field, its value and the allowed range, or nil if
// p is valid.
func (p RateParams) Validate() error {
	f := fieldProblems{typ: "RateParams"}
	bad := f.bad
	if !(p.Tau > 0) || !finite(p.Tau) {
		bad("Tau", p.Tau, "a finite time > 0 s")
	}
	if !(p.Gain > 0) || !finite(p.Gain) {
		bad("Gain", p.Gain, "finite and > 0")
	}
	if !finite(p.Threshold) {
		bad("Threshold", p.Threshold, "a finite value")
	}
	if !(p.MaxRate > 0) || !finite(p.MaxRate) {
		bad("MaxRate", p.MaxRate, "finite and > 0")
	}
	if !(p.AdaptTau >= 0) || !finite(p.AdaptTau) {
		bad("AdaptTau", p.AdaptTau, "a finite time >= 0 s (0 = no adaptation)")
	}
	if !(p.AdaptStrength >= 0) || !finite(p.AdaptStrength) {
		bad("AdaptStrength", p.AdaptStrength, "finite and >= 0")
	} else if p.AdaptStrength > 0 && p.AdaptTau == 0 {
		bad("AdaptStrength", p.AdaptStrength, "0 when AdaptTau = 0 (no adaptation), or set AdaptTau > 0")
	}
	f.inputNoise(p.NoiseSD, p.NoiseTau, "")
	return f.err()
}

// Transfer returns the sigmoid rate f(x) = MaxRate / (1 + exp(-Gain*(x - Threshold)))
// for the total input x.
func (p RateParams) Transfer(x float64) float64 {
	return p.MaxRate / (1 + exp(-p.Gain*(x-p.Threshold)))
}

// MaxStep returns the largest time step in seconds that Population.Step
// accepts: the smallest of Tau and, with adaptation, AdaptTau. Forward Euler
// on a relaxation with time constant tau oscillates for dt > tau and diverges
// for dt > 2*tau, so larger steps are refused rather than silently wrong.
// The noise is advanced exactly and sets no limit.
func (p RateParams) MaxStep() float64 {
	m := p.Tau
	if p.AdaptTau > 0 && p.AdaptTau < m {
		m = p.AdaptTau
	}
	return m
}

// SteadyState returns the noise-free fixed point of a unit under the constant
// drive: the rate r that solves r = f(drive - AdaptStrength*r) (at the fixed
// point the adaptation variable equals the rate). Because the right-hand side
// decreases in r, the root is unique; it is found by bisection on
// [0, MaxRate] to full float64 precision. SteadyState returns NaN for a
// non-finite drive.
func (p RateParams) SteadyState(drive float64) float64 {
	if math.IsNaN(drive) || math.IsInf(drive, 0) {
		return math.NaN()
	}
	g := p.AdaptStrength
	if p.AdaptTau == 0 {
		g = 0
	}
	lo, hi := 0.0, p.MaxRate
	for range 200 {
		mid := lo + (hi-lo)/2
		if mid <= lo || mid >= hi {
			break
		}
		if mid-p.Transfer(drive-g*mid) < 0 {
			lo = mid
		} else {
			hi = mid
		}
	}
	// Return the end point with the smaller residual.
	if math.Abs(lo-p.Transfer(drive-g*lo)) <= math.Abs(hi-p.Transfer(drive-g*hi)) {
		return lo
	}
	return hi
}
