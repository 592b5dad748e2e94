package generative

import (
	"fmt"
	"math/rand/v2"
)

// HoelSettings configures CompareDreaming, the test of Hoel's (2021,
// Patterns 2:100244) overfitted-brain hypothesis: a network trained on a
// narrow day, with dreams mixed into its training, should generalise better
// than one trained on the same day without them.
type HoelSettings struct {
	// Content is the world. Its Day is replaced by World.Narrowed(DayFraction).
	// Default DefaultContentSettings().
	Content ContentSettings
	// DayFraction is the fraction of the world's range of every pose
	// parameter that the narrow day covers, in (0, 1]. Default 0.25.
	DayFraction float64
	// DayEpisodes is the number of distinct episodes of the day, the few
	// variations that are repeated. Default 16 (two per class).
	DayEpisodes int
	// Steps is the number of training steps. Default 600.
	Steps int
	// Batch is the number of real replays, drawn uniformly from the day's
	// episodes, per step. Default 4, so 2,400 replays by default.
	Batch int
	// Dreams is the number of dream images added to every batch in the
	// dreaming condition. Default 2.
	Dreams int
	// Gate is the PFC gate of the dreams, in [0, 1]. Default 0, REM's
	// prefrontal silence.
	Gate float64
	// HeldOut is the number of held-out items of each test set. Default 400.
	HeldOut int
	// VAE configures both networks. Default DefaultSettings().
	VAE Settings
	// Dream configures the dreams. Default DefaultDreamSettings().
	Dream DreamSettings
}

// DefaultHoelSettings returns the default comparison: a day of 16 episodes
// with a quarter of the world's variation, 600 steps of 4 replays, and 2
// REM dreams (gate 0) per step in the dreaming condition.
func DefaultHoelSettings() HoelSettings {
	return HoelSettings{
		Content:     DefaultContentSettings(),
		DayFraction: 0.25,
		DayEpisodes: 16,
		Steps:       600,
		Batch:       4,
		Dreams:      2,
		Gate:        0,
		HeldOut:     400,
		VAE:         DefaultSettings(),
		Dream:       DefaultDreamSettings(),
	}
}

// HoelScore is how one network of CompareDreaming fits its data. All
// bounds are NegELBO per item, in nats, evaluated with the same noise for
// both networks.
type HoelScore struct {
	Train               float64 // on the day's episodes
	HeldOut             float64 // on new episodes drawn from the whole world's variation
	OutOfDay            float64 // on episodes whose poses lie outside the day's range
	GeneralizationError float64 // (HeldOut - Train) / Train, see GeneralizationError
}

// HoelResult is the outcome of CompareDreaming.
type HoelResult struct {
	WithoutDreams HoelScore // trained on the day's replays only
	WithDreams    HoelScore // trained on the same replays plus dreams
}

// CompareDreaming trains two VAEs from the same initial weights on the same
// sequence of replays of a narrow day; the second also trains, at every
// step, on Dreams dreams generated at gate Gate from random day episodes
// by its own current network. It returns how well each fits the day and
// generalises to held-out and out-of-day episodes. Everything random comes
// from rng, and the two conditions share every stream except the dreams'.
// With Dreams 0 only one network is trained and both scores are its.
func CompareDreaming(s HoelSettings, rng *rand.Rand) (HoelResult, error) {
	switch {
	case !(s.DayFraction > 0 && s.DayFraction <= 1):
		return HoelResult{}, fmt.Errorf("generative: day fraction %v is outside (0, 1]", s.DayFraction)
	case s.DayEpisodes < 1 || s.Batch < 1 || s.HeldOut < 1:
		return HoelResult{}, fmt.Errorf("generative: %d day episodes, batch %d, %d held out: each must be at least 1", s.DayEpisodes, s.Batch, s.HeldOut)
	case s.Steps < 0 || s.Dreams < 0:
		return HoelResult{}, fmt.Errorf("generative: negative steps %d or dreams %d", s.Steps, s.Dreams)
	}
	if err := s.Dream.Validate(); err != nil {
		return HoelResult{}, err
	}
	cs := s.Content
	cs.Day = cs.World.Narrowed(s.DayFraction)
	content, err := NewContent(cs)
	if err != nil {
		return HoelResult{}, err
	}
	world := cs
	world.Day = world.World
	wc, err := NewContent(world)
	if err != nil {
		return HoelResult{}, err
	}
	// One independent stream per purpose, seeded from rng.
	const (
		dayStream = iota
		heldOutStream
		outOfDayStream
		initStream
		replayStream
		noiseStream
		dreamStream
		evalStream
		numStreams
	)
	var seeds [numStreams]uint64
	for i := range seeds {
		seeds[i] = rng.Uint64()
	}
	stream := func(i int) *rand.Rand { return rand.New(rand.NewPCG(seeds[i], uint64(i))) }
	day := Images(content.Day(s.DayEpisodes, stream(dayStream)))
	heldOut := Images(wc.HeldOut(s.HeldOut, stream(heldOutStream)))
	outEps, err := content.OutOfDay(s.HeldOut, stream(outOfDayStream))
	if err != nil {
		return HoelResult{}, err
	}
	outOfDay := Images(outEps)

	var res HoelResult
	conditions := []int{0, s.Dreams}
	if s.Dreams == 0 {
		conditions = conditions[:1]
	}
	for cond, dreams := range conditions {
		v, err := NewVAE(s.VAE, stream(initStream))
		if err != nil {
			return HoelResult{}, err
		}
		replays, noise, dreamRNG := stream(replayStream), stream(noiseStream), stream(dreamStream)
		batch := make([][]float64, s.Batch+dreams)
		for range s.Steps {
			for i := range s.Batch {
				batch[i] = day[replays.IntN(len(day))]
			}
			for i := range dreams {
				src := PickSources(make([]float64, len(day)), 0, s.Dream.Sources, dreamRNG)
				batch[s.Batch+i] = v.Dream(day, src, s.Gate, s.Dream, dreamRNG).Image
			}
			v.Train(batch, noise)
		}
		score := HoelScore{
			Train:    v.NegELBO(day, stream(evalStream)),
			HeldOut:  v.NegELBO(heldOut, stream(evalStream)),
			OutOfDay: v.NegELBO(outOfDay, stream(evalStream)),
		}
		score.GeneralizationError = (score.HeldOut - score.Train) / score.Train
		if cond == 0 {
			res.WithoutDreams = score
		}
		res.WithDreams = score
	}
	return res, nil
}
