package experiments

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dreamsim/dreamsim/sim"
)

func BenchmarkDefaultRun(b *testing.B) {
	x, err := Default()
	require.NoError(b, err)
	for _, exec := range []sim.Executor{sim.Sequential, sim.Concurrent} {
		b.Run(exec.String(), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				_, err := RunOne(context.Background(), x, Run{Condition: "intact", Seed: uint64(i + 1)}, b.TempDir(), exec)
				require.NoError(b, err)
			}
		})
	}
}
