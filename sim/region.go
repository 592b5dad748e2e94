package sim

import (
	"math/rand/v2"
)

// Region is a brain region: a unit of state that one goroutine owns and steps
// tick by tick, and that talks to other regions only by messages.
//
// The engine calls Reset once before the first tick of a run, then Step once
// per tick, in tick order, from a single goroutine at a time. Between calls
// nobody else touches the region, so it needs no locks.
type Region interface {
	// Name returns the region's unique name in the wiring (for example "mch").
	Name() string
	// Outputs lists the names of the outputs other regions can connect to.
	Outputs() []string
	// Reset puts the region into its initial state for a new run.
	Reset(env Env) error
	// Step advances the region by one tick.
	Step(s *Step) error
	// Signals lists the names of the signals a recorder can sample.
	Signals() []string
	// Signal returns the current value of signal i of Signals.
	Signal(i int) float64
	// NonFinite reports the first state variable that is NaN or infinite.
	NonFinite() (variable string, bad bool)
}

// Env is what a region gets to know at Reset.
type Env struct {
	Seed     uint64     // run seed
	Dt       float64    // tick length in seconds
	RNG      *rand.Rand // the region's own stream, see Stream
	Timeline *Timeline  // the protocol of the run, read-only
}

// Step is one tick of one region: the moment, the messages arriving now,
// and the means to send.
type Step struct {
	Moment
	Dt    float64    // tick length in seconds
	RNG   *rand.Rand // the region's own stream
	Inbox []Message  // messages arriving at this tick, in canonical order
	out   *outbox
}

// Send sends m on the named output of the stepping region to every input
// connected to it. Sending on an output nobody is connected to is allowed
// and does nothing; sending on an undeclared output is a programming error.
func (s *Step) Send(output string, m Message) {
	s.out.send(s.Tick, output, m)
}
