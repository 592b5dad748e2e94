package regions

import (
	"fmt"

	"github.com/dreamsim/dreamsim/sim"
)

// PFCParams sets up the (dorsolateral) prefrontal cortex.
type PFCParams struct {
	Population PopulationParams `toml:"population"`
	// Drive is the tonic drive by stage. Dorsolateral PFC activity falls in
	// slow-wave sleep and most in REM (Maquet et al. 1996, Nature 383:163;
	// Braun et al. 1997, Brain 120:1173; Muzur, Pace-Schott & Hobson 2002,
	// Trends Cogn Sci 6:475). Default W 0.7, N1 0.5, N2 0.4, N3 0.3, R 0.15.
	Drive StageDrive `toml:"drive"`
	// NEGain is the drive added per unit of NE tone: moderate NE supports
	// prefrontal function through alpha-2A receptors (Arnsten 2009, Nat Rev
	// Neurosci 10:410); default 0.2.
	NEGain float64 `toml:"ne_gain"`
}

// DefaultPFC returns the defaults documented on PFCParams.
func DefaultPFC() PFCParams {
	return PFCParams{Population: DefaultPopulation(), Drive: StageDrive{W: 0.7, N1: 0.5, N2: 0.4, N3: 0.3, R: 0.15}, NEGain: 0.2}
}

// Validate reports out-of-range parameters.
func (p PFCParams) Validate(dt float64) error {
	var errs fieldErrors
	errs.check(p.Population.Validate(dt), "population")
	errs.finiteDrive("drive", p.Drive)
	errs.nonNeg("ne_gain", p.NEGain)
	return errs.join("pfc")
}

// PFC is the prefrontal cortex. Output "activity" (0-1) is the attention
// that scales hippocampal encoding and the gate on the cortex's dreams:
// high activity keeps generated content close to real memories, low activity
// lets latents mix and drift (the seed paper's hypothesis: Kong & Aarabi
// 2023). Input "ne".
type PFC struct {
	popRegion
	p  PFCParams
	ne float64
}

// NewPFC returns a PFC with the given parameters and manipulations.
func NewPFC(p PFCParams, ms []Manipulation) (*PFC, error) {
	base, err := newPopRegion("pfc", "activity", p.Population, ms)
	if err != nil {
		return nil, fmt.Errorf("regions.pfc: %w", err)
	}
	return &PFC{popRegion: base, p: p}, nil
}

func (r *PFC) Outputs() []string       { return []string{"activity"} }
func (r *PFC) Signals() []string       { return []string{"activity"} }
func (r *PFC) Signal(int) float64      { return r.out }
func (r *PFC) Reset(env sim.Env) error { r.reset(env.RNG); r.ne = 0; return nil }

func (r *PFC) Step(s *sim.Step) error {
	if err := checkInbox(s.Inbox); err != nil {
		return fmt.Errorf("regions.pfc: %w", err)
	}
	r.ne = latest(s.Inbox, "ne", r.ne)
	a := r.stepPop(s, "activity", r.p.Drive.At(s.Stage)+r.p.NEGain*r.ne)
	s.Send("activity", sim.Message{Value: a})
	return nil
}
