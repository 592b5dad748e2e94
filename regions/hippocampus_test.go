package regions_test

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dreamsim/dreamsim/regions"
	"github.com/dreamsim/dreamsim/sim"
	"github.com/dreamsim/dreamsim/sim/sleep"
)

// TestRippleRates runs the hippocampus through a 5-h schedule night and
// checks its sharp-wave ripple rate per stage against the human rates of
// Jiang et al. (2020, Hippocampus): about 9/min in N2 and 15/min in N3
// (each within 25%), under 2/min in wake and REM.
func TestRippleRates(t *testing.T) {
	t.Parallel()
	for _, seed := range []uint64{1, 2, 3} {
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			t.Parallel()
			h, err := regions.NewHippocampus(regions.DefaultHippocampus(), 16, nil)
			require.NoError(t, err)
			tl := night(t, 0.1, block(sleep.W, 30), block(sleep.N2, 60), block(sleep.N3, 60), block(sleep.R, 60),
				block(sleep.N2, 60), block(sleep.W, 30))
			e, err := sim.New(sim.Wiring{Regions: []sim.Region{h}}, sim.Config{Seed: seed, Timeline: tl})
			require.NoError(t, err)
			require.NoError(t, e.Run(context.Background(), tl.Ticks()))
			r := h.RippleRates()
			t.Logf("ripples per min: W %.2f  N2 %.2f  N3 %.2f  R %.2f", r[sleep.W], r[sleep.N2], r[sleep.N3], r[sleep.R])
			require.True(t, math.IsNaN(r[sleep.N1]), "N1 was never visited")
			require.InEpsilon(t, 9, r[sleep.N2], 0.25, "N2 ripples per min")
			require.InEpsilon(t, 15, r[sleep.N3], 0.25, "N3 ripples per min")
			require.Less(t, r[sleep.W], 2.0, "wake ripples per min")
			require.Less(t, r[sleep.R], 2.0, "REM ripples per min")
		})
	}
}

// presenter is a test region that presents episodes to the hippocampus at
// given minutes, with NE at a given tone and full PFC attention.
type presenter struct {
	at    []float64 // presentation times, minutes from lights-off
	ids   []int64   // episode presented at each time
	ne    float64
	vec   map[int64][]float64
	next  int
	delay sim.Tick
}

func (p *presenter) Name() string              { return "presenter" }
func (p *presenter) Outputs() []string         { return []string{"episode", "ne", "pfc"} }
func (p *presenter) Signals() []string         { return []string{"ne"} }
func (p *presenter) Signal(int) float64        { return p.ne }
func (p *presenter) NonFinite() (string, bool) { return "", false }
func (p *presenter) Reset(env sim.Env) error {
	p.next = 0
	p.vec = map[int64][]float64{}
	rng := rand.New(rand.NewPCG(7, 7))
	for _, id := range p.ids {
		if p.vec[id] == nil {
			v := make([]float64, 20)
			for i := range v {
				v[i] = rng.Float64()
			}
			p.vec[id] = v
		}
	}
	return nil
}

func (p *presenter) Step(s *sim.Step) error {
	s.Send("ne", sim.Message{Value: p.ne})
	s.Send("pfc", sim.Message{Value: 1})
	for p.next < len(p.at) && p.at[p.next] <= s.Min {
		id := p.ids[p.next]
		s.Send("episode", sim.Message{Event: sim.Event{ID: id, Class: 0, Strength: 1, Vec: p.vec[id]}})
		p.next++
	}
	return nil
}

// TestRepeatedPresentationStrengthens checks that presenting an episode
// again, after its first encoding window closed, encodes it further (the
// hippocampus documents that a repeated presentation restarts the encoding
// window; DayPlan.Repetitions presents every episode that often). Episode
// 1 is presented once, episode 2 three times, a minute apart, at the same
// NE and attention: episode 2 must end stronger. With NE 0.5, full
// attention and no tag, a trace grows at rate r = EncodingRate * 0.5 for
// EncodingWindowS per presentation, so one presentation leaves
// 1 - exp(-r * window) (0.45 with the defaults 0.12/s and 10 s) and three
// leave 1 - exp(-3 * r * window) (0.83).
func TestRepeatedPresentationStrengthens(t *testing.T) {
	t.Parallel()
	p := regions.DefaultHippocampus()
	p.PassiveDecayH = 0
	h, err := regions.NewHippocampus(p, 16, nil)
	require.NoError(t, err)
	pr := &presenter{at: []float64{0.5, 1, 2, 3}, ids: []int64{1, 2, 2, 2}, ne: 0.5}
	tl := night(t, 0.1, block(sleep.W, 5))
	w := sim.Wiring{Regions: []sim.Region{h, pr}, Connections: []sim.Connection{
		{From: "presenter", Output: "episode", To: "hippocampus", Delay: 1},
		{From: "presenter", Output: "ne", To: "hippocampus", Delay: 1},
		{From: "presenter", Output: "pfc", To: "hippocampus", Delay: 1},
	}}
	e, err := sim.New(w, sim.Config{Seed: 1, Timeline: tl})
	require.NoError(t, err)
	require.NoError(t, e.Run(context.Background(), tl.Ticks()))
	strength := map[int64]float64{}
	for _, tr := range h.Traces() {
		strength[tr.ID] = tr.Strength
	}
	t.Logf("strength after one presentation %.3f, after three %.3f", strength[1], strength[2])
	rw := p.EncodingRate * 0.5 * p.EncodingWindowS
	require.InDelta(t, 1-math.Exp(-rw), strength[1], 0.01, "one presentation")
	require.InDelta(t, 1-math.Exp(-3*rw), strength[2], 0.02,
		"three presentations: Hippocampus.store ignores a repeated episode instead of restarting its encoding window")
}
