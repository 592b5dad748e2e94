package sim_test

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dreamsim/dreamsim/sim"
	"github.com/dreamsim/dreamsim/sim/sleep"
)

// leaky is a test region: a noisy leaky integrator of what it receives,
// that sends its state every tick and a vector event every 7th tick.
type leaky struct {
	name   string
	tau    float64 // s
	x      float64
	got    []sim.Message // every message received, when keep is set
	keep   bool
	nanAt  sim.Tick // tick at which x becomes NaN; 0 for never
	last   []float64
	stride int
}

func (l *leaky) Name() string      { return l.name }
func (l *leaky) Outputs() []string { return []string{"x", "vec"} }
func (l *leaky) Signals() []string { return []string{"x", "in"} }
func (l *leaky) Signal(i int) float64 {
	if i == 0 {
		return l.x
	}
	return float64(len(l.got))
}
func (l *leaky) NonFinite() (string, bool) {
	if math.IsNaN(l.x) || math.IsInf(l.x, 0) {
		return "x", true
	}
	return "", false
}
func (l *leaky) Reset(env sim.Env) error {
	l.x = env.RNG.Float64()
	l.got = nil
	return nil
}
func (l *leaky) Step(s *sim.Step) error {
	drive := 0.0
	for _, m := range s.Inbox {
		drive += m.Value
		if l.keep {
			m.Event.Vec = append([]float64(nil), m.Event.Vec...)
			l.got = append(l.got, m)
		}
	}
	l.x += s.Dt/l.tau*(-l.x+0.3*drive) + 0.1*math.Sqrt(s.Dt)*s.RNG.NormFloat64()
	if l.nanAt != 0 && s.Tick == l.nanAt {
		l.x = math.NaN()
	}
	s.Send("x", sim.Message{Value: l.x})
	if l.stride > 0 && s.Tick%sim.Tick(l.stride) == 0 {
		l.last = append(l.last[:0], float64(s.Tick), l.x)
		s.Send("vec", sim.Message{Event: sim.Event{ID: int64(s.Tick), Vec: l.last}})
		l.last[0] = -1 // a sender changing its buffer after Send must not change what arrives
	}
	return nil
}

func night(t testing.TB, minutes int) *sim.Timeline {
	t.Helper()
	var ep []sleep.Stage
	pattern := []sleep.Stage{sleep.W, sleep.N1, sleep.N2, sleep.N3, sleep.N2, sleep.R}
	for i := 0; i < minutes*2; i++ {
		ep = append(ep, pattern[(i/20)%len(pattern)])
	}
	tl, err := sim.NewTimeline(0.1, sim.Segment{Phase: sim.Wake, Day: 1, Night: sleep.Hypnogram{Epochs: ep[:20]}},
		sim.Segment{Phase: sim.Sleep, Day: 1, Night: sleep.Hypnogram{Epochs: ep}})
	require.NoError(t, err)
	return tl
}

// ring builds n leaky regions connected in a ring and to their
// second neighbour, with delays from delay to 3*delay.
func ring(n int, delay sim.Tick) sim.Wiring {
	var w sim.Wiring
	for i := 0; i < n; i++ {
		w.Regions = append(w.Regions, &leaky{name: fmt.Sprintf("r%d", i), tau: 0.5 + 0.1*float64(i), stride: 7, keep: true})
	}
	for i := 0; i < n; i++ {
		w.Connections = append(w.Connections,
			sim.Connection{From: fmt.Sprintf("r%d", i), Output: "x", To: fmt.Sprintf("r%d", (i+1)%n), Delay: delay},
			sim.Connection{From: fmt.Sprintf("r%d", i), Output: "x", To: fmt.Sprintf("r%d", (i+2)%n), Delay: 3 * delay},
			sim.Connection{From: fmt.Sprintf("r%d", i), Output: "vec", To: fmt.Sprintf("r%d", (i+n-1)%n), Input: "v", Delay: 2 * delay})
	}
	return w
}

type runOut struct {
	csv   string
	state []float64
	msgs  [][]sim.Message
}

func runRing(t testing.TB, exec sim.Executor, delay sim.Tick, chunks int) runOut {
	t.Helper()
	return runRingGroups(t, exec, delay, chunks, 0)
}

// runRingGroups is runRing with the concurrent executor held at the given
// number of groups (0: tuned).
func runRingGroups(t testing.TB, exec sim.Executor, delay sim.Tick, chunks, groups int) runOut {
	t.Helper()
	w := ring(6, delay)
	var buf bytes.Buffer
	tl := night(t, 30)
	refs := []sim.SignalRef{{Region: "r0", Signal: "x"}, {Region: "r3", Signal: "x"}, {Region: "r5", Signal: "in"}}
	e, err := sim.New(w, sim.Config{Seed: 42, Timeline: tl, Executor: exec,
		Recorders: []sim.RecorderSpec{{Interval: 37, Signals: refs, Out: &buf}}})
	require.NoError(t, err)
	sim.ForceGroups(e, groups)
	for c := 1; c <= chunks; c++ {
		until := tl.Ticks() * sim.Tick(c) / sim.Tick(chunks)
		require.NoError(t, e.Run(context.Background(), until))
	}
	require.Equal(t, tl.Ticks(), e.Now())
	var out runOut
	out.csv = buf.String()
	for _, r := range w.Regions {
		l := r.(*leaky)
		out.state = append(out.state, l.x)
		out.msgs = append(out.msgs, l.got)
	}
	return out
}

func TestExecutorsAgree(t *testing.T) {
	t.Parallel()
	for _, delay := range []sim.Tick{1, 3, 10} {
		seq := runRing(t, sim.Sequential, delay, 1)
		// 0 lets the executor choose its groups as it goes; 2 and 6 hold
		// them fixed, so the regions really are stepped on several
		// goroutines throughout.
		for _, groups := range []int{0, 1, 2, 6} {
			con := runRingGroups(t, sim.Concurrent, delay, 1, groups)
			require.Equal(t, seq.csv, con.csv, "delay %d, groups %d", delay, groups)
			require.Equal(t, seq.state, con.state, "delay %d, groups %d", delay, groups)
			require.Equal(t, seq.msgs, con.msgs, "delay %d, groups %d", delay, groups)
		}
	}
}

func TestChunkedRunEqualsWholeRun(t *testing.T) {
	t.Parallel()
	whole := runRing(t, sim.Concurrent, 10, 1)
	for _, chunks := range []int{2, 7, 10} {
		part := runRing(t, sim.Concurrent, 10, chunks)
		require.Equal(t, whole.csv, part.csv, "%d chunks", chunks)
		require.Equal(t, whole.state, part.state, "%d chunks", chunks)
	}
}

func TestDeterministicAcrossGOMAXPROCS(t *testing.T) {
	old := runtime.GOMAXPROCS(1)
	a := runRing(t, sim.Concurrent, 4, 1)
	runtime.GOMAXPROCS(8)
	b := runRing(t, sim.Concurrent, 4, 1)
	runtime.GOMAXPROCS(old)
	require.Equal(t, a.csv, b.csv)
	require.Equal(t, a.state, b.state)
}

func TestVectorPayloadsAreCopied(t *testing.T) {
	t.Parallel()
	out := runRing(t, sim.Sequential, 5, 1)
	n := 0
	for i, msgs := range out.msgs {
		require.NotEmpty(t, msgs, "region %d received nothing", i)
		for _, m := range msgs {
			if m.Input != "v" {
				continue
			}
			n++
			require.Len(t, m.Event.Vec, 2)
			require.Equal(t, float64(m.Sent), m.Event.Vec[0], "vector payload was aliased, not copied")
			require.Equal(t, int64(m.Sent), m.Event.ID)
		}
	}
	require.Greater(t, n, 100)
}

// arrivals records the tick each message arrives at.
type arrivals struct {
	name string
	seen []string
}

func (a *arrivals) Name() string              { return a.name }
func (a *arrivals) Outputs() []string         { return []string{"tick"} }
func (a *arrivals) Signals() []string         { return nil }
func (a *arrivals) Signal(int) float64        { return 0 }
func (a *arrivals) NonFinite() (string, bool) { return "", false }
func (a *arrivals) Reset(sim.Env) error       { a.seen = nil; return nil }
func (a *arrivals) Step(s *sim.Step) error {
	for _, m := range s.Inbox {
		a.seen = append(a.seen, fmt.Sprintf("%d:%s@%d", s.Tick, m.From, m.Sent))
	}
	s.Send("tick", sim.Message{})
	s.Send("tick", sim.Message{})
	return nil
}

func TestArrivalTicksAndOrder(t *testing.T) {
	t.Parallel()
	for _, exec := range []sim.Executor{sim.Sequential, sim.Concurrent} {
		recv := &arrivals{name: "m"}
		w := sim.Wiring{Regions: []sim.Region{&arrivals{name: "z"}, recv, &arrivals{name: "a"}},
			Connections: []sim.Connection{
				{From: "z", Output: "tick", To: "m", Delay: 2},
				{From: "a", Output: "tick", To: "m", Delay: 3},
			}}
		e, err := sim.New(w, sim.Config{Seed: 1, Timeline: night(t, 10), Executor: exec})
		require.NoError(t, err)
		require.Equal(t, sim.Tick(2), e.Window())
		require.NoError(t, e.Run(context.Background(), 6))
		// Tick 2 gets z's two messages of tick 0; tick 3 gets a@0 (delay 3)
		// before z@1 (canonical: sender name first), each sent twice.
		want := []string{"2:z@0", "2:z@0", "3:a@0", "3:a@0", "3:z@1", "3:z@1",
			"4:a@1", "4:a@1", "4:z@2", "4:z@2", "5:a@2", "5:a@2", "5:z@3", "5:z@3"}
		require.Equal(t, want, recv.seen, exec.String())
	}
}

func TestNonFiniteStopsRun(t *testing.T) {
	t.Parallel()
	for _, exec := range []sim.Executor{sim.Sequential, sim.Concurrent} {
		w := ring(4, 10)
		w.Regions[2].(*leaky).nanAt = 1234
		var buf bytes.Buffer
		e, err := sim.New(w, sim.Config{Seed: 3, Timeline: night(t, 30), Executor: exec,
			Recorders: []sim.RecorderSpec{{Interval: 100, Signals: []sim.SignalRef{{Region: "r0", Signal: "x"}}, Out: &buf}}})
		require.NoError(t, err)
		err = e.Run(context.Background(), 1<<40)
		var re *sim.RunError
		require.ErrorAs(t, err, &re)
		require.Equal(t, "r2", re.Region)
		require.Equal(t, "x", re.Variable)
		require.Equal(t, sim.Tick(1234), re.Tick)
		require.Contains(t, err.Error(), "r2")
		require.Contains(t, err.Error(), "tick 1234")
		// The recorder holds whole rows up to the window before the failure.
		lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
		require.Len(t, lines, 1+12, "rows before tick 1230")
		require.ErrorIs(t, e.Run(context.Background(), 1<<40), err)
	}
}

func TestCancelStopsAtWindowBoundaryAndResumes(t *testing.T) {
	t.Parallel()
	want := runRing(t, sim.Concurrent, 10, 1)
	w := ring(6, 10)
	var buf bytes.Buffer
	tl := night(t, 30)
	refs := []sim.SignalRef{{Region: "r0", Signal: "x"}, {Region: "r3", Signal: "x"}, {Region: "r5", Signal: "in"}}
	e, err := sim.New(w, sim.Config{Seed: 42, Timeline: tl, Recorders: []sim.RecorderSpec{{Interval: 37, Signals: refs, Out: &buf}}})
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	require.ErrorIs(t, e.Run(ctx, tl.Ticks()), context.Canceled)
	require.Equal(t, sim.Tick(0), e.Now())
	require.NoError(t, e.Run(context.Background(), 5000))
	require.Zero(t, e.Now()%e.Window())
	partial := buf.String()
	require.True(t, strings.HasPrefix(want.csv, partial), "rows so far are a prefix of the full run")
	require.NoError(t, e.Run(context.Background(), tl.Ticks()))
	require.Equal(t, want.csv, buf.String())
}

func TestWiringErrors(t *testing.T) {
	t.Parallel()
	w := sim.Wiring{
		Regions: []sim.Region{&leaky{name: "a"}, &leaky{name: "a"}, &leaky{name: "b"}},
		Connections: []sim.Connection{
			{From: "a", Output: "nope", To: "b", Delay: 1},
			{From: "a", Output: "x", To: "ghost", Delay: 1},
			{From: "b", Output: "x", To: "a", Delay: 0},
		},
	}
	err := w.Validate()
	require.Error(t, err)
	for _, want := range []string{`"a" appears twice`, `no output "nope"`, `unknown region "ghost"`, "at least 1 tick"} {
		require.Contains(t, err.Error(), want)
	}
}

func TestStreamsIndependentOfOtherRegions(t *testing.T) {
	t.Parallel()
	a := sim.Stream(7, "mch").Float64()
	b := sim.Stream(7, "mch").Float64()
	c := sim.Stream(7, "pfc").Float64()
	d := sim.Stream(8, "mch").Float64()
	require.Equal(t, a, b)
	require.NotEqual(t, a, c)
	require.NotEqual(t, a, d)
}

func TestSteadyStateDoesNotAllocate(t *testing.T) {
	for _, exec := range []sim.Executor{sim.Sequential, sim.Concurrent} {
		w := ring(6, 10)
		for _, r := range w.Regions {
			r.(*leaky).keep = false
		}
		tl := night(t, 60)
		var buf bytes.Buffer
		e, err := sim.New(w, sim.Config{Seed: 1, Timeline: tl, Executor: exec,
			Recorders: []sim.RecorderSpec{{Interval: 300, Signals: []sim.SignalRef{{Region: "r1", Signal: "x"}}, Out: &buf}}})
		require.NoError(t, err)
		require.NoError(t, e.Run(context.Background(), 2000)) // warm up buffers
		ctx := context.Background()
		allocs := testing.AllocsPerRun(10, func() {
			require.NoError(t, e.Run(ctx, e.Now()+1000))
		})
		// The concurrent executor starts its goroutines and channels once per
		// Run call (a handful of allocations per 1000 ticks); stepping itself
		// allocates nothing.
		if exec == sim.Sequential {
			require.Zero(t, allocs, exec.String())
		} else {
			require.Less(t, allocs/1000, 0.05, exec.String())
		}
	}
}

func TestTimelineMoments(t *testing.T) {
	t.Parallel()
	ep := []sleep.Stage{sleep.W, sleep.N2, sleep.N2, sleep.R, sleep.R, sleep.R}
	tl, err := sim.NewTimeline(0.5, sim.Segment{Phase: sim.Wake, Day: 1, Night: sleep.Hypnogram{Epochs: make([]sleep.Stage, 4)}},
		sim.Segment{Phase: sim.Sleep, Day: 1, Night: sleep.Hypnogram{Epochs: ep}})
	require.NoError(t, err)
	require.Equal(t, sim.Tick(10*60), tl.Ticks())
	m := tl.At(0)
	require.Equal(t, sim.Wake, m.Phase)
	require.InDelta(t, -2.0, m.Min, 1e-12)
	m = tl.At(tl.TickAtMin(0.75)) // second N2 epoch, 0.25 min into the N2 bout... bout began at 0.5
	require.Equal(t, sleep.N2, m.Stage)
	require.InDelta(t, 0.25, m.StageMin, 1e-12)
	require.Equal(t, sleep.R, m.Next)
	require.InDelta(t, 0.75, m.NextMin, 1e-12)
	m = tl.At(tl.TickAtMin(2.9))
	require.Equal(t, sleep.R, m.Stage)
	require.True(t, math.IsInf(m.NextMin, 1))
	require.InDelta(t, 0.1, m.PhaseLeftMin, 1e-9)
	_, err = sim.NewTimeline(0.7, sim.Segment{Phase: sim.Sleep, Night: sleep.Hypnogram{Epochs: ep}})
	require.Error(t, err)
}
