package generative

import (
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/floats"
)

// Occlude returns a copy of a square image (side = √len(image) pixels) with
// a patch×patch square, at a uniformly drawn position inside the image,
// set to zero: the perturbation of NREM replay in PAD (Deperrois et al.
// 2022, eLife 11:e76384). A patch of zero or less returns an unchanged copy.
// It panics if the image is not square or the patch is larger than it.
func Occlude(image []float64, patch int, rng *rand.Rand) []float64 {
	out := append([]float64(nil), image...)
	occlude(out, patch, rng)
	return out
}

// OccludeInto is Occlude writing the occluded copy into dst, which must
// hold len(image) values and must not overlap image, and returning dst. It
// draws the same numbers from rng as Occlude and allocates nothing. It
// panics if dst has the wrong length, or as Occlude does.
func OccludeInto(dst, image []float64, patch int, rng *rand.Rand) []float64 {
	if len(dst) != len(image) {
		panic(fmt.Sprintf("generative: occlusion buffer has %d values, the image %d", len(dst), len(image)))
	}
	copy(dst, image)
	occlude(dst, patch, rng)
	return dst
}

// occlude blanks a patch×patch square of the square image img in place, at
// a position drawn from rng; nothing if patch is zero or less.
func occlude(img []float64, patch int, rng *rand.Rand) {
	if patch <= 0 {
		return
	}
	side := int(math.Round(math.Sqrt(float64(len(img)))))
	if side*side != len(img) {
		panic(fmt.Sprintf("generative: cannot occlude an image of %d pixels: not square", len(img)))
	}
	if patch > side {
		panic(fmt.Sprintf("generative: occlusion patch %d is larger than the %d-pixel image side", patch, side))
	}
	r0, c0 := rng.IntN(side-patch+1), rng.IntN(side-patch+1)
	for r := r0; r < r0+patch; r++ {
		clear(img[r*side+c0 : r*side+c0+patch])
	}
}

// Replay is the cortex's response to one replayed memory.
type Replay struct {
	Cue            []float64 // the image the encoder saw: the memory, occluded if asked
	Latent         []float64 // posterior mean μ of the cue
	Reconstruction []float64 // Decode(Latent), intensities in [0, 1]
}

// Replay encodes a stored memory image, first blanking a random
// patch×patch square if patch > 0 (PAD's NREM perturbation, Deperrois et
// al. 2022), and returns the cue, its latent and its reconstruction.
// Replay does not learn; replay-driven learning is Train on the memory (or
// TrainDenoising from the occluded cue to the memory).
func (v *VAE) Replay(memory []float64, patch int, rng *rand.Rand) Replay {
	cue := Occlude(memory, patch, rng)
	mu, _ := v.Encode(cue)
	return Replay{Cue: cue, Latent: mu, Reconstruction: v.Decode(mu)}
}

// DreamSettings configures REM dreaming and how the PFC gate shapes it.
type DreamSettings struct {
	// Sources is the number of memories a dream draws on, to pick with
	// PickSources. Default 3. With Sources 2, Noise 0.5 and CorticalNoise 0,
	// gate 0 is exactly PAD's REM rule (Deperrois et al. 2022).
	Sources int
	// Noise is the weight of prior noise ε ~ N(0, I) in the dream latent at
	// gate 0, in [0, 1]; at gate g it is Noise·(1-g). Default 0.5, PAD's
	// value. Zero mixes memories without latent noise.
	Noise float64
	// CorticalNoise is the standard deviation of the Gaussian noise added to
	// the decoder's output logits, the units that draw the image, at gate 0,
	// in logit units; at gate g it is CorticalNoise·(1-g). It stands for the
	// random brainstem drive of the visual cortex in REM, the
	// ponto-geniculo-occipital waves of the activation-synthesis hypothesis
	// (Hobson & McCarley 1977, Am J Psychiatry 134:1335). Default 1. Zero
	// decodes the latent cleanly.
	CorticalNoise float64
	// Focus sets how strongly the gate holds the dream on its first source:
	// source i (0 for the anchor) weighs exp(-β i), normalised, with
	// β = Focus·g/(1-g). Default 5. Zero mixes the sources equally at every
	// gate below 1.
	Focus float64
}

// DefaultDreamSettings returns 3 sources, latent noise weight 0.5 and
// cortical noise 1 at gate 0, and focus 5.
func DefaultDreamSettings() DreamSettings {
	return DreamSettings{Sources: 3, Noise: 0.5, CorticalNoise: 1, Focus: 5}
}

// Validate returns an error if s cannot drive Dream.
func (s DreamSettings) Validate() error {
	switch {
	case s.Sources < 1:
		return fmt.Errorf("generative: dream sources %d is below 1", s.Sources)
	case !(s.Noise >= 0 && s.Noise <= 1):
		return fmt.Errorf("generative: dream noise weight %v is outside [0, 1]", s.Noise)
	case !(s.CorticalNoise >= 0) || math.IsInf(s.CorticalNoise, 1):
		return fmt.Errorf("generative: dream cortical noise %v is not a non-negative number", s.CorticalNoise)
	case !(s.Focus >= 0) || math.IsInf(s.Focus, 1):
		return fmt.Errorf("generative: dream focus %v is not a non-negative number", s.Focus)
	}
	return nil
}

// minDreamWeight is the mixing weight below which a source is left out of
// a dream, so that the sources a dream records are the ones it shows.
const minDreamWeight = 0.01

// Dream is one generated dream.
type Dream struct {
	Sources []int     // indices of the memories mixed, the anchor first
	Weights []float64 // mixing weight of each source, summing to 1
	Gate    float64   // PFC gate the dream was generated at, in [0, 1]
	Latent  []float64 // the dream's latent z
	Image   []float64 // the decoded dream, intensities in [0, 1]
}

// Dream generates a REM dream from the memories at the given indices,
// sources[0] being the anchor (for example the memory PickSources drew
// first), under PFC gate g in [0, 1]. It follows PAD (Deperrois et al.
// 2022, eLife 11:e76384), whose REM dreams decode z = 0.25 z_a + 0.25 z_b
// + 0.5 ε, and lets the gate move the dream between a recollection and a
// free, noisy mixture:
//
//	z = (1-n) Σ_i w_i μ_i + n ε,  n = Noise·(1-g),  ε ~ N(0, I),
//	w_i ∝ exp(-β i),  β = Focus·g/(1-g),
//
// with μ_i the posterior mean of source i; the image is z decoded with
// Gaussian noise of standard deviation CorticalNoise·(1-g) added to the
// decoder's output logits. At g = 1 the dream is the anchor's
// reconstruction exactly: it stays on the data manifold. As g falls the
// latent drifts (more prior noise), the cortex adds its own noise, and the
// weights flatten, so the effective number of sources 1/Σ w_i² grows from 1
// to len(sources); at g = 0 the sources mix equally. Sources whose weight
// falls below 1% are left out and the rest renormalised. Every call draws
// the same number of values from rng whatever g is.
//
// Why these three ingredients. Mixing raises bizarreness: a decoded
// mixture is a hybrid the readout cannot place. Latent noise alone hardly
// raises novelty: the decoder turns typical latents into typical images,
// which lie about as close to some training item as training items lie to
// each other; and much latent noise lowers bizarreness, as the decoder
// turns far-out latents into confident images. Noise on the output logits
// takes the image off the manifold and raises its distance to every
// training item, so novelty rises from the first step. Focus 5 keeps the
// weights on the anchor until the gate is low, so that mixing outpaces the
// noise at the last steps. With the defaults, on VAEs trained on 2,000
// replays of the default content, mean novelty and bizarreness both rise at
// every step of the gate from 1 to 0 in quarters (TestDreamGate). Two
// alternatives were measured and left out: noise on the decoder's hidden
// units instead of its logits (novelty barely rose between gates 1 and
// 0.75 on some networks), and an encode-decode projection z ← μ(Decode(z))
// as the pull back to the manifold (with this small network each
// projection blurs the image and raises bizarreness instead of lowering it).
//
// Dream panics if sources is empty or names a memory out of range, or if
// s is not valid (see DreamSettings.Validate).
func (v *VAE) Dream(memories [][]float64, sources []int, g float64, s DreamSettings, rng *rand.Rand) Dream {
	var d Dream
	v.DreamInto(&d, memories, sources, g, s, rng)
	return d
}

// DreamInto is Dream writing the dream into d: it reuses the arrays of
// d.Sources and d.Weights (filling them from length 0) and those of d.Latent
// and d.Image when they have room for Latent and Inputs values, allocating
// only what does not fit, so that a d reused from call to call costs no
// allocation. The results and the numbers drawn from rng are those of
// Dream. d's arrays must not overlap memories or sources. It panics as
// Dream does.
func (v *VAE) DreamInto(d *Dream, memories [][]float64, sources []int, g float64, s DreamSettings, rng *rand.Rand) {
	if len(sources) == 0 {
		panic("generative: dream without sources")
	}
	if err := s.Validate(); err != nil {
		panic(err)
	}
	g = clamp01(g)
	v.mix = resize(v.mix, len(sources))
	w := v.mix
	mixWeights(w, g, s.Focus)
	d.Gate = g
	d.Sources, d.Weights = d.Sources[:0], d.Weights[:0]
	d.Latent = resize(d.Latent, v.s.Latent)
	clear(d.Latent)
	var total float64
	for i, src := range sources {
		if src < 0 || src >= len(memories) {
			panic(fmt.Sprintf("generative: dream source %d out of range [0, %d)", src, len(memories)))
		}
		if w[i] >= minDreamWeight {
			d.Sources = append(d.Sources, src)
			d.Weights = append(d.Weights, w[i])
			total += w[i]
		}
	}
	for i, src := range d.Sources {
		d.Weights[i] /= total
		floats.AddScaled(d.Latent, d.Weights[i], v.encodeMean(memories[src]))
	}
	n := s.Noise * (1 - g)
	for j := range d.Latent {
		d.Latent[j] = (1-n)*d.Latent[j] + n*rng.NormFloat64()
	}
	d.Image = resize(d.Image, v.s.Inputs)
	v.decodeNoisy(d.Image, d.Latent, s.CorticalNoise*(1-g), rng)
}

// resize returns buf with length n, reusing its array when it has room.
func resize(buf []float64, n int) []float64 {
	if cap(buf) >= n {
		return buf[:n]
	}
	return make([]float64, n)
}

// decodeNoisy decodes z into img with Gaussian noise of standard deviation
// sd added to the output logits. It draws one value per pixel from rng even
// if sd is 0.
func (v *VAE) decodeNoisy(img, z []float64, sd float64, rng *rand.Rand) {
	ws := v.workspace(1)
	copy(ws.z.RawMatrix().Data, z)
	v.decode(ws)
	for i, l := range ws.out[len(v.layers)-1].RawMatrix().Data {
		img[i] = sigmoid(l + sd*rng.NormFloat64())
	}
}

// mixWeights sets w to the normalised weights exp(-β i), β = focus·g/(1-g),
// of len(w) sources; the anchor alone at g = 1.
func mixWeights(w []float64, g, focus float64) {
	clear(w)
	if g >= 1 {
		w[0] = 1
		return
	}
	beta := focus * g / (1 - g)
	var sum float64
	for i := range w {
		w[i] = math.Exp(-beta * float64(i))
		sum += w[i]
	}
	floats.Scale(1/sum, w)
}

// PickSources returns k distinct memory indices in the order drawn, the
// amygdala's bias on what is dreamt of: each draw picks memory i among
// those not yet drawn with probability proportional to exp(gain·emotion[i]),
// so that at gain 0 every memory is equally likely and a high gain favours
// the emotional ones. emotion holds one weight per memory, for example
// arousal in [0, 1]. The preferential replay and dreaming of emotional
// memories, with the amygdala active in REM, follows Walker & van der Helm
// (2009, Psychol Bull 135:731) and Maquet et al. (1996, Nature 383:163).
// If k exceeds len(emotion) all indices are returned. PickSources panics if
// k is negative. A SourcePicker draws the same without allocating.
func PickSources(emotion []float64, gain float64, k int, rng *rand.Rand) []int {
	var p SourcePicker
	return p.Pick(nil, emotion, gain, k, rng)
}

// SourcePicker draws dream sources as PickSources does, keeping its
// buffers from call to call: once they have grown to the number of
// memories, Pick allocates nothing. The zero value is ready to use. A
// SourcePicker is not safe for concurrent use.
type SourcePicker struct {
	w     []float64 // weight of each memory
	taken []bool    // whether each memory has been drawn
}

// Pick returns PickSources(emotion, gain, k, rng), drawing the same numbers
// from rng, written into dst from length 0 (dst's array is reused when it
// has room for the picks).
func (p *SourcePicker) Pick(dst []int, emotion []float64, gain float64, k int, rng *rand.Rand) []int {
	if k < 0 {
		panic(fmt.Sprintf("generative: negative source count %d", k))
	}
	k = min(k, len(emotion))
	// Weights relative to the largest exponent, so that a high gain cannot
	// overflow.
	top := math.Inf(-1)
	for _, e := range emotion {
		top = math.Max(top, gain*e)
	}
	p.w = resize(p.w, len(emotion))
	w := p.w
	for i, e := range emotion {
		w[i] = math.Exp(gain*e - top)
	}
	if cap(p.taken) < len(emotion) {
		p.taken = make([]bool, len(emotion))
	}
	taken := p.taken[:len(emotion)]
	clear(taken)
	picked := dst[:0]
	if picked == nil || cap(picked) < k {
		picked = make([]int, 0, k)
	}
	for range k {
		var total float64
		free := 0
		for i, wi := range w {
			if !taken[i] {
				total += wi
				free++
			}
		}
		choice := -1
		if total > 0 {
			x := rng.Float64() * total
			for i, wi := range w {
				if taken[i] || wi == 0 {
					continue
				}
				choice = i
				if x < wi {
					break
				}
				x -= wi
			}
		} else {
			// Every weight left underflowed: draw uniformly among the rest.
			nth := rng.IntN(free)
			for i := range w {
				if taken[i] {
					continue
				}
				if nth == 0 {
					choice = i
					break
				}
				nth--
			}
		}
		taken[choice] = true
		picked = append(picked, choice)
	}
	return picked
}

// clamp01 returns x clamped to [0, 1]; NaN becomes 0.
func clamp01(x float64) float64 {
	if !(x > 0) {
		return 0
	}
	return math.Min(x, 1)
}
