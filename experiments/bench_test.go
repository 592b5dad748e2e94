package experiments

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/dreamsim/dreamsim/generative"
	"github.com/dreamsim/dreamsim/regions"
	"github.com/dreamsim/dreamsim/sim"
)

// engineFor builds the engine of one default run with the given tick and
// connection delay, ready to step.
func engineFor(b *testing.B, dt, delay float64, exec sim.Executor) (*sim.Engine, *sim.Timeline) {
	b.Helper()
	e, tl, _ := defaultRun(b, dt, delay, exec)
	return e, tl
}

// defaultRun builds the regions and the engine of one default run (seed 1)
// with the given tick and connection delay, ready to step.
func defaultRun(tb testing.TB, dt, delay float64, exec sim.Executor) (*sim.Engine, *sim.Timeline, *regions.Brain) {
	tb.Helper()
	cfg := DefaultConfig()
	cfg.Sim.DtS, cfg.Sim.DelayS = dt, delay
	p, err := buildProtocol(&cfg, 1)
	require.NoError(tb, err)
	cs, err := cfg.Content.ContentSettings()
	require.NoError(tb, err)
	content, err := generative.NewContent(cs)
	require.NoError(tb, err)
	brain, w, err := assemble(&cfg, content, p)
	require.NoError(tb, err)
	e, err := sim.New(w, sim.Config{Seed: 1, Timeline: p.tl, Executor: exec})
	require.NoError(tb, err)
	return e, p.tl, brain
}

// BenchmarkEngine compares the concurrent executor with the sequential
// one on the default brain (seven regions) for connection delays of 1, 10
// and 100 ticks (dt = 10 ms), stepping the first two hours of the night.
// Compare ns/tick of the two executors at one delay.
func BenchmarkEngine(b *testing.B) {
	const dt = 0.01
	for _, ticks := range []int{1, 10, 100} {
		for _, exec := range []sim.Executor{sim.Sequential, sim.Concurrent} {
			b.Run(fmt.Sprintf("delay=%d/%s", ticks, exec), func(b *testing.B) {
				e, tl := engineFor(b, dt, float64(ticks)*dt, exec)
				start := tl.TickAtMin(0)
				require.NoError(b, e.Run(context.Background(), start))
				const chunk = 20000
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					if e.Now()+chunk > tl.Ticks() {
						b.StopTimer()
						e, _ = engineFor(b, dt, float64(ticks)*dt, exec)
						require.NoError(b, e.Run(context.Background(), start))
						b.StartTimer()
					}
					require.NoError(b, e.Run(context.Background(), e.Now()+chunk))
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*chunk), "ns/tick")
			})
		}
	}
}

// BenchmarkNight reports simulated seconds per wall second of the default
// brain through the night at 1-ms and 10-ms ticks (sequential executor,
// connection delay 10 ticks), over the first 20 minutes after lights-off.
func BenchmarkNight(b *testing.B) {
	for _, dt := range []float64{0.001, 0.01} {
		b.Run(fmt.Sprintf("dt=%gms", dt*1000), func(b *testing.B) {
			var simulated, wall float64
			for i := 0; i < b.N; i++ {
				e, tl := engineFor(b, dt, 10*dt, sim.Sequential)
				start := tl.TickAtMin(0)
				require.NoError(b, e.Run(context.Background(), start))
				end := tl.TickAtMin(20)
				t0 := time.Now()
				require.NoError(b, e.Run(context.Background(), end))
				wall += time.Since(t0).Seconds()
				simulated += float64(end-start) * dt
			}
			b.ReportMetric(simulated/wall, "sim-s/wall-s")
		})
	}
}

// BenchmarkAllocsPerTick reports heap allocations per tick of the default
// brain in steady state (the middle of the night).
func BenchmarkAllocsPerTick(b *testing.B) {
	e, tl := engineFor(b, 0.1, 0.5, sim.Sequential)
	require.NoError(b, e.Run(context.Background(), tl.TickAtMin(60)))
	b.ReportAllocs()
	const chunk = 6000
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if e.Now()+chunk > tl.Ticks() {
			b.StopTimer()
			e, tl = engineFor(b, 0.1, 0.5, sim.Sequential)
			require.NoError(b, e.Run(context.Background(), tl.TickAtMin(60)))
			b.StartTimer()
		}
		require.NoError(b, e.Run(context.Background(), e.Now()+chunk))
	}
}
