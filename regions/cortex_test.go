package regions_test

import (
	"context"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dreamsim/dreamsim/regions"
	"github.com/dreamsim/dreamsim/sim"
	"github.com/dreamsim/dreamsim/sim/sleep"
)

// replayer sends one episode at tick 0 and replays it at tick 10.
type replayer struct{ img []float64 }

func (r *replayer) Name() string              { return "replayer" }
func (r *replayer) Outputs() []string         { return []string{"episode", "replay"} }
func (r *replayer) Signals() []string         { return nil }
func (r *replayer) Signal(int) float64        { return 0 }
func (r *replayer) NonFinite() (string, bool) { return "", false }
func (r *replayer) Reset(sim.Env) error       { return nil }
func (r *replayer) Step(s *sim.Step) error {
	switch s.Tick {
	case 0:
		s.Send("episode", sim.Message{Event: sim.Event{ID: 1, Class: 0, Strength: 1, Vec: r.img}})
	case 10:
		s.Send("replay", sim.Message{Event: sim.Event{ID: 1, Class: 0, Vec: r.img}})
	}
	return nil
}

// TestCortexReplayOcclusionFitsTheImage checks that a replay occlusion
// larger than the image side is refused with an error rather than a panic
// (DESIGN.md: every bad config gets a clear error, never a panic).
// CortexParams.Validate cannot see the image size, so NewCortex, which
// can, must refuse it; otherwise a replay panics in generative.Occlude.
func TestCortexReplayOcclusionFitsTheImage(t *testing.T) {
	t.Parallel()
	const side = 16
	for _, occlusion := range []int{side, side + 1} {
		p := regions.DefaultCortex()
		p.ReplayOcclusion = occlusion
		require.NoError(t, p.Validate(0.1))
		c, err := regions.NewCortex(p, 8, side*side, nil)
		if err != nil {
			require.Greater(t, occlusion, side, "an occlusion of the whole image is valid")
			require.ErrorContains(t, err, "replay_occlusion")
			continue
		}
		img := make([]float64, side*side)
		rng := rand.New(rand.NewPCG(1, 2))
		for i := range img {
			img[i] = rng.Float64()
		}
		tl := night(t, 0.1, block(sleep.N2, 0.5))
		e, err := sim.New(sim.Wiring{Regions: []sim.Region{c, &replayer{img: img}}, Connections: []sim.Connection{
			{From: "replayer", Output: "episode", To: "cortex", Delay: 1},
			{From: "replayer", Output: "replay", To: "cortex", Delay: 1},
		}}, sim.Config{Seed: 1, Timeline: tl, Executor: sim.Sequential})
		require.NoError(t, err)
		require.NotPanics(t, func() { _ = e.Run(context.Background(), tl.Ticks()) },
			"replay_occlusion = %d on a %d-pixel side: NewCortex accepted it, so the replay must not panic", occlusion, side)
	}
}
