package regions

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/dreamsim/dreamsim/neurons"
	"github.com/dreamsim/dreamsim/sim"
)

// popRegion is what the population-based regions share: a rate population,
// the manipulations on its signals, and its current output.
type popRegion struct {
	name   string
	params PopulationParams
	pop    *neurons.Population
	hs     map[string]handles // manipulations by signal
	lesion handles            // ablations, which silence every output
	out    float64            // main output after manipulations
}

func newPopRegion(name, main string, p PopulationParams, ms []Manipulation) (popRegion, error) {
	pop, err := p.build()
	if err != nil {
		return popRegion{}, err
	}
	r := popRegion{name: name, params: p, pop: pop, hs: split(ms, main)}
	r.lesion = lesions(ms)
	return r, nil
}

func (r *popRegion) Name() string { return r.name }

func (r *popRegion) reset(rng *rand.Rand) { r.pop.Reset(rng); r.out = 0 }

// stepPop advances the population with the drive plus any stimulation of
// the main signal, and returns the manipulated output.
func (r *popRegion) stepPop(s *sim.Step, main string, drive float64) float64 {
	h := r.hs[main]
	r.pop.Step(s.Dt, drive+h.drive(s.Moment), s.RNG)
	r.out = h.output(s.Moment, r.pop.Mean())
	return r.out
}

// signal applies the manipulations of a secondary signal.
func (r *popRegion) signal(s *sim.Step, name string, raw float64) float64 {
	h, ok := r.hs[name]
	if !ok {
		return raw
	}
	return h.output(s.Moment, raw)
}

// lesioned reports whether an ablation silences the whole region now.
func (r *popRegion) lesioned(at sim.Moment) bool {
	return r.lesion.lesioned(at)
}

func (r *popRegion) NonFinite() (string, bool) {
	if v, bad := r.pop.NonFinite(); bad {
		return v, true
	}
	if math.IsNaN(r.out) || math.IsInf(r.out, 0) {
		return "output", true
	}
	return "", false
}

// latest keeps the newest value received on an input.
func latest(in []sim.Message, input string, old float64) float64 {
	for i := range in {
		if in[i].Input == input {
			old = in[i].Value
		}
	}
	return old
}

func finite(xs ...float64) (int, bool) {
	for i, x := range xs {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return i, false
		}
	}
	return -1, true
}

// checkInbox refuses messages that carry NaN or Inf, so that a fault
// upstream stops the run with the input named rather than spreading.
func checkInbox(in []sim.Message) error {
	for i := range in {
		m := &in[i]
		_, ok := finite(m.Value, m.Event.Valence, m.Event.Arousal, m.Event.Strength)
		if ok {
			_, ok = finite(m.Event.Vec...)
		}
		if !ok {
			return fmt.Errorf("input %q: the message %s.%s sent at tick %d carries NaN or Inf", m.Input, m.From, m.Output, m.Sent)
		}
	}
	return nil
}
