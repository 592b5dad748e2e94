package regions

import (
	"fmt"
	"math"
	"slices"

	"github.com/dreamsim/dreamsim/generative"
	"github.com/dreamsim/dreamsim/sim"
)

// DayPlan is what one wake phase presents: when, how many episodes, and
// how emotional.
type DayPlan struct {
	Day         int     // 1-based day number
	StartMin    float64 // start of the phase, minutes from the first lights-off
	DurationMin float64 // length of the phase, minutes
	// Episodes is the number of distinct episodes of the day.
	Episodes int
	// EmotionalFraction of them are emotional: |valence| in [0.6, 1] and
	// arousal in [0.6, 1]; the others are neutral: valence in [-0.2, 0.2]
	// and arousal in [0, 0.3].
	EmotionalFraction float64
	// NegativeFraction of the emotional episodes have negative valence.
	NegativeFraction float64
	// Repetitions is how often each episode is presented (spaced evenly
	// through the day).
	Repetitions int
	// Variation is the fraction of the world's range of poses the day's
	// episodes are drawn from: 1 is a broad day, small values a narrow,
	// repetitive day (Hoel 2021's overfitting scenario).
	Variation float64
}

// Episode is one experienced event as the senses present it.
type Episode struct {
	ID        int64
	Day       int
	Class     int
	Emotional bool
	Valence   float64 // -1 to 1
	Arousal   float64 // 0 to 1
	Image     []float64
	Context   []float64
	Times     []float64 // presentation times, minutes from the first lights-off
}

// Senses presents the day's episodes to the brain: the sensory and
// thalamic input of the model, not a region of the seed paper. Output
// "episode": Event with ID, Class, Valence, Arousal and Vec = image followed
// by context.
type Senses struct {
	content  *generative.Content
	plans    []DayPlan
	episodes []Episode
	queue    []presentation
	next     int
	hs       map[string]handles
	vec      []float64 // scratch of Step: an episode's image followed by its context
}

type presentation struct {
	min float64
	ep  int
}

// NewSenses returns the sensory source of a protocol.
func NewSenses(content *generative.Content, plans []DayPlan, ms []Manipulation) (*Senses, error) {
	for _, p := range plans {
		if p.Episodes < 0 || p.Repetitions < 1 || p.DurationMin <= 0 {
			return nil, fmt.Errorf("regions.senses: day %d: %d episodes x %d repetitions over %g min", p.Day, p.Episodes, p.Repetitions, p.DurationMin)
		}
	}
	return &Senses{content: content, plans: plans, hs: split(ms, "episode")}, nil
}

func (r *Senses) Name() string                 { return "senses" }
func (r *Senses) Outputs() []string            { return []string{"episode"} }
func (r *Senses) Signals() []string            { return []string{"episode"} }
func (r *Senses) Signal(int) float64           { return 0 }
func (r *Senses) NonFinite() (string, bool)    { return "", false }
func (r *Senses) Episodes() []Episode          { return r.episodes }
func (r *Senses) Content() *generative.Content { return r.content }

// Reset draws the episodes of every day from the senses' own stream.
func (r *Senses) Reset(env sim.Env) error {
	r.episodes, r.queue, r.next = nil, nil, 0
	rng := env.RNG
	id := int64(1)
	for _, p := range r.plans {
		s := r.content.Settings()
		s.Day = s.World.Narrowed(p.Variation)
		c, err := generative.NewContent(s)
		if err != nil {
			return fmt.Errorf("regions.senses: day %d: %w", p.Day, err)
		}
		eps := c.Day(p.Episodes, rng)
		nEmo := int(math.Round(p.EmotionalFraction * float64(p.Episodes)))
		emo := rng.Perm(p.Episodes)[:nEmo]
		first := len(r.episodes)
		for i, e := range eps {
			ep := Episode{ID: id, Day: p.Day, Class: e.Class, Image: e.Image, Context: e.Context}
			id++
			if slices.Contains(emo, i) {
				ep.Emotional = true
				ep.Valence = 0.6 + 0.4*rng.Float64()
				if rng.Float64() < p.NegativeFraction {
					ep.Valence = -ep.Valence
				}
				ep.Arousal = 0.6 + 0.4*rng.Float64()
			} else {
				ep.Valence = -0.2 + 0.4*rng.Float64()
				ep.Arousal = 0.3 * rng.Float64()
			}
			r.episodes = append(r.episodes, ep)
		}
		// Present in a random order, repetitions spread evenly over the day.
		order := rng.Perm(p.Episodes)
		n := p.Episodes * p.Repetitions
		for k := 0; k < n; k++ {
			e := first + order[k%p.Episodes]
			t := p.StartMin + (float64(k)+0.5)*p.DurationMin/float64(n)
			r.queue = append(r.queue, presentation{min: t, ep: e})
			r.episodes[e].Times = append(r.episodes[e].Times, t)
		}
	}
	return nil
}

func (r *Senses) Step(s *sim.Step) error {
	h := r.hs["episode"]
	for r.next < len(r.queue) && r.queue[r.next].min <= s.Min {
		e := &r.episodes[r.queue[r.next].ep]
		r.next++
		if h.output(s.Moment, 1) == 0 {
			continue
		}
		// The engine copies Vec when sending: one buffer serves every episode.
		r.vec = append(append(r.vec[:0], e.Image...), e.Context...)
		s.Send("episode", sim.Message{Event: sim.Event{ID: e.ID, Class: e.Class, Valence: e.Valence, Arousal: e.Arousal, Strength: 1, Vec: r.vec}})
	}
	return nil
}
