// Package generative provides dreamsim's generative cortex: synthetic
// episodic content, a small variational autoencoder that learns it from
// replays, and the dreams it makes by mixing the latents of stored memories.
//
// # Content
//
// [Content] draws episodes ([Episode]): 16×16 grayscale images of eight
// shapes a person tells apart at a glance (horizontal bar, vertical bar,
// diagonal, cross, ring, filled square, triangle, dot grid), varied in
// position, scale, rotation and stroke width, with pixel noise, and a
// context code (place and time). [ContentSettings] separates the world's
// range of poses from the day's: a narrow day ([Variation.Narrowed]) repeats
// few variations, and [Content.OutOfDay] draws the variations it left out.
//
// # Network
//
// [VAE] is a variational autoencoder (Kingma & Welling 2014) with tanh MLP
// encoder and decoder, a Bernoulli (default) or Gaussian likelihood and a
// β-weighted KL term, trained online, one replay or a minibatch at a time,
// by Adam (Kingma & Ba 2015). Its gradients are derived by hand on gonum's
// BLAS-backed matrix products and checked against finite differences in the
// tests; a training step at a fixed batch size allocates nothing. A VAE
// saves to and loads from a versioned file with its optimiser state
// ([VAE.WriteTo], [ReadVAE]), so training continues bit for bit.
//
// [Readout] is a softmax regression on latent means: its held-out accuracy
// is the linear separability measure of PAD (Deperrois et al. 2022, eLife
// 11:e76384), and its class probabilities label dreams.
//
// # Dreaming
//
// NREM replay ([VAE.Replay]) encodes a stored memory, optionally with a
// patch blanked ([Occlude]); replay-driven learning is [VAE.Train] (or
// [VAE.TrainDenoising], from the occluded cue to the memory). A REM dream
// ([VAE.Dream]) mixes the latents of a few memories with noise, after PAD,
// under a PFC gate g in [0, 1]: at g = 1 the dream is a recollection of
// one memory, and as g falls the latent drifts, the sources mix and the
// visual cortex adds noise, so novelty and bizarreness rise. [PickSources]
// is the amygdala's bias on which memories are dreamt of.
//
// The calls a simulation makes tick after tick have variants that write
// into buffers the caller keeps and allocate nothing, with bit-identical
// results: [OccludeInto], [VAE.EncodeInto], [VAE.DreamInto],
// [SourcePicker.Pick] and [Readout.ProbabilitiesInto].
//
// # Metrics
//
// [Reference.Novelty] (distance to the nearest training item in units of
// the typical within-class neighbour distance), [Bizarreness] (normalised
// entropy of the readout's probabilities), [VAE.RecallScore] (how well a
// cue's reconstruction matches the stored item), [VAE.NegELBO] (negative
// evidence lower bound per item, in nats) and [GeneralizationError] (the
// relative gap between held-out and training NegELBO). [CompareDreaming]
// tests Hoel's (2021, Patterns 2:100244) overfitted-brain hypothesis.
//
// # Use
//
//	c, _ := generative.NewContent(generative.DefaultContentSettings())
//	day := c.Day(400, rng)
//	v, _ := generative.NewVAE(generative.DefaultSettings(), rng)
//	for _, e := range day {
//		v.Train([][]float64{e.Image}, rng) // one replay
//	}
//	memories := generative.Images(day[:20])
//	s := generative.DefaultDreamSettings()
//	src := generative.PickSources(arousal, amygdalaGain, s.Sources, rng)
//	dream := v.Dream(memories, src, pfcGate, s, rng)
//
// Everything random comes from the *rand.Rand passed to each call, so the
// same seeds give bit-identical weights, dreams and metrics. A VAE is not
// safe for concurrent use; a Content is.
package generative
