package simtest

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"slices"

	"github.com/dreamsim/dreamsim/sim"
)

// Names of the suite's own regions. They start with "~", which sorts after
// the letters region names are made of; nothing depends on that but the
// canonical delivery order, which is the same in every run.
const (
	probeName   = "~simtest-probe"
	driverName  = "~simtest-in-"
	maxProblems = 5 // problems kept per run
)

// inDelay and outDelay are the connection delays of input k and output j,
// all different, so that the window (the smallest delay) is shorter than
// most connections and messages cross window boundaries at every offset.
func inDelay(k int) sim.Tick  { return 2 + sim.Tick(k%4) }
func outDelay(j int) sim.Tick { return 3 + sim.Tick(j%5) }

// watched wraps the region under test: after every Step it reads every
// signal, checks that a non-finite one is reported by NonFinite, and can
// overwrite the vectors of the messages the Step received, so that a region
// that kept them shows it.
type watched struct {
	sim.Region
	poison   bool
	nsig     int
	signals  []float64 // nsig values per stepped tick, after the step
	ticks    int
	problems []string
}

func (w *watched) problem(format string, args ...any) {
	if len(w.problems) < maxProblems {
		w.problems = append(w.problems, fmt.Sprintf(format, args...))
	}
}

func (w *watched) Reset(env sim.Env) error {
	w.signals, w.ticks, w.problems = w.signals[:0], 0, nil
	if err := w.Region.Reset(env); err != nil {
		return err
	}
	w.nsig = len(w.Region.Signals())
	for i := range w.nsig {
		if v := w.Region.Signal(i); !finite(v) {
			w.problem("after Reset: signal %q = %v", w.Region.Signals()[i], v)
		}
	}
	return nil
}

func (w *watched) Step(s *sim.Step) error {
	err := w.Region.Step(s)
	if w.poison {
		for i := range s.Inbox {
			for k := range s.Inbox[i].Event.Vec {
				s.Inbox[i].Event.Vec[k] = math.NaN()
			}
		}
	}
	if err != nil {
		return err
	}
	w.ticks++
	_, reported := w.Region.NonFinite()
	for i := range w.nsig {
		v := w.Region.Signal(i)
		w.signals = append(w.signals, v)
		if !finite(v) && !reported {
			w.problem("tick %d: signal %q = %v, but NonFinite reports nothing", s.Tick, w.Region.Signals()[i], v)
		}
	}
	return nil
}

// arrival is a message the probe received and the tick it arrived at.
type arrival struct {
	at  sim.Tick
	msg sim.Message
}

// probe receives every output of the region under test.
type probe struct {
	from     string
	delays   map[string]sim.Tick // by input (the output's name)
	got      []arrival
	problems []string
}

func (p *probe) Name() string              { return probeName }
func (p *probe) Outputs() []string         { return nil }
func (p *probe) Signals() []string         { return nil }
func (p *probe) Signal(int) float64        { return 0 }
func (p *probe) NonFinite() (string, bool) { return "", false }
func (p *probe) Reset(sim.Env) error       { p.got, p.problems = nil, nil; return nil }

func (p *probe) problem(format string, args ...any) {
	if len(p.problems) < maxProblems {
		p.problems = append(p.problems, fmt.Sprintf(format, args...))
	}
}

func (p *probe) Step(s *sim.Step) error {
	for _, m := range s.Inbox {
		m.Event.Vec = slices.Clone(m.Event.Vec)
		p.got = append(p.got, arrival{at: s.Tick, msg: m})
		d, ok := p.delays[m.Input]
		switch {
		case m.From != p.from || !ok || m.Output != m.Input:
			p.problem("tick %d: unexpected message from %s.%s at input %q", s.Tick, m.From, m.Output, m.Input)
		case s.Tick != m.Sent+d:
			p.problem("output %q: message sent at tick %d arrived at tick %d, want %d (delay %d)", m.Output, m.Sent, s.Tick, m.Sent+d, d)
		}
		if !finiteMessage(&m) {
			p.problem("output %q: a message sent at tick %d carries NaN or Inf (value %v, valence %v, arousal %v, strength %v, or in its %d-vector), but NonFinite reported nothing",
				m.Output, m.Sent, m.Value, m.Event.Valence, m.Event.Arousal, m.Event.Strength, len(m.Event.Vec))
		}
	}
	return nil
}

// runSpec says how to run the region once.
type runSpec struct {
	region   sim.Region
	seed     uint64
	exec     sim.Executor
	reverse  bool       // list regions and connections in reverse order
	chunks   []sim.Tick // Run boundaries before the end; nil runs at once
	until    sim.Tick   // stop here; zero runs the whole timeline
	poison   bool
	mode     driveMode
	modeIn   int // the input the mode applies to; -1 for every input
	from     sim.Tick
	badValue float64
}

// trace is what a run showed.
type trace struct {
	name     string
	signals  []float64
	nsig     int
	ticks    int
	got      []arrival
	csv      []byte
	err      error
	problems []string
}

// run runs the region once along the subject's timeline.
func (s *Subject) run(rs runSpec) trace {
	tl := s.timeline()
	w := &watched{Region: rs.region, poison: rs.poison}
	name := rs.region.Name()
	p := &probe{from: name, delays: map[string]sim.Tick{}}
	wiring := sim.Wiring{Regions: []sim.Region{w, p}}
	for k, in := range s.Inputs {
		d := &driver{name: driverName + in.Name, in: in, huge: s.huge()}
		if rs.modeIn < 0 || rs.modeIn == k {
			d.mode, d.from, d.bad = rs.mode, rs.from, rs.badValue
		}
		wiring.Regions = append(wiring.Regions, d)
		wiring.Connections = append(wiring.Connections, sim.Connection{From: d.name, Output: "out", To: name, Input: in.Name, Delay: inDelay(k)})
	}
	for j, out := range rs.region.Outputs() {
		p.delays[out] = outDelay(j)
		wiring.Connections = append(wiring.Connections, sim.Connection{From: name, Output: out, To: probeName, Input: out, Delay: outDelay(j)})
	}
	if rs.reverse {
		slices.Reverse(wiring.Regions)
		slices.Reverse(wiring.Connections)
	}
	var refs []sim.SignalRef
	for _, sig := range rs.region.Signals() {
		refs = append(refs, sim.SignalRef{Region: name, Signal: sig})
	}
	var csv bytes.Buffer
	cfg := sim.Config{Seed: rs.seed, Timeline: tl, Executor: rs.exec}
	if len(refs) > 0 {
		cfg.Recorders = []sim.RecorderSpec{{Interval: 1, Signals: refs, Out: &csv}}
	}
	tr := trace{name: fmt.Sprintf("seed %d, %s executor", rs.seed, rs.exec)}
	e, err := sim.New(wiring, cfg)
	if err != nil {
		tr.err = err
		return tr
	}
	until := rs.until
	if until == 0 {
		until = tl.Ticks()
	}
	for _, c := range append(slices.Clone(rs.chunks), until) {
		if err := e.Run(context.Background(), min(c, until)); err != nil {
			tr.err = err
			break
		}
	}
	tr.signals, tr.nsig, tr.ticks, tr.got, tr.csv = w.signals, w.nsig, w.ticks, p.got, csv.Bytes()
	tr.problems = append(slices.Clone(w.problems), p.problems...)
	return tr
}

// sameBits reports whether two numbers have the same bits, so that NaN
// equals NaN and 0 differs from -0.
func sameBits(a, b float64) bool { return math.Float64bits(a) == math.Float64bits(b) }

func sameMessage(a, b *arrival) bool {
	x, y := &a.msg, &b.msg
	if a.at != b.at || x.From != y.From || x.Output != y.Output || x.Input != y.Input || x.Sent != y.Sent ||
		!sameBits(x.Value, y.Value) || x.Event.ID != y.Event.ID || x.Event.Class != y.Event.Class ||
		!sameBits(x.Event.Valence, y.Event.Valence) || !sameBits(x.Event.Arousal, y.Event.Arousal) ||
		!sameBits(x.Event.Strength, y.Event.Strength) || len(x.Event.Vec) != len(y.Event.Vec) {
		return false
	}
	for i := range x.Event.Vec {
		if !sameBits(x.Event.Vec[i], y.Event.Vec[i]) {
			return false
		}
	}
	return true
}

// firstSignalDiff returns the first tick at which two runs' signals
// differ, the signal, and whether there is one.
func firstSignalDiff(a, b trace, names []string) (tick int, signal string, ok bool) {
	n := min(a.ticks, b.ticks)
	for t := range n {
		for i := range a.nsig {
			k := t*a.nsig + i
			if !sameBits(a.signals[k], b.signals[k]) {
				return t, names[i], true
			}
		}
	}
	if a.ticks != b.ticks {
		return n, "", true
	}
	return 0, "", false
}

// firstMessageDiff returns the index of the first message the probe got
// differently in two runs, and whether there is one.
func firstMessageDiff(a, b trace) (int, bool) {
	n := min(len(a.got), len(b.got))
	for i := range n {
		if !sameMessage(&a.got[i], &b.got[i]) {
			return i, true
		}
	}
	return n, len(a.got) != len(b.got)
}

// describe prints message i of a run, or says there is none.
func describe(t trace, i int) string {
	if i >= len(t.got) {
		return "no message"
	}
	a := t.got[i]
	return fmt.Sprintf("%s.%s sent at tick %d, arrived at %d, value %v, event {ID %d, class %d, valence %v, arousal %v, strength %v, %d-vector}",
		a.msg.From, a.msg.Output, a.msg.Sent, a.at, a.msg.Value, a.msg.Event.ID, a.msg.Event.Class,
		a.msg.Event.Valence, a.msg.Event.Arousal, a.msg.Event.Strength, len(a.msg.Event.Vec))
}

// compare returns an error describing the first difference of two runs
// that should be bit-identical.
func compare(want, got trace, names []string, what string) error {
	if (want.err == nil) != (got.err == nil) || (want.err != nil && want.err.Error() != got.err.Error()) {
		return fmt.Errorf("%s: run errors differ: %v (%s) vs %v (%s)", what, want.err, want.name, got.err, got.name)
	}
	if t, sig, ok := firstSignalDiff(want, got, names); ok {
		if sig == "" {
			return fmt.Errorf("%s: %d ticks stepped (%s) vs %d (%s)", what, want.ticks, want.name, got.ticks, got.name)
		}
		k := t*want.nsig + slices.Index(names, sig)
		return fmt.Errorf("%s: signal %q differs first at tick %d: %v (%s) vs %v (%s)", what, sig, t, want.signals[k], want.name, got.signals[k], got.name)
	}
	if i, ok := firstMessageDiff(want, got); ok {
		return fmt.Errorf("%s: message %d the probe received differs: %s (%s) vs %s (%s)", what, i, describe(want, i), want.name, describe(got, i), got.name)
	}
	if !bytes.Equal(want.csv, got.csv) {
		return fmt.Errorf("%s: recorder bytes differ (%d bytes, %s; %d bytes, %s)", what, len(want.csv), want.name, len(got.csv), got.name)
	}
	return nil
}
