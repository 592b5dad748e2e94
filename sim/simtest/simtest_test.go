package simtest

import (
	"math"
	"math/rand/v2"
	"slices"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dreamsim/dreamsim/sim"
)

// flaw is a defect a toy region can be built with, to show that the suite
// catches it.
type flaw uint8

const (
	sound        flaw = iota
	sharedState       // instances share a package-level counter
	mapOrder          // sends in the iteration order of a map
	noReset           // Reset keeps the state of the last run
	keepsVec          // keeps received vectors without copying them
	peeks             // learns inputs through a side channel before they arrive
	hidesNaN          // stores a NaN input where NonFinite does not look
	leaksNaN          // passes a NaN input on without keeping it
	overflows         // multiplies its state by its input
	dupOutput         // lists an output twice
	dottedName        // has a '.' in its name
	wrongInput        // reads an input the subject does not declare
	unstableSigs      // its signal list changes after Reset
)

var (
	shared atomic.Int64 // the state sharedState instances share
	peeked atomic.Int64 // what the input generator of peeks leaks (float bits)
)

// toy is a noisy leaky integrator of the values on "drive" that keeps the
// vectors of "vec" events; it sends its state on "x" and, every 10th tick,
// the last vector on "echo".
type toy struct {
	flaw  flaw
	x     float64
	held  float64 // a value NonFinite does not check (hidesNaN)
	last  []float64
	kept  map[int]float64
	steps int
}

func (r *toy) Name() string {
	if r.flaw == dottedName {
		return "toy.region"
	}
	return "toy"
}

func (r *toy) Outputs() []string {
	if r.flaw == dupOutput {
		return []string{"x", "echo", "x"}
	}
	return []string{"x", "echo"}
}

func (r *toy) Signals() []string {
	if r.flaw == unstableSigs && r.steps > 0 {
		return []string{"x", "held", "extra"}
	}
	return []string{"x", "held"}
}

func (r *toy) Signal(i int) float64 {
	switch i {
	case 0:
		return r.x
	case 1:
		return r.held
	}
	return 0
}

func (r *toy) NonFinite() (string, bool) {
	if math.IsNaN(r.x) || math.IsInf(r.x, 0) {
		return "x", true
	}
	return "", false
}

func (r *toy) Reset(env sim.Env) error {
	if r.flaw != noReset {
		r.x, r.held, r.last, r.steps = 0, 0, nil, 0
	}
	r.kept = map[int]float64{}
	if r.flaw == peeks {
		peeked.Store(0) // the side channel starts clean, so only its timing gives it away
	}
	r.x += 0.1 * env.RNG.Float64()
	return nil
}

func (r *toy) Step(s *sim.Step) error {
	r.steps++
	drive := 0.0
	input := "drive"
	if r.flaw == wrongInput {
		input = "other"
	}
	for _, m := range s.Inbox {
		switch m.Input {
		case input:
			switch r.flaw {
			case hidesNaN:
				r.held = m.Value
			case leaksNaN:
				if !finite(m.Value) {
					s.Send("x", sim.Message{Value: m.Value})
					continue
				}
			case overflows:
				r.x *= 1 + math.Abs(m.Value)
			}
			if finite(m.Value) {
				drive += m.Value
			}
		case "vec":
			if !finiteMessage(&m) {
				continue // a sound region rejects what it cannot use
			}
			if r.flaw == keepsVec {
				r.last = m.Event.Vec
			} else {
				r.last = append(r.last[:0], m.Event.Vec...)
			}
		}
	}
	if r.flaw == peeks {
		drive += math.Float64frombits(uint64(peeked.Load()))
	}
	if r.flaw == sharedState {
		drive += 1e-3 * float64(shared.Add(1)%7)
	}
	r.x += s.Dt / 0.5 * (-r.x + drive)
	r.x += 0.01 * math.Sqrt(s.Dt) * s.RNG.NormFloat64()
	s.Send("x", sim.Message{Value: r.x})
	if s.Tick%10 == 0 && len(r.last) > 0 {
		s.Send("echo", sim.Message{Event: sim.Event{ID: int64(s.Tick), Vec: r.last}})
	}
	if r.flaw == mapOrder {
		r.kept[int(s.Tick%5)] = r.x
		for k, v := range r.kept {
			s.Send("echo", sim.Message{Event: sim.Event{ID: int64(k)}, Value: v})
		}
	}
	return nil
}

func toySubject(f flaw) Subject {
	vec := Input{Name: "vec", Every: 7, Event: func(n int, rng *rand.Rand) sim.Event {
		v := make([]float64, 3)
		for i := range v {
			v[i] = rng.Float64()
		}
		return sim.Event{ID: int64(n + 1), Vec: v}
	}}
	drive := Input{Name: "drive", Every: 3, Min: 0, Max: 1}
	if f == peeks {
		drive.Event = func(n int, rng *rand.Rand) sim.Event {
			peeked.Store(int64(math.Float64bits(float64(n%5) * 0.1)))
			return sim.Event{}
		}
	}
	inputs := []Input{drive, vec}
	if f == wrongInput {
		inputs = inputs[:1]
	}
	return Subject{New: func() sim.Region { return &toy{flaw: f} }, Inputs: inputs, Timeline: shortTimeline()}
}

// shortTimeline is DefaultTimeline cut to its first 3 min, to keep these
// tests fast.
func shortTimeline() *sim.Timeline {
	full := DefaultTimeline()
	segs := full.Segments()
	night := segs[1].Night
	night.Epochs = slices.Clone(night.Epochs[:2])
	tl, err := sim.NewTimeline(full.Dt(), segs[0], sim.Segment{Phase: sim.Sleep, Day: 1, Night: night})
	if err != nil {
		panic(err)
	}
	return tl
}

func TestSoundRegionConforms(t *testing.T) {
	t.Parallel()
	Conformance(t, toySubject(sound))
}

// TestSuiteCatchesFlaws shows that every check can fail: each flawed toy
// fails the check meant to catch its flaw, with a message that names it.
func TestSuiteCatchesFlaws(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		flaw  flaw
		check func(*Subject) error
		want  string
	}{
		{"shared state", sharedState, checkDeterminism, "differs"},
		{"map iteration order", mapOrder, checkDeterminism, "differs"},
		{"no reset", noReset, checkReset, "reset after a whole run"},
		{"keeps vectors", keepsVec, checkDeterminism, "copy what it keeps"},
		{"reacts before arrival", peeks, checkDelays, "before the first missing message could arrive"},
		{"hidden NaN", hidesNaN, checkNonFinite, "NonFinite reports nothing"},
		{"leaked NaN", leaksNaN, checkNonFinite, "carries NaN or Inf"},
		{"overflow", overflows, checkExtreme, "NaN or Inf"},
		{"duplicate output", dupOutput, checkNames, "listed twice"},
		{"dotted name", dottedName, checkNames, "without '.'"},
		{"undeclared input", wrongInput, checkDelays, "changed nothing"},
		{"unstable signals", unstableSigs, checkNames, "changed after a run"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			s := toySubject(c.flaw)
			err := c.check(&s)
			require.Error(t, err)
			t.Log(err)
			require.Contains(t, err.Error(), c.want)
		})
	}
}

func TestDefaultTimelineVisitsEveryStage(t *testing.T) {
	t.Parallel()
	tl := DefaultTimeline()
	require.Equal(t, sim.Tick(6600), tl.Ticks())
	var seen [5]bool
	for tk := sim.Tick(0); tk < tl.Ticks(); tk += 100 {
		m := tl.At(tk)
		seen[m.Stage] = true
	}
	require.Equal(t, [5]bool{true, true, true, true, true}, seen)
}
