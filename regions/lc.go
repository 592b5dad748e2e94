package regions

import (
	"fmt"
	"math"

	"github.com/dreamsim/dreamsim/sim"
	"github.com/dreamsim/dreamsim/sim/sleep"
)

// LCParams sets up the locus coeruleus, the source of the brain's
// norepinephrine (NE) tone.
type LCParams struct {
	Population PopulationParams `toml:"population"`
	// Drive is the tonic drive by stage. LC neurons fire most in wake, less
	// in NREM and fall nearly silent in REM (Aston-Jones & Bloom 1981,
	// J Neurosci 1:876). Default W 0.8, N1 0.55, N2 0.45, N3 0.4, R -0.4.
	Drive StageDrive `toml:"drive"`
	// OscAmplitude is the amplitude of the infraslow NE oscillation in NREM,
	// input units; default 0.15. Zero turns it off.
	OscAmplitude float64 `toml:"osc_amplitude"`
	// OscPeriodS is its period in seconds; default 50 s (Kjaerby et al.
	// 2022, Nat Neurosci 25:1059: NE oscillates at about 0.02 Hz in NREM).
	OscPeriodS float64 `toml:"osc_period_s"`
	// DescentMin is how long before REM the NE tone starts its descent, in
	// minutes; default 2 (Kjaerby et al. 2022: a prolonged NE descent
	// precedes every REM episode). Zero turns the descent off.
	DescentMin float64 `toml:"descent_min"`
	// BurstGain is the drive added per unit of amygdala arousal signal on an
	// arousing event (phasic LC burst, Aston-Jones & Cohen 2005; driven by
	// the central amygdala's projection to LC, Van Bockstaele et al. 2001);
	// default 0.6.
	BurstGain float64 `toml:"burst_gain"`
	// BurstTauS is the decay time constant of a phasic burst in seconds;
	// default 3 s.
	BurstTauS float64 `toml:"burst_tau_s"`
}

// DefaultLC returns the defaults documented on LCParams.
func DefaultLC() LCParams {
	p := DefaultPopulation()
	return LCParams{
		Population:   p,
		Drive:        StageDrive{W: 0.8, N1: 0.55, N2: 0.45, N3: 0.4, R: -0.4},
		OscAmplitude: 0.15, OscPeriodS: 50, DescentMin: 2,
		BurstGain: 0.6, BurstTauS: 3,
	}
}

// Validate reports out-of-range parameters.
func (p LCParams) Validate(dt float64) error {
	var errs fieldErrors
	errs.check(p.Population.Validate(dt), "population")
	errs.nonNeg("osc_amplitude", p.OscAmplitude)
	errs.positive("osc_period_s", p.OscPeriodS)
	errs.nonNeg("descent_min", p.DescentMin)
	errs.nonNeg("burst_gain", p.BurstGain)
	errs.atLeast("burst_tau_s", p.BurstTauS, dt)
	errs.finiteDrive("drive", p.Drive)
	return errs.join("lc")
}

// LC is the locus coeruleus region. Outputs: "ne", the norepinephrine tone
// in [0, 1]. Inputs: "arousal" events from the amygdala.
type LC struct {
	popRegion
	p     LCParams
	burst float64 // phasic drive, input units
	ne    float64
}

// NewLC returns an LC with the given parameters and manipulations.
func NewLC(p LCParams, ms []Manipulation) (*LC, error) {
	base, err := newPopRegion("lc", "ne", p.Population, ms)
	if err != nil {
		return nil, fmt.Errorf("regions.lc: %w", err)
	}
	return &LC{popRegion: base, p: p}, nil
}

func (r *LC) Outputs() []string { return []string{"ne"} }
func (r *LC) Signals() []string { return []string{"ne", "drive"} }

func (r *LC) Signal(i int) float64 {
	if i == 0 {
		return r.ne
	}
	return r.burst
}

func (r *LC) Reset(env sim.Env) error {
	r.reset(env.RNG)
	r.burst, r.ne = 0, 0
	return nil
}

func (r *LC) Step(s *sim.Step) error {
	if err := checkInbox(s.Inbox); err != nil {
		return fmt.Errorf("regions.lc: %w", err)
	}
	for _, m := range s.Inbox {
		if m.Input == "arousal" {
			r.burst += r.p.BurstGain * m.Value
		}
	}
	r.burst -= s.Dt / r.p.BurstTauS * r.burst
	drive := r.p.Drive.At(s.Stage) + r.burst
	if s.Stage.IsNREM() {
		sec := s.Min * 60
		drive += r.p.OscAmplitude * math.Sin(2*math.Pi*sec/r.p.OscPeriodS)
		if s.Next == sleep.R && r.p.DescentMin > 0 && s.NextMin < r.p.DescentMin {
			// Linear descent from the NREM drive to the REM drive.
			f := 1 - s.NextMin/r.p.DescentMin
			drive += f * (r.p.Drive.R - r.p.Drive.At(s.Stage))
		}
	}
	r.ne = r.stepPop(s, "ne", drive)
	s.Send("ne", sim.Message{Value: r.ne})
	return nil
}

func (r *LC) NonFinite() (string, bool) {
	if v, bad := r.popRegion.NonFinite(); bad {
		return v, true
	}
	if _, ok := finite(r.burst); !ok {
		return "burst", true
	}
	return "", false
}
