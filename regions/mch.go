package regions

import (
	"fmt"

	"github.com/dreamsim/dreamsim/sim"
)

// MCHParams sets up the population of melanin-concentrating hormone (MCH)
// neurons of the lateral hypothalamus.
type MCHParams struct {
	Population PopulationParams `toml:"population"`
	// Drive is the tonic drive by stage. MCH neurons are silent in wake,
	// fire occasionally in NREM and maximally in REM (Hassani, Lee & Jones
	// 2009, PNAS 106:2418). Default W -0.3, N1 0.15, N2 0.25, N3 0.25, R 0.6,
	// which leaves the REM population below saturation, so stimulation can
	// raise it (Izawa et al. 2019 activated MCH neurons optogenetically).
	Drive StageDrive `toml:"drive"`
	// NEInhibition is the drive removed per unit of NE tone: noradrenaline
	// hyperpolarises MCH neurons through alpha-2 receptors (van den Pol et al.
	// 2004, J Neurosci 24:11412); default 0.3.
	NEInhibition float64 `toml:"ne_inhibition"`
}

// DefaultMCH returns the defaults documented on MCHParams. Its input noise
// is larger than the other regions' so that NREM activity comes in
// occasional bouts rather than as a steady low rate.
func DefaultMCH() MCHParams {
	p := DefaultPopulation()
	p.NoiseSD = 0.15
	p.NoiseTauS = 5
	return MCHParams{Population: p, Drive: StageDrive{W: -0.3, N1: 0.15, N2: 0.25, N3: 0.25, R: 0.6}, NEInhibition: 0.3}
}

// Validate reports out-of-range parameters.
func (p MCHParams) Validate(dt float64) error {
	var errs fieldErrors
	errs.check(p.Population.Validate(dt), "population")
	errs.finiteDrive("drive", p.Drive)
	errs.nonNeg("ne_inhibition", p.NEInhibition)
	return errs.join("mch")
}

// MCH is the MCH neuron population. Output "activity" (mean rate, 0-1)
// goes to the hippocampus, whose traces it erases through the forgetting
// rule (Izawa et al. 2019, Science 365:1308: MCH neurons inhibit hippocampal
// pyramidal cells and drive active forgetting in REM). Input "ne".
type MCH struct {
	popRegion
	p  MCHParams
	ne float64
}

// NewMCH returns an MCH population with the given parameters and manipulations.
func NewMCH(p MCHParams, ms []Manipulation) (*MCH, error) {
	base, err := newPopRegion("mch", "activity", p.Population, ms)
	if err != nil {
		return nil, fmt.Errorf("regions.mch: %w", err)
	}
	return &MCH{popRegion: base, p: p}, nil
}

func (r *MCH) Outputs() []string       { return []string{"activity"} }
func (r *MCH) Signals() []string       { return []string{"activity"} }
func (r *MCH) Signal(int) float64      { return r.out }
func (r *MCH) Reset(env sim.Env) error { r.reset(env.RNG); r.ne = 0; return nil }

func (r *MCH) Step(s *sim.Step) error {
	if err := checkInbox(s.Inbox); err != nil {
		return fmt.Errorf("regions.mch: %w", err)
	}
	r.ne = latest(s.Inbox, "ne", r.ne)
	a := r.stepPop(s, "activity", r.p.Drive.At(s.Stage)-r.p.NEInhibition*r.ne)
	s.Send("activity", sim.Message{Value: a})
	return nil
}
