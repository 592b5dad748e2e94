package simtest

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/dreamsim/dreamsim/sim"
	"github.com/dreamsim/dreamsim/sim/sleep"
)

// Subject is a region implementation under test.
type Subject struct {
	// New returns a fresh instance of the region. Every call must return
	// an equal region: same name, same parameters.
	New func() sim.Region
	// Inputs lists what to feed the region's inputs, one driver each.
	Inputs []Input
	// Variants are the region built with extreme parameters, for example
	// the bounds its Validate accepts. Each must run the protocol with
	// normal and with extreme inputs and stay finite.
	Variants []Variant
	// Timeline is the protocol of every run; nil means DefaultTimeline.
	Timeline *sim.Timeline
	// Seed is the run seed; zero means 1.
	Seed uint64
	// Huge is the magnitude of the extreme inputs; zero means 1e6 (a
	// million times the normalised range of activity messages).
	Huge float64
}

// Variant is the region under test built with other parameters.
type Variant struct {
	Name string            // what is extreme about it, for test output
	New  func() sim.Region // a fresh instance
}

// DefaultTimeline returns the protocol the suite runs by default, at a tick
// of 0.1 s: a 2-min wake phase, then a 9-min night that visits every stage
// (W 1, N1 1, N2 2, N3 2, R 2 and W 1 min), 6600 ticks in all.
func DefaultTimeline() *sim.Timeline {
	day, err := sleep.FromSchedule([]sleep.ScheduleBlock{{Stage: sleep.W, Minutes: 2}})
	if err != nil {
		panic(err)
	}
	night, err := sleep.FromSchedule([]sleep.ScheduleBlock{
		{Stage: sleep.W, Minutes: 1}, {Stage: sleep.N1, Minutes: 1}, {Stage: sleep.N2, Minutes: 2},
		{Stage: sleep.N3, Minutes: 2}, {Stage: sleep.R, Minutes: 2}, {Stage: sleep.W, Minutes: 1},
	})
	if err != nil {
		panic(err)
	}
	tl, err := sim.NewTimeline(0.1, sim.Segment{Phase: sim.Wake, Day: 1, Night: day}, sim.Segment{Phase: sim.Sleep, Day: 1, Night: night})
	if err != nil {
		panic(err)
	}
	return tl
}

func (s *Subject) timeline() *sim.Timeline {
	if s.Timeline == nil {
		s.Timeline = DefaultTimeline()
	}
	return s.Timeline
}

func (s *Subject) seed() uint64 {
	if s.Seed == 0 {
		return 1
	}
	return s.Seed
}

func (s *Subject) huge() float64 {
	if s.Huge == 0 {
		return 1e6
	}
	return s.Huge
}

// Conformance runs every check of the suite on the subject, each in a
// subtest named after the property it checks: Names, Determinism, Delays,
// Reset, Extreme and NonFinite (see the package documentation).
func Conformance(t *testing.T, s Subject) {
	t.Helper()
	if s.New == nil {
		t.Fatal("simtest: Subject.New is nil")
	}
	s.timeline()
	checks := []struct {
		name  string
		check func(*Subject) error
	}{
		{"Names", checkNames},
		{"Determinism", checkDeterminism},
		{"Delays", checkDelays},
		{"Reset", checkReset},
		{"Extreme", checkExtreme},
		{"NonFinite", checkNonFinite},
	}
	for _, c := range checks {
		t.Run(c.name, func(t *testing.T) {
			if err := c.check(&s); err != nil {
				t.Error(err)
			}
		})
	}
}

// checkNames checks the region's name, outputs and signals.
func checkNames(s *Subject) error {
	r := s.New()
	var errs []error
	name := r.Name()
	if name == "" || strings.ContainsAny(name, ".,\"\n\r\t ") {
		errs = append(errs, fmt.Errorf("region name %q: want a non-empty name without '.', ',', quotes or space (recorders name columns region.signal)", name))
	}
	list := func(what string, names []string) {
		seen := map[string]bool{}
		for _, n := range names {
			switch {
			case n == "" || strings.ContainsAny(n, ",\"\n\r"):
				errs = append(errs, fmt.Errorf("%s name %q: want a non-empty name without ',', quotes or line breaks", what, n))
			case seen[n]:
				errs = append(errs, fmt.Errorf("%s %q is listed twice (%v)", what, n, names))
			}
			seen[n] = true
		}
	}
	outs, sigs := slices.Clone(r.Outputs()), slices.Clone(r.Signals())
	list("output", outs)
	list("signal", sigs)
	if len(outs) == 0 && len(sigs) == 0 {
		errs = append(errs, errors.New("the region has neither outputs nor signals: nothing can observe it"))
	}
	stable := func(when string) {
		if r.Name() != name || !slices.Equal(r.Outputs(), outs) || !slices.Equal(r.Signals(), sigs) {
			errs = append(errs, fmt.Errorf("name, outputs or signals changed %s: %q %v %v, then %q %v %v",
				when, name, outs, sigs, r.Name(), r.Outputs(), r.Signals()))
		}
	}
	stable("between calls")
	tr := s.run(runSpec{region: r, seed: s.seed(), exec: sim.Sequential, modeIn: -1})
	stable("after a run")
	if tr.err != nil {
		errs = append(errs, fmt.Errorf("run: %w", tr.err))
	}
	if n := s.New(); n.Name() != name {
		errs = append(errs, fmt.Errorf("New returned regions named %q and %q", name, n.Name()))
	}
	return errors.Join(errs...)
}

// reference runs a fresh instance once, sequentially.
func (s *Subject) reference() trace {
	return s.run(runSpec{region: s.New(), seed: s.seed(), exec: sim.Sequential, modeIn: -1})
}

// clean returns an error if a run failed or saw a problem.
func clean(tr trace, what string) error {
	var errs []error
	if tr.err != nil {
		errs = append(errs, fmt.Errorf("%s: %w", what, tr.err))
	}
	for _, p := range tr.problems {
		errs = append(errs, fmt.Errorf("%s: %s", what, p))
	}
	return errors.Join(errs...)
}

// checkDeterminism runs fresh instances in several ways that must all give
// the bytes of the reference run.
func checkDeterminism(s *Subject) error {
	names := s.New().Signals()
	ticks := s.timeline().Ticks()
	specs := []struct {
		what string
		spec runSpec
	}{
		{"a second instance, concurrent executor, reversed wiring order", runSpec{exec: sim.Concurrent, reverse: true}},
		{"a third instance at the same time, sequential", runSpec{exec: sim.Sequential}},
		{"a run advanced in uneven chunks, concurrent executor", runSpec{exec: sim.Concurrent, chunks: []sim.Tick{1, 17, ticks / 3, ticks/3 + 1, ticks - 5}}},
		{"a run whose inbox vectors are overwritten with NaN after each Step (a region must copy what it keeps of Event.Vec)", runSpec{exec: sim.Sequential, poison: true}},
	}
	traces := make([]trace, 1+len(specs))
	// The reference and the first two variants run at the same time, so
	// that state shared between instances shows (and races, under -race).
	var wg sync.WaitGroup
	wg.Go(func() { traces[0] = s.reference() })
	for i, sp := range specs {
		rs := sp.spec
		rs.region, rs.seed, rs.modeIn = s.New(), s.seed(), -1
		if i < 2 {
			wg.Go(func() { traces[i+1] = s.run(rs) })
		} else {
			wg.Wait()
			traces[i+1] = s.run(rs)
		}
	}
	wg.Wait()
	if err := clean(traces[0], "reference run"); err != nil {
		return err
	}
	var errs []error
	for i, sp := range specs {
		if err := compare(traces[0], traces[i+1], names, sp.what); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// checkDelays checks arrival ticks and that no input acts before it arrives.
func checkDelays(s *Subject) error {
	ref := s.reference()
	if err := clean(ref, "reference run"); err != nil {
		return err
	}
	names := s.New().Signals()
	ticks := s.timeline().Ticks()
	// An odd tick a third into the run, so that it is not a window boundary.
	from := ticks/3 | 1
	var errs []error
	reacts := false
	for k, in := range s.Inputs {
		tr := s.run(runSpec{region: s.New(), seed: s.seed(), exec: sim.Sequential, modeIn: k, mode: silent, from: from})
		if err := clean(tr, "input "+in.Name+" silenced"); err != nil {
			errs = append(errs, err)
			continue
		}
		// The first message the driver did not send would have arrived at
		// from rounded up to the input's period, plus the delay.
		every := max(in.Every, 1)
		arrive := (from+every-1)/every*every + inDelay(k)
		if t, sig, ok := firstSignalDiff(ref, tr, names); ok {
			reacts = true
			if sim.Tick(t) < arrive {
				errs = append(errs, fmt.Errorf("input %q: silencing it from tick %d changed signal %q at tick %d, before the first missing message could arrive (tick %d)",
					in.Name, from, sig, t, arrive))
			}
		}
		if i, ok := firstMessageDiff(ref, tr); ok {
			reacts = true
			// The first message that differs, in either run, must have been
			// sent after the region could know of the change.
			for _, m := range []trace{ref, tr} {
				if i < len(m.got) && m.got[i].msg.Sent < arrive {
					errs = append(errs, fmt.Errorf("input %q: silencing it from tick %d changed a message sent at tick %d, before the first missing message could arrive (tick %d): %s",
						in.Name, from, m.got[i].msg.Sent, arrive, describe(m, i)))
					break
				}
			}
		}
	}
	if len(s.Inputs) > 0 && !reacts {
		errs = append(errs, errors.New("silencing any one input changed nothing the region shows: the inputs declared for it are not the ones it reads"))
	}
	return errors.Join(errs...)
}

// checkReset reruns one instance after runs with other seeds.
func checkReset(s *Subject) error {
	names := s.New().Signals()
	fresh := s.reference()
	if err := clean(fresh, "fresh instance"); err != nil {
		return err
	}
	r := s.New()
	first := s.run(runSpec{region: r, seed: s.seed(), exec: sim.Sequential, modeIn: -1})
	other := s.run(runSpec{region: r, seed: s.seed() + 1, exec: sim.Sequential, modeIn: -1, until: s.timeline().Ticks()/2 + 1})
	if err := clean(other, "a run with another seed"); err != nil {
		return err
	}
	again := s.run(runSpec{region: r, seed: s.seed(), exec: sim.Concurrent, modeIn: -1})
	return errors.Join(
		compare(fresh, first, names, "a second fresh instance"),
		compare(fresh, again, names, "the same instance reset after a whole run and half a run with another seed"),
	)
}

// checkExtreme runs with huge inputs, and every variant.
func checkExtreme(s *Subject) error {
	variants := append([]Variant{{Name: "default parameters", New: s.New}}, s.Variants...)
	var errs []error
	for _, v := range variants {
		modes := []struct {
			what string
			mode driveMode
		}{{"normal inputs", normal}, {fmt.Sprintf("inputs of magnitude %g", s.huge()), extreme}}
		for _, m := range modes {
			if len(s.Inputs) == 0 && m.mode == extreme {
				continue
			}
			tr := s.run(runSpec{region: v.New(), seed: s.seed(), exec: sim.Sequential, modeIn: -1, mode: m.mode})
			if err := clean(tr, v.Name+", "+m.what); err != nil {
				errs = append(errs, err)
				continue
			}
			for i, x := range tr.signals {
				if !finite(x) {
					errs = append(errs, fmt.Errorf("%s, %s: signal %q = %v at tick %d", v.Name, m.what, s.New().Signals()[i%tr.nsig], x, i/tr.nsig))
					break
				}
			}
		}
	}
	return errors.Join(errs...)
}

// checkNonFinite feeds NaN and Inf on each input in turn.
func checkNonFinite(s *Subject) error {
	name := s.New().Name()
	// From a third of the run to its end, so that the bad value meets
	// every stage after that (some regions use an input only in REM).
	from := s.timeline().Ticks() / 3
	var errs []error
	for k, in := range s.Inputs {
		for _, v := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
			tr := s.run(runSpec{region: s.New(), seed: s.seed(), exec: sim.Sequential, modeIn: k, mode: bad, from: from, badValue: v})
			what := fmt.Sprintf("%v on input %q from tick %d", v, in.Name, from)
			if n := len(tr.problems); n > 0 {
				more := ""
				if n > 1 {
					more = fmt.Sprintf(" (and %d more)", n-1)
				}
				errs = append(errs, fmt.Errorf("%s: %s%s", what, tr.problems[0], more))
			}
			var re *sim.RunError
			switch {
			case tr.err == nil:
			case !errors.As(tr.err, &re):
				errs = append(errs, fmt.Errorf("%s: run failed without a RunError: %w", what, tr.err))
			case re.Region != name:
				errs = append(errs, fmt.Errorf("%s: the RunError names region %q, not %q: %w", what, re.Region, name, tr.err))
			case re.Tick < from+inDelay(k):
				errs = append(errs, fmt.Errorf("%s: the run failed at tick %d, before the bad input arrived: %w", what, re.Tick, tr.err))
			}
		}
	}
	return errors.Join(errs...)
}
