package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dreamsim/dreamsim/plots"
)

// TestMultiNightActivityFigures runs a two-night experiment end to end and
// checks that each night gets its activity figure, drawn from that night's
// stretch of activity.csv: night 2's lights-off, found from its hypnogram,
// is at 44 min (a 40-min night, then a 4-min day).
func TestMultiNightActivityFigures(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "out")
	mustRun(t, "-config", filepath.Join("testdata", "two-nights.toml"), "-quiet", "-out", dir)
	for _, f := range []string{"activity.png", "activity.svg", "activity-night-2.png", "activity-night-2.svg"} {
		require.FileExists(t, filepath.Join(dir, "figures", f))
	}
	report, err := os.ReadFile(filepath.Join(dir, "report.html"))
	require.NoError(t, err)
	require.True(t, strings.Contains(string(report), "activity-night-2"), "report.html shows night 2's activity")

	run := filepath.Join(dir, "runs", "intact", "seed-1")
	act, err := plots.ReadActivity(filepath.Join(run, "activity.csv"))
	require.NoError(t, err)
	epochs, err := plots.ReadHypnogram(filepath.Join(run, "hypnogram.csv"))
	require.NoError(t, err)
	require.Equal(t, []int{1, 2}, plots.Nights(epochs))
	at, err := act.LightsOff(plots.NightEpochs(epochs, 2), 40)
	require.NoError(t, err)
	require.InDelta(t, 44.0, at, 1e-9)
}
