package regions

import (
	"fmt"

	"github.com/dreamsim/dreamsim/neurons"
	"github.com/dreamsim/dreamsim/sim/sleep"
)

// StageDrive is the external drive of a population in each sleep stage, in
// the normalised input units of package neurons (a drive of 0.5 puts a unit
// at half activation with the default threshold).
type StageDrive struct {
	W  float64 `toml:"W"`
	N1 float64 `toml:"N1"`
	N2 float64 `toml:"N2"`
	N3 float64 `toml:"N3"`
	R  float64 `toml:"R"`
}

// At returns the drive in stage s.
func (d StageDrive) At(s sleep.Stage) float64 {
	switch s {
	case sleep.N1:
		return d.N1
	case sleep.N2:
		return d.N2
	case sleep.N3:
		return d.N3
	case sleep.R:
		return d.R
	}
	return d.W
}

// PopulationParams sets up the rate population a region is built from
// (package neurons: sigmoid rate units with adaptation and
// Ornstein-Uhlenbeck input noise, Wilson & Cowan 1972; Benda & Herz 2003).
// Regions here model slow, region-wide activity (seconds to minutes), so the
// time constants are longer than those of a local circuit.
type PopulationParams struct {
	Units int `toml:"units"` // number of rate units; default 16. Zero is invalid.
	// TauS is the rate time constant in seconds; default 1 s, the time scale
	// of the slow, state-dependent activity changes seen in region-level
	// recordings across sleep stages. Must be at least the tick length.
	TauS float64 `toml:"tau_s"`
	// Gain is the sigmoid slope, 1/(input unit); default 8.
	Gain float64 `toml:"gain"`
	// Threshold is the half-activation drive, input units; default 0.5.
	Threshold float64 `toml:"threshold"`
	// AdaptTauS is the adaptation time constant in seconds; default 10 s.
	// Zero turns adaptation off.
	AdaptTauS float64 `toml:"adapt_tau_s"`
	// AdaptStrength is the drive lost per unit of sustained rate; default
	// 0.1. Zero turns adaptation off.
	AdaptStrength float64 `toml:"adapt_strength"`
	// NoiseSD is the standard deviation of the input noise, input units;
	// default 0.05.
	NoiseSD float64 `toml:"noise_sd"`
	// NoiseTauS is the correlation time of the input noise in seconds;
	// default 1 s.
	NoiseTauS float64 `toml:"noise_tau_s"`
}

// DefaultPopulation returns the defaults documented on PopulationParams.
func DefaultPopulation() PopulationParams {
	return PopulationParams{Units: 16, TauS: 1, Gain: 8, Threshold: 0.5, AdaptTauS: 10, AdaptStrength: 0.1, NoiseSD: 0.05, NoiseTauS: 1}
}

func (p PopulationParams) rate() neurons.RateParams {
	return neurons.RateParams{
		Tau: p.TauS, Gain: p.Gain, Threshold: p.Threshold, MaxRate: 1,
		AdaptTau: p.AdaptTauS, AdaptStrength: p.AdaptStrength,
		NoiseSD: p.NoiseSD, NoiseTau: p.NoiseTauS,
	}
}

// Validate checks the parameters against the tick length dt in seconds:
// forward Euler needs dt no larger than the smallest time constant.
func (p PopulationParams) Validate(dt float64) error {
	if p.Units < 1 || p.Units > 100000 {
		return fmt.Errorf("units = %d out of range [1, 100000]", p.Units)
	}
	rp := p.rate()
	if p.AdaptStrength == 0 {
		rp.AdaptTau = 0
	}
	if err := rp.Validate(); err != nil {
		return err
	}
	if m := rp.MaxStep(); dt > m {
		return fmt.Errorf("dt = %g s is larger than the smallest time constant %g s (tau_s or adapt_tau_s): forward Euler would be unstable", dt, m)
	}
	return nil
}

func (p PopulationParams) build() (*neurons.Population, error) {
	rp := p.rate()
	if p.AdaptStrength == 0 {
		rp.AdaptTau = 0
	}
	return neurons.NewPopulation(p.Units, rp)
}
