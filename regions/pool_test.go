package regions

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dreamsim/dreamsim/sim"
	"github.com/dreamsim/dreamsim/sim/sleep"
)

// TestSlab checks that a slab hands out zeroed, capped, disjoint slices,
// from its reservation without allocating, and grows past it.
func TestSlab(t *testing.T) {
	cases := []struct {
		name    string
		reserve int
		takes   []int
		grows   bool // whether the takes outgrow the reservation
	}{
		{"within", 100, []int{10, 0, 40, 50}, false},
		{"exactly", 8, []int{3, 5}, false},
		{"past", 8, []int{3, 6, 30, 1}, true},
		{"none reserved", 0, []int{1, 2}, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var s slab[float64]
			s.reserve(c.reserve)
			var got [][]float64
			for _, n := range c.takes {
				got = append(got, s.take(n))
			}
			for i, x := range got {
				require.Len(t, x, c.takes[i])
				require.Equal(t, c.takes[i], cap(x), "capacity of take %d", i)
				for _, v := range x {
					require.Zero(t, v)
				}
				for j := range x {
					x[j] = float64(i + 1)
				}
			}
			// Writing each slice left the others intact.
			for i, x := range got {
				for _, v := range x {
					require.Equal(t, float64(i+1), v, "take %d was overwritten", i)
				}
			}
			if !c.grows {
				// Room for the two calls AllocsPerRun makes.
				s.reserve(2 * c.reserve)
				allocs := testing.AllocsPerRun(1, func() {
					for _, n := range c.takes {
						s.take(n)
					}
				})
				require.Zero(t, allocs, "allocations within the reservation")
			}
		})
	}
}

func TestWithMargin(t *testing.T) {
	cases := []struct {
		expected float64
		want     int
	}{
		{0, 0},
		{-1, 0},
		{math.NaN(), 0},
		{1, 9},     // 1 + 4·1 + 4
		{100, 144}, // 100 + 4·10 + 4
		{63, 99},   // ⌈63 + 4·√63⌉ + 4 = ⌈94.75⌉ + 4
	}
	for _, c := range cases {
		require.Equal(t, c.want, withMargin(c.expected), "withMargin(%v)", c.expected)
	}
}

// TestExpectedScenes checks the cortex's estimate of the dream scenes of a
// run, from which it reserves their storage, on a night of an hour of REM,
// an hour of N2 and half an hour of wake, at the default dream rates (R 1,
// N2 0.05, W 0 per minute).
func TestExpectedScenes(t *testing.T) {
	tl := func(dt float64) *sim.Timeline {
		h, err := sleep.FromSchedule([]sleep.ScheduleBlock{{Stage: sleep.R, Minutes: 60}, {Stage: sleep.N2, Minutes: 60}, {Stage: sleep.W, Minutes: 30}})
		require.NoError(t, err)
		x, err := sim.NewTimeline(dt, sim.Segment{Phase: sim.Sleep, Day: 1, Night: h})
		require.NoError(t, err)
		return x
	}
	cases := []struct {
		name     string
		dt       float64
		ms       []Manipulation
		expected float64 // scenes expected without the margin
	}{
		{"defaults", 0.1, nil, 60 + 3},
		{"other tick", 1, nil, 60 + 3},
		{"dreaming silenced in REM", 0.1, []Manipulation{{Kind: Silence, Region: "cortex", Stages: []string{"R"}}}, 3},
		{"dreaming stimulated in N2", 0.1, []Manipulation{{Kind: Stimulate, Region: "cortex", Stages: []string{"N2"}, Value: 0.5}}, 60 + 33},
		{"cortex ablated", 0.1, []Manipulation{{Kind: Ablate, Region: "cortex"}}, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cx, err := NewCortex(DefaultCortex(), 8, 256, c.ms)
			require.NoError(t, err)
			require.Equal(t, withMargin(c.expected), cx.expectedScenes(tl(c.dt)))
		})
	}
	cx, err := NewCortex(DefaultCortex(), 8, 256, nil)
	require.NoError(t, err)
	require.Zero(t, cx.expectedScenes(nil), "without a timeline")
}

func TestRemAwakenings(t *testing.T) {
	day := sleep.Hypnogram{Epochs: make([]sleep.Stage, 20)}
	cases := []struct {
		name   string
		blocks []sleep.ScheduleBlock
		want   int
	}{
		{"none", []sleep.ScheduleBlock{{Stage: sleep.N2, Minutes: 10}, {Stage: sleep.R, Minutes: 10}, {Stage: sleep.N2, Minutes: 5}}, 0},
		{"two", []sleep.ScheduleBlock{{Stage: sleep.R, Minutes: 10}, {Stage: sleep.W, Minutes: 1}, {Stage: sleep.R, Minutes: 5}, {Stage: sleep.W, Minutes: 0.5}, {Stage: sleep.N2, Minutes: 5}}, 2},
		{"at the end of the night", []sleep.ScheduleBlock{{Stage: sleep.N2, Minutes: 10}, {Stage: sleep.R, Minutes: 10}, {Stage: sleep.W, Minutes: 5}}, 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h, err := sleep.FromSchedule(c.blocks)
			require.NoError(t, err)
			// A day before the night: its wake does not count.
			tl, err := sim.NewTimeline(0.5, sim.Segment{Phase: sim.Wake, Day: 1, Night: day}, sim.Segment{Phase: sim.Sleep, Day: 1, Night: h})
			require.NoError(t, err)
			require.Equal(t, c.want, remAwakenings(tl))
		})
	}
}
