package experiments

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dreamsim/dreamsim/experiments/stats"
)

// reduce shortens a shipped experiment for the test suite: a 6-h night
// instead of 8, 24 episodes instead of 32, 0.2-s ticks. The full versions,
// with 20 seeds, are run for the README.
func reduce(c *Config) {
	c.Sim.DtS = 0.2
	c.Clock.Model.TimeInBedMin = 360
	for i := range c.Phases {
		if c.Phases[i].Kind == "wake" && c.Phases[i].Episodes == 32 {
			c.Phases[i].Episodes = 24
		}
	}
}

// runShipped runs a reduced version of a shipped experiment (the given
// conditions only, or all) and returns its verdicts by condition and metric.
func runShipped(t *testing.T, file string, seeds int, keep ...string) map[[2]string]stats.Verdict {
	t.Helper()
	x, err := Load(file)
	require.NoError(t, err)
	if len(keep) > 0 {
		var cs []Condition
		for _, c := range x.Conditions {
			for _, k := range keep {
				if c.Name == k {
					cs = append(cs, c)
				}
			}
		}
		x.Conditions = cs
		var es []ExpectSpec
		for _, e := range x.Expectations {
			if _, ok := x.Condition(e.Condition); ok {
				es = append(es, e)
			}
		}
		x.Expectations = es
	}
	for i := range x.Conditions {
		reduce(&x.Conditions[i].Config)
	}
	o, err := Execute(context.Background(), x, Options{Out: filepath.Join(t.TempDir(), "out"), Seeds: seeds})
	require.NoError(t, err)
	require.Zero(t, o.Failed)
	v := map[[2]string]stats.Verdict{}
	for _, e := range o.Report.Verdicts {
		v[[2]string{e.Condition, e.Metric}] = e.Verdict
		t.Logf("%s %s %s %s: diff %.3f, g %.2f, p_adj %.4f -> %s", e.Condition, e.Metric, e.Direction, e.Against, e.Cmp.Diff, e.Cmp.HedgesG, e.PAdjusted, e.Verdict)
	}
	return v
}

// The shipped experiments, reduced, reach the verdicts their full versions
// reach (README, "Shipped experiments").
func TestShippedIzawa2019(t *testing.T) {
	if testing.Short() {
		t.Skip("runs 48 simulated nights")
	}
	v := runShipped(t, "izawa2019.toml", 12)
	require.Equal(t, stats.Pass, v[[2]string{"ablated", "retention"}])
	require.Equal(t, stats.Pass, v[[2]string{"stimulated-rem", "retention"}])
	require.Equal(t, stats.Pass, v[[2]string{"silenced-rem", "retention"}])
}

func TestShippedEmotionalMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("runs 20 simulated nights")
	}
	v := runShipped(t, "emotional-memory.toml", 10)
	require.Equal(t, stats.Pass, v[[2]string{"amygdala-ablated", "emotional_advantage"}])
}

func TestShippedPFCGating(t *testing.T) {
	if testing.Short() {
		t.Skip("runs 24 simulated nights")
	}
	v := runShipped(t, "pfc-gating.toml", 8, "wake-level", "pfc-off")
	require.Equal(t, stats.Pass, v[[2]string{"pfc-off", "dream_novelty"}])
	require.NotEqual(t, stats.Fail, v[[2]string{"pfc-off", "dream_bizarreness"}])
}

func TestShippedNEDreamRecall(t *testing.T) {
	if testing.Short() {
		t.Skip("runs 12 simulated nights")
	}
	v := runShipped(t, "ne-dream-recall.toml", 6)
	require.Equal(t, stats.Pass, v[[2]string{"ne-clamped-rem", "dream_recall_rate"}])
}

func TestShippedForgettingRules(t *testing.T) {
	if testing.Short() {
		t.Skip("runs 30 simulated nights")
	}
	v := runShipped(t, "forgetting-rules.toml", 10, "uniform", "least-replayed-first", "emotion-protected")
	require.Equal(t, stats.Pass, v[[2]string{"emotion-protected", "emotional_advantage"}])
	require.Equal(t, stats.Pass, v[[2]string{"least-replayed-first", "replay_advantage"}])
	for k, verdict := range v {
		require.NotEqual(t, stats.Fail, verdict, k)
	}
}
