package sim

import (
	"bufio"
	"cmp"
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
	// much as one tick of six small populations. It measures both ways as
	// it goes and steps every region in one goroutine while that is
	// faster, so it costs little more than Sequential on short windows.
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
	tune     tuner // the concurrent executor's choice of groups
}

// slot is everything the engine keeps for one region.
//
// Every slice a slot's goroutine writes during a window comes from
// lineSlice and the struct is padded at both ends, so that slots stepped on
// different cores never write to the same cache line.
type slot struct {
	_      [cacheLine]byte
	region Region
	index  int
	step   Step
	out    outbox
	// in holds, for every region that sends to this one (in slot order,
	// the canonical order of inboxes), its two lanes to this region.
	in     [][2]*lane
	ring   []inboxSlot // by arrival tick modulo ringLen
	probes []probe
	// samples holds, per recorder, the finished rows' values of this
	// region's probes during the current window.
	samples [][]float64
	err     *RunError
	cost    time.Duration // time spent stepping, for balancing the concurrent executor
	_       [cacheLine]byte
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
	slices.SortFunc(regions, func(a, b Region) int { return cmp.Compare(a.Name(), b.Name()) })
	index := map[string]int{}
	for i, r := range regions {
		index[r.Name()] = i
	}
	maxDelay := Tick(1)
	for i, r := range regions {
		s := &slot{region: r, index: i, out: newOutbox(r.Name(), r.Outputs(), len(regions))}
		s.step.RNG = Stream(cfg.Seed, r.Name())
		s.step.Dt = cfg.Timeline.Dt()
		s.step.out = &s.out
		e.slots = append(e.slots, s)
	}
	sends := make([][]int, len(regions)) // sends[to][from]: connections
	for i := range sends {
		sends[i] = make([]int, len(regions))
	}
	for _, c := range w.Connections {
		from, to := index[c.From], index[c.To]
		s := e.slots[from]
		s.out.routes[c.Output] = append(s.out.routes[c.Output], route{target: to, input: c.input(), delay: c.Delay})
		sends[to][from]++
		maxDelay = max(maxDelay, c.Delay)
	}
	e.ringLen = e.window + maxDelay
	for to, s := range e.slots {
		// Room for two messages per connection and tick: regions send a
		// value once per output and tick, and now and then an event (a
		// replay, a dream) besides. Busier ticks grow the buffers (put,
		// flip), so that they reach their working size early in a run.
		conns := 0
		for from, n := range sends[to] {
			if n > 0 {
				lanes := &e.slots[from].out.lanes
				for p := range lanes {
					lanes[p][to].msgs = lineSliceCap[pending](0, 2*n*int(e.window))
				}
				s.in = append(s.in, [2]*lane{&lanes[0][to], &lanes[1][to]})
				conns += n
			}
		}
		s.in = append(lineSlice[[2]*lane](0), s.in...)
		s.ring = lineSlice[inboxSlot](int(e.ringLen))
		for i := range s.ring {
			s.ring[i].reserve(2*conns, 0)
		}
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
	e.moments = lineSlice[Moment](int(e.window))
	return e, nil
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
		s.probes = append(lineSlice[probe](0), s.probes...)
		s.samples = lineSlice[[]float64](len(e.recs))
		for ri, r := range e.recs {
			n := 0
			for _, p := range s.probes {
				if p.rec == ri {
					n++
				}
			}
			// A window finishes at most window/interval + 1 rows.
			s.samples[ri] = lineSlice[float64](n * (int(e.window/r.spec.Interval) + 1))[:0]
		}
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
	// only meet at window boundaries. When windows are so short that
	// meeting costs more than it saves, the tuner has group 0 step every
	// region and the other goroutines wait.
	n := min(len(e.slots), max(1, runtime.GOMAXPROCS(0)))
	groups := e.balance(n)
	var (
		timed bool // whether this window's cost is measured; set before the start signal
		end   Tick // end of the window; set before the start signal
		stop  atomic.Bool
		// spin is how long a goroutine busy-waits for the others before
		// it parks: twice the mean wall time of a window, from the
		// sampled windows, so that the imbalance between groups is
		// waited out spinning rather than through a wake-up.
		spin atomic.Int64
	)
	spin.Store(int64(min(2*e.tune.meanWall, maxSpin)))
	starts, dones := make([]*signal, n), make([]*signal, n)
	for g := 1; g < n; g++ {
		starts[g], dones[g] = newSignal(), newSignal()
		go func() {
			var seen uint64
			for {
				seen = starts[g].wait(seen, time.Duration(spin.Load()))
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
	t := &e.tune
	t.resume(n, e.window)
	defer t.pause()
	doneSeen := make([]uint64, n)
	for e.now < until {
		if err := ctx.Err(); err != nil {
			return err
		}
		if t.windows == 64 || t.windows%512 == 511 || t.regroup {
			// Workers are waiting for their start signal: safe to regroup.
			copy(groups, e.balance(n))
			t.regroup = false
		}
		end = e.beginWindow(until)
		// Costs serve to balance the groups: not needed while one group
		// is kept.
		timed = e.sampled() && (t.groups > 1 || t.phase != keep)
		var t0 time.Time
		if timed {
			t0 = time.Now()
		}
		if t.groups == 1 {
			for _, s := range e.slots {
				s.window(e, end, timed)
			}
		} else {
			for _, s := range starts[1:] {
				s.post()
			}
			for _, s := range groups[0] {
				s.window(e, end, timed)
			}
			for g := 1; g < n; g++ {
				doneSeen[g] = dones[g].wait(doneSeen[g], time.Duration(spin.Load()))
			}
		}
		if timed && t.groups > 1 {
			wall := time.Since(t0)
			if t.meanWall == 0 {
				t.meanWall = wall
			}
			t.meanWall += (wall - t.meanWall) / 8
			spin.Store(int64(min(2*t.meanWall, maxSpin)))
		}
		ticks := end - e.now
		if err := e.endWindow(end); err != nil {
			return err
		}
		t.done(ticks)
	}
	return nil
}

// sampled says whether the regions' cost is measured in the current
// window: one window in eight, picked by a hash of the window's index so
// that work a region does periodically (a training step every so many
// ticks) is not always in, or always out of, the sample.
func (e *Engine) sampled() bool {
	h := uint64(e.winIndex) * 0x9e3779b97f4a7c15
	return h>>61 == 0
}

// tuner chooses how many groups the concurrent executor steps the regions
// in: all of them (one per core) or one, whichever took less wall time per
// tick when both were last tried. It tries both for a short while, keeps
// the faster for 15 times as long (63 times when one was faster by more
// than a fifth), and tries again, so it follows
// changes in the regions' cost (wake and sleep stages differ) and in the
// machine's load. The choice never changes the output.
type tuner struct {
	n        int // groups when all cores are used
	groups   int // groups used in the current window: 1 or n
	phase    int // tryOne, tryAll or keep
	left     int // windows left in the phase
	trial    int // windows in a trial phase
	wall     [2]time.Duration
	ticks    [2]Tick
	since    time.Time // when the current stretch of the phase began
	windows  int       // windows stepped concurrently so far
	regroup  bool      // rebalance before the next window
	meanWall time.Duration
	force    int              // when > 0, always this many groups (tests)
	clock    func() time.Time // time.Now, or a fake one in tests
}

const (
	tryOne = iota
	tryAll
	keep
)

// resume starts (or continues, after a return from Run) the tuning.
func (t *tuner) resume(n int, window Tick) {
	if t.n != n {
		// A trial long enough to average over a few hundred ticks and
		// at least eight windows.
		*t = tuner{n: n, groups: 1, phase: tryOne, trial: max(8, int((512+window-1)/window)), force: t.force, clock: t.clock}
		t.left = t.trial
	}
	if t.clock == nil {
		t.clock = time.Now
	}
	if n == 1 {
		t.groups = 1
	}
	if t.force > 0 {
		t.groups = min(t.force, n)
	}
	t.since = t.clock()
}

// pause stops the clock of the current phase when Run returns.
func (t *tuner) pause() {
	if t.phase != keep {
		t.wall[t.phase] += t.clock().Sub(t.since)
	}
}

// done counts a finished window of ticks and moves to the next phase when
// the current one is over.
func (t *tuner) done(ticks Tick) {
	t.windows++
	if t.n == 1 || t.force > 0 {
		return
	}
	if t.phase != keep {
		t.ticks[t.phase] += ticks
	}
	if t.left--; t.left > 0 {
		return
	}
	now := t.clock()
	switch t.phase {
	case tryOne:
		t.wall[tryOne] += now.Sub(t.since)
		t.phase, t.groups, t.left, t.regroup = tryAll, t.n, t.trial, true
	case tryAll:
		t.wall[tryAll] += now.Sub(t.since)
		one := float64(t.wall[tryOne]) / float64(max(t.ticks[tryOne], 1))
		all := float64(t.wall[tryAll]) / float64(max(t.ticks[tryAll], 1))
		t.groups = 1
		if all < one {
			t.groups = t.n
		}
		// A clear difference is kept four times as long before the
		// next trial as a narrow one.
		t.phase, t.left = keep, 15*t.trial
		if r := all / one; r < 0.8 || r > 1.25 {
			t.phase, t.left = keep, 63*t.trial
		}
	case keep:
		t.phase, t.groups, t.left = tryOne, 1, t.trial
		t.wall, t.ticks = [2]time.Duration{}, [2]Tick{}
	}
	t.since = now
}

// maxSpin bounds the busy wait of the concurrent executor's goroutines.
const maxSpin = 2 * time.Millisecond

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
	slices.SortStableFunc(order, func(a, b *slot) int { return cmp.Compare(b.cost, a.cost) })
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

// beginWindow fills the moments of the next window and returns its end.
func (e *Engine) beginWindow(until Tick) Tick {
	end := e.nextEnd(until)
	for t := e.now; t < end; t++ {
		e.moments[t-e.now] = e.cfg.Timeline.At(t)
	}
	return end
}

// put files a message in the ring slot of its arrival tick. When that slot
// must grow, every slot of the ring grows to the same room, so that the
// ring reaches its working size at the busiest tick seen so far rather than
// slot by slot (allocating now and then all through a run).
func (s *slot) put(e *Engine, p *pending, vec []float64) {
	in := &s.ring[p.arrive%e.ringLen]
	if msgs, vals := len(in.msgs)+1, len(in.arena)+len(vec); msgs > cap(in.msgs) || vals > cap(in.arena) {
		for i := range s.ring {
			s.ring[i].reserve(msgs, vals)
		}
	}
	in.add(p, vec)
}

// runWindow is the body of one region's window: gather what the previous
// window sent, then step tick by tick.
func (s *slot) runWindow(e *Engine, end Tick) {
	prev := e.winIndex&1 ^ 1
	for _, lanes := range s.in {
		l := lanes[prev]
		for i := range l.msgs {
			p := &l.msgs[i]
			s.put(e, p, l.arena[p.vecOff:p.vecOff+p.vecLen])
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
				s.samples[p.rec] = append(s.samples[p.rec], p.sum/float64(iv)) // room made in setupRecorders
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
