package generative

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"gonum.org/v1/gonum/floats"
)

func TestOcclude(t *testing.T) {
	t.Parallel()
	cases := []struct {
		side, patch int
	}{{16, 0}, {16, 1}, {16, 5}, {16, 16}, {4, 3}}
	for _, c := range cases {
		img := make([]float64, c.side*c.side)
		for i := range img {
			img[i] = 1
		}
		rng := rand.New(rand.NewPCG(uint64(c.patch), 1))
		for range 20 {
			out := Occlude(img, c.patch, rng)
			zeros := 0
			for _, x := range out {
				if x == 0 {
					zeros++
				}
			}
			if zeros != c.patch*c.patch {
				t.Errorf("side %d patch %d: %d pixels blanked, want %d", c.side, c.patch, zeros, c.patch*c.patch)
			}
			if floats.Sum(img) != float64(len(img)) {
				t.Fatalf("Occlude changed its input")
			}
		}
	}
}

func TestPickSources(t *testing.T) {
	t.Parallel()
	// Ten memories, the first two emotional.
	emotion := []float64{1, 1, 0, 0, 0, 0, 0, 0, 0, 0}
	const draws = 4000
	cases := []struct {
		gain        float64
		k           int
		wantEmotion float64 // expected fraction of picks that are emotional
		tolerance   float64
		description string
	}{
		// At gain 0 every memory is equally likely: 2 of 10 are emotional.
		{gain: 0, k: 1, wantEmotion: 0.2, tolerance: 0.03, description: "uniform"},
		// At gain 3 an emotional memory weighs e³ ≈ 20.1 against 1:
		// 2·20.1 / (2·20.1 + 8) ≈ 0.834 of single picks.
		{gain: 3, k: 1, wantEmotion: 2 * math.Exp(3) / (2*math.Exp(3) + 8), tolerance: 0.03, description: "biased"},
		// A huge gain never overflows and picks the emotional ones first.
		{gain: 1e6, k: 2, wantEmotion: 1, tolerance: 0, description: "extreme"},
	}
	for _, c := range cases {
		rng := rand.New(rand.NewPCG(5, uint64(c.k)))
		hits, total := 0, 0
		for range draws {
			src := PickSources(emotion, c.gain, c.k, rng)
			if len(src) != c.k {
				t.Fatalf("%s: %d sources, want %d", c.description, len(src), c.k)
			}
			for _, s := range src {
				if emotion[s] > 0 {
					hits++
				}
				total++
			}
		}
		if got := float64(hits) / float64(total); math.Abs(got-c.wantEmotion) > c.tolerance {
			t.Errorf("%s: emotional fraction %.3f, want %.3f ± %.3f", c.description, got, c.wantEmotion, c.tolerance)
		}
	}
	// Picks are distinct, and asking for more than there are returns all.
	rng := rand.New(rand.NewPCG(6, 6))
	all := PickSources(emotion, 1e6, 20, rng)
	slices.Sort(all)
	if !slices.Equal(all, []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}) {
		t.Errorf("PickSources(k > n) = %v, want every index once", all)
	}
}

func TestDreamMixture(t *testing.T) {
	t.Parallel()
	_, v := trained(t)
	f, _ := trained(t)
	mem := Images(f.day[:8])
	mu := v.Latents(mem)
	cases := []struct {
		name    string
		s       DreamSettings
		sources []int
		gate    float64
		weights []float64 // expected mixing weights
		noise   float64   // expected noise weight
	}{
		// Full gate: the anchor alone, no noise.
		{"recollection", DefaultDreamSettings(), []int{3, 5, 1}, 1, []float64{1}, 0},
		// PAD's REM rule: z = 0.25 z_a + 0.25 z_b + 0.5 ε.
		{"PAD", DreamSettings{Sources: 2, Noise: 0.5, Focus: 5}, []int{2, 6}, 0, []float64{0.5, 0.5}, 0.5},
		// Gate 0.5 with focus 1: β = 1, weights ∝ 1, e⁻¹, e⁻².
		{"half gate", DreamSettings{Sources: 3, Noise: 0.4, CorticalNoise: 0.3, Focus: 1}, []int{0, 4, 7}, 0.5,
			[]float64{1 / (1 + math.Exp(-1) + math.Exp(-2)), math.Exp(-1) / (1 + math.Exp(-1) + math.Exp(-2)), math.Exp(-2) / (1 + math.Exp(-1) + math.Exp(-2))}, 0.2},
	}
	for _, c := range cases {
		rng := rand.New(rand.NewPCG(1, 2))
		d := v.Dream(mem, c.sources, c.gate, c.s, rng)
		if !floats.EqualApprox(d.Weights, c.weights, 1e-12) || d.Gate != c.gate {
			t.Errorf("%s: weights %v gate %v, want %v %v", c.name, d.Weights, d.Gate, c.weights, c.gate)
			continue
		}
		// Replay the noise draws to rebuild the latent by hand.
		eps := rand.New(rand.NewPCG(1, 2))
		want := make([]float64, len(d.Latent))
		for i, w := range c.weights {
			floats.AddScaled(want, w, mu[c.sources[i]])
		}
		for j := range want {
			want[j] = (1-c.noise)*want[j] + c.noise*eps.NormFloat64()
		}
		if !floats.EqualApprox(d.Latent, want, 1e-12) {
			t.Errorf("%s: latent %v, want %v", c.name, d.Latent, want)
		}
		// The image is the decoded latent exactly when there is no cortical
		// noise, and a different image when there is.
		clean := slices.Equal(d.Image, v.Decode(d.Latent))
		if quiet := c.s.CorticalNoise*(1-c.gate) == 0; clean != quiet {
			t.Errorf("%s: image equals the decoded latent: %v, want %v", c.name, clean, quiet)
		}
		if len(d.Sources) != len(c.weights) || d.Sources[0] != c.sources[0] {
			t.Errorf("%s: sources %v, want the first %d of %v", c.name, d.Sources, len(c.weights), c.sources)
		}
	}
}

// TestDreamGate checks that lowering the PFC gate raises the mean novelty
// and bizarreness of dreams at every step from 1 to 0 in quarters, over
// five random seeds of 200 dreams each, on the fixture network. The same
// seeds are used at every gate, so the sources and noise draws are shared
// and the comparison is paired.
func TestDreamGate(t *testing.T) {
	t.Parallel()
	f, v := trained(t)
	x, y := Images(f.day), Labels(f.day)
	ro, err := TrainReadout(v.Latents(x), y, f.content.Classes(), DefaultReadoutSettings())
	if err != nil {
		t.Fatal(err)
	}
	ref, err := NewReference(x, y)
	if err != nil {
		t.Fatal(err)
	}
	mem := x[:40] // five memories of each class
	ds := DefaultDreamSettings()
	gates := []float64{1, 0.75, 0.5, 0.25, 0}
	const seeds, perSeed = 5, 200
	novelty := make([]float64, len(gates))
	bizarre := make([]float64, len(gates))
	for gi, g := range gates {
		var perSeedNov [seeds]float64
		for seed := range seeds {
			for i := range perSeed {
				rng := rand.New(rand.NewPCG(uint64(seed), uint64(i)))
				src := PickSources(make([]float64, len(mem)), 0, ds.Sources, rng)
				d := v.Dream(mem, src, g, ds, rng)
				nov := ref.Novelty(d.Image)
				mu, _ := v.Encode(d.Image)
				biz := Bizarreness(ro.Probabilities(mu))
				perSeedNov[seed] += nov / perSeed
				novelty[gi] += nov / (seeds * perSeed)
				bizarre[gi] += biz / (seeds * perSeed)
			}
		}
		t.Logf("gate %.2f: novelty %.3f (per seed %.3f), bizarreness %.3f", g, novelty[gi], perSeedNov, bizarre[gi])
	}
	for gi := 1; gi < len(gates); gi++ {
		if !(novelty[gi] > novelty[gi-1]) {
			t.Errorf("novelty did not rise from gate %v to %v: %.4f then %.4f", gates[gi-1], gates[gi], novelty[gi-1], novelty[gi])
		}
		if !(bizarre[gi] > bizarre[gi-1]) {
			t.Errorf("bizarreness did not rise from gate %v to %v: %.4f then %.4f", gates[gi-1], gates[gi], bizarre[gi-1], bizarre[gi])
		}
	}
}

func TestReplay(t *testing.T) {
	t.Parallel()
	f, v := trained(t)
	img := f.day[0].Image
	rng := rand.New(rand.NewPCG(4, 4))
	r := v.Replay(img, 0, rng)
	if !slices.Equal(r.Cue, img) {
		t.Errorf("replay without occlusion changed the cue")
	}
	mu, _ := v.Encode(img)
	if !slices.Equal(r.Latent, mu) || !slices.Equal(r.Reconstruction, v.Decode(mu)) {
		t.Errorf("replay latent or reconstruction differs from Encode and Decode")
	}
	r = v.Replay(img, 6, rng)
	blank := 0
	for i, c := range r.Cue {
		if c == 0 && img[i] != 0 {
			blank++
		}
	}
	if blank == 0 && floats.Equal(r.Cue, img) {
		t.Errorf("occluded replay left the cue unchanged")
	}
}
