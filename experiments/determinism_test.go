package experiments

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestDeterminismMatrix runs a shipped experiment (izawa2019, shortened to
// a 2-h night, 12 episodes and 0.5-s ticks, one seed) under GOMAXPROCS 1, 2
// and 8 times 1, 2 and 4 workers: results.csv and stats.csv must be byte
// for byte the same in all nine.
func TestDeterminismMatrix(t *testing.T) {
	if testing.Short() {
		t.Skip("runs 36 short nights")
	}
	x, err := Load("izawa2019.toml")
	require.NoError(t, err)
	for i := range x.Conditions {
		c := &x.Conditions[i].Config
		c.Sim.DtS = 0.5
		c.Clock.Model.TimeInBedMin = 120
		c.Phases[0].Episodes, c.Phases[0].Minutes = 12, 10
	}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	var want map[string][]byte
	for _, procs := range []int{1, 2, 8} {
		for _, workers := range []int{1, 2, 4} {
			runtime.GOMAXPROCS(procs)
			out := filepath.Join(t.TempDir(), "out")
			_, err := Execute(context.Background(), x, Options{Out: out, Workers: workers, Seeds: 1})
			require.NoError(t, err)
			got := map[string][]byte{}
			for _, f := range []string{"results.csv", "stats.csv", "expectations.csv"} {
				b, err := os.ReadFile(filepath.Join(out, f))
				require.NoError(t, err)
				got[f] = b
			}
			if want == nil {
				want = got
				continue
			}
			for f := range want {
				require.Equal(t, string(want[f]), string(got[f]), fmt.Sprintf("%s with GOMAXPROCS=%d, %d workers", f, procs, workers))
			}
		}
	}
}
