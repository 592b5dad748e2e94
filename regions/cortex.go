package regions

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"gonum.org/v1/gonum/floats"

	"github.com/dreamsim/dreamsim/generative"
	"github.com/dreamsim/dreamsim/sim"
	"github.com/dreamsim/dreamsim/sim/sleep"
)

// CortexParams sets up the cortex and the generative network it holds.
type CortexParams struct {
	// Hidden lists the hidden layer widths of the VAE's encoder (the
	// decoder mirrors them); default [128].
	Hidden []int `toml:"hidden"`
	// Latent is the number of latent dimensions; default 8.
	Latent int `toml:"latent"`
	// Beta weighs the KL term (Higgins et al. 2017); default 1.
	Beta float64 `toml:"beta"`
	// LearningRate is Adam's step size; default 0.002, which gave the
	// lowest held-out loss after 2,000 replays among 1e-3, 2e-3 and 3e-3
	// (generative package tests).
	LearningRate float64 `toml:"learning_rate"`
	// WakeSteps is the number of training steps on each episode as it is
	// perceived; default 1. Most cortical learning is left to replay:
	// the cortex learns slowly, from interleaved hippocampal replay
	// (McClelland, McNaughton & O'Reilly 1995, Psychol Rev 102:419).
	WakeSteps int `toml:"wake_steps"`
	// Batch is the number of replayed memories (or dream samples) the
	// cortex collects before one learning step on all of them; default 8.
	// Replays come in bursts of ripples (spindle-ripple coupling, Staresina
	// et al. 2015), and a minibatch step costs about as much as a
	// single-sample one, so batching makes a night several times faster.
	// A partial batch is used at the end of every phase.
	Batch int `toml:"batch"`
	// ReplayOcclusion is the side in pixels of the square blanked in a
	// replayed memory before the cortex trains on it, PAD's NREM
	// perturbation (Deperrois et al. 2022); default 4. Zero replays intact
	// memories.
	ReplayOcclusion int `toml:"replay_occlusion"`
	// DreamRate is the rate of new dream scenes per minute by stage:
	// dreaming is most frequent and vivid in REM and sparser in NREM
	// (Nielsen 2000, Behav Brain Sci 23:851). Default W 0, N1 0.1, N2 0.05,
	// N3 0.02, R 1.
	DreamRate StageRates `toml:"dream_rate"`
	// DreamLearningRate is the number of training steps per minute on fresh
	// samples of the current dream while one is going on (in any stage),
	// the REM phase of PAD's training and Hoel's (2021) noise injection;
	// default 10. Zero turns dream learning off.
	DreamLearningRate float64 `toml:"dream_learning_rate"`
	// Sources is how many memories a dream draws on; default 3.
	Sources int `toml:"sources"`
	// DreamNoise is the weight of prior noise in a dream at gate 0; default
	// 0.5 (PAD: z = 0.25 z_a + 0.25 z_b + 0.5 noise).
	DreamNoise float64 `toml:"dream_noise"`
	// Focus sets how strongly the PFC gate holds a dream on its first
	// source (generative.DreamSettings.Focus); default 5.
	Focus float64 `toml:"focus"`
	// CorticalNoise is the variance of the noise on the decoder's output
	// logits at gate 0, scaled by (1 - gate): the brainstem's PGO drive on
	// the cortex in REM (Hobson & McCarley 1977); default 1.
	CorticalNoise float64 `toml:"cortical_noise"`
	// AmygdalaGain sets how strongly the amygdala's activity biases which
	// memories are dreamt of: memory i is drawn with weight exp(AmygdalaGain
	// * amygdala * tag_i); default 4.
	AmygdalaGain float64 `toml:"amygdala_gain"`
	// AffectGain sets how much the amygdala's activity amplifies a dream's
	// affect: affect = sum of source valences weighted by the mix, times
	// (AffectBase + AffectGain*amygdala); defaults 0.6 and 0.8.
	AffectBase float64 `toml:"affect_base"`
	AffectGain float64 `toml:"affect_gain"`
	// CorticalThreshold is the reconstruction recall score (generative
	// RecallScore, an R^2 in [0, 1]) at which the cortical route alone
	// recalls a memory at test; default 0.8.
	CorticalThreshold float64 `toml:"cortical_threshold"`
}

// DefaultCortex returns the defaults documented on CortexParams.
func DefaultCortex() CortexParams {
	return CortexParams{
		Hidden: []int{128}, Latent: 8, Beta: 1, LearningRate: 0.002,
		WakeSteps: 1, Batch: 8, ReplayOcclusion: 4,
		DreamRate:         StageRates{W: 0, N1: 0.1, N2: 0.05, N3: 0.02, R: 1},
		DreamLearningRate: 10,
		Sources:           3, DreamNoise: 0.5, Focus: 5, CorticalNoise: 1,
		AmygdalaGain: 4, AffectBase: 0.6, AffectGain: 0.8,
		CorticalThreshold: 0.8,
	}
}

// Validate reports out-of-range parameters.
func (p CortexParams) Validate(dt float64) error {
	var errs fieldErrors
	for _, h := range p.Hidden {
		if h < 1 || h > 4096 {
			errs.add("hidden = %v: every width must be in [1, 4096]", p.Hidden)
			break
		}
	}
	if p.Latent < 1 || p.Latent > 256 {
		errs.add("latent = %d out of range [1, 256]", p.Latent)
	}
	errs.nonNeg("beta", p.Beta)
	if bad(p.LearningRate) || p.LearningRate <= 0 || p.LearningRate > 1 {
		errs.add("learning_rate = %v out of range (0, 1]", p.LearningRate)
	}
	if p.WakeSteps < 0 || p.WakeSteps > 1000 {
		errs.add("wake_steps = %d out of range [0, 1000]", p.WakeSteps)
	}
	if p.Batch < 1 || p.Batch > 1024 {
		errs.add("batch = %d out of range [1, 1024]", p.Batch)
	}
	if p.ReplayOcclusion < 0 {
		errs.add("replay_occlusion = %d, want >= 0", p.ReplayOcclusion)
	}
	for _, r := range []float64{p.DreamRate.W, p.DreamRate.N1, p.DreamRate.N2, p.DreamRate.N3, p.DreamRate.R, p.DreamLearningRate} {
		if bad(r) || r < 0 || r*dt/60 > 1 {
			errs.add("dream_rate and dream_learning_rate must be >= 0 and at most one per tick (%v per min), got %v", 60/dt, r)
			break
		}
	}
	if p.Sources < 1 || p.Sources > 16 {
		errs.add("sources = %d out of range [1, 16]", p.Sources)
	}
	errs.unit("dream_noise", p.DreamNoise)
	errs.nonNeg("focus", p.Focus)
	errs.nonNeg("cortical_noise", p.CorticalNoise)
	errs.nonNeg("amygdala_gain", p.AmygdalaGain)
	errs.nonNeg("affect_base", p.AffectBase)
	errs.nonNeg("affect_gain", p.AffectGain)
	errs.unit("cortical_threshold", p.CorticalThreshold)
	return errs.join("cortex")
}

// VAESettings returns the generative network settings for images of the
// given number of pixels.
func (p CortexParams) VAESettings(pixels int) generative.Settings {
	s := generative.DefaultSettings()
	s.Inputs = pixels
	s.Hidden = append([]int(nil), p.Hidden...)
	s.Latent = p.Latent
	s.Beta = p.Beta
	s.Adam.LearningRate = p.LearningRate
	return s
}

func (p CortexParams) dreamSettings() generative.DreamSettings {
	return generative.DreamSettings{Sources: p.Sources, Noise: p.DreamNoise, CorticalNoise: p.CorticalNoise, Focus: p.Focus}
}

// DreamRecord is one dream scene as the cortex made it.
type DreamRecord struct {
	ID          int64
	StartMin    float64 // minutes from the first lights-off
	Stage       sleep.Stage
	Sources     []int64 // memory IDs mixed, the anchor first
	Gate        float64 // PFC gate at generation, 0-1
	Novelty     float64 // see generative.Reference.Novelty
	Bizarreness float64 // see generative.Bizarreness
	Affect      float64 // valence, -1 to 1
	Arousal     float64 // 0 to 1
	Class       int     // the readout's most likely class
	Image       []float64
	Latent      []float64
}

// Nightmare reports whether the dream is strongly negative and highly
// arousing (affect < -0.5 and arousal > 0.7).
func (d DreamRecord) Nightmare() bool { return d.Affect < -0.5 && d.Arousal > 0.7 }

// memory is what the cortex knows of an experienced episode.
type memory struct {
	id                    int64
	class                 int
	image                 []float64
	valence, arousal, tag float64
}

// dreamIDBase offsets dream IDs from episode IDs.
const dreamIDBase = 100000

// Cortex wraps the generative network. It learns from episodes as they are
// perceived and from replays, dreams under the PFC gate and the amygdala's
// bias, and offers reconstruction recall. Inputs: "episode", "replay",
// "pfc", "amygdala", "tag". Outputs: "dream" (to the hippocampus: the
// dream's image in Vec, affect and arousal, its salience in Strength),
// "reactivation" (to the amygdala: one event per source memory).
// Signals: "dreaming" (1 while a dream scene goes on), "learning" (1 while
// plastic; silence it to freeze the network), "loss" (the last training
// step's negative ELBO, nats).
type Cortex struct {
	p        CortexParams
	classes  int
	pixels   int
	vae      *generative.VAE
	readout  *generative.Readout
	ref      *generative.Reference
	hs       map[string]handles
	lesion   handles
	rng      *rand.Rand
	memories []*memory
	images   [][]float64 // the images of memories, in the same order
	byID     map[int64]*memory
	refDirty bool

	pfc, amygdala float64
	dream         *DreamRecord // the current scene, nil when not dreaming
	dreamSrc      []int        // indices into memories of the current scene
	dreams        []DreamRecord
	dreaming      float64
	plastic       float64
	loss          float64
	nextDreamID   int64
	lastPhase     sim.Phase
	batch         [][]float64
	cues, targets [][]float64 // pending learning samples
	// slots holds Batch image buffers: the pending sample i that the
	// cortex makes itself (an occluded cue, a dream sample) lives in
	// slots[i] until the learning step.
	slots [][]float64

	// Buffers reused from tick to tick, so that stepping allocates nothing.
	emotion []float64               // tag of each memory, to pick sources by
	picker  generative.SourcePicker // draws the sources of a new scene
	picked  []int                   // sources drawn for a new scene
	scene   generative.Dream        // the new scene; its Image and Latent come from floats
	sample  generative.Dream        // a dream sample to learn from; its Image is a slot
	mu      []float64               // posterior mean of a dream's image
	probs   []float64               // the readout's class probabilities
	// floats and ids store the images, latents and source IDs of the
	// DreamRecords, from blocks reserved at Reset.
	floats slab[float64]
	ids    slab[int64]
	// content, when set, supplies the labelled reference items the readout
	// that describes dreams is trained on.
	content  *generative.Content
	refItems []generative.Episode
	seed     uint64
}

// NewCortex returns a cortex for content of the given number of classes and
// pixels per image.
func NewCortex(p CortexParams, classes, pixels int, ms []Manipulation) (*Cortex, error) {
	if side := int(math.Round(math.Sqrt(float64(pixels)))); p.ReplayOcclusion > side {
		return nil, fmt.Errorf("regions.cortex: replay_occlusion = %d is larger than the %d-pixel image side", p.ReplayOcclusion, side)
	}
	c := &Cortex{p: p, classes: classes, pixels: pixels, hs: split(ms, "dreaming")}
	c.lesion = lesions(ms)
	return c, nil
}

func (c *Cortex) Name() string      { return "cortex" }
func (c *Cortex) Outputs() []string { return []string{"dream", "reactivation"} }
func (c *Cortex) Signals() []string { return []string{"dreaming", "learning", "loss"} }

func (c *Cortex) Signal(i int) float64 {
	switch i {
	case 0:
		return c.dreaming
	case 1:
		return c.plastic
	}
	return c.loss
}

// Reset draws the network's initial weights from the cortex's stream.
func (c *Cortex) Reset(env sim.Env) error {
	c.rng = env.RNG
	c.seed = env.Seed
	c.refItems = nil
	vae, err := generative.NewVAE(c.p.VAESettings(c.pixels), sim.Stream(env.Seed, "cortex/weights"))
	if err != nil {
		return fmt.Errorf("regions.cortex: %w", err)
	}
	c.vae = vae
	c.readout, c.ref = nil, nil
	c.memories, c.images, c.byID = nil, nil, map[int64]*memory{}
	c.dream, c.dreamSrc, c.dreams = nil, nil, nil
	c.pfc, c.amygdala, c.dreaming, c.plastic, c.loss = 0, 0, 0, 0, 0
	c.nextDreamID = dreamIDBase + 1
	c.lastPhase = sim.Wake
	c.batch = make([][]float64, 1)
	c.cues, c.targets = make([][]float64, 0, c.p.Batch), make([][]float64, 0, c.p.Batch)
	c.reserve(env.Timeline)
	return nil
}

// reserve allocates, once per run, the buffers stepping reuses and the
// storage of the dream scenes the run is expected to have, so that steady
// stepping allocates nothing (a run with more scenes than expected grows
// the storage, see slab).
func (c *Cortex) reserve(tl *sim.Timeline) {
	L, k := c.p.Latent, c.p.Sources
	flat := make([]float64, c.p.Batch*c.pixels)
	c.slots = make([][]float64, c.p.Batch)
	for i := range c.slots {
		c.slots[i] = flat[i*c.pixels : (i+1)*c.pixels : (i+1)*c.pixels]
	}
	c.emotion, c.picker, c.picked = nil, generative.SourcePicker{}, make([]int, 0, k)
	c.scene = generative.Dream{Sources: make([]int, 0, k), Weights: make([]float64, 0, k)}
	c.sample = generative.Dream{Sources: make([]int, 0, k), Weights: make([]float64, 0, k), Latent: make([]float64, L)}
	c.mu, c.probs = make([]float64, L), make([]float64, c.classes)
	n := c.expectedScenes(tl)
	c.dreams = make([]DreamRecord, 0, n)
	c.floats.reserve(n * (c.pixels + L))
	c.ids.reserve(n * k)
}

// expectedScenes returns how many dream scenes the cortex may start in a
// run of the timeline: the expected number at the dream rates (with any
// stimulation of dreaming, in the stages and windows where dreaming is not
// silenced), with a margin.
func (c *Cortex) expectedScenes(tl *sim.Timeline) int {
	h := c.hs["dreaming"]
	var n float64
	sleepEpochs(tl, func(m sim.Moment) {
		if !m.Stage.IsSleep() || h.output(m, 1) == 0 || c.lesion.lesioned(m) {
			return
		}
		n += math.Max(0, c.p.DreamRate.At(m.Stage)+h.drive(m)) * sleep.EpochSec / 60
	})
	return withMargin(n)
}

// train takes one step on an image unless learning is silenced now.
func (c *Cortex) train(s *sim.Step, img []float64) {
	if c.plastic == 0 {
		return
	}
	c.batch[0] = img
	c.loss = c.vae.Train(c.batch, c.rng)
}

func (c *Cortex) Step(s *sim.Step) error {
	if err := checkInbox(s.Inbox); err != nil {
		return fmt.Errorf("regions.cortex: %w", err)
	}
	lesion := c.lesion.lesioned(s.Moment)
	c.plastic = 1
	if h, ok := c.hs["learning"]; ok {
		c.plastic = h.output(s.Moment, 1)
	}
	if lesion {
		c.plastic = 0
	}
	for i := range s.Inbox {
		m := &s.Inbox[i]
		switch m.Input {
		case "pfc":
			c.pfc = m.Value
		case "amygdala":
			c.amygdala = m.Value
		case "tag":
			if mem, ok := c.byID[m.Event.ID]; ok {
				mem.valence, mem.arousal, mem.tag = m.Event.Valence, m.Event.Arousal, m.Event.Strength
			}
		case "episode":
			img := m.Event.Vec[:c.pixels]
			if _, ok := c.byID[m.Event.ID]; !ok {
				mem := &memory{id: m.Event.ID, class: m.Event.Class, image: append([]float64(nil), img...), valence: m.Event.Valence}
				c.memories = append(c.memories, mem)
				c.images = append(c.images, mem.image)
				c.byID[mem.id] = mem
				c.refDirty = true
			}
			for range c.p.WakeSteps {
				c.train(s, c.byID[m.Event.ID].image)
			}
		case "replay":
			mem, ok := c.byID[m.Event.ID]
			if !ok {
				continue
			}
			if c.plastic != 0 {
				c.learn(generative.OccludeInto(c.slot(), mem.image, c.p.ReplayOcclusion, c.rng), mem.image)
			}
		}
	}
	if s.Phase != c.lastPhase || s.PhaseLeftMin*60 <= s.Dt*1.0000001 {
		c.flush()
	}
	if s.Phase == sim.Sleep && c.lastPhase != sim.Sleep {
		c.calibrate(s)
	}
	c.lastPhase = s.Phase
	if lesion {
		c.dream, c.dreaming = nil, 0
		return nil
	}
	c.dreamStep(s)
	return nil
}

// slot returns the buffer of the next pending sample.
func (c *Cortex) slot() []float64 { return c.slots[len(c.cues)] }

// learn queues a sample (the encoder sees cue, the likelihood scores
// target) and takes a denoising step when a batch is full.
func (c *Cortex) learn(cue, target []float64) {
	c.cues = append(c.cues, cue)
	c.targets = append(c.targets, target)
	if len(c.cues) >= c.p.Batch {
		c.flush()
	}
}

// flush takes a learning step on the pending samples.
func (c *Cortex) flush() {
	if len(c.cues) == 0 {
		return
	}
	c.loss = c.vae.TrainDenoising(c.cues, c.targets, c.rng)
	c.cues, c.targets = c.cues[:0], c.targets[:0]
}

// calibrate fits the instruments that describe dreams (the readout that
// labels them and the reference they are compared with) to the network as
// it is at lights-off. They measure; they do not change the network.
func (c *Cortex) calibrate(s *sim.Step) {
	if len(c.memories) == 0 {
		return
	}
	imgs := make([][]float64, len(c.memories))
	labels := make([]int, len(c.memories))
	for i, m := range c.memories {
		imgs[i], labels[i] = m.image, m.class
	}
	// The readout is an observer that labels dreams, like a rater of dream
	// reports: it is trained on the network's codes of a labelled sample of
	// the world (readoutItemsPerClass per class, from a stream of its own),
	// or, without content, on the day's memories.
	ri, rl := imgs, labels
	if c.content != nil {
		if c.refItems == nil {
			c.refItems = c.content.HeldOut(readoutItemsPerClass*c.content.Classes(), sim.Stream(c.seed, "cortex/readout"))
		}
		ri, rl = generative.Images(c.refItems), generative.Labels(c.refItems)
	}
	if r, err := generative.TrainReadout(c.vae.Latents(ri), rl, c.classes, generative.DefaultReadoutSettings()); err == nil {
		c.readout = r
	}
	if ref, err := generative.NewReference(imgs, labels); err == nil {
		c.ref = ref
	}
}

// readoutItemsPerClass is the size of the readout's labelled sample.
const readoutItemsPerClass = 20

// dreamStep starts new dream scenes at the stage's rate and trains on
// samples of the current scene.
func (c *Cortex) dreamStep(s *sim.Step) {
	h := c.hs["dreaming"]
	on := h.output(s.Moment, 1) != 0
	if !on || s.Phase != sim.Sleep || !s.Stage.IsSleep() {
		c.dream, c.dreaming = nil, 0
		return
	}
	if c.dream != nil && c.dream.Stage != s.Stage {
		// A dream scene belongs to the stage bout it began in.
		c.dream = nil
	}
	rate := c.p.DreamRate.At(s.Stage) + h.drive(s.Moment)
	if len(c.memories) > 0 && c.rng.Float64() < rate*s.Dt/60 {
		c.newDream(s)
	}
	if c.dream == nil {
		c.dreaming = 0
		return
	}
	c.dreaming = 1
	if c.p.DreamLearningRate > 0 && c.plastic != 0 && c.rng.Float64() < c.p.DreamLearningRate*s.Dt/60 {
		d := &c.sample
		d.Image = c.slot()
		c.vae.DreamInto(d, c.images, c.dreamSrc, c.pfc, c.p.dreamSettings(), c.rng)
		c.learn(d.Image, d.Image)
	}
}

// newDream generates a dream scene: sources drawn with the amygdala's bias,
// mixed under the PFC gate.
func (c *Cortex) newDream(s *sim.Step) {
	ds := c.p.dreamSettings()
	gate := math.Max(0, math.Min(1, c.pfc))
	c.emotion = slices.Grow(c.emotion[:0], len(c.memories))[:len(c.memories)]
	for i, m := range c.memories {
		c.emotion[i] = m.tag
	}
	c.picked = c.picker.Pick(c.picked, c.emotion, c.p.AmygdalaGain*c.amygdala, ds.Sources, c.rng)
	d := &c.scene
	d.Image, d.Latent = c.floats.take(c.pixels), c.floats.take(c.p.Latent)
	c.vae.DreamInto(d, c.images, c.picked, gate, ds, c.rng)
	rec := DreamRecord{ID: c.nextDreamID, StartMin: s.Min, Stage: s.Stage, Gate: gate, Image: d.Image, Latent: d.Latent, Class: -1}
	c.nextDreamID++
	amp := c.p.AffectBase + c.p.AffectGain*c.amygdala
	rec.Sources = c.ids.take(len(d.Sources))[:0]
	for i, k := range d.Sources {
		m := c.memories[k]
		rec.Sources = append(rec.Sources, m.id)
		rec.Affect += d.Weights[i] * m.valence
		rec.Arousal += d.Weights[i] * m.arousal
	}
	rec.Affect = math.Max(-1, math.Min(1, rec.Affect*amp))
	rec.Arousal = math.Max(0, math.Min(1, rec.Arousal*amp))
	if c.ref != nil {
		rec.Novelty = c.ref.Novelty(d.Image)
	}
	if c.readout != nil {
		// The dream is judged as it is perceived: the readout labels the
		// encoding of the dream's image, which carries the cortical noise
		// the latent does not.
		c.vae.EncodeInto(c.mu, nil, d.Image)
		p := c.readout.ProbabilitiesInto(c.probs, c.mu)
		rec.Bizarreness = generative.Bizarreness(p)
		rec.Class = floats.MaxIdx(p)
	}
	c.dreams = append(c.dreams, rec)
	c.dream, c.dreamSrc = &c.dreams[len(c.dreams)-1], d.Sources
	// Emotional dreams are encoded more strongly (Schredl 2003).
	salience := 0.5 + 0.5*rec.Arousal
	s.Send("dream", sim.Message{Event: sim.Event{ID: rec.ID, Class: rec.Class, Valence: rec.Affect, Arousal: rec.Arousal, Strength: salience, Vec: d.Image}})
	for _, id := range rec.Sources {
		s.Send("reactivation", sim.Message{Event: sim.Event{ID: id, Class: -1}})
	}
}

func (c *Cortex) NonFinite() (string, bool) {
	if bad(c.loss) {
		return "loss", true
	}
	if bad(c.pfc) || bad(c.amygdala) {
		return "inputs", true
	}
	return "", false
}

// Dreams returns the dream scenes of the run.
func (c *Cortex) Dreams() []DreamRecord { return c.dreams }

// VAE returns the generative network (read it only after the run).
func (c *Cortex) VAE() *generative.VAE { return c.vae }

// RecallScore returns the cortical route's recall score for a stored
// image from a cue.
func (c *Cortex) RecallScore(cue, stored []float64) float64 { return c.vae.RecallScore(cue, stored) }

// CorticalThreshold returns the score at which the cortical route recalls.
func (c *Cortex) CorticalThreshold() float64 { return c.p.CorticalThreshold }
