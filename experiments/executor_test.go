package experiments

import (
	"runtime"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dreamsim/dreamsim/sim"
)

func TestChooseExecutor(t *testing.T) {
	old := runtime.GOMAXPROCS(2)
	defer runtime.GOMAXPROCS(old)
	x := &Experiment{Conditions: []Condition{{Name: "c", Config: DefaultConfig()}}}
	tests := []struct {
		name    string
		choice  string
		workers int
		procs   int
		want    sim.Executor
	}{
		{"auto, one run with the cores to itself", "", 1, 2, sim.Concurrent},
		{"auto, a sweep fills the cores", "", 2, 2, sim.Sequential},
		{"auto, one core", "", 1, 1, sim.Sequential},
		{"auto spelled out", "auto", 1, 2, sim.Concurrent},
		{"forced concurrent in a sweep", "concurrent", 4, 2, sim.Concurrent},
		{"forced sequential", "sequential", 1, 2, sim.Sequential},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			runtime.GOMAXPROCS(tc.procs)
			require.Equal(t, tc.want, chooseExecutor(x, tc.choice, tc.workers))
		})
	}
}
