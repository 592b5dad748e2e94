package regions_test

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/dreamsim/dreamsim/generative"
	"github.com/dreamsim/dreamsim/regions"
	"github.com/dreamsim/dreamsim/sim"
	"github.com/dreamsim/dreamsim/sim/simtest"
)

// dt is the tick of simtest.DefaultTimeline, in seconds.
const dt = 0.1

func newContent(t testing.TB) *generative.Content {
	t.Helper()
	c, err := generative.NewContent(generative.DefaultContentSettings())
	require.NoError(t, err)
	return c
}

// value feeds an activity input (NE tone, PFC or amygdala activity, MCH
// activity) a value in [0, 1] every half second.
func value(name string) simtest.Input {
	return simtest.Input{Name: name, Every: 5, Min: 0, Max: 1}
}

// episodes feeds episode events as the senses send them: ID, class,
// valence, arousal and Vec = image followed by context.
func episodes(c *generative.Content, every sim.Tick) simtest.Input {
	return simtest.Input{Name: "episode", Every: every, Event: func(n int, rng *rand.Rand) sim.Event {
		e := c.Episode(n%c.Classes(), rng)
		return sim.Event{ID: int64(n + 1), Class: e.Class, Valence: 2*rng.Float64() - 1, Arousal: rng.Float64(), Strength: 1,
			Vec: append(slices.Clip(e.Image), e.Context...)}
	}}
}

// about feeds events that name one of the first k episodes (tags, replays,
// reactivations), with affect and strength in range.
func about(name string, every sim.Tick, k int) simtest.Input {
	return simtest.Input{Name: name, Every: every, Event: func(n int, rng *rand.Rand) sim.Event {
		return sim.Event{ID: int64(1 + n%k), Class: -1, Valence: 2*rng.Float64() - 1, Arousal: rng.Float64(), Strength: rng.Float64()}
	}}
}

// dreams feeds dream events as the cortex sends them.
func dreams(c *generative.Content, every sim.Tick) simtest.Input {
	return simtest.Input{Name: "dream", Every: every, Event: func(n int, rng *rand.Rand) sim.Event {
		e := c.Episode(n%c.Classes(), rng)
		return sim.Event{ID: int64(100001 + n), Class: e.Class, Valence: 2*rng.Float64() - 1, Arousal: rng.Float64(),
			Strength: 0.5 + 0.5*rng.Float64(), Vec: slices.Clone(e.Image)}
	}}
}

// extremePopulation is the harshest population the parameter checks
// accept at the suite's tick: time constants of one tick, a step-like
// sigmoid, strong adaptation and input noise ten times the drive range.
func extremePopulation() regions.PopulationParams {
	return regions.PopulationParams{Units: 200, TauS: dt, Gain: 1000, Threshold: 0.5, AdaptTauS: dt, AdaptStrength: 100, NoiseSD: 10, NoiseTauS: dt}
}

// extremeDrive is the largest drive the parameter checks accept, with
// alternating signs.
var extremeDrive = regions.StageDrive{W: 100, N1: -100, N2: 100, N3: -100, R: 100}

// must returns a constructor's region; the constructors run inside the
// suite's subtests, where an error is a broken test setup.
func must[R sim.Region](r R, err error) sim.Region {
	if err != nil {
		panic(err)
	}
	return r
}

// validated fails the test unless the parameters pass their own checks at
// the suite's tick, so that every variant is one an experiment file could
// ask for.
func validated(t testing.TB, err error) {
	t.Helper()
	require.NoError(t, err, "an extreme variant must be a valid parameter set")
}

func TestConformance(t *testing.T) {
	t.Parallel()
	c := newContent(t)
	px := c.Pixels()
	lcX := regions.DefaultLC()
	lcX.Population, lcX.Drive, lcX.OscAmplitude, lcX.OscPeriodS = extremePopulation(), extremeDrive, 100, dt
	lcX.DescentMin, lcX.BurstGain, lcX.BurstTauS = 1e4, 1e4, dt
	validated(t, lcX.Validate(dt))
	mchX := regions.DefaultMCH()
	mchX.Population, mchX.Drive, mchX.NEInhibition = extremePopulation(), extremeDrive, 1e4
	validated(t, mchX.Validate(dt))
	pfcX := regions.DefaultPFC()
	pfcX.Population, pfcX.Drive, pfcX.NEGain = extremePopulation(), extremeDrive, 1e4
	validated(t, pfcX.Validate(dt))
	amyX := regions.DefaultAmygdala()
	amyX.Population, amyX.Drive, amyX.EventGain, amyX.EventTauS = extremePopulation(), extremeDrive, 1e4, dt
	amyX.TagBase, amyX.TagGain, amyX.Depotentiation = 1, 1e4, 1
	validated(t, amyX.Validate(dt))
	// Fast encoding and fast erasure are separate variants: erasure at
	// this rate would zero every trace each tick and hide what encoding
	// does.
	hipEnc := regions.DefaultHippocampus()
	hipEnc.DGUnits, hipEnc.Sparsity = 16, 0.5
	hipEnc.EncodingWindowS, hipEnc.EncodingRate, hipEnc.TagBoost = 1e4, 1e3, 1e3
	hipEnc.DreamWindowMin, hipEnc.DreamEncodingRate, hipEnc.DreamNEThreshold = 1e4, 1e3, 0
	validated(t, hipEnc.Validate(dt))
	hipErase := regions.DefaultHippocampus()
	hipErase.RippleRate = regions.StageRates{W: 600, N1: 600, N2: 600, N3: 600, R: 600} // one per tick
	hipErase.ReplayBoost, hipErase.RecencyMin, hipErase.RecencyWeight, hipErase.AmygdalaBias = 1, 1e-6, 1e6, 1e6
	hipErase.EraseRate, hipErase.PassiveDecayH = 1e3, 1e-6
	hipErase.ForgettingRule = "amygdala-coupled"
	validated(t, hipErase.Validate(dt))
	// The cortex dreams more often than by default, so that the short
	// protocol's 2 min of REM hold several dream scenes.
	ctx := regions.DefaultCortex()
	ctx.DreamRate = regions.StageRates{N1: 2, N2: 2, N3: 2, R: 20}
	ctxX := ctx
	ctxX.Hidden, ctxX.Latent, ctxX.LearningRate, ctxX.Beta = []int{8}, 2, 1, 1e3
	ctxX.DreamRate = regions.StageRates{W: 600, N1: 600, N2: 600, N3: 600, R: 600}
	ctxX.DreamLearningRate, ctxX.Sources, ctxX.DreamNoise, ctxX.Focus = 600, 16, 1, 1e6
	ctxX.AmygdalaGain, ctxX.AffectBase, ctxX.AffectGain, ctxX.ReplayOcclusion = 1e6, 1e6, 1e6, c.Settings().Side
	validated(t, ctxX.Validate(dt))
	plans := []regions.DayPlan{{Day: 1, StartMin: -2, DurationMin: 2, Episodes: 6, EmotionalFraction: 0.5, NegativeFraction: 0.5, Repetitions: 2, Variation: 1}}

	cases := []struct {
		name    string
		subject simtest.Subject
	}{
		{"lc", simtest.Subject{
			New:      func() sim.Region { return must(regions.NewLC(regions.DefaultLC(), nil)) },
			Inputs:   []simtest.Input{{Name: "arousal", Every: 50, Min: 0, Max: 1}},
			Variants: []simtest.Variant{{Name: "extreme parameters", New: func() sim.Region { return must(regions.NewLC(lcX, nil)) }}},
		}},
		{"mch", simtest.Subject{
			New:      func() sim.Region { return must(regions.NewMCH(regions.DefaultMCH(), nil)) },
			Inputs:   []simtest.Input{value("ne")},
			Variants: []simtest.Variant{{Name: "extreme parameters", New: func() sim.Region { return must(regions.NewMCH(mchX, nil)) }}},
		}},
		{"pfc", simtest.Subject{
			New:      func() sim.Region { return must(regions.NewPFC(regions.DefaultPFC(), nil)) },
			Inputs:   []simtest.Input{value("ne")},
			Variants: []simtest.Variant{{Name: "extreme parameters", New: func() sim.Region { return must(regions.NewPFC(pfcX, nil)) }}},
		}},
		{"amygdala", simtest.Subject{
			New:      func() sim.Region { return must(regions.NewAmygdala(regions.DefaultAmygdala(), nil)) },
			Inputs:   []simtest.Input{value("ne"), episodes(c, 400), about("reactivation", 30, 8)},
			Variants: []simtest.Variant{{Name: "extreme parameters", New: func() sim.Region { return must(regions.NewAmygdala(amyX, nil)) }}},
		}},
		{"hippocampus", simtest.Subject{
			New: func() sim.Region { return must(regions.NewHippocampus(regions.DefaultHippocampus(), px, nil)) },
			Inputs: []simtest.Input{value("ne"), value("pfc"), value("amygdala"), value("mch"),
				episodes(c, 400), about("tag", 150, 8), dreams(c, 700)},
			Variants: []simtest.Variant{
				{Name: "fast encoding", New: func() sim.Region { return must(regions.NewHippocampus(hipEnc, px, nil)) }},
				{Name: "fast replay and erasure", New: func() sim.Region { return must(regions.NewHippocampus(hipErase, px, nil)) }},
			},
		}},
		{"cortex", simtest.Subject{
			New:      func() sim.Region { return must(regions.NewCortex(ctx, c.Classes(), px, nil)) },
			Inputs:   []simtest.Input{value("pfc"), value("amygdala"), episodes(c, 400), about("replay", 100, 6), about("tag", 150, 8)},
			Variants: []simtest.Variant{{Name: "extreme parameters", New: func() sim.Region { return must(regions.NewCortex(ctxX, c.Classes(), px, nil)) }}},
		}},
		{"senses", simtest.Subject{
			New: func() sim.Region { return must(regions.NewSenses(c, plans, nil)) },
		}},
		// A researcher's own region passes the same suite (see
		// ExampleRegisterRegion).
		{"custom cholinergic", simtest.Subject{
			New: func() sim.Region {
				return must(regions.NewRegion("cholinergic", "bf", func(any) error { return nil }))
			},
			Inputs: []simtest.Input{value("ne")},
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			simtest.Conformance(t, tc.subject)
		})
	}
}
