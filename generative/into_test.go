package generative

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"gonum.org/v1/gonum/floats"
)

// The tests of this file check that the buffer-reusing variants (the Into
// methods and SourcePicker) give bit for bit what the allocating calls give,
// and what the code before them computed (reference implementations kept
// here), and that they allocate nothing once their buffers exist. They do
// not run in parallel: testing.AllocsPerRun counts the allocations of the
// whole process.

// intoFixture returns an untrained default VAE, a few images of the
// default content and the content.
func intoFixture(t *testing.T) (*VAE, [][]float64, *Content) {
	t.Helper()
	rng := rand.New(rand.NewPCG(11, 12))
	v, err := NewVAE(DefaultSettings(), rng)
	if err != nil {
		t.Fatal(err)
	}
	c, err := NewContent(DefaultContentSettings())
	if err != nil {
		t.Fatal(err)
	}
	return v, Images(c.Day(10, rng)), c
}

// sameBits reports whether a and b hold the same float64 values bit for bit.
func sameBits(a, b []float64) bool {
	return slices.EqualFunc(a, b, func(x, y float64) bool { return math.Float64bits(x) == math.Float64bits(y) })
}

func TestOccludeInto(t *testing.T) {
	cases := []struct {
		name        string
		side, patch int
	}{
		{"no patch", 16, 0},
		{"negative patch", 16, -2},
		{"one pixel", 16, 1},
		{"default", 16, 4},
		{"whole image", 16, 16},
		{"small image", 4, 3},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			img := make([]float64, c.side*c.side)
			for i := range img {
				img[i] = float64(i%7+1) / 8
			}
			orig := slices.Clone(img)
			a, b := rand.New(rand.NewPCG(3, uint64(c.side))), rand.New(rand.NewPCG(3, uint64(c.side)))
			dst := make([]float64, len(img))
			for i := range 20 {
				want := Occlude(img, c.patch, a)
				got := OccludeInto(dst, img, c.patch, b)
				if !sameBits(got, want) || &got[0] != &dst[0] {
					t.Fatalf("draw %d: OccludeInto differs from Occlude or did not write into dst", i)
				}
			}
			if !sameBits(img, orig) {
				t.Fatalf("OccludeInto changed its input")
			}
			if n := testing.AllocsPerRun(20, func() { OccludeInto(dst, img, c.patch, b) }); n != 0 {
				t.Errorf("%v allocations per call, want 0", n)
			}
		})
	}
	t.Run("wrong length", func(t *testing.T) {
		defer func() {
			if recover() == nil {
				t.Errorf("OccludeInto into a short buffer did not panic")
			}
		}()
		OccludeInto(make([]float64, 15), make([]float64, 16), 2, rand.New(rand.NewPCG(1, 1)))
	})
}

// encodeReference is Encode as it was written before EncodeInto.
func encodeReference(v *VAE, image []float64) (mu, logvar []float64) {
	ws := v.workspace(1)
	v.load(ws, [][]float64{image})
	v.encode(ws)
	L := v.s.Latent
	h := ws.out[v.head].RawMatrix().Data
	return append([]float64(nil), h[:L]...), append([]float64(nil), h[L:2*L]...)
}

func TestEncodeInto(t *testing.T) {
	v, imgs, _ := intoFixture(t)
	L := v.Settings().Latent
	cases := []struct {
		name             string
		wantMu, wantLogv bool
	}{
		{"both", true, true},
		{"mean only", true, false},
		{"log-variance only", false, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var mu, logvar []float64
			if c.wantMu {
				mu = make([]float64, L)
			}
			if c.wantLogv {
				logvar = make([]float64, L)
			}
			for i, img := range imgs {
				refMu, refLogv := encodeReference(v, img)
				encMu, encLogv := v.Encode(img)
				v.EncodeInto(mu, logvar, img)
				if !sameBits(encMu, refMu) || !sameBits(encLogv, refLogv) {
					t.Fatalf("image %d: Encode differs from the reference", i)
				}
				if (c.wantMu && !sameBits(mu, refMu)) || (c.wantLogv && !sameBits(logvar, refLogv)) {
					t.Fatalf("image %d: EncodeInto differs from Encode", i)
				}
			}
			if n := testing.AllocsPerRun(20, func() { v.EncodeInto(mu, logvar, imgs[0]) }); n != 0 {
				t.Errorf("%v allocations per call, want 0", n)
			}
		})
	}
	t.Run("wrong length", func(t *testing.T) {
		defer func() {
			if recover() == nil {
				t.Errorf("EncodeInto into a short buffer did not panic")
			}
		}()
		v.EncodeInto(make([]float64, L-1), nil, imgs[0])
	})
}

// dreamReference is Dream as it was written before DreamInto: every buffer
// allocated, the sources encoded with Encode.
func dreamReference(v *VAE, memories [][]float64, sources []int, g float64, s DreamSettings, rng *rand.Rand) Dream {
	g = clamp01(g)
	k := len(sources)
	w := make([]float64, k)
	if g >= 1 {
		w[0] = 1
	} else {
		beta := s.Focus * g / (1 - g)
		var sum float64
		for i := range w {
			w[i] = math.Exp(-beta * float64(i))
			sum += w[i]
		}
		floats.Scale(1/sum, w)
	}
	d := Dream{Gate: g, Latent: make([]float64, v.s.Latent)}
	var total float64
	for i, src := range sources {
		if w[i] >= minDreamWeight {
			d.Sources = append(d.Sources, src)
			d.Weights = append(d.Weights, w[i])
			total += w[i]
		}
	}
	for i, src := range d.Sources {
		d.Weights[i] /= total
		mu, _ := v.Encode(memories[src])
		floats.AddScaled(d.Latent, d.Weights[i], mu)
	}
	n := s.Noise * (1 - g)
	for j := range d.Latent {
		d.Latent[j] = (1-n)*d.Latent[j] + n*rng.NormFloat64()
	}
	ws := v.workspace(1)
	copy(ws.z.RawMatrix().Data, d.Latent)
	v.decode(ws)
	d.Image = make([]float64, v.s.Inputs)
	sd := s.CorticalNoise * (1 - g)
	for i, l := range ws.out[len(v.layers)-1].RawMatrix().Data {
		d.Image[i] = sigmoid(l + sd*rng.NormFloat64())
	}
	return d
}

func TestDreamInto(t *testing.T) {
	v, mem, _ := intoFixture(t)
	cases := []struct {
		name    string
		s       DreamSettings
		sources []int
		gate    float64
	}{
		{"recollection", DefaultDreamSettings(), []int{3, 5, 1}, 1},
		{"PAD", DreamSettings{Sources: 2, Noise: 0.5, Focus: 5}, []int{2, 6}, 0},
		{"half gate", DreamSettings{Sources: 3, Noise: 0.4, CorticalNoise: 0.3, Focus: 1}, []int{0, 4, 7}, 0.5},
		{"sources left out", DefaultDreamSettings(), []int{9, 8, 7, 6, 5}, 0.9},
		{"one source", DreamSettings{Sources: 1, Noise: 1, CorticalNoise: 2}, []int{4}, 0.2},
		{"gate clamped", DreamSettings{Sources: 4, Noise: 0.3, CorticalNoise: 1, Focus: 0}, []int{1, 2, 3, 0}, -3},
	}
	// One Dream reused through every case, so that each call starts from
	// the buffers, and the stale values, of the one before.
	var d Dream
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ref := dreamReference(v, mem, c.sources, c.gate, c.s, rand.New(rand.NewPCG(1, 2)))
			got := v.Dream(mem, c.sources, c.gate, c.s, rand.New(rand.NewPCG(1, 2)))
			v.DreamInto(&d, mem, c.sources, c.gate, c.s, rand.New(rand.NewPCG(1, 2)))
			for _, x := range []Dream{got, d} {
				if !slices.Equal(x.Sources, ref.Sources) || !sameBits(x.Weights, ref.Weights) || x.Gate != ref.Gate ||
					!sameBits(x.Latent, ref.Latent) || !sameBits(x.Image, ref.Image) {
					t.Fatalf("dream differs from the reference:\n got %v %v %v %v\nwant %v %v %v %v",
						x.Sources, x.Weights, x.Gate, x.Latent, ref.Sources, ref.Weights, ref.Gate, ref.Latent)
				}
			}
		})
	}
	rng := rand.New(rand.NewPCG(5, 5))
	s := DefaultDreamSettings()
	if n := testing.AllocsPerRun(20, func() { v.DreamInto(&d, mem, []int{1, 2, 3}, 0.3, s, rng) }); n != 0 {
		t.Errorf("%v allocations per DreamInto with a reused Dream, want 0", n)
	}
}

func TestSourcePicker(t *testing.T) {
	cases := []struct {
		name    string
		emotion []float64
		gain    float64
		k       int
	}{
		{"uniform", make([]float64, 10), 0, 3},
		{"biased", []float64{1, 1, 0, 0, 0, 0.5, 0, 0, 0.2, 0}, 3, 3},
		{"extreme", []float64{1, 1, 0, 0, 0}, 1e6, 4},
		{"all underflow", []float64{0, -1, -1, -1}, 1e4, 3},
		{"more than there are", []float64{0.1, 0.2}, 1, 5},
		{"none", []float64{0.3, 0.4}, 1, 0},
		{"no memories", nil, 1, 2},
	}
	// One picker and one destination reused through every case.
	var p SourcePicker
	var dst []int
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a, b := rand.New(rand.NewPCG(7, 8)), rand.New(rand.NewPCG(7, 8))
			for i := range 50 {
				want := PickSources(c.emotion, c.gain, c.k, a)
				dst = p.Pick(dst, c.emotion, c.gain, c.k, b)
				if !slices.Equal(dst, want) {
					t.Fatalf("draw %d: Pick = %v, PickSources = %v", i, dst, want)
				}
			}
			if a.Uint64() != b.Uint64() {
				t.Errorf("Pick and PickSources drew different numbers from their streams")
			}
		})
	}
	emotion := []float64{0.9, 0.1, 0.5, 0.7, 0}
	rng := rand.New(rand.NewPCG(9, 9))
	dst = p.Pick(dst, emotion, 4, 3, rng)
	if n := testing.AllocsPerRun(20, func() { dst = p.Pick(dst, emotion, 4, 3, rng) }); n != 0 {
		t.Errorf("%v allocations per Pick with reused buffers, want 0", n)
	}
}

// farOut returns a latent of n values far from the prior, ±40 in turn.
func farOut(n int) []float64 {
	z := make([]float64, n)
	for i := range z {
		z[i] = 40 * float64(1-2*(i%2))
	}
	return z
}

func TestProbabilitiesInto(t *testing.T) {
	v, imgs, c := intoFixture(t)
	rng := rand.New(rand.NewPCG(2, 3))
	items := c.Day(80, rng)
	r, err := TrainReadout(v.Latents(Images(items)), Labels(items), c.Classes(), DefaultReadoutSettings())
	if err != nil {
		t.Fatal(err)
	}
	L := v.Settings().Latent
	cases := []struct {
		name string
		z    []float64
	}{
		{"zero", make([]float64, L)},
		{"a memory's latent", v.Latents(imgs[:1])[0]},
		{"far out", farOut(L)},
	}
	p := make([]float64, r.Classes())
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			// The reference: standardise into a buffer, then the logits.
			ref := make([]float64, r.classes)
			r.logits(ref, r.standardise(make([]float64, r.dims), tc.z))
			softmax(ref)
			if got := r.Probabilities(tc.z); !sameBits(got, ref) {
				t.Fatalf("Probabilities = %v, reference %v", got, ref)
			}
			if got := r.ProbabilitiesInto(p, tc.z); !sameBits(got, ref) || &got[0] != &p[0] {
				t.Fatalf("ProbabilitiesInto = %v, reference %v", got, ref)
			}
			if n := testing.AllocsPerRun(20, func() { r.ProbabilitiesInto(p, tc.z) }); n != 0 {
				t.Errorf("%v allocations per call, want 0", n)
			}
		})
	}
}
