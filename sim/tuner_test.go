package sim

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestTunerChoosesFasterGrouping drives the tuner with a fake clock: each
// window takes perTick[groups] per tick, and the tuner must settle on the
// grouping that is faster, try both again after its keep phase, and follow
// a change of costs.
func TestTunerChoosesFasterGrouping(t *testing.T) {
	tests := []struct {
		name       string
		one, all   time.Duration // wall time per tick in one group and in n groups
		wantGroups int
		wantKeep   int // windows kept, in trials
	}{
		{"short windows: meeting costs more", 2500 * time.Nanosecond, 3200 * time.Nanosecond, 1, 63},
		{"long windows: cores pay", 2500 * time.Nanosecond, 1500 * time.Nanosecond, 2, 63},
		{"narrow win for cores", 2500 * time.Nanosecond, 2300 * time.Nanosecond, 2, 15},
		{"narrow loss for cores", 2500 * time.Nanosecond, 2700 * time.Nanosecond, 1, 15},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			now := time.Unix(0, 0)
			tu := tuner{clock: func() time.Time { return now }}
			const window = 10
			tu.resume(2, window)
			step := func() int {
				g := tu.groups
				cost := tc.one
				if g == 2 {
					cost = tc.all
				}
				now = now.Add(cost * window)
				tu.done(window)
				return g
			}
			trial := tu.trial
			require.Equal(t, 52, trial, "trial windows for 10-tick windows")
			for i := 0; i < trial; i++ {
				require.Equal(t, 1, step(), "first trial: one group")
			}
			for i := 0; i < trial; i++ {
				require.Equal(t, 2, step(), "second trial: every core")
			}
			for i := 0; i < tc.wantKeep*trial; i++ {
				require.Equal(t, tc.wantGroups, step(), "keep phase, window %d", i)
			}
			require.Equal(t, 1, step(), "trials start again after the keep phase")
		})
	}
}

// TestTunerPauseExcludesTimeOutsideRun checks that time spent between two
// calls of Run does not count against the grouping on trial.
func TestTunerPauseExcludesTimeOutsideRun(t *testing.T) {
	now := time.Unix(0, 0)
	tu := tuner{clock: func() time.Time { return now }}
	tu.resume(2, 100)
	for i := 0; i < tu.trial; i++ {
		now = now.Add(100 * time.Microsecond) // one group: 1 µs per tick
		tu.done(100)
		if i == 3 {
			tu.pause()
			now = now.Add(time.Second) // the caller works between two Runs
			tu.resume(2, 100)
		}
	}
	for i := 0; i < tu.trial; i++ {
		now = now.Add(80 * time.Microsecond) // all cores: 0.8 µs per tick
		tu.done(100)
	}
	require.Equal(t, 2, tu.groups)
}

func TestTunerForcedAndSingleCore(t *testing.T) {
	tu := tuner{force: 2}
	tu.resume(2, 1)
	for i := 0; i < 1000; i++ {
		require.Equal(t, 2, tu.groups)
		tu.done(1)
	}
	one := tuner{}
	one.resume(1, 1)
	for i := 0; i < 1000; i++ {
		require.Equal(t, 1, one.groups)
		one.done(1)
	}
}
