package simtest

import (
	"math"
	"math/rand/v2"

	"github.com/dreamsim/dreamsim/sim"
)

// Input describes the messages the suite feeds one input of the region
// under test. A driver region of its own sends them over one connection.
type Input struct {
	// Name is the input the messages arrive at (sim.Message.Input).
	Name string
	// Every is the period of the messages in ticks, sent at the ticks that
	// are multiples of it; zero means every tick.
	Every sim.Tick
	// Min and Max bound the Value of each message, drawn uniformly from
	// the driver's own random stream. Min == Max sends a constant.
	Min, Max float64
	// Event, when not nil, makes the event of message n, counted from 0
	// in each run. It must depend on nothing but n and rng (the driver's
	// stream), and it may return a Vec the driver then owns.
	Event func(n int, rng *rand.Rand) sim.Event
}

// driveMode says how a driver distorts its messages.
type driveMode uint8

const (
	normal  driveMode = iota
	extreme           // every Value and event scalar is +-Huge, vectors are scaled by Huge
	bad               // messages from tick from on carry a non-finite value
	silent            // messages from tick from on are dropped
)

// driver is the region that feeds one Input.
type driver struct {
	name string
	in   Input
	mode driveMode
	from sim.Tick // start of the distortion
	huge float64  // magnitude of extreme values
	bad  float64  // NaN or Inf for mode bad
	n    int
}

func (d *driver) Name() string              { return d.name }
func (d *driver) Outputs() []string         { return []string{"out"} }
func (d *driver) Signals() []string         { return nil }
func (d *driver) Signal(int) float64        { return 0 }
func (d *driver) NonFinite() (string, bool) { return "", false }
func (d *driver) Reset(sim.Env) error       { d.n = 0; return nil }

func (d *driver) Step(s *sim.Step) error {
	every := max(d.in.Every, 1)
	if s.Tick%every != 0 {
		return nil
	}
	if d.mode == silent && s.Tick >= d.from {
		return nil
	}
	m := sim.Message{Value: d.in.Min + (d.in.Max-d.in.Min)*s.RNG.Float64()}
	if d.in.Event != nil {
		m.Event = d.in.Event(d.n, s.RNG)
	}
	d.n++
	switch d.mode {
	case extreme:
		sign := 1.0
		if s.RNG.IntN(2) == 0 {
			sign = -1
		}
		m.Value = sign * d.huge
		if d.in.Event != nil {
			e := &m.Event
			e.Valence, e.Arousal, e.Strength = sign*d.huge, sign*d.huge, sign*d.huge
			for i := range e.Vec {
				e.Vec[i] *= sign * d.huge
			}
		}
	case bad:
		if s.Tick >= d.from {
			m.Value = d.bad
			if d.in.Event != nil {
				e := &m.Event
				e.Valence, e.Arousal, e.Strength = d.bad, d.bad, d.bad
				if len(e.Vec) > 0 {
					e.Vec[0] = d.bad
				}
			}
		}
	}
	s.Send("out", m)
	return nil
}

// finiteMessage reports whether every number a message carries is finite.
func finiteMessage(m *sim.Message) bool {
	if !finite(m.Value) || !finite(m.Event.Valence) || !finite(m.Event.Arousal) || !finite(m.Event.Strength) {
		return false
	}
	for _, v := range m.Event.Vec {
		if !finite(v) {
			return false
		}
	}
	return true
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
