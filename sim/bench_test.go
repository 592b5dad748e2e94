package sim_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dreamsim/dreamsim/sim"
)

// BenchmarkExecutors compares the concurrent executor with the sequential
// one on six regions in a ring, for several min-delays. The ratio of the
// two ns/op at one delay is the engine's concurrency gain.
func BenchmarkExecutors(b *testing.B) {
	for _, delay := range []sim.Tick{1, 10, 100} {
		for _, v := range []struct {
			name   string
			exec   sim.Executor
			groups int
		}{{"sequential", sim.Sequential, 0}, {"concurrent", sim.Concurrent, 0}, {"concurrent-held-at-2-groups", sim.Concurrent, 2}, {"concurrent-held-at-1-group", sim.Concurrent, 1}} {
			exec := v.exec
			b.Run(fmt.Sprintf("delay=%d/%s", delay, v.name), func(b *testing.B) {
				w := ring(6, delay)
				for _, r := range w.Regions {
					r.(*leaky).keep = false
				}
				tl := night(b, 8*60)
				e, err := sim.New(w, sim.Config{Seed: 1, Timeline: tl, Executor: exec})
				require.NoError(b, err)
				sim.ForceGroups(e, v.groups)
				const chunk = 10000
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					if e.Now()+chunk > tl.Ticks() {
						b.StopTimer()
						e, _ = sim.New(w, sim.Config{Seed: 1, Timeline: tl, Executor: exec})
						sim.ForceGroups(e, v.groups)
						b.StartTimer()
					}
					if err := e.Run(context.Background(), e.Now()+chunk); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*chunk), "ns/tick")
			})
		}
	}
}
