package regions

import (
	"fmt"
	"math"

	"github.com/dreamsim/dreamsim/sim"
	"github.com/dreamsim/dreamsim/sim/sleep"
)

// AmygdalaParams sets up the amygdala.
type AmygdalaParams struct {
	Population PopulationParams `toml:"population"`
	// Drive is the tonic drive by stage. The amygdala is more active in REM
	// than in wake or NREM (Maquet et al. 1996, Nature 383:163;
	// Corsi-Cabrera et al. 2016, J Sleep Res 25:576). Default W 0.45,
	// N1 0.4, N2 0.35, N3 0.35, R 0.65.
	Drive StageDrive `toml:"drive"`
	// EventGain is the phasic drive added per unit of an episode's arousal,
	// input units; default 0.5.
	EventGain float64 `toml:"event_gain"`
	// EventTauS is the decay time constant of that response in seconds;
	// default 3 s.
	EventTauS float64 `toml:"event_tau_s"`
	// TagBase and TagGain set the emotional tag an episode gets at encoding:
	// tag = arousal * min(1, TagBase + TagGain*activity), so the tag grows
	// with the event's arousal and with how engaged the amygdala is
	// (McGaugh 2004, Annu Rev Neurosci 27:1). Defaults 0.5 and 1.
	TagBase float64 `toml:"tag_base"`
	TagGain float64 `toml:"tag_gain"`
	// Depotentiation is the fraction of a memory's arousal (and tag) removed
	// each time it is reactivated in REM, scaled by the absence of NE
	// (1 - NE): REM reprocesses emotional memories in a low-noradrenaline
	// state, keeping their content while their affective charge fades
	// (Walker & van der Helm 2009, Psychol Bull 135:731). Default 0.05.
	Depotentiation float64 `toml:"depotentiation"`
}

// DefaultAmygdala returns the defaults documented on AmygdalaParams.
func DefaultAmygdala() AmygdalaParams {
	return AmygdalaParams{
		Population: DefaultPopulation(),
		Drive:      StageDrive{W: 0.45, N1: 0.4, N2: 0.35, N3: 0.35, R: 0.65},
		EventGain:  0.5, EventTauS: 3, TagBase: 0.5, TagGain: 1, Depotentiation: 0.05,
	}
}

// Validate reports out-of-range parameters.
func (p AmygdalaParams) Validate(dt float64) error {
	var errs fieldErrors
	errs.check(p.Population.Validate(dt), "population")
	errs.finiteDrive("drive", p.Drive)
	errs.nonNeg("event_gain", p.EventGain)
	errs.atLeast("event_tau_s", p.EventTauS, dt)
	errs.unit("tag_base", p.TagBase)
	errs.nonNeg("tag_gain", p.TagGain)
	errs.unit("depotentiation", p.Depotentiation)
	return errs.join("amygdala")
}

// affect is the amygdala's emotional record of one memory.
type affect struct {
	valence, arousal, tag float64
}

// Amygdala tags episodes with valence and arousal, signals arousing events
// to the LC, and depotentiates the affect of memories reactivated in REM.
// Outputs: "activity" (0-1), "tag" (events: ID, Valence, Arousal, and the tag
// in Strength), "arousal" (to the LC; Value is the event's arousal signal).
// Inputs: "episode", "ne", "reactivation" (events naming a memory).
type Amygdala struct {
	popRegion
	p      AmygdalaParams
	phasic float64
	ne     float64
	tags   map[int64]affect
}

// NewAmygdala returns an amygdala with the given parameters and manipulations.
func NewAmygdala(p AmygdalaParams, ms []Manipulation) (*Amygdala, error) {
	base, err := newPopRegion("amygdala", "activity", p.Population, ms)
	if err != nil {
		return nil, fmt.Errorf("regions.amygdala: %w", err)
	}
	return &Amygdala{popRegion: base, p: p}, nil
}

func (r *Amygdala) Outputs() []string  { return []string{"activity", "tag", "arousal"} }
func (r *Amygdala) Signals() []string  { return []string{"activity"} }
func (r *Amygdala) Signal(int) float64 { return r.out }

func (r *Amygdala) Reset(env sim.Env) error {
	r.reset(env.RNG)
	r.phasic, r.ne = 0, 0
	r.tags = map[int64]affect{}
	return nil
}

func (r *Amygdala) Step(s *sim.Step) error {
	if err := checkInbox(s.Inbox); err != nil {
		return fmt.Errorf("regions.amygdala: %w", err)
	}
	lesion := r.lesioned(s.Moment)
	for _, m := range s.Inbox {
		switch m.Input {
		case "ne":
			r.ne = m.Value
		case "episode":
			r.phasic += r.p.EventGain * m.Event.Arousal
			if lesion {
				continue
			}
			tag := m.Event.Arousal * math.Min(1, r.p.TagBase+r.p.TagGain*r.out)
			r.tags[m.Event.ID] = affect{valence: m.Event.Valence, arousal: m.Event.Arousal, tag: tag}
			s.Send("tag", sim.Message{Event: sim.Event{ID: m.Event.ID, Class: -1, Valence: m.Event.Valence, Arousal: m.Event.Arousal, Strength: tag}})
			s.Send("arousal", sim.Message{Value: m.Event.Arousal * tag})
		case "reactivation":
			a, ok := r.tags[m.Event.ID]
			if !ok || lesion || s.Stage != sleep.R {
				continue
			}
			f := 1 - r.p.Depotentiation*(1-r.ne)
			a.arousal *= f
			a.tag *= f
			r.tags[m.Event.ID] = a
			s.Send("tag", sim.Message{Event: sim.Event{ID: m.Event.ID, Class: -1, Valence: a.valence, Arousal: a.arousal, Strength: a.tag}})
		}
	}
	r.phasic -= s.Dt / r.p.EventTauS * r.phasic
	a := r.stepPop(s, "activity", r.p.Drive.At(s.Stage)+r.phasic)
	s.Send("activity", sim.Message{Value: a})
	return nil
}

// Affect returns the current valence, arousal and tag the amygdala holds
// for a memory, and whether it has one.
func (r *Amygdala) Affect(id int64) (valence, arousal, tag float64, ok bool) {
	a, ok := r.tags[id]
	if !ok {
		return 0, 0, 0, false
	}
	return a.valence, a.arousal, a.tag, true
}
