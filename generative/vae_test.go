package generative

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"gonum.org/v1/gonum/floats"
)

// block is a named contiguous part of a VAE's parameter vector.
type block struct {
	name     string
	from, to int
}

// blocks returns the weight and bias block of every layer.
func blocks(v *VAE) []block {
	var bs []block
	off := 0
	for i, l := range v.layers {
		part := "enc"
		idx := i
		if i > v.head {
			part, idx = "dec", i-v.head-1
		}
		w := l.in * l.out
		bs = append(bs,
			block{fmt.Sprintf("%s%d.W", part, idx), off, off + w},
			block{fmt.Sprintf("%s%d.b", part, idx), off + w, off + w + l.out},
		)
		off += w + l.out
	}
	return bs
}

// TestGradient compares the hand-derived gradient of the batch loss with
// central finite differences for every parameter of every block, with the
// reparameterisation noise held fixed. The step h = 1e-5 balances truncation
// error (about h² times the third derivative) against rounding (about
// 1e-16·|loss|/h); both are near 1e-10 here, far below the 1e-5 tolerance.
func TestGradient(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name       string
		likelihood Likelihood
		hidden     []int
		beta       float64
		inputs     int
		rows       int
		denoising  bool // score the reconstruction against targets other than the inputs
	}{
		{"bernoulli", Bernoulli, []int{6}, 1, 10, 3, false},
		{"bernoulli two hidden", Bernoulli, []int{7, 5}, 1, 10, 3, false},
		{"bernoulli beta 2.5", Bernoulli, []int{6}, 2.5, 10, 3, false},
		{"bernoulli no hidden", Bernoulli, nil, 1, 10, 3, false},
		// 200 inputs and 70 rows make every product span several tiles.
		{"bernoulli tiled", Bernoulli, []int{5}, 1, 200, 70, false},
		{"gaussian", Gaussian, []int{6}, 1, 10, 3, false},
		{"gaussian two hidden", Gaussian, []int{7, 5}, 0.5, 10, 3, false},
		{"gaussian tiled", Gaussian, []int{5}, 1, 200, 70, false},
		{"bernoulli denoising", Bernoulli, []int{6}, 1, 10, 3, true},
		{"gaussian denoising", Gaussian, []int{6}, 1, 10, 3, true},
	}
	for ci, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			s := DefaultSettings()
			s.Inputs, s.Hidden, s.Latent = c.inputs, c.hidden, 3
			s.Likelihood, s.Beta, s.OutputSD = c.likelihood, c.beta, 0.3
			rng := rand.New(rand.NewPCG(uint64(ci), 1))
			v, err := NewVAE(s, rng)
			if err != nil {
				t.Fatal(err)
			}
			// Non-zero biases, so that their gradients are exercised away
			// from the initial point.
			for i := range v.params {
				v.params[i] += 0.1 * rng.NormFloat64()
			}
			rows := c.rows
			randomImages := func() [][]float64 {
				batch := make([][]float64, rows)
				for r := range batch {
					batch[r] = make([]float64, s.Inputs)
					for j := range batch[r] {
						batch[r][j] = rng.Float64()
					}
				}
				return batch
			}
			ws := v.workspace(rows)
			v.load(ws, randomImages())
			if c.denoising {
				v.fill(ws.t, randomImages())
				ws.target = ws.t
			}
			drawNoise(ws, rng)
			loss := func() float64 {
				v.forward(ws, false)
				return v.batchLoss(ws)
			}
			v.forward(ws, true)
			v.backward(ws)
			analytic := append([]float64(nil), v.grads...)

			// Every entry of small blocks is checked; of larger blocks 64
			// entries drawn at random, which keeps the tiled cases fast.
			const h, perBlock = 1e-5, 64
			var worst float64
			for _, b := range blocks(v) {
				idx := make([]int, b.to-b.from)
				for i := range idx {
					idx[i] = b.from + i
				}
				if len(idx) > perBlock {
					rng.Shuffle(len(idx), func(i, j int) { idx[i], idx[j] = idx[j], idx[i] })
					idx = idx[:perBlock]
				}
				a := make([]float64, len(idx))
				n := make([]float64, len(idx))
				for k, i := range idx {
					a[k] = analytic[i]
					p := v.params[i]
					v.params[i] = p + h
					up := loss()
					v.params[i] = p - h
					down := loss()
					v.params[i] = p
					n[k] = (up - down) / (2 * h)
				}
				diff := make([]float64, len(a))
				floats.SubTo(diff, a, n)
				scale := math.Max(floats.Norm(a, 2), floats.Norm(n, 2))
				rel := floats.Norm(diff, 2) / scale
				if !(rel < 1e-5) || scale == 0 {
					t.Errorf("block %s: relative error %.3g (|grad| %.3g)", b.name, rel, scale)
				}
				worst = math.Max(worst, rel)
			}
			t.Logf("largest relative error over %d blocks: %.2g", len(blocks(v)), worst)
		})
	}
}

// TestTrainAllocs checks that a training step allocates nothing once the
// buffers of its batch size exist. It does not run in parallel:
// testing.AllocsPerRun counts the allocations of the whole process.
func TestTrainAllocs(t *testing.T) {
	for _, batch := range []int{1, 64} {
		rng := rand.New(rand.NewPCG(1, uint64(batch)))
		v, err := NewVAE(DefaultSettings(), rng)
		if err != nil {
			t.Fatal(err)
		}
		c, err := NewContent(DefaultContentSettings())
		if err != nil {
			t.Fatal(err)
		}
		x := Images(c.Day(batch, rng))
		v.Train(x, rng) // allocates the buffers of this batch size
		if n := testing.AllocsPerRun(20, func() { v.Train(x, rng) }); n != 0 {
			t.Errorf("batch %d: %v allocations per training step, want 0", batch, n)
		}
		y := Images(c.Day(batch, rng))
		v.TrainDenoising(x, y, rng)
		if n := testing.AllocsPerRun(20, func() { v.TrainDenoising(x, y, rng) }); n != 0 {
			t.Errorf("batch %d: %v allocations per denoising step, want 0", batch, n)
		}
	}
}

// TestTraining trains on 2,000 replays (batch 1) of 400 episodes of the
// default content and checks that the held-out negative ELBO falls by more
// than half, that a linear readout of the latent means classifies held-out
// items far above chance (12.5% for 8 classes), and that the decoded mean
// latent of every class is recognised as that class. Measured when this
// test was written: held-out NegELBO 179.6 nats before training and about
// 67 after; readout accuracy about 95% on held-out items.
func TestTraining(t *testing.T) {
	t.Parallel()
	f, v := trained(t)
	t.Logf("held-out NegELBO per item: %.1f nats before training, %.1f after %d replays", f.before, f.after, fixtureReplays)
	if !(f.after < 0.5*f.before) {
		t.Errorf("held-out NegELBO fell only from %.1f to %.1f nats", f.before, f.after)
	}
	x, y := Images(f.day), Labels(f.day)
	z := v.Latents(x)
	ro, err := TrainReadout(z, y, f.content.Classes(), DefaultReadoutSettings())
	if err != nil {
		t.Fatal(err)
	}
	train := ro.Accuracy(z, y)
	held := ro.Accuracy(v.Latents(Images(f.heldOut)), Labels(f.heldOut))
	t.Logf("readout accuracy: %.3f on the day, %.3f held out (chance %.3f)", train, held, 1/float64(f.content.Classes()))
	if !(held > 0.8) {
		t.Errorf("held-out readout accuracy %.3f, want above 0.8", held)
	}
	// Decode the mean latent of each class and read the image back.
	for k := range f.content.Classes() {
		mean := make([]float64, v.Settings().Latent)
		n := 0
		for i, zi := range z {
			if y[i] == k {
				floats.Add(mean, zi)
				n++
			}
		}
		floats.Scale(1/float64(n), mean)
		img := v.Decode(mean)
		mu, _ := v.Encode(img)
		p := ro.Probabilities(mu)
		if got := floats.MaxIdx(p); got != k {
			t.Errorf("decoded mean of class %q read as %q (p = %.2f)", f.content.ClassName(k), f.content.ClassName(got), p[got])
		}
	}
}

// TestDeterminism checks that the same seed gives bit-identical weights,
// losses and outputs.
func TestDeterminism(t *testing.T) {
	t.Parallel()
	c, err := NewContent(DefaultContentSettings())
	if err != nil {
		t.Fatal(err)
	}
	run := func() (*VAE, []float64, Dream) {
		rng := rand.New(rand.NewPCG(9, 9))
		x := Images(c.Day(64, rng))
		v, err := NewVAE(DefaultSettings(), rng)
		if err != nil {
			t.Fatal(err)
		}
		var losses []float64
		for i := range 30 {
			b := 1 + i%5 // several batch sizes, so several workspaces
			losses = append(losses, v.Train(x[i:i+b], rng))
		}
		src := PickSources(make([]float64, len(x)), 0, 3, rng)
		return v, losses, v.Dream(x, src, 0.3, DefaultDreamSettings(), rng)
	}
	v1, l1, d1 := run()
	v2, l2, d2 := run()
	if !slices.Equal(v1.params, v2.params) || !slices.Equal(v1.opt.m, v2.opt.m) || !slices.Equal(v1.opt.v, v2.opt.v) {
		t.Errorf("same seed, different weights or optimiser state")
	}
	if !slices.Equal(l1, l2) {
		t.Errorf("same seed, different losses")
	}
	if !slices.Equal(d1.Image, d2.Image) || !slices.Equal(d1.Latent, d2.Latent) || !slices.Equal(d1.Sources, d2.Sources) {
		t.Errorf("same seed, different dreams")
	}
	img := c.Day(1, rand.New(rand.NewPCG(1, 1)))[0].Image
	if !slices.Equal(v1.Reconstruct(img), v2.Reconstruct(img)) {
		t.Errorf("same seed, different reconstructions")
	}
}

func TestNewVAEErrors(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		modify func(*Settings)
	}{
		{"no inputs", func(s *Settings) { s.Inputs = 0 }},
		{"zero hidden width", func(s *Settings) { s.Hidden = []int{128, 0} }},
		{"no latent", func(s *Settings) { s.Latent = 0 }},
		{"unknown likelihood", func(s *Settings) { s.Likelihood = 7 }},
		{"gaussian without sd", func(s *Settings) { s.Likelihood, s.OutputSD = Gaussian, 0 }},
		{"negative beta", func(s *Settings) { s.Beta = -1 }},
		{"NaN beta", func(s *Settings) { s.Beta = math.NaN() }},
		{"zero learning rate", func(s *Settings) { s.Adam.LearningRate = 0 }},
		{"beta1 of 1", func(s *Settings) { s.Adam.Beta1 = 1 }},
		{"negative epsilon", func(s *Settings) { s.Adam.Epsilon = -1 }},
	}
	for _, c := range cases {
		s := DefaultSettings()
		c.modify(&s)
		if _, err := NewVAE(s, rand.New(rand.NewPCG(1, 1))); err == nil {
			t.Errorf("%s: no error", c.name)
		}
	}
	// The zero Bernoulli OutputSD and zero Beta are valid.
	s := DefaultSettings()
	s.OutputSD, s.Beta, s.Hidden = 0, 0, nil
	if _, err := NewVAE(s, rand.New(rand.NewPCG(1, 1))); err != nil {
		t.Errorf("valid settings rejected: %v", err)
	}
}

// TestSetMethods checks that the batched set methods agree with the
// single-image ones across chunk boundaries.
func TestSetMethods(t *testing.T) {
	t.Parallel()
	f, v := trained(t)
	x := Images(f.day[:150]) // three chunks: 64, 64, 22
	z := v.Latents(x)
	var sum float64
	for i, img := range x {
		mu, logvar := v.Encode(img)
		if !floats.EqualApprox(mu, z[i], 1e-12) {
			t.Fatalf("Latents row %d differs from Encode", i)
		}
		var kl float64
		for j := range mu {
			kl += 0.5 * (mu[j]*mu[j] + math.Exp(logvar[j]) - 1 - logvar[j])
		}
		r := v.Decode(mu)
		var nll float64
		for j, p := range r {
			if p < 0 || p > 1 {
				t.Fatalf("decoded pixel %v outside [0, 1]", p)
			}
			nll -= img[j]*math.Log(p) + (1-img[j])*math.Log(1-p)
		}
		sum += nll + kl
	}
	// With a nil random source NegELBO is evaluated at the posterior mean.
	if got, want := v.NegELBO(x, nil), sum/float64(len(x)); math.Abs(got-want) > 1e-9*want {
		t.Errorf("NegELBO(x, nil) = %v, want %v", got, want)
	}
	if !math.IsNaN(v.NegELBO(nil, nil)) {
		t.Errorf("NegELBO of an empty set is not NaN")
	}
}
