package regions_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dreamsim/dreamsim/regions"
	"github.com/dreamsim/dreamsim/sim"
	"github.com/dreamsim/dreamsim/sim/sleep"
)

// manipulationNight is a 17-min schedule: W [0, 3), N2 [3, 7), R [7, 11),
// N2 [11, 14), R [14, 17) min.
func manipulationNight(t testing.TB) *sim.Timeline {
	return night(t, 0.1, block(sleep.W, 3), block(sleep.N2, 4), block(sleep.R, 4), block(sleep.N2, 3), block(sleep.R, 3))
}

// Columns of neuromodulatorySignals.
const (
	colNE = iota
	colMCH
	colPFC
	colAmygdala
)

// runManipulated runs the LC, MCH, PFC and amygdala through
// manipulationNight with manipulations, recording every tick.
func runManipulated(t testing.TB, ms []regions.Manipulation) []row {
	rs, cs := neuromodulatory(t, ms)
	return record(t, sim.Wiring{Regions: rs, Connections: cs}, manipulationNight(t), 5, 1, neuromodulatorySignals)
}

// TestManipulations checks that each manipulation changes what it
// documents, in the stages and time window it names, and nothing else: the
// manipulated run is compared tick by tick with an unmanipulated run of
// the same seed.
func TestManipulations(t *testing.T) {
	t.Parallel()
	control := runManipulated(t, nil)
	inR := func(r row) bool { return r.Stage == sleep.R }
	inWindow := func(from, to float64) func(row) bool {
		return func(r row) bool { return r.Min >= from && r.Min < to }
	}
	cases := []struct {
		name string
		m    regions.Manipulation
		col  int
		// where the manipulation acts; everywhere else every column must
		// equal the control's.
		where func(row) bool
		// lasting is true when the manipulation changes state, so that rows
		// after it first acts may differ from the control: stimulation
		// drives the population, whose rate and adaptation relax only with
		// their time constants once it stops.
		lasting bool
		// downstream is true when the manipulated signal feeds other
		// regions, whose columns then differ after it first acts.
		downstream bool
		check      func(t *testing.T, got, want []float64)
	}{
		{
			name: "silence mch in R (Izawa's REM-locked inhibition)",
			m:    regions.Manipulation{Kind: regions.Silence, Region: "mch", Stages: []string{"R"}},
			col:  colMCH, where: inR,
			check: func(t *testing.T, got, want []float64) {
				requireAll(t, got, 0)
				require.Greater(t, mean(want), 0.3, "control MCH activity in REM")
			},
		},
		{
			name: "silence mch in R during the first REM bout only",
			m:    regions.Manipulation{Kind: regions.Silence, Region: "mch", Stages: []string{"R"}, FromMin: 5, ToMin: 12},
			col:  colMCH, where: func(r row) bool { return inR(r) && r.Min >= 5 && r.Min < 12 },
			check: func(t *testing.T, got, want []float64) { requireAll(t, got, 0) },
		},
		{
			name: "clamp pfc at 0.3 in N2",
			m:    regions.Manipulation{Kind: regions.Clamp, Region: "pfc", Stages: []string{"N2"}, Value: 0.3},
			col:  colPFC, where: func(r row) bool { return r.Stage == sleep.N2 },
			check: func(t *testing.T, got, want []float64) { requireAll(t, got, 0.3) },
		},
		{
			name: "stimulate mch by 0.5 in R (Izawa's optogenetic activation)",
			m:    regions.Manipulation{Kind: regions.Stimulate, Region: "mch", Stages: []string{"R"}, Value: 0.5},
			col:  colMCH, where: inR, lasting: true,
			check: func(t *testing.T, got, want []float64) {
				t.Logf("MCH in REM: %.3f stimulated, %.3f control", mean(got), mean(want))
				require.Greater(t, mean(got), mean(want)+0.1)
			},
		},
		{
			name: "ablate lc from 3 to 7 min",
			m:    regions.Manipulation{Kind: regions.Ablate, Region: "lc", FromMin: 3, ToMin: 7},
			col:  colNE, where: inWindow(3, 7), downstream: true,
			check: func(t *testing.T, got, want []float64) {
				requireAll(t, got, 0)
				require.Greater(t, mean(want), 0.2, "control NE in N2")
			},
		},
		{
			name: "silence amygdala in every stage",
			m:    regions.Manipulation{Kind: regions.Silence, Region: "amygdala"},
			col:  colAmygdala, where: func(row) bool { return true },
			check: func(t *testing.T, got, want []float64) { requireAll(t, got, 0) },
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			require.NoError(t, c.m.Validate(nil))
			rows := runManipulated(t, []regions.Manipulation{c.m})
			require.Len(t, rows, len(control))
			var got, want []float64
			first := -1
			for i, r := range rows {
				if c.where(r) {
					if first < 0 {
						first = i
					}
					got, want = append(got, r.V[c.col]), append(want, control[i].V[c.col])
					continue
				}
				if (c.lasting || c.downstream) && first >= 0 {
					continue
				}
				require.Equal(t, control[i].V, r.V, "row %d (%.4f min, %v) lies outside the manipulation", i, r.Min, r.Stage)
			}
			require.NotEmpty(t, got, "the manipulation never applied")
			c.check(t, got, want)
			if c.downstream {
				// NE reaches the others after the 5-tick delay: PFC loses its NE
				// support and MCH its NE inhibition (Arnsten 2009; van den Pol 2004).
				pfcGot, pfcWant, mchGot, mchWant := 0.0, 0.0, 0.0, 0.0
				for i, r := range rows {
					if c.where(r) {
						pfcGot += r.V[colPFC]
						pfcWant += control[i].V[colPFC]
						mchGot += r.V[colMCH]
						mchWant += control[i].V[colMCH]
					}
				}
				require.Less(t, pfcGot, pfcWant, "PFC without NE")
				require.Greater(t, mchGot, mchWant, "MCH without NE inhibition")
			}
		})
	}
}

func requireAll(t *testing.T, xs []float64, v float64) {
	t.Helper()
	for i, x := range xs {
		require.Equal(t, v, x, "value %d", i)
	}
}

func mean(xs []float64) float64 {
	s := 0.0
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs))
}

// ripples runs the hippocampus alone through manipulationNight and returns
// its ripple rates per stage.
func ripples(t testing.TB, ms []regions.Manipulation) [5]float64 {
	h, err := regions.NewHippocampus(regions.DefaultHippocampus(), 16, ms)
	require.NoError(t, err)
	tl := manipulationNight(t)
	e, err := sim.New(sim.Wiring{Regions: []sim.Region{h}}, sim.Config{Seed: 9, Timeline: tl})
	require.NoError(t, err)
	require.NoError(t, e.Run(context.Background(), tl.Ticks()))
	return h.RippleRates()
}

// TestReplayManipulations checks the hippocampus's handle on replay:
// silencing "replay" in N2 blocks every N2 ripple and leaves the other
// stages' ripples as they were; stimulating it adds its value to the
// ripple rate per minute.
func TestReplayManipulations(t *testing.T) {
	t.Parallel()
	control := ripples(t, nil)
	silenced := ripples(t, []regions.Manipulation{{Kind: regions.Silence, Region: "hippocampus", Stages: []string{"N2"}}})
	stimulated := ripples(t, []regions.Manipulation{{Kind: regions.Stimulate, Region: "hippocampus", Signal: "replay", Stages: []string{"R"}, Value: 30}})
	t.Logf("ripples per min in W/N2/R: control %.2f/%.2f/%.2f, N2 silenced %.2f/%.2f/%.2f, R stimulated %.2f/%.2f/%.2f",
		control[sleep.W], control[sleep.N2], control[sleep.R], silenced[sleep.W], silenced[sleep.N2], silenced[sleep.R],
		stimulated[sleep.W], stimulated[sleep.N2], stimulated[sleep.R])
	require.Positive(t, control[sleep.N2])
	require.Zero(t, silenced[sleep.N2])
	for _, s := range []sleep.Stage{sleep.W, sleep.R} {
		require.Equal(t, control[s], silenced[s], "%v", s)
	}
	// 7 min of REM at the default rate plus 30 per min: about 217 ripples,
	// SD 15.
	require.InEpsilon(t, regions.DefaultHippocampus().RippleRate.R+30, stimulated[sleep.R], 0.2)
	require.Equal(t, control[sleep.W], stimulated[sleep.W])
}

// TestManipulationValidate checks that each kind of bad manipulation is
// refused with a message that says what is wrong.
func TestManipulationValidate(t *testing.T) {
	t.Parallel()
	cases := []struct {
		m    regions.Manipulation
		want string
	}{
		{regions.Manipulation{Kind: "lesion", Region: "mch"}, "unknown manipulation kind"},
		{regions.Manipulation{Kind: regions.Silence, Region: "mch", Stages: []string{"N4"}}, `unknown stage "N4"`},
		{regions.Manipulation{Kind: regions.Clamp, Region: "pfc", Value: 1.5}, "out of range [0, 1]"},
		{regions.Manipulation{Kind: regions.Silence, Region: "mch", FromMin: 10, ToMin: 5}, "is empty"},
		{regions.Manipulation{Kind: regions.Silence, Region: "mch", Signal: "rate"}, `no signal "rate"`},
	}
	for _, c := range cases {
		t.Run(fmt.Sprintf("%s %s", c.m.Kind, c.want), func(t *testing.T) {
			t.Parallel()
			require.ErrorContains(t, c.m.Validate([]string{"activity"}), c.want)
		})
	}
	ok := regions.Manipulation{Kind: regions.Stimulate, Region: "mch", Stages: []string{"R", "N2"}, FromMin: -10, ToMin: 60, Value: 0.5}
	require.NoError(t, ok.Validate([]string{"activity"}))
}
