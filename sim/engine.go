package sim

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strconv"
	"sync/atomic"
	"time"
)

// Executor says how the regions of a run are stepped inside a window. Both
// give the same bytes.
type Executor uint8

const (
	// Concurrent steps the regions in as many goroutines as there are
	// cores and synchronises them once per window. It pays off when windows
	// are many ticks long: on a 2-core machine a barrier costs about as
	// much as one tick of six small populations.
	Concurrent Executor = iota
	// Sequential steps every region in a fixed order in the calling
	// goroutine: the better choice when a sweep already fills the cores
	// with runs.
	Sequential
)

// String returns "concurrent" or "sequential".
func (x Executor) String() string {
	if x == Sequential {
		return "sequential"
	}
	return "concurrent"
}

// Config sets up an Engine.
type Config struct {
	Seed      uint64    // run seed; region streams derive from it and their names
	Timeline  *Timeline // the protocol; its tick length is the run's dt
	Executor  Executor
	Recorders []RecorderSpec
}

// Engine runs the regions of a wiring along a timeline.
type Engine struct {
	cfg      Config
	slots    []*slot // sorted by region name: the canonical order
	window   Tick
	ringLen  Tick
	now      Tick
	winIndex int
	moments  []Moment
	recs     []*recorder
	failed   error
}

// slot is everything the engine keeps for one region.
type slot struct {
	region Region
	index  int
	step   Step
	out    *outbox
	ring   []inboxSlot // by arrival tick modulo ringLen
	probes []probe
	// samples holds, per recorder, the finished rows' values of this
	// region's probes during the current window.
	samples [][]float64
	err     *RunError
	cost    time.Duration // time spent stepping, for balancing the concurrent executor
	// pad keeps slots that different goroutines write every tick off each
	// other's cache lines.
	pad [128]byte
}

// RunError is the error of a region that failed during a run: a non-finite
// state variable or an error from its Step.
type RunError struct {
	Region   string
	Variable string // the non-finite variable, empty when Step failed
	Tick     Tick
	Min      float64 // minutes from the first lights-off
	Err      error   // the error Step returned, nil for a non-finite variable
}

func (e *RunError) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("sim: region %s failed at tick %d (t = %.2f min): %v", e.Region, e.Tick, e.Min, e.Err)
	}
	return fmt.Sprintf("sim: region %s: variable %s became NaN or Inf at tick %d (t = %.2f min)", e.Region, e.Variable, e.Tick, e.Min)
}

func (e *RunError) Unwrap() error { return e.Err }

// New validates the wiring, resets every region and returns an engine at
// tick 0.
func New(w Wiring, cfg Config) (*Engine, error) {
	if err := w.Validate(); err != nil {
		return nil, err
	}
	if cfg.Timeline == nil {
		return nil, errors.New("sim: no timeline")
	}
	e := &Engine{cfg: cfg, window: w.MinDelay()}
	regions := slices.Clone(w.Regions)
	slices.SortFunc(regions, func(a, b Region) int { return cmpString(a.Name(), b.Name()) })
	index := map[string]int{}
	for i, r := range regions {
		index[r.Name()] = i
	}
	maxDelay := Tick(1)
	for i, r := range regions {
		s := &slot{region: r, index: i, out: newOutbox(r.Name(), r.Outputs(), len(regions))}
		s.step.RNG = Stream(cfg.Seed, r.Name())
		s.step.Dt = cfg.Timeline.Dt()
		s.step.out = s.out
		e.slots = append(e.slots, s)
	}
	for _, c := range w.Connections {
		from := e.slots[index[c.From]]
		from.out.routes[c.Output] = append(from.out.routes[c.Output], route{target: index[c.To], input: c.input(), delay: c.Delay})
		maxDelay = max(maxDelay, c.Delay)
	}
	e.ringLen = e.window + maxDelay
	for _, s := range e.slots {
		s.ring = make([]inboxSlot, e.ringLen)
	}
	if err := e.setupRecorders(index); err != nil {
		return nil, err
	}
	for _, s := range e.slots {
		env := Env{Seed: cfg.Seed, Dt: cfg.Timeline.Dt(), RNG: s.step.RNG, Timeline: cfg.Timeline}
		if err := s.region.Reset(env); err != nil {
			return nil, fmt.Errorf("sim: reset %s: %w", s.region.Name(), err)
		}
	}
	e.moments = make([]Moment, e.window)
	return e, nil
}

func cmpString(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func (e *Engine) setupRecorders(index map[string]int) error {
	var errs []error
	for ri, spec := range e.cfg.Recorders {
		if spec.Interval < 1 {
			errs = append(errs, fmt.Errorf("recorder %d: interval %d ticks, must be at least 1", ri, spec.Interval))
			continue
		}
		rec := &recorder{spec: spec, w: bufio.NewWriterSize(spec.Out, 64<<10)}
		for _, ref := range spec.Signals {
			i, ok := index[ref.Region]
			if !ok {
				errs = append(errs, fmt.Errorf("recorder %d: unknown region %q", ri, ref.Region))
				continue
			}
			s := e.slots[i]
			sig := slices.Index(s.region.Signals(), ref.Signal)
			if sig < 0 {
				errs = append(errs, fmt.Errorf("recorder %d: region %q has no signal %q (signals: %v)", ri, ref.Region, ref.Signal, s.region.Signals()))
				continue
			}
			pos := 0
			for _, p := range s.probes {
				if p.rec == ri {
					pos++
				}
			}
			s.probes = append(s.probes, probe{rec: ri, signal: sig})
			rec.columns = append(rec.columns, column{slot: i, pos: pos})
		}
		e.recs = append(e.recs, rec)
	}
	for _, s := range e.slots {
		s.samples = make([][]float64, len(e.recs))
	}
	for ri, r := range e.recs {
		for c := range r.columns {
			for _, p := range e.slots[r.columns[c].slot].probes {
				if p.rec == ri {
					r.columns[c].stride++
				}
			}
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("sim: %w", errors.Join(errs...))
	}
	for _, r := range e.recs {
		r.writeHeader()
	}
	return nil
}

// Now returns the next tick to be stepped.
func (e *Engine) Now() Tick { return e.now }

// Window returns the window length in ticks: the smallest delay of the wiring.
func (e *Engine) Window() Tick { return e.window }

// Run steps every region up to (not including) tick until, or to the end of
// the timeline when until is past it. It returns early, at a window
// boundary, when ctx is cancelled; every recorder is flushed up to where the
// run stopped, and a later Run continues from there with the same result as
// an uninterrupted run.
func (e *Engine) Run(ctx context.Context, until Tick) error {
	if e.failed != nil {
		return e.failed
	}
	until = min(until, e.cfg.Timeline.Ticks())
	var err error
	if e.cfg.Executor == Sequential || len(e.slots) == 1 {
		err = e.runSequential(ctx, until)
	} else {
		err = e.runConcurrent(ctx, until)
	}
	if ferr := e.flush(); err == nil {
		err = ferr
	}
	if err != nil {
		var re *RunError
		if errors.As(err, &re) {
			e.failed = err
		}
	}
	return err
}

func (e *Engine) nextEnd(until Tick) Tick {
	return min((e.now/e.window+1)*e.window, until)
}

func (e *Engine) runSequential(ctx context.Context, until Tick) error {
	for e.now < until {
		if err := ctx.Err(); err != nil {
			return err
		}
		end := e.beginWindow(until)
		for _, s := range e.slots {
			s.runWindow(e, end)
		}
		if err := e.endWindow(end); err != nil {
			return err
		}
	}
	return nil
}

func (e *Engine) runConcurrent(ctx context.Context, until Tick) error {
	// Regions are dealt to as many groups as there are cores; the calling
	// goroutine steps group 0 and one goroutine per other group steps the
	// rest, so a window costs one wake-up per extra core rather than one
	// per region. The groups are rebalanced now and then by the time each
	// region took (largest first onto the lightest group, Graham 1969).
	// Which goroutine steps a region does not change its bytes: regions
	// only meet at window boundaries.
	n := min(len(e.slots), max(1, runtime.GOMAXPROCS(0)))
	groups := e.balance(n)
	var (
		timed bool // whether this window's cost is measured; set before the start signal
		end   Tick // end of the window; set before the start signal
		stop  atomic.Bool
	)
	starts, dones := make([]*signal, n), make([]*signal, n)
	for g := 1; g < n; g++ {
		starts[g], dones[g] = newSignal(), newSignal()
		go func() {
			var seen uint64
			for {
				seen = starts[g].wait(seen)
				if stop.Load() {
					return
				}
				for _, s := range groups[g] {
					s.window(e, end, timed)
				}
				dones[g].post()
			}
		}()
	}
	defer func() {
		stop.Store(true)
		for _, s := range starts[1:] {
			s.post()
		}
	}()
	doneSeen := make([]uint64, n)
	for w := 0; e.now < until; w++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		if w == 64 || w%512 == 511 {
			// Workers are waiting for their start signal: safe to regroup.
			copy(groups, e.balance(n))
		}
		end = e.beginWindow(until)
		// Costs are sampled on one window in eight: timing every window
		// would cost more than it saves when windows are short.
		timed = w%8 == 0
		for _, s := range starts[1:] {
			s.post()
		}
		for _, s := range groups[0] {
			s.window(e, end, timed)
		}
		for g := 1; g < n; g++ {
			doneSeen[g] = dones[g].wait(doneSeen[g])
		}
		if err := e.endWindow(end); err != nil {
			return err
		}
	}
	return nil
}

// window runs a window and, when timed, adds the time it took to the
// slot's cost.
func (s *slot) window(e *Engine, end Tick, timed bool) {
	if !timed {
		s.runWindow(e, end)
		return
	}
	t0 := time.Now()
	s.runWindow(e, end)
	s.cost += time.Since(t0)
}

// balance deals the slots to n groups, the costliest first onto the group
// with the least cost so far; with no costs measured yet, round-robin.
func (e *Engine) balance(n int) [][]*slot {
	order := slices.Clone(e.slots)
	slices.SortStableFunc(order, func(a, b *slot) int { return cmpDuration(b.cost, a.cost) })
	groups := make([][]*slot, n)
	load := make([]time.Duration, n)
	for i, s := range order {
		g := i % n
		if s.cost > 0 {
			g = 0
			for k := range load {
				if load[k] < load[g] {
					g = k
				}
			}
		}
		groups[g] = append(groups[g], s)
		load[g] += s.cost
	}
	return groups
}

func cmpDuration(a, b time.Duration) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// beginWindow fills the moments of the next window and returns its end.
func (e *Engine) beginWindow(until Tick) Tick {
	end := e.nextEnd(until)
	for t := e.now; t < end; t++ {
		e.moments[t-e.now] = e.cfg.Timeline.At(t)
	}
	return end
}

// runWindow is the body of one region's window: gather what the previous
// window sent, then step tick by tick.
func (s *slot) runWindow(e *Engine, end Tick) {
	prev := e.winIndex&1 ^ 1
	for _, from := range e.slots {
		msgs := from.out.msgs[prev][s.index]
		arena := from.out.arena[prev][s.index]
		for _, p := range msgs {
			s.ring[p.arrive%e.ringLen].add(p, arena[p.vecOff:p.vecOff+p.vecLen])
		}
	}
	s.out.flip(e.winIndex)
	for r := range s.samples {
		s.samples[r] = s.samples[r][:0]
	}
	start := e.now
	for t := start; t < end; t++ {
		in := &s.ring[t%e.ringLen]
		s.step.Moment = e.moments[t-start]
		s.step.Inbox = in.deliver()
		err := s.region.Step(&s.step)
		s.step.Inbox = nil
		in.clear()
		if err != nil {
			s.err = &RunError{Region: s.region.Name(), Tick: t, Min: s.step.Min, Err: err}
			return
		}
		if v, bad := s.region.NonFinite(); bad {
			s.err = &RunError{Region: s.region.Name(), Variable: v, Tick: t, Min: s.step.Min}
			return
		}
		for i := range s.probes {
			p := &s.probes[i]
			p.sum += s.region.Signal(p.signal)
			if iv := e.recs[p.rec].spec.Interval; (t+1)%iv == 0 {
				s.samples[p.rec] = append(s.samples[p.rec], p.sum/float64(iv))
				p.sum = 0
			}
		}
	}
}

// endWindow writes the recorder rows the window finished and checks for
// failed regions: the earliest failure wins, ties broken by region name.
func (e *Engine) endWindow(end Tick) error {
	var first *RunError
	for _, s := range e.slots {
		if s.err != nil && (first == nil || s.err.Tick < first.Tick) {
			first = s.err
		}
	}
	if first != nil {
		return first
	}
	for ri, r := range e.recs {
		iv := r.spec.Interval
		k := 0
		for t := e.now; t < end; t++ {
			if (t+1)%iv != 0 {
				continue
			}
			m := e.cfg.Timeline.At(t + 1 - iv)
			r.line = strconv.AppendFloat(r.line[:0], m.Min, 'f', 4, 64)
			r.line = append(r.line, ',')
			r.line = append(r.line, m.Stage.String()...)
			for _, c := range r.columns {
				r.line = append(r.line, ',')
				r.line = appendValue(r.line, e.slots[c.slot].samples[ri][k*c.stride+c.pos])
			}
			r.line = append(r.line, '\n')
			r.write()
			k++
		}
		if r.err != nil {
			return r.err
		}
	}
	e.now = end
	e.winIndex++
	return nil
}

func (e *Engine) flush() error {
	var errs []error
	for _, r := range e.recs {
		if r.err == nil {
			if err := r.w.Flush(); err != nil {
				r.err = fmt.Errorf("sim: recorder: %w", err)
			}
		}
		if r.err != nil {
			errs = append(errs, r.err)
		}
	}
	return errors.Join(errs...)
}
