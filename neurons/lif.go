package neurons

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
)

// LIFParams holds the parameters of a population of leaky integrate-and-fire
// neurons (Lapicque 1907; in the form of Gerstner et al. 2014, Neuronal
// Dynamics, ch. 1). Each neuron i has a membrane potential V and an input
// noise n:
//
//	TauM dV/dt = -(V - EL) + drive_i + n_i
//	NoiseTau dn = -n dt + NoiseSD*sqrt(2*NoiseTau) dW
//
// When V reaches VThresh the neuron spikes, V is set to VReset and held
// there for Refractory seconds. The drive is the input current times the
// membrane resistance, in mV. The defaults are the neuron parameters of
// Brunel (2000, J Comput Neurosci 8:183): TauM 20 ms, threshold 20 mV and
// reset 10 mV above rest, refractory period 2 ms.
//
// Start from DefaultLIFParams. The zero value is not valid (TauM must be
// positive and VThresh above VReset); zero Refractory means no refractory
// period and zero NoiseSD means no noise.
type LIFParams struct {
	TauM       float64 // s, membrane time constant; default 0.02 s, must be > 0
	EL         float64 // mV, resting (leak reversal) potential; default -70 mV
	VThresh    float64 // mV, spike threshold; default -50 mV, must be > VReset
	VReset     float64 // mV, reset potential after a spike; default -60 mV
	Refractory float64 // s, absolute refractory period; default 0.002 s, must be >= 0
	NoiseSD    float64 // mV, stationary standard deviation of the OU input noise; default 0 (no noise)
	NoiseTau   float64 // s, correlation time of the input noise; default 0.005 s, must be > 0 when NoiseSD > 0
}

// DefaultLIFParams returns the default LIF parameters (Brunel 2000), without
// noise.
func DefaultLIFParams() LIFParams {
	return LIFParams{
		TauM: 0.02, EL: -70, VThresh: -50, VReset: -60,
		Refractory: 0.002, NoiseSD: 0, NoiseTau: 0.005,
	}
}

// Validate returns an error describing every invalid field of p, naming the
// field, its value and the allowed range, or nil if p is valid.
func (p LIFParams) Validate() error {
	f := fieldProblems{typ: "LIFParams"}
	bad := f.bad
	if !(p.TauM > 0) || !finite(p.TauM) {
		bad("TauM", p.TauM, "a finite time > 0 s")
	}
	for _, f := range []struct {
		name string
		v    float64
	}{{"EL", p.EL}, {"VThresh", p.VThresh}, {"VReset", p.VReset}} {
		if !finite(f.v) {
			bad(f.name, f.v, "a finite potential in mV")
		}
	}
	if finite(p.VThresh) && finite(p.VReset) && !(p.VThresh > p.VReset) {
		bad("VThresh", p.VThresh, fmt.Sprintf("above VReset = %v mV", p.VReset))
	}
	if !(p.Refractory >= 0) || !finite(p.Refractory) {
		bad("Refractory", p.Refractory, "a finite time >= 0 s")
	}
	f.inputNoise(p.NoiseSD, p.NoiseTau, "mV")
	return f.err()
}

// Rate returns the firing rate in Hz of a noise-free neuron under the
// constant drive (mV): zero if EL + drive does not exceed VThresh, else
// 1 / (Refractory + TauM*ln((EL + drive - VReset) / (EL + drive - VThresh))),
// the inverse of the time to climb from reset to threshold plus the
// refractory period (Gerstner et al. 2014, section 1.3). In a simulation
// with step dt the period 1/Rate is rounded up to whole steps twice (the
// refractory period and the climb), so it is longer by less than 2*dt.
func (p LIFParams) Rate(drive float64) float64 {
	vInf := p.EL + drive
	if !(vInf > p.VThresh) {
		return 0
	}
	return 1 / (p.Refractory + p.TauM*math.Log((vInf-p.VReset)/(vInf-p.VThresh)))
}

// LIF is a population of N leaky integrate-and-fire neurons that share one
// LIFParams (see there for the model). It is not safe for concurrent use.
//
// Step advances each neuron by dt seconds. The membrane equation is linear
// with the drive and noise held at their start-of-step values, so it is
// integrated exactly over the step (Rotter & Diesmann 1999, Biol Cybern
// 81:381):
//
//	V(t+dt) = Vinf + (V(t) - Vinf)*exp(-dt/TauM),  Vinf = EL + drive + n(t);
//
// the noise is then advanced with the exact OU update (Gillespie 1996). A
// neuron whose V reaches VThresh at the end of a step spikes at that grid
// time, is reset to VReset and is held there for the steps that start less
// than Refractory seconds after the spike (the refractory period rounded up
// to whole steps); its noise keeps advancing meanwhile.
type LIF struct {
	params LIFParams
	v      []float64 // mV, membrane potentials
	noise  []float64 // mV, input noise
	ref    []float64 // s, refractory time left
	spiked []bool    // whether the neuron spiked in the last step

	// Cached propagators for the last dt.
	cDt, decay, mu, kick float64
}

// NewLIF returns a population of n neurons at rest (V = EL, no noise, not
// refractory). It returns an error if n < 1 or p is invalid.
func NewLIF(n int, p LIFParams) (*LIF, error) {
	if n < 1 {
		return nil, fmt.Errorf("neurons: LIF population size %d, want >= 1", n)
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	l := &LIF{
		params: p,
		v:      make([]float64, n),
		noise:  make([]float64, n),
		ref:    make([]float64, n),
		spiked: make([]bool, n),
	}
	l.Reset(nil)
	return l, nil
}

// Len returns the number of neurons.
func (l *LIF) Len() int { return len(l.v) }

// Params returns the parameters of the population.
func (l *LIF) Params() LIFParams { return l.params }

// Reset puts every neuron at rest (V = EL, not refractory, no spike) and
// draws each neuron's noise from its stationary distribution N(0, NoiseSD^2);
// with a nil rng or NoiseSD zero the noise is set to zero and nothing is drawn.
func (l *LIF) Reset(rng *rand.Rand) {
	for i := range l.v {
		l.v[i] = l.params.EL
	}
	clear(l.ref)
	clear(l.spiked)
	if rng == nil || l.params.NoiseSD == 0 {
		clear(l.noise)
		return
	}
	for i := range l.noise {
		l.noise[i] = l.params.NoiseSD * rng.NormFloat64()
	}
}

// Step advances every neuron by dt seconds under the same drive (mV) and
// returns the number of neurons that spiked. rng may be nil when NoiseSD is
// zero. Step does not allocate. It panics if dt is not a finite time > 0.
func (l *LIF) Step(dt, drive float64, rng *rand.Rand) int {
	return l.step(dt, drive, nil, rng)
}

// StepInputs is Step with a drive per neuron. It panics if len(drive)
// differs from Len.
func (l *LIF) StepInputs(dt float64, drive []float64, rng *rand.Rand) int {
	if len(drive) != len(l.v) {
		panic(fmt.Sprintf("neurons: LIF.StepInputs got %d drives for %d neurons", len(drive), len(l.v)))
	}
	return l.step(dt, 0, drive, rng)
}

// refractoryEps absorbs the rounding of repeated subtraction of dt from the
// refractory time, so that a period of k*dt lasts exactly k steps.
const refractoryEps = 1e-9 // s

func (l *LIF) step(dt, drive float64, drives []float64, rng *rand.Rand) int {
	if !(dt > 0) || math.IsInf(dt, 0) {
		panic(fmt.Sprintf("neurons: LIF step dt = %v, want a finite time > 0 s", dt))
	}
	par := &l.params
	noisy := par.NoiseSD > 0
	if dt != l.cDt {
		l.decay = math.Exp(-dt / par.TauM)
		if noisy {
			l.mu, l.kick = ouCoefficients(dt, par.NoiseTau, par.NoiseSD)
		}
		l.cDt = dt
	}
	decay, mu, kick := l.decay, l.mu, l.kick
	el, th, reset, refractory := par.EL, par.VThresh, par.VReset, par.Refractory
	v, noise, ref, spiked := l.v, l.noise[:len(l.v)], l.ref[:len(l.v)], l.spiked[:len(l.v)]
	count := 0
	for i, vi := range v {
		d := drive
		if drives != nil {
			d = drives[i]
		}
		n := noise[i]
		if noisy {
			noise[i] = mu*n + kick*rng.NormFloat64()
		}
		spiked[i] = false
		if ref[i] > refractoryEps {
			ref[i] -= dt
			v[i] = reset + 0*(d+n) // 0*x keeps a non-finite input visible
			continue
		}
		vInf := el + d + n
		vi = vInf + (vi-vInf)*decay
		if vi >= th {
			vi = reset
			ref[i] = refractory
			spiked[i] = true
			count++
		}
		v[i] = vi
	}
	return count
}

// V returns the membrane potentials in mV, as a read-only view of the state
// that the next Step, StepInputs or Reset overwrites.
func (l *LIF) V() []float64 { return l.v }

// Spiked returns whether each neuron spiked in the last step, as a read-only
// view like V.
func (l *LIF) Spiked() []bool { return l.spiked }

// NonFinite reports the first state variable that is NaN or infinite, named
// "v[i]" or "noise[i]", and whether there is one. A NaN or infinite drive
// makes V NaN (Inf - Inf in the update, 0*Inf while refractory), and a NaN V
// never spikes, so NonFinite reports it.
func (l *LIF) NonFinite() (variable string, bad bool) {
	if i := firstNonFinite(l.v); i >= 0 {
		return "v[" + strconv.Itoa(i) + "]", true
	}
	if i := firstNonFinite(l.noise); i >= 0 {
		return "noise[" + strconv.Itoa(i) + "]", true
	}
	return "", false
}
